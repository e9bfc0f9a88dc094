/*
 * test_structure.c: lib/structure.c, each detector at its boundaries
 * (just inside, just outside every threshold, each side by mirroring),
 * pivots never known early, and state split across save and load.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "structure.h"

#define T0	1700000000000LL		/* instant of bar 0, ms */
#define MIN	60000LL
#define NITEMS(a)	(sizeof(a) / sizeof((a)[0]))

/* A bar of a table: prices and volume; atr and t come with the index. */
struct row {
	double	 o, h, l, c, v;
};

static struct structure_bar
mk(const struct row *r, int i, double atr)
{
	struct structure_bar b;

	b.o = r->o;
	b.h = r->h;
	b.l = r->l;
	b.c = r->c;
	b.v = r->v;
	b.t = T0 + i * MIN;
	b.atr = atr;
	return b;
}

/* The mirror image: highs become lows, bullish becomes bearish. */
static struct structure_bar
flip(struct structure_bar b)
{
	double h = b.h;

	b.o = -b.o;
	b.h = -b.l;
	b.l = -h;
	b.c = -b.c;
	return b;
}

static struct structure_bar
mkside(const struct row *r, int i, double atr, int mirror)
{
	struct structure_bar b = mk(r, i, atr);

	return mirror ? flip(b) : b;
}

/*
 * Pivots.
 */

/* A peak at bar 2 (L 2), then falling highs: reported at bar 2 + R. */
START_TEST(piv_reported_when_right_bars_close)
{
	const double hs[] = { 10, 11, 15, 14, 13, 12, 11.5, 11.25, 11 };
	struct structure_lvl buf[STRUCTURE_PIV_NBUF(2, 3, 4)];
	struct structure_piv_par par = { 2, 0, 4 };
	struct structure_piv p;
	struct structure_bar b;
	struct row r;
	int i, side, right = _i, fired;

	for (side = 0; side < 2; side++) {
		par.right = right;
		ck_assert_int_eq(structure_piv_init(&p, &par, buf), 0);
		for (i = 0; i < (int)NITEMS(hs); i++) {
			/* Rising lows: the other side never pivots. */
			r.l = i;
			r.h = hs[i];
			r.o = r.c = (r.h + r.l) / 2;
			r.v = 1;
			b = mkside(&r, i, NAN, side);
			fired = structure_piv_push(&p, &b);
			/* One bar early would be one bar of look-ahead. */
			ck_assert_int_eq(fired, i == 2 + right);
			ck_assert_int_eq(side ? p.pl_new : p.ph_new,
			    i == 2 + right);
			ck_assert_int_eq(side ? p.ph_new : p.pl_new, 0);
			if (i < 2 + right) {
				ck_assert_int_eq(side ? p.pl.idx : p.ph.idx,
				    -1);
				continue;
			}
			/* Its own bar's index, instant and price. */
			if (side) {
				ck_assert_int_eq(p.pl.idx, 2);
				ck_assert(p.pl.t == T0 + 2 * MIN);
				ck_assert(p.pl.px == -15);
			} else {
				ck_assert_int_eq(p.ph.idx, 2);
				ck_assert(p.ph.t == T0 + 2 * MIN);
				ck_assert(p.ph.px == 15);
			}
		}
		ck_assert_int_eq(side ? p.nl : p.nh, 1);
	}
}
END_TEST

/* Highs of six bars (lows rising), L 2 and R 2: where a pivot shows. */
static const struct {
	const char	*name;
	double		 h[6];
	int		 at;		/* bar reporting it, -1 none */
	int		 idx;		/* the pivot */
} piv_cases[] = {
	{ "clear peak", { 10, 11, 15, 14, 13, 12 }, 4, 2 },
	{ "left tie is no pivot (strict)", { 15, 11, 15, 14, 13, 12 },
	    -1, 0 },
	{ "left just below", { 14.75, 11, 15, 14, 13, 12 }, 4, 2 },
	{ "tie at i+1 allowed", { 10, 11, 15, 15, 13, 12 }, 4, 2 },
	{ "tie at i+R allowed", { 10, 11, 15, 14, 15, 12 }, 4, 2 },
	{ "above at i+R spoils it", { 10, 11, 15, 14, 15.25, 12 }, -1, 0 },
	{ "above at i+1 moves it", { 10, 11, 15, 15.25, 13, 12 }, 5, 3 },
	{ "first L bars never pivot", { 15, 11, 10, 9, 8, 7 }, -1, 0 },
};

START_TEST(piv_boundaries)
{
	struct structure_lvl buf[STRUCTURE_PIV_NBUF(2, 2, 2)];
	struct structure_piv_par par = { 2, 2, 2 };
	struct structure_piv p;
	struct structure_bar b;
	struct row r;
	int i, side, at;

	for (side = 0; side < 2; side++) {
		ck_assert_int_eq(structure_piv_init(&p, &par, buf), 0);
		at = -1;
		for (i = 0; i < 6; i++) {
			r.l = i;
			r.h = piv_cases[_i].h[i];
			r.o = r.c = r.l;
			r.v = 0;
			b = mkside(&r, i, NAN, side);
			if (structure_piv_push(&p, &b) == 1) {
				ck_assert_msg(at == -1, "%s: twice",
				    piv_cases[_i].name);
				at = i;
				ck_assert_int_eq(side ? p.pl.idx : p.ph.idx,
				    piv_cases[_i].idx);
			}
		}
		ck_assert_msg(at == piv_cases[_i].at, "%s (side %d): at %d",
		    piv_cases[_i].name, side, at);
	}
}
END_TEST

/* L 1, R 1, K 2: the levels held and the distances to them. */
START_TEST(piv_levels_and_distances)
{
	static const struct row bars[] = {
		{ 102, 105, 100, 104, 1 },
		{ 104, 110, 102, 108, 1 },	/* high 110 */
		{ 108, 108, 95, 96, 1 },	/* low 95 */
		{ 98, 112, 97, 111, 1 },
		{ 111, 120, 99, 118, 1 },	/* high 120 */
		{ 114, 115, 98, 100, 1 },	/* low 98 */
		{ 102, 114, 101, 104, 1 },
		{ 106, 111, 105, 110, 1 },	/* close on 110 */
		{ 110, 122, 110, 121, 1 },	/* high 122, above all */
		{ 112, 119, 105, 109, 1 },	/* 110 dropped */
	};
	struct structure_lvl buf[STRUCTURE_PIV_NBUF(1, 1, 2)];
	struct structure_piv_par par = { 1, 1, 2 };
	struct structure_piv p;
	struct structure_bar b;
	int i;

	ck_assert_int_eq(structure_piv_init(&p, &par, buf), 0);
	for (i = 0; i <= 6; i++) {
		b = mk(&bars[i], i, 4);
		ck_assert_int_ge(structure_piv_push(&p, &b), 0);
	}
	ck_assert_int_eq(p.nh, 2);
	ck_assert_int_eq(p.nl, 2);
	ck_assert(structure_piv_high(&p, 0)->px == 120);
	ck_assert(structure_piv_high(&p, 1)->px == 110);
	ck_assert(structure_piv_high(&p, 2) == NULL);
	ck_assert(structure_piv_low(&p, 0)->px == 98);
	ck_assert(structure_piv_low(&p, 1)->px == 95);
	ck_assert_int_eq(p.pl_new, 1);
	ck_assert_int_eq(p.pl.idx, 5);
	/* Close 104: resistance 110, support 98 (the pivot just made). */
	ck_assert_int_eq(p.has_res, 1);
	ck_assert(p.res.px == 110 && p.res.idx == 1);
	ck_assert(p.res.t == T0 + MIN);
	ck_assert_double_eq_tol(p.res_pct, 600.0 / 104, 1e-12);
	ck_assert(p.res_atr == 1.5);
	ck_assert_int_eq(p.has_sup, 1);
	ck_assert(p.sup.px == 98 && p.sup.idx == 5);
	ck_assert_double_eq_tol(p.sup_pct, 600.0 / 104, 1e-12);
	ck_assert(p.sup_atr == 1.5);

	/* On a level: it is both, at distance 0. */
	b = mk(&bars[7], 7, 4);
	ck_assert_int_eq(structure_piv_push(&p, &b), 0);
	ck_assert(p.res.px == 110 && p.sup.px == 110);
	ck_assert(p.res_pct == 0 && p.res_atr == 0);
	ck_assert(p.sup_pct == 0 && p.sup_atr == 0);

	/* Above every level: no resistance. */
	b = mk(&bars[8], 8, 4);
	ck_assert_int_eq(structure_piv_push(&p, &b), 0);
	ck_assert_int_eq(p.has_res, 0);
	ck_assert(isnan(p.res.px) && isnan(p.res_pct) && isnan(p.res_atr));
	ck_assert(p.sup.px == 120);
	ck_assert(p.sup_atr == 0.25);

	/* 122 is reported and 110 falls out (K 2); no ATR, no _atr. */
	b = mk(&bars[9], 9, NAN);
	ck_assert_int_eq(structure_piv_push(&p, &b), 1);
	ck_assert(p.ph.px == 122 && p.ph.idx == 8);
	ck_assert(structure_piv_high(&p, 1)->px == 120);
	ck_assert(p.res.px == 120);
	ck_assert_double_eq_tol(p.res_pct, 1100.0 / 109, 1e-12);
	ck_assert(isnan(p.res_atr));
	ck_assert(p.sup.px == 98);
	ck_assert(isnan(p.sup_atr));
}
END_TEST

/* A high and a later low at one price: the nearer is the more recent. */
START_TEST(piv_equal_levels_take_the_newer)
{
	static const struct row bars[] = {
		{ 100, 105, 99, 104, 1 },
		{ 104, 110, 103, 106, 1 },	/* high 110 */
		{ 106, 107, 101, 102, 1 },	/* low 101 */
		{ 102, 112, 101, 111, 1 },
		{ 111, 115, 111, 114, 1 },
		{ 114, 116, 110, 111, 1 },	/* high 116, low 110 */
		{ 111, 113, 110.5, 112, 1 },
		{ 112, 112.5, 108, 109, 1 },
	};
	struct structure_lvl buf[STRUCTURE_PIV_NBUF(1, 1, 3)];
	struct structure_piv_par par = { 1, 1, 3 };
	struct structure_piv p;
	struct structure_bar b;
	int i;

	ck_assert_int_eq(structure_piv_init(&p, &par, buf), 0);
	for (i = 0; i < (int)NITEMS(bars); i++) {
		b = mk(&bars[i], i, 2);
		ck_assert_int_ge(structure_piv_push(&p, &b), 0);
	}
	ck_assert_int_eq(p.nh, 2);
	ck_assert_int_eq(p.nl, 2);
	ck_assert(p.res.px == 110);
	ck_assert_int_eq(p.res.idx, 5);
	ck_assert(p.res.t == T0 + 5 * MIN);
	ck_assert(p.res_atr == 0.5);
	ck_assert(p.sup.px == 101 && p.sup.idx == 2);
}
END_TEST

/*
 * Sweeps.  Bars 0..2 leave a pivot high at 100 (bar 1, L 1, R 1) and
 * volumes of 10; the case is bar 3.  The mirror is a sweep of lows.
 */
static const struct row sweep_pre[3] = {
	{ 96, 97, 94, 96, 10 },
	{ 96, 100, 95, 99, 10 },
	{ 97, 98, 96, 97, 10 },
};

static const struct {
	const char	*name;
	int		 nvol;
	double		 wick;
	struct row	 bar;
	double		 atr;
	int		 dir;
	double		 conf;
} sweep_cases[] = {
	{ "every threshold met, volume exactly 1.5x", 2, 1,
	    { 99, 101, 97, 98, 15 }, 4, -1, (0.5 + 0.75 + 0.5) / 3 },
	{ "volume just short", 2, 1, { 99, 101, 97, 98, 14.75 }, 4, 0, 0 },
	{ "mean of N undefined yet", 4, 1, { 99, 101, 97, 98, 15 }, 4, 0, 0 },
	{ "high at the level, not above", 2, 1, { 99, 100, 97, 98, 15 }, 4,
	    0, 0 },
	{ "high just above", 2, 1, { 99, 100.25, 97, 98, 15 }, 4, -1,
	    (1.25 / 3.25 + 0.75 + 0.125) / 3 },
	{ "close at the level", 2, 1, { 99, 101, 97, 100, 15 }, 4, 0, 0 },
	{ "close just below", 2, 1, { 99, 101, 97, 99.75, 15 }, 4, -1,
	    (1.25 / 4 + 0.75 + 0.5) / 3 },
	{ "wick exactly w x body", 2, 1, { 99.5, 101, 97, 98, 15 }, 4, -1,
	    (1.5 / 4 + 0.75 + 0.5) / 3 },
	{ "wick just short", 2, 1, { 99.75, 101, 97, 98, 15 }, 4, 0, 0 },
	{ "w 2: wick exactly 2x", 2, 2, { 99, 101, 97, 98, 15 }, 4, -1,
	    (0.5 + 0.75 + 0.5) / 3 },
	{ "w 2.25: wick short", 2, 2.25, { 99, 101, 97, 98, 15 }, 4, 0, 0 },
	{ "no ATR: no depth term", 2, 1, { 99, 101, 97, 98, 15 }, NAN, -1,
	    (0.5 + 0.75) / 3 },
	{ "deep and loud: terms saturate", 2, 1, { 99, 103, 97, 98, 40 }, 2,
	    -1, (4.0 / 6 + 1 + 1) / 3 },
};

static void
sweep_par(struct structure_sweep_par *par, int right, int nvol, double w)
{
	structure_sweep_default(par);
	par->left = 1;
	par->right = right;
	par->nvol = nvol;
	par->wick = w;
	par->vol = 1.5;
	par->vol_sat = 2;
	par->depth_sat = 0.5;
}

START_TEST(sweep_boundaries)
{
	struct structure_lvl pbuf[STRUCTURE_PIV_NBUF(1, 1, 1)];
	struct structure_sweep_par par;
	struct structure_sweep s;
	struct structure_bar b;
	double vbuf[4];
	int i, side, fired, want;

	sweep_par(&par, 1, sweep_cases[_i].nvol, sweep_cases[_i].wick);
	for (side = 0; side < 2; side++) {
		ck_assert_int_eq(structure_sweep_init(&s, &par, pbuf, vbuf),
		    0);
		for (i = 0; i < 3; i++) {
			b = mkside(&sweep_pre[i], i, 4, side);
			ck_assert_int_eq(structure_sweep_push(&s, &b), 0);
		}
		b = mkside(&sweep_cases[_i].bar, 3, sweep_cases[_i].atr, side);
		fired = structure_sweep_push(&s, &b);
		want = side ? -sweep_cases[_i].dir : sweep_cases[_i].dir;
		ck_assert_msg(s.dir == want && fired == (want != 0),
		    "%s (side %d): dir %d", sweep_cases[_i].name, side, s.dir);
		ck_assert_double_eq_tol(s.conf, sweep_cases[_i].conf, 1e-12);
		if (want == 0) {
			ck_assert_int_eq(s.level.idx, -1);
			continue;
		}
		ck_assert(s.level.px == (side ? -100 : 100));
		ck_assert_int_eq(s.level.idx, 1);
		ck_assert(s.level.t == T0 + MIN);
		ck_assert(s.conf > 0 && s.conf <= 1);
	}
}
END_TEST

/* A level is taken by the first trade through it, swept or not. */
START_TEST(sweep_level_taken_once)
{
	static const struct row quiet = { 99, 101, 97, 98, 14.75 };
	static const struct row loud = { 99, 101, 97, 98, 30 };
	struct structure_lvl pbuf[STRUCTURE_PIV_NBUF(1, 1, 1)];
	struct structure_sweep_par par;
	struct structure_sweep s;
	struct structure_bar b;
	double vbuf[2];
	int i, side;

	sweep_par(&par, 1, 2, 1);
	for (side = 0; side < 2; side++) {
		structure_sweep_init(&s, &par, pbuf, vbuf);
		for (i = 0; i < 3; i++) {
			b = mkside(&sweep_pre[i], i, 4, side);
			ck_assert_int_ge(structure_sweep_push(&s, &b), 0);
		}
		b = mkside(&quiet, 3, 4, side);
		ck_assert_int_eq(structure_sweep_push(&s, &b), 0);
		b = mkside(&loud, 4, 4, side);
		ck_assert_int_eq(structure_sweep_push(&s, &b), 0);
		ck_assert_int_eq(s.dir, 0);
	}
}
END_TEST

/* An outside bar sweeping both sides is neither; a new pivot is live. */
START_TEST(sweep_both_sides_is_neither)
{
	static const struct row bars[] = {
		{ 100, 101, 97, 100, 10 },
		{ 100, 104, 99, 103, 10 },	/* high 104 */
		{ 101, 102, 96, 97, 10 },	/* low 96 */
		{ 98, 99, 97, 98, 10 },
		{ 100, 105, 95, 100, 30 },	/* through both */
		{ 101, 104.5, 99, 100, 30 },	/* 104 was taken */
		{ 101, 105.5, 100, 101, 45 },	/* sweeps 105 (bar 4) */
	};
	static const int want[] = { 0, 0, 0, 0, 0, 0, -1 };
	struct structure_lvl pbuf[STRUCTURE_PIV_NBUF(1, 1, 1)];
	struct structure_sweep_par par;
	struct structure_sweep s;
	struct structure_bar b;
	double vbuf[2];
	int i;

	sweep_par(&par, 1, 2, 1);
	structure_sweep_init(&s, &par, pbuf, vbuf);
	for (i = 0; i < (int)NITEMS(bars); i++) {
		b = mk(&bars[i], i, 4);
		ck_assert_int_ge(structure_sweep_push(&s, &b), 0);
		ck_assert_msg(s.dir == want[i], "bar %d: dir %d", i, s.dir);
	}
	ck_assert(s.level.px == 105 && s.level.idx == 4);
}
END_TEST

/*
 * The case "every threshold met" with R 2: bar 3 is bar 1's second
 * right-hand bar and higher, so bar 1 is no pivot and nothing was
 * swept.  A detector that knew bar 1 after one right bar would fire.
 */
START_TEST(sweep_needs_a_confirmed_pivot)
{
	struct structure_lvl pbuf[STRUCTURE_PIV_NBUF(1, 2, 1)];
	struct structure_sweep_par par;
	struct structure_sweep s;
	struct structure_bar b;
	double vbuf[2];
	int i, side;

	sweep_par(&par, 2, 2, 1);
	for (side = 0; side < 2; side++) {
		structure_sweep_init(&s, &par, pbuf, vbuf);
		for (i = 0; i < 3; i++) {
			b = mkside(&sweep_pre[i], i, 4, side);
			ck_assert_int_ge(structure_sweep_push(&s, &b), 0);
		}
		b = mkside(&sweep_cases[0].bar, 3, 4, side);
		ck_assert_int_eq(structure_sweep_push(&s, &b), 0);
		ck_assert_int_eq(s.piv.nh + s.piv.nl, 0);
	}
}
END_TEST

/*
 * Order blocks: k 2, x 1.5, ATR 2, so an impulse is 3.  Bar 1 is
 * bearish (body 9..10); the rows are bars 2 on.  Mirrored: bearish
 * blocks.
 */
static const struct row ob_pre[2] = {
	{ 10, 11.5, 9.5, 11, 0 },
	{ 10, 10.5, 8.5, 9, 0 },
};

static const struct {
	const char	*name;
	int		 k;
	double		 pad;
	int		 noatr;		/* the last bar has no ATR */
	int		 n;
	struct row	 bar[3];	/* bars 2.. */
	int		 at;		/* bar that makes it, -1 none */
	double		 lo, hi, strength;
	int		 idx;
} ob_cases[] = {
	{ "impulse exactly x ATR in k bars", 2, 0, 0, 2,
	    { { 9, 11, 9, 10.5, 0 }, { 10.5, 12.5, 10, 12, 0 } },
	    3, 9, 10, 1.5, 1 },
	{ "impulse just short", 2, 0, 0, 3,
	    { { 9, 11, 9, 10.5, 0 }, { 10.5, 12.5, 10, 11.75, 0 },
	    { 11.75, 13.5, 11.75, 13, 0 } }, -1, 0, 0, 0, 0 },
	{ "k + 1 bars is too slow", 2, 0, 0, 3,
	    { { 9, 10, 9, 9.5, 0 }, { 9.5, 11, 9.5, 10.5, 0 },
	    { 10.5, 12.5, 10.5, 12, 0 } }, -1, 0, 0, 0, 0 },
	{ "k 3 lets it through", 3, 0, 0, 3,
	    { { 9, 10, 9, 9.5, 0 }, { 9.5, 11, 9.5, 10.5, 0 },
	    { 10.5, 12.5, 10.5, 12, 0 } }, 4, 9, 10, 1.5, 1 },
	{ "a doji does not end the move", 2, 0, 0, 2,
	    { { 10, 10.5, 9.5, 10, 0 }, { 10, 12.5, 10, 12, 0 } },
	    3, 9, 10, 1.5, 1 },
	{ "a later bearish bar is the block", 2, 0, 0, 2,
	    { { 10.5, 10.75, 9.75, 10, 0 }, { 10, 13.25, 10, 13, 0 } },
	    3, 10, 10.5, 1.5, 2 },
	{ "a bearish impulse bar ends it", 2, 0, 0, 2,
	    { { 9, 11, 9, 10.5, 0 }, { 12.5, 12.75, 11.75, 12, 0 } },
	    -1, 0, 0, 0, 0 },
	{ "no ATR, no block", 2, 0, 1, 2,
	    { { 9, 11, 9, 10.5, 0 }, { 10.5, 12.5, 10, 12, 0 } },
	    -1, 0, 0, 0, 0 },
	{ "pad widens the body", 2, 0.25, 0, 2,
	    { { 9, 11, 9, 10.5, 0 }, { 10.5, 12.5, 10, 12, 0 } },
	    3, 8.5, 10.5, 1.5, 1 },
};

START_TEST(ob_impulse_boundaries)
{
	struct structure_zone buf[4];
	struct structure_ob_par par = { 2, 1.5, 0, 2 };
	struct structure_ob ob;
	struct structure_bar b;
	int i, side, at, nb, last = 1 + ob_cases[_i].n;
	double atr;

	par.k = ob_cases[_i].k;
	par.pad = ob_cases[_i].pad;
	for (side = 0; side < 2; side++) {
		ck_assert_int_eq(structure_ob_init(&ob, &par, buf), 0);
		at = -1;
		for (i = 0; i <= last; i++) {
			atr = (i == last && ob_cases[_i].noatr) ? NAN : 2;
			b = mkside(i < 2 ? &ob_pre[i] :
			    &ob_cases[_i].bar[i - 2], i, atr, side);
			ck_assert_int_eq(structure_ob_push(&ob, &b), 0);
			ck_assert_int_eq(side ? ob.new_bull : ob.new_bear, 0);
			if (side ? ob.new_bear : ob.new_bull)
				at = i;
		}
		ck_assert_msg(at == ob_cases[_i].at, "%s (side %d): at %d",
		    ob_cases[_i].name, side, at);
		nb = side ? ob.nbear : ob.nbull;
		ck_assert_int_eq(nb, at >= 0);
		if (at < 0)
			continue;
		if (side) {
			ck_assert(ob.bear[0].lo == -ob_cases[_i].hi);
			ck_assert(ob.bear[0].hi == -ob_cases[_i].lo);
		} else {
			ck_assert(ob.bull[0].lo == ob_cases[_i].lo);
			ck_assert(ob.bull[0].hi == ob_cases[_i].hi);
		}
		ck_assert((side ? ob.bear : ob.bull)[0].strength ==
		    ob_cases[_i].strength);
		ck_assert_int_eq((side ? ob.bear : ob.bull)[0].idx,
		    ob_cases[_i].idx);
		ck_assert_int_eq((side ? ob.bear : ob.bull)[0].made, at);
		ck_assert((side ? ob.bear : ob.bull)[0].t ==
		    T0 + ob_cases[_i].idx * MIN);
		ck_assert_int_eq((side ? ob.bear : ob.bull)[0].fresh, 1);
	}
}
END_TEST

/* The block [9, 10] made at bar 3, then revisited and broken. */
START_TEST(ob_retest_fresh_and_broken)
{
	static const struct row bars[] = {
		{ 10, 11.5, 9.5, 11, 0 },
		{ 10, 10.5, 8.5, 9, 0 },
		{ 9, 11, 9, 10.5, 0 },		/* in the zone: not made */
		{ 10.5, 12.5, 10, 12, 0 },	/* makes it, touching */
		{ 12, 12.5, 10.25, 12, 0 },	/* just above it */
		{ 12, 12.5, 10, 11, 0 },	/* touches: first, fresh */
		{ 11, 11.5, 9.5, 11, 0 },	/* again: not fresh */
		{ 11, 11, 8.5, 9, 0 },		/* closes on lo: kept */
		{ 9, 9.5, 8.5, 8.75, 0 },	/* closes below: broken */
	};
	static const int retest[] = { 0, 0, 0, 0, 0, 1, 1, 1, 0 };
	static const int fresh[] = { 0, 0, 0, 0, 0, 1, 0, 0, 0 };
	static const int held[] = { 0, 0, 0, 1, 1, 1, 1, 1, 0 };
	struct structure_zone buf[4], z;
	struct structure_ob_par par = { 2, 1.5, 0, 2 };
	struct structure_ob ob;
	struct structure_bar b;
	int i, side, r;

	for (side = 0; side < 2; side++) {
		structure_ob_init(&ob, &par, buf);
		for (i = 0; i < (int)NITEMS(bars); i++) {
			b = mkside(&bars[i], i, 2, side);
			r = structure_ob_push(&ob, &b);
			ck_assert_msg(r == retest[i], "bar %d side %d", i,
			    side);
			ck_assert_int_eq(side ? ob.retest_bear :
			    ob.retest_bull, retest[i]);
			ck_assert_int_eq(side ? ob.retest_bull :
			    ob.retest_bear, 0);
			ck_assert_int_eq(side ? ob.nbear : ob.nbull, held[i]);
			if (!retest[i])
				continue;
			z = side ? ob.rbear : ob.rbull;
			ck_assert_int_eq(z.fresh, fresh[i]);
			ck_assert_int_eq(z.idx, 1);
			ck_assert(z.lo == (side ? -10 : 9));
		}
	}
}
END_TEST

/* keep 1: a newer block pushes the older out. */
START_TEST(ob_keeps_the_newest)
{
	static const struct row bars[] = {
		{ 10, 10.5, 8.5, 9, 0 },
		{ 9, 12.5, 9, 12, 0 },		/* block 0 */
		{ 12, 12.5, 11, 11.5, 0 },
		{ 11.5, 15, 11.5, 14.5, 0 },	/* block 2 */
	};
	struct structure_zone buf[2];
	struct structure_ob_par par = { 2, 1.5, 0, 1 };
	struct structure_ob ob;
	struct structure_bar b;
	int i;

	structure_ob_init(&ob, &par, buf);
	for (i = 0; i < (int)NITEMS(bars); i++) {
		b = mk(&bars[i], i, 2);
		ck_assert_int_ge(structure_ob_push(&ob, &b), 0);
		ck_assert_int_eq(ob.new_bull, i == 1 || i == 3);
	}
	ck_assert_int_eq(ob.nbull, 1);
	ck_assert_int_eq(ob.bull[0].idx, 2);
	ck_assert(ob.bull[0].lo == 11.5 && ob.bull[0].hi == 12);
}
END_TEST

/*
 * CHOCH, L 1 and R 1.  Bars 0..6 leave highs 110 then 108 and lows 100
 * then 96 (the last reported at bar 6): bearish.  Mirrored: bullish.
 */
static const struct row choch_pre[7] = {
	{ 102, 104, 101, 103, 0 },
	{ 104, 110, 103, 109, 0 },
	{ 105, 106, 100, 101, 0 },
	{ 103, 105, 102, 104, 0 },
	{ 104, 108, 101, 107, 0 },
	{ 103, 104, 96, 97, 0 },
	{ 98, 103, 97, 102, 0 },
};

static const struct {
	const char	*name;
	int		 n;
	struct row	 bar[3];	/* bars 7.. */
	int		 want[3];
} choch_cases[] = {
	{ "close just above the lower high", 1,
	    { { 102, 108.5, 101, 108.25, 0 } }, { 1 } },
	{ "close at it, then above", 2,
	    { { 102, 108.5, 101, 108, 0 }, { 108, 109, 107, 108.25, 0 } },
	    { 0, 1 } },
	{ "once per pivot", 3,
	    { { 102, 108.5, 101, 108.25, 0 }, { 108, 108.75, 107, 107.5, 0 },
	    { 107.5, 109, 107, 108.5, 0 } }, { 1, 0, 0 } },
};

START_TEST(choch_boundaries)
{
	struct structure_lvl buf[STRUCTURE_PIV_NBUF(1, 1, 2)];
	struct structure_choch_par par = { 1, 1 };
	struct structure_choch ch;
	struct structure_bar b;
	int i, side, sign;

	for (side = 0; side < 2; side++) {
		sign = side ? -1 : 1;
		ck_assert_int_eq(structure_choch_init(&ch, &par, buf), 0);
		for (i = 0; i < 7; i++) {
			b = mkside(&choch_pre[i], i, NAN, side);
			ck_assert_int_eq(structure_choch_push(&ch, &b), 0);
			ck_assert_int_eq(ch.trend, i == 6 ? -sign : 0);
		}
		for (i = 0; i < choch_cases[_i].n; i++) {
			b = mkside(&choch_cases[_i].bar[i], 7 + i, NAN, side);
			ck_assert_int_ge(structure_choch_push(&ch, &b), 0);
			ck_assert_msg(ch.dir == sign * choch_cases[_i].want[i],
			    "%s (side %d) bar %d: %d", choch_cases[_i].name,
			    side, 7 + i, ch.dir);
			if (ch.dir == 0)
				continue;
			ck_assert(ch.level.px == sign * 108);
			ck_assert_int_eq(ch.level.idx, 4);
		}
	}
}
END_TEST

/*
 * The structure turns bearish at bar 6, whose close is already above
 * the lower high: not a CHOCH at bar 6 (it was not known before), and
 * not at bar 7, which closes higher still without crossing.
 */
START_TEST(choch_waits_for_a_cross)
{
	static const struct row late[2] = {
		{ 98, 109, 97, 108.5, 0 },
		{ 108.5, 109, 108, 108.75, 0 },
	};
	struct structure_lvl buf[STRUCTURE_PIV_NBUF(1, 1, 2)];
	struct structure_choch_par par = { 1, 1 };
	struct structure_choch ch;
	struct structure_bar b;
	int i, side;

	for (side = 0; side < 2; side++) {
		structure_choch_init(&ch, &par, buf);
		for (i = 0; i < 8; i++) {
			b = mkside(i < 6 ? &choch_pre[i] : &late[i - 6], i,
			    NAN, side);
			ck_assert_int_eq(structure_choch_push(&ch, &b), 0);
			if (i == 6)
				ck_assert_int_eq(ch.trend, side ? 1 : -1);
		}
	}
}
END_TEST

/*
 * Candles: engulfing from (o1, c1) to (o, c), bars without wicks so
 * that no pin fires; pins with r 2, f 0.625 (exact in binary).
 */
static const struct {
	const char	*name;
	double		 o1, c1, o, c;
	int		 want;
} engulf_cases[] = {
	{ "covers, top beyond", 10, 8, 8, 10.5, 1 },
	{ "covers, bottom beyond", 10, 8, 7.5, 10, 1 },
	{ "equal bodies", 10, 8, 8, 10, 0 },
	{ "bottom short", 10, 8, 8.25, 11, 0 },
	{ "top short", 10, 8, 7, 9.75, 0 },
	{ "same colour", 8, 10, 7, 11, 0 },
	{ "previous doji", 9, 9, 8, 10, 0 },
	{ "this doji", 10, 8, 9, 9, 0 },
};

START_TEST(engulf_boundaries)
{
	struct structure_candle_par par = { 2, 0.625 };
	struct structure_candle cd;
	struct structure_bar b;
	struct row r;
	int side, want;

	for (side = 0; side < 2; side++) {
		ck_assert_int_eq(structure_candle_init(&cd, &par), 0);
		r.o = engulf_cases[_i].o1;
		r.c = engulf_cases[_i].c1;
		r.h = fmax(r.o, r.c);
		r.l = fmin(r.o, r.c);
		r.v = 1;
		b = mkside(&r, 0, NAN, side);
		ck_assert_int_eq(structure_candle_push(&cd, &b), 0);
		r.o = engulf_cases[_i].o;
		r.c = engulf_cases[_i].c;
		r.h = fmax(r.o, r.c);
		r.l = fmin(r.o, r.c);
		b = mkside(&r, 1, NAN, side);
		want = side ? -engulf_cases[_i].want : engulf_cases[_i].want;
		ck_assert_int_eq(structure_candle_push(&cd, &b), want != 0);
		ck_assert_msg(cd.engulf == want, "%s (side %d): %d",
		    engulf_cases[_i].name, side, cd.engulf);
		ck_assert_int_eq(cd.pin, 0);
	}
}
END_TEST

static const struct {
	const char	*name;
	struct row	 bar;
	int		 want;
} pin_cases[] = {
	{ "hammer", { 8, 10, 0, 9, 0 }, 1 },
	{ "red hammer", { 9, 10, 0, 8, 0 }, 1 },
	{ "doji on the high", { 10, 10, 0, 10, 0 }, 1 },
	{ "wick exactly r x body", { 64, 96, 0, 96, 0 }, 1 },
	{ "wick just under r x body", { 63.5, 96, 0, 96, 0 }, 0 },
	{ "wick exactly f x range", { 40, 64, 0, 48, 0 }, 1 },
	{ "wick just under f x range", { 39, 64, 0, 48, 0 }, 0 },
	{ "body mid exactly on the upper third", { 61, 96, 0, 67, 0 }, 1 },
	{ "body mid just under it", { 61, 96, 0, 66.5, 0 }, 0 },
	{ "long wicks both sides", { 5, 10, 0, 6, 0 }, 0 },
	{ "no range", { 5, 5, 5, 5, 0 }, 0 },
	{ "away from zero", { 1064, 1096, 1000, 1096, 0 }, 1 },
};

START_TEST(pin_boundaries)
{
	struct structure_candle_par par = { 2, 0.625 };
	struct structure_candle cd;
	struct structure_bar b;
	int side, want;

	for (side = 0; side < 2; side++) {
		structure_candle_init(&cd, &par);
		b = mkside(&pin_cases[_i].bar, 0, NAN, side);
		want = side ? -pin_cases[_i].want : pin_cases[_i].want;
		ck_assert_int_eq(structure_candle_push(&cd, &b), want != 0);
		ck_assert_msg(cd.pin == want, "%s (side %d): %d",
		    pin_cases[_i].name, side, cd.pin);
		ck_assert_int_eq(cd.engulf, 0);
	}
}
END_TEST

/*
 * Every detector at once over a seeded random walk, for the split
 * runs: a set of detectors and their buffers.
 */
struct kit {
	struct structure_lvl	 pbuf[STRUCTURE_PIV_NBUF(2, 2, 3)];
	struct structure_lvl	 sbuf[STRUCTURE_PIV_NBUF(2, 1, 1)];
	double			 vbuf[5];
	struct structure_zone	 zbuf[4];
	struct structure_lvl	 cbuf[STRUCTURE_PIV_NBUF(1, 1, 2)];
	struct structure_piv	 piv;
	struct structure_sweep	 sw;
	struct structure_ob	 ob;
	struct structure_choch	 ch;
	struct structure_candle	 cd;
};

static void
kit_init(struct kit *k)
{
	struct structure_piv_par pp = { 2, 2, 3 };
	struct structure_sweep_par sp = { 2, 1, 5, 0.5, 1.0, 2.0, 0.5 };
	struct structure_ob_par op = { 3, 1.0, 0.125, 2 };
	struct structure_choch_par cp = { 1, 1 };
	struct structure_candle_par dp = { 1.5, 0.5 };

	ck_assert_int_eq(structure_piv_init(&k->piv, &pp, k->pbuf), 0);
	ck_assert_int_eq(structure_sweep_init(&k->sw, &sp, k->sbuf,
	    k->vbuf), 0);
	ck_assert_int_eq(structure_ob_init(&k->ob, &op, k->zbuf), 0);
	ck_assert_int_eq(structure_choch_init(&k->ch, &cp, k->cbuf), 0);
	ck_assert_int_eq(structure_candle_init(&k->cd, &dp), 0);
}

#define NBARS	400
#define OUTN	64

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A walk in quarter ticks with wicks, volume bursts and a crude ATR. */
static void
walk(struct structure_bar *b, int n)
{
	uint64_t s = 88172645463325252ULL;
	double px = 100, atr = NAN, o, c;
	int i;

	for (i = 0; i < n; i++) {
		o = px;
		c = o + 0.25 * ((double)(rnd(&s) % 13) - 6);
		b[i].o = o;
		b[i].c = c;
		b[i].h = fmax(o, c) + 0.25 * (double)(rnd(&s) % 6);
		b[i].l = fmin(o, c) - 0.25 * (double)(rnd(&s) % 6);
		b[i].v = 5 + (double)(rnd(&s) % 20);
		if (rnd(&s) % 7 == 0)
			b[i].v *= 3;
		b[i].t = T0 + i * MIN;
		if (i >= 14)
			atr = isnan(atr) ? b[i].h - b[i].l :
			    (atr * 13 + (b[i].h - b[i].l)) / 14;
		b[i].atr = atr;
		px = c;
	}
}

static void
put_lvl(double *v, int *k, const struct structure_lvl *x)
{
	v[(*k)++] = x->px;
	v[(*k)++] = (double)x->idx;
	v[(*k)++] = (double)x->t;
}

static void
put_zone(double *v, int *k, const struct structure_zone *z)
{
	v[(*k)++] = z->lo;
	v[(*k)++] = z->hi;
	v[(*k)++] = z->strength;
	v[(*k)++] = (double)z->idx;
	v[(*k)++] = (double)z->made;
	v[(*k)++] = z->fresh;
}

/* Push b into every detector; their outputs, flat, into v. */
static int
kit_push(struct kit *k, const struct structure_bar *b, double *v, int *fired)
{
	int n = 0, r[5], j;

	r[0] = structure_piv_push(&k->piv, b);
	r[1] = structure_sweep_push(&k->sw, b);
	r[2] = structure_ob_push(&k->ob, b);
	r[3] = structure_choch_push(&k->ch, b);
	r[4] = structure_candle_push(&k->cd, b);
	for (j = 0; j < 5; j++) {
		ck_assert(r[j] == 0 || r[j] == 1);
		fired[j] += r[j];
	}
	v[n++] = k->piv.ph_new;
	v[n++] = k->piv.pl_new;
	put_lvl(v, &n, &k->piv.ph);
	put_lvl(v, &n, &k->piv.pl);
	put_lvl(v, &n, &k->piv.res);
	put_lvl(v, &n, &k->piv.sup);
	v[n++] = k->piv.res_pct;
	v[n++] = k->piv.res_atr;
	v[n++] = k->piv.sup_pct;
	v[n++] = k->piv.sup_atr;
	v[n++] = k->sw.dir;
	v[n++] = k->sw.conf;
	put_lvl(v, &n, &k->sw.level);
	v[n++] = k->sw.wick;
	v[n++] = k->sw.vol_ratio;
	v[n++] = k->sw.depth_atr;
	v[n++] = k->ob.new_bull;
	v[n++] = k->ob.new_bear;
	v[n++] = k->ob.nbull;
	v[n++] = k->ob.nbear;
	put_zone(v, &n, &k->ob.rbull);
	put_zone(v, &n, &k->ob.rbear);
	v[n++] = k->ch.dir;
	v[n++] = k->ch.trend;
	put_lvl(v, &n, &k->ch.level);
	v[n++] = k->cd.engulf;
	v[n++] = k->cd.pin;
	ck_assert_int_le(n, OUTN);
	return n;
}

static int
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

#define SAVECAP	(STRUCTURE_PIV_NSAVE(2, 2, 3) + \
	STRUCTURE_SWEEP_NSAVE(2, 1, 5) + STRUCTURE_OB_NSAVE(2) + \
	STRUCTURE_CHOCH_NSAVE(1, 1) + STRUCTURE_CANDLE_NSAVE)

/* Save every detector into v, each led by its length; the total. */
static size_t
kit_save(const struct kit *k, double *v)
{
	size_t n = 0, m;

	m = structure_piv_save(&k->piv, v + n + 1, SAVECAP);
	ck_assert_uint_gt(m, 0);
	/* One double less than it needs: refused, nothing written. */
	ck_assert_uint_eq(structure_piv_save(&k->piv, v + n + 1, m - 1), 0);
	v[n] = (double)m;
	n += m + 1;
	m = structure_sweep_save(&k->sw, v + n + 1, SAVECAP);
	ck_assert_uint_eq(structure_sweep_save(&k->sw, v + n + 1, m - 1), 0);
	v[n] = (double)m;
	n += m + 1;
	m = structure_ob_save(&k->ob, v + n + 1, SAVECAP);
	ck_assert_uint_eq(structure_ob_save(&k->ob, v + n + 1, m - 1), 0);
	v[n] = (double)m;
	n += m + 1;
	m = structure_choch_save(&k->ch, v + n + 1, SAVECAP);
	ck_assert_uint_eq(structure_choch_save(&k->ch, v + n + 1, m - 1), 0);
	v[n] = (double)m;
	n += m + 1;
	m = structure_candle_save(&k->cd, v + n + 1, SAVECAP);
	ck_assert_uint_eq(structure_candle_save(&k->cd, v + n + 1, m - 1), 0);
	v[n] = (double)m;
	n += m + 1;
	ck_assert_uint_le(n, SAVECAP + 5);
	return n;
}

static void
kit_load(struct kit *k, const double *v)
{
	size_t n = 0, m;

	m = (size_t)v[n];
	ck_assert_int_eq(structure_piv_load(&k->piv, v + n + 1, m), 0);
	n += m + 1;
	m = (size_t)v[n];
	ck_assert_int_eq(structure_sweep_load(&k->sw, v + n + 1, m), 0);
	n += m + 1;
	m = (size_t)v[n];
	ck_assert_int_eq(structure_ob_load(&k->ob, v + n + 1, m), 0);
	n += m + 1;
	m = (size_t)v[n];
	ck_assert_int_eq(structure_choch_load(&k->ch, v + n + 1, m), 0);
	n += m + 1;
	m = (size_t)v[n];
	ck_assert_int_eq(structure_candle_load(&k->cd, v + n + 1, m), 0);
}

static const int split_at[] = { 0, 1, 2, 5, 16, 37, 150, 271, 399, 400 };

/* Save after split_at bars, load into fresh detectors, go on: same. */
START_TEST(save_load_is_seamless)
{
	static struct structure_bar b[NBARS];
	static double want[NBARS][OUTN];
	static double st1[SAVECAP + 5], st2[SAVECAP + 5], st3[SAVECAP + 5];
	static struct kit one, two, three;
	double got[OUTN];
	int fired[5] = { 0 }, dummy[5] = { 0 };
	int i, j, n = 0, split = split_at[_i];
	size_t n1, n2;

	walk(b, NBARS);
	kit_init(&one);
	for (i = 0; i < NBARS; i++)
		n = kit_push(&one, &b[i], want[i], fired);
	/* The walk must exercise every detector to prove anything. */
	for (j = 0; j < 5; j++)
		ck_assert_msg(fired[j] >= 3, "detector %d fired %d times",
		    j, fired[j]);
	n1 = kit_save(&one, st1);

	kit_init(&two);
	for (i = 0; i < split; i++)
		kit_push(&two, &b[i], got, dummy);
	n2 = kit_save(&two, st2);
	kit_init(&three);
	kit_load(&three, st2);
	/* A loaded state saves as it was saved. */
	ck_assert_uint_eq(kit_save(&three, st3), n2);
	ck_assert(memcmp(st2, st3, n2 * sizeof(double)) == 0);
	for (i = split; i < NBARS; i++) {
		kit_push(&three, &b[i], got, dummy);
		for (j = 0; j < n; j++)
			ck_assert_msg(same(got[j], want[i][j]),
			    "split %d, bar %d, output %d: %.17g != %.17g",
			    split, i, j, got[j], want[i][j]);
	}
	n1 = kit_save(&one, st1);
	n2 = kit_save(&three, st2);
	ck_assert_uint_eq(n1, n2);
	ck_assert(memcmp(st1, st2, n1 * sizeof(double)) == 0);
}
END_TEST

/* Load refuses a state of other parameters or shape, changing nothing. */
START_TEST(load_refuses_a_misfit)
{
	static struct structure_bar b[60];
	static struct kit k, other;
	double v[SAVECAP], before[SAVECAP], after[SAVECAP], bad[SAVECAP];
	struct structure_lvl pbuf[STRUCTURE_PIV_NBUF(2, 3, 3)];
	struct structure_piv_par pp = { 2, 3, 3 };
	struct structure_piv p3;
	int fired[5] = { 0 }, i;
	size_t n, m;
	double out[OUTN];

	walk(b, 60);
	kit_init(&k);
	for (i = 0; i < 60; i++)
		kit_push(&k, &b[i], out, fired);

	/* Pivots: other R; truncated; wrong tag; a count out of range. */
	n = structure_piv_save(&k.piv, v, SAVECAP);
	ck_assert_int_eq(structure_piv_init(&p3, &pp, pbuf), 0);
	ck_assert_int_eq(structure_piv_load(&p3, v, n), -1);
	kit_init(&other);
	for (i = 0; i < 7; i++)
		kit_push(&other, &b[i], out, fired);
	m = structure_piv_save(&other.piv, before, SAVECAP);
	ck_assert_int_eq(structure_piv_load(&other.piv, v, n - 1), -1);
	memcpy(bad, v, n * sizeof(double));
	bad[0] += 1;
	ck_assert_int_eq(structure_piv_load(&other.piv, bad, n), -1);
	memcpy(bad, v, n * sizeof(double));
	bad[5] = 4;			/* more highs than K */
	ck_assert_int_eq(structure_piv_load(&other.piv, bad, n), -1);
	memcpy(bad, v, n * sizeof(double));
	bad[4] = 0.5;			/* bars seen, not whole */
	ck_assert_int_eq(structure_piv_load(&other.piv, bad, n), -1);
	ck_assert_uint_eq(structure_piv_save(&other.piv, after, SAVECAP), m);
	ck_assert(memcmp(before, after, m * sizeof(double)) == 0);

	/* Each other detector: a state of another kind, and truncation. */
	n = structure_sweep_save(&k.sw, v, SAVECAP);
	m = structure_sweep_save(&other.sw, before, SAVECAP);
	ck_assert_int_eq(structure_sweep_load(&other.sw, v, n - 1), -1);
	memcpy(bad, v, n * sizeof(double));
	bad[4] = 0.75;			/* another w */
	ck_assert_int_eq(structure_sweep_load(&other.sw, bad, n), -1);
	ck_assert_int_eq(structure_ob_load(&other.ob, v, n), -1);
	ck_assert_uint_eq(structure_sweep_save(&other.sw, after, SAVECAP), m);
	ck_assert(memcmp(before, after, m * sizeof(double)) == 0);

	n = structure_ob_save(&k.ob, v, SAVECAP);
	ck_assert_int_eq(structure_ob_load(&other.ob, v, n + 1), -1);
	ck_assert_int_eq(structure_choch_load(&other.ch, v, n), -1);
	memcpy(bad, v, n * sizeof(double));
	bad[2] = 1.5;			/* another x */
	ck_assert_int_eq(structure_ob_load(&other.ob, bad, n), -1);

	n = structure_choch_save(&k.ch, v, SAVECAP);
	ck_assert_int_eq(structure_choch_load(&other.ch, v, n - 3), -1);
	memcpy(bad, v, n * sizeof(double));
	bad[4] = 1e9;			/* a pivot that is not there */
	ck_assert_int_eq(structure_choch_load(&other.ch, bad, n), -1);
	ck_assert_int_eq(structure_candle_load(&other.cd, v, n), -1);

	n = structure_candle_save(&k.cd, v, SAVECAP);
	ck_assert_int_eq(structure_candle_load(&other.cd, v, n - 1), -1);
	memcpy(bad, v, n * sizeof(double));
	bad[2] = 0.25;			/* another f */
	ck_assert_int_eq(structure_candle_load(&other.cd, bad, n), -1);
	ck_assert_int_eq(structure_candle_load(&other.cd, v, n), 0);
}
END_TEST

/* Parameters out of range, and bars that are not bars. */
START_TEST(init_and_push_refuse)
{
	struct structure_lvl buf[STRUCTURE_PIV_NBUF(3, 2, 6)];
	struct structure_zone zbuf[2 * STRUCTURE_OB_KEEP];
	double vbuf[STRUCTURE_SWEEP_NVOL];
	struct structure_piv_par pp;
	struct structure_sweep_par sp;
	struct structure_ob_par op;
	struct structure_choch_par cp;
	struct structure_candle_par dp;
	struct structure_piv p;
	struct structure_sweep s;
	struct structure_ob ob;
	struct structure_choch ch;
	struct structure_candle cd;
	struct structure_bar b = { 10, 11, 9, 10.5, 100, T0, 1 }, x;
	double v1[STRUCTURE_PIV_NSAVE(3, 2, 6)];
	double v2[STRUCTURE_PIV_NSAVE(3, 2, 6)];
	size_t n1, n2;

	structure_piv_default(&pp);
	ck_assert_int_eq(structure_piv_init(&p, &pp, buf), 0);
	pp.left = 0;
	ck_assert_int_eq(structure_piv_init(&p, &pp, buf), -1);
	structure_piv_default(&pp);
	pp.right = -1;
	ck_assert_int_eq(structure_piv_init(&p, &pp, buf), -1);
	structure_piv_default(&pp);
	pp.keep = STRUCTURE_MAXN + 1;
	ck_assert_int_eq(structure_piv_init(&p, &pp, buf), -1);
	structure_piv_default(&pp);
	ck_assert_int_eq(structure_piv_init(&p, &pp, NULL), -1);

	structure_sweep_default(&sp);
	ck_assert_int_eq(structure_sweep_init(&s, &sp, buf, vbuf), 0);
	sp.vol_sat = 0;
	ck_assert_int_eq(structure_sweep_init(&s, &sp, buf, vbuf), -1);
	structure_sweep_default(&sp);
	sp.wick = NAN;
	ck_assert_int_eq(structure_sweep_init(&s, &sp, buf, vbuf), -1);
	structure_sweep_default(&sp);
	sp.nvol = 0;
	ck_assert_int_eq(structure_sweep_init(&s, &sp, buf, vbuf), -1);

	structure_ob_default(&op);
	ck_assert_int_eq(structure_ob_init(&ob, &op, zbuf), 0);
	op.x = 0;
	ck_assert_int_eq(structure_ob_init(&ob, &op, zbuf), -1);
	structure_ob_default(&op);
	op.pad = -0.25;
	ck_assert_int_eq(structure_ob_init(&ob, &op, zbuf), -1);

	structure_choch_default(&cp);
	ck_assert_int_eq(structure_choch_init(&ch, &cp, buf), 0);
	cp.left = 0;
	ck_assert_int_eq(structure_choch_init(&ch, &cp, buf), -1);

	structure_candle_default(&dp);
	ck_assert_int_eq(structure_candle_init(&cd, &dp), 0);
	dp.frac = 1.25;
	ck_assert_int_eq(structure_candle_init(&cd, &dp), -1);
	structure_candle_default(&dp);

	/* A refused bar changes nothing. */
	structure_piv_default(&pp);
	ck_assert_int_eq(structure_piv_init(&p, &pp, buf), 0);
	ck_assert_int_eq(structure_piv_push(&p, &b), 0);
	n1 = structure_piv_save(&p, v1, NITEMS(v1));
	x = b;
	x.h = 10.25;			/* below the close */
	ck_assert_int_eq(structure_piv_push(&p, &x), -1);
	x = b;
	x.l = 10.25;			/* above the open */
	ck_assert_int_eq(structure_piv_push(&p, &x), -1);
	x = b;
	x.c = NAN;
	ck_assert_int_eq(structure_piv_push(&p, &x), -1);
	x = b;
	x.v = -1;
	ck_assert_int_eq(structure_sweep_push(&s, &x), -1);
	ck_assert_int_eq(structure_ob_push(&ob, &x), -1);
	ck_assert_int_eq(structure_choch_push(&ch, &x), -1);
	ck_assert_int_eq(structure_candle_push(&cd, &x), -1);
	x = b;
	x.atr = NAN;			/* fine: ATR may be undefined */
	ck_assert_int_eq(structure_piv_push(&p, &x), 0);
	n2 = structure_piv_save(&p, v2, NITEMS(v2));
	ck_assert_uint_eq(n2, n1 + 3);
	ck_assert(v2[4] == 2);		/* two bars seen, not five */
}
END_TEST

static Suite *
structure_suite(void)
{
	Suite *s = suite_create("structure");
	TCase *tc = tcase_create("structure");

	tcase_add_loop_test(tc, piv_reported_when_right_bars_close, 0, 4);
	tcase_add_loop_test(tc, piv_boundaries, 0, NITEMS(piv_cases));
	tcase_add_test(tc, piv_levels_and_distances);
	tcase_add_test(tc, piv_equal_levels_take_the_newer);
	tcase_add_loop_test(tc, sweep_boundaries, 0, NITEMS(sweep_cases));
	tcase_add_test(tc, sweep_level_taken_once);
	tcase_add_test(tc, sweep_both_sides_is_neither);
	tcase_add_test(tc, sweep_needs_a_confirmed_pivot);
	tcase_add_loop_test(tc, ob_impulse_boundaries, 0, NITEMS(ob_cases));
	tcase_add_test(tc, ob_retest_fresh_and_broken);
	tcase_add_test(tc, ob_keeps_the_newest);
	tcase_add_loop_test(tc, choch_boundaries, 0, NITEMS(choch_cases));
	tcase_add_test(tc, choch_waits_for_a_cross);
	tcase_add_loop_test(tc, engulf_boundaries, 0, NITEMS(engulf_cases));
	tcase_add_loop_test(tc, pin_boundaries, 0, NITEMS(pin_cases));
	tcase_add_loop_test(tc, save_load_is_seamless, 0, NITEMS(split_at));
	tcase_add_test(tc, load_refuses_a_misfit);
	tcase_add_test(tc, init_and_push_refuse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(structure_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
