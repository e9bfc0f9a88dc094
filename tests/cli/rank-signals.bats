#!/usr/bin/env bats
# rank-signals: the ema-cloud model on bars carrying exactly the
# indicators it reads (flip5_12, ema34_10m, ema50_10m, vol_sum20), the
# exact volume test 40 v > 3 sum, long-only profiles, pass-through.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	# Bull flip, bull macro (34 above 50), volume 2000 against a 20-bar
	# sum of 20000: 40 x 2000 = 80000 > 3 x 20000 = 60000.
	bull='"flip5_12":1,"ema34_10m":127.5,"ema50_10m":127.4,"vol_sum20":20000'
	bear='"flip5_12":-1,"ema34_10m":127.4,"ema50_10m":127.5,"vol_sum20":20000'
	b15="2011-01-04T15:00:00Z"
}

@test "bull flip, bull macro, volume above 1.5x the mean: one long signal after the bar" {
	bar "$b15" 127 127.2 126.9 127.1 2000 "$bull" >"$t/in.ndjson"
	run -0 rank-signals -e "${cfg[@]}" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$(cat "$t/in.ndjson")" ]
	[ "${lines[1]}" = '{"type":"signal","ts":"2011-01-04T15:01:00Z","symbol":"SPY","id":"ema-cloud/SPY/20110104T150000Z/long","strategy":"ema-cloud","side":"long","tier":"A","score":58.33,"price":127.1,"bar_ts":"2011-01-04T15:00:00Z","reasons":["ema5/12 cloud flipped bullish","10m ema34/50 cloud bullish","volume 2000 is 2.00x the 20-bar mean"]}' ]
}

@test "volume exactly at the threshold (40 v == 3 sum) emits nothing; one share more does" {
	# 40 x 1500 = 60000 = 3 x 20000: not above 1.5x the mean.
	bar "$b15" 127 127.2 126.9 127.1 1500 "$bull" >"$t/at.ndjson"
	run rank-signals -e "${cfg[@]}" "$t/at.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/at.ndjson")" ]
	run rank-signals "${cfg[@]}" "$t/at.ndjson"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$t/at.ndjson")" ]
	bar "$b15" 127 127.2 126.9 127.1 1501 "$bull" >"$t/above.ndjson"
	run rank-signals -e "${cfg[@]}" "$t/above.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == '{"type":"signal","ts":"2011-01-04T15:01:00Z","symbol":"SPY","id":"ema-cloud/SPY/20110104T150000Z/long",'* ]]
	[[ "${lines[1]}" == *'"score":50.02,'* ]]
}

@test "bear flip under a bull macro emits nothing; under a bear macro a short" {
	bar "$b15" 127 127.2 126.9 127.1 2000 \
	    '"flip5_12":-1,"ema34_10m":127.5,"ema50_10m":127.4,"vol_sum20":20000' \
	    >"$t/in.ndjson"
	run rank-signals -e "${cfg[@]}" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
	bar "$b15" 127 127.2 126.9 127.1 2000 "$bear" >"$t/bear.ndjson"
	run rank-signals -e "${cfg[@]}" "$t/bear.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" = '{"type":"signal","ts":"2011-01-04T15:01:00Z","symbol":"SPY","id":"ema-cloud/SPY/20110104T150000Z/short","strategy":"ema-cloud","side":"short","tier":"A","score":58.33,"price":127.1,"bar_ts":"2011-01-04T15:00:00Z","reasons":["ema5/12 cloud flipped bearish","10m ema34/50 cloud bearish","volume 2000 is 2.00x the 20-bar mean"]}' ]
}

@test "bull flip under a bear macro, no flip, or no macro yet: nothing" {
	{
		bar 2011-01-04T15:00:00Z 127 127.2 126.9 127.1 2000 \
		    '"flip5_12":1,"ema34_10m":127.4,"ema50_10m":127.5,"vol_sum20":20000'
		bar 2011-01-04T15:01:00Z 127 127.2 126.9 127.1 2000 \
		    '"flip5_12":0,"ema34_10m":127.5,"ema50_10m":127.4,"vol_sum20":20000'
		bar 2011-01-04T15:02:00Z 127 127.2 126.9 127.1 2000 \
		    '"flip5_12":1,"ema34_10m":127.5,"vol_sum20":20000'
		bar 2011-01-04T15:03:00Z 127 127.2 126.9 127.1 2000 \
		    '"flip5_12":1,"ema34_10m":127.5,"ema50_10m":127.4'
		bar 2011-01-04T15:04:00Z 127 127.2 126.9 127.1 2000
	} >"$t/in.ndjson"
	run rank-signals -e "${cfg[@]}" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
}

@test "long-only profile (-p ema-cloud-long) suppresses shorts, keeps longs" {
	bar "$b15" 127 127.2 126.9 127.1 2000 "$bear" >"$t/bear.ndjson"
	run rank-signals -e -c "$conf" -p ema-cloud-long "$t/bear.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/bear.ndjson")" ]
	bar "$b15" 127 127.2 126.9 127.1 2000 "$bull" >"$t/bull.ndjson"
	run rank-signals -e -c "$conf" -p ema-cloud-long "$t/bull.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == '{"type":"signal","ts":"2011-01-04T15:01:00Z","symbol":"SPY","id":"ema-cloud-long/SPY/20110104T150000Z/long","strategy":"ema-cloud-long","side":"long",'* ]]
}

@test "on the SPY replay it signals exactly what the backtest journals" {
	fetch-quotes "${cfg[@]}" -s SPY --source "replay:$spy" >"$t/bars.ndjson"
	calc-indicators "${cfg[@]}" "$t/bars.ndjson" >"$t/ind.ndjson"
	run --separate-stderr rank-signals -v "${cfg[@]}" "$t/ind.ndjson"
	[ "$status" -eq 0 ]
	[ "$stderr" = "rank-signals: 1950 read, 1961 written, 11 signals" ]
	printf '%s\n' "${lines[@]}" >"$t/out.ndjson"
	# Bars go out as they came, signals in between.
	grep -v '"type":"signal"' "$t/out.ndjson" >"$t/bars-out.ndjson"
	cmp "$t/bars-out.ndjson" "$t/ind.ndjson"
	grep '"type":"signal"' "$t/out.ndjson" | jq -r .id >"$t/ids"
	[ "$(sed -n '1p;$p' "$t/ids" | tr '\n' ' ')" = "ema-cloud/SPY/20110104T165600Z/short ema-cloud/SPY/20110107T205900Z/short " ]
	run -0 backtest "${cfg[@]}" -s SPY -q -j "$t/bt.db" "$spy"
	[ "$status" -eq 0 ]
	run -0 sqlite3 "$t/bt.db" 'SELECT id FROM signals ORDER BY ts'
	[ "$output" = "$(cat "$t/ids")" ]
}

@test "unknown types and fields pass through byte for byte" {
	{
		printf '%s\n' "$note"
		# Unknown fields, spacing and number spellings of a bar stay.
		printf '%s\n' '{"type":"bar", "symbol":"SPY","tf":"1m","ts":"2011-01-04T15:00:00Z","o":127.00,"h":127.2,"l":126.9,"c":127.1,"v":2000,"ind":{"flip5_12":1,"ema34_10m":127.5,"ema50_10m":127.4,"vol_sum20":20000},"zz":[1,{"q":null}]}'
		signal 2011-01-04T14:50:00Z | sed 's/}$/,"extra":"kept"}/'
		printf '%s\n' '{"type":"order","x":1}'
	} >"$t/in.ndjson"
	run rank-signals "${cfg[@]}" <"$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[0]}" = "$(sed -n 1p "$t/in.ndjson")" ]
	[ "${lines[1]}" = "$(sed -n 2p "$t/in.ndjson")" ]
	[[ "${lines[2]}" == '{"type":"signal","ts":"2011-01-04T15:01:00Z",'* ]]
	[ "${lines[3]}" = "$(sed -n 3p "$t/in.ndjson")" ]
	[ "${lines[4]}" = "$(sed -n 4p "$t/in.ndjson")" ]
}

@test "malformed line exits 3 and names the line" {
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":'
	} >"$t/bad.ndjson"
	run --separate-stderr rank-signals "${cfg[@]}" <"$t/bad.ndjson"
	[ "$status" -eq 3 ]
	[ "$output" = "$note" ]
	[ "$stderr" = "rank-signals: <stdin>:2: not valid JSON" ]
	printf '%s\n' '{"type":"bar","symbol":"SPY","ts":"2011-01-04T15:00:00Z","o":1,"h":1,"l":1,"v":1}' >"$t/noc.ndjson"
	run --separate-stderr rank-signals "${cfg[@]}" <"$t/noc.ndjson"
	[ "$status" -eq 3 ]
	[ "$stderr" = "rank-signals: <stdin>:1: bar: missing 'c'" ]
	printf '%s\n' '{"type":"bar","symbol":"SPY","ts":"2011-01-04T15:00:00Z","o":1,"h":1,"l":1,"c":1,"v":1,"ind":{"flip5_12":"up"}}' >"$t/ind.ndjson"
	run --separate-stderr rank-signals "${cfg[@]}" <"$t/ind.ndjson"
	[ "$status" -eq 3 ]
	[[ "$stderr" == "rank-signals: <stdin>:1: "* ]]
}

@test "write error exits 4" {
	bar "$b15" 127 127.2 126.9 127.1 2000 "$bull" >"$t/in.ndjson"
	run sh -c 'rank-signals -c "$1" -p ema-cloud "$2" >/dev/full' _ \
	    "$conf" "$t/in.ndjson"
	[ "$status" -eq 4 ]
	[[ "$output" == "rank-signals: "* ]]
}

@test "bad option or operand exits 2" {
	run rank-signals -x "${cfg[@]}"
	[ "$status" -eq 2 ]
	[[ "${lines[${#lines[@]}-1]}" == "usage: rank-signals "* ]]
	run rank-signals -c "$conf" -p 'no such' </dev/null
	[ "$status" -eq 2 ]
}

@test "a missing input file exits 4" {
	run rank-signals "${cfg[@]}" "$t/none.ndjson"
	[ "$status" -eq 4 ]
	[[ "$output" == "rank-signals: $t/none.ndjson: "* ]]
}

@test "--help and --version" {
	run --separate-stderr rank-signals --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "usage: rank-signals [-ev] [-c config] [-j journal] [-p profile] [file ...]" ]
	run rank-signals --version
	[ "$status" -eq 0 ]
	[ "$output" = "rank-signals 0.1.0" ]
}
