/*
 * rank.c: the rank-signals stage.  It finds the profile's model in one
 * table, shows it the records of the symbols it trades, and turns what
 * it decides on a bar into a "signal" record after that bar.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "rank.h"

/* Every model, by the name [strategy] model gives. */
static const struct rank_model *const models[] = {
	&model_ema_cloud,
	&model_turbo,
	&model_momentum
};

struct rank {
	const struct config	*cfg;
	const struct rank_model	*m;
	void			*self;		/* the model's */
	long			 nsig;
	/* The last symbol looked up in strategy.symbols, and the answer:
	 * records come in long runs of one symbol. */
	char			 last[REC_SYM];
	int			 last_listed;
};

void
rank_reason(struct rank_call *c, const char *fmt, ...)
{
	va_list ap;

	if (c->nreasons == REC_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(c->reasons[c->nreasons++], REC_TEXT, fmt, ap);
	va_end(ap);
}

/* Whether the profile trades symbol: its list names it, or is "*". */
static int
listed(const char *list, const char *symbol)
{
	size_t n = strlen(symbol);
	const char *p = list;

	if (strcmp(list, "*") == 0)
		return 1;
	if (n == 0)		/* strstr would find "" forever */
		return 0;
	while ((p = strstr(p, symbol)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' ||
		    p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* The symbol of a decoded record the models may look at, or NULL. */
static const char *
symbol_of(const struct rec *r)
{
	if (!r->decoded)
		return NULL;
	switch (r->type) {
	case REC_BAR:
		return r->u.bar.symbol;
	case REC_QUOTE:
		return r->u.quote.symbol;
	case REC_FUNDING:
		return r->u.funding.symbol;
	default:
		return NULL;
	}
}

static void
compact_ts(int64_t ms, char *buf)
{
	char t[CLOCK_TSLEN];
	size_t i, n = 0;

	clock_format(ms, t);
	for (i = 0; t[i]; i++)
		if (t[i] != '-' && t[i] != ':')
			buf[n++] = t[i];
	buf[n] = '\0';
}

/* The signal record of call on bar b. */
static void
signal_of(const struct rank *k, const struct bar *b,
    const struct rank_call *c, struct rec *sr)
{
	struct signal *s;
	char ts[CLOCK_TSLEN];
	int i;

	rec_init(sr, REC_SIGNAL);
	s = &sr->u.sig;
	s->ts = b->ts + b->tf_ms;
	s->bar_ts = b->ts;
	sk_strlcpy(s->symbol, b->symbol, sizeof(s->symbol));
	sk_strlcpy(s->strategy, k->cfg->strategy.name, sizeof(s->strategy));
	sk_strlcpy(s->side, c->side > 0 ? "long" : "short", sizeof(s->side));
	compact_ts(b->ts, ts);
	snprintf(s->id, sizeof(s->id), "%.23s/%.23s/%.20s/%.5s", s->strategy,
	    s->symbol, ts, s->side);
	sk_strlcpy(s->tier, c->tier, sizeof(s->tier));
	s->score = round(c->score * 100) / 100;
	if (!isnan(c->prob))
		s->prob = round(c->prob * 10000) / 10000;
	s->price = b->c;
	for (i = 0; i < c->nreasons; i++)
		sk_strlcpy(s->reasons[i], c->reasons[i], REC_TEXT);
	s->nreasons = c->nreasons;
}

static int
rank_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct rank *k = self;
	struct rank_call call;
	struct rec sr;
	const char *sym = symbol_of(r);

	if (sym != NULL && strcmp(sym, k->last) != 0) {
		sk_strlcpy(k->last, sym, sizeof(k->last));
		k->last_listed = listed(k->cfg->strategy.symbols, sym);
	}
	if (sym == NULL || !k->last_listed)
		return emit(out, r, e);
	if (r->type != REC_BAR) {
		if (r->decoded && (k->m->mask & REC_MASK(r->type)) &&
		    k->m->see(k->self, r, e) == -1)
			return -1;
		return emit(out, r, e);
	}
	memset(&call, 0, sizeof(call));
	call.prob = NAN;
	if (k->m->bar(k->self, &r->u.bar, &call, e) == -1)
		return -1;
	/* The signal is built before the bar goes on: a later stage may
	 * change the bar in place. */
	if (call.side != 0)
		signal_of(k, &r->u.bar, &call, &sr);
	if (emit(out, r, e) == -1)
		return -1;
	if (call.side == 0)
		return 0;
	k->nsig++;
	return emit(out, &sr, e);
}

static int
rank_finish(void *self, const struct emit *out, struct sk_err *e)
{
	struct rank *k = self;

	(void)out;
	return k->m->save != NULL ? k->m->save(k->self, e) : 0;
}

static long
rank_acted(const void *self)
{
	const struct rank *k = self;

	return k->nsig;
}

static void
rank_free(void *self)
{
	struct rank *k = self;

	if (k == NULL)
		return;
	if (k->m != NULL && k->self != NULL)
		k->m->free(k->self);
	free(k);
}

static const struct rank_model *
model_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (strcmp(models[i]->name, name) == 0)
			return models[i];
	return NULL;
}

int
rank_stage_new(struct stage **sp, const struct config *c, struct sk_err *e)
{
	return rank_stage_open(sp, c, NULL, e);
}

int
rank_stage_open(struct stage **sp, const struct config *c,
    struct journal *j, struct sk_err *e)
{
	const struct rank_model *m;
	struct rank *k;
	struct stage *st;

	m = model_find(c->strategy.model);
	if (m == NULL)
		return sk_errf(e, SK_DATA, "profile %s: unknown signal model "
		    "'%s'", c->strategy.name, c->strategy.model);
	k = xcalloc(1, sizeof(*k));
	k->cfg = c;
	k->m = m;
	if (m->new(&k->self, c, j, e) == -1) {
		free(k);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	st->name = "rank-signals";
	st->mask = REC_MASK(REC_BAR) | m->mask;
	st->self = k;
	st->take = rank_take;
	st->finish = rank_finish;
	st->free = rank_free;
	st->acted = rank_acted;
	*sp = st;
	return 0;
}
