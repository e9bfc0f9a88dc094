/*
 * model_momentum.c: the momentum signal model.  Triggers in priority
 * order, each confirmed by the bar's volume ratio: a momentum burst (the
 * latest quote's 30 s velocity), a VWAP rejection (touch and bounce), a
 * breakout of the previous bar's support or resistance.  At most one
 * signal per symbol every signal_gap seconds, and none while one is
 * still active; that state is saved in the journal when there is one.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "rank.h"

#define MOM_STAGE	"rank-signals"

struct msym {
	char		 symbol[REC_SYM];
	int64_t		 last;		/* ts of its last signal, or unset */
	double		 sup, res;	/* the previous bar's levels */
	int64_t		 qts;		/* the latest quote */
	double		 vel;
	int		 dirty;		/* to save */
};

struct momentum {
	struct cfg_strategy	 s;
	struct journal		*j;
	char			 vratio[32];
	struct msym		*m;
	size_t			 n, cap;
};

/* The saved state of one symbol: {"last":ms,"sup":x,"res":y}. */
static int
state_load(struct momentum *k, struct msym *y, struct sk_err *e)
{
	char key[96], *json = NULL;	/* name[32] / symbol[32] */
	cJSON *o, *v;

	snprintf(key, sizeof(key), "%s/%s", k->s.name, y->symbol);
	if (journal_state_get(k->j, MOM_STAGE, key, &json, e) == -1)
		return -1;
	if (json == NULL)
		return 0;
	o = cJSON_Parse(json);
	free(json);
	if (o == NULL)
		return sk_errf(e, SK_DATA, "journal: state %s: not valid JSON",
		    key);
	v = cJSON_GetObjectItemCaseSensitive(o, "last");
	if (cJSON_IsNumber(v))
		y->last = (int64_t)v->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(o, "sup");
	if (cJSON_IsNumber(v))
		y->sup = v->valuedouble;
	v = cJSON_GetObjectItemCaseSensitive(o, "res");
	if (cJSON_IsNumber(v))
		y->res = v->valuedouble;
	cJSON_Delete(o);
	return 0;
}

static struct msym *
sym_of(struct momentum *k, const char *symbol, int make, struct sk_err *e)
{
	struct msym *y;
	size_t i;

	for (i = 0; i < k->n; i++)
		if (strcmp(k->m[i].symbol, symbol) == 0)
			return &k->m[i];
	if (!make)
		return NULL;
	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 16;
		k->m = xrealloc(k->m, k->cap * sizeof(*k->m));
	}
	y = &k->m[k->n];
	memset(y, 0, sizeof(*y));
	sk_strlcpy(y->symbol, symbol, REC_SYM);
	y->last = TS_UNSET;
	y->sup = y->res = y->vel = NAN;
	y->qts = TS_UNSET;
	if (k->j != NULL && state_load(k, y, e) == -1)
		return NULL;
	k->n++;
	return y;
}

static int
momentum_see(void *self, const struct rec *r, struct sk_err *e)
{
	struct momentum *k = self;
	struct msym *y;

	if (r->type != REC_QUOTE)
		return 0;
	y = sym_of(k, r->u.quote.symbol, 1, e);
	if (y == NULL)
		return -1;
	y->qts = r->u.quote.ts;
	y->vel = ind_get(&r->u.quote.ind, "vel_30s");
	return 0;
}

enum { T_BURST, T_VWAP, T_BREAK };

static const char *const tname[] = { "burst", "vwap", "break" };

/* The first trigger, by priority, for side d; -1 for none. */
static int
trigger(const struct momentum *k, const struct msym *y,
    const struct bar *b, int d, struct rank_call *c)
{
	double vwap = ind_get(&b->ind, "vwap");
	int64_t end = b->ts + b->tf_ms;

	if (y->qts != TS_UNSET && y->qts <= end &&
	    y->qts >= end - (int64_t)k->s.quote_age * 1000 &&
	    d * y->vel >= k->s.burst_pct) {
		rank_reason(c, "trigger: momentum burst, vel_30s %.3g %% "
		    "(needs %s %g %%)", y->vel, d > 0 ? ">=" : "<=",
		    d * k->s.burst_pct);
		return T_BURST;
	}
	if (!isnan(vwap) && (d > 0 ? b->l <= vwap && b->c > vwap &&
	    b->c > b->o : b->h >= vwap && b->c < vwap && b->c < b->o)) {
		rank_reason(c, "trigger: VWAP rejection, %s %.6g touched "
		    "vwap %.6g and closed %s it at %.6g", d > 0 ? "low" :
		    "high", d > 0 ? b->l : b->h, vwap, d > 0 ? "above" :
		    "below", b->c);
		return T_VWAP;
	}
	if (d > 0 && !isnan(y->res) && b->c > y->res) {
		rank_reason(c, "trigger: breakout, close %.6g above "
		    "resistance %.6g", b->c, y->res);
		return T_BREAK;
	}
	if (d < 0 && !isnan(y->sup) && b->c < y->sup) {
		rank_reason(c, "trigger: breakdown, close %.6g below "
		    "support %.6g", b->c, y->sup);
		return T_BREAK;
	}
	return -1;
}

static int
momentum_bar(void *self, const struct bar *b, struct rank_call *c,
    struct sk_err *e)
{
	static const double base[] = { 80, 70, 60 };	/* by priority */
	struct momentum *k = self;
	struct msym *y;
	double ratio;
	int64_t end = b->ts + b->tf_ms;
	int d, t = -1;

	y = sym_of(k, b->symbol, 1, e);
	if (y == NULL)
		return -1;
	ratio = ind_get(&b->ind, k->vratio);
	if (ratio >= k->s.vol_confirm && (y->last == TS_UNSET ||
	    (end - y->last >= (int64_t)k->s.signal_gap * 1000 &&
	    end - y->last >= (int64_t)k->s.signal_active * 1000)))
		for (d = 1; d >= -1 && t < 0; d -= 2) {
			c->nreasons = 0;
			if (d > 0 || !k->s.long_only)
				t = trigger(k, y, b, d, c);
			if (t >= 0)
				c->side = d;
		}
	/* The levels this bar leaves are what the next one may break. */
	y->sup = ind_get(&b->ind, "support");
	y->res = ind_get(&b->ind, "resistance");
	y->dirty = 1;
	if (t < 0) {
		c->nreasons = 0;
		return 0;
	}
	sk_strlcpy(c->tier, tname[t], sizeof(c->tier));
	c->score = base[t] + fmin(20, 10 * (ratio - k->s.vol_confirm));
	rank_reason(c, "volume %.2fx the %d-bar mean (needs %g)", ratio,
	    k->s.vol_window, k->s.vol_confirm);
	rank_reason(c, "no signal on %s for %d s before it", b->symbol,
	    k->s.signal_active > k->s.signal_gap ? k->s.signal_active :
	    k->s.signal_gap);
	y->last = end;
	return 0;
}

/* A number, or null for an unset one. */
static size_t
num(char *buf, size_t n, const char *key, double v)
{
	if (isnan(v))
		return (size_t)snprintf(buf, n, "\"%s\":null", key);
	return (size_t)snprintf(buf, n, "\"%s\":%.17g", key, v);
}

/* {"last":ms,"sup":x,"res":y}, each null when unset; n is ample. */
static void
state_format(const struct msym *y, char *buf, size_t n)
{
	size_t o = 1;

	buf[0] = '{';
	o += num(buf + o, n - o, "last", y->last == TS_UNSET ? NAN :
	    (double)y->last);
	buf[o++] = ',';
	o += num(buf + o, n - o, "sup", y->sup);
	buf[o++] = ',';
	o += num(buf + o, n - o, "res", y->res);
	snprintf(buf + o, n - o, "}");
}

static int
momentum_save(void *self, struct sk_err *e)
{
	struct momentum *k = self;
	char key[96], buf[160];
	size_t i;

	if (k->j == NULL)
		return 0;
	if (journal_begin(k->j, e) == -1)
		return -1;
	for (i = 0; i < k->n; i++) {
		if (!k->m[i].dirty)
			continue;
		snprintf(key, sizeof(key), "%s/%s", k->s.name,
		    k->m[i].symbol);
		state_format(&k->m[i], buf, sizeof(buf));
		if (journal_state_put(k->j, MOM_STAGE, key, buf, e) == -1) {
			journal_rollback(k->j);
			return -1;
		}
	}
	return journal_commit(k->j, e);
}

static int
momentum_new(void **self, const struct config *c, struct journal *j,
    struct sk_err *e)
{
	struct momentum *k;

	(void)e;
	k = xcalloc(1, sizeof(*k));
	k->s = c->strategy;
	k->j = j;
	snprintf(k->vratio, sizeof(k->vratio), "vol_ratio%d",
	    c->strategy.vol_window);
	*self = k;
	return 0;
}

static void
momentum_free(void *self)
{
	struct momentum *k = self;

	free(k->m);
	free(k);
}

const struct rank_model model_momentum = {
	.name = "momentum",
	.mask = REC_MASK(REC_QUOTE),
	.new = momentum_new,
	.see = momentum_see,
	.bar = momentum_bar,
	.save = momentum_save,
	.free = momentum_free
};
