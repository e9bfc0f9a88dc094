/*
 * micro.c: order-flow imbalance, spread, funding and price speed over
 * quotes and trades; see micro.h for the exact formulas.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "micro.h"

/* Instants and lengths in ms stay below 2^53: exact as doubles. */
#define MS_MAX		9007199254740992LL
#define MS_MAXD		9007199254740992.0

#define DAY_MS		86400000LL
#define SPEED_MAXW	60000LL		/* the longest velocity window */

static const int64_t vel_ms[MICRO_NVEL] = { 5000, 15000, 30000, 60000 };

static int
ts_ok(int64_t ts)
{
	return ts > -MS_MAX && ts < MS_MAX;
}

/* A saved count or instant: a whole number in [lo, hi]. */
static int
whole_in(double v, double lo, double hi)
{
	return v >= lo && v <= hi && v == floor(v);
}

static int
ring_init(struct micro_ring *r, int cap, int w, double *buf)
{
	if (cap < 1 || cap > MICRO_RING_MAX || buf == NULL)
		return -1;
	r->x = buf;
	r->cap = cap;
	r->w = w;
	r->first = 0;
	r->len = 0;
	r->lost = 0;
	r->lost_ts = 0;
	return 0;
}

/* Slot i, oldest first, 0 <= i < len. */
static double *
ring_at(const struct micro_ring *r, int i)
{
	return r->x + (size_t)((r->first + i) % r->cap) * (size_t)r->w;
}

static int64_t
ring_ts(const struct micro_ring *r, int i)
{
	return (int64_t)ring_at(r, i)[0];
}

static void
ring_drop(struct micro_ring *r)
{
	r->first = (r->first + 1) % r->cap;
	r->len--;
}

/* A new newest slot, stamped ts; the oldest goes if there is no room. */
static double *
ring_add(struct micro_ring *r, int64_t ts)
{
	double *s;

	if (r->len == r->cap) {
		r->lost = 1;
		r->lost_ts = ring_ts(r, 0);
		ring_drop(r);
	}
	r->len++;
	s = ring_at(r, r->len - 1);
	s[0] = (double)ts;
	return s;
}

/* Drop the slots that left the window (now - span, now]. */
static void
ring_expire(struct micro_ring *r, int64_t now, int64_t span)
{
	while (r->len > 0 && ring_ts(r, 0) <= now - span)
		ring_drop(r);
}

/*
 * Whether the ring holds the whole window (now - span, now]: nothing
 * dropped for room, or only what has left the window since, which
 * stays true as now grows, so the flag is cleared.
 */
static int
ring_whole(struct micro_ring *r, int64_t now, int64_t span)
{
	if (r->lost && r->lost_ts <= now - span)
		r->lost = 0;
	return !r->lost;
}

/* The last slot stamped at or before cut, or -1 if none is kept. */
static int
ring_find(const struct micro_ring *r, int64_t cut)
{
	int lo = 0, hi = r->len, mid;

	/* Instants never decrease: the first slot past cut, by halves. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ring_ts(r, mid) <= cut)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

/*
 * Sum of column col of the ring's slots, Neumaier's compensated sum:
 * the error of each addition is kept apart and added back once.
 */
static double
ring_sum(const struct micro_ring *r, int col)
{
	double s = 0.0, c = 0.0, x, t;
	int i;

	for (i = 0; i < r->len; i++) {
		x = ring_at(r, i)[col];
		t = s + x;
		if (fabs(s) >= fabs(x))
			c += (s - t) + x;
		else
			c += (x - t) + s;
		s = t;
	}
	return s + c;
}

/* [cap, lost, lost_ts, len, slots oldest first]. */
static size_t
ring_nsave(const struct micro_ring *r)
{
	return 4 + (size_t)r->len * (size_t)r->w;
}

static size_t
ring_save(const struct micro_ring *r, double *v)
{
	size_t n = 0;
	int i, j;

	v[n++] = r->cap;
	v[n++] = r->lost;
	v[n++] = r->lost ? (double)r->lost_ts : 0.0;
	v[n++] = r->len;
	for (i = 0; i < r->len; i++)
		for (j = 0; j < r->w; j++)
			v[n++] = ring_at(r, i)[j];
	return n;
}

/*
 * Whether v (len doubles) is a ring that r can take: same capacity,
 * finite values, instants whole and in order.  The number of slots
 * saved is put in *nslot.
 */
static int
ring_fits(const struct micro_ring *r, const double *v, size_t len,
    int *nslot)
{
	size_t i, n;
	double prev = -MS_MAXD;

	if (len < 4 || v[0] != r->cap || !whole_in(v[1], 0, 1) ||
	    !whole_in(v[2], -MS_MAXD + 1, MS_MAXD - 1) ||
	    !whole_in(v[3], 0, r->cap))
		return 0;
	n = (size_t)v[3];
	if (len != 4 + n * (size_t)r->w)
		return 0;
	for (i = 4; i < len; i++)
		if (!isfinite(v[i]))
			return 0;
	for (i = 0; i < n; i++) {
		if (!whole_in(v[4 + i * r->w], prev, MS_MAXD - 1))
			return 0;
		prev = v[4 + i * r->w];
	}
	*nslot = (int)n;
	return 1;
}

/* Load what ring_fits() accepted. */
static void
ring_load(struct micro_ring *r, const double *v)
{
	size_t i, n = (size_t)v[3] * (size_t)r->w;

	r->first = 0;
	r->len = (int)v[3];
	r->lost = (int)v[1];
	r->lost_ts = (int64_t)v[2];
	for (i = 0; i < n; i++)
		r->x[i] = v[4 + i];
}

/*
 * Order-flow imbalance.
 */

int
micro_ofi_init(struct micro_ofi *o, int64_t span, int cap, double *buf)
{
	if (span < 1 || span >= MS_MAX ||
	    ring_init(&o->r, cap, MICRO_OFI_W, buf) == -1)
		return -1;
	o->span = span;
	o->k = 0;
	o->ts = 0;
	o->pb = o->qb = o->pa = o->qa = NAN;
	o->e = NAN;
	o->ofi = o->depth = o->norm = o->gross = o->net = NAN;
	o->n = 0;
	return 0;
}

/* The window values from the ring, at now = o->ts. */
static int
ofi_stats(struct micro_ofi *o)
{
	o->n = o->r.len;
	o->e = o->r.len > 0 ? ring_at(&o->r, o->r.len - 1)[1] : NAN;
	if (o->k < 2 || !ring_whole(&o->r, o->ts, o->span)) {
		o->ofi = o->depth = o->norm = o->gross = o->net = NAN;
		return 0;
	}
	o->ofi = ring_sum(&o->r, 1);
	o->depth = ring_sum(&o->r, 2);
	o->gross = ring_sum(&o->r, 3);
	o->norm = o->depth > 0.0 ? o->ofi / o->depth : NAN;
	o->net = o->gross > 0.0 ? o->ofi / o->gross : 0.0;
	/* |ofi| <= gross holds exactly; only rounding could break it. */
	if (o->net > 1.0)
		o->net = 1.0;
	else if (o->net < -1.0)
		o->net = -1.0;
	return 1;
}

int
micro_ofi_push(struct micro_ofi *o, int64_t ts, double pb, double qb,
    double pa, double qa)
{
	double b, a, *s;

	if (!ts_ok(ts) || (o->k > 0 && ts < o->ts) || !isfinite(pb) ||
	    !isfinite(qb) || !isfinite(pa) || !isfinite(qa) || qb < 0.0 ||
	    qa < 0.0)
		return -1;
	if (o->k > 0) {
		/* CKS's four indicator terms; both fire on an equal price. */
		b = (pb >= o->pb ? qb : 0.0) - (pb <= o->pb ? o->qb : 0.0);
		a = (pa <= o->pa ? qa : 0.0) - (pa >= o->pa ? o->qa : 0.0);
		ring_expire(&o->r, ts, o->span);
		s = ring_add(&o->r, ts);
		s[1] = b - a;
		s[2] = (qb + qa) / 2.0;
		s[3] = fabs(b) + fabs(a);
	}
	o->k++;
	o->ts = ts;
	o->pb = pb;
	o->qb = qb;
	o->pa = pa;
	o->qa = qa;
	return ofi_stats(o);
}

/* [span, k, ts, pb, qb, pa, qa, ring...]. */
size_t
micro_ofi_save(const struct micro_ofi *o, double *v, size_t cap)
{
	size_t need = 7 + ring_nsave(&o->r);

	if (need > cap)
		return 0;
	v[0] = (double)o->span;
	v[1] = (double)o->k;
	v[2] = o->k > 0 ? (double)o->ts : 0.0;
	v[3] = o->k > 0 ? o->pb : 0.0;
	v[4] = o->k > 0 ? o->qb : 0.0;
	v[5] = o->k > 0 ? o->pa : 0.0;
	v[6] = o->k > 0 ? o->qa : 0.0;
	return 7 + ring_save(&o->r, v + 7);
}

int
micro_ofi_load(struct micro_ofi *o, const double *v, size_t len)
{
	int i, n;

	if (len < 7 || v[0] != (double)o->span ||
	    !whole_in(v[1], 0, 9e15) ||
	    !whole_in(v[2], -MS_MAXD + 1, MS_MAXD - 1) ||
	    !ring_fits(&o->r, v + 7, len - 7, &n))
		return -1;
	for (i = 3; i < 7; i++)
		if (!isfinite(v[i]) || ((i == 4 || i == 6) && v[i] < 0.0))
			return -1;
	/* Every quote after the first leaves its event, the newest kept. */
	if ((v[1] >= 2) != (n > 0) || (n > 0 && v[7 + 4 +
	    (size_t)(n - 1) * MICRO_OFI_W] != v[2]))
		return -1;
	ring_load(&o->r, v + 7);
	o->k = (long)v[1];
	o->ts = (int64_t)v[2];
	o->pb = o->k > 0 ? v[3] : NAN;
	o->qb = o->k > 0 ? v[4] : NAN;
	o->pa = o->k > 0 ? v[5] : NAN;
	o->qa = o->k > 0 ? v[6] : NAN;
	ofi_stats(o);
	return 0;
}

/*
 * Spread.
 */

int
micro_spread_init(struct micro_spread *s, int64_t span, double alpha,
    int cap, double *buf)
{
	if (span < 1 || span >= MS_MAX || !(alpha >= 0.0 && alpha <= 1.0) ||
	    ring_init(&s->r, cap, MICRO_SPREAD_W, buf) == -1)
		return -1;
	s->span = span;
	s->alpha = alpha;
	s->k = 0;
	s->ts = 0;
	s->bid = s->ask = NAN;
	s->spread = s->pct = NAN;
	s->n = 0;
	s->mean = s->sd = s->ratio = NAN;
	s->n_asian = s->n_other = 0;
	s->asian = s->other = NAN;
	s->widening = NAN;
	return 0;
}

/* The running session mean m of j values, after taking x as the j-th. */
static double
session_mean(double m, long j, double x, double alpha)
{
	double w = 1.0 / (double)j;

	if (j == 1)
		return x;
	if (alpha > w)
		w = alpha;
	return m + w * (x - m);
}

/* Everything but the session means, from the newest quote and ring. */
static int
spread_stats(struct micro_spread *s)
{
	double mid, d, s1 = 0.0, s2 = 0.0, var;
	int i;

	s->spread = s->ask - s->bid;
	mid = (s->bid + s->ask) / 2.0;
	s->pct = mid > 0.0 ? (s->spread * 100.0) / mid : NAN;
	s->widening = s->n_asian > 0 && s->n_other > 0 && s->other != 0.0 ?
	    s->asian / s->other : NAN;
	s->n = s->r.len;
	if (s->k < 1 || !ring_whole(&s->r, s->ts, s->span)) {
		s->mean = s->sd = s->ratio = NAN;
		return 0;
	}
	s->mean = ring_sum(&s->r, 1) / s->n;
	/* s1 is the rounding left in mean: remove it (corrected two-pass). */
	for (i = 0; i < s->n; i++) {
		d = ring_at(&s->r, i)[1] - s->mean;
		s1 += d;
		s2 += d * d;
	}
	var = (s2 - (s1 * s1) / s->n) / s->n;
	s->sd = var > 0.0 ? sqrt(var) : 0.0;
	s->ratio = s->mean != 0.0 ? s->spread / s->mean : NAN;
	return 1;
}

int
micro_spread_push(struct micro_spread *s, int64_t ts, double bid,
    double ask, int asian)
{
	double *slot;

	if (!ts_ok(ts) || (s->k > 0 && ts < s->ts) || !isfinite(bid) ||
	    !isfinite(ask) || !isfinite(ask - bid))
		return -1;
	ring_expire(&s->r, ts, s->span);
	slot = ring_add(&s->r, ts);
	slot[1] = ask - bid;
	if (asian) {
		s->n_asian++;
		s->asian = session_mean(s->asian, s->n_asian, slot[1],
		    s->alpha);
	} else {
		s->n_other++;
		s->other = session_mean(s->other, s->n_other, slot[1],
		    s->alpha);
	}
	s->k++;
	s->ts = ts;
	s->bid = bid;
	s->ask = ask;
	return spread_stats(s);
}

/* [span, alpha, k, ts, bid, ask, n_asian, asian, n_other, other, ring]. */
size_t
micro_spread_save(const struct micro_spread *s, double *v, size_t cap)
{
	size_t need = 10 + ring_nsave(&s->r);

	if (need > cap)
		return 0;
	v[0] = (double)s->span;
	v[1] = s->alpha;
	v[2] = (double)s->k;
	v[3] = s->k > 0 ? (double)s->ts : 0.0;
	v[4] = s->k > 0 ? s->bid : 0.0;
	v[5] = s->k > 0 ? s->ask : 0.0;
	v[6] = (double)s->n_asian;
	v[7] = s->n_asian > 0 ? s->asian : 0.0;
	v[8] = (double)s->n_other;
	v[9] = s->n_other > 0 ? s->other : 0.0;
	return 10 + ring_save(&s->r, v + 10);
}

int
micro_spread_load(struct micro_spread *s, const double *v, size_t len)
{
	int n;

	if (len < 10 || v[0] != (double)s->span || v[1] != s->alpha ||
	    !whole_in(v[2], 0, 9e15) ||
	    !whole_in(v[3], -MS_MAXD + 1, MS_MAXD - 1) ||
	    !isfinite(v[4]) || !isfinite(v[5]) ||
	    !whole_in(v[6], 0, v[2]) || !isfinite(v[7]) ||
	    !whole_in(v[8], 0, v[2]) || !isfinite(v[9]) ||
	    v[6] + v[8] != v[2] ||
	    !ring_fits(&s->r, v + 10, len - 10, &n))
		return -1;
	/* Every quote leaves a slot; the newest is always kept. */
	if ((v[2] > 0) != (n > 0) || (n > 0 && v[10 + 4 +
	    (size_t)(n - 1) * MICRO_SPREAD_W] != v[3]))
		return -1;
	ring_load(&s->r, v + 10);
	s->k = (long)v[2];
	s->ts = (int64_t)v[3];
	s->bid = s->k > 0 ? v[4] : NAN;
	s->ask = s->k > 0 ? v[5] : NAN;
	s->n_asian = (long)v[6];
	s->asian = s->n_asian > 0 ? v[7] : NAN;
	s->n_other = (long)v[8];
	s->other = s->n_other > 0 ? v[9] : NAN;
	if (s->k > 0)
		spread_stats(s);
	return 0;
}

int
micro_utc_between(int64_t ts, int from, int to)
{
	int64_t ms = ts % DAY_MS;

	/* C's % keeps the sign of ts: instants before 1970 wrap back. */
	if (ms < 0)
		ms += DAY_MS;
	if (from <= to)
		return ms >= from * 60000LL && ms < to * 60000LL;
	return ms >= from * 60000LL || ms < to * 60000LL;
}

int
micro_asian(int64_t ts)
{
	return micro_utc_between(ts, 0, 8 * 60);
}

/*
 * Funding.
 */

int
micro_funding_init(struct micro_funding *f, int64_t interval)
{
	if (interval < 0 || interval >= MS_MAX)
		return -1;
	f->interval = interval;
	f->k = 0;
	f->rate = NAN;
	f->next = 0;
	return 0;
}

int
micro_funding_push(struct micro_funding *f, double rate, int64_t next)
{
	if (!isfinite(rate) || !ts_ok(next) || (f->k > 0 && next < f->next))
		return -1;
	f->k++;
	f->rate = rate;
	f->next = next;
	return 1;
}

int
micro_funding_until(const struct micro_funding *f, int64_t now,
    int64_t *ms)
{
	int64_t d, j;

	if (f->k == 0 || !ts_ok(now))
		return 0;
	if (now <= f->next) {
		*ms = f->next - now;
		return 1;
	}
	if (f->interval == 0)
		return 0;
	/* The least whole number of periods that reaches now. */
	d = now - f->next;
	j = (d + f->interval - 1) / f->interval;
	*ms = j * f->interval - d;
	return 2;
}

/* [interval, k, rate, next]. */
size_t
micro_funding_save(const struct micro_funding *f, double *v, size_t cap)
{
	if (cap < MICRO_FUNDING_NSAVE)
		return 0;
	v[0] = (double)f->interval;
	v[1] = (double)f->k;
	v[2] = f->k > 0 ? f->rate : 0.0;
	v[3] = f->k > 0 ? (double)f->next : 0.0;
	return MICRO_FUNDING_NSAVE;
}

int
micro_funding_load(struct micro_funding *f, const double *v, size_t len)
{
	if (len != MICRO_FUNDING_NSAVE || v[0] != (double)f->interval ||
	    !whole_in(v[1], 0, 9e15) || !isfinite(v[2]) ||
	    !whole_in(v[3], -MS_MAXD + 1, MS_MAXD - 1))
		return -1;
	f->k = (long)v[1];
	f->rate = f->k > 0 ? v[2] : NAN;
	f->next = f->k > 0 ? (int64_t)v[3] : 0;
	return 0;
}

/*
 * Speed.  Slot: ts, p, S, whether sv is defined, sv (0 if not).
 */

int64_t
micro_vel_ms(int i)
{
	return i >= 0 && i < MICRO_NVEL ? vel_ms[i] : -1;
}

int
micro_speed_init(struct micro_speed *v, int64_t tau, int64_t aw,
    double thr, int cap, double *buf)
{
	int i;

	if (tau < 0 || tau >= MS_MAX || aw < 1 || aw >= MS_MAX ||
	    !(thr > 0.0) || !isfinite(thr) ||
	    ring_init(&v->r, cap, MICRO_SPEED_W, buf) == -1)
		return -1;
	v->tau = tau;
	v->aw = aw;
	v->thr = thr;
	v->k = 0;
	v->ts = 0;
	v->p = v->s = NAN;
	v->ok = 0;
	for (i = 0; i < MICRO_NVEL; i++) {
		v->vel[i] = v->rate[i] = NAN;
		v->dir[i] = 0;
	}
	v->spike = 0;
	v->sv = v->accel = NAN;
	return 0;
}

/* ((x - ref) * 100) / ref, the % change; the order is the contract. */
static double
pct_change(double x, double ref)
{
	return ((x - ref) * 100.0) / ref;
}

static int
sign_of(double x)
{
	return x > 0.0 ? 1 : x < 0.0 ? -1 : 0;
}

/* Every output, from the ring alone: its newest slot is "now". */
static int
speed_outputs(struct micro_speed *v)
{
	const double *now, *ref;
	int i, j;

	now = ring_at(&v->r, v->r.len - 1);
	v->ts = (int64_t)now[0];
	v->p = now[1];
	v->s = now[2];
	v->sv = now[3] != 0.0 ? now[4] : NAN;
	v->ok = 0;
	for (i = 0; i < MICRO_NVEL; i++) {
		v->vel[i] = v->rate[i] = NAN;
		v->dir[i] = 0;
		j = ring_find(&v->r, v->ts - vel_ms[i]);
		if (j < 0)
			continue;
		v->vel[i] = pct_change(v->p, ring_at(&v->r, j)[1]);
		v->rate[i] = v->vel[i] / ((double)vel_ms[i] / 1000.0);
		v->dir[i] = sign_of(v->vel[i]);
		v->ok |= 1 << i;
	}
	v->spike = 0;
	if ((v->ok & (1 << MICRO_V30)) && fabs(v->vel[MICRO_V30]) >= v->thr)
		v->spike = v->dir[MICRO_V30];
	v->accel = NAN;
	j = ring_find(&v->r, v->ts - v->aw);
	if (j >= 0 && now[3] != 0.0) {
		ref = ring_at(&v->r, j);
		if (ref[3] != 0.0) {
			v->accel = now[4] - ref[4];
			v->ok |= MICRO_ACCEL_OK;
		}
	}
	return v->ok;
}

int
micro_speed_push(struct micro_speed *v, int64_t ts, double p)
{
	double s, *slot;
	int64_t keep;
	int j;

	if (!ts_ok(ts) || (v->k > 0 && ts < v->ts) || !isfinite(p) ||
	    !(p > 0.0))
		return -1;
	s = p;
	if (v->k > 0 && v->tau > 0)
		s = v->s - expm1(-(double)(ts - v->ts) / (double)v->tau) *
		    (p - v->s);
	/* Keep the last observation at or before the longest reach. */
	keep = v->aw > SPEED_MAXW ? v->aw : SPEED_MAXW;
	while (v->r.len >= 2 && ring_ts(&v->r, 1) <= ts - keep)
		ring_drop(&v->r);
	/*
	 * Add first, so that a drop for room happens before the reference
	 * is looked for: the ring then explains every output on load.
	 */
	slot = ring_add(&v->r, ts);
	slot[1] = p;
	slot[2] = s;
	slot[3] = 0.0;
	slot[4] = 0.0;
	j = ring_find(&v->r, ts - v->aw);
	if (j >= 0) {
		slot[3] = 1.0;
		slot[4] = pct_change(s, ring_at(&v->r, j)[2]);
	}
	v->k++;
	return speed_outputs(v);
}

/* [tau, aw, thr, k, ring]; the newest observation is the ring's. */
size_t
micro_speed_save(const struct micro_speed *v, double *out, size_t cap)
{
	size_t need = 4 + ring_nsave(&v->r);

	if (need > cap)
		return 0;
	out[0] = (double)v->tau;
	out[1] = (double)v->aw;
	out[2] = v->thr;
	out[3] = (double)v->k;
	return 4 + ring_save(&v->r, out + 4);
}

int
micro_speed_load(struct micro_speed *v, const double *in, size_t len)
{
	const double *sl;
	int i, n;

	if (len < 4 || in[0] != (double)v->tau || in[1] != (double)v->aw ||
	    in[2] != v->thr || !whole_in(in[3], 0, 9e15) ||
	    !ring_fits(&v->r, in + 4, len - 4, &n) ||
	    (in[3] > 0) != (n > 0))
		return -1;
	for (i = 0; i < n; i++) {
		sl = in + 8 + (size_t)i * MICRO_SPEED_W;
		if (!(sl[1] > 0.0) || !(sl[2] > 0.0) ||
		    !whole_in(sl[3], 0, 1) || (sl[3] == 0.0 && sl[4] != 0.0))
			return -1;
	}
	ring_load(&v->r, in + 4);
	v->k = (long)in[3];
	if (v->k > 0)
		speed_outputs(v);
	return 0;
}
