/*
 * test_quality.c: the quality gates, fee protection, the EV guard and
 * balance tiers (lib/quality.c), each just inside its limit and just
 * outside.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "config.h"
#include "quality.h"

#define SEC	1000LL

/* A view of SPY: quote 99.95/100.05 at t0, bar closing at 100. */
static struct mview
view(void)
{
	struct mviews m;
	struct mview v;

	memset(&m, 0, sizeof(m));
	v = *mview_get(&m, "SPY");
	mviews_release(&m);
	v.quote_ts = 1000 * SEC;
	v.bid = 99.95;
	v.ask = 100.05;
	v.bar_ts = 940 * SEC;
	v.close = 100;
	v.volume = 5000;
	v.atr = 0.5;
	v.sess_high = 101;
	v.sess_low = 99;
	v.iv_pct = 50;
	v.oi = 800;
	return v;
}

static struct quality
none(void)
{
	struct quality q;

	memset(&q, 0, sizeof(q));
	q.iv_max = 100;
	return q;
}

static void
assert_gate(int refused, const struct reject *r, const char *gate,
    double threshold, double observed)
{
	ck_assert_int_eq(refused, 1);
	ck_assert_str_eq(r->gate, gate);
	if (isnan(threshold))
		ck_assert(isnan(r->threshold));
	else
		ck_assert_double_eq_tol(r->threshold, threshold, 1e-9);
	if (isnan(observed))
		ck_assert(isnan(r->observed));
	else
		ck_assert_double_eq_tol(r->observed, observed, 1e-9);
}

START_TEST(all_off_passes_anything)
{
	struct quality q = none();
	struct reject r;

	ck_assert_int_eq(quality_check(&q, NULL, 0, &r), 0);
}
END_TEST

START_TEST(spread_absolute)
{
	struct quality q = none();
	struct mview v = view();
	struct reject r;

	/* Exactly at the limit passes. */
	q.max_spread = v.ask - v.bid;
	ck_assert_int_eq(quality_check(&q, &v, 1000 * SEC, &r), 0);
	q.max_spread = 0.11;
	ck_assert_int_eq(quality_check(&q, &v, 1000 * SEC, &r), 0);
	q.max_spread = 0.09;
	assert_gate(quality_check(&q, &v, 1000 * SEC, &r), &r, "spread",
	    0.09, v.ask - v.bid);
}
END_TEST

START_TEST(spread_pct_of_mid)
{
	struct quality q = none();
	struct mview v = view();
	struct reject r;

	/* 0.10 on a mid of 100: 0.1 % */
	q.max_spread_pct = 0.1001;
	ck_assert_int_eq(quality_check(&q, &v, 1000 * SEC, &r), 0);
	q.max_spread_pct = 0.0999;
	assert_gate(quality_check(&q, &v, 1000 * SEC, &r), &r, "spread",
	    0.0999, (v.ask - v.bid) / 100 * 100);
	/* A crossed or empty book has no usable mid. */
	v.bid = v.ask = 0;
	assert_gate(quality_check(&q, &v, 1000 * SEC, &r), &r, "spread",
	    0.0999, NAN);
}
END_TEST

START_TEST(no_quote_refuses)
{
	struct quality q = none();
	struct mview v = view();
	struct reject r;

	q.max_spread = 1;
	assert_gate(quality_check(&q, NULL, 0, &r), &r, "quote", NAN, NAN);
	v.quote_ts = TS_UNSET;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "quote", NAN, NAN);
	v = view();
	v.ask = NAN;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "quote", NAN, NAN);
}
END_TEST

START_TEST(quote_age)
{
	struct quality q = none();
	struct mview v = view();
	struct reject r;

	q.quote_max_age = 5 * SEC;
	ck_assert_int_eq(quality_check(&q, &v, 1005 * SEC, &r), 0);
	assert_gate(quality_check(&q, &v, 1005 * SEC + 1, &r), &r,
	    "quote_age", 5, 5.001);
	assert_gate(quality_check(&q, NULL, 0, &r), &r, "quote_age", NAN,
	    NAN);
}
END_TEST

START_TEST(liquidity)
{
	struct quality q = none();
	struct mview v = view();
	struct reject r;

	q.min_volume = 5000;
	ck_assert_int_eq(quality_check(&q, &v, 0, &r), 0);
	q.min_volume = 5000.5;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "liquidity", 5000.5,
	    5000);
	q = none();
	q.min_oi = 800;
	ck_assert_int_eq(quality_check(&q, &v, 0, &r), 0);
	q.min_oi = 801;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "liquidity", 801, 800);
	v.oi = NAN;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "liquidity", 801, NAN);
}
END_TEST

START_TEST(iv_percentile_window)
{
	struct quality q = none();
	struct mview v = view();
	struct reject r;

	q.iv_min = 20;
	q.iv_max = 95;
	v.iv_pct = 20;
	ck_assert_int_eq(quality_check(&q, &v, 0, &r), 0);
	v.iv_pct = 95;
	ck_assert_int_eq(quality_check(&q, &v, 0, &r), 0);
	v.iv_pct = 19.99;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "iv_percentile", 20,
	    19.99);
	v.iv_pct = 95.01;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "iv_percentile", 95,
	    95.01);
	v.iv_pct = NAN;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "iv_percentile", 20,
	    NAN);
}
END_TEST

START_TEST(atr_and_range)
{
	struct quality q = none();
	struct mview v = view();
	struct reject r;

	q.min_atr_pct = 0.5;		/* ATR 0.5 on 100 */
	ck_assert_int_eq(quality_check(&q, &v, 0, &r), 0);
	q.min_atr_pct = 0.51;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "atr", 0.51, 0.5);
	v.atr = NAN;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "atr", 0.51, NAN);
	q = none();
	v = view();
	q.min_range_pct = 2;		/* 101 - 99 on 100 */
	ck_assert_int_eq(quality_check(&q, &v, 0, &r), 0);
	q.min_range_pct = 2.01;
	assert_gate(quality_check(&q, &v, 0, &r), &r, "range", 2.01, 2);
}
END_TEST

START_TEST(limits_soften_and_asia)
{
	struct config c;
	struct quality q;

	config_defaults(&c);
	c.risk.max_spread = 0.1;
	c.risk.max_spread_pct = 0.2;
	c.risk.quote_max_age = 4;
	c.risk.min_volume = 1000;
	c.risk.min_open_interest = 500;
	c.risk.min_atr_pct = 0.3;
	c.risk.min_range_pct = 1;
	c.risk.asia_spread_mult = 1.5;
	quality_limits(&q, &c.risk, 2, 0);
	ck_assert_double_eq_tol(q.max_spread, 0.2, 1e-12);
	ck_assert_double_eq_tol(q.max_spread_pct, 0.4, 1e-12);
	ck_assert_int_eq(q.quote_max_age, 8 * SEC);
	ck_assert_double_eq_tol(q.min_volume, 500, 1e-12);
	ck_assert_double_eq_tol(q.min_oi, 250, 1e-12);
	ck_assert_double_eq_tol(q.min_atr_pct, 0.15, 1e-12);
	ck_assert_double_eq_tol(q.min_range_pct, 0.5, 1e-12);
	quality_limits(&q, &c.risk, 1, 1);
	ck_assert_double_eq_tol(q.max_spread, 0.15, 1e-12);
	ck_assert_double_eq_tol(q.max_spread_pct, 0.3, 1e-12);
	ck_assert_int_eq(q.quote_max_age, 4 * SEC);
}
END_TEST

START_TEST(fee_protection)
{
	struct reject r;

	ck_assert_int_eq(fee_check(0, 0, 100, &r), 0);	/* off */
	ck_assert_int_eq(fee_check(2.5, 0, 0, &r), 0);	/* no fees */
	ck_assert_int_eq(fee_check(2.5, 25, 10, &r), 0);
	assert_gate(fee_check(2.5, 24.99, 10, &r), &r, "fee_protection", 25,
	    24.99);
	ck_assert_int_eq(fee_check(1, 10, 10, &r), 0);
	assert_gate(fee_check(1, 9.99, 10, &r), &r, "fee_protection", 10,
	    9.99);
}
END_TEST

START_TEST(ev_guard)
{
	struct reject r;

	/* 0.5 * 20 - 0.5 * 10 - 5 = 0 */
	ck_assert_int_eq(ev_check(0, 0.5, 20, 10, 5, &r), 0);
	assert_gate(ev_check(0, 0.5, 20, 10, 5.01, &r), &r, "ev", 0, -0.01);
	assert_gate(ev_check(1, 0.5, 20, 10, 4.5, &r), &r, "ev", 1, 0.5);
	assert_gate(ev_check(0, NAN, 20, 10, 0, &r), &r, "ev", 0, NAN);
	assert_gate(ev_check(0, 1.01, 20, 10, 0, &r), &r, "ev", 0, NAN);
	/* ev_min may be negative: a loss accepted up to it */
	ck_assert_int_eq(ev_check(-3, 0.4, 10, 10, 1, &r), 0);
	assert_gate(ev_check(-3, 0.4, 10, 10, 1.01, &r), &r, "ev", -3,
	    -3.01);
}
END_TEST

START_TEST(tiers)
{
	struct cfg_tiers b = { 2, { 100, 1000 } };
	struct cfg_tiers none_ = { 0, { 0 } };
	struct cfg_tiers k = { 3, { 1, 2.5, 2.5 } };
	struct cfg_tiers short_ = { 2, { 7, 8 } };

	ck_assert_int_eq(tier_of(&b, 99.99), 0);
	ck_assert_int_eq(tier_of(&b, 100), 1);
	ck_assert_int_eq(tier_of(&b, 999.99), 1);
	ck_assert_int_eq(tier_of(&b, 1000), 2);
	ck_assert_int_eq(tier_of(&none_, 1e9), 0);
	ck_assert_double_eq(tier_value(&none_, 2, 42), 42);
	ck_assert_double_eq(tier_value(&k, 0, 42), 1);
	ck_assert_double_eq(tier_value(&k, 1, 42), 2.5);
	ck_assert_double_eq(tier_value(&short_, 2, 42), 8);
}
END_TEST

START_TEST(views_keep_what_records_carry)
{
	struct mviews m;
	struct rec r;
	const struct mview *v;

	memset(&m, 0, sizeof(m));
	rec_init(&r, REC_QUOTE);
	sk_strlcpy(r.u.quote.symbol, "SPY", sizeof(r.u.quote.symbol));
	r.u.quote.ts = 5;
	r.u.quote.bid = 1;
	r.u.quote.ask = 2;
	ind_set(&r.u.quote.ind, "oi", 700);
	mview_quote(&m, &r.u.quote);
	rec_init(&r, REC_BAR);
	sk_strlcpy(r.u.bar.symbol, "SPY", sizeof(r.u.bar.symbol));
	r.u.bar.ts = 0;
	r.u.bar.c = 3;
	r.u.bar.v = 10;
	ind_set(&r.u.bar.ind, "atr", 0.25);
	mview_bar(&m, &r.u.bar, 1);
	v = mview_find(&m, "SPY");
	ck_assert_ptr_nonnull(v);
	ck_assert_double_eq(v->oi, 700);	/* the bar had none */
	ck_assert_double_eq(v->atr, 0.25);
	ck_assert_double_eq(v->close, 3);
	ck_assert_double_eq(v->bid, 1);
	/* A newer bar without atr: the old one is not kept. */
	rec_init(&r, REC_BAR);
	sk_strlcpy(r.u.bar.symbol, "SPY", sizeof(r.u.bar.symbol));
	mview_bar(&m, &r.u.bar, 1);
	v = mview_find(&m, "SPY");
	ck_assert(isnan(v->atr));
	ck_assert_ptr_null(mview_find(&m, "QQQ"));
	mviews_release(&m);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("quality");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, all_off_passes_anything);
	tcase_add_test(tc, spread_absolute);
	tcase_add_test(tc, spread_pct_of_mid);
	tcase_add_test(tc, no_quote_refuses);
	tcase_add_test(tc, quote_age);
	tcase_add_test(tc, liquidity);
	tcase_add_test(tc, iv_percentile_window);
	tcase_add_test(tc, atr_and_range);
	tcase_add_test(tc, limits_soften_and_asia);
	tcase_add_test(tc, fee_protection);
	tcase_add_test(tc, ev_guard);
	tcase_add_test(tc, tiers);
	tcase_add_test(tc, views_keep_what_records_carry);
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
