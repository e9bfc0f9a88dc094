/*
 * quality.h: gate-risk's view of each symbol's market, the quality
 * gates over it (spread, quote age, liquidity, IV percentile, ATR and
 * range), the fee and EV rules, and balance tiers.  Pure: the stage
 * feeds it records and asks.
 */
#ifndef QUALITY_H
#define QUALITY_H

#include <stdint.h>

#include "config.h"
#include "rec.h"

/*
 * What gate-risk last saw of one symbol.  Values a record did not carry
 * are NAN (times TS_UNSET); a newer record replaces what it carries.
 */
struct mview {
	char		 symbol[REC_SYM];
	int64_t		 quote_ts;
	double		 bid, ask;
	int64_t		 bar_ts;	/* open of the latest bar */
	double		 close, volume;
	double		 atr, sess_high, sess_low;	/* from its ind */
	double		 iv_pct, oi;	/* the quote's, else the bar's */
	double		 iv_rank, adv;	/* likewise */
};

struct mviews {
	struct mview	*v;
	size_t		 n, cap;
};

/* The view of symbol, made (all unset) if new. */
struct mview	*mview_get(struct mviews *, const char *);
const struct mview *mview_find(const struct mviews *, const char *);
/*
 * A bar: its time, close and volume, and with ind set the values its
 * indicators carry (a few lookups by name; a stage whose gates read
 * none of them passes 0).
 */
void	 mview_bar(struct mviews *, const struct bar *, int);
void	 mview_quote(struct mviews *, const struct quote *);
void	 mviews_release(struct mviews *);

/* The quality limits in force for one signal: tier and session. */
struct quality {
	double		 max_spread, max_spread_pct;	/* 0: off */
	int64_t		 quote_max_age;		/* ms; 0: off */
	double		 min_volume, min_oi;
	double		 iv_min, iv_max;	/* 0 and 100: off */
	double		 min_atr_pct, min_range_pct;
};

/*
 * The limits of k softened by factor f (>= 1: wider spreads and older
 * quotes, smaller minimums) and with the spread limits times asia when
 * the signal falls in k's asia windows (the caller says, as in_asia).
 */
void	 quality_limits(struct quality *, const struct cfg_risk *, double,
	    int);

/*
 * The quality gates for a signal at now on view v (NULL: nothing seen
 * of the symbol).  Returns 1 with r filled if one refuses, else 0.
 */
int	 quality_check(const struct quality *, const struct mview *, int64_t,
	    struct reject *);

/*
 * Fee protection: refuses (1, r filled) when fees > 0 and the profit
 * at the target is under k times them; k 0 is off.
 */
int	 fee_check(double, double, double, struct reject *);

/*
 * The EV guard: p * win - (1 - p) * loss - fees must be at least min;
 * a NAN or out-of-range p refuses.  Returns 1 with r filled, or 0.
 */
int	 ev_check(double, double, double, double, double, struct reject *);

/*
 * Balance tiers: the tier of equity under bounds (0 below the first
 * bound; n with n bounds at or under it), and a tiered key's value in
 * tier t (base when the list is empty, its last value past its end).
 */
int	 tier_of(const struct cfg_tiers *, double);
double	 tier_value(const struct cfg_tiers *, int, double);

/*
 * Fill r as a refusal by gate with its threshold, what was observed
 * and a reason; returns 1 (refused), for "return gate_refuse(...)".
 */
int	 gate_refuse(struct reject *, const char *, double, double,
	    const char *, ...) SK_PRINTF(5, 6);

#endif
