#!/usr/bin/env bats
# backtest: the reference strategy's trade lists byte for byte (real SPY,
# the synthetic stress set, its long-only variant), the summary, the
# journal rules (-j must be new unless --append), --keep-open, --records.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	fx="$BATS_TEST_DIRNAME/fixtures/backtest"
	stress="$strat/synthetic_stress_a.csv.gz"
}

@test "--trades on the SPY replay equals the reference trade list byte for byte" {
	run sh -c 'backtest -c "$1" -p ema-cloud -s SPY --trades "$2" >"$3"' _ \
	    "$conf" "$spy" "$t/trades.csv"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cmp "$t/trades.csv" "$spy_trades"
	[ "$(wc -l <"$t/trades.csv")" -eq 8 ]
}

@test "--trades on the synthetic stress set equals its reference (220 trades)" {
	run sh -c 'backtest -c "$1" -p ema-cloud -s SPY --trades "$2" >"$3"' _ \
	    "$conf" "$stress" "$t/trades.csv"
	[ "$status" -eq 0 ]
	cmp "$t/trades.csv" "$strat/synthetic_stress_a.trades.csv"
	[ "$(wc -l <"$t/trades.csv")" -eq 221 ]
}

@test "-p ema-cloud-long on the stress set equals the long-only reference (90 trades)" {
	run sh -c 'backtest -c "$1" -p ema-cloud-long -s SPY --trades "$2" >"$3"' _ \
	    "$conf" "$stress" "$t/trades.csv"
	[ "$status" -eq 0 ]
	cmp "$t/trades.csv" "$strat/synthetic_stress_a.long-only.trades.csv"
	[ "$(wc -l <"$t/trades.csv")" -eq 91 ]
}

@test "the default output is a summary of the trades" {
	run backtest -e "${cfg[@]}" -s SPY "$spy"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 9 ]
	[ "${lines[0]}" = "profile       ema-cloud on $spy" ]
	[ "${lines[1]}" = "trades        7 (3 won, 4 lost)" ]
	[ "${lines[2]}" = "period        2011-01-04 .. 2011-01-07" ]
	[ "${lines[3]}" = "net P&L       +28.00 (gross +28.00, fees 0.00)" ]
	[ "${lines[4]}" = "return        +0.03 % of 100000.00" ]
	[ "${lines[5]}" = "win rate      42.9 %" ]
	[ "${lines[6]}" = "best / worst  +39.00 / -18.00" ]
	[ "${lines[7]}" = "max drawdown  18.00 (0.02 %)" ]
	[ "${lines[8]}" = "signals       11 (7 approved, 4 rejected)" ]
}

@test "the default journal is backtest.db in the state directory, made anew each run" {
	run -0 backtest -q "${cfg[@]}" -s SPY "$spy"
	[ -z "$output" ]
	db="$XDG_STATE_HOME/scalpkit/backtest.db"
	[ -f "$db" ]
	run -0 sql "$db" "SELECT COUNT(*) FROM trades"
	[ "$output" = "7" ]
	run -0 backtest -q "${cfg[@]}" -s SPY "$spy"
	run -0 sql "$db" "SELECT COUNT(*) FROM trades"
	[ "$output" = "7" ]
	# The live journal is not touched.
	[ ! -e "$XDG_STATE_HOME/scalpkit/journal.db" ]
}

@test "a journal given with -j that already holds orders is refused unless --append" {
	run -0 backtest -q "${cfg[@]}" -s SPY -j "$jr" "$spy"
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "14" ]
	run backtest -q "${cfg[@]}" -s SPY -j "$jr" "$spy"
	[ "$status" -eq 2 ]
	[ "$output" = "backtest: journal already holds 14 orders; name a new one or use --append" ]
	# Appending the same replay again: every intent is a duplicate.
	run backtest -q --append "${cfg[@]}" -s SPY -j "$jr" "$spy"
	[ "$status" -eq 0 ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "14" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM trades"
	[ "$output" = "7" ]
}

@test "a position open at the end closes at the last close, or stays with --keep-open" {
	# Cut at 17:00Z on the 4th, inside the first trade (short from 16:57).
	zcat "$spy" | awk -F, 'NR == 1 || $1 <= "2011-01-04T17:00:00Z"' \
	    >"$t/cut.csv"
	run backtest "${cfg[@]}" -s SPY --trades "$t/cut.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'entry_ts,side,entry_px,exit_ts,exit_px,exit_reason,pnl' '2011-01-04T16:57:00Z,short,126.650000,2011-01-04T17:00:00Z,126.600000,end,5.0000')" ]
	run backtest "${cfg[@]}" -s SPY --keep-open -j "$jr" "$t/cut.csv"
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "trades        0 (0 won, 0 lost)" ]
	[ "${lines[${#lines[@]}-1]}" = "open          1 position(s) still open" ]
	run -0 sql "$jr" "SELECT side, entry_ts, entry_price, status FROM positions"
	[ "$output" = "short|2011-01-04T16:57:00Z|126.65|open" ]
}

@test "-e exits 1 when nothing filled" {
	zcat "$spy" | head -n 101 >"$t/short.csv"
	run backtest -e "${cfg[@]}" -s SPY --trades "$t/short.csv"
	[ "$status" -eq 1 ]
	[ "$output" = "entry_ts,side,entry_px,exit_ts,exit_px,exit_reason,pnl" ]
	run backtest "${cfg[@]}" -s SPY --trades "$t/short.csv"
	[ "$status" -eq 0 ]
}

@test "--records prints the stream; unknown types and fields pass through" {
	run backtest --records "${cfg[@]}" -j "$jr" "$fx/mixed.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	# The bar keeps its fields and spelling and gains its indicators.
	[ "${lines[0]}" = '{"type":"bar","symbol":"SPY","tf":"1m","ts":"2011-01-04T14:36:00Z","o":127.10,"h":127.2,"l":127,"c":127.1,"v":1000,"zz":[1,{"a":null}],"ind":{"n_10m":0}}' ]
	[ "${lines[1]}" = "$(sed -n 2p "$fx/mixed.ndjson")" ]
	[ "${lines[2]}" = "$(sed -n 3p "$fx/mixed.ndjson")" ]
}

@test "--records on the SPY replay: every bar, with the acks and fills of 7 trades" {
	run -0 backtest --records "${cfg[@]}" -s SPY -j "$jr" "$spy"
	printf '%s\n' "${lines[@]}" >"$t/out.ndjson"
	run -0 jq -r .type "$t/out.ndjson"
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^bar$')" -eq 1950 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^fill$')" -eq 14 ]
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '^ack$')" -eq 14 ]
}

@test "malformed row exits 3 and names the file and line" {
	run --separate-stderr backtest "${cfg[@]}" -s SPY "$fx/bad.csv"
	[ "$status" -eq 3 ]
	[ "$stderr" = "backtest: $fx/bad.csv:3: high: not a number: 'x'" ]
	run --separate-stderr backtest "${cfg[@]}" "$fx/bad.ndjson"
	[ "$status" -eq 3 ]
	[ "$stderr" = "backtest: $fx/bad.ndjson:2: not valid JSON" ]
}

@test "nothing is journaled by a run that fails" {
	# The whole week trades, then its last row is bad.
	zcat "$spy" >"$t/week.csv"
	echo '2011-01-07T21:00:00Z,127.12,x,127.1,127.12,1000' >>"$t/week.csv"
	run --separate-stderr backtest "${cfg[@]}" -s SPY -j "$jr" "$t/week.csv"
	[ "$status" -eq 3 ]
	[ "$stderr" = "backtest: $t/week.csv:1952: high: not a number: 'x'" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "0" ]
}

@test "a missing replay file exits 4" {
	run backtest "${cfg[@]}" -s SPY "$t/none.csv"
	[ "$status" -eq 4 ]
	[[ "$output" == "backtest: $t/none.csv: "* ]]
}

@test "write error exits 4" {
	run sh -c 'backtest -c "$1" -p ema-cloud -s SPY --trades "$2" >/dev/full' \
	    _ "$conf" "$spy"
	[ "$status" -eq 4 ]
	[[ "$output" == "backtest: "* ]]
	run sh -c 'backtest -c "$1" -p ema-cloud -s SPY "$2" >/dev/full' \
	    _ "$conf" "$spy"
	[ "$status" -eq 4 ]
}

@test "bad option or operand exits 2" {
	run backtest "${cfg[@]}" -s SPY
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "usage: backtest [-eqv] [--append] [--compare] [--keep-open] [--mode mode]" ]
	run backtest "${cfg[@]}" -s SPY "$spy" "$spy"
	[ "$status" -eq 2 ]
	run backtest -x "${cfg[@]}" -s SPY "$spy"
	[ "$status" -eq 2 ]
	run backtest --session night "${cfg[@]}" -s SPY "$spy"
	[ "$status" -eq 2 ]
}

@test "--help and --version" {
	run --separate-stderr backtest --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" == "usage: backtest "* ]]
	run backtest --version
	[ "$status" -eq 0 ]
	[ "$output" = "backtest 0.1.0" ]
}
