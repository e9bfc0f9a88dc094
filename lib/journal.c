/*
 * journal.c: opening and migrating the SQLite journal, nested
 * transactions, and the saved state of streaming stages.  The schema
 * is a list of migrations; PRAGMA user_version says how many ran.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <math.h>

#include "clock.h"
#include "journal.h"
#include "occ.h"
#include "paper.h"

struct journal {
	sqlite3		*db;
	int		 depth;		/* nesting of journal_begin() */
	char		 path[1024];
	int64_t		 changes;	/* total_changes at the last sync */
	int64_t		 dv;		/* PRAGMA data_version then */
	int		 deposited;	/* the opening deposit is written */
	int64_t		 seq;		/* newest order seq synced */
	/* Prepared statements, by the address of their SQL literal. */
	struct {
		const char	*sql;
		sqlite3_stmt	*st;
	}		 cache[48];
	int		 ncache;
};

/*
 * Each entry moves the schema one version up, in one transaction.
 * CHECKs spell out "a = 'x' OR a = 'y'": SQLite 3.40 builds a temporary
 * b-tree for every IN list it checks, on every write.
 * Never edit a released entry: add a new one.  Amounts of money that
 * reconcile-settlement compares are integers in cents.
 */
static const char *const migrations[] = {
	/* 1: the foundation */
	"CREATE TABLE stage_state ("
	"  stage TEXT NOT NULL,"
	"  key TEXT NOT NULL,"
	"  state TEXT NOT NULL CHECK (json_valid(state)),"
	"  updated_at TEXT NOT NULL"
	"    DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
	"  PRIMARY KEY (stage, key));"
	"CREATE TABLE signals ("
	"  id TEXT PRIMARY KEY,"
	"  ts TEXT NOT NULL,"
	"  bar_ts TEXT,"
	"  symbol TEXT NOT NULL,"
	"  strategy TEXT NOT NULL,"
	"  side TEXT NOT NULL CHECK (side = 'long' OR side = 'short'),"
	"  tier TEXT, score REAL, prob REAL, price REAL,"
	"  reasons TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(reasons)));"
	"CREATE TABLE decisions ("
	"  id INTEGER PRIMARY KEY,"
	"  signal_id TEXT NOT NULL REFERENCES signals(id),"
	"  ts TEXT NOT NULL,"
	"  verdict TEXT NOT NULL"
	"    CHECK (verdict = 'approved' OR verdict = 'rejected'),"
	"  trade_date TEXT NOT NULL,"
	"  gate TEXT, reason TEXT, threshold REAL, observed REAL,"
	"  intent_id TEXT,"
	"  UNIQUE (signal_id));"
	"CREATE TABLE orders ("
	"  intent_id TEXT PRIMARY KEY,"
	"  client_order_id TEXT NOT NULL UNIQUE,"
	"  seq INTEGER NOT NULL,"
	"  ts TEXT NOT NULL,"
	"  broker TEXT NOT NULL,"
	"  symbol TEXT NOT NULL,"
	"  side TEXT NOT NULL CHECK (side = 'buy' OR side = 'sell'),"
	"  qty REAL NOT NULL CHECK (qty > 0),"
	"  order_type TEXT NOT NULL CHECK (order_type = 'market'"
	"    OR order_type = 'limit' OR order_type = 'stop'),"
	"  limit_price REAL, stop_price REAL, tp REAL, sl REAL,"
	"  expires TEXT,"
	"  effect TEXT NOT NULL CHECK (effect = 'open' OR effect = 'close'),"
	"  position_id TEXT NOT NULL,"
	"  signal_id TEXT, strategy TEXT, reason TEXT,"
	"  status TEXT NOT NULL DEFAULT 'intent' CHECK (status = 'intent'"
	"    OR status = 'sent' OR status = 'accepted' OR status = 'filled'"
	"    OR status = 'expired' OR status = 'rejected'"
	"    OR status = 'cancelled' OR status = 'unknown'),"
	"  status_ts TEXT, status_reason TEXT,"
	"  broker_order_id TEXT);"
	"CREATE UNIQUE INDEX orders_seq ON orders(seq);"
	"CREATE INDEX orders_open ON orders(status) WHERE status = 'intent'"
	"  OR status = 'sent' OR status = 'accepted';"
	"CREATE TABLE fills ("
	"  id INTEGER PRIMARY KEY,"
	"  intent_id TEXT NOT NULL UNIQUE REFERENCES orders(intent_id),"
	"  ts TEXT NOT NULL,"
	"  symbol TEXT NOT NULL,"
	"  side TEXT NOT NULL,"
	"  qty REAL NOT NULL,"
	"  price REAL NOT NULL,"
	"  fee REAL NOT NULL DEFAULT 0,"
	"  effect TEXT NOT NULL,"
	"  position_id TEXT NOT NULL,"
	"  reason TEXT,"
	"  broker_order_id TEXT);"
	"CREATE TABLE positions ("
	"  id TEXT PRIMARY KEY,"
	"  symbol TEXT NOT NULL,"
	"  strategy TEXT,"
	"  side TEXT NOT NULL CHECK (side = 'long' OR side = 'short'),"
	"  qty REAL NOT NULL,"
	"  entry_ts TEXT NOT NULL,"
	"  entry_date TEXT NOT NULL,"
	"  entry_price REAL NOT NULL,"
	"  sl REAL, tp REAL,"
	"  status TEXT NOT NULL CHECK (status = 'open' OR status = 'closed'),"
	"  exit_ts TEXT, exit_date TEXT, exit_price REAL, exit_reason TEXT,"
	"  pnl REAL, fees REAL NOT NULL DEFAULT 0,"
	"  signal_id TEXT);"
	"CREATE INDEX positions_open ON positions(symbol) WHERE"
	"  status = 'open';"
	"CREATE TABLE cash_ledger ("
	"  id INTEGER PRIMARY KEY,"
	"  ts TEXT NOT NULL,"
	"  trade_date TEXT NOT NULL,"
	"  settle_date TEXT NOT NULL,"
	"  kind TEXT NOT NULL CHECK (kind = 'deposit' OR kind = 'withdrawal'"
	"    OR kind = 'buy' OR kind = 'sell' OR kind = 'fee'"
	"    OR kind = 'adjustment'),"
	"  amount_cents INTEGER NOT NULL,"
	"  symbol TEXT,"
	"  fill_id INTEGER REFERENCES fills(id),"
	"  note TEXT);"
	"CREATE TABLE reservations ("
	"  id INTEGER PRIMARY KEY,"
	"  signal_id TEXT NOT NULL REFERENCES signals(id),"
	"  intent_id TEXT NOT NULL UNIQUE,"
	"  ts TEXT NOT NULL,"
	"  symbol TEXT NOT NULL,"
	"  trade_date TEXT NOT NULL,"
	"  cash_cents INTEGER NOT NULL,"
	"  released_ts TEXT);"
	"CREATE INDEX reservations_day ON reservations(trade_date);"
	"CREATE INDEX positions_exit ON positions(exit_date);"
	"CREATE TABLE summaries ("
	"  trade_date TEXT PRIMARY KEY,"
	"  ts TEXT NOT NULL,"
	"  record TEXT NOT NULL CHECK (json_valid(record)));"
	"CREATE TABLE discrepancies ("
	"  id INTEGER PRIMARY KEY,"
	"  ts TEXT NOT NULL,"
	"  kind TEXT NOT NULL,"
	"  subject TEXT NOT NULL,"
	"  journal TEXT, broker TEXT,"
	"  resolution TEXT);"
	"CREATE VIEW trades AS"
	"  SELECT id, symbol, strategy, side, qty, entry_ts, entry_price,"
	"    exit_ts, exit_price, exit_reason, pnl, fees,"
	"    pnl - fees AS net_pnl"
	"  FROM positions WHERE status = 'closed' ORDER BY entry_ts, id;",
	/*
	 * The paper broker's fidelity: the price each fill asked for and
	 * the quote it filled against; partial closes of a position.
	 */
	"ALTER TABLE fills ADD COLUMN requested_price REAL;"
	"ALTER TABLE fills ADD COLUMN bid REAL;"
	"ALTER TABLE fills ADD COLUMN ask REAL;"
	"ALTER TABLE positions ADD COLUMN closed_qty REAL NOT NULL"
	"  DEFAULT 0;",
};

#define NMIGRATIONS	((int)(sizeof(migrations) / sizeof(migrations[0])))

int
journal_version(void)
{
	return NMIGRATIONS;
}

static int
dberr(struct journal *j, struct sk_err *e, const char *what)
{
	return sk_errf(e, SK_IO, "journal %s: %s: %s", j->path, what,
	    sqlite3_errmsg(j->db));
}

/* mkdir -p for the journal's directory, mode 0700: it holds the book. */
static int
make_dirs(const char *path, struct sk_err *e)
{
	char buf[1024];
	char *p;

	if (sk_strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
		return sk_errf(e, SK_IO, "%s: path too long", path);
	p = strrchr(buf, '/');
	if (p == NULL || p == buf)
		return 0;
	*p = '\0';
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0700) == -1 && errno != EEXIST)
			return sk_errf(e, SK_IO, "%s: %s", buf,
			    strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0700) == -1 && errno != EEXIST)
		return sk_errf(e, SK_IO, "%s: %s", buf, strerror(errno));
	return 0;
}

static int
migrate(struct journal *j, struct sk_err *e)
{
	sqlite3_stmt *st;
	int v, i;
	char pragma[64];

	if (sqlite3_prepare_v2(j->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return dberr(j, e, "user_version");
	v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (v > NMIGRATIONS)
		return sk_errf(e, SK_IO, "journal %s: schema version %d is "
		    "newer than this scalpkit (%d)", j->path, v, NMIGRATIONS);
	if (v == NMIGRATIONS)
		return 0;
	if (journal_begin(j, e) == -1)
		return -1;
	/* Another process may have migrated while we waited for the lock. */
	if (sqlite3_prepare_v2(j->db, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK) {
		journal_rollback(j);
		return dberr(j, e, "user_version");
	}
	v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	for (i = v; i < NMIGRATIONS; i++) {
		if (sqlite3_exec(j->db, migrations[i], NULL, NULL, NULL) !=
		    SQLITE_OK) {
			dberr(j, e, "migration");
			journal_rollback(j);
			return -1;
		}
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
	    NMIGRATIONS);
	if (sqlite3_exec(j->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
		dberr(j, e, "user_version");
		journal_rollback(j);
		return -1;
	}
	return journal_commit(j, e);
}

static int
sync_mark(struct journal *j, struct sk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(j->db, "SELECT COALESCE(MAX(seq), 0) FROM"
	    " orders", -1, &st, NULL) != SQLITE_OK)
		return dberr(j, e, "orders");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		j->seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return dberr(j, e, "orders");
	j->changes = sqlite3_total_changes64(j->db);
	return 0;
}

/*
 * WAL mode is a property of the file: switch only a journal that is
 * not in it yet.  The switch needs the file to itself, and SQLite does
 * not always wait for that, so it is retried for up to ten seconds.
 */
static int
wal(struct journal *j)
{
	sqlite3_stmt *st;
	int rc, tries;

	for (tries = 0; tries < 1000; tries++) {
		rc = sqlite3_prepare_v2(j->db, "PRAGMA journal_mode", -1, &st,
		    NULL);
		if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW &&
		    sqlite3_stricmp((const char *)sqlite3_column_text(st, 0),
		    "wal") == 0) {
			sqlite3_finalize(st);
			return SQLITE_OK;
		}
		sqlite3_finalize(st);
		if (rc == SQLITE_ROW)
			rc = sqlite3_exec(j->db, "PRAGMA journal_mode = WAL",
			    NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			continue;	/* check that it took */
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			return rc;
		sqlite3_sleep(10);
	}
	return SQLITE_BUSY;
}

int
journal_open_existing(struct journal **jp, const char *path,
    struct sk_err *e)
{
	if (access(path, F_OK) == -1) {
		*jp = NULL;
		return sk_errf(e, SK_IO, "journal %s: %s", path,
		    strerror(errno));
	}
	return journal_open(jp, path, e);
}

int
journal_open(struct journal **jp, const char *path, struct sk_err *e)
{
	struct journal *j;
	static const char setup[] =
	    "PRAGMA synchronous = FULL;"
	    "PRAGMA foreign_keys = ON;";

	*jp = NULL;
	if (make_dirs(path, e) == -1)
		return -1;
	j = xcalloc(1, sizeof(*j));
	sk_strlcpy(j->path, path, sizeof(j->path));
	if (sqlite3_open_v2(path, &j->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sk_errf(e, SK_IO, "journal %s: %s", path,
		    j->db ? sqlite3_errmsg(j->db) : "cannot open");
		journal_close(j);
		return -1;
	}
	sqlite3_busy_timeout(j->db, 10000);
	if (wal(j) != SQLITE_OK ||
	    sqlite3_exec(j->db, setup, NULL, NULL, NULL) != SQLITE_OK ||
	    migrate(j, e) == -1) {
		if (e->msg[0] == '\0' || e->status == SK_OK)
			dberr(j, e, "setup");
		journal_close(j);
		return -1;
	}
	/* Syncs start from what is in the journal now, not from the top. */
	if (sync_mark(j, e) == -1) {
		journal_close(j);
		return -1;
	}
	*jp = j;
	return 0;
}

void
journal_close(struct journal *j)
{
	if (j == NULL)
		return;
	if (j->depth > 0)
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	while (j->ncache > 0)
		sqlite3_finalize(j->cache[--j->ncache].st);
	sqlite3_close(j->db);
	free(j);
}

sqlite3 *
journal_db(struct journal *j)
{
	return j->db;
}

/*
 * The outermost level is a transaction; inner levels are savepoints, so
 * an inner rollback undoes only its own work.
 */
int
journal_begin(struct journal *j, struct sk_err *e)
{
	if (j->depth > 0) {
		if (sqlite3_exec(j->db, "SAVEPOINT inner", NULL, NULL,
		    NULL) != SQLITE_OK)
			return dberr(j, e, "savepoint");
		j->depth++;
		return 0;
	}
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK)
		return dberr(j, e, "begin");
	j->depth = 1;
	return 0;
}

int
journal_commit(struct journal *j, struct sk_err *e)
{
	if (j->depth == 0)
		return 0;
	if (j->depth > 1) {
		j->depth--;
		if (sqlite3_exec(j->db, "RELEASE inner", NULL, NULL, NULL) !=
		    SQLITE_OK)
			return dberr(j, e, "release");
		return 0;
	}
	j->depth = 0;
	if (sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		dberr(j, e, "commit");
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	return 0;
}

void
journal_rollback(struct journal *j)
{
	if (j->depth == 0)
		return;
	j->deposited = 0;	/* it may have been undone: ask again */
	if (j->depth > 1) {
		j->depth--;
		sqlite3_exec(j->db, "ROLLBACK TO inner; RELEASE inner", NULL,
		    NULL, NULL);
		return;
	}
	j->depth = 0;
	sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
}

int
journal_state_get(struct journal *j, const char *stage, const char *key,
    char **json, struct sk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	*json = NULL;
	if (sqlite3_prepare_v2(j->db, "SELECT state FROM stage_state "
	    "WHERE stage = ?1 AND key = ?2", -1, &st, NULL) != SQLITE_OK)
		return dberr(j, e, "stage_state");
	sqlite3_bind_text(st, 1, stage, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*json = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return dberr(j, e, "stage_state");
	return 0;
}

int
journal_state_put(struct journal *j, const char *stage, const char *key,
    const char *json, struct sk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(j->db, "INSERT INTO stage_state"
	    "(stage, key, state) VALUES (?1, ?2, ?3) "
	    "ON CONFLICT (stage, key) DO UPDATE SET state = excluded.state,"
	    " updated_at = excluded.updated_at", -1, &st, NULL) != SQLITE_OK)
		return dberr(j, e, "stage_state");
	sqlite3_bind_text(st, 1, stage, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dberr(j, e, "stage_state");
	return 0;
}

/* Domain writes and reads.  Instants are stored as RFC 3339 text. */

static void
bind_ts(sqlite3_stmt *st, int i, int64_t ms)
{
	char b[CLOCK_TSLEN];

	if (ms == TS_UNSET) {
		sqlite3_bind_null(st, i);
		return;
	}
	clock_format(ms, b);
	sqlite3_bind_text(st, i, b, -1, SQLITE_TRANSIENT);
}

static void
bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

static void
bind_str(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL || *s == '\0')
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

static void
bind_day(sqlite3_stmt *st, int i, int64_t day)
{
	char b[16];

	clock_format_day(day, b);
	sqlite3_bind_text(st, i, b, -1, SQLITE_TRANSIENT);
}

static int64_t
col_ts(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	int64_t ms;

	if (s == NULL || clock_parse(s, strlen(s), &ms) == -1)
		return TS_UNSET;
	return ms;
}

static double
col_num(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN :
	    sqlite3_column_double(st, i);
}

static void
col_str(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	sk_strlcpy(dst, s != NULL ? s : "", n);
}

/*
 * A prepared statement for sql, which must be a string literal: the
 * cache knows it by its address.  The caller hands it back with done()
 * (reset, bindings cleared), never sqlite3_finalize().
 */
static int
prep(struct journal *j, const char *sql, sqlite3_stmt **st,
    struct sk_err *e)
{
	int i;

	for (i = 0; i < j->ncache; i++)
		if (j->cache[i].sql == sql) {
			*st = j->cache[i].st;
			return 0;
		}
	if (sqlite3_prepare_v3(j->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
	    NULL) != SQLITE_OK)
		return dberr(j, e, "prepare");
	if (j->ncache < (int)(sizeof(j->cache) / sizeof(j->cache[0]))) {
		j->cache[j->ncache].sql = sql;
		j->cache[j->ncache++].st = *st;
	}
	return 0;
}

/* Hand back a statement from prep(). */
static void
done(struct journal *j, sqlite3_stmt *st)
{
	int i;

	for (i = 0; i < j->ncache; i++)
		if (j->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return;
		}
	sqlite3_finalize(st);
}

/* Run a prepared statement to completion; hands it back. */
static int
run(struct journal *j, sqlite3_stmt *st, const char *what, struct sk_err *e)
{
	int rc = sqlite3_step(st);

	done(j, st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return dberr(j, e, what);
	return 0;
}

/*
 * Prepare sql (a literal), bind local date day to ?1 unless day is
 * NO_DAY, and step to its one row: the caller reads the columns and
 * hands the statement back with done().
 */
#define NO_DAY	INT64_MIN

static int
one_row(struct journal *j, const char *sql, int64_t day, sqlite3_stmt **st,
    struct sk_err *e)
{
	if (prep(j, sql, st, e) == -1)
		return -1;
	if (day != NO_DAY)
		bind_day(*st, 1, day);
	if (sqlite3_step(*st) != SQLITE_ROW) {
		dberr(j, e, "query");
		done(j, *st);
		return -1;
	}
	return 0;
}

static int	 load_orders(struct journal *, const char *, struct book *,
		    int, struct sk_err *);

int
journal_load_book(struct journal *j, const char *broker, struct book *b,
    struct sk_err *e)
{
	sqlite3_stmt *st;
	struct position p;
	int64_t seq;
	int rc;

	if (prep(j, "SELECT id, symbol, strategy, signal_id, side,"
	    " qty - closed_qty, entry_price, entry_ts, fees FROM positions"
	    " WHERE status = 'open' ORDER BY entry_ts, id", &st, e) == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&p, 0, sizeof(p));
		col_str(st, 0, p.id, sizeof(p.id));
		col_str(st, 1, p.symbol, sizeof(p.symbol));
		col_str(st, 2, p.strategy, sizeof(p.strategy));
		col_str(st, 3, p.signal_id, sizeof(p.signal_id));
		p.dir = strcmp((const char *)sqlite3_column_text(st, 4),
		    "long") == 0 ? 1 : -1;
		p.qty = sqlite3_column_double(st, 5);
		p.entry_price = sqlite3_column_double(st, 6);
		p.entry_ts = col_ts(st, 7);
		p.entry_fee = sqlite3_column_double(st, 8);
		book_position(b, &p);
	}
	done(j, st);
	if (rc != SQLITE_DONE)
		return dberr(j, e, "positions");
	/* Every working order, whatever the sync mark says. */
	seq = j->seq;
	j->seq = 0;
	rc = load_orders(j, broker, b, 1, e);
	j->seq = seq;
	if (rc == -1)
		return -1;
	return sync_mark(j, e);
}

/* Orders of broker with seq above j->seq (working ones only if asked). */
static int
load_orders(struct journal *j, const char *broker, struct book *b,
    int working, struct sk_err *e)
{
	sqlite3_stmt *st;
	struct order o;
	int rc;

	if (prep(j, "SELECT intent_id, ts, expires, symbol, side, qty,"
	    " order_type, limit_price, stop_price, tp, sl, effect,"
	    " position_id, signal_id, strategy, reason, seq FROM orders"
	    " WHERE broker = ?1 AND seq > ?2 AND (?3 = 0 OR status IN"
	    " ('intent','sent','accepted')) ORDER BY seq", &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, broker, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, j->seq);
	sqlite3_bind_int(st, 3, working);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&o, 0, sizeof(o));
		col_str(st, 0, o.intent_id, sizeof(o.intent_id));
		o.ts = col_ts(st, 1);
		o.expires = col_ts(st, 2);
		col_str(st, 3, o.symbol, sizeof(o.symbol));
		col_str(st, 4, o.side, sizeof(o.side));
		o.qty = sqlite3_column_double(st, 5);
		col_str(st, 6, o.order_type, sizeof(o.order_type));
		o.limit = col_num(st, 7);
		o.stop = col_num(st, 8);
		o.tp = col_num(st, 9);
		o.sl = col_num(st, 10);
		col_str(st, 11, o.effect, sizeof(o.effect));
		col_str(st, 12, o.position_id, sizeof(o.position_id));
		col_str(st, 13, o.signal_id, sizeof(o.signal_id));
		col_str(st, 14, o.strategy, sizeof(o.strategy));
		col_str(st, 15, o.reason, sizeof(o.reason));
		if (sqlite3_column_int64(st, 16) > j->seq)
			j->seq = sqlite3_column_int64(st, 16);
		book_order(b, &o);
	}
	done(j, st);
	if (rc != SQLITE_DONE)
		return dberr(j, e, "orders");
	return 0;
}

/* PRAGMA data_version: moves when another connection commits. */
static int
data_version(struct journal *j, int64_t *v, struct sk_err *e)
{
	sqlite3_stmt *st;

	if (one_row(j, "PRAGMA data_version", NO_DAY, &st, e) == -1)
		return -1;
	*v = sqlite3_column_int64(st, 0);
	done(j, st);
	return 0;
}

int
journal_sync_orders(struct journal *j, const char *broker, struct book *b,
    struct sk_err *e)
{
	int64_t now = sqlite3_total_changes64(j->db), dv = j->dv;

	/* Inside a transaction nobody else can have written. */
	if (j->depth == 0 && data_version(j, &dv, e) == -1)
		return -1;
	if (now == j->changes && dv == j->dv)
		return 0;
	j->changes = now;
	j->dv = dv;
	return load_orders(j, broker, b, 0, e);
}

int
journal_intent(struct journal *j, const struct order *o, const char *coid,
    const char *broker, struct sk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (prep(j, "INSERT INTO orders (intent_id, client_order_id, seq,"
	    " ts, broker, symbol, side, qty, order_type, limit_price,"
	    " stop_price, tp, sl, expires, effect, position_id, signal_id,"
	    " strategy, reason) VALUES (?1, ?2,"
	    " (SELECT COALESCE(MAX(seq), 0) + 1 FROM orders), ?3, ?4, ?5, ?6,"
	    " ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
	    " ON CONFLICT DO NOTHING", &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, o->intent_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, coid, -1, SQLITE_STATIC);
	bind_ts(st, 3, o->ts);
	sqlite3_bind_text(st, 4, broker, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, o->symbol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, o->side, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 7, o->qty);
	sqlite3_bind_text(st, 8, o->order_type, -1, SQLITE_STATIC);
	bind_num(st, 9, o->limit);
	bind_num(st, 10, o->stop);
	bind_num(st, 11, o->tp);
	bind_num(st, 12, o->sl);
	bind_ts(st, 13, o->expires);
	sqlite3_bind_text(st, 14, o->effect, -1, SQLITE_STATIC);
	bind_str(st, 15, o->position_id[0] ? o->position_id : o->intent_id);
	bind_str(st, 16, o->signal_id);
	bind_str(st, 17, o->strategy);
	bind_str(st, 18, o->reason);
	rc = sqlite3_step(st);
	done(j, st);
	if (rc != SQLITE_DONE)
		return dberr(j, e, "orders");
	return sqlite3_changes(j->db) > 0 ? 1 : 0;
}

int
journal_order_status(struct journal *j, const char *intent_id,
    const char *status, int64_t ts, const char *broker_id,
    const char *reason, struct sk_err *e)
{
	sqlite3_stmt *st;

	if (prep(j, "UPDATE orders SET status = ?2, status_ts = ?3,"
	    " broker_order_id = COALESCE(?4, broker_order_id),"
	    " status_reason = ?5 WHERE intent_id = ?1", &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, intent_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, status, -1, SQLITE_STATIC);
	bind_ts(st, 3, ts);
	bind_str(st, 4, broker_id);
	bind_str(st, 5, reason);
	return run(j, st, "orders", e);
}

/* Cents of a money amount; fills may be sub-penny, the ledger is not. */
static int64_t
cents(double v)
{
	return llround(v * 100.0);
}

static int
ledger(struct journal *j, int64_t ts, int64_t trade_day, int64_t settle_day,
    const char *kind, int64_t amount, const char *symbol, int64_t fill_id,
    struct sk_err *e)
{
	sqlite3_stmt *st;

	if (prep(j, "INSERT INTO cash_ledger (ts, trade_date, settle_date,"
	    " kind, amount_cents, symbol, fill_id) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7)", &st, e) == -1)
		return -1;
	bind_ts(st, 1, ts);
	bind_day(st, 2, trade_day);
	bind_day(st, 3, settle_day);
	sqlite3_bind_text(st, 4, kind, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, amount);
	bind_str(st, 6, symbol);
	sqlite3_bind_int64(st, 7, fill_id);
	return run(j, st, "cash_ledger", e);
}

/*
 * The quantity ev filled: its own, or for an event made without one
 * (a caller from before partial fills) the order's.
 */
static double
ev_qty(const struct book_event *ev)
{
	return ev->qty > 0 ? ev->qty : ev->ord->qty;
}

/* The fidelity fields, only from an event that set its quantity. */
static void
bind_fidelity(sqlite3_stmt *st, int i, const struct book_event *ev)
{
	bind_num(st, i, ev->qty > 0 ? ev->requested : NAN);
	bind_num(st, i + 1, ev->qty > 0 ? ev->bid : NAN);
	bind_num(st, i + 2, ev->qty > 0 ? ev->ask : NAN);
}

/*
 * The fill of ev, or its next part: a second part of one order adds to
 * its row (quantity, fee, the average price), as a broker's order
 * shows its filled quantity and average price.  *fid is the row's id.
 */
static int
upsert_fill(struct journal *j, const struct book_event *ev, int64_t *fid,
    struct sk_err *e)
{
	const struct order *o = ev->ord;
	sqlite3_stmt *st;
	int rc;

	if (prep(j, "INSERT INTO fills (intent_id, ts, symbol, side, qty,"
	    " price, fee, effect, position_id, reason, requested_price, bid,"
	    " ask) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	    " ?13) ON CONFLICT (intent_id) DO UPDATE SET ts = excluded.ts,"
	    " price = (price * qty + excluded.price * excluded.qty)"
	    " / (qty + excluded.qty), qty = qty + excluded.qty,"
	    " fee = fee + excluded.fee, bid = excluded.bid,"
	    " ask = excluded.ask RETURNING id", &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, o->intent_id, -1, SQLITE_STATIC);
	bind_ts(st, 2, ev->ts);
	sqlite3_bind_text(st, 3, o->symbol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, o->side, -1, SQLITE_STATIC);
	sqlite3_bind_double(st, 5, ev_qty(ev));
	sqlite3_bind_double(st, 6, ev->price);
	sqlite3_bind_double(st, 7, ev->fee);
	sqlite3_bind_text(st, 8, o->effect, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, ev->pos->id, -1, SQLITE_STATIC);
	bind_str(st, 10, o->reason[0] ? o->reason : NULL);
	bind_fidelity(st, 11, ev);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*fid = sqlite3_column_int64(st, 0);
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	done(j, st);
	if (rc != SQLITE_DONE)
		return dberr(j, e, "fills");
	return 0;
}

/* An entry's fill (or part): the position opens, or grows. */
static int
open_position(struct journal *j, const struct book_event *ev, int64_t day,
    struct sk_err *e)
{
	const struct position *p = ev->pos;
	sqlite3_stmt *st;

	if (prep(j, "INSERT INTO positions (id, symbol, strategy,"
	    " side, qty, entry_ts, entry_price, status, fees,"
	    " signal_id, entry_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6,"
	    " ?7, 'open', ?8, ?9, ?10) ON CONFLICT (id) DO UPDATE SET"
	    " entry_price = (entry_price * qty + excluded.entry_price"
	    " * excluded.qty) / (qty + excluded.qty),"
	    " qty = qty + excluded.qty, fees = fees + excluded.fees",
	    &st, e) == -1)
		return -1;
	bind_day(st, 10, day);
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->symbol, -1, SQLITE_STATIC);
	bind_str(st, 3, p->strategy);
	sqlite3_bind_text(st, 4, p->dir > 0 ? "long" : "short", -1,
	    SQLITE_STATIC);
	sqlite3_bind_double(st, 5, ev_qty(ev));
	bind_ts(st, 6, ev->ts);
	sqlite3_bind_double(st, 7, ev->price);
	sqlite3_bind_double(st, 8, ev->fee);
	bind_str(st, 9, p->signal_id);
	return run(j, st, "positions", e);
}

/*
 * A closing fill (or part): closed_qty grows, P&L and fees add up, the
 * exit price is the average; the position closes when nothing is left.
 */
static int
close_position(struct journal *j, const struct book_event *ev, int64_t day,
    struct sk_err *e)
{
	const struct position *p = ev->pos;
	sqlite3_stmt *st;

	if (prep(j, "UPDATE positions SET status = CASE WHEN ?8 > 0"
	    " THEN 'open' ELSE 'closed' END, exit_ts = ?2,"
	    " exit_price = CASE WHEN closed_qty = 0 THEN ?3 ELSE"
	    " (exit_price * closed_qty + ?3 * ?9) / (closed_qty + ?9) END,"
	    " exit_reason = ?4, pnl = COALESCE(pnl, 0) + ?5,"
	    " fees = fees + ?6, exit_date = ?7,"
	    " closed_qty = closed_qty + ?9"
	    " WHERE id = ?1", &st, e) == -1)
		return -1;
	bind_day(st, 7, day);
	sqlite3_bind_text(st, 1, p->id, -1, SQLITE_STATIC);
	bind_ts(st, 2, ev->ts);
	sqlite3_bind_double(st, 3, ev->price);
	bind_str(st, 4, ev->ord->reason[0] ? ev->ord->reason : NULL);
	sqlite3_bind_double(st, 5, ev->pnl);
	sqlite3_bind_double(st, 6, ev->fee);
	sqlite3_bind_double(st, 8, p->qty - ev_qty(ev));
	sqlite3_bind_double(st, 9, ev_qty(ev));
	return run(j, st, "positions", e);
}

static int
record_fill(struct journal *j, const struct book_event *ev, int64_t day,
    int64_t settle, struct sk_err *e)
{
	const struct order *o = ev->ord;
	int64_t fid = 0, gross;
	int buy = strcmp(o->side, "buy") == 0;

	if (upsert_fill(j, ev, &fid, e) == -1)
		return -1;
	/* A part leaves the order working, as a broker's would be. */
	if (journal_order_status(j, o->intent_id, ev->remaining > 0 ?
	    "accepted" : "filled", ev->ts, NULL, ev->remaining > 0 ?
	    "partially filled" : NULL, e) == -1)
		return -1;
	gross = cents(ev->price * ev_qty(ev) * occ_multiplier(o->symbol));
	if (ledger(j, ev->ts, day, settle, buy ? "buy" : "sell",
	    buy ? -gross : gross, o->symbol, fid, e) == -1)
		return -1;
	if (ev->fee != 0 && ledger(j, ev->ts, day, day, "fee",
	    -cents(ev->fee), o->symbol, fid, e) == -1)
		return -1;
	if (strcmp(o->effect, "open") == 0)
		return open_position(j, ev, day, e);
	return close_position(j, ev, day, e);
}

/* An entry filled, expired or was refused: its cash is no longer held. */
static int
release(struct journal *j, const char *intent_id, int64_t ts,
    struct sk_err *e)
{
	sqlite3_stmt *st;

	if (prep(j, "UPDATE reservations SET released_ts = ?2"
	    " WHERE intent_id = ?1 AND released_ts IS NULL", &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, intent_id, -1, SQLITE_STATIC);
	bind_ts(st, 2, ts);
	return run(j, st, "reservations", e);
}

int
journal_deposit(struct journal *j, int64_t cents, int64_t day,
    struct sk_err *e)
{
	sqlite3_stmt *st;

	/* Once there, always there: ask the ledger once per handle. */
	if (j->deposited)
		return 0;
	/* Dated no later than the first movement, so it precedes all. */
	if (prep(j, "INSERT INTO cash_ledger (ts, trade_date, settle_date,"
	    " kind, amount_cents, note) SELECT d || 'T00:00:00Z', d, d,"
	    " 'deposit', ?1, 'opening cash from config' FROM (SELECT"
	    " MIN(?2, COALESCE((SELECT MIN(trade_date) FROM cash_ledger),"
	    " ?2)) AS d) WHERE NOT EXISTS (SELECT 1 FROM cash_ledger"
	    " WHERE kind = 'deposit')", &st, e) == -1)
		return -1;
	sqlite3_bind_int64(st, 1, cents);
	bind_day(st, 2, day);
	if (run(j, st, "cash_ledger", e) == -1)
		return -1;
	/* A rollback forgets this (journal_rollback()). */
	j->deposited = 1;
	return 0;
}

int
journal_reserved(struct journal *j, int64_t *cents, struct sk_err *e)
{
	sqlite3_stmt *st;

	if (one_row(j, "SELECT COALESCE(SUM(cash_cents), 0) FROM reservations"
	    " WHERE released_ts IS NULL", NO_DAY, &st, e) == -1)
		return -1;
	*cents = sqlite3_column_int64(st, 0);
	done(j, st);
	return 0;
}

/*
 * A funding payment on a perpetual position: cash to or from the
 * holder at once (the ledger has no funding kind: an adjustment, the
 * note says which).
 */
static int
record_funding(struct journal *j, const struct book_event *ev, int64_t day,
    struct sk_err *e)
{
	sqlite3_stmt *st;

	if (prep(j, "INSERT INTO cash_ledger (ts, trade_date, settle_date,"
	    " kind, amount_cents, symbol, note) VALUES (?1, ?2, ?2,"
	    " 'adjustment', ?3, ?4, 'funding ' || ?5)", &st, e) == -1)
		return -1;
	bind_ts(st, 1, ev->ts);
	bind_day(st, 2, day);
	sqlite3_bind_int64(st, 3, cents(ev->amount));
	sqlite3_bind_text(st, 4, ev->pos->symbol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, ev->pos->id, -1, SQLITE_STATIC);
	return run(j, st, "cash_ledger", e);
}

int
journal_book_event(struct journal *j, const struct book_event *ev,
    int64_t day, int64_t settle, struct sk_err *e)
{
	int rv;

	if (ev->what == BOOK_FUNDING)
		return record_funding(j, ev, day, e);
	if (journal_begin(j, e) == -1)
		return -1;
	rv = 0;
	if (strcmp(ev->ord->effect, "open") == 0)
		rv = release(j, ev->ord->intent_id, ev->ts, e);
	if (rv == -1) {
		journal_rollback(j);
		return -1;
	}
	switch (ev->what) {
	case BOOK_FILL:
		rv = record_fill(j, ev, day, settle, e);
		break;
	case BOOK_EXPIRE:
		rv = journal_order_status(j, ev->ord->intent_id, "expired",
		    ev->ts, NULL, ev->why, e);
		break;
	case BOOK_CANCEL:
		rv = journal_order_status(j, ev->ord->intent_id, "cancelled",
		    ev->ts, NULL, ev->why, e);
		break;
	default:
		rv = journal_order_status(j, ev->ord->intent_id, "rejected",
		    ev->ts, NULL, ev->why, e);
		break;
	}
	if (rv == -1) {
		journal_rollback(j);
		return -1;
	}
	return journal_commit(j, e);
}

int
journal_decision(struct journal *j, const struct signal *s,
    const struct reject *r, const char *intent_id, int64_t cash,
    int64_t trade_day, struct sk_err *e)
{
	sqlite3_stmt *st;
	cJSON *arr;
	char *reasons = NULL;
	int i, rc;

	if (journal_begin(j, e) == -1)
		return -1;
	if (prep(j, "INSERT INTO signals (id, ts, bar_ts, symbol, strategy,"
	    " side, tier, score, prob, price, reasons) VALUES (?1, ?2, ?3,"
	    " ?4, ?5, ?6, ?7, ?8, ?9, ?10, json(?11))"
	    " ON CONFLICT DO NOTHING", &st, e) == -1)
		goto fail;
	arr = cJSON_CreateArray();
	for (i = 0; i < s->nreasons; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(s->reasons[i]));
	reasons = cJSON_PrintUnformatted(arr);
	cJSON_Delete(arr);
	sqlite3_bind_text(st, 1, s->id, -1, SQLITE_STATIC);
	bind_ts(st, 2, s->ts);
	bind_ts(st, 3, s->bar_ts);
	sqlite3_bind_text(st, 4, s->symbol, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, s->strategy, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, s->side, -1, SQLITE_STATIC);
	bind_str(st, 7, s->tier);
	bind_num(st, 8, s->score);
	bind_num(st, 9, s->prob);
	bind_num(st, 10, s->price);
	sqlite3_bind_text(st, 11, reasons, -1, SQLITE_STATIC);
	rc = run(j, st, "signals", e);
	cJSON_free(reasons);
	if (rc == -1)
		goto fail;
	if (prep(j, "INSERT INTO decisions (signal_id, ts, verdict, gate,"
	    " reason, threshold, observed, intent_id, trade_date) VALUES"
	    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING",
	    &st, e) == -1)
		goto fail;
	bind_day(st, 9, trade_day);
	sqlite3_bind_text(st, 1, s->id, -1, SQLITE_STATIC);
	bind_ts(st, 2, s->ts);
	sqlite3_bind_text(st, 3, r != NULL ? "rejected" : "approved", -1,
	    SQLITE_STATIC);
	bind_str(st, 4, r != NULL ? r->gate : NULL);
	bind_str(st, 5, r != NULL ? r->reason : NULL);
	bind_num(st, 6, r != NULL ? r->threshold : NAN);
	bind_num(st, 7, r != NULL ? r->observed : NAN);
	bind_str(st, 8, intent_id);
	rc = sqlite3_step(st);
	done(j, st);
	if (rc != SQLITE_DONE) {
		dberr(j, e, "decisions");
		goto fail;
	}
	if (sqlite3_changes(j->db) == 0) {
		journal_rollback(j);
		return 0;
	}
	if (r == NULL && intent_id != NULL) {
		if (prep(j, "INSERT INTO reservations (signal_id, intent_id,"
		    " ts, symbol, trade_date, cash_cents) VALUES (?1, ?2, ?3,"
		    " ?4, ?5, ?6)", &st, e) == -1)
			goto fail;
		sqlite3_bind_text(st, 1, s->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, intent_id, -1, SQLITE_STATIC);
		bind_ts(st, 3, s->ts);
		sqlite3_bind_text(st, 4, s->symbol, -1, SQLITE_STATIC);
		bind_day(st, 5, trade_day);
		sqlite3_bind_int64(st, 6, cash);
		if (run(j, st, "reservations", e) == -1)
			goto fail;
	}
	if (journal_commit(j, e) == -1)
		return -1;
	return 1;
fail:
	journal_rollback(j);
	return -1;
}

int
journal_day_stats(struct journal *j, int64_t day, long *entries,
    double *net, struct sk_err *e)
{
	sqlite3_stmt *st;

	/* An approval's reservation carries its trade date. */
	if (one_row(j, "SELECT (SELECT COUNT(*) FROM reservations"
	    "   WHERE trade_date = ?1),"
	    " (SELECT COALESCE(SUM(pnl - fees), 0) FROM positions"
	    "   WHERE status = 'closed' AND exit_date = ?1)", day, &st,
	    e) == -1)
		return -1;
	*entries = sqlite3_column_int(st, 0);
	*net = sqlite3_column_double(st, 1);
	done(j, st);
	return 0;
}

int
journal_cash(struct journal *j, int64_t day, int64_t *total,
    int64_t *settled, struct sk_err *e)
{
	sqlite3_stmt *st;

	/* Money out counts at once, money in once it has settled. */
	if (one_row(j, "SELECT COALESCE(SUM(amount_cents), 0),"
	    " COALESCE(SUM(CASE WHEN amount_cents < 0 OR settle_date <= ?1"
	    " THEN amount_cents END), 0) FROM cash_ledger"
	    " WHERE trade_date <= ?1", day, &st, e) == -1)
		return -1;
	*total = sqlite3_column_int64(st, 0);
	*settled = sqlite3_column_int64(st, 1);
	done(j, st);
	return 0;
}

int
journal_realised(struct journal *j, double *net, struct sk_err *e)
{
	sqlite3_stmt *st;

	if (one_row(j, "SELECT COALESCE(SUM(pnl - fees), 0) FROM positions"
	    " WHERE status = 'closed'", NO_DAY, &st, e) == -1)
		return -1;
	*net = sqlite3_column_double(st, 0);
	done(j, st);
	return 0;
}

int
journal_count_orders(struct journal *j, int64_t *n, struct sk_err *e)
{
	sqlite3_stmt *st;

	if (one_row(j, "SELECT COUNT(*) FROM orders", NO_DAY, &st, e) == -1)
		return -1;
	*n = sqlite3_column_int64(st, 0);
	done(j, st);
	return 0;
}

int
journal_discrepancy(struct journal *j, int64_t ts, const char *kind,
    const char *subject, const char *jv, const char *bv,
    const char *resolution, struct sk_err *e)
{
	sqlite3_stmt *st;

	if (prep(j, "INSERT INTO discrepancies (ts, kind, subject, journal,"
	    " broker, resolution) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st,
	    e) == -1)
		return -1;
	bind_ts(st, 1, ts);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, subject, -1, SQLITE_STATIC);
	bind_str(st, 4, jv);
	bind_str(st, 5, bv);
	bind_str(st, 6, resolution);
	return run(j, st, "discrepancies", e);
}

int
journal_summary(struct journal *j, const char *day, int64_t ts,
    const char *json, struct sk_err *e)
{
	sqlite3_stmt *st;

	if (prep(j, "INSERT INTO summaries (trade_date, ts, record)"
	    " VALUES (?1, ?2, ?3) ON CONFLICT (trade_date) DO UPDATE SET"
	    " ts = excluded.ts, record = excluded.record", &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	bind_ts(st, 2, ts);
	sqlite3_bind_text(st, 3, json, -1, SQLITE_STATIC);
	return run(j, st, "summaries", e);
}

int
journal_day_trades(struct journal *j, int64_t from, int64_t last, long *n,
    struct sk_err *e)
{
	sqlite3_stmt *st;

	if (prep(j, "SELECT COUNT(*) FROM positions WHERE entry_date >= ?1"
	    " AND entry_date <= ?2 AND ((status = 'closed'"
	    " AND exit_date = entry_date) OR (status = 'open'"
	    " AND entry_date = ?2))", &st, e) == -1)
		return -1;
	bind_day(st, 1, from);
	bind_day(st, 2, last);
	if (sqlite3_step(st) != SQLITE_ROW) {
		dberr(j, e, "day trades");
		done(j, st);
		return -1;
	}
	*n = sqlite3_column_int(st, 0);
	done(j, st);
	return 0;
}

/* Proceeds not yet settled: cents, and the date they settle. */
struct pending {
	char		 settle[16];
	int64_t		 cents;
};

/*
 * The date by which the pending proceeds p[0..n) (in settle order)
 * cover deficit cents, into date; "" if they never do.
 */
static void
covered_by(const struct pending *p, size_t n, int64_t deficit, char *date)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		sum += p[i].cents;
		if (sum >= deficit) {
			memcpy(date, p[i].settle, sizeof(p[i].settle));
			return;
		}
	}
	date[0] = '\0';
}

int
journal_gfv(struct journal *j, int64_t from, int64_t last, long *n,
    struct sk_err *e)
{
	sqlite3_stmt *st;
	struct pending *p = NULL;
	size_t np = 0, cap = 0, i, k;
	int64_t settled = 0, amount;
	char lo[16], hi[16], by[16];
	const char *trade, *settle, *kind, *effect, *sold;
	int rc;

	clock_format_day(from, lo);
	clock_format_day(last, hi);
	*n = 0;
	if (prep(j, "SELECT l.trade_date, l.settle_date, l.kind,"
	    " l.amount_cents, f.effect, p.exit_date FROM cash_ledger l"
	    " LEFT JOIN fills f ON f.id = l.fill_id"
	    " LEFT JOIN positions p ON p.id = f.position_id"
	    " ORDER BY l.trade_date, julianday(l.ts), l.id", &st, e) == -1)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		trade = (const char *)sqlite3_column_text(st, 0);
		settle = (const char *)sqlite3_column_text(st, 1);
		kind = (const char *)sqlite3_column_text(st, 2);
		amount = sqlite3_column_int64(st, 3);
		effect = (const char *)sqlite3_column_text(st, 4);
		sold = (const char *)sqlite3_column_text(st, 5);
		/* What has settled by this trade date is settled cash. */
		for (i = 0; i < np && strcmp(p[i].settle, trade) <= 0; i++)
			settled += p[i].cents;
		if (i > 0) {
			memmove(p, p + i, (np - i) * sizeof(*p));
			np -= i;
		}
		if (amount > 0 && strcmp(settle, trade) > 0) {
			if (np == cap) {
				cap = cap == 0 ? 16 : cap * 2;
				p = xrealloc(p, cap * sizeof(*p));
			}
			for (k = np; k > 0 && strcmp(p[k - 1].settle,
			    settle) > 0; k--)
				p[k] = p[k - 1];
			sk_strlcpy(p[k].settle, settle, sizeof(p[k].settle));
			p[k].cents = amount;
			np++;
			continue;
		}
		settled += amount;
		if (amount >= 0 || settled >= 0 || strcmp(kind, "buy") != 0 ||
		    effect == NULL || strcmp(effect, "open") != 0 ||
		    sold == NULL)
			continue;
		covered_by(p, np, -settled, by);
		if ((by[0] == '\0' || strcmp(sold, by) < 0) &&
		    strcmp(sold, lo) >= 0 && strcmp(sold, hi) <= 0)
			(*n)++;
	}
	free(p);
	if (rc != SQLITE_DONE)
		dberr(j, e, "good-faith violations");
	done(j, st);
	return rc == SQLITE_DONE ? 0 : -1;
}
