/*
 * test_journal.c: the SQLite journal (lib/journal.c): opening and
 * migrating, nested transactions, idempotent intents and decisions,
 * fills into positions and the cash ledger, and loading the book back.
 */
#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "journal.h"
#include "paper.h"
#include "rec.h"

#define T0	1294065000000LL	/* 2011-01-03T14:30:00Z */
#define MIN	60000LL
#define BROKER	"paper"

/* A fresh directory per test; libcheck forks, so nothing is shared. */
static char	 dir[256];

static void
fresh_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp != '/' || strlen(tmp) > 128)
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/test_journal.XXXXXX", tmp);
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/*
 * Checked teardown, in the test's process after it passed: remove what
 * the tests make (a failed test leaves its directory to look at).
 */
static void
remove_dir(void)
{
	static const char *const files[] = {
		"journal.db", "journal.db-wal", "journal.db-shm",
		"a/b/c/journal.db", "a/b/c/journal.db-wal",
		"a/b/c/journal.db-shm", "a/b/c", "a/b", "a", ""
	};
	char path[512];
	size_t i;

	if (dir[0] == '\0')
		return;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		remove(path);
	}
	dir[0] = '\0';
}

static void
path_in(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/%s", dir, rel);
}

static struct journal *
open_fresh(void)
{
	struct journal *j;
	struct sk_err e = { 0 };
	char path[512];

	fresh_dir();
	path_in(path, sizeof(path), "journal.db");
	ck_assert_msg(journal_open(&j, path, &e) == 0, "%s", e.msg);
	return j;
}

/* The integer a query gives, or -1 if it gives no row. */
static int64_t
q_int(struct journal *j, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	ck_assert_msg(sqlite3_prepare_v2(journal_db(j), sql, -1, &st,
	    NULL) == SQLITE_OK, "%s: %s", sql, sqlite3_errmsg(journal_db(j)));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static double
q_num(struct journal *j, const char *sql)
{
	sqlite3_stmt *st;
	double v = NAN;

	ck_assert_int_eq(sqlite3_prepare_v2(journal_db(j), sql, -1, &st,
	    NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The text a query gives, in buf ("" for NULL or no row). */
static const char *
q_text(struct journal *j, const char *sql, char *buf, size_t n)
{
	sqlite3_stmt *st;
	const unsigned char *s;

	buf[0] = '\0';
	ck_assert_int_eq(sqlite3_prepare_v2(journal_db(j), sql, -1, &st,
	    NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (s = sqlite3_column_text(st, 0)) != NULL)
		sk_strlcpy(buf, (const char *)s, n);
	sqlite3_finalize(st);
	return buf;
}

/* A count seen from another connection: what is committed. */
static int64_t
committed(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char path[512];
	int64_t v = -1;

	path_in(path, sizeof(path), "journal.db");
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static struct order
mkorder(const char *id, int64_t ts, const char *side, const char *effect,
    const char *pos)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	o.ts = ts;
	o.expires = TS_UNSET;
	sk_strlcpy(o.symbol, "SPY", sizeof(o.symbol));
	sk_strlcpy(o.intent_id, id, sizeof(o.intent_id));
	sk_strlcpy(o.side, side, sizeof(o.side));
	o.qty = 100;
	sk_strlcpy(o.order_type, "market", sizeof(o.order_type));
	o.limit = o.stop = o.tp = o.sl = NAN;
	sk_strlcpy(o.effect, effect, sizeof(o.effect));
	sk_strlcpy(o.position_id, pos != NULL ? pos : "",
	    sizeof(o.position_id));
	sk_strlcpy(o.strategy, "ema-cloud", sizeof(o.strategy));
	sk_strlcpy(o.reason, strcmp(effect, "open") == 0 ? "entry" : "target",
	    sizeof(o.reason));
	return o;
}

static void
intent(struct journal *j, const struct order *o, int want)
{
	struct sk_err e = { 0 };
	char coid[REC_ID + 8];

	snprintf(coid, sizeof(coid), "c-%s", o->intent_id);
	ck_assert_msg(journal_intent(j, o, coid, BROKER, &e) == want,
	    "intent %s: %s", o->intent_id, e.msg);
}

static struct signal
mksignal(const char *id)
{
	struct signal s;

	memset(&s, 0, sizeof(s));
	s.ts = T0 + MIN;
	s.bar_ts = T0;
	sk_strlcpy(s.symbol, "SPY", sizeof(s.symbol));
	sk_strlcpy(s.id, id, sizeof(s.id));
	sk_strlcpy(s.strategy, "ema-cloud", sizeof(s.strategy));
	sk_strlcpy(s.side, "long", sizeof(s.side));
	sk_strlcpy(s.tier, "A", sizeof(s.tier));
	s.score = 62.5;
	s.prob = NAN;
	s.price = 126.72;
	sk_strlcpy(s.reasons[0], "say \"hi\" \\ there", REC_TEXT);
	s.nreasons = 1;
	return s;
}

START_TEST(open_creates_file_and_parents)
{
	struct journal *j, *j2;
	struct sk_err e = { 0 };
	struct stat sb;
	char path[512], parent[512], buf[32];

	fresh_dir();
	path_in(path, sizeof(path), "a/b/c/journal.db");
	path_in(parent, sizeof(parent), "a/b/c");
	ck_assert_msg(journal_open(&j, path, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert(S_ISREG(sb.st_mode));
	ck_assert_int_eq(stat(parent, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	/* It holds the book: nobody else may read it. */
	ck_assert_int_eq(sb.st_mode & 077, 0);
	ck_assert_str_eq(q_text(j, "PRAGMA journal_mode", buf, sizeof(buf)),
	    "wal");
	ck_assert_int_eq(q_int(j, "PRAGMA foreign_keys"), 1);
	ck_assert_int_ge(journal_version(), 1);
	ck_assert_int_eq(q_int(j, "PRAGMA user_version"), journal_version());
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM sqlite_schema WHERE"
	    " name IN ('orders','fills','positions','cash_ledger',"
	    "'stage_state','signals','decisions')"), 7);

	/* A second handle at once, then again after both close. */
	ck_assert_msg(journal_open(&j2, path, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(q_int(j2, "PRAGMA user_version"),
	    journal_version());
	journal_close(j2);
	journal_close(j);
	ck_assert_msg(journal_open(&j, path, &e) == 0, "%s", e.msg);
	ck_assert_str_eq(q_text(j, "PRAGMA journal_mode", buf, sizeof(buf)),
	    "wal");
	ck_assert_int_eq(q_int(j, "PRAGMA foreign_keys"), 1);
	journal_close(j);
}
END_TEST

START_TEST(open_in_unwritable_place_is_an_io_error)
{
	struct journal *j = (struct journal *)&j;
	struct sk_err e = { 0 };

	ck_assert_int_eq(journal_open(&j, "/proc/test_journal/x/j.db", &e),
	    -1);
	ck_assert_ptr_null(j);
	ck_assert_int_eq(e.status, SK_IO);
}
END_TEST

START_TEST(newer_schema_is_refused)
{
	struct journal *j;
	struct sk_err e = { 0 };
	char path[512], sql[64];

	j = open_fresh();
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    journal_version() + 1);
	ck_assert_int_eq(sqlite3_exec(journal_db(j), sql, NULL, NULL, NULL),
	    SQLITE_OK);
	journal_close(j);
	path_in(path, sizeof(path), "journal.db");
	j = (struct journal *)&j;
	ck_assert_int_eq(journal_open(&j, path, &e), -1);
	ck_assert_ptr_null(j);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_ptr_nonnull(strstr(e.msg, "newer"));
}
END_TEST

START_TEST(state_round_trip_and_replace)
{
	struct journal *j = open_fresh();
	struct sk_err e = { 0 };
	char *s = (char *)&s;

	ck_assert_int_eq(journal_state_get(j, "calc", "SPY/1m", &s, &e), 0);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(journal_state_put(j, "calc", "SPY/1m",
	    "{\"ema5\":126.7,\"n\":[1,2]}", &e), 0);
	ck_assert_int_eq(journal_state_put(j, "calc", "QQQ/1m", "{}", &e), 0);
	ck_assert_int_eq(journal_state_get(j, "calc", "SPY/1m", &s, &e), 0);
	ck_assert_str_eq(s, "{\"ema5\":126.7,\"n\":[1,2]}");
	free(s);
	ck_assert_int_eq(journal_state_put(j, "calc", "SPY/1m",
	    "{\"ema5\":126.8}", &e), 0);
	ck_assert_int_eq(journal_state_get(j, "calc", "SPY/1m", &s, &e), 0);
	ck_assert_str_eq(s, "{\"ema5\":126.8}");
	free(s);
	ck_assert_int_eq(journal_state_get(j, "feed", "SPY/1m", &s, &e), 0);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM stage_state"), 2);
	/* Not JSON: refused by the schema, and nothing changes. */
	ck_assert_int_eq(journal_state_put(j, "calc", "SPY/1m", "{", &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_int_eq(journal_state_get(j, "calc", "SPY/1m", &s, &e), 0);
	ck_assert_str_eq(s, "{\"ema5\":126.8}");
	free(s);
	journal_close(j);
}
END_TEST

START_TEST(intent_is_written_once)
{
	struct journal *j = open_fresh();
	struct order o = mkorder("e1", T0 + MIN, "buy", "open", NULL);
	struct order o2 = mkorder("e2", T0 + 2 * MIN, "buy", "open", NULL);
	struct sk_err e = { 0 };
	char buf[64];

	o.limit = 126.5;
	intent(j, &o, 1);
	intent(j, &o, 0);
	/* A replay with another client id is still the same intent. */
	ck_assert_int_eq(journal_intent(j, &o, "other", BROKER, &e), 0);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM orders"), 1);
	intent(j, &o2, 1);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM orders"), 2);
	ck_assert_int_eq(q_int(j, "SELECT seq FROM orders WHERE"
	    " intent_id = 'e1'"), 1);
	ck_assert_int_eq(q_int(j, "SELECT seq FROM orders WHERE"
	    " intent_id = 'e2'"), 2);
	ck_assert_str_eq(q_text(j, "SELECT status || ' ' || client_order_id ||"
	    " ' ' || position_id || ' ' || ts FROM orders WHERE"
	    " intent_id = 'e1'", buf, sizeof(buf)),
	    "intent c-e1 e1 2011-01-03T14:31:00Z");
	ck_assert(q_num(j, "SELECT limit_price FROM orders WHERE"
	    " intent_id = 'e1'") == 126.5);
	ck_assert_int_eq(q_int(j, "SELECT stop_price IS NULL AND expires IS"
	    " NULL FROM orders WHERE intent_id = 'e1'"), 1);
	journal_close(j);
}
END_TEST

START_TEST(decision_is_written_once)
{
	struct journal *j = open_fresh();
	struct signal s = mksignal("sig1"), s2 = mksignal("sig2");
	struct reject r;
	struct sk_err e = { 0 };
	int64_t day = clock_days(2011, 1, 3);
	char buf[128];

	ck_assert_int_eq(journal_decision(j, &s, NULL, "e1", 1267200, day,
	    &e), 1);
	ck_assert_int_eq(journal_decision(j, &s, NULL, "e1", 1267200, day,
	    &e), 0);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM signals"), 1);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM decisions"), 1);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM reservations"), 1);
	ck_assert_int_eq(q_int(j, "SELECT cash_cents FROM reservations"),
	    1267200);
	ck_assert_str_eq(q_text(j, "SELECT trade_date FROM reservations", buf,
	    sizeof(buf)), "2011-01-03");
	ck_assert_str_eq(q_text(j, "SELECT reasons FROM signals", buf,
	    sizeof(buf)), "[\"say \\\"hi\\\" \\\\ there\"]");
	ck_assert_int_eq(q_int(j, "SELECT prob IS NULL FROM signals"), 1);

	memset(&r, 0, sizeof(r));
	sk_strlcpy(r.gate, "max_positions", sizeof(r.gate));
	sk_strlcpy(r.reason, "1 open", sizeof(r.reason));
	r.threshold = 1;
	r.observed = 1;
	ck_assert_int_eq(journal_decision(j, &s2, &r, NULL, 0, day, &e), 1);
	ck_assert_int_eq(journal_decision(j, &s2, &r, NULL, 0, day, &e), 0);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM decisions"), 2);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM reservations"), 1);
	ck_assert_str_eq(q_text(j, "SELECT verdict || ' ' || gate FROM"
	    " decisions WHERE signal_id = 'sig2'", buf, sizeof(buf)),
	    "rejected max_positions");
	/* Entries for the daily gate come from the reservations. */
	{
		long n = -1;
		double net = NAN;

		ck_assert_int_eq(journal_day_stats(j, day, &n, &net, &e), 0);
		ck_assert_int_eq(n, 1);
		ck_assert(net == 0);
	}
	journal_close(j);
}
END_TEST

START_TEST(nested_transactions_commit_once_and_roll_back)
{
	struct journal *j = open_fresh();
	struct sk_err e = { 0 };
	char *s;

	ck_assert_int_eq(journal_begin(j, &e), 0);
	ck_assert_int_eq(journal_begin(j, &e), 0);
	ck_assert_int_eq(journal_state_put(j, "t", "a", "1", &e), 0);
	ck_assert_int_eq(journal_commit(j, &e), 0);
	/* The inner commit writes nothing. */
	ck_assert_int_eq(committed("SELECT COUNT(*) FROM stage_state"), 0);
	ck_assert_int_eq(journal_commit(j, &e), 0);
	ck_assert_int_eq(committed("SELECT COUNT(*) FROM stage_state"), 1);

	/* Rollback at depth 2 undoes the inner level only. */
	ck_assert_int_eq(journal_begin(j, &e), 0);
	ck_assert_int_eq(journal_state_put(j, "t", "b", "2", &e), 0);
	ck_assert_int_eq(journal_begin(j, &e), 0);
	ck_assert_int_eq(journal_state_put(j, "t", "c", "3", &e), 0);
	journal_rollback(j);
	ck_assert_int_eq(journal_state_get(j, "t", "c", &s, &e), 0);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(journal_state_get(j, "t", "b", &s, &e), 0);
	ck_assert_ptr_nonnull(s);
	free(s);
	ck_assert_int_eq(committed("SELECT COUNT(*) FROM stage_state"), 1);
	/* The outer commit writes what the outer level did... */
	ck_assert_int_eq(journal_commit(j, &e), 0);
	ck_assert_int_eq(committed("SELECT COUNT(*) FROM stage_state"), 2);
	/* ...and an outer rollback undoes everything since its begin. */
	ck_assert_int_eq(journal_begin(j, &e), 0);
	ck_assert_int_eq(journal_state_put(j, "t", "x", "5", &e), 0);
	ck_assert_int_eq(journal_begin(j, &e), 0);
	ck_assert_int_eq(journal_state_put(j, "t", "y", "6", &e), 0);
	ck_assert_int_eq(journal_commit(j, &e), 0);
	journal_rollback(j);
	ck_assert_int_eq(journal_state_get(j, "t", "x", &s, &e), 0);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(journal_state_get(j, "t", "y", &s, &e), 0);
	ck_assert_ptr_null(s);
	/* A commit with nothing open is harmless... */
	ck_assert_int_eq(journal_commit(j, &e), 0);
	/* ...and the next write is on its own again, at depth 0. */
	ck_assert_int_eq(journal_state_put(j, "t", "d", "4", &e), 0);
	ck_assert_int_eq(committed("SELECT COUNT(*) FROM stage_state"), 3);
	journal_close(j);
}
END_TEST

/*
 * Was a bug, now fixed: journal_decision() on a signal decided before returns 0 through
 * journal_rollback(), which undoes the OUTERMOST transaction: inside a
 * caller's transaction (backtest runs its whole replay in one, and
 * gate-risk treats 0 as "decided in an earlier run", the backtest
 * --append case), every write the caller made so far is lost, the depth
 * drops to 0 and the caller's final journal_commit() returns 0 as if
 * all were well.  Expected: a replay writes nothing and undoes nothing
 * (a SAVEPOINT, or checking for the decision first).  Got: the caller's
 * state row is gone.  Disabled in main().
 */
START_TEST(decision_replay_keeps_the_callers_transaction)
{
	struct journal *j = open_fresh();
	struct signal s = mksignal("sig1");
	struct sk_err e = { 0 };
	int64_t day = clock_days(2011, 1, 3);
	char *st;

	ck_assert_int_eq(journal_decision(j, &s, NULL, "e1", 1267200, day,
	    &e), 1);
	ck_assert_int_eq(journal_begin(j, &e), 0);
	ck_assert_int_eq(journal_state_put(j, "t", "mine", "1", &e), 0);
	ck_assert_int_eq(journal_decision(j, &s, NULL, "e1", 1267200, day,
	    &e), 0);
	ck_assert_int_eq(journal_commit(j, &e), 0);
	ck_assert_int_eq(journal_state_get(j, "t", "mine", &st, &e), 0);
	ck_assert_ptr_nonnull(st);
	free(st);
	journal_close(j);
}
END_TEST

/* An opening buy and its closing sell, through journal_book_event(). */
struct trade {
	struct order	 entry, exit;
	struct position	 pos;
	int64_t		 day, settle;
};

static void
trade_open(struct journal *j, struct trade *t, double price, double fee)
{
	struct book_event ev;
	struct sk_err e = { 0 };

	t->entry = mkorder("e1", T0 + MIN, "buy", "open", NULL);
	sk_strlcpy(t->entry.signal_id, "sig1", sizeof(t->entry.signal_id));
	intent(j, &t->entry, 1);
	memset(&t->pos, 0, sizeof(t->pos));
	sk_strlcpy(t->pos.id, "e1", sizeof(t->pos.id));
	sk_strlcpy(t->pos.symbol, "SPY", sizeof(t->pos.symbol));
	sk_strlcpy(t->pos.strategy, "ema-cloud", sizeof(t->pos.strategy));
	sk_strlcpy(t->pos.signal_id, "sig1", sizeof(t->pos.signal_id));
	t->pos.dir = 1;
	t->pos.qty = 100;
	t->pos.entry_price = price;
	t->pos.entry_fee = fee;
	t->pos.entry_ts = T0 + MIN;
	t->day = clock_days(2011, 1, 3);
	t->settle = clock_days(2011, 1, 4);
	memset(&ev, 0, sizeof(ev));
	ev.what = BOOK_FILL;
	ev.ord = &t->entry;
	ev.ts = T0 + MIN;
	ev.price = price;
	ev.fee = fee;
	ev.pos = &t->pos;
	ck_assert_msg(journal_book_event(j, &ev, t->day, t->settle, &e) == 0,
	    "%s", e.msg);
}

static void
trade_close(struct journal *j, struct trade *t, double price, double fee)
{
	struct book_event ev;
	struct sk_err e = { 0 };

	t->exit = mkorder("e1/target", T0 + 5 * MIN, "sell", "close", "e1");
	intent(j, &t->exit, 1);
	memset(&ev, 0, sizeof(ev));
	ev.what = BOOK_FILL;
	ev.ord = &t->exit;
	ev.ts = T0 + 6 * MIN;
	ev.price = price;
	ev.fee = fee;
	ev.pos = &t->pos;
	ev.pnl = (price - t->pos.entry_price) * t->pos.qty;
	ck_assert_msg(journal_book_event(j, &ev, t->day, t->settle, &e) == 0,
	    "%s", e.msg);
}

START_TEST(book_events_open_and_close_a_position)
{
	struct journal *j = open_fresh();
	struct trade t;
	struct sk_err e = { 0 };
	char buf[256];
	int64_t total, settled;
	double net;

	trade_open(j, &t, 126.65, 0);
	ck_assert_str_eq(q_text(j, "SELECT status || ' ' || side || ' ' ||"
	    " qty || ' ' || entry_ts || ' ' || strategy || ' ' || signal_id"
	    " FROM positions WHERE id = 'e1'", buf, sizeof(buf)),
	    "open long 100.0 2011-01-03T14:31:00Z ema-cloud sig1");
	ck_assert(q_num(j, "SELECT entry_price FROM positions") == 126.65);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM fills"), 1);
	ck_assert_str_eq(q_text(j, "SELECT status FROM orders WHERE"
	    " intent_id = 'e1'", buf, sizeof(buf)), "filled");
	ck_assert_str_eq(q_text(j, "SELECT kind || ' ' || amount_cents ||"
	    " ' ' || trade_date || ' ' || settle_date || ' ' || symbol FROM"
	    " cash_ledger", buf, sizeof(buf)),
	    "buy -1266500 2011-01-03 2011-01-04 SPY");
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM cash_ledger l JOIN"
	    " fills f ON l.fill_id = f.id WHERE f.intent_id = 'e1'"), 1);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM cash_ledger"), 1);

	trade_close(j, &t, 127.00, 1.0);
	ck_assert_str_eq(q_text(j, "SELECT status || ' ' || exit_ts || ' ' ||"
	    " exit_reason FROM positions WHERE id = 'e1'", buf, sizeof(buf)),
	    "closed 2011-01-03T14:36:00Z target");
	ck_assert(q_num(j, "SELECT exit_price FROM positions") == 127.0);
	ck_assert_double_eq_tol(q_num(j, "SELECT pnl FROM positions"), 35.0,
	    1e-9);
	ck_assert(q_num(j, "SELECT fees FROM positions") == 1.0);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM fills"), 2);
	ck_assert_str_eq(q_text(j, "SELECT status FROM orders WHERE"
	    " intent_id = 'e1/target'", buf, sizeof(buf)), "filled");
	ck_assert_str_eq(q_text(j, "SELECT group_concat(kind || ' ' ||"
	    " amount_cents || ' ' || settle_date, ', ') FROM (SELECT * FROM"
	    " cash_ledger ORDER BY id)", buf, sizeof(buf)),
	    "buy -1266500 2011-01-04, sell 1270000 2011-01-04, "
	    "fee -100 2011-01-03");
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM trades"), 1);

	ck_assert_int_eq(journal_realised(j, &net, &e), 0);
	ck_assert_double_eq_tol(net, 34.0, 1e-9);
	/*
	 * By day: nothing before the trade date; on it, money out counts at
	 * once and money in once settled (T+1), fees the same day.
	 */
	ck_assert_int_eq(journal_cash(j, clock_days(2011, 1, 2), &total,
	    &settled, &e), 0);
	ck_assert_int_eq(total, 0);
	ck_assert_int_eq(settled, 0);
	ck_assert_int_eq(journal_cash(j, t.day, &total, &settled, &e), 0);
	ck_assert_int_eq(total, 3400);
	ck_assert_int_eq(settled, -1266500 - 100);
	ck_assert_int_eq(journal_cash(j, t.settle, &total, &settled, &e), 0);
	ck_assert_int_eq(total, 3400);
	ck_assert_int_eq(settled, 3400);
	journal_close(j);
}
END_TEST

START_TEST(cash_settled_vs_total_by_day)
{
	struct journal *j = open_fresh();
	struct trade t;
	struct sk_err e = { 0 };
	int64_t total = -1, settled = -1;

	ck_assert_int_eq(journal_cash(j, clock_days(2011, 1, 3), &total,
	    &settled, &e), 0);
	ck_assert_int_eq(total, 0);
	ck_assert_int_eq(settled, 0);
	ck_assert_int_eq(sqlite3_exec(journal_db(j), "INSERT INTO cash_ledger"
	    " (ts, trade_date, settle_date, kind, amount_cents) VALUES"
	    " ('2010-12-31T12:00:00Z', '2010-12-31', '2010-12-31', 'deposit',"
	    " 2500000)", NULL, NULL, NULL), SQLITE_OK);
	trade_open(j, &t, 126.65, 0);
	/* 37 shares at 126.65 is 4686.05: an inexact double, exact cents. */
	{
		struct order o = mkorder("e2", T0 + MIN, "buy", "open", NULL);
		struct position p = t.pos;
		struct book_event ev;

		o.qty = 37;
		intent(j, &o, 1);
		sk_strlcpy(p.id, "e2", sizeof(p.id));
		p.qty = 37;
		memset(&ev, 0, sizeof(ev));
		ev.what = BOOK_FILL;
		ev.ord = &o;
		ev.ts = T0 + MIN;
		ev.price = 126.65;
		ev.pos = &p;
		ck_assert_int_eq(journal_book_event(j, &ev, t.day,
		    clock_days(2011, 1, 5), &e), 0);
	}
	ck_assert_int_eq(q_int(j, "SELECT amount_cents FROM cash_ledger"
	    " WHERE fill_id = (SELECT id FROM fills WHERE intent_id = 'e2')"),
	    -468605);
	/* Buys are paid for at once, whenever they settle: no free ride. */
	ck_assert_int_eq(journal_cash(j, t.day, &total, &settled, &e), 0);
	ck_assert_int_eq(total, 2500000 - 1266500 - 468605);
	ck_assert_int_eq(settled, 2500000 - 1266500 - 468605);
	ck_assert_int_eq(journal_cash(j, t.settle, &total, &settled, &e), 0);
	ck_assert_int_eq(settled, 2500000 - 1266500 - 468605);
	ck_assert_int_eq(journal_cash(j, clock_days(2011, 1, 5), &total,
	    &settled, &e), 0);
	ck_assert_int_eq(settled, total);
	journal_close(j);
}
END_TEST

START_TEST(load_book_reloads_positions_and_working_orders)
{
	struct journal *j = open_fresh();
	struct trade t;
	struct book b;
	struct sk_err e = { 0 };
	struct order w = mkorder("e1/stop", T0 + 2 * MIN, "sell", "close",
	    "e1");
	struct order acc = mkorder("e3", T0 + 2 * MIN, "buy", "open", NULL);
	struct order gone = mkorder("e4", T0 + 2 * MIN, "buy", "open", NULL);
	struct order other = mkorder("e5", T0 + 2 * MIN, "buy", "open", NULL);

	trade_open(j, &t, 126.65, 0.5);
	sk_strlcpy(w.order_type, "stop", sizeof(w.order_type));
	w.stop = 124.117;
	intent(j, &w, 1);
	intent(j, &acc, 1);
	ck_assert_int_eq(journal_order_status(j, "e3", "accepted", T0, "b-3",
	    NULL, &e), 0);
	intent(j, &gone, 1);
	ck_assert_int_eq(journal_order_status(j, "e4", "expired", T0, NULL,
	    "late", &e), 0);
	ck_assert_int_eq(journal_intent(j, &other, "c-e5", "tradier", &e), 1);

	book_init(&b, NULL);
	ck_assert_msg(journal_load_book(j, BROKER, &b, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(b.npos, 1);
	ck_assert_str_eq(b.pos[0].id, "e1");
	ck_assert_str_eq(b.pos[0].symbol, "SPY");
	ck_assert_str_eq(b.pos[0].strategy, "ema-cloud");
	ck_assert_str_eq(b.pos[0].signal_id, "sig1");
	ck_assert_int_eq(b.pos[0].dir, 1);
	ck_assert(b.pos[0].qty == 100);
	ck_assert(b.pos[0].entry_price == 126.65);
	ck_assert(b.pos[0].entry_fee == 0.5);
	ck_assert_int_eq(b.pos[0].entry_ts, T0 + MIN);
	/* Working: the stop (intent) and e3 (accepted), in seq order. */
	ck_assert_uint_eq(b.nord, 2);
	ck_assert_str_eq(b.ord[0].intent_id, "e1/stop");
	ck_assert_str_eq(b.ord[0].order_type, "stop");
	ck_assert(b.ord[0].stop == 124.117);
	ck_assert(isnan(b.ord[0].limit));
	ck_assert_int_eq(b.ord[0].ts, T0 + 2 * MIN);
	ck_assert_int_eq(b.ord[0].expires, TS_UNSET);
	ck_assert_str_eq(b.ord[0].position_id, "e1");
	ck_assert_str_eq(b.ord[0].effect, "close");
	ck_assert_str_eq(b.ord[0].reason, "target");
	ck_assert_str_eq(b.ord[1].intent_id, "e3");
	/* The closing order marks its position. */
	ck_assert_int_eq(b.pos[0].closing, 1);
	book_release(&b);
	journal_close(j);
}
END_TEST

START_TEST(sync_orders_takes_new_orders_once)
{
	struct journal *j = open_fresh();
	struct book b[6];
	struct sk_err e = { 0 };
	struct order o1 = mkorder("e1", T0, "buy", "open", NULL);
	struct order o2 = mkorder("e2", T0 + MIN, "buy", "open", NULL);
	struct order o3 = mkorder("e3", T0 + MIN, "buy", "open", NULL);
	int i;

	for (i = 0; i < 6; i++)
		book_init(&b[i], NULL);
	ck_assert_int_eq(journal_load_book(j, BROKER, &b[0], &e), 0);
	ck_assert_uint_eq(b[0].nord, 0);
	ck_assert_int_eq(journal_sync_orders(j, BROKER, &b[1], &e), 0);
	ck_assert_uint_eq(b[1].nord, 0);

	intent(j, &o1, 1);
	ck_assert_int_eq(journal_sync_orders(j, BROKER, &b[2], &e), 0);
	ck_assert_uint_eq(b[2].nord, 1);
	ck_assert_str_eq(b[2].ord[0].intent_id, "e1");
	/* Nothing changed: nothing comes. */
	ck_assert_int_eq(journal_sync_orders(j, BROKER, &b[3], &e), 0);
	ck_assert_uint_eq(b[3].nord, 0);
	/* A change that adds no order, and an order of another broker. */
	ck_assert_int_eq(journal_order_status(j, "e1", "accepted", T0, "b1",
	    NULL, &e), 0);
	ck_assert_int_eq(journal_intent(j, &o3, "c-e3", "tradier", &e), 1);
	ck_assert_int_eq(journal_sync_orders(j, BROKER, &b[4], &e), 0);
	ck_assert_uint_eq(b[4].nord, 0);

	intent(j, &o2, 1);
	ck_assert_int_eq(journal_sync_orders(j, BROKER, &b[5], &e), 0);
	ck_assert_uint_eq(b[5].nord, 1);
	ck_assert_str_eq(b[5].ord[0].intent_id, "e2");
	for (i = 0; i < 6; i++)
		book_release(&b[i]);
	journal_close(j);
}
END_TEST

/*
 * Was a bug, now fixed: journal_sync_orders() promises the orders journaled "since the
 * journal was opened", but the newest seq it starts from is 0 (or the
 * newest *working* order journal_load_book() saw), not the newest order
 * in the journal.  So in a journal that already holds finished orders
 * (a cron cycle after the first, backtest --append), the first sync
 * after any write hands every old order of the broker to the book
 * again, filled and expired ones included: an old filled entry becomes
 * a pending entry in watch-exits' book.  Expected: the one new order;
 * got: the old filled one too.  Disabled in main().
 */
START_TEST(sync_orders_after_reopen_skips_old_orders)
{
	struct journal *j;
	struct book b, b2;
	struct sk_err e = { 0 };
	struct order old = mkorder("old", T0, "buy", "open", NULL);
	struct order o = mkorder("new", T0 + MIN, "buy", "open", NULL);
	char path[512];

	j = open_fresh();
	intent(j, &old, 1);
	ck_assert_int_eq(journal_order_status(j, "old", "filled", T0, NULL,
	    NULL, &e), 0);
	journal_close(j);

	path_in(path, sizeof(path), "journal.db");
	ck_assert_int_eq(journal_open(&j, path, &e), 0);
	book_init(&b, NULL);
	book_init(&b2, NULL);
	ck_assert_int_eq(journal_load_book(j, BROKER, &b, &e), 0);
	ck_assert_uint_eq(b.nord, 0);
	intent(j, &o, 1);
	ck_assert_int_eq(journal_sync_orders(j, BROKER, &b2, &e), 0);
	ck_assert_uint_eq(b2.nord, 1);
	ck_assert_str_eq(b2.ord[0].intent_id, "new");
	book_release(&b);
	book_release(&b2);
	journal_close(j);
}
END_TEST

START_TEST(book_event_expiry_and_rejection_set_status)
{
	struct journal *j = open_fresh();
	struct order o = mkorder("e1", T0, "buy", "open", NULL);
	struct order x = mkorder("x/eod", T0, "sell", "close", "x");
	struct book_event ev;
	struct sk_err e = { 0 };
	char buf[128];

	intent(j, &o, 1);
	intent(j, &x, 1);
	memset(&ev, 0, sizeof(ev));
	ev.what = BOOK_EXPIRE;
	ev.ord = &o;
	ev.ts = T0 + MIN;
	ev.why = "expired";
	ck_assert_int_eq(journal_book_event(j, &ev, 0, 0, &e), 0);
	ev.what = BOOK_REJECT;
	ev.ord = &x;
	ev.why = "no open position";
	ck_assert_int_eq(journal_book_event(j, &ev, 0, 0, &e), 0);
	ck_assert_str_eq(q_text(j, "SELECT group_concat(status || ':' ||"
	    " status_reason || ':' || status_ts, ' ') FROM (SELECT * FROM"
	    " orders ORDER BY seq)", buf, sizeof(buf)),
	    "expired:expired:2011-01-03T14:31:00Z "
	    "rejected:no open position:2011-01-03T14:31:00Z");
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM fills"), 0);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM cash_ledger"), 0);
	journal_close(j);
}
END_TEST

START_TEST(fill_for_unknown_order_writes_nothing)
{
	struct journal *j = open_fresh();
	struct order o = mkorder("ghost", T0, "buy", "open", NULL);
	struct position p;
	struct book_event ev;
	struct sk_err e = { 0 };

	memset(&p, 0, sizeof(p));
	sk_strlcpy(p.id, "ghost", sizeof(p.id));
	sk_strlcpy(p.symbol, "SPY", sizeof(p.symbol));
	p.dir = 1;
	p.qty = 100;
	memset(&ev, 0, sizeof(ev));
	ev.what = BOOK_FILL;
	ev.ord = &o;
	ev.ts = T0;
	ev.price = 100;
	ev.pos = &p;
	/* Foreign keys: a fill needs its order's intent first. */
	ck_assert_int_eq(journal_book_event(j, &ev, 0, 0, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM fills"), 0);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM positions"), 0);
	ck_assert_int_eq(q_int(j, "SELECT COUNT(*) FROM cash_ledger"), 0);
	journal_close(j);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("journal");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, NULL, remove_dir);
	tcase_add_test(tc, open_creates_file_and_parents);
	tcase_add_test(tc, open_in_unwritable_place_is_an_io_error);
	tcase_add_test(tc, newer_schema_is_refused);
	tcase_add_test(tc, state_round_trip_and_replace);
	tcase_add_test(tc, intent_is_written_once);
	tcase_add_test(tc, decision_is_written_once);
	tcase_add_test(tc, nested_transactions_commit_once_and_roll_back);
	tcase_add_test(tc, book_events_open_and_close_a_position);
	tcase_add_test(tc, cash_settled_vs_total_by_day);
	tcase_add_test(tc, load_book_reloads_positions_and_working_orders);
	tcase_add_test(tc, sync_orders_takes_new_orders_once);
	tcase_add_test(tc, book_event_expiry_and_rejection_set_status);
	tcase_add_test(tc, fill_for_unknown_order_writes_nothing);
	tcase_add_test(tc, decision_replay_keeps_the_callers_transaction);
	tcase_add_test(tc, sync_orders_after_reopen_skips_old_orders);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
