/*
 * calc.h: the calc-indicators stage.  It enriches "bar", "quote" and
 * "funding" records with streaming indicators (lib/ind.h, vwap.h,
 * micro.h, ou.h, mtf.h, structure.h), per symbol and feed, and passes
 * every other record through untouched.  calc-indicators(1) defines
 * every name it writes.
 */
#ifndef CALC_H
#define CALC_H

#include "config.h"
#include "journal.h"
#include "sk.h"
#include "stage.h"

/* The stage name, which is also its key in the journal's stage_state. */
#define CALC_STAGE	"calc-indicators"

/*
 * The default set of indicators, named from the strategy periods of
 * cfg (fast_short/fast_long, macro_short/macro_long on macro_tf bars,
 * vol_window), e.g. for the ema-cloud profile:
 *   ema5 ema12 cloud5_12 flip5_12 ema34_10m ema50_10m n_10m
 *   vol_sum20 vol_avg20 vol_sma20
 * calc_stage_new() computes the profile's [strategy] indicators list
 * (that set when it says "default"); calc_stage_new_list() takes a
 * comma-separated list instead: any name of calc-indicators(1),
 * "default" for the set above, "all" for every named indicator, and
 * emaN, smaN, atrN, rsiN and cloudA_B for any periods.
 *
 * Local dates and minutes for the macro buckets are in
 * cfg->market.timezone.  If j is not NULL, the state of each symbol
 * and time frame is read from the journal the first time one of its
 * bars arrives, and saved by finish(); bars at or before the saved last
 * ts, before any later bar, pass through unchanged ("already seen");
 * quotes and funding records may share an instant, so only those
 * before the saved one are already seen.
 * j is borrowed and must outlive the stage.
 *
 * On success *sp is a stage that stage_free() frees, and 0 is
 * returned.  Otherwise -1 with e filled: SK_USAGE for an unknown name
 * in the list, SK_DATA for periods out of range, SK_IO if the time
 * zone cannot be loaded.
 */
int	 calc_stage_new(struct stage **, const struct config *,
	    struct journal *, struct sk_err *);
int	 calc_stage_new_list(struct stage **, const struct config *,
	    const char *, struct journal *, struct sk_err *);

/*
 * Counts of a stage made by calc_stage_new*(), for -v: bars enriched
 * (also what stage_acted() returns) and bars passed through as already
 * seen.
 */
long	 calc_stage_enriched(const struct stage *);
long	 calc_stage_seen(const struct stage *);

/*
 * The saved state of one symbol and time frame, as calc stores it in
 * the journal: calc_state_save() returns a JSON text that the caller
 * frees, or NULL if the stage has not seen that key ("SPY/1m");
 * calc_state_load() puts json in place of the key's state, as if it had
 * been read from the journal: 0, or -1 with e filled (SK_DATA).  For
 * tests and for tools that move state between journals.
 */
char	*calc_state_save(const struct stage *, const char *);
int	 calc_state_load(struct stage *, const char *, const char *,
	    struct sk_err *);

#endif
