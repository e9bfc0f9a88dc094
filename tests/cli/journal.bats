#!/usr/bin/env bats
# journal: where the journal is, a summary for people, the trade list as
# the reference CSV, and any table as NDJSON for jq.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
}

# A journal holding the backtest of the SPY week: 7 trades.
week() {
	run -0 backtest -q "${cfg[@]}" -s SPY -j "$jr" "$spy"
}

@test "path: -j, then \$SCALPKIT_JOURNAL, then paths.journal, then the state directory" {
	run journal -c "$conf" path
	[ "$status" -eq 0 ]
	[ "$output" = "$XDG_STATE_HOME/scalpkit/journal.db" ]
	printf '[paths]\njournal = %s\n' "$t/conf.db" >"$t/paths.conf"
	run journal -c "$t/paths.conf" path
	[ "$status" -eq 0 ]
	[ "$output" = "$t/conf.db" ]
	SCALPKIT_JOURNAL="$t/env.db" run journal -c "$t/paths.conf" path
	[ "$status" -eq 0 ]
	[ "$output" = "$t/env.db" ]
	SCALPKIT_JOURNAL="$t/env.db" run journal -c "$t/paths.conf" -j "$jr" path
	[ "$status" -eq 0 ]
	[ "$output" = "$jr" ]
	# Saying where it is creates nothing.
	[ ! -e "$t/conf.db" ] && [ ! -e "$t/env.db" ] && [ ! -e "$jr" ]
}

@test "summary: trades, P&L, drawdown and decisions" {
	week
	run journal -c "$conf" -j "$jr" summary
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat <<-'EOF'
	trades        7 (3 won, 4 lost)
	period        2011-01-04 .. 2011-01-07
	net P&L       +28.00 (gross +28.00, fees 0.00)
	return        +0.03 % of 100000.00
	win rate      42.9 %
	best / worst  +39.00 / -18.00
	max drawdown  18.00 (0.02 %)
	signals       11 (7 approved, 4 rejected)
	EOF
	)" ]
}

@test "trades: the reference trade list format, byte for byte" {
	week
	run sh -c 'journal -c "$1" -j "$2" trades >"$3"' _ "$conf" "$jr" \
	    "$t/trades.csv"
	[ "$status" -eq 0 ]
	cmp "$t/trades.csv" "$spy_trades"
}

@test "an empty journal: no trades" {
	# Any trading command makes the journal; reading never does.
	run -0 place-order -c "$conf" -j "$jr" </dev/null
	run journal -c "$conf" -j "$jr" trades
	[ "$status" -eq 0 ]
	[ "$output" = "entry_ts,side,entry_px,exit_ts,exit_px,exit_reason,pnl" ]
	run journal -c "$conf" -j "$jr" summary
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "trades        0 (0 won, 0 lost)" ]
	run journal -c "$conf" -j "$jr" export orders
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "export TABLE: one JSON object per row, for every table and view" {
	week
	run -0 sql "$jr" "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name"
	tables=("${lines[@]}")
	[ "${#tables[@]}" -eq 11 ]
	for tb in "${tables[@]}"; do
		run sh -c 'journal -c "$1" -j "$2" export "$3" >"$4"' _ "$conf" \
		    "$jr" "$tb" "$t/$tb.ndjson"
		[ "$status" -eq 0 ]
		[ -z "$output" ]
		# Each line on its own is one valid JSON object.
		while IFS= read -r line; do
			printf '%s\n' "$line" | jq -e 'type == "object"' >/dev/null
		done <"$t/$tb.ndjson"
		run -0 sql "$jr" "SELECT COUNT(*) FROM \"$tb\""
		[ "$(wc -l <"$t/$tb.ndjson")" -eq "$output" ]
	done
	[ "$(wc -l <"$t/trades.ndjson")" -eq 7 ]
	[ "$(wc -l <"$t/fills.ndjson")" -eq 14 ]
	[ "$(wc -l <"$t/decisions.ndjson")" -eq 11 ]
	run -0 jq -r '[.side, .entry_ts, .entry_price, .exit_reason] | @csv' "$t/trades.ndjson"
	[ "${lines[0]}" = '"short","2011-01-04T16:57:00Z",126.65,"cloud_flip"' ]
	# Values keep their SQL types: numbers stay numbers, NULL is null.
	run -0 jq -r 'select(.verdict == "rejected") | [.gate, (.observed | type), (.intent_id | type)] | @csv' "$t/decisions.ndjson"
	[ "${lines[0]}" = '"entry_window","number","null"' ]
}

@test "export of an unknown table exits 2" {
	week
	run journal -c "$conf" -j "$jr" export nosuch
	[ "$status" -eq 2 ]
	[ "$output" = "journal: no table 'nosuch' in the journal" ]
	run journal -c "$conf" -j "$jr" export sqlite_schema
	[ "$status" -eq 2 ]
	run journal -c "$conf" -j "$jr" export 'fills"; DROP TABLE fills; --'
	[ "$status" -eq 2 ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM fills"
	[ "$output" = "14" ]
}

@test "a file that is not a journal exits 4" {
	echo 'not a database' >"$t/junk.db"
	run journal -c "$conf" -j "$t/junk.db" summary
	[ "$status" -eq 4 ]
	[[ "$output" == "journal: journal $t/junk.db: "* ]]
}

@test "write error exits 4" {
	week
	run sh -c 'journal -c "$1" -j "$2" trades >/dev/full' _ "$conf" "$jr"
	[ "$status" -eq 4 ]
	[[ "$output" == "journal: "* ]]
	run sh -c 'journal -c "$1" -j "$2" export fills >/dev/full' _ "$conf" "$jr"
	[ "$status" -eq 4 ]
	run sh -c 'journal -c "$1" -j "$2" summary >/dev/full' _ "$conf" "$jr"
	[ "$status" -eq 4 ]
	run sh -c 'journal -c "$1" -j "$2" path >/dev/full' _ "$conf" "$jr"
	[ "$status" -eq 4 ]
}

@test "bad option or operand exits 2" {
	run journal -c "$conf" -j "$jr"
	[ "$status" -eq 2 ]
	[ "$output" = "usage: journal [-c config] [-j journal] [-p profile] path | summary | trades | broker |
               export table" ]
	run journal -c "$conf" -j "$jr" nosuch
	[ "$status" -eq 2 ]
	run journal -c "$conf" -j "$jr" export
	[ "$status" -eq 2 ]
	run journal -c "$conf" -j "$jr" export fills orders
	[ "$status" -eq 2 ]
	run journal -c "$conf" -j "$jr" trades extra
	[ "$status" -eq 2 ]
	run journal -x -c "$conf" -j "$jr" trades
	[ "$status" -eq 2 ]
	run journal -e -c "$conf" -j "$jr" trades
	[ "$status" -eq 2 ]
}

@test "--help and --version" {
	run --separate-stderr journal --help
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$output" = "usage: journal [-c config] [-j journal] [-p profile] path | summary | trades | broker |
               export table" ]
	run journal --version
	[ "$status" -eq 0 ]
	[ "$output" = "journal 0.1.0" ]
}

@test "reading a journal that is not there is an error and creates nothing" {
	for cmd in summary trades "export fills"; do
		run journal -c "$conf" -j "$t/none/j.db" $cmd
		[ "$status" -eq 4 ]
		[[ "$output" == "journal: journal $t/none/j.db: "* ]]
	done
	[ ! -e "$t/none" ]
}
