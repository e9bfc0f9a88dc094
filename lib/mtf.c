/*
 * mtf.c: the multi-timeframe resampler, trends and consensus of mtf.h.
 * The closing rule is ind_resample's (ema-cloud-reference.md 4.2) for
 * 1-minute input, keeping the whole OHLCV of each bucket.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ind.h"
#include "mtf.h"

#define DAY_MIN		1440

int
mtf_init(struct mtf *m, const int *sizes, int n, int fast, int slow)
{
	struct mtf_tf *t;
	int i;

	if (sizes == NULL || n < 1 || n > MTF_MAX || fast < 1 || slow < 1)
		return -1;
	for (i = 0; i < n; i++)
		if (sizes[i] < 1 || sizes[i] > DAY_MIN)
			return -1;
	memset(m, 0, sizeof(*m));
	m->n = n;
	for (i = 0; i < n; i++) {
		t = &m->tf[i];
		t->size = sizes[i];
		if (ind_ema_init(&t->fast, fast) == -1 ||
		    ind_ema_init(&t->slow, slow) == -1)
			return -1;
	}
	return 0;
}

/* Both EMAs defined, and which is above. */
static void
tf_trend(struct mtf_tf *t)
{
	t->tdef = t->fast.k >= t->fast.n && t->slow.k >= t->slow.n;
	if (!t->tdef)
		t->trend = 0;
	else
		t->trend = t->fast.e > t->slow.e ? 1 :
		    t->fast.e < t->slow.e ? -1 : 0;
}

/* The forming bucket is done: publish it, feed the EMAs its close. */
static void
tf_close(struct mtf_tf *t)
{
	t->done[t->nnew++] = t->cur;
	t->bar = t->cur;
	t->nclosed++;
	t->open = 0;
	ind_ema_push(&t->fast, t->cur.c);
	ind_ema_push(&t->slow, t->cur.c);
}

static void
tf_push(struct mtf_tf *t, int64_t day, int minute, const double bar[5])
{
	int slot = minute / t->size, end;
	struct mtf_bar *b = &t->cur;

	t->nnew = 0;
	/* A bar of a later bucket: the open one ended before this bar. */
	if (t->open && (b->day != day || b->slot != slot))
		tf_close(t);
	if (!t->open) {
		t->open = 1;
		b->day = day;
		b->slot = slot;
		b->nbar = 0;
		b->o = bar[0];
		b->h = bar[1];
		b->l = bar[2];
		b->v = 0.0;
	}
	b->nbar++;
	b->h = fmax(b->h, bar[1]);
	b->l = fmin(b->l, bar[2]);
	b->c = bar[3];
	b->v += bar[4];
	/* Its last minute is in: the bucket is complete now, not later. */
	end = (slot + 1) * t->size;
	if (end > DAY_MIN)
		end = DAY_MIN;
	if (minute + 1 >= end)
		tf_close(t);
	tf_trend(t);
}

static void
consensus(struct mtf *m)
{
	int i;

	m->npos = m->nneg = m->ndef = 0;
	for (i = 0; i < m->n; i++) {
		if (!m->tf[i].tdef)
			continue;
		m->ndef++;
		if (m->tf[i].trend > 0)
			m->npos++;
		else if (m->tf[i].trend < 0)
			m->nneg++;
	}
	m->cons = m->ndef > 0 ? (double)(m->npos - m->nneg) / m->ndef : 0.0;
}

/* Strictly after the latest bar taken in, in (day, minute) order. */
static int
in_order(const struct mtf *m, int64_t day, int minute)
{
	if (!m->started)
		return 1;
	return day > m->day || (day == m->day && minute > m->minute);
}

int
mtf_push(struct mtf *m, int64_t day, int minute, double o, double h,
    double l, double c, double v)
{
	const double bar[5] = { o, h, l, c, v };
	int i;

	if (day < -MTF_DAY_MAX || day > MTF_DAY_MAX || minute < 0 ||
	    minute >= DAY_MIN || !in_order(m, day, minute))
		return -1;
	for (i = 0; i < 5; i++)
		if (!isfinite(bar[i]))
			return -1;
	if (l > h || v < 0.0)
		return -1;
	m->started = 1;
	m->day = day;
	m->minute = minute;
	for (i = 0; i < m->n; i++)
		tf_push(&m->tf[i], day, minute, bar);
	consensus(m);
	return m->ndef > 0;
}

/*
 * Saving.  Counts and days are stored as doubles (exact below 2^53);
 * load checks each is a whole number in range before trusting it.
 */

static int
whole(double v, double lo, double hi)
{
	return v >= lo && v <= hi && v == floor(v);
}

/* [day, slot, nbar, o, h, l, c, v], zeros for a bar that is not. */
static void
bar_save(const struct mtf_bar *b, int valid, double *v)
{
	v[0] = valid ? (double)b->day : 0.0;
	v[1] = valid ? b->slot : 0;
	v[2] = valid ? b->nbar : 0;
	v[3] = valid ? b->o : 0.0;
	v[4] = valid ? b->h : 0.0;
	v[5] = valid ? b->l : 0.0;
	v[6] = valid ? b->c : 0.0;
	v[7] = valid ? b->v : 0.0;
}

static int
bar_load(struct mtf_bar *b, int size, const double *v)
{
	int i;

	if (!whole(v[0], (double)-MTF_DAY_MAX, (double)MTF_DAY_MAX) ||
	    !whole(v[1], 0, (DAY_MIN - 1) / size) || !whole(v[2], 1, size))
		return -1;
	for (i = 3; i < 8; i++)
		if (!isfinite(v[i]))
			return -1;
	b->day = (int64_t)v[0];
	b->slot = (int)v[1];
	b->nbar = (int)v[2];
	b->o = v[3];
	b->h = v[4];
	b->l = v[5];
	b->c = v[6];
	b->v = v[7];
	return 0;
}

/* One EMA, led by its length; 0 if it does not fit in cap. */
static size_t
ema_put(const struct ind_ema *e, double *v, size_t cap)
{
	double tmp[IND_EMA_NSAVE];
	size_t n = ind_ema_save(e, tmp);

	if (cap < 1 + n)
		return 0;
	v[0] = (double)n;
	memcpy(v + 1, tmp, n * sizeof(double));
	return 1 + n;
}

/* The inverse; the number of doubles used, or 0 on a misfit. */
static size_t
ema_get(struct ind_ema *e, const double *v, size_t len)
{
	size_t n;

	if (len < 1 || !whole(v[0], 0, (double)len - 1))
		return 0;
	n = (size_t)v[0];
	if (ind_ema_load(e, v + 1, n) == -1)
		return 0;
	return 1 + n;
}

/* [size, open, cur(8), nclosed, bar(8), fast, slow]; 0 if no room. */
static size_t
tf_save(const struct mtf_tf *t, double *v, size_t cap)
{
	size_t i = 0, k;

	if (cap < 19)
		return 0;
	v[i++] = t->size;
	v[i++] = t->open;
	bar_save(&t->cur, t->open, v + i);
	i += 8;
	v[i++] = (double)t->nclosed;
	bar_save(&t->bar, t->nclosed > 0, v + i);
	i += 8;
	k = ema_put(&t->fast, v + i, cap - i);
	if (k == 0)
		return 0;
	i += k;
	k = ema_put(&t->slow, v + i, cap - i);
	if (k == 0)
		return 0;
	return i + k;
}

/*
 * A forming bucket always holds the latest bar taken in (each push
 * either opens its bucket or closes it), so a saved one that does not
 * is a corrupt state.
 */
static int
tf_consistent(const struct mtf_tf *t, const struct mtf *m)
{
	if (!t->open)
		return 1;
	return m->started && t->cur.day == m->day &&
	    t->cur.slot == m->minute / t->size;
}

static size_t
tf_load(struct mtf_tf *t, const double *v, size_t len)
{
	size_t i = 0, k;

	if (len < 19 || v[0] != t->size || !whole(v[1], 0, 1) ||
	    !whole(v[10], 0, 9e15))
		return 0;
	t->open = (int)v[1];
	if (t->open && bar_load(&t->cur, t->size, v + 2) == -1)
		return 0;
	t->nclosed = (long)v[10];
	if (t->nclosed > 0 && bar_load(&t->bar, t->size, v + 11) == -1)
		return 0;
	i = 19;
	k = ema_get(&t->fast, v + i, len - i);
	if (k == 0)
		return 0;
	i += k;
	k = ema_get(&t->slow, v + i, len - i);
	if (k == 0)
		return 0;
	t->nnew = 0;
	tf_trend(t);
	return i + k;
}

size_t
mtf_save(const struct mtf *m, double *v, size_t cap)
{
	size_t i = 0, k;
	int j;

	if (cap < 6)
		return 0;
	v[i++] = m->n;
	v[i++] = m->tf[0].fast.n;
	v[i++] = m->tf[0].slow.n;
	v[i++] = m->started;
	v[i++] = m->started ? (double)m->day : 0.0;
	v[i++] = m->started ? m->minute : 0;
	for (j = 0; j < m->n; j++) {
		k = tf_save(&m->tf[j], v + i, cap - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return i;
}

int
mtf_load(struct mtf *m, const double *v, size_t len)
{
	struct mtf t = *m;	/* m stays as it was unless all fits */
	size_t i = 6, k;
	int j;

	if (len < 6 || v[0] != m->n || v[1] != m->tf[0].fast.n ||
	    v[2] != m->tf[0].slow.n || !whole(v[3], 0, 1) ||
	    !whole(v[4], (double)-MTF_DAY_MAX, (double)MTF_DAY_MAX) ||
	    !whole(v[5], 0, DAY_MIN - 1))
		return -1;
	t.started = (int)v[3];
	t.day = (int64_t)v[4];
	t.minute = (int)v[5];
	for (j = 0; j < t.n; j++) {
		k = tf_load(&t.tf[j], v + i, len - i);
		if (k == 0 || !tf_consistent(&t.tf[j], &t))
			return -1;
		i += k;
	}
	if (i != len)
		return -1;
	consensus(&t);
	*m = t;
	return 0;
}
