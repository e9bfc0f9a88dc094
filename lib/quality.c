/*
 * quality.c: the quality gates, fee protection, the EV guard and
 * balance tiers.  Every gate that needs a value it has not seen
 * refuses: it cannot decide, so it does not let the trade through.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quality.h"

int
gate_refuse(struct reject *r, const char *gate, double threshold,
    double observed, const char *fmt, ...)
{
	va_list ap;

	sk_strlcpy(r->gate, gate, sizeof(r->gate));
	r->threshold = threshold;
	r->observed = observed;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return 1;
}

const struct mview *
mview_find(const struct mviews *m, const char *symbol)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].symbol, symbol) == 0)
			return &m->v[i];
	return NULL;
}

struct mview *
mview_get(struct mviews *m, const char *symbol)
{
	struct mview *v;
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].symbol, symbol) == 0)
			return &m->v[i];
	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 8 : m->cap * 2;
		m->v = xrealloc(m->v, m->cap * sizeof(*m->v));
	}
	v = &m->v[m->n++];
	memset(v, 0, sizeof(*v));
	sk_strlcpy(v->symbol, symbol, sizeof(v->symbol));
	v->quote_ts = v->bar_ts = TS_UNSET;
	v->bid = v->ask = v->close = v->volume = NAN;
	v->atr = v->sess_high = v->sess_low = v->iv_pct = v->oi = NAN;
	v->iv_rank = v->adv = NAN;
	return v;
}

/* A value of ind, or keep what was there when ind does not have it. */
static void
take_ind(double *dst, const struct ind *ind, const char *name)
{
	double v = ind_get(ind, name);

	if (!isnan(v))
		*dst = v;
}

void
mview_bar(struct mviews *m, const struct bar *b, int ind)
{
	struct mview *v = mview_get(m, b->symbol);

	v->bar_ts = b->ts;
	v->close = b->c;
	v->volume = b->v;
	if (!ind)
		return;
	/* A bar's indicators describe that bar: stale ones go. */
	v->atr = ind_get(&b->ind, "atr");
	v->sess_high = ind_get(&b->ind, "sess_high");
	v->sess_low = ind_get(&b->ind, "sess_low");
	take_ind(&v->iv_pct, &b->ind, "iv_pct");
	take_ind(&v->oi, &b->ind, "oi");
	take_ind(&v->iv_rank, &b->ind, "iv_rank");
	take_ind(&v->adv, &b->ind, "adv");
}

void
mview_quote(struct mviews *m, const struct quote *q)
{
	struct mview *v = mview_get(m, q->symbol);

	v->quote_ts = q->ts;
	v->bid = q->bid;
	v->ask = q->ask;
	take_ind(&v->iv_pct, &q->ind, "iv_pct");
	take_ind(&v->oi, &q->ind, "oi");
	take_ind(&v->iv_rank, &q->ind, "iv_rank");
	take_ind(&v->adv, &q->ind, "adv");
}

void
mviews_release(struct mviews *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

void
quality_limits(struct quality *q, const struct cfg_risk *k, double f,
    int in_asia)
{
	double wide = f * (in_asia ? k->asia_spread_mult : 1);

	q->max_spread = k->max_spread * wide;
	q->max_spread_pct = k->max_spread_pct * wide;
	q->quote_max_age = (int64_t)llround(k->quote_max_age * 1000.0 * f);
	q->min_volume = k->min_volume / f;
	q->min_oi = k->min_open_interest / f;
	q->iv_min = k->iv_pct_min;
	q->iv_max = k->iv_pct_max;
	q->min_atr_pct = k->min_atr_pct / f;
	q->min_range_pct = k->min_range_pct / f;
}

static int
check_quote(const struct quality *q, const struct mview *v, int64_t now,
    struct reject *r)
{
	double spread, mid, pct, age;

	if (q->max_spread == 0 && q->max_spread_pct == 0 &&
	    q->quote_max_age == 0)
		return 0;
	if (v == NULL || v->quote_ts == TS_UNSET || isnan(v->bid) ||
	    isnan(v->ask))
		return gate_refuse(r, q->quote_max_age > 0 ? "quote_age" :
		    "quote", NAN, NAN, "no quote with a bid and an ask for "
		    "the symbol");
	age = (double)(now - v->quote_ts) / 1000;
	if (q->quote_max_age > 0 && now - v->quote_ts > q->quote_max_age)
		return gate_refuse(r, "quote_age",
		    (double)q->quote_max_age / 1000, age, "the latest quote "
		    "is %g s old (max %g s)", age,
		    (double)q->quote_max_age / 1000);
	spread = v->ask - v->bid;
	mid = (v->ask + v->bid) / 2;
	if (q->max_spread > 0 && spread > q->max_spread)
		return gate_refuse(r, "spread", q->max_spread, spread,
		    "spread %g exceeds %g", spread, q->max_spread);
	if (q->max_spread_pct == 0)
		return 0;
	if (!(mid > 0) || spread < 0)
		return gate_refuse(r, "spread", q->max_spread_pct, NAN,
		    "quote %g/%g has no usable mid", v->bid, v->ask);
	pct = spread * 100 / mid;
	if (pct > q->max_spread_pct)
		return gate_refuse(r, "spread", q->max_spread_pct, pct,
		    "spread %.4g %% of mid exceeds %g %%", pct,
		    q->max_spread_pct);
	return 0;
}

static int
check_market(const struct quality *q, const struct mview *v,
    struct reject *r)
{
	double close = v != NULL ? v->close : NAN, x;

	if (q->min_volume > 0 && !(v != NULL && v->volume >= q->min_volume))
		return gate_refuse(r, "liquidity", q->min_volume,
		    v != NULL ? v->volume : NAN, "bar volume %g is under %g",
		    v != NULL ? v->volume : NAN, q->min_volume);
	if (q->min_oi > 0 && !(v != NULL && v->oi >= q->min_oi))
		return gate_refuse(r, "liquidity", q->min_oi,
		    v != NULL ? v->oi : NAN, "open interest %g is under %g",
		    v != NULL ? v->oi : NAN, q->min_oi);
	if ((q->iv_min > 0 || q->iv_max < 100) && !(v != NULL &&
	    v->iv_pct >= q->iv_min && v->iv_pct <= q->iv_max))
		return gate_refuse(r, "iv_percentile", v != NULL &&
		    v->iv_pct > q->iv_max ? q->iv_max : q->iv_min,
		    v != NULL ? v->iv_pct : NAN, "IV percentile %g is "
		    "outside %g..%g", v != NULL ? v->iv_pct : NAN,
		    q->iv_min, q->iv_max);
	if (q->min_atr_pct > 0) {
		x = v != NULL && close > 0 ? v->atr * 100 / close : NAN;
		if (!(x >= q->min_atr_pct))
			return gate_refuse(r, "atr", q->min_atr_pct, x,
			    "ATR %.4g %% of the close is under %g %%", x,
			    q->min_atr_pct);
	}
	if (q->min_range_pct > 0) {
		x = v != NULL && close > 0 ?
		    (v->sess_high - v->sess_low) * 100 / close : NAN;
		if (!(x >= q->min_range_pct))
			return gate_refuse(r, "range", q->min_range_pct, x,
			    "session range %.4g %% of the close is under "
			    "%g %%", x, q->min_range_pct);
	}
	return 0;
}

int
quality_check(const struct quality *q, const struct mview *v, int64_t now,
    struct reject *r)
{
	return check_quote(q, v, now, r) || check_market(q, v, r);
}

int
fee_check(double k, double profit, double fees, struct reject *r)
{
	if (k == 0 || !(fees > 0))
		return 0;
	if (!(profit >= k * fees))
		return gate_refuse(r, "fee_protection", k * fees, profit,
		    "profit at the target %.2f is under %g x round-trip "
		    "fees %.2f", profit, k, fees);
	return 0;
}

int
ev_check(double min, double p, double win, double loss, double fees,
    struct reject *r)
{
	double ev;

	if (isnan(p))
		return gate_refuse(r, "ev", min, NAN, "no probability for "
		    "the EV guard");
	if (p < 0 || p > 1)
		return gate_refuse(r, "ev", min, NAN, "probability %g is not "
		    "within 0..1", p);
	ev = p * win - (1 - p) * loss - fees;
	if (ev < min)
		return gate_refuse(r, "ev", min, ev, "net expected value "
		    "%.2f (p %g, win %.2f, loss %.2f, fees %.2f) is under "
		    "%g", ev, p, win, loss, fees, min);
	return 0;
}

int
tier_of(const struct cfg_tiers *bounds, double equity)
{
	int t = 0;

	while (t < bounds->n && equity >= bounds->v[t])
		t++;
	return t;
}

double
tier_value(const struct cfg_tiers *list, int t, double base)
{
	if (list->n == 0)
		return base;
	return list->v[t < list->n ? t : list->n - 1];
}
