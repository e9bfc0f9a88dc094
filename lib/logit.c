/*
 * logit.c: the logistic regression of logit.h.  Newton's method with a
 * backtracking line search and a Cholesky solve; the features are few,
 * so each step is one pass over the rows and a tiny dense system.
 */
#include <cjson/cJSON.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logit.h"
#include "sk.h"

#define Q_MAX		(LOGIT_MAXF + 1)	/* intercept and features */
#define ARMIJO		1e-4		/* share of the predicted decrease */
#define HALVINGS	64		/* line-search trials per step */
#define PIVOT_MIN	1e-13		/* relative: below it, singular */

void
logit_opts_default(struct logit_opts *o)
{
	o->lambda = 0.0;
	o->maxiter = 100;
	o->tol = 1e-12;
}

int
logit_row_finite(const double *row, size_t nfeat)
{
	size_t j;

	for (j = 0; j < nfeat; j++)
		if (!isfinite(row[j]))
			return 0;
	return 1;
}

/*
 * exp(-|t|) cannot overflow, and a small p comes out as a quotient of
 * e^t, not as 1 minus something close to 1.
 */
double
logit_sigmoid(double t)
{
	double x;

	if (isnan(t))
		return t;
	x = exp(-fabs(t));
	return t >= 0.0 ? 1.0 / (1.0 + x) : x / (1.0 + x);
}

/* log(1 + e^t) as max(t, 0) + log1p(e^-|t|). */
static double
softplus(double t)
{
	return (t > 0.0 ? t : 0.0) + log1p(exp(-fabs(t)));
}

double
logit_loss(double t, int y)
{
	return softplus(y ? -t : t);
}

/* Neumaier's compensated sum: *s + *c carries the error of *s. */
static void
kadd(double *s, double *c, double v)
{
	double t = *s + v;

	if (fabs(*s) >= fabs(v))
		*c += (*s - t) + v;
	else
		*c += (v - t) + *s;
	*s = t;
}

/*
 * The margin b0 + sum_j b[j] z_j of a row, its standardised features
 * left in z.  Fit and prediction share it, so that a model sees the
 * rows the same way in both.
 */
static double
margin(size_t nf, const double *mean, const double *scale, double b0,
    const double *b, const double *row, double *z)
{
	double eta = b0;
	size_t j;

	for (j = 0; j < nf; j++) {
		z[j] = (row[j] - mean[j]) / scale[j];
		eta += b[j] * z[j];
	}
	return eta;
}

/* Every feature finite and, with y, every label 0 or 1; else name it. */
static int
check_rows(const double *x, const int *y, size_t n, size_t nf,
    const char *const *names, struct sk_err *e)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nf; j++) {
			if (isfinite(x[i * nf + j]))
				continue;
			if (names == NULL)
				return sk_errf(e, SK_DATA, "row %zu: feature "
				    "%zu is not finite", i, j);
			return sk_errf(e, SK_DATA, "row %zu: feature %zu (%s) "
			    "is not finite", i, j, names[j]);
		}
		if (y != NULL && y[i] != 0 && y[i] != 1)
			return sk_errf(e, SK_DATA, "row %zu: label %d is not "
			    "0 or 1", i, y[i]);
	}
	return 0;
}

/*
 * Mean and population deviation of feature j, by the corrected two-pass
 * method.  A constant gets its own value and scale 1 (*fixed set), so
 * that it standardises to exactly 0.
 */
static int
moments(const double *x, size_t n, size_t nf, size_t j, double *meanp,
    double *scalep, unsigned char *fixed, struct sk_err *e)
{
	double lo = x[j], hi = x[j], v, mu, d, s1 = 0.0, ss = 0.0, sum = 0.0;
	size_t i;

	for (i = 0; i < n; i++) {
		v = x[i * nf + j];
		sum += v;
		lo = fmin(lo, v);
		hi = fmax(hi, v);
	}
	*fixed = lo == hi;
	if (*fixed) {
		*meanp = lo;
		*scalep = 1.0;
		return 0;
	}
	mu = sum / (double)n;
	for (i = 0; i < n; i++) {
		d = x[i * nf + j] - mu;
		s1 += d;
		ss += d * d;
	}
	mu += s1 / (double)n;
	ss -= s1 * s1 / (double)n;
	*meanp = mu;
	*scalep = sqrt(ss / (double)n);
	if (!isfinite(mu) || !isfinite(*scalep))
		return sk_errf(e, SK_DATA, "feature %zu: values too large to "
		    "standardise", j);
	/* Distinct values whose squared spread underflows. */
	if (!(*scalep > 0.0))
		return sk_errf(e, SK_DATA, "feature %zu: spread too small to "
		    "standardise", j);
	return 0;
}

static int
standardize(const double *x, size_t n, size_t nf, double *mean,
    double *scale, unsigned char *fixed, struct sk_err *e)
{
	size_t j;

	for (j = 0; j < nf; j++)
		if (moments(x, n, nf, j, &mean[j], &scale[j], &fixed[j],
		    e) == -1)
			return -1;
	return 0;
}

int
logit_standardize(const double *x, size_t n, size_t nf, double *mean,
    double *scale, struct sk_err *e)
{
	unsigned char fixed[LOGIT_MAXF];

	if (n == 0)
		return sk_errf(e, SK_DATA, "no rows to standardise");
	if (nf == 0 || nf > LOGIT_MAXF)
		return sk_errf(e, SK_DATA, "%zu features: want 1 to %d", nf,
		    LOGIT_MAXF);
	if (check_rows(x, NULL, n, nf, NULL, e) == -1)
		return -1;
	return standardize(x, n, nf, mean, scale, fixed, e);
}

void
logit_release(struct logit *m)
{
	size_t j;

	if (m->name != NULL)
		for (j = 0; j < m->nfeat; j++)
			free(m->name[j]);
	free(m->name);
	free(m->mean);
	free(m->scale);
	free(m->coef);
	memset(m, 0, sizeof(*m));
}

/* Arrays for nf features, names still NULL. */
static void
model_alloc(struct logit *m, size_t nf)
{
	memset(m, 0, sizeof(*m));
	m->nfeat = nf;
	m->name = xcalloc(nf, sizeof(m->name[0]));
	m->mean = xcalloc(nf, sizeof(double));
	m->scale = xcalloc(nf, sizeof(double));
	m->coef = xcalloc(nf, sizeof(double));
}

/* 1 if the names are non-empty and distinct, else 0, *bad the first. */
static int
names_ok(const char *const *names, size_t nf, size_t *bad)
{
	size_t j, k;

	for (j = 0; j < nf; j++) {
		*bad = j;
		if (names[j] == NULL || names[j][0] == '\0')
			return 0;
		for (k = 0; k < j; k++)
			if (strcmp(names[k], names[j]) == 0)
				return 0;
	}
	return 1;
}

/*
 * The state of the fit.  theta[0] is the intercept and theta[1 + j]
 * the coefficient of feature j; the gradient and Hessian of F follow
 * the same order.
 */
struct fit {
	const double		*x;
	const int		*y;
	size_t			 n, nf, q;
	const double		*mean, *scale;
	const unsigned char	*fixed;
	double			 lambda;
};

/* F, its gradient and Hessian, at one point. */
struct point {
	double		 f;
	double		 g[Q_MAX];
	double		 h[Q_MAX * Q_MAX];
	size_t		 nsep;		/* rows on their label's side */
};

/*
 * Loss, residual p - y and weight p (1 - p) of a row at margin t, from
 * one exponential; each is accurate even where p rounds to 0 or 1.
 */
static void
row_terms(double t, int y, double *loss, double *r, double *w)
{
	double x = exp(-fabs(t)), sp, sm;

	sp = t >= 0.0 ? 1.0 / (1.0 + x) : x / (1.0 + x);	/* p */
	sm = t >= 0.0 ? x / (1.0 + x) : 1.0 / (1.0 + x);	/* 1 - p */
	*loss = softplus(y ? -t : t);
	*r = y ? -sm : sp;
	*w = sp * sm;
}

/* Add row i's terms to the compensated sums and the upper Hessian. */
static void
pass_row(const struct fit *ft, size_t i, const double *th, double *fs,
    double *gs, double *gc, struct point *pt)
{
	double z[Q_MAX], eta, loss, r, w, wz;
	size_t j, k, q = ft->q;
	int y = ft->y[i];

	z[0] = 1.0;
	eta = margin(ft->nf, ft->mean, ft->scale, th[0], th + 1,
	    ft->x + i * ft->nf, z + 1);
	row_terms(eta, y, &loss, &r, &w);
	kadd(&fs[0], &fs[1], loss);
	for (j = 0; j < q; j++) {
		kadd(&gs[j], &gc[j], r * z[j]);
		wz = w * z[j];
		for (k = j; k < q; k++)
			pt->h[j * q + k] += wz * z[k];
	}
	if (y ? eta > 0.0 : eta < 0.0)
		pt->nsep++;
}

/* F, gradient and Hessian at th; one pass over the rows. */
static void
evaluate(const struct fit *ft, const double *th, struct point *pt)
{
	double fs[2] = { 0.0, 0.0 }, gs[Q_MAX], gc[Q_MAX], pen = 0.0;
	double dn = (double)ft->n;
	size_t i, j, k, q = ft->q;

	memset(gs, 0, sizeof(gs));
	memset(gc, 0, sizeof(gc));
	memset(pt->h, 0, sizeof(pt->h));
	pt->nsep = 0;
	for (i = 0; i < ft->n; i++)
		pass_row(ft, i, th, fs, gs, gc, pt);
	for (j = 0; j < q; j++) {
		pt->g[j] = (gs[j] + gc[j]) / dn;
		for (k = j; k < q; k++) {
			pt->h[j * q + k] /= dn;
			pt->h[k * q + j] = pt->h[j * q + k];
		}
	}
	for (j = 1; j < q; j++) {
		pen += th[j] * th[j];
		pt->g[j] += ft->lambda * th[j];
		pt->h[j * q + j] += ft->lambda;
		/* A constant's row and column are exactly 0: keep it 0. */
		if (ft->fixed[j - 1])
			pt->h[j * q + j] = 1.0;
	}
	pt->f = (fs[0] + fs[1]) / dn + 0.5 * ft->lambda * pen;
}

/*
 * Factor the q x q matrix a = L L' in place (L in the lower triangle).
 * Returns -1 if a pivot is not positive beyond rounding, relative to
 * its diagonal: the matrix is singular for all the fit can tell.
 */
static int
cholesky(double *a, size_t q)
{
	double d, s;
	size_t i, j, k;

	for (j = 0; j < q; j++) {
		d = a[j * q + j];
		for (k = 0; k < j; k++)
			d -= a[j * q + k] * a[j * q + k];
		if (!(d > PIVOT_MIN * a[j * q + j]) || !isfinite(d))
			return -1;
		d = sqrt(d);
		a[j * q + j] = d;
		for (i = j + 1; i < q; i++) {
			s = a[i * q + j];
			for (k = 0; k < j; k++)
				s -= a[i * q + k] * a[j * q + k];
			a[i * q + j] = s / d;
		}
	}
	return 0;
}

/* Solve L L' x = b with the factor of cholesky(); x may be b. */
static void
chol_solve(const double *l, size_t q, const double *b, double *x)
{
	size_t i, k;
	double s;

	for (i = 0; i < q; i++) {
		s = b[i];
		for (k = 0; k < i; k++)
			s -= l[i * q + k] * x[k];
		x[i] = s / l[i * q + i];
	}
	for (i = q; i-- > 0;) {
		s = x[i];
		for (k = i + 1; k < q; k++)
			s -= l[k * q + i] * x[k];
		x[i] = s / l[i * q + i];
	}
}

static double
norm2(const double *v, size_t q)
{
	double s = 0.0;
	size_t j;

	for (j = 0; j < q; j++)
		s += v[j] * v[j];
	return sqrt(s);
}

/* The Newton direction -H^-1 g at *c into d; -1 if H is singular. */
static int
direction(const struct point *c, size_t q, double *d)
{
	double l[Q_MAX * Q_MAX];
	size_t j;

	memcpy(l, c->h, sizeof(l));
	if (cholesky(l, q) == -1)
		return -1;
	chol_solve(l, q, c->g, d);
	for (j = 0; j < q; j++)
		d[j] = -d[j];
	return 0;
}

/*
 * Move th (at *cur) along the Newton direction d.  The full step is
 * tried first, then halved until F falls by ARMIJO of what the linear
 * model predicts; a rise within F's own rounding is accepted, since
 * near the optimum the decrease is below it.  Returns 0 with th and
 * *cur moved (*tmp is then the old point), or -1 if no trial will do.
 */
static int
line_search(const struct fit *ft, double *th, const double *d,
    struct point **cur, struct point **tmp)
{
	double trial[Q_MAX], gd = 0.0, t = 1.0;
	struct point *c = *cur, *n = *tmp;
	size_t j, q = ft->q;
	int k;

	for (j = 0; j < q; j++)
		gd += c->g[j] * d[j];
	for (k = 0; k < HALVINGS; k++, t *= 0.5) {
		for (j = 0; j < q; j++)
			trial[j] = th[j] + t * d[j];
		evaluate(ft, trial, n);
		/* A NAN or infinite F fails this test too. */
		if (n->f <= c->f + ARMIJO * t * gd + 16 * DBL_EPSILON * c->f) {
			memcpy(th, trial, q * sizeof(double));
			*cur = n;
			*tmp = c;
			return 0;
		}
	}
	return -1;
}

/*
 * Newton's method from the intercept-only optimum; fills m's fit.
 * Converged takes a small gradient and a small Newton step from there,
 * the step being the distance to the optimum that the quadratic model
 * sees: where classes are separated in part, the gradient fades while
 * the coefficients run off, and the step stays large.
 */
static int
newton(const struct fit *ft, size_t npos, const struct logit_opts *o,
    struct logit *m, struct sk_err *e)
{
	double th[Q_MAX], d[Q_MAX], gn, dn;
	struct point *cur, *tmp;
	int it, rv = -1;

	cur = xmalloc(sizeof(*cur));
	tmp = xmalloc(sizeof(*tmp));
	memset(th, 0, sizeof(th));
	th[0] = log((double)npos / (double)(ft->n - npos));
	evaluate(ft, th, cur);
	for (it = 0;; it++) {
		/* A plane that separates the rows proves no optimum. */
		if (ft->lambda == 0.0 && cur->nsep == ft->n) {
			sk_errf(e, SK_DATA, "the rows are completely "
			    "separated: no finite fit with lambda 0");
			goto out;
		}
		if (direction(cur, ft->q, d) == -1) {
			sk_errf(e, SK_DATA, "singular Hessian at step %d "
			    "(collinear features or separated classes?)", it);
			goto out;
		}
		gn = norm2(cur->g, ft->q);
		dn = norm2(d, ft->q);
		if (gn <= o->tol && dn <= sqrt(o->tol))
			break;
		if (it == o->maxiter) {
			sk_errf(e, SK_DATA, "no convergence in %d Newton steps "
			    "(gradient norm %.3g, step %.3g, tol %.3g)%s", it,
			    gn, dn, o->tol, ft->lambda == 0.0 ? ": separated "
			    "classes? try lambda > 0" : "");
			goto out;
		}
		if (line_search(ft, th, d, &cur, &tmp) == -1) {
			sk_errf(e, SK_DATA, "no convergence: stalled at step "
			    "%d (gradient norm %.3g, step %.3g)", it, gn, dn);
			goto out;
		}
	}
	m->intercept = th[0];
	memcpy(m->coef, th + 1, ft->nf * sizeof(double));
	m->iter = it;
	rv = 0;
out:
	free(cur);
	free(tmp);
	return rv;
}

static int
opts_ok(const struct logit_opts *o, struct sk_err *e)
{
	if (!(o->lambda >= 0.0 && isfinite(o->lambda)))
		return sk_errf(e, SK_DATA, "lambda %g: want a finite value "
		    ">= 0", o->lambda);
	if (o->maxiter < 1 || o->maxiter > 10000)
		return sk_errf(e, SK_DATA, "maxiter %d: want 1 to 10000",
		    o->maxiter);
	if (!(o->tol > 0.0 && isfinite(o->tol)))
		return sk_errf(e, SK_DATA, "tol %g: want a finite value > 0",
		    o->tol);
	return 0;
}

/* The arguments of logit_fit() that need no pass over the rows. */
static int
fit_args_ok(const double *x, const int *y, size_t nf,
    const char *const *names, const struct logit_opts *o, struct sk_err *e)
{
	size_t bad;

	if (x == NULL || y == NULL || names == NULL)
		return sk_errf(e, SK_DATA, "no rows, labels or names");
	if (nf == 0 || nf > LOGIT_MAXF)
		return sk_errf(e, SK_DATA, "%zu features: want 1 to %d", nf,
		    LOGIT_MAXF);
	if (!names_ok(names, nf, &bad))
		return sk_errf(e, SK_DATA, "feature %zu: name empty or "
		    "repeated", bad);
	return opts_ok(o, e);
}

int
logit_fit(struct logit *m, const double *x, const int *y, size_t n,
    size_t nf, const char *const *names, const struct logit_opts *opt,
    struct sk_err *e)
{
	unsigned char fixed[LOGIT_MAXF];
	struct logit_opts o;
	struct fit ft;
	size_t i, npos = 0;

	memset(m, 0, sizeof(*m));
	if (opt != NULL)
		o = *opt;
	else
		logit_opts_default(&o);
	if (fit_args_ok(x, y, nf, names, &o, e) == -1)
		return -1;
	if (n == 0)
		return sk_errf(e, SK_DATA, "no rows to fit");
	if (check_rows(x, y, n, nf, names, e) == -1)
		return -1;
	for (i = 0; i < n; i++)
		npos += (size_t)y[i];
	if (npos == 0 || npos == n)
		return sk_errf(e, SK_DATA, "%zu rows, all labelled %d: both "
		    "classes are needed", n, y[0]);
	model_alloc(m, nf);
	if (standardize(x, n, nf, m->mean, m->scale, fixed, e) == -1)
		goto fail;
	ft.x = x;
	ft.y = y;
	ft.n = n;
	ft.nf = nf;
	ft.q = nf + 1;
	ft.mean = m->mean;
	ft.scale = m->scale;
	ft.fixed = fixed;
	ft.lambda = o.lambda;
	if (newton(&ft, npos, &o, m, e) == -1)
		goto fail;
	for (i = 0; i < nf; i++)
		m->name[i] = xstrdup(names[i]);
	m->lambda = o.lambda;
	return 0;
fail:
	logit_release(m);
	return -1;
}

double
logit_margin(const struct logit *m, const double *row)
{
	double z[LOGIT_MAXF];

	if (!logit_row_finite(row, m->nfeat))
		return NAN;
	return margin(m->nfeat, m->mean, m->scale, m->intercept, m->coef,
	    row, z);
}

double
logit_prob(const struct logit *m, const double *row)
{
	return logit_sigmoid(logit_margin(m, row));
}

/* A row's rank key and label, for the AUC. */
struct ranked {
	double		 k;
	int		 y;
};

static int
ranked_cmp(const void *a, const void *b)
{
	double x = ((const struct ranked *)a)->k;
	double y = ((const struct ranked *)b)->k;

	return (x > y) - (x < y);
}

/*
 * Mann-Whitney over the keys: walking up through groups of equal keys,
 * each 1 beats every 0 below its group and ties the 0s in it.  Counted
 * twice over in integers, so ties are exactly 1/2.
 */
static double
auc(const double *key, const int *y, size_t n, size_t npos)
{
	struct ranked *r;
	uint64_t u2 = 0, below = 0, a, b;
	size_t i, j;

	if (npos == 0 || npos == n)
		return NAN;
	r = xcalloc(n, sizeof(*r));
	for (i = 0; i < n; i++) {
		r[i].k = key[i];
		r[i].y = y[i];
	}
	qsort(r, n, sizeof(*r), ranked_cmp);
	for (i = 0; i < n; i = j) {
		a = b = 0;
		for (j = i; j < n && r[j].k == r[i].k; j++) {
			if (r[j].y)
				a++;
			else
				b++;
		}
		u2 += 2 * a * below + a * b;
		below += b;
	}
	free(r);
	return (double)u2 / (2.0 * (double)npos * (double)(n - npos));
}

/*
 * The log loss of probability p against y, the probability of the label
 * taken as at least LOGIT_PMIN.  1 - p is exact for p >= 1/2, so the
 * floor holds the same for both labels; below, log1p is the accurate
 * form.
 */
static double
prob_loss(double p, int y)
{
	if (y)
		return -log(fmax(p, LOGIT_PMIN));
	if (p < 0.5)
		return -log1p(-p);
	return -log(fmax(1.0 - p, LOGIT_PMIN));
}

/*
 * The metrics of probabilities p; the log loss and the ranking come
 * from the margins eta when there are some, else from p.
 */
static void
metrics(const double *p, const double *eta, const int *y, size_t n,
    struct logit_metrics *mt)
{
	double ls[2] = { 0.0, 0.0 }, bs[2] = { 0.0, 0.0 }, d;
	size_t i;

	memset(mt, 0, sizeof(*mt));
	mt->n = n;
	for (i = 0; i < n; i++) {
		if (y[i])
			mt->npos++;
		if (p[i] > 0.5 && y[i])
			mt->tp++;
		else if (p[i] > 0.5)
			mt->fp++;
		else if (y[i])
			mt->fn++;
		else
			mt->tn++;
		d = p[i] - y[i];
		kadd(&bs[0], &bs[1], d * d);
		if (eta != NULL) {
			kadd(&ls[0], &ls[1], logit_loss(eta[i], y[i]));
			continue;
		}
		kadd(&ls[0], &ls[1], prob_loss(p[i], y[i]));
	}
	mt->nneg = n - mt->npos;
	mt->logloss = (ls[0] + ls[1]) / (double)n;
	mt->brier = (bs[0] + bs[1]) / (double)n;
	mt->accuracy = (double)(mt->tp + mt->tn) / (double)n;
	mt->auc = auc(eta != NULL ? eta : p, y, n, mt->npos);
}

int
logit_score(const double *p, const int *y, size_t n,
    struct logit_metrics *mt, struct sk_err *e)
{
	size_t i;

	if (n == 0)
		return sk_errf(e, SK_DATA, "no rows to score");
	for (i = 0; i < n; i++) {
		if (!(p[i] >= 0.0 && p[i] <= 1.0))
			return sk_errf(e, SK_DATA, "row %zu: probability %g "
			    "is not in [0, 1]", i, p[i]);
		if (y[i] != 0 && y[i] != 1)
			return sk_errf(e, SK_DATA, "row %zu: label %d is not "
			    "0 or 1", i, y[i]);
	}
	metrics(p, NULL, y, n, mt);
	return 0;
}

int
logit_eval(const struct logit *m, const double *x, const int *y, size_t n,
    struct logit_metrics *mt, struct sk_err *e)
{
	double *p, *eta;
	size_t i;
	int rv;

	if (n == 0)
		return sk_errf(e, SK_DATA, "no rows to evaluate");
	if (check_rows(x, y, n, m->nfeat, (const char *const *)m->name,
	    e) == -1)
		return -1;
	p = xcalloc(n, sizeof(double));
	eta = xcalloc(n, sizeof(double));
	for (i = 0; i < n; i++) {
		eta[i] = logit_margin(m, x + i * m->nfeat);
		p[i] = logit_sigmoid(eta[i]);
		/* Only rows far outside the training range get here. */
		if (!isfinite(eta[i])) {
			rv = sk_errf(e, SK_DATA, "row %zu: margin overflows",
			    i);
			goto out;
		}
	}
	metrics(p, eta, y, n, mt);
	rv = 0;
out:
	free(p);
	free(eta);
	return rv;
}

/*
 * Serialisation.  cJSON prints numbers with up to 17 digits itself, but
 * writing "%.17g" as raw text makes the exact round trip explicit.
 */
static int
add_num(cJSON *o, const char *key, double v)
{
	char b[40];

	snprintf(b, sizeof(b), "%.17g", v);
	return cJSON_AddRawToObject(o, key, b) != NULL;
}

static int
add_nums(cJSON *o, const char *key, const double *v, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(o, key), *it;
	char b[40];
	size_t j;

	if (a == NULL)
		return 0;
	for (j = 0; j < n; j++) {
		snprintf(b, sizeof(b), "%.17g", v[j]);
		it = cJSON_CreateRaw(b);
		if (it == NULL || !cJSON_AddItemToArray(a, it))
			return 0;
	}
	return 1;
}

/* What logit_to_json() will write, and logit_from_json() read back. */
static int
model_ok(const struct logit *m, struct sk_err *e)
{
	size_t j, bad;

	if (m->nfeat == 0 || m->nfeat > LOGIT_MAXF || m->name == NULL)
		return sk_errf(e, SK_DATA, "logit model: %zu features",
		    m->nfeat);
	if (!names_ok((const char *const *)m->name, m->nfeat, &bad))
		return sk_errf(e, SK_DATA, "logit model: feature %zu: name "
		    "empty or repeated", bad);
	for (j = 0; j < m->nfeat; j++)
		if (!isfinite(m->mean[j]) || !isfinite(m->coef[j]) ||
		    !(m->scale[j] > 0.0 && isfinite(m->scale[j])))
			return sk_errf(e, SK_DATA, "logit model: feature %zu "
			    "(%s): bad mean, scale or coef", j, m->name[j]);
	if (!isfinite(m->intercept) || !(m->lambda >= 0.0 &&
	    isfinite(m->lambda)) || m->iter < 0)
		return sk_errf(e, SK_DATA, "logit model: bad intercept, "
		    "lambda or iterations");
	return 0;
}

char *
logit_to_json(const struct logit *m, struct sk_err *e)
{
	cJSON *o, *names;
	char *txt, *s = NULL;
	size_t j;
	int ok;

	if (model_ok(m, e) == -1)
		return NULL;
	o = cJSON_CreateObject();
	if (o == NULL)
		goto oom;
	ok = cJSON_AddStringToObject(o, "type", "logit") != NULL &&
	    cJSON_AddNumberToObject(o, "version", LOGIT_VERSION) != NULL;
	names = cJSON_AddArrayToObject(o, "features");
	ok = ok && names != NULL;
	for (j = 0; ok && j < m->nfeat; j++)
		ok = cJSON_AddItemToArray(names,
		    cJSON_CreateString(m->name[j]));
	ok = ok && add_nums(o, "mean", m->mean, m->nfeat) &&
	    add_nums(o, "scale", m->scale, m->nfeat) &&
	    add_nums(o, "coef", m->coef, m->nfeat) &&
	    add_num(o, "intercept", m->intercept) &&
	    add_num(o, "lambda", m->lambda) &&
	    cJSON_AddNumberToObject(o, "iterations", m->iter) != NULL;
	txt = ok ? cJSON_PrintUnformatted(o) : NULL;
	cJSON_Delete(o);
	if (txt == NULL)
		goto oom;
	s = xstrdup(txt);
	cJSON_free(txt);
	return s;
oom:
	sk_errf(e, SK_IO, "logit model: out of memory");
	return NULL;
}

#define JERR(e, ...)	sk_errf(e, SK_DATA, "logit model: " __VA_ARGS__)

/* The members a model has, each exactly once. */
static const char *const members[] = { "type", "version", "features",
    "mean", "scale", "coef", "intercept", "lambda", "iterations" };

static int
members_once(const cJSON *o, struct sk_err *e)
{
	const cJSON *it;
	size_t k;
	int seen;

	for (k = 0; k < sizeof(members) / sizeof(members[0]); k++) {
		seen = 0;
		cJSON_ArrayForEach(it, o)
			if (it->string != NULL &&
			    strcmp(it->string, members[k]) == 0)
				seen++;
		if (seen == 0)
			return JERR(e, "missing \"%s\"", members[k]);
		if (seen > 1)
			return JERR(e, "\"%s\" repeated", members[k]);
	}
	return 0;
}

/* A finite number member into *v. */
static int
get_num(const cJSON *o, const char *key, double *v, struct sk_err *e)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(it))
		return JERR(e, "\"%s\" is not a number", key);
	if (!isfinite(it->valuedouble))
		return JERR(e, "\"%s\" is not finite", key);
	*v = it->valuedouble;
	return 0;
}

/* An array member of n finite numbers into v. */
static int
get_nums(const cJSON *o, const char *key, double *v, size_t n,
    struct sk_err *e)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, key), *it;
	size_t j = 0;

	if (!cJSON_IsArray(a))
		return JERR(e, "\"%s\" is not an array", key);
	if ((size_t)cJSON_GetArraySize(a) != n)
		return JERR(e, "\"%s\" has %d values, \"features\" %zu", key,
		    cJSON_GetArraySize(a), n);
	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsNumber(it))
			return JERR(e, "\"%s\"[%zu] is not a number", key, j);
		if (!isfinite(it->valuedouble))
			return JERR(e, "\"%s\"[%zu] is not finite", key, j);
		v[j++] = it->valuedouble;
	}
	return 0;
}

static int
get_head(const cJSON *o, size_t *nf, struct sk_err *e)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "features");
	double v;

	if (members_once(o, e) == -1)
		return -1;
	if (!cJSON_IsString(t) || strcmp(t->valuestring, "logit") != 0)
		return JERR(e, "\"type\" is not \"logit\"");
	if (get_num(o, "version", &v, e) == -1)
		return -1;
	if (v != LOGIT_VERSION)
		return JERR(e, "version %g, want %d", v, LOGIT_VERSION);
	if (!cJSON_IsArray(a))
		return JERR(e, "\"features\" is not an array");
	if (cJSON_GetArraySize(a) < 1 || cJSON_GetArraySize(a) > LOGIT_MAXF)
		return JERR(e, "%d features: want 1 to %d",
		    cJSON_GetArraySize(a), LOGIT_MAXF);
	*nf = (size_t)cJSON_GetArraySize(a);
	return 0;
}

static int
get_names(const cJSON *o, struct logit *m, struct sk_err *e)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "features"), *it;
	size_t j = 0, bad;

	cJSON_ArrayForEach(it, a) {
		if (!cJSON_IsString(it))
			return JERR(e, "\"features\"[%zu] is not a string", j);
		m->name[j++] = xstrdup(it->valuestring);
	}
	if (!names_ok((const char *const *)m->name, m->nfeat, &bad))
		return JERR(e, "\"features\"[%zu]: name empty or repeated",
		    bad);
	return 0;
}

static int
get_body(const cJSON *o, struct logit *m, struct sk_err *e)
{
	size_t j;
	double it;

	if (get_names(o, m, e) == -1 ||
	    get_nums(o, "mean", m->mean, m->nfeat, e) == -1 ||
	    get_nums(o, "scale", m->scale, m->nfeat, e) == -1 ||
	    get_nums(o, "coef", m->coef, m->nfeat, e) == -1 ||
	    get_num(o, "intercept", &m->intercept, e) == -1 ||
	    get_num(o, "lambda", &m->lambda, e) == -1 ||
	    get_num(o, "iterations", &it, e) == -1)
		return -1;
	for (j = 0; j < m->nfeat; j++)
		if (!(m->scale[j] > 0.0))
			return JERR(e, "\"scale\"[%zu] is not above 0", j);
	if (!(m->lambda >= 0.0))
		return JERR(e, "\"lambda\" is below 0");
	if (!(it >= 0.0 && it <= INT_MAX && it == floor(it)))
		return JERR(e, "\"iterations\" %g is not a whole number >= 0",
		    it);
	m->iter = (int)it;
	return 0;
}

int
logit_from_json(struct logit *m, const char *s, struct sk_err *e)
{
	const char *end = NULL;
	cJSON *o;
	size_t nf = 0;
	int rv = -1;

	memset(m, 0, sizeof(*m));
	if (s == NULL)
		return JERR(e, "no text");
	o = cJSON_ParseWithOpts(s, &end, 1);
	if (o == NULL)
		return JERR(e, "bad JSON at byte %td",
		    end != NULL ? end - s : (ptrdiff_t)0);
	if (!cJSON_IsObject(o)) {
		JERR(e, "not a JSON object");
		goto out;
	}
	if (get_head(o, &nf, e) == -1)
		goto out;
	model_alloc(m, nf);
	if (get_body(o, m, e) == -1) {
		logit_release(m);
		goto out;
	}
	rv = 0;
out:
	cJSON_Delete(o);
	return rv;
}
