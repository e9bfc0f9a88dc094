/*
 * paper.h: the paper broker's book: open orders and positions, and the
 * rules by which a bar fills them.  Pure: no I/O, no clock.  Every stage
 * that must know positions (watch-exits, gate-risk, place-order) runs
 * its own copy over the same records, so all of them agree on what is
 * open at each bar without reading each other's writes mid-cycle.
 *
 * Fill rules, per bar of the order's symbol, in order of arrival:
 *   1. at the open: market orders active at or before the bar's start
 *      fill at the open, unless the bar starts at or after the order's
 *      expiry (then it expires);
 *   2. inside the bar: a stop fills when the bar trades through it, at
 *      the open if the bar opened beyond it, else at the stop; a limit
 *      likewise at the open or the limit.
 * A closing order for a position that is not open is rejected.
 */
#ifndef PAPER_H
#define PAPER_H

#include <stdint.h>

#include "rec.h"
#include "sk.h"

struct fees {
	double		 per_share;
	double		 per_order;
};

/*
 * A set of ids (intent or signal ids): open addressing over FNV-1a,
 * zero-filled to start; idset_release() frees it.
 */
struct idset {
	struct {
		uint64_t	 h;		/* 0: empty slot */
		char		 id[REC_ID];
	}		*slot;
	size_t		 n, cap;	/* cap a power of two, or 0 */
};

/* Add id: 1 if it was new, 0 if it was there already. */
int	 idset_add(struct idset *, const char *);
int	 idset_has(const struct idset *, const char *);
void	 idset_release(struct idset *);

struct position {
	char		 id[REC_ID];	/* the opening order's intent_id */
	char		 symbol[REC_SYM];
	char		 strategy[REC_WORD];
	char		 signal_id[REC_ID];
	int		 dir;		/* +1 long, -1 short */
	double		 qty;
	double		 entry_price;
	double		 entry_fee;
	int64_t		 entry_ts;
	int		 closing;	/* a closing order is pending */
};

/* What a bar did to an order. */
enum book_what { BOOK_FILL, BOOK_EXPIRE, BOOK_REJECT };

struct book_event {
	enum book_what	 what;
	const struct order *ord;	/* borrowed, for the callback only */
	int64_t		 ts;		/* bar start (fills at the open) */
	double		 price, fee;
	/* For a closing fill: the position as it was, and its P&L. */
	const struct position *pos;
	double		 pnl;		/* gross, before fees */
	const char	*why;		/* for expire and reject */
};

struct book {
	struct position	*pos;
	size_t		 npos, cappos;
	struct order	*ord;		/* pending, in arrival order */
	size_t		 nord, capord;
	struct fees	 fees;
	/* Ids of orders already taken: a replayed order is not doubled. */
	struct idset	 seen;
};

typedef void	 book_cb(void *, const struct book_event *);

void	 book_init(struct book *, const struct fees *);
void	 book_release(struct book *);

/*
 * Take an order.  Returns 1 if added, 0 if its intent_id was seen
 * before (nothing changes).
 */
int	 book_order(struct book *, const struct order *);

/* Add an open position as the journal knows it (loading). */
void	 book_position(struct book *, const struct position *);

/*
 * Apply the rules to bar b.  book_open() does step 1 only and
 * book_intrabar() step 2; book_bar() both.  cb (may be NULL) hears
 * every fill, expiry and rejection, after the book has changed.
 */
void	 book_open(struct book *, const struct bar *, book_cb *, void *);
void	 book_intrabar(struct book *, const struct bar *, book_cb *, void *);
void	 book_bar(struct book *, const struct bar *, book_cb *, void *);

/*
 * Close every open position of symbol at price (end of a backtest);
 * pending orders of symbol are cancelled (BOOK_EXPIRE, why "end").
 * Closing fills name reason "end".
 */
void	 book_liquidate(struct book *, const char *, int64_t, double,
	    book_cb *, void *);

/*
 * The order that closes position p, active from ts: order_type type
 * ("market", "stop" at px, "limit" at px) and reason; every field but
 * intent_id, which the caller names.  book_end_order() is the one that
 * book_liquidate() fills, intent_id "<position id>.end" included, so a
 * caller can journal it first.
 */
void	 book_close_order(struct order *, const struct position *, int64_t,
	    const char *, double, const char *);
void	 book_end_order(struct order *, const struct position *, int64_t);

/* Lookups; borrowed pointers valid until the book next changes. */
const struct position *book_find(const struct book *, const char *);
size_t	 book_open_count(const struct book *, const char *);
size_t	 book_pending_entries(const struct book *, const char *);

/* Fee of a fill of qty shares under f. */
double	 fees_of(const struct fees *, double);

#endif
