/*
 * ind.c: streaming indicators.  The operation order is normative where
 * ema-cloud-reference.md 3 or TA-Lib fixes it: do not "simplify" an
 * expression here without checking tests/unit/test_ind.c bit for bit.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ind.h"

/* Whole numbers below this sum exactly in an int64 over IND_WIN_MAX. */
#define WHOLE_MAX	70368744177664.0	/* 2^46 */

/* TA-Lib's TA_IS_ZERO. */
#define NEAR_ZERO(v)	(-1e-14 < (v) && (v) < 1e-14)

void
ind_fsum_init(struct ind_fsum *s)
{
	s->n = 0;
}

void
ind_fsum_add(struct ind_fsum *s, double x)
{
	double hi, lo, y, t;
	int i, j;

	/* Never reached for terms of like magnitude; see ind.h. */
	if (s->n == IND_FSUM) {
		hi = ind_fsum_value(s);
		s->p[0] = hi;
		s->n = 1;
	}
	/*
	 * Shewchuk's grow-expansion: hi + lo == x + y exactly (two-sum),
	 * the nonzero errors stay as partials, smallest first.
	 */
	i = 0;
	for (j = 0; j < s->n; j++) {
		y = s->p[j];
		if (fabs(x) < fabs(y)) {
			t = x;
			x = y;
			y = t;
		}
		hi = x + y;
		lo = y - (hi - x);
		if (lo != 0.0)
			s->p[i++] = lo;
		x = hi;
	}
	s->p[i++] = x;
	s->n = i;
}

/* Python's math.fsum rounding of the partials: half-even, once. */
double
ind_fsum_value(const struct ind_fsum *s)
{
	double hi = 0.0, lo = 0.0, x, y, yr;
	int n = s->n;

	if (n == 0)
		return 0.0;
	hi = s->p[--n];
	while (n > 0) {
		x = hi;
		y = s->p[--n];
		hi = x + y;
		yr = hi - x;
		lo = y - yr;
		if (lo != 0.0)
			break;
	}
	/*
	 * The rest of the partials can only matter when lo is exactly
	 * half an ulp of hi and they push it the same way: round away.
	 */
	if (n > 0 && ((lo < 0.0 && s->p[n - 1] < 0.0) ||
	    (lo > 0.0 && s->p[n - 1] > 0.0))) {
		y = lo * 2.0;
		x = hi + y;
		yr = x - hi;
		if (y == yr)
			hi = x;
	}
	return hi;
}

double
ind_fsum_of(const double *x, size_t n)
{
	struct ind_fsum s;
	size_t i;

	ind_fsum_init(&s);
	for (i = 0; i < n; i++)
		ind_fsum_add(&s, x[i]);
	return ind_fsum_value(&s);
}

int
ind_ema_init(struct ind_ema *m, int n)
{
	if (n < 1)
		return -1;
	m->n = n;
	m->a = 2.0 / (n + 1.0);
	m->b = 1.0 - m->a;
	m->k = 0;
	m->e = NAN;
	ind_fsum_init(&m->seed);
	return 0;
}

int
ind_ema_push(struct ind_ema *m, double x)
{
	/* 3.1 literally: two rounded products, one rounded sum. */
	if (m->k >= m->n) {
		m->e = (m->e * m->b) + (x * m->a);
		m->k++;
		return 1;
	}
	ind_fsum_add(&m->seed, x);
	m->k++;
	if (m->k < m->n)
		return 0;
	m->e = ind_fsum_value(&m->seed) / m->n;
	return 1;
}

/* A whole number that an int64 sum of IND_WIN_MAX of them can hold. */
static int
is_whole(double v)
{
	return fabs(v) < WHOLE_MAX && v == floor(v);
}

int
ind_win_init(struct ind_win *w, int n, double *buf)
{
	if (n < 1 || n > IND_WIN_MAX || buf == NULL)
		return -1;
	w->n = n;
	w->x = buf;
	w->pos = 0;
	w->k = 0;
	w->isum = 0;
	w->nfrac = 0;
	return 0;
}

/* Add (sign 1) or remove (-1) v from the exact bookkeeping. */
static void
win_count(struct ind_win *w, double v, int sign)
{
	if (is_whole(v))
		w->isum += sign * (int64_t)v;
	else
		w->nfrac += sign;
}

void
ind_win_push(struct ind_win *w, double v)
{
	if (w->k >= w->n)
		win_count(w, w->x[w->pos], -1);
	w->x[w->pos] = v;
	win_count(w, v, 1);
	w->pos++;
	if (w->pos == w->n)
		w->pos = 0;
	w->k++;
}

int
ind_win_full(const struct ind_win *w)
{
	return w->k >= w->n;
}

double
ind_win_sum(const struct ind_win *w)
{
	size_t len = w->k < w->n ? (size_t)w->k : (size_t)w->n;

	/* Order does not matter to a correctly rounded sum. */
	if (w->nfrac == 0)
		return (double)w->isum;
	return ind_fsum_of(w->x, len);
}

double
ind_win_at(const struct ind_win *w, int i)
{
	int first = w->k < w->n ? 0 : w->pos;

	return w->x[(first + i) % w->n];
}

int
ind_sma_init(struct ind_sma *s, int n, double *buf)
{
	s->v = NAN;
	return ind_win_init(&s->w, n, buf);
}

int
ind_sma_push(struct ind_sma *s, double x)
{
	ind_win_push(&s->w, x);
	if (!ind_win_full(&s->w))
		return 0;
	s->v = ind_win_sum(&s->w) / s->w.n;
	return 1;
}

void
ind_trange_init(struct ind_trange *t)
{
	t->k = 0;
	t->pc = NAN;
	t->v = NAN;
}

int
ind_trange_push(struct ind_trange *t, double h, double l, double c)
{
	double hi, lo;

	/* TA-Lib has no true range for the first bar, not even h - l. */
	t->k++;
	if (t->k == 1) {
		t->pc = c;
		return 0;
	}
	hi = h > t->pc ? h : t->pc;
	lo = l < t->pc ? l : t->pc;
	t->v = hi - lo;
	t->pc = c;
	return 1;
}

int
ind_atr_init(struct ind_atr *a, int n)
{
	if (n < 1)
		return -1;
	a->n = n;
	ind_trange_init(&a->tr);
	a->k = 0;
	a->sum = 0.0;
	a->v = NAN;
	return 0;
}

int
ind_atr_push(struct ind_atr *a, double h, double l, double c)
{
	double tr;

	if (!ind_trange_push(&a->tr, h, l, c))
		return 0;
	tr = a->tr.v;
	if (a->k >= a->n) {
		/* TA-Lib's order: multiply, add, divide. */
		a->v *= a->n - 1;
		a->v += tr;
		a->v /= a->n;
		a->k++;
		return 1;
	}
	/* The seed: a left-to-right sum, as TA-Lib's TA_INT_SMA. */
	a->sum += tr;
	a->k++;
	if (a->k < a->n)
		return 0;
	a->v = a->sum / a->n;
	return 1;
}

int
ind_rsi_init(struct ind_rsi *r, int n)
{
	if (n < 1)
		return -1;
	r->n = n;
	r->k = 0;
	r->prev = NAN;
	r->gain = 0.0;
	r->loss = 0.0;
	r->v = NAN;
	return 0;
}

static void
rsi_value(struct ind_rsi *r)
{
	double t = r->gain + r->loss;

	r->v = NEAR_ZERO(t) ? 0.0 : 100.0 * (r->gain / t);
}

int
ind_rsi_push(struct ind_rsi *r, double x)
{
	double d;

	r->k++;
	if (r->k == 1) {
		r->prev = x;
		return 0;
	}
	d = x - r->prev;
	r->prev = x;
	/* TA-Lib's order: a zero change counts as a gain of 0. */
	if (r->k > r->n + 1) {
		r->loss *= r->n - 1;
		r->gain *= r->n - 1;
		if (d < 0)
			r->loss -= d;
		else
			r->gain += d;
		r->loss /= r->n;
		r->gain /= r->n;
		rsi_value(r);
		return 1;
	}
	/* The first n changes are summed, then averaged once. */
	if (d < 0)
		r->loss -= d;
	else
		r->gain += d;
	if (r->k < r->n + 1)
		return 0;
	r->loss /= r->n;
	r->gain /= r->n;
	rsi_value(r);
	return 1;
}

int
ind_bb_init(struct ind_bb *b, int n, double m, double *buf)
{
	b->m = m;
	b->upper = b->middle = b->lower = b->sd = NAN;
	return ind_win_init(&b->w, n, buf);
}

int
ind_bb_push(struct ind_bb *b, double x)
{
	double mean, d, s1 = 0.0, s2 = 0.0, var;
	int i, n = b->w.n;

	ind_win_push(&b->w, x);
	if (!ind_win_full(&b->w))
		return 0;
	/* Deviations from the mean are small: their squares lose nothing. */
	mean = ind_win_sum(&b->w) / n;
	for (i = 0; i < n; i++) {
		d = b->w.x[i] - mean;
		s1 += d;
		s2 += d * d;
	}
	/* s1 is the rounding left in mean: remove it (corrected two-pass). */
	var = (s2 - (s1 * s1) / n) / n;
	b->sd = var > 0.0 ? sqrt(var) : 0.0;
	b->middle = mean;
	b->upper = mean + b->m * b->sd;
	b->lower = mean - b->m * b->sd;
	return 1;
}

int
ind_vol_init(struct ind_vol *v, int n, double *buf)
{
	v->sum_prev = v->avg_prev = v->sma = NAN;
	return ind_win_init(&v->w, n, buf);
}

int
ind_vol_push(struct ind_vol *v, double x)
{
	int rv = 0;

	/* Before v goes in, the window holds exactly the n bars before it. */
	if (ind_win_full(&v->w)) {
		v->sum_prev = ind_win_sum(&v->w);
		v->avg_prev = v->sum_prev / v->w.n;
		rv |= IND_VOL_PREV;
	}
	ind_win_push(&v->w, x);
	if (ind_win_full(&v->w)) {
		v->sma = ind_win_sum(&v->w) / v->w.n;
		rv |= IND_VOL_SMA;
	}
	return rv;
}

int
ind_cloud_init(struct ind_cloud *c, int s, int l)
{
	c->regime = 0;
	c->flip = 0;
	if (ind_ema_init(&c->s, s) == -1 || ind_ema_init(&c->l, l) == -1)
		return -1;
	return 0;
}

int
ind_cloud_push(struct ind_cloud *c, double x)
{
	int ds, dl, r;

	/* Both EMAs see every close, whatever the other one's state. */
	ds = ind_ema_push(&c->s, x);
	dl = ind_ema_push(&c->l, x);
	if (!ds || !dl)
		return 0;
	if (c->s.e > c->l.e)
		r = 1;
	else if (c->s.e < c->l.e)
		r = -1;
	else
		r = c->regime;		/* equality carries the regime */
	c->flip = (c->regime == -1 && r == 1) ? 1 :
	    (c->regime == 1 && r == -1) ? -1 : 0;
	c->regime = r;
	return 1;
}

int
ind_resample_init(struct ind_resample *rs, int size, int span)
{
	if (size < 1 || size > 1440 || span < 1 || size % span != 0)
		return -1;
	rs->size = size;
	rs->span = span;
	rs->open = 0;
	rs->day = 0;
	rs->slot = 0;
	rs->close = NAN;
	rs->nclosed = 0;
	return 0;
}

int
ind_resample_push(struct ind_resample *rs, int64_t day, int minute,
    double close, double out[2])
{
	int slot = minute / rs->size, end, n = 0;

	/* A bar of another bucket: the open one ended before this bar. */
	if (rs->open && (rs->day != day || rs->slot != slot)) {
		out[n++] = rs->close;
		rs->open = 0;
		rs->nclosed++;
	}
	/* This bar is now the last of its bucket: its close is the close. */
	rs->open = 1;
	rs->day = day;
	rs->slot = slot;
	rs->close = close;
	/* The last bucket of a day ends at midnight whatever its size. */
	end = (slot + 1) * rs->size;
	if (end > 1440)
		end = 1440;
	if (minute + rs->span >= end) {
		out[n++] = rs->close;
		rs->open = 0;
		rs->nclosed++;
	}
	return n;
}

int
ind_macro_init(struct ind_macro *m, int size, int span, int s, int l)
{
	m->state = 0;
	if (ind_resample_init(&m->rs, size, span) == -1 ||
	    ind_ema_init(&m->s, s) == -1 || ind_ema_init(&m->l, l) == -1)
		return -1;
	return 0;
}

int
ind_macro_push(struct ind_macro *m, int64_t day, int minute, double close)
{
	double c[2];
	int i, n;

	/* Closes feed the EMAs in closing order, old bucket first. */
	n = ind_resample_push(&m->rs, day, minute, close, c);
	for (i = 0; i < n; i++) {
		ind_ema_push(&m->s, c[i]);
		ind_ema_push(&m->l, c[i]);
	}
	if (m->s.k < m->s.n || m->l.k < m->l.n)
		return 0;
	m->state = m->s.e > m->l.e ? 1 : m->s.e < m->l.e ? -1 : 0;
	return 1;
}

/*
 * Saving.  A count is stored as a double (exact below 2^53); load checks
 * that it is a whole number in range before it trusts it.
 */

static int
count_ok(double v, double lo, double hi)
{
	return v >= lo && v <= hi && v == floor(v);
}

/* [n, k, e, np, partials...]: partials only while warming up. */
size_t
ind_ema_save(const struct ind_ema *m, double *v)
{
	size_t i = 0;
	int j;

	v[i++] = m->n;
	v[i++] = (double)m->k;
	v[i++] = m->k >= m->n ? m->e : 0.0;
	v[i++] = m->k >= m->n ? 0 : m->seed.n;
	if (m->k < m->n)
		for (j = 0; j < m->seed.n; j++)
			v[i++] = m->seed.p[j];
	return i;
}

int
ind_ema_load(struct ind_ema *m, const double *v, size_t len)
{
	int j, np;

	if (len < 4 || v[0] != m->n || !count_ok(v[1], 0, 9e15) ||
	    !count_ok(v[3], 0, IND_FSUM))
		return -1;
	np = (int)v[3];
	if (len != 4 + (size_t)np || (v[1] >= m->n && np != 0) ||
	    (v[1] > 0 && v[1] < m->n && np == 0))
		return -1;
	m->k = (long)v[1];
	m->e = m->k >= m->n ? v[2] : NAN;
	m->seed.n = np;
	for (j = 0; j < np; j++)
		m->seed.p[j] = v[4 + j];
	return 0;
}

/* [n, k, values oldest first]; the exact sums are rebuilt on load. */
size_t
ind_win_save(const struct ind_win *w, double *v)
{
	size_t i = 0;
	int j, len = w->k < w->n ? (int)w->k : w->n;

	v[i++] = w->n;
	v[i++] = (double)w->k;
	for (j = 0; j < len; j++)
		v[i++] = ind_win_at(w, j);
	return i;
}

int
ind_win_load(struct ind_win *w, const double *v, size_t len)
{
	size_t want, j;

	if (len < 2 || v[0] != w->n || !count_ok(v[1], 0, 9e15))
		return -1;
	want = v[1] < w->n ? (size_t)v[1] : (size_t)w->n;
	if (len != 2 + want)
		return -1;
	/* Refill oldest first, then set the count the ring had seen. */
	w->pos = 0;
	w->k = 0;
	w->isum = 0;
	w->nfrac = 0;
	for (j = 0; j < want; j++)
		ind_win_push(w, v[2 + j]);
	w->k = (long)v[1];
	return 0;
}

size_t
ind_trange_save(const struct ind_trange *t, double *v)
{
	v[0] = (double)t->k;
	v[1] = t->k > 0 ? t->pc : 0.0;
	v[2] = t->k > 1 ? t->v : 0.0;
	return IND_TRANGE_NSAVE;
}

int
ind_trange_load(struct ind_trange *t, const double *v, size_t len)
{
	if (len != IND_TRANGE_NSAVE || !count_ok(v[0], 0, 9e15))
		return -1;
	t->k = (long)v[0];
	t->pc = t->k > 0 ? v[1] : NAN;
	t->v = t->k > 1 ? v[2] : NAN;
	return 0;
}

size_t
ind_atr_save(const struct ind_atr *a, double *v)
{
	v[0] = a->n;
	v[1] = (double)a->k;
	v[2] = a->sum;
	v[3] = a->k >= a->n ? a->v : 0.0;
	return 4 + ind_trange_save(&a->tr, v + 4);
}

int
ind_atr_load(struct ind_atr *a, const double *v, size_t len)
{
	if (len != IND_ATR_NSAVE || v[0] != a->n || !count_ok(v[1], 0, 9e15))
		return -1;
	a->k = (long)v[1];
	a->sum = v[2];
	a->v = a->k >= a->n ? v[3] : NAN;
	return ind_trange_load(&a->tr, v + 4, len - 4);
}

size_t
ind_rsi_save(const struct ind_rsi *r, double *v)
{
	v[0] = r->n;
	v[1] = (double)r->k;
	v[2] = r->k > 0 ? r->prev : 0.0;
	v[3] = r->gain;
	v[4] = r->loss;
	v[5] = r->k > r->n ? r->v : 0.0;
	return IND_RSI_NSAVE;
}

int
ind_rsi_load(struct ind_rsi *r, const double *v, size_t len)
{
	if (len != IND_RSI_NSAVE || v[0] != r->n || !count_ok(v[1], 0, 9e15))
		return -1;
	r->k = (long)v[1];
	r->prev = r->k > 0 ? v[2] : NAN;
	r->gain = v[3];
	r->loss = v[4];
	r->v = r->k > r->n ? v[5] : NAN;
	return 0;
}

/* Two EMAs back to back, each led by its length. */
static size_t
save_ema2(const struct ind_ema *a, const struct ind_ema *b, double *v)
{
	size_t n;

	n = ind_ema_save(a, v + 1);
	v[0] = (double)n;
	return 1 + n + ind_ema_save(b, v + 1 + n);
}

static int
load_ema2(struct ind_ema *a, struct ind_ema *b, const double *v, size_t len)
{
	size_t n;

	if (len < 1 || !count_ok(v[0], 0, (double)len - 1))
		return -1;
	n = (size_t)v[0];
	if (ind_ema_load(a, v + 1, n) == -1 ||
	    ind_ema_load(b, v + 1 + n, len - 1 - n) == -1)
		return -1;
	return 0;
}

size_t
ind_cloud_save(const struct ind_cloud *c, double *v)
{
	v[0] = c->regime;
	return 1 + save_ema2(&c->s, &c->l, v + 1);
}

int
ind_cloud_load(struct ind_cloud *c, const double *v, size_t len)
{
	if (len < 1 || (v[0] != -1 && v[0] != 0 && v[0] != 1))
		return -1;
	c->regime = (int)v[0];
	c->flip = 0;
	return load_ema2(&c->s, &c->l, v + 1, len - 1);
}

/* The open bucket, if any, is part of the state: it may close later. */
size_t
ind_resample_save(const struct ind_resample *rs, double *v)
{
	v[0] = rs->size;
	v[1] = rs->span;
	v[2] = rs->open;
	v[3] = (double)rs->day;
	v[4] = rs->slot;
	v[5] = rs->open ? rs->close : 0.0;
	v[6] = (double)rs->nclosed;
	return IND_RESAMPLE_NSAVE;
}

int
ind_resample_load(struct ind_resample *rs, const double *v, size_t len)
{
	if (len != IND_RESAMPLE_NSAVE || v[0] != rs->size ||
	    v[1] != rs->span || !count_ok(v[2], 0, 1) ||
	    !count_ok(v[3], -1e9, 1e9) ||
	    !count_ok(v[4], 0, 1440 / rs->size) ||
	    !count_ok(v[6], 0, 9e15))
		return -1;
	rs->open = (int)v[2];
	rs->day = (int64_t)v[3];
	rs->slot = (int)v[4];
	rs->close = rs->open ? v[5] : NAN;
	rs->nclosed = (long)v[6];
	return 0;
}

size_t
ind_macro_save(const struct ind_macro *m, double *v)
{
	size_t n = ind_resample_save(&m->rs, v);

	return n + save_ema2(&m->s, &m->l, v + n);
}

int
ind_macro_load(struct ind_macro *m, const double *v, size_t len)
{
	if (len < IND_RESAMPLE_NSAVE ||
	    ind_resample_load(&m->rs, v, IND_RESAMPLE_NSAVE) == -1 ||
	    load_ema2(&m->s, &m->l, v + IND_RESAMPLE_NSAVE,
	    len - IND_RESAMPLE_NSAVE) == -1)
		return -1;
	if (m->s.k >= m->s.n && m->l.k >= m->l.n)
		m->state = m->s.e > m->l.e ? 1 : m->s.e < m->l.e ? -1 : 0;
	return 0;
}
