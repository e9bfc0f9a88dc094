#!/usr/bin/env bats
# property: many randomized paper runs through backtest, and the money
# invariants of issue 4 checked with SQL on each run's journal.
#
# setup_file makes SK_PROP_RUNS runs (default 100) from the seeds
# SK_PROP_SEED (default 20240101), SK_PROP_SEED+1, ...: for each,
# fixtures/property/gen.awk writes 1-3 January 2024 trading days of
# random-walk minute bars with frequent volume spikes and a random
# profile (cash or margin account, cash 2,000-200,000, qty, limits, fees,
# stop/target, session_loss_pct, loss_cooldown, min_interval,
# loss_streak, target_equity, max_position_pct), and backtest journals
# the run.  Each test below checks one invariant on every journal and,
# on failure, prints the seed, the run's parameters and the offending
# rows.  To reproduce one run:
#   awk -v seed=SEED -v out=DIR -f tests/cli/fixtures/property/gen.awk
#   backtest -c etc/scalpkit.conf -p DIR/profile.conf -s SPY \
#       -j DIR/j.db DIR/bars.csv
# or run this file with SK_PROP_SEED=SEED SK_PROP_RUNS=1.

# The parameters of a run (type, cash, max_positions ...) come from its
# params file, sourced by each_run.
# shellcheck disable=SC2154

bats_require_minimum_version 1.5.0

setup_file() {
	local i seed d

	export PATH="${SK_BIN:-$BATS_TEST_DIRNAME/../../bin}:$PATH"
	top="$BATS_TEST_DIRNAME/../.."
	unset SCALPKIT_JOURNAL SCALPKIT_CONF
	export SCALPKIT_SHARE="$top/share"
	export XDG_CONFIG_HOME="$BATS_FILE_TMPDIR/config"
	runs="${SK_PROP_RUNS:-100}"
	base="${SK_PROP_SEED:-20240101}"
	for ((i = 0; i < runs; i++)); do
		seed=$((base + i))
		d="$BATS_FILE_TMPDIR/run.$seed"
		mkdir -p "$d"
		awk -v seed="$seed" -v out="$d" \
		    -f "$BATS_TEST_DIRNAME/fixtures/property/gen.awk" || {
			echo "seed $seed: gen.awk failed" >&3
			return 1
		}
		if ! XDG_STATE_HOME="$d/state" backtest -q \
		    -c "$top/etc/scalpkit.conf" -p "$d/profile.conf" -s SPY \
		    -j "$d/j.db" "$d/bars.csv" >"$d/out" 2>&1; then
			{
				echo "seed $seed: backtest failed:"
				cat "$d/out" "$d/params" "$d/profile.conf"
			} >&3
			return 1
		fi
	done
}

# fail_run SEED DIR WHAT ROWS: print the failure with what reproduces it.
fail_run() {
	echo "invariant broken: $3"
	echo "seed: $1  (SK_PROP_SEED=$1 SK_PROP_RUNS=1)"
	echo "params: $(cat "$2/params")"
	echo "profile:"
	sed 's/^/  /' "$2/profile.conf"
	echo "offending rows:"
	printf '%s\n' "$4" | sed 's/^/  /'
	return 1
}

# sql_failed SEED DIR: a check's query failed; never a pass.
sql_failed() {
	fail_run "$1" "$2" "the check's query failed (sqlite3 said so above)" ""
}

# each_run FUNC: call FUNC SEED DIR for every run, with its params set;
# fail if any run fails, with the details of the first three and the
# seeds of the others.
each_run() {
	local d seed n=0 bad=0 more=""

	for d in "$BATS_FILE_TMPDIR"/run.*; do
		seed="${d##*.}"
		# shellcheck disable=SC1091
		. "$d/params"
		n=$((n + 1))
		if [ "$bad" -lt 3 ]; then
			"$1" "$seed" "$d" || bad=$((bad + 1))
		elif ! "$1" "$seed" "$d" >/dev/null; then
			bad=$((bad + 1))
			more+=" $seed"
		fi
	done
	[ -z "$more" ] || echo "also broken in the runs of seeds:$more"
	[ "$bad" -eq 0 ] && [ "$n" -gt 0 ]
}

# 1. Settled cash never goes negative in a cash account: on every date D
# of the ledger, what is settled by D less every payment made by D
# (paid at once, whenever it settles) is >= 0.  Margin accounts are
# skipped on purpose: they borrow by design, and with max_positions
# above 1 each position may be up to max_position_pct of the equity, so
# no bound on the cash alone follows from the rules.
check_settled() {
	local rows

	[ "$type" = cash ] || return 0
	rows=$(sqlite3 "$2/j.db" "
	    WITH d(day) AS (SELECT trade_date FROM cash_ledger
	        UNION SELECT settle_date FROM cash_ledger)
	    SELECT day, (SELECT SUM(amount_cents) FROM cash_ledger
	        WHERE trade_date <= day
	          AND (amount_cents < 0 OR settle_date <= day)) AS settled
	    FROM d WHERE settled < 0 ORDER BY day") ||
	    { sql_failed "$1" "$2"; return 1; }
	[ -z "$rows" ] || fail_run "$1" "$2" "settled cash < 0 (day|cents)" \
	    "$rows
ledger:
$(sqlite3 "$2/j.db" 'SELECT * FROM cash_ledger ORDER BY id')"
}

@test "settled cash never goes negative (cash accounts)" {
	each_run check_settled
}

# 2. No free riding: every buy in a cash account is paid for with cash
# settled on its trade date, net of every earlier payment (ledger rows
# before it by id).
check_freeride() {
	local rows

	[ "$type" = cash ] || return 0
	rows=$(sqlite3 "$2/j.db" "
	    SELECT b.id, b.ts, b.trade_date, -b.amount_cents AS cost,
	        (SELECT COALESCE(SUM(e.amount_cents), 0) FROM cash_ledger e
	         WHERE e.id < b.id AND e.trade_date <= b.trade_date
	           AND (e.amount_cents < 0 OR e.settle_date <= b.trade_date))
	        AS spendable
	    FROM cash_ledger b WHERE b.kind = 'buy' AND spendable < cost
	    ORDER BY b.id") ||
	    { sql_failed "$1" "$2"; return 1; }
	[ -z "$rows" ] || fail_run "$1" "$2" \
	    "buy beyond settled cash (id|ts|date|cost|spendable)" "$rows
ledger:
$(sqlite3 "$2/j.db" 'SELECT * FROM cash_ledger ORDER BY id')"
}

@test "no free-riding buy is approved in a cash account" {
	each_run check_freeride
}

# 3. The daily (and session) loss limit is passed by no more than the
# open risk when it tripped.  The limit L of a date D is lim% of the
# equity at D's start (account.cash plus the net P&L of the positions
# closed before D), lim the smaller of daily_loss_pct and a set
# session_loss_pct (with rth a session is the day, and no position is
# held overnight, so its start equity is the day's).  Until it trips,
# the P&L realised that day is above -L; once it trips nothing opens, so
# the rest of the day's P&L comes from positions open at the trip, each
# losing at most its stop distance qty*entry*stop_pct/100 (the paper
# broker fills a stop at its price, and the bars have no gaps inside a
# day), plus a cent a unit for rounding, plus its fees.  Summing that
# over all of D's positions instead of those open at the trip gives the
# looser but sound bound: net(D) >= -L - sum(max loss).
check_daily_loss() {
	local rows lim="$daily_loss_pct"

	if [ "$session_loss_pct" != 0 ] &&
	    awk -v a="$session_loss_pct" -v b="$lim" 'BEGIN{exit !(a < b)}'; then
		lim="$session_loss_pct"
	fi
	rows=$(sqlite3 "$2/j.db" "
	    WITH days AS (SELECT DISTINCT exit_date AS d FROM positions
	        WHERE status = 'closed'),
	    per AS (SELECT d,
	        $cash + (SELECT COALESCE(SUM(pnl - fees), 0) FROM positions
	            WHERE status = 'closed' AND exit_date < d) AS start_eq,
	        (SELECT SUM(pnl - fees) FROM positions
	            WHERE status = 'closed' AND exit_date = d) AS net,
	        (SELECT SUM(qty * (entry_price * $stop_pct / 100.0 + 0.01)
	            + fees) FROM positions WHERE entry_date = d) AS risk
	        FROM days)
	    SELECT d, round(start_eq, 2), round(net, 2),
	        round(-$lim / 100.0 * start_eq, 2) AS limit_, round(risk, 2)
	    FROM per WHERE net < -$lim / 100.0 * start_eq - risk") ||
	    { sql_failed "$1" "$2"; return 1; }
	[ -z "$rows" ] || fail_run "$1" "$2" \
	    "day's loss beyond limit + open risk (day|start equity|net|limit|risk)" \
	    "$rows
positions:
$(sqlite3 "$2/j.db" 'SELECT id, side, qty, entry_ts, entry_price, exit_ts, exit_price, exit_reason, pnl, fees FROM positions ORDER BY entry_ts')"
}

@test "daily and session loss limits are passed by no more than the open risk" {
	each_run check_daily_loss
}

# 4. Never more than max_positions open at once (counted at every entry:
# the positions entered by then and not yet exited; one exiting at the
# very time another enters is gone), nor more than max_trades_day
# entries, or approvals, on one trade date.
check_max_positions() {
	local rows

	rows=$(sqlite3 "$2/j.db" "
	    SELECT p.id, p.entry_ts, (SELECT COUNT(*) FROM positions q
	        WHERE q.entry_ts <= p.entry_ts
	          AND (q.exit_ts IS NULL OR q.exit_ts > p.entry_ts)) AS open_
	    FROM positions p WHERE open_ > $max_positions ORDER BY p.entry_ts") ||
	    { sql_failed "$1" "$2"; return 1; }
	[ -z "$rows" ] || fail_run "$1" "$2" \
	    "more than max_positions=$max_positions open (id|entry_ts|open)" \
	    "$rows
positions:
$(sqlite3 "$2/j.db" 'SELECT id, entry_ts, exit_ts, exit_reason FROM positions ORDER BY entry_ts')"
}

check_max_trades() {
	local rows

	rows=$(sqlite3 "$2/j.db" "
	    SELECT 'positions', entry_date, COUNT(*) FROM positions
	        GROUP BY entry_date HAVING COUNT(*) > $max_trades_day
	    UNION ALL
	    SELECT 'reservations', trade_date, COUNT(*) FROM reservations
	        GROUP BY trade_date HAVING COUNT(*) > $max_trades_day") ||
	    { sql_failed "$1" "$2"; return 1; }
	[ -z "$rows" ] || fail_run "$1" "$2" \
	    "more than max_trades_day=$max_trades_day (table|date|count)" "$rows"
}

@test "max concurrent positions is never exceeded" {
	each_run check_max_positions
}

@test "max trades per day is never exceeded" {
	each_run check_max_trades
}

# 5. Every signal ends approved or rejected with a reason: exactly one
# decision each; a reject names its gate and reason; an approval names
# an intent that is in orders.
check_decided() {
	local rows

	rows=$(sqlite3 "$2/j.db" "
	    SELECT 'undecided', s.id, COUNT(d.id) FROM signals s
	        LEFT JOIN decisions d ON d.signal_id = s.id
	        GROUP BY s.id HAVING COUNT(d.id) <> 1
	    UNION ALL
	    SELECT 'no signal', d.signal_id, d.id FROM decisions d
	        WHERE d.signal_id NOT IN (SELECT id FROM signals)
	    UNION ALL
	    SELECT 'reject without reason', signal_id,
	        COALESCE(gate, 'NULL') || '/' || COALESCE(reason, 'NULL')
	        FROM decisions WHERE verdict = 'rejected'
	        AND (COALESCE(gate, '') = '' OR COALESCE(reason, '') = '')
	    UNION ALL
	    SELECT 'approval without order', signal_id,
	        COALESCE(intent_id, 'NULL') FROM decisions
	        WHERE verdict = 'approved' AND (intent_id IS NULL
	        OR intent_id NOT IN (SELECT intent_id FROM orders))") ||
	    { sql_failed "$1" "$2"; return 1; }
	[ -z "$rows" ] || fail_run "$1" "$2" \
	    "signal not decided exactly once with a reason (what|signal|detail)" \
	    "$rows"
}

@test "every signal ends either approved or rejected with a reason" {
	each_run check_decided
}

# The runs must exercise the rules, or the checks above prove nothing.
# Only gates that many of the default runs reach are required, so that
# another awk's rand() (other runs) still passes.
@test "the runs approve, reject and trade in both kinds of account" {
	local d all="" tally k

	for d in "$BATS_FILE_TMPDIR"/run.*; do
		# shellcheck disable=SC1091
		. "$d/params"
		all+="$(sqlite3 "$d/j.db" "
		    SELECT '$type', 'approved', COUNT(*) FROM decisions
		        WHERE verdict = 'approved'
		    UNION ALL SELECT '$type', 'gate:' || gate, COUNT(*)
		        FROM decisions WHERE verdict = 'rejected' GROUP BY gate
		    UNION ALL SELECT '$type', 'closed', COUNT(*) FROM positions
		        WHERE status = 'closed'")"$'\n'
	done
	tally=$(printf '%s' "$all" | awk -F'|' 'NF == 3 { n[$1 "|" $2] += $3 }
	    END { for (k in n) print k "|" n[k] }' | sort)
	echo "gates and counts over the runs:"; echo "$tally"
	if [ -n "${SK_PROP_SEED:-}" ] || [ -n "${SK_PROP_RUNS:-}" ]; then
		skip "coverage is only asserted for the default seeds"
	fi
	for k in cash\|approved margin\|approved cash\|closed margin\|closed \
	    cash\|gate:settled_cash gate:max_trades_day \
	    margin\|gate:max_positions gate:daily_loss gate:session_loss \
	    gate:loss_cooldown gate:target_reached; do
		printf '%s\n' "$tally" | awk -F'|' -v k="$k" \
		    '($1 "|" $2 == k || $2 == k) && $3 > 0 { f = 1 }
		    END { exit !f }' || {
			echo "no $k in the runs"
			return 1
		}
	done
}
