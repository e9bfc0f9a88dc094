/*
 * journal.h: the one SQLite file that holds what must outlive a
 * process: signals, decisions, orders (intent first), fills, positions,
 * the cash ledger, and the saved state of streaming stages.  WAL mode,
 * a busy timeout, foreign keys on, migrations by PRAGMA user_version.
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stdint.h>

#include "rec.h"
#include "sk.h"

struct sqlite3;
struct journal;

/*
 * Open (creating it and its directory if need be) and migrate the
 * journal at path.  *jp is freed by journal_close().  Returns 0, or -1
 * with e filled (SK_IO).
 */
int	 journal_open(struct journal **, const char *, struct sk_err *);
void	 journal_close(struct journal *);

/* The same for a journal that must exist already (SK_IO if not). */
int	 journal_open_existing(struct journal **, const char *,
	    struct sk_err *);

/* The SQLite handle, borrowed, for queries this API does not cover. */
struct sqlite3	*journal_db(struct journal *);

/* The schema version a fresh journal is migrated to. */
int	 journal_version(void);

/*
 * Transactions.  The outermost begin takes the write lock (BEGIN
 * IMMEDIATE); inner ones are savepoints.  Only the outermost commit
 * writes; rollback undoes the innermost level open (at depth 1, the
 * whole transaction).  0 or -1 with e filled.
 */
int	 journal_begin(struct journal *, struct sk_err *);
int	 journal_commit(struct journal *, struct sk_err *);
void	 journal_rollback(struct journal *);

/*
 * Saved state of a streaming stage, as JSON text, under (stage, key).
 * get sets *json to a malloc'd copy the caller frees, or NULL if there
 * is none; put replaces it.  0 or -1 with e filled.
 */
int	 journal_state_get(struct journal *, const char *, const char *,
	    char **, struct sk_err *);
int	 journal_state_put(struct journal *, const char *, const char *,
	    const char *, struct sk_err *);


struct book;
struct book_event;

/*
 * Load into b the open positions and the orders still working (intent,
 * sent, accepted) of broker.  0 or -1 with e filled.
 */
int	 journal_load_book(struct journal *, const char *, struct book *,
	    struct sk_err *);

/*
 * Orders of broker journaled since the last call (or since the journal
 * was opened), into b.  Cheap when nothing changed: it asks SQLite's
 * change counters first (this handle's, and outside a transaction
 * whether another connection committed).  This is how a stage upstream
 * of gate-risk learns of the entries approved downstream: in backtest
 * at the next bar, in a pipe as soon as place-order has committed them.
 */
int	 journal_sync_orders(struct journal *, const char *, struct book *,
	    struct sk_err *);

/*
 * Write an order's intent before anything is sent: status 'intent',
 * with client_order_id.  Returns 1 if written, 0 if the intent_id is
 * already in the journal (a replay: nothing is written), -1 on error.
 */
int	 journal_intent(struct journal *, const struct order *, const char *,
	    const char *, struct sk_err *);

/* Set an order's status (and broker id, reason) as of ts. */
int	 journal_order_status(struct journal *, const char *, const char *,
	    int64_t, const char *, const char *, struct sk_err *);

/*
 * Record what a bar did to an order (paper.h): the fill, the position
 * it opens or closes, and the cash it moves (settling on settle_day, a
 * day number).  trade_day is the fill's local date.  One transaction.
 * A part of an order adds to its fill row and position; the order stays
 * accepted until the last part.  A cancel sets status cancelled; a
 * funding payment is one ledger row (an adjustment, note "funding ID").
 */
int	 journal_book_event(struct journal *, const struct book_event *,
	    int64_t, int64_t, struct sk_err *);

/*
 * gate-risk's record of a decision on signal s: the signal, then the
 * verdict (reject r, or approval with intent_id and the cash reserved).
 * Returns 1, or 0 if s was decided before (nothing written), -1 on error.
 */
int	 journal_decision(struct journal *, const struct signal *,
	    const struct reject *, const char *, int64_t, int64_t,
	    struct sk_err *);

/*
 * Entries opened and net P&L realised (after fees) on local trade date
 * day, from closed and open positions; for the daily gates.
 */
int	 journal_day_stats(struct journal *, int64_t, long *, double *,
	    struct sk_err *);

/*
 * Cash in cents as of local date day: all of it, and what may be spent
 * in a cash account: money out counts at once, money in only once it
 * has settled (so unsettled proceeds cannot pay for a buy).
 */
int	 journal_cash(struct journal *, int64_t, int64_t *, int64_t *,
	    struct sk_err *);

/* Net P&L (after fees) of every closed position. */
int	 journal_realised(struct journal *, double *, struct sk_err *);

/* Number of orders in the journal. */
int	 journal_count_orders(struct journal *, int64_t *, struct sk_err *);

/* Record a difference between the journal and the broker. */
int	 journal_discrepancy(struct journal *, int64_t, const char *,
	    const char *, const char *, const char *, const char *,
	    struct sk_err *);

/* Store (replace) the summary record of trade date day. */
int	 journal_summary(struct journal *, const char *, int64_t,
	    const char *, struct sk_err *);

/*
 * The opening deposit of cents, written once (later calls do nothing),
 * dated day or the first movement's date, whichever is earlier.
 */
int	 journal_deposit(struct journal *, int64_t, int64_t, struct sk_err *);

/* Cash held by approved entries that have not filled or expired yet. */
int	 journal_reserved(struct journal *, int64_t *, struct sk_err *);

/*
 * Day trades (positions opened and closed on one trade date, and those
 * opened on last and still open) entered on days from..last.
 */
int	 journal_day_trades(struct journal *, int64_t, int64_t, long *,
	    struct sk_err *);

/*
 * Good-faith violations whose sale fell on days from..last: a position
 * bought while settled cash (money out at once, money in once settled)
 * did not cover it, and sold before enough of the proceeds it relied on
 * had settled.  The ledger is walked in order; a deficit is covered by
 * the pending proceeds that settle first.
 */
int	 journal_gfv(struct journal *, int64_t, int64_t, long *,
	    struct sk_err *);

#endif
