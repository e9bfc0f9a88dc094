/*
 * vwap.c: session VWAP and bands, session range, volume ratios.  Every
 * sum is exact or compensated and taken in a fixed order, so a run split
 * by save and load gives the same doubles as one straight run.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "vwap.h"

/*
 * var = m2 - m1^2 about the shift loses a few ulps of m2 at most; below
 * this fraction of m2 it is rounding, not spread.
 */
#define VAR_FLOOR	1e-14

/* Whole numbers below this sum exactly in an int64 over VWAP_VOL_MAX. */
#define WHOLE_MAX	70368744177664.0	/* 2^46 */

/* Keys and instants in a saved state are whole doubles below 2^53. */
#define KEY_MAX		9007199254740992.0	/* 2^53 */

/* A volume with no bar behind it, in struct vwap_tod's rows. */
#define MISSING		-1.0

static void
sum_init(struct vwap_sum *s)
{
	s->s = 0.0;
	s->c = 0.0;
}

/* Neumaier: the rounding error of each addition goes into c. */
static void
sum_add(struct vwap_sum *s, double x)
{
	double t = s->s + x;

	if (fabs(s->s) >= fabs(x))
		s->c += (s->s - t) + x;
	else
		s->c += (x - t) + s->s;
	s->s = t;
}

static double
sum_value(const struct vwap_sum *s)
{
	return s->s + s->c;
}

static int
whole_ok(double v, double lo, double hi)
{
	return v >= lo && v <= hi && v == floor(v);
}

static int
all_finite(const double *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

static void
vwap_undef(struct vwap *w)
{
	w->vol = w->vwap = w->sd = NAN;
	w->upper1 = w->lower1 = w->upper2 = w->lower2 = NAN;
	w->dist_pct = w->dist_sd = NAN;
}

void
vwap_init(struct vwap *w)
{
	w->nbar = 0;
	w->session = 0;
	w->shift = 0.0;
	sum_init(&w->v);
	sum_init(&w->vd);
	sum_init(&w->vd2);
	w->close = 0.0;
	vwap_undef(w);
}

/* The outputs from the sums and the last close; 1 if defined. */
static int
vwap_out(struct vwap *w)
{
	double vol, m1, m2, var;

	vwap_undef(w);
	vol = sum_value(&w->v);
	if (!(vol > 0.0))
		return 0;
	m1 = sum_value(&w->vd) / vol;
	m2 = sum_value(&w->vd2) / vol;
	var = m2 - m1 * m1;
	if (var <= VAR_FLOOR * m2)
		var = 0.0;
	w->vol = vol;
	w->vwap = w->shift + m1;
	w->sd = sqrt(var);
	w->upper1 = w->vwap + w->sd;
	w->lower1 = w->vwap - w->sd;
	w->upper2 = w->vwap + 2.0 * w->sd;
	w->lower2 = w->vwap - 2.0 * w->sd;
	vwap_dist(w, w->close, &w->dist_pct, &w->dist_sd);
	return 1;
}

int
vwap_push(struct vwap *w, int64_t session, double h, double l, double c,
    double v)
{
	double tp, d;

	if (!isfinite(h) || !isfinite(l) || !isfinite(c) || !isfinite(v) ||
	    v < 0.0)
		return -1;
	if (w->nbar == 0 || w->session != session) {
		w->nbar = 0;
		w->session = session;
		w->shift = 0.0;
		sum_init(&w->v);
		sum_init(&w->vd);
		sum_init(&w->vd2);
	}
	w->nbar++;
	w->close = c;
	tp = (h + l + c) / 3.0;
	/*
	 * Deviations from a price inside the session stay small, so their
	 * squares carry the spread and not the price level.
	 */
	if (v > 0.0) {
		if (!(sum_value(&w->v) > 0.0))
			w->shift = tp;
		d = tp - w->shift;
		sum_add(&w->v, v);
		sum_add(&w->vd, v * d);
		sum_add(&w->vd2, (v * d) * d);
	}
	return vwap_out(w);
}

int
vwap_dist(const struct vwap *w, double p, double *pct, double *nsd)
{
	double dp = NAN, ds = NAN;
	int rv = 0;

	if (!isnan(w->vwap) && isfinite(p)) {
		if (w->vwap != 0.0) {
			dp = (p - w->vwap) / w->vwap * 100.0;
			rv |= VWAP_DIST_PCT;
		}
		if (w->sd > 0.0) {
			ds = (p - w->vwap) / w->sd;
			rv |= VWAP_DIST_SD;
		}
	}
	if (pct != NULL)
		*pct = dp;
	if (nsd != NULL)
		*nsd = ds;
	return rv;
}

int
vwap_atr_bands(const struct vwap *w, double atr, double k, double *upper,
    double *lower)
{
	if (isnan(w->vwap) || !isfinite(atr) || atr < 0.0 || !isfinite(k))
		return -1;
	*upper = w->vwap + k * atr;
	*lower = w->vwap - k * atr;
	return 0;
}

int
vwap_near_init(struct vwap_near *p, double pct)
{
	if (!isfinite(pct) || pct < 0.0)
		return -1;
	p->pct = pct;
	p->started = 0;
	p->session = 0;
	p->in = 0;
	p->since = 0;
	p->last = 0;
	p->ms = 0;
	return 0;
}

int
vwap_near_push(struct vwap_near *p, int64_t session, int64_t t, double c,
    double vwap)
{
	int inside;

	if (!isfinite(c))
		return -1;
	if (p->started && p->session == session && t < p->last)
		return -1;
	if (!p->started || p->session != session)
		p->in = 0;
	p->started = 1;
	p->session = session;
	p->last = t;
	/* Scaled by 100 rather than pct/100, so round edges are exact. */
	inside = isfinite(vwap) &&
	    fabs(c - vwap) * 100.0 <= p->pct * fabs(vwap);
	if (!inside) {
		p->in = 0;
		p->ms = 0;
		return 0;
	}
	if (!p->in) {
		p->in = 1;
		p->since = t;
	}
	p->ms = t - p->since;
	return 1;
}

void
vwap_range_init(struct vwap_range *r)
{
	r->nbar = 0;
	r->session = 0;
	r->high = r->low = r->close = 0.0;
	r->pos = NAN;
}

static void
range_out(struct vwap_range *r)
{
	double pos;

	if (r->high == r->low) {
		r->pos = 0.5;
		return;
	}
	/* A close outside its own bar is bad data; keep pos a position. */
	pos = (r->close - r->low) / (r->high - r->low);
	r->pos = pos < 0.0 ? 0.0 : pos > 1.0 ? 1.0 : pos;
}

int
vwap_range_push(struct vwap_range *r, int64_t session, double h, double l,
    double c)
{
	if (!isfinite(h) || !isfinite(l) || !isfinite(c) || l > h)
		return -1;
	if (r->nbar == 0 || r->session != session) {
		r->nbar = 0;
		r->session = session;
		r->high = h;
		r->low = l;
	}
	if (h > r->high)
		r->high = h;
	if (l < r->low)
		r->low = l;
	r->nbar++;
	r->close = c;
	range_out(r);
	return 1;
}

/* Ratio and spike from v and base; the VWAP_BASE and VWAP_RATIO bits. */
static int
judge(double v, double base, double thr, double *ratio, int *spike)
{
	*ratio = NAN;
	*spike = 0;
	if (isnan(base))
		return 0;
	if (!(base > 0.0))
		return VWAP_BASE;
	*ratio = v / base;
	*spike = *ratio >= thr;
	return VWAP_BASE | VWAP_RATIO;
}

int
vwap_vol_init(struct vwap_vol *q, int n, double thr, double *buf)
{
	if (n < 1 || n > VWAP_VOL_MAX || buf == NULL || !isfinite(thr) ||
	    thr < 0.0)
		return -1;
	q->n = n;
	q->thr = thr;
	q->x = buf;
	q->pos = 0;
	q->k = 0;
	q->isum = 0;
	q->nfrac = 0;
	q->v = q->mean = q->base = q->ratio = NAN;
	q->spike = 0;
	return 0;
}

static int
ring_len(const struct vwap_vol *q)
{
	return q->k < q->n ? (int)q->k : q->n;
}

/* The i-th value in the ring, oldest first. */
static double
ring_at(const struct vwap_vol *q, int i)
{
	int first = q->k < q->n ? 0 : q->pos;

	return q->x[(first + i) % q->n];
}

static int
is_whole(double v)
{
	return v < WHOLE_MAX && v == floor(v);
}

/* Add (sign 1) or remove (-1) v from the exact bookkeeping. */
static void
ring_count(struct vwap_vol *q, double v, int sign)
{
	if (is_whole(v))
		q->isum += sign * (int64_t)v;
	else
		q->nfrac += sign;
}

static void
ring_put(struct vwap_vol *q, double v)
{
	if (q->k >= q->n)
		ring_count(q, q->x[q->pos], -1);
	q->x[q->pos] = v;
	ring_count(q, v, 1);
	q->pos = (q->pos + 1) % q->n;
	q->k++;
}

/* Exact for whole volumes; else compensated, oldest first. */
static double
ring_sum(const struct vwap_vol *q)
{
	struct vwap_sum s;
	int i, len = ring_len(q);

	if (q->nfrac == 0)
		return (double)q->isum;
	sum_init(&s);
	for (i = 0; i < len; i++)
		sum_add(&s, ring_at(q, i));
	return sum_value(&s);
}

/* Everything but base, from the ring; the VWAP_ bits. */
static int
vol_out(struct vwap_vol *q)
{
	int rv = 0;

	q->v = ring_at(q, ring_len(q) - 1);
	q->mean = NAN;
	if (q->k >= q->n) {
		q->mean = ring_sum(q) / q->n;
		rv |= VWAP_MEAN;
	}
	return rv | judge(q->v, q->base, q->thr, &q->ratio, &q->spike);
}

int
vwap_vol_push(struct vwap_vol *q, double v)
{
	if (!isfinite(v) || v < 0.0)
		return -1;
	/* Before v goes in, a full ring holds exactly the n bars before. */
	q->base = q->k >= q->n ? ring_sum(q) / q->n : NAN;
	ring_put(q, v);
	return vol_out(q);
}

int
vwap_tod_init(struct vwap_tod *t, int k, int m, double thr, double *buf)
{
	size_t i, len;

	if (k < 1 || m < 1 || (double)k * m > VWAP_TOD_MAX || buf == NULL ||
	    !isfinite(thr) || thr < 0.0)
		return -1;
	t->k = k;
	t->m = m;
	t->thr = thr;
	t->x = buf;
	len = VWAP_TOD_NBUF(k, m);
	for (i = 0; i < len; i++)
		t->x[i] = MISSING;
	t->started = 0;
	t->session = 0;
	t->cur = 0;
	t->last = -1;
	t->v = t->base = t->ratio = NAN;
	t->nbase = 0;
	t->spike = 0;
	return 0;
}

/* Where row's volume at minute lives; both are in range. */
static double *
tod_cell(const struct vwap_tod *t, int row, int minute)
{
	return &t->x[(size_t)row * (size_t)t->m + (size_t)minute];
}

/* Today had no bar at minutes from..to-1. */
static void
tod_blank(struct vwap_tod *t, int from, int to)
{
	int i;

	for (i = from; i < to; i++)
		*tod_cell(t, t->cur, i) = MISSING;
}

/*
 * Mean of column i over the k rows, oldest (today's, not yet written)
 * first, skipping sessions without that minute.
 */
static void
tod_base(struct vwap_tod *t, int i)
{
	struct vwap_sum s;
	double x;
	int j;

	sum_init(&s);
	t->nbase = 0;
	for (j = 0; j < t->k; j++) {
		x = *tod_cell(t, (t->cur + j) % t->k, i);
		if (x == MISSING)
			continue;
		sum_add(&s, x);
		t->nbase++;
	}
	t->base = t->nbase > 0 ? sum_value(&s) / t->nbase : NAN;
}

int
vwap_tod_push(struct vwap_tod *t, int64_t session, int minute, double v)
{
	if (minute < 0 || minute >= t->m || !isfinite(v) || v < 0.0)
		return -1;
	if (t->started && t->session == session && minute <= t->last)
		return -1;
	/* Yesterday's row is complete; the oldest becomes today's. */
	if (t->started && t->session != session) {
		tod_blank(t, t->last + 1, t->m);
		t->cur = (t->cur + 1) % t->k;
		t->last = -1;
	}
	t->started = 1;
	t->session = session;
	tod_blank(t, t->last + 1, minute);
	tod_base(t, minute);
	*tod_cell(t, t->cur, minute) = v;
	t->last = minute;
	t->v = v;
	return judge(t->v, t->base, t->thr, &t->ratio, &t->spike);
}

/*
 * Saving.  Counts, keys and instants are stored as whole doubles (exact
 * below 2^53); load checks them before it trusts them.
 */

/* [nbar, session, shift, v.s, v.c, vd.s, vd.c, vd2.s, vd2.c, close] */
size_t
vwap_save(const struct vwap *w, double *out, size_t cap)
{
	if (cap < VWAP_NSAVE)
		return 0;
	out[0] = (double)w->nbar;
	out[1] = (double)w->session;
	out[2] = w->shift;
	out[3] = w->v.s;
	out[4] = w->v.c;
	out[5] = w->vd.s;
	out[6] = w->vd.c;
	out[7] = w->vd2.s;
	out[8] = w->vd2.c;
	out[9] = w->close;
	return VWAP_NSAVE;
}

int
vwap_load(struct vwap *w, const double *v, size_t len)
{
	if (len != VWAP_NSAVE || !all_finite(v, len) ||
	    !whole_ok(v[0], 0, KEY_MAX) || !whole_ok(v[1], -KEY_MAX, KEY_MAX) ||
	    v[3] + v[4] < 0.0)
		return -1;
	w->nbar = (long)v[0];
	w->session = (int64_t)v[1];
	w->shift = v[2];
	w->v.s = v[3];
	w->v.c = v[4];
	w->vd.s = v[5];
	w->vd.c = v[6];
	w->vd2.s = v[7];
	w->vd2.c = v[8];
	w->close = v[9];
	if (w->nbar == 0)
		vwap_undef(w);
	else
		vwap_out(w);
	return 0;
}

/* [pct, started, session, in, since, last]; ms follows from them. */
size_t
vwap_near_save(const struct vwap_near *p, double *out, size_t cap)
{
	if (cap < VWAP_NEAR_NSAVE)
		return 0;
	out[0] = p->pct;
	out[1] = p->started;
	out[2] = (double)p->session;
	out[3] = p->in;
	/* Out of a run, since is stale: a new session may start earlier. */
	out[4] = (double)(p->in ? p->since : p->last);
	out[5] = (double)p->last;
	return VWAP_NEAR_NSAVE;
}

int
vwap_near_load(struct vwap_near *p, const double *v, size_t len)
{
	if (len != VWAP_NEAR_NSAVE || v[0] != p->pct ||
	    !whole_ok(v[1], 0, 1) || !whole_ok(v[2], -KEY_MAX, KEY_MAX) ||
	    !whole_ok(v[3], 0, 1) || !whole_ok(v[4], -KEY_MAX, KEY_MAX) ||
	    !whole_ok(v[5], -KEY_MAX, KEY_MAX) || v[4] > v[5])
		return -1;
	p->started = (int)v[1];
	p->session = (int64_t)v[2];
	p->in = (int)v[3];
	p->since = (int64_t)v[4];
	p->last = (int64_t)v[5];
	p->ms = p->in ? p->last - p->since : 0;
	return 0;
}

/* [nbar, session, high, low, close]; pos follows from them. */
size_t
vwap_range_save(const struct vwap_range *r, double *out, size_t cap)
{
	if (cap < VWAP_RANGE_NSAVE)
		return 0;
	out[0] = (double)r->nbar;
	out[1] = (double)r->session;
	out[2] = r->high;
	out[3] = r->low;
	out[4] = r->close;
	return VWAP_RANGE_NSAVE;
}

int
vwap_range_load(struct vwap_range *r, const double *v, size_t len)
{
	if (len != VWAP_RANGE_NSAVE || !all_finite(v, len) ||
	    !whole_ok(v[0], 0, KEY_MAX) || !whole_ok(v[1], -KEY_MAX, KEY_MAX) ||
	    v[3] > v[2])
		return -1;
	r->nbar = (long)v[0];
	r->session = (int64_t)v[1];
	r->high = v[2];
	r->low = v[3];
	r->close = v[4];
	if (r->nbar == 0)
		r->pos = NAN;
	else
		range_out(r);
	return 0;
}

/* [n, thr, k, base or 0, values oldest first]; the sums are rebuilt. */
size_t
vwap_vol_save(const struct vwap_vol *q, double *out, size_t cap)
{
	size_t i = 0;
	int j, len = ring_len(q);

	if (cap < 4 + (size_t)len)
		return 0;
	out[i++] = q->n;
	out[i++] = q->thr;
	out[i++] = (double)q->k;
	out[i++] = isnan(q->base) ? 0.0 : q->base;
	for (j = 0; j < len; j++)
		out[i++] = ring_at(q, j);
	return i;
}

int
vwap_vol_load(struct vwap_vol *q, const double *v, size_t len)
{
	size_t want, j;

	if (len < 4 || !all_finite(v, len) || v[0] != q->n ||
	    v[1] != q->thr || !whole_ok(v[2], 0, KEY_MAX) || v[3] < 0.0)
		return -1;
	want = v[2] < q->n ? (size_t)v[2] : (size_t)q->n;
	if (len != 4 + want)
		return -1;
	for (j = 4; j < len; j++)
		if (v[j] < 0.0)
			return -1;
	/* Refill oldest first, then set the count the ring had seen. */
	q->pos = 0;
	q->k = 0;
	q->isum = 0;
	q->nfrac = 0;
	for (j = 4; j < len; j++)
		ring_put(q, v[j]);
	q->k = (long)v[2];
	q->base = q->k > q->n ? v[3] : NAN;
	if (q->k == 0) {
		q->v = q->mean = q->ratio = NAN;
		q->spike = 0;
	} else
		vol_out(q);
	return 0;
}

/* [k, m, thr, started, session, cur, last, v, nbase, base, rows] */
size_t
vwap_tod_save(const struct vwap_tod *t, double *out, size_t cap)
{
	size_t i, len = VWAP_TOD_NBUF(t->k, t->m);

	if (cap < 10 + len)
		return 0;
	out[0] = t->k;
	out[1] = t->m;
	out[2] = t->thr;
	out[3] = t->started;
	out[4] = (double)t->session;
	out[5] = t->cur;
	out[6] = t->last;
	out[7] = t->started ? t->v : 0.0;
	out[8] = t->nbase;
	out[9] = t->nbase > 0 ? t->base : 0.0;
	for (i = 0; i < len; i++)
		out[10 + i] = t->x[i];
	return 10 + len;
}

int
vwap_tod_load(struct vwap_tod *t, const double *v, size_t len)
{
	size_t i, n = VWAP_TOD_NBUF(t->k, t->m);

	if (len != 10 + n || !all_finite(v, len) || v[0] != t->k ||
	    v[1] != t->m || v[2] != t->thr || !whole_ok(v[3], 0, 1) ||
	    !whole_ok(v[4], -KEY_MAX, KEY_MAX) ||
	    !whole_ok(v[5], 0, t->k - 1) || !whole_ok(v[6], -1, t->m - 1) ||
	    v[7] < 0.0 || !whole_ok(v[8], 0, t->k) || v[9] < 0.0)
		return -1;
	for (i = 0; i < n; i++)
		if (v[10 + i] < 0.0 && v[10 + i] != MISSING)
			return -1;
	t->started = (int)v[3];
	t->session = (int64_t)v[4];
	t->cur = (int)v[5];
	t->last = (int)v[6];
	for (i = 0; i < n; i++)
		t->x[i] = v[10 + i];
	t->nbase = (int)v[8];
	t->base = t->nbase > 0 ? v[9] : NAN;
	t->v = t->started ? v[7] : NAN;
	if (t->started)
		judge(t->v, t->base, t->thr, &t->ratio, &t->spike);
	else {
		t->ratio = NAN;
		t->spike = 0;
	}
	return 0;
}
