#!/usr/bin/env bats
# reconcile-settlement: settled and unsettled cash in cents, the day's
# summary, unanswered intents found and cancelled, the opening deposit
# once, the day taken from --date or from the data; pass-through.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	fx="$BATS_TEST_DIRNAME/fixtures/reconcile-settlement"
}

# backtest_until DAY: a backtest into $jr of the SPY replay up to the
# end of DAY (the bars before DAY+1).
backtest_until() {
	zcat "$spy" | awk -F, -v end="$1" 'NR == 1 || $1 < end' >"$t/part.csv"
	run -0 backtest "${cfg[@]}" -s SPY -q -j "$jr" "$t/part.csv"
}

# An order journaled as an intent whose broker answer never was.
insert_intent() {
	sql "$jr" "INSERT INTO orders (intent_id, client_order_id, seq, ts,
	    broker, symbol, side, qty, order_type, effect, position_id)
	    VALUES ('crash/open', 'sk-00000000000000aa',
	    (SELECT COALESCE(MAX(seq), 0) + 1 FROM orders),
	    '2011-01-04T15:01:00Z', 'paper', 'SPY', 'buy', 100, 'market',
	    'open', 'crash/open')"
}

@test "after a backtest, --date emits the day's settlement and summary in cents" {
	# Through Wednesday 5 January: two trades on the 4th (+39, -2),
	# three on the 5th (+5, -1, -3); T+1, so the 5th's are unsettled.
	# Spendable ("settled") cash counts money out at once and money in
	# once settled: 100000 + 37 - (127.41 + 127.56 + 127.61) x 100 =
	# 61779.00; unsettled are the 5th's sales, 382.59 x 100.
	backtest_until 2011-01-06
	run reconcile-settlement -e "${cfg[@]}" -j "$jr" --date 2011-01-05 </dev/null
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = '{"type":"settlement","ts":"2011-01-05T21:00:00Z","date":"2011-01-05","cash_cents":10003800,"settled_cents":6177900,"unsettled_cents":3825900,"settling":4}' ]
	printf '%s\n' "${lines[1]}" >"$t/summary.json"
	run -0 jq -c '[.type, .ts, .date, .cash_cents, .settled_cents, .unsettled_cents, .trades, .wins, .fees_cents, .pnl_cents, .net_pnl_cents, .rejects]' "$t/summary.json"
	[ "$output" = '["summary","2011-01-05T21:00:00Z","2011-01-05",10003800,6177900,3825900,3,1,0,100,100,{"entry_window":3}]' ]
	# Amounts are integers, as reconcile compares them.
	run -0 jq -e 'select(has("cash_cents")) | [.cash_cents, .settled_cents, .unsettled_cents, .pnl_cents, .fees_cents, .net_pnl_cents] | all(type == "number" and . == floor)' "$t/summary.json"
	# The summary is kept in the journal; the deposit came from config,
	# dated the day of the first fill, before every movement.
	run -0 sql "$jr" "SELECT trade_date, json_extract(record, '$.trades') FROM summaries"
	[ "$output" = "2011-01-05|3" ]
	run -0 sql "$jr" "SELECT trade_date, settle_date, amount_cents FROM cash_ledger WHERE kind = 'deposit'"
	[ "$output" = "2011-01-04|2011-01-04|10000000" ]
}

@test "good-faith violations: a buy on unsettled proceeds sold before they settle is counted, on the day and in 12 months" {
	# gate-risk never approves such a buy: the trades come from
	# elsewhere (by hand at the broker), so they are written here.
	run -0 reconcile-settlement "${cfg[@]}" -j "$jr" --date 2010-12-01 </dev/null
	sql "$jr" "PRAGMA foreign_keys = OFF;
	    INSERT INTO cash_ledger (ts, trade_date, settle_date, kind,
	    amount_cents) VALUES ('2010-12-31T15:00:00Z', '2010-12-31',
	    '2011-01-04', 'sell', 10000000);
	    INSERT INTO fills (id, intent_id, ts, symbol, side, qty, price,
	    effect, position_id) VALUES (1, 'g/open', '2011-01-03T15:00:00Z',
	    'SPY', 'buy', 1000, 150, 'open', 'g');
	    INSERT INTO cash_ledger (ts, trade_date, settle_date, kind,
	    amount_cents, fill_id) VALUES ('2011-01-03T15:00:00Z',
	    '2011-01-03', '2011-01-04', 'buy', -15000000, 1);
	    INSERT INTO positions (id, symbol, side, qty, entry_ts,
	    entry_date, entry_price, status, exit_ts, exit_date, exit_price,
	    pnl, fees) VALUES ('g', 'SPY', 'long', 1000,
	    '2011-01-03T15:00:00Z', '2011-01-03', 150, 'closed',
	    '2011-01-03T20:00:00Z', '2011-01-03', 150, 0, 0)"
	run -0 reconcile-settlement "${cfg[@]}" -j "$jr" --date 2011-01-03 </dev/null
	run -0 jq -c 'select(.type == "summary") | [.gfv, .gfv_12m]' <<<"${lines[1]}"
	[ "$output" = "[1,1]" ]
	run -0 reconcile-settlement "${cfg[@]}" -j "$jr" --date 2011-01-04 </dev/null
	run -0 jq -c 'select(.type == "summary") | [.gfv, .gfv_12m]' <<<"${lines[1]}"
	[ "$output" = "[0,1]" ]
	# A cash account with max_gfv 1 buys nothing more.
	printf '[account]\ntype = cash\nmax_gfv = 1\n' >"$t/p.conf"
	signal 2011-01-04T15:00:00Z long 1 >"$t/in.ndjson"
	run -0 gate-risk -c "$conf" -p "$t/p.conf" -j "$jr" "$t/in.ndjson"
	[ "$(jq -r .gate <<<"${lines[0]}")" = good_faith ]
	# The year after, it has aged out.
	run -0 reconcile-settlement "${cfg[@]}" -j "$jr" --date 2012-01-03 </dev/null
	run -0 jq -c 'select(.type == "summary") | [.gfv, .gfv_12m]' <<<"${lines[1]}"
	[ "$output" = "[0,0]" ]
}

@test "the broker's report against the journal: the paper broker agrees; differences are discrepancies, and neither side changes" {
	backtest_until 2011-01-05
	run -0 journal "${cfg[@]}" -j "$jr" broker
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == '{"type":"account","ts":"2011-01-04T'*'","broker":"paper","cash":100037}' ]]
	printf '%s\n' "${lines[0]}" >"$t/report.ndjson"
	run -0 reconcile-settlement "${cfg[@]}" -j "$jr" --date 2011-01-04 "$t/report.ndjson"
	[ "$(printf '%s\n' "${lines[@]}" | grep -c '"type":"discrepancy"')" -eq 0 ]
	# A report that differs in cash, holds SPY, and fills differently.
	id=$(sql "$jr" "SELECT intent_id FROM fills ORDER BY id LIMIT 1")
	px=$(sql "$jr" "SELECT price FROM fills ORDER BY id LIMIT 1")
	before=$(sql "$jr" "SELECT (SELECT COUNT(*) FROM positions), (SELECT SUM(amount_cents) FROM cash_ledger), (SELECT group_concat(price) FROM fills)")
	{
		printf '{"type":"account","ts":"2011-01-04T21:00:00Z","broker":"paper","cash":100037.01}\n'
		printf '{"type":"position","ts":"2011-01-04T21:00:00Z","symbol":"SPY","side":"long","qty":100,"avg_price":127}\n'
		printf '{"type":"fill","ts":"2011-01-04T15:00:00Z","symbol":"SPY","intent_id":"%s","client_order_id":"x","side":"buy","qty":100,"price":%s,"effect":"open"}\n' "$id" "$(awk -v p="$px" 'BEGIN { print p + 0.01 }')"
		printf '{"type":"fill","ts":"2011-01-04T15:00:00Z","symbol":"SPY","intent_id":"ghost/open","client_order_id":"y","side":"buy","qty":1,"price":1,"effect":"open"}\n'
	} >"$t/report.ndjson"
	# The broker works an order the journal does not know; the journal
	# has one working that the broker does not.
	printf '{"type":"working","ts":"2011-01-04T21:00:00Z","symbol":"SPY","client_order_id":"sk-ghost","side":"buy","qty":5}\n' >>"$t/report.ndjson"
	sql "$jr" "INSERT INTO orders (intent_id, client_order_id, seq, ts,
	    broker, symbol, side, qty, order_type, effect, position_id,
	    status) VALUES ('lost/open', 'sk-lost', 99, '2011-01-04T20:00:00Z',
	    'paper', 'SPY', 'buy', 1, 'limit', 'open', 'lost/open', 'accepted')"
	run -0 journal "${cfg[@]}" -j "$jr" broker
	[[ "${lines[-1]}" == '{"type":"working","ts":"'*'","broker":"paper","symbol":"SPY","intent_id":"lost/open","client_order_id":"sk-lost","side":"buy","qty":1}' ]]
	run -0 reconcile-settlement "${cfg[@]}" -j "$jr" --date 2011-01-04 "$t/report.ndjson"
	run -0 jq -c 'select(.type == "discrepancy") | [.kind, .subject, .journal, .broker, .resolution]' < <(printf '%s\n' "${lines[@]}")
	[ "${#lines[@]}" -eq 6 ]
	[ "${lines[0]}" = '["position","SPY","flat","long 100","none: left for the user"]' ]
	[ "${lines[1]}" = '["order","sk-lost","accepted","not working","none: left for the user"]' ]
	[ "${lines[2]}" = '["order","sk-ghost","unknown","working","none: left for the user"]' ]
	[ "${lines[3]}" = '["cash","cash","10003700 cents","10003701 cents","none: left for the user"]' ]
	[[ "${lines[4]}" == '["fill","'"$id"'","100 at '*'","100 at '*'","none: left for the user"]' ]]
	[ "${lines[5]}" = '["fill","ghost/open","no fill","1 at 1","none: left for the user"]' ]
	run -0 sql "$jr" "SELECT kind, subject FROM discrepancies ORDER BY id"
	[ "${#lines[@]}" -eq 6 ]
	[ "$(sql "$jr" "SELECT (SELECT COUNT(*) FROM positions), (SELECT SUM(amount_cents) FROM cash_ledger), (SELECT group_concat(price) FROM fills)")" = "$before" ]
}

@test "the last day of the week; reconciling again changes nothing" {
	run -0 backtest "${cfg[@]}" -s SPY -q -j "$jr" "$spy"
	run reconcile-settlement "${cfg[@]}" -j "$jr" --date 2011-01-07 </dev/null
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = '{"type":"settlement","ts":"2011-01-07T21:00:00Z","date":"2011-01-07","cash_cents":10002800,"settled_cents":8733000,"unsettled_cents":1269800,"settling":2}' ]
	[[ "${lines[1]}" == '{"type":"summary","ts":"2011-01-07T21:00:00Z","date":"2011-01-07","cash_cents":10002800,"settled_cents":8733000,"unsettled_cents":1269800,"trades":1,"wins":0,'* ]]
	first="$output"
	run reconcile-settlement "${cfg[@]}" -j "$jr" --date 2011-01-07 </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$first" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM cash_ledger WHERE kind = 'deposit'"
	[ "$output" = "1" ]
	# The ledger sums to what the settlement says; the 7th's short sale
	# (126.98 x 100) settles on Monday the 10th.
	run -0 sql "$jr" "SELECT SUM(amount_cents) FROM cash_ledger"
	[ "$output" = "10002800" ]
	run -0 sql "$jr" "SELECT settle_date FROM cash_ledger WHERE trade_date = '2011-01-07' AND kind = 'sell'"
	[ "$output" = "2011-01-10" ]
}

@test "an order left at intent is a discrepancy, and is cancelled" {
	backtest_until 2011-01-05
	insert_intent
	run reconcile-settlement -e "${cfg[@]}" -j "$jr" --date 2011-01-04 </dev/null
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = '{"type":"discrepancy","ts":"2011-01-04T21:00:00Z","date":"2011-01-04","symbol":"SPY","kind":"unanswered_intent","intent_id":"crash/open","client_order_id":"sk-00000000000000aa","journal":"intent","broker":"unknown to the broker","resolution":"cancelled"}' ]
	[ "${lines[1]}" = '{"type":"settlement","ts":"2011-01-04T21:00:00Z","date":"2011-01-04","cash_cents":10003700,"settled_cents":7469500,"unsettled_cents":2534200,"settling":0}' ]
	[[ "${lines[2]}" == '{"type":"summary",'*'"trades":2,"wins":1,'* ]]
	run -0 sql "$jr" "SELECT status, status_ts FROM orders WHERE intent_id = 'crash/open'"
	[ "$output" = "cancelled|2011-01-04T21:00:00Z" ]
	run -0 sql "$jr" "SELECT kind, subject, journal, broker, resolution FROM discrepancies"
	[ "$output" = "unanswered_intent|crash/open|intent|unknown|cancelled" ]
	# Found once: the next run has nothing left to resolve, and as
	# nothing settles on the 4th either, -e says so with status 1.
	run reconcile-settlement -e "${cfg[@]}" -j "$jr" --date 2011-01-04 </dev/null
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "$output" != *discrepancy* ]]
}

@test "without --date the day is the newest ts in the data; records pass through" {
	backtest_until 2011-01-06
	cp "$fx/day.ndjson" "$t/in.ndjson"
	run reconcile-settlement "${cfg[@]}" -j "$jr" <"$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	printf '%s\n' "${lines[@]:0:3}" >"$t/head.ndjson"
	cmp "$t/head.ndjson" "$t/in.ndjson"
	# Newest ts: 20:59Z on the 5th, whichever record carried it.
	[ "${lines[3]}" = '{"type":"settlement","ts":"2011-01-05T20:59:00Z","date":"2011-01-05","cash_cents":10003800,"settled_cents":6177900,"unsettled_cents":3825900,"settling":4}' ]
	[[ "${lines[4]}" == '{"type":"summary","ts":"2011-01-05T20:59:00Z","date":"2011-01-05",'*'"trades":3,'* ]]
}

@test "unknown types and fields pass through byte for byte" {
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":"bar","symbol":"SPY", "ts":"2011-01-04T15:00:00Z","o":127.10,"h":127.2,"l":126.9,"c":127.1,"v":1000,"zz":{"a":[true]}}'
		printf '%s\n' '{"type":"trade","ts":"not a time","whatever":1}'
		printf '%s\n' '{"type":"settlement","cash_cents":1}'
	} >"$t/in.ndjson"
	run reconcile-settlement "${cfg[@]}" -j "$jr" <"$t/in.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	printf '%s\n' "${lines[@]:0:4}" >"$t/head.ndjson"
	cmp "$t/head.ndjson" "$t/in.ndjson"
	[[ "${lines[4]}" == '{"type":"settlement","ts":"2011-01-04T15:00:00Z","date":"2011-01-04",'* ]]
}

@test "no record with a ts and no --date: exit 2" {
	run reconcile-settlement "${cfg[@]}" -j "$jr" </dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "reconcile-settlement: no record with a ts and no --date: no day to reconcile" ]
	printf '%s\n' "$note" >"$t/in.ndjson"
	run reconcile-settlement "${cfg[@]}" -j "$jr" "$t/in.ndjson"
	[ "$status" -eq 2 ]
}

@test "malformed line exits 3 and names the line; nothing is reconciled" {
	{
		printf '%s\n' "$note"
		printf '%s\n' '{"type":"bar",'
	} >"$t/bad.ndjson"
	run --separate-stderr reconcile-settlement "${cfg[@]}" -j "$jr" \
	    --date 2011-01-04 <"$t/bad.ndjson"
	[ "$status" -eq 3 ]
	[ "$output" = "$note" ]
	[ "$stderr" = "reconcile-settlement: <stdin>:2: not valid JSON" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM summaries"
	[ "$output" = "0" ]
}

@test "write error exits 4" {
	run sh -c 'reconcile-settlement -c "$1" -p ema-cloud -j "$2" \
	    --date 2011-01-04 </dev/null >/dev/full' _ "$conf" "$jr"
	[ "$status" -eq 4 ]
	[[ "$output" == "reconcile-settlement: "* ]]
}

@test "bad option or operand exits 2" {
	run reconcile-settlement -x "${cfg[@]}" -j "$jr" </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: reconcile-settlement "* ]]
	run reconcile-settlement "${cfg[@]}" -j "$jr" --date 2011-13-40 </dev/null
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "reconcile-settlement: --date: not a date YYYY-MM-DD: 2011-13-40" ]
	run reconcile-settlement "${cfg[@]}" -j "$jr" --date yesterday </dev/null
	[ "$status" -eq 2 ]
}

@test "--help and --version" {
	run --separate-stderr reconcile-settlement --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "${lines[0]}" == "usage: reconcile-settlement "* ]]
	run reconcile-settlement --version
	[ "$status" -eq 0 ]
	[ "$output" = "reconcile-settlement 0.1.0" ]
}
