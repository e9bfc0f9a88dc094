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
	filled="{\"type\":\"fill\",\"ts\":\"2011-01-04T14:36:00Z\",\"symbol\":\"SPY\",\"intent_id\":\"$id\",\"client_order_id\":\"$coid\",\"side\":\"buy\",\"qty\":100,\"price\":127.05,\"fee\":0,\"effect\":\"open\",\"position_id\":\"$id\",\"strategy\":\"ema-cloud\",\"reason\":\"entry\"}"
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
	[ "${lines[4]}" = "{\"type\":\"fill\",\"ts\":\"2011-01-04T14:37:00Z\",\"symbol\":\"SPY\",\"intent_id\":\"$id.end\",\"client_order_id\":\"sk-cdd2fbe0c2b4c761\",\"side\":\"sell\",\"qty\":100,\"price\":127.3,\"fee\":0,\"effect\":\"close\",\"position_id\":\"$id\",\"strategy\":\"ema-cloud\",\"reason\":\"end\"}" ]
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
