/*
 * test_pick.c: pick-contract (lib/pick.c): the score, and each filter
 * of the strike selection just inside and just outside its limit.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "pick.h"
#include "rec.h"
#include "stage.h"

#ifndef SK_SRCDIR
#define SK_SRCDIR "."
#endif

/* What the stage wrote for the last signal. */
struct out {
	char		 symbol[REC_SYM];
	char		 gate[REC_WORD];
	int		 nsig, nrej, nquote;
	int		 nlost;
};

static int
sink(void *arg, struct rec *r, struct sk_err *e)
{
	struct out *o = arg;

	(void)e;
	if (r->type == REC_SIGNAL) {
		o->nsig++;
		sk_strlcpy(o->symbol, r->u.sig.symbol, sizeof(o->symbol));
	} else if (r->type == REC_REJECT) {
		o->nrej++;
		sk_strlcpy(o->gate, r->u.rej.gate, sizeof(o->gate));
	} else if (r->type == REC_QUOTE)
		o->nquote++;
	return 0;
}

static void
lost(void *arg, const char *msg)
{
	struct out *o = arg;

	(void)msg;
	o->nlost++;
}

static int64_t
T(const char *s)
{
	int64_t ms;

	ck_assert_int_eq(clock_parse(s, strlen(s), &ms), 0);
	return ms;
}

/*
 * A stage in options mode over c, fed one call on SPY expiring that
 * day with the given delta, bid/ask, oi and volume, then a long signal
 * at 10:15 New York on 2025-02-07.  What it wrote goes into *o.
 */
/* The underlying's IV rank on a bar before the chain, NAN for none. */
static double ivrank = NAN;
/* The contract's expiry: 0 for the day of the signal, 1 for Monday. */
static int later;
static double theta = -1, gamma_ = 0.05;

static void
run(struct config *c, double delta, double bid, double ask, double oi,
    double vol, struct out *o)
{
	struct pick_opts po = { lost, o };
	struct stage *st;
	struct emit em = { sink, o };
	struct sk_err e;
	struct rec r;
	struct contract *k = &r.u.option;

	memset(o, 0, sizeof(*o));
	sk_strlcpy(c->instrument.mode, "options", sizeof(c->instrument.mode));
	ck_assert_msg(pick_stage_new(&st, c, NULL, &po, &e) == 0, "%s",
	    e.msg);
	rec_init(&r, REC_BAR);
	sk_strlcpy(r.u.bar.symbol, "SPY", sizeof(r.u.bar.symbol));
	r.u.bar.ts = T("2025-02-07T15:14:00Z");
	r.u.bar.o = r.u.bar.h = r.u.bar.l = r.u.bar.c = 600;
	r.u.bar.v = 1000;
	if (!isnan(ivrank))
		ind_set(&r.u.bar.ind, "iv_rank", ivrank);
	ck_assert_int_eq(st->take(st->self, &r, &em, &e), 0);
	rec_init(&r, REC_OPTION);
	k->ts = T("2025-02-07T15:14:00Z");
	sk_strlcpy(k->symbol, later ? "SPY250210C00602000" :
	    "SPY250207C00602000", sizeof(k->symbol));
	sk_strlcpy(k->underlying, "SPY", sizeof(k->underlying));
	sk_strlcpy(k->expiry, later ? "2025-02-10" : "2025-02-07",
	    sizeof(k->expiry));
	k->strike = 602;
	sk_strlcpy(k->right, "call", sizeof(k->right));
	k->bid = bid;
	k->ask = ask;
	k->oi = oi;
	k->volume = vol;
	k->delta = delta;
	k->gamma = gamma_;
	k->theta = theta;
	ck_assert_int_eq(st->take(st->self, &r, &em, &e), 0);
	rec_init(&r, REC_SIGNAL);
	r.u.sig.ts = T("2025-02-07T15:15:00Z");
	r.u.sig.bar_ts = r.u.sig.ts - CLOCK_MIN;
	sk_strlcpy(r.u.sig.symbol, "SPY", sizeof(r.u.sig.symbol));
	sk_strlcpy(r.u.sig.id, "t/1", sizeof(r.u.sig.id));
	sk_strlcpy(r.u.sig.strategy, "t", sizeof(r.u.sig.strategy));
	sk_strlcpy(r.u.sig.side, "long", sizeof(r.u.sig.side));
	r.u.sig.price = 600;
	r.u.sig.score = r.u.sig.prob = NAN;
	ck_assert_int_eq(st->take(st->self, &r, &em, &e), 0);
	stage_free(st);
}

static void
conf(struct config *c)
{
	config_defaults(c);
	c->instrument.max_spread_pct = 10;
	c->instrument.min_oi = 500;
	c->instrument.min_volume = 500;
}

START_TEST(score_weights)
{
	struct config c;
	const struct cfg_instrument *k = &c.instrument;

	config_defaults(&c);	/* band 0.3..0.5, target 0.4, spread 10 */
	ck_assert_double_eq_tol(pick_score(k, 0.4, 0, 10000), 1.75, 1e-12);
	ck_assert_double_eq_tol(pick_score(k, -0.4, 0, 10000), 1.75, 1e-12);
	ck_assert_double_eq_tol(pick_score(k, 0.5, 0, 1), 0.5, 1e-12);
	ck_assert_double_eq_tol(pick_score(k, 0.45, 5, 100), 0.5 + 0.25 +
	    0.125, 1e-12);
	ck_assert_double_eq_tol(pick_score(k, 0.4, 10, 1e9), 1.25, 1e-12);
}
END_TEST

START_TEST(delta_band_edges)
{
	struct config c;
	struct out o;

	conf(&c);
	run(&c, 0.5, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nsig, 1);
	ck_assert_str_eq(o.symbol, "SPY250207C00602000");
	ck_assert_int_eq(o.nquote, 1);
	run(&c, 0.5001, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nrej, 1);
	ck_assert_str_eq(o.gate, "no_contract");
	ck_assert_int_eq(o.nlost, 1);
	run(&c, 0.3, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nsig, 1);
	run(&c, 0.2999, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nrej, 1);
}
END_TEST

START_TEST(spread_oi_volume_price)
{
	struct config c;
	struct out o;

	conf(&c);
	/* 0.5 on a mid of 1: 50 %, at the limit (exact in binary). */
	c.instrument.max_spread_pct = 50;
	run(&c, 0.4, 0.75, 1.25, 500, 500, &o);
	ck_assert_int_eq(o.nsig, 1);
	run(&c, 0.4, 0.75, 1.2500001, 500, 500, &o);
	ck_assert_int_eq(o.nrej, 1);
	c.instrument.max_spread_pct = 10;
	run(&c, 0.4, 1, 1.05, 499, 500, &o);
	ck_assert_int_eq(o.nrej, 1);
	run(&c, 0.4, 1, 1.05, 500, 499, &o);
	ck_assert_int_eq(o.nrej, 1);
	c.instrument.price_min = 1.05;
	c.instrument.price_max = 1.05;
	run(&c, 0.4, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nsig, 1);
	c.instrument.price_max = 1.04;
	run(&c, 0.4, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nrej, 1);
	c.instrument.price_max = 0;
	c.instrument.price_min = 1.06;
	run(&c, 0.4, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nrej, 1);
}
END_TEST

/* Past the 0DTE cutoff, today's contract is not wanted. */
START_TEST(cutoff_moves_the_expiry)
{
	struct config c;
	struct out o;

	conf(&c);
	c.risk.cutoff_0dte = 10 * 60 + 14;	/* the signal bar: 10:14 */
	run(&c, 0.4, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nrej, 1);
	ck_assert_str_eq(o.gate, "no_contract");
	c.risk.cutoff_0dte = 10 * 60 + 15;
	run(&c, 0.4, 1, 1.05, 500, 500, &o);
	ck_assert_int_eq(o.nsig, 1);
}
END_TEST

/*
 * The greeks gate, after 0DTE: IV rank under iv_rank_max, daily theta
 * under theta_burn_pct of the premium (the ask), gamma under gamma_max;
 * none of it for 0DTE.
 */
START_TEST(greeks_gate_boundaries)
{
	struct config c;
	struct out o;

	conf(&c);
	c.instrument.theta_burn_pct = 5;
	c.instrument.gamma_max = 0.05;
	later = 1;
	theta = -0.04;		/* 4 % of an ask of 1 */
	ivrank = 79.99;
	run(&c, 0.4, 0.96, 1, 500, 500, &o);
	ck_assert_int_eq(o.nsig, 1);
	ivrank = 80;
	run(&c, 0.4, 0.96, 1, 500, 500, &o);
	ck_assert_str_eq(o.gate, "greeks");
	ivrank = NAN;
	run(&c, 0.4, 0.96, 1, 500, 500, &o);
	ck_assert_str_eq(o.gate, "greeks");
	ivrank = 50;
	theta = -0.05;		/* 5 %: not under */
	run(&c, 0.4, 0.96, 1, 500, 500, &o);
	ck_assert_str_eq(o.gate, "greeks");
	theta = -0.0499;
	run(&c, 0.4, 0.96, 1, 500, 500, &o);
	ck_assert_int_eq(o.nsig, 1);
	gamma_ = 0.0501;
	run(&c, 0.4, 0.96, 1, 500, 500, &o);
	ck_assert_str_eq(o.gate, "greeks");
	/* 0DTE: none of it applies. */
	later = 0;
	theta = -0.5;
	ivrank = NAN;
	run(&c, 0.4, 0.96, 1, 500, 500, &o);
	ck_assert_int_eq(o.nsig, 1);
	gamma_ = 0.05;
	theta = -1;
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pick");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, score_weights);
	tcase_add_test(tc, delta_band_edges);
	tcase_add_test(tc, spread_oi_volume_price);
	tcase_add_test(tc, cutoff_moves_the_expiry);
	tcase_add_test(tc, greeks_gate_boundaries);
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
