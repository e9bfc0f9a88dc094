#!/usr/bin/env bats
# scalp-cycle: the piped cycle, one bar at a time over a replayed day,
# trades exactly as the in-process backtest does over the same bars.
# Also: quiet on success, nothing new is fine, a failed cycle halts the
# next ones, overlapping cycles skip.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	J="$t/cycle.db"
}

# cycle [ARG...]: one cycle over the SPY replay into $J.
cycle() {
	run scalp-cycle "${cfg[@]}" -j "$J" -s SPY "$@" --source "replay:$spy" \
	    </dev/null
}

@test "pipeline versus backtest: a cycle per bar of 2011-01-04 makes the backtest's trades" {
	# Catch up over the 3rd (and the 4th's first bar) in one cycle.
	cycle --until 2011-01-04T14:30:00Z
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# Then one cycle per bar of the 4th, as cron would run them.  The
	# first (14:30) brings nothing new.
	mapfile -t stamps < <(zcat "$spy" |
	    awk -F, 'NR > 1 && substr($1, 1, 10) == "2011-01-04" { print $1 }')
	[ "${#stamps[@]}" -eq 390 ]
	[ "${stamps[0]}" = "2011-01-04T14:30:00Z" ]
	[ "${stamps[389]}" = "2011-01-04T20:59:00Z" ]
	for ts in "${stamps[@]}"; do
		cycle --until "$ts"
		if [ "$status" -ne 0 ] || [ -n "$output" ]; then
			echo "cycle --until $ts: exit $status: $output" >&2
			false
		fi
	done
	run -0 sql "$J" "SELECT COUNT(*) FROM positions WHERE status = 'open'"
	[ "$output" = "0" ]
	run sh -c 'journal -c "$1" -j "$2" trades >"$3"' _ "$conf" "$J" \
	    "$t/cycle.csv"
	[ "$status" -eq 0 ]
	# The backtest over the same bars: the replay up to the end of the 4th.
	zcat "$spy" | awk -F, 'NR == 1 || $1 < "2011-01-05"' >"$t/upto.csv"
	run sh -c 'backtest -c "$1" -p ema-cloud -s SPY --trades "$2" >"$3"' _ \
	    "$conf" "$t/upto.csv" "$t/backtest.csv"
	[ "$status" -eq 0 ]
	cmp "$t/cycle.csv" "$t/backtest.csv"
	# Not vacuous: the day's two trades, as the reference has them.
	[ "$(wc -l <"$t/cycle.csv")" -eq 3 ]
	head -n 3 "$spy_trades" | cmp - "$t/cycle.csv"
}

@test "a cycle is quiet on success and fine with nothing new" {
	cycle --until 2011-01-03T15:00:00Z
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run -0 sql "$J" "SELECT COUNT(*) FROM stage_state"
	[ "$output" -gt 0 ]
	cycle --until 2011-01-03T15:00:00Z
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	cycle --until 2011-01-03T15:00:00Z
	[ "$status" -eq 0 ]
	run -0 sql "$J" "SELECT COUNT(*) FROM orders"
	[ "$output" = "0" ]
}

@test "a failed cycle writes JOURNAL.halt, and the next cycle exits 5" {
	run scalp-cycle "${cfg[@]}" -j "$J" -s SPY --until 2011-01-03T15:00:00Z \
	    --source "replay:$t/none.csv" </dev/null
	[ "$status" -eq 4 ]
	[[ "$output" == *"scalp-cycle: "*": a stage failed (statuses 4 0 0 0 0 0):"* ]]
	[[ "$output" == *"fetch-quotes: $t/none.csv: "* ]]
	[ -f "$J.halt" ]
	grep -q 'a stage failed' "$J.halt"
	cycle --until 2011-01-03T15:00:00Z
	[ "$status" -eq 5 ]
	[[ "${lines[0]}" == "scalp-cycle: halted after a failed cycle; see $J.halt" ]]
	# A person has looked and removed it: cycles run again.
	rm "$J.halt"
	cycle --until 2011-01-03T15:00:00Z
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "a cycle while the previous one still runs is skipped" {
	exec 8>"$J.lock"
	flock -n 8
	cycle --until 2011-01-03T15:00:00Z
	exec 8>&-
	[ "$status" -eq 0 ]
	[ "$output" = "scalp-cycle: previous cycle still running; this one skipped" ]
	[ ! -e "$J" ]
	cycle --until 2011-01-03T15:00:00Z
	[ "$status" -eq 0 ]
	[ -f "$J" ]
}

@test "bad option or operand exits 2" {
	run scalp-cycle "${cfg[@]}" -j "$J" -s SPY </dev/null
	[ "$status" -eq 2 ]
	[[ "$output" == "usage: scalp-cycle "* ]]
	run scalp-cycle -x --source "replay:$spy" </dev/null
	[ "$status" -eq 2 ]
	run scalp-cycle --source "replay:$spy" -j </dev/null
	[ "$status" -eq 2 ]
	[ ! -e "$J" ]
}

@test "--help and --version" {
	run --separate-stderr scalp-cycle --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: scalp-cycle [-c config] [-j journal] [-p profile] [-s symbol] [--until ts] --source source" ]
	[ -z "$stderr" ]
	run scalp-cycle --version
	[ "$status" -eq 0 ]
	[ "$output" = "scalp-cycle 0.1.0" ]
}
