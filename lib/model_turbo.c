/*
 * model_turbo.c: the turbo signal model for perpetuals.  Five signals per
 * symbol and side, from the bar's indicators and the symbol's latest
 * quote: order-flow imbalance, VWAP deviation, acceleration, funding
 * (crowded positioning) and Ornstein-Uhlenbeck drift.  Tier A is
 * a_tier_min of them with OFI and OU drift among them; tier B is exactly
 * those two (gate-risk lets B trade only in the micro balance tier).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"

enum { S_OFI, S_VWAP, S_ACCEL, S_FUNDING, S_OU, NSIG };

static const char *const signame[NSIG] = {
	"ofi", "vwap", "accel", "funding", "ou_drift"
};

/* The latest quote values of one symbol. */
struct tquote {
	char		 symbol[REC_SYM];
	int64_t		 ts;
	double		 ofi, accel, funding;
};

struct turbo {
	struct cfg_strategy	 s;
	struct tquote		*q;
	size_t			 n, cap;
};

/* What was observed on one bar, and what fired for one side. */
struct obs {
	double		 v[NSIG];	/* NAN: not known */
	double		 ou_z;
	int		 fired[NSIG];
	int		 n;
};

static struct tquote *
quote_of(struct turbo *k, const char *symbol, int make)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->q[i].symbol, symbol) == 0)
			return &k->q[i];
	if (!make)
		return NULL;
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 16;
		k->q = xrealloc(k->q, k->cap * sizeof(*k->q));
	}
	memset(&k->q[k->n], 0, sizeof(k->q[k->n]));
	sk_strlcpy(k->q[k->n].symbol, symbol, REC_SYM);
	k->q[k->n].ofi = k->q[k->n].accel = k->q[k->n].funding = NAN;
	return &k->q[k->n++];
}

static int
turbo_see(void *self, const struct rec *r, struct sk_err *e)
{
	struct turbo *k = self;
	struct tquote *q;
	double f;

	(void)e;
	if (r->type != REC_QUOTE)
		return 0;
	q = quote_of(k, r->u.quote.symbol, 1);
	q->ts = r->u.quote.ts;
	q->ofi = ind_get(&r->u.quote.ind, "ofi_net");
	q->accel = ind_get(&r->u.quote.ind, "accel");
	f = ind_get(&r->u.quote.ind, "funding_rate");
	if (!isnan(f))
		q->funding = f;
	return 0;
}

/*
 * The five values at the close of b: the bar's own, and the quote's
 * while it is no later than the close and at most quote_age old.
 */
static void
observe(struct turbo *k, const struct bar *b, struct obs *o)
{
	const struct tquote *q = quote_of(k, b->symbol, 0);
	int64_t end = b->ts + b->tf_ms;
	int fresh;

	fresh = q != NULL && q->ts <= end &&
	    q->ts >= end - (int64_t)k->s.quote_age * 1000;
	o->v[S_OFI] = fresh ? q->ofi : NAN;
	o->v[S_ACCEL] = fresh ? q->accel : NAN;
	o->v[S_VWAP] = ind_get(&b->ind, "vwap_dist_sd");
	o->v[S_FUNDING] = ind_get(&b->ind, "funding_rate");
	if (isnan(o->v[S_FUNDING]) && q != NULL)
		o->v[S_FUNDING] = q->funding;
	o->v[S_OU] = ind_get(&b->ind, "ou_drift");
	o->ou_z = ind_get(&b->ind, "ou_z");
}

/* Which of the five fire for side d (+1, -1); NAN never fires. */
static void
fire(const struct cfg_strategy *s, struct obs *o, int d)
{
	o->fired[S_OFI] = d * o->v[S_OFI] >= s->ofi_min;
	o->fired[S_VWAP] = -d * o->v[S_VWAP] >= s->vwap_sd_min;
	o->fired[S_ACCEL] = d * o->v[S_ACCEL] > s->accel_min;
	o->fired[S_FUNDING] = -d * o->v[S_FUNDING] >= s->funding_min;
	o->fired[S_OU] = o->v[S_OU] == d;
	o->n = o->fired[0] + o->fired[1] + o->fired[2] + o->fired[3] +
	    o->fired[4];
}

/* "A", "B" or NULL: the tier of what fired. */
static const char *
tier_of(const struct cfg_strategy *s, const struct obs *o)
{
	if (!o->fired[S_OFI] || !o->fired[S_OU])
		return NULL;
	if (o->n >= s->a_tier_min)
		return "A";
	return o->n == 2 ? "B" : NULL;
}

/* One reason per signal: the value seen, the test, and its result. */
static void
explain(const struct cfg_strategy *s, const struct obs *o, int d,
    struct rank_call *c)
{
	static const char *const shown[NSIG] = {
		"ofi_net", "vwap_dist_sd", "accel", "funding_rate", "ou_drift"
	};
	char test[64], val[32];
	int i;

	for (i = 0; i < NSIG; i++) {
		switch (i) {
		case S_OFI:
			snprintf(test, sizeof(test), "%s %g", d > 0 ? ">=" :
			    "<=", d * s->ofi_min + 0.0);
			break;
		case S_VWAP:
			snprintf(test, sizeof(test), "%s %g", d > 0 ? "<=" :
			    ">=", -d * s->vwap_sd_min + 0.0);
			break;
		case S_ACCEL:
			snprintf(test, sizeof(test), "%s %g", d > 0 ? ">" :
			    "<", d * s->accel_min + 0.0);
			break;
		case S_FUNDING:
			snprintf(test, sizeof(test), "%s %g", d > 0 ? "<=" :
			    ">=", -d * s->funding_min + 0.0);
			break;
		default:
			snprintf(test, sizeof(test), "= %d (ou_z %.3g)", d,
			    o->ou_z);
			break;
		}
		if (isnan(o->v[i]))
			snprintf(val, sizeof(val), "unknown");
		else
			snprintf(val, sizeof(val), "%.4g", o->v[i]);
		rank_reason(c, "%s: %s %s, needs %s: %s", signame[i],
		    shown[i], val, test, o->fired[i] ? "fired" : "not fired");
	}
}

static int
turbo_bar(void *self, const struct bar *b, struct rank_call *c,
    struct sk_err *e)
{
	struct turbo *k = self;
	struct obs o;
	const char *tier = NULL;
	char list[64];
	size_t n;
	int d, i;

	(void)e;
	observe(k, b, &o);
	/* OFI cannot fire both ways: at most one side has a tier. */
	for (d = 1; d >= -1; d -= 2) {
		fire(&k->s, &o, d);
		tier = tier_of(&k->s, &o);
		if (tier != NULL && !(d < 0 && k->s.long_only))
			break;
		tier = NULL;
	}
	if (tier == NULL)
		return 0;
	c->side = d;
	sk_strlcpy(c->tier, tier, sizeof(c->tier));
	c->score = *tier == 'A' ? 100.0 * o.n / NSIG : 40;
	/* The five names fit list whole: no truncation to check. */
	list[0] = '\0';
	for (i = 0, n = 0; i < NSIG; i++)
		if (o.fired[i])
			n += (size_t)snprintf(list + n, sizeof(list) - n,
			    "%s%s", n > 0 ? ", " : "", signame[i]);
	rank_reason(c, "tier %s: %d of 5 fired for a %s (%s)", tier, o.n,
	    d > 0 ? "long" : "short", list);
	explain(&k->s, &o, d, c);
	return 0;
}

static int
turbo_new(void **self, const struct config *c, struct journal *j,
    struct sk_err *e)
{
	struct turbo *k;

	(void)j;
	(void)e;
	k = xcalloc(1, sizeof(*k));
	k->s = c->strategy;
	*self = k;
	return 0;
}

static void
turbo_free(void *self)
{
	struct turbo *k = self;

	free(k->q);
	free(k);
}

const struct rank_model model_turbo = {
	.name = "turbo",
	.mask = REC_MASK(REC_QUOTE),
	.new = turbo_new,
	.see = turbo_see,
	.bar = turbo_bar,
	.free = turbo_free
};
