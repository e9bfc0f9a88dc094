/*
 * structure.h: streaming price-structure detectors over OHLCV bars, for
 * the confluence strategy: swing pivots and the levels they leave,
 * liquidity sweeps, micro order blocks, changes of character, candles.
 */
#ifndef STRUCTURE_H
#define STRUCTURE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Conventions shared by every detector below.
 *
 * Bars are pushed oldest first, each once it has closed; the k-th bar
 * pushed has index k - 1.  A bar is o, h, l, c, v: finite, with
 * l <= min(o, c), max(o, c) <= h and v >= 0.  t is its instant in ms
 * (its ts), only carried to be reported, |t| < 2^53.  atr is the ATR as
 * of this bar (ind_atr over the same bars, say); it is "defined" when
 * finite and > 0: pass NAN until it is.
 *
 *	body = |c - o|		range = h - l
 *	upper wick = h - max(o, c)	lower wick = min(o, c) - l
 *
 * A bar is bullish when c > o, bearish when c < o, and a doji (neither
 * colour) when c == o.  Directions are +1 bullish, -1 bearish, 0 none.
 *
 * Each detector is a struct with a parameter struct, a _default() that
 * fills the parameters with the defaults given here, an _init() that
 * checks and copies them and borrows the buffers the caller owns
 * (they must outlive the struct; nothing is allocated, so there is
 * nothing to release), and a _push() that takes one bar and returns 1
 * when the detector fires at that bar, 0 when it does not, and -1,
 * changing nothing, when the bar is not a bar as above.  The outputs are
 * fields of the struct, valid until the next push.  Outputs at bar n
 * depend on bars 0..n only: what needs later bars is reported at the
 * later bar, with the index and instant of the bar it is about.
 */
struct structure_bar {
	double		 o, h, l, c, v;
	int64_t		 t;		/* instant, ms */
	double		 atr;		/* ATR as of this bar, or NAN */
};

/* A price level and the bar that made it; px NAN and idx -1 for none. */
struct structure_lvl {
	double		 px;
	long		 idx;		/* bar index */
	int64_t		 t;		/* that bar's instant */
};

/* Largest strength, count of levels or blocks a parameter may ask for. */
#define STRUCTURE_MAXN		1000
/* Largest volume window. */
#define STRUCTURE_MAXVOL	100000

/*
 * Saving and restoring state, as in ind.h.  _save() writes the state as
 * doubles into out, which has room for cap of them, parameters first
 * (so that a load can check them), and returns how many it wrote, or 0,
 * writing nothing, if cap is less than that; the _NSAVE() macros give
 * the most any state of those parameters needs.  _load() restores it
 * into a struct initialized with the same parameters (and its own
 * buffers) and returns 0, or -1, changing nothing, if v does not fit
 * them (other parameters, wrong length, a count or index out of
 * range).  Counts, indices and instants are stored as doubles (exact
 * below 2^53), prices bit for bit when v round-trips (%.17g).  After a
 * load the per-bar outputs read as after a bar on which nothing fired
 * (the pivots, levels and blocks held are kept); the next push goes on
 * exactly as if the run had never stopped.
 */

/*
 * Swing pivots (fractals) of left strength L and right strength R.
 *
 * Bar i is a pivot high when i >= L and
 *	h[i] >  h[j] for every j in i-L .. i-1	(strict on the left)
 *	h[i] >= h[j] for every j in i+1 .. i+R	(ties allowed on the right)
 * and a pivot low when i >= L and
 *	l[i] <  l[j] for every j in i-L .. i-1
 *	l[i] <= l[j] for every j in i+1 .. i+R.
 * So a flat top of equal highs is one pivot, at its first bar, and the
 * first L bars are never pivots.  A bar may be both (an outside bar).
 * Pivot i is known only once bar i+R has closed: the push of bar i+R
 * reports it, never an earlier push (ph_new, and ph = {h[i], i, t[i]};
 * the same for lows).  R = 0 confirms a bar on its own close.
 *
 * Levels: the K most recent pivot highs and the K most recent pivot
 * lows are kept, and all of them serve as support and resistance (a
 * broken low can resist).  After each push, pivots reported by it
 * included:
 *	res = the lowest level >= c	sup = the highest level <= c
 * taking the more recent of equal prices (a level at the close is both,
 * at distance 0), and
 *	res_pct = 100 * (res - c) / c	res_atr = (res - c) / atr
 *	sup_pct = 100 * (c - sup) / c	sup_atr = (c - sup) / atr
 * each NAN when the level does not exist (has_res or has_sup 0), when
 * c <= 0 (the _pct) or when atr is undefined (the _atr).
 *
 * Defaults: L 3, R 2, K 6.  buf holds STRUCTURE_PIV_NBUF(L, R, K)
 * levels, the caller's.  init returns 0, or -1 unless 1 <= L, 0 <= R
 * and 1 <= K, each at most STRUCTURE_MAXN.  push returns 1 when it
 * reports a pivot high or a pivot low.
 */
#define STRUCTURE_PIV_LEFT	3
#define STRUCTURE_PIV_RIGHT	2
#define STRUCTURE_PIV_KEEP	6
#define STRUCTURE_PIV_NBUF(l, r, k) \
	(2 * ((size_t)(l) + (size_t)(r) + 1) + 2 * (size_t)(k))
#define STRUCTURE_PIV_NSAVE(l, r, k) \
	(7 + 3 * ((size_t)(l) + (size_t)(r) + 1) + 6 * (size_t)(k))

struct structure_piv_par {
	int		 left;		/* L */
	int		 right;		/* R */
	int		 keep;		/* K */
};

struct structure_piv {
	struct structure_piv_par par;
	int		 w;		/* L + R + 1 bars looked at */
	struct structure_lvl *ring;	/* high, low of the last w bars */
	struct structure_lvl *hi;	/* the pivot highs, newest first */
	struct structure_lvl *lo;	/* the pivot lows, newest first */
	int		 nh, nl;	/* how many of each */
	long		 n;		/* bars seen */
	/* Outputs. */
	int		 ph_new, pl_new;	/* reported by this push */
	struct structure_lvl ph, pl;	/* the most recent pivots */
	int		 has_res, has_sup;
	struct structure_lvl res, sup;	/* nearest levels about c */
	double		 res_pct, res_atr, sup_pct, sup_atr;
};

/* Fill par with L, R and K's defaults. */
void	 structure_piv_default(struct structure_piv_par *);

/*
 * Fill p with the parameters par (copied) over buf, STRUCTURE_PIV_NBUF
 * levels the caller owns and keeps for p's life; 0, or -1 on a bad
 * parameter or a NULL buffer.
 */
int	 structure_piv_init(struct structure_piv *,
	    const struct structure_piv_par *, struct structure_lvl *);

/*
 * Take bar b: 1 if it confirms a pivot (ph_new, pl_new), 0 if not, -1,
 * changing nothing, if b is not a bar.
 */
int	 structure_piv_push(struct structure_piv *,
	    const struct structure_bar *);

/*
 * The i-th most recent pivot high (or low), 0 the last one, borrowed
 * until the next push or load; NULL when fewer than i + 1 are held.
 */
const struct structure_lvl *structure_piv_high(const struct structure_piv *,
	    int);
const struct structure_lvl *structure_piv_low(const struct structure_piv *,
	    int);

/*
 * Save p into out[cap]: the count written, 0 if more than cap (at most
 * STRUCTURE_PIV_NSAVE(L, R, K)).  Load v[len] into p, initialized with
 * the same parameters: 0, or -1 changing nothing.  See "Saving" above.
 */
size_t	 structure_piv_save(const struct structure_piv *, double *, size_t);
int	 structure_piv_load(struct structure_piv *, const double *, size_t);

/*
 * Liquidity sweep over its own pivots (L, R as structure_piv, K 1).
 *
 * The level watched above is the most recent pivot high P reported
 * before this bar; it is live from the push that reports it until the
 * first bar whose high trades above it (h > P): that bar takes it, and
 * no later bar can sweep it, whether that bar was a sweep or not.  A new
 * pivot high replaces it and is live.  The same holds for the most
 * recent pivot low Q below (taken when l < Q).
 *
 * A bar that takes P is a bearish sweep (dir -1) when
 *	c < P					(closed back below)
 *	upper wick >= w * body			(wick rejection)
 *	v >= m * mean				(volume)
 * and one that takes Q is a bullish sweep (+1) when c > Q, lower wick
 * >= w * body and v >= m * mean.  mean is the mean of the volumes of
 * the N bars before this one (this one excluded), summed oldest first
 * and divided by N; until N bars have been seen it is undefined and
 * nothing sweeps.  A bar that would be a sweep of both sides is neither
 * (dir 0); both levels are taken all the same.
 *
 * For a sweep, with the level swept as level (its pivot's index and
 * instant) and depth = h - P (bearish) or Q - l (bullish):
 *	wick = the rejecting wick / range, in (0, 1]
 *	vol_ratio = v / mean, NAN if mean is 0
 *	depth_atr = depth / atr, NAN if atr is undefined
 *	conf = (wick + min(1, vol_ratio / vol_sat)
 *	    + min(1, depth_atr / depth_sat)) / 3
 * a term counting 0 where its ratio is NAN; so conf is in (0, 1].  When
 * nothing sweeps, dir and conf are 0, level is none and the rest NAN.
 *
 * Defaults: L 3, R 2, N 20, w 1, m 1.5, vol_sat 3, depth_sat 0.5.
 * pbuf holds STRUCTURE_PIV_NBUF(L, R, 1) levels, vbuf N doubles, both
 * the caller's.  init returns 0, or -1 on a NULL buffer or unless L and
 * R are as for structure_piv, 1 <= N <= STRUCTURE_MAXVOL, w >= 0 and
 * m >= 0 are finite and vol_sat and depth_sat are finite and > 0.  push
 * returns 1 when dir is not 0.
 */
#define STRUCTURE_SWEEP_NVOL		20
#define STRUCTURE_SWEEP_WICK		1.0
#define STRUCTURE_SWEEP_VOL		1.5
#define STRUCTURE_SWEEP_VOL_SAT		3.0
#define STRUCTURE_SWEEP_DEPTH_SAT	0.5
#define STRUCTURE_SWEEP_NSAVE(l, r, nvol) \
	(11 + (size_t)(nvol) + STRUCTURE_PIV_NSAVE(l, r, 1))

struct structure_sweep_par {
	int		 left, right;	/* L, R of the pivots */
	int		 nvol;		/* N */
	double		 wick;		/* w */
	double		 vol;		/* m */
	double		 vol_sat;	/* vol_ratio scoring 1 */
	double		 depth_sat;	/* depth_atr scoring 1 */
};

struct structure_sweep {
	struct structure_sweep_par par;
	struct structure_piv piv;	/* its own, K 1 */
	double		*vol;		/* ring of the last N volumes */
	int		 live_h, live_l;	/* the watched pivots are */
	/* Outputs. */
	int		 dir;
	double		 conf;
	struct structure_lvl level;	/* the pivot swept */
	double		 wick, vol_ratio, depth_atr;
};

/* Fill par with the defaults above. */
void	 structure_sweep_default(struct structure_sweep_par *);

/*
 * Fill s with par (copied) over pbuf and vbuf, the caller's, kept for
 * s's life; 0, or -1 on a bad parameter or a NULL buffer.
 */
int	 structure_sweep_init(struct structure_sweep *,
	    const struct structure_sweep_par *, struct structure_lvl *,
	    double *);

/* Take bar b: 1 if it sweeps (dir), 0 if not, -1 if b is no bar. */
int	 structure_sweep_push(struct structure_sweep *,
	    const struct structure_bar *);

/*
 * Save (at most STRUCTURE_SWEEP_NSAVE(L, R, N) doubles) and load, as
 * under "Saving" above.
 */
size_t	 structure_sweep_save(const struct structure_sweep *, double *,
	    size_t);
int	 structure_sweep_load(struct structure_sweep *, const double *,
	    size_t);

/*
 * Micro order blocks.  A bullish block is the last bearish bar j before
 * an impulse up; it is made at the first bar n with
 *	j < n <= j + k				(within k bars)
 *	no bar in j+1 .. n is bearish		(j is the last bearish one)
 *	c[n] - c[j] >= x * atr[n]		(atr at n defined)
 * and j makes at most one block.  Its zone is j's body widened by pad
 * ATRs at n:  lo = c[j] - pad * atr[n], hi = o[j] + pad * atr[n]; its
 * strength is (c[n] - c[j]) / atr[n], the impulse in ATRs.  Mirrored,
 * a bearish block is the last bullish bar j before an impulse down:
 * no bar in j+1 .. n bullish, c[j] - c[n] >= x * atr[n], zone
 * lo = o[j] - pad * atr, hi = c[j] + pad * atr.  Dojis belong to no
 * block and break no impulse.  new_bull and new_bear say a block was
 * made by this push; it is then bull[0] or bear[0].
 *
 * The keep most recent blocks of each side are held, newest first.
 * From the bar after the one that made it, at each bar:
 *	a bullish block is dropped when c < lo (closed through it), and
 *	else retested when l <= hi and h >= lo (the range touches it);
 *	a bearish block is dropped when c > hi, else retested likewise.
 * A block is fresh until its first retest: that bar reports it with
 * fresh 1, and it is 0 from then on.  retest_bull says some bullish
 * block was retested by this bar, and rbull is a copy of the newest of
 * them as it was at this bar (the same for bear).
 *
 * Defaults: k 3, x 1.5, pad 0, keep 3.  buf holds 2 * keep zones, the
 * caller's.  init returns 0, or -1 on a NULL buffer or unless 1 <= k,
 * 1 <= keep <= STRUCTURE_MAXN, x > 0 and pad >= 0 finite.  push returns
 * 1 when a block is retested.
 */
#define STRUCTURE_OB_K		3
#define STRUCTURE_OB_X		1.5
#define STRUCTURE_OB_PAD	0.0
#define STRUCTURE_OB_KEEP	3
#define STRUCTURE_OB_NSAVE(keep)	(18 + 14 * (size_t)(keep))

struct structure_zone {
	double		 lo, hi;
	double		 strength;	/* impulse, ATRs */
	long		 idx;		/* the block bar j */
	int64_t		 t;		/* and its instant */
	long		 made;		/* the bar n that made it */
	int		 fresh;		/* not retested yet */
};

/* The last bar of one colour: a block in waiting. */
struct structure_cand {
	double		 o, c;
	long		 idx;		/* -1 for none */
	int64_t		 t;
	int		 used;		/* it made a block */
};

struct structure_ob_par {
	int		 k;		/* bars an impulse may take */
	double		 x;		/* impulse, ATRs */
	double		 pad;		/* zone padding, ATRs */
	int		 keep;		/* blocks held per side */
};

struct structure_ob {
	struct structure_ob_par par;
	struct structure_zone *bull;	/* keep, newest first */
	struct structure_zone *bear;	/* keep, newest first */
	int		 nbull, nbear;
	struct structure_cand cbear;	/* the last bearish bar */
	struct structure_cand cbull;	/* the last bullish bar */
	long		 n;		/* bars seen */
	/* Outputs. */
	int		 new_bull, new_bear;
	int		 retest_bull, retest_bear;
	struct structure_zone rbull, rbear;
};

/* Fill par with the defaults above. */
void	 structure_ob_default(struct structure_ob_par *);

/*
 * Fill ob with par (copied) over buf, 2 * keep zones the caller owns
 * and keeps for ob's life; 0, or -1 on a bad parameter or NULL buffer.
 */
int	 structure_ob_init(struct structure_ob *,
	    const struct structure_ob_par *, struct structure_zone *);

/* Take bar b: 1 if it retests a block, 0 if not, -1 if b is no bar. */
int	 structure_ob_push(struct structure_ob *,
	    const struct structure_bar *);

/*
 * Save (at most STRUCTURE_OB_NSAVE(keep) doubles) and load, as under
 * "Saving" above.
 */
size_t	 structure_ob_save(const struct structure_ob *, double *, size_t);
int	 structure_ob_load(struct structure_ob *, const double *, size_t);

/*
 * Micro change of character, over its own pivots (L, R as
 * structure_piv, K 2).  The structure is read from the two most
 * recent pivot highs H1 (older), H2 and lows L1, L2:
 *	bearish (-1) when H2 < H1 and L2 < L1	(lower highs and lows)
 *	bullish (+1) when H2 > H1 and L2 > L1	(higher highs and lows)
 *	else 0 (fewer than two of either, or an equal pair).
 * With the structure known before bar n (pivots reported at bars
 * before n), bar n is
 *	a bullish CHOCH (+1) when the structure is bearish and
 *	c[n-1] <= H2 < c[n], the first close above the last lower high;
 *	a bearish CHOCH (-1) when it is bullish and c[n-1] >= L2 > c[n].
 * Each pivot gives at most one CHOCH (closing back and across again
 * fires nothing), and a structure that is confirmed when price has
 * already closed beyond the level waits for a new cross.  trend is the
 * structure after this push; level is the pivot broken (none if dir is
 * 0).
 *
 * Defaults: L 3, R 2.  buf holds STRUCTURE_PIV_NBUF(L, R, 2) levels,
 * the caller's.  init: as structure_piv.  push returns 1 when dir is
 * not 0.
 */
#define STRUCTURE_CHOCH_NSAVE(l, r)	(6 + STRUCTURE_PIV_NSAVE(l, r, 2))

struct structure_choch_par {
	int		 left, right;	/* L, R of the pivots */
};

struct structure_choch {
	struct structure_choch_par par;
	struct structure_piv piv;	/* its own, K 2 */
	double		 pc;		/* the previous close */
	long		 used_h, used_l;	/* pivots that fired, or -1 */
	/* Outputs. */
	int		 dir;
	int		 trend;
	struct structure_lvl level;
};

/* Fill par with the defaults above. */
void	 structure_choch_default(struct structure_choch_par *);

/*
 * Fill ch with par (copied) over buf, the caller's, kept for ch's
 * life; 0, or -1 on a bad parameter or a NULL buffer.
 */
int	 structure_choch_init(struct structure_choch *,
	    const struct structure_choch_par *, struct structure_lvl *);

/* Take bar b: 1 on a CHOCH (dir), 0 if none, -1 if b is no bar. */
int	 structure_choch_push(struct structure_choch *,
	    const struct structure_bar *);

/*
 * Save (at most STRUCTURE_CHOCH_NSAVE(L, R) doubles) and load, as
 * under "Saving" above.
 */
size_t	 structure_choch_save(const struct structure_choch *, double *,
	    size_t);
int	 structure_choch_load(struct structure_choch *, const double *,
	    size_t);

/*
 * Candle triggers.
 *
 * Engulfing, from the previous bar (o1, c1) and this one (o, c):
 *	bullish (+1): c1 < o1, c > o, o <= c1, c >= o1, and o < c1 or
 *	    c > o1: a bullish body covering the previous bearish body,
 *	    edges may be equal but not both (equal bodies do not engulf);
 *	bearish (-1): c1 > o1, c < o, o >= c1, c <= o1, and o > c1 or
 *	    c < o1.
 * A doji on either bar engulfs nothing; the first bar is 0.
 *
 * Pin bar (wick trap), with range > 0 and mid = (o + c) / 2:
 *	bullish (+1): lower wick >= r * body, lower wick >= f * range,
 *	    and mid in the upper third: 3 * (o + c - 2 * l) >= 4 * range;
 *	bearish (-1): upper wick >= r * body, upper wick >= f * range,
 *	    and mid in the lower third: 3 * (2 * h - o - c) >= 4 * range.
 * (the thirds are tested in that form, exactly, not against range / 3).
 * Both cannot hold at once.  A bar of range 0 is no pin.
 *
 * Defaults: r 2, f 0.6.  init returns 0, or -1 unless r >= 0 and
 * 0 <= f <= 1 are finite.  push returns 1 when engulf or pin is not 0.
 */
#define STRUCTURE_CANDLE_RATIO	2.0
#define STRUCTURE_CANDLE_FRAC	0.6
#define STRUCTURE_CANDLE_NSAVE	6

struct structure_candle_par {
	double		 ratio;		/* r */
	double		 frac;		/* f */
};

struct structure_candle {
	struct structure_candle_par par;
	long		 n;		/* bars seen */
	double		 po, pc;	/* the previous bar's open, close */
	/* Outputs. */
	int		 engulf;
	int		 pin;
};

/* Fill par with the defaults above. */
void	 structure_candle_default(struct structure_candle_par *);

/* Fill cd with par (copied); 0, or -1 on a bad parameter. */
int	 structure_candle_init(struct structure_candle *,
	    const struct structure_candle_par *);

/* Take bar b: 1 if engulf or pin fired, 0 if not, -1 if b is no bar. */
int	 structure_candle_push(struct structure_candle *,
	    const struct structure_bar *);

/*
 * Save (STRUCTURE_CANDLE_NSAVE doubles) and load, as under "Saving"
 * above.
 */
size_t	 structure_candle_save(const struct structure_candle *, double *,
	    size_t);
int	 structure_candle_load(struct structure_candle *, const double *,
	    size_t);

#endif
