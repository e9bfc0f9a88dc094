/*
 * test_logit.c: lib/logit.c against its own optimality conditions,
 * recomputed here in long double, a nested bisection, hand-solved
 * metrics and models, and a bit-exact JSON round trip.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

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

/* Uniform on (0, 1]. */
static double
rng_unif(struct rng *r)
{
	return (double)((rng_next(r) >> 11) + 1) * 0x1p-53;
}

static double
rng_gauss(struct rng *r)
{
	double u1 = rng_unif(r), u2 = rng_unif(r);

	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static const char *const names4[] = { "ret_1m", "vol_5m", "rsi",
    "spread" };

/*
 * n rows of 4 correlated features at very different offsets and
 * scales, labels drawn from a logistic model of the underlying normals:
 * overlapping classes, so that the unpenalised optimum exists.
 */
static void
make_rows(uint64_t seed, size_t n, double *x, int *y)
{
	static const double off[] = { 0.0, 100.0, -3.0, 1e4 };
	static const double sc[] = { 1.0, 0.01, 50.0, 3.0 };
	static const double b[] = { 1.0, -0.7, 0.4, 0.2 };
	struct rng r = { seed };
	double g[4], g0, t;
	size_t i, j;

	for (i = 0; i < n; i++) {
		g0 = rng_gauss(&r);
		t = 0.3;
		for (j = 0; j < 4; j++) {
			g[j] = rng_gauss(&r) + 0.5 * g0;
			x[i * 4 + j] = off[j] + sc[j] * g[j];
			t += b[j] * g[j];
		}
		y[i] = rng_unif(&r) < 1.0 / (1.0 + exp(-t));
	}
}

/*
 * The reference: standardisation, objective and gradient computed here
 * in long double from the rows, the model supplying only its
 * coefficients.  A constant feature standardises to 0 (logit.h).
 */
struct ref {
	size_t		 nf;
	long double	 mean[LOGIT_MAXF], sd[LOGIT_MAXF];
};

static void
ref_init(struct ref *rf, const double *x, size_t n, size_t nf)
{
	long double s, d;
	size_t i, j;

	rf->nf = nf;
	for (j = 0; j < nf; j++) {
		s = 0.0L;
		for (i = 0; i < n; i++)
			s += x[i * nf + j];
		rf->mean[j] = s / n;
		s = 0.0L;
		for (i = 0; i < n; i++) {
			d = x[i * nf + j] - rf->mean[j];
			s += d * d;
		}
		rf->sd[j] = sqrtl(s / n);
	}
}

static long double
ref_z(const struct ref *rf, const double *row, size_t j)
{
	if (rf->sd[j] == 0.0L)
		return 0.0L;
	return (row[j] - rf->mean[j]) / rf->sd[j];
}

static long double
ref_eta(const struct ref *rf, const double *row, long double b0,
    const long double *b)
{
	long double t = b0;
	size_t j;

	for (j = 0; j < rf->nf; j++)
		t += b[j] * ref_z(rf, row, j);
	return t;
}

static long double
ref_sigmoid(long double t)
{
	return 1.0L / (1.0L + expl(-t));
}

/* F = mean log loss + lambda/2 |b|^2; th[0] intercept, th[1..] b. */
static long double
ref_obj(const struct ref *rf, const double *x, const int *y, size_t n,
    double lambda, const long double *th)
{
	long double f = 0.0L, t, pen = 0.0L;
	size_t i, j;

	for (i = 0; i < n; i++) {
		t = ref_eta(rf, x + i * rf->nf, th[0], th + 1);
		if (y[i])
			t = -t;
		f += (t > 0 ? t : 0.0L) + log1pl(expl(-fabsl(t)));
	}
	for (j = 1; j <= rf->nf; j++)
		pen += th[j] * th[j];
	return f / n + 0.5L * lambda * pen;
}

static long double
ref_grad_norm(const struct ref *rf, const double *x, const int *y,
    size_t n, double lambda, const long double *th)
{
	long double g[LOGIT_MAXF + 1] = { 0 }, r, s = 0.0L;
	size_t i, j;

	for (i = 0; i < n; i++) {
		r = ref_sigmoid(ref_eta(rf, x + i * rf->nf, th[0], th + 1)) -
		    y[i];
		g[0] += r;
		for (j = 0; j < rf->nf; j++)
			g[j + 1] += r * ref_z(rf, x + i * rf->nf, j);
	}
	for (j = 0; j <= rf->nf; j++) {
		g[j] /= n;
		if (j > 0)
			g[j] += lambda * th[j];
		s += g[j] * g[j];
	}
	return sqrtl(s);
}

static void
model_theta(const struct logit *m, long double *th)
{
	size_t j;

	th[0] = m->intercept;
	for (j = 0; j < m->nfeat; j++)
		th[j + 1] = m->coef[j];
}

/* Fit with lambda and the default options; abort with the message. */
static void
fit_ok(struct logit *m, const double *x, const int *y, size_t n,
    size_t nf, const char *const *names, double lambda)
{
	struct logit_opts o;
	struct sk_err e;

	logit_opts_default(&o);
	o.lambda = lambda;
	if (logit_fit(m, x, y, n, nf, names, &o, &e) == -1)
		ck_abort_msg("fit (lambda %g): %s", lambda, e.msg);
}

/* The fit must fail, with a message holding want. */
static void
fit_fails(const double *x, const int *y, size_t n, size_t nf,
    const char *const *names, const struct logit_opts *o,
    const char *want)
{
	struct logit m;
	struct sk_err e;

	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(logit_fit(&m, x, y, n, nf, names, o, &e), -1);
	ck_assert_msg(strstr(e.msg, want) != NULL, "want \"%s\" in \"%s\"",
	    want, e.msg);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert(m.nfeat == 0 && m.name == NULL && m.coef == NULL);
	logit_release(&m);
}

START_TEST(sigmoid_and_loss_are_stable)
{
	const double t[] = { 0.0, 1.0, -1.0, 36.0, 40.0, -40.0, 700.0,
	    -700.0, 800.0, -800.0, 1e308, -1e308 };
	double s, l0, l1;
	size_t i;

	for (i = 0; i < NELEM(t); i++) {
		s = logit_sigmoid(t[i]);
		l0 = logit_loss(t[i], 0);
		l1 = logit_loss(t[i], 1);
		ck_assert_msg(s >= 0.0 && s <= 1.0, "sigmoid(%g) = %g", t[i],
		    s);
		ck_assert_msg(isfinite(l0) && isfinite(l1) && l0 >= 0.0 &&
		    l1 >= 0.0, "loss(%g) = %g, %g", t[i], l0, l1);
		/* The two losses differ by the margin itself. */
		if (fabs(t[i]) < 1e300)
			ck_assert_double_eq_tol(l0 - l1, t[i],
			    1e-15 * fmax(1.0, fabs(t[i])));
	}
	ck_assert(logit_sigmoid(0.0) == 0.5);
	ck_assert(logit_sigmoid(-800.0) == 0.0);
	ck_assert(logit_sigmoid(800.0) == 1.0);
	ck_assert_double_eq_tol(logit_sigmoid(-40.0), exp(-40.0),
	    1e-15 * exp(-40.0));
	ck_assert_double_eq_tol(logit_sigmoid(1.0) + logit_sigmoid(-1.0),
	    1.0, 1e-16);
	ck_assert(isnan(logit_sigmoid(NAN)));
	ck_assert_double_eq_tol(logit_loss(0.0, 1), log(2.0), 1e-16);
	ck_assert(logit_loss(1000.0, 0) == 1000.0);
	ck_assert(logit_loss(-1000.0, 1) == 1000.0);
	/* p rounds to 1 at 40, but the loss of y = 1 is e^-40, not 0. */
	ck_assert_double_eq_tol(logit_loss(40.0, 1), exp(-40.0),
	    1e-15 * exp(-40.0));
}
END_TEST

/*
 * At the fit the gradient of F, recomputed here from the rows with
 * the test's own standardisation, vanishes, and F is larger a small
 * step away along every axis: a minimum, not just a stationary point.
 */
static const double grad_lambda[] = { 0.0, 1e-3, 0.1, 1.0 };

START_TEST(gradient_vanishes_at_fit)
{
	enum { N = 400, NF = 4 };
	double x[N * NF], lambda = grad_lambda[_i];
	long double th[NF + 1], f0, fp, gn, h = 1e-4L;
	struct logit m;
	struct ref rf;
	size_t j;
	int y[N];

	make_rows(100 + (uint64_t)_i, N, x, y);
	fit_ok(&m, x, y, N, NF, names4, lambda);
	ref_init(&rf, x, N, NF);
	for (j = 0; j < NF; j++) {
		ck_assert_double_eq_tol(m.mean[j], rf.mean[j],
		    1e-14 * fmax(1.0, fabsl(rf.mean[j])));
		ck_assert_double_eq_tol(m.scale[j], rf.sd[j],
		    1e-12 * rf.sd[j]);
	}
	model_theta(&m, th);
	gn = ref_grad_norm(&rf, x, y, N, lambda, th);
	ck_assert_msg(gn < 1e-10L, "gradient norm %Lg", gn);
	f0 = ref_obj(&rf, x, y, N, lambda, th);
	for (j = 0; j <= NF; j++) {
		th[j] += h;
		fp = ref_obj(&rf, x, y, N, lambda, th);
		ck_assert_msg(fp > f0, "+h on %zu: %Lg <= %Lg", j, fp, f0);
		th[j] -= 2 * h;
		fp = ref_obj(&rf, x, y, N, lambda, th);
		ck_assert_msg(fp > f0, "-h on %zu: %Lg <= %Lg", j, fp, f0);
		th[j] += h;
	}
	ck_assert_int_ge(m.iter, 1);
	ck_assert(m.lambda == lambda);
	ck_assert_str_eq(m.name[2], "rsi");
	logit_release(&m);
	ck_assert(m.nfeat == 0 && m.coef == NULL);
	logit_release(&m);
}
END_TEST

/*
 * One feature, solved without Newton: for a slope b the best intercept
 * a(b) is the root of dF/da, increasing in a; by the envelope theorem
 * the slope of min_a F(a, b) is dF/db at (a(b), b), increasing in b.
 * Two nested bisections find the optimum to rounding.
 */
struct onef {
	const long double	*z;
	const int		*y;
	size_t			 n;
	long double		 lambda;
};

/* dF/da (which 0) or dF/db (which 1) at (a, b). */
static long double
onef_deriv(const struct onef *o, long double a, long double b, int which)
{
	long double s = 0.0L, r;
	size_t i;

	for (i = 0; i < o->n; i++) {
		r = ref_sigmoid(a + b * o->z[i]) - o->y[i];
		s += which ? r * o->z[i] : r;
	}
	return s / o->n + (which ? o->lambda * b : 0.0L);
}

/* The root of an increasing function of t in [-60, 60]. */
static long double
bisect(const struct onef *o, long double fixed, int which)
{
	long double lo = -60.0L, hi = 60.0L, mid, a, b;
	int k;

	for (k = 0; k < 200; k++) {
		mid = 0.5L * (lo + hi);
		a = which ? 0.0L : mid;
		b = which ? mid : fixed;
		if (which)
			a = bisect(o, mid, 0);
		if (onef_deriv(o, a, b, which) > 0.0L)
			hi = mid;
		else
			lo = mid;
	}
	return 0.5L * (lo + hi);
}

static const double onef_lambda[] = { 0.0, 0.05, 0.5 };

START_TEST(one_feature_matches_bisection)
{
	enum { N = 60 };
	const char *const name[] = { "ret_5m" };
	double x[N];
	long double z[N], a, b;
	struct onef o = { z, NULL, N, onef_lambda[_i] };
	struct logit m;
	struct ref rf;
	struct rng r = { 7 };
	size_t i;
	int y[N];

	for (i = 0; i < N; i++) {
		x[i] = 10.0 + 3.0 * rng_gauss(&r);
		y[i] = rng_unif(&r) < 1.0 / (1.0 + exp(-(x[i] - 11.0)));
	}
	ref_init(&rf, x, N, 1);
	for (i = 0; i < N; i++)
		z[i] = ref_z(&rf, &x[i], 0);
	o.y = y;
	b = bisect(&o, 0.0L, 1);
	a = bisect(&o, b, 0);
	fit_ok(&m, x, y, N, 1, name, onef_lambda[_i]);
	ck_assert_double_eq_tol(m.coef[0], b, 1e-9);
	ck_assert_double_eq_tol(m.intercept, a, 1e-9);
	/* A larger penalty shrinks the slope. */
	if (_i > 0)
		ck_assert(fabs(m.coef[0]) < 5.0);
	logit_release(&m);
}
END_TEST

/*
 * A 0/1 feature with lambda 0 is a saturated model: each group's
 * probability is its share of 1s, 3 of 4 at x = 0 and 1 of 5 at x =
 * 1; the slope on x itself is logit(1/5) - logit(3/4) = -ln 12.
 */
START_TEST(binary_feature_by_hand)
{
	const double x[] = { 0, 0, 0, 0, 1, 1, 1, 1, 1 };
	const int y[] = { 1, 0, 1, 1, 0, 0, 1, 0, 0 };
	const char *const name[] = { "gap_up" };
	const double x0 = 0.0, x1 = 1.0;
	struct logit m;

	fit_ok(&m, x, y, NELEM(x), 1, name, 0.0);
	ck_assert_double_eq_tol(logit_prob(&m, &x0), 0.75, 1e-12);
	ck_assert_double_eq_tol(logit_prob(&m, &x1), 0.2, 1e-12);
	ck_assert_double_eq_tol(m.coef[0] / m.scale[0], -log(12.0), 1e-11);
	ck_assert_double_eq_tol(m.mean[0], 5.0 / 9, 1e-16);
	ck_assert_double_eq_tol(m.scale[0], sqrt(20.0) / 9, 1e-16);
	logit_release(&m);
}
END_TEST

/*
 * x_j -> a x_j + c changes no prediction, with lambda 0 (it cannot: the
 * model spans the same functions) and, since the penalty applies to
 * standardised coefficients, with lambda > 0 as well.
 */
static const struct {
	size_t		 j;
	double		 a, c, lambda;
} affine_cases[] = {
	{ 0, 1000.0, -5e4, 0.0 },
	{ 1, -0.01, 3.0, 0.0 },
	{ 2, 7.5, 0.0, 0.0 },
	{ 3, -1.0, 2e4, 0.0 },
	{ 1, 250.0, -1.0, 0.1 },
	{ 2, -0.5, 8.0, 0.01 },
};

START_TEST(predictions_ignore_affine_rescaling)
{
	enum { N = 300, NF = 4 };
	double x[N * NF], xs[N * NF], p, ps, a = affine_cases[_i].a;
	size_t i, j = affine_cases[_i].j;
	struct logit m, ms;
	int y[N];

	make_rows(31, N, x, y);
	memcpy(xs, x, sizeof(x));
	for (i = 0; i < N; i++)
		xs[i * NF + j] = a * x[i * NF + j] + affine_cases[_i].c;
	fit_ok(&m, x, y, N, NF, names4, affine_cases[_i].lambda);
	fit_ok(&ms, xs, y, N, NF, names4, affine_cases[_i].lambda);
	for (i = 0; i < N; i++) {
		p = logit_prob(&m, x + i * NF);
		ps = logit_prob(&ms, xs + i * NF);
		if (fabs(p - ps) > 1e-10)
			ck_abort_msg("row %zu: %.17g vs %.17g", i, p, ps);
	}
	ck_assert_double_eq_tol(ms.coef[j], (a > 0 ? 1 : -1) * m.coef[j],
	    1e-9);
	ck_assert_double_eq_tol(ms.intercept, m.intercept, 1e-9);
	logit_release(&m);
	logit_release(&ms);
}
END_TEST

/*
 * Perfectly separated rows: with lambda > 0 the fit converges to finite
 * values, its gradient vanishes, and it ranks every row right; with
 * lambda 0 no optimum exists and the fit says so.
 */
static const double sep_lambda[] = { 1e-8, 1e-4, 1e-2, 1.0 };

START_TEST(separable_rows_with_penalty_stay_finite)
{
	enum { N = 40, NF = 2 };
	const char *const name[] = { "a", "b" };
	double x[N * NF], p, pmin1 = 1.0, pmax0 = 0.0;
	long double th[NF + 1], gn;
	struct logit_metrics mt;
	struct logit_opts o;
	struct logit m;
	struct ref rf;
	struct sk_err e;
	size_t i, j;
	int y[N];

	for (i = 0; i < N; i++) {
		x[i * NF] = (double)i;
		x[i * NF + 1] = (double)((i * 7) % 11);
		y[i] = i >= N / 2;
	}
	fit_ok(&m, x, y, N, NF, name, sep_lambda[_i]);
	ck_assert(isfinite(m.intercept));
	for (j = 0; j < NF; j++)
		ck_assert(isfinite(m.coef[j]));
	ref_init(&rf, x, N, NF);
	model_theta(&m, th);
	gn = ref_grad_norm(&rf, x, y, N, sep_lambda[_i], th);
	ck_assert_msg(gn < 1e-10L, "gradient norm %Lg", gn);
	for (i = 0; i < N; i++) {
		p = logit_prob(&m, x + i * NF);
		ck_assert(isfinite(p));
		if (y[i])
			pmin1 = fmin(pmin1, p);
		else
			pmax0 = fmax(pmax0, p);
	}
	ck_assert(pmin1 > pmax0);
	ck_assert_int_eq(logit_eval(&m, x, y, N, &mt, &e), 0);
	ck_assert(mt.auc == 1.0 && isfinite(mt.logloss));
	logit_release(&m);

	logit_opts_default(&o);
	fit_fails(x, y, N, NF, name, &o, "separated");
}
END_TEST

/*
 * Separated in part: 0s at x = 0, 1s at x = 2, both at x = 1.  With
 * lambda 0 the slope runs off while the gradient fades: the fit must
 * not call that converged.  With a penalty it is an ordinary fit, and
 * by symmetry about x = 1 the intercept is 0.
 */
START_TEST(quasi_separated_rows)
{
	const double x[] = { 0, 0, 1, 1, 2, 2 };
	const int y[] = { 0, 0, 0, 1, 1, 1 };
	const char *const name[] = { "a" };
	const double x1 = 1.0;
	struct logit_opts o;
	struct logit m;

	logit_opts_default(&o);
	fit_fails(x, y, 6, 1, name, &o, "no convergence in 100");
	fit_ok(&m, x, y, 6, 1, name, 0.01);
	ck_assert(isfinite(m.coef[0]) && m.coef[0] > 0.0);
	ck_assert_double_eq_tol(m.intercept, 0.0, 1e-12);
	ck_assert_double_eq_tol(logit_prob(&m, &x1), 0.5, 1e-12);
	logit_release(&m);
}
END_TEST

/* AUC by hand, ties counting 1/2; one class only is NAN. */
static const struct {
	size_t		 n;
	double		 p[6];
	int		 y[6];
	double		 auc;
} auc_cases[] = {
	{ 4, { 0.1, 0.4, 0.35, 0.8 }, { 0, 0, 1, 1 }, 0.75 },
	{ 4, { 0.5, 0.5, 0.5, 0.5 }, { 0, 1, 0, 1 }, 0.5 },
	{ 4, { 0.2, 0.5, 0.5, 0.9 }, { 0, 0, 1, 1 }, 0.875 },
	{ 4, { 0.1, 0.2, 0.8, 0.9 }, { 0, 0, 1, 1 }, 1.0 },
	{ 4, { 0.1, 0.2, 0.8, 0.9 }, { 1, 1, 0, 0 }, 0.0 },
	/* 1s: 0.3 ties two 0s (1); 0.7 beats two, ties one (2.5); / 6 */
	{ 5, { 0.3, 0.3, 0.3, 0.7, 0.7 }, { 1, 0, 0, 1, 0 }, 3.5 / 6 },
	{ 6, { 0, 1, 0, 1, 0.5, 0.5 }, { 1, 0, 0, 1, 1, 0 }, 4.5 / 9 },
	{ 2, { 0.2, 0.9 }, { 1, 1 }, NAN },
	{ 3, { 0.2, 0.9, 0.4 }, { 0, 0, 0 }, NAN },
	{ 1, { 0.7 }, { 1 }, NAN },
};

START_TEST(auc_by_hand)
{
	struct logit_metrics mt;
	struct sk_err e;
	size_t i, npos = 0;

	ck_assert_int_eq(logit_score(auc_cases[_i].p, auc_cases[_i].y,
	    auc_cases[_i].n, &mt, &e), 0);
	for (i = 0; i < auc_cases[_i].n; i++)
		npos += (size_t)auc_cases[_i].y[i];
	ck_assert_uint_eq(mt.n, auc_cases[_i].n);
	ck_assert_uint_eq(mt.npos, npos);
	ck_assert_uint_eq(mt.nneg, auc_cases[_i].n - npos);
	if (isnan(auc_cases[_i].auc))
		ck_assert_msg(isnan(mt.auc), "auc %g, want NAN", mt.auc);
	else
		ck_assert_double_eq_tol(mt.auc, auc_cases[_i].auc, 1e-15);
}
END_TEST

/*
 * Against the definition, pair by pair, on coarse scores full of
 * ties: the same double, since both are the same ratio rounded once.
 */
START_TEST(auc_matches_pair_count)
{
	enum { N = 700 };
	double p[N], cnt = 0.0;
	struct logit_metrics mt;
	struct rng r = { 1234 + (uint64_t)_i };
	struct sk_err e;
	size_t i, k, n1 = 0;
	int y[N];

	for (i = 0; i < N; i++) {
		y[i] = rng_unif(&r) < 0.3;
		p[i] = floor(rng_unif(&r) * 10.0 + 2.0 * y[i]) / 12.0;
		n1 += (size_t)y[i];
	}
	for (i = 0; i < N; i++)
		for (k = 0; k < N; k++)
			if (y[i] && !y[k])
				cnt += p[i] > p[k] ? 1.0 :
				    p[i] == p[k] ? 0.5 : 0.0;
	ck_assert_int_eq(logit_score(p, y, N, &mt, &e), 0);
	ck_assert_msg(mt.auc == cnt / ((double)n1 * (double)(N - n1)),
	    "auc %.17g, pairs %.17g", mt.auc, cnt / ((double)n1 *
	    (double)(N - n1)));
}
END_TEST

/*
 * p .9 .2 .6 .4 against 1 0 0 1: Brier (.01 + .04 + .36 + .36) / 4 =
 * .1925; log loss -(ln .9 + ln .8 + 2 ln .4) / 4; at 0.5 one of each
 * count.  0.5 exactly is a prediction of 0.  Certain misses cost
 * -ln 1e-15 each, not infinity.
 */
START_TEST(brier_and_logloss_by_hand)
{
	const double p[] = { 0.9, 0.2, 0.6, 0.4 }, half[] = { 0.5, 0.5 };
	const double sure[] = { 0.0, 1.0 };
	const int y[] = { 1, 0, 0, 1 }, y2[] = { 1, 0 };
	struct logit_metrics mt;
	struct sk_err e;

	ck_assert_int_eq(logit_score(p, y, 4, &mt, &e), 0);
	ck_assert_double_eq_tol(mt.brier, 0.1925, 1e-16);
	ck_assert_double_eq_tol(mt.logloss, 0.5402713826800865, 1e-15);
	ck_assert_uint_eq(mt.tp, 1);
	ck_assert_uint_eq(mt.fp, 1);
	ck_assert_uint_eq(mt.tn, 1);
	ck_assert_uint_eq(mt.fn, 1);
	ck_assert(mt.accuracy == 0.5);
	ck_assert(mt.auc == 0.75);		/* .9 beats both 0s, .4 one */

	ck_assert_int_eq(logit_score(half, y2, 2, &mt, &e), 0);
	ck_assert_uint_eq(mt.tp + mt.fp, 0);
	ck_assert_uint_eq(mt.fn, 1);
	ck_assert_uint_eq(mt.tn, 1);
	ck_assert(mt.brier == 0.25);
	ck_assert_double_eq_tol(mt.logloss, log(2.0), 1e-16);

	ck_assert_int_eq(logit_score(sure, y2, 2, &mt, &e), 0);
	ck_assert_double_eq_tol(mt.logloss, 34.538776394910684, 1e-13);
	ck_assert(mt.brier == 1.0 && mt.accuracy == 0.0 && mt.auc == 0.0);
}
END_TEST

static const struct {
	double		 p;
	int		 y;
	size_t		 row;
	const char	*want;
} score_bad[] = {
	{ NAN, 1, 2, "row 2: probability" },
	{ 1.5, 0, 0, "row 0: probability" },
	{ -0.1, 0, 1, "row 1: probability" },
	{ INFINITY, 0, 1, "row 1: probability" },
	{ 0.5, 2, 2, "row 2: label 2" },
	{ 0.5, -1, 0, "row 0: label -1" },
};

START_TEST(score_refuses_bad_input)
{
	double p[3] = { 0.2, 0.4, 0.6 };
	int y[3] = { 0, 1, 1 };
	struct logit_metrics mt;
	struct sk_err e;

	ck_assert_int_eq(logit_score(p, y, 0, &mt, &e), -1);
	p[score_bad[_i].row] = score_bad[_i].p;
	y[score_bad[_i].row] = score_bad[_i].y;
	ck_assert_int_eq(logit_score(p, y, 3, &mt, &e), -1);
	ck_assert_msg(strstr(e.msg, score_bad[_i].want) != NULL, "%s",
	    e.msg);
}
END_TEST

/*
 * logit_eval() is logit_score() of the model's probabilities, the log
 * loss aside, which it takes from the margins: where p rounds to 1 a
 * label 0 costs the margin (about 50 here), not the clamp's 34.5.
 */
START_TEST(eval_agrees_with_score)
{
	enum { N = 250, NF = 4 };
	double x[N * NF], p[N];
	struct logit_metrics me, ms;
	struct logit m;
	struct sk_err e;
	size_t i;
	int y[N];
	const char *js = "{\"type\":\"logit\",\"version\":1,\"features\":"
	    "[\"x\"],\"mean\":[0],\"scale\":[1],\"coef\":[1],\"intercept\":0,"
	    "\"lambda\":0,\"iterations\":0}";
	const char *js2 = "{\"type\":\"logit\",\"version\":1,\"features\":"
	    "[\"x\"],\"mean\":[0],\"scale\":[1e-300],\"coef\":[1],"
	    "\"intercept\":0,\"lambda\":0,\"iterations\":0}";
	const double far[] = { 50.0, -3.0 }, huge[] = { 1e10, 0.0 };
	const int fy[] = { 0, 0 };

	make_rows(5, N, x, y);
	fit_ok(&m, x, y, N, NF, names4, 0.01);
	for (i = 0; i < N; i++)
		p[i] = logit_prob(&m, x + i * NF);
	ck_assert_int_eq(logit_eval(&m, x, y, N, &me, &e), 0);
	ck_assert_int_eq(logit_score(p, y, N, &ms, &e), 0);
	ck_assert(me.n == ms.n && me.npos == ms.npos && me.nneg == ms.nneg);
	ck_assert(me.tp == ms.tp && me.fp == ms.fp && me.tn == ms.tn &&
	    me.fn == ms.fn);
	ck_assert(me.brier == ms.brier && me.accuracy == ms.accuracy);
	ck_assert_double_eq_tol(me.logloss, ms.logloss, 1e-13);
	ck_assert_double_eq_tol(me.auc, ms.auc, 1e-15);
	ck_assert(me.accuracy > 0.6 && me.auc > 0.7);
	logit_release(&m);

	ck_assert_int_eq(logit_from_json(&m, js, &e), 0);
	ck_assert_int_eq(logit_eval(&m, far, fy, 2, &me, &e), 0);
	ck_assert(isfinite(me.logloss));
	ck_assert_double_eq_tol(me.logloss, (50.0 + logit_loss(-3.0, 0)) /
	    2, 1e-13);
	ck_assert(isnan(me.auc));
	logit_release(&m);

	/* A row so far out that its margin overflows is refused. */
	ck_assert_int_eq(logit_from_json(&m, js2, &e), 0);
	ck_assert_int_eq(logit_eval(&m, huge, fy, 2, &me, &e), -1);
	ck_assert_msg(strstr(e.msg, "row 0: margin overflows") != NULL, "%s",
	    e.msg);
	logit_release(&m);
}
END_TEST

/*
 * Save, load, save: the same text, the same doubles, and the same
 * prediction, bit for bit, on rows the model never saw.
 */
START_TEST(json_round_trip_is_exact)
{
	enum { N = 300, NF = 4, T = 1000 };
	const char *const odd[] = { "ret \"1m\"", "vol\\5m", "r\xc3\xa9si",
	    "tab\there" };
	double x[N * NF], t[T * NF], a, b;
	struct logit m, r;
	struct sk_err e;
	char *s1, *s2;
	size_t i, j;
	int y[N], yt[T];

	make_rows(9, N, x, y);
	make_rows(10, T, t, yt);
	fit_ok(&m, x, y, N, NF, odd, 0.003);
	s1 = logit_to_json(&m, &e);
	ck_assert_msg(s1 != NULL, "%s", e.msg);
	ck_assert(strncmp(s1, "{\"type\":\"logit\",\"version\":1,", 28) == 0);
	ck_assert(strchr(s1, '\n') == NULL);
	ck_assert_msg(logit_from_json(&r, s1, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(r.nfeat, NF);
	for (j = 0; j < NF; j++) {
		ck_assert_str_eq(r.name[j], odd[j]);
		ck_assert(memcmp(&r.mean[j], &m.mean[j], sizeof(double)) == 0);
		ck_assert(memcmp(&r.scale[j], &m.scale[j],
		    sizeof(double)) == 0);
		ck_assert(memcmp(&r.coef[j], &m.coef[j], sizeof(double)) == 0);
	}
	ck_assert(memcmp(&r.intercept, &m.intercept, sizeof(double)) == 0);
	ck_assert(r.lambda == m.lambda && r.iter == m.iter);
	for (i = 0; i < T; i++) {
		a = logit_prob(&m, t + i * NF);
		b = logit_prob(&r, t + i * NF);
		if (memcmp(&a, &b, sizeof(a)) != 0)
			ck_abort_msg("row %zu: %.17g vs %.17g", i, a, b);
	}
	s2 = logit_to_json(&r, &e);
	ck_assert_str_eq(s1, s2);
	free(s1);
	free(s2);
	logit_release(&m);
	logit_release(&r);
}
END_TEST

/* -0, subnormals and extremes survive too. */
START_TEST(json_round_trip_awkward_doubles)
{
	char n0[] = "a", n1[] = "b", n2[] = "c", *nm[] = { n0, n1, n2 };
	double mean[] = { -0.0, 4.9406564584124654e-324,
	    -1.7976931348623157e308 };
	double scale[] = { 2.2250738585072014e-308, 1.0, 0.1 };
	double coef[] = { 1.0 / 3, -2.0 / 3, 1e-300 };
	struct logit m = { 3, NULL, mean, scale, coef, -0.0, 0.5, 42 };
	struct logit r;
	struct sk_err e;
	char *s;
	size_t j;

	m.name = nm;
	s = logit_to_json(&m, &e);
	ck_assert_msg(s != NULL, "%s", e.msg);
	ck_assert_msg(logit_from_json(&r, s, &e) == 0, "%s: %s", s, e.msg);
	for (j = 0; j < 3; j++) {
		ck_assert(memcmp(&r.mean[j], &mean[j], sizeof(double)) == 0);
		ck_assert(memcmp(&r.scale[j], &scale[j], sizeof(double)) == 0);
		ck_assert(memcmp(&r.coef[j], &coef[j], sizeof(double)) == 0);
	}
	ck_assert(signbit(r.intercept) && r.intercept == 0.0);
	ck_assert(r.iter == 42 && r.lambda == 0.5);
	free(s);
	logit_release(&r);

	/* What could not be read back is not written. */
	scale[1] = 0.0;
	ck_assert(logit_to_json(&m, &e) == NULL);
	scale[1] = 1.0;
	coef[2] = NAN;
	ck_assert(logit_to_json(&m, &e) == NULL);
	coef[2] = 1.0;
	m.iter = -1;
	ck_assert(logit_to_json(&m, &e) == NULL);
}
END_TEST

/*
 * Malformed models.  Each case replaces one member of a good model
 * (NULL drops it), or, with whole set, is the whole text.
 */
static const char *const good_member[] = {
	"\"type\":\"logit\"",
	"\"version\":1",
	"\"features\":[\"a\",\"b\"]",
	"\"mean\":[0.5,-2]",
	"\"scale\":[1,3]",
	"\"coef\":[0.25,-1]",
	"\"intercept\":0.1",
	"\"lambda\":0.01",
	"\"iterations\":5",
};

static const struct {
	int		 member;	/* -1: whole is the text */
	const char	*text;		/* NULL: drop the member */
	const char	*want;
} bad_json[] = {
	{ -1, "", "bad JSON" },
	{ -1, "{", "bad JSON" },
	{ -1, "{\"type\":\"logit\",}", "bad JSON" },
	{ -1, "[1,2]", "not a JSON object" },
	{ -1, "null", "not a JSON object" },
	{ -1, "{}", "missing \"type\"" },
	{ 0, NULL, "missing \"type\"" },
	{ 1, NULL, "missing \"version\"" },
	{ 2, NULL, "missing \"features\"" },
	{ 3, NULL, "missing \"mean\"" },
	{ 4, NULL, "missing \"scale\"" },
	{ 5, NULL, "missing \"coef\"" },
	{ 6, NULL, "missing \"intercept\"" },
	{ 7, NULL, "missing \"lambda\"" },
	{ 8, NULL, "missing \"iterations\"" },
	{ 0, "\"type\":\"logistic\"", "\"type\" is not \"logit\"" },
	{ 0, "\"type\":1", "\"type\" is not \"logit\"" },
	{ 1, "\"version\":2", "version 2, want 1" },
	{ 1, "\"version\":\"1\"", "\"version\" is not a number" },
	{ 2, "\"features\":[]", "0 features" },
	{ 2, "\"features\":\"a\"", "\"features\" is not an array" },
	{ 2, "\"features\":[\"a\",2]", "\"features\"[1] is not a string" },
	{ 2, "\"features\":[\"a\",\"a\"]", "\"features\"[1]: name empty" },
	{ 2, "\"features\":[\"\",\"b\"]", "\"features\"[0]: name empty" },
	{ 2, "\"features\":[\"a\"]", "\"mean\" has 2 values" },
	{ 3, "\"mean\":[0.5]", "\"mean\" has 1 values" },
	{ 3, "\"mean\":{\"a\":1}", "\"mean\" is not an array" },
	{ 4, "\"scale\":[1,3,4]", "\"scale\" has 3 values" },
	{ 4, "\"scale\":[1,0]", "\"scale\"[1] is not above 0" },
	{ 4, "\"scale\":[-1,3]", "\"scale\"[0] is not above 0" },
	{ 5, "\"coef\":[0.25,\"x\"]", "\"coef\"[1] is not a number" },
	{ 5, "\"coef\":[0.25,null]", "\"coef\"[1] is not a number" },
	{ 5, "\"coef\":[1e999,1]", "\"coef\"[0] is not finite" },
	{ 6, "\"intercept\":-1e400", "\"intercept\" is not finite" },
	{ 6, "\"intercept\":true", "\"intercept\" is not a number" },
	{ 7, "\"lambda\":-0.5", "\"lambda\" is below 0" },
	{ 8, "\"iterations\":1.5", "\"iterations\" 1.5 is not a whole" },
	{ 8, "\"iterations\":-1", "\"iterations\" -1 is not a whole" },
	{ 8, "\"iterations\":5,\"coef\":[1,1]", "\"coef\" repeated" },
};

/* The good model with member k replaced by text (dropped if NULL). */
static void
build_json(char *b, size_t len, int k, const char *text)
{
	size_t i, used = 0;
	const char *m;

	used += (size_t)snprintf(b + used, len - used, "{");
	for (i = 0; i < NELEM(good_member); i++) {
		m = (int)i == k ? text : good_member[i];
		if (m == NULL)
			continue;
		used += (size_t)snprintf(b + used, len - used, "%s%s",
		    used > 1 ? "," : "", m);
	}
	snprintf(b + used, len - used, "}");
}

START_TEST(json_malformed_is_refused)
{
	char b[1024];
	struct logit m;
	struct sk_err e;

	if (bad_json[_i].member < 0)
		snprintf(b, sizeof(b), "%s", bad_json[_i].text);
	else
		build_json(b, sizeof(b), bad_json[_i].member,
		    bad_json[_i].text);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(logit_from_json(&m, b, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_msg(strstr(e.msg, bad_json[_i].want) != NULL,
	    "%s: want \"%s\" in \"%s\"", b, bad_json[_i].want, e.msg);
	ck_assert(strncmp(e.msg, "logit model: ", 13) == 0);
	ck_assert(m.nfeat == 0 && m.name == NULL && m.mean == NULL);
	logit_release(&m);
}
END_TEST

/* The good model itself loads, with extra members ignored. */
START_TEST(json_good_model_loads)
{
	char b[1024];
	const double row[] = { 1.5, 1.0 };
	struct logit m;
	struct sk_err e;
	size_t n;

	build_json(b, sizeof(b), -2, NULL);
	ck_assert_msg(logit_from_json(&m, b, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(m.nfeat, 2);
	ck_assert_str_eq(m.name[1], "b");
	ck_assert(m.scale[1] == 3.0 && m.iter == 5 && m.lambda == 0.01);
	/* eta = 0.1 + 0.25 (1.5 - 0.5) / 1 - (1 + 2) / 3 = -0.65 */
	ck_assert_double_eq_tol(logit_margin(&m, row), -0.65, 1e-15);
	ck_assert_double_eq_tol(logit_prob(&m, row), 1 / (1 + exp(0.65)),
	    1e-15);
	logit_release(&m);
	n = strlen(b);
	snprintf(b + n - 1, sizeof(b) - n + 1, ",\"note\":{\"by\":\"x\"}} \n");
	ck_assert_msg(logit_from_json(&m, b, &e) == 0, "%s", e.msg);
	logit_release(&m);
	ck_assert_int_eq(logit_from_json(&m, NULL, &e), -1);
}
END_TEST

/* A bad row is refused and named, never dropped. */
static const struct {
	size_t		 row, col;
	double		 v;
	int		 label;
	const char	*want;
} bad_rows[] = {
	{ 3, 1, NAN, 0, "row 3: feature 1 (vol_5m) is not finite" },
	{ 0, 0, INFINITY, 0, "row 0: feature 0 (ret_1m) is not finite" },
	{ 199, 3, -INFINITY, 0, "row 199: feature 3 (spread)" },
	{ 5, 0, 0.0, 2, "row 5: label 2 is not 0 or 1" },
	{ 7, 0, 0.0, -1, "row 7: label -1" },
};

START_TEST(bad_rows_are_refused)
{
	enum { N = 200, NF = 4 };
	double x[N * NF], mean[NF], scale[NF];
	struct logit_metrics mt;
	struct logit_opts o;
	struct logit m;
	struct sk_err e;
	size_t r = bad_rows[_i].row;
	int y[N];

	make_rows(3, N, x, y);
	fit_ok(&m, x, y, N, NF, names4, 0.01);
	if (bad_rows[_i].label != 0)
		y[r] = bad_rows[_i].label;
	else
		x[r * NF + bad_rows[_i].col] = bad_rows[_i].v;
	logit_opts_default(&o);
	o.lambda = 0.01;
	fit_fails(x, y, N, NF, names4, &o, bad_rows[_i].want);
	ck_assert_int_eq(logit_eval(&m, x, y, N, &mt, &e), -1);
	ck_assert_msg(strstr(e.msg, bad_rows[_i].want) != NULL, "%s", e.msg);
	if (bad_rows[_i].label == 0) {
		ck_assert(isnan(logit_prob(&m, x + r * NF)));
		ck_assert(isnan(logit_margin(&m, x + r * NF)));
		ck_assert_int_eq(logit_row_finite(x + r * NF, NF), 0);
		ck_assert_int_eq(logit_standardize(x, N, NF, mean, scale,
		    &e), -1);
	}
	ck_assert_int_eq(logit_row_finite(x + ((r + 1) % N) * NF, NF), 1);
	logit_release(&m);
}
END_TEST

START_TEST(bad_arguments_are_refused)
{
	enum { N = 50, NF = 4 };
	const char *const dup[] = { "a", "b", "a", "c" };
	const char *const empty[] = { "a", "", "b", "c" };
	double x[N * NF];
	struct logit_opts o;
	int y[N], one[N];
	size_t i;

	make_rows(4, N, x, y);
	for (i = 0; i < N; i++)
		one[i] = 1;
	logit_opts_default(&o);
	fit_fails(x, one, N, NF, names4, &o, "both classes");
	fit_fails(x, y, 0, NF, names4, &o, "no rows");
	fit_fails(x, y, N, 0, names4, &o, "0 features");
	fit_fails(x, y, N, LOGIT_MAXF + 1, names4, &o, "want 1 to");
	fit_fails(x, y, N, NF, NULL, &o, "names");
	fit_fails(x, y, N, NF, dup, &o, "feature 2: name");
	fit_fails(x, y, N, NF, empty, &o, "feature 1: name");
	o.lambda = -1.0;
	fit_fails(x, y, N, NF, names4, &o, "lambda");
	o.lambda = NAN;
	fit_fails(x, y, N, NF, names4, &o, "lambda");
	o.lambda = INFINITY;
	fit_fails(x, y, N, NF, names4, &o, "lambda");
	logit_opts_default(&o);
	o.maxiter = 0;
	fit_fails(x, y, N, NF, names4, &o, "maxiter");
	logit_opts_default(&o);
	o.tol = 0.0;
	fit_fails(x, y, N, NF, names4, &o, "tol");
}
END_TEST

/* Too few steps is an error, not a model. */
START_TEST(non_convergence_is_an_error)
{
	enum { N = 300, NF = 4 };
	double x[N * NF];
	struct logit_opts o;
	struct logit m;
	int y[N];

	make_rows(6, N, x, y);
	fit_ok(&m, x, y, N, NF, names4, 0.0);
	ck_assert_int_ge(m.iter, 2);
	logit_opts_default(&o);
	o.maxiter = m.iter - 1;
	fit_fails(x, y, N, NF, names4, &o, "no convergence in");
	logit_opts_default(&o);
	o.maxiter = m.iter;
	logit_release(&m);
	ck_assert_int_eq(logit_fit(&m, x, y, N, NF, names4, &o, NULL), 0);
	logit_release(&m);
}
END_TEST

/*
 * A constant feature (0.1, whose sum is not exact) gets its value as
 * mean, scale 1 and coefficient 0, and changes no prediction; even with
 * lambda 0, where its coefficient is otherwise undetermined.
 */
START_TEST(constant_feature_is_fixed)
{
	enum { N = 200 };
	const char *const nm3[] = { "ret_1m", "vol_5m", "k" };
	const char *const nm2[] = { "ret_1m", "vol_5m" };
	double x4[N * 4], x3[N * 3], x2[N * 2], mean[3], scale[3];
	struct logit m3, m2;
	struct sk_err e;
	size_t i;
	int y[N];

	make_rows(12, N, x4, y);
	for (i = 0; i < N; i++) {
		x3[i * 3] = x2[i * 2] = x4[i * 4];
		x3[i * 3 + 1] = x2[i * 2 + 1] = x4[i * 4 + 1];
		x3[i * 3 + 2] = 0.1;
	}
	ck_assert_int_eq(logit_standardize(x3, N, 3, mean, scale, &e), 0);
	ck_assert(mean[2] == 0.1 && scale[2] == 1.0);
	fit_ok(&m3, x3, y, N, 3, nm3, 0.0);
	fit_ok(&m2, x2, y, N, 2, nm2, 0.0);
	ck_assert(m3.mean[2] == 0.1 && m3.scale[2] == 1.0);
	ck_assert(m3.coef[2] == 0.0);
	for (i = 0; i < N; i++)
		ck_assert_double_eq_tol(logit_prob(&m3, x3 + i * 3),
		    logit_prob(&m2, x2 + i * 2), 1e-12);
	logit_release(&m3);
	logit_release(&m2);
}
END_TEST

/* A feature that is another rescaled: singular without a penalty. */
START_TEST(collinear_features)
{
	enum { N = 200, NF = 3 };
	const char *const nm[] = { "a", "b", "c" };
	double x4[N * 4], x[N * NF];
	struct logit_opts o;
	struct logit m;
	size_t i;
	int y[N];

	make_rows(13, N, x4, y);
	for (i = 0; i < N; i++) {
		x[i * NF] = x4[i * 4];
		x[i * NF + 1] = x4[i * 4 + 2];
		x[i * NF + 2] = 2.0 * x4[i * 4] + 1.0;
	}
	logit_opts_default(&o);
	fit_fails(x, y, N, NF, nm, &o, "singular");
	fit_ok(&m, x, y, N, NF, nm, 0.01);
	/* The penalty splits the weight evenly between the twins. */
	ck_assert_double_eq_tol(m.coef[0], m.coef[2], 1e-9);
	logit_release(&m);
}
END_TEST

/* Mean and population deviation, also far from 0. */
START_TEST(standardize_by_hand)
{
	const double x[] = { 1, 1e9 + 1, 2, 1e9 + 2, 3, 1e9 + 3, 4,
	    1e9 + 4 };
	double mean[2], scale[2];
	struct sk_err e;

	ck_assert_int_eq(logit_standardize(x, 4, 2, mean, scale, &e), 0);
	ck_assert(mean[0] == 2.5 && mean[1] == 1e9 + 2.5);
	ck_assert_double_eq_tol(scale[0], sqrt(1.25), 1e-16);
	ck_assert_double_eq_tol(scale[1], sqrt(1.25), 1e-15);
	ck_assert_int_eq(logit_standardize(x, 0, 2, mean, scale, &e), -1);
	ck_assert_int_eq(logit_standardize(x, 4, 0, mean, scale, &e), -1);
}
END_TEST

static Suite *
logit_suite(void)
{
	Suite *s = suite_create("logit");
	TCase *tc = tcase_create("logit");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sigmoid_and_loss_are_stable);
	tcase_add_loop_test(tc, gradient_vanishes_at_fit, 0,
	    NELEM(grad_lambda));
	tcase_add_loop_test(tc, one_feature_matches_bisection, 0,
	    NELEM(onef_lambda));
	tcase_add_test(tc, binary_feature_by_hand);
	tcase_add_loop_test(tc, predictions_ignore_affine_rescaling, 0,
	    NELEM(affine_cases));
	tcase_add_loop_test(tc, separable_rows_with_penalty_stay_finite, 0,
	    NELEM(sep_lambda));
	tcase_add_test(tc, quasi_separated_rows);
	tcase_add_loop_test(tc, auc_by_hand, 0, NELEM(auc_cases));
	tcase_add_loop_test(tc, auc_matches_pair_count, 0, 4);
	tcase_add_test(tc, brier_and_logloss_by_hand);
	tcase_add_loop_test(tc, score_refuses_bad_input, 0,
	    NELEM(score_bad));
	tcase_add_test(tc, eval_agrees_with_score);
	tcase_add_test(tc, json_round_trip_is_exact);
	tcase_add_test(tc, json_round_trip_awkward_doubles);
	tcase_add_loop_test(tc, json_malformed_is_refused, 0,
	    NELEM(bad_json));
	tcase_add_test(tc, json_good_model_loads);
	tcase_add_loop_test(tc, bad_rows_are_refused, 0, NELEM(bad_rows));
	tcase_add_test(tc, bad_arguments_are_refused);
	tcase_add_test(tc, non_convergence_is_an_error);
	tcase_add_test(tc, constant_feature_is_fixed);
	tcase_add_test(tc, collinear_features);
	tcase_add_test(tc, standardize_by_hand);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(logit_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
