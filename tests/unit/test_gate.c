/*
 * test_gate.c: the gate-risk stage (lib/gate.c), driven record by
 * record: each time and account gate just inside its limit (approved)
 * and just outside (refused, naming the gate, threshold and observed).
 */
#include <check.h>
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "gate.h"
#include "journal.h"
#include "rec.h"
#include "stage.h"

#ifndef SK_SRCDIR
#define SK_SRCDIR "."
#endif

#define MIN	CLOCK_MIN
#define SEC	1000LL

/* What the stage said of the last signal. */
struct verdict {
	int		 approved;
	char		 gate[REC_WORD];
	char		 reason[REC_TEXT];
	double		 threshold, observed;
	double		 qty;
};

/* One test's stage, journal and scratch directory. */
struct h {
	char		 dir[128];
	char		 db[192];
	struct config	 c;
	struct journal	*j;
	struct stage	*st;
	struct verdict	 v;
	int		 nv;		/* verdicts since the last signal */
	int		 seq;		/* for unique ids */
};

static int64_t
T(const char *s)
{
	int64_t ms;

	ck_assert_msg(clock_parse(s, strlen(s), &ms) == 0, "bad time %s", s);
	return ms;
}

/* Defaults, the source tree's calendar, one position per symbol more. */
static void
h_init(struct h *h)
{
	const char *tmp = getenv("TMPDIR");
	struct sk_err e;

	memset(h, 0, sizeof(*h));
	if (tmp == NULL || *tmp != '/' || strlen(tmp) > 64)
		tmp = "/tmp";
	snprintf(h->dir, sizeof(h->dir), "%s/test_gate.XXXXXX", tmp);
	ck_assert_ptr_nonnull(mkdtemp(h->dir));
	snprintf(h->db, sizeof(h->db), "%s/journal.db", h->dir);
	ck_assert_msg(journal_open(&h->j, h->db, &e) == 0, "%s", e.msg);
	config_defaults(&h->c);
	snprintf(h->c.paths.calendar, sizeof(h->c.paths.calendar),
	    "%s/share/calendar/nyse.csv", SK_SRCDIR);
	h->c.risk.max_positions = 100;
	h->c.risk.max_per_symbol = 100;
	h->c.risk.max_trades_day = 1000;
	/* The gates are tested on exact prices: ideal fills. */
	sk_strlcpy(h->c.paper.model, "ideal", sizeof(h->c.paper.model));
}

static int
sink(void *arg, struct rec *r, struct sk_err *e)
{
	struct h *h = arg;

	(void)e;
	if (r->type == REC_ORDER && strcmp(r->u.ord.effect, "open") == 0 &&
	    r->u.ord.signal_id[0] != '\0') {
		memset(&h->v, 0, sizeof(h->v));
		h->v.approved = 1;
		h->v.qty = r->u.ord.qty;
		h->nv++;
	} else if (r->type == REC_REJECT) {
		memset(&h->v, 0, sizeof(h->v));
		sk_strlcpy(h->v.gate, r->u.rej.gate, sizeof(h->v.gate));
		sk_strlcpy(h->v.reason, r->u.rej.reason,
		    sizeof(h->v.reason));
		h->v.threshold = r->u.rej.threshold;
		h->v.observed = r->u.rej.observed;
		h->nv++;
	}
	return 0;
}

/* The stage over h->c as it is now. */
static void
h_start(struct h *h)
{
	struct sk_err e;

	ck_assert_msg(gate_stage_new(&h->st, &h->c, h->j, &e) == 0, "%s",
	    e.msg);
}

/* A new stage (a new run) over the same journal. */
static void
h_restart(struct h *h)
{
	stage_free(h->st);
	h->st = NULL;
	h_start(h);
}

static void
h_done(struct h *h)
{
	static const char *const files[] = {
		"journal.db", "journal.db-wal", "journal.db-shm", "events.csv"
	};
	char path[256];
	size_t i;

	stage_free(h->st);
	journal_close(h->j);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", h->dir, files[i]);
		unlink(path);
	}
	rmdir(h->dir);
}

static void
take(struct h *h, struct rec *r)
{
	struct emit out = { sink, h };
	struct sk_err e;

	ck_assert_msg(h->st->take(h->st->self, r, &out, &e) == 0, "%s",
	    e.msg);
}

/*
 * A signal of symbol decided at ts (its bar began a minute before);
 * returns the verdict, exactly one per signal.
 */
static const struct verdict *
sig_full(struct h *h, const char *symbol, int64_t ts, double price,
    double score, double prob)
{
	struct rec r;
	struct signal *s = &r.u.sig;

	rec_init(&r, REC_SIGNAL);
	s->ts = ts;
	s->bar_ts = ts - MIN;
	sk_strlcpy(s->symbol, symbol, sizeof(s->symbol));
	snprintf(s->id, sizeof(s->id), "t/%s/%lld/%d", symbol,
	    (long long)ts, h->seq++);
	sk_strlcpy(s->strategy, "t", sizeof(s->strategy));
	sk_strlcpy(s->side, "long", sizeof(s->side));
	s->price = price;
	s->score = score;
	s->prob = prob;
	h->nv = 0;
	take(h, &r);
	ck_assert_int_eq(h->nv, 1);
	return &h->v;
}

static const struct verdict *
sig_sym(struct h *h, const char *symbol, int64_t ts)
{
	return sig_full(h, symbol, ts, 100, NAN, NAN);
}

static const struct verdict *
sig(struct h *h, int64_t ts)
{
	return sig_sym(h, "SPY", ts);
}

/* A signal whose bar starts at local New York HH:MM on date (EST). */
static int64_t
bar_at(const char *date, int hh, int mm)
{
	char buf[32];

	/* January 2011 and the like: New York is UTC-5. */
	snprintf(buf, sizeof(buf), "%sT%02d:%02d:00Z", date, hh + 5, mm);
	return T(buf) + MIN;	/* the signal's ts: the bar's close */
}

static void
assert_ok(const struct verdict *v)
{
	ck_assert_msg(v->approved, "refused by %s: %s", v->gate, v->reason);
}

static void
assert_refused(const struct verdict *v, const char *gate,
    double threshold, double observed)
{
	ck_assert_msg(!v->approved, "approved, %s expected", gate);
	ck_assert_str_eq(v->gate, gate);
	if (isnan(threshold))
		ck_assert(isnan(v->threshold));
	else
		ck_assert_double_eq_tol(v->threshold, threshold, 1e-9);
	if (isnan(observed))
		ck_assert(isnan(v->observed));
	else
		ck_assert_double_eq_tol(v->observed, observed, 1e-9);
}

static void
bar(struct h *h, int64_t ts, double px)
{
	struct rec r;

	rec_init(&r, REC_BAR);
	sk_strlcpy(r.u.bar.symbol, "SPY", sizeof(r.u.bar.symbol));
	r.u.bar.ts = ts;
	r.u.bar.o = r.u.bar.h = r.u.bar.l = r.u.bar.c = px;
	r.u.bar.v = 1000;
	take(h, &r);
}

static void
order(struct h *h, const char *id, const char *effect, const char *side,
    int64_t ts)
{
	struct rec r;
	struct order *o = &r.u.ord;

	rec_init(&r, REC_ORDER);
	o->ts = ts;
	o->expires = TS_UNSET;
	sk_strlcpy(o->symbol, "SPY", sizeof(o->symbol));
	snprintf(o->intent_id, sizeof(o->intent_id), "%s/%s", id, effect);
	sk_strlcpy(o->side, side, sizeof(o->side));
	o->qty = 1;
	sk_strlcpy(o->order_type, "market", sizeof(o->order_type));
	o->limit = o->stop = o->tp = o->sl = NAN;
	sk_strlcpy(o->effect, effect, sizeof(o->effect));
	snprintf(o->position_id, sizeof(o->position_id), "%s/open", id);
	sk_strlcpy(o->strategy, "other", sizeof(o->strategy));
	sk_strlcpy(o->reason, "test", sizeof(o->reason));
	take(h, &r);
}

/*
 * A trade of one share the gate sees through its book (an order from
 * upstream, not one of its approvals): bought at the open of the bar at
 * in for pin, sold at the open of the bar at out for pout.
 */
static void
trade(struct h *h, int64_t in, double pin, int64_t out, double pout)
{
	char id[64];

	snprintf(id, sizeof(id), "trade%d", h->seq++);
	order(h, id, "open", "buy", in);
	bar(h, in, pin);
	order(h, id, "close", "sell", out);
	bar(h, out, pout);
}

/* A closed one-share long in the journal, as place-order leaves it. */
static void
journal_trade(struct h *h, const char *entry_ts, const char *exit_ts,
    double pnl)
{
	char sql[1024];
	char *err = NULL;

	snprintf(sql, sizeof(sql), "INSERT INTO positions (id, symbol, side,"
	    " qty, entry_ts, entry_date, entry_price, status, exit_ts,"
	    " exit_date, exit_price, pnl, fees) VALUES ('j%d', 'SPY', 'long',"
	    " 1, '%s', substr('%s', 1, 10), 100, 'closed', '%s',"
	    " substr('%s', 1, 10), %.17g, %.17g, 0)", h->seq++, entry_ts,
	    entry_ts, exit_ts, exit_ts, 100 + pnl, pnl);
	ck_assert_msg(sqlite3_exec(journal_db(h->j), sql, NULL, NULL,
	    &err) == SQLITE_OK, "%s", err != NULL ? err : "?");
}

/* ---- Time ---- */

START_TEST(windows_boundaries)
{
	static const struct {
		int	 hh, mm, ok;
	} cases[] = {
		{ 9, 44, 0 }, { 9, 45, 1 }, { 10, 29, 1 }, { 10, 30, 0 },
		{ 12, 59, 0 }, { 13, 0, 1 }, { 15, 29, 1 }, { 15, 30, 0 }
	};
	const struct verdict *v;
	struct h h;
	size_t i;

	h_init(&h);
	h.c.risk.entry_windows.n = 2;
	h.c.risk.entry_windows.start[0] = 9 * 60 + 45;
	h.c.risk.entry_windows.end[0] = 10 * 60 + 30;
	h.c.risk.entry_windows.start[1] = 13 * 60;
	h.c.risk.entry_windows.end[1] = 15 * 60 + 30;
	h_start(&h);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		v = sig(&h, bar_at("2011-01-04", cases[i].hh, cases[i].mm));
		if (cases[i].ok)
			assert_ok(v);
		else
			assert_refused(v, "entry_window", NAN,
			    cases[i].hh * 60 + cases[i].mm);
	}
	v = sig(&h, bar_at("2011-01-04", 10, 30));
	ck_assert_str_eq(v->reason, "signal bar at 10:30 is outside the "
	    "entry windows 09:45-10:30,13:00-15:30");
	h_done(&h);
}
END_TEST

/* No windows: entry_start and entry_end, as before. */
START_TEST(window_pair_unchanged)
{
	const struct verdict *v;
	struct h h;

	h_init(&h);
	h_start(&h);
	v = sig(&h, bar_at("2011-01-04", 9, 34));
	assert_refused(v, "entry_window", NAN, 574);
	ck_assert_str_eq(v->reason, "signal bar at 09:34 is outside the "
	    "entry window 09:35-15:30");
	assert_ok(sig(&h, bar_at("2011-01-04", 9, 35)));
	assert_ok(sig(&h, bar_at("2011-01-04", 15, 29)));
	assert_refused(sig(&h, bar_at("2011-01-04", 15, 30)), "entry_window",
	    NAN, 930);
	h_done(&h);
}
END_TEST

/* open_delay counts from the open at the signal's ts. */
START_TEST(open_delay_boundary)
{
	const struct verdict *v;
	struct h h;

	h_init(&h);
	h.c.risk.entry_start = 9 * 60;
	h.c.risk.open_delay = 5;
	h_start(&h);
	/* 09:34:59 is 4.98 minutes after the open; 09:35 is 5. */
	v = sig(&h, T("2011-01-04T14:34:59Z"));
	assert_refused(v, "open_delay", 5, 4 + 59.0 / 60);
	v = sig(&h, T("2011-01-04T14:34:00Z"));
	assert_refused(v, "open_delay", 5, 4);
	ck_assert_str_eq(v->reason, "4 min after the open at 09:30, within "
	    "open_delay 5");
	assert_ok(sig(&h, T("2011-01-04T14:35:00Z")));
	h_done(&h);
}
END_TEST

/* Without a delay, entries start at the open itself; not before. */
START_TEST(market_hours_boundary)
{
	const struct verdict *v;
	struct h h;

	h_init(&h);
	h.c.risk.entry_start = 9 * 60;
	h.c.risk.entry_end = 16 * 60;
	h.c.exits.flat_by = 16 * 60;
	h_start(&h);
	v = sig(&h, T("2011-01-04T14:29:59Z"));
	assert_refused(v, "market_hours", 570, 569);
	ck_assert_str_eq(v->reason, "at 09:29 the session 09:30-16:00 is "
	    "not open");
	assert_ok(sig(&h, T("2011-01-04T14:30:00Z")));
	assert_ok(sig(&h, T("2011-01-04T20:59:59Z")));
	assert_refused(sig(&h, T("2011-01-04T21:00:00Z")), "market_hours",
	    960, 960);
	h_done(&h);
}
END_TEST

/* Holidays and weekends from the calendar; the days around trade. */
START_TEST(market_closed_days)
{
	const struct verdict *v;
	struct h h;

	h_init(&h);
	h_start(&h);
	v = sig(&h, T("2024-12-25T16:00:00Z"));
	assert_refused(v, "market_closed", NAN, NAN);
	ck_assert_str_eq(v->reason, "no session on 2024-12-25: Christmas "
	    "Day");
	assert_ok(sig(&h, T("2024-12-26T16:00:00Z")));
	assert_ok(sig(&h, T("2024-12-27T16:00:00Z")));
	v = sig(&h, T("2024-12-28T16:00:00Z"));
	assert_refused(v, "market_closed", NAN, NAN);
	ck_assert_str_eq(v->reason, "no session on 2024-12-28");
	/* Refused as closed even outside the entry window. */
	assert_refused(sig(&h, T("2024-12-29T13:00:00Z")), "market_closed",
	    NAN, NAN);
	h_done(&h);
}
END_TEST

/*
 * 2024-11-29 closes at 13:00.  Entries end 30 minutes before a full
 * close (entry_end 15:30), so 30 minutes before it: the 12:30 bar.
 */
START_TEST(early_close_boundary)
{
	const struct verdict *v;
	struct h h;

	h_init(&h);
	h_start(&h);
	assert_ok(sig(&h, T("2024-11-29T17:30:00Z")));		/* 12:29 */
	v = sig(&h, T("2024-11-29T17:31:00Z"));			/* 12:30 */
	assert_refused(v, "early_close", 750, 750);
	ck_assert_str_eq(v->reason, "signal bar at 12:30 is at or after "
	    "12:30: the session closes early at 13:00");
	/* The day before (Thanksgiving) is closed, the Monday full. */
	assert_refused(sig(&h, T("2024-11-28T17:31:00Z")), "market_closed",
	    NAN, NAN);
	assert_ok(sig(&h, T("2024-12-02T17:31:00Z")));
	h_done(&h);

	/* Windows ending at 15:00 keep an hour: the cut is 12:00. */
	h_init(&h);
	h.c.risk.entry_windows.n = 1;
	h.c.risk.entry_windows.start[0] = 9 * 60 + 45;
	h.c.risk.entry_windows.end[0] = 15 * 60;
	h_start(&h);
	assert_ok(sig(&h, T("2024-11-29T17:00:00Z")));		/* 11:59 */
	assert_refused(sig(&h, T("2024-11-29T17:01:00Z")), "early_close",
	    720, 720);
	h_done(&h);

	/* Entries to the close: nothing after the early close itself. */
	h_init(&h);
	h.c.risk.entry_end = 16 * 60;
	h.c.exits.flat_by = 16 * 60;
	h_start(&h);
	assert_ok(sig(&h, T("2024-11-29T17:59:00Z")));		/* 12:58 */
	assert_refused(sig(&h, T("2024-11-29T18:00:00Z")), "market_hours",
	    780, 780);
	assert_refused(sig(&h, T("2024-11-29T18:01:00Z")), "early_close",
	    780, 780);
	h_done(&h);
}
END_TEST

static void
write_events(struct h *h, const char *text)
{
	FILE *fp;

	snprintf(h->c.risk.blackouts, sizeof(h->c.risk.blackouts),
	    "%s/events.csv", h->dir);
	ck_assert_ptr_nonnull(fp = fopen(h->c.risk.blackouts, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/* From 30 minutes before an event up to, not at, 30 minutes after. */
START_TEST(blackout_boundaries)
{
	const struct verdict *v;
	struct h h;

	h_init(&h);
	write_events(&h, "# test\nts,kind,note\n"
	    "2011-01-04T15:00:00Z,CPI,a, note, with commas\n"
	    "2011-01-04T19:00:00Z,FOMC,statement\n");
	h_start(&h);
	assert_ok(sig(&h, T("2011-01-04T18:29:59Z")));
	v = sig(&h, T("2011-01-04T18:30:00Z"));
	assert_refused(v, "blackout", 30, -30);
	ck_assert_str_eq(v->reason, "FOMC at 2011-01-04T19:00:00Z is 30 min "
	    "ahead, within blackout_minutes 30");
	assert_refused(sig(&h, T("2011-01-04T19:29:59Z")), "blackout", 30,
	    29 + 59.0 / 60);
	assert_ok(sig(&h, T("2011-01-04T19:30:00Z")));
	assert_refused(sig(&h, T("2011-01-04T15:00:00Z")), "blackout", 30, 0);
	h_done(&h);

	/* blackout_minutes 0: no blackout at all. */
	h_init(&h);
	write_events(&h, "ts,kind,note\n2011-01-04T19:00:00Z,FOMC,\n");
	h.c.risk.blackout_minutes = 0;
	h_start(&h);
	assert_ok(sig(&h, T("2011-01-04T19:00:00Z")));
	h_done(&h);
}
END_TEST

/* The shipped list: the FOMC statement of 2024-12-18 at 14:00. */
START_TEST(blackout_shipped_file)
{
	struct h h;

	h_init(&h);
	snprintf(h.c.risk.blackouts, sizeof(h.c.risk.blackouts),
	    "%s/share/calendar/events.csv", SK_SRCDIR);
	h_start(&h);
	assert_ok(sig(&h, T("2024-12-18T18:29:00Z")));
	assert_refused(sig(&h, T("2024-12-18T18:30:00Z")), "blackout", 30,
	    -30);
	h_done(&h);

	/* CPI at 08:30 New York, seen from 09:59 with 90 minutes. */
	h_init(&h);
	snprintf(h.c.risk.blackouts, sizeof(h.c.risk.blackouts),
	    "%s/share/calendar/events.csv", SK_SRCDIR);
	h.c.risk.blackout_minutes = 90;
	h_start(&h);
	assert_refused(sig(&h, T("2024-12-11T14:59:00Z")), "blackout", 90,
	    89);
	assert_ok(sig(&h, T("2024-12-11T15:00:00Z")));
	h_done(&h);
}
END_TEST

/* A blackout file that cannot be trusted stops the stage. */
static const struct {
	const char	*text;
	enum sk_status	 status;
	const char	*msg;		/* after "PATH" */
} badevents[] = {
	{ "ts,kind\n2011-01-04T19:00:00Z,FOMC\n", SK_DATA,
	    ":1: expected the header ts,kind,note" },
	{ "ts,kind,note\n2011-01-04T19:00:00Z,FOMC\n", SK_DATA,
	    ":2: expected 3 fields: ts,kind,note" },
	{ "ts,kind,note\n2011-01-04 19:00,FOMC,x\n", SK_DATA,
	    ":2: bad time '2011-01-04 19:00'" },
	{ "ts,kind,note\n2011-01-04T19:00:00Z,,x\n", SK_DATA,
	    ":2: kind '' is not a word of at most 15 letters, digits, '-' "
	    "or '_'" },
	{ "ts,kind,note\n2011-01-04T19:00:00Z,F O,x\n", SK_DATA,
	    ":2: kind 'F O' is not a word of at most 15 letters, digits, '-' "
	    "or '_'" },
	{ "ts,kind,note\n2011-01-04T19:00:00Z,A,x\n"
	    "2011-01-04T18:00:00Z,B,x\n", SK_DATA,
	    ":3: 2011-01-04T18:00:00Z is before the row above; rows go in "
	    "time order" },
	{ "# nothing\nts,kind,note\n", SK_DATA, ": no events" }
};

START_TEST(blackout_bad_files)
{
	char want[1024];
	struct sk_err e;
	struct h h;

	h_init(&h);
	write_events(&h, badevents[_i].text);
	ck_assert_int_eq(gate_stage_new(&h.st, &h.c, h.j, &e), -1);
	ck_assert_int_eq(e.status, badevents[_i].status);
	snprintf(want, sizeof(want), "%s%s", h.c.risk.blackouts,
	    badevents[_i].msg);
	ck_assert_str_eq(e.msg, want);
	h.st = NULL;
	h_done(&h);
}
END_TEST

START_TEST(blackout_missing_file)
{
	char want[1024];
	struct sk_err e;
	struct h h;

	h_init(&h);
	snprintf(h.c.risk.blackouts, sizeof(h.c.risk.blackouts),
	    "%s/none.csv", h.dir);
	ck_assert_int_eq(gate_stage_new(&h.st, &h.c, h.j, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	snprintf(want, sizeof(want), "%s: No such file or directory",
	    h.c.risk.blackouts);
	ck_assert_str_eq(e.msg, want);
	h.st = NULL;
	h_done(&h);
}
END_TEST

/* Crypto (session all): no calendar, no market hours; blackouts hold. */
START_TEST(crypto_skips_market_hours)
{
	struct h h;

	h_init(&h);
	sk_strlcpy(h.c.market.session, "all", sizeof(h.c.market.session));
	sk_strlcpy(h.c.market.timezone, "UTC", sizeof(h.c.market.timezone));
	/* Never read: a calendar that does not exist. */
	snprintf(h.c.paths.calendar, sizeof(h.c.paths.calendar),
	    "%s/none.csv", h.dir);
	h.c.risk.entry_start = 0;
	h.c.risk.entry_end = 23 * 60 + 59;
	h.c.exits.flat_by = 23 * 60 + 59;
	h.c.risk.open_delay = 60;
	write_events(&h, "ts,kind,note\n2024-12-18T19:00:00Z,FOMC,\n");
	h_start(&h);
	assert_ok(sig(&h, T("2024-12-25T00:01:00Z")));		/* holiday */
	assert_ok(sig(&h, T("2024-12-28T03:00:00Z")));		/* Saturday */
	assert_ok(sig(&h, T("2024-11-29T20:00:00Z")));		/* early day */
	assert_refused(sig(&h, T("2024-12-18T19:10:00Z")), "blackout", 30,
	    10);
	h_done(&h);
}
END_TEST

/* An rth market without its calendar cannot decide: no stage. */
START_TEST(rth_needs_the_calendar)
{
	struct sk_err e;
	struct h h;

	h_init(&h);
	snprintf(h.c.paths.calendar, sizeof(h.c.paths.calendar),
	    "%s/none.csv", h.dir);
	ck_assert_int_eq(gate_stage_new(&h.st, &h.c, h.j, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	h.st = NULL;
	h_done(&h);
}
END_TEST

/* ---- Account ---- */

/* 1000 in cash, one share a trade: P&L in whole dollars, exact. */
static void
h_small(struct h *h)
{
	h_init(h);
	h->c.account.cash = 1000;
	h->c.strategy.qty = 1;
}

START_TEST(target_equity_boundary)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	h.c.risk.target_equity = 1000;
	h_start(&h);
	v = sig(&h, bar_at("2011-01-04", 10, 0));
	assert_refused(v, "target_reached", 1000, 1000);
	ck_assert_str_eq(v->reason, "equity 1000.00 reached the target "
	    "1000.00");
	h_done(&h);

	h_small(&h);
	h.c.risk.target_equity = 1010;
	h_start(&h);
	assert_ok(sig(&h, bar_at("2011-01-04", 10, 0)));
	/* A trade of +9 leaves it 1 short; another +1 reaches it. */
	trade(&h, T("2011-01-04T15:10:00Z"), 100, T("2011-01-04T15:20:00Z"),
	    109);
	assert_ok(sig(&h, bar_at("2011-01-04", 10, 30)));
	trade(&h, T("2011-01-04T15:40:00Z"), 100, T("2011-01-04T15:50:00Z"),
	    101);
	assert_refused(sig(&h, bar_at("2011-01-04", 11, 0)),
	    "target_reached", 1010, 1010);
	/* And the next day. */
	assert_refused(sig(&h, bar_at("2011-01-05", 10, 0)),
	    "target_reached", 1010, 1010);
	h_done(&h);
}
END_TEST

/* 1 % of 1000: a session loss of 10 stops entries, 9.50 does not. */
START_TEST(session_loss_boundary)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	h.c.risk.session_loss_pct = 1;
	h_start(&h);
	trade(&h, T("2011-01-04T15:00:00Z"), 100, T("2011-01-04T15:10:00Z"),
	    90.5);
	assert_ok(sig(&h, bar_at("2011-01-04", 10, 30)));
	trade(&h, T("2011-01-04T15:40:00Z"), 100, T("2011-01-04T15:50:00Z"),
	    99.5);
	v = sig(&h, bar_at("2011-01-04", 11, 0));
	assert_refused(v, "session_loss", -10, -10);
	ck_assert_str_eq(v->reason, "realised -10.00 this session reached "
	    "the session loss limit -10.00");
	/* The next session starts from its own equity, 990. */
	assert_ok(sig(&h, bar_at("2011-01-05", 10, 0)));
	h_done(&h);
}
END_TEST

/*
 * A loss closed before the open is the day's, not the session's: it
 * lowers the session's starting equity instead.
 */
START_TEST(session_loss_counts_from_the_open)
{
	struct h h;

	h_small(&h);
	h.c.risk.session_loss_pct = 1;
	h_start(&h);
	/* 08:00 to 09:00 New York: -200 today, none of it this session. */
	trade(&h, T("2011-01-04T13:00:00Z"), 300, T("2011-01-04T14:00:00Z"),
	    100);
	assert_ok(sig(&h, bar_at("2011-01-04", 10, 0)));
	/* The session began with 800: its limit is -8. */
	trade(&h, T("2011-01-04T15:10:00Z"), 100, T("2011-01-04T15:20:00Z"),
	    92.5);
	assert_ok(sig(&h, bar_at("2011-01-04", 10, 30)));
	trade(&h, T("2011-01-04T15:40:00Z"), 100, T("2011-01-04T15:50:00Z"),
	    99.5);
	assert_refused(sig(&h, bar_at("2011-01-04", 11, 0)), "session_loss",
	    -8, -8);
	h_done(&h);
}
END_TEST

/* What the journal holds for today counts in a new run. */
START_TEST(session_loss_from_journal)
{
	struct h h;

	h_small(&h);
	h.c.risk.session_loss_pct = 1;
	journal_trade(&h, "2011-01-04T15:00:00Z", "2011-01-04T15:10:00Z",
	    -9.5);
	h_start(&h);
	assert_ok(sig(&h, bar_at("2011-01-04", 10, 30)));
	journal_trade(&h, "2011-01-04T15:40:00Z", "2011-01-04T15:50:00Z",
	    -0.5);
	h_restart(&h);
	assert_refused(sig(&h, bar_at("2011-01-04", 11, 0)), "session_loss",
	    -10, -10);
	h_done(&h);
}
END_TEST

/* 1 % below the day's peak pauses entries for pause_minutes. */
START_TEST(drawdown_pause_boundary)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	h.c.risk.pause_drawdown_pct = 1;
	h.c.risk.pause_minutes = 30;
	h_start(&h);
	/* 9.50 below the peak of 1000: no pause. */
	trade(&h, T("2011-01-04T15:00:00Z"), 100, T("2011-01-04T15:10:00Z"),
	    90.5);
	assert_ok(sig(&h, T("2011-01-04T15:11:00Z")));
	/* Another 0.50: 10 below, the pause runs 15:20 to 15:50. */
	trade(&h, T("2011-01-04T15:15:00Z"), 100, T("2011-01-04T15:20:00Z"),
	    99.5);
	v = sig(&h, T("2011-01-04T15:49:59Z"));
	assert_refused(v, "drawdown_pause", 1, 1);
	ck_assert_str_eq(v->reason, "equity fell 1 % below the day's "
	    "peak (pause_drawdown_pct 1): no entries until "
	    "2011-01-04T15:50:00Z");
	assert_ok(sig(&h, T("2011-01-04T15:50:00Z")));
	h_done(&h);
}
END_TEST

/* The peak is the day's highest equity, not its start. */
START_TEST(drawdown_pause_from_peak)
{
	struct h h;

	h_small(&h);
	h.c.risk.pause_drawdown_pct = 1;
	h_start(&h);
	trade(&h, T("2011-01-04T15:00:00Z"), 100, T("2011-01-04T15:10:00Z"),
	    120);
	/* 1020, then 1010: 0.98 % below the peak. */
	trade(&h, T("2011-01-04T15:15:00Z"), 100, T("2011-01-04T15:20:00Z"),
	    90);
	assert_ok(sig(&h, T("2011-01-04T15:21:00Z")));
	/* 1009.75: 1.005 % below it, though above the day's start. */
	trade(&h, T("2011-01-04T15:25:00Z"), 100, T("2011-01-04T15:30:00Z"),
	    99.75);
	assert_refused(sig(&h, T("2011-01-04T15:31:00Z")), "drawdown_pause",
	    1, 10.25 / 1020 * 100);
	h_done(&h);

	/* Read back from the journal in a new run. */
	h_small(&h);
	h.c.risk.pause_drawdown_pct = 1;
	journal_trade(&h, "2011-01-04T15:00:00Z", "2011-01-04T15:10:00Z",
	    20);
	journal_trade(&h, "2011-01-04T15:15:00Z", "2011-01-04T15:20:00Z",
	    -10.25);
	h_start(&h);
	assert_refused(sig(&h, T("2011-01-04T15:49:00Z")), "drawdown_pause",
	    1, 10.25 / 1020 * 100);
	assert_ok(sig(&h, T("2011-01-04T15:50:00Z")));
	h_done(&h);
}
END_TEST

/* No entries for loss_cooldown minutes after a losing trade closes. */
START_TEST(loss_cooldown_boundary)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	h.c.risk.loss_cooldown = 5;
	h_start(&h);
	/* A winner starts no cooldown. */
	trade(&h, T("2011-01-04T15:00:00Z"), 100, T("2011-01-04T15:10:00Z"),
	    101);
	assert_ok(sig(&h, T("2011-01-04T15:10:00Z")));
	trade(&h, T("2011-01-04T15:15:00Z"), 100, T("2011-01-04T15:20:00Z"),
	    99);
	v = sig(&h, T("2011-01-04T15:24:59Z"));
	assert_refused(v, "loss_cooldown", 5, 4 + 59.0 / 60);
	v = sig(&h, T("2011-01-04T15:24:00Z"));
	ck_assert_str_eq(v->reason, "a losing trade closed 4 min ago, within "
	    "loss_cooldown 5");
	assert_ok(sig(&h, T("2011-01-04T15:25:00Z")));
	h_done(&h);

	/* The newest loss in the journal counts in a new run. */
	h_small(&h);
	h.c.risk.loss_cooldown = 5;
	journal_trade(&h, "2011-01-04T15:00:00Z", "2011-01-04T15:20:00Z",
	    -1);
	journal_trade(&h, "2011-01-04T15:21:00Z", "2011-01-04T15:22:00Z", 2);
	h_start(&h);
	assert_refused(sig(&h, T("2011-01-04T15:24:00Z")), "loss_cooldown",
	    5, 4);
	assert_ok(sig(&h, T("2011-01-04T15:25:00Z")));
	h_done(&h);
}
END_TEST

/* min_interval: between approvals in one symbol, in and across runs. */
START_TEST(min_interval_boundary)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	h.c.risk.min_interval = 60;
	h_start(&h);
	assert_ok(sig(&h, T("2011-01-04T15:00:00Z")));
	v = sig(&h, T("2011-01-04T15:00:59Z"));
	assert_refused(v, "min_interval", 60, 59);
	ck_assert_str_eq(v->reason, "59 s since the last entry approved in "
	    "SPY, within min_interval 60");
	/* Another symbol has its own clock; a refusal does not reset it. */
	assert_ok(sig_sym(&h, "QQQ", T("2011-01-04T15:00:30Z")));
	assert_ok(sig(&h, T("2011-01-04T15:01:00Z")));
	assert_refused(sig(&h, T("2011-01-04T15:01:10Z")), "min_interval",
	    60, 10);
	h_restart(&h);
	assert_refused(sig(&h, T("2011-01-04T15:01:30Z")), "min_interval",
	    60, 30);
	assert_ok(sig(&h, T("2011-01-04T15:02:00Z")));
	h_done(&h);
}
END_TEST

/* After loss_streak losses in a row the size shrinks; a win resets. */
START_TEST(loss_streak_sizing)
{
	struct h h;

	h_init(&h);
	h.c.risk.loss_streak = 2;
	h.c.risk.loss_streak_size = 0.5;
	h.c.strategy.qty = 100;
	h_start(&h);
	trade(&h, T("2011-01-04T15:00:00Z"), 100, T("2011-01-04T15:01:00Z"),
	    99);
	ck_assert_double_eq(sig(&h, T("2011-01-04T15:02:00Z"))->qty, 100);
	trade(&h, T("2011-01-04T15:03:00Z"), 100, T("2011-01-04T15:04:00Z"),
	    99);
	ck_assert_double_eq(sig(&h, T("2011-01-04T15:05:00Z"))->qty, 50);
	trade(&h, T("2011-01-04T15:06:00Z"), 100, T("2011-01-04T15:07:00Z"),
	    99);
	ck_assert_double_eq(sig(&h, T("2011-01-04T15:08:00Z"))->qty, 50);
	trade(&h, T("2011-01-04T15:09:00Z"), 100, T("2011-01-04T15:10:00Z"),
	    101);
	ck_assert_double_eq(sig(&h, T("2011-01-04T15:11:00Z"))->qty, 100);
	h_done(&h);

	/* From the journal: the newest two lost, a win before them. */
	h_init(&h);
	h.c.risk.loss_streak = 2;
	h.c.strategy.qty = 100;
	journal_trade(&h, "2011-01-03T15:00:00Z", "2011-01-03T15:10:00Z", 5);
	journal_trade(&h, "2011-01-03T15:20:00Z", "2011-01-03T15:30:00Z",
	    -1);
	journal_trade(&h, "2011-01-03T15:40:00Z", "2011-01-03T15:50:00Z",
	    -1);
	h_start(&h);
	ck_assert_double_eq(sig(&h, T("2011-01-04T15:00:00Z"))->qty, 50);
	h_done(&h);

	/* One loss then a win in the journal: full size. */
	h_init(&h);
	h.c.risk.loss_streak = 1;
	h.c.strategy.qty = 100;
	journal_trade(&h, "2011-01-03T15:20:00Z", "2011-01-03T15:30:00Z",
	    -1);
	journal_trade(&h, "2011-01-03T15:40:00Z", "2011-01-03T15:50:00Z", 1);
	h_start(&h);
	ck_assert_double_eq(sig(&h, T("2011-01-04T15:00:00Z"))->qty, 100);
	h_done(&h);
}
END_TEST

/* Whole units, never below one; fractional sizes scale as they are. */
START_TEST(loss_streak_floor)
{
	static const struct {
		double	 qty, factor, want;
	} cases[] = {
		{ 100, 0.29, 29 }, { 3, 0.5, 1 }, { 1, 0.5, 1 },
		{ 1, 0.01, 1 }, { 0.5, 0.5, 0.25 }, { 7, 1, 7 }
	};
	struct h h;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h_init(&h);
		h.c.risk.loss_streak = 1;
		h.c.risk.loss_streak_size = cases[i].factor;
		h.c.strategy.qty = cases[i].qty;
		journal_trade(&h, "2011-01-03T15:20:00Z",
		    "2011-01-03T15:30:00Z", -1);
		h_start(&h);
		ck_assert_double_eq(sig(&h, T("2011-01-04T15:00:00Z"))->qty,
		    cases[i].want);
		h_done(&h);
	}
}
END_TEST

/* Every refusal is journaled with its gate, threshold and observed. */
START_TEST(refusals_are_journaled)
{
	sqlite3_stmt *st;
	struct h h;

	h_small(&h);
	h.c.risk.min_interval = 60;
	h_start(&h);
	assert_ok(sig(&h, T("2011-01-04T15:00:00Z")));
	assert_refused(sig(&h, T("2011-01-04T15:00:20Z")), "min_interval",
	    60, 20);
	ck_assert_int_eq(sqlite3_prepare_v2(journal_db(h.j), "SELECT gate,"
	    " threshold, observed FROM decisions WHERE verdict = 'rejected'",
	    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0),
	    "min_interval");
	ck_assert_double_eq(sqlite3_column_double(st, 1), 60);
	ck_assert_double_eq(sqlite3_column_double(st, 2), 20);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	h_done(&h);
}
END_TEST

/* The defaults turn every new gate off. */
START_TEST(defaults_refuse_nothing_new)
{
	struct h h;

	h_init(&h);
	h_start(&h);
	trade(&h, T("2011-01-04T15:00:00Z"), 100, T("2011-01-04T15:01:00Z"),
	    50);
	ck_assert_double_eq(sig(&h, T("2011-01-04T15:01:00Z"))->qty, 100);
	assert_ok(sig(&h, T("2011-01-04T15:01:01Z")));
	h_done(&h);
}
END_TEST

/* ---- Sizing ---- */

/* The n-th signal of a sizing test: a minute apart, from 10:00. */
static int64_t
nth(int n)
{
	return T("2011-01-04T15:00:00Z") + n * MIN;
}

/* A signal at price px with score and prob; the verdict. */
static const struct verdict *
sig_px(struct h *h, int n, double px, double score, double prob)
{
	return sig_full(h, "SPY", nth(n), px, score, prob);
}

static void
assert_qty(const struct verdict *v, double qty)
{
	assert_ok(v);
	ck_assert_double_eq_tol(v->qty, qty, 1e-12);
}

/* The n-th sizing signal, on an option contract at premium px. */
static const struct verdict *
osig_px(struct h *h, int n, double px)
{
	return sig_full(h, "SPY110107C00127000", nth(n), px, NAN, NAN);
}

/* 2 % of 1000 at a 2 % stop: floor(20 / (price * 0.02)) units. */
START_TEST(risk_sizing_boundaries)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	sk_strlcpy(h.c.risk.sizing, "risk", sizeof(h.c.risk.sizing));
	h_start(&h);
	assert_qty(sig_px(&h, 0, 100, NAN, NAN), 10);
	assert_qty(sig_px(&h, 1, 99, NAN, NAN), 10);
	assert_qty(sig_px(&h, 2, 101, NAN, NAN), 9);
	/* One unit risking exactly the budget; then a cent more. */
	assert_qty(sig_px(&h, 3, 1000, NAN, NAN), 1);
	v = sig_px(&h, 4, 1000.5, NAN, NAN);
	assert_refused(v, "position_size", 20, 20.01);
	ck_assert_str_eq(v->reason, "one unit risks more than the limit: "
	    "20.01 at the stop, risk_pct 2 % of equity is 20.00");
	h_done(&h);

	/* 3 % for ETFs, and a lot step under 1 allows fractions. */
	h_small(&h);
	sk_strlcpy(h.c.risk.sizing, "risk", sizeof(h.c.risk.sizing));
	h.c.risk.risk_pct = 3;
	h.c.risk.qty_step = 0.01;
	h.c.risk.max_position_pct = 400;
	h_start(&h);
	assert_qty(sig_px(&h, 0, 100, NAN, NAN), 15);
	assert_qty(sig_px(&h, 1, 2000, NAN, NAN), 0.75);
	assert_qty(sig_px(&h, 2, 150000, NAN, NAN), 0.01);
	assert_refused(sig_px(&h, 3, 150001, NAN, NAN), "position_size", 30,
	    30.0002);
	h_done(&h);
}
END_TEST

/* b = 1 (2 % target, 2 % stop): f = 2p - 1, capped at 12 %. */
START_TEST(kelly_sizing_boundaries)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	sk_strlcpy(h.c.risk.sizing, "kelly", sizeof(h.c.risk.sizing));
	h_start(&h);
	assert_qty(sig_px(&h, 0, 10, NAN, 0.55), 10);
	assert_qty(sig_px(&h, 1, 10, NAN, 0.56), 12);
	assert_qty(sig_px(&h, 2, 10, NAN, 0.57), 12);	/* the cap */
	assert_qty(sig_px(&h, 3, 10, NAN, 0.99), 12);
	assert_qty(sig_px(&h, 4, 20, NAN, 0.51), 1);
	assert_refused(sig_px(&h, 5, 20.01, NAN, 0.51), "kelly",
	    1000 * (0.51 - 0.49), 20.01);
	assert_refused(sig_px(&h, 6, 10, NAN, 0.5), "kelly", 0, 0);
	v = sig_px(&h, 7, 10, NAN, NAN);
	assert_refused(v, "sizing", NAN, NAN);
	ck_assert_str_eq(v->reason, "no probability for Kelly");
	assert_refused(sig_px(&h, 8, 10, NAN, 1.5), "sizing", 1, 1.5);
	h_done(&h);

	/* A 3:1 payout: f = p - (1 - p) / 3; p = 0.25 is zero. */
	h_small(&h);
	sk_strlcpy(h.c.risk.sizing, "kelly", sizeof(h.c.risk.sizing));
	h.c.exits.target_pct = 6;
	h.c.risk.kelly_cap_pct = 100;
	h_start(&h);
	assert_refused(sig_px(&h, 0, 1, NAN, 0.25), "kelly", 0, 0);
	assert_qty(sig_px(&h, 1, 1, NAN, 0.28), 40);
	h_done(&h);
}
END_TEST

/* Full at 75 and above, half from 50, refused below 50 or unscored. */
START_TEST(conviction_boundaries)
{
	static const struct {
		double	 qty, score, want;	/* want 0: refused */
	} cases[] = {
		{ 100, 100, 100 }, { 100, 75, 100 }, { 100, 74.9, 50 },
		{ 100, 50, 50 }, { 100, 49.9, 0 }, { 101, 60, 50 },
		{ 3, 60, 1 }, { 1, 60, 1 }, { 1, 0, 0 }
	};
	const struct verdict *v;
	struct h h;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h_init(&h);
		h.c.risk.conviction_half = 50;
		h.c.strategy.qty = cases[i].qty;
		h_start(&h);
		v = sig_px(&h, 0, 100, cases[i].score, NAN);
		if (cases[i].want > 0)
			assert_qty(v, cases[i].want);
		else
			assert_refused(v, "conviction", 50, cases[i].score);
		h_done(&h);
	}
	h_init(&h);
	h.c.risk.conviction_half = 50;
	h_start(&h);
	v = sig_px(&h, 0, 100, NAN, NAN);
	assert_refused(v, "conviction", 50, NAN);
	ck_assert_str_eq(v->reason, "no score for the conviction rule");
	h_done(&h);
	/* Off (the default): no score is needed. */
	h_init(&h);
	h_start(&h);
	assert_qty(sig_px(&h, 0, 100, 10, NAN), 100);
	h_done(&h);
}
END_TEST

/* Lot steps round down; min_qty and min_notional refuse below them. */
START_TEST(exchange_min_boundaries)
{
	static const struct {
		double	 qty, step, min_qty, min_notional, want;
		double	 threshold, observed;	/* want 0: refused */
	} cases[] = {
		{ 105, 10, 0, 0, 100, 0, 0 },
		{ 10, 10, 0, 0, 10, 0, 0 },
		{ 9, 10, 0, 0, 0, 10, 9 },
		{ 0.057, 0.01, 0, 0, 0.05, 0, 0 },
		{ 0.3, 0.1, 0, 0, 0.3, 0, 0 },
		{ 0.009, 0.01, 0, 0, 0, 0.01, 0.009 },
		{ 100, 0, 100, 0, 100, 0, 0 },
		{ 99, 0, 100, 0, 0, 100, 99 },
		{ 0.05, 0, 0, 5, 0.05, 0, 0 },
		{ 0.04, 0, 0, 5, 0, 5, 4 },
		{ 0.059, 0.01, 0, 5, 0.05, 0, 0 },
		{ 0.049, 0.01, 0, 5, 0, 5, 4 }
	};
	const struct verdict *v;
	struct h h;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		h_init(&h);
		h.c.strategy.qty = cases[i].qty;
		h.c.risk.qty_step = cases[i].step;
		h.c.risk.min_qty = cases[i].min_qty;
		h.c.risk.min_notional = cases[i].min_notional;
		h_start(&h);
		v = sig_px(&h, 0, 100, NAN, NAN);
		if (cases[i].want > 0)
			assert_qty(v, cases[i].want);
		else
			assert_refused(v, "exchange_min", cases[i].threshold,
			    cases[i].observed);
		h_done(&h);
	}
}
END_TEST

/* 2x on 1000: a notional of 2000 passes, 2100 does not. */
START_TEST(leverage_boundary)
{
	struct h h;

	h_small(&h);
	h.c.risk.max_position_pct = 400;
	h.c.risk.max_leverage = 2;
	h.c.strategy.qty = 20;
	h_start(&h);
	assert_qty(sig_px(&h, 0, 100, NAN, NAN), 20);
	assert_refused(sig_px(&h, 1, 105, NAN, NAN), "leverage", 2, 2.1);
	h_done(&h);
	/* Off (0): only max_position_pct applies. */
	h_small(&h);
	h.c.risk.max_position_pct = 400;
	h.c.strategy.qty = 20;
	h_start(&h);
	assert_qty(sig_px(&h, 0, 200, NAN, NAN), 20);
	h_done(&h);
}
END_TEST

/* The loss streak shrinks a risk-sized entry too, to whole units. */
START_TEST(sizing_with_loss_streak)
{
	struct h h;

	h_small(&h);
	sk_strlcpy(h.c.risk.sizing, "risk", sizeof(h.c.risk.sizing));
	h.c.risk.loss_streak = 1;
	h.c.risk.loss_streak_size = 0.5;
	journal_trade(&h, "2011-01-03T15:20:00Z", "2011-01-03T15:30:00Z",
	    -1);
	h_start(&h);
	/* Equity 999: floor(19.98 / 2) = 9, halved to 4. */
	assert_qty(sig_px(&h, 0, 100, NAN, NAN), 4);
	h_done(&h);
}
END_TEST

/* A sizing refusal is journaled with its gate, threshold, observed. */
START_TEST(sizing_refusal_journaled)
{
	sqlite3_stmt *st;
	struct h h;

	h_init(&h);
	h.c.risk.conviction_half = 50;
	h_start(&h);
	assert_refused(sig_px(&h, 0, 100, 40, NAN), "conviction", 50, 40);
	ck_assert_int_eq(sqlite3_prepare_v2(journal_db(h.j), "SELECT gate,"
	    " threshold, observed FROM decisions WHERE verdict = 'rejected'",
	    -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0),
	    "conviction");
	ck_assert_double_eq(sqlite3_column_double(st, 1), 50);
	ck_assert_double_eq(sqlite3_column_double(st, 2), 40);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);
	h_done(&h);
}
END_TEST

/* ---- Quality, orders, tiers and the account's kind ---- */

/* A signal of SPY, long, at price px with tier ("" none) and prob. */
static const struct verdict *
sig_tier(struct h *h, int n, double px, const char *tier, double prob)
{
	struct rec r;
	struct signal *s = &r.u.sig;

	rec_init(&r, REC_SIGNAL);
	s->ts = nth(n);
	s->bar_ts = s->ts - MIN;
	sk_strlcpy(s->symbol, "SPY", sizeof(s->symbol));
	snprintf(s->id, sizeof(s->id), "t/%d", h->seq++);
	sk_strlcpy(s->strategy, "t", sizeof(s->strategy));
	sk_strlcpy(s->side, "long", sizeof(s->side));
	sk_strlcpy(s->tier, tier, sizeof(s->tier));
	s->price = px;
	s->score = NAN;
	s->prob = prob;
	h->nv = 0;
	take(h, &r);
	ck_assert_int_eq(h->nv, 1);
	return &h->v;
}

static void
quote(struct h *h, int64_t ts, double bid, double ask)
{
	struct rec r;

	rec_init(&r, REC_QUOTE);
	sk_strlcpy(r.u.quote.symbol, "SPY", sizeof(r.u.quote.symbol));
	r.u.quote.ts = ts;
	r.u.quote.bid = bid;
	r.u.quote.ask = ask;
	r.u.quote.bid_sz = r.u.quote.ask_sz = r.u.quote.last = NAN;
	take(h, &r);
}

/* The spread gate reads the quotes that pass through the stage. */
START_TEST(quality_from_the_stream)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	h.c.risk.max_spread_pct = 0.1;
	h.c.risk.quote_max_age = 5;
	h_start(&h);
	assert_refused(sig_px(&h, 0, 100, NAN, NAN), "quote_age", NAN, NAN);
	quote(&h, nth(1) - 5 * SEC, 99.96, 100.04);
	assert_ok(sig_px(&h, 1, 100, NAN, NAN));
	quote(&h, nth(2) - 6 * SEC, 99.96, 100.04);
	assert_refused(sig_px(&h, 2, 100, NAN, NAN), "quote_age", 5, 6);
	quote(&h, nth(3), 99.9, 100.1);
	v = sig_px(&h, 3, 100, NAN, NAN);
	assert_refused(v, "spread", 0.1, (100.1 - 99.9) * 100 / 100);
	h_done(&h);
	/* The Asian session and a softer tier widen the limit. */
	h_small(&h);
	h.c.risk.max_spread_pct = 0.1;
	h.c.risk.asia_spread_mult = 2;
	h.c.risk.asia_windows.n = 1;
	h.c.risk.asia_windows.start[0] = 10 * 60;	/* local 10:00 */
	h.c.risk.asia_windows.end[0] = 10 * 60 + 2;
	h_start(&h);
	quote(&h, nth(0), 99.9, 100.1);
	assert_ok(sig_px(&h, 0, 100, NAN, NAN));	/* 10:00 */
	quote(&h, nth(2), 99.9, 100.1);
	assert_refused(sig_px(&h, 2, 100, NAN, NAN), "spread", 0.1, 0.2);
	h_done(&h);
}
END_TEST

/* A signal on option contract symbol at 1.00 (100 a contract). */
static const struct verdict *
osig(struct h *h, const char *symbol, int64_t ts)
{
	return sig_full(h, symbol, ts, 1, NAN, NAN);
}

/* The 0DTE and 1DTE cutoffs, by the expiry in an OCC symbol. */
START_TEST(option_cutoffs)
{
	struct h h;

	h_small(&h);
	h.c.risk.entry_end = 15 * 60 + 50;
	h.c.risk.max_per_symbol = 100;
	h.c.risk.max_positions = 100;
	h_start(&h);
	/* Expiring Tuesday 2011-01-04, traded that day. */
	assert_ok(osig(&h, "SPY110104C00127000",
	    bar_at("2011-01-04", 13, 59)));
	assert_refused(osig(&h, "SPY110104C00127000",
	    bar_at("2011-01-04", 14, 0)), "cutoff_0dte", 14 * 60, 14 * 60);
	/* Expiring Wednesday: 1DTE on Tuesday, until 15:30. */
	assert_ok(osig(&h, "SPY110105P00127000",
	    bar_at("2011-01-04", 15, 29)));
	assert_refused(osig(&h, "SPY110105P00127000",
	    bar_at("2011-01-04", 15, 30)), "cutoff_1dte", 15 * 60 + 30,
	    15 * 60 + 30);
	/* Two days out: no cutoff. */
	assert_ok(osig(&h, "SPY110106P00127000",
	    bar_at("2011-01-04", 15, 45)));
	/* Friday to Monday is one trading day. */
	assert_refused(osig(&h, "SPY110110C00127000",
	    bar_at("2011-01-07", 15, 30)), "cutoff_1dte", 15 * 60 + 30,
	    15 * 60 + 30);
	/* Expired. */
	assert_refused(osig(&h, "SPY110103C00127000",
	    bar_at("2011-01-04", 10, 0)), "expired", NAN, NAN);
	/* Not an option: no cutoff. */
	assert_ok(sig_sym(&h, "SPY", bar_at("2011-01-04", 15, 45)));
	h_done(&h);
}
END_TEST

/*
 * The options sizer: contracts = equity x risk % / (premium x 100 x
 * stop %), refused when one contract does not fit; in a cash account
 * capped by settled cash.
 */
START_TEST(options_sizer)
{
	struct h h;

	h_init(&h);
	h.c.account.cash = 10000;
	sk_strlcpy(h.c.risk.sizing, "risk", sizeof(h.c.risk.sizing));
	h.c.risk.risk_pct = 2;
	h.c.exits.stop_pct = 50;
	h_start(&h);
	/* 200 at risk, 50 % of a 2.00 premium x 100 = 100: 2 contracts */
	assert_qty(osig_px(&h, 0, 2), 2);
	/* 4.00: exactly one contract's risk */
	assert_qty(osig_px(&h, 1, 4), 1);
	assert_refused(osig_px(&h, 2, 4.01), "position_size", 200, 200.5);
	h_done(&h);
	/* Cash account: 4 contracts' risk, but 500 settled buys 2. */
	h_init(&h);
	h.c.account.cash = 500;
	sk_strlcpy(h.c.account.type, "cash", sizeof(h.c.account.type));
	sk_strlcpy(h.c.risk.sizing, "risk", sizeof(h.c.risk.sizing));
	h.c.risk.risk_pct = 100;
	h.c.risk.max_position_pct = 400;
	h.c.exits.stop_pct = 50;
	h_start(&h);
	assert_qty(osig_px(&h, 0, 2.5), 2);
	h_done(&h);
}
END_TEST

static void
exec_sql(struct h *h, const char *sql)
{
	char *err = NULL;

	ck_assert_msg(sqlite3_exec(journal_db(h->j), sql, NULL, NULL,
	    &err) == SQLITE_OK, "%s", err != NULL ? err : "?");
}

START_TEST(b_tier_rules)
{
	struct h h;

	h_small(&h);
	h.c.risk.b_tier = 0;
	h_start(&h);
	assert_refused(sig_tier(&h, 0, 100, "B", NAN), "b_tier", NAN, NAN);
	assert_ok(sig_tier(&h, 1, 100, "A", NAN));
	h_done(&h);
	/* Allowed, but not while a tier-A entry is open or pending. */
	h_small(&h);
	h.c.risk.max_per_symbol = 100;
	h_start(&h);
	assert_ok(sig_tier(&h, 0, 100, "B", NAN));
	assert_ok(sig_tier(&h, 1, 100, "A", NAN));
	assert_refused(sig_tier(&h, 2, 100, "b", NAN), "b_tier", NAN, NAN);
	h_done(&h);
	/* A new run knows the open position's tier from the journal. */
	h_small(&h);
	h.c.risk.max_per_symbol = 100;
	h_start(&h);
	assert_ok(sig_tier(&h, 1, 100, "A", NAN));	/* id t/0 */
	exec_sql(&h, "INSERT INTO positions (id, symbol, side, qty,"
	    " entry_ts, entry_date, entry_price, status, signal_id) VALUES"
	    " ('p', 'SPY', 'long', 1, '2011-01-04T15:02:00Z', '2011-01-04',"
	    " 100, 'open', 't/0')");
	h_restart(&h);
	assert_refused(sig_tier(&h, 3, 100, "B", NAN), "b_tier", NAN, NAN);
	h_done(&h);
	h_small(&h);
	h.c.risk.b_while_a = 1;
	h_start(&h);
	assert_ok(sig_tier(&h, 1, 100, "A", NAN));
	assert_ok(sig_tier(&h, 2, 100, "B", NAN));
	h_done(&h);
}
END_TEST

/* No adding to a long bought at 100 once the price is under it. */
START_TEST(no_averaging_into_a_loser)
{
	struct h h;

	h_small(&h);
	h.c.risk.max_per_symbol = 100;
	h_start(&h);
	assert_ok(sig_px(&h, 0, 100, NAN, NAN));
	bar(&h, nth(0), 100);		/* fills at 100 */
	assert_ok(sig_px(&h, 1, 100, NAN, NAN));	/* flat: not losing */
	assert_refused(sig_px(&h, 2, 99.99, NAN, NAN), "averaging", 100,
	    99.99);
	h_done(&h);
	h_small(&h);
	h.c.risk.max_per_symbol = 100;
	h.c.risk.average_losers = 1;
	h_start(&h);
	assert_ok(sig_px(&h, 0, 100, NAN, NAN));
	bar(&h, nth(0), 100);
	assert_ok(sig_px(&h, 2, 99.99, NAN, NAN));
	h_done(&h);
}
END_TEST

/* 5 % of 1000 as margin at leverage 1: 50 of notional. */
START_TEST(margin_cap_boundaries)
{
	struct h h;

	h_small(&h);
	h.c.strategy.qty = 10;
	h.c.risk.margin_a_pct = 5;
	h.c.risk.margin_b_pct = 1;
	h_start(&h);
	assert_qty(sig_tier(&h, 0, 10, "A", NAN), 5);
	assert_qty(sig_tier(&h, 1, 5, "A", NAN), 10);	/* fits whole */
	assert_refused(sig_tier(&h, 2, 50.01, "A", NAN), "margin_cap", 50,
	    50.01);
	assert_qty(sig_tier(&h, 3, 10, "", NAN), 10);	/* no tier: off */
	h_done(&h);
	h_small(&h);
	h.c.strategy.qty = 10;
	h.c.risk.max_per_symbol = 100;
	h.c.risk.max_leverage = 10;
	h.c.risk.max_position_pct = 1000;
	h.c.risk.margin_b_pct = 1;
	h_start(&h);
	/* 1 % of 1000 at 10x: a notional of 100. */
	assert_qty(sig_tier(&h, 0, 10, "B", NAN), 10);
	assert_qty(sig_tier(&h, 1, 20, "B", NAN), 5);
	h_done(&h);
}
END_TEST

/* One share at 100, 2 % target: 2.00 of profit; fees 0.40 a side. */
START_TEST(fee_protection_and_ev)
{
	struct h h;

	h_small(&h);
	h.c.broker.fee_per_order = 0.4;
	h.c.risk.fee_k = 2.5;
	h_start(&h);
	assert_ok(sig_px(&h, 0, 100, NAN, NAN));
	assert_refused(sig_px(&h, 1, 99.99, NAN, NAN), "fee_protection", 2,
	    1.9998);
	h_done(&h);
	/* EV: p * 2 - (1 - p) * 2 - 1 >= 0 from p = 0.75, exactly. */
	h_small(&h);
	h.c.broker.fee_per_order = 0.5;
	h.c.risk.ev_guard = 1;
	h_start(&h);
	assert_ok(sig_tier(&h, 0, 100, "", 0.75));
	assert_refused(sig_tier(&h, 1, 100, "", 0.74), "ev", 0,
	    0.74 * 2 - (1 - 0.74) * 2 - 1);
	assert_refused(sig_tier(&h, 2, 100, "", NAN), "ev", 0, NAN);
	h_done(&h);
}
END_TEST

/* Tiers at 500 and 5000: 1000 is the middle one of three. */
START_TEST(balance_tiers)
{
	const struct verdict *v;
	struct h h;

	h_small(&h);
	h.c.broker.fee_per_order = 0.4;
	h.c.risk.tier_bounds = (struct cfg_tiers){ 2, { 500, 5000 } };
	h.c.risk.tier_fee_k = (struct cfg_tiers){ 3, { 1, 2.6, 1 } };
	h_start(&h);
	v = sig_px(&h, 0, 100, NAN, NAN);
	assert_refused(v, "fee_protection", 2.08, 2);
	ck_assert_msg(strstr(v->reason, "(balance tier 2 of 3)") != NULL,
	    "%s", v->reason);
	h_done(&h);
	h_small(&h);
	h.c.broker.fee_per_order = 0.4;
	h.c.risk.tier_bounds = (struct cfg_tiers){ 2, { 500, 1000 } };
	h.c.risk.tier_fee_k = (struct cfg_tiers){ 3, { 1, 2.6, 1 } };
	h.c.risk.tier_b_tier = (struct cfg_tiers){ 3, { 1, 1, 0 } };
	h.c.risk.tier_min_interval = (struct cfg_tiers){ 3, { 0, 0, 120 } };
	h_start(&h);
	assert_ok(sig_px(&h, 0, 100, NAN, NAN));	/* tier 3: k 1 */
	assert_refused(sig_px(&h, 1, 100, NAN, NAN), "min_interval", 120,
	    60);
	assert_ok(sig_px(&h, 2, 100, NAN, NAN));
	assert_refused(sig_tier(&h, 5, 100, "B", NAN), "b_tier", NAN, NAN);
	h_done(&h);
}
END_TEST


/* Legacy PDT: two day trades in five business days allowed, not 3. */
START_TEST(pdt_boundary)
{
	struct h h;

	h_small(&h);
	h.c.account.pdt = 1;
	h.c.account.pdt_max = 3;
	h.c.risk.max_per_symbol = 100;
	h_start(&h);
	/* The window is Wed 2010-12-29 to Tue 2011-01-04: not the 28th. */
	journal_trade(&h, "2010-12-28T15:00:00Z", "2010-12-28T15:05:00Z", 1);
	journal_trade(&h, "2010-12-29T15:00:00Z", "2010-12-29T15:05:00Z", 1);
	journal_trade(&h, "2010-12-30T15:00:00Z", "2010-12-30T15:05:00Z", 1);
	journal_trade(&h, "2011-01-03T15:00:00Z", "2011-01-03T15:05:00Z", 1);
	/* Overnight: not a day trade. */
	journal_trade(&h, "2011-01-03T20:00:00Z", "2011-01-04T14:35:00Z", 1);
	h.c.account.pdt_max = 4;
	h_restart(&h);
	assert_ok(sig_px(&h, 0, 100, NAN, NAN));	/* 3 in window */
	assert_refused(sig_px(&h, 1, 100, NAN, NAN), "pdt", 4, 4);
	h_done(&h);
	/* At or above pdt_equity the rule does not apply. */
	h_small(&h);
	h.c.account.pdt = 1;
	h.c.account.pdt_max = 1;
	h.c.account.pdt_equity = 1000;
	h_start(&h);
	journal_trade(&h, "2011-01-03T15:00:00Z", "2011-01-03T15:05:00Z", 0);
	assert_ok(sig_px(&h, 0, 100, NAN, NAN));
	h_done(&h);
}
END_TEST

/*
 * A cash account bought 800 on Monday with 500 settled and 500 of
 * Friday's proceeds that settle Tuesday, and sold the same day: one
 * good-faith violation.  Sold on Tuesday it would not be one.
 */
static void
gfv_ledger(struct h *h, const char *sold)
{
	char sql[2048];

	exec_sql(h, "PRAGMA foreign_keys = OFF");
	snprintf(sql, sizeof(sql),
	    "INSERT INTO cash_ledger (ts, trade_date, settle_date, kind,"
	    " amount_cents) VALUES ('2010-12-01T00:00:00Z', '2010-12-01',"
	    " '2010-12-01', 'deposit', 50000);"
	    "INSERT INTO cash_ledger (ts, trade_date, settle_date, kind,"
	    " amount_cents) VALUES ('2010-12-31T15:00:00Z', '2010-12-31',"
	    " '2011-01-04', 'sell', 50000);"
	    "INSERT INTO fills (id, intent_id, ts, symbol, side, qty, price,"
	    " effect, position_id) VALUES (7, 'g/open',"
	    " '2011-01-03T15:00:00Z', 'SPY', 'buy', 8, 100, 'open', 'g');"
	    "INSERT INTO cash_ledger (ts, trade_date, settle_date, kind,"
	    " amount_cents, fill_id) VALUES ('2011-01-03T15:00:00Z',"
	    " '2011-01-03', '2011-01-04', 'buy', -80000, 7);"
	    "INSERT INTO positions (id, symbol, side, qty, entry_ts,"
	    " entry_date, entry_price, status, exit_ts, exit_date,"
	    " exit_price, pnl, fees) VALUES ('g', 'SPY', 'long', 8,"
	    " '2011-01-03T15:00:00Z', '2011-01-03', 100, 'closed',"
	    " '%sT16:00:00Z', '%s', 100, 0, 0)", sold, sold);
	exec_sql(h, sql);
}

START_TEST(good_faith_violations)
{
	struct h h;
	long n;
	struct sk_err e;

	h_small(&h);
	sk_strlcpy(h.c.account.type, "cash", sizeof(h.c.account.type));
	h.c.account.max_gfv = 1;
	h_start(&h);
	gfv_ledger(&h, "2011-01-03");
	ck_assert_int_eq(journal_gfv(h.j, clock_days(2011, 1, 3),
	    clock_days(2011, 1, 3), &n, &e), 0);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(journal_gfv(h.j, clock_days(2011, 1, 4),
	    clock_days(2012, 1, 3), &n, &e), 0);
	ck_assert_int_eq(n, 0);
	assert_refused(sig_px(&h, 0, 1, NAN, NAN), "good_faith", 1, 1);
	h_done(&h);
	h_small(&h);
	sk_strlcpy(h.c.account.type, "cash", sizeof(h.c.account.type));
	h.c.account.max_gfv = 1;
	h_start(&h);
	gfv_ledger(&h, "2011-01-04");
	ck_assert_int_eq(journal_gfv(h.j, clock_days(2010, 1, 1),
	    clock_days(2011, 12, 31), &n, &e), 0);
	ck_assert_int_eq(n, 0);
	assert_ok(sig_px(&h, 0, 1, NAN, NAN));
	h_done(&h);
}
END_TEST

/* Buying power 2 x 1000: 2000 of notional, open positions included. */
START_TEST(buying_power_boundary)
{
	struct rec r;
	struct h h;

	h_small(&h);
	h.c.account.buying_power = 2;
	h.c.risk.max_position_pct = 1000;
	h.c.risk.max_per_symbol = 100;
	h.c.strategy.qty = 10;
	h_start(&h);
	bar(&h, nth(0) - MIN, 100);
	assert_ok(sig_px(&h, 0, 100, NAN, NAN));	/* 1000 pending */
	assert_ok(sig_px(&h, 1, 100, NAN, NAN));	/* 2000 */
	assert_refused(sig_px(&h, 2, 0.01, NAN, NAN), "buying_power", 2000,
	    2000.1);
	h_done(&h);
	/* The broker's own figure, once given, replaces the multiple. */
	h_small(&h);
	h.c.account.buying_power = 2;
	h.c.risk.max_position_pct = 400;
	h.c.strategy.qty = 10;
	h_start(&h);
	rec_init(&r, REC_ACCOUNT);
	r.u.account.ts = nth(0) - MIN;
	r.u.account.buying_power = 3000;
	take(&h, &r);
	bar(&h, nth(0) - MIN, 300);
	assert_ok(sig_px(&h, 0, 300, NAN, NAN));
	assert_refused(sig_px(&h, 1, 0.01, NAN, NAN), "buying_power", 3000,
	    3000.1);
	h_done(&h);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
gate_suite(void)
{
	Suite *s = suite_create("gate");
	TCase *tt = tcase_create("time");
	TCase *ta = tcase_create("account");
	TCase *tz = tcase_create("sizing");

	tcase_set_timeout(tt, 30);
	tcase_set_timeout(ta, 30);
	tcase_set_timeout(tz, 30);
	tcase_add_test(tt, windows_boundaries);
	tcase_add_test(tt, window_pair_unchanged);
	tcase_add_test(tt, open_delay_boundary);
	tcase_add_test(tt, market_hours_boundary);
	tcase_add_test(tt, market_closed_days);
	tcase_add_test(tt, early_close_boundary);
	tcase_add_test(tt, blackout_boundaries);
	tcase_add_test(tt, blackout_shipped_file);
	tcase_add_loop_test(tt, blackout_bad_files, 0, N(badevents));
	tcase_add_test(tt, blackout_missing_file);
	tcase_add_test(tt, crypto_skips_market_hours);
	tcase_add_test(tt, rth_needs_the_calendar);
	tcase_add_test(ta, target_equity_boundary);
	tcase_add_test(ta, session_loss_boundary);
	tcase_add_test(ta, session_loss_counts_from_the_open);
	tcase_add_test(ta, session_loss_from_journal);
	tcase_add_test(ta, drawdown_pause_boundary);
	tcase_add_test(ta, drawdown_pause_from_peak);
	tcase_add_test(ta, loss_cooldown_boundary);
	tcase_add_test(ta, min_interval_boundary);
	tcase_add_test(ta, loss_streak_sizing);
	tcase_add_test(ta, loss_streak_floor);
	tcase_add_test(ta, refusals_are_journaled);
	tcase_add_test(ta, defaults_refuse_nothing_new);
	suite_add_tcase(s, tt);
	tcase_add_test(tz, risk_sizing_boundaries);
	tcase_add_test(tz, kelly_sizing_boundaries);
	tcase_add_test(tz, conviction_boundaries);
	tcase_add_test(tz, exchange_min_boundaries);
	tcase_add_test(tz, leverage_boundary);
	tcase_add_test(tz, sizing_with_loss_streak);
	tcase_add_test(tz, sizing_refusal_journaled);
	tcase_add_test(tz, quality_from_the_stream);
	tcase_add_test(tt, option_cutoffs);
	tcase_add_test(tz, options_sizer);
	tcase_add_test(tz, b_tier_rules);
	tcase_add_test(tz, no_averaging_into_a_loser);
	tcase_add_test(tz, margin_cap_boundaries);
	tcase_add_test(tz, fee_protection_and_ev);
	tcase_add_test(tz, balance_tiers);
	tcase_add_test(tz, pdt_boundary);
	tcase_add_test(tz, good_faith_violations);
	tcase_add_test(tz, buying_power_boundary);
	suite_add_tcase(s, ta);
	suite_add_tcase(s, tz);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(gate_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
