#!/usr/bin/env bats
# place-order: the intent is journaled before the paper broker hears of
# it; fills at the next bar's open, replays answered "duplicate" and never
# filled twice, expiry, refusals, --liquidate-at-end, pass-through.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	fx="$BATS_TEST_DIRNAME/fixtures/place-order"
	id="ema-cloud/SPY/20110104T143500Z/long/open"
	coid="sk-85314bbb8279496a"
	# gate-risk's order for the signal on the 09:35 bar (14:35Z).
	order="$(cat "$fx/order.ndjson")"
	next=$(bar 2011-01-04T14:36:00Z 127.05 127.2 126.9 127.1 1000)
	accepted="{\"type\":\"ack\",\"ts\":\"2011-01-04T14:36:00Z\",\"symbol\":\"SPY\",\"intent_id\":\"$id\",\"client_order_id\":\"$coid\",\"broker_order_id\":\"$coid\",\"status\":\"accepted\"}"
	filled="{\"type\":\"fill\",\"ts\":\"2011-01-04T14:36:00Z\",\"symbol\":\"SPY\",\"intent_id\":\"$id\",\"client_order_id\":\"$coid\",\"side\":\"buy\",\"qty\":100,\"price\":127.05,\"requested\":127.05,\"fee\":0,\"effect\":\"open\",\"position_id\":\"$id\",\"strategy\":\"ema-cloud\",\"reason\":\"entry\"}"
	printf '%s\n%s\n' "$order" "$next" >"$t/in.ndjson"
}

@test "an order, then the next bar: ack accepted, then a fill at that bar's open" {
	run place-order -e "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "$accepted" ]
	[ "${lines[1]}" = "$filled" ]
	[ "${lines[2]}" = "$next" ]
	run -0 sql "$jr" "SELECT status, client_order_id, broker FROM orders"
	[ "$output" = "filled|$coid|paper" ]
	run -0 sql "$jr" "SELECT ts, side, qty, price, effect FROM fills"
	[ "$output" = "2011-01-04T14:36:00Z|buy|100.0|127.05|open" ]
	run -0 sql "$jr" "SELECT id, side, entry_ts, entry_price, status FROM positions"
	[ "$output" = "$id|long|2011-01-04T14:36:00Z|127.05|open" ]
	# The opening cash from config, then 100 x 127.05 paid, settling
	# T+1 (Wednesday).
	run -0 sql "$jr" "SELECT kind, amount_cents, trade_date, settle_date FROM cash_ledger ORDER BY id"
	[ "${lines[0]}" = "deposit|10000000|2011-01-04|2011-01-04" ]
	[ "${lines[1]}" = "buy|-1270500|2011-01-04|2011-01-05" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "an order waits for a bar at or after its ts" {
	{
		printf '%s\n' "$order"
		bar 2011-01-04T14:35:00Z 127 127.1 126.9 127 1000
		printf '%s\n' "$next"
	} >"$t/wait.ndjson"
	run place-order "${cfg[@]}" -j "$jr" "$t/wait.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = "$accepted" ]
	[[ "${lines[1]}" == '{"type":"bar",'*'"ts":"2011-01-04T14:35:00Z"'* ]]
	[ "${lines[2]}" = "$filled" ]
	[ "${lines[3]}" = "$next" ]
}

@test "the same order replayed in a second run: ack duplicate, no second fill" {
	run -0 place-order "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	run place-order -e "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "{\"type\":\"ack\",\"ts\":\"2011-01-04T14:36:00Z\",\"symbol\":\"SPY\",\"intent_id\":\"$id\",\"client_order_id\":\"$coid\",\"status\":\"duplicate\",\"reason\":\"intent already in the journal; not sent again\"}" ]
	[ "${lines[1]}" = "$next" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM fills"
	[ "$output" = "1" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "1" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM positions"
	[ "$output" = "1" ]
}

@test "the same order twice in one run is placed once" {
	printf '%s\n%s\n%s\n' "$order" "$order" "$next" >"$t/twice.ndjson"
	run place-order "${cfg[@]}" -j "$jr" "$t/twice.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = "$accepted" ]
	[[ "${lines[1]}" == '{"type":"ack",'*'"status":"duplicate"'* ]]
	[ "${lines[2]}" = "$filled" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM fills"
	[ "$output" = "1" ]
}

@test "an order that expires before the next bar: ack expired, no fill" {
	# A day order expiring at 14:36: the bar starting then is too late.
	sed 's/"expires":"[^"]*"/"expires":"2011-01-04T14:36:00Z"/' \
	    "$fx/order.ndjson" >"$t/exp.ndjson"
	printf '%s\n' "$next" >>"$t/exp.ndjson"
	run place-order -e "${cfg[@]}" -j "$jr" "$t/exp.ndjson"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "$accepted" ]
	[ "${lines[1]}" = "{\"type\":\"ack\",\"ts\":\"2011-01-04T14:36:00Z\",\"symbol\":\"SPY\",\"intent_id\":\"$id\",\"client_order_id\":\"$coid\",\"status\":\"expired\",\"reason\":\"expired before the next bar\"}" ]
	[ "${lines[2]}" = "$next" ]
	run -0 sql "$jr" "SELECT status, status_reason FROM orders"
	[ "$output" = "expired|expired before the next bar" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM fills"
	[ "$output" = "0" ]
}

@test "a closing order for a position that is not open: ack rejected" {
	printf '%s\n%s\n' "$(cat "$fx/close-nopos.ndjson")" "$next" >"$t/close.ndjson"
	run place-order -e "${cfg[@]}" -j "$jr" "$t/close.ndjson"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == '{"type":"ack",'*'"intent_id":"nopos/stop",'*'"status":"accepted"}' ]]
	[[ "${lines[1]}" == '{"type":"ack",'*'"intent_id":"nopos/stop",'*'"status":"rejected","reason":"no open position"}' ]]
	run -0 sql "$jr" "SELECT status FROM orders"
	[ "$output" = "rejected" ]
}

@test "--liquidate-at-end closes an open position at the last close, reason end" {
	{
		cat "$t/in.ndjson"
		bar 2011-01-04T14:37:00Z 127.1 127.35 127.05 127.3 1000
	} >"$t/two.ndjson"
	run place-order -e --liquidate-at-end "${cfg[@]}" -j "$jr" "$t/two.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[1]}" = "$filled" ]
	[ "${lines[4]}" = "{\"type\":\"fill\",\"ts\":\"2011-01-04T14:37:00Z\",\"symbol\":\"SPY\",\"intent_id\":\"$id.end\",\"client_order_id\":\"sk-cdd2fbe0c2b4c761\",\"side\":\"sell\",\"qty\":100,\"price\":127.3,\"requested\":127.3,\"fee\":0,\"effect\":\"close\",\"position_id\":\"$id\",\"strategy\":\"ema-cloud\",\"reason\":\"end\"}" ]
	run -0 journal -j "$jr" trades
	[ "${lines[1]}" = "2011-01-04T14:36:00Z,long,127.050000,2011-01-04T14:37:00Z,127.300000,end,25.0000" ]
	run -0 sql "$jr" "SELECT status, exit_reason FROM positions"
	[ "$output" = "closed|end" ]
}

@test "without --liquidate-at-end the position stays open; a later run closes it" {
	run -0 place-order "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	run -0 sql "$jr" "SELECT status FROM positions"
	[ "$output" = "open" ]
	bar 2011-01-04T14:40:00Z 127.2 127.3 127.1 127.25 1000 >"$t/later.ndjson"
	run place-order -e --liquidate-at-end "${cfg[@]}" -j "$jr" "$t/later.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == '{"type":"fill","ts":"2011-01-04T14:40:00Z",'*'"side":"sell","qty":100,"price":127.25,'*'"reason":"end"}' ]]
	run -0 sql "$jr" "SELECT status, exit_price FROM positions"
	[ "$output" = "closed|127.25" ]
}

@test "unknown types and fields pass through byte for byte" {
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":"bar","symbol":"SPY", "ts":"2011-01-04T15:00:00Z","o":127.10,"h":127.2,"l":126.9,"c":127.1,"v":1000,"zz":{"a":[true]}}'
		signal 2011-01-04T14:50:00Z | sed 's/}$/,"extra":"kept"}/'
		printf '%s\n' '{"type":"reject","anything":[1,2]}'
		printf '%s\n' '{"type":"fill","whatever":1}'
	} >"$t/pass.ndjson"
	run place-order -e "${cfg[@]}" -j "$jr" <"$t/pass.ndjson"
	[ "$status" -eq 1 ]
	[ "$output" = "$(cat "$t/pass.ndjson")" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "0" ]
}

@test "malformed line exits 3 and names the line; nothing before it is acted on" {
	{
		printf '%s\n' "$order"
		printf '%s\n' '{"type":"order",'
	} >"$t/bad.ndjson"
	run --separate-stderr place-order "${cfg[@]}" -j "$jr" <"$t/bad.ndjson"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[ "$stderr" = "place-order: <stdin>:2: not valid JSON" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "0" ]
	sed 's/"intent_id":"[^"]*",//' "$fx/order.ndjson" >"$t/noid.ndjson"
	run --separate-stderr place-order "${cfg[@]}" -j "$jr" <"$t/noid.ndjson"
	[ "$status" -eq 3 ]
	[ "$stderr" = "place-order: <stdin>:1: order: missing 'intent_id'" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "0" ]
}

@test "an order with a bad quantity or type exits 3, names the line, acts on nothing" {
	{
		printf '%s\n' "$order"
		sed 's/"qty":100/"qty":0/; s/long\/open/long\/open2/g' \
		    "$fx/order.ndjson"
	} >"$t/qty.ndjson"
	run --separate-stderr place-order "${cfg[@]}" -j "$jr" <"$t/qty.ndjson"
	[ "$status" -eq 3 ]
	[ -z "$output" ]
	[[ "$stderr" == "place-order: <stdin>:2: "* ]]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "0" ]
	sed 's/"order_type":"market"/"order_type":"stop"/' "$fx/order.ndjson" \
	    >"$t/stop.ndjson"
	run --separate-stderr place-order "${cfg[@]}" -j "$jr" <"$t/stop.ndjson"
	[ "$status" -eq 3 ]
	[[ "$stderr" == "place-order: <stdin>:1: "* ]]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "0" ]
}

@test "write error exits 4" {
	run sh -c 'place-order -c "$1" -p ema-cloud -j "$2" "$3" >/dev/full' _ \
	    "$conf" "$jr" "$t/in.ndjson"
	[ "$status" -eq 4 ]
	[[ "$output" == "place-order: "* ]]
}

@test "bad option or operand exits 2; a broker other than paper is refused" {
	run place-order -x "${cfg[@]}" -j "$jr" </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: place-order "* ]]
	printf '[broker]\nname = alpaca\n' >"$t/alpaca.conf"
	run place-order -c "$conf" -p "$t/alpaca.conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 2 ]
	[ "$output" = "place-order: broker 'alpaca' is not available; only the paper broker is" ]
}

@test "--help and --version" {
	run --separate-stderr place-order --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" == "usage: place-order "* ]]
	run place-order --version
	[ "$status" -eq 0 ]
	[ "$output" = "place-order 0.1.0" ]
}

@test "--broker paper is the built-in broker; another name is refused before any order" {
	run place-order "${cfg[@]}" --broker paper -j "$jr" "$fx/order.ndjson"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == '{"type":"ack",'*'"status":"accepted"}' ]]
	run place-order "${cfg[@]}" --broker tradier -j "$t/other.db" "$fx/order.ndjson"
	[ "$status" -eq 2 ]
	[ "$output" = "place-order: broker 'tradier' is not available; only the paper broker is" ]
}

# The honest model: the built-in config ([paper] model = honest).
# ord ID TS SYMBOL SIDE QTY TYPE PRICE EFFECT [POSITION]: an order record.
ord() {
	local px=""

	[ "$6" = limit ] && px=",\"limit\":$7"
	[ "$6" = stop ] && px=",\"stop\":$7"
	printf '{"type":"order","ts":"%s","symbol":"%s","intent_id":"%s","side":"%s","qty":%s,"order_type":"%s"%s,"effect":"%s","position_id":"%s","strategy":"t","reason":"%s"}\n' \
	    "$2" "$3" "$1" "$4" "$5" "$6" "$px" "$8" "${9:-$1}" \
	    "$([ "$8" = open ] && echo entry || echo exit)"
}

@test "honest: a market buy on bars pays the modelled ask and slippage; the fill keeps the quote" {
	run place-order -c "$conf" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 0 ]
	# 127.05 + half-spread 0.5 bp (0.0063525) + 10 % of the spread,
	# up to the cent; CAT on the buy.
	[[ "${lines[1]}" == *'"qty":100,"price":127.06,"requested":127.05,"bid":127.043647'*',"ask":127.056352'*',"fee":0.01,'* ]]
	run -0 sql "$jr" "SELECT price, requested_price, round(bid, 7), round(ask, 7) FROM fills"
	[ "$output" = "127.06|127.05|127.0436475|127.0563525" ]
	# Slippage per trade, from the journal alone.
	run -0 sql "$jr" "SELECT round(price - requested_price, 4), round((price - requested_price) * qty, 2) FROM fills"
	[ "$output" = "0.01|1.0" ]
}

@test "honest: with quotes in the stream a market buy pays the ask of the first quote after it" {
	{
		printf '%s\n' "$order"
		echo '{"type":"quote","ts":"2011-01-04T14:35:59Z","symbol":"SPY","bid":127.00,"ask":127.02}'
		echo '{"type":"quote","ts":"2011-01-04T14:36:01Z","symbol":"SPY","bid":127.03,"ask":127.05}'
		printf '%s\n' "$next"
	} >"$t/q.ndjson"
	run place-order -c "$conf" -j "$jr" "$t/q.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	# The ask, 127.05, and 10 % of the spread, up to the cent.
	[[ "${lines[2]}" == '{"type":"fill","ts":"2011-01-04T14:36:01Z",'*'"price":127.06,"requested":127.0'*',"bid":127.03,"ask":127.05,'* ]]
	[[ "${lines[4]}" == '{"type":"bar",'* ]]
}

@test "honest: a limit entry fills only through it, a volume share at a time; the rest is cancelled after 15 s" {
	{
		ord L 2011-01-04T14:36:00Z SPY buy 100 limit 127.00 open
		bar 2011-01-04T14:36:00Z 127.05 127.2 127.00 127.1 1000
		ord M 2011-01-04T14:36:00Z SPY buy 100 limit 127.00 open
		bar 2011-01-04T14:37:00Z 127.05 127.2 126.9 127.1 1000
	} >"$t/lim.ndjson"
	run place-order -c "$conf" -j "$jr" "$t/lim.ndjson"
	[ "$status" -eq 0 ]
	# L: touched at 14:36, not through; then past its 15 s: cancelled.
	# M: active from 14:36 but past 15 s by 14:37 too.
	run -0 sql "$jr" "SELECT intent_id, status, status_reason FROM orders ORDER BY intent_id"
	[ "${lines[0]}" = "L|cancelled|unfilled after 15 s" ]
	[ "${lines[1]}" = "M|cancelled|unfilled after 15 s" ]
	# Through in its own bar: 10 % of 1000 for 15 of 60 s is 25.
	{
		ord P 2011-01-04T14:38:00Z SPY buy 100 limit 127.00 open
		bar 2011-01-04T14:38:00Z 127.05 127.2 126.9 127.1 1000
		bar 2011-01-04T14:39:00Z 127.05 127.2 126.9 127.1 1000
	} >"$t/part.ndjson"
	run place-order -c "$conf" -j "$jr" "$t/part.ndjson"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == '{"type":"fill",'*'"qty":25,"leaves":75,"price":127,"requested":127,'* ]]
	[[ "${lines[3]}" == '{"type":"ack",'*'"intent_id":"P",'*'"status":"cancelled","reason":"unfilled after 15 s"}' ]]
	run -0 sql "$jr" "SELECT qty, price FROM fills WHERE intent_id = 'P'"
	[ "$output" = "25.0|127.0" ]
	run -0 sql "$jr" "SELECT qty, entry_price, status FROM positions WHERE id = 'P'"
	[ "$output" = "25.0|127.0|open" ]
	run -0 sql "$jr" "SELECT status FROM orders WHERE intent_id = 'P'"
	[ "$output" = "cancelled" ]
}

@test "a cancel record cancels a working order; one that is not working is refused" {
	{
		printf '%s\n' "$order"
		printf '%s\n' "$next"
		ord T 2011-01-04T14:37:00Z SPY sell 100 limit 130 close "$id"
		echo '{"type":"cancel","ts":"2011-01-04T14:37:30Z","symbol":"SPY","intent_id":"T","reason":"new target"}'
		echo '{"type":"cancel","ts":"2011-01-04T14:37:31Z","symbol":"SPY","intent_id":"T"}'
		bar 2011-01-04T14:37:00Z 127.1 131 127.05 127.3 1000
	} >"$t/cancel.ndjson"
	run place-order "${cfg[@]}" -j "$jr" "$t/cancel.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 9 ]
	[[ "${lines[4]}" == '{"type":"ack","ts":"2011-01-04T14:37:30Z","symbol":"SPY","intent_id":"T",'*'"status":"cancelled","reason":"new target"}' ]]
	[[ "${lines[5]}" == '{"type":"cancel",'*'"reason":"new target"}' ]]
	[[ "${lines[6]}" == '{"type":"ack",'*'"intent_id":"T",'*'"status":"cancel_refused","reason":"no such order is working"}' ]]
	[[ "${lines[8]}" == '{"type":"bar",'* ]]
	run -0 sql "$jr" "SELECT status, status_reason FROM orders WHERE intent_id = 'T'"
	[ "$output" = "cancelled|new target" ]
	run -0 sql "$jr" "SELECT status FROM positions"
	[ "$output" = "open" ]
}

@test "a cancel without intent_id is malformed: exit 3 before anything is placed" {
	{
		printf '%s\n' "$order"
		echo '{"type":"cancel","ts":"2011-01-04T14:37:30Z","symbol":"SPY","intent_id":""}'
	} >"$t/bad.ndjson"
	run place-order "${cfg[@]}" -j "$jr" "$t/bad.ndjson"
	[ "$status" -eq 3 ]
	[[ "$output" == *":2: cancel: intent_id is empty" ]]
	run -0 sql "$jr" "SELECT COUNT(*) FROM orders"
	[ "$output" = "0" ]
}

@test "honest: funding on an open perpetual goes to the cash ledger at the funding time" {
	{
		ord B 2024-03-01T07:00:00Z BTCUSDT buy 2 market 0 open
		echo '{"type":"quote","ts":"2024-03-01T07:00:01Z","symbol":"BTCUSDT","bid":60000,"ask":60000.1}'
		echo '{"type":"funding","ts":"2024-03-01T07:30:00Z","symbol":"BTCUSDT","rate":0.0001,"next_ts":"2024-03-01T08:00:00Z"}'
		echo '{"type":"quote","ts":"2024-03-01T07:59:59Z","symbol":"BTCUSDT","bid":61000,"ask":61000}'
		echo '{"type":"quote","ts":"2024-03-01T08:00:00Z","symbol":"BTCUSDT","bid":62000,"ask":62000}'
	} >"$t/perp.ndjson"
	run place-order -c "$conf" -j "$jr" "$t/perp.ndjson"
	[ "$status" -eq 0 ]
	# The ask and 10 % of the spread (no tick); taker 0.055 % of it.
	run -0 sql "$jr" "SELECT price, round(fee, 6) FROM fills"
	[ "$output" = "60000.11|66.000121" ]
	# Long 2 marked at 61000 pays 0.0001 of it: -12.20.
	run -0 sql "$jr" "SELECT ts, kind, amount_cents, note FROM cash_ledger WHERE kind = 'adjustment'"
	[ "$output" = "2024-03-01T08:00:00Z|adjustment|-1220|funding B" ]
}

@test "0DTE options settle at 16:00 New York: worthless out of the money, journaled as such" {
	{
		ord C 2011-01-04T20:30:00Z SPY110104C00128000 buy 1 market 0 open
		echo '{"type":"bar","symbol":"SPY110104C00128000","tf":"1m","ts":"2011-01-04T20:30:00Z","o":0.05,"h":0.05,"l":0.04,"c":0.04,"v":100}'
		bar 2011-01-04T20:59:00Z 127.5 127.7 127.4 127.6 1000
	} >"$t/exp.ndjson"
	run place-order "${cfg[@]}" -j "$jr" "$t/exp.ndjson"
	[ "$status" -eq 0 ]
	[[ "${lines[3]}" == '{"type":"fill","ts":"2011-01-04T21:00:00Z","symbol":"SPY110104C00128000","intent_id":"C.expiry",'*'"side":"sell","qty":1,"price":0,"requested":0,"fee":0,"effect":"close",'*'"reason":"expired_worthless"}' ]]
	run -0 sql "$jr" "SELECT status, exit_price, exit_reason, exit_ts FROM positions"
	[ "$output" = "closed|0.0|expired_worthless|2011-01-04T21:00:00Z" ]
	run -0 sql "$jr" "SELECT status, order_type FROM orders WHERE intent_id = 'C.expiry'"
	[ "$output" = "filled|market" ]
}
