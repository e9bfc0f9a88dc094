/*
 * settle.h: the reconcile-settlement stage.  Passes every record
 * through, noting the newest "ts" as the data's "now"; at the end it
 * reconciles the journal for that day: the opening deposit, intents
 * that never got a broker answer (found and resolved, each reported as
 * a "discrepancy"), differences from the broker's report in the input
 * ("account", "position" and "fill" records: discrepancies, neither side
 * changed), settled and unsettled cash from the ledger (a
 * "settlement" record, in cents), and the day's "summary" record.
 */
#ifndef SETTLE_H
#define SETTLE_H

#include <stdint.h>

#include "config.h"
#include "journal.h"
#include "stage.h"

struct settle_opts {
	int64_t		 day;		/* local trade date; INT64_MIN: data */
};

int	 settle_stage_new(struct stage **, const struct config *,
	    struct journal *, const struct settle_opts *, struct sk_err *);

#endif
