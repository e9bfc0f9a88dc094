/*
 * test_ind.c: lib/ind.c against TA-Lib, exact-arithmetic references and
 * a literal Python reading of ema-cloud-reference.md (tests/data), and
 * the calc-indicators stage (lib/calc.c) built on it.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calc.h"
#include "clock.h"
#include "config.h"
#include "ind.h"
#include "journal.h"
#include "rec.h"
#include "stage.h"

#define MAXROWS	4096
#define MAXCOLS	24

#define SPY1M	"spy_1m_2011-01-03_2011-01-07_rth_ninjatrader"
#define SPY5M	"spy_5m_2012-06-27_2012-06-29_rth_ib"
#define BTC1M	"btcusd_1m_2018-04-05_2018-04-06_coinbase_lean"
#define SYNTH	"synthetic_stress_a_2019-01-22_2019-01-25_rth"

/* A CSV file as columns of doubles (NAN for an empty cell). */
struct csv {
	int	 nrow, ncol;
	char	 name[MAXCOLS][32];
	double	*col[MAXCOLS];
	char	(*ts)[32];		/* column "ts", as text */
};

/* Bars: ts,open,high,low,close,volume. */
struct bars {
	int	 n;
	int64_t	 ts[MAXROWS];
	double	 o[MAXROWS], h[MAXROWS], l[MAXROWS], c[MAXROWS], v[MAXROWS];
};

static void
csv_load(struct csv *t, const char *dir, const char *file)
{
	char path[1024], line[2048], *p, *q;
	FILE *fp;
	int k;

	memset(t, 0, sizeof(*t));
	snprintf(path, sizeof(path), "%s/%s/%s", SK_TESTDATA, dir, file);
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert(fgets(line, sizeof(line), fp) != NULL);
	line[strcspn(line, "\r\n")] = '\0';
	for (p = line; p != NULL && t->ncol < MAXCOLS; p = q) {
		q = strchr(p, ',');
		if (q != NULL)
			*q++ = '\0';
		sk_strlcpy(t->name[t->ncol], p, sizeof(t->name[0]));
		t->col[t->ncol++] = calloc(MAXROWS, sizeof(double));
	}
	t->ts = calloc(MAXROWS, sizeof(*t->ts));
	while (fgets(line, sizeof(line), fp) != NULL) {
		ck_assert_int_lt(t->nrow, MAXROWS);
		line[strcspn(line, "\r\n")] = '\0';
		for (p = line, k = 0; p != NULL && k < t->ncol; p = q, k++) {
			q = strchr(p, ',');
			if (q != NULL)
				*q++ = '\0';
			if (strcmp(t->name[k], "ts") == 0)
				sk_strlcpy(t->ts[t->nrow], p, sizeof(t->ts[0]));
			t->col[k][t->nrow] = *p == '\0' ? NAN :
			    strtod(p, NULL);
		}
		t->nrow++;
	}
	fclose(fp);
}

static void
csv_free(struct csv *t)
{
	int k;

	for (k = 0; k < t->ncol; k++)
		free(t->col[k]);
	free(t->ts);
}

static const double *
csv_col(const struct csv *t, const char *name)
{
	int k;

	for (k = 0; k < t->ncol; k++)
		if (strcmp(t->name[k], name) == 0)
			return t->col[k];
	ck_abort_msg("no column %s", name);
	return NULL;
}

static struct bars *
bars_load(const char *set)
{
	struct bars *b = calloc(1, sizeof(*b));
	char file[256];
	struct csv t;
	int i;

	snprintf(file, sizeof(file), "%s.csv", set);
	csv_load(&t, "bars", file);
	b->n = t.nrow;
	for (i = 0; i < t.nrow; i++) {
		ck_assert_int_eq(clock_parse(t.ts[i], strlen(t.ts[i]),
		    &b->ts[i]), 0);
		b->o[i] = csv_col(&t, "open")[i];
		b->h[i] = csv_col(&t, "high")[i];
		b->l[i] = csv_col(&t, "low")[i];
		b->c[i] = csv_col(&t, "close")[i];
		b->v[i] = csv_col(&t, "volume")[i];
	}
	csv_free(&t);
	return b;
}

static struct csv *
oracle_load(const char *set, const char *kind)
{
	struct csv *t = calloc(1, sizeof(*t));
	char file[256];

	snprintf(file, sizeof(file), "%s.%s.csv", set, kind);
	csv_load(t, "oracle", file);
	return t;
}

/*
 * got and want agree: both undefined, or |got - want| <= rel *
 * max(1, |want|) + abs.  rel = abs = 0 asks for the same double.
 */
static void
agree(const char *what, int i, double got, double want, double rel,
    double abs_tol)
{
	double tol = rel * fmax(1.0, fabs(want)) + abs_tol;

	if (isnan(want)) {
		ck_assert_msg(isnan(got), "%s[%d]: got %.17g, want undefined",
		    what, i, got);
		return;
	}
	ck_assert_msg(!isnan(got), "%s[%d]: undefined, want %.17g", what, i,
	    want);
	ck_assert_msg(fabs(got - want) <= tol, "%s[%d]: got %.17g, want "
	    "%.17g (|d| %.3g > %.3g)", what, i, got, want, fabs(got - want),
	    tol);
}

/* One indicator over a whole set, NAN where undefined. */
static void
series(const struct bars *b, const char *col, double *out)
{
	double ring[64];
	struct ind_ema ema;
	struct ind_sma sma;
	struct ind_trange tr;
	struct ind_atr atr;
	struct ind_rsi rsi;
	struct ind_bb bb;
	struct ind_vol vol;
	int i, p = 0, d;

	if (strncmp(col, "ema", 3) == 0) {
		p = (int)strtol(col + 3, NULL, 10);
		ck_assert_int_eq(ind_ema_init(&ema, p), 0);
	}
	ck_assert_int_eq(ind_sma_init(&sma, 20, ring), 0);
	ind_trange_init(&tr);
	ck_assert_int_eq(ind_atr_init(&atr, 14), 0);
	ck_assert_int_eq(ind_rsi_init(&rsi, 14), 0);
	ck_assert_int_eq(ind_bb_init(&bb, 20, 2.0, ring), 0);
	ck_assert_int_eq(ind_vol_init(&vol, 20, ring), 0);
	for (i = 0; i < b->n; i++) {
		out[i] = NAN;
		if (p > 0) {
			if (ind_ema_push(&ema, b->c[i]))
				out[i] = ema.e;
		} else if (strcmp(col, "sma20") == 0) {
			if (ind_sma_push(&sma, b->c[i]))
				out[i] = sma.v;
		} else if (strcmp(col, "trange") == 0) {
			if (ind_trange_push(&tr, b->h[i], b->l[i], b->c[i]))
				out[i] = tr.v;
		} else if (strcmp(col, "atr14") == 0) {
			if (ind_atr_push(&atr, b->h[i], b->l[i], b->c[i]))
				out[i] = atr.v;
		} else if (strcmp(col, "rsi14") == 0) {
			if (ind_rsi_push(&rsi, b->c[i]))
				out[i] = rsi.v;
		} else if (strncmp(col, "bb_", 3) == 0) {
			if (ind_bb_push(&bb, b->c[i]))
				out[i] = strcmp(col, "bb_upper") == 0 ?
				    bb.upper : strcmp(col, "bb_lower") == 0 ?
				    bb.lower : bb.middle;
		} else if (strcmp(col, "vol_sma20") == 0) {
			d = ind_vol_push(&vol, b->v[i]);
			if (d & IND_VOL_SMA)
				out[i] = vol.sma;
		} else
			ck_abort_msg("no indicator %s", col);
	}
}

/* Correctly rounded sums, checked against Python's math.fsum. */
static const struct {
	double	 x[6];
	int	 n;
	double	 want;
} fsum_cases[] = {
	{ { 1e100, 1.0, -1e100 }, 3, 1.0 },
	{ { 0.1, 0.1, 0.1, 0.1, 0.1, 0.1 }, 6, 0.6000000000000001 },
	{ { 1.0, 0x1p-53, 0x1p-106 }, 3, 0x1.0000000000001p+0 },
	{ { 1.0, 0x1p-53, -0x1p-106 }, 3, 1.0 },
	{ { 1.0, 1e-16, 1e-16, 1e-16 }, 4, 1.0000000000000002 },
	{ { 126.72, 126.79, 126.77, 126.7, 126.64 }, 5, 633.62 },
	{ { 0.0 }, 0, 0.0 },
	{ { -0.5, 0.5, 0x1p-1074 }, 3, 0x1p-1074 },
};

START_TEST(fsum_is_correctly_rounded)
{
	double got = ind_fsum_of(fsum_cases[_i].x, (size_t)fsum_cases[_i].n);

	ck_assert_msg(got == fsum_cases[_i].want, "case %d: %.17g != %.17g",
	    _i, got, fsum_cases[_i].want);
}
END_TEST

/*
 * 3.1: the seed is the correctly rounded sum divided once; a naive
 * left-to-right sum would lose both 1s to 1e16.  Then e*b + x*a.
 */
START_TEST(ema_seed_and_update_as_specified)
{
	struct ind_ema m;
	double a = 2.0 / (3 + 1.0), b = 1.0 - a, e;

	ck_assert_int_eq(ind_ema_init(&m, 0), -1);
	ck_assert_int_eq(ind_ema_init(&m, 3), 0);
	ck_assert_int_eq(ind_ema_push(&m, 1e16), 0);
	ck_assert_int_eq(ind_ema_push(&m, 1.0), 0);
	ck_assert_int_eq(ind_ema_push(&m, 1.0), 1);
	ck_assert(m.e == 10000000000000002.0 / 3);
	e = m.e;
	ck_assert_int_eq(ind_ema_push(&m, 7.25), 1);
	ck_assert(m.e == (e * b) + (7.25 * a));
}
END_TEST

/* The TA-Lib reference: one column of one set, 1e-9 relative. */
static const struct {
	const char	*set;
	const char	*col;
} talib_cases[] = {
	{ SPY1M, "ema5" }, { SPY1M, "ema8" }, { SPY1M, "ema9" },
	{ SPY1M, "ema12" }, { SPY1M, "ema34" }, { SPY1M, "ema50" },
	{ SPY1M, "sma20" }, { SPY1M, "trange" }, { SPY1M, "atr14" },
	{ SPY1M, "rsi14" }, { SPY1M, "vol_sma20" },
	{ SPY5M, "ema5" }, { SPY5M, "ema8" }, { SPY5M, "ema9" },
	{ SPY5M, "ema12" }, { SPY5M, "ema34" }, { SPY5M, "ema50" },
	{ SPY5M, "sma20" }, { SPY5M, "trange" }, { SPY5M, "atr14" },
	{ SPY5M, "rsi14" }, { SPY5M, "vol_sma20" },
	{ BTC1M, "ema5" }, { BTC1M, "ema8" }, { BTC1M, "ema9" },
	{ BTC1M, "ema12" }, { BTC1M, "ema34" }, { BTC1M, "ema50" },
	{ BTC1M, "sma20" }, { BTC1M, "trange" }, { BTC1M, "atr14" },
	{ BTC1M, "rsi14" }, { BTC1M, "vol_sma20" },
};

START_TEST(matches_talib)
{
	struct bars *b = bars_load(talib_cases[_i].set);
	struct csv *ref = oracle_load(talib_cases[_i].set, "talib");
	const double *want = csv_col(ref, talib_cases[_i].col);
	double *got = calloc(MAXROWS, sizeof(double));
	char what[128];
	int i;

	ck_assert_int_eq(ref->nrow, b->n);
	series(b, talib_cases[_i].col, got);
	snprintf(what, sizeof(what), "%s %s", talib_cases[_i].set,
	    talib_cases[_i].col);
	for (i = 0; i < b->n; i++)
		agree(what, i, got[i], want[i], 1e-9, 0);
	free(got);
	csv_free(ref);
	free(ref);
	free(b);
}
END_TEST

/*
 * Bollinger bands: to 1e-9 relative of the exact references; TA-Lib's
 * own (running sum of squares) only to 1e-7 on SPY, 1e-3 on BTC.
 */
static const struct {
	const char	*set;
	const char	*ref;
	double		 rel, abs;
} bb_cases[] = {
	{ SPY1M, "exact", 1e-9, 0 },
	{ BTC1M, "bb_exact", 1e-9, 0 },
	{ SPY1M, "talib", 0, 1e-7 },
	{ SPY5M, "talib", 0, 1e-7 },
	{ BTC1M, "talib", 0, 1e-3 },
};

START_TEST(bollinger_matches_reference)
{
	static const char *cols[] = { "bb_upper", "bb_middle", "bb_lower",
	    "sma20" };
	struct bars *b = bars_load(bb_cases[_i].set);
	struct csv *ref = oracle_load(bb_cases[_i].set, bb_cases[_i].ref);
	double *got = calloc(MAXROWS, sizeof(double));
	char what[128];
	int i, k;

	ck_assert_int_eq(ref->nrow, b->n);
	for (k = 0; k < 4; k++) {
		series(b, cols[k], got);
		snprintf(what, sizeof(what), "%s %s %s", bb_cases[_i].set,
		    bb_cases[_i].ref, cols[k]);
		for (i = 0; i < b->n; i++)
			agree(what, i, got[i], csv_col(ref, cols[k])[i],
			    bb_cases[_i].rel, bb_cases[_i].abs);
	}
	free(got);
	csv_free(ref);
	free(ref);
	free(b);
}
END_TEST

/*
 * The literal reading of ema-cloud-reference.md 3-4 in Python
 * (tests/data/tools/trace.py): the same doubles, bit for bit.
 */
static const struct {
	const char	*set;
	const char	*zone;
} trace_cases[] = {
	{ SPY1M, "America/New_York" },
	{ SYNTH, "America/New_York" },	/* gaps, early close, no xx:59 */
	{ BTC1M, "UTC" },		/* 24 h, fractional volumes */
};

START_TEST(cloud_and_macro_match_trace)
{
	struct bars *b = bars_load(trace_cases[_i].set);
	struct csv *ref = oracle_load(trace_cases[_i].set, "trace");
	struct ind_cloud cl;
	struct ind_macro mac;
	struct ind_vol vol;
	struct local loc;
	struct sk_err e;
	struct tz tz;
	double ring[20], got;
	int i, d;

	ck_assert_int_eq(ref->nrow, b->n);
	ck_assert_msg(tz_load(&tz, trace_cases[_i].zone, &e) == 0, "%s",
	    e.msg);
	ck_assert_int_eq(ind_cloud_init(&cl, 5, 12), 0);
	ck_assert_int_eq(ind_macro_init(&mac, 10, 1, 34, 50), 0);
	ck_assert_int_eq(ind_vol_init(&vol, 20, ring), 0);
	for (i = 0; i < b->n; i++) {
		d = ind_cloud_push(&cl, b->c[i]);
		agree("ema5", i, cl.s.k >= 5 ? cl.s.e : NAN,
		    csv_col(ref, "ema5")[i], 0, 0);
		agree("ema12", i, cl.l.k >= 12 ? cl.l.e : NAN,
		    csv_col(ref, "ema12")[i], 0, 0);
		agree("cloud", i, d ? cl.regime : NAN,
		    csv_col(ref, "cloud5_12")[i], 0, 0);
		agree("flip", i, d ? cl.flip : NAN,
		    csv_col(ref, "flip5_12")[i], 0, 0);
		tz_local(&tz, b->ts[i], &loc);
		ind_macro_push(&mac, loc.day, loc.minute, b->c[i]);
		agree("n_10m", i, (double)mac.rs.nclosed,
		    csv_col(ref, "n_10m")[i], 0, 0);
		agree("ema34_10m", i, mac.s.k >= 34 ? mac.s.e : NAN,
		    csv_col(ref, "ema34_10m")[i], 0, 0);
		agree("ema50_10m", i, mac.l.k >= 50 ? mac.l.e : NAN,
		    csv_col(ref, "ema50_10m")[i], 0, 0);
		got = ind_vol_push(&vol, b->v[i]) & IND_VOL_PREV ?
		    vol.sum_prev : NAN;
		agree("vol_sum20", i, got, csv_col(ref, "vol_sum20")[i], 0, 0);
	}
	tz_release(&tz);
	csv_free(ref);
	free(ref);
	free(b);
}
END_TEST

/*
 * 4.2 step by step, with EMA(1) so that the macro EMAs are the close
 * of the latest closed bucket.  "n" and "last" are what must hold
 * after the bar; NAN: no bucket closed yet.
 */
struct step {
	int64_t	 day;
	int	 minute;
	double	 close;
	long	 n;
	double	 last;
};

static const struct step look_ahead[] = {
	/* 09:30..09:39: the bucket closes on 09:39, after including it */
	{ 0, 570, 1, 0, NAN }, { 0, 571, 2, 0, NAN }, { 0, 575, 3, 0, NAN },
	{ 0, 578, 4, 0, NAN },		/* one bar early: still open */
	{ 0, 579, 5, 1, 5 },		/* its last bar is in it */
	{ 0, 580, 6, 1, 5 }, { 0, 588, 7, 1, 5 }, { 0, 589, 8, 2, 8 },
	{ -1, 0, 0, 0, 0 }
};

static const struct step gap_and_session[] = {
	/* 09:40 bucket without 09:49: closes when 10:00 arrives */
	{ 0, 580, 1, 0, NAN }, { 0, 585, 2, 0, NAN },
	{ 0, 600, 3, 1, 2 },		/* 09:50 bucket never existed */
	{ 0, 609, 4, 2, 4 },
	/* last bucket of the session has no 15:59: the next day closes it */
	{ 0, 955, 5, 2, 4 }, { 0, 957, 6, 2, 4 },
	{ 1, 570, 7, 3, 6 },
	/* an early close on its x9 minute closes at once */
	{ 1, 571, 8, 3, 6 }, { 1, 579, 9, 4, 9 },
	{ 1, 779, 10, 5, 10 },
	{ 2, 570, 11, 5, 10 },
	/* the day's last minute closes its bucket */
	{ 2, 1439, 12, 7, 12 },
	{ 3, 0, 13, 7, 12 },
	{ -1, 0, 0, 0, 0 }
};

static const struct step *const step_cases[] = { look_ahead,
	gap_and_session };

START_TEST(resampler_steps)
{
	const struct step *s;
	struct ind_macro m;
	char what[64];

	ck_assert_int_eq(ind_macro_init(&m, 10, 1, 1, 1), 0);
	for (s = step_cases[_i]; s->day >= 0; s++) {
		ind_macro_push(&m, s->day, s->minute, s->close);
		snprintf(what, sizeof(what), "day %lld %02d:%02d",
		    (long long)s->day, s->minute / 60, s->minute % 60);
		ck_assert_msg(m.rs.nclosed == s->n, "%s: %ld closed, want %ld",
		    what, m.rs.nclosed, s->n);
		agree(what, 0, m.s.k >= 1 ? m.s.e : NAN, s->last, 0, 0);
	}
}
END_TEST

/* Other bucket and bar sizes; and sizes that do not fit. */
START_TEST(resampler_sizes)
{
	struct ind_resample rs;
	double c[2];

	ck_assert_int_eq(ind_resample_init(&rs, 10, 3), -1);
	ck_assert_int_eq(ind_resample_init(&rs, 0, 1), -1);
	ck_assert_int_eq(ind_resample_init(&rs, 1441, 1), -1);
	/* 5-minute bars into 30-minute buckets: 09:55 ends the 09:30 one */
	ck_assert_int_eq(ind_resample_init(&rs, 30, 5), 0);
	ck_assert_int_eq(ind_resample_push(&rs, 0, 570, 1, c), 0);
	ck_assert_int_eq(ind_resample_push(&rs, 0, 590, 2, c), 0);
	ck_assert_int_eq(ind_resample_push(&rs, 0, 595, 3, c), 1);
	ck_assert(c[0] == 3);
	/* a gap: the old bucket closes first, then this bar's own */
	ck_assert_int_eq(ind_resample_push(&rs, 0, 600, 4, c), 0);
	ck_assert_int_eq(ind_resample_push(&rs, 0, 655, 5, c), 2);
	ck_assert(c[0] == 4 && c[1] == 5);
	ck_assert_int_eq(rs.nclosed, 3);
	/* 7 does not divide a day: the last bucket ends at midnight */
	ck_assert_int_eq(ind_resample_init(&rs, 7, 1), 0);
	ck_assert_int_eq(ind_resample_push(&rs, 0, 1435, 1, c), 0);
	ck_assert_int_eq(ind_resample_push(&rs, 0, 1439, 2, c), 1);
}
END_TEST

/*
 * One bar of look-ahead on real data: changing the close of a bucket's
 * last bar must leave the macro EMAs of every earlier bar alone and
 * change them at that bar; changing any other bar of a bucket must
 * change nothing, ever (only the close of a bucket counts).
 */
static void
macro_run(const struct bars *b, struct tz *tz, double *out)
{
	struct ind_macro m;
	struct local loc;
	int i;

	ck_assert_int_eq(ind_macro_init(&m, 10, 1, 34, 50), 0);
	for (i = 0; i < b->n; i++) {
		tz_local(tz, b->ts[i], &loc);
		out[i] = ind_macro_push(&m, loc.day, loc.minute, b->c[i]) ?
		    m.s.e - m.l.e : NAN;
	}
}

START_TEST(macro_has_no_look_ahead)
{
	struct bars *b = bars_load(SPY1M);
	double *base = calloc(MAXROWS, sizeof(double));
	double *alt = calloc(MAXROWS, sizeof(double));
	struct local loc;
	struct sk_err e;
	struct tz tz;
	int i, x9 = 0;

	ck_assert_msg(tz_load(&tz, "America/New_York", &e) == 0, "%s",
	    e.msg);
	macro_run(b, &tz, base);
	/* the first x9 bar after the state is defined */
	for (i = 0; i < b->n && x9 == 0; i++) {
		tz_local(&tz, b->ts[i], &loc);
		if (!isnan(base[i]) && i > 0 && !isnan(base[i - 1]) &&
		    loc.minute % 10 == 9)
			x9 = i;
	}
	ck_assert_int_gt(x9, 0);
	b->c[x9] += 1.0;
	macro_run(b, &tz, alt);
	for (i = 0; i < x9; i++)
		ck_assert_msg(memcmp(&alt[i], &base[i], sizeof(double)) == 0,
		    "bar %d changed by bar %d", i, x9);
	ck_assert_msg(alt[x9] != base[x9], "bar %d not used at its close",
	    x9);
	/* the next bucket's other bars: they never count */
	b->c[x9] -= 1.0;
	for (i = x9 + 1; i < x9 + 10; i++)
		b->c[i] += 1.0;
	macro_run(b, &tz, alt);
	for (i = 0; i < b->n; i++)
		ck_assert_msg(memcmp(&alt[i], &base[i], sizeof(double)) == 0,
		    "bar %d changed by bars %d..%d", i, x9 + 1, x9 + 9);
	tz_release(&tz);
	free(alt);
	free(base);
	free(b);
}
END_TEST

/*
 * Save and load in the middle of a run, through text (%.17g), gives
 * the same doubles as a run in one go.
 */
struct all {
	struct ind_cloud cl;
	struct ind_macro mac;
	struct ind_vol vol;
	struct ind_sma sma;
	struct ind_bb bb;
	struct ind_atr atr;
	struct ind_rsi rsi;
	struct ind_ema ema;
	double		 r1[20], r2[20], r3[20];
};

static void
all_init(struct all *a)
{
	ck_assert_int_eq(ind_cloud_init(&a->cl, 5, 12), 0);
	ck_assert_int_eq(ind_macro_init(&a->mac, 10, 1, 34, 50), 0);
	ck_assert_int_eq(ind_vol_init(&a->vol, 20, a->r1), 0);
	ck_assert_int_eq(ind_sma_init(&a->sma, 20, a->r2), 0);
	ck_assert_int_eq(ind_bb_init(&a->bb, 20, 2.0, a->r3), 0);
	ck_assert_int_eq(ind_atr_init(&a->atr, 14), 0);
	ck_assert_int_eq(ind_rsi_init(&a->rsi, 14), 0);
	ck_assert_int_eq(ind_ema_init(&a->ema, 50), 0);
}

/* Push bar i; the 12 outputs go to out (NAN when undefined). */
static void
all_push(struct all *a, const struct bars *b, struct tz *tz, int i,
    double *out)
{
	struct local loc;
	int d;

	for (d = 0; d < 12; d++)
		out[d] = NAN;
	if (ind_cloud_push(&a->cl, b->c[i])) {
		out[0] = a->cl.s.e;
		out[1] = a->cl.l.e;
		out[2] = a->cl.regime;
		out[3] = a->cl.flip;
	}
	tz_local(tz, b->ts[i], &loc);
	if (ind_macro_push(&a->mac, loc.day, loc.minute, b->c[i])) {
		out[4] = a->mac.s.e;
		out[5] = a->mac.l.e;
	}
	d = ind_vol_push(&a->vol, b->v[i]);
	if (d & IND_VOL_PREV)
		out[6] = a->vol.sum_prev;
	if (ind_sma_push(&a->sma, b->c[i]))
		out[7] = a->sma.v;
	if (ind_bb_push(&a->bb, b->c[i]))
		out[8] = a->bb.upper;
	if (ind_atr_push(&a->atr, b->h[i], b->l[i], b->c[i]))
		out[9] = a->atr.v;
	if (ind_rsi_push(&a->rsi, b->c[i]))
		out[10] = a->rsi.v;
	if (ind_ema_push(&a->ema, b->c[i]))
		out[11] = a->ema.e;
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
	}
}

static void
all_move(const struct all *from, struct all *to)
{
	double v[IND_MACRO_NSAVE + 64];
	size_t n;

	all_init(to);
#define MOVE(save, load, f)						\
	n = save(&from->f, v);						\
	ck_assert_int_le(n, sizeof(v) / sizeof(v[0]));			\
	through_text(v, n);						\
	ck_assert_int_eq(load(&to->f, v, n), 0);
	MOVE(ind_cloud_save, ind_cloud_load, cl);
	MOVE(ind_macro_save, ind_macro_load, mac);
	MOVE(ind_win_save, ind_win_load, vol.w);
	MOVE(ind_win_save, ind_win_load, sma.w);
	MOVE(ind_win_save, ind_win_load, bb.w);
	MOVE(ind_atr_save, ind_atr_load, atr);
	MOVE(ind_rsi_save, ind_rsi_load, rsi);
	MOVE(ind_ema_save, ind_ema_load, ema);
#undef MOVE
}

static const int split_at[] = { 0, 1, 3, 4, 11, 12, 14, 19, 20, 33, 49,
	300, 499, 509, 1200, 1949 };

START_TEST(save_load_is_seamless)
{
	struct bars *b = bars_load(SPY1M);
	struct all *one = calloc(1, sizeof(*one));
	struct all *two = calloc(2, sizeof(*two));
	double o1[12], o2[12];
	struct sk_err e;
	struct tz tz;
	int i, k, cut = split_at[_i], cur = 0;

	ck_assert_msg(tz_load(&tz, "America/New_York", &e) == 0, "%s",
	    e.msg);
	all_init(one);
	all_init(&two[0]);
	for (i = 0; i < b->n; i++) {
		if (i == cut) {
			all_move(&two[cur], &two[1 - cur]);
			memset(&two[cur], 0xa5, sizeof(two[cur]));
			cur = 1 - cur;
		}
		all_push(one, b, &tz, i, o1);
		all_push(&two[cur], b, &tz, i, o2);
		for (k = 0; k < 12; k++)
			ck_assert_msg(memcmp(&o1[k], &o2[k],
			    sizeof(double)) == 0 || (isnan(o1[k]) &&
			    isnan(o2[k])), "cut %d: output %d of bar %d: "
			    "%.17g != %.17g", cut, k, i, o1[k], o2[k]);
	}
	tz_release(&tz);
	free(two);
	free(one);
	free(b);
}
END_TEST

START_TEST(load_refuses_a_misfit)
{
	struct ind_ema a, b;
	struct ind_win w;
	double v[IND_EMA_NSAVE], ring[5], ring2[6];
	size_t n;

	ck_assert_int_eq(ind_ema_init(&a, 5), 0);
	ck_assert_int_eq(ind_ema_init(&b, 6), 0);
	ind_ema_push(&a, 1.0);
	n = ind_ema_save(&a, v);
	ck_assert_int_eq(ind_ema_load(&b, v, n), -1);	/* period */
	ck_assert_int_eq(ind_ema_load(&a, v, n - 1), -1);	/* length */
	ck_assert_int_eq(ind_ema_load(&a, v, n), 0);
	ck_assert_int_eq(ind_win_init(&w, 5, ring), 0);
	ind_win_push(&w, 1.5);
	n = ind_win_save(&w, v);
	ck_assert_int_eq(ind_win_init(&w, 6, ring2), 0);
	ck_assert_int_eq(ind_win_load(&w, v, n), -1);
}
END_TEST

START_TEST(window_sums_are_exact)
{
	struct ind_vol v;
	double ring[3];

	ck_assert_int_eq(ind_vol_init(&v, 3, ring), 0);
	ck_assert_int_eq(ind_vol_push(&v, 1e16), 0);
	ck_assert_int_eq(ind_vol_push(&v, 1), 0);
	ck_assert_int_eq(ind_vol_push(&v, 1), IND_VOL_SMA);
	/* a running double sum would have lost the 1s, and kept them lost */
	ck_assert_int_eq(ind_vol_push(&v, 5), IND_VOL_PREV | IND_VOL_SMA);
	ck_assert(v.sum_prev == 10000000000000002.0);
	ind_vol_push(&v, 7);
	ck_assert(v.sum_prev == 7.0);
	ck_assert(v.avg_prev == 7.0 / 3);
	ck_assert(v.sma == 13.0 / 3);
	/* fractions: the correctly rounded sum of what is in the window */
	ind_vol_push(&v, 0.1);
	ind_vol_push(&v, 0.2);
	ind_vol_push(&v, 0.3);
	ind_vol_push(&v, 4);
	ck_assert(v.sum_prev == ind_fsum_of((double[]){ 0.1, 0.2, 0.3 }, 3));
	ck_assert(v.sma == ind_fsum_of((double[]){ 0.2, 0.3, 4 }, 3) / 3);
}
END_TEST

START_TEST(rsi_flat_is_zero_as_talib)
{
	struct ind_rsi r;
	int i, d = 0;

	ck_assert_int_eq(ind_rsi_init(&r, 3), 0);
	for (i = 0; i < 4; i++)
		d = ind_rsi_push(&r, 100.0);
	ck_assert_int_eq(d, 1);
	ck_assert(r.v == 0.0);
}
END_TEST

/* The stage: records in, records out. */

struct sink {
	int		 n, cap;
	struct rec	*r;
};

static int
sink_take(void *arg, struct rec *r, struct sk_err *e)
{
	struct sink *s = arg;

	(void)e;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1024;
		s->r = realloc(s->r, (size_t)s->cap * sizeof(*s->r));
	}
	s->r[s->n++] = *r;
	return 0;
}

static void
bar_rec(struct rec *r, const struct bars *b, int i, const char *symbol)
{
	rec_init(r, REC_BAR);
	r->src = "test";
	r->line = i + 1;
	sk_strlcpy(r->u.bar.symbol, symbol, sizeof(r->u.bar.symbol));
	r->u.bar.ts = b->ts[i];
	r->u.bar.o = b->o[i];
	r->u.bar.h = b->h[i];
	r->u.bar.l = b->l[i];
	r->u.bar.c = b->c[i];
	r->u.bar.v = b->v[i];
}

static struct stage *
stage_make(struct config *cfg, const char *list, struct journal *j)
{
	struct stage *st;
	struct sk_err e;

	config_defaults(cfg);
	ck_assert_msg(calc_stage_new_list(&st, cfg, list, j, &e) == 0, "%s",
	    e.msg);
	return st;
}

/* Feed bars [from, to) of b as symbol; returns 0 or -1. */
static int
feed(struct stage *st, const struct bars *b, int from, int to,
    const char *symbol, struct sink *out, struct sk_err *e)
{
	struct emit em = { sink_take, out };
	struct rec r;
	int i;

	for (i = from; i < to; i++) {
		bar_rec(&r, b, i, symbol);
		if (st->take(st->self, &r, &em, e) == -1)
			return -1;
	}
	return 0;
}

/* The same names (by text) and the same doubles (by bits). */
static void
same_ind(const struct ind *x, const struct ind *y, int i)
{
	int k;

	ck_assert_msg(x->n == y->n, "bar %d: %d values, want %d", i, y->n,
	    x->n);
	for (k = 0; k < x->n; k++) {
		ck_assert_str_eq(x->kv[k].name, y->kv[k].name);
		ck_assert_msg(memcmp(&x->kv[k].v, &y->kv[k].v,
		    sizeof(double)) == 0, "bar %d: %s %.17g, want %.17g", i,
		    y->kv[k].name, y->kv[k].v, x->kv[k].v);
	}
}

static double
ind_of(const struct rec *r, const char *name)
{
	return ind_get(&r->u.bar.ind, name);
}

START_TEST(stage_default_set_matches_trace)
{
	static const struct {
		const char	*ind;
		const char	*col;
	} map[] = {
		{ "ema5", "ema5" }, { "ema12", "ema12" },
		{ "cloud5_12", "cloud5_12" }, { "flip5_12", "flip5_12" },
		{ "n_10m", "n_10m" }, { "ema34_10m", "ema34_10m" },
		{ "ema50_10m", "ema50_10m" }, { "vol_sum20", "vol_sum20" },
	};
	struct bars *b = bars_load(SPY1M);
	struct csv *ref = oracle_load(SPY1M, "trace");
	struct csv *ta = oracle_load(SPY1M, "talib");
	struct sink out = { 0 };
	struct config cfg;
	struct stage *st = stage_make(&cfg, NULL, NULL);
	struct sk_err e;
	size_t k;
	int i;

	ck_assert_int_eq(feed(st, b, 0, b->n, "SPY", &out, &e), 0);
	ck_assert_int_eq(out.n, b->n);
	for (i = 0; i < b->n; i++) {
		for (k = 0; k < sizeof(map) / sizeof(map[0]); k++)
			agree(map[k].ind, i, ind_of(&out.r[i], map[k].ind),
			    csv_col(ref, map[k].col)[i], 0, 0);
		agree("vol_avg20", i, ind_of(&out.r[i], "vol_avg20"),
		    csv_col(ref, "vol_sum20")[i] / 20, 0, 0);
		agree("vol_sma20", i, ind_of(&out.r[i], "vol_sma20"),
		    csv_col(ta, "vol_sma20")[i], 1e-9, 0);
		ck_assert(out.r[i].dirty);
		ck_assert(!ind_has(&out.r[i].u.bar.ind, "atr14"));
	}
	ck_assert_int_eq(stage_acted(st), b->n);
	ck_assert_int_eq(st->finish(st->self, NULL, &e), 0);
	stage_free(st);
	free(out.r);
	csv_free(ta);
	free(ta);
	csv_free(ref);
	free(ref);
	free(b);
}
END_TEST

/* -i: the optional indicators, by name; and bad names. */
START_TEST(stage_list_selects)
{
	struct bars *b = bars_load(SPY1M);
	struct csv *ta = oracle_load(SPY1M, "talib");
	struct sink out = { 0 };
	struct config cfg;
	struct stage *st;
	struct sk_err e;
	static const char *names[] = { "atr14", "rsi14", "sma20", "trange",
	    "ema8", "ema5", "bb_middle" };
	size_t k;
	int i;

	st = stage_make(&cfg, "atr14,rsi14,sma20,trange,ema8,ema5,bb_middle",
	    NULL);
	ck_assert_int_eq(feed(st, b, 0, b->n, "SPY", &out, &e), 0);
	for (i = 0; i < b->n; i++) {
		for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
			agree(names[k], i, ind_of(&out.r[i], names[k]),
			    csv_col(ta, strcmp(names[k], "bb_middle") == 0 ?
			    "sma20" : names[k])[i], 1e-9, 0);
		ck_assert(!ind_has(&out.r[i].u.bar.ind, "ema12"));
		ck_assert(!ind_has(&out.r[i].u.bar.ind, "n_10m"));
	}
	stage_free(st);
	config_defaults(&cfg);
	ck_assert_int_eq(calc_stage_new_list(&st, &cfg, "ema5,bogus", NULL,
	    &e), -1);
	ck_assert_int_eq(e.status, SK_USAGE);
	ck_assert_str_eq(e.msg, "-i: unknown indicator 'bogus'");
	ck_assert_int_eq(calc_stage_new_list(&st, &cfg, "ema5,,ema12", NULL,
	    &e), -1);
	ck_assert_int_eq(calc_stage_new_list(&st, &cfg, "ema0", NULL, &e),
	    -1);
	cfg.strategy.macro_tf[0] = 'x';
	ck_assert_int_eq(calc_stage_new(&st, &cfg, NULL, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	free(out.r);
	csv_free(ta);
	free(ta);
	free(b);
}
END_TEST

/* Profiles change the periods, and so the names. */
START_TEST(stage_names_follow_periods)
{
	struct bars *b = bars_load(SPY1M);
	struct sink out = { 0 };
	struct config cfg;
	struct stage *st;
	struct sk_err e;
	const struct ind *ind;

	config_defaults(&cfg);
	cfg.strategy.fast_short = 8;
	cfg.strategy.fast_long = 21;
	sk_strlcpy(cfg.strategy.macro_tf, "5m", sizeof(cfg.strategy.macro_tf));
	cfg.strategy.macro_short = 3;
	cfg.strategy.macro_long = 4;
	cfg.strategy.vol_window = 10;
	ck_assert_int_eq(calc_stage_new(&st, &cfg, NULL, &e), 0);
	ck_assert_int_eq(feed(st, b, 0, 100, "SPY", &out, &e), 0);
	ind = &out.r[99].u.bar.ind;
	ck_assert(ind_has(ind, "ema8") && ind_has(ind, "ema21"));
	ck_assert(ind_has(ind, "cloud8_21") && ind_has(ind, "flip8_21"));
	ck_assert(ind_has(ind, "ema3_5m") && ind_has(ind, "ema4_5m"));
	ck_assert(ind_get(ind, "n_5m") == 20);
	ck_assert(ind_has(ind, "vol_sum10") && ind_has(ind, "vol_sma10"));
	ck_assert(!ind_has(ind, "ema5") && !ind_has(ind, "n_10m"));
	stage_free(st);
	free(out.r);
	free(b);
}
END_TEST

/* Other types pass untouched; interleaved symbols keep apart. */
START_TEST(stage_interleaves_and_passes_through)
{
	struct bars *b = bars_load(SPY1M);
	struct sink one = { 0 }, mix = { 0 };
	struct emit em = { sink_take, &mix };
	struct config cfg;
	struct stage *a = stage_make(&cfg, NULL, NULL);
	struct stage *m = stage_make(&cfg, NULL, NULL);
	struct sk_err e;
	struct rec r, other;
	int i;

	ck_assert_int_eq(feed(a, b, 0, b->n, "SPY", &one, &e), 0);
	rec_init(&other, REC_OTHER);
	other.decoded = 0;
	other.raw = "{\"type\":\"option\",\"x\":1}";
	other.rawlen = strlen(other.raw);
	for (i = 0; i < b->n; i++) {
		bar_rec(&r, b, i, "SPY");
		ck_assert_int_eq(m->take(m->self, &r, &em, &e), 0);
		bar_rec(&r, b, i, "QQQ");
		r.u.bar.c += 100;
		ck_assert_int_eq(m->take(m->self, &r, &em, &e), 0);
		ck_assert_int_eq(m->take(m->self, &other, &em, &e), 0);
	}
	ck_assert_int_eq(mix.n, 3 * b->n);
	for (i = 0; i < b->n; i++) {
		same_ind(&one.r[i].u.bar.ind, &mix.r[3 * i].u.bar.ind, i);
		ck_assert(mix.r[3 * i + 1].u.bar.ind.n > 0);
		ck_assert(mix.r[3 * i + 2].raw == other.raw);
		ck_assert(!mix.r[3 * i + 2].dirty);
	}
	ck_assert_int_eq(stage_acted(m), 2 * b->n);
	stage_free(a);
	stage_free(m);
	free(one.r);
	free(mix.r);
	free(b);
}
END_TEST

START_TEST(stage_refuses_bars_out_of_order)
{
	struct bars *b = bars_load(SPY1M);
	struct sink out = { 0 };
	struct config cfg;
	struct stage *st = stage_make(&cfg, NULL, NULL);
	struct sk_err e;

	ck_assert_int_eq(feed(st, b, 0, 10, "SPY", &out, &e), 0);
	ck_assert_int_eq(feed(st, b, 0, 10, "QQQ", &out, &e), 0);
	ck_assert_int_eq(feed(st, b, 9, 10, "SPY", &out, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_str_eq(e.msg, "test:10: bar out of order");
	stage_free(st);
	free(out.r);
	free(b);
}
END_TEST

/*
 * A run split in pieces, each a new stage over one journal, with the
 * pieces overlapping (bars already seen pass through): every value
 * equals the one run's, bit for bit, and so does the saved state.
 */
#define LIST	"default,atr14,rsi14,sma20,bb_upper,ema8"

static const struct {
	int	 n;
	int	 from[3], to[3], seen[3];
} pieces[] = {
	{ 2, { 0, 1950 }, { 1950, 1950 }, { 0, 0 } },	/* then nothing */
	{ 2, { 0, 600 }, { 700, 1950 }, { 0, 100 } },
	{ 2, { 0, 13 }, { 13, 1950 }, { 0, 0 } },
	{ 3, { 0, 450, 990 }, { 499, 1000, 1950 }, { 0, 49, 10 } },
};

START_TEST(journal_split_runs_are_seamless)
{
	struct bars *b = bars_load(SPY1M);
	struct sink one = { 0 }, part = { 0 };
	struct config cfg;
	struct stage *st[4];
	struct journal *j;
	struct sk_err e;
	char dir[] = "/tmp/test_ind.XXXXXX", path[256], *s1, *s2;
	int i, k, p;

	ck_assert(mkdtemp(dir) != NULL);
	snprintf(path, sizeof(path), "%s/journal.db", dir);
	/* every stage lives to the end: the records borrow its names */
	st[0] = stage_make(&cfg, LIST, NULL);
	ck_assert_int_eq(feed(st[0], b, 0, b->n, "SPY", &one, &e), 0);
	s1 = calc_state_save(st[0], "SPY/1m");
	ck_assert_ptr_nonnull(s1);
	ck_assert_ptr_null(calc_state_save(st[0], "QQQ/1m"));

	ck_assert_msg(journal_open(&j, path, &e) == 0, "%s", e.msg);
	for (p = 0; p < pieces[_i].n; p++) {
		st[p + 1] = stage_make(&cfg, LIST, j);
		ck_assert_msg(feed(st[p + 1], b, pieces[_i].from[p],
		    pieces[_i].to[p], "SPY", &part, &e) == 0, "%s", e.msg);
		ck_assert_int_eq(calc_stage_seen(st[p + 1]),
		    pieces[_i].seen[p]);
		ck_assert_msg(st[p + 1]->finish(st[p + 1]->self, NULL,
		    &e) == 0, "%s", e.msg);
	}
	ck_assert_int_eq(journal_state_get(j, CALC_STAGE, "SPY/1m", &s2, &e),
	    0);
	ck_assert_str_eq(s1, s2);
	free(s2);
	journal_close(j);

	/* Every bar once with values, in order; the seen ones untouched. */
	for (i = k = 0; k < part.n; k++) {
		if (part.r[k].u.bar.ts < b->ts[i]) {
			ck_assert(!part.r[k].dirty);
			continue;
		}
		ck_assert(part.r[k].u.bar.ts == b->ts[i]);
		same_ind(&one.r[i].u.bar.ind, &part.r[k].u.bar.ind, i);
		i++;
	}
	ck_assert_int_eq(i, b->n);
	for (p = 0; p <= pieces[_i].n; p++)
		stage_free(st[p]);
	free(s1);
	unlink(path);
	snprintf(path, sizeof(path), "%s/journal.db-wal", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/journal.db-shm", dir);
	unlink(path);
	rmdir(dir);
	free(part.r);
	free(one.r);
	free(b);
}
END_TEST

/* State in memory: save, load into a fresh stage, go on. */
START_TEST(state_round_trip_in_memory)
{
	struct bars *b = bars_load(BTC1M);
	struct sink one = { 0 }, two = { 0 };
	struct config cfg;
	struct stage *st, *st2, *whole;
	struct sk_err e;
	char *s1, *s2;
	int i;

	whole = stage_make(&cfg, "default,bb_lower,rsi14", NULL);
	ck_assert_int_eq(feed(whole, b, 0, b->n, "BTCUSD", &one, &e), 0);
	s1 = calc_state_save(whole, "BTCUSD/1m");
	st = stage_make(&cfg, "default,bb_lower,rsi14", NULL);
	ck_assert_int_eq(feed(st, b, 0, 1000, "BTCUSD", &two, &e), 0);
	s2 = calc_state_save(st, "BTCUSD/1m");
	st2 = stage_make(&cfg, "default,bb_lower,rsi14", NULL);
	ck_assert_msg(calc_state_load(st2, "BTCUSD/1m", s2, &e) == 0, "%s",
	    e.msg);
	free(s2);
	stage_free(st);
	ck_assert_int_eq(feed(st2, b, 500, b->n, "BTCUSD", &two, &e), 0);
	ck_assert_int_eq(calc_stage_seen(st2), 500);
	s2 = calc_state_save(st2, "BTCUSD/1m");
	ck_assert_str_eq(s1, s2);
	for (i = 1000; i < b->n; i++)
		same_ind(&one.r[i].u.bar.ind, &two.r[i + 500].u.bar.ind, i);
	ck_assert_int_eq(calc_state_load(st2, "BTCUSD/1m", "{\"v\":2}", &e),
	    -1);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_int_eq(calc_state_load(st2, "BTCUSD/1m",
	    "{\"v\":1,\"last_ts\":0,\"bars\":0,\"units\":{\"cloud5_12\":[1]}}",
	    &e), -1);
	ck_assert_int_eq(calc_state_load(st2, "nokey", "{}", &e), -1);
	stage_free(st2);
	stage_free(whole);
	free(s1);
	free(s2);
	free(one.r);
	free(two.r);
	free(b);
}
END_TEST

static Suite *
ind_suite(void)
{
	Suite *s = suite_create("ind");
	TCase *tc = tcase_create("ind");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, fsum_is_correctly_rounded, 0,
	    sizeof(fsum_cases) / sizeof(fsum_cases[0]));
	tcase_add_test(tc, ema_seed_and_update_as_specified);
	tcase_add_loop_test(tc, matches_talib, 0,
	    sizeof(talib_cases) / sizeof(talib_cases[0]));
	tcase_add_loop_test(tc, bollinger_matches_reference, 0,
	    sizeof(bb_cases) / sizeof(bb_cases[0]));
	tcase_add_loop_test(tc, cloud_and_macro_match_trace, 0,
	    sizeof(trace_cases) / sizeof(trace_cases[0]));
	tcase_add_loop_test(tc, resampler_steps, 0,
	    sizeof(step_cases) / sizeof(step_cases[0]));
	tcase_add_test(tc, resampler_sizes);
	tcase_add_test(tc, macro_has_no_look_ahead);
	tcase_add_loop_test(tc, save_load_is_seamless, 0,
	    sizeof(split_at) / sizeof(split_at[0]));
	tcase_add_test(tc, load_refuses_a_misfit);
	tcase_add_test(tc, window_sums_are_exact);
	tcase_add_test(tc, rsi_flat_is_zero_as_talib);
	tcase_add_test(tc, stage_default_set_matches_trace);
	tcase_add_test(tc, stage_list_selects);
	tcase_add_test(tc, stage_names_follow_periods);
	tcase_add_test(tc, stage_interleaves_and_passes_through);
	tcase_add_test(tc, stage_refuses_bars_out_of_order);
	tcase_add_loop_test(tc, journal_split_runs_are_seamless, 0,
	    sizeof(pieces) / sizeof(pieces[0]));
	tcase_add_test(tc, state_round_trip_in_memory);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ind_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
