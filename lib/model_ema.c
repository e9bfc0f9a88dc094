/*
 * model_ema.c: the ema-cloud signal model.  The fast cloud flips on this
 * bar, the last closed macro bar agrees, and volume beats a multiple of
 * the mean of the previous bars.  Conviction grows with the volume ratio.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"

struct ema {
	struct cfg_strategy	 s;
	char			 flip[32], e_s[32], e_l[32], vsum[32];
};

/* Names as calc-indicators builds them from the same periods. */
static void
names(struct ema *k)
{
	const struct cfg_strategy *s = &k->s;

	snprintf(k->flip, sizeof(k->flip), "flip%d_%d", s->fast_short,
	    s->fast_long);
	snprintf(k->e_s, sizeof(k->e_s), "ema%d_%s", s->macro_short,
	    s->macro_tf);
	snprintf(k->e_l, sizeof(k->e_l), "ema%d_%s", s->macro_long,
	    s->macro_tf);
	snprintf(k->vsum, sizeof(k->vsum), "vol_sum%d", s->vol_window);
}

static int
model(const struct ema *k, const struct bar *b, double *score)
{
	const struct cfg_strategy *s = &k->s;
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
	struct ema k;

	k.s = *s;
	names(&k);
	return model(&k, b, score);
}

static int
ema_new(void **self, const struct config *c, struct journal *j,
    struct sk_err *e)
{
	struct ema *k;

	(void)j;
	(void)e;
	k = xcalloc(1, sizeof(*k));
	k->s = c->strategy;
	names(k);
	*self = k;
	return 0;
}

static int
ema_bar(void *self, const struct bar *b, struct rank_call *c,
    struct sk_err *e)
{
	const struct ema *k = self;
	const struct cfg_strategy *s = &k->s;
	double vsum;

	(void)e;
	c->side = model(k, b, &c->score);
	if (c->side == 0)
		return 0;
	vsum = ind_get(&b->ind, k->vsum);
	sk_strlcpy(c->tier, "A", sizeof(c->tier));
	rank_reason(c, "ema%d/%d cloud flipped %s", s->fast_short,
	    s->fast_long, c->side > 0 ? "bullish" : "bearish");
	rank_reason(c, "%s ema%d/%d cloud %s", s->macro_tf, s->macro_short,
	    s->macro_long, c->side > 0 ? "bullish" : "bearish");
	rank_reason(c, "volume %.0f is %.2fx the %d-bar mean", b->v,
	    b->v * s->vol_window / (vsum > 0 ? vsum : 1), s->vol_window);
	return 0;
}

const struct rank_model model_ema_cloud = {
	.name = "ema-cloud",
	.new = ema_new,
	.bar = ema_bar,
	.free = free
};
