/*
 * exits.h: the watch-exits stage and its rules.  The stage keeps a copy
 * of the paper book (see paper.h) and, on each bar, decides the exits of
 * the open positions at the open (flat-by time, a new session), inside
 * the bar (stop, target, moved stops, the target's extension) and at the
 * close (adverse candle, cloud flip, exhaustion, maximum hold), and on
 * each quote the spread rule.  Exits go out as closing "order" records,
 * each with its reason; the add-on half of a position goes out as a
 * "signal" for gate-risk to decide.  The rules themselves are the pure
 * functions below; watch-exits(1) states them.
 */
#ifndef EXITS_H
#define EXITS_H

#include <stdint.h>

#include "config.h"
#include "journal.h"
#include "paper.h"
#include "rec.h"
#include "stage.h"

#define EXITS_STAGE	"watch-exits"	/* its saved state, per symbol */
#define EXITS_LOCK	"lock"		/* cool-off locks, per symbol */

/* Why a stop or target is where it is: the reason its exit carries. */
enum exit_why {
	WHY_STOP,	/* the stop at entry */
	WHY_TARGET,	/* the target at entry */
	WHY_TRAIL,	/* a stop moved by trailing or zone trailing */
	WHY_TP_EXTEND,	/* a target moved on by tp_extend */
	WHY_SPREAD	/* either, tightened by the spread rule */
};

/* The reason word of w: "stop", "target", "trail"... */
const char	*exits_why_name(enum exit_why);

/*
 * What watch-exits remembers of one open position between bars and
 * between runs (saved in the journal).  Prices are per unit.
 */
struct exit_state {
	char		 id[REC_ID];	/* the position's */
	double		 sl, tp;	/* the stop and target now */
	double		 tp0;		/* the target at entry */
	double		 risk;		/* R: |entry - the stop at entry| */
	double		 peak;		/* best mark since entry; NAN none */
	double		 spread0;	/* spread at entry; NAN not known */
	double		 wpend;		/* widest spread widening seen */
	double		 widen;		/* the part the stops follow */
	enum exit_why	 sl_why, tp_why;
	int		 be;		/* zone: at breakeven plus fees */
	int		 next;		/* times the target was extended */
	int		 run;		/* exhaustion: candles in a row */
};

/*
 * The stop and target of position p at entry, into a fresh s (id set):
 * stop_atr (target_atr) ATRs from the entry price when that key is set
 * and atr is a positive number, else stop_pct (target_pct) percent of
 * it, as the product entry * (100 -+ pct)/100.
 */
void	 exits_levels(struct exit_state *, const struct cfg_exits *,
	    const struct position *, double);

/* What a bar does to a position inside it. */
enum exit_hit {
	HIT_NONE,
	HIT_STOP,	/* the bar reached the stop (first, if both) */
	HIT_TARGET,	/* it reached the target, not the stop */
	HIT_EXTEND	/* it reached the target, which is to move on */
};

/*
 * Whether the bar's high h and low l reach the stop or target of s for
 * a position of direction dir (+1 long, -1 short): a long's stop at or
 * above l, its target at or below h.  extend: the target is to move on
 * rather than fill (tp_extend on, and the flow agrees).
 */
enum exit_hit	 exits_inside(const struct exit_state *, int, double, double,
	    int);

/* 1 if order flow and acceleration both point the position's way. */
int	 exits_flow_agrees(int, double, double);

/*
 * The target of s reached and extended: it moves on by tp_extend_pct
 * of its first distance; with zone_trail the stop moves (never back)
 * to lock in zone_lock_pct of the move from entry to the target
 * reached.
 */
void	 exits_extend(struct exit_state *, const struct cfg_exits *,
	    const struct position *);

/*
 * After a bar whose best mark for p was fav (a long's highest bid, or
 * high with no quotes): the peak, then with zone_trail the stop to
 * breakeven plus fee (fees per unit, both ways) once the peak is
 * zone_be_pct of the way to the first target, then with trail the stop
 * trail_r R behind the peak once the peak is trail_after_r R up.  A stop
 * only ever moves the position's way.
 */
void	 exits_progress(struct exit_state *, const struct cfg_exits *,
	    const struct position *, double, double);

/*
 * Exhaustion: count bar b into s->run if it is a candle of the
 * position's colour (a long's green, c > o) wholly on its side of the
 * fast cloud of EMAs a and b (a long's low above both), else start
 * again.  1 when the run has reached n (n > 0), else 0.
 */
int	 exits_exhausted(struct exit_state *, int, int, const struct bar *,
	    double, double);

/*
 * Adverse candle: 1 if b is against a position of direction dir (red
 * for a long, green for a short) and its body |c - o| is more than k
 * times atr; 0 if not, or if k or atr is not positive.
 */
int	 exits_adverse(double, int, const struct bar *, double);

/* 1 if max_hold minutes (> 0) have passed from entry to now. */
int	 exits_timed_out(int, int64_t, int64_t);

/*
 * Flat-by: 1 if a position entered on local date entry must close at
 * a bar starting at local now (flat_by_exit and now at or after
 * flat_by, or session_exit and a different date).
 */
int	 exits_flat(const struct cfg_exits *, int64_t, int, int64_t);

/*
 * Partial scaling: 1 if candle b tested the fast cloud of EMAs a and b
 * and bounced the position's way: for a long, its low at or below the
 * cloud's top and its close above it.
 */
int	 exits_bounce(int, const struct bar *, double, double);

/* The mark of a position: a long at the bid, a short at the ask. */
double	 exits_mark(int, double, double);

/* What the spread rule makes of a quote. */
enum exit_spread { SPREAD_NONE, SPREAD_EXIT, SPREAD_TIGHTEN };

/*
 * The spread rule on a quote bid/ask, with spread_mult > 0 and the
 * entry spread known: nothing unless ask - bid exceeds spread_mult
 * times the entry spread.  Then SPREAD_EXIT for spread_action exit;
 * for tighten, SPREAD_TIGHTEN, with the widening (ask - bid - entry
 * spread) kept in s->wpend if it is the widest yet, for
 * exits_tighten() at the bar's close.
 */
enum exit_spread exits_spread(struct exit_state *, const struct cfg_exits *,
    const struct position *, double, double);

/*
 * Tighten: the stop and target of s each move toward the position by
 * the widening kept and not yet followed (s->wpend - s->widen), not
 * past mark.  1 if either moved.
 */
int	 exits_tighten(struct exit_state *, int, double);

/*
 * A new stage over config c (borrowed for the stage's life) and journal
 * j (may be NULL: start with no positions, save and lock nothing).
 * 0 or -1 with e filled.
 */
int	 exits_stage_new(struct stage **, const struct config *,
	    struct journal *, struct sk_err *);

#endif
