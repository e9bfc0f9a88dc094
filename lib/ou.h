/*
 * ou.h: an Ornstein-Uhlenbeck fit over a rolling window of prices taken
 * at a fixed step, and the "OU drift" signal of the turbo profile.
 * Pure: no I/O, no clock, no allocation.
 */
#ifndef OU_H
#define OU_H

#include <stddef.h>

#define OU_MIN	4		/* smallest window: 3 pairs, 1 residual dof */
#define OU_MAX	100000

/*
 * The parameters.  The window holds the last n values x_t, one every dt
 * seconds, where x_t = ln(price) when logpx is 1 and the price itself
 * when it is 0.  The drift signal needs |z| >= k (k > 0) and a half-life
 * in [hmin, hmax] seconds: hmin >= 0 finite, hmax >= 0 or INFINITY; a
 * band with hmax < hmin is empty and silences the signal.
 */
struct ou_param {
	int		 n;		/* window, values (OU_MIN..OU_MAX) */
	double		 dt;		/* seconds per step, > 0 */
	int		 logpx;		/* 1: fit ln(price); 0: the price */
	double		 k;		/* z threshold of the signal */
	double		 hmin, hmax;	/* half-life band, seconds */
};

/*
 * Fill p with the defaults for a window of n values dt seconds apart:
 * logpx 1, k 1.0, hmin = dt, hmax = (n - 1) * dt / 30.  Why /30: on a
 * random walk the OLS slope over m = n - 1 pairs is biased below 1
 * (Dickey-Fuller with a constant): m(b - 1) > -20.7 with probability
 * 0.99, so the fitted half-life ln 2 / -ln b exceeds about m dt / 30;
 * a band below that keeps 99 % of random-walk windows silent.  A
 * half-life under one step (b < 1/2) is bounce, not reversion.  Under
 * n = 31 the band is empty (hmax < hmin): such a window cannot tell
 * reversion from a random walk, and the signal stays 0 unless the
 * caller widens the band.
 */
void	 ou_param_default(struct ou_param *, int, double);

/*
 * The fit, after each push, over the m = n - 1 pairs (x_t, x_t+1) of a
 * full window, by ordinary least squares x_t+1 = a + b x_t + e:
 *
 *	b     = Sxy / Sxx, a = mean(y) - b mean(x)  (centred sums)
 *	sde   = sqrt(sum of squared residuals / (m - 2))
 *	theta = -ln(b) / dt                          per second
 *	mu    = a / (1 - b)                          in x units
 *	sigma = sde sqrt(2 theta / (1 - b^2))        x units per sqrt(s)
 *	half  = ln 2 / theta                         seconds
 *	eqsd  = sigma / sqrt(2 theta) = sde / sqrt(1 - b^2)
 *	z     = (x_newest - mu) / eqsd
 *	drift = +1 if z <= -k, -1 if z >= k, else 0; and 0 unless
 *	        hmin <= half <= hmax
 *
 * Undefined fields are NAN: a, b and sde until the window is full and
 * while the x are all equal (Sxx = 0); theta through mu_px unless 0 < b
 * < 1; z unless also eqsd > 0.  drift is 0 whenever z is undefined.
 * In log mode mu, sigma and eqsd are in log units and mu_px = exp(mu)
 * is the equilibrium price; in price mode mu_px = mu.
 */
struct ou {
	struct ou_param	 p;
	double		*x;		/* ring of p.n values, borrowed */
	int		 pos;		/* where the next value goes */
	long		 cnt;		/* values accepted */
	double		 a, b, sde;
	double		 theta, mu, sigma, half, eqsd, mu_px;
	double		 z;
	int		 drift;
};

/*
 * Set o up with a copy of *p and the caller's ring buf of p->n doubles,
 * which must outlive o; nothing is allocated, nothing to free.  Returns
 * 0, or -1 if a parameter is out of range or buf is NULL.
 */
int	 ou_init(struct ou *, const struct ou_param *, double *);

/*
 * Take the next price and refit.  Returns 1 when z (and so every field)
 * is defined, 0 when not (yet), and -1, leaving o unchanged, when the
 * price is not finite or, in log mode, not above 0.
 */
int	 ou_push(struct ou *, double);

/*
 * Saving and restoring: ou_save writes [n, dt, logpx, k, hmin, hmax,
 * cnt, the window oldest first (x units)] to v, at most OU_NSAVE(n)
 * doubles, and returns how many, or 0 if cap is too small.  ou_load
 * restores them into an o initialized with the same parameters and
 * refits, so that every field is as it was; it returns 0, or -1 (o
 * unchanged) if v does not fit the parameters or holds a bad count or
 * value.  Values round-trip exactly when v does (%.17g).
 */
#define OU_NSAVE(n)	(7 + (size_t)(n))

size_t	 ou_save(const struct ou *, double *, size_t);
int	 ou_load(struct ou *, const double *, size_t);

#endif
