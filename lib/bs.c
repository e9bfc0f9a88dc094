/*
 * bs.c: the Black-Scholes-Merton formulas of bs.h in closed form, with
 * the normal CDF from erfc (accurate far into both tails), and a Newton
 * solver for implied volatility kept inside a bisection bracket.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>

#include "bs.h"

#define SQRT1_2		0.70710678118654752440	/* 1 / sqrt(2) */
#define INV_SQRT_2PI	0.39894228040143267794	/* 1 / sqrt(2 pi) */

/*
 * The solver works in total volatility w = sigma sqrt T.  At w = 128,
 * d1 - d2 = 128 and N(d2) < 1e-800: any price the bracket has not met
 * by then is its upper bound to the last bit.
 */
#define IV_WMAX		128.0
#define IV_ITER		500

/* Standard normal CDF, without the cancellation of 1 + erf(x). */
static double
cdf(double x)
{
	return 0.5 * erfc(-x * SQRT1_2);
}

static double
pdf(double x)
{
	return INV_SQRT_2PI * exp(-0.5 * x * x);
}

/* Right, spot, strike, time and rate usable; sigma not looked at. */
static int
market_ok(const struct bs_in *in)
{
	/* Written so that a NAN fails every test. */
	if (in->right != 'C' && in->right != 'P')
		return 0;
	if (!(in->s > 0.0 && isfinite(in->s)))
		return 0;
	if (!(in->k > 0.0 && isfinite(in->k)))
		return 0;
	return in->t >= 0.0 && isfinite(in->t) && isfinite(in->r);
}

static int
in_ok(const struct bs_in *in)
{
	return market_ok(in) && in->sigma >= 0.0 && isfinite(in->sigma);
}

/*
 * The price at total volatility w > 0, with m = ln(F/K) = ln(S/K) + rT
 * and kd = K e^-rT, and dV/dw = S n(d1) in *dvdw.  Each right takes the
 * form whose N() terms are small out of the money, so that a tiny price
 * keeps its relative accuracy.
 */
static double
price_w(const struct bs_in *in, double m, double kd, double w, double *dvdw)
{
	double d1 = m / w + 0.5 * w, d2 = d1 - w;

	*dvdw = in->s * pdf(d1);
	if (in->right == 'C')
		return in->s * cdf(d1) - kd * cdf(d2);
	return kd * cdf(-d2) - in->s * cdf(-d1);
}

int
bs_eval(const struct bs_in *in, struct bs_out *o)
{
	double sq, w, kd, m, d1, d2, nd1, decay, dvdw;

	if (!in_ok(in) || !(in->t > 0.0 && in->sigma > 0.0))
		return -1;
	sq = sqrt(in->t);
	w = in->sigma * sq;
	kd = in->k * exp(-in->r * in->t);
	m = log(in->s / in->k) + in->r * in->t;
	d1 = m / w + 0.5 * w;
	d2 = d1 - w;
	nd1 = pdf(d1);
	o->price = price_w(in, m, kd, w, &dvdw);
	/* The sigma part of theta, the same for both rights. */
	decay = in->s * nd1 * in->sigma / (2.0 * sq);
	if (in->right == 'C') {
		o->delta = cdf(d1);
		o->theta = -decay - in->r * kd * cdf(d2);
		o->rho = in->t * kd * cdf(d2);
	} else {
		/* -N(-d1), not N(d1) - 1: a deep OTM put keeps its digits. */
		o->delta = -cdf(-d1);
		o->theta = -decay + in->r * kd * cdf(-d2);
		o->rho = -in->t * kd * cdf(-d2);
	}
	o->gamma = nd1 / (in->s * w);
	o->vega = in->s * sq * nd1;
	o->theta_day = o->theta / BS_DAYS;
	o->vega_pct = o->vega / 100.0;
	o->rho_pct = o->rho / 100.0;
	o->d1 = d1;
	o->d2 = d2;
	return 0;
}

double
bs_lower(const struct bs_in *in)
{
	double kd;

	if (!market_ok(in))
		return NAN;
	kd = in->k * exp(-in->r * in->t);
	if (in->right == 'C')
		return in->s > kd ? in->s - kd : 0.0;
	return kd > in->s ? kd - in->s : 0.0;
}

double
bs_upper(const struct bs_in *in)
{
	if (!market_ok(in))
		return NAN;
	return in->right == 'C' ? in->s : in->k * exp(-in->r * in->t);
}

double
bs_price(const struct bs_in *in)
{
	double w, m, kd, dvdw;

	if (!in_ok(in))
		return NAN;
	w = in->sigma * sqrt(in->t);
	if (w == 0.0)
		return bs_lower(in);
	kd = in->k * exp(-in->r * in->t);
	m = log(in->s / in->k) + in->r * in->t;
	return price_w(in, m, kd, w, &dvdw);
}

/*
 * Where to start: the inflection point of the price in w, sqrt(2|m|)
 * (Manaster and Koehler, 1982).  The price is convex below it and
 * concave above, so plain Newton from there moves monotonically to the
 * root.  At the money (m = 0) the price is concave for every w and
 * below its tangent at 0, S n(0) w, so p / (S n(0)) (Brenner and
 * Subrahmanyam, 1988) is at or below the root and as good a start.
 */
static double
iv_start(const struct bs_in *in, double m, double p)
{
	if (m != 0.0)
		return sqrt(2.0 * fabs(m));
	return p / (in->s * INV_SQRT_2PI);
}

/*
 * The w in (0, IV_WMAX) where the price is p, for lower < p < upper, or
 * NAN if the price reaches p only past IV_WMAX.  Newton steps (rtsafe,
 * Numerical Recipes 9.4) are taken only when they land inside the
 * bracket and at least halve the step before last; otherwise bisect.
 * Every evaluation narrows the bracket; IV_ITER is a backstop only.
 */
static double
iv_solve(const struct bs_in *in, double m, double kd, double p)
{
	double lo = 0.0, hi = 1.0, w, nw, f, g, step, dx, dxold;
	int i;

	/* f(0) = lower - p < 0; find an hi with f(hi) > 0. */
	while (price_w(in, m, kd, hi, &g) <= p) {
		lo = hi;
		if (hi >= IV_WMAX)
			return NAN;
		hi *= 2.0;
	}
	w = iv_start(in, m, p);
	if (!(w > lo && w < hi))
		w = 0.5 * (lo + hi);
	dx = dxold = hi - lo;
	for (i = 0; i < IV_ITER; i++) {
		f = price_w(in, m, kd, w, &g) - p;
		if (f == 0.0)
			return w;
		if (f < 0.0)
			lo = w;
		else
			hi = w;
		step = f / g;		/* +-inf or NAN when g underflows */
		nw = w - step;
		if (!(nw > lo && nw < hi) || !(fabs(2.0 * step) <=
		    fabs(dxold))) {
			dxold = dx;
			dx = 0.5 * (hi - lo);
			nw = lo + dx;
		} else {
			dxold = dx;
			dx = step;
		}
		/* A step within rounding of w: nothing left to learn. */
		if (fabs(nw - w) <= 4.0 * DBL_EPSILON * nw)
			return nw;
		w = nw;
	}
	return w;
}

enum bs_iv_status
bs_iv(const struct bs_in *in, double price, double *sigma)
{
	double m, kd, w, g, sq;

	*sigma = NAN;
	if (!market_ok(in) || isnan(price))
		return BS_IV_BAD;
	if (price <= bs_lower(in))
		return BS_IV_BELOW;
	if (price >= bs_upper(in))
		return BS_IV_ABOVE;
	if (in->t == 0.0)
		return BS_IV_FLAT;	/* no time value, whatever sigma */
	kd = in->k * exp(-in->r * in->t);
	m = log(in->s / in->k) + in->r * in->t;
	w = iv_solve(in, m, kd, price);
	if (isnan(w))
		return BS_IV_FLAT;
	/*
	 * vega * sigma = (dV/dw sqrt T) (w / sqrt T) = dV/dw * w: the
	 * price change of a 100 % relative change in sigma.
	 */
	price_w(in, m, kd, w, &g);
	if (!(g * w * BS_IV_RTOL >= BS_IV_RES * fmax(in->s, in->k)))
		return BS_IV_FLAT;
	sq = sqrt(in->t);
	*sigma = w / sq;
	return BS_IV_OK;
}

/* Floor division by a minute, right for instants before 1970 too. */
static int64_t
minute_of(int64_t ms)
{
	return ms / CLOCK_MIN - (ms % CLOCK_MIN < 0);
}

int64_t
bs_minutes_left(struct tz *ny, int64_t now, int64_t day)
{
	return minute_of(tz_instant(ny, day, BS_CLOSE)) - minute_of(now);
}

double
bs_years(int64_t minutes)
{
	return minutes > 0 ? (double)minutes / BS_YEAR_MIN : 0.0;
}
