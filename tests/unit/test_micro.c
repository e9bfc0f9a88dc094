/*
 * test_micro.c: lib/micro.c against hand-computed values: OFI events at
 * every equality boundary, spread windows, funding and velocity at the
 * boundary instant, spikes at the threshold, acceleration, save/load.
 */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "micro.h"

#define HOUR	3600000LL
#define T0	1704067200000LL		/* 2024-01-01T00:00:00Z */

/* The same % change as micro.c: the order of operations is the spec. */
static double
pct(double x, double ref)
{
	return ((x - ref) * 100.0) / ref;
}

/* Equal as doubles, NAN equal to NAN. */
static int
same(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0 || (isnan(a) && isnan(b));
}

/*
 * OFI: one event from the quote before (bid 100 x 10, ask 101 x 20) to
 * the one in the table; b is the bid part, a minus the ask part, so
 * e = b - a.
 */
static const struct {
	double		 pb, qb, pa, qa;
	double		 b, a, e;
	const char	*what;
} ev_cases[] = {
	{ 100.5, 5, 101, 20, 5, 0, 5, "bid up, ask unchanged" },
	{ 100, 15, 101, 20, 5, 0, 5, "bid same price, size 10 -> 15" },
	{ 100, 4, 101, 20, -6, 0, -6, "bid same price, size 10 -> 4" },
	{ 99.5, 8, 101, 20, -10, 0, -10, "bid down" },
	{ 100, 10, 100.5, 7, 0, 7, -7, "ask down" },
	{ 100, 10, 101, 25, 0, 5, -5, "ask same price, size 20 -> 25" },
	{ 100, 10, 101, 12, 0, -8, 8, "ask same price, size 20 -> 12" },
	{ 100, 10, 101.5, 9, 0, -20, 20, "ask up" },
	{ 100.5, 5, 101.5, 9, 5, -20, 25, "both up" },
	{ 99.5, 8, 100.5, 7, -10, 7, -17, "both down" },
	{ 100.5, 5, 100.75, 7, 5, 7, -2, "bid up, ask down" },
	{ 99.5, 8, 101.5, 9, -10, -20, 10, "bid down, ask up" },
	{ 99.5, 8, 101, 25, -10, 5, -15, "bid down, ask size up" },
	{ 100, 10, 101, 20, 0, 0, 0, "nothing changed" },
	{ 100, 0, 101, 0, -10, -20, 10, "both sizes to zero" }
};

START_TEST(ofi_event_by_branch)
{
	struct micro_ofi o;
	double buf[4 * MICRO_OFI_W], want_gross;

	ck_assert_int_eq(micro_ofi_init(&o, 1000, 4, buf), 0);
	ck_assert_int_eq(micro_ofi_push(&o, T0, 100, 10, 101, 20), 0);
	ck_assert(isnan(o.e) && isnan(o.ofi) && isnan(o.norm));
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1, ev_cases[_i].pb,
	    ev_cases[_i].qb, ev_cases[_i].pa, ev_cases[_i].qa), 1);
	ck_assert_msg(o.e == ev_cases[_i].e, "%s: e %g, want %g",
	    ev_cases[_i].what, o.e, ev_cases[_i].e);
	ck_assert(o.e == ev_cases[_i].b - ev_cases[_i].a);
	ck_assert(o.ofi == o.e);
	ck_assert_int_eq(o.n, 1);
	ck_assert(o.depth == (ev_cases[_i].qb + ev_cases[_i].qa) / 2);
	want_gross = fabs(ev_cases[_i].b) + fabs(ev_cases[_i].a);
	ck_assert(o.gross == want_gross);
	ck_assert(o.net == (want_gross > 0 ? o.e / want_gross : 0.0));
	if (o.depth > 0)
		ck_assert(o.norm == o.e / o.depth);
	else
		ck_assert(isnan(o.norm));
}
END_TEST

/*
 * A window of 1000 ms: an event exactly 1000 ms old has left it, one
 * 999 ms old has not.
 */
static const struct {
	int64_t		 t;
	double		 pb, qb, pa, qa;
	int		 rc, n;
	double		 e, ofi, depth, gross;
} win_steps[] = {
	{ 0, 100, 10, 101, 20, 0, 0, NAN, NAN, NAN, NAN },
	{ 100, 100.5, 5, 101, 20, 1, 1, 5, 5, 12.5, 5 },
	{ 500, 100.5, 8, 101, 20, 1, 2, 3, 8, 26.5, 8 },
	{ 1099, 100.5, 8, 101, 20, 1, 3, 0, 8, 40.5, 8 },
	{ 1100, 100.5, 8, 100.75, 6, 1, 3, -6, -3, 35, 9 },
	{ 1500, 100.5, 8, 100.75, 6, 1, 3, 0, -6, 28, 6 },
	{ 2099, 100.5, 8, 100.75, 6, 1, 3, 0, -6, 21, 6 },
	{ 2100, 100.5, 8, 100.75, 6, 1, 3, 0, 0, 21, 0 }
};

START_TEST(ofi_time_window)
{
	struct micro_ofi o;
	double buf[8 * MICRO_OFI_W];
	size_t i;
	int rc;

	ck_assert_int_eq(micro_ofi_init(&o, 1000, 8, buf), 0);
	for (i = 0; i < sizeof(win_steps) / sizeof(win_steps[0]); i++) {
		rc = micro_ofi_push(&o, T0 + win_steps[i].t, win_steps[i].pb,
		    win_steps[i].qb, win_steps[i].pa, win_steps[i].qa);
		ck_assert_int_eq(rc, win_steps[i].rc);
		ck_assert_int_eq(o.n, win_steps[i].n);
		ck_assert_msg(same(o.e, win_steps[i].e) &&
		    same(o.ofi, win_steps[i].ofi) &&
		    same(o.depth, win_steps[i].depth) &&
		    same(o.gross, win_steps[i].gross),
		    "step %zu: e %g ofi %g depth %g gross %g", i, o.e, o.ofi,
		    o.depth, o.gross);
	}
	/* the step at 1100 by hand: -3 / 35 and -3 / 9 */
	ck_assert_int_eq(micro_ofi_init(&o, 1000, 8, buf), 0);
	for (i = 0; i < 5; i++)
		micro_ofi_push(&o, T0 + win_steps[i].t, win_steps[i].pb,
		    win_steps[i].qb, win_steps[i].pa, win_steps[i].qa);
	ck_assert(o.norm == -3.0 / 35);
	ck_assert(o.net == -3.0 / 9);
	/* gross 0: no flow, no imbalance */
	for (; i < 8; i++)
		micro_ofi_push(&o, T0 + win_steps[i].t, win_steps[i].pb,
		    win_steps[i].qb, win_steps[i].pa, win_steps[i].qa);
	ck_assert(o.net == 0.0 && o.norm == 0.0);
}
END_TEST

/* A small deterministic generator, local to each test. */
static uint32_t
lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

/*
 * net is within [-1, 1] whatever the book does; norm within [-2, 2]
 * while sizes stay put, and exactly +-2 when both sides step together.
 */
START_TEST(ofi_normalised_bounds)
{
	struct micro_ofi o;
	double buf[64 * MICRO_OFI_W], pb = 100, pa = 100.5, qb = 3, qa = 4;
	double lo = 0, hi = 0;
	uint32_t seed = 7;
	int i, step, fixed;

	for (fixed = 0; fixed < 2; fixed++) {
		ck_assert_int_eq(micro_ofi_init(&o, 5000, 64, buf), 0);
		for (i = 0; i < 5000; i++) {
			step = (int)(lcg(&seed) % 5) - 2;
			pb += step * 0.25;
			pa = pb + 0.25 * (1 + (lcg(&seed) % 3));
			if (!fixed) {
				qb = lcg(&seed) % 50;
				qa = lcg(&seed) % 50;
			}
			if (micro_ofi_push(&o, T0 + i * 100, pb, qb, pa,
			    qa) != 1)
				continue;
			ck_assert(o.net >= -1.0 && o.net <= 1.0);
			ck_assert(fabs(o.ofi) <= o.gross);
			if (fixed)
				ck_assert_msg(fabs(o.norm) <= 2.0 + 1e-12,
				    "norm %.17g", o.norm);
			lo = o.net < lo ? o.net : lo;
			hi = o.net > hi ? o.net : hi;
		}
	}
	ck_assert(lo < -0.3 && hi > 0.3);	/* the walk did swing */

	/* both sides up at every quote, sizes fixed: e = 2q, depth = q */
	ck_assert_int_eq(micro_ofi_init(&o, 5000, 64, buf), 0);
	for (i = 0; i < 20; i++)
		micro_ofi_push(&o, T0 + i * 100, 100 + i, 7, 101 + i, 7);
	ck_assert(o.norm == 2.0 && o.net == 1.0);
	ck_assert_int_eq(micro_ofi_init(&o, 5000, 64, buf), 0);
	for (i = 0; i < 20; i++)
		micro_ofi_push(&o, T0 + i * 100, 100 - i, 7, 101 - i, 7);
	ck_assert(o.norm == -2.0 && o.net == -1.0);
}
END_TEST

START_TEST(ofi_overflow_and_bad_input)
{
	struct micro_ofi o;
	double buf[2 * MICRO_OFI_W];

	ck_assert_int_eq(micro_ofi_init(&o, 1000, 0, buf), -1);
	ck_assert_int_eq(micro_ofi_init(&o, 0, 2, buf), -1);
	ck_assert_int_eq(micro_ofi_init(&o, 1000, 2, NULL), -1);
	ck_assert_int_eq(micro_ofi_init(&o, 1000, 2, buf), 0);
	ck_assert_int_eq(micro_ofi_push(&o, T0, 100, 1, 101, 1), 0);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 10, 100, 2, 101, 1), 1);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 20, 100, 3, 101, 1), 1);
	/* the event at +10 is still in the window but has no room */
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 30, 100, 4, 101, 1), 0);
	ck_assert(isnan(o.ofi) && o.e == 1.0);
	/* +1010: the window is (+10, +1010], still missing +20 */
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1010, 100, 5, 101, 1), 0);
	/* +1030: all of it is in the ring again */
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1030, 100, 6, 101, 1), 1);
	ck_assert(o.ofi == 2.0 && o.n == 2);
	/* refused, and nothing changed */
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1029, 100, 6, 101, 1), -1);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1030, 100, -1, 101, 1), -1);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1030, NAN, 1, 101, 1), -1);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1030, 100, 1, INFINITY,
	    1), -1);
	ck_assert(o.ofi == 2.0 && o.n == 2 && o.qb == 6 && o.k == 6);
	/* an equal instant is taken (here it overflows the ring) */
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1030, 100, 6, 101, 1), 0);
	ck_assert(o.k == 7 && o.e == 0.0);
	/*
	 * The dropped event exactly span old: the window (+10, +1010]
	 * is whole again.
	 */
	ck_assert_int_eq(micro_ofi_init(&o, 1000, 2, buf), 0);
	ck_assert_int_eq(micro_ofi_push(&o, T0, 100, 1, 101, 1), 0);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 10, 100, 2, 101, 1), 1);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 10, 100, 3, 101, 1), 1);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 20, 100, 4, 101, 1), 0);
	ck_assert(o.r.lost_ts == T0 + 10);
	ck_assert_int_eq(micro_ofi_push(&o, T0 + 1010, 100, 5, 101, 1), 1);
	ck_assert(o.ofi == 2.0 && o.n == 2);
}
END_TEST

/*
 * Spread: four quotes whose spreads are 0.25, 0.5, 0.75, 1, then one
 * that pushes the first out of a 10 s window.
 */
START_TEST(spread_window_by_hand)
{
	struct micro_spread s;
	double buf[8 * MICRO_SPREAD_W];

	ck_assert_int_eq(micro_spread_init(&s, 10000, 0.0, 8, buf), 0);
	ck_assert_int_eq(micro_spread_push(&s, T0, 100, 100.25, 1), 1);
	ck_assert(s.mean == 0.25 && s.sd == 0.0 && s.ratio == 1.0);
	ck_assert(isnan(s.widening));
	ck_assert_int_eq(micro_spread_push(&s, T0 + 1000, 100, 100.5, 1),
	    1);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 2000, 100, 100.75, 0),
	    1);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 3000, 100, 101, 0), 1);
	ck_assert(s.spread == 1.0);
	ck_assert(s.pct == 100.0 / 100.5);
	ck_assert_int_eq(s.n, 4);
	ck_assert(s.mean == 0.625);
	/* deviations -3/8, -1/8, 1/8, 3/8: variance 10/64 / 4 */
	ck_assert(s.sd == sqrt(0.078125));
	ck_assert(s.ratio == 1.6);
	ck_assert(s.asian == 0.375 && s.other == 0.875);
	ck_assert(s.widening == 0.375 / 0.875);
	ck_assert(s.n_asian == 2 && s.n_other == 2);
	/* (T0, T0 + 10000]: the quote at T0 is exactly 10 s old: out */
	ck_assert_int_eq(micro_spread_push(&s, T0 + 10000, 100, 100.5, 0),
	    1);
	ck_assert_int_eq(s.n, 4);
	ck_assert(s.mean == 0.6875);
	/* deviations -3/16, 1/16, 5/16, -3/16 */
	ck_assert(s.sd == sqrt((9 + 1 + 25 + 9) / 256.0 / 4));
	ck_assert(s.ratio == 0.5 / 0.6875);
	/* the session means are not windowed */
	ck_assert_double_eq_tol(s.other, (0.75 + 1 + 0.5) / 3, 1e-15);
	ck_assert(s.asian == 0.375);
}
END_TEST

/* Session means: w_j = max(1/j, alpha). */
static const struct {
	double		 alpha;
	double		 want[4];	/* after spreads 1, 2, 4, 8 */
} mean_cases[] = {
	{ 0.0, { 1, 1.5, 7.0 / 3, 15.0 / 4 } },
	{ 0.5, { 1, 1.5, 2.75, 5.375 } },
	{ 1.0, { 1, 2, 4, 8 } },
	{ 0.25, { 1, 1.5, 7.0 / 3, 15.0 / 4 } }	/* 1/j >= alpha */
};

START_TEST(spread_session_means)
{
	struct micro_spread s;
	const double sp[4] = { 1, 2, 4, 8 };
	double buf[4 * MICRO_SPREAD_W];
	int j;

	ck_assert_int_eq(micro_spread_init(&s, 1000, mean_cases[_i].alpha,
	    4, buf), 0);
	for (j = 0; j < 4; j++) {
		micro_spread_push(&s, T0 + j, 100, 100 + sp[j], 1);
		ck_assert_msg(fabs(s.asian - mean_cases[_i].want[j]) < 1e-14,
		    "alpha %g, quote %d: %.17g", mean_cases[_i].alpha, j + 1,
		    s.asian);
	}
	ck_assert(isnan(s.other) && isnan(s.widening));
	micro_spread_push(&s, T0 + 4, 100, 100.5, 0);
	ck_assert(s.widening == s.asian / 0.5);
	/* a locked book: the other mean 0 leaves widening undefined */
	ck_assert_int_eq(micro_spread_init(&s, 1000, 0, 4, buf), 0);
	micro_spread_push(&s, T0, 100, 100, 0);
	micro_spread_push(&s, T0 + 1, 100, 101, 1);
	ck_assert(isnan(s.widening) && s.mean == 0.5);
	micro_spread_push(&s, T0 + 2, 100, 100, 0);
	micro_spread_push(&s, T0 + 3, 100, 100, 0);
	ck_assert(isnan(s.widening) && s.ratio == 0.0);
	ck_assert_int_eq(micro_spread_init(&s, 1000, 1.5, 4, buf), -1);
	ck_assert_int_eq(micro_spread_init(&s, 1000, NAN, 4, buf), -1);
}
END_TEST

START_TEST(spread_overflow_and_bad_input)
{
	struct micro_spread s;
	double buf[2 * MICRO_SPREAD_W];

	ck_assert_int_eq(micro_spread_init(&s, 1000, 0, 2, buf), 0);
	ck_assert_int_eq(micro_spread_push(&s, T0, 100, 101, 0), 1);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 1, 100, 102, 0), 1);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 2, 100, 103, 0), 0);
	ck_assert(isnan(s.mean) && s.spread == 3.0 && s.other == 2.0);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 1000, 100, 101, 0), 0);
	/* +1001 would drop +2, still in (+1, +1001]; +1002 drops it */
	ck_assert_int_eq(micro_spread_push(&s, T0 + 1002, 100, 101, 0), 1);
	ck_assert(s.mean == 1.0 && s.n == 2);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 1001, 100, 101, 0), -1);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 1002, NAN, 101, 0), -1);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 1002, -DBL_MAX, DBL_MAX,
	    0), -1);
	ck_assert(s.k == 5 && s.n_other == 5);
	/* a crossed book is kept as it is */
	ck_assert_int_eq(micro_spread_push(&s, T0 + 2002, 100, 101, 0), 1);
	ck_assert_int_eq(micro_spread_push(&s, T0 + 2003, 101, 100, 0), 1);
	ck_assert(s.spread == -1.0 && s.mean == 0.0 && isnan(s.ratio));
}
END_TEST

/* The Asian session, 00:00 <= UTC < 08:00, and wrapping windows. */
static const struct {
	int64_t		 ts;
	int		 from, to, want;
} utc_cases[] = {
	{ T0, 0, 480, 1 },
	{ T0 + 8 * HOUR - 1, 0, 480, 1 },
	{ T0 + 8 * HOUR, 0, 480, 0 },
	{ T0 + 24 * HOUR - 1, 0, 480, 0 },
	{ T0 + 24 * HOUR, 0, 480, 1 },
	{ 0, 0, 480, 1 },
	{ -1, 0, 480, 0 },			/* 1969-12-31T23:59:59.999 */
	{ -16 * HOUR, 0, 480, 0 },		/* 1969-12-31T08:00 */
	{ -16 * HOUR - 1, 0, 480, 1 },
	{ T0 + 23 * HOUR, 1320, 120, 1 },	/* 22:00-02:00 wraps */
	{ T0 + 2 * HOUR - 1, 1320, 120, 1 },
	{ T0 + 2 * HOUR, 1320, 120, 0 },
	{ T0 + 22 * HOUR - 1, 1320, 120, 0 },
	{ T0 + 22 * HOUR, 1320, 120, 1 },
	{ T0, 600, 600, 0 },			/* empty */
	{ T0 + 10 * HOUR, 600, 600, 0 },
	{ T0 + 24 * HOUR - 1, 0, 1440, 1 }	/* all day */
};

START_TEST(utc_session_hours)
{
	ck_assert_int_eq(micro_utc_between(utc_cases[_i].ts,
	    utc_cases[_i].from, utc_cases[_i].to), utc_cases[_i].want);
	if (utc_cases[_i].from == 0 && utc_cases[_i].to == 480)
		ck_assert_int_eq(micro_asian(utc_cases[_i].ts),
		    utc_cases[_i].want);
}
END_TEST

/* Funding at T0 + 8 h; a second table row per interval. */
#define NEXT	(T0 + 8 * HOUR)

static const struct {
	int64_t		 interval, now;
	int		 rc;
	int64_t		 ms;
} fund_cases[] = {
	{ 8 * HOUR, NEXT - 8 * HOUR, 1, 8 * HOUR },
	{ 8 * HOUR, NEXT - 1, 1, 1 },
	{ 8 * HOUR, NEXT, 1, 0 },			/* the instant */
	{ 8 * HOUR, NEXT + 1, 2, 8 * HOUR - 1 },
	{ 8 * HOUR, NEXT + 8 * HOUR - 1, 2, 1 },
	{ 8 * HOUR, NEXT + 8 * HOUR, 2, 0 },		/* projected one */
	{ 8 * HOUR, NEXT + 8 * HOUR + 1, 2, 8 * HOUR - 1 },
	{ 8 * HOUR, NEXT + 80 * HOUR + 5, 2, 8 * HOUR - 5 },
	{ 0, NEXT - 1, 1, 1 },
	{ 0, NEXT, 1, 0 },
	{ 0, NEXT + 1, 0, -7 }				/* unknown */
};

START_TEST(funding_time_to_next)
{
	struct micro_funding f;
	int64_t ms = -7;

	ck_assert_int_eq(micro_funding_init(&f, fund_cases[_i].interval), 0);
	ck_assert_int_eq(micro_funding_until(&f, fund_cases[_i].now, &ms), 0);
	ck_assert_int_eq(micro_funding_push(&f, 0.0001, NEXT), 1);
	ck_assert_int_eq(micro_funding_until(&f, fund_cases[_i].now, &ms),
	    fund_cases[_i].rc);
	ck_assert_int_eq(ms, fund_cases[_i].ms);
	ck_assert(f.rate == 0.0001);
}
END_TEST

START_TEST(funding_records)
{
	struct micro_funding f;
	int64_t ms;

	ck_assert_int_eq(micro_funding_init(&f, -1), -1);
	ck_assert_int_eq(micro_funding_init(&f, 8 * HOUR), 0);
	ck_assert_int_eq(micro_funding_push(&f, 0.0001, NEXT), 1);
	ck_assert_int_eq(micro_funding_push(&f, -0.0003, NEXT), 1);
	ck_assert(f.rate == -0.0003 && f.next == NEXT && f.k == 2);
	ck_assert_int_eq(micro_funding_push(&f, 0.0002, NEXT - 1), -1);
	ck_assert_int_eq(micro_funding_push(&f, NAN, NEXT), -1);
	ck_assert(f.rate == -0.0003 && f.k == 2);
	ck_assert_int_eq(micro_funding_push(&f, 0.0002, NEXT + 8 * HOUR), 1);
	ck_assert_int_eq(micro_funding_until(&f, NEXT + 1, &ms), 1);
	ck_assert_int_eq(ms, 8 * HOUR - 1);
}
END_TEST

/*
 * Velocity: observations at 0, 15, 25 and 30 s.  At 30 s the 5 s and
 * 15 s windows find theirs exactly at the boundary, 30 s finds the one
 * at 0, 60 s none; a millisecond earlier the 30 s window has none.
 */
static const struct {
	int64_t		 t[4];
	double		 p[4];
	double		 ref[MICRO_NVEL];	/* 0: undefined */
} vel_cases[] = {
	{ { 0, 15000, 25000, 30000 }, { 100, 100.25, 100.4, 100.5 },
	    { 100.4, 100.25, 100, 0 } },
	{ { 0, 14999, 24999, 29999 }, { 100, 100.25, 100.4, 100.5 },
	    { 100.4, 100.25, 0, 0 } },
	{ { 0, 15002, 25002, 30001 }, { 100, 100.25, 100.4, 100.5 },
	    { 100.25, 100, 100, 0 } },
	{ { 0, 0, 30000, 60000 }, { 100, 99, 101, 98 },
	    { 101, 101, 101, 99 } },	/* the last of equal instants */
	{ { 0, 1000, 2000, 3000 }, { 100, 100, 100, 100 },
	    { 0, 0, 0, 0 } }
};

START_TEST(velocity_at_window_boundaries)
{
	struct micro_speed v;
	double buf[16 * MICRO_SPEED_W], p = vel_cases[_i].p[3], r;
	int i, mask = 0, want = 0;

	ck_assert_int_eq(micro_speed_init(&v, 0, 15000, 0.5, 16, buf), 0);
	for (i = 0; i < 4; i++)
		mask = micro_speed_push(&v, T0 + vel_cases[_i].t[i],
		    vel_cases[_i].p[i]);
	for (i = 0; i < MICRO_NVEL; i++) {
		r = vel_cases[_i].ref[i];
		if (r == 0) {
			ck_assert(isnan(v.vel[i]) && isnan(v.rate[i]));
			ck_assert_int_eq(v.dir[i], 0);
			continue;
		}
		want |= 1 << i;
		ck_assert_msg(v.vel[i] == pct(p, r), "window %d: %.17g", i,
		    v.vel[i]);
		ck_assert(v.rate[i] == pct(p, r) /
		    (micro_vel_ms(i) / 1000.0));
		ck_assert_int_eq(v.dir[i], p > r ? 1 : p < r ? -1 : 0);
	}
	ck_assert_int_eq(mask & ~MICRO_ACCEL_OK, want);
	ck_assert_int_eq(v.ok, mask);
	if (_i == 0)
		ck_assert(v.vel[MICRO_V30] == 0.5 &&
		    v.rate[MICRO_V30] == 0.5 / 30);
}
END_TEST

/* Spike: |vel over 30 s| >= 0.5, from 100 at 0. */
static const struct {
	double		 p;
	int		 spike;
} spike_cases[] = {
	{ 100.5, 1 },
	{ 100.49, 0 },
	{ 100.4999, 0 },
	{ 99.5, -1 },
	{ 99.51, 0 },
	{ 101, 1 },
	{ 100, 0 }
};

START_TEST(spike_at_threshold)
{
	struct micro_speed v;
	double buf[4 * MICRO_SPEED_W];

	ck_assert_int_eq(micro_speed_init(&v, 0, 15000, 0.5, 4, buf), 0);
	micro_speed_push(&v, T0, 100);
	ck_assert_int_eq(v.spike, 0);
	micro_speed_push(&v, T0 + 30000, spike_cases[_i].p);
	ck_assert_msg(v.spike == spike_cases[_i].spike, "%g: vel %.17g",
	    spike_cases[_i].p, v.vel[MICRO_V30]);
}
END_TEST

/*
 * Acceleration: positive on a price that speeds up, nought on one of
 * constant % velocity (geometric), negative on one that slows, with
 * and without smoothing; first defined 2 A after the first price.
 */
static const struct {
	int64_t		 tau;
	int		 shape;		/* 1 faster, 0 constant, -1 slower */
} acc_cases[] = {
	{ 0, 1 }, { 0, 0 }, { 0, -1 },
	{ 5000, 1 }, { 5000, 0 }, { 5000, -1 }
};

static double
acc_price(int shape, int s)
{
	switch (shape) {
	case 1:
		return 100 * pow(1.0001, s + 0.01 * s * s);
	case 0:
		return 100 * pow(1.0001, s);
	default:
		return 100 * pow(1.0001, 3.0 * s - 0.01 * s * s);
	}
}

START_TEST(acceleration_sign)
{
	struct micro_speed v;
	double buf[128 * MICRO_SPEED_W];
	int s, m, shape = acc_cases[_i].shape;

	ck_assert_int_eq(micro_speed_init(&v, acc_cases[_i].tau, 15000, 0.5,
	    128, buf), 0);
	for (s = 0; s <= 120; s++) {
		m = micro_speed_push(&v, T0 + s * 1000LL, acc_price(shape, s));
		ck_assert_int_eq(!!(m & MICRO_ACCEL_OK), s >= 30);
		ck_assert_int_eq(!isnan(v.sv), s >= 15);
	}
	if (shape == 1)
		ck_assert_msg(v.accel > 1e-3, "%.17g", v.accel);
	else if (shape == -1)
		ck_assert_msg(v.accel < -1e-3, "%.17g", v.accel);
	else
		ck_assert_msg(fabs(v.accel) < 1e-9, "%.17g", v.accel);
	/* all three still rise: the sign is the acceleration's alone */
	ck_assert_int_eq(v.dir[MICRO_V15], 1);
}
END_TEST

/* sv and accel by hand, unsmoothed: A = 15 s, prices at 0, 15, 30 s. */
START_TEST(acceleration_by_hand)
{
	struct micro_speed v;
	double buf[8 * MICRO_SPEED_W];

	ck_assert_int_eq(micro_speed_init(&v, 0, 15000, 0.5, 8, buf), 0);
	ck_assert_int_eq(micro_speed_push(&v, T0, 100), 0);
	ck_assert(isnan(v.sv) && isnan(v.accel));
	ck_assert_int_eq(micro_speed_push(&v, T0 + 15000, 101),
	    1 << MICRO_V5 | 1 << MICRO_V15);
	ck_assert(v.sv == 1.0 && isnan(v.accel));
	ck_assert_int_eq(micro_speed_push(&v, T0 + 29999, 102),
	    1 << MICRO_V5 | 1 << MICRO_V15);
	ck_assert(v.sv == pct(102, 100) && isnan(v.accel));
	ck_assert_int_eq(micro_speed_push(&v, T0 + 30000, 103),
	    1 << MICRO_V5 | 1 << MICRO_V15 | 1 << MICRO_V30 |
	    MICRO_ACCEL_OK);
	ck_assert(v.sv == pct(103, 101));
	ck_assert(v.accel == pct(103, 101) - 1.0);
}
END_TEST

/* The smoothed price is the documented EMA, sample by sample. */
START_TEST(smoothing_by_hand)
{
	struct micro_speed v;
	double buf[8 * MICRO_SPEED_W], s;

	ck_assert_int_eq(micro_speed_init(&v, 1000, 15000, 0.5, 8, buf), 0);
	micro_speed_push(&v, T0, 100);
	ck_assert(v.s == 100);
	micro_speed_push(&v, T0 + 1000, 110);
	s = 100 - expm1(-1.0) * 10;
	ck_assert(v.s == s);
	micro_speed_push(&v, T0 + 1000, 200);	/* same instant: no weight */
	ck_assert(v.s == s && v.p == 200);
	micro_speed_push(&v, T0 + 3000, 90);
	ck_assert(v.s == s - expm1(-2.0) * (90 - s));
}
END_TEST

/*
 * The ring keeps what the longest window needs; too small a ring
 * leaves the long windows undefined rather than wrong.
 */
START_TEST(speed_ring_span)
{
	struct micro_speed v;
	double big[16 * MICRO_SPEED_W], small[4 * MICRO_SPEED_W];
	int s, m = 0;

	ck_assert_int_eq(micro_speed_init(&v, 0, 15000, 0.5, 8, big), 0);
	for (s = 0; s <= 300; s += 10)
		m = micro_speed_push(&v, T0 + s * 1000LL, 100 + s);
	/* 7 slots reach back 60 s at 10 s apart: 8 is room enough */
	ck_assert_int_eq(m, 0xf | MICRO_ACCEL_OK);
	ck_assert(v.vel[MICRO_V60] == pct(400, 340));
	ck_assert_int_eq(v.r.len, 7);
	ck_assert_int_eq(v.r.lost, 0);

	ck_assert_int_eq(micro_speed_init(&v, 0, 15000, 0.5, 4, small), 0);
	for (s = 0; s <= 100; s += 10)
		m = micro_speed_push(&v, T0 + s * 1000LL, 100 + s);
	/* holds 70, 80, 90, 100: 30 s is there exactly, 60 s is not */
	ck_assert_int_eq(m, (1 << MICRO_V5) | (1 << MICRO_V15) |
	    (1 << MICRO_V30) | MICRO_ACCEL_OK);
	ck_assert(v.vel[MICRO_V30] == pct(200, 170));
	ck_assert(v.vel[MICRO_V5] == pct(200, 190));
	ck_assert(isnan(v.vel[MICRO_V60]));

	ck_assert_int_eq(micro_speed_push(&v, T0 + 99999, 1), -1);
	ck_assert_int_eq(micro_speed_push(&v, T0 + 100000, 0), -1);
	ck_assert_int_eq(micro_speed_push(&v, T0 + 100000, NAN), -1);
	ck_assert(v.p == 200 && v.k == 11);
	ck_assert_int_eq(micro_speed_init(&v, -1, 15000, 0.5, 4, small), -1);
	ck_assert_int_eq(micro_speed_init(&v, 0, 0, 0.5, 4, small), -1);
	ck_assert_int_eq(micro_speed_init(&v, 0, 15000, 0, 4, small), -1);
	ck_assert_int_eq(micro_vel_ms(MICRO_V60), 60000);
	ck_assert_int_eq(micro_vel_ms(MICRO_NVEL), -1);
}
END_TEST

/*
 * Save and load: a run cut anywhere, moved through "%.17g" text into a
 * fresh struct with its own buffer, goes on exactly as an unbroken one.
 * The rings are small enough to overflow now and then.
 */
#define NSTEP	400
#define NOUT	40
#define OCAP	6
#define SCAP	6
#define VCAP	12

struct all {
	struct micro_ofi	 o;
	struct micro_spread	 s;
	struct micro_funding	 f;
	struct micro_speed	 v;
	double			 ob[OCAP * MICRO_OFI_W];
	double			 sb[SCAP * MICRO_SPREAD_W];
	double			 vb[VCAP * MICRO_SPEED_W];
};

struct step {
	int64_t		 t;
	double		 pb, qb, pa, qa, rate;
	int64_t		 next;
};

static void
make_steps(struct step *st, int n)
{
	uint32_t seed = 2024;
	int64_t t = T0;
	double pb = 100, qb = 5, pa = 100.5, qa = 5;
	int i;

	for (i = 0; i < n; i++) {
		t += lcg(&seed) % 7 == 0 ? 0 : lcg(&seed) % 9000;
		pb += ((int)(lcg(&seed) % 5) - 2) * 0.25;
		pa = pb + 0.25 * (1 + lcg(&seed) % 4);
		qb = (lcg(&seed) % 40) * 0.5;
		qa = (lcg(&seed) % 40) * 0.5;
		st[i].t = t;
		st[i].pb = pb;
		st[i].qb = qb;
		st[i].pa = pa;
		st[i].qa = qa;
		st[i].rate = ((int)(lcg(&seed) % 21) - 10) * 1e-5;
		st[i].next = T0 + 8 * HOUR * (1 + (t - T0) / (8 * HOUR));
	}
}

static void
all_init(struct all *a)
{
	ck_assert_int_eq(micro_ofi_init(&a->o, 20000, OCAP, a->ob), 0);
	ck_assert_int_eq(micro_spread_init(&a->s, 20000, 0.1, SCAP, a->sb),
	    0);
	ck_assert_int_eq(micro_funding_init(&a->f, 8 * HOUR), 0);
	ck_assert_int_eq(micro_speed_init(&a->v, 3000, 20000, 0.05, VCAP,
	    a->vb), 0);
}

/* Push one step into everything; every output goes to out. */
static void
all_push(struct all *a, const struct step *st, double *out)
{
	int64_t ms = -1;
	int i, n = 0;

	out[n++] = micro_ofi_push(&a->o, st->t, st->pb, st->qb, st->pa,
	    st->qa);
	out[n++] = a->o.e;
	out[n++] = a->o.ofi;
	out[n++] = a->o.depth;
	out[n++] = a->o.norm;
	out[n++] = a->o.gross;
	out[n++] = a->o.net;
	out[n++] = a->o.n;
	out[n++] = micro_spread_push(&a->s, st->t, st->pb, st->pa,
	    micro_asian(st->t));
	out[n++] = a->s.spread;
	out[n++] = a->s.pct;
	out[n++] = a->s.mean;
	out[n++] = a->s.sd;
	out[n++] = a->s.ratio;
	out[n++] = a->s.asian;
	out[n++] = a->s.other;
	out[n++] = a->s.widening;
	out[n++] = micro_funding_push(&a->f, st->rate, st->next);
	out[n++] = micro_funding_until(&a->f, st->t + 4 * HOUR, &ms);
	out[n++] = (double)ms;
	out[n++] = micro_speed_push(&a->v, st->t, (st->pb + st->pa) / 2);
	for (i = 0; i < MICRO_NVEL; i++) {
		out[n++] = a->v.vel[i];
		out[n++] = a->v.dir[i];
	}
	out[n++] = a->v.s;
	out[n++] = a->v.sv;
	out[n++] = a->v.accel;
	out[n++] = a->v.spike;
	ck_assert_int_le(n, NOUT);
	for (; n < NOUT; n++)
		out[n] = 0;
}

/* v[0..n-1] through "%.17g" and strtod, as the journal stores it. */
static void
through_text(double *v, size_t n)
{
	char buf[64];
	size_t i;

	for (i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), "%.17g", v[i]);
		v[i] = strtod(buf, NULL);
		ck_assert(isfinite(v[i]));
	}
}

static void
all_move(const struct all *from, struct all *to)
{
	double v[MICRO_SPEED_NSAVE(VCAP)];
	size_t n;

	all_init(to);
#define MOVE(save, load, f, need)					\
	ck_assert_int_le(need, sizeof(v) / sizeof(v[0]));		\
	n = save(&from->f, v, need);					\
	ck_assert_int_gt(n, 0);						\
	ck_assert_int_eq(save(&from->f, v, n - 1), 0);			\
	through_text(v, n);						\
	ck_assert_int_eq(load(&to->f, v, n), 0);
	MOVE(micro_ofi_save, micro_ofi_load, o, MICRO_OFI_NSAVE(OCAP));
	MOVE(micro_spread_save, micro_spread_load, s,
	    MICRO_SPREAD_NSAVE(SCAP));
	MOVE(micro_funding_save, micro_funding_load, f, MICRO_FUNDING_NSAVE);
	MOVE(micro_speed_save, micro_speed_load, v, MICRO_SPEED_NSAVE(VCAP));
#undef MOVE
}

static const int split_at[] = { 0, 1, 2, 3, 5, 8, 13, 40, 77, 150, 399 };

START_TEST(save_load_is_seamless)
{
	struct step *st = calloc(NSTEP, sizeof(*st));
	struct all *one = calloc(1, sizeof(*one));
	struct all *two = calloc(2, sizeof(*two));
	double o1[NOUT], o2[NOUT];
	int i, k, cur = 0, cut = split_at[_i];
	int lost = 0, undef = 0;

	ck_assert(st != NULL && one != NULL && two != NULL);
	make_steps(st, NSTEP);
	all_init(one);
	all_init(&two[0]);
	for (i = 0; i < NSTEP; i++) {
		if (i == cut) {
			all_move(&two[cur], &two[1 - cur]);
			memset(&two[cur], 0xa5, sizeof(two[cur]));
			cur = 1 - cur;
		}
		all_push(one, &st[i], o1);
		all_push(&two[cur], &st[i], o2);
		for (k = 0; k < NOUT; k++)
			ck_assert_msg(same(o1[k], o2[k]), "cut %d: output %d "
			    "of step %d: %.17g != %.17g", cut, k, i, o1[k],
			    o2[k]);
		lost += one->o.r.lost + one->s.r.lost;
		undef += !(one->v.ok & (1 << MICRO_V60));
	}
	/* the run did overflow the rings and leave windows undefined */
	ck_assert(lost > 0 && undef > 0);
	free(two);
	free(one);
	free(st);
}
END_TEST

START_TEST(load_refuses_a_misfit)
{
	struct micro_ofi o, o2;
	struct micro_spread s, s2;
	struct micro_funding f, f2;
	struct micro_speed v, v2;
	double b1[4 * MICRO_SPEED_W], b2[5 * MICRO_SPEED_W];
	double x[MICRO_SPEED_NSAVE(5)], keep;
	size_t n;

	ck_assert_int_eq(micro_ofi_init(&o, 1000, 4, b1), 0);
	micro_ofi_push(&o, T0, 100, 1, 101, 1);
	micro_ofi_push(&o, T0 + 1, 100, 2, 101, 1);
	ck_assert_int_eq(micro_ofi_save(&o, x, 11 + 3), 0);	/* room */
	n = micro_ofi_save(&o, x, sizeof(x) / sizeof(x[0]));
	ck_assert_int_eq(n, 11 + 4);
	ck_assert_int_eq(micro_ofi_init(&o2, 999, 4, b2), 0);
	ck_assert_int_eq(micro_ofi_load(&o2, x, n), -1);	/* span */
	ck_assert_int_eq(micro_ofi_init(&o2, 1000, 5, b2), 0);
	ck_assert_int_eq(micro_ofi_load(&o2, x, n), -1);	/* cap */
	ck_assert_int_eq(micro_ofi_init(&o2, 1000, 4, b2), 0);
	ck_assert_int_eq(micro_ofi_load(&o2, x, n - 1), -1);	/* length */
	x[11] += 5;					/* ts past "now" */
	ck_assert_int_eq(micro_ofi_load(&o2, x, n), -1);
	ck_assert_int_eq(o2.k, 0);			/* untouched */
	x[11] -= 5;
	ck_assert_int_eq(micro_ofi_load(&o2, x, n), 0);
	ck_assert(o2.ofi == 1.0 && o2.e == 1.0);

	ck_assert_int_eq(micro_spread_init(&s, 1000, 0.25, 4, b1), 0);
	micro_spread_push(&s, T0, 100, 101, 1);
	n = micro_spread_save(&s, x, sizeof(x) / sizeof(x[0]));
	ck_assert_int_eq(n, 14 + 2);
	ck_assert_int_eq(micro_spread_init(&s2, 1000, 0.5, 4, b2), 0);
	ck_assert_int_eq(micro_spread_load(&s2, x, n), -1);	/* alpha */
	ck_assert_int_eq(micro_spread_init(&s2, 1000, 0.25, 4, b2), 0);
	x[6] = 0;				/* counts do not add up */
	ck_assert_int_eq(micro_spread_load(&s2, x, n), -1);
	x[6] = 1;
	ck_assert_int_eq(micro_spread_load(&s2, x, n), 0);
	ck_assert(s2.mean == 1.0 && s2.asian == 1.0);

	ck_assert_int_eq(micro_funding_init(&f, 8 * HOUR), 0);
	micro_funding_push(&f, 0.0001, NEXT);
	ck_assert_int_eq(micro_funding_save(&f, x, 3), 0);
	n = micro_funding_save(&f, x, 4);
	ck_assert_int_eq(n, MICRO_FUNDING_NSAVE);
	ck_assert_int_eq(micro_funding_init(&f2, 0), 0);
	ck_assert_int_eq(micro_funding_load(&f2, x, n), -1);	/* interval */
	ck_assert_int_eq(micro_funding_init(&f2, 8 * HOUR), 0);
	ck_assert_int_eq(micro_funding_load(&f2, x, n), 0);
	ck_assert(f2.rate == 0.0001 && f2.next == NEXT);

	ck_assert_int_eq(micro_speed_init(&v, 0, 15000, 0.5, 4, b1), 0);
	micro_speed_push(&v, T0, 100);
	micro_speed_push(&v, T0 + 5000, 101);
	n = micro_speed_save(&v, x, sizeof(x) / sizeof(x[0]));
	ck_assert_int_eq(n, 8 + 2 * MICRO_SPEED_W);
	ck_assert_int_eq(micro_speed_init(&v2, 0, 15000, 0.4, 4, b2), 0);
	ck_assert_int_eq(micro_speed_load(&v2, x, n), -1);	/* thr */
	ck_assert_int_eq(micro_speed_init(&v2, 0, 15000, 0.5, 4, b2), 0);
	keep = x[8];
	x[8] = T0 + 6000;			/* instants out of order */
	ck_assert_int_eq(micro_speed_load(&v2, x, n), -1);
	x[8] = keep;
	x[9] = 0;				/* a price of 0 */
	ck_assert_int_eq(micro_speed_load(&v2, x, n), -1);
	x[9] = 100;
	ck_assert_int_eq(micro_speed_load(&v2, x, n), 0);
	ck_assert(v2.vel[MICRO_V5] == pct(101, 100) && v2.p == 101);
}
END_TEST

static Suite *
micro_suite(void)
{
	Suite *s = suite_create("micro");
	TCase *tc = tcase_create("micro");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, ofi_event_by_branch, 0,
	    sizeof(ev_cases) / sizeof(ev_cases[0]));
	tcase_add_test(tc, ofi_time_window);
	tcase_add_test(tc, ofi_normalised_bounds);
	tcase_add_test(tc, ofi_overflow_and_bad_input);
	tcase_add_test(tc, spread_window_by_hand);
	tcase_add_loop_test(tc, spread_session_means, 0,
	    sizeof(mean_cases) / sizeof(mean_cases[0]));
	tcase_add_test(tc, spread_overflow_and_bad_input);
	tcase_add_loop_test(tc, utc_session_hours, 0,
	    sizeof(utc_cases) / sizeof(utc_cases[0]));
	tcase_add_loop_test(tc, funding_time_to_next, 0,
	    sizeof(fund_cases) / sizeof(fund_cases[0]));
	tcase_add_test(tc, funding_records);
	tcase_add_loop_test(tc, velocity_at_window_boundaries, 0,
	    sizeof(vel_cases) / sizeof(vel_cases[0]));
	tcase_add_loop_test(tc, spike_at_threshold, 0,
	    sizeof(spike_cases) / sizeof(spike_cases[0]));
	tcase_add_loop_test(tc, acceleration_sign, 0,
	    sizeof(acc_cases) / sizeof(acc_cases[0]));
	tcase_add_test(tc, acceleration_by_hand);
	tcase_add_test(tc, smoothing_by_hand);
	tcase_add_test(tc, speed_ring_span);
	tcase_add_loop_test(tc, save_load_is_seamless, 0,
	    sizeof(split_at) / sizeof(split_at[0]));
	tcase_add_test(tc, load_refuses_a_misfit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(micro_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
