/*
 * test_pricemodel.c: the price model (lib/pricemodel.c): the strip of
 * strikes, Black-Scholes prices and quotes of the modelled chain, the
 * contracts' bars, and the leveraged funds' daily-reset prices.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs.h"
#include "clock.h"
#include "config.h"
#include "pricemodel.h"
#include "rec.h"
#include "stage.h"

#ifndef SK_SRCDIR
#define SK_SRCDIR "."
#endif

#define MAXOUT	256

struct got {
	struct rec	 r[MAXOUT];
	int		 n;
};

static int
keep(void *arg, struct rec *r, struct sk_err *e)
{
	struct got *g = arg;

	(void)e;
	ck_assert_int_lt(g->n, MAXOUT);
	g->r[g->n] = *r;
	g->r[g->n].raw = NULL;
	g->r[g->n].json = NULL;
	g->n++;
	return 0;
}

static int64_t
T(const char *s)
{
	int64_t ms;

	ck_assert_int_eq(clock_parse(s, strlen(s), &ms), 0);
	return ms;
}

static void
bar_sym(struct stage *st, struct got *g, const char *sym, const char *ts,
    double o, double h, double l, double c)
{
	struct emit em = { keep, g };
	struct sk_err e;
	struct rec r;

	rec_init(&r, REC_BAR);
	sk_strlcpy(r.u.bar.symbol, sym, sizeof(r.u.bar.symbol));
	r.u.bar.ts = T(ts);
	r.u.bar.o = o;
	r.u.bar.h = h;
	r.u.bar.l = l;
	r.u.bar.c = c;
	r.u.bar.v = 10000;
	ck_assert_msg(st->take(st->self, &r, &em, &e) == 0, "%s", e.msg);
}

static void
bar(struct stage *st, struct got *g, const char *ts, double o, double h,
    double l, double c)
{
	bar_sym(st, g, "SPY", ts, o, h, l, c);
}

static void
bar_of(struct stage *st, struct got *g, const char *sym, const char *ts,
    double px)
{
	bar_sym(st, g, sym, ts, px, px, px, px);
}

static const struct rec *
find(const struct got *g, enum rec_type t, const char *symbol)
{
	int i;

	for (i = 0; i < g->n; i++)
		if (g->r[i].type == t && strcmp(t == REC_OPTION ?
		    g->r[i].u.option.symbol : t == REC_QUOTE ?
		    g->r[i].u.quote.symbol : g->r[i].u.bar.symbol,
		    symbol) == 0)
			return &g->r[i];
	return NULL;
}

START_TEST(options_strip_and_prices)
{
	static struct got g;
	struct config c;
	struct stage *st;
	struct sk_err e;
	const struct rec *op, *b;
	struct bs_in in;
	double px;
	int nopt = 0, i;

	config_defaults(&c);
	sk_strlcpy(c.instrument.mode, "options", sizeof(c.instrument.mode));
	c.instrument.model_strikes = 2;
	c.instrument.model_strike_step = 1;
	ck_assert_msg(pricemodel_stage_new(&st, &c, &e) == 0, "%s", e.msg);
	memset(&g, 0, sizeof(g));
	/* Tuesday 2011-01-04 10:00 New York: strip around 127. */
	bar(st, &g, "2011-01-04T15:00:00Z", 126.9, 127.2, 126.8, 127.1);
	ck_assert_int_eq(g.r[0].type, REC_BAR);	/* the bar goes first */
	for (i = 0; i < g.n; i++)
		nopt += g.r[i].type == REC_OPTION;
	/* 5 strikes x 2 rights x 2 expiries (today, Wednesday) */
	ck_assert_int_eq(nopt, 20);
	op = find(&g, REC_OPTION, "SPY110104C00127000");
	ck_assert_ptr_nonnull(op);
	ck_assert(find(&g, REC_OPTION, "SPY110105P00125000") != NULL);
	ck_assert(find(&g, REC_OPTION, "SPY110104C00130000") == NULL);
	ck_assert_str_eq(op->u.option.source, "model");
	/* Priced independently: close 127.1 at 10:01, 359 min left. */
	memset(&in, 0, sizeof(in));
	in.right = 'C';
	in.s = 127.1;
	in.k = 127;
	in.t = 359.0 / (365 * 24 * 60);
	in.r = c.instrument.rate;
	in.sigma = c.instrument.model_iv;
	px = bs_price(&in);
	ck_assert_double_eq_tol(op->u.option.last, round(px * 100) / 100,
	    1e-9);
	ck_assert(op->u.option.bid < op->u.option.ask);
	ck_assert(op->u.option.bid <= px && px <= op->u.option.ask);
	ck_assert(op->u.option.delta > 0.5 && op->u.option.delta < 0.7);
	/* Its bar: the high from the underlying's high, flagged. */
	b = find(&g, REC_BAR, "SPY110104C00127000");
	ck_assert_ptr_nonnull(b);
	ck_assert(b->u.bar.h >= b->u.bar.o && b->u.bar.h >= b->u.bar.c);
	ck_assert(b->u.bar.l <= b->u.bar.o && b->u.bar.l <= b->u.bar.c);
	ck_assert_double_eq(ind_get(&b->u.bar.ind, "modelled"), 1);
	ck_assert_double_eq(b->u.bar.v, 100);
	/* A put's high comes from the underlying's low. */
	b = find(&g, REC_BAR, "SPY110104P00127000");
	in.right = 'P';
	in.s = 126.8;
	in.t = 360.0 / (365 * 24 * 60);
	ck_assert_double_eq_tol(b->u.bar.h, round(bs_price(&in) * 100) / 100,
	    1e-9);
	stage_free(st);
	/* A symbol that cannot be an OCC root has no options to model. */
	ck_assert_msg(pricemodel_stage_new(&st, &c, &e) == 0, "%s", e.msg);
	memset(&g, 0, sizeof(g));
	bar_of(st, &g, "BTCUSDT", "2011-01-04T15:00:00Z", 30000);
	ck_assert_int_eq(g.n, 1);
	stage_free(st);
}
END_TEST

START_TEST(funds_reset_daily)
{
	static struct got g;
	struct config c;
	struct stage *st;
	struct sk_err e;
	const struct rec *b, *q;
	char conf[512];

	config_defaults(&c);
	snprintf(conf, sizeof(conf), "%s/etc/scalpkit.conf", SK_SRCDIR);
	sk_strlcpy(c.file, conf, sizeof(c.file));
	sk_strlcpy(c.instrument.mode, "etf", sizeof(c.instrument.mode));
	ck_assert_msg(pricemodel_stage_new(&st, &c, &e) == 0, "%s", e.msg);
	memset(&g, 0, sizeof(g));
	bar(st, &g, "2011-01-04T15:00:00Z", 100, 100, 100, 100);
	g.n = 0;
	/* +1 % since the open: SPXL +3 %, SPXS -3 %. */
	bar(st, &g, "2011-01-04T15:01:00Z", 101, 101, 101, 101);
	b = find(&g, REC_BAR, "SPXL");
	ck_assert_ptr_nonnull(b);
	ck_assert_double_eq_tol(b->u.bar.c, 103, 1e-9);
	b = find(&g, REC_BAR, "SPXS");
	ck_assert_ptr_nonnull(b);
	ck_assert_double_eq_tol(b->u.bar.c, 97, 1e-9);
	q = find(&g, REC_QUOTE, "SPXL");
	ck_assert_ptr_nonnull(q);
	ck_assert(q->u.quote.bid < 103 && q->u.quote.ask > 103);
	ck_assert_double_eq(ind_get(&q->u.quote.ind, "adv"), 1e9);
	/* A new session starts from its own open. */
	g.n = 0;
	bar(st, &g, "2011-01-05T15:00:00Z", 101, 101, 101, 101);
	b = find(&g, REC_BAR, "SPXL");
	ck_assert_double_eq_tol(b->u.bar.c, 100, 1e-9);
	stage_free(st);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pricemodel");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, options_strip_and_prices);
	tcase_add_test(tc, funds_reset_daily);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
