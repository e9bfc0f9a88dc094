/*
 * test_exits.c: lib/exits.c: every exit rule just inside and just
 * outside its boundary, then the stage record by record: quotes as
 * marks, the flow as of a bar's start, the spread exit, the add-on.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "exits.h"

#define T0	1294151760000LL	/* 2011-01-04T14:36:00Z */
#define MIN	CLOCK_MIN
#define SEC	1000LL

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

/* A position of dir at 100, 100 units, entered at T0. */
static struct position
mkpos(int dir)
{
	struct position p;

	memset(&p, 0, sizeof(p));
	sk_strlcpy(p.id, "p1", sizeof(p.id));
	sk_strlcpy(p.symbol, "SPY", sizeof(p.symbol));
	p.dir = dir;
	p.qty = 100;
	p.entry_price = 100;
	p.entry_ts = T0;
	return p;
}

/* Defaults with ATR stops: stop 98 and target 104 at ATR 2 for a long. */
static void
atr_cfg(struct config *c)
{
	config_defaults(c);
	c->exits.stop_atr = 1;
	c->exits.target_atr = 2;
}

static struct exit_state
levels(const struct config *c, const struct position *p, double atr)
{
	struct exit_state s;

	memset(&s, 0, sizeof(s));
	exits_levels(&s, &c->exits, p, atr);
	return s;
}

START_TEST(levels_pct_and_atr)
{
	struct position l = mkpos(1), sh = mkpos(-1);
	struct exit_state s;
	struct config c;

	config_defaults(&c);
	/* The reference's products, bit for bit. */
	s = levels(&c, &l, 2);
	ck_assert_double_eq(s.sl, 100 * ((100.0 - 2) / 100.0));
	ck_assert_double_eq(s.tp, 100 * ((100.0 + 2) / 100.0));
	ck_assert_int_eq(s.sl_why, WHY_STOP);
	ck_assert_int_eq(s.tp_why, WHY_TARGET);
	s = levels(&c, &sh, 2);
	ck_assert_double_eq(s.sl, 100 * ((100.0 + 2) / 100.0));
	ck_assert_double_eq(s.tp, 100 * ((100.0 - 2) / 100.0));
	atr_cfg(&c);
	s = levels(&c, &l, 2);
	ck_assert_double_eq(s.sl, 98);
	ck_assert_double_eq(s.tp, 104);
	ck_assert_double_eq(s.tp0, 104);
	ck_assert_double_eq(s.risk, 2);
	s = levels(&c, &sh, 2);
	ck_assert_double_eq(s.sl, 102);
	ck_assert_double_eq(s.tp, 96);
	/* No ATR known (or none positive): the % levels. */
	s = levels(&c, &l, NAN);
	ck_assert_double_eq(s.sl, 100 * ((100.0 - 2) / 100.0));
	s = levels(&c, &l, 0);
	ck_assert_double_eq(s.tp, 100 * ((100.0 + 2) / 100.0));
	/* Either key alone. */
	c.exits.target_atr = 0;
	s = levels(&c, &l, 2);
	ck_assert_double_eq(s.sl, 98);
	ck_assert_double_eq(s.tp, 100 * ((100.0 + 2) / 100.0));
}
END_TEST

/* Stop 98, target 104 for a long; the bar's high and low. */
static const struct {
	int		 dir;
	double		 h, l;
	int		 extend;
	enum exit_hit	 want;
} hits[] = {
	{ 1, 103.99, 98, 0, HIT_STOP },		/* low at the stop */
	{ 1, 103.99, 98.01, 0, HIT_NONE },	/* a cent above it */
	{ 1, 104, 98.01, 0, HIT_TARGET },	/* high at the target */
	{ 1, 104, 98.01, 1, HIT_EXTEND },
	{ 1, 105, 97, 1, HIT_STOP },		/* both: the stop first */
	{ -1, 102, 96.01, 0, HIT_STOP },	/* short: stop 102 */
	{ -1, 101.99, 96.01, 0, HIT_NONE },
	{ -1, 101.99, 96, 0, HIT_TARGET },	/* target 96 */
	{ -1, 103, 95, 0, HIT_STOP },
};

START_TEST(inside_boundaries)
{
	struct position p = mkpos(hits[_i].dir);
	struct exit_state s;
	struct config c;

	atr_cfg(&c);
	s = levels(&c, &p, 2);
	ck_assert_int_eq(exits_inside(&s, p.dir, hits[_i].h, hits[_i].l,
	    hits[_i].extend), hits[_i].want);
}
END_TEST

START_TEST(flow_agrees_both_ways)
{
	ck_assert_int_eq(exits_flow_agrees(1, 5, 0.01), 1);
	ck_assert_int_eq(exits_flow_agrees(1, 0, 0.01), 0);
	ck_assert_int_eq(exits_flow_agrees(1, 5, 0), 0);
	ck_assert_int_eq(exits_flow_agrees(1, 5, -0.01), 0);
	ck_assert_int_eq(exits_flow_agrees(1, NAN, 0.01), 0);
	ck_assert_int_eq(exits_flow_agrees(-1, -5, -0.01), 1);
	ck_assert_int_eq(exits_flow_agrees(-1, 5, -0.01), 0);
}
END_TEST

START_TEST(extend_moves_target_and_locks)
{
	struct position p = mkpos(1), sh = mkpos(-1);
	struct exit_state s;
	struct config c;

	atr_cfg(&c);
	s = levels(&c, &p, 2);
	exits_extend(&s, &c.exits, &p);
	/* Without zone trailing the stop stays. */
	ck_assert_double_eq(s.tp, 106);
	ck_assert_double_eq(s.sl, 98);
	ck_assert_int_eq(s.tp_why, WHY_TP_EXTEND);
	ck_assert_int_eq(s.next, 1);
	c.exits.zone_trail = 1;
	s = levels(&c, &p, 2);
	exits_extend(&s, &c.exits, &p);
	ck_assert_double_eq(s.tp, 106);
	ck_assert_double_eq(s.sl, 102);		/* half of 100 -> 104 */
	ck_assert_int_eq(s.sl_why, WHY_TRAIL);
	exits_extend(&s, &c.exits, &p);
	ck_assert_double_eq(s.tp, 108);		/* by half of 4 again */
	ck_assert_double_eq(s.sl, 103);		/* half of 100 -> 106 */
	s = levels(&c, &sh, 2);
	exits_extend(&s, &c.exits, &sh);
	ck_assert_double_eq(s.tp, 94);
	ck_assert_double_eq(s.sl, 98);
}
END_TEST

START_TEST(zone_breakeven_at_half_way)
{
	struct position p = mkpos(1), sh = mkpos(-1);
	struct exit_state s;
	struct config c;

	atr_cfg(&c);
	c.exits.zone_trail = 1;
	s = levels(&c, &p, 2);
	/* Half way to 104 is 102: 101.99 is not there. */
	exits_progress(&s, &c.exits, &p, 101.99, 0.25);
	ck_assert_double_eq(s.sl, 98);
	ck_assert_int_eq(s.be, 0);
	exits_progress(&s, &c.exits, &p, 102, 0.25);
	ck_assert_double_eq(s.sl, 100.25);
	ck_assert_int_eq(s.sl_why, WHY_TRAIL);
	ck_assert_int_eq(s.be, 1);
	s = levels(&c, &sh, 2);
	exits_progress(&s, &c.exits, &sh, 98.01, 0.25);
	ck_assert_double_eq(s.sl, 102);
	exits_progress(&s, &c.exits, &sh, 98, 0.25);
	ck_assert_double_eq(s.sl, 99.75);
	/* Off: nothing moves. */
	c.exits.zone_trail = 0;
	s = levels(&c, &p, 2);
	exits_progress(&s, &c.exits, &p, 103, 0.25);
	ck_assert_double_eq(s.sl, 98);
}
END_TEST

START_TEST(trail_after_half_r)
{
	struct position p = mkpos(1), sh = mkpos(-1);
	struct exit_state s;
	struct config c;

	atr_cfg(&c);
	c.exits.trail = 1;
	s = levels(&c, &p, 2);		/* R = 2 */
	exits_progress(&s, &c.exits, &p, 100.99, 0);
	ck_assert_double_eq(s.sl, 98);
	exits_progress(&s, &c.exits, &p, 101, 0);	/* +0.5R */
	ck_assert_double_eq(s.sl, 100);			/* 0.5R behind */
	ck_assert_int_eq(s.sl_why, WHY_TRAIL);
	exits_progress(&s, &c.exits, &p, 100.5, 0);	/* never back */
	ck_assert_double_eq(s.sl, 100);
	ck_assert_double_eq(s.peak, 101);
	exits_progress(&s, &c.exits, &p, 103, 0);
	ck_assert_double_eq(s.sl, 102);
	s = levels(&c, &sh, 2);
	exits_progress(&s, &c.exits, &sh, 99.01, 0);
	ck_assert_double_eq(s.sl, 102);
	exits_progress(&s, &c.exits, &sh, 99, 0);
	ck_assert_double_eq(s.sl, 100);
	/* Another distance and start. */
	c.exits.trail_after_r = 1;
	c.exits.trail_r = 0.25;
	s = levels(&c, &p, 2);
	exits_progress(&s, &c.exits, &p, 101.99, 0);
	ck_assert_double_eq(s.sl, 98);
	exits_progress(&s, &c.exits, &p, 102, 0);
	ck_assert_double_eq(s.sl, 101.5);
}
END_TEST

START_TEST(exhaustion_three_clear_candles)
{
	struct position p = mkpos(1), sh = mkpos(-1);
	struct exit_state s;
	struct bar g = mkbar(T0, 101, 102, 100.01, 101.5);
	struct bar touch = mkbar(T0, 101, 102, 100, 101.5);
	struct bar red = mkbar(T0, 101.5, 102, 100.01, 101);
	struct bar r2 = mkbar(T0, 99, 99.99, 98, 98.5);
	struct config c;

	atr_cfg(&c);
	s = levels(&c, &p, 2);
	/* Cloud 99.5..100: the green candles' lows above its top. */
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &g, 100, 99.5), 0);
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &g, 99.5, 100), 0);
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &g, 100, 99.5), 1);
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &g, 100, 99.5), 1);
	/* A low on the cloud's top touches it: start again. */
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &touch, 100, 99.5), 0);
	ck_assert_int_eq(s.run, 0);
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &g, 100, 99.5), 0);
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &g, 100, 99.5), 0);
	/* Another colour, or no cloud: start again. */
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &red, 100, 99.5), 0);
	ck_assert_int_eq(s.run, 0);
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &g, 100, 99.5), 0);
	ck_assert_int_eq(exits_exhausted(&s, 3, 1, &g, NAN, 99.5), 0);
	ck_assert_int_eq(s.run, 0);
	/* A short: red candles below the cloud, highs under its bottom. */
	s = levels(&c, &sh, 2);
	ck_assert_int_eq(exits_exhausted(&s, 2, -1, &r2, 100.5, 100), 0);
	ck_assert_int_eq(exits_exhausted(&s, 2, -1, &r2, 100.5, 100), 1);
	ck_assert_int_eq(exits_exhausted(&s, 2, -1, &r2, 100.5, 99.99), 0);
}
END_TEST

START_TEST(adverse_body_over_k_atr)
{
	struct bar down3 = mkbar(T0, 100, 100.5, 96.5, 97);
	struct bar down301 = mkbar(T0, 100, 100.5, 96.5, 96.99);
	struct bar up4 = mkbar(T0, 96, 100.5, 95.5, 100);

	/* Body 3 against 1.5 x ATR 2 = 3: not more than it. */
	ck_assert_int_eq(exits_adverse(1.5, 1, &down3, 2), 0);
	ck_assert_int_eq(exits_adverse(1.5, 1, &down301, 2), 1);
	ck_assert_int_eq(exits_adverse(1.5, -1, &down301, 2), 0);
	ck_assert_int_eq(exits_adverse(1.5, -1, &up4, 2), 1);
	ck_assert_int_eq(exits_adverse(1.5, 1, &up4, 2), 0);
	/* Off, or no ATR. */
	ck_assert_int_eq(exits_adverse(0, 1, &down301, 2), 0);
	ck_assert_int_eq(exits_adverse(1.5, 1, &down301, NAN), 0);
}
END_TEST

START_TEST(time_after_max_hold)
{
	ck_assert_int_eq(exits_timed_out(15, T0, T0 + 15 * MIN - 1), 0);
	ck_assert_int_eq(exits_timed_out(15, T0, T0 + 15 * MIN), 1);
	ck_assert_int_eq(exits_timed_out(0, T0, T0 + 1000 * MIN), 0);
}
END_TEST

START_TEST(flat_by_and_session_switches)
{
	struct config c;
	int fb;

	config_defaults(&c);
	fb = c.exits.flat_by;
	ck_assert_int_eq(exits_flat(&c.exits, 10, fb - 1, 10), 0);
	ck_assert_int_eq(exits_flat(&c.exits, 10, fb, 10), 1);
	ck_assert_int_eq(exits_flat(&c.exits, 11, 0, 10), 1);
	c.exits.flat_by_exit = 0;
	ck_assert_int_eq(exits_flat(&c.exits, 10, fb, 10), 0);
	ck_assert_int_eq(exits_flat(&c.exits, 11, 0, 10), 1);
	c.exits.session_exit = 0;
	ck_assert_int_eq(exits_flat(&c.exits, 11, fb + 1, 10), 0);
	c.exits.flat_by_exit = 1;
	ck_assert_int_eq(exits_flat(&c.exits, 11, 0, 10), 0);
}
END_TEST

START_TEST(bounce_off_the_cloud)
{
	struct bar b;

	/* Cloud 100..101; a long's first candle dips to its top. */
	b = mkbar(T0, 101.5, 102, 101, 101.01);
	ck_assert_int_eq(exits_bounce(1, &b, 101, 100), 1);
	b = mkbar(T0, 101.5, 102, 101.01, 101.2);	/* no test */
	ck_assert_int_eq(exits_bounce(1, &b, 101, 100), 0);
	b = mkbar(T0, 101.5, 102, 99, 101);		/* no bounce */
	ck_assert_int_eq(exits_bounce(1, &b, 101, 100), 0);
	b = mkbar(T0, 99.5, 100, 99, 99.99);		/* short: bottom */
	ck_assert_int_eq(exits_bounce(-1, &b, 101, 100), 1);
	b = mkbar(T0, 99.5, 99.99, 99, 99.5);
	ck_assert_int_eq(exits_bounce(-1, &b, 101, 100), 0);
	ck_assert_int_eq(exits_bounce(1, &b, NAN, 100), 0);
}
END_TEST

START_TEST(mark_at_the_side_that_pays)
{
	ck_assert_double_eq(exits_mark(1, 99.5, 100.5), 99.5);
	ck_assert_double_eq(exits_mark(-1, 99.5, 100.5), 100.5);
}
END_TEST

START_TEST(spread_exit_beyond_multiple)
{
	struct position p = mkpos(1);
	struct exit_state s;
	struct config c;

	atr_cfg(&c);
	s = levels(&c, &p, 2);
	s.spread0 = 0.25;
	/* Off by default. */
	ck_assert_int_eq(exits_spread(&s, &c.exits, &p, 100, 101), SPREAD_NONE);
	c.exits.spread_mult = 2;
	ck_assert_int_eq(exits_spread(&s, &c.exits, &p, 100, 100.5),
	    SPREAD_NONE);
	ck_assert_int_eq(exits_spread(&s, &c.exits, &p, 100,
	    nextafter(100.5, 101)), SPREAD_EXIT);
	/* No entry spread yet: nothing. */
	s.spread0 = NAN;
	ck_assert_int_eq(exits_spread(&s, &c.exits, &p, 100, 101), SPREAD_NONE);
}
END_TEST

START_TEST(spread_tighten_moves_in_not_past_mark)
{
	struct position p = mkpos(1), sh = mkpos(-1);
	struct exit_state s;
	struct config c;

	atr_cfg(&c);
	c.exits.spread_mult = 2;
	sk_strlcpy(c.exits.spread_action, "tighten",
	    sizeof(c.exits.spread_action));
	s = levels(&c, &p, 2);
	s.spread0 = 0.25;
	ck_assert_int_eq(exits_spread(&s, &c.exits, &p, 100, 100.5),
	    SPREAD_NONE);
	ck_assert_double_eq(s.wpend, 0);
	ck_assert_int_eq(exits_spread(&s, &c.exits, &p, 100, 100.75),
	    SPREAD_TIGHTEN);
	ck_assert_int_eq(exits_spread(&s, &c.exits, &p, 100, 100.625),
	    SPREAD_TIGHTEN);
	ck_assert_double_eq(s.wpend, 0.5);	/* the widest */
	ck_assert_double_eq(s.sl, 98);		/* until the close */
	ck_assert_int_eq(exits_tighten(&s, 1, 100), 1);
	ck_assert_double_eq(s.sl, 98.5);
	ck_assert_double_eq(s.tp, 103.5);
	ck_assert_int_eq(s.sl_why, WHY_SPREAD);
	ck_assert_int_eq(s.tp_why, WHY_SPREAD);
	/* Followed already: nothing more. */
	ck_assert_int_eq(exits_tighten(&s, 1, 100), 0);
	/* Never past the mark (a long's bid). */
	s = levels(&c, &p, 2);
	s.spread0 = 0.25;
	s.wpend = 3;
	ck_assert_int_eq(exits_tighten(&s, 1, 100.5), 1);
	ck_assert_double_eq(s.sl, 100.5);
	ck_assert_double_eq(s.tp, 101);
	s = levels(&c, &sh, 2);
	s.spread0 = 0.25;
	s.wpend = 0.5;
	ck_assert_int_eq(exits_tighten(&s, -1, 100), 1);
	ck_assert_double_eq(s.sl, 101.5);
	ck_assert_double_eq(s.tp, 96.5);
}
END_TEST

/* The stage, without a journal: what it writes, in order. */
struct out {
	int		 n;
	enum rec_type	 type[32];
	struct rec	 r[32];
};

static int
sink(void *arg, struct rec *r, struct sk_err *e)
{
	struct out *o = arg;

	(void)e;
	ck_assert_int_lt(o->n, 32);
	o->type[o->n] = r->type;
	o->r[o->n] = *r;
	o->n++;
	return 0;
}

struct h {
	struct config	 c;
	struct stage	*st;
	struct out	 out;
	struct emit	 em;
};

/*
 * The defaults with the ideal fill model, the reference strategy's:
 * fills at a bar's open and at touch, so that the prices below are
 * exact.
 */
static void
h_config(struct h *h)
{
	memset(h, 0, sizeof(*h));
	config_defaults(&h->c);
	sk_strlcpy(h->c.paper.model, "ideal", sizeof(h->c.paper.model));
}

static void
h_start(struct h *h)
{
	struct sk_err e;

	ck_assert_msg(exits_stage_new(&h->st, &h->c, NULL, &e) == 0, "%s",
	    e.msg);
	h->em.fn = sink;
	h->em.arg = &h->out;
}

static void
take(struct h *h, struct rec *r)
{
	struct sk_err e;

	ck_assert_msg(h->st->take(h->st->self, r, &h->em, &e) == 0, "%s",
	    e.msg);
}

/* A long of 100 SPY bought at the open of the bar at T0. */
static void
h_entry(struct h *h)
{
	struct rec r;
	struct order *o = &r.u.ord;

	rec_init(&r, REC_ORDER);
	o->ts = T0;
	sk_strlcpy(o->symbol, "SPY", sizeof(o->symbol));
	sk_strlcpy(o->intent_id, "e", sizeof(o->intent_id));
	sk_strlcpy(o->position_id, "e", sizeof(o->position_id));
	sk_strlcpy(o->side, "buy", sizeof(o->side));
	o->qty = 100;
	sk_strlcpy(o->order_type, "market", sizeof(o->order_type));
	sk_strlcpy(o->effect, "open", sizeof(o->effect));
	sk_strlcpy(o->strategy, "ema-cloud", sizeof(o->strategy));
	take(h, &r);
}

static void
h_bar(struct h *h, struct bar b, const char *k1, double v1,
    const char *k2, double v2)
{
	struct rec r;

	rec_init(&r, REC_BAR);
	r.u.bar = b;
	if (k1 != NULL)
		ind_set(&r.u.bar.ind, k1, v1);
	if (k2 != NULL)
		ind_set(&r.u.bar.ind, k2, v2);
	take(h, &r);
}

static void
h_quote(struct h *h, int64_t ts, double bid, double ask, double ofi,
    double accel)
{
	struct rec r;

	rec_init(&r, REC_QUOTE);
	r.u.quote.ts = ts;
	sk_strlcpy(r.u.quote.symbol, "SPY", sizeof(r.u.quote.symbol));
	r.u.quote.bid = bid;
	r.u.quote.ask = ask;
	if (!isnan(ofi))
		ind_set(&r.u.quote.ind, "ofi", ofi);
	if (!isnan(accel))
		ind_set(&r.u.quote.ind, "accel", accel);
	take(h, &r);
}

/* The last exit order written, or NULL. */
static const struct order *
last_exit(const struct h *h)
{
	int i;

	for (i = h->out.n - 1; i >= 0; i--)
		if (h->out.type[i] == REC_ORDER &&
		    strcmp(h->out.r[i].u.ord.effect, "close") == 0)
			return &h->out.r[i].u.ord;
	return NULL;
}

/*
 * A trailing stop follows the best bid, not the bar's high: the high of
 * 101.9 was a trade no bid matched.  Stop 98 (2 %), R 2: +0.5R is 101.
 */
START_TEST(stage_trail_marks_at_the_bid)
{
	const struct order *o;
	struct h h;

	h_config(&h);
	h.c.exits.trail = 1;
	h.c.exits.cloud_flip = 0;
	h_start(&h);
	h_entry(&h);
	h_quote(&h, T0 + 10 * SEC, 100.8, 100.9, NAN, NAN);
	h_quote(&h, T0 + 50 * SEC, 100.9, 101, NAN, NAN);
	h_bar(&h, mkbar(T0, 100, 101.9, 99.9, 100.5), NULL, 0, NULL, 0);
	ck_assert_ptr_null(last_exit(&h));
	/* Not +0.5R at the bid (100.9): the stop is still 98. */
	h_bar(&h, mkbar(T0 + MIN, 100.5, 100.6, 98.5, 99), NULL, 0, NULL, 0);
	ck_assert_ptr_null(last_exit(&h));
	/* With no quotes in it, a bar's high marks: 101 is +0.5R. */
	h_bar(&h, mkbar(T0 + 2 * MIN, 99, 101, 99, 100.5), NULL, 0, NULL, 0);
	h_bar(&h, mkbar(T0 + 3 * MIN, 100.5, 100.6, 100, 100.2), NULL, 0,
	    NULL, 0);
	o = last_exit(&h);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->reason, "trail");
	ck_assert_str_eq(o->order_type, "stop");
	ck_assert_double_eq(o->stop, 100);
	ck_assert_int_eq(o->ts, T0 + 3 * MIN);
	stage_free(h.st);
}
END_TEST

/*
 * tp_extend reads the flow of the last quote at or before the bar's
 * start: a quote inside the bar that reaches the target is too late.
 */
START_TEST(stage_extend_uses_flow_before_the_bar)
{
	const struct order *o;
	struct h h;

	h_config(&h);
	h.c.exits.tp_extend = 1;
	h.c.exits.zone_trail = 1;
	h.c.exits.cloud_flip = 0;
	h_start(&h);
	h_entry(&h);
	h_bar(&h, mkbar(T0, 100, 100.5, 99.9, 100.2), NULL, 0, NULL, 0);
	/* Inside the next bar: agrees, but after its start. */
	h_quote(&h, T0 + MIN + 30 * SEC, 101, 101.01, 50, 0.2);
	h_bar(&h, mkbar(T0 + MIN, 100.2, 102.5, 100.1, 102), NULL, 0, NULL,
	    0);
	o = last_exit(&h);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->reason, "target");
	stage_free(h.st);

	/* The same quote a bar earlier: the target moves on. */
	h_config(&h);
	h.c.exits.tp_extend = 1;
	h.c.exits.zone_trail = 1;
	h.c.exits.cloud_flip = 0;
	h_start(&h);
	h_entry(&h);
	h_quote(&h, T0 + 30 * SEC, 100.3, 100.31, 50, 0.2);
	h_bar(&h, mkbar(T0, 100, 100.5, 99.9, 100.2), NULL, 0, NULL, 0);
	h_bar(&h, mkbar(T0 + MIN, 100.2, 102.5, 100.1, 102), NULL, 0, NULL,
	    0);
	ck_assert_ptr_null(last_exit(&h));
	/* Now 103 (102 + 1) is the target, and 101 locks half of 2. */
	h_bar(&h, mkbar(T0 + 2 * MIN, 102, 102.9, 101.1, 102.5), NULL, 0,
	    NULL, 0);
	ck_assert_ptr_null(last_exit(&h));
	h_bar(&h, mkbar(T0 + 3 * MIN, 102.5, 102.6, 101, 101.5), NULL, 0,
	    NULL, 0);
	o = last_exit(&h);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->reason, "trail");
	ck_assert_double_eq(o->stop, 101);
	stage_free(h.st);
}
END_TEST

/* A spread exit goes out on the quote, to fill at the next bar. */
START_TEST(stage_spread_exit_on_the_quote)
{
	const struct order *o;
	struct h h;

	h_config(&h);
	h.c.exits.spread_mult = 3;
	h.c.exits.cloud_flip = 0;
	h_start(&h);
	h_quote(&h, T0 - 5 * SEC, 99.75, 100.25, NAN, NAN);
	h_bar(&h, mkbar(T0 - MIN, 100, 100, 100, 100), NULL, 0, NULL, 0);
	h_entry(&h);
	h_bar(&h, mkbar(T0, 100, 100.1, 99.9, 100), NULL, 0, NULL, 0);
	h_quote(&h, T0 + MIN + 10 * SEC, 99.25, 100.75, NAN, NAN);
	ck_assert_ptr_null(last_exit(&h));	/* 1.5: 3 x 0.5 */
	h_quote(&h, T0 + MIN + 20 * SEC, 99.25, 100.875, NAN, NAN);
	o = last_exit(&h);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(o->reason, "spread");
	ck_assert_str_eq(o->order_type, "market");
	ck_assert_int_eq(o->ts, T0 + MIN + 20 * SEC);
	ck_assert_str_eq(o->intent_id, "e/spread");
	stage_free(h.st);
}
END_TEST

/* The add-on half: a signal, its id from the position's, no order. */
START_TEST(stage_add_on_signal)
{
	const struct signal *s;
	struct h h;
	int i, nsig = 0;

	h_config(&h);
	h.c.exits.add_on = 1;
	h.c.exits.cloud_flip = 0;
	h_start(&h);
	h_entry(&h);
	h_bar(&h, mkbar(T0, 100.2, 100.5, 99.9, 100.3), "ema5", 100,
	    "ema12", 99.5);
	h_bar(&h, mkbar(T0 + MIN, 100.3, 100.5, 99.9, 100.3), "ema5", 100,
	    "ema12", 99.5);
	ck_assert_ptr_null(last_exit(&h));
	for (i = 0; i < h.out.n; i++) {
		if (h.out.type[i] != REC_SIGNAL)
			continue;
		nsig++;
		s = &h.out.r[i].u.sig;
		ck_assert_str_eq(s->id, "e/add-on");
		ck_assert_str_eq(s->side, "long");
		ck_assert_str_eq(s->strategy, "ema-cloud");
		ck_assert_str_eq(s->reasons[0], "add-on");
		ck_assert_int_eq(s->ts, T0 + MIN);
		ck_assert_double_eq(s->price, 100.3);
	}
	ck_assert_int_eq(nsig, 1);	/* the first candle only */
	ck_assert_int_eq(stage_acted(h.st), 1);
	stage_free(h.st);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("exits");
	TCase *tc = tcase_create("rules");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, levels_pct_and_atr);
	tcase_add_loop_test(tc, inside_boundaries, 0,
	    (int)(sizeof(hits) / sizeof(hits[0])));
	tcase_add_test(tc, flow_agrees_both_ways);
	tcase_add_test(tc, extend_moves_target_and_locks);
	tcase_add_test(tc, zone_breakeven_at_half_way);
	tcase_add_test(tc, trail_after_half_r);
	tcase_add_test(tc, exhaustion_three_clear_candles);
	tcase_add_test(tc, adverse_body_over_k_atr);
	tcase_add_test(tc, time_after_max_hold);
	tcase_add_test(tc, flat_by_and_session_switches);
	tcase_add_test(tc, bounce_off_the_cloud);
	tcase_add_test(tc, mark_at_the_side_that_pays);
	tcase_add_test(tc, spread_exit_beyond_multiple);
	tcase_add_test(tc, spread_tighten_moves_in_not_past_mark);
	tcase_add_test(tc, stage_trail_marks_at_the_bid);
	tcase_add_test(tc, stage_extend_uses_flow_before_the_bar);
	tcase_add_test(tc, stage_spread_exit_on_the_quote);
	tcase_add_test(tc, stage_add_on_signal);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
