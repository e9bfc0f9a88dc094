/*
 * logit.h: binary logistic regression with an L2 penalty, fitted by
 * Newton's method on standardised features, for the direction model
 * (the probability that the underlying is higher N minutes from now).
 */
#ifndef LOGIT_H
#define LOGIT_H

#include <stddef.h>

#include "sk.h"

#define LOGIT_MAXF	64		/* most features a model may have */
#define LOGIT_VERSION	1		/* of the JSON form, logit_to_json() */
#define LOGIT_PMIN	1e-15		/* least probability in a log loss */

/*
 * Rows are n * nfeat doubles, row-major (row i is x + i * nfeat), with
 * n labels y[i] of 0 or 1.  Errors name a row by its index i, from 0.
 * lib/ drops nothing: a row with a NAN or infinite feature is an error,
 * and logit_row_finite() lets the caller find and drop such rows first.
 */

/*
 * A fitted model.  Features are standardised, z_j = (x_j - mean[j]) /
 * scale[j], and coef[] and intercept apply to z:
 *
 *	P(y = 1 | x) = 1 / (1 + exp(-(intercept + sum_j coef[j] z_j)))
 *
 * The arrays hold nfeat values each and, with the names, are owned by
 * the model: logit_release() frees them (not the struct itself).
 */
struct logit {
	size_t		 nfeat;
	char		**name;		/* nfeat NUL-terminated names */
	double		*mean;		/* training mean of each feature */
	double		*scale;		/* training std (population), > 0 */
	double		*coef;		/* on the standardised features */
	double		 intercept;	/* not penalised */
	double		 lambda;	/* the penalty it was fitted with */
	int		 iter;		/* Newton steps the fit took */
};

/*
 * How to fit.  The fit minimises the mean log loss over the n rows plus
 * (lambda / 2) * sum_j coef[j]^2 (the intercept is not penalised):
 *
 *	F = (1/n) sum_i [log(1 + e^eta_i) - y_i eta_i] + lambda/2 |coef|^2
 *
 * so lambda does not scale with n, and since the penalty applies to the
 * standardised coefficients the predictions do not change when a
 * feature is rescaled (x -> a x + c, a != 0), whatever lambda is.  The
 * fit has converged when the Euclidean norm of the gradient of F over
 * (intercept, coef) is at most tol and the Newton step from there (the
 * distance to the optimum that the quadratic model sees) is at most
 * sqrt(tol).
 */
struct logit_opts {
	double		 lambda;	/* >= 0 and finite */
	int		 maxiter;	/* Newton steps allowed, 1..10000 */
	double		 tol;		/* gradient norm, > 0 and finite */
};

/* Fill o with the defaults: lambda 0, maxiter 100, tol 1e-12. */
void	 logit_opts_default(struct logit_opts *);

/*
 * Metrics of probabilities p[i] against labels y[i].  A row counts as
 * predicted up when p > 0.5 (so p = 0.5 exactly is a prediction of 0).
 * auc is the Mann-Whitney statistic: the share of (1, 0) label pairs
 * whose 1 scores higher, a tie counting 1/2.  It is undefined, and NAN,
 * when npos or nneg is 0.  The log loss is the mean of -ln p (y = 1) or
 * -ln(1 - p) (y = 0); the Brier score the mean of (p - y)^2.
 */
struct logit_metrics {
	size_t		 n;		/* rows */
	size_t		 npos, nneg;	/* labels 1 and labels 0 */
	size_t		 tp, fp;	/* predicted 1: label 1, label 0 */
	size_t		 tn, fn;	/* predicted 0: label 0, label 1 */
	double		 logloss;
	double		 brier;
	double		 auc;		/* NAN with one class only */
	double		 accuracy;	/* (tp + tn) / n */
};

/* 1 if the nfeat values of row are all finite, else 0. */
int	 logit_row_finite(const double *, size_t);

/*
 * Learn the standardisation of n rows of nfeat features into mean[] and
 * scale[] (nfeat each, the caller's): the mean, and the population
 * standard deviation (divided by n).  A feature with zero variance (the
 * same value in every row) gets that value as its mean and scale 1, so
 * that it standardises to 0 exactly; logit_fit() then fixes its
 * coefficient at 0.  Returns 0, or -1 with e filled if n is 0, nfeat is
 * 0 or above LOGIT_MAXF, a row has a non-finite feature, or the values
 * are so large that the mean or the deviation overflows.
 */
int	 logit_standardize(const double *, size_t, size_t, double *,
	    double *, struct sk_err *);

/*
 * Fit m to the n rows x (nfeat features, named names[0..nfeat-1]) and
 * their labels y, with the options o (NULL for the defaults).  Names
 * must be non-empty and distinct; they are copied.  On success returns
 * 0 and m owns its arrays (logit_release()); m->iter is the number of
 * Newton steps.  Returns -1 with e filled (SK_DATA) and m emptied, with
 * nothing to release, when: an argument is out of range; a row has a
 * non-finite feature or a label other than 0 or 1 (the message names
 * the row); the rows hold one class only; the Hessian is singular
 * (collinear features with lambda 0); lambda is 0 and an iterate
 * separates the classes completely, so that no finite optimum exists;
 * or the fit has not converged in maxiter steps, which is also how
 * classes separated in part (quasi-complete separation) end with lambda
 * 0.  With lambda > 0 the optimum is finite and unique, even on
 * separable rows.
 */
int	 logit_fit(struct logit *, const double *, const int *, size_t,
	    size_t, const char *const *, const struct logit_opts *,
	    struct sk_err *);

/* Free what m owns and empty it; safe on an emptied model. */
void	 logit_release(struct logit *);

/*
 * The margin eta = intercept + sum_j coef[j] z_j of one row of m->nfeat
 * features, standardised with the stored mean and scale; NAN if a
 * feature is not finite.
 */
double	 logit_margin(const struct logit *, const double *);

/* P(y = 1) for one row: logit_sigmoid(logit_margin()); NAN likewise. */
double	 logit_prob(const struct logit *, const double *);

/*
 * 1 / (1 + e^-t) without overflow for any t: exactly 0 or 1 only where
 * the true value rounds there; NAN for NAN.
 */
double	 logit_sigmoid(double);

/*
 * The log loss of a margin t against label y (0 or 1): log(1 + e^-t)
 * for y = 1, log(1 + e^t) for y = 0, computed from t itself, so it is
 * finite for any finite t (the probability may round to 0 or 1, the loss
 * does not become infinite) and never below 0.
 */
double	 logit_loss(double, int);

/*
 * Metrics of n probabilities p against labels y, into the caller's
 * struct.  For the log loss the probability given to the label is taken
 * as at least LOGIT_PMIN, so that a certain miss costs -ln LOGIT_PMIN =
 * 34.5 and not infinity.  Returns 0, or -1 with e filled if n is 0, a
 * probability is outside [0, 1] (or NAN) or a label is not 0 or 1,
 * naming the row.
 */
int	 logit_score(const double *, const int *, size_t,
	    struct logit_metrics *, struct sk_err *);

/*
 * Metrics of a model on n rows x (nfeat of the model each) with labels
 * y, into the caller's struct.  As logit_score() on the probabilities,
 * except that the log loss is logit_loss() of the margins (exact, no
 * clamping) and the AUC ranks the margins, which separate rows whose
 * probabilities round to the same double.  Returns 0, or -1 with e
 * filled if n is 0, or a row has a non-finite feature or a label other
 * than 0 or 1, or features so far out that its margin overflows (the
 * row is named).
 */
int	 logit_eval(const struct logit *, const double *, const int *,
	    size_t, struct logit_metrics *, struct sk_err *);

/*
 * The model as one line of JSON, with every double in "%.17g" so that
 * logit_from_json() restores it bit for bit:
 *
 *	{"type":"logit","version":1,"features":["ret_1m","rsi"],
 *	 "mean":[...],"scale":[...],"coef":[...],"intercept":-0.01,
 *	 "lambda":0.001,"iterations":6}
 *
 * The four arrays are in feature order.  Returns the text, which the
 * caller frees with free(), or NULL with e filled if a value is not
 * finite or a scale not above 0 (no such model comes out of the fit).
 */
char	*logit_to_json(const struct logit *, struct sk_err *);

/*
 * Read a model written by logit_to_json() into m, which is overwritten
 * (release it first if it held one).  Returns 0 with m owning its
 * arrays, or -1 with e filled (SK_DATA) and m emptied if the text is
 * not one JSON object, or "type" is not "logit", or "version" is not
 * LOGIT_VERSION, or a field is missing or of the wrong kind, or the
 * arrays differ in length from "features" (or it is above LOGIT_MAXF),
 * or a name is empty or repeated, a number not finite, a scale not above
 * 0, lambda below 0, or iterations not a whole number >= 0.  Members it
 * does not know are ignored, so a file may carry notes of its own.
 */
int	 logit_from_json(struct logit *, const char *, struct sk_err *);

#endif
