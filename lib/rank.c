/*
 * rank.c: signal models.  ema-cloud: the fast cloud flips on this bar,
 * the last closed macro bar agrees, and volume beats a multiple of the
 * mean of the previous bars.  Conviction grows with the volume ratio
 * and the width of the macro cloud.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "rank.h"

struct rank {
	const struct config	*cfg;
	char			 flip[32], e_s[32], e_l[32], vsum[32];
	long			 nsig;
};

/* Names as calc-indicators builds them from the same periods. */
static void
names(struct rank *k)
{
	const struct cfg_strategy *s = &k->cfg->strategy;

	snprintf(k->flip, sizeof(k->flip), "flip%d_%d", s->fast_short,
	    s->fast_long);
	snprintf(k->e_s, sizeof(k->e_s), "ema%d_%s", s->macro_short,
	    s->macro_tf);
	snprintf(k->e_l, sizeof(k->e_l), "ema%d_%s", s->macro_long,
	    s->macro_tf);
	snprintf(k->vsum, sizeof(k->vsum), "vol_sum%d", s->vol_window);
}

static int
model(const struct rank *k, const struct bar *b, double *score)
{
	const struct cfg_strategy *s = &k->cfg->strategy;
	double flip, ms, ml, sum, lhs, rhs;
	int macro;

	*score = 0;
	flip = ind_get(&b->ind, k->flip);
	if (isnan(flip) || flip == 0)
		return 0;
	ms = ind_get(&b->ind, k->e_s);
	ml = ind_get(&b->ind, k->e_l);
	if (isnan(ms) || isnan(ml))
		macro = s->require_macro ? 2 : 0;	/* 2: not yet known */
	else
		macro = ms > ml ? 1 : ms < ml ? -1 : 0;
	if (macro == 2 || (s->require_macro && macro != (int)flip))
		return 0;
	sum = ind_get(&b->ind, k->vsum);
	if (isnan(sum))
		return 0;
	/*
	 * v > mult x sum / n, written v x n x den > num x sum.  Share
	 * volumes are whole numbers and these products stay far below
	 * 2^53, so the doubles hold them exactly: no rounding decides.
	 * Fractional (crypto) volumes compare as rounded doubles.
	 */
	lhs = b->v * s->vol_window * (double)s->vol_mult_den;
	rhs = sum * (double)s->vol_mult_num;
	if (!(lhs > rhs))
		return 0;
	if (flip < 0 && s->long_only)
		return 0;
	/* Conviction 50..100: the volume multiple over the threshold. */
	*score = 50 + fmin(50, 25 * (lhs / (rhs > 0 ? rhs : 1) - 1));
	return (int)flip;
}

int
rank_ema_cloud(const struct cfg_strategy *s, const struct bar *b,
    double *score)
{
	struct config c;
	struct rank k;

	memset(&c, 0, sizeof(c));
	c.strategy = *s;
	k.cfg = &c;
	names(&k);
	return model(&k, b, score);
}

/* Whether the profile trades symbol: its list names it, or is "*". */
static int
listed(const char *list, const char *symbol)
{
	size_t n = strlen(symbol);
	const char *p = list;

	if (strcmp(list, "*") == 0)
		return 1;
	while ((p = strstr(p, symbol)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[n] == ',' ||
		    p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
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

static int
rank_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct rank *k = self;
	const struct bar *b;
	struct signal *s;
	struct rec sr;
	char ts[CLOCK_TSLEN];
	double score, vsum;
	int side;

	if (r->type != REC_BAR || !listed(k->cfg->strategy.symbols,
	    r->u.bar.symbol))
		return emit(out, r, e);
	b = &r->u.bar;
	side = model(k, b, &score);
	vsum = ind_get(&b->ind, k->vsum);
	if (emit(out, r, e) == -1)
		return -1;
	if (side == 0)
		return 0;
	rec_init(&sr, REC_SIGNAL);
	s = &sr.u.sig;
	s->ts = b->ts + b->tf_ms;
	s->bar_ts = b->ts;
	sk_strlcpy(s->symbol, b->symbol, sizeof(s->symbol));
	sk_strlcpy(s->strategy, k->cfg->strategy.name, sizeof(s->strategy));
	sk_strlcpy(s->side, side > 0 ? "long" : "short", sizeof(s->side));
	compact_ts(b->ts, ts);
	snprintf(s->id, sizeof(s->id), "%.23s/%.23s/%.20s/%.5s", s->strategy,
	    s->symbol, ts, s->side);
	sk_strlcpy(s->tier, "A", sizeof(s->tier));
	s->score = round(score * 100) / 100;
	s->price = b->c;
	snprintf(s->reasons[0], REC_TEXT, "ema%d/%d cloud flipped %s",
	    k->cfg->strategy.fast_short, k->cfg->strategy.fast_long,
	    side > 0 ? "bullish" : "bearish");
	snprintf(s->reasons[1], REC_TEXT, "%s ema%d/%d cloud %s",
	    k->cfg->strategy.macro_tf, k->cfg->strategy.macro_short,
	    k->cfg->strategy.macro_long, side > 0 ? "bullish" : "bearish");
	snprintf(s->reasons[2], REC_TEXT, "volume %.0f is %.2fx the "
	    "%d-bar mean", b->v, b->v * k->cfg->strategy.vol_window /
	    (vsum > 0 ? vsum : 1), k->cfg->strategy.vol_window);
	s->nreasons = 3;
	k->nsig++;
	return emit(out, &sr, e);
}

static int
rank_finish(void *self, const struct emit *out, struct sk_err *e)
{
	(void)self;
	(void)out;
	(void)e;
	return 0;
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
	free(self);
}

int
rank_stage_new(struct stage **sp, const struct config *c, struct sk_err *e)
{
	struct rank *k;
	struct stage *st;

	if (strcmp(c->strategy.model, "ema-cloud") != 0)
		return sk_errf(e, SK_DATA, "profile %s: unknown signal model "
		    "'%s'", c->strategy.name, c->strategy.model);
	k = xcalloc(1, sizeof(*k));
	k->cfg = c;
	names(k);
	st = xcalloc(1, sizeof(*st));
	st->name = "rank-signals";
	st->mask = REC_MASK(REC_BAR);
	st->self = k;
	st->take = rank_take;
	st->finish = rank_finish;
	st->free = rank_free;
	st->acted = rank_acted;
	*sp = st;
	return 0;
}
