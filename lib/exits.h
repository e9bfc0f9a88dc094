/*
 * exits.h: the watch-exits stage.  Keeps a copy of the paper book (see
 * paper.h) and, on each bar, decides the exits of the open positions:
 * flat-by time or a new session at the open, stop and target inside the
 * bar (the stop first when both are touched), and the opposite fast
 * cloud flip at the close.  Exits go out as closing "order" records.
 */
#ifndef EXITS_H
#define EXITS_H

#include "config.h"
#include "journal.h"
#include "stage.h"

/*
 * A new stage over config c (borrowed for the stage's life) and journal
 * j (may be NULL: start with no positions).  0 or -1 with e filled.
 */
int	 exits_stage_new(struct stage **, const struct config *,
	    struct journal *, struct sk_err *);

#endif
