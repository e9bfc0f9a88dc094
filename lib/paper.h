/*
 * paper.h: the paper broker's book: open orders and positions, and the
 * rules by which bars and quotes fill them.  Pure: no I/O, no clock.
 * Every stage that must know positions (watch-exits, gate-risk,
 * place-order) runs its own copy over the same records, so all of them
 * agree on what is open at each bar without reading each other's writes
 * mid-cycle.
 *
 * Two models.  The ideal one (a zeroed struct paper_model, what
 * book_init() sets) is the reference strategy's: per bar of the order's
 * symbol, in order of arrival,
 *   1. at the open: market orders active at or before the bar's start
 *      fill at the open, unless the bar starts at or after the order's
 *      expiry (then it expires);
 *   2. inside the bar: a stop fills when the bar trades through it, at
 *      the open if the bar opened beyond it, else at the stop; a limit
 *      likewise at the open or the limit.
 * The honest one (book_model()) prices every fill against a quote:
 *   - a market order fills on the first quote at or after its ts, a buy
 *     at the ask and a sell at the bid; a symbol never quoted fills at
 *     the next bar's open plus or minus a modelled half-spread per
 *     asset class (paper_class());
 *   - a stop triggers as above and then fills like a market order from
 *     the stop (or the open if the bar gapped through it);
 *   - every taker fill pays slippage (model PAPER_SLIP_*) and, for
 *     options, option_ticks more ticks;
 *   - a limit fills only when a bar trades through it (a buy needs the
 *     low strictly below the limit, an option's by option_ticks ticks),
 *     at the limit or the better open; at most volume_share of the bar's
 *     volume (times the share of the bar the order was alive) fills per
 *     bar and the rest rests; an entry limit unfilled timeout_ms after
 *     its ts is cancelled, whatever part of it has filled standing;
 *   - fees come from a fee schedule (fees.h); perpetual funding is paid
 *     at funding instants; 0DTE options settle at 16:00 New York.
 * A closing order for a position that is not open is rejected.
 */
#ifndef PAPER_H
#define PAPER_H

#include <stdint.h>

#include "clock.h"
#include "config.h"
#include "fees.h"
#include "rec.h"
#include "sk.h"

struct fees {
	double		 per_share;
	double		 per_order;
};

/* Asset classes, from the symbol: see paper_class(). */
enum paper_class {
	PAPER_EQUITY,
	PAPER_OPTION,
	PAPER_PERP,
	PAPER_CFD,
	PAPER_NCLASS
};

enum paper_slip {
	PAPER_SLIP_NONE,
	PAPER_SLIP_TICKS,	/* slip_ticks ticks */
	PAPER_SLIP_SPREAD,	/* slip_spread_pct % of the spread */
	PAPER_SLIP_VOLUME	/* slip_volume_bp bp x qty / bar volume */
};

/*
 * The fill model.  All zero is the ideal model; paper_model_init()
 * fills the honest one from [paper] (config.h).
 */
struct paper_model {
	int		 honest;
	double		 half_bp[PAPER_NCLASS];	/* bars only: half-spread */
	double		 tick[PAPER_NCLASS];	/* price units; 0: none */
	enum paper_slip	 slip;
	double		 slip_ticks, slip_spread_pct, slip_volume_bp;
	double		 option_ticks;		/* pessimism, options */
	double		 volume_share;		/* 0..1; 0: no cap */
	int64_t		 timeout_ms;		/* entry limits; 0: none */
	struct fee_schedule fees;
	char		 perp_sfx[64];		/* "USDT,USDC,PERP" */
	char		 cfd_sfx[64];		/* "USD" */
};

/*
 * The model [paper] describes, with the fee schedule of broker (the
 * [broker] name) unless fee_schedule names another.  Returns 0, or -1
 * with e (SK_DATA) if the schedule is unknown.
 */
int	 paper_model_init(struct paper_model *, const struct cfg_paper *,
	    const char *, struct sk_err *);

/*
 * The asset class of symbol: an OCC option symbol is an option; one
 * that ends in a perpetual suffix (longer than it) is a perpetual; one
 * of at least 6 characters ending in a CFD suffix is a CFD (XAUUSD,
 * BTCUSD); anything else is an equity.  m may be NULL: the default
 * suffixes.
 */
enum paper_class paper_class(const struct paper_model *, const char *);

/* The underlying of an OCC root: SPXW is SPX, NDXP NDX; others as is. */
void	 paper_underlying(const char *, char *, size_t);

/* Intrinsic value of a call ('C') or put at underlying price s. */
double	 paper_intrinsic(int, double, double);

/*
 * The expiry instant of OCC symbol sym, 16:00 on its expiry date in
 * zone tz; TS_UNSET if sym is not an OCC symbol.
 */
int64_t	 paper_expiry(struct tz *, const char *);

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
	/* When it expires (an option), found once: TS_UNSET for none. */
	int		 expiry_set;
	int64_t		 expiry_at;
};

/* What a bar did to an order. */
enum book_what {
	BOOK_FILL,
	BOOK_EXPIRE,
	BOOK_REJECT,
	BOOK_CANCEL,	/* timed out, or a cancel record */
	BOOK_FUNDING	/* a funding payment on pos: amount */
};

struct book_event {
	enum book_what	 what;
	const struct order *ord;	/* borrowed, for the callback only */
	int64_t		 ts;		/* bar start (fills at the open) */
	double		 price, fee;
	double		 qty;		/* filled now (a part, maybe) */
	double		 remaining;	/* left working on the order */
	/* Fidelity: the price asked for, and the quote filled against. */
	double		 requested, bid, ask;
	/* For a closing fill: the position as it was, and its P&L. */
	const struct position *pos;
	double		 pnl;		/* gross, before fees */
	double		 amount;	/* funding: cash to the holder */
	const char	*why;		/* for expire, reject, cancel */
	int		 synthetic;	/* the book made the order itself */
};

/* What the book last saw of one symbol. */
struct book_mark {
	char		 symbol[REC_SYM];
	int64_t		 qts;		/* last quote, TS_UNSET: none */
	double		 bid, ask;
	int64_t		 pts;		/* last price, TS_UNSET: none */
	double		 px, vol;	/* bar close or quote mid; volume */
	double		 rate;		/* funding due at fund_at */
	int64_t		 fund_at;	/* TS_UNSET: none pending */
};

struct book {
	struct position	*pos;
	size_t		 npos, cappos;
	struct order	*ord;		/* pending, in arrival order */
	size_t		 nord, capord;
	struct fees	 fees;
	/* Ids of orders already taken: a replayed order is not doubled. */
	struct idset	 seen;
	struct paper_model m;		/* zero: the ideal model */
	struct tz	*tz;		/* borrowed; NULL: no expiry */
	struct book_mark *mk;
	size_t		 nmk, capmk;
};

typedef void	 book_cb(void *, const struct book_event *);

void	 book_init(struct book *, const struct fees *);
void	 book_release(struct book *);

/*
 * Take an order.  Returns 1 if added, 0 if its intent_id was seen
 * before (nothing changes).
 */
int	 book_order(struct book *, const struct order *);

/*
 * Use model m (copied) from now on; tz (borrowed, may be NULL) is the
 * exchange zone that options expire in.
 */
void	 book_model(struct book *, const struct paper_model *, struct tz *);

/*
 * book_init() and book_model() from [paper]: the one call for a stage
 * that runs its own copy of the book.  A bad fee schedule (config
 * checks the name) leaves the model ideal.
 */
void	 book_init_cfg(struct book *, const struct fees *,
	    const struct config *);

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
 * A quote of a symbol.  The honest model fills the symbol's working
 * market orders active at or before it, and from then on fills that
 * symbol's market orders on quotes only; the ideal model only notes it.
 */
void	 book_quote(struct book *, const struct quote *, book_cb *, void *);

/*
 * A funding record: a rate with next_ts is due at next_ts; one without
 * is due at its own ts.  Open perpetual positions of the symbol that
 * were opened before a due instant are paid (BOOK_FUNDING, amount from
 * fee_funding() at the last price) once the data reaches it.
 */
void	 book_funding(struct book *, const struct funding *, book_cb *,
	    void *);

/*
 * Everything due by now that no bar or quote of the symbol brings:
 * option expiries (with a zone) and funding of every symbol.  For the
 * end of data, and for streams where the option itself stops trading.
 */
void	 book_due(struct book *, int64_t, book_cb *, void *);

/*
 * Cancel working order intent_id at ts (BOOK_CANCEL with why).
 * Returns 1, or 0 if no such order is working (nothing happens).
 */
int	 book_cancel(struct book *, const char *, int64_t, const char *,
	    book_cb *, void *);

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
