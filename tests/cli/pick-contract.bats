#!/usr/bin/env bats
# pick-contract: a signal on an underlying becomes one on an option
# contract (strike selection by expiry, delta band, spread, open
# interest, volume, premium; the greeks gate) or on a leveraged ETF
# (the map and its liquidity check), or a journaled reject; and the
# whole path to a filled paper order through gate-risk and place-order.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	brokers="$top/tests/fixtures/brokers"
	tradier="$brokers/tradier/options_chain_SPY_20250214_greeks.json"
	alpaca="$brokers/alpaca/option_snapshots_0dte_no_greeks.json"
}

# spy BAR_TS CLOSE [IND]: a 1m SPY bar.
spy() {
	bar "$1" "$2" "$2" "$2" "$2" 100000 "${3:-}"
}

# sig SIDE: the ema-cloud signal on the SPY bar of 10:14 New York on
# Friday 2025-02-07, the fixtures' moment.
sig() {
	signal 2025-02-07T15:14:00Z "$1" 600.2
}

# prof TEXT: a profile in $t/p.conf.
prof() {
	printf '%s\n' "$1" >"$t/p.conf"
}

# picked: the symbol and price of the signal written, "reject GATE"
# for a reject.
picked() {
	printf '%s\n' "${lines[@]}" | jq -r 'select(.type == "signal" or
	    .type == "reject") | if .type == "signal" then
	    "\(.symbol) \(.price)" else "reject \(.gate)" end'
}

@test "fetch-quotes reads the Tradier and Alpaca chains as option records" {
	run -0 fetch-quotes -c "$conf" --source "tradier-chain:$tradier"
	[ "${#lines[@]}" -eq 20 ]
	[ "${lines[0]}" = '{"type":"option","ts":"2025-02-07T15:14:59Z","symbol":"SPY250214C00597000","underlying":"SPY","expiry":"2025-02-14","strike":597,"right":"call","bid":8.23,"ask":8.28,"last":8.24,"volume":2809,"oi":6244,"iv":0.141751,"delta":0.6907279909602502,"gamma":0.02928801570706335,"theta":-0.32687820619431135,"vega":0.29889734434863974,"rho":0.0809039313982337,"greeks":"broker","source":"tradier"}' ]
	run -0 fetch-quotes -c "$conf" --source "alpaca-chain:$alpaca"
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = '{"type":"option","ts":"2025-02-07T15:14:59.873Z","symbol":"SPY250207C00602000","underlying":"SPY","expiry":"2025-02-07","strike":602,"right":"call","bid":1.44,"ask":1.46,"last":1.45,"source":"alpaca"}' ]
	# Tradier's empty chain is "options": null.
	run -1 fetch-quotes -e -c "$conf" --source "tradier-chain:$brokers/tradier/options_chain_empty.json"
	[ -z "$output" ]
	printf '{"options": 3}' >"$t/bad.json"
	run -3 fetch-quotes -c "$conf" --source "tradier-chain:$t/bad.json"
	[ "$output" = "fetch-quotes: $t/bad.json: \"options\" is not an object" ]
}

@test "options: the Tradier chain gives the call nearest delta 0.4 within the band; -v says why the others lost" {
	prof $'[instrument]\nmode = options\ntheta_burn_pct = 15'
	{
		spy 2025-02-07T15:14:00Z 600.2 '"iv_rank":40'
		fetch-quotes -c "$conf" --source "tradier-chain:$tradier"
		sig long
	} >"$t/in.ndjson"
	run -0 --separate-stderr pick-contract -v -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(picked)" = "SPY250214C00606000 3.14" ]
	[[ "${lines[-1]}" == *'"side":"long"'*'"reasons":["test","SPY long: SPY250214C00606000, 2025-02-14, delta 0.394, spread 0.96 %, oi 7'*', score '* ]]
	# Every option record is followed by its contract's quote.
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '"type":"quote"')" -eq 20 ]
	[[ "$stderr" == *'SPY250214C00597000: |delta| 0.691 outside 0.3..0.5'* ]]
	[[ "$stderr" == *'SPY250214C00605000: score '*' under '*' of SPY250214C00606000'* ]]
	# A short signal buys the put.
	{
		spy 2025-02-07T15:14:00Z 600.2 '"iv_rank":40'
		fetch-quotes -c "$conf" --source "tradier-chain:$tradier"
		sig short
	} >"$t/in.ndjson"
	run -0 pick-contract -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[[ "$(picked)" == SPY250214P00*' '* ]]
	[[ "${lines[-1]}" == *'"side":"long"'* ]]
}

@test "options: the greeks gate refuses theta burn and an unknown IV rank after 0DTE, and journals why" {
	prof $'[instrument]\nmode = options'
	{
		spy 2025-02-07T15:14:00Z 600.2 '"iv_rank":40'
		fetch-quotes -c "$conf" --source "tradier-chain:$tradier"
		sig long
	} >"$t/in.ndjson"
	run -0 pick-contract -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(picked)" = "reject greeks" ]
	run -0 sql "$jr" "SELECT verdict, gate FROM decisions"
	[ "$output" = "rejected|greeks" ]
	prof $'[instrument]\nmode = options\ntheta_burn_pct = 15'
	{
		spy 2025-02-07T15:14:00Z 600.2
		fetch-quotes -c "$conf" --source "tradier-chain:$tradier"
		sig long
	} >"$t/in.ndjson"
	run -0 pick-contract -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$(picked)" = "reject greeks" ]
	[[ "${lines[-1]}" == *'"reason":"IV rank nan is not under 80"'* ]]
	# Nothing in the band: no contract.
	prof $'[instrument]\nmode = options\ndelta_min = 0.9\ndelta_max = 1'
	run -0 pick-contract -c "$conf" -p "$t/p.conf" -j "$t/j3.db" "$t/in.ndjson"
	[ "$(picked)" = "reject no_contract" ]
}

@test "options: 0DTE first; greeks computed from the quote when the chain has none (Alpaca)" {
	prof $'[instrument]\nmode = options\nmin_oi = 0\nmin_volume = 0'
	{
		spy 2025-02-07T15:14:00Z 600.2
		fetch-quotes -c "$conf" --source "alpaca-chain:$alpaca"
		sig long
	} >"$t/in.ndjson"
	run -0 pick-contract -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(picked)" = "SPY250207C00602000 1.46" ]
	[[ "${lines[-1]}" == *'0DTE, delta 0.3'*' (computed)'* ]]
	# After the 0DTE cutoff the next expiry is wanted: 650 is no good.
	prof $'[instrument]\nmode = options\nmin_oi = 0\nmin_volume = 0\n[risk]\ncutoff_0dte = 10:00'
	run -0 pick-contract -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$(picked)" = "reject no_contract" ]
}

@test "etf: SPY long to SPXL, short to SPXS, when liquid; unmapped or illiquid is refused" {
	prof $'[instrument]\nmode = etf'
	etf() { # SYMBOL BID ASK ADV
		printf '{"type":"quote","ts":"2025-02-07T15:14:30Z","symbol":"%s","bid":%s,"ask":%s,"ind":{"adv":%s}}\n' "$@"
	}
	{
		etf SPXL 170 170.05 500000000
		etf SPXS 6.000 6.003 80000000
		sig long
		signal 2025-02-07T15:15:00Z short 600.2
	} >"$t/in.ndjson"
	run -0 pick-contract -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(picked | paste -sd ' ')" = "SPXL 170.05 SPXS 6.003" ]
	[[ "${lines[2]}" == *'"reasons":["test","SPY long: SPXL (3x, direct via SPY)"]'* ]]
	# No quote for the fund; a spread too wide; a symbol the map lacks.
	{
		sig long
		etf SPXL 170 170.2 500000000
		signal 2025-02-07T15:15:00Z long 600.2
		signal 2025-02-07T15:16:00Z long 600.2 | jq -c '.symbol = "ZZZZ"'
	} >"$t/in.ndjson"
	run -0 pick-contract -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$(picked | paste -sd ' ')" = "reject etf_liquidity reject etf_liquidity reject etf_map" ]
	# --mode wins over the profile; underlying passes signals as they are.
	run -0 pick-contract --mode underlying -c "$conf" -p "$t/p.conf" -j "$t/j3.db" "$t/in.ndjson"
	cmp <(printf '%s\n' "${lines[@]}") "$t/in.ndjson"
}

@test "the whole path: an ema-cloud signal on the Tradier chain to a filled paper option order, and to a filled SPXL order" {
	prof $'[instrument]\nmode = options\ntheta_burn_pct = 15\n[strategy]\nqty = 2'
	{
		spy 2025-02-07T15:14:00Z 600.2 '"iv_rank":40'
		fetch-quotes -c "$conf" --source "tradier-chain:$tradier"
		sig long
		printf '{"type":"quote","ts":"2025-02-07T15:15:30Z","symbol":"SPY250214C00606000","bid":3.15,"ask":3.18}\n'
	} >"$t/in.ndjson"
	pick-contract -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson" |
	    gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" |
	    place-order -c "$conf" -p "$t/p.conf" -j "$jr" >"$t/out.ndjson"
	# Filled on the next quote of the contract, at its ask or worse.
	run -0 jq -c 'select(.type == "fill") | [.symbol, .side, .qty, .price >= 3.18, .requested != null]' "$t/out.ndjson"
	[ "$output" = '["SPY250214C00606000","buy",2,true,true]' ]
	run -0 sql "$jr" "SELECT symbol, side, qty FROM positions WHERE status = 'open'"
	[ "$output" = "SPY250214C00606000|long|2.0" ]
	# The reservation is for two contracts of 100 at 3.14.
	run -0 sql "$jr" "SELECT cash_cents FROM reservations"
	[ "$output" = "62800" ]
	prof $'[instrument]\nmode = etf\n[strategy]\nqty = 10'
	{
		printf '{"type":"quote","ts":"2025-02-07T15:14:30Z","symbol":"SPXL","bid":170,"ask":170.05,"ind":{"adv":500000000}}\n'
		sig long
		printf '{"type":"quote","ts":"2025-02-07T15:15:10Z","symbol":"SPXL","bid":170.1,"ask":170.15}\n'
	} >"$t/in.ndjson"
	pick-contract -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson" |
	    gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j2.db" |
	    place-order -c "$conf" -p "$t/p.conf" -j "$t/j2.db" >"$t/out.ndjson"
	run -0 jq -c 'select(.type == "fill") | [.symbol, .side, .qty, .price >= 170.15]' "$t/out.ndjson"
	[ "$output" = '["SPXL","buy",10,true]' ]
	# An option position's P&L and cash count 100 shares a contract.
	run -0 sql "$jr" "SELECT -amount_cents FROM cash_ledger WHERE kind = 'buy'"
	[ "$output" = "$(sql "$jr" "SELECT CAST(round(price * qty * 100 * 100) AS INTEGER) FROM fills")" ]
}

@test "bad input: malformed option record exits 3 naming the line; bad --mode exits 2" {
	printf '{"type":"option","ts":"2025-02-07T15:14:00Z","symbol":"SPY250214C00606000"}\n' >"$t/in.ndjson"
	run -3 pick-contract -c "$conf" -j "$jr" "$t/in.ndjson"
	[[ "$output" == "pick-contract: $t/in.ndjson:1: "* ]]
	run -2 pick-contract --mode calls -c "$conf" -j "$jr" </dev/null
	[[ "${lines[0]}" == *"--mode: not underlying, options or etf: 'calls'" ]]
}

@test "--help and --version" {
	run -0 pick-contract --help
	[ "${lines[0]}" = "usage: pick-contract [-ev] [--mode mode] [-c config] [-j journal] [-p profile]" ]
	run -0 pick-contract --version
	[ "$output" = "pick-contract 0.1.0" ]
}
