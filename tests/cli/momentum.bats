#!/usr/bin/env bats
# The momentum profile: rank-signals' momentum model on crafted SPY bars
# and quotes carrying what it reads (vwap, vol_ratio20, support,
# resistance on bars; vel_30s on quotes), its trigger priority, its rate
# limits across runs with a journal, and a backtest of the SPY replay.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	mc=(-c "$conf" -p momentum)
}

# vq TS VEL: a SPY quote with that 30 s velocity (percent).
vq() {
	printf '{"type":"quote","ts":"%s","symbol":"SPY","bid":127,"ask":127.01,"ind":{"vel_30s":%s}}\n' \
	    "$1" "$2"
}

@test "a burst with volume: a long named by its trigger" {
	{
		vq 2011-01-04T15:00:50Z 0.6
		bar 2011-01-04T15:00:00Z 127 127.9 127 127.8 3000 '"vwap":126,"vol_ratio20":2'
	} >"$t/in.ndjson"
	run -0 rank-signals -e "${mc[@]}" "$t/in.ndjson"
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[2]}" = '{"type":"signal","ts":"2011-01-04T15:01:00Z","symbol":"SPY","id":"momentum/SPY/20110104T150000Z/long","strategy":"momentum","side":"long","tier":"burst","score":85,"price":127.8,"bar_ts":"2011-01-04T15:00:00Z","reasons":["trigger: momentum burst, vel_30s 0.6 % (needs >= 0.5 %)","volume 2.00x the 20-bar mean (needs 1.5)","no signal on SPY for 300 s before it"]}' ]
}

@test "no trigger without volume; a short burst is a short" {
	{
		vq 2011-01-04T15:00:50Z 0.6
		bar 2011-01-04T15:00:00Z 127 127.9 127 127.8 3000 '"vwap":126,"vol_ratio20":1.49'
	} >"$t/in.ndjson"
	run rank-signals -e "${mc[@]}" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
	{
		vq 2011-01-04T15:00:50Z -0.5
		bar 2011-01-04T15:00:00Z 127 127.1 126.2 126.3 3000 '"vwap":128,"vol_ratio20":1.5'
	} >"$t/short.ndjson"
	run -0 rank-signals -e "${mc[@]}" "$t/short.ndjson"
	[[ "${lines[2]}" == *'"side":"short","tier":"burst","score":80,'* ]]
}

@test "VWAP rejection: touch and bounce up, or down; a close through it is none" {
	bar 2011-01-04T15:00:00Z 127 127.3 126.9 127.2 3000 '"vwap":127,"vol_ratio20":2' >"$t/up.ndjson"
	run -0 rank-signals -e "${mc[@]}" "$t/up.ndjson"
	[[ "${lines[1]}" == *'"side":"long","tier":"vwap","score":75,'*'"trigger: VWAP rejection, low 126.9 touched vwap 127 and closed above it at 127.2"'* ]]
	bar 2011-01-04T15:00:00Z 127 127.3 126.7 126.8 3000 '"vwap":127.1,"vol_ratio20":2' >"$t/down.ndjson"
	run -0 rank-signals -e "${mc[@]}" "$t/down.ndjson"
	[[ "${lines[1]}" == *'"side":"short","tier":"vwap",'* ]]
	# Opened above, closed below, but a bullish bar: no bounce.
	bar 2011-01-04T15:00:00Z 126.8 127.3 126.7 126.9 3000 '"vwap":127.1,"vol_ratio20":2' >"$t/none.ndjson"
	run rank-signals -e "${mc[@]}" "$t/none.ndjson"
	[ "$status" -eq 1 ]
}

@test "breakout: the close beats the previous bar's resistance, with volume" {
	{
		bar 2011-01-04T15:00:00Z 127 127.1 126.9 127 1000 '"vol_ratio20":1,"support":126.5,"resistance":127.2'
		bar 2011-01-04T15:01:00Z 127 127.4 127 127.3 3000 '"vol_ratio20":2,"resistance":127.5'
	} >"$t/in.ndjson"
	run -0 rank-signals -e "${mc[@]}" "$t/in.ndjson"
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[2]}" == *'"id":"momentum/SPY/20110104T150100Z/long",'*'"tier":"break","score":65,'*'"trigger: breakout, close 127.3 above resistance 127.2"'* ]]
	# The same close under the level it set itself is no breakout.
	sed -n 2p "$t/in.ndjson" >"$t/one.ndjson"
	run rank-signals -e "${mc[@]}" "$t/one.ndjson"
	[ "$status" -eq 1 ]
}

@test "priority: a burst wins over a VWAP rejection on the same bar" {
	{
		vq 2011-01-04T15:00:55Z 0.7
		bar 2011-01-04T15:00:00Z 127 127.3 126.9 127.2 3000 '"vwap":127,"vol_ratio20":2'
	} >"$t/in.ndjson"
	run -0 rank-signals -e "${mc[@]}" "$t/in.ndjson"
	[[ "${lines[2]}" == *'"tier":"burst",'* ]]
}

@test "rate limits: nothing while a signal is active, and across runs with -j" {
	ind='"vwap":127,"vol_ratio20":2'
	{
		bar 2011-01-04T15:00:00Z 127 127.3 126.9 127.2 3000 "$ind"
		bar 2011-01-04T15:01:00Z 127 127.3 126.9 127.2 3000 "$ind"
		bar 2011-01-04T15:04:00Z 127 127.3 126.9 127.2 3000 "$ind"
		bar 2011-01-04T15:05:00Z 127 127.3 126.9 127.2 3000 "$ind"
	} >"$t/in.ndjson"
	run -0 rank-signals "${mc[@]}" "$t/in.ndjson"
	printf '%s\n' "${lines[@]}" | grep '"type":"signal"' | jq -r .bar_ts >"$t/ids"
	[ "$(tr '\n' ' ' <"$t/ids")" = "2011-01-04T15:00:00Z 2011-01-04T15:05:00Z " ]
	# Split into two runs over a journal: the same decisions.
	head -2 "$t/in.ndjson" >"$t/a.ndjson"
	tail -2 "$t/in.ndjson" >"$t/b.ndjson"
	run -0 rank-signals "${mc[@]}" -j "$jr" "$t/a.ndjson"
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '"type":"signal"')" -eq 1 ]
	run -0 sql "$jr" "SELECT key, state FROM stage_state WHERE stage = 'rank-signals'"
	[ "$output" = 'momentum/SPY|{"last":1294153260000,"sup":null,"res":null}' ]
	run -0 rank-signals "${mc[@]}" -j "$jr" "$t/b.ndjson"
	printf '%s\n' "${lines[@]}" | grep '"type":"signal"' | jq -r .bar_ts >"$t/ids2"
	[ "$(cat "$t/ids2")" = "2011-01-04T15:05:00Z" ]
	# Without the journal the second run forgets the first.
	run -0 rank-signals "${mc[@]}" "$t/b.ndjson"
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '"type":"signal"')" -eq 1 ]
	[[ "${lines[1]}" == *'"bar_ts":"2011-01-04T15:04:00Z"'* ]]
}

@test "the SPY replay: backtest journals momentum trades" {
	run -0 backtest "${mc[@]}" -s SPY -q -j "$t/bt.db" "$spy"
	run -0 sql "$t/bt.db" "SELECT count(*) > 10 FROM trades"
	[ "$output" = "1" ]
	run -0 sql "$t/bt.db" "SELECT DISTINCT tier FROM signals ORDER BY 1"
	[ "$(printf '%s ' "${lines[@]}")" = "break vwap " ]
	# No two signals of a symbol within 300 s.
	run -0 sql "$t/bt.db" "SELECT count(*) FROM signals a JOIN signals b ON a.symbol = b.symbol AND a.ts < b.ts AND (julianday(b.ts) - julianday(a.ts)) * 86400 < 299.5"
	[ "$output" = "0" ]
}
