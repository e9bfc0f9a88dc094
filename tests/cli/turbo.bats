#!/usr/bin/env bats
# The turbo profile: rank-signals' turbo model on crafted quotes and bars
# carrying the indicators it reads (ofi_net and accel on quotes;
# vwap_dist_sd, funding_rate, ou_drift and ou_z on bars), its tiers, and
# a backtest of the generated three-symbol perpetuals replay.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	tc=(-c "$conf" -p turbo)
	perps="perps3_1m_2024-03-01_generated.ndjson.gz"
	b10="2024-03-01T10:00:00Z"
}

# q TS OFI_NET ACCEL [SYMBOL]: a quote carrying those two indicators.
q() {
	printf '{"type":"quote","ts":"%s","symbol":"%s","bid":62000,"ask":62001,"ind":{"ofi_net":%s,"accel":%s}}\n' \
	    "$1" "${4:-BTCUSDT}" "$2" "$3"
}

# pbar TS VWAP_SD OU_DRIFT FUNDING [SYMBOL]: a BTCUSDT 1m bar with those.
pbar() {
	printf '{"type":"bar","symbol":"%s","tf":"1m","ts":"%s","o":62100,"h":62110,"l":61990,"c":62000.5,"v":2,"ind":{"vwap_dist_sd":%s,"ou_z":-1.4,"ou_drift":%s,"funding_rate":%s}}\n' \
	    "${5:-BTCUSDT}" "$1" "$2" "$3" "$4"
}

@test "OFI, VWAP and OU drift: a tier-A long, every signal's value in the reasons" {
	{
		q 2024-03-01T10:00:50Z 0.3 -0.01
		pbar "$b10" -1.5 1 0.0002
	} >"$t/in.ndjson"
	run -0 rank-signals -e "${tc[@]}" "$t/in.ndjson"
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "$(sed -n 1p "$t/in.ndjson")" ]
	[ "${lines[1]}" = "$(sed -n 2p "$t/in.ndjson")" ]
	[ "${lines[2]}" = '{"type":"signal","ts":"2024-03-01T10:01:00Z","symbol":"BTCUSDT","id":"turbo/BTCUSDT/20240301T100000Z/long","strategy":"turbo","side":"long","tier":"A","score":60,"price":62000.5,"bar_ts":"2024-03-01T10:00:00Z","reasons":["tier A: 3 of 5 fired for a long (ofi, vwap, ou_drift)","ofi: ofi_net 0.3, needs >= 0.15: fired","vwap: vwap_dist_sd -1.5, needs <= -1: fired","accel: accel -0.01, needs > 0: not fired","funding: funding_rate 0.0002, needs <= -0.0001: not fired","ou_drift: ou_drift 1, needs = 1 (ou_z -1.4): fired"]}' ]
}

@test "all five for a short: tier A, score 100" {
	{
		q 2024-03-01T10:00:55Z -0.2 -0.05
		pbar "$b10" 2 -1 0.0003
	} >"$t/in.ndjson"
	run -0 rank-signals -e "${tc[@]}" "$t/in.ndjson"
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" == *'"side":"short","tier":"A","score":100,'* ]]
	[[ "${lines[2]}" == *'"tier A: 5 of 5 fired for a short (ofi, vwap, accel, funding, ou_drift)"'* ]]
	[[ "${lines[2]}" == *'"funding: funding_rate 0.0003, needs >= 0.0001: fired"'* ]]
}

@test "exactly OFI and OU drift: tier B, score 40" {
	{
		q 2024-03-01T10:00:50Z 0.3 -0.01
		pbar "$b10" -0.5 1 0.0002
	} >"$t/in.ndjson"
	run -0 rank-signals -e "${tc[@]}" "$t/in.ndjson"
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" == *'"side":"long","tier":"B","score":40,'* ]]
	[[ "${lines[2]}" == *'"tier B: 2 of 5 fired for a long (ofi, ou_drift)"'* ]]
}

@test "OFI at exactly 0.15 fires; just inside it does not" {
	{
		q 2024-03-01T10:00:50Z 0.15 0
		pbar "$b10" -0.5 1 0
	} >"$t/at.ndjson"
	run -0 rank-signals -e "${tc[@]}" "$t/at.ndjson"
	[[ "${lines[2]}" == *'"tier":"B"'* ]]
	{
		q 2024-03-01T10:00:50Z 0.1499 0
		pbar "$b10" -2 1 -0.001
	} >"$t/in.ndjson"
	run rank-signals -e "${tc[@]}" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
}

@test "four of five without OU drift, or without OFI, is no signal" {
	{
		# OU drift 0: OFI, VWAP, accel and funding fire.
		q 2024-03-01T10:00:50Z 0.5 0.1
		pbar "$b10" -2 0 -0.001
		# No OFI (against the side): VWAP, accel, funding, OU.
		q 2024-03-01T10:01:50Z -0.5 0.1
		pbar 2024-03-01T10:01:00Z -2 1 -0.001
		# OFI and OU for opposite sides.
		q 2024-03-01T10:02:50Z -0.5 0.1
		pbar 2024-03-01T10:02:00Z -2 1 -0.001
	} >"$t/in.ndjson"
	run rank-signals -e "${tc[@]}" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
}

@test "a quote older than quote_age, later than the close, or of another symbol is not read" {
	{
		# 60.001 s before the close of 10:00.
		q 2024-03-01T09:59:59.999Z 0.5 0.1
		pbar "$b10" -2 1 -0.001
	} >"$t/old.ndjson"
	run rank-signals -e "${tc[@]}" "$t/old.ndjson"
	[ "$status" -eq 1 ]
	{
		q 2024-03-01T10:00:00Z 0.5 0.1
		pbar "$b10" -2 1 -0.001
	} >"$t/edge.ndjson"
	run -0 rank-signals -e "${tc[@]}" "$t/edge.ndjson"
	[[ "${lines[2]}" == *'"score":100,'* ]]
	{
		q 2024-03-01T10:01:00.001Z 0.5 0.1
		pbar "$b10" -2 1 -0.001
		q 2024-03-01T10:00:50Z 0.5 0.1 ETHUSDT
		pbar "$b10" -2 1 -0.001
	} >"$t/in.ndjson"
	run rank-signals -e "${tc[@]}" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
}

@test "the profile's thresholds decide: a_tier_min 4 turns 3 of 5 into nothing" {
	sed 's/^a_tier_min = 3$/a_tier_min = 4/' \
	    "$top/etc/profiles/turbo.conf" >"$t/strict.conf"
	{
		q 2024-03-01T10:00:50Z 0.3 -0.01
		pbar "$b10" -1.5 1 0.0002
	} >"$t/in.ndjson"
	run rank-signals -e -c "$conf" -p "$t/strict.conf" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
}

@test "symbols outside the profile, quotes and other records pass through untouched" {
	{
		printf '%s\n' "$note"
		q 2024-03-01T10:00:50Z 0.3 -0.01 FOOUSDT
		pbar "$b10" -1.5 1 0.0002 FOOUSDT
		printf '%s\n' '{"type":"quote", "ts":"2024-03-01T10:00:51Z","symbol":"BTCUSDT","bid":1.0,"ask":2.00,"zz":[1]}'
	} >"$t/in.ndjson"
	run rank-signals -e "${tc[@]}" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
}

@test "a malformed quote of a turbo symbol exits 3" {
	printf '%s\n' '{"type":"quote","ts":"2024-03-01T10:00:51Z","symbol":"BTCUSDT","bid":"x","ask":2}' >"$t/bad.ndjson"
	run --separate-stderr rank-signals "${tc[@]}" "$t/bad.ndjson"
	[ "$status" -eq 3 ]
	[[ "$stderr" == "rank-signals: $t/bad.ndjson:1: "* ]]
}

@test "tier B trades in micro mode only: gate-risk refuses it above 100" {
	{
		q 2024-03-01T10:00:50Z 0.3 -0.01
		pbar "$b10" -0.5 1 0.0002
	} >"$t/in.ndjson"
	rank-signals "${tc[@]}" "$t/in.ndjson" >"$t/sig.ndjson"
	run -0 gate-risk "${tc[@]}" -j "$t/big.db" "$t/sig.ndjson"
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" == '{"type":"reject",'*'"gate":"b_tier",'* ]]
	{
		cat "$top/etc/profiles/turbo.conf"
		printf '\n[account]\ncash = 90\n'
	} >"$t/micro.conf"
	run -0 gate-risk -c "$conf" -p "$t/micro.conf" -j "$t/micro.db" \
	    "$t/sig.ndjson"
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" == '{"type":"order",'*'"side":"buy","qty":0.001,'* ]]
}

@test "generated perps: the piped stages signal on all three symbols" {
	run -0 fetch-quotes "${tc[@]}" --source "replay:$perps"
	printf '%s\n' "${lines[@]}" >"$t/feed.ndjson"
	calc-indicators "${tc[@]}" "$t/feed.ndjson" >"$t/ind.ndjson"
	run --separate-stderr rank-signals -v "${tc[@]}" "$t/ind.ndjson"
	[ "$status" -eq 0 ]
	[ "$stderr" = "rank-signals: 10092 read, 10224 written, 132 signals" ]
	printf '%s\n' "${lines[@]}" >"$t/out.ndjson"
	run -0 sh -c 'grep "\"type\":\"signal\"" "$1" | jq -r .symbol | sort -u | tr "\n" " "' _ "$t/out.ndjson"
	[ "$output" = "BTCUSDT ETHUSDT SOLUSDT " ]
	run -0 sh -c 'grep "\"type\":\"signal\"" "$1" | jq -r .tier | sort | uniq -c | tr -s " \n" " "' _ "$t/out.ndjson"
	[ "$output" = " 129 A 3 B " ]
}

@test "generated perps: backtest journals trades on several symbols" {
	run -0 backtest "${tc[@]}" -q -j "$t/bt.db" "$perps"
	run -0 sql "$t/bt.db" "SELECT count(DISTINCT symbol) >= 3, count(*) FROM trades"
	[ "$output" = "1|20" ]
	run -0 sql "$t/bt.db" "SELECT count(*) FROM signals WHERE strategy = 'turbo' AND tier IN ('A', 'B') AND json_array_length(reasons) = 6"
	[ "$output" = "132" ]
	# The same signals as the piped commands make.
	run -0 sql "$t/bt.db" "SELECT count(*) FROM decisions WHERE verdict = 'approved'"
	[ "$output" = "20" ]
}
