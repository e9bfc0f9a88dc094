/*
 * test_ou.c: lib/ou.c on a hand-solved window, on exact Ornstein-
 * Uhlenbeck paths from a seeded generator (estimates within 4 standard
 * errors), on random walks, ramps and constants, and across save/load.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ou.h"

#define TWO_PI	6.283185307179586

/* splitmix64 (Steele, Lea, Flood 2014): a seeded, portable stream. */
struct rng {
	uint64_t	 s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z;

	r->s += 0x9e3779b97f4a7c15ULL;
	z = r->s;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform on (0, 1]: never 0, so that log() below is finite. */
static double
rng_unif(struct rng *r)
{
	return (double)((rng_next(r) >> 11) + 1) * 0x1p-53;
}

/* Standard normal, Box-Muller (the cosine half only). */
static double
rng_gauss(struct rng *r)
{
	double u1 = rng_unif(r), u2 = rng_unif(r);

	return sqrt(-2.0 * log(u1)) * cos(TWO_PI * u2);
}

/*
 * The exact OU transition over dt: x' = mu + (x - mu) e^(-theta dt) +
 * sigma sqrt((1 - e^(-2 theta dt)) / (2 theta)) N(0, 1); the path starts
 * in equilibrium, N(mu, sigma^2 / (2 theta)).
 */
struct path {
	double		 theta, mu, sigma, dt;
	double		 x;
	struct rng	 r;
};

static void
path_init(struct path *p, double theta, double mu, double sigma,
    double dt, uint64_t seed)
{
	p->theta = theta;
	p->mu = mu;
	p->sigma = sigma;
	p->dt = dt;
	p->r.s = seed;
	p->x = mu + sigma / sqrt(2.0 * theta) * rng_gauss(&p->r);
}

static double
path_next(struct path *p)
{
	double b = exp(-p->theta * p->dt);
	double sd = p->sigma * sqrt((1.0 - b * b) / (2.0 * p->theta));

	p->x = p->mu + (p->x - p->mu) * b + sd * rng_gauss(&p->r);
	return p->x;
}

/* Same double, or both undefined. */
static int
same(double a, double b)
{
	return (isnan(a) && isnan(b)) || a == b;
}

/*
 * Every field the same double (or both undefined); 0 or the first that
 * differs.  Plain C, so that a long comparison is one assertion.
 */
static const char *
fit_differs(const struct ou *g, const struct ou *w)
{
	static const char *const name[] = { "a", "b", "sde", "theta", "mu",
	    "sigma", "half", "eqsd", "mu_px", "z" };
	const double ga[] = { g->a, g->b, g->sde, g->theta, g->mu, g->sigma,
	    g->half, g->eqsd, g->mu_px, g->z };
	const double wa[] = { w->a, w->b, w->sde, w->theta, w->mu, w->sigma,
	    w->half, w->eqsd, w->mu_px, w->z };
	size_t i;

	for (i = 0; i < sizeof(ga) / sizeof(ga[0]); i++)
		if (!same(ga[i], wa[i]))
			return name[i];
	if (g->drift != w->drift)
		return "drift";
	return g->cnt == w->cnt ? NULL : "cnt";
}

static void
assert_all_undefined(const struct ou *o)
{
	ck_assert(isnan(o->a) && isnan(o->b) && isnan(o->sde));
	ck_assert(isnan(o->theta) && isnan(o->mu) && isnan(o->sigma));
	ck_assert(isnan(o->half) && isnan(o->eqsd) && isnan(o->mu_px));
	ck_assert(isnan(o->z));
	ck_assert_int_eq(o->drift, 0);
}

START_TEST(defaults_and_bad_parameters)
{
	struct ou_param p;
	struct ou o;
	double buf[8];

	ou_param_default(&p, 301, 60.0);
	ck_assert_int_eq(p.n, 301);
	ck_assert(p.dt == 60.0 && p.logpx == 1 && p.k == 1.0);
	ck_assert(p.hmin == 60.0 && p.hmax == 600.0);
	ck_assert_int_eq(ou_init(&o, &p, NULL), -1);

	ou_param_default(&p, 8, 1.0);
	ck_assert_int_eq(ou_init(&o, &p, buf), 0);
	p.n = OU_MIN - 1;
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
	ou_param_default(&p, 8, 0.0);
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
	ou_param_default(&p, 8, NAN);
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
	ou_param_default(&p, 8, 1.0);
	p.k = 0.0;
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
	p.k = 1.0;
	p.logpx = 2;
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
	p.logpx = 0;
	p.hmin = 5.0;
	p.hmax = 4.0;			/* empty band: legal, silent */
	ck_assert_int_eq(ou_init(&o, &p, buf), 0);
	p.hmax = INFINITY;
	ck_assert_int_eq(ou_init(&o, &p, buf), 0);
	p.hmax = -1.0;
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
	p.hmax = NAN;
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
	p.hmax = 4.0;
	p.hmin = NAN;
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
	p.hmin = INFINITY;
	ck_assert_int_eq(ou_init(&o, &p, buf), -1);
}
END_TEST

/*
 * Solved by hand: x = 4 2 2 1 1 (plus an offset), pairs (4,2) (2,2)
 * (2,1) (1,1): mean x 9/4, mean y 3/2, Sxy 3/2, Sxx 19/4, so b = 6/19,
 * a = 15/19 (+ offset * 13/19), residuals -1 11 -8 -2 over 19, RSS
 * 10/19, sde = sqrt(RSS / 2) = sqrt(5/19), mu = 15/13 (+ offset), eqsd
 * = sde / sqrt(1 - b^2) = sqrt(19/65), z = (1 - 15/13) / eqsd.  With
 * dt 60 the half-life is 60 ln 2 / ln(19/6) = 36.08 s.  Negated, the
 * same with a, mu and z of the opposite sign.  The offset shows that a
 * price level of 1e6 costs no digits.
 */
static const struct {
	double		 off, sign;	/* x = off + sign * (4 2 2 1 1) */
	double		 k, hmin, hmax;
	int		 drift;
} hand_cases[] = {
	{ 0, 1, 0.25, 0, 60, 1 },	/* z = -0.2845 <= -0.25 */
	{ 0, -1, 0.25, 0, 60, -1 },	/* z = +0.2845 */
	{ 1e6, 1, 0.25, 0, 60, 1 },
	{ 1e6, 1, 0.30, 0, 60, 0 },	/* |z| < k */
	{ 0, 1, 0.25, 60, 120, 0 },	/* half-life below the band */
	{ 0, 1, 0.25, 0, 30, 0 },	/* and above it */
	{ 0, 1, 0.25, 36, 37, 1 },
};

START_TEST(hand_solved_window)
{
	const double base[] = { 4, 2, 2, 1, 1 };
	const double b = 6.0 / 19, sde = sqrt(5.0 / 19);
	const double eqsd = sqrt(19.0 / 65), dt = 60.0;
	double buf[5], off = hand_cases[_i].off, sg = hand_cases[_i].sign;
	double a, mu, z, theta;
	struct ou_param p;
	struct ou o;
	int i, r = 0;

	p.n = 5;
	p.dt = dt;
	p.logpx = 0;
	p.k = hand_cases[_i].k;
	p.hmin = hand_cases[_i].hmin;
	p.hmax = hand_cases[_i].hmax;
	ck_assert_int_eq(ou_init(&o, &p, buf), 0);
	for (i = 0; i < 5; i++) {
		r = ou_push(&o, off + sg * base[i]);
		ck_assert_int_eq(r, i == 4 ? 1 : 0);
		if (i < 4)
			assert_all_undefined(&o);
	}
	a = sg * 15.0 / 19 + off * 13.0 / 19;
	mu = sg * 15.0 / 13 + off;
	z = sg * (1.0 - 15.0 / 13) / eqsd;
	theta = log(19.0 / 6) / dt;
	ck_assert_double_eq_tol(o.b, b, 1e-15);
	ck_assert_double_eq_tol(o.a, a, 1e-15 * fmax(1, fabs(a)));
	ck_assert_double_eq_tol(o.sde, sde, 1e-15);
	ck_assert_double_eq_tol(o.theta, theta, 1e-15 * theta);
	ck_assert_double_eq_tol(o.mu, mu, 1e-15 * fmax(1, fabs(mu)));
	ck_assert(o.mu_px == o.mu);
	ck_assert_double_eq_tol(o.sigma, sde * sqrt(2 * theta /
	    (1 - b * b)), 1e-15);
	ck_assert_double_eq_tol(o.half, log(2.0) / theta, 1e-12);
	ck_assert_double_eq_tol(o.half, 36.0801, 1e-4);
	ck_assert_double_eq_tol(o.eqsd, eqsd, 1e-15);
	ck_assert_double_eq_tol(o.eqsd, o.sigma / sqrt(2 * o.theta), 1e-15);
	ck_assert_double_eq_tol(o.z, z, 1e-14);
	ck_assert_int_eq(o.drift, hand_cases[_i].drift);
}
END_TEST

/* The threshold is inclusive: z = -k exactly is a buy, z = k a sell. */
START_TEST(threshold_is_inclusive)
{
	const double base[] = { 4, 2, 2, 1, 1 };
	double buf[5], z;
	struct ou_param p;
	struct ou o;
	int i, sg;

	for (sg = -1; sg <= 1; sg += 2) {
		p.n = 5;
		p.dt = 60.0;
		p.logpx = 0;
		p.k = 0.25;
		p.hmin = 0.0;
		p.hmax = INFINITY;
		ck_assert_int_eq(ou_init(&o, &p, buf), 0);
		for (i = 0; i < 5; i++)
			ou_push(&o, sg * base[i]);
		z = o.z;
		p.k = fabs(z);
		ck_assert_int_eq(ou_init(&o, &p, buf), 0);
		for (i = 0; i < 5; i++)
			ou_push(&o, sg * base[i]);
		ck_assert(o.z == z);
		ck_assert_int_eq(o.drift, sg);
		p.k = nextafter(fabs(z), INFINITY);
		ck_assert_int_eq(ou_init(&o, &p, buf), 0);
		for (i = 0; i < 5; i++)
			ou_push(&o, sg * base[i]);
		ck_assert_int_eq(o.drift, 0);
	}
}
END_TEST

/*
 * Standard errors of the estimates over m pairs of a stationary AR(1)
 * with slope b (the OU sampled at dt), from the asymptotic theory of
 * OLS (Hamilton, ch. 8 and 17) and the delta method:
 *	se(b)          = sqrt((1 - b^2) / m)
 *	se(theta)/theta = se(b) / (b |ln b|)          (half-life alike)
 *	se(mu)         = eqsd sqrt((1 + b) / ((1 - b) m))   long-run var
 *	se(sde)/sde    = 1 / sqrt(2m)
 *	se(eqsd)/eqsd  = hypot(1/sqrt(2m), se(b) b / (1 - b^2))
 *	se(sigma)/sigma = hypot(1/sqrt(2m),
 *	                        se(b) |1 / (2 b ln b) + b / (1 - b^2)|)
 * (sde and b are asymptotically independent).  The tests allow 4 of
 * them, a two-sided 6e-5 chance each under normality.  The OLS bias of
 * b, about -(1 + 3b)/m, is under a tenth of se(b) at m = 1999.
 */
struct se {
	double	 b, theta, mu, sde, eqsd, sigma;
};

static void
se_of(struct se *e, double b, double m, double eqsd)
{
	double lb = log(b), sr = 1.0 / sqrt(2.0 * m);

	e->b = sqrt((1.0 - b * b) / m);
	e->theta = e->b / (b * fabs(lb));
	e->mu = eqsd * sqrt((1.0 + b) / ((1.0 - b) * m));
	e->sde = sr;
	e->eqsd = hypot(sr, e->b * b / (1.0 - b * b));
	e->sigma = hypot(sr, e->b * fabs(1.0 / (2.0 * b * lb) +
	    b / (1.0 - b * b)));
}

/*
 * theta = 1/120 per second at dt = 60 s: b = e^-0.5 = 0.6065, half-
 * life 83.2 s, near the b that minimizes se(theta)/theta.  With N =
 * 2000 that is 5.9 %: 4 se = 23 % (the 20 % rule of thumb is 3.4 se,
 * and no b does better than 5.6 % at this N).
 */
#define PATH_N		2000
#define PATH_THETA	(1.0 / 120)
#define PATH_DT		60.0

static const struct {
	uint64_t	 seed;
	int		 logpx;
	double		 mu, eqsd;
} path_cases[] = {
	{ 1, 0, 100.0, 0.5 },
	{ 2, 0, 100.0, 0.5 },
	{ 3, 0, -3.0, 2.0 },
	{ 42, 0, 25000.0, 10.0 },
	{ 20240607, 0, 0.0, 1e-3 },
	{ 7, 1, 4.605170185988091, 0.002 },	/* ln 100 */
	{ 8, 1, 10.8, 0.01 },			/* BTC-like prices */
	{ 9, 1, -2.0, 0.05 },
};

static void
near(const char *what, double got, double want, double tol)
{
	ck_assert_msg(fabs(got - want) <= tol, "%s: got %.10g, want %.10g "
	    "+- %.3g (off by %.2f of it)", what, got, want, tol,
	    fabs(got - want) / tol);
}

START_TEST(estimates_on_exact_path)
{
	double *buf = calloc(PATH_N, sizeof(double));
	double eqsd = path_cases[_i].eqsd, sigma, b, v;
	struct ou_param p;
	struct path pa;
	struct se e;
	struct ou o;
	int i, r = 0;

	sigma = eqsd * sqrt(2.0 * PATH_THETA);
	b = exp(-PATH_THETA * PATH_DT);
	path_init(&pa, PATH_THETA, path_cases[_i].mu, sigma, PATH_DT,
	    path_cases[_i].seed);
	ou_param_default(&p, PATH_N, PATH_DT);
	p.logpx = path_cases[_i].logpx;
	ck_assert_int_eq(ou_init(&o, &p, buf), 0);
	for (i = 0; i < PATH_N; i++) {
		v = path_next(&pa);
		r = ou_push(&o, p.logpx ? exp(v) : v);
		if (r != (i < PATH_N - 1 ? 0 : 1))
			ck_abort_msg("push %d returned %d", i, r);
	}
	se_of(&e, b, PATH_N - 1, eqsd);
	near("b", o.b, b, 4 * e.b);
	near("theta", o.theta, PATH_THETA, 4 * e.theta * PATH_THETA);
	near("half", o.half, log(2.0) / PATH_THETA,
	    4 * e.theta * log(2.0) / PATH_THETA);
	near("mu", o.mu, path_cases[_i].mu, 4 * e.mu);
	near("sde", o.sde, sigma * sqrt((1 - b * b) / (2 * PATH_THETA)),
	    4 * e.sde * eqsd * sqrt(1 - b * b));
	near("eqsd", o.eqsd, eqsd, 4 * e.eqsd * eqsd);
	near("sigma", o.sigma, sigma, 4 * e.sigma * sigma);
	ck_assert(o.mu_px == (p.logpx ? exp(o.mu) : o.mu));
	/* The newest value against the fitted equilibrium. */
	ck_assert_double_eq_tol(o.z, ((p.logpx ? log(exp(v)) : v) - o.mu) /
	    o.eqsd, 1e-9 * fmax(1.0, fabs(o.mu) / o.eqsd));
	ck_assert_int_eq(o.drift, o.z <= -1.0 ? 1 : o.z >= 1.0 ? -1 : 0);
	free(buf);
}
END_TEST

/*
 * The signal on a fitted path: one price 5 equilibrium stds below mu
 * is a buy (+1), then one 5 above a sell (-1), then one at mu nothing.
 */
START_TEST(drift_follows_z)
{
	double buf[PATH_N], mu, sd;
	struct ou_param p;
	struct path pa;
	struct ou o;
	int i;

	path_init(&pa, PATH_THETA, 50.0, 0.1 * sqrt(2.0 * PATH_THETA),
	    PATH_DT, 11);
	ou_param_default(&p, PATH_N, PATH_DT);
	p.logpx = 0;
	ck_assert_int_eq(ou_init(&o, &p, buf), 0);
	for (i = 0; i < PATH_N; i++)
		ou_push(&o, path_next(&pa));
	ck_assert(o.half >= p.hmin && o.half <= p.hmax);
	mu = o.mu;
	sd = o.eqsd;
	ck_assert_int_eq(ou_push(&o, mu - 5 * sd), 1);
	ck_assert(o.z <= -4.0);
	ck_assert_int_eq(o.drift, 1);
	ck_assert_int_eq(ou_push(&o, mu + 5 * sd), 1);
	ck_assert(o.z >= 4.0);
	ck_assert_int_eq(o.drift, -1);
	ck_assert_int_eq(ou_push(&o, o.mu), 1);
	ck_assert(fabs(o.z) < 0.1);
	ck_assert_int_eq(o.drift, 0);
}
END_TEST

/*
 * A random walk has b = 1: the fit is either undefined (b >= 1) or a
 * spurious reversion whose half-life is beyond the default band (see
 * ou_param_default), so the signal stays 0.  Log mode, dt 1 s.
 */
START_TEST(random_walk_is_silent)
{
	double buf[PATH_N], lp = log(30000.0);
	struct ou_param p;
	struct rng r;
	struct ou o;
	int i, rv = 0;

	r.s = 1000 + (uint64_t)_i;
	ou_param_default(&p, PATH_N, 1.0);
	ck_assert_int_eq(ou_init(&o, &p, buf), 0);
	for (i = 0; i < PATH_N + 500; i++) {
		lp += 1e-4 * rng_gauss(&r);
		rv = ou_push(&o, exp(lp));
		if (rv == -1 || (i >= PATH_N - 1 && isnan(o.b)))
			ck_abort_msg("push %d: %d, b %g", i, rv, o.b);
	}
	ck_assert_msg(isnan(o.theta) || o.half > p.hmax, "half-life %g "
	    "in the band (b %.6f)", o.half, o.b);
	ck_assert_int_eq(o.drift, 0);
}
END_TEST

/*
 * Deterministic non-reverting series: a ramp is x' = x + 1 exactly (b =
 * 1, the centred sums are equal), growth by 1 % has b = 1.01, and an
 * alternation has b = -1: no theta, no signal, no z.
 */
START_TEST(no_reversion_is_undefined)
{
	double buf[50], x;
	struct ou_param p;
	struct ou o;
	int i, kind;

	for (kind = 0; kind < 3; kind++) {
		ou_param_default(&p, 50, 60.0);
		p.logpx = 0;
		ck_assert_int_eq(ou_init(&o, &p, buf), 0);
		for (i = 0; i < 120; i++) {
			x = kind == 0 ? 100.0 + i : kind == 1 ?
			    100.0 * pow(1.01, i) : 100.0 + (i % 2);
			ck_assert_int_eq(ou_push(&o, x), 0);
		}
		ck_assert(!isnan(o.b));
		if (kind == 0)
			ck_assert(o.b == 1.0);
		else if (kind == 1)
			ck_assert_double_eq_tol(o.b, 1.01, 1e-9);
		else
			ck_assert_double_eq_tol(o.b, -1.0, 1e-12);
		ck_assert(isnan(o.theta) && isnan(o.mu) && isnan(o.half));
		ck_assert(isnan(o.eqsd) && isnan(o.z));
		ck_assert_int_eq(o.drift, 0);
	}
}
END_TEST

/* No variance: nothing defined, and no division by zero on the way. */
START_TEST(constant_is_undefined)
{
	const double level[] = { 0.0, 1.0, 65000.5, 1e15 };
	double buf[20];
	struct ou_param p;
	struct ou o;
	int i;

	ou_param_default(&p, 20, 1.0);
	p.logpx = _i % 2;
	if (p.logpx && level[_i / 2] <= 0.0)
		return;
	ck_assert_int_eq(ou_init(&o, &p, buf), 0);
	for (i = 0; i < 60; i++) {
		ck_assert_int_eq(ou_push(&o, level[_i / 2]), 0);
		assert_all_undefined(&o);
	}
}
END_TEST

/* Bad prices are refused and change nothing. */
START_TEST(bad_prices_are_refused)
{
	const double bad[] = { NAN, INFINITY, -INFINITY, 0.0, -1.0 };
	double buf[10], before[OU_NSAVE(10)], after[OU_NSAVE(10)];
	size_t nb, na, i;
	struct ou_param p;
	struct ou o;
	int j;

	for (j = 0; j < 2; j++) {
		ou_param_default(&p, 10, 1.0);
		p.logpx = j;
		ck_assert_int_eq(ou_init(&o, &p, buf), 0);
		for (i = 0; i < 12; i++)
			ou_push(&o, 10.0 + (double)(i * i % 7));
		nb = ou_save(&o, before, OU_NSAVE(10));
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (!p.logpx && isfinite(bad[i]))
				continue;
			ck_assert_int_eq(ou_push(&o, bad[i]), -1);
		}
		na = ou_save(&o, after, OU_NSAVE(10));
		ck_assert(nb == na && memcmp(before, after,
		    nb * sizeof(double)) == 0);
		if (!p.logpx)
			ck_assert_int_ge(ou_push(&o, -1.0), 0);
	}
}
END_TEST

/* Log mode is price mode on ln(price). */
START_TEST(log_mode_fits_log_prices)
{
	double b1[300], b2[300], x;
	struct ou_param p;
	struct path pa;
	struct ou lg, lv;
	int i;

	path_init(&pa, 0.01, log(2500.0), 0.002, 15.0, 5);
	ou_param_default(&p, 300, 15.0);
	ck_assert_int_eq(ou_init(&lg, &p, b1), 0);
	p.logpx = 0;
	ck_assert_int_eq(ou_init(&lv, &p, b2), 0);
	for (i = 0; i < 400; i++) {
		x = path_next(&pa);
		ck_assert_int_eq(ou_push(&lg, exp(x)), ou_push(&lv,
		    log(exp(x))));
	}
	ck_assert(lg.theta == lv.theta && lg.mu == lv.mu && lg.z == lv.z);
	ck_assert(lg.mu_px == exp(lv.mu));
	ck_assert_double_eq_tol(lg.mu_px, 2500.0, 2500.0 * 0.01);
}
END_TEST

/*
 * Stop after k prices, save, load into a fresh struct with its own
 * ring, go on: every field equals the straight run's after every push,
 * for every k (before, at and after the window fills).
 */
START_TEST(save_load_is_seamless)
{
	enum { N = 30, T = 90 };
	double px[T], b1[N], b2[N], v[OU_NSAVE(N)];
	struct ou_param p;
	struct path pa;
	const char *why;
	struct ou s, h, g;
	size_t len;
	int i, k, rh, rg, lg = _i;

	path_init(&pa, 0.02, lg ? log(100.0) : 100.0, 0.05, 10.0, 77);
	for (i = 0; i < T; i++)
		px[i] = lg ? exp(path_next(&pa)) : path_next(&pa);
	ou_param_default(&p, N, 10.0);
	p.logpx = lg;
	p.k = 0.5;
	p.hmin = 0.0;			/* the default band is empty at N 30 */
	p.hmax = INFINITY;
	for (k = 0; k <= T; k++) {
		ck_assert_int_eq(ou_init(&s, &p, b1), 0);
		for (i = 0; i < k; i++)
			ou_push(&s, px[i]);
		len = ou_save(&s, v, sizeof(v) / sizeof(v[0]));
		ck_assert_uint_eq(len, 7 + (size_t)(k < N ? k : N));
		ck_assert_uint_eq(ou_save(&s, v, len - 1), 0);
		ck_assert_int_eq(ou_init(&h, &p, b2), 0);
		ck_assert_int_eq(ou_load(&h, v, len), 0);
		why = fit_differs(&h, &s);
		ck_assert_msg(why == NULL, "split %d: %s", k, why);
		g = s;
		for (i = k; i < T; i++) {
			rh = ou_push(&h, px[i]);
			rg = ou_push(&g, px[i]);
			why = rh != rg ? "return" : fit_differs(&h, &g);
			if (why != NULL)
				ck_abort_msg("split %d, push %d: %s", k, i,
				    why);
		}
	}
}
END_TEST

/* A state that does not fit the parameters is refused, o unchanged. */
START_TEST(load_refuses_a_misfit)
{
	double b1[10], b2[10], v[OU_NSAVE(10)], w[OU_NSAVE(10)];
	struct ou_param p, q;
	struct ou s, h;
	size_t len;
	int i, f;

	ou_param_default(&p, 10, 1.0);
	ck_assert_int_eq(ou_init(&s, &p, b1), 0);
	for (i = 0; i < 15; i++)
		ou_push(&s, 100.0 + (double)(i % 4));
	len = ou_save(&s, v, OU_NSAVE(10));
	ck_assert_uint_eq(len, OU_NSAVE(10));
	for (f = 0; f < 6; f++) {
		q = p;
		if (f == 0)
			q.n = 11;
		else if (f == 1)
			q.dt = 2.0;
		else if (f == 2)
			q.logpx = 0;
		else if (f == 3)
			q.k = 2.0;
		else if (f == 4)
			q.hmin = 0.5;
		else
			q.hmax = 1.0;
		ck_assert_int_eq(ou_init(&h, &q, b2), 0);
		ck_assert_int_eq(ou_load(&h, v, len), -1);
	}
	ck_assert_int_eq(ou_init(&h, &p, b2), 0);
	ck_assert_int_eq(ou_load(&h, v, len - 1), -1);
	memcpy(w, v, sizeof(w));
	w[6] = 14.5;				/* fractional count */
	ck_assert_int_eq(ou_load(&h, w, len), -1);
	w[6] = 5;				/* count and length disagree */
	ck_assert_int_eq(ou_load(&h, w, len), -1);
	memcpy(w, v, sizeof(w));
	w[9] = NAN;
	ck_assert_int_eq(ou_load(&h, w, len), -1);
	ck_assert(h.cnt == 0);
	ck_assert_int_eq(ou_load(&h, v, len), 0);
	ck_assert(h.cnt == 15);
}
END_TEST

static Suite *
ou_suite(void)
{
	Suite *s = suite_create("ou");
	TCase *tc = tcase_create("ou");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, defaults_and_bad_parameters);
	tcase_add_loop_test(tc, hand_solved_window, 0,
	    sizeof(hand_cases) / sizeof(hand_cases[0]));
	tcase_add_test(tc, threshold_is_inclusive);
	tcase_add_loop_test(tc, estimates_on_exact_path, 0,
	    sizeof(path_cases) / sizeof(path_cases[0]));
	tcase_add_test(tc, drift_follows_z);
	tcase_add_loop_test(tc, random_walk_is_silent, 0, 8);
	tcase_add_test(tc, no_reversion_is_undefined);
	tcase_add_loop_test(tc, constant_is_undefined, 0, 8);
	tcase_add_test(tc, bad_prices_are_refused);
	tcase_add_test(tc, log_mode_fits_log_prices);
	tcase_add_loop_test(tc, save_load_is_seamless, 0, 2);
	tcase_add_test(tc, load_refuses_a_misfit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(ou_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
