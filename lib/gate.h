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
 * journal rows, and the duplicate and daily gates see only this run).
 */
int	 gate_stage_new(struct stage **, const struct config *,
	    struct journal *, struct sk_err *);

#endif
