#!/usr/bin/env bats
# watch-exits: exits of a position open in the journal.  Stop and target
# inside a bar (the stop first) and flat-by time go out before the bar,
# so the broker fills them on it; the opposite cloud flip after it, to
# fill at the next open.  Then one scripted price path per exit reason
# (ATR stop and target, time, trail, zone trailing, tp_extend,
# exhaustion, adverse_candle, spread), each replayed through
# place-order to check the exit price and reason; flat-by switched off;
# the add-on signal; state kept across runs.  Pass-through.

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

# The scripted paths.  A long of 100 SPY bought at 127.05, the open of
# the 14:36Z bar; the bar before has ATR 0.5.  Each path is fed to
# watch-exits with a profile of its own and what watch-exits writes to
# place-order, whose journal then holds the trade: exit time, price and
# reason.

# profile LINE...: a profile file of these lines, for watch-exits and
# place-order (pc), with the ideal fill model (fills at a bar's open and
# at touch, as the reference strategy's), so that the prices are exact.
profile() {
	printf '%s\n' "$@" '[paper]' 'model = ideal' >"$t/p.conf"
	pc=(-c "$conf" -p "$t/p.conf")
}

# start [IND]: the ATR bar, the long's entry and its bar (ind IND).
start() {
	bar 2011-01-04T14:35:00Z 127 127.1 126.9 127.05 1000 '"atr14":0.5'
	sed -n 1p "$fx/long.ndjson"
	bar 2011-01-04T14:36:00Z 127.05 127.2 126.9 127.1 1000 ${1:+"$1"}
}

# quote TS BID ASK [IND]: a SPY quote.
quote() {
	local ind=""

	[ $# -lt 4 ] || ind=",\"ind\":{$4}"
	printf '{"type":"quote","ts":"%s","symbol":"SPY","bid":%s,"ask":%s%s}\n' \
	    "$1" "$2" "$3" "$ind"
}

# replay FILE: watch-exits over FILE, then place-order over its output.
# Sets out (what watch-exits wrote), exits (its exit orders and
# signals) and trade (the journal's trade line, if any).
replay() {
	run -0 watch-exits "${pc[@]}" -j "$jr" "$1"
	out=("${lines[@]}")
	printf '%s\n' "${lines[@]}" >"$t/out.ndjson"
	exits=$(grep -E '"effect":"close"|"type":"signal"' "$t/out.ndjson" ||
	    true)
	run -0 place-order "${pc[@]}" -j "$jr" "$t/out.ndjson"
	run -0 journal -j "$jr" trades
	trade=${lines[1]:-}
}

@test "ATR stop: 2 ATRs under the entry, at 126.05; a cent above is not it" {
	profile '[exits]' 'stop_atr = 2' 'target_atr = 1' 'cloud_flip = no'
	{
		start
		bar 2011-01-04T14:37:00Z 127.1 127.54 126.06 127.2 1000
		bar 2011-01-04T14:38:00Z 127.2 127.3 126.05 126.5 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:38:00Z stop '"stop":126.05,' stop)" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:38:00Z,126.050000,sl,-100.0000" ]
}

@test "ATR target: 1 ATR over the entry, at 127.55" {
	profile '[exits]' 'stop_atr = 2' 'target_atr = 1' 'cloud_flip = no'
	{
		start
		bar 2011-01-04T14:37:00Z 127.1 127.54 126.5 127.2 1000
		bar 2011-01-04T14:38:00Z 127.2 127.55 127.1 127.5 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:38:00Z limit '"limit":127.55,' target)" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:38:00Z,127.550000,tp,50.0000" ]
}

@test "time: held 3 minutes at the 14:38 close, out at the 14:39 open" {
	profile '[exits]' 'max_hold = 3' 'cloud_flip = no'
	{
		start
		bar 2011-01-04T14:37:00Z 127.1 127.2 127 127.1 1000
		bar 2011-01-04T14:38:00Z 127.1 127.2 127 127.2 1000
		bar 2011-01-04T14:39:00Z 127.3 127.4 127.2 127.3 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:39:00Z market '' time)" ]
	# Written after the 14:38 bar, not after the 14:37 one.
	[ "${out[4]}" = "$(sed -n 5p "$t/in.ndjson")" ]
	[ "${out[5]}" = "$exits" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:39:00Z,127.300000,time,25.0000" ]
}

@test "flat_by_exit and session_exit off: no eod exit; turbo has them off" {
	open_long
	{
		bar 2011-01-04T20:55:00Z 127 127.1 126.9 127 1000
		bar 2011-01-05T14:30:00Z 127 127.1 126.9 127 1000
	} >"$t/in.ndjson"
	profile '[exits]' 'flat_by_exit = no' 'session_exit = no'
	run watch-exits -e "${pc[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
	# Only the new session: the next day's first bar.
	profile '[exits]' 'flat_by_exit = no'
	run -0 watch-exits "${pc[@]}" -j "$jr" "$t/in.ndjson"
	[ "${lines[1]}" = "$(exit_order 2011-01-05T14:30:00Z market '' eod)" ]
	{
		bar 2011-01-04T15:55:00Z 127 127.1 126.9 127 1000
		bar 2011-01-05T00:00:00Z 127 127.1 126.9 127 1000
	} >"$t/utc.ndjson"
	run watch-exits -e -c "$conf" -p "$top/etc/profiles/turbo.conf" \
	    -j "$jr" "$t/utc.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/utc.ndjson")" ]
}

@test "trail: +0.5R at 127.8 moves the stop to 127.3, kept for the next run" {
	profile '[exits]' 'stop_atr = 2' 'target_atr = 10' 'trail = yes' \
	    'cloud_flip = no'
	# R is 1 (the stop 2 ATRs away): 127.54 is not +0.5R.
	{
		start
		bar 2011-01-04T14:37:00Z 127.1 127.54 127 127.3 1000
		bar 2011-01-04T14:38:00Z 127.3 127.8 127.25 127.7 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ -z "$exits" ]
	run -0 sql "$jr" "SELECT json_extract(state, '\$.pos[0].sl'), json_extract(state, '\$.pos[0].sl_why') FROM stage_state WHERE stage = 'watch-exits' AND key = 'SPY'"
	[ "$output" = "127.3|trail" ]
	# A new run reads the moved stop from the journal.
	bar 2011-01-04T14:39:00Z 127.7 127.75 127.3 127.4 1000 >"$t/in2.ndjson"
	replay "$t/in2.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:39:00Z stop '"stop":127.3,' trail)" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:39:00Z,127.300000,trail,25.0000" ]
	# The position is gone, and so is its state.
	run -0 sql "$jr" "SELECT json_array_length(state, '\$.pos') FROM stage_state WHERE stage = 'watch-exits' AND key = 'SPY'"
	[ "$output" = "0" ]
}

@test "zone trailing: half way to the target, the stop to breakeven plus fees" {
	# Target 127.55; half way is 127.30.  Fees 6.25 an order: 0.125 a
	# share both ways, so breakeven plus fees is 127.175.
	profile '[exits]' 'stop_atr = 2' 'target_atr = 1' 'zone_trail = yes' \
	    'cloud_flip = no' '[broker]' 'fee_per_order = 6.25'
	{
		start
		bar 2011-01-04T14:37:00Z 127.1 127.35 127.1 127.2 1000
		bar 2011-01-04T14:38:00Z 127.2 127.25 127.1 127.15 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:38:00Z stop '"stop":127.175,' trail)" ]
	[[ "$trade" == "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:38:00Z,127.175000,trail,"* ]]
}

@test "tp_extend: flow agrees at the target, it moves on; then exits there" {
	# Target 127.55 (1 ATR).  The flow as of 14:37 (the 14:36:30 quote)
	# agrees: the target moves on by half of 0.5 to 127.8, and the stop
	# locks half the move, 127.3.  As of 14:38 (the 14:37:30 quote) the
	# order flow has turned: the extended target is an exit.
	profile '[exits]' 'stop_atr = 2' 'target_atr = 1' 'zone_trail = yes' \
	    'tp_extend = yes' 'cloud_flip = no'
	{
		bar 2011-01-04T14:35:00Z 127 127.1 126.9 127.05 1000 '"atr14":0.5'
		sed -n 1p "$fx/long.ndjson"
		quote 2011-01-04T14:36:30Z 127.1 127.125 '"ofi":40,"accel":0.1'
		bar 2011-01-04T14:36:00Z 127.05 127.2 126.9 127.1 1000
		quote 2011-01-04T14:37:30Z 127.5 127.525 '"ofi":-5,"accel":0.1'
		bar 2011-01-04T14:37:00Z 127.1 127.6 127.1 127.5 1000
		bar 2011-01-04T14:38:00Z 127.5 127.85 127.4 127.8 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:38:00Z limit '"limit":127.8,' tp_extend)" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:38:00Z,127.800000,tp_extend,75.0000" ]
}

@test "tp_extend: the locked stop after an extension is a trail exit" {
	profile '[exits]' 'stop_atr = 2' 'target_atr = 1' 'zone_trail = yes' \
	    'tp_extend = yes' 'cloud_flip = no'
	{
		bar 2011-01-04T14:35:00Z 127 127.1 126.9 127.05 1000 '"atr14":0.5'
		sed -n 1p "$fx/long.ndjson"
		quote 2011-01-04T14:36:30Z 127.1 127.125 '"ofi":40,"accel":0.1'
		bar 2011-01-04T14:36:00Z 127.05 127.2 126.9 127.1 1000
		bar 2011-01-04T14:37:00Z 127.1 127.6 127.1 127.5 1000
		bar 2011-01-04T14:38:00Z 127.5 127.6 127.2 127.25 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:38:00Z stop '"stop":127.3,' trail)" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:38:00Z,127.300000,trail,25.0000" ]
}

@test "exhaustion: 3 green candles clear of the fast cloud; a touch restarts" {
	profile '[exits]' 'exhaustion = 3' 'cloud_flip = no'
	{
		start '"ema5":126.8,"ema12":126.7'
		# The low on the cloud's top: it touches, the count restarts.
		bar 2011-01-04T14:37:00Z 127.1 127.3 127 127.25 1000 '"ema5":127,"ema12":126.9'
		bar 2011-01-04T14:38:00Z 127.25 127.4 127.1 127.35 1000 '"ema5":127.05,"ema12":126.95'
		bar 2011-01-04T14:39:00Z 127.35 127.5 127.2 127.45 1000 '"ema5":127.1,"ema12":127'
		bar 2011-01-04T14:40:00Z 127.45 127.6 127.3 127.55 1000 '"ema5":127.2,"ema12":127.1'
		bar 2011-01-04T14:41:00Z 127.5 127.6 127.4 127.5 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:41:00Z market '' exhaustion)" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:41:00Z,127.500000,exhaustion,45.0000" ]
}

@test "adverse_candle: a red body over 1.5 ATR, out at the next open, a 15-minute lock" {
	profile '[exits]' 'adverse_atr = 1.5' 'adverse_lock = 15' \
	    'cloud_flip = no'
	# 1.5 x 0.5 = 0.75: a body of 0.75 is not more than it, 0.875 is.
	{
		start
		bar 2011-01-04T14:37:00Z 127.5 127.6 126.7 126.75 1000 '"atr14":0.5'
		bar 2011-01-04T14:38:00Z 126.875 126.9 125.9 126 1000 '"atr14":0.5'
		bar 2011-01-04T14:39:00Z 126.1 126.2 126 126.1 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:39:00Z market '' adverse_candle)" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:39:00Z,126.100000,adverse_candle,-95.0000" ]
	run -0 sql "$jr" "SELECT state FROM stage_state WHERE stage = 'lock' AND key = 'SPY'"
	[ "$output" = '{"until":"2011-01-04T14:54:00Z","reason":"adverse_candle","position_id":"ema-cloud/SPY/20110104T143500Z/long/open","ts":"2011-01-04T14:39:00Z"}' ]
}

@test "spread: twice the entry spread is not beyond it; more is an exit on the quote" {
	profile '[exits]' 'spread_mult = 2' 'cloud_flip = no'
	{
		quote 2011-01-04T14:35:50Z 127 127.125
		bar 2011-01-04T14:35:00Z 127 127.1 126.9 127.05 1000
		sed -n 1p "$fx/long.ndjson"
		bar 2011-01-04T14:36:00Z 127.05 127.2 126.9 127.1 1000
		quote 2011-01-04T14:37:10Z 127 127.25
		quote 2011-01-04T14:37:20Z 127 127.375
		bar 2011-01-04T14:37:00Z 127.1 127.2 127 127.1 1000
		bar 2011-01-04T14:38:00Z 127.2 127.3 127.1 127.2 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:37:20Z market '' spread)" ]
	[ "${out[6]}" = "$exits" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:38:00Z,127.200000,spread,15.0000" ]
}

@test "spread tighten: stop and target move in by the widening, from the next bar" {
	# Widened by 0.25: the stop 126.05 -> 126.3, the target 127.55 ->
	# 127.3.  The 14:37 bar reaches 127.35, but that is the bar of the
	# widening: the tighter target counts from 14:38.
	profile '[exits]' 'stop_atr = 2' 'target_atr = 1' 'spread_mult = 2' \
	    'spread_action = tighten' 'cloud_flip = no'
	{
		quote 2011-01-04T14:35:50Z 127 127.125
		bar 2011-01-04T14:35:00Z 127 127.1 126.9 127.05 1000 '"atr14":0.5'
		sed -n 1p "$fx/long.ndjson"
		bar 2011-01-04T14:36:00Z 127.05 127.2 126.9 127.1 1000
		quote 2011-01-04T14:37:20Z 127 127.375
		bar 2011-01-04T14:37:00Z 127.1 127.35 127 127.1 1000
		bar 2011-01-04T14:38:00Z 127.2 127.3 127.1 127.2 1000
	} >"$t/in.ndjson"
	replay "$t/in.ndjson"
	[ "$exits" = "$(exit_order 2011-01-04T14:38:00Z limit '"limit":127.3,' spread)" ]
	[ "$trade" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:38:00Z,127.300000,spread,25.0000" ]
}

@test "add_on: the first candle tests the cloud and bounces: a signal, not an order" {
	profile '[exits]' 'add_on = yes' 'cloud_flip = no'
	{
		start '"ema5":127,"ema12":126.95'
		bar 2011-01-04T14:37:00Z 127.1 127.2 126.9 127.1 1000 '"ema5":127,"ema12":126.95'
	} >"$t/in.ndjson"
	run watch-exits -e "${pc[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[3]}" = '{"type":"signal","ts":"2011-01-04T14:37:00Z","symbol":"SPY","id":"ema-cloud/SPY/20110104T143500Z/long/open/add-on","strategy":"ema-cloud","side":"long","price":127.1,"bar_ts":"2011-01-04T14:36:00Z","reasons":["add-on","first candle tested the ema5/12 cloud and bounced","adds to position ema-cloud/SPY/20110104T143500Z/long/open"]}' ]
	[ -z "$(grep '"effect":"close"' <<<"$output")" ]
	# gate-risk downstream decides it.
	printf '%s\n' "${lines[3]}" >"$t/sig.ndjson"
	run -0 gate-risk "${pc[@]}" -j "$jr" "$t/sig.ndjson"
	[[ "$output" == *'"signal_id":"ema-cloud/SPY/20110104T143500Z/long/open/add-on"'* ]]
}

@test "unknown types and fields pass through byte for byte" {
	open_long
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":"quote","symbol":"SPY", "ts":"2011-01-04T15:00:30Z","bid":127.10,"ask":127.12,"ind":{"ofi":1},"zz":[1]}'
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
	# Quotes are read too (the spread rule and marks).
	printf '%s\n' '{"type":"quote","symbol":"SPY","ts":"2011-01-04T15:00:00Z","ask":1}' >"$t/q.ndjson"
	run --separate-stderr watch-exits "${cfg[@]}" -j "$jr" <"$t/q.ndjson"
	[ "$status" -eq 3 ]
	[[ "$stderr" == "watch-exits: <stdin>:1: "* ]]
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
