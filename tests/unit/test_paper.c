/*
 * test_paper.c: the paper broker's fill rules, each at its boundary.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paper.h"

#define T0	1294065000000LL	/* 2011-01-03T14:30:00Z */
#define MIN	60000LL

struct log {
	int		 n;
	enum book_what	 what[8];
	double		 price[8];
	double		 pnl[8];
	char		 id[8][REC_ID];
};

static void
record(void *arg, const struct book_event *ev)
{
	struct log *l = arg;

	if (l->n < 8) {
		l->what[l->n] = ev->what;
		l->price[l->n] = ev->price;
		l->pnl[l->n] = ev->pnl;
		sk_strlcpy(l->id[l->n], ev->ord->intent_id, REC_ID);
		l->n++;
	}
}

static struct bar
mkbar(int64_t ts, double o, double h, double l, double c)
{
	struct bar b;

	memset(&b, 0, sizeof(b));
	sk_strlcpy(b.symbol, "SPY", sizeof(b.symbol));
	sk_strlcpy(b.tf, "1m", sizeof(b.tf));
	b.tf_ms = MIN;
	b.ts = ts;
	b.o = o;
	b.h = h;
	b.l = l;
	b.c = c;
	b.v = 1000;
	return b;
}

static struct order
mkorder(const char *id, int64_t ts, const char *side, const char *type,
    double px, const char *effect, const char *pos)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	sk_strlcpy(o.intent_id, id, sizeof(o.intent_id));
	o.ts = ts;
	o.expires = TS_UNSET;
	sk_strlcpy(o.symbol, "SPY", sizeof(o.symbol));
	sk_strlcpy(o.side, side, sizeof(o.side));
	o.qty = 100;
	sk_strlcpy(o.order_type, type, sizeof(o.order_type));
	o.limit = strcmp(type, "limit") == 0 ? px : NAN;
	o.stop = strcmp(type, "stop") == 0 ? px : NAN;
	o.tp = o.sl = NAN;
	sk_strlcpy(o.effect, effect, sizeof(o.effect));
	sk_strlcpy(o.position_id, pos != NULL ? pos : id,
	    sizeof(o.position_id));
	return o;
}

/* A long position opened at 100 on the bar at T0. */
static void
open_long(struct book *b, struct log *l)
{
	struct order o = mkorder("e", T0 - MIN, "buy", "market", NAN, "open",
	    NULL);
	struct bar bar = mkbar(T0, 100, 100.5, 99.5, 100);

	book_init(b, NULL);
	memset(l, 0, sizeof(*l));
	ck_assert_int_eq(book_order(b, &o), 1);
	book_bar(b, &bar, record, l);
	ck_assert_int_eq(l->n, 1);
	ck_assert_int_eq(l->what[0], BOOK_FILL);
	ck_assert_double_eq(l->price[0], 100);
	ck_assert_uint_eq(book_open_count(b, "SPY"), 1);
	memset(l, 0, sizeof(*l));
}

START_TEST(market_fills_at_next_open_not_before)
{
	struct book b;
	struct log l = { 0 };
	struct order o = mkorder("e", T0 + MIN, "buy", "market", NAN, "open",
	    NULL);
	struct bar early = mkbar(T0, 100, 101, 99, 100.5);
	struct bar next = mkbar(T0 + MIN, 100.7, 101, 99, 100.5);

	book_init(&b, NULL);
	book_order(&b, &o);
	/* The order is active from T0+1m: the bar at T0 is before it. */
	book_bar(&b, &early, record, &l);
	ck_assert_int_eq(l.n, 0);
	book_bar(&b, &next, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq(l.price[0], 100.7);
	book_release(&b);
}
END_TEST

static const struct {
	double		 o, h, l;
	int		 fills;
	double		 price;
} stops[] = {
	{ 100.0, 100.2, 98.01, 0, 0 },		/* just above the stop */
	{ 100.0, 100.2, 98.0, 1, 98.0 },	/* touches it exactly */
	{ 99.0, 99.5, 97.0, 1, 98.0 },		/* trades through it */
	{ 97.5, 99.0, 97.0, 1, 97.5 },		/* opens beyond it: open */
	{ 98.0, 99.0, 97.0, 1, 98.0 },		/* opens at it */
};

START_TEST(sell_stop_boundaries)
{
	struct book b;
	struct log l;
	struct order o;
	struct bar bar;

	open_long(&b, &l);
	o = mkorder("e/stop", T0 + MIN, "sell", "stop", 98.0, "close", "e");
	book_order(&b, &o);
	bar = mkbar(T0 + MIN, stops[_i].o, stops[_i].h, stops[_i].l,
	    stops[_i].o);
	book_bar(&b, &bar, record, &l);
	ck_assert_int_eq(l.n, stops[_i].fills);
	if (stops[_i].fills) {
		ck_assert_double_eq(l.price[0], stops[_i].price);
		ck_assert_double_eq_tol(l.pnl[0], (stops[_i].price - 100) *
		    100, 1e-9);
		ck_assert_uint_eq(book_open_count(&b, NULL), 0);
	} else
		ck_assert_uint_eq(book_open_count(&b, NULL), 1);
	book_release(&b);
}
END_TEST

START_TEST(sell_limit_gets_open_when_gapped_above)
{
	struct book b;
	struct log l;
	struct order o;
	struct bar below = mkbar(T0 + MIN, 100, 101.99, 99.9, 100);
	struct bar gap = mkbar(T0 + 2 * MIN, 102.5, 103, 102.1, 102.2);

	open_long(&b, &l);
	o = mkorder("e/target", T0 + MIN, "sell", "limit", 102.0, "close",
	    "e");
	book_order(&b, &o);
	book_bar(&b, &below, record, &l);
	ck_assert_int_eq(l.n, 0);
	book_bar(&b, &gap, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq(l.price[0], 102.5);
	book_release(&b);
}
END_TEST

START_TEST(entry_expires_at_its_instant)
{
	struct book b;
	struct log l = { 0 };
	struct order o = mkorder("e", T0, "buy", "market", NAN, "open", NULL);
	struct bar at = mkbar(T0 + MIN, 100, 101, 99, 100);

	book_init(&b, NULL);
	o.expires = T0 + MIN;	/* a bar starting at expiry is too late */
	book_order(&b, &o);
	book_bar(&b, &at, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.what[0], BOOK_EXPIRE);
	ck_assert_uint_eq(book_open_count(&b, NULL), 0);
	ck_assert_uint_eq(book_pending_entries(&b, NULL), 0);
	book_release(&b);

	/* One millisecond later expiry: it fills. */
	memset(&l, 0, sizeof(l));
	book_init(&b, NULL);
	o.expires = T0 + MIN + 1;
	book_order(&b, &o);
	book_bar(&b, &at, record, &l);
	ck_assert_int_eq(l.what[0], BOOK_FILL);
	book_release(&b);
}
END_TEST

START_TEST(replayed_order_is_taken_once)
{
	struct book b;
	struct log l = { 0 };
	struct order o = mkorder("e", T0, "buy", "market", NAN, "open", NULL);
	struct bar bar = mkbar(T0, 100, 101, 99, 100);

	book_init(&b, NULL);
	ck_assert_int_eq(book_order(&b, &o), 1);
	ck_assert_int_eq(book_order(&b, &o), 0);
	book_bar(&b, &bar, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_uint_eq(book_open_count(&b, NULL), 1);
	/* Even after the fill, the same intent is not taken again. */
	ck_assert_int_eq(book_order(&b, &o), 0);
	book_release(&b);
}
END_TEST

START_TEST(close_without_position_is_rejected)
{
	struct book b;
	struct log l = { 0 };
	struct order o = mkorder("x/eod", T0, "sell", "market", NAN, "close",
	    "x");
	struct bar bar = mkbar(T0, 100, 101, 99, 100);

	book_init(&b, NULL);
	book_order(&b, &o);
	book_bar(&b, &bar, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.what[0], BOOK_REJECT);
	book_release(&b);
}
END_TEST

START_TEST(short_pnl_and_fees)
{
	struct book b;
	struct log l = { 0 };
	struct fees f = { 0.005, 1.0 };
	struct order e = mkorder("s", T0, "sell", "market", NAN, "open", NULL);
	struct order x = mkorder("s/eod", T0 + MIN, "buy", "market", NAN,
	    "close", "s");
	struct bar b1 = mkbar(T0, 100, 101, 99, 100);
	struct bar b2 = mkbar(T0 + MIN, 99, 99.5, 98, 99);

	book_init(&b, &f);
	book_order(&b, &e);
	book_bar(&b, &b1, record, &l);
	book_order(&b, &x);
	book_bar(&b, &b2, record, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_double_eq_tol(l.pnl[1], 100.0, 1e-9);
	ck_assert_double_eq_tol(fees_of(&f, 100), 1.5, 1e-12);
	book_release(&b);
}
END_TEST

START_TEST(liquidate_closes_at_price_and_cancels_pending)
{
	struct book b;
	struct log l;
	struct order x;

	open_long(&b, &l);
	x = mkorder("e/cloud_flip", T0 + 5 * MIN, "sell", "market", NAN,
	    "close", "e");
	book_order(&b, &x);
	book_liquidate(&b, "SPY", T0 + MIN, 101.25, record, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.what[0], BOOK_EXPIRE);
	ck_assert_int_eq(l.what[1], BOOK_FILL);
	ck_assert_double_eq(l.price[1], 101.25);
	ck_assert_uint_eq(book_open_count(&b, NULL), 0);
	book_release(&b);
}
END_TEST


/* The honest model: 1 bp half-spread, a 0.01 tick, no slippage, no fees. */
static void
honest(struct paper_model *m)
{
	int c;

	memset(m, 0, sizeof(*m));
	m->honest = 1;
	for (c = 0; c < PAPER_NCLASS; c++) {
		m->half_bp[c] = 1;
		m->tick[c] = 0.01;
	}
	m->slip = PAPER_SLIP_NONE;
	m->volume_share = 0;
	m->fees.classes = FEE_CLASS(FEE_EQUITY) | FEE_CLASS(FEE_OPTION) |
	    FEE_CLASS(FEE_PERP) | FEE_CLASS(FEE_CFD);
	m->fees.multiplier = 100;
}

/* A fuller log: quantities, fidelity fields, reasons. */
struct flog {
	int		 n;
	enum book_what	 what[8];
	double		 price[8], qty[8], left[8], req[8], bid[8], ask[8];
	double		 fee[8], pnl[8], amount[8];
	char		 reason[8][REC_WORD];
	int		 synthetic[8];
};

static void
frecord(void *arg, const struct book_event *ev)
{
	struct flog *l = arg;

	if (l->n >= 8)
		return;
	l->what[l->n] = ev->what;
	l->price[l->n] = ev->price;
	l->qty[l->n] = ev->qty;
	l->left[l->n] = ev->remaining;
	l->req[l->n] = ev->requested;
	l->bid[l->n] = ev->bid;
	l->ask[l->n] = ev->ask;
	l->fee[l->n] = ev->fee;
	l->pnl[l->n] = ev->pnl;
	l->amount[l->n] = ev->amount;
	l->synthetic[l->n] = ev->synthetic;
	if (ev->ord != NULL)
		sk_strlcpy(l->reason[l->n], ev->ord->reason, REC_WORD);
	l->n++;
}

static struct quote
mkquote(const char *sym, int64_t ts, double bid, double ask)
{
	struct quote q;

	memset(&q, 0, sizeof(q));
	sk_strlcpy(q.symbol, sym, sizeof(q.symbol));
	q.ts = ts;
	q.bid = bid;
	q.ask = ask;
	return q;
}

static const struct {
	const char	*sym;
	enum paper_class c;
} classes[] = {
	{ "SPY", PAPER_EQUITY },
	{ "TQQQ", PAPER_EQUITY },
	{ "SPY250214C00603000", PAPER_OPTION },
	{ "SPXW250214P05000000", PAPER_OPTION },
	{ "SPY250214X00603000", PAPER_EQUITY },	/* not OCC: right X */
	{ "BTCUSDT", PAPER_PERP },
	{ "ETHPERP", PAPER_PERP },
	{ "USDT", PAPER_EQUITY },		/* only the suffix */
	{ "XAUUSD", PAPER_CFD },
	{ "BTCUSD", PAPER_CFD },
	{ "AUSD", PAPER_EQUITY },		/* under 6 characters */
};

START_TEST(asset_class_from_symbol)
{
	ck_assert_int_eq(paper_class(NULL, classes[_i].sym), classes[_i].c);
}
END_TEST

START_TEST(market_buy_pays_ask_sell_gets_bid_on_quotes)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order buy = mkorder("e", T0, "buy", "market", NAN, "open",
	    NULL);
	struct order sell = mkorder("e/x", T0 + 5000, "sell", "market", NAN,
	    "close", "e");
	struct quote early = mkquote("SPY", T0 - 1, 99.90, 99.94);
	struct quote at = mkquote("SPY", T0, 99.98, 100.02);
	struct quote later = mkquote("SPY", T0 + 5000, 100.10, 100.14);
	struct bar bar = mkbar(T0, 100, 101, 99, 100.5);

	honest(&m);
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	book_order(&b, &buy);
	/* A quote before the order is active fills nothing. */
	book_quote(&b, &early, frecord, &l);
	ck_assert_int_eq(l.n, 0);
	/* One at the order's instant does: at the ask, no spread model. */
	book_quote(&b, &at, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq(l.price[0], 100.02);
	ck_assert_double_eq(l.req[0], 100);
	ck_assert_double_eq(l.bid[0], 99.98);
	ck_assert_double_eq(l.ask[0], 100.02);
	/* A quoted symbol's market orders do not fill on its bars. */
	book_order(&b, &sell);
	book_bar(&b, &bar, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	book_quote(&b, &later, frecord, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_double_eq(l.price[1], 100.10);
	ck_assert_double_eq_tol(l.pnl[1], (100.10 - 100.02) * 100, 1e-9);
	book_release(&b);
}
END_TEST

/* Bars only: open 100, half-spread max(bp x 100 / 1e4, tick / 2). */
static const struct {
	double		 bp, tick;
	const char	*side;
	double		 want;
} halves[] = {
	{ 1, 0.01, "buy", 100.01 },	/* 1 bp of 100 is a tick */
	{ 1, 0.01, "sell", 99.99 },
	{ 0, 0.01, "buy", 100.01 },	/* half a tick, rounded up */
	{ 0, 0.01, "sell", 99.99 },	/* ... and down for a sell */
	{ 0.2, 0, "buy", 100.002 },	/* no tick: the bp as is */
	{ 0, 0, "buy", 100 },		/* no spread: the open */
};

START_TEST(market_on_bars_half_spread)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order o = mkorder("e", T0, halves[_i].side, "market", NAN,
	    "open", NULL);
	struct bar bar = mkbar(T0, 100, 101, 99, 100.5);

	honest(&m);
	m.half_bp[PAPER_EQUITY] = halves[_i].bp;
	m.tick[PAPER_EQUITY] = halves[_i].tick;
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	book_order(&b, &o);
	book_bar(&b, &bar, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq_tol(l.price[0], halves[_i].want, 1e-9);
	ck_assert_double_eq(l.req[0], 100);
	book_release(&b);
}
END_TEST

/* Slippage beyond the modelled ask (100.01), a 100-share buy, v 1000. */
static const struct {
	enum paper_slip	 slip;
	double		 want;
} slips[] = {
	{ PAPER_SLIP_NONE, 100.01 },
	{ PAPER_SLIP_TICKS, 100.03 },	/* 2 ticks */
	{ PAPER_SLIP_SPREAD, 100.02 },	/* 50 % of the 0.02 spread */
	{ PAPER_SLIP_VOLUME, 100.02 },	/* 10 bp x 100 x 100 / 1000 */
};

START_TEST(slippage_models)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order o = mkorder("e", T0, "buy", "market", NAN, "open", NULL);
	struct bar bar = mkbar(T0, 100, 101, 99, 100.5);

	honest(&m);
	m.slip = slips[_i].slip;
	m.slip_ticks = 2;
	m.slip_spread_pct = 50;
	m.slip_volume_bp = 10;
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	book_order(&b, &o);
	book_bar(&b, &bar, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq_tol(l.price[0], slips[_i].want, 1e-9);
	book_release(&b);
}
END_TEST

START_TEST(options_fill_pessimistically)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order o = mkorder("o", T0, "buy", "market", NAN, "open", NULL);
	struct bar bar = mkbar(T0, 1.50, 1.60, 1.40, 1.55);

	honest(&m);
	m.half_bp[PAPER_OPTION] = 0;
	m.option_ticks = 1;
	sk_strlcpy(o.symbol, "SPY250214C00603000", sizeof(o.symbol));
	sk_strlcpy(bar.symbol, o.symbol, sizeof(bar.symbol));
	o.qty = 2;
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	book_order(&b, &o);
	book_bar(&b, &bar, frecord, &l);
	/* Half a tick of spread, one tick of pessimism, on the grid up. */
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq_tol(l.price[0], 1.52, 1e-9);
	book_release(&b);
}
END_TEST

/* A resting buy limit at 99.50: filled only when the low is below it. */
static const struct {
	const char	*sym;
	double		 o, l;
	int		 fills;
	double		 price;
} throughs[] = {
	{ "SPY", 100, 99.50, 0, 0 },		/* touches: no fill */
	{ "SPY", 100, 99.49, 1, 99.50 },	/* through: the limit */
	{ "SPY", 99.40, 99.30, 1, 99.40 },	/* opened through: open */
	{ "SPY250214C00603000", 100, 99.495, 0, 0 },	/* < a tick */
	{ "SPY250214C00603000", 100, 99.49, 1, 99.50 },	/* a tick */
};

START_TEST(limit_fills_only_through)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order o = mkorder("e", T0, "buy", "limit", 99.50, "open",
	    NULL);
	struct bar bar = mkbar(T0, throughs[_i].o, 101, throughs[_i].l,
	    100);

	honest(&m);
	m.option_ticks = 1;
	sk_strlcpy(o.symbol, throughs[_i].sym, sizeof(o.symbol));
	sk_strlcpy(bar.symbol, throughs[_i].sym, sizeof(bar.symbol));
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	book_order(&b, &o);
	book_bar(&b, &bar, frecord, &l);
	ck_assert_int_eq(l.n, throughs[_i].fills);
	if (l.n) {
		ck_assert_double_eq_tol(l.price[0], throughs[_i].price,
		    1e-9);
		ck_assert_double_eq(l.req[0], 99.50);
	}
	book_release(&b);
}
END_TEST

START_TEST(sell_limit_through_not_touch)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct log ll;
	struct order o;
	struct bar touch = mkbar(T0 + MIN, 100, 102.0, 99.9, 100);
	struct bar through = mkbar(T0 + 2 * MIN, 100, 102.01, 99.9, 100);

	open_long(&b, &ll);
	honest(&m);
	book_model(&b, &m, NULL);
	o = mkorder("e/target", T0 + MIN, "sell", "limit", 102.0, "close",
	    "e");
	book_order(&b, &o);
	book_bar(&b, &touch, frecord, &l);
	ck_assert_int_eq(l.n, 0);
	/* A closing limit has no timeout: it rests until through. */
	book_bar(&b, &through, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq(l.price[0], 102.0);
	ck_assert_double_eq_tol(l.pnl[0], 200, 1e-9);
	book_release(&b);
}
END_TEST

/*
 * 10 % of a 1000-share minute, for the 15 s of it the entry is alive:
 * 25 shares.  The order's quantity is that, or just above it.
 */
START_TEST(partial_fill_capped_by_volume_then_timeout)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order o = mkorder("e", T0, "buy", "limit", 99.50, "open",
	    NULL);
	struct bar b1 = mkbar(T0, 100, 101, 99, 100);
	struct bar b2 = mkbar(T0 + MIN, 100, 101, 99, 100);
	const struct position *p;

	honest(&m);
	m.volume_share = 0.10;
	m.timeout_ms = 15000;
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	o.qty = 25;		/* exactly the cap: whole */
	book_order(&b, &o);
	book_bar(&b, &b1, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq(l.qty[0], 25);
	ck_assert_double_eq(l.left[0], 0);
	book_release(&b);

	memset(&l, 0, sizeof(l));
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	sk_strlcpy(o.intent_id, "f", sizeof(o.intent_id));
	o.qty = 26;		/* one over: 25 now, 1 rests */
	book_order(&b, &o);
	book_bar(&b, &b1, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq(l.qty[0], 25);
	ck_assert_double_eq(l.left[0], 1);
	p = book_find(&b, "f");
	ck_assert_ptr_nonnull(p);
	ck_assert_double_eq(p->qty, 25);
	ck_assert_uint_eq(book_pending_entries(&b, NULL), 1);
	/* The next bar starts past the 15 s: the rest is cancelled. */
	book_bar(&b, &b2, frecord, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.what[1], BOOK_CANCEL);
	ck_assert_uint_eq(book_pending_entries(&b, NULL), 0);
	ck_assert_double_eq(book_find(&b, "f")->qty, 25);
	book_release(&b);
}
END_TEST

/* An entry limit placed d ms before a bar: alive in it, or cancelled. */
static const struct {
	int64_t		 before;
	enum book_what	 what;
	int		 n;
} timeouts[] = {
	{ 15000, BOOK_CANCEL, 1 },	/* exactly the timeout: gone */
	{ 14999, BOOK_FILL, 0 },	/* alive 1 ms: no volume, rests */
	{ 0, BOOK_FILL, 1 },		/* alive 15 s of the bar: fills */
};

START_TEST(limit_timeout_boundary)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order o = mkorder("e", T0 - timeouts[_i].before, "buy",
	    "limit", 99.50, "open", NULL);
	struct bar bar = mkbar(T0, 100, 101, 99, 100);

	honest(&m);
	m.volume_share = 0.10;
	m.timeout_ms = 15000;
	o.qty = 10;
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	book_order(&b, &o);
	book_bar(&b, &bar, frecord, &l);
	ck_assert_int_eq(l.n, timeouts[_i].n);
	if (l.n)
		ck_assert_int_eq(l.what[0], timeouts[_i].what);
	book_release(&b);
}
END_TEST

START_TEST(resting_order_can_be_cancelled)
{
	struct book b;
	struct log ll;
	struct flog l = { 0 };
	struct order o;
	struct bar bar = mkbar(T0 + 2 * MIN, 100, 103, 99, 100);

	open_long(&b, &ll);
	o = mkorder("e/target", T0 + MIN, "sell", "limit", 102.0, "close",
	    "e");
	book_order(&b, &o);
	ck_assert_int_eq(book_find(&b, "e")->closing, 1);
	ck_assert_int_eq(book_cancel(&b, "e/target", T0 + MIN + 1, "mine",
	    frecord, &l), 1);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.what[0], BOOK_CANCEL);
	ck_assert_int_eq(book_find(&b, "e")->closing, 0);
	/* Gone: a second cancel finds nothing, and no bar fills it. */
	ck_assert_int_eq(book_cancel(&b, "e/target", T0 + MIN + 2, "mine",
	    frecord, &l), 0);
	book_bar(&b, &bar, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	book_release(&b);
}
END_TEST

/*
 * Fees from the paper schedule, worked by hand: 100 SPY at 100 bought
 * pays CAT (100 x $0.000003, up to a cent); sold, SEC ($20.60 per
 * million of $10,000 is $0.206, up to $0.21) and TAF (100 x $0.000195,
 * $0.0195 up to $0.02) too.  1 BTCUSDT at 50000: taker 0.055 %, $27.50;
 * a resting limit is a maker, 0.02 %, $10.
 */
START_TEST(fees_per_broker_and_asset)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order e = mkorder("e", T0, "buy", "market", NAN, "open", NULL);
	struct order x = mkorder("e/x", T0 + MIN, "sell", "market", NAN,
	    "close", "e");
	struct order pt = mkorder("p", T0, "buy", "market", NAN, "open",
	    NULL);
	struct order pm = mkorder("q", T0, "buy", "limit", 49900, "open",
	    NULL);
	struct bar b1 = mkbar(T0, 100, 101, 99, 100);
	struct bar b2 = mkbar(T0 + MIN, 100, 101, 99, 100);
	struct bar p1 = mkbar(T0, 50000, 50100, 49800, 50000);

	honest(&m);
	m.fees = *fee_lookup("paper");
	m.half_bp[PAPER_EQUITY] = 0;
	m.tick[PAPER_EQUITY] = 0;
	m.half_bp[PAPER_PERP] = 0;
	m.tick[PAPER_PERP] = 0;
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	book_order(&b, &e);
	book_bar(&b, &b1, frecord, &l);
	book_order(&b, &x);
	book_bar(&b, &b2, frecord, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_double_eq_tol(l.fee[0], 0.01, 1e-12);
	ck_assert_double_eq_tol(l.fee[1], 0.01 + 0.21 + 0.02, 1e-12);
	book_release(&b);

	memset(&l, 0, sizeof(l));
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	sk_strlcpy(pt.symbol, "BTCUSDT", sizeof(pt.symbol));
	sk_strlcpy(pm.symbol, "BTCUSDT", sizeof(pm.symbol));
	sk_strlcpy(p1.symbol, "BTCUSDT", sizeof(p1.symbol));
	pt.qty = pm.qty = 1;
	book_order(&b, &pt);
	book_order(&b, &pm);
	book_bar(&b, &p1, frecord, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_double_eq_tol(l.fee[0], 27.5, 1e-9);
	ck_assert_double_eq_tol(l.fee[1], 9.98, 1e-9);	/* 49900 x 0.0002 */
	book_release(&b);
}
END_TEST

/*
 * Funding: rate 0.0001 due at T0 + 8h on a 2-unit long marked at 100
 * pays 0.02; a position opened at the funding instant pays nothing.
 */
START_TEST(funding_at_funding_times)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct order o = mkorder("p", T0, "buy", "market", NAN, "open", NULL);
	struct funding f;
	struct bar bar = mkbar(T0, 100, 100, 100, 100);
	struct quote q = mkquote("BTCUSDT", T0 + 8 * 60 * MIN - 1, 99.99,
	    100.01);
	struct quote q2 = mkquote("BTCUSDT", T0 + 8 * 60 * MIN, 99.99,
	    100.01);

	honest(&m);
	m.half_bp[PAPER_PERP] = 0;
	m.tick[PAPER_PERP] = 0;
	sk_strlcpy(o.symbol, "BTCUSDT", sizeof(o.symbol));
	sk_strlcpy(bar.symbol, "BTCUSDT", sizeof(bar.symbol));
	o.qty = 2;
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	book_order(&b, &o);
	book_bar(&b, &bar, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	memset(&f, 0, sizeof(f));
	sk_strlcpy(f.symbol, "BTCUSDT", sizeof(f.symbol));
	f.ts = T0 + MIN;
	f.rate = 0.0001;
	f.next_ts = T0 + 8 * 60 * MIN;
	book_funding(&b, &f, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	/* One millisecond before the instant: not yet. */
	book_quote(&b, &q, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	book_quote(&b, &q2, frecord, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.what[1], BOOK_FUNDING);
	ck_assert_double_eq_tol(l.amount[1], -2 * 100 * 0.0001, 1e-12);
	/* Paid once. */
	book_due(&b, T0 + 9 * 60 * MIN, frecord, &l);
	ck_assert_int_eq(l.n, 2);
	book_release(&b);

	/* Opened at the instant itself: not held through it. */
	memset(&l, 0, sizeof(l));
	book_init(&b, NULL);
	book_model(&b, &m, NULL);
	o.ts = T0 + 8 * 60 * MIN;
	bar.ts = o.ts;
	book_order(&b, &o);
	f.ts = T0;
	book_funding(&b, &f, frecord, &l);
	book_bar(&b, &bar, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.what[0], BOOK_FILL);
	book_release(&b);
}
END_TEST

/*
 * 0DTE expiry on 2011-01-04, 16:00 New York (21:00Z): a 127 call with
 * SPY last at 127.60 settles at 0.60; a 128 call expires worthless.
 */
static const struct {
	const char	*sym;
	double		 price;
	const char	*reason;
} expiries[] = {
	{ "SPY110104C00127000", 0.60, "expiry" },
	{ "SPY110104C00128000", 0, "expired_worthless" },
	{ "SPY110104P00128000", 0.40, "expiry" },
};

START_TEST(options_settle_at_expiry)
{
	struct paper_model m;
	struct book b;
	struct flog l = { 0 };
	struct tz tz;
	struct sk_err e;
	struct order o = mkorder("c", T0, "buy", "market", NAN, "open", NULL);
	struct bar ob = mkbar(T0, 1, 1, 1, 1);
	/* SPY's 15:58 and 15:59 bars; the second closes at 16:00. */
	int64_t close = 1294174800000LL;	/* 2011-01-04T21:00:00Z */
	struct bar u1 = mkbar(close - 2 * MIN, 127.5, 127.7, 127.4, 127.5);
	struct bar u2 = mkbar(close - MIN, 127.5, 127.7, 127.4, 127.6);

	ck_assert_int_eq(tz_load(&tz, "America/New_York", &e), 0);
	ck_assert_int_eq(paper_expiry(&tz, expiries[_i].sym), close);
	honest(&m);
	sk_strlcpy(o.symbol, expiries[_i].sym, sizeof(o.symbol));
	sk_strlcpy(ob.symbol, expiries[_i].sym, sizeof(ob.symbol));
	o.qty = 1;
	book_init(&b, NULL);
	book_model(&b, &m, &tz);
	book_order(&b, &o);
	book_bar(&b, &ob, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	/* Closed at 15:59: not expired yet. */
	book_bar(&b, &u1, frecord, &l);
	ck_assert_int_eq(l.n, 1);
	book_bar(&b, &u2, frecord, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.what[1], BOOK_FILL);
	ck_assert_double_eq_tol(l.price[1], expiries[_i].price, 1e-9);
	ck_assert_str_eq(l.reason[1], expiries[_i].reason);
	ck_assert_int_eq(l.synthetic[1], 1);
	ck_assert_double_eq(l.fee[1], 0);
	ck_assert_uint_eq(book_open_count(&b, NULL), 0);
	book_release(&b);
	tz_release(&tz);
}
END_TEST

/*
 * What a bar is and when it closed: a bar's record says what happened
 * from ts to ts + tf_ms.  An order active from inside a bar (T0 + 30 s)
 * is not filled by that bar, whatever its type, nor by a quote from
 * before it: only by the next bar, whose prices all come after it.
 */
START_TEST(no_fill_from_a_bar_not_closed_after_the_order)
{
	static const char *const types[] = { "market", "limit", "stop" };
	static const double px[] = { NAN, 101.0, 99.0 };
	struct paper_model m;
	struct book b;
	struct flog l;
	struct order o;
	struct bar cur = mkbar(T0, 100, 100.5, 98.5, 100);
	struct bar next = mkbar(T0 + MIN, 100, 101.5, 98.5, 100);
	struct quote before = mkquote("SPY", T0 + 29999, 99.99, 100.01);
	int model, i;

	for (model = 0; model < 2; model++)
		for (i = 0; i < 3; i++) {
			memset(&l, 0, sizeof(l));
			honest(&m);
			if (!model)
				memset(&m, 0, sizeof(m));
			book_init(&b, NULL);
			book_model(&b, &m, NULL);
			o = mkorder("e", T0 + 30000, i == 2 ? "buy" : "sell",
			    types[i], px[i], "open", NULL);
			if (i == 2)
				o.stop = 100.4;
			book_order(&b, &o);
			book_bar(&b, &cur, frecord, &l);
			ck_assert_int_eq(l.n, 0);
			if (i > 0)
				book_quote(&b, &before, frecord, &l);
			ck_assert_int_eq(l.n, 0);
			book_bar(&b, &next, frecord, &l);
			ck_assert_int_eq(l.n, 1);
			ck_assert_int_eq(l.what[0], BOOK_FILL);
			book_release(&b);
		}
}
END_TEST

/*
 * The same strategy on the same bars, ideal then honest: long 100 at
 * the open after an up bar (close above open), out at the open three
 * bars later.  The honest book must earn less by exactly what the model
 * says: each fill pays half the spread (bp of the open, or half a tick)
 * plus slippage (a share of the spread), computed here on its own.
 */
struct strat {
	struct book	 b;
	double		 net;
	int		 fills;
	int64_t		 fill_ts[64];
	double		 opens[64];
};

static void
strat_cb(void *arg, const struct book_event *ev)
{
	struct strat *s = arg;

	if (ev->what != BOOK_FILL)
		return;
	s->net += ev->pnl - ev->fee;
	if (s->fills < 64)
		s->fill_ts[s->fills] = ev->ts;
	s->fills++;
}

static void
run_strategy(struct strat *s, const struct paper_model *m,
    const struct bar *bars, size_t n)
{
	struct order o;
	char id[32];
	size_t i, held = 0;
	int open = 0;

	memset(s, 0, sizeof(*s));
	book_init(&s->b, NULL);
	book_model(&s->b, m, NULL);
	for (i = 0; i < n; i++) {
		book_bar(&s->b, &bars[i], strat_cb, s);
		/* Decided at the bar's close, active from the next open. */
		if (!open && bars[i].c > bars[i].o) {
			snprintf(id, sizeof(id), "e%zu", i);
			o = mkorder(id, bars[i].ts + MIN, "buy", "market",
			    NAN, "open", NULL);
			book_order(&s->b, &o);
			open = 1;
			held = i;
		} else if (open && i == held + 3) {
			snprintf(id, sizeof(id), "e%zu", held);
			o = mkorder("x", bars[i].ts + MIN, "sell", "market",
			    NAN, "close", id);
			snprintf(o.intent_id, sizeof(o.intent_id), "x%zu", i);
			book_order(&s->b, &o);
			open = 0;
		}
	}
	book_release(&s->b);
}

START_TEST(pessimistic_fills_cost_what_the_model_predicts)
{
	struct bar bars[60];
	struct paper_model ideal_m, m;
	struct strat a, h;
	double predicted = 0, open, half, slip;
	size_t i, k;
	uint32_t x = 12345;

	/* A deterministic walk around 127 (an LCG, no library random). */
	open = 127;
	for (i = 0; i < 60; i++) {
		double c;

		x = x * 1103515245u + 12345u;
		c = open + ((double)(x >> 16 & 0xff) - 127.5) / 100;
		bars[i] = mkbar(T0 + (int64_t)i * MIN, open,
		    (open > c ? open : c) + 0.05, (open < c ? open : c) - 0.05,
		    c);
		open = c;
	}
	memset(&ideal_m, 0, sizeof(ideal_m));
	honest(&m);
	m.half_bp[PAPER_EQUITY] = 2;	/* 2 bp: about 0.0254 at 127 */
	m.tick[PAPER_EQUITY] = 0;	/* no grid: the cost is exact */
	m.slip = PAPER_SLIP_SPREAD;
	m.slip_spread_pct = 25;
	run_strategy(&a, &ideal_m, bars, 60);
	run_strategy(&h, &m, bars, 60);
	ck_assert_int_eq(a.fills, h.fills);
	ck_assert_int_gt(a.fills, 10);
	/* Each fill is at some bar's open: half-spread and slippage. */
	for (k = 0; k < (size_t)h.fills; k++) {
		ck_assert_int_eq(a.fill_ts[k], h.fill_ts[k]);
		i = (size_t)((h.fill_ts[k] - T0) / MIN);
		half = bars[i].o * 2 / 10000;
		slip = 0.25 * 2 * half;
		predicted += 100 * (half + slip);
	}
	ck_assert(h.net < a.net);
	ck_assert_double_eq_tol(a.net - h.net, predicted, 1e-6);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("paper");
	TCase *tc = tcase_create("rules");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, market_fills_at_next_open_not_before);
	tcase_add_loop_test(tc, sell_stop_boundaries, 0,
	    (int)(sizeof(stops) / sizeof(stops[0])));
	tcase_add_test(tc, sell_limit_gets_open_when_gapped_above);
	tcase_add_test(tc, entry_expires_at_its_instant);
	tcase_add_test(tc, replayed_order_is_taken_once);
	tcase_add_test(tc, close_without_position_is_rejected);
	tcase_add_test(tc, short_pnl_and_fees);
	tcase_add_test(tc, liquidate_closes_at_price_and_cancels_pending);
	tcase_add_loop_test(tc, asset_class_from_symbol, 0,
	    (int)(sizeof(classes) / sizeof(classes[0])));
	tcase_add_test(tc, market_buy_pays_ask_sell_gets_bid_on_quotes);
	tcase_add_loop_test(tc, market_on_bars_half_spread, 0,
	    (int)(sizeof(halves) / sizeof(halves[0])));
	tcase_add_loop_test(tc, slippage_models, 0,
	    (int)(sizeof(slips) / sizeof(slips[0])));
	tcase_add_test(tc, options_fill_pessimistically);
	tcase_add_loop_test(tc, limit_fills_only_through, 0,
	    (int)(sizeof(throughs) / sizeof(throughs[0])));
	tcase_add_test(tc, sell_limit_through_not_touch);
	tcase_add_test(tc, partial_fill_capped_by_volume_then_timeout);
	tcase_add_loop_test(tc, limit_timeout_boundary, 0,
	    (int)(sizeof(timeouts) / sizeof(timeouts[0])));
	tcase_add_test(tc, resting_order_can_be_cancelled);
	tcase_add_test(tc, fees_per_broker_and_asset);
	tcase_add_test(tc, funding_at_funding_times);
	tcase_add_loop_test(tc, options_settle_at_expiry, 0,
	    (int)(sizeof(expiries) / sizeof(expiries[0])));
	tcase_add_test(tc, no_fill_from_a_bar_not_closed_after_the_order);
	tcase_add_test(tc, pessimistic_fills_cost_what_the_model_predicts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
