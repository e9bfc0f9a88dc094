/*
 * pick.h: the pick-contract stage.  Between rank-signals and gate-risk:
 * a "signal" on an underlying becomes a signal on what the profile's
 * [instrument] mode trades, or a "reject" (journaled, as gate-risk
 * journals its own) naming why nothing fits.
 *
 *   underlying  the signal passes unchanged;
 *   options     the best contract of the chain seen so far ("option"
 *               records): expiry first (today's, else the nearest
 *               after it when today has none or is past cutoff_0dte),
 *               then
 *               the delta band, spread, open interest, volume and
 *               premium range; a composite score picks among those that
 *               pass, and the greeks gate has the last word;
 *   etf         the map's bull fund for a long, its bear fund for a
 *               short, if liquid enough.
 *
 * The new signal is always a buy ("long") of the instrument, at its ask
 * (else its latest price), keeps the signal's id, and says in its
 * reasons what was picked from what and why.  Each option record also
 * goes on as a "quote" of its contract, so that gate-risk and the paper
 * broker see the contract's market.
 */
#ifndef PICK_H
#define PICK_H

#include "config.h"
#include "journal.h"
#include "stage.h"

struct pick_opts {
	/* With -v: told each losing candidate and why (may be NULL). */
	void		(*why)(void *, const char *);
	void		*arg;
};

/*
 * A new stage over config c (borrowed) and journal j (may be NULL: no
 * journal rows for refusals).  Loads the ETF map in etf mode.  0 or -1
 * with e filled.
 */
int	 pick_stage_new(struct stage **, const struct config *,
	    struct journal *, const struct pick_opts *, struct sk_err *);

/*
 * The composite score of a contract that passed the filters: 1 at the
 * delta target falling to 0 at the band's edge, plus 0.5 for a zero
 * spread falling to 0 at max_spread_pct, plus up to 0.25 for open
 * interest (log10 of it over 4, capped).  Pure; for tests.
 */
double	 pick_score(const struct cfg_instrument *, double, double, double);

#endif
