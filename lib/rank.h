/*
 * rank.h: the rank-signals stage.  Reads the indicators calc-indicators
 * put on each bar and, under the profile's signal model, emits "signal"
 * records after the bar that caused them.  Stateless across bars: the
 * flip and the macro state are indicators, so a cron cycle needs no
 * saved state here.
 */
#ifndef RANK_H
#define RANK_H

#include "config.h"
#include "stage.h"

/* A new stage over config c (borrowed).  0 or -1 with e filled. */
int	 rank_stage_new(struct stage **, const struct config *,
	    struct sk_err *);

/*
 * The EMA-cloud model on one bar: +1 long, -1 short, 0 none.  The
 * volume test is exact integer arithmetic on vol_sum<N>.  Pure.
 */
int	 rank_ema_cloud(const struct cfg_strategy *, const struct bar *,
	    double *);

#endif
