#!/usr/bin/env bats
# watch-exits: exits of a position open in the journal.  Stop and target
# inside a bar (the stop first) and flat-by time go out before the bar,
# so the broker fills them on it; the opposite cloud flip after it, to
# fill at the next open.  Pass-through.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	fx="$BATS_TEST_DIRNAME/fixtures/watch-exits"
	pos="ema-cloud/SPY/20110104T143500Z/long/open"
	sig="ema-cloud/SPY/20110104T143500Z/long"
	# Entry at 127.05: stop 127.05 x 0.98 = 124.509, target x 1.02 =
	# 129.591.
}

# open_long: a long position open in the journal, bought at 127.05 on
# the 14:36Z bar by place-order.
open_long() {
	run -0 place-order "${cfg[@]}" -j "$jr" "$fx/long.ndjson"
	run -0 sql "$jr" "SELECT id, entry_price, status FROM positions"
	[ "$output" = "$pos|127.05|open" ]
}

# exit_order TS TYPE PRICE_FIELD REASON: the closing order of the long.
exit_order() {
	printf '{"type":"order","ts":"%s","symbol":"SPY","intent_id":"%s/%s","side":"sell","qty":100,"order_type":"%s",%s"effect":"close","position_id":"%s","signal_id":"%s","strategy":"ema-cloud","reason":"%s"}' \
	    "$1" "$pos" "$4" "$2" "$3" "$pos" "$sig" "$4"
}

@test "a bar whose low touches the 2 % stop: a stop order, before that bar" {
	open_long
	bar 2011-01-04T14:37:00Z 127 127.1 124.5 125 1000 >"$t/in.ndjson"
	run watch-exits -e "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$(exit_order 2011-01-04T14:37:00Z stop '"stop":124.509,' stop)" ]
	[ "${lines[1]}" = "$(cat "$t/in.ndjson")" ]
	# The broker downstream fills it on that bar, at the stop.
	printf '%s\n' "${lines[@]}" >"$t/exits.ndjson"
	run -0 place-order "${cfg[@]}" -j "$jr" "$t/exits.ndjson"
	[[ "${lines[1]}" == '{"type":"fill","ts":"2011-01-04T14:37:00Z",'*'"side":"sell","qty":100,"price":124.509,'*'"reason":"stop"}' ]]
	run -0 journal -j "$jr" trades
	[ "${lines[1]}" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:37:00Z,124.509000,sl,-254.1000" ]
}

@test "a low exactly at the stop touches it; a cent above does not" {
	open_long
	bar 2011-01-04T14:37:00Z 127 127.1 124.51 125 1000 >"$t/above.ndjson"
	run watch-exits -e "${cfg[@]}" -j "$jr" "$t/above.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/above.ndjson")" ]
	bar 2011-01-04T14:37:00Z 127 127.1 124.509 125 1000 >"$t/at.ndjson"
	run watch-exits -e "${cfg[@]}" -j "$jr" "$t/at.ndjson"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(exit_order 2011-01-04T14:37:00Z stop '"stop":124.509,' stop)" ]
}

@test "stop and target both touched in one bar: only the stop" {
	open_long
	bar 2011-01-04T14:37:00Z 127 130 124 125 1000 >"$t/in.ndjson"
	run watch-exits "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$(exit_order 2011-01-04T14:37:00Z stop '"stop":124.509,' stop)" ]
	[ "${lines[1]}" = "$(cat "$t/in.ndjson")" ]
}

@test "a bar whose high touches the 2 % target: a limit order, before that bar" {
	open_long
	bar 2011-01-04T14:37:00Z 127 129.6 126.9 129 1000 >"$t/in.ndjson"
	run watch-exits "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$(exit_order 2011-01-04T14:37:00Z limit '"limit":129.591,' target)" ]
}

@test "a short position's stop is above and its target below" {
	run -0 place-order "${cfg[@]}" -j "$jr" "$fx/short.ndjson"
	bar 2011-01-04T14:37:00Z 127 129.6 124 128 1000 >"$t/in.ndjson"
	run watch-exits "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == '{"type":"order","ts":"2011-01-04T14:37:00Z","symbol":"SPY","intent_id":"ema-cloud/SPY/20110104T143500Z/short/open/stop","side":"buy","qty":100,"order_type":"stop","stop":129.591,'*'"reason":"stop"}' ]]
	bar 2011-01-04T14:37:00Z 127 127.1 124.5 125 1000 >"$t/tp.ndjson"
	run watch-exits "${cfg[@]}" -j "$jr" "$t/tp.ndjson"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == '{"type":"order",'*'"side":"buy","qty":100,"order_type":"limit","limit":124.509,'*'"reason":"target"}' ]]
}

@test "flat by 15:55 New York: nothing at 15:54, a market exit reason eod at 15:55" {
	open_long
	{
		bar 2011-01-04T20:54:00Z 127 127.1 126.9 127 1000
		bar 2011-01-04T20:55:00Z 127 127.1 126.9 127 1000
	} >"$t/in.ndjson"
	run watch-exits "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "$(sed -n 1p "$t/in.ndjson")" ]
	[ "${lines[1]}" = "$(exit_order 2011-01-04T20:55:00Z market '' eod)" ]
	[ "${lines[2]}" = "$(sed -n 2p "$t/in.ndjson")" ]
}

@test "a position still open at the next session's first bar: eod there" {
	open_long
	bar 2011-01-05T14:30:00Z 127 127.1 126.9 127 1000 >"$t/in.ndjson"
	run watch-exits "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$(exit_order 2011-01-05T14:30:00Z market '' eod)" ]
}

@test "an opposite flip: a market exit after the bar, stamped at its close" {
	open_long
	{
		bar 2011-01-04T15:00:00Z 127 127.1 126.9 127 1000 '"flip5_12":1'
		bar 2011-01-04T15:01:00Z 127 127.1 126.9 127 1000 '"flip5_12":-1'
	} >"$t/in.ndjson"
	run watch-exits -e "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "$(sed -n 1p "$t/in.ndjson")" ]
	[ "${lines[1]}" = "$(sed -n 2p "$t/in.ndjson")" ]
	[ "${lines[2]}" = "$(exit_order 2011-01-04T15:02:00Z market '' cloud_flip)" ]
	# It fills at the next bar's open.
	{
		printf '%s\n' "${lines[@]}"
		bar 2011-01-04T15:02:00Z 126.8 127 126.7 126.9 1000
	} >"$t/exits.ndjson"
	run -0 place-order "${cfg[@]}" -j "$jr" "$t/exits.ndjson"
	run -0 journal -j "$jr" trades
	[ "${lines[1]}" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T15:02:00Z,126.800000,flip,-25.0000" ]
}

@test "no position, or nothing touched: bars pass and -e exits 1" {
	bar 2011-01-04T20:55:00Z 127 130 120 127 1000 '"flip5_12":-1' >"$t/in.ndjson"
	run watch-exits -e "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
	open_long
	bar 2011-01-04T15:00:00Z 127 127.1 126.9 127 1000 '"flip5_12":1' >"$t/in2.ndjson"
	run watch-exits -e "${cfg[@]}" -j "$jr" "$t/in2.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in2.ndjson")" ]
}

@test "an entry order in its input is followed: its stop comes two bars on" {
	{
		cat "$fx/long.ndjson"
		bar 2011-01-04T14:37:00Z 127 127.1 124.5 125 1000
	} >"$t/in.ndjson"
	run watch-exits "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = "$(sed -n 1p "$fx/long.ndjson")" ]
	[ "${lines[1]}" = "$(sed -n 2p "$fx/long.ndjson")" ]
	[ "${lines[2]}" = "$(exit_order 2011-01-04T14:37:00Z stop '"stop":124.509,' stop)" ]
}

@test "unknown types and fields pass through byte for byte" {
	open_long
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":"bar","symbol":"SPY", "ts":"2011-01-04T15:00:00Z","o":127.10,"h":127.2,"l":126.9,"c":127.1,"v":1000,"ind":{"flip5_12":1,"x":2},"zz":{"a":[true]}}'
		signal 2011-01-04T14:50:00Z | sed 's/}$/,"extra":"kept"}/'
		printf '%s\n' '{"type":"order","ts":"2011-01-04T15:01:00Z","symbol":"QQQ","intent_id":"q","side":"buy","qty":1,"order_type":"market","effect":"open","extra":{"k":1}}'
		printf '%s\n' '{"type":"fill","whatever":1}'
	} >"$t/in.ndjson"
	run watch-exits -e "${cfg[@]}" -j "$jr" <"$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
}

@test "malformed line exits 3 and names the line" {
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":"bar",'
	} >"$t/bad.ndjson"
	run --separate-stderr watch-exits "${cfg[@]}" -j "$jr" <"$t/bad.ndjson"
	[ "$status" -eq 3 ]
	[ "$output" = "$note" ]
	[ "$stderr" = "watch-exits: <stdin>:2: not valid JSON" ]
	printf '%s\n' '{"type":"bar","symbol":"SPY","ts":"2011-01-04T15:00:00Z","o":1,"h":1,"l":2,"c":1,"v":1}' >"$t/hl.ndjson"
	run --separate-stderr watch-exits "${cfg[@]}" -j "$jr" <"$t/hl.ndjson"
	[ "$status" -eq 3 ]
	[ "$stderr" = "watch-exits: <stdin>:1: bar: open and close must lie within low..high" ]
}

@test "write error exits 4" {
	open_long
	bar 2011-01-04T14:37:00Z 127 127.1 124.5 125 1000 >"$t/in.ndjson"
	run sh -c 'watch-exits -c "$1" -p ema-cloud -j "$2" "$3" >/dev/full' _ \
	    "$conf" "$jr" "$t/in.ndjson"
	[ "$status" -eq 4 ]
	[[ "$output" == "watch-exits: "* ]]
}

@test "bad option or operand exits 2" {
	run watch-exits -x "${cfg[@]}" -j "$jr" </dev/null
	[ "$status" -eq 2 ]
	[[ "${lines[${#lines[@]}-1]}" == "usage: watch-exits "* ]]
	run watch-exits "${cfg[@]}" -j </dev/null
	[ "$status" -eq 2 ]
}

@test "--help and --version" {
	run --separate-stderr watch-exits --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "usage: watch-exits [-ev] [-c config] [-j journal] [-p profile] [file ...]" ]
	run watch-exits --version
	[ "$status" -eq 0 ]
	[ "$output" = "watch-exits 0.1.0" ]
}
