/*
 * micro.h: market-microstructure indicators over quotes and trades, as
 * streaming structs in the style of ind.h: pure, no I/O, no clock, no
 * allocation; instants are int64 ms (|ts| < 2^53), "now" is the input's.
 */
#ifndef MICRO_H
#define MICRO_H

#include <stddef.h>
#include <stdint.h>

/*
 * A ring of fixed-size slots of doubles in a buffer the caller provides
 * (cap * w doubles, borrowed for as long as the ring is used), oldest
 * first; slot column 0 is always the instant.  It holds a suffix of the
 * history: when full, the oldest slot goes.  lost says whether a slot
 * was dropped for room (not for age) and lost_ts is the newest such.
 * The modules below own their rings; callers only size the buffers.
 */
#define MICRO_RING_MAX	1000000

struct micro_ring {
	double		*x;		/* cap * w doubles, borrowed */
	int		 cap;		/* slots */
	int		 w;		/* doubles per slot */
	int		 first;		/* index of the oldest slot */
	int		 len;		/* slots in use */
	int		 lost;		/* a slot was dropped for room */
	int64_t		 lost_ts;	/* the newest slot so dropped */
};

/*
 * Order-flow imbalance, Cont, Kukanov and Stoikov (2014), over the best
 * quotes.  Each quote n after the first is an event:
 *
 *   e_n = [Pb_n >= Pb_n-1]*qb_n - [Pb_n <= Pb_n-1]*qb_n-1
 *       - [Pa_n <= Pa_n-1]*qa_n + [Pa_n >= Pa_n-1]*qa_n-1
 *
 * b_n and a_n below are its bid part (the first two terms) and minus
 * its ask part, so e_n = b_n - a_n.  The window is time-based: the
 * events with now - span < ts <= now, now being the newest quote's
 * instant (an event exactly span ms old has left it).  Over it:
 *
 *   ofi   = sum e_n
 *   depth = sum (qb_n + qa_n)/2        (sizes of the quote itself)
 *   norm  = ofi / depth                CKS's depth scaling; NAN if
 *                                      depth is 0.  Not bounded by 1:
 *                                      |e_n| <= max(qb_n, qb_n-1) +
 *                                      max(qa_n, qa_n-1), so norm is
 *                                      within [-2, 2] while sizes hold
 *                                      still, and 2 when both sides
 *                                      step up at every quote
 *   gross = sum (|b_n| + |a_n|)
 *   net   = ofi / gross                in [-1, 1] always (triangle
 *                                      inequality); 0 if gross is 0
 *
 * Sums are recomputed over the window at every push (Neumaier), so a
 * push costs O(events in the window).  The ring (cap slots of
 * MICRO_OFI_W doubles) must hold every event of one span: if an event
 * still inside the window had to be dropped, the window values are
 * undefined until that event would have left it.
 */
#define MICRO_OFI_W		4
#define MICRO_OFI_NSAVE(cap)	(11 + MICRO_OFI_W * (size_t)(cap))

struct micro_ofi {
	int64_t		 span;		/* window, ms */
	struct micro_ring r;		/* (ts, e, depth, gross) per event */
	long		 k;		/* quotes seen */
	int64_t		 ts;		/* the newest quote's instant */
	double		 pb, qb, pa, qa;	/* and its prices and sizes */
	double		 e;		/* e_n of the newest quote */
	double		 ofi, depth, norm, gross, net;	/* see above */
	int		 n;		/* events in the window */
};

/*
 * Fill o: a window of span ms (> 0) over a ring of cap (1 to
 * MICRO_RING_MAX) slots in buf, cap * MICRO_OFI_W doubles the caller
 * owns.  Returns 0, or -1 on a bad argument.
 */
int	 micro_ofi_init(struct micro_ofi *, int64_t, int, double *);

/*
 * Push the best quote at ts: bid price, bid size, ask price, ask size.
 * Returns 1 when the window values are defined (from the second quote
 * on, unless the ring overflowed inside the window; undefined ones are
 * NAN, e is defined from the second quote), 0 if not, and -1, changing
 * nothing, if ts is before the previous quote's or a number is not
 * finite or a size is negative.  Equal instants are fine.
 */
int	 micro_ofi_push(struct micro_ofi *, int64_t, double, double, double,
	    double);

/*
 * Bid-ask spread over a time window (now - span, now], as for the OFI:
 *
 *   spread = ask - bid                 the newest quote's (negative if
 *                                      the book is crossed: kept as is)
 *   pct    = 100 * spread / mid, mid = (bid + ask)/2; NAN if mid <= 0
 *   mean   = sum spread_i / n          over the n quotes in the window
 *   sd     = sqrt(sum (spread_i - mean)^2 / n), the population sigma,
 *            in two passes (corrected, as ind_bb)
 *   ratio  = spread / mean; NAN if mean is 0
 *
 * and, apart from the window, one running mean of the spread for the
 * quotes the caller flags as in the Asian session and one for the
 * rest: m_1 = s_1, m_j = m_j-1 + w_j*(s_j - m_j-1), w_j = max(1/j,
 * alpha), so alpha = 0 is the plain mean of every such quote since
 * init and alpha in (0, 1] forgets like an EMA per quote;
 *
 *   widening = asian / other           NAN until both have a quote or
 *                                      while other is 0
 *
 * The ring holds cap slots of MICRO_SPREAD_W doubles; an overflow
 * inside the window makes mean, sd and ratio undefined as for the OFI.
 */
#define MICRO_SPREAD_W		2
#define MICRO_SPREAD_NSAVE(cap)	(14 + MICRO_SPREAD_W * (size_t)(cap))

struct micro_spread {
	int64_t		 span;		/* window, ms */
	double		 alpha;		/* forgetting of the session means */
	struct micro_ring r;		/* (ts, spread) per quote */
	long		 k;		/* quotes seen */
	int64_t		 ts;		/* the newest quote's instant */
	double		 bid, ask;	/* and its prices */
	double		 spread, pct;	/* of the newest quote */
	int		 n;		/* quotes in the window */
	double		 mean, sd, ratio;	/* over the window */
	long		 n_asian, n_other;	/* quotes in each mean */
	double		 asian, other;	/* session means of the spread */
	double		 widening;	/* asian / other */
};

/*
 * Fill s: a window of span ms (> 0), session means forgetting at alpha
 * (0 <= alpha <= 1), a ring of cap slots in buf (cap * MICRO_SPREAD_W
 * doubles, the caller's).  Returns 0, or -1 on a bad argument.
 */
int	 micro_spread_init(struct micro_spread *, int64_t, double, int,
	    double *);

/*
 * Push the quote (bid, ask) at ts; asian is nonzero if it belongs to
 * the Asian session (micro_asian() decides one way).  Returns 1 when
 * mean and sd are defined (ratio too unless mean is 0), 0 if not (all
 * three NAN), -1, changing nothing, if ts is before the previous
 * quote's or a price or their difference is not finite.
 */
int	 micro_spread_push(struct micro_spread *, int64_t, double, double,
	    int);

/*
 * Whether the instant ts falls within [from, to) minutes of its UTC
 * day (0 <= from, to <= 1440); from > to wraps midnight, from == to is
 * never.  Returns 1 or 0.
 */
int	 micro_utc_between(int64_t, int, int);

/* The Asian session: 00:00 <= UTC time of day < 08:00.  1 or 0. */
int	 micro_asian(int64_t);

/*
 * Funding of a perpetual swap: the latest record (rate, instant of the
 * next funding).  interval, if > 0, is the funding period (8 h is
 * 28800000), used to project the next funding once the recorded one
 * has passed without a new record.
 */
#define MICRO_FUNDING_NSAVE	4

struct micro_funding {
	int64_t		 interval;	/* ms; 0: unknown */
	long		 k;		/* records seen */
	double		 rate;		/* the latest record's rate */
	int64_t		 next;		/* and its next funding instant */
};

/* Fill f; interval >= 0 ms.  Returns 0, or -1 if interval < 0. */
int	 micro_funding_init(struct micro_funding *, int64_t);

/*
 * Take a record: rate, next funding instant.  A record for the same
 * instant replaces the rate (predicted rates move).  Returns 1, or -1,
 * changing nothing, if rate is not finite or next is before the
 * latest record's.
 */
int	 micro_funding_push(struct micro_funding *, double, int64_t);

/*
 * Milliseconds from now to the next funding at or after now, in *ms:
 * next - now while now <= next (0 at the funding instant itself), else
 * next + j*interval - now for the least j that makes it >= 0.  Returns
 * 1 from the record, 2 when projected (the record's rate was for a
 * funding now past), 0 if unknown (no record, or past with no
 * interval), leaving *ms alone.
 */
int	 micro_funding_until(const struct micro_funding *, int64_t,
	    int64_t *);

/*
 * Speed of a price (mid or last) observed at instants.  For each
 * window W of 5, 15, 30, 60 s (MICRO_V5..MICRO_V60), with p the newest
 * price, now its instant and r the price of the last observation at
 * or before now - W (an observation exactly W old counts):
 *
 *   vel[i]  = ((p - r) * 100) / r      % change; undefined if none
 *   dir[i]  = -1, 0 or +1, the sign of vel[i]
 *   rate[i] = vel[i] / (W / 1000)      %/s over the nominal window
 *   spike   = sign of vel[MICRO_V30] when |vel[MICRO_V30]| >= thr,
 *             else 0
 *
 * Acceleration is on a smoothed price S, an EMA with time constant tau
 * ms for irregular instants: S_1 = p_1, S_j = S_j-1 + c*(p_j - S_j-1),
 * c = 1 - exp(-(ts_j - ts_j-1)/tau) (so an equal instant leaves S), or
 * S = p if tau is 0.  With the accel window A (ms) and "ref" the last
 * observation at or before now - A:
 *
 *   sv    = ((S - S_ref) * 100) / S_ref   the smoothed velocity, kept
 *                                         with every observation
 *   accel = sv - sv_ref                   its change over A, in
 *                                         percentage points per A
 *
 * The ring (cap slots of MICRO_SPEED_W doubles) keeps, besides the
 * newer ones, the last observation at or before now - max(60 s, A);
 * when more arrive than it holds, the oldest go, and a window reaching
 * back past the oldest one kept is undefined, as if never observed.
 * Undefined values are NAN (dir and spike 0).
 */
enum {
	MICRO_V5,
	MICRO_V15,
	MICRO_V30,
	MICRO_V60,
	MICRO_NVEL
};

#define MICRO_ACCEL_OK		(1 << MICRO_NVEL)
#define MICRO_SPEED_W		5
#define MICRO_SPEED_NSAVE(cap)	(8 + MICRO_SPEED_W * (size_t)(cap))

struct micro_speed {
	int64_t		 tau;		/* smoothing time constant, ms */
	int64_t		 aw;		/* accel window A, ms */
	double		 thr;		/* spike threshold, % */
	struct micro_ring r;		/* (ts, p, S, sv ok, sv) */
	long		 k;		/* observations seen */
	int64_t		 ts;		/* the newest one's instant */
	double		 p, s;		/* its price and smoothed price */
	int		 ok;		/* bit i: vel[i]; MICRO_ACCEL_OK */
	double		 vel[MICRO_NVEL], rate[MICRO_NVEL];
	int		 dir[MICRO_NVEL];
	int		 spike;
	double		 sv, accel;
};

/* The length of window i (MICRO_V5..MICRO_V60) in ms. */
int64_t	 micro_vel_ms(int);

/*
 * Fill v: smoothing constant tau >= 0 ms, accel window aw > 0 ms,
 * spike threshold thr > 0 (%), a ring of cap slots in buf (cap *
 * MICRO_SPEED_W doubles, the caller's).  Returns 0, or -1 on a bad
 * argument.
 */
int	 micro_speed_init(struct micro_speed *, int64_t, int64_t, double,
	    int, double *);

/*
 * Push the price p (> 0) observed at ts.  Returns the mask of what is
 * defined (bit 1 << i for vel[i], MICRO_ACCEL_OK for accel; sv is
 * defined when sv is not NAN), or -1, changing nothing, if ts is
 * before the previous observation's or p is not a finite positive.
 */
int	 micro_speed_push(struct micro_speed *, int64_t, double);

/*
 * Saving and restoring state, for runs split across processes, as in
 * ind.h: save writes the numbers the struct needs into out, at most
 * cap of them (the _NSAVE macros give enough), and returns how many,
 * or 0, writing nothing, if cap is too small.  No NAN is written.
 * load restores them into a struct initialized with the same
 * parameters and ring capacity (its own buffer), and returns 0, or -1,
 * changing nothing, if they do not fit.  Later pushes then give the
 * same doubles as an unbroken run.
 */
size_t	 micro_ofi_save(const struct micro_ofi *, double *, size_t);
int	 micro_ofi_load(struct micro_ofi *, const double *, size_t);
size_t	 micro_spread_save(const struct micro_spread *, double *, size_t);
int	 micro_spread_load(struct micro_spread *, const double *, size_t);
size_t	 micro_funding_save(const struct micro_funding *, double *, size_t);
int	 micro_funding_load(struct micro_funding *, const double *, size_t);
size_t	 micro_speed_save(const struct micro_speed *, double *, size_t);
int	 micro_speed_load(struct micro_speed *, const double *, size_t);

#endif
