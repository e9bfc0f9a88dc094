#!/usr/bin/env bats
# gate-risk: every signal becomes exactly one order or one reject, and a
# decision row in the journal; the entry window, position, kill-switch,
# daily and duplicate gates; the time gates (windows, calendar,
# blackouts) and the account gates (session loss, drawdown pause,
# cooldown, interval, loss streak, target); sizing (risk, Kelly,
# conviction, exchange minimums, leverage, margin caps); the quality
# gates, balance tiers, order rules, option cutoffs, PDT and buying
# power; pass-through.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	fx="$BATS_TEST_DIRNAME/fixtures/gate-risk"
	order15='{"type":"order","ts":"2011-01-04T15:01:00Z","symbol":"SPY","intent_id":"ema-cloud/SPY/20110104T150000Z/long/open","side":"buy","qty":100,"order_type":"market","expires":"2011-01-04T20:55:00Z","effect":"open","position_id":"ema-cloud/SPY/20110104T150000Z/long/open","signal_id":"ema-cloud/SPY/20110104T150000Z/long","strategy":"ema-cloud","reason":"entry"}'
}

# gate_of ID: the gate named by the reject of signal ID in $lines.
gate_of() {
	printf '%s\n' "${lines[@]}" | jq -r --arg id "$1" \
	    'select(.type == "reject" and .signal_id == $id) | .gate'
}

# verdicts: for each signal's order or reject in $lines, in order, "ok"
# or the refusing gate, on one line separated by blanks.
verdicts() {
	printf '%s\n' "${lines[@]}" | jq -r 'if .type == "reject" then .gate
	    elif .type == "order" and .signal_id != null then "ok"
	    else empty end' | paste -sd ' '
}

# trade ID IN_TS IN_PX OUT_TS OUT_PX: an order from upstream for 100
# shares bought at the open of the bar at IN_TS, and sold at OUT_TS.
trade() {
	printf '{"type":"order","ts":"%s","symbol":"SPY","intent_id":"%s/open","side":"buy","qty":100,"order_type":"market","effect":"open","position_id":"%s/open"}\n' \
	    "$2" "$1" "$1"
	bar "$2" "$3" "$3" "$3" "$3" 1000
	printf '{"type":"order","ts":"%s","symbol":"SPY","intent_id":"%s/close","side":"sell","qty":100,"order_type":"market","effect":"close","position_id":"%s/open"}\n' \
	    "$4" "$1" "$1"
	bar "$4" "$5" "$5" "$5" "$5" 1000
}

# scored BAR_TS PRICE SCORE [PROB]: a long signal with that score and,
# if given, a win probability.
scored() {
	signal "$1" long "$2" | jq -c --argjson s "$3" --argjson p "${4:-null}" \
	    '.score = $s | if $p == null then . else .prob = $p end'
}

# qtys: the quantity of each approved entry in $lines, blank-separated.
qtys() {
	printf '%s\n' "${lines[@]}" | jq -r \
	    'select(.type == "order" and .signal_id != null) | .qty' |
	    paste -sd ' '
}

# rejected: each refusal's gate, threshold and observed in the journal.
rejected() {
	sql "$jr" "SELECT gate, threshold, observed FROM decisions
	    WHERE verdict = 'rejected' ORDER BY id"
}

# profile TEXT: a profile in $t/p.conf, with room for ten positions,
# and the ideal fills the gates' prices are worked out with.
profile() {
	printf '[risk]\nmax_positions = 10\nmax_per_symbol = 10\n%s\n[paper]\nmodel = ideal\n' \
	    "$1" >"$t/p.conf"
}

@test "an approved signal becomes a sized day order, journaled with its reservation" {
	signal 2011-01-04T15:00:00Z >"$t/in.ndjson"
	run gate-risk -e "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$output" = "$order15" ]
	run -0 sql "$jr" "SELECT signal_id, verdict, gate IS NULL, intent_id FROM decisions"
	[ "$output" = "ema-cloud/SPY/20110104T150000Z/long|approved|1|ema-cloud/SPY/20110104T150000Z/long/open" ]
	run -0 sql "$jr" "SELECT id, side, price, bar_ts FROM signals"
	[ "$output" = "ema-cloud/SPY/20110104T150000Z/long|long|127.1|2011-01-04T15:00:00Z" ]
	# 100 shares at 127.10 reserved, in cents.
	run -0 sql "$jr" "SELECT intent_id, trade_date, cash_cents FROM reservations"
	[ "$output" = "ema-cloud/SPY/20110104T150000Z/long/open|2011-01-04|1271000" ]
}

@test "a short signal becomes a sell order" {
	signal 2011-01-04T15:00:00Z short >"$t/in.ndjson"
	run gate-risk "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[[ "$output" == '{"type":"order","ts":"2011-01-04T15:01:00Z","symbol":"SPY","intent_id":"ema-cloud/SPY/20110104T150000Z/short/open","side":"sell","qty":100,"order_type":"market",'* ]]
}

@test "entry window: signal bars 09:34 and 15:30 New York refused, 09:35 and 15:29 approved" {
	{
		signal 2011-01-04T14:34:00Z
		signal 2011-01-04T14:35:00Z
		signal 2011-01-04T20:29:00Z
		signal 2011-01-04T20:30:00Z
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$fx/wide.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = '{"type":"reject","ts":"2011-01-04T14:35:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T143400Z/long","strategy":"ema-cloud","gate":"entry_window","reason":"signal bar at 09:34 is outside the entry window 09:35-15:30","observed":574}' ]
	[[ "${lines[1]}" == '{"type":"order","ts":"2011-01-04T14:36:00Z","symbol":"SPY","intent_id":"ema-cloud/SPY/20110104T143500Z/long/open",'* ]]
	[[ "${lines[2]}" == '{"type":"order","ts":"2011-01-04T20:30:00Z","symbol":"SPY","intent_id":"ema-cloud/SPY/20110104T202900Z/long/open",'* ]]
	[ "${lines[3]}" = '{"type":"reject","ts":"2011-01-04T20:31:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T203000Z/long","strategy":"ema-cloud","gate":"entry_window","reason":"signal bar at 15:30 is outside the entry window 09:35-15:30","observed":930}' ]
	run -0 sql "$jr" "SELECT signal_id, verdict, COALESCE(gate, '-') FROM decisions ORDER BY signal_id"
	[ "${lines[0]}" = "ema-cloud/SPY/20110104T143400Z/long|rejected|entry_window" ]
	[ "${lines[1]}" = "ema-cloud/SPY/20110104T143500Z/long|approved|-" ]
	[ "${lines[2]}" = "ema-cloud/SPY/20110104T202900Z/long|approved|-" ]
	[ "${lines[3]}" = "ema-cloud/SPY/20110104T203000Z/long|rejected|entry_window" ]
}

@test "max_positions: a second signal while the first order is pending is refused" {
	{
		signal 2011-01-04T15:00:00Z
		signal 2011-01-04T15:10:00Z
	} >"$t/in.ndjson"
	run gate-risk "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$order15" ]
	[ "${lines[1]}" = '{"type":"reject","ts":"2011-01-04T15:11:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T151000Z/long","strategy":"ema-cloud","gate":"max_positions","reason":"1 positions open or pending (max 1)","threshold":1,"observed":1}' ]
}

@test "max_positions: a position opened in the journal counts in a later run" {
	signal 2011-01-04T15:00:00Z >"$t/in.ndjson"
	run -0 gate-risk "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$output" = "$order15" ]
	{
		printf '%s\n' "$output"
		bar 2011-01-04T15:01:00Z 127.05 127.2 126.9 127.1 1000
	} >"$t/orders.ndjson"
	run -0 place-order "${cfg[@]}" -j "$jr" "$t/orders.ndjson"
	run -0 sql "$jr" "SELECT status FROM positions"
	[ "$output" = "open" ]
	signal 2011-01-04T16:00:00Z >"$t/in2.ndjson"
	run gate-risk -e "${cfg[@]}" -j "$jr" "$t/in2.ndjson"
	[ "$status" -eq 1 ]
	[ "$(gate_of ema-cloud/SPY/20110104T160000Z/long)" = "max_positions" ]
}

@test "kill switch file present: every signal refused; gone: approved again" {
	printf '[risk]\nkill_switch = %s\n' "$t/STOP" >"$t/kill.conf"
	touch "$t/STOP"
	{
		signal 2011-01-04T15:00:00Z
		signal 2011-01-04T16:00:00Z short
		signal 2011-01-04T14:00:00Z
	} >"$t/in.ndjson"
	run gate-risk -e -c "$conf" -p "$t/kill.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "{\"type\":\"reject\",\"ts\":\"2011-01-04T15:01:00Z\",\"symbol\":\"SPY\",\"signal_id\":\"ema-cloud/SPY/20110104T150000Z/long\",\"strategy\":\"ema-cloud\",\"gate\":\"kill_switch\",\"reason\":\"kill switch $t/STOP is present\"}" ]
	[ "$(gate_of ema-cloud/SPY/20110104T160000Z/short)" = "kill_switch" ]
	[ "$(gate_of ema-cloud/SPY/20110104T140000Z/long)" = "kill_switch" ]
	run -0 sql "$jr" "SELECT COUNT(*), COUNT(DISTINCT signal_id) FROM decisions WHERE gate = 'kill_switch'"
	[ "$output" = "3|3" ]
	rm "$t/STOP"
	signal 2011-01-04T17:00:00Z >"$t/in2.ndjson"
	run gate-risk -e -c "$conf" -p "$t/kill.conf" -j "$jr" "$t/in2.ndjson"
	[ "$status" -eq 0 ]
	[[ "$output" == '{"type":"order",'*'"signal_id":"ema-cloud/SPY/20110104T170000Z/long"'* ]]
}

@test "max_trades_day: the second entry of a day is refused, in the run and in the next; a new day is not" {
	{
		signal 2011-01-04T15:00:00Z
		signal 2011-01-04T16:00:00Z
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$fx/one-a-day.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$order15" ]
	[ "${lines[1]}" = '{"type":"reject","ts":"2011-01-04T16:01:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T160000Z/long","strategy":"ema-cloud","gate":"max_trades_day","reason":"1 entries today (max 1)","threshold":1,"observed":1}' ]
	# A new process counts today's entries from the journal.
	{
		signal 2011-01-04T17:00:00Z
		signal 2011-01-05T15:00:00Z
	} >"$t/in2.ndjson"
	run gate-risk -c "$conf" -p "$fx/one-a-day.conf" -j "$jr" "$t/in2.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(gate_of ema-cloud/SPY/20110104T170000Z/long)" = "max_trades_day" ]
	[[ "${lines[1]}" == '{"type":"order","ts":"2011-01-05T15:01:00Z","symbol":"SPY","intent_id":"ema-cloud/SPY/20110105T150000Z/long/open",'* ]]
}

@test "position_size: a notional above the equity is refused" {
	signal 2011-01-04T15:00:00Z long 1000.01 >"$t/in.ndjson"
	run gate-risk -e "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = '{"type":"reject","ts":"2011-01-04T15:01:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T150000Z/long","strategy":"ema-cloud","gate":"position_size","reason":"notional 100001.00 exceeds 100000.00","threshold":100000,"observed":100001}' ]
	signal 2011-01-04T15:00:00Z long 1000 >"$t/in2.ndjson"
	run gate-risk -e "${cfg[@]}" -j "$t/other.db" "$t/in2.ndjson"
	[ "$status" -eq 0 ]
}

@test "daily_loss: after today's realised loss reaches the limit, entries are refused" {
	# A long bought at 127.05 and closed at 126.90: -15.00 today,
	# against a limit of 0.01 % of 100000 = -10.00.
	run -0 place-order --liquidate-at-end "${cfg[@]}" -j "$jr" \
	    "$fx/losing-long.ndjson"
	printf '[risk]\ndaily_loss_pct = 0.01\n' >"$t/loss.conf"
	signal 2011-01-04T15:00:00Z >"$t/in.ndjson"
	run gate-risk -e -c "$conf" -p "$t/loss.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[[ "$output" == '{"type":"reject",'*'"gate":"daily_loss","reason":"realised -15.00 today reached the daily loss limit -10.00","threshold":-10,'* ]]
	# The next day starts afresh.
	signal 2011-01-05T15:00:00Z >"$t/in2.ndjson"
	run gate-risk -e -c "$conf" -p "$t/loss.conf" -j "$jr" "$t/in2.ndjson"
	[ "$status" -eq 0 ]
}

@test "the same signal twice: the second is a duplicate, in one run and across runs" {
	signal 2011-01-04T15:00:00Z >"$t/one.ndjson"
	cat "$t/one.ndjson" "$t/one.ndjson" >"$t/twice.ndjson"
	dup='{"type":"reject","ts":"2011-01-04T15:01:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T150000Z/long","strategy":"ema-cloud","gate":"duplicate","reason":"signal already decided"}'
	run gate-risk "${cfg[@]}" -j "$jr" "$t/twice.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$order15" ]
	[ "${lines[1]}" = "$dup" ]
	run gate-risk -e "${cfg[@]}" -j "$jr" "$t/one.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$dup" ]
	# The first verdict stands, once.
	run -0 sql "$jr" "SELECT COUNT(*), verdict FROM decisions"
	[ "$output" = "1|approved" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM reservations"
	[ "$output" = "1" ]
}

@test "entry_windows: bars 09:44, 10:30, 12:59, 15:30 refused; 09:45, 10:29, 13:00, 15:29 approved" {
	for hm in 14:44 14:45 15:29 15:30 17:59 18:00 20:29 20:30; do
		signal "2011-01-04T$hm:00Z"
	done >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$fx/windows.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "entry_window ok ok entry_window entry_window ok ok entry_window" ]
	[ "${lines[3]}" = '{"type":"reject","ts":"2011-01-04T15:31:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T153000Z/long","strategy":"ema-cloud","gate":"entry_window","reason":"signal bar at 10:30 is outside the entry windows 09:45-10:30,13:00-15:30","observed":630}' ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM decisions WHERE gate = 'entry_window'"
	[ "$output" = "4" ]
}

@test "a bad entry_windows value exits 3 naming the file and line" {
	printf '[risk]\nentry_windows = 10:30-09:45\n' >"$t/w.conf"
	run --separate-stderr gate-risk -c "$conf" -p "$t/w.conf" -j "$jr" </dev/null
	[ "$status" -eq 3 ]
	[ "$stderr" = "gate-risk: $t/w.conf:2: bad value for 'entry_windows': window 10:30-09:45 does not end after it starts" ]
}

@test "open_delay and market_hours: entries from open_delay minutes after the calendar's open" {
	profile $'entry_start = 09:00\nopen_delay = 10'
	{
		signal 2011-01-04T14:28:00Z
		signal 2011-01-04T14:38:00Z
		signal 2011-01-04T14:39:00Z
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "market_hours open_delay ok" ]
	[ "${lines[0]}" = '{"type":"reject","ts":"2011-01-04T14:29:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T142800Z/long","strategy":"ema-cloud","gate":"market_hours","reason":"at 09:29 the session 09:30-16:00 is not open","threshold":570,"observed":569}' ]
	[ "${lines[1]}" = '{"type":"reject","ts":"2011-01-04T14:39:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T143800Z/long","strategy":"ema-cloud","gate":"open_delay","reason":"9 min after the open at 09:30, within open_delay 10","threshold":10,"observed":9}' ]
}

@test "market_closed and early_close: holidays, weekends and early closes from the market calendar" {
	{
		signal 2024-12-25T16:00:00Z
		signal 2024-12-28T16:00:00Z
		signal 2024-12-26T16:00:00Z
		signal 2024-11-29T17:29:00Z
		signal 2024-11-29T17:30:00Z
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$fx/wide.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "market_closed market_closed ok ok early_close" ]
	[ "${lines[0]}" = '{"type":"reject","ts":"2024-12-25T16:01:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20241225T160000Z/long","strategy":"ema-cloud","gate":"market_closed","reason":"no session on 2024-12-25: Christmas Day"}' ]
	[ "${lines[4]}" = '{"type":"reject","ts":"2024-11-29T17:31:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20241129T173000Z/long","strategy":"ema-cloud","gate":"early_close","reason":"signal bar at 12:30 is at or after 12:30: the session closes early at 13:00","threshold":750,"observed":750}' ]
	run -0 sql "$jr" "SELECT gate, threshold, observed FROM decisions WHERE verdict = 'rejected' ORDER BY id"
	[ "$output" = "$(printf '%s\n' 'market_closed||' 'market_closed||' 'early_close|750.0|750.0')" ]
}

@test "blackout: no entries from 30 minutes before an event to 30 minutes after" {
	profile "blackouts = $fx/events.csv"
	for hm in 18:28 18:29 19:28 19:29; do
		signal "2011-01-04T$hm:00Z"
	done >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok blackout blackout ok" ]
	[ "${lines[1]}" = '{"type":"reject","ts":"2011-01-04T18:30:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T182900Z/long","strategy":"ema-cloud","gate":"blackout","reason":"FOMC at 2011-01-04T19:00:00Z is 30 min ahead, within blackout_minutes 30","threshold":30,"observed":-30}' ]
	# The shipped list, relative to the profile that names it.
	mkdir "$t/share"
	cp "$top/share/calendar/events.csv" "$t/share/"
	printf '[risk]\nblackouts = share/events.csv\nblackout_minutes = 15\n' \
	    >"$t/fomc.conf"
	{
		signal 2024-12-18T18:43:00Z
		signal 2024-12-18T18:44:00Z
	} >"$t/in2.ndjson"
	run gate-risk -c "$conf" -p "$t/fomc.conf" -j "$t/j2.db" "$t/in2.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok blackout" ]
	[[ "${lines[1]}" == *'"reason":"FOMC at 2024-12-18T19:00:00Z is 15 min ahead, within blackout_minutes 15"'* ]]
}

@test "a blackouts file out of order exits 3 naming its line; a missing one exits 4" {
	profile "blackouts = $fx/bad-events.csv"
	run --separate-stderr gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" </dev/null
	[ "$status" -eq 3 ]
	[ "$stderr" = "gate-risk: $fx/bad-events.csv:4: 2011-01-04T13:30:00Z is before the row above; rows go in time order" ]
	profile "blackouts = $t/none.csv"
	run --separate-stderr gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" </dev/null
	[ "$status" -eq 4 ]
	[ "$stderr" = "gate-risk: $t/none.csv: No such file or directory" ]
}

@test "session all (crypto): no calendar, closed days and market hours do not apply" {
	printf '%s\n' '[market]' 'session = all' 'timezone = UTC' '[risk]' \
	    'entry_start = 00:00' 'entry_end = 23:59' 'open_delay = 60' \
	    'max_positions = 10' 'max_per_symbol = 10' '[exits]' \
	    'flat_by = 23:59' >"$t/crypto.conf"
	{
		signal 2024-12-25T00:00:00Z
		signal 2024-12-28T03:00:00Z
	} >"$t/in.ndjson"
	# No market calendar anywhere: it is not read.
	SCALPKIT_SHARE="$t/none" run gate-risk -c "$conf" -p "$t/crypto.conf" \
	    -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok ok" ]
	# An rth profile cannot decide without its calendar: it refuses to run.
	SCALPKIT_SHARE="$t/none" run gate-risk "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 4 ]
	[ "$output" = "gate-risk: $t/none/calendar/nyse.csv: No such file or directory" ]
}

@test "target_equity: at the target the profile approves nothing" {
	signal 2011-01-04T15:00:00Z >"$t/in.ndjson"
	profile 'target_equity = 100000'
	run gate-risk -e -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = '{"type":"reject","ts":"2011-01-04T15:01:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T150000Z/long","strategy":"ema-cloud","gate":"target_reached","reason":"equity 100000.00 reached the target 100000.00","threshold":100000,"observed":100000}' ]
	profile 'target_equity = 100000.01'
	run gate-risk -e -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$output" = "$order15" ]
}

@test "session_loss: a loss in the journal that reaches the session limit refuses entries" {
	# -15.00 at 09:36 New York, in the session.
	run -0 place-order --liquidate-at-end "${cfg[@]}" -j "$jr" \
	    "$fx/losing-long.ndjson"
	signal 2011-01-04T15:00:00Z >"$t/in.ndjson"
	profile 'session_loss_pct = 0.02'
	run gate-risk -e -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	signal 2011-01-04T15:10:00Z >"$t/in2.ndjson"
	profile 'session_loss_pct = 0.01'
	run gate-risk -e -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in2.ndjson"
	[ "$status" -eq 1 ]
	[[ "$output" == '{"type":"reject",'*'"gate":"session_loss","reason":"realised -15.00 this session reached the session loss limit -10.00","threshold":-10,'* ]]
}

@test "drawdown_pause: pause_minutes without entries once equity falls pause_drawdown_pct below the day's peak" {
	run -0 place-order --liquidate-at-end "${cfg[@]}" -j "$jr" \
	    "$fx/losing-long.ndjson"
	profile $'pause_drawdown_pct = 0.01\npause_minutes = 30'
	{
		signal 2011-01-04T15:04:00Z
		signal 2011-01-04T15:05:00Z
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "drawdown_pause ok" ]
	[[ "${lines[0]}" == *'"gate":"drawdown_pause","reason":"equity fell 0.015 % below the day'"'"'s peak (pause_drawdown_pct 0.01): no entries until 2011-01-04T15:06:00Z","threshold":0.01,'* ]]
}

@test "loss_cooldown: no entry within loss_cooldown minutes of a losing exit" {
	run -0 place-order --liquidate-at-end "${cfg[@]}" -j "$jr" \
	    "$fx/losing-long.ndjson"
	profile 'loss_cooldown = 5'
	{
		signal 2011-01-04T14:39:00Z
		signal 2011-01-04T14:40:00Z
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "loss_cooldown ok" ]
	[ "${lines[0]}" = '{"type":"reject","ts":"2011-01-04T14:40:00Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T143900Z/long","strategy":"ema-cloud","gate":"loss_cooldown","reason":"a losing trade closed 4 min ago, within loss_cooldown 5","threshold":5,"observed":4}' ]
}

@test "min_interval: 60 s between approved entries in one symbol, in a run and across runs" {
	profile 'min_interval = 60'
	{
		signal 2011-01-04T15:00:00Z
		signal 2011-01-04T15:00:59Z
		signal 2011-01-04T15:01:00Z
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok min_interval ok" ]
	[ "${lines[1]}" = '{"type":"reject","ts":"2011-01-04T15:01:59Z","symbol":"SPY","signal_id":"ema-cloud/SPY/20110104T150059Z/long","strategy":"ema-cloud","gate":"min_interval","reason":"59 s since the last entry approved in SPY, within min_interval 60","threshold":60,"observed":59}' ]
	signal 2011-01-04T15:01:30Z >"$t/in2.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in2.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "min_interval" ]
}

@test "loss_streak: after two losing trades in a row entries are loss_streak_size of qty; a win restores it" {
	profile $'loss_streak = 2\nloss_streak_size = 0.5'
	{
		trade a 2011-01-04T14:40:00Z 127 2011-01-04T14:45:00Z 126
		signal 2011-01-04T14:46:00Z
		trade b 2011-01-04T14:50:00Z 127 2011-01-04T14:55:00Z 126
		signal 2011-01-04T15:00:00Z
		trade c 2011-01-04T15:10:00Z 126 2011-01-04T15:15:00Z 127
		signal 2011-01-04T15:20:00Z
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok ok ok" ]
	[ "$(printf '%s\n' "${lines[@]}" | jq -r 'select(.type == "order" and .signal_id != null) | .qty' | paste -sd ' ')" = "100 50 100" ]
}

@test "sizing risk: risk_pct of equity lost at the stop; one unit risking more is refused" {
	profile $'sizing = risk\nrisk_pct = 2'
	{
		scored 2011-01-04T15:00:00Z 127.1 50
		scored 2011-01-04T15:01:00Z 100000 50
		scored 2011-01-04T15:02:00Z 100001 50
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	# 2000 at risk, 2.542 a share at the 2 % stop: 786 shares.
	[ "$(verdicts)" = "ok ok position_size" ]
	[ "$(qtys)" = "786 1" ]
	[[ "${lines[2]}" == *'"gate":"position_size","reason":"one unit risks more than the limit: 2000.02 at the stop, risk_pct 2 % of equity is 2000.00","threshold":2000,"observed":2000.02}' ]]
	run -0 rejected
	[ "$output" = "position_size|2000.0|2000.02" ]
}

@test "sizing kelly: p - (1 - p) / b of equity, capped; no prob or no edge is refused" {
	profile $'sizing = kelly\nkelly_cap_pct = 12'
	{
		scored 2011-01-04T15:00:00Z 127.1 50 0.55
		scored 2011-01-04T15:01:00Z 127.1 50 0.9
		scored 2011-01-04T15:02:00Z 127.1 50
		scored 2011-01-04T15:03:00Z 127.1 50 0.5
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	# b = 2 % / 2 % = 1: f = 0.1, then 0.8 capped at 0.12.
	[ "$(verdicts)" = "ok ok sizing kelly" ]
	[ "$(qtys)" = "78 94" ]
	[[ "${lines[2]}" == *'"gate":"sizing","reason":"no probability for Kelly"'* ]]
	run -0 rejected
	[ "$output" = "$(printf '%s\n' 'sizing||' 'kelly|0.0|0.0')" ]
}

@test "conviction: full size at 75, half from conviction_half, refused below it" {
	profile $'conviction_half = 50\nconviction_full = 75'
	{
		scored 2011-01-04T15:00:00Z 127.1 75
		scored 2011-01-04T15:01:00Z 127.1 74
		scored 2011-01-04T15:02:00Z 127.1 50
		scored 2011-01-04T15:03:00Z 127.1 49
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok ok ok conviction" ]
	[ "$(qtys)" = "100 50 50" ]
	run -0 rejected
	[ "$output" = "conviction|50.0|49.0" ]
}

@test "exchange_min: lot steps round down; under min_qty or min_notional is refused" {
	profile $'qty_step = 0.01\nmin_notional = 5\n[strategy]\nqty = 0.039'
	{
		scored 2011-01-04T15:00:00Z 200 50
		scored 2011-01-04T15:01:00Z 127.1 50
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	# 0.039 is 0.03 in lots: 6.00 at 200, 3.81 at 127.10.
	[ "$(verdicts)" = "ok exchange_min" ]
	[ "$(qtys)" = "0.03" ]
	[[ "${lines[1]}" == *'"reason":"notional 3.81 is under min_notional 5.00"'* ]]
	profile $'min_qty = 101'
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "exchange_min exchange_min" ]
	run -0 sql "$t/j2.db" "SELECT DISTINCT gate, threshold, observed FROM decisions"
	[ "$output" = "exchange_min|101.0|100.0" ]
}

@test "leverage: notional over max_leverage times equity is refused" {
	profile $'max_leverage = 0.5'
	{
		scored 2011-01-04T15:00:00Z 500 50
		scored 2011-01-04T15:01:00Z 500.01 50
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok leverage" ]
	run -0 rejected
	[ "$output" = "leverage|0.5|0.50001" ]
}

# quote TS BID ASK: a quote of SPY.
quote() {
	printf '{"type":"quote","ts":"%s","symbol":"SPY","bid":%s,"ask":%s}\n' \
	    "$1" "$2" "$3"
}

@test "quality: spread and quote age from the quotes in the stream; no quote refuses" {
	profile $'max_spread_pct = 0.5\nquote_max_age = 5'
	{
		signal 2011-01-04T15:00:00Z long 100
		quote 2011-01-04T15:01:55Z 99.75 100.25
		signal 2011-01-04T15:01:00Z long 100
		quote 2011-01-04T15:02:54Z 99.75 100.25
		signal 2011-01-04T15:02:00Z long 100
		quote 2011-01-04T15:04:00Z 99.5 100.5
		signal 2011-01-04T15:03:00Z long 100
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "quote_age ok quote_age spread" ]
	run -0 rejected
	[ "${lines[1]}" = "quote_age|5.0|6.0" ]
	[ "${lines[2]}" = "spread|0.5|1.0" ]
	# Quotes pass through untouched.
	run -0 gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '"type":"quote"')" -eq 3 ]
}

@test "quality: volume, ATR and session range of the signal's bar; IV percentile window" {
	profile $'min_volume = 1000\nmin_atr_pct = 0.2\nmin_range_pct = 1\niv_pct_min = 20\niv_pct_max = 95'
	{
		bar 2011-01-04T15:00:00Z 100 100 100 100 1000 '"atr":0.2,"sess_high":101,"sess_low":100,"iv_pct":20'
		signal 2011-01-04T15:00:00Z long 100
		bar 2011-01-04T15:01:00Z 100 100 100 100 999 '"atr":0.2,"sess_high":101,"sess_low":100,"iv_pct":20'
		signal 2011-01-04T15:01:00Z long 100
		bar 2011-01-04T15:02:00Z 100 100 100 100 1000 '"atr":0.19,"sess_high":101,"sess_low":100,"iv_pct":20'
		signal 2011-01-04T15:02:00Z long 100
		bar 2011-01-04T15:03:00Z 100 100 100 100 1000 '"atr":0.2,"sess_high":100.99,"sess_low":100,"iv_pct":20'
		signal 2011-01-04T15:03:00Z long 100
		bar 2011-01-04T15:04:00Z 100 100 100 100 1000 '"atr":0.2,"sess_high":101,"sess_low":100,"iv_pct":95.5'
		signal 2011-01-04T15:04:00Z long 100
		# IV percentile holds until a record brings a new one; a bar
		# without an ATR has none.
		bar 2011-01-04T15:05:00Z 100 100 100 100 1000
		signal 2011-01-04T15:05:00Z long 100
		bar 2011-01-04T15:06:00Z 100 100 100 100 1000 '"iv_pct":50'
		signal 2011-01-04T15:06:00Z long 100
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok liquidity atr range iv_percentile iv_percentile atr" ]
}

@test "tiers: B refused while an A position is open; per-tier values by balance, named in the reason" {
	profile $'tier_bounds = 50000, 200000\ntier_b_tier = 1, 0, 1\n'
	{
		signal 2011-01-04T15:00:00Z long 100
		signal 2011-01-04T15:01:00Z long 100 | jq -c '.tier = "B"'
	} >"$t/in.ndjson"
	# 100000 is the middle tier: B does not trade there.
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok b_tier" ]
	[[ "${lines[1]}" == *'tier-B signals do not trade in this balance tier (balance tier 2 of 3)'* ]]
	# In a tier that allows B, the open A still blocks it.
	profile $'tier_bounds = 50000, 200000\ntier_b_tier = 1, 1, 1\n'
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$(verdicts)" = "ok b_tier" ]
	[[ "${lines[1]}" == *'a tier-A position is open or pending in SPY'* ]]
	profile $'b_while_a = yes'
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j3.db" "$t/in.ndjson"
	[ "$(verdicts)" = "ok ok" ]
}

@test "fee protection and the EV guard: profit at target against k x round-trip fees; p from the signal" {
	# 100 shares at 100, 2 % target: 200 of profit; 40 a side is 80.
	profile $'fee_k = 2.5\n[broker]\nfee_per_order = 40'
	{
		signal 2011-01-04T15:00:00Z long 100
		signal 2011-01-04T15:01:00Z long 99.99
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(verdicts)" = "ok fee_protection" ]
	run -0 rejected
	[ "$output" = "fee_protection|200.0|199.98" ]
	profile $'ev_guard = yes\nev_min = 10\n[broker]\nfee_per_order = 40'
	{
		scored 2011-01-04T15:00:00Z 100 50 0.75
		scored 2011-01-04T15:01:00Z 100 50 0.74
		scored 2011-01-04T15:02:00Z 100 50
	} >"$t/in.ndjson"
	# 0.75 x 200 - 0.25 x 200 - 80 = 20; at 0.74 it is 16.
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$(verdicts)" = "ok ok ev" ]
	profile $'ev_guard = yes\nev_min = 16.5\n[broker]\nfee_per_order = 40'
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j3.db" "$t/in.ndjson"
	[ "$(verdicts)" = "ok ev ev" ]
}

@test "no averaging: an entry adding to a losing position in the symbol is refused" {
	profile ''
	{
		signal 2011-01-04T15:00:00Z long 100
		bar 2011-01-04T15:01:00Z 100 100 100 100 1000
		signal 2011-01-04T15:01:00Z long 100.5
		signal 2011-01-04T15:02:00Z long 99.5
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(verdicts)" = "ok ok averaging" ]
	run -0 rejected
	[ "$output" = "averaging|100.0|99.5" ]
}

@test "buying power and the legacy PDT rule in a margin account" {
	# 1.5 x 100000: the second 100 x 1000 is over it.
	profile $'max_position_pct = 400\n[account]\nbuying_power = 1.5'
	{
		bar 2011-01-04T15:00:00Z 1000 1000 1000 1000 1000
		signal 2011-01-04T15:00:00Z long 1000
		signal 2011-01-04T15:01:00Z long 1000
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(verdicts)" = "ok buying_power" ]
	run -0 rejected
	[ "$output" = "buying_power|150000.0|200000.0" ]
	# PDT: three day trades in the window, equity under 200000.
	profile $'[account]\npdt = yes\npdt_equity = 200000'
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j2.db" /dev/null
	for d in 2010-12-30 2010-12-31 2011-01-03; do
		sql "$t/j2.db" "INSERT INTO positions (id, symbol, side, qty,
		    entry_ts, entry_date, entry_price, status, exit_ts,
		    exit_date, exit_price, pnl, fees) VALUES ('$d', 'SPY',
		    'long', 1, '${d}T15:00:00Z', '$d', 1, 'closed',
		    '${d}T16:00:00Z', '$d', 1, 0, 0)"
	done
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$t/j2.db" "$t/in.ndjson"
	[ "$(verdicts)" = "pdt pdt" ]
	[[ "${lines[1]}" == *'3 day trades in 5 business days with equity 100000.00 under 200000.00 (pdt_max 3)'* ]]
}

@test "options: expired contracts, the 0DTE and 1DTE cutoffs; open interest from the quote" {
	profile $'entry_end = 15:50\nmin_open_interest = 500'
	occ() { # BAR_TS SYMBOL OI: a quote with open interest, then a signal
		printf '{"type":"quote","ts":"%s","symbol":"%s","bid":1,"ask":1.02,"ind":{"oi":%s}}\n' "$1" "$2" "$3"
		signal "$1" long 1 | jq -c --arg s "$2" '.symbol = $s | .id += $s'
	}
	{
		occ 2011-01-04T18:59:00Z SPY110104C00127000 500
		occ 2011-01-04T19:00:00Z SPY110104C00127000 500
		occ 2011-01-04T20:29:00Z SPY110105P00127000 500
		occ 2011-01-04T20:30:00Z SPY110105P00127000 500
		occ 2011-01-04T15:00:00Z SPY110103C00127000 500
		occ 2011-01-04T15:01:00Z SPY110107C00127000 499
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "$(verdicts)" = "ok cutoff_0dte ok cutoff_1dte expired liquidity" ]
	run -0 rejected
	[ "${lines[0]}" = "cutoff_0dte|840.0|840.0" ]
	[ "${lines[1]}" = "cutoff_1dte|930.0|930.0" ]
}

@test "margin_cap: a tier-A entry uses at most margin_a_pct of equity; under one unit is refused" {
	# 1 % of 100000 at leverage 1: 1000 of notional.
	profile $'margin_a_pct = 1'
	{
		signal 2011-01-04T15:00:00Z long 20
		signal 2011-01-04T15:01:00Z long 1000
		signal 2011-01-04T15:02:00Z long 1000.01
	} >"$t/in.ndjson"
	run gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(verdicts)" = "ok ok margin_cap" ]
	[ "$(qtys)" = "50 1" ]
	run -0 rejected
	[ "$output" = "margin_cap|1000.0|1000.01" ]
}

@test "every signal yields exactly one order or reject and one decision row" {
	fetch-quotes "${cfg[@]}" -s SPY --source "replay:$spy" >"$t/bars.ndjson"
	calc-indicators "${cfg[@]}" "$t/bars.ndjson" >"$t/ind.ndjson"
	rank-signals "${cfg[@]}" "$t/ind.ndjson" >"$t/sig.ndjson"
	grep '"type":"signal"' "$t/sig.ndjson" | jq -r .id >"$t/ids"
	[ "$(wc -l <"$t/ids")" -eq 11 ]
	run --separate-stderr gate-risk -v "${cfg[@]}" -j "$jr" "$t/sig.ndjson"
	[ "$status" -eq 0 ]
	[ "$stderr" = "gate-risk: 1961 read, 1961 written, 1 approved" ]
	printf '%s\n' "${lines[@]}" >"$t/out.ndjson"
	# Bars pass through unchanged and in order.
	grep '"type":"bar"' "$t/out.ndjson" | cmp - "$t/ind.ndjson"
	# One verdict per signal, in the order of the signals.
	jq -r 'select(.type == "order" or .type == "reject") | .signal_id' \
	    "$t/out.ndjson" >"$t/verdicts"
	cmp "$t/verdicts" "$t/ids"
	run -0 sql "$jr" "SELECT signal_id FROM decisions ORDER BY id"
	[ "$output" = "$(cat "$t/ids")" ]
	run -0 sql "$jr" "SELECT verdict, COALESCE(gate, '-'), COUNT(*) FROM decisions GROUP BY 1, 2 ORDER BY 1, 2"
	[ "$output" = "$(printf '%s\n' 'approved|-|1' 'rejected|entry_window|4' 'rejected|max_positions|6')" ]
}

@test "unknown types and fields pass through byte for byte" {
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":"bar","symbol":"SPY", "ts":"2011-01-04T15:00:00Z","o":127.10,"h":127.2,"l":126.9,"c":127.1,"v":1000,"zz":{"a":[true]}}'
		printf '%s,"extra":[1]}\n' "${order15%\}}"
		printf '%s\n' '{"type":"fill","whatever":1}'
	} >"$t/in.ndjson"
	run gate-risk -e "${cfg[@]}" -j "$jr" <"$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/in.ndjson")" ]
}

@test "malformed line exits 3 and names the line" {
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":"signal",'
	} >"$t/bad.ndjson"
	run --separate-stderr gate-risk "${cfg[@]}" -j "$jr" <"$t/bad.ndjson"
	[ "$status" -eq 3 ]
	[ "$output" = "$note" ]
	[ "$stderr" = "gate-risk: <stdin>:2: not valid JSON" ]
	signal 2011-01-04T15:00:00Z | sed 's/"id":"[^"]*",//' >"$t/noid.ndjson"
	run --separate-stderr gate-risk "${cfg[@]}" -j "$jr" <"$t/noid.ndjson"
	[ "$status" -eq 3 ]
	[ "$stderr" = "gate-risk: <stdin>:1: signal: missing 'id'" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM decisions"
	[ "$output" = "0" ]
}

@test "write error exits 4" {
	signal 2011-01-04T15:00:00Z >"$t/in.ndjson"
	run sh -c 'gate-risk -c "$1" -p ema-cloud -j "$2" "$3" >/dev/full' _ \
	    "$conf" "$jr" "$t/in.ndjson"
	[ "$status" -eq 4 ]
	[[ "$output" == "gate-risk: "* ]]
}

@test "bad option or operand exits 2" {
	run gate-risk -x "${cfg[@]}" -j "$jr" </dev/null
	[ "$status" -eq 2 ]
	[[ "${lines[${#lines[@]}-1]}" == "usage: gate-risk "* ]]
	run gate-risk "${cfg[@]}" -j </dev/null
	[ "$status" -eq 2 ]
}

@test "--help and --version" {
	run --separate-stderr gate-risk --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" == "usage: gate-risk "* ]]
	run gate-risk --version
	[ "$status" -eq 0 ]
	[ "$output" = "gate-risk 0.1.0" ]
}
