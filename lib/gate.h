/*
 * gate.h: the gate-risk stage.  Every "signal" becomes exactly one
 * "order" (approved, sized, with its reservation in the journal) or one
 * "reject" naming the gate, its threshold and what was observed.  A gate
 * that cannot decide refuses.
 */
#ifndef GATE_H
#define GATE_H

#include "config.h"
#include "journal.h"
#include "stage.h"

/*
 * A new stage over config c (borrowed) and journal j (may be NULL: no
 * journal rows, and the duplicate, daily and other account gates see
 * only this run).  With market.session "rth" it reads the market
 * calendar (config_calendar_path), and with risk.blackouts that event
 * file ("ts,kind,note" rows in time order).  Returns 0, or -1 with e
 * filled: SK_IO for a file, zone or journal that cannot be read,
 * SK_DATA and "file:line: reason" for a bad row.  stage_free() frees it.
 */
int	 gate_stage_new(struct stage **, const struct config *,
	    struct journal *, struct sk_err *);

#endif
