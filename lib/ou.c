/*
 * ou.c: the Ornstein-Uhlenbeck fit of ou.h, refitted from the window on
 * every push: n is at most a few hundred in use, and three passes over
 * the ring cannot drift the way rolling sums of squares do.
 */
#include <math.h>
#include <stddef.h>

#include "ou.h"

void
ou_param_default(struct ou_param *p, int n, double dt)
{
	p->n = n;
	p->dt = dt;
	p->logpx = 1;
	p->k = 1.0;
	p->hmin = dt;
	p->hmax = (n - 1) * dt / 30.0;
}

static int
param_ok(const struct ou_param *p)
{
	/* Written so that a NAN fails every test. */
	if (p->n < OU_MIN || p->n > OU_MAX)
		return 0;
	if (!(p->dt > 0.0 && isfinite(p->dt)))
		return 0;
	if (p->logpx != 0 && p->logpx != 1)
		return 0;
	if (!(p->k > 0.0 && isfinite(p->k)))
		return 0;
	/* hmax < hmin is an empty band: legal, the signal stays 0. */
	return p->hmin >= 0.0 && isfinite(p->hmin) && p->hmax >= 0.0;
}

/* Every output undefined, the signal silent. */
static void
ou_clear(struct ou *o)
{
	o->a = o->b = o->sde = NAN;
	o->theta = o->mu = o->sigma = o->half = o->eqsd = o->mu_px = NAN;
	o->z = NAN;
	o->drift = 0;
}

int
ou_init(struct ou *o, const struct ou_param *p, double *buf)
{
	if (!param_ok(p) || buf == NULL)
		return -1;
	o->p = *p;
	o->x = buf;
	o->pos = 0;
	o->cnt = 0;
	ou_clear(o);
	return 0;
}

/* The i-th value of the window, oldest first. */
static double
at(const struct ou *o, int i)
{
	int first = o->cnt < o->p.n ? 0 : o->pos;

	return o->x[(first + i) % o->p.n];
}

/*
 * The least-squares line through the pairs (u_i, u_i+1), u = x - s with
 * s the newest value: shifting first keeps the sums small at any price
 * level.  Corrected two-pass: the centred sums lose the rounding left in
 * the means.  *sxxp <= 0 (and *bp, *aup untouched) when the x are all
 * equal.
 */
static void
ou_line(const struct ou *o, double s, double *bp, double *aup, double *sxxp)
{
	int i, m = o->p.n - 1;
	double mx = 0.0, my = 0.0, dx, dy, sx = 0.0, sy = 0.0;
	double sxx = 0.0, sxy = 0.0;

	for (i = 0; i < m; i++) {
		mx += at(o, i) - s;
		my += at(o, i + 1) - s;
	}
	mx /= m;
	my /= m;
	for (i = 0; i < m; i++) {
		dx = (at(o, i) - s) - mx;
		dy = (at(o, i + 1) - s) - my;
		sx += dx;
		sy += dy;
		sxx += dx * dx;
		sxy += dx * dy;
	}
	sxx -= sx * sx / m;
	sxy -= sx * sy / m;
	*sxxp = sxx;
	if (!(sxx > 0.0))
		return;
	*bp = sxy / sxx;
	*aup = my - *bp * mx;
}

/* Std of the residuals about the line, m - 2 degrees of freedom. */
static double
ou_resid(const struct ou *o, double s, double b, double au)
{
	int i, m = o->p.n - 1;
	double r, rss = 0.0;

	for (i = 0; i < m; i++) {
		r = (at(o, i + 1) - s) - au - b * (at(o, i) - s);
		rss += r * r;
	}
	return sqrt(rss / (m - 2));
}

/* The signal: z against k, inside the half-life band only. */
static void
ou_signal(struct ou *o)
{
	if (!(o->half >= o->p.hmin && o->half <= o->p.hmax))
		return;
	if (o->z <= -o->p.k)
		o->drift = 1;
	else if (o->z >= o->p.k)
		o->drift = -1;
}

/* Refit from the window; returns what ou_push() does. */
static int
ou_fit(struct ou *o)
{
	int n = o->p.n;
	double s, b = NAN, au = NAN, sxx, omb, opb;

	ou_clear(o);
	if (o->cnt < n)
		return 0;
	s = at(o, n - 1);
	ou_line(o, s, &b, &au, &sxx);
	if (!(sxx > 0.0))
		return 0;		/* no variance: no line */
	o->b = b;
	o->a = au + (s - b * s);
	o->sde = ou_resid(o, s, b, au);
	if (!(b > 0.0 && b < 1.0))
		return 0;		/* no mean reversion (or a sign flip) */
	/* 1 - b is exact for b >= 1/2; (1 - b)(1 + b) beats 1 - b*b. */
	omb = 1.0 - b;
	opb = 1.0 + b;
	o->theta = -log(b) / o->p.dt;
	o->mu = s + au / omb;
	o->sigma = o->sde * sqrt(2.0 * o->theta / (omb * opb));
	o->half = log(2.0) / o->theta;
	o->eqsd = o->sde / sqrt(omb * opb);
	o->mu_px = o->p.logpx ? exp(o->mu) : o->mu;
	if (!(o->eqsd > 0.0))
		return 0;		/* a noiseless path: no band */
	/* x_newest - mu with x_newest = s, without the cancellation. */
	o->z = (-au / omb) / o->eqsd;
	ou_signal(o);
	return 1;
}

int
ou_push(struct ou *o, double px)
{
	double x;

	if (!isfinite(px) || (o->p.logpx && !(px > 0.0)))
		return -1;
	x = o->p.logpx ? log(px) : px;
	o->x[o->pos] = x;
	o->pos++;
	if (o->pos == o->p.n)
		o->pos = 0;
	o->cnt++;
	return ou_fit(o);
}

/*
 * Saving.  The fit is a function of the window and the parameters, so
 * only they are saved and load refits; the window goes oldest first.
 */
size_t
ou_save(const struct ou *o, double *v, size_t cap)
{
	size_t i = 0;
	int j, len = o->cnt < o->p.n ? (int)o->cnt : o->p.n;

	if (cap < 7 + (size_t)len)
		return 0;
	v[i++] = o->p.n;
	v[i++] = o->p.dt;
	v[i++] = o->p.logpx;
	v[i++] = o->p.k;
	v[i++] = o->p.hmin;
	v[i++] = o->p.hmax;
	v[i++] = (double)o->cnt;
	for (j = 0; j < len; j++)
		v[i++] = at(o, j);
	return i;
}

int
ou_load(struct ou *o, const double *v, size_t len)
{
	size_t want, j;

	if (len < 7 || v[0] != o->p.n || v[1] != o->p.dt ||
	    v[2] != o->p.logpx || v[3] != o->p.k || v[4] != o->p.hmin ||
	    v[5] != o->p.hmax)
		return -1;
	if (!(v[6] >= 0.0 && v[6] <= 9e15 && v[6] == floor(v[6])))
		return -1;
	want = v[6] < o->p.n ? (size_t)v[6] : (size_t)o->p.n;
	if (len != 7 + want)
		return -1;
	for (j = 0; j < want; j++)
		if (!isfinite(v[7 + j]))
			return -1;
	/* Oldest at 0: with a full ring pos is 0, as at() expects. */
	for (j = 0; j < want; j++)
		o->x[j] = v[7 + j];
	o->pos = (int)(want % (size_t)o->p.n);
	o->cnt = (long)v[6];
	ou_fit(o);
	return 0;
}
