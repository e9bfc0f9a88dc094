/*
 * test_vwap.c: lib/vwap.c against the exact-arithmetic session VWAP
 * references in tests/data/oracle, hand-made tables for the session
 * range, the persistence timer and the volume baselines, and state
 * round trips.  SK_TEST_VERBOSE=1 prints the worst oracle deviations.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sk.h"
#include "vwap.h"

#define MAXROWS	4096
#define MAXCOLS	16
#define CELL	40

#define SPY1M	"spy_1m_2011-01-03_2011-01-07_rth_ninjatrader"
#define SPY5M	"spy_5m_2012-06-27_2012-06-29_rth_ib"
#define BTC1M	"btcusd_1m_2018-04-05_2018-04-06_coinbase_lean"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define DAY_MS		86400000

/* A CSV file: every cell as text and as a double (NAN when empty). */
struct csv {
	int	 nrow, ncol;
	char	 name[MAXCOLS][32];
	double	*col[MAXCOLS];
	char	(*txt[MAXCOLS])[CELL];
};

/* Bars: ts,open,high,low,close,volume. */
struct bars {
	int	 n;
	int64_t	 ts[MAXROWS];		/* ms since the epoch */
	int64_t	 day[MAXROWS];		/* UTC day number */
	double	 h[MAXROWS], l[MAXROWS], c[MAXROWS], v[MAXROWS];
};

static void
csv_split(struct csv *t, char *line, int row)
{
	char *p, *q;
	int k;

	for (p = line, k = 0; p != NULL && k < t->ncol; p = q, k++) {
		q = strchr(p, ',');
		if (q != NULL)
			*q++ = '\0';
		sk_strlcpy(t->txt[k][row], p, CELL);
		t->col[k][row] = *p == '\0' ? NAN : strtod(p, NULL);
	}
}

static struct csv *
csv_load(const char *dir, const char *file)
{
	struct csv *t = calloc(1, sizeof(*t));
	char path[1024], line[2048], *p, *q;
	FILE *fp;
	int k;

	ck_assert(t != NULL);
	snprintf(path, sizeof(path), "%s/%s/%s", SK_TESTDATA, dir, file);
	fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert(fgets(line, sizeof(line), fp) != NULL);
	line[strcspn(line, "\r\n")] = '\0';
	for (p = line; p != NULL && t->ncol < MAXCOLS; p = q) {
		q = strchr(p, ',');
		if (q != NULL)
			*q++ = '\0';
		k = t->ncol++;
		sk_strlcpy(t->name[k], p, sizeof(t->name[0]));
		t->col[k] = calloc(MAXROWS, sizeof(double));
		t->txt[k] = calloc(MAXROWS, CELL);
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		ck_assert_int_lt(t->nrow, MAXROWS);
		line[strcspn(line, "\r\n")] = '\0';
		csv_split(t, line, t->nrow++);
	}
	fclose(fp);
	return t;
}

static void
csv_free(struct csv *t)
{
	int k;

	for (k = 0; k < t->ncol; k++) {
		free(t->col[k]);
		free(t->txt[k]);
	}
	free(t);
}

static int
csv_find(const struct csv *t, const char *name)
{
	int k;

	for (k = 0; k < t->ncol; k++)
		if (strcmp(t->name[k], name) == 0)
			return k;
	ck_abort_msg("no column %s", name);
	return -1;
}

static const double *
csv_col(const struct csv *t, const char *name)
{
	return t->col[csv_find(t, name)];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD" to a day number. */
static int64_t
parse_day(const char *s)
{
	int y, m, d;

	ck_assert_int_eq(sscanf(s, "%4d-%2d-%2d", &y, &m, &d), 3);
	return days_from_civil(y, m, d);
}

/* "YYYY-MM-DDTHH:MM:SSZ" to ms since the epoch. */
static int64_t
parse_ts(const char *s)
{
	int hh, mm, ss;

	ck_assert_int_eq(sscanf(s + 11, "%2d:%2d:%2dZ", &hh, &mm, &ss), 3);
	return (parse_day(s) * 86400 + hh * 3600 + mm * 60 + ss) *
	    (int64_t)1000;
}

static struct bars *
bars_load(const char *set)
{
	struct bars *b = calloc(1, sizeof(*b));
	char file[256];
	struct csv *t;
	int i, kts;

	ck_assert(b != NULL);
	snprintf(file, sizeof(file), "%s.csv", set);
	t = csv_load("bars", file);
	kts = csv_find(t, "ts");
	b->n = t->nrow;
	for (i = 0; i < t->nrow; i++) {
		b->ts[i] = parse_ts(t->txt[kts][i]);
		b->day[i] = b->ts[i] / DAY_MS;
		b->h[i] = csv_col(t, "high")[i];
		b->l[i] = csv_col(t, "low")[i];
		b->c[i] = csv_col(t, "close")[i];
		b->v[i] = csv_col(t, "volume")[i];
	}
	csv_free(t);
	return b;
}

static double
rel(double got, double want)
{
	return want == 0.0 ? fabs(got) : fabs(got - want) / fabs(want);
}

/* Both undefined, or the same double. */
static int
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/*
 * Against the oracle: VWAP within 1e-12 relative, sigma within 1e-9
 * relative and exactly 0 on a session's first bar, the bands within
 * 1e-12 relative; the distances against the same formulas on the
 * oracle's numbers.
 */
static const char *const oracle_sets[] = { SPY1M, SPY5M };

START_TEST(vwap_matches_oracle)
{
	const char *set = oracle_sets[_i];
	struct bars *b = bars_load(set);
	struct csv *o;
	struct vwap w;
	const double *cv, *vw, *sd, *u1, *l1, *u2, *l2;
	double dvw = 0, dsd = 0, dband = 0, dpct = 0, dnsd = 0, d;
	double ref_pct, ref_nsd, band[4];
	const double *rb[4];
	char file[256];
	int i, j, r, ksess, kts, nfirst = 0;

	snprintf(file, sizeof(file), "%s.vwap.csv", set);
	o = csv_load("oracle", file);
	ck_assert_int_eq(o->nrow, b->n);
	ksess = csv_find(o, "session");
	kts = csv_find(o, "ts");
	cv = csv_col(o, "cum_volume");
	vw = csv_col(o, "vwap");
	sd = csv_col(o, "vwap_sd");
	rb[0] = u1 = csv_col(o, "vwap_upper1");
	rb[1] = l1 = csv_col(o, "vwap_lower1");
	rb[2] = u2 = csv_col(o, "vwap_upper2");
	rb[3] = l2 = csv_col(o, "vwap_lower2");
	vwap_init(&w);
	for (i = 0; i < b->n; i++) {
		ck_assert_int_eq(parse_ts(o->txt[kts][i]), b->ts[i]);
		r = vwap_push(&w, parse_day(o->txt[ksess][i]), b->h[i],
		    b->l[i], b->c[i], b->v[i]);
		ck_assert_int_eq(r, !isnan(vw[i]));
		if (r == 0)
			continue;
		ck_assert(w.vol == cv[i]);
		d = rel(w.vwap, vw[i]);
		ck_assert_msg(d <= 1e-12, "%s row %d: vwap %.17g, want %.17g",
		    set, i, w.vwap, vw[i]);
		dvw = fmax(dvw, d);
		if (w.nbar == 1) {
			ck_assert(sd[i] == 0.0 && w.sd == 0.0);
			nfirst++;
		}
		d = rel(w.sd, sd[i]);
		ck_assert_msg(d <= 1e-9, "%s row %d: sd %.17g, want %.17g",
		    set, i, w.sd, sd[i]);
		dsd = fmax(dsd, d);
		band[0] = w.upper1;
		band[1] = w.lower1;
		band[2] = w.upper2;
		band[3] = w.lower2;
		for (j = 0; j < 4; j++) {
			d = rel(band[j], rb[j][i]);
			ck_assert_msg(d <= 1e-12, "%s row %d: band %d", set,
			    i, j);
			dband = fmax(dband, d);
		}
		ref_pct = (b->c[i] - vw[i]) / vw[i] * 100.0;
		d = fabs(w.dist_pct - ref_pct);
		ck_assert_msg(d <= 1e-9, "%s row %d: dist_pct", set, i);
		dpct = fmax(dpct, d);
		if (sd[i] == 0.0) {
			ck_assert(isnan(w.dist_sd));
			continue;
		}
		ref_nsd = (b->c[i] - vw[i]) / sd[i];
		d = fabs(w.dist_sd - ref_nsd) / fmax(1.0, fabs(ref_nsd));
		ck_assert_msg(d <= 1e-9, "%s row %d: dist_sd", set, i);
		dnsd = fmax(dnsd, d);
	}
	/* Every session's first bar was seen: 5 of SPY 1m, 3 of SPY 5m. */
	ck_assert_int_eq(nfirst, _i == 0 ? 5 : 3);
	if (getenv("SK_TEST_VERBOSE") != NULL)
		printf("%s: worst relative vwap %.3g sd %.3g band %.3g; "
		    "abs dist_pct %.3g; dist_sd %.3g\n", set, dvw, dsd, dband,
		    dpct, dnsd);
	csv_free(o);
	free(b);
}
END_TEST

/* Price p moved by n ulps (n < 0: down). */
static double
ulps(double p, int n)
{
	for (; n > 0; n--)
		p = nextafter(p, INFINITY);
	for (; n < 0; n++)
		p = nextafter(p, -INFINITY);
	return p;
}

/* One bar of h = l = c = p, so tp = p. */
struct vwap_step {
	int64_t	 session;
	double	 p, v;
	int	 rv;		/* push's result */
	double	 vol, vwap, sd;	/* NAN: undefined */
	double	 pct, nsd;
};

/*
 * Session reset and a zero-volume start: 10 x1, 13 x2 gives vwap 12,
 * var (4 + 2)/3 = 2; a new key starts over, also back to an old key.
 */
static const struct vwap_step reset_steps[] = {
	{ 7, 11, 0, 0, NAN, NAN, NAN, NAN, NAN },
	{ 7, 10, 1, 1, 1, 10, 0, 0, NAN },
	{ 7, 13, 2, 1, 3, 12, M_SQRT2, 100.0 / 12, 1 / M_SQRT2 },
	{ 7, 9, 0, 1, 3, 12, M_SQRT2, -25, -3 / M_SQRT2 },
	{ 8, 20, 5, 1, 5, 20, 0, 0, NAN },
	{ 8, 22, 5, 1, 10, 21, 1, 100.0 / 21, 1 },
	{ 7, 30, 0, 0, NAN, NAN, NAN, NAN, NAN },
	{ 7, 30, -1, -1, NAN, NAN, NAN, NAN, NAN },
	{ 7, 31, 4, 1, 4, 31, 0, 0, NAN },
};

static void
check_num(double got, double want, const char *what, int i)
{
	if (isnan(want))
		ck_assert_msg(isnan(got), "step %d: %s %.17g, want nan", i,
		    what, got);
	else
		ck_assert_msg(fabs(got - want) <= 1e-12 * fmax(1, fabs(want)),
		    "step %d: %s %.17g, want %.17g", i, what, got, want);
}

START_TEST(vwap_resets_and_waits_for_volume)
{
	const struct vwap_step *s;
	struct vwap w;
	double up, lo;
	size_t i;

	vwap_init(&w);
	ck_assert_int_eq(vwap_atr_bands(&w, 1, 1, &up, &lo), -1);
	for (i = 0; i < NELEM(reset_steps); i++) {
		s = &reset_steps[i];
		ck_assert_int_eq(vwap_push(&w, s->session, s->p, s->p, s->p,
		    s->v), s->rv);
		check_num(w.vol, s->vol, "vol", (int)i);
		check_num(w.vwap, s->vwap, "vwap", (int)i);
		check_num(w.sd, s->sd, "sd", (int)i);
		check_num(w.dist_pct, s->pct, "dist_pct", (int)i);
		check_num(w.dist_sd, s->nsd, "dist_sd", (int)i);
		if (!isnan(s->sd)) {
			check_num(w.upper2, s->vwap + 2 * s->sd, "u2", (int)i);
			check_num(w.lower1, s->vwap - s->sd, "l1", (int)i);
		}
	}
	ck_assert_int_eq(vwap_push(&w, 7, NAN, 1, 1, 1), -1);
	ck_assert_int_eq(vwap_push(&w, 7, 1, 1, 1, INFINITY), -1);
	ck_assert(w.vwap == 31 && w.nbar == 2);
	ck_assert_int_eq(vwap_atr_bands(&w, 2, 1.5, &up, &lo), 0);
	ck_assert(up == 34 && lo == 28);
	ck_assert_int_eq(vwap_atr_bands(&w, -1, 1.5, &up, &lo), -1);
	ck_assert_int_eq(vwap_atr_bands(&w, NAN, 1.5, &up, &lo), -1);
	ck_assert_int_eq(vwap_dist(&w, 31.31, &up, &lo), VWAP_DIST_PCT);
	check_num(up, 1, "pct", 0);
	ck_assert(isnan(lo));
}
END_TEST

/* The typical price, not the close, is what the sums weigh. */
START_TEST(vwap_uses_typical_price)
{
	struct vwap w;

	vwap_init(&w);
	ck_assert_int_eq(vwap_push(&w, 1, 12, 6, 9.3, 10), 1);
	check_num(w.vwap, 27.3 / 3, "vwap", 0);
	ck_assert(w.sd == 0);
	ck_assert_int_eq(vwap_push(&w, 1, 12, 9, 9, 30), 1);
	check_num(w.vwap, (27.3 / 3 * 10 + 10 * 30) / 40, "vwap", 1);
}
END_TEST

/* Persistence within +-0.5 % of vwap: the edges are inside. */
struct near_step {
	int64_t	 session, t;
	double	 c;
	int	 nulp;		/* c moved by this many ulps */
	double	 vwap;
	int	 rv;
	int64_t	 ms;
};

static const struct near_step near_steps[] = {
	{ 1, 0, 100.5, 0, 100, 1, 0 },		/* upper edge */
	{ 1, 60000, 99.5, 0, 100, 1, 60000 },	/* lower edge */
	{ 1, 120000, 100, 0, 100, 1, 120000 },
	{ 1, 180000, 100.5, 1, 100, 0, 0 },	/* just outside */
	{ 1, 240000, 100.5, -1, 100, 1, 0 },	/* just inside */
	{ 1, 300000, 100.2, 0, NAN, 0, 0 },	/* vwap undefined */
	{ 1, 360000, 100.1, 0, 100, 1, 0 },
	{ 1, 420000, 101, 0, 100.5, 1, 60000 },	/* the band moves */
	{ 1, 410000, 101, 0, 100.5, -1, 60000 }, /* earlier: refused */
	{ 1, 420000, 101, 0, 100.5, 1, 60000 },	/* same instant */
	{ 2, 480000, 100.1, 0, 100, 1, 0 },	/* new session */
	{ 2, 540000, 99.5, -1, 100, 0, 0 },	/* just outside */
	{ 2, 600000, 99.5, 1, 100, 1, 0 },	/* just inside */
	{ 2, 660000, 99.5, 0, 100, 1, 60000 },
	{ 1, 100, 100, 0, 100, 1, 0 },		/* another key: resets */
	{ 1, 200, NAN, 0, 100, -1, 0 },
};

START_TEST(near_timer_edges)
{
	const struct near_step *s;
	struct vwap_near p;
	size_t i;

	ck_assert_int_eq(vwap_near_init(&p, -0.1), -1);
	ck_assert_int_eq(vwap_near_init(&p, NAN), -1);
	ck_assert_int_eq(vwap_near_init(&p, 0.5), 0);
	for (i = 0; i < NELEM(near_steps); i++) {
		s = &near_steps[i];
		ck_assert_msg(vwap_near_push(&p, s->session, s->t,
		    ulps(s->c, s->nulp), s->vwap) == s->rv, "step %zu", i);
		ck_assert_msg(p.ms == s->ms, "step %zu: ms %lld", i,
		    (long long)p.ms);
	}
	/* pct 0: only vwap itself is near. */
	ck_assert_int_eq(vwap_near_init(&p, 0), 0);
	ck_assert_int_eq(vwap_near_push(&p, 1, 0, 100, 100), 1);
	ck_assert_int_eq(vwap_near_push(&p, 1, 5, 100, 100), 1);
	ck_assert(p.ms == 5);
	ck_assert_int_eq(vwap_near_push(&p, 1, 9, ulps(100, 1), 100), 0);
}
END_TEST

struct range_step {
	int64_t	 session;
	double	 h, l, c;
	int	 rv;
	double	 high, low, pos;
};

static const struct range_step range_steps[] = {
	{ 1, 10, 10, 10, 1, 10, 10, 0.5 },	/* flat: 0.5 */
	{ 1, 12, 10, 10, 1, 12, 10, 0 },	/* at the low */
	{ 1, 12, 11, 12, 1, 12, 10, 1 },	/* at the high */
	{ 1, 11, 11, 11, 1, 12, 10, 0.5 },
	{ 1, 11.5, 9, 9, 1, 12, 9, 0 },		/* new low */
	{ 1, 11, 12, 11, -1, 12, 9, 0 },	/* l > h: refused */
	{ 1, 11, 10, 10.5, 1, 12, 9, 0.5 },
	{ 2, 20, 18, 19, 1, 20, 18, 0.5 },	/* new session */
	{ 2, 21, 20, 21, 1, 21, 18, 1 },
	{ 2, 21, 20, 25, 1, 21, 18, 1 },	/* bad close: clamped */
	{ 2, 21, 20, 17, 1, 21, 18, 0 },
	{ 3, 5, 5, 5, 1, 5, 5, 0.5 },
	{ 3, 5, 5, 6, 1, 5, 5, 0.5 },		/* flat stays 0.5 */
};

START_TEST(range_position_edges)
{
	const struct range_step *s;
	struct vwap_range r;
	size_t i;

	vwap_range_init(&r);
	ck_assert(isnan(r.pos));
	for (i = 0; i < NELEM(range_steps); i++) {
		s = &range_steps[i];
		ck_assert_msg(vwap_range_push(&r, s->session, s->h, s->l,
		    s->c) == s->rv, "step %zu", i);
		ck_assert_msg(r.high == s->high && r.low == s->low &&
		    r.pos == s->pos, "step %zu: %g %g %g", i, r.high, r.low,
		    r.pos);
	}
	ck_assert_int_eq(vwap_range_push(&r, 3, 5, NAN, 5), -1);
}
END_TEST

/* Rolling volume, n = 3, spike at ratio >= 2. */
struct vol_step {
	double	 v;
	int	 rv;
	double	 mean, base, ratio;
	int	 spike;
};

static const struct vol_step vol_steps[] = {
	{ 10, 0, NAN, NAN, NAN, 0 },
	{ 20, 0, NAN, NAN, NAN, 0 },
	{ 30, VWAP_MEAN, 20, NAN, NAN, 0 },
	{ -1, -1, 20, NAN, NAN, 0 },			/* refused */
	{ 40, 7, 30, 20, 2, 1 },			/* at the edge */
	{ 59, 7, 43, 30, 59.0 / 30, 0 },		/* below it */
	{ 0, 7, 33, 43, 0, 0 },
	{ 0, 7, 59.0 / 3, 33, 0, 0 },
	{ 0, 7, 0, 59.0 / 3, 0, 0 },
	{ 5, VWAP_MEAN | VWAP_BASE, 5.0 / 3, 0, NAN, 0 }, /* base 0 */
	{ 1.5, 7, 6.5 / 3, 5.0 / 3, 0.9, 0 },		/* fractional */
	{ 2.5, 7, 3, 6.5 / 3, 2.5 / (6.5 / 3), 0 },
	{ 6, 7, 10.0 / 3, 3, 2, 1 },
	{ 2, 7, 3.5, 10.0 / 3, 0.6, 0 },
	{ 4, 7, 4, 3.5, 4 / 3.5, 0 },			/* whole again */
};

START_TEST(volume_ratio_table)
{
	const struct vol_step *s;
	struct vwap_vol q;
	double buf[3];
	size_t i;

	ck_assert_int_eq(vwap_vol_init(&q, 0, 2, buf), -1);
	ck_assert_int_eq(vwap_vol_init(&q, 3, -1, buf), -1);
	ck_assert_int_eq(vwap_vol_init(&q, 3, 2, NULL), -1);
	ck_assert_int_eq(vwap_vol_init(&q, 3, 2, buf), 0);
	for (i = 0; i < NELEM(vol_steps); i++) {
		s = &vol_steps[i];
		ck_assert_msg(vwap_vol_push(&q, s->v) == s->rv, "step %zu",
		    i);
		check_num(q.mean, s->mean, "mean", (int)i);
		check_num(q.base, s->base, "base", (int)i);
		check_num(q.ratio, s->ratio, "ratio", (int)i);
		ck_assert_int_eq(q.spike, s->spike);
	}
	/* Whole volumes again: the sum is the exact int64 one. */
	ck_assert_int_eq(q.nfrac, 0);
}
END_TEST

/*
 * Time-of-day baseline, k = 2 previous sessions, m = 4 minutes, spike at
 * 1.5.  Sessions 100..102 are the core example; 103 and 104 check that
 * the oldest session drops out and missing minutes are skipped.
 */
struct tod_step {
	int64_t	 session;
	int	 minute;
	double	 v;
	int	 rv;
	double	 base;
	int	 nbase;
	double	 ratio;
	int	 spike;
};

#define BR	(VWAP_BASE | VWAP_RATIO)

static const struct tod_step tod_steps[] = {
	{ 100, 0, 100, 0, NAN, 0, NAN, 0 },
	{ 100, 1, 50, 0, NAN, 0, NAN, 0 },
	{ 100, 2, 40, 0, NAN, 0, NAN, 0 },
	{ 100, 3, 80, 0, NAN, 0, NAN, 0 },
	{ 101, 0, 200, BR, 100, 1, 2, 1 },
	{ 101, 1, 50, BR, 50, 1, 1, 0 },
	{ 101, 3, 40, BR, 80, 1, 0.5, 0 },	/* minute 2 skipped */
	{ 101, 3, 40, -1, 80, 1, 0.5, 0 },	/* not after 3 */
	{ 101, 4, 40, -1, 80, 1, 0.5, 0 },	/* out of range */
	{ 101, -1, 40, -1, 80, 1, 0.5, 0 },
	{ 102, 0, 150, BR, 150, 2, 1, 0 },
	{ 102, 1, 100, BR, 50, 2, 2, 1 },
	{ 102, 2, 20, BR, 40, 1, 0.5, 0 },	/* 101 lacks it */
	{ 102, 3, 60, BR, 60, 2, 1, 0 },
	{ 103, 0, 0, BR, 175, 2, 0, 0 },	/* 100 dropped out */
	{ 103, 2, 30, BR, 20, 1, 1.5, 1 },	/* edge of the spike */
	{ 104, 1, 10, BR, 100, 1, 0.1, 0 },	/* 103 lacks 1 */
	{ 104, 2, 50, BR, 25, 2, 2, 1 },
	{ 104, 3, 90, BR, 60, 1, 1.5, 1 },	/* 103 ended before 3 */
};

START_TEST(time_of_day_baseline)
{
	const struct tod_step *s;
	struct vwap_tod t;
	double buf[VWAP_TOD_NBUF(2, 4)], one[1];
	size_t i;

	ck_assert_int_eq(vwap_tod_init(&t, 0, 4, 1.5, buf), -1);
	ck_assert_int_eq(vwap_tod_init(&t, 2, 0, 1.5, buf), -1);
	ck_assert_int_eq(vwap_tod_init(&t, 2, 4, NAN, buf), -1);
	ck_assert_int_eq(vwap_tod_init(&t, 2, 4, 1.5, buf), 0);
	for (i = 0; i < NELEM(tod_steps); i++) {
		s = &tod_steps[i];
		ck_assert_msg(vwap_tod_push(&t, s->session, s->minute,
		    s->v) == s->rv, "step %zu", i);
		check_num(t.base, s->base, "base", (int)i);
		ck_assert_int_eq(t.nbase, s->nbase);
		check_num(t.ratio, s->ratio, "ratio", (int)i);
		ck_assert_int_eq(t.spike, s->spike);
	}
	/* A baseline of zero volume defines no ratio. */
	ck_assert_int_eq(vwap_tod_init(&t, 1, 1, 2, one), 0);
	ck_assert_int_eq(vwap_tod_push(&t, 1, 0, 0), 0);
	ck_assert_int_eq(vwap_tod_push(&t, 2, 0, 5), VWAP_BASE);
	ck_assert(t.base == 0 && isnan(t.ratio) && t.spike == 0);
	ck_assert_int_eq(vwap_tod_push(&t, 3, 0, 5), BR);
	ck_assert(t.base == 5 && t.ratio == 1);
}
END_TEST

/*
 * Everything at once over a bars file, for the round trip: session key
 * = UTC day (RTH and the BTC UTC day alike), minute = bar of the session.
 */
#define KIT_N		20
#define KIT_K		3
#define KIT_M		1440
#define KIT_NSAVE	(VWAP_NSAVE + VWAP_NEAR_NSAVE + VWAP_RANGE_NSAVE + \
	    VWAP_VOL_NSAVE(KIT_N) + VWAP_TOD_NSAVE(KIT_K, KIT_M))

struct kit {
	struct vwap	 w;
	struct vwap_near p;
	struct vwap_range r;
	struct vwap_vol	 q;
	struct vwap_tod	 t;
	double		 qbuf[KIT_N];
	double		 tbuf[VWAP_TOD_NBUF(KIT_K, KIT_M)];
	int64_t		 day;
	int		 minute;
	int		 rv[5];
};

static void
kit_init(struct kit *k)
{
	vwap_init(&k->w);
	ck_assert_int_eq(vwap_near_init(&k->p, 0.05), 0);
	vwap_range_init(&k->r);
	ck_assert_int_eq(vwap_vol_init(&k->q, KIT_N, 2.5, k->qbuf), 0);
	ck_assert_int_eq(vwap_tod_init(&k->t, KIT_K, KIT_M, 2.5, k->tbuf),
	    0);
	k->day = -1;
	k->minute = 0;
}

static void
kit_push(struct kit *k, const struct bars *b, int i)
{
	k->minute = b->day[i] == k->day ? k->minute + 1 : 0;
	k->day = b->day[i];
	k->rv[0] = vwap_push(&k->w, b->day[i], b->h[i], b->l[i], b->c[i],
	    b->v[i]);
	k->rv[1] = vwap_near_push(&k->p, b->day[i], b->ts[i], b->c[i],
	    k->w.vwap);
	k->rv[2] = vwap_range_push(&k->r, b->day[i], b->h[i], b->l[i],
	    b->c[i]);
	k->rv[3] = vwap_vol_push(&k->q, b->v[i]);
	k->rv[4] = vwap_tod_push(&k->t, b->day[i], k->minute, b->v[i]);
}

/* The five states back to back, each led by its length. */
static size_t
kit_save(const struct kit *k, double *v, size_t cap)
{
	size_t i = 0, n;

	n = vwap_save(&k->w, v + i + 1, cap - i - 1);
	v[i] = (double)n;
	i += 1 + n;
	n = vwap_near_save(&k->p, v + i + 1, cap - i - 1);
	v[i] = (double)n;
	i += 1 + n;
	n = vwap_range_save(&k->r, v + i + 1, cap - i - 1);
	v[i] = (double)n;
	i += 1 + n;
	n = vwap_vol_save(&k->q, v + i + 1, cap - i - 1);
	v[i] = (double)n;
	i += 1 + n;
	n = vwap_tod_save(&k->t, v + i + 1, cap - i - 1);
	v[i] = (double)n;
	return i + 1 + n;
}

static void
kit_load(struct kit *k, const double *v)
{
	size_t i = 0;

	ck_assert_int_eq(vwap_load(&k->w, v + 1, (size_t)v[0]), 0);
	i += 1 + (size_t)v[i];
	ck_assert_int_eq(vwap_near_load(&k->p, v + i + 1, (size_t)v[i]), 0);
	i += 1 + (size_t)v[i];
	ck_assert_int_eq(vwap_range_load(&k->r, v + i + 1, (size_t)v[i]), 0);
	i += 1 + (size_t)v[i];
	ck_assert_int_eq(vwap_vol_load(&k->q, v + i + 1, (size_t)v[i]), 0);
	i += 1 + (size_t)v[i];
	ck_assert_int_eq(vwap_tod_load(&k->t, v + i + 1, (size_t)v[i]), 0);
}

/* Every output of a and b is the same double. */
static void
kit_same(const struct kit *a, const struct kit *b, int i)
{
	const struct vwap *x = &a->w, *y = &b->w;
	const double xs[] = { x->vol, x->vwap, x->sd, x->upper1, x->lower1,
	    x->upper2, x->lower2, x->dist_pct, x->dist_sd, a->r.pos,
	    a->r.high, a->r.low, a->q.v, a->q.mean, a->q.base, a->q.ratio,
	    a->t.v, a->t.base, a->t.ratio };
	const double ys[] = { y->vol, y->vwap, y->sd, y->upper1, y->lower1,
	    y->upper2, y->lower2, y->dist_pct, y->dist_sd, b->r.pos,
	    b->r.high, b->r.low, b->q.v, b->q.mean, b->q.base, b->q.ratio,
	    b->t.v, b->t.base, b->t.ratio };
	size_t j;

	for (j = 0; j < NELEM(xs); j++)
		ck_assert_msg(same(xs[j], ys[j]), "bar %d: output %zu: "
		    "%.17g != %.17g", i, j, xs[j], ys[j]);
	ck_assert(a->p.ms == b->p.ms && a->p.in == b->p.in);
	ck_assert(a->q.spike == b->q.spike && a->t.spike == b->t.spike);
	ck_assert(a->t.nbase == b->t.nbase);
}

struct split {
	const char	*set;
	int		 at;		/* bars before the save */
};

static const struct split splits[] = {
	{ SPY1M, 0 }, { SPY1M, 1 }, { SPY1M, 19 }, { SPY1M, 21 },
	{ SPY1M, 389 }, { SPY1M, 390 }, { SPY1M, 391 }, { SPY1M, 1000 },
	{ SPY1M, 1949 }, { SPY1M, 1950 },
	{ BTC1M, 3 }, { BTC1M, 777 }, { BTC1M, 1440 }, { BTC1M, 2000 },
	{ BTC1M, 2879 },
};

START_TEST(save_load_is_seamless)
{
	const struct split *sp = &splits[_i];
	struct bars *b = bars_load(sp->set);
	struct kit *one = calloc(1, sizeof(*one));
	struct kit *two = calloc(1, sizeof(*two));
	double *v = calloc(KIT_NSAVE + 5, sizeof(double));
	size_t n, j;
	int i;

	ck_assert(one != NULL && two != NULL && v != NULL);
	kit_init(one);
	kit_init(two);
	for (i = 0; i < sp->at; i++) {
		kit_push(one, b, i);
		kit_push(two, b, i);
	}
	n = kit_save(two, v, KIT_NSAVE + 5);
	ck_assert_uint_le(n, KIT_NSAVE + 5);
	for (j = 0; j < n; j++)
		ck_assert_msg(isfinite(v[j]), "saved value %zu", j);
	/* A fresh struct, not the one that saved: nothing else survives. */
	memset(two, 0xa5, sizeof(*two));
	kit_init(two);
	kit_load(two, v);
	two->day = one->day;
	two->minute = one->minute;
	kit_same(one, two, sp->at);
	for (i = sp->at; i < b->n; i++) {
		kit_push(one, b, i);
		kit_push(two, b, i);
		ck_assert(memcmp(one->rv, two->rv, sizeof(one->rv)) == 0);
		kit_same(one, two, i);
	}
	free(v);
	free(two);
	free(one);
	free(b);
}
END_TEST

START_TEST(load_refuses_a_misfit)
{
	struct vwap w;
	struct vwap_near p;
	struct vwap_range r;
	struct vwap_vol q, q4;
	struct vwap_tod t, t2;
	double qb[3], qb4[4], tb[6], tb2[8], v[64], bad[64];
	size_t n;

	vwap_init(&w);
	ck_assert_int_eq(vwap_push(&w, 1, 2, 1, 1.5, 10), 1);
	ck_assert_uint_eq(vwap_save(&w, v, VWAP_NSAVE - 1), 0);
	n = vwap_save(&w, v, NELEM(v));
	ck_assert_uint_eq(n, VWAP_NSAVE);
	ck_assert_int_eq(vwap_load(&w, v, n - 1), -1);
	memcpy(bad, v, sizeof(v));
	bad[0] = 1.5;				/* nbar not whole */
	ck_assert_int_eq(vwap_load(&w, bad, n), -1);
	bad[0] = v[0];
	bad[9] = NAN;
	ck_assert_int_eq(vwap_load(&w, bad, n), -1);
	ck_assert_int_eq(vwap_load(&w, v, n), 0);
	ck_assert(w.vwap == 1.5);

	ck_assert_int_eq(vwap_near_init(&p, 0.5), 0);
	/* A run ended by a session that starts earlier still loads. */
	ck_assert_int_eq(vwap_near_push(&p, 2, 1000, 100, 100), 1);
	ck_assert_int_eq(vwap_near_push(&p, 1, 10, 200, 100), 0);
	n = vwap_near_save(&p, v, NELEM(v));
	ck_assert_int_eq(vwap_near_load(&p, v, n), 0);
	ck_assert_int_eq(vwap_near_push(&p, 1, 70, 100, 100), 1);
	ck_assert(p.ms == 0);
	ck_assert_int_eq(vwap_near_init(&p, 0.25), 0);
	ck_assert_int_eq(vwap_near_load(&p, v, n), -1);	/* other pct */
	ck_assert_uint_eq(vwap_near_save(&p, v, 2), 0);

	vwap_range_init(&r);
	n = vwap_range_save(&r, v, NELEM(v));
	ck_assert_int_eq(vwap_range_load(&r, v, n), 0);
	ck_assert(isnan(r.pos));
	v[3] = 5;				/* low above high */
	ck_assert_int_eq(vwap_range_load(&r, v, n), -1);

	ck_assert_int_eq(vwap_vol_init(&q, 3, 2, qb), 0);
	ck_assert_int_eq(vwap_vol_init(&q4, 4, 2, qb4), 0);
	vwap_vol_push(&q, 1);
	vwap_vol_push(&q, 2);
	n = vwap_vol_save(&q, v, NELEM(v));
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(vwap_vol_save(&q, v, 5), 0);
	ck_assert_int_eq(vwap_vol_load(&q4, v, n), -1);	/* other n */
	ck_assert_int_eq(vwap_vol_load(&q, v, n + 1), -1);
	v[5] = -2;				/* negative volume */
	ck_assert_int_eq(vwap_vol_load(&q, v, n), -1);

	ck_assert_int_eq(vwap_tod_init(&t, 2, 3, 2, tb), 0);
	ck_assert_int_eq(vwap_tod_init(&t2, 2, 4, 2, tb2), 0);
	n = vwap_tod_save(&t, v, NELEM(v));
	ck_assert_uint_eq(n, VWAP_TOD_NSAVE(2, 3));
	ck_assert_uint_eq(vwap_tod_save(&t, v, n - 1), 0);
	ck_assert_int_eq(vwap_tod_load(&t2, v, n), -1);	/* other m */
	v[5] = 2;				/* no row 2 */
	ck_assert_int_eq(vwap_tod_load(&t, v, n), -1);
}
END_TEST

static Suite *
vwap_suite(void)
{
	Suite *s = suite_create("vwap");
	TCase *tc = tcase_create("vwap");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, vwap_matches_oracle, 0, NELEM(oracle_sets));
	tcase_add_test(tc, vwap_resets_and_waits_for_volume);
	tcase_add_test(tc, vwap_uses_typical_price);
	tcase_add_test(tc, near_timer_edges);
	tcase_add_test(tc, range_position_edges);
	tcase_add_test(tc, volume_ratio_table);
	tcase_add_test(tc, time_of_day_baseline);
	tcase_add_loop_test(tc, save_load_is_seamless, 0, NELEM(splits));
	tcase_add_test(tc, load_refuses_a_misfit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vwap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
