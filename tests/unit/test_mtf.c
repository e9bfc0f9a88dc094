/*
 * test_mtf.c: lib/mtf.c on a hand-made half hour of 1-minute bars whose
 * 5-, 10- and 15-minute bars are worked out by hand, a look-ahead probe,
 * gaps, session changes, consensus, and save/load.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ind.h"
#include "mtf.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define DAY		19000		/* a session day number */

struct min1 {
	int	 minute;
	double	 o, h, l, c, v;
};

/* 10:00-10:29, one bar a minute. */
static const struct min1 hand[30] = {
	{ 600, 10.0, 10.4, 9.9, 10.2, 100 },
	{ 601, 10.2, 10.6, 10.1, 10.5, 200 },
	{ 602, 10.5, 10.5, 9.7, 9.8, 150 },
	{ 603, 9.8, 10.0, 9.6, 9.9, 120 },
	{ 604, 9.9, 10.3, 9.8, 10.1, 130 },
	{ 605, 10.1, 10.2, 9.5, 9.6, 300 },
	{ 606, 9.6, 11.0, 9.6, 10.9, 500 },
	{ 607, 10.9, 11.2, 10.8, 11.1, 400 },
	{ 608, 11.1, 11.1, 10.7, 10.8, 250 },
	{ 609, 10.8, 10.9, 10.6, 10.7, 100 },
	{ 610, 10.7, 10.8, 10.2, 10.3, 200 },
	{ 611, 10.3, 10.4, 9.0, 9.2, 800 },
	{ 612, 9.2, 9.5, 9.1, 9.4, 300 },
	{ 613, 9.4, 9.9, 9.3, 9.8, 200 },
	{ 614, 9.8, 10.0, 9.7, 9.9, 100 },
	{ 615, 9.9, 10.1, 9.8, 10.0, 150 },
	{ 616, 10.0, 10.2, 9.9, 10.2, 150 },
	{ 617, 10.2, 12.0, 10.2, 11.8, 900 },
	{ 618, 11.8, 11.9, 11.5, 11.6, 400 },
	{ 619, 11.6, 11.7, 11.4, 11.5, 300 },
	{ 620, 11.5, 11.6, 11.3, 11.4, 200 },
	{ 621, 11.4, 11.5, 11.0, 11.1, 200 },
	{ 622, 11.1, 11.2, 8.5, 8.9, 1000 },
	{ 623, 8.9, 9.2, 8.8, 9.1, 600 },
	{ 624, 9.1, 9.3, 9.0, 9.2, 300 },
	{ 625, 9.2, 9.4, 9.1, 9.3, 200 },
	{ 626, 9.3, 9.6, 9.2, 9.5, 200 },
	{ 627, 9.5, 9.8, 9.4, 9.7, 200 },
	{ 628, 9.7, 9.9, 9.6, 9.8, 200 },
	{ 629, 9.8, 10.0, 9.7, 9.9, 200 },
};

/*
 * The closed bars of the hand series, by hand: which timeframe (0: 5,
 * 1: 10, 2: 15 minutes) closes at which push, and its OHLCV.  Every
 * bucket closes on the push of its own last minute, never before.
 */
static const struct {
	int	 at;		/* index into hand[] of the closing push */
	int	 tf;
	int	 slot;
	double	 o, h, l, c, v;
} hand_bars[] = {
	{ 4, 0, 120, 10.0, 10.6, 9.6, 10.1, 700 },
	{ 9, 0, 121, 10.1, 11.2, 9.5, 10.7, 1550 },
	{ 9, 1, 60, 10.0, 11.2, 9.5, 10.7, 2250 },
	{ 14, 0, 122, 10.7, 10.8, 9.0, 9.9, 1600 },
	{ 14, 2, 40, 10.0, 11.2, 9.0, 9.9, 3850 },
	{ 19, 0, 123, 9.9, 12.0, 9.8, 11.5, 1900 },
	{ 19, 1, 61, 10.7, 12.0, 9.0, 11.5, 3500 },
	{ 24, 0, 124, 11.5, 11.6, 8.5, 9.2, 2300 },
	{ 29, 0, 125, 9.2, 10.0, 9.1, 9.9, 1000 },
	{ 29, 1, 62, 11.5, 11.6, 8.5, 9.9, 3300 },
	{ 29, 2, 41, 9.9, 12.0, 8.5, 9.9, 5200 },
};

static const int sizes3[] = { 5, 10, 15 };

static int
push1(struct mtf *m, int64_t day, const struct min1 *b)
{
	return mtf_push(m, day, b->minute, b->o, b->h, b->l, b->c, b->v);
}

static void
assert_bar(const struct mtf_bar *b, int64_t day, int slot, int nbar,
    double o, double h, double l, double c, double v)
{
	ck_assert(b->day == day);
	ck_assert_int_eq(b->slot, slot);
	ck_assert_int_eq(b->nbar, nbar);
	ck_assert_msg(b->o == o && b->h == h && b->l == l && b->c == c &&
	    b->v == v, "bar %d: %g %g %g %g %g, want %g %g %g %g %g", slot,
	    b->o, b->h, b->l, b->c, b->v, o, h, l, c, v);
}

START_TEST(init_refuses_bad_sizes)
{
	const int bad0[] = { 0 }, bad1[] = { 1441 }, ok[] = { 1, 1440 };
	const int many[MTF_MAX + 1] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct mtf m;

	ck_assert_int_eq(mtf_init(&m, bad0, 1, 8, 21), -1);
	ck_assert_int_eq(mtf_init(&m, bad1, 1, 8, 21), -1);
	ck_assert_int_eq(mtf_init(&m, ok, 2, 0, 21), -1);
	ck_assert_int_eq(mtf_init(&m, ok, 2, 8, 0), -1);
	ck_assert_int_eq(mtf_init(&m, ok, 0, 8, 21), -1);
	ck_assert_int_eq(mtf_init(&m, NULL, 1, 8, 21), -1);
	ck_assert_int_eq(mtf_init(&m, many, MTF_MAX + 1, 8, 21), -1);
	ck_assert_int_eq(mtf_init(&m, many, MTF_MAX, 8, 21), 0);
	ck_assert_int_eq(mtf_init(&m, ok, 2, 8, 21), 0);
	ck_assert_int_eq(m.n, 2);
	ck_assert_int_eq(m.ndef, 0);
	ck_assert(m.cons == 0.0);
}
END_TEST

/* Each closed bar, on its push and no other, as worked out by hand. */
START_TEST(hand_series_bars)
{
	int closes[3] = { 0, 0, 0 };
	struct mtf m;
	size_t j;
	int i, t, want;

	ck_assert_int_eq(mtf_init(&m, sizes3, 3, 8, 21), 0);
	for (i = 0; i < 30; i++) {
		ck_assert_int_eq(push1(&m, DAY, &hand[i]), 0);
		for (t = 0; t < 3; t++) {
			want = 0;
			for (j = 0; j < NELEM(hand_bars); j++) {
				if (hand_bars[j].at != i ||
				    hand_bars[j].tf != t)
					continue;
				want = 1;
				assert_bar(&m.tf[t].done[0], DAY,
				    hand_bars[j].slot, sizes3[t],
				    hand_bars[j].o, hand_bars[j].h,
				    hand_bars[j].l, hand_bars[j].c,
				    hand_bars[j].v);
				ck_assert(memcmp(&m.tf[t].bar,
				    &m.tf[t].done[0], sizeof(m.tf[t].bar))
				    == 0);
			}
			ck_assert_msg(m.tf[t].nnew == want, "push %d tf %d: "
			    "%d closed, want %d", i, t, m.tf[t].nnew, want);
			closes[t] += want;
			ck_assert(m.tf[t].nclosed == closes[t]);
		}
	}
	ck_assert_int_eq(closes[0], 6);
	ck_assert_int_eq(closes[1], 3);
	ck_assert_int_eq(closes[2], 2);
}
END_TEST

/*
 * No look-ahead.  Series B is the hand series with a wild 10:09 bar.
 * Up to 10:08 every part of the state (the save array covers the
 * forming buckets, the closed bars and the EMAs) and every output must
 * be the same in A and B: a resampler that peeked at 10:09 would
 * differ.  At 10:08 nothing of 10:05-10:09 or 10:00-10:09 has closed,
 * and the forming 10-minute bucket holds 10:00-10:08 only.  At 10:09
 * both close, and B's carry its bar.
 */
START_TEST(no_look_ahead)
{
	struct min1 wild = { 609, 10.8, 20.0, 1.0, 5.0, 9999 };
	double va[MTF_NSAVE(3)], vb[MTF_NSAVE(3)];
	struct mtf a, b;
	size_t na, nb;
	int i, t;

	ck_assert_int_eq(mtf_init(&a, sizes3, 3, 1, 2), 0);
	ck_assert_int_eq(mtf_init(&b, sizes3, 3, 1, 2), 0);
	for (i = 0; i < 9; i++) {
		ck_assert_int_eq(push1(&a, DAY, &hand[i]),
		    push1(&b, DAY, &hand[i]));
		na = mtf_save(&a, va, NELEM(va));
		nb = mtf_save(&b, vb, NELEM(vb));
		ck_assert(na > 0 && na == nb);
		ck_assert(memcmp(va, vb, na * sizeof(double)) == 0);
		ck_assert(a.cons == b.cons && a.ndef == b.ndef);
		for (t = 0; t < 3; t++) {
			ck_assert_int_eq(a.tf[t].nnew, b.tf[t].nnew);
			ck_assert_int_eq(a.tf[t].trend, b.tf[t].trend);
		}
	}
	/* 10:08: the 10:05 and 10:00 buckets are still forming. */
	ck_assert_int_eq(a.tf[0].nnew, 0);
	ck_assert(a.tf[0].nclosed == 1);
	assert_bar(&a.tf[0].bar, DAY, 120, 5, 10.0, 10.6, 9.6, 10.1, 700);
	ck_assert_int_eq(a.tf[1].nnew, 0);
	ck_assert(a.tf[1].nclosed == 0);
	ck_assert_int_eq(a.tf[1].open, 1);
	assert_bar(&a.tf[1].cur, DAY, 60, 9, 10.0, 11.2, 9.5, 10.8, 2150);
	/* 10:09: they close, with 10:09 in them. */
	push1(&a, DAY, &hand[9]);
	push1(&b, DAY, &wild);
	ck_assert_int_eq(b.tf[0].nnew, 1);
	ck_assert_int_eq(b.tf[1].nnew, 1);
	assert_bar(&a.tf[1].bar, DAY, 60, 10, 10.0, 11.2, 9.5, 10.7, 2250);
	assert_bar(&b.tf[1].bar, DAY, 60, 10, 10.0, 20.0, 1.0, 5.0, 12149);
	assert_bar(&b.tf[0].bar, DAY, 121, 5, 10.1, 20.0, 1.0, 5.0, 11449);
	ck_assert_int_eq(a.tf[0].trend, 1);	/* 10.7 over (10.1+10.7)/2 */
	ck_assert_int_eq(b.tf[0].trend, -1);	/* 5.0 under 7.55 */
}
END_TEST

/*
 * A missing last minute (no 10:09 bar): the 10:05 and 10:00 buckets
 * stay open through 10:08 and close when 10:10 arrives, without it.
 */
START_TEST(missing_last_minute)
{
	struct mtf m;
	int i;

	ck_assert_int_eq(mtf_init(&m, sizes3, 3, 8, 21), 0);
	for (i = 0; i < 9; i++)
		push1(&m, DAY, &hand[i]);
	ck_assert_int_eq(m.tf[0].nnew, 0);
	ck_assert_int_eq(m.tf[1].nnew, 0);
	ck_assert_int_eq(push1(&m, DAY, &hand[10]), 0);	/* 10:10 */
	ck_assert_int_eq(m.tf[0].nnew, 1);
	assert_bar(&m.tf[0].done[0], DAY, 121, 4, 10.1, 11.2, 9.5, 10.8,
	    1450);
	ck_assert_int_eq(m.tf[1].nnew, 1);
	assert_bar(&m.tf[1].done[0], DAY, 60, 9, 10.0, 11.2, 9.5, 10.8,
	    2150);
	ck_assert_int_eq(m.tf[2].nnew, 0);
	/* 10:10 opened the next buckets, alone. */
	assert_bar(&m.tf[0].cur, DAY, 122, 1, 10.7, 10.8, 10.2, 10.3, 200);
	assert_bar(&m.tf[2].cur, DAY, 40, 10, 10.0, 11.2, 9.5, 10.3, 2350);
}
END_TEST

/*
 * A gap across buckets: 10:00-10:03, then 10:14.  For 5 minutes 10:14
 * closes the 10:00 bucket (before taking 10:14 in) and then its own
 * 10:10 bucket (its last minute): two bars on one push, oldest first.
 */
START_TEST(gap_closes_two)
{
	struct mtf m;
	int i;

	ck_assert_int_eq(mtf_init(&m, sizes3, 3, 8, 21), 0);
	for (i = 0; i < 4; i++)
		push1(&m, DAY, &hand[i]);
	push1(&m, DAY, &hand[14]);
	ck_assert_int_eq(m.tf[0].nnew, 2);
	assert_bar(&m.tf[0].done[0], DAY, 120, 4, 10.0, 10.6, 9.6, 9.9, 570);
	assert_bar(&m.tf[0].done[1], DAY, 122, 1, 9.8, 10.0, 9.7, 9.9, 100);
	assert_bar(&m.tf[0].bar, DAY, 122, 1, 9.8, 10.0, 9.7, 9.9, 100);
	ck_assert_int_eq(m.tf[1].nnew, 1);
	assert_bar(&m.tf[1].done[0], DAY, 60, 4, 10.0, 10.6, 9.6, 9.9, 570);
	ck_assert_int_eq(m.tf[1].open, 1);
	ck_assert_int_eq(m.tf[2].nnew, 1);
	assert_bar(&m.tf[2].done[0], DAY, 40, 5, 10.0, 10.6, 9.6, 9.9, 670);
	ck_assert(m.tf[0].nclosed == 2 && m.tf[0].open == 0);
}
END_TEST

/*
 * Session change: 10:00-10:12 on DAY, then 10:12 on the next day, the
 * same slot number: every open bucket closes first; the new day's
 * buckets start with its own bar.  An earlier minute on a later day is
 * in order.
 */
START_TEST(session_change)
{
	struct min1 nx = { 612, 50.0, 51.0, 49.0, 50.5, 7 };
	struct min1 early = { 570, 50.5, 50.5, 50.5, 50.5, 1 };
	struct mtf m;
	int i;

	ck_assert_int_eq(mtf_init(&m, sizes3, 3, 8, 21), 0);
	for (i = 0; i < 13; i++)
		push1(&m, DAY, &hand[i]);
	ck_assert_int_eq(push1(&m, DAY + 1, &nx), 0);
	ck_assert_int_eq(m.tf[0].nnew, 1);
	assert_bar(&m.tf[0].done[0], DAY, 122, 3, 10.7, 10.8, 9.0, 9.4, 1300);
	ck_assert_int_eq(m.tf[1].nnew, 1);
	assert_bar(&m.tf[1].done[0], DAY, 61, 3, 10.7, 10.8, 9.0, 9.4, 1300);
	ck_assert_int_eq(m.tf[2].nnew, 1);
	assert_bar(&m.tf[2].done[0], DAY, 40, 13, 10.0, 11.2, 9.0, 9.4,
	    3550);
	for (i = 0; i < 3; i++)
		assert_bar(&m.tf[i].cur, DAY + 1, 612 / sizes3[i], 1, 50.0,
		    51.0, 49.0, 50.5, 7);
	ck_assert_int_eq(push1(&m, DAY + 2, &early), 0);
	ck_assert_int_eq(m.tf[0].nnew, 1);
	ck_assert(m.tf[0].bar.day == DAY + 1);
	assert_bar(&m.tf[0].cur, DAY + 2, 114, 1, 50.5, 50.5, 50.5, 50.5, 1);
}
END_TEST

/* The last bucket of a day ends at midnight; size 1 closes every bar. */
START_TEST(day_end_and_size_one)
{
	const int sz[] = { 7, 1440, 1 };
	struct min1 b = { 1436, 1, 2, 0.5, 1.5, 3 };
	struct mtf m;

	ck_assert_int_eq(mtf_init(&m, sz, 3, 1, 1), 0);
	ck_assert_int_eq(push1(&m, DAY, &b), 1);	/* size 1: defined */
	ck_assert_int_eq(m.tf[0].nnew, 0);		/* 1435-1439 */
	ck_assert_int_eq(m.tf[1].nnew, 0);
	ck_assert_int_eq(m.tf[2].nnew, 1);
	b.minute = 1439;
	ck_assert_int_eq(push1(&m, DAY, &b), 1);
	ck_assert_int_eq(m.tf[0].nnew, 1);
	assert_bar(&m.tf[0].bar, DAY, 205, 2, 1, 2, 0.5, 1.5, 6);
	ck_assert_int_eq(m.tf[1].nnew, 1);
	assert_bar(&m.tf[1].bar, DAY, 0, 2, 1, 2, 0.5, 1.5, 6);
	ck_assert_int_eq(m.tf[2].nnew, 1);
	ck_assert_int_eq(m.ndef, 3);
}
END_TEST

/* Refused bars change nothing. */
START_TEST(refuses_bad_bars)
{
	const struct {
		int64_t	 day;
		int	 minute;
		double	 o, h, l, c, v;
	} bad[] = {
		{ DAY, 605, 1, 2, 0.5, 1, 1 },		/* repeat */
		{ DAY, 604, 1, 2, 0.5, 1, 1 },		/* earlier */
		{ DAY - 1, 900, 1, 2, 0.5, 1, 1 },	/* earlier day */
		{ DAY, 1440, 1, 2, 0.5, 1, 1 },
		{ DAY, -1, 1, 2, 0.5, 1, 1 },
		{ MTF_DAY_MAX + 1, 0, 1, 2, 0.5, 1, 1 },
		{ DAY, 606, NAN, 2, 0.5, 1, 1 },
		{ DAY, 606, 1, INFINITY, 0.5, 1, 1 },
		{ DAY, 606, 1, 2, 0.5, 1, NAN },
		{ DAY, 606, 1, 0.5, 2, 1, 1 },		/* l > h */
		{ DAY, 606, 1, 2, 0.5, 1, -1 },		/* v < 0 */
	};
	double v0[MTF_NSAVE(3)], v1[MTF_NSAVE(3)];
	struct mtf m;
	size_t i, n0, n1;

	ck_assert_int_eq(mtf_init(&m, sizes3, 3, 1, 2), 0);
	for (i = 0; i < 6; i++)
		push1(&m, DAY, &hand[i]);
	n0 = mtf_save(&m, v0, NELEM(v0));
	for (i = 0; i < NELEM(bad); i++) {
		ck_assert_msg(mtf_push(&m, bad[i].day, bad[i].minute,
		    bad[i].o, bad[i].h, bad[i].l, bad[i].c, bad[i].v) == -1,
		    "bad bar %zu taken", i);
		n1 = mtf_save(&m, v1, NELEM(v1));
		ck_assert(n0 == n1 && memcmp(v0, v1, n0 * sizeof(double)) == 0);
	}
	ck_assert_int_eq(m.tf[0].nnew, 0);
	ck_assert_int_ge(push1(&m, DAY, &hand[6]), 0);
}
END_TEST

/*
 * Consensus on the hand series with EMA(1) and EMA(2): EMA(1) is the
 * close, EMA(2) starts at the mean of two closes, then e/3 + 2c/3.
 *	5-min closes 10.1 10.7 9.9 11.5 9.2 9.9:  slow 10.4, 10.067,
 *	    11.022, 9.807, 9.869: trend +1 -1 +1 -1 +1 from 10:09
 *	10-min 10.7 11.5 9.9: slow 11.1, 10.3: +1 at 10:19, -1 at 10:29
 *	15-min 9.9 9.9: slow 9.9 = fast: a defined 0 at 10:29
 */
static const struct {
	int	 from;		/* first push of the row, index */
	int	 trend[3];
	int	 ndef;
	double	 cons;
} cons_rows[] = {
	{ 0, { 0, 0, 0 }, 0, 0.0 },
	{ 9, { 1, 0, 0 }, 1, 1.0 },
	{ 14, { -1, 0, 0 }, 1, -1.0 },
	{ 19, { 1, 1, 0 }, 2, 1.0 },
	{ 24, { -1, 1, 0 }, 2, 0.0 },
	{ 29, { 1, -1, 0 }, 3, 0.0 },
};

START_TEST(consensus_hand_series)
{
	struct mtf m;
	size_t r;
	int i, t, rv;

	ck_assert_int_eq(mtf_init(&m, sizes3, 3, 1, 2), 0);
	for (i = 0; i < 30; i++) {
		rv = push1(&m, DAY, &hand[i]);
		for (r = NELEM(cons_rows) - 1; cons_rows[r].from > i; r--)
			continue;
		ck_assert_int_eq(rv, cons_rows[r].ndef > 0);
		ck_assert_int_eq(m.ndef, cons_rows[r].ndef);
		ck_assert_msg(m.cons == cons_rows[r].cons, "push %d: cons "
		    "%g", i, m.cons);
		for (t = 0; t < 3; t++)
			ck_assert_int_eq(m.tf[t].trend,
			    cons_rows[r].trend[t]);
	}
	ck_assert_int_eq(m.tf[2].tdef, 1);		/* a defined 0 */
	ck_assert_int_eq(m.npos, 1);
	ck_assert_int_eq(m.nneg, 1);
}
END_TEST

/*
 * Consensus on a ramp then a drop (closes = minute 0..29, then 0):
 * all up at 0:29 (1), the 5-minute down at 0:34 (1/3), the 10-minute
 * too at 0:39 (-1/3), all down at 0:44 (-1).  A flat series has three
 * defined trends of 0: consensus 0 with ndef 3; one step up then turns
 * the 1-minute trend up: (1 - 0) / 3, the zeros still counted.
 */
START_TEST(consensus_ramp_and_flat)
{
	const struct {
		int	 minute;
		double	 cons;
	} want[] = { { 29, 1.0 }, { 34, 1.0 / 3 }, { 39, -1.0 / 3 },
	    { 44, -1.0 } };
	const int one[] = { 1, 5, 10 };
	struct mtf m, f;
	size_t w = 0;
	double c;
	int i;

	ck_assert_int_eq(mtf_init(&m, sizes3, 3, 1, 2), 0);
	ck_assert_int_eq(mtf_init(&f, sizes3, 3, 1, 2), 0);
	for (i = 0; i < 45; i++) {
		c = i < 30 ? (double)i : 0.0;
		mtf_push(&m, DAY, i, c, c, c, c, 1);
		mtf_push(&f, DAY, i, 7, 7, 7, 7, 1);
		if (w < NELEM(want) && want[w].minute == i) {
			ck_assert_int_eq(m.ndef, 3);
			ck_assert_double_eq_tol(m.cons, want[w].cons, 1e-15);
			w++;
		}
	}
	ck_assert_uint_eq(w, NELEM(want));
	ck_assert_int_eq(f.ndef, 3);
	ck_assert_int_eq(f.npos + f.nneg, 0);
	ck_assert(f.cons == 0.0);
	ck_assert_int_eq(mtf_init(&f, one, 3, 1, 2), 0);
	for (i = 0; i < 20; i++)
		mtf_push(&f, DAY, i, 7, 7, 7, 7, 1);
	ck_assert_int_eq(f.ndef, 3);
	ck_assert(f.cons == 0.0);
	ck_assert_int_eq(mtf_push(&f, DAY, 20, 8, 8, 8, 8, 1), 1);
	ck_assert_int_eq(f.npos, 1);
	ck_assert_int_eq(f.ndef, 3);
	ck_assert(f.cons == 1.0 / 3);
}
END_TEST

/* A deterministic pseudo-random minute stream, three days, with gaps. */
#define SL_T	420

static void
stream(struct min1 *s, int64_t *day)
{
	uint64_t x = 88172645463325252ULL;
	double p = 100.0;
	int i, d = 0, mn = 570;

	for (i = 0; i < SL_T; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		mn += 1 + (x % 5 == 0) + (x % 11 == 0) * 6;
		if (mn > 570 + 150) {
			d++;
			mn = 570 + (int)(x % 3);
		}
		p += (double)((int)(x >> 40) % 41 - 20) / 100;
		day[i] = DAY + d;
		s[i].minute = mn;
		s[i].o = p;
		s[i].h = p + (double)(x % 7) / 10;
		s[i].l = p - (double)((x >> 8) % 7) / 10;
		s[i].c = p + (double)((int)((x >> 16) % 9) - 4) / 20;
		s[i].v = (double)(x % 1000);
	}
}

/*
 * Same state and outputs; 0 or what differs.  Plain C, one assertion a
 * step for the caller: libcheck's assertions each cost a pipe write.
 */
static const char *
differs(const struct mtf *g, const struct mtf *w)
{
	double vg[MTF_NSAVE(5)], vw[MTF_NSAVE(5)];
	size_t ng, nw;
	int t;

	ng = mtf_save(g, vg, NELEM(vg));
	nw = mtf_save(w, vw, NELEM(vw));
	if (ng == 0 || ng != nw || memcmp(vg, vw, ng * sizeof(double)) != 0)
		return "saved state";
	if (g->cons != w->cons || g->ndef != w->ndef || g->npos != w->npos ||
	    g->nneg != w->nneg)
		return "consensus";
	for (t = 0; t < g->n; t++) {
		if (g->tf[t].nnew != w->tf[t].nnew ||
		    memcmp(g->tf[t].done, w->tf[t].done,
		    (size_t)g->tf[t].nnew * sizeof(struct mtf_bar)) != 0)
			return "closed bars";
		if (g->tf[t].trend != w->tf[t].trend ||
		    g->tf[t].tdef != w->tf[t].tdef)
			return "trend";
		if (g->tf[t].nclosed > 0 && memcmp(&g->tf[t].bar,
		    &w->tf[t].bar, sizeof(g->tf[t].bar)) != 0)
			return "latest bar";
	}
	return NULL;
}

/*
 * Stop after k bars, save, load into a fresh struct, go on: after every
 * later push the state and every output equal the straight run's, for
 * every k, with the EMAs caught mid-seed and buckets mid-way.
 */
START_TEST(save_load_is_seamless)
{
	const int sz[] = { 5, 10, 15, 1, 7 };
	struct min1 *s = calloc(SL_T, sizeof(*s));
	int64_t *day = calloc(SL_T, sizeof(*day));
	struct mtf *st = calloc(SL_T + 1, sizeof(*st));
	double v[MTF_NSAVE(5)];
	const char *why;
	struct mtf h;
	size_t len;
	int i, k, rv;

	stream(s, day);
	ck_assert_int_eq(mtf_init(&st[0], sz, 5, 3, 4), 0);
	for (i = 0; i < SL_T; i++) {
		st[i + 1] = st[i];
		ck_assert_int_ge(push1(&st[i + 1], day[i], &s[i]), 0);
	}
	ck_assert_int_eq(st[SL_T].ndef, 5);
	for (k = 0; k <= SL_T; k++) {
		len = mtf_save(&st[k], v, NELEM(v));
		ck_assert(len > 0);
		ck_assert_uint_eq(mtf_save(&st[k], v, len - 1), 0);
		ck_assert_int_eq(mtf_init(&h, sz, 5, 3, 4), 0);
		ck_assert_int_eq(mtf_load(&h, v, len), 0);
		ck_assert(h.cons == st[k].cons && h.ndef == st[k].ndef);
		for (i = k; i < SL_T; i++) {
			rv = push1(&h, day[i], &s[i]);
			why = differs(&h, &st[i + 1]);
			if (rv < 0 || why != NULL)
				ck_abort_msg("split %d, push %d: %s", k, i,
				    why != NULL ? why : "refused");
		}
	}
	free(st);
	free(day);
	free(s);
}
END_TEST

/* A state that does not fit is refused, and m is unchanged. */
START_TEST(load_refuses_a_misfit)
{
	const int other[] = { 5, 10, 30 };
	double v[MTF_NSAVE(3)], w[MTF_NSAVE(3)];
	double v0[MTF_NSAVE(3)], v1[MTF_NSAVE(3)];
	struct mtf m, h;
	size_t len, n0;
	int i;

	ck_assert_int_eq(mtf_init(&m, sizes3, 3, 2, 3), 0);
	for (i = 0; i < 12; i++)
		push1(&m, DAY, &hand[i]);
	len = mtf_save(&m, v, NELEM(v));
	ck_assert(len > 0 && len < NELEM(w));	/* EMA(3)s mid-seed */
	ck_assert_int_eq(mtf_init(&h, other, 3, 2, 3), 0);
	ck_assert_int_eq(mtf_load(&h, v, len), -1);
	ck_assert_int_eq(mtf_init(&h, sizes3, 2, 2, 3), 0);
	ck_assert_int_eq(mtf_load(&h, v, len), -1);
	ck_assert_int_eq(mtf_init(&h, sizes3, 3, 2, 4), 0);
	ck_assert_int_eq(mtf_load(&h, v, len), -1);
	ck_assert_int_eq(mtf_init(&h, sizes3, 3, 2, 3), 0);
	for (i = 0; i < 3; i++)
		push1(&h, DAY, &hand[i]);
	n0 = mtf_save(&h, v0, NELEM(v0));
	ck_assert_int_eq(mtf_load(&h, v, len - 1), -1);
	memcpy(w, v, len * sizeof(double));
	w[len] = 0;
	ck_assert_int_eq(mtf_load(&h, w, len + 1), -1);	/* extra */
	memcpy(w, v, len * sizeof(double));
	w[3] = 0.5;					/* started */
	ck_assert_int_eq(mtf_load(&h, w, len), -1);
	memcpy(w, v, len * sizeof(double));
	w[5] = 615;		/* the open 10:10 5-min bucket lacks it */
	ck_assert_int_eq(mtf_load(&h, w, len), -1);
	memcpy(w, v, len * sizeof(double));
	w[6 + 1] = 2;					/* open flag */
	ck_assert_int_eq(mtf_load(&h, w, len), -1);
	memcpy(w, v, len * sizeof(double));
	w[6 + 4] = 6;					/* nbar > 5 */
	ck_assert_int_eq(mtf_load(&h, w, len), -1);
	memcpy(w, v, len * sizeof(double));
	w[6 + 10] = 1.5;				/* nclosed */
	ck_assert_int_eq(mtf_load(&h, w, len), -1);
	ck_assert_uint_eq(mtf_save(&h, v1, NELEM(v1)), n0);
	ck_assert(memcmp(v0, v1, n0 * sizeof(double)) == 0);
	ck_assert_int_eq(mtf_load(&h, v, len), 0);
	ck_assert(h.minute == 611 && h.tf[2].cur.nbar == 12);
}
END_TEST

static Suite *
mtf_suite(void)
{
	Suite *s = suite_create("mtf");
	TCase *tc = tcase_create("mtf");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, init_refuses_bad_sizes);
	tcase_add_test(tc, hand_series_bars);
	tcase_add_test(tc, no_look_ahead);
	tcase_add_test(tc, missing_last_minute);
	tcase_add_test(tc, gap_closes_two);
	tcase_add_test(tc, session_change);
	tcase_add_test(tc, day_end_and_size_one);
	tcase_add_test(tc, refuses_bad_bars);
	tcase_add_test(tc, consensus_hand_series);
	tcase_add_test(tc, consensus_ramp_and_flat);
	tcase_add_test(tc, save_load_is_seamless);
	tcase_add_test(tc, load_refuses_a_misfit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mtf_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
