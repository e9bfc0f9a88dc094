/*
 * place.h: the place-order stage.  Every "order" is written to the
 * journal as an intent, with a client order id derived from its intent
 * id, before the broker hears of it; an intent already in the journal is
 * answered "duplicate" and never sent again.  The paper broker then
 * fills it against the bars that follow (paper.h) and every fill,
 * expiry and refusal is journaled and emitted as "fill" or "ack".
 */
#ifndef PLACE_H
#define PLACE_H

#include "config.h"
#include "journal.h"
#include "stage.h"

struct place_opts {
	int		 liquidate_at_end;	/* close at the last close */
};

/*
 * A new stage over config c (borrowed) and journal j (required: there
 * is no placing an order without a record of it).  Only the paper
 * broker exists so far; another broker name is refused (SK_USAGE).
 */
int	 place_stage_new(struct stage **, const struct config *,
	    struct journal *, const struct place_opts *, struct sk_err *);

/*
 * The client order id of an intent: "sk-" and 16 hex digits of its
 * FNV-1a hash, short enough for every broker (Bybit allows 36).
 * buf holds at least 20 bytes.
 */
void	 place_client_id(const char *, char *);

#endif
