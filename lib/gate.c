/*
 * gate.c: the money rules between a signal and an order.  Gates run in
 * a fixed order and the first that refuses names itself; positions come
 * from this stage's copy of the paper book, which sees the same bars
 * and orders as the broker downstream.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

#include "calendar.h"
#include "clock.h"
#include "gate.h"
#include "occ.h"
#include "paper.h"
#include "quality.h"

#define EVENTS_HEADER	"ts,kind,note"

/* One row of the blackout file: an instant to keep entries away from. */
struct event {
	int64_t		 ts;
	char		 kind[16];	/* "FOMC", "CPI" */
};

/* The newest entry approved in this run in one symbol. */
struct last_entry {
	char		 symbol[REC_SYM];
	int64_t		 ts;
};

struct gate {
	const struct config	*cfg;
	struct journal		*j;
	struct tz		 tz;
	int			 rth;		/* market hours apply */
	struct calendar		 cal;		/* loaded with rth */
	struct event		*ev;		/* blackouts, by ts */
	size_t			 nev;
	struct book		 book;
	/* The trade date the counters below are for. */
	int64_t			 day;
	long			 entries;	/* approved today */
	double			 realised;	/* net P&L closed today */
	double			 equity;	/* start cash + all realised */
	double			 day_equity;	/* equity when the day began */
	double			 peak;		/* highest equity today */
	/* The day's session: from its open (rth) or midnight (all). */
	int64_t			 session_start;
	double			 session_equity;	/* equity then */
	double			 session_realised;	/* net closed since */
	int64_t			 pause_until;	/* drawdown pause, or unset */
	double			 pause_dd;	/* % below the peak, then */
	int64_t			 last_loss;	/* exit of the newest loss */
	long			 streak;	/* losing trades in a row */
	struct last_entry	*last;
	size_t			 nlast, caplast;
	long			 approved, rejected;
	/* Signal ids decided in this run. */
	struct idset		 ids;
	/* Signal ids of tier-A entries approved (for b_while_a). */
	struct idset		 atier;
	/* What was last seen of each symbol's market. */
	struct mviews		 mv;
	int			 tier;		/* balance tier, now */
	int			 bar_ind;	/* quality gates read ind */
	/* The broker's intraday buying power, from account records. */
	double			 broker_bp;	/* NAN: none seen */
	/* A journal error in a book callback, reported after the bar. */
	int			 failed;
	struct sk_err		 err;
};

static struct last_entry *
find_entry(const struct gate *g, const char *symbol)
{
	size_t i;

	for (i = 0; i < g->nlast; i++)
		if (strcmp(g->last[i].symbol, symbol) == 0)
			return &g->last[i];
	return NULL;
}

static void
remember_entry(struct gate *g, const char *symbol, int64_t ts)
{
	struct last_entry *le = find_entry(g, symbol);

	if (le == NULL) {
		if (g->nlast == g->caplast) {
			g->caplast = g->caplast ? g->caplast * 2 : 16;
			g->last = xrealloc(g->last,
			    g->caplast * sizeof(*g->last));
		}
		le = &g->last[g->nlast++];
		sk_strlcpy(le->symbol, symbol, sizeof(le->symbol));
		le->ts = ts;
	}
	if (ts > le->ts)
		le->ts = ts;
}

/* Prepare sql on the journal's handle; -1 with e filled. */
static int
jprep(struct gate *g, const char *sql, sqlite3_stmt **st, struct sk_err *e)
{
	sqlite3 *db = journal_db(g->j);

	if (sqlite3_prepare_v2(db, sql, -1, st, NULL) != SQLITE_OK)
		return sk_errf(e, SK_IO, "journal: %s", sqlite3_errmsg(db));
	return 0;
}

/*
 * Step st: 1 for a row; 0 when done and -1 (e filled) on an error,
 * both with st finalized.
 */
static int
jstep(struct gate *g, sqlite3_stmt *st, struct sk_err *e)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	return sk_errf(e, SK_IO, "journal: %s",
	    sqlite3_errmsg(journal_db(g->j)));
}

/*
 * Column i of st as an instant; -1 with e filled and st finalized if
 * it is not one.
 */
static int
jts(sqlite3_stmt *st, int i, int64_t *ms, struct sk_err *e)
{
	const char *t = (const char *)sqlite3_column_text(st, i);

	if (t == NULL || clock_parse(t, strlen(t), ms) == -1) {
		sk_errf(e, SK_IO, "journal: '%.40s' is not a time",
		    t != NULL ? t : "NULL");
		sqlite3_finalize(st);
		return -1;
	}
	return 0;
}

/*
 * The newest approved entry in symbol the journal holds (its signal's
 * ts) into *ts, TS_UNSET if there is none.  0 or -1 with e filled.
 */
static int
journal_last_entry(struct gate *g, const char *symbol, int64_t *ts,
    struct sk_err *e)
{
	sqlite3_stmt *st;
	int r;

	*ts = TS_UNSET;
	if (jprep(g, "SELECT d.ts FROM decisions d JOIN signals s"
	    " ON s.id = d.signal_id WHERE d.verdict = 'approved'"
	    " AND s.symbol = ?1 ORDER BY julianday(d.ts) DESC LIMIT 1",
	    &st, e) == -1)
		return -1;
	sqlite3_bind_text(st, 1, symbol, -1, SQLITE_TRANSIENT);
	r = jstep(g, st, e);
	if (r != 1)
		return r;
	if (jts(st, 0, ts, e) == -1)
		return -1;
	sqlite3_finalize(st);
	return 0;
}

/*
 * What the journal says of the trades closed before this run: the exit
 * of the newest losing one, and how many of the newest lost in a row.
 */
static int
load_results(struct gate *g, struct sk_err *e)
{
	sqlite3_stmt *st;
	int r;

	if (jprep(g, "SELECT exit_ts FROM positions WHERE status = 'closed'"
	    " AND pnl - fees < 0 ORDER BY julianday(exit_ts) DESC LIMIT 1",
	    &st, e) == -1)
		return -1;
	r = jstep(g, st, e);
	if (r == -1)
		return -1;
	if (r == 1) {
		if (jts(st, 0, &g->last_loss, e) == -1)
			return -1;
		sqlite3_finalize(st);
	}
	if (jprep(g, "SELECT pnl - fees < 0 FROM positions"
	    " WHERE status = 'closed'"
	    " ORDER BY julianday(exit_ts) DESC, rowid DESC", &st, e) == -1)
		return -1;
	g->streak = 0;
	for (;;) {
		r = jstep(g, st, e);
		if (r != 1)
			return r;
		if (sqlite3_column_int(st, 0) == 0)
			break;
		g->streak++;
	}
	sqlite3_finalize(st);
	return 0;
}

/* When the session of day begins: its open (rth), else midnight. */
static int64_t
session_start(struct gate *g, int64_t day)
{
	struct cal_session cs;

	if (g->rth && cal_session(&g->cal, day, &cs))
		return tz_instant(&g->tz, day, cs.open);
	return tz_instant(&g->tz, day, 0);
}

/*
 * A trade of the counters' day closed at ts for net, leaving equity at
 * eq: the session's P&L, the day's peak and the drawdown pause.
 */
static void
mark_day(struct gate *g, int64_t ts, double eq, double net)
{
	const struct cfg_risk *k = &g->cfg->risk;

	if (ts >= g->session_start)
		g->session_realised += net;
	else
		g->session_equity += net;
	if (eq > g->peak) {
		g->peak = eq;
		return;
	}
	/* (peak - eq) / peak >= pct / 100, without the divisions. */
	if (k->pause_drawdown_pct > 0 && g->peak > 0 &&
	    (g->peak - eq) * 100 >= k->pause_drawdown_pct * g->peak) {
		g->pause_until = ts + k->pause_minutes * CLOCK_MIN;
		g->pause_dd = (g->peak - eq) / g->peak * 100;
	}
}

/* A closed trade's net P&L moves the loss streak and the last loss. */
static void
mark_result(struct gate *g, int64_t ts, double net)
{
	if (!(net < 0)) {
		g->streak = 0;
		return;
	}
	g->streak++;
	if (g->last_loss == TS_UNSET || ts > g->last_loss)
		g->last_loss = ts;
}

/* Replay the journal's trades closed on day, in order of exit. */
static int
replay_day(struct gate *g, int64_t day, struct sk_err *e)
{
	sqlite3_stmt *st;
	char d[16];
	double eq = g->day_equity, net;
	int64_t ts;
	int r;

	if (jprep(g, "SELECT exit_ts, pnl - fees FROM positions"
	    " WHERE status = 'closed' AND exit_date = ?1"
	    " ORDER BY julianday(exit_ts), rowid", &st, e) == -1)
		return -1;
	clock_format_day(day, d);
	sqlite3_bind_text(st, 1, d, -1, SQLITE_TRANSIENT);
	for (;;) {
		r = jstep(g, st, e);
		if (r != 1)
			return r;
		if (jts(st, 0, &ts, e) == -1)
			return -1;
		net = sqlite3_column_double(st, 1);
		eq += net;
		mark_day(g, ts, eq, net);
	}
}

/* Counters for a new trade date: from the journal, or zero. */
static int
new_day(struct gate *g, int64_t day, struct sk_err *e)
{
	if (day == g->day)
		return 0;
	g->day = day;
	g->entries = 0;
	g->realised = 0;
	if (g->j != NULL && journal_day_stats(g->j, day, &g->entries,
	    &g->realised, e) == -1)
		return -1;
	/* Equity already counts today's closed trades: take them out. */
	g->day_equity = g->equity - g->realised;
	g->peak = g->day_equity;
	g->session_start = session_start(g, day);
	g->session_equity = g->day_equity;
	g->session_realised = 0;
	/* A pause begun late the day before runs on: pause_until stays. */
	return g->j != NULL ? replay_day(g, day, e) : 0;
}

/*
 * Closing fills seen by our book move the equity and the day's marks;
 * a close on a later date than the counters' starts that date first.
 */
static void
on_event(void *arg, const struct book_event *ev)
{
	struct gate *g = arg;
	struct local l;
	double net;

	if (ev->what != BOOK_FILL || strcmp(ev->ord->effect, "close") != 0 ||
	    g->failed)
		return;
	net = ev->pnl - ev->fee - ev->pos->entry_fee;
	tz_local(&g->tz, ev->ts, &l);
	if (l.day > g->day && new_day(g, l.day, &g->err) == -1) {
		g->failed = 1;
		return;
	}
	g->equity += net;
	if (l.day == g->day) {
		g->realised += net;
		mark_day(g, ev->ts, g->equity, net);
	}
	mark_result(g, ev->ts, net);
}

static int
is_kind_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
}

/* One data line of the blackout file into ev; -1 with e filled. */
static int
parse_event(const char *path, long lineno, char *line, int64_t prev,
    struct event *ev, struct sk_err *e)
{
	char *rest = line, *ts, *kind;
	size_t i, n;

	ts = sk_field(&rest);
	kind = sk_field(&rest);
	if (kind == NULL || rest == NULL)
		return sk_errf(e, SK_DATA, "%s:%ld: expected 3 fields: %s",
		    path, lineno, EVENTS_HEADER);
	if (clock_parse(ts, strlen(ts), &ev->ts) == -1)
		return sk_errf(e, SK_DATA, "%s:%ld: bad time '%.40s'", path,
		    lineno, ts);
	n = strlen(kind);
	for (i = 0; i < n && is_kind_char((unsigned char)kind[i]); i++)
		;
	if (n == 0 || i < n || n >= sizeof(ev->kind))
		return sk_errf(e, SK_DATA, "%s:%ld: kind '%.40s' is not a "
		    "word of at most %zu letters, digits, '-' or '_'", path,
		    lineno, kind, sizeof(ev->kind) - 1);
	memcpy(ev->kind, kind, n + 1);
	if (ev->ts < prev)
		return sk_errf(e, SK_DATA, "%s:%ld: %s is before the row "
		    "above; rows go in time order", path, lineno, ts);
	return 0;
}

/* Read the blackout file's lines from fp into g->ev; -1, e filled. */
static int
read_events(struct gate *g, const char *path, FILE *fp, struct sk_err *e)
{
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;
	long lineno = 0;
	int header = 0, rv = -1;

	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (strlen(line) != (size_t)len) {
			sk_errf(e, SK_DATA, "%s:%ld: NUL byte in line", path,
			    lineno);
			goto out;
		}
		if (!header) {
			if (strcmp(line, EVENTS_HEADER) != 0) {
				sk_errf(e, SK_DATA, "%s:%ld: expected the "
				    "header %s", path, lineno, EVENTS_HEADER);
				goto out;
			}
			header = 1;
			continue;
		}
		if (g->nev == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			g->ev = xrealloc(g->ev, alloc * sizeof(*g->ev));
		}
		if (parse_event(path, lineno, line, g->nev > 0 ?
		    g->ev[g->nev - 1].ts : INT64_MIN, &g->ev[g->nev],
		    e) == -1)
			goto out;
		g->nev++;
	}
	if (ferror(fp))
		sk_errf(e, SK_IO, "%s: %s", path, strerror(errno));
	else if (g->nev == 0)
		sk_errf(e, SK_DATA, "%s: no events", path);
	else
		rv = 0;
out:
	free(line);
	return rv;
}

static int
load_events(struct gate *g, const char *path, struct sk_err *e)
{
	FILE *fp;
	int rv;

	fp = fopen(path, "r");
	if (fp == NULL)
		return sk_errf(e, SK_IO, "%s: %s", path, strerror(errno));
	rv = read_events(g, path, fp, e);
	fclose(fp);
	return rv;
}

/*
 * The first event at ev with now - span < ev <= now + span, so that
 * entries are refused from span before it up to, not at, span after;
 * NULL if there is none.
 */
static const struct event *
near_event(const struct gate *g, int64_t now, int64_t span)
{
	size_t lo = 0, hi = g->nev, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (g->ev[mid].ts <= now - span)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < g->nev && g->ev[lo].ts <= now + span)
		return &g->ev[lo];
	return NULL;
}

/*
 * Cash a cash account may spend now: settled cash (money out counts at
 * once, money in once settled) less what approved entries hold.  -1
 * with e filled if the journal cannot say.
 */
static int
spendable(struct gate *g, int64_t day, double *cash, struct sk_err *e)
{
	int64_t total, settled, reserved;

	if (journal_deposit(g->j, llround(g->cfg->account.cash * 100), day,
	    e) == -1 || journal_cash(g->j, day, &total, &settled, e) == -1 ||
	    journal_reserved(g->j, &reserved, e) == -1)
		return -1;
	*cash = (double)(settled - reserved) / 100;
	return 0;
}

/* 1 if a signal bar starting at local minute m may open a position. */
static int
in_window(const struct cfg_risk *k, int m)
{
	const struct cfg_windows *w = &k->entry_windows;
	int i;

	if (w->n == 0)
		return m >= k->entry_start && m < k->entry_end;
	for (i = 0; i < w->n; i++)
		if (m >= w->start[i] && m < w->end[i])
			return 1;
	return 0;
}

/* The end of the last entry window, in local minutes. */
static int
window_end(const struct cfg_risk *k)
{
	const struct cfg_windows *w = &k->entry_windows;

	return w->n == 0 ? k->entry_end : w->end[w->n - 1];
}

static int
refuse_window(const struct cfg_risk *k, int m, struct reject *r)
{
	const struct cfg_windows *w = &k->entry_windows;
	char list[CFG_WINDOWS * 12 + 1];
	size_t len = 0;
	int i;

	if (w->n == 0)
		return gate_refuse(r, "entry_window", NAN, m, "signal bar at "
		    "%02d:%02d is outside the entry window %02d:%02d-"
		    "%02d:%02d", m / 60, m % 60, k->entry_start / 60,
		    k->entry_start % 60, k->entry_end / 60,
		    k->entry_end % 60);
	list[0] = '\0';
	for (i = 0; i < w->n; i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len,
		    "%s%02d:%02d-%02d:%02d", i > 0 ? "," : "",
		    w->start[i] / 60, w->start[i] % 60, w->end[i] / 60,
		    w->end[i] % 60);
	return gate_refuse(r, "entry_window", NAN, m, "signal bar at %02d:%02d "
	    "is outside the entry windows %s", m / 60, m % 60, list);
}

/*
 * The gates of the market calendar (rth only): a closed day, an early
 * close less the margin entry windows keep before a full close, the
 * session's hours at the signal's ts, and the delay after the open.
 * The entry window has passed the signal bar, at local minute bm.
 */
static int
check_session(struct gate *g, const struct signal *s, int bm,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	struct cal_session cs;
	struct local now;
	char day[16];
	int64_t open;
	int margin, cut;

	tz_local(&g->tz, s->ts, &now);
	clock_format_day(now.day, day);
	if (!cal_session(&g->cal, now.day, &cs))
		return gate_refuse(r, "market_closed", NAN, NAN,
		    "no session on %s%s%s", day, *cs.note != '\0' ? ": " : "",
		    cs.note);
	/* What the windows keep before 16:00, they keep before 13:00. */
	margin = CAL_CLOSE - window_end(k);
	cut = cs.close - (margin > 0 ? margin : 0);
	if (cs.close < CAL_CLOSE && bm >= cut)
		return gate_refuse(r, "early_close", cut, bm, "signal bar at "
		    "%02d:%02d is at or after %02d:%02d: the session closes "
		    "early at %02d:%02d", bm / 60, bm % 60, cut / 60,
		    cut % 60, cs.close / 60, cs.close % 60);
	if (now.minute < cs.open || now.minute >= cs.close)
		return gate_refuse(r, "market_hours", now.minute < cs.open ?
		    cs.open : cs.close, now.minute, "at %02d:%02d the "
		    "session %02d:%02d-%02d:%02d is not open",
		    now.minute / 60, now.minute % 60, cs.open / 60,
		    cs.open % 60, cs.close / 60, cs.close % 60);
	open = tz_instant(&g->tz, now.day, cs.open);
	if (s->ts < open + k->open_delay * CLOCK_MIN)
		return gate_refuse(r, "open_delay", k->open_delay,
		    (double)(s->ts - open) / CLOCK_MIN, "%g min after the "
		    "open at %02d:%02d, within open_delay %d",
		    (double)(s->ts - open) / CLOCK_MIN, cs.open / 60,
		    cs.open % 60, k->open_delay);
	return 0;
}

/*
 * For an option (an OCC symbol): nothing that has expired, nothing
 * expiring today from a signal bar at or after cutoff_0dte, nothing
 * expiring on the next trading day from cutoff_1dte.
 */
static int
check_expiry(struct gate *g, const struct signal *s, int64_t day, int m,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	struct occ o;
	struct sk_err e;
	char d[16];
	int64_t next;

	if (occ_parse(&o, s->symbol, strlen(s->symbol), &e) == -1)
		return 0;	/* not an option */
	clock_format_day(o.expiry, d);
	if (o.expiry < day)
		return gate_refuse(r, "expired", NAN, NAN, "%s expired on %s",
		    s->symbol, d);
	if (o.expiry == day && m >= k->cutoff_0dte)
		return gate_refuse(r, "cutoff_0dte", k->cutoff_0dte, m,
		    "signal bar at %02d:%02d is at or after the 0DTE cutoff "
		    "%02d:%02d", m / 60, m % 60, k->cutoff_0dte / 60,
		    k->cutoff_0dte % 60);
	next = g->rth ? cal_next(&g->cal, day) : day + 1;
	if (o.expiry == next && m >= k->cutoff_1dte)
		return gate_refuse(r, "cutoff_1dte", k->cutoff_1dte, m,
		    "signal bar at %02d:%02d is at or after the 1DTE cutoff "
		    "%02d:%02d (expiry %s)", m / 60, m % 60,
		    k->cutoff_1dte / 60, k->cutoff_1dte % 60, d);
	return 0;
}

/* The time gates: windows, the calendar, blackouts. */
static int
check_time(struct gate *g, const struct signal *s, struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	const struct event *ev;
	struct local bar, now;
	char when[CLOCK_TSLEN];
	double mins;

	/* A closed day first, whatever the window says. */
	tz_local(&g->tz, s->ts, &now);
	if (g->rth && !cal_is_trading(&g->cal, now.day))
		return check_session(g, s, 0, r);	/* market_closed */
	tz_local(&g->tz, s->bar_ts != TS_UNSET ? s->bar_ts : s->ts, &bar);
	if (!in_window(k, bar.minute))
		return refuse_window(k, bar.minute, r);
	if (g->rth && check_session(g, s, bar.minute, r))
		return 1;
	if (check_expiry(g, s, bar.day, bar.minute, r))
		return 1;
	if (g->nev == 0 || k->blackout_minutes == 0)
		return 0;
	ev = near_event(g, s->ts, k->blackout_minutes * CLOCK_MIN);
	if (ev == NULL)
		return 0;
	clock_format(ev->ts, when);
	mins = (double)(s->ts - ev->ts) / CLOCK_MIN;
	return gate_refuse(r, "blackout", k->blackout_minutes, mins, "%s at %s "
	    "is %g min %s, within blackout_minutes %d", ev->kind, when,
	    fabs(mins), mins < 0 ? "ahead" : "past", k->blackout_minutes);
}

/* The limits of the account that do not depend on the size. */
static int
check_account(struct gate *g, const struct signal *s, struct reject *r,
    struct sk_err *e)
{
	const struct cfg_risk *k = &g->cfg->risk;
	struct last_entry *le;
	char when[CLOCK_TSLEN];
	double open, limit;
	int64_t last;
	int interval;

	if (k->target_equity > 0 && g->equity >= k->target_equity)
		return gate_refuse(r, "target_reached", k->target_equity,
		    g->equity, "equity %.2f reached the target %.2f",
		    g->equity, k->target_equity);
	open = (double)(book_open_count(&g->book, NULL) +
	    book_pending_entries(&g->book, NULL));
	if (open >= k->max_positions)
		return gate_refuse(r, "max_positions", k->max_positions, open,
		    "%.0f positions open or pending (max %d)", open,
		    k->max_positions);
	open = (double)(book_open_count(&g->book, s->symbol) +
	    book_pending_entries(&g->book, s->symbol));
	if (open >= k->max_per_symbol)
		return gate_refuse(r, "max_per_symbol", k->max_per_symbol, open,
		    "%.0f positions in this symbol (max %d)", open,
		    k->max_per_symbol);
	if (g->entries >= k->max_trades_day)
		return gate_refuse(r, "max_trades_day", k->max_trades_day,
		    g->entries, "%ld entries today (max %d)",
		    g->entries, k->max_trades_day);
	limit = -k->daily_loss_pct / 100 * g->day_equity;
	if (g->realised <= limit)
		return gate_refuse(r, "daily_loss", limit, g->realised,
		    "realised %.2f today reached the daily loss limit %.2f",
		    g->realised, limit);
	limit = -k->session_loss_pct / 100 * g->session_equity;
	/* realised <= -pct/100 * equity, without the division. */
	if (k->session_loss_pct > 0 && g->session_realised * 100 <=
	    -k->session_loss_pct * g->session_equity)
		return gate_refuse(r, "session_loss", limit,
		    g->session_realised,
		    "realised %.2f this session reached the session loss "
		    "limit %.2f", g->session_realised, limit);
	if (g->pause_until != TS_UNSET && s->ts < g->pause_until) {
		clock_format(g->pause_until, when);
		return gate_refuse(r, "drawdown_pause", k->pause_drawdown_pct,
		    g->pause_dd, "equity fell %.4g %% below the day's peak "
		    "(pause_drawdown_pct %g): no entries until %s",
		    g->pause_dd, k->pause_drawdown_pct, when);
	}
	if (k->loss_cooldown > 0 && g->last_loss != TS_UNSET &&
	    s->ts < g->last_loss + k->loss_cooldown * CLOCK_MIN)
		return gate_refuse(r, "loss_cooldown", k->loss_cooldown,
		    (double)(s->ts - g->last_loss) / CLOCK_MIN, "a losing "
		    "trade closed %g min ago, within loss_cooldown %d",
		    (double)(s->ts - g->last_loss) / CLOCK_MIN,
		    k->loss_cooldown);
	interval = (int)tier_value(&k->tier_min_interval, g->tier,
	    k->min_interval);
	if (interval == 0)
		return 0;
	last = TS_UNSET;
	if (g->j != NULL && journal_last_entry(g, s->symbol, &last, e) == -1)
		return -1;
	le = find_entry(g, s->symbol);
	if (le != NULL && (last == TS_UNSET || le->ts > last))
		last = le->ts;
	if (last != TS_UNSET && s->ts < last + interval * 1000LL)
		return gate_refuse(r, "min_interval", interval,
		    (double)(s->ts - last) / 1000, "%g s since the last "
		    "entry approved in %s, within min_interval %d",
		    (double)(s->ts - last) / 1000, s->symbol, interval);
	return 0;
}

/* The money one unit of the signal's instrument costs. */
static double
upx(const struct signal *s)
{
	return s->price * occ_multiplier(s->symbol);
}

/*
 * The smallest unit one may trade: the lot step when it is a fraction,
 * else one whole unit.
 */
static double
unit(const struct cfg_risk *k)
{
	return k->qty_step > 0 && k->qty_step < 1 ? k->qty_step : 1;
}

/*
 * q rounded down to a multiple of the lot step (whole units with no
 * step).  The hair up keeps 100 * 0.29 at 29, and the final rounding
 * keeps 3 * 0.1 at 0.3.
 */
static double
round_step(const struct cfg_risk *k, double q)
{
	double step = k->qty_step > 0 ? k->qty_step : 1;

	return round(floor(q / step + 1e-9) * step * 1e9) / 1e9;
}

/*
 * Risk sizing: the quantity whose loss at exits.stop_pct is at most
 * risk_pct of equity; refused when even one unit risks more.
 */
static int
size_risk(struct gate *g, const struct signal *s, double *qty,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	double budget, per;

	budget = g->equity * k->risk_pct / 100;
	per = upx(s) * g->cfg->exits.stop_pct / 100;
	if (!(budget > 0) || per * unit(k) > budget * (1 + 1e-12))
		return gate_refuse(r, "position_size", budget, per * unit(k),
		    "one unit risks more than the limit: %.2f at the stop, "
		    "risk_pct %g %% of equity is %.2f", per * unit(k),
		    k->risk_pct, budget);
	*qty = round_step(k, budget / per);
	return 0;
}

/*
 * Kelly sizing: f = p - (1 - p) / b with b the payout target_pct /
 * stop_pct, at most kelly_cap_pct of equity, in whole units (or steps).
 */
static int
size_kelly(struct gate *g, const struct signal *s, double *qty,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	double p = s->prob, b, f, stake;

	if (isnan(p))
		return gate_refuse(r, "sizing", NAN, NAN,
		    "no probability for Kelly");
	if (p < 0 || p > 1)
		return gate_refuse(r, "sizing", 1, p, "probability %g is not "
		    "within 0..1", p);
	b = g->cfg->exits.target_pct / g->cfg->exits.stop_pct;
	f = p - (1 - p) / b;
	if (!(f > 0))
		return gate_refuse(r, "kelly", 0, f,
		    "Kelly fraction %.4g is not positive (prob %g, payout "
		    "%g)", f, p, b);
	if (f > k->kelly_cap_pct / 100)
		f = k->kelly_cap_pct / 100;
	stake = g->equity * f;
	*qty = round_step(k, stake / upx(s));
	if (!(*qty > 0))
		return gate_refuse(r, "kelly", stake, upx(s) * unit(k),
		    "one unit at %.2f costs more than the Kelly stake %.2f",
		    upx(s) * unit(k), stake);
	return 0;
}

/*
 * The size before the conviction and exchange rules: by the sizing
 * method, times loss_streak_size after loss_streak losing trades in a
 * row, rounded down to whole units (or steps) and never below one (a
 * fixed size under one unit, as in crypto, is scaled as it is).
 */
static int
base_qty(struct gate *g, const struct signal *s, double *qty,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	double q;

	if (strcmp(k->sizing, "risk") == 0) {
		if (size_risk(g, s, qty, r))
			return 1;
	} else if (strcmp(k->sizing, "kelly") == 0) {
		if (size_kelly(g, s, qty, r))
			return 1;
	} else
		*qty = g->cfg->strategy.qty;
	if (k->loss_streak == 0 || g->streak < k->loss_streak)
		return 0;
	q = *qty * k->loss_streak_size;
	if (*qty < 1 && strcmp(k->sizing, "fixed") == 0) {
		*qty = q;
		return 0;
	}
	q = round_step(k, q);
	*qty = q < unit(k) ? unit(k) : q;
	return 0;
}

/*
 * The conviction adjustment (conviction_half 0: off): full size at a
 * score of conviction_full or more, half (rounded down, at least one
 * unit) from conviction_half, refused below it or with no score.
 */
static int
conviction(struct gate *g, const struct signal *s, double *qty,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	double q;

	if (k->conviction_half == 0)
		return 0;
	if (isnan(s->score))
		return gate_refuse(r, "conviction", k->conviction_half, NAN,
		    "no score for the conviction rule");
	if (s->score < k->conviction_half)
		return gate_refuse(r, "conviction", k->conviction_half,
		    s->score,
		    "score %g is below conviction_half %d", s->score,
		    k->conviction_half);
	if (s->score >= k->conviction_full)
		return 0;
	q = round_step(k, *qty / 2);
	*qty = q < unit(k) ? unit(k) : q;
	return 0;
}

/*
 * The exchange's minimums: the lot step (the size rounds down to a
 * multiple of it), the minimum quantity and the minimum notional.
 */
static int
exchange_min(struct gate *g, const struct signal *s, double *qty,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	double q = *qty;

	if (k->qty_step > 0) {
		q = round_step(k, *qty);
		if (!(q > 0))
			return gate_refuse(r, "exchange_min", k->qty_step, *qty,
			    "quantity %g is under one lot step %g", *qty,
			    k->qty_step);
	}
	if (k->min_qty > 0 && q < k->min_qty)
		return gate_refuse(r, "exchange_min", k->min_qty, q,
		    "quantity %g is under min_qty %g", q, k->min_qty);
	if (k->min_notional > 0 && q * upx(s) < k->min_notional)
		return gate_refuse(r, "exchange_min", k->min_notional,
		    q * upx(s), "notional %.2f is under min_notional %.2f",
		    q * upx(s), k->min_notional);
	*qty = q;
	return 0;
}

/* The signal's tier is t ("A", "B"; either case). */
static int
is_tier(const struct signal *s, const char *t)
{
	return strcasecmp(s->tier, t) == 0;
}

/*
 * The tier adjustment: a tier-A (tier-B) entry uses at most
 * margin_a_pct (margin_b_pct) of equity as margin, notional over
 * max_leverage (1 when off); the size is cut to fit, and refused when
 * not one unit does.
 */
static int
margin_cap(struct gate *g, const struct signal *s, double *qty,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	double pct = 0, lev, cap, q;

	if (is_tier(s, "A"))
		pct = tier_value(&k->tier_margin_a, g->tier, k->margin_a_pct);
	else if (is_tier(s, "B"))
		pct = tier_value(&k->tier_margin_b, g->tier, k->margin_b_pct);
	if (pct == 0)
		return 0;
	lev = k->max_leverage > 0 ? k->max_leverage : 1;
	cap = pct / 100 * g->equity * lev;
	if (*qty * upx(s) <= cap)
		return 0;
	q = round_step(k, cap / upx(s));
	if (!(q >= unit(k)))
		return gate_refuse(r, "margin_cap", cap, upx(s) * unit(k),
		    "one unit's notional %.2f exceeds the tier-%s margin cap "
		    "%.2f (%g %% of equity at leverage %g)",
		    upx(s) * unit(k), s->tier, cap, pct, lev);
	*qty = q;
	return 0;
}

/*
 * The size of the entry into *qty, through the sizing method, the loss
 * streak, conviction and the exchange's minimums; 1 with r filled if
 * one of them refuses.
 */
static int
entry_qty(struct gate *g, const struct signal *s, double *qty,
    struct reject *r)
{
	*qty = NAN;
	if (isnan(s->price) || !(s->price > 0))
		return gate_refuse(r, "position_size", NAN, NAN,
		    "cannot size: price %.2f", s->price);
	if (base_qty(g, s, qty, r) || conviction(g, s, qty, r) ||
	    margin_cap(g, s, qty, r) || exchange_min(g, s, qty, r))
		return 1;
	if (!(*qty > 0))
		return gate_refuse(r, "position_size", NAN, *qty,
		    "cannot size: quantity %g", *qty);
	return 0;
}

/*
 * 1 if an open position, or a pending entry, in symbol came from a
 * tier-A signal: one approved in this run, or one the journal says so
 * of.  -1 with e filled if the journal cannot say.
 */
static int
a_tier_open(struct gate *g, const char *symbol, struct sk_err *e)
{
	const char *id;
	sqlite3_stmt *st;
	size_t i;
	int rv;

	for (i = 0; i < g->book.npos + g->book.nord; i++) {
		if (i < g->book.npos) {
			if (strcmp(g->book.pos[i].symbol, symbol) != 0)
				continue;
			id = g->book.pos[i].signal_id;
		} else {
			const struct order *o = &g->book.ord[i - g->book.npos];

			if (strcmp(o->symbol, symbol) != 0 ||
			    strcmp(o->effect, "open") != 0)
				continue;
			id = o->signal_id;
		}
		if (idset_has(&g->atier, id))
			return 1;
		if (g->j == NULL || id[0] == '\0')
			continue;
		if (jprep(g, "SELECT 1 FROM signals WHERE id = ?1"
		    " AND upper(tier) = 'A'", &st, e) == -1)
			return -1;
		sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
		rv = jstep(g, st, e);
		if (rv == -1)
			return -1;
		if (rv == 1) {
			sqlite3_finalize(st);
			return 1;
		}
	}
	return 0;
}

/*
 * The rules on orders: tier-B signals (allowed at all, and not while a
 * tier-A position is open in the symbol), and no adding to a position
 * in the same direction that is losing at the signal's price.
 */
static int
check_orders(struct gate *g, const struct signal *s, struct reject *r,
    struct sk_err *e)
{
	const struct cfg_risk *k = &g->cfg->risk;
	const struct position *p;
	int dir = strcmp(s->side, "long") == 0 ? 1 : -1, rv;
	size_t i;

	if (is_tier(s, "B")) {
		if (tier_value(&k->tier_b_tier, g->tier, k->b_tier) == 0)
			return gate_refuse(r, "b_tier", NAN, NAN,
			    "tier-B signals do not trade in this balance "
			    "tier");
		rv = k->b_while_a ? 0 : a_tier_open(g, s->symbol, e);
		if (rv == -1)
			return -1;
		if (rv == 1)
			return gate_refuse(r, "b_tier", NAN, NAN, "a tier-A "
			    "position is open or pending in %s", s->symbol);
	}
	if (k->average_losers)
		return 0;
	for (i = 0; i < g->book.npos; i++) {
		p = &g->book.pos[i];
		if (p->dir != dir || strcmp(p->symbol, s->symbol) != 0)
			continue;
		if ((s->price - p->entry_price) * dir < 0)
			return gate_refuse(r, "averaging", p->entry_price,
			    s->price, "the %s position opened at %g is "
			    "losing at %g: no averaging into it", s->side,
			    p->entry_price, s->price);
	}
	return 0;
}
/* 1 if local minute m falls in one of windows w. */
static int
in_windows(const struct cfg_windows *w, int m)
{
	int i;

	for (i = 0; i < w->n; i++)
		if (m >= w->start[i] && m < w->end[i])
			return 1;
	return 0;
}

/*
 * The rules of the account's kind: in a cash account, good-faith
 * violations; in a margin account, the legacy pattern-day-trader rule.
 */
static int
check_kind(struct gate *g, int64_t day, struct reject *r, struct sk_err *e)
{
	const struct cfg_account *a = &g->cfg->account;
	int64_t start;
	long n;
	int i;

	if (strcmp(a->type, "cash") == 0) {
		if (a->max_gfv == 0)
			return 0;
		if (g->j == NULL)
			return gate_refuse(r, "good_faith", a->max_gfv, NAN,
			    "no journal: good-faith violations unknown");
		if (journal_gfv(g->j, day - 364, day, &n, e) == -1)
			return -1;
		if (n >= a->max_gfv)
			return gate_refuse(r, "good_faith", a->max_gfv, n,
			    "%ld good-faith violations in 12 months "
			    "(max_gfv %d)", n, a->max_gfv);
		return 0;
	}
	if (!a->pdt || g->equity >= a->pdt_equity)
		return 0;
	if (g->j == NULL)
		return gate_refuse(r, "pdt", a->pdt_max, NAN,
		    "no journal: day trades unknown");
	/* Today and the four business days before it. */
	start = day;
	for (i = 0; i < 4; i++)
		start = g->rth ? cal_prev(&g->cal, start) :
		    start - ((start + 3) % 7 == 0 ? 3 : 1);
	if (journal_day_trades(g->j, start, day, &n, e) == -1)
		return -1;
	n += (long)book_pending_entries(&g->book, NULL);
	if (n >= a->pdt_max)
		return gate_refuse(r, "pdt", a->pdt_max, n, "%ld day trades "
		    "in 5 business days with equity %.2f under %.2f "
		    "(pdt_max %d)", n, g->equity, a->pdt_equity, a->pdt_max);
	return 0;
}

/*
 * A margin account's intraday buying power: the broker's figure when
 * an account record gave one, else buying_power times equity (off at
 * 0); open positions and pending entries count at their prices.
 */
static int
check_bp(struct gate *g, double notional, struct reject *r)
{
	const struct cfg_account *a = &g->cfg->account;
	const struct order *o;
	const struct mview *v;
	double bp, used = notional, px;
	size_t i;

	if (!isnan(g->broker_bp))
		bp = g->broker_bp;
	else if (a->buying_power > 0)
		bp = a->buying_power * g->equity;
	else
		return 0;
	for (i = 0; i < g->book.npos; i++)
		used += g->book.pos[i].qty * g->book.pos[i].entry_price *
		    occ_multiplier(g->book.pos[i].symbol);
	for (i = 0; i < g->book.nord; i++) {
		o = &g->book.ord[i];
		if (strcmp(o->effect, "open") != 0)
			continue;
		v = mview_find(&g->mv, o->symbol);
		px = !isnan(o->limit) ? o->limit : v != NULL ? v->close : NAN;
		if (isnan(px))
			return gate_refuse(r, "buying_power", bp, NAN,
			    "no price for the pending entry in %s",
			    o->symbol);
		used += o->qty * px * occ_multiplier(o->symbol);
	}
	if (used > bp)
		return gate_refuse(r, "buying_power", bp, used, "notional "
		    "%.2f with what is open and pending exceeds intraday "
		    "buying power %.2f", used, bp);
	return 0;
}

/* The quality gates, with the tier's strictness and the session's. */
static int
check_quality(struct gate *g, const struct signal *s, struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	struct quality q;
	struct local now;
	int asia = 0;

	if (k->asia_windows.n > 0) {
		tz_local(&g->tz, s->ts, &now);
		asia = in_windows(&k->asia_windows, now.minute);
	}
	quality_limits(&q, k, tier_value(&k->tier_soften, g->tier, 1), asia);
	return quality_check(&q, mview_find(&g->mv, s->symbol), s->ts, r);
}

/* Fee protection and the EV guard, on the sized entry. */
static int
check_value(struct gate *g, const struct signal *s, double qty,
    struct reject *r)
{
	const struct cfg_risk *k = &g->cfg->risk;
	double notional = qty * upx(s), win, loss, fees;

	win = notional * g->cfg->exits.target_pct / 100;
	loss = notional * g->cfg->exits.stop_pct / 100;
	fees = 2 * fees_of(&g->book.fees, qty);
	if (fee_check(tier_value(&k->tier_fee_k, g->tier, k->fee_k), win,
	    fees, r))
		return 1;
	if (k->ev_guard && ev_check(tier_value(&k->tier_ev_min, g->tier,
	    k->ev_min), s->prob, win, loss, fees, r))
		return 1;
	return 0;
}

/*
 * The gates, in order.  The size of an approval goes into *qty.
 * Returns 1 with r filled if one refuses, 0 if all pass, -1 with e
 * filled if the journal could not be read (the caller refuses then
 * too).
 */
static int
check(struct gate *g, const struct signal *s, double *qty, int64_t day,
    struct reject *r, struct sk_err *e)
{
	const struct cfg_risk *k = &g->cfg->risk;
	double notional, limit, cash, lev;
	int cash_account = strcmp(g->cfg->account.type, "cash") == 0, rv;

	*qty = NAN;
	g->tier = tier_of(&k->tier_bounds, g->equity);
	if (k->kill_switch[0] != '\0' && access(k->kill_switch, F_OK) == 0)
		return gate_refuse(r, "kill_switch", NAN, NAN,
		    "kill switch %s is present", k->kill_switch);
	if (idset_has(&g->ids, s->id))
		return gate_refuse(r, "duplicate", NAN, NAN,
		    "signal already decided");
	if (check_time(g, s, r))
		return 1;
	rv = check_account(g, s, r, e);
	if (rv == 0)
		rv = check_orders(g, s, r, e);
	if (rv == 0)
		rv = check_kind(g, day, r, e);
	if (rv != 0)
		return rv;
	if (check_quality(g, s, r) || entry_qty(g, s, qty, r) ||
	    check_value(g, s, *qty, r))
		return 1;
	notional = *qty * upx(s);
	limit = k->max_position_pct / 100 * g->equity;
	if (notional > limit)
		return gate_refuse(r, "position_size", limit, notional,
		    "notional %.2f exceeds %.2f", notional, limit);
	if (k->max_leverage > 0) {
		lev = g->equity > 0 ? notional / g->equity : INFINITY;
		if (lev > k->max_leverage)
			return gate_refuse(r, "leverage", k->max_leverage, lev,
			    "leverage %.4g (notional %.2f on equity %.2f) "
			    "exceeds max_leverage %g", lev, notional,
			    g->equity, k->max_leverage);
	}
	if (!cash_account)
		return check_bp(g, notional, r);
	if (strcmp(s->side, "short") == 0)
		return gate_refuse(r, "cash_account", NAN, NAN,
		    "a cash account cannot sell short");
	if (g->j == NULL)
		return gate_refuse(r, "settled_cash", NAN, notional,
		    "no journal: settled cash is unknown");
	if (spendable(g, day, &cash, e) == -1)
		return -1;
	/* The options sizer is capped by settled cash, not refused. */
	if (notional > cash && occ_multiplier(s->symbol) > 1 &&
	    floor(cash / upx(s)) >= 1) {
		*qty = floor(cash / upx(s));
		notional = *qty * upx(s);
	}
	if (notional > cash)
		return gate_refuse(r, "settled_cash", cash, notional,
		    "notional %.2f exceeds settled cash %.2f", notional, cash);
	return 0;
}

/* A refusal names the balance tier when there are tiers. */
static void
name_tier(const struct gate *g, struct reject *r)
{
	size_t len = strlen(r->reason);
	int n = g->cfg->risk.tier_bounds.n;

	if (n > 0)
		snprintf(r->reason + len, sizeof(r->reason) - len,
		    " (balance tier %d of %d)", g->tier + 1, n + 1);
}

static void
make_order(struct gate *g, const struct signal *s, double qty,
    struct order *o)
{
	struct local l;

	memset(o, 0, sizeof(*o));
	o->ts = s->ts;
	/* A day order: gone at flat-by time, and so by the next session. */
	tz_local(&g->tz, s->bar_ts != TS_UNSET ? s->bar_ts : s->ts, &l);
	o->expires = tz_instant(&g->tz, l.day, g->cfg->exits.flat_by);
	sk_strlcpy(o->symbol, s->symbol, sizeof(o->symbol));
	snprintf(o->intent_id, sizeof(o->intent_id), "%.74s/open", s->id);
	sk_strlcpy(o->side, strcmp(s->side, "long") == 0 ? "buy" : "sell",
	    sizeof(o->side));
	o->qty = qty;
	sk_strlcpy(o->order_type, "market", sizeof(o->order_type));
	o->limit = o->stop = o->tp = o->sl = NAN;
	sk_strlcpy(o->effect, "open", sizeof(o->effect));
	sk_strlcpy(o->position_id, o->intent_id, sizeof(o->position_id));
	sk_strlcpy(o->signal_id, s->id, sizeof(o->signal_id));
	sk_strlcpy(o->strategy, s->strategy, sizeof(o->strategy));
	sk_strlcpy(o->reason, "entry", sizeof(o->reason));
}

static int
decide(struct gate *g, const struct rec *sr, const struct emit *out,
    struct sk_err *e)
{
	const struct signal *s = &sr->u.sig;
	struct rec r;
	struct reject rj;
	struct local l;
	double qty;
	int refused, rv;

	if (strcmp(s->side, "long") != 0 && strcmp(s->side, "short") != 0)
		return sk_errf(e, SK_DATA, "%s:%ld: signal: side must be long "
		    "or short", sr->src != NULL ? sr->src : "-", sr->line);
	tz_local(&g->tz, s->ts, &l);
	if (new_day(g, l.day, e) == -1)
		return -1;
	memset(&rj, 0, sizeof(rj));
	refused = check(g, s, &qty, l.day, &rj, e);
	if (refused == -1)
		return -1;
	if (refused) {
		name_tier(g, &rj);
		rec_init(&r, REC_REJECT);
		rj.ts = s->ts;
		sk_strlcpy(rj.symbol, s->symbol, sizeof(rj.symbol));
		sk_strlcpy(rj.signal_id, s->id, sizeof(rj.signal_id));
		sk_strlcpy(rj.strategy, s->strategy, sizeof(rj.strategy));
		r.u.rej = rj;
	} else {
		rec_init(&r, REC_ORDER);
		make_order(g, s, qty, &r.u.ord);
	}
	/* The journal first: a refusal or a reservation is on record
	 * before anything downstream can act on it. */
	if (g->j != NULL && strcmp(rj.gate, "duplicate") != 0) {
		rv = journal_decision(g->j, s, refused ? &rj : NULL,
		    refused ? NULL : r.u.ord.intent_id,
		    refused ? 0 : llround(qty * upx(s) * 100), l.day, e);
		if (rv == -1)
			return -1;
		if (rv == 0) {
			/* Decided in an earlier run: refuse it again. */
			rec_init(&r, REC_REJECT);
			r.u.rej.ts = s->ts;
			sk_strlcpy(r.u.rej.symbol, s->symbol, REC_SYM);
			sk_strlcpy(r.u.rej.signal_id, s->id, REC_ID);
			sk_strlcpy(r.u.rej.strategy, s->strategy, REC_WORD);
			sk_strlcpy(r.u.rej.gate, "duplicate", REC_WORD);
			sk_strlcpy(r.u.rej.reason, "signal already decided",
			    REC_TEXT);
			refused = 1;
		}
	}
	idset_add(&g->ids, s->id);
	if (refused) {
		g->rejected++;
		return emit(out, &r, e);
	}
	g->approved++;
	g->entries++;
	if (is_tier(s, "A"))
		idset_add(&g->atier, s->id);
	remember_entry(g, s->symbol, s->ts);
	book_order(&g->book, &r.u.ord);
	return emit(out, &r, e);
}

static int
gate_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct gate *g = self;

	switch (r->type) {
	case REC_BAR:
		mview_bar(&g->mv, &r->u.bar, g->bar_ind);
		book_bar(&g->book, &r->u.bar, on_event, g);
		if (g->failed) {
			*e = g->err;
			return -1;
		}
		return emit(out, r, e);
	case REC_ORDER:
		book_order(&g->book, &r->u.ord);
		return emit(out, r, e);
	case REC_SIGNAL:
		return decide(g, r, out, e);
	case REC_QUOTE:
		mview_quote(&g->mv, &r->u.quote);
		book_quote(&g->book, &r->u.quote, on_event, g);
		if (g->failed) {
			*e = g->err;
			return -1;
		}
		return emit(out, r, e);
	case REC_ACCOUNT:
		if (!isnan(r->u.account.buying_power))
			g->broker_bp = r->u.account.buying_power;
		return emit(out, r, e);
	default:
		return emit(out, r, e);
	}
}

static int
gate_finish(void *self, const struct emit *out, struct sk_err *e)
{
	(void)self;
	(void)out;
	(void)e;
	return 0;
}

static long
gate_acted(const void *self)
{
	const struct gate *g = self;

	return g->approved;
}

static void
gate_free(void *self)
{
	struct gate *g = self;

	book_release(&g->book);
	tz_release(&g->tz);
	cal_release(&g->cal);
	free(g->ev);
	free(g->last);
	idset_release(&g->ids);
	idset_release(&g->atier);
	mviews_release(&g->mv);
	free(g);
}

/* The market calendar (rth) and the blackout file, if configured. */
static int
load_calendars(struct gate *g, struct sk_err *e)
{
	char path[CFG_PATH];

	if (g->rth && (config_calendar_path(g->cfg, path, sizeof(path),
	    e) == -1 || cal_load(&g->cal, path, e) == -1))
		return -1;
	if (g->cfg->risk.blackouts[0] != '\0')
		return load_events(g, g->cfg->risk.blackouts, e);
	return 0;
}

int
gate_stage_new(struct stage **sp, const struct config *c, struct journal *j,
    struct sk_err *e)
{
	struct gate *g;
	struct stage *st;
	struct fees f = { c->broker.fee_per_share, c->broker.fee_per_order };
	double realised = 0;

	g = xcalloc(1, sizeof(*g));
	g->cfg = c;
	g->j = j;
	g->day = INT64_MIN;
	g->pause_until = TS_UNSET;
	g->last_loss = TS_UNSET;
	g->broker_bp = NAN;
	g->bar_ind = c->risk.min_atr_pct > 0 || c->risk.min_range_pct > 0 ||
	    c->risk.min_open_interest > 0 || c->risk.iv_pct_min > 0 ||
	    c->risk.iv_pct_max < 100;
	g->rth = strcmp(c->market.session, "rth") == 0;
	cal_init(&g->cal);
	book_init_cfg(&g->book, &f, c);
	g->equity = c->account.cash;
	if (tz_load(&g->tz, c->market.timezone, e) == -1 ||
	    load_calendars(g, e) == -1 ||
	    (j != NULL && (journal_load_book(j, c->broker.name, &g->book,
	    e) == -1 || journal_realised(j, &realised, e) == -1 ||
	    load_results(g, e) == -1))) {
		gate_free(g);
		return -1;
	}
	/* Equity: starting cash plus every closed trade, net of fees. */
	g->equity += realised;
	st = xcalloc(1, sizeof(*st));
	st->name = "gate-risk";
	st->mask = REC_MASK(REC_BAR) | REC_MASK(REC_ORDER) |
	    REC_MASK(REC_SIGNAL) | REC_MASK(REC_QUOTE) |
	    REC_MASK(REC_ACCOUNT);
	st->self = g;
	st->take = gate_take;
	st->finish = gate_finish;
	st->free = gate_free;
	st->acted = gate_acted;
	*sp = st;
	return 0;
}
