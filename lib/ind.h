/*
 * ind.h: streaming indicators, pure: no I/O, no clock, no allocation.
 * Each is a small struct: _init() sets its parameters, _push() feeds one
 * input and says whether a value is defined, the value is in the struct.
 */
#ifndef IND_H
#define IND_H

#include <stddef.h>
#include <stdint.h>

/*
 * Correctly rounded sum: Shewchuk's non-overlapping partials, rounded
 * once at the end exactly as Python's math.fsum.  Exact for any IND_FSUM
 * terms or fewer (each term adds at most one partial); past that, the
 * partials are folded into one, which cannot happen for terms of like
 * magnitude.  Terms must be finite.
 */
#define IND_FSUM	64

struct ind_fsum {
	int		 n;
	double		 p[IND_FSUM];
};

void	 ind_fsum_init(struct ind_fsum *);
void	 ind_fsum_add(struct ind_fsum *, double);
double	 ind_fsum_value(const struct ind_fsum *);

/* The correctly rounded sum of x[0..n-1]. */
double	 ind_fsum_of(const double *, size_t);

/*
 * EMA(n), ema-cloud-reference.md 3.1: a = 2/(n+1), b = 1 - a; the first
 * value, at input n-1, is the correctly rounded sum of the first n inputs
 * divided once by n; then e = e*b + x*a, each product rounded.  Matches
 * TA-Lib EMA (seeded with the SMA at input n-1) to the last few bits.
 * ind_ema_init() returns 0, or -1 if n < 1.  push returns 1 once e is
 * defined, else 0.
 */
struct ind_ema {
	int		 n;
	double		 a, b;
	long		 k;		/* inputs seen */
	double		 e;		/* the value, once k >= n */
	struct ind_fsum	 seed;		/* sum of the inputs until then */
};

int	 ind_ema_init(struct ind_ema *, int);
int	 ind_ema_push(struct ind_ema *, double);

/*
 * A window of the last n values in a ring the caller provides (n
 * doubles, kept as long as the window is), and its exact sum: an int64
 * while every value in it is a whole number below 2^53, else the
 * correctly rounded sum of the ring.  The sum of whole numbers (share
 * volumes) is therefore exact; any other sum is rounded once.
 * ind_win_init() returns 0, or -1 if n < 1 or n > IND_WIN_MAX.
 */
#define IND_WIN_MAX	100000

struct ind_win {
	int		 n;
	double		*x;		/* ring of n, borrowed */
	int		 pos;		/* where the next value goes */
	long		 k;		/* values seen */
	int64_t		 isum;		/* sum of the whole values in it */
	int		 nfrac;		/* values in it that are not whole */
};

int	 ind_win_init(struct ind_win *, int, double *);
void	 ind_win_push(struct ind_win *, double);
int	 ind_win_full(const struct ind_win *);
double	 ind_win_sum(const struct ind_win *);
/* The i-th value, oldest first, 0 <= i < min(k, n). */
double	 ind_win_at(const struct ind_win *, int);

/*
 * SMA(n) of the last n inputs, from the exact window sum (TA-Lib's
 * running sum differs by a few ulps).  First defined at input n-1.
 */
struct ind_sma {
	struct ind_win	 w;
	double		 v;
};

int	 ind_sma_init(struct ind_sma *, int, double *);
int	 ind_sma_push(struct ind_sma *, double);

/*
 * True range: undefined at the first bar (as TA-Lib), then
 * max(h, c_prev) - min(l, c_prev).
 */
struct ind_trange {
	long		 k;
	double		 pc;		/* previous close */
	double		 v;
};

void	 ind_trange_init(struct ind_trange *);
int	 ind_trange_push(struct ind_trange *, double, double, double);

/*
 * ATR(n), Wilder, seeded as TA-Lib: the first value, at bar n, is the
 * mean of TR_1..TR_n (a left-to-right sum, divided by n), then
 * atr = (atr*(n-1) + tr)/n in that order.  init: 0, or -1 if n < 1.
 */
struct ind_atr {
	int		 n;
	struct ind_trange tr;
	long		 k;		/* true ranges seen */
	double		 sum;		/* of them, until the seed */
	double		 v;
};

int	 ind_atr_init(struct ind_atr *, int);
int	 ind_atr_push(struct ind_atr *, double, double, double);

/*
 * RSI(n), Wilder, as TA-Lib: average gain and loss start as the sums of
 * the first n close-to-close changes divided by n (first value at input
 * n), then avg = (avg*(n-1) + g)/n; RSI = 100*gain/(gain + loss), and 0
 * when |gain + loss| < 1e-14.  init: 0, or -1 if n < 1.
 */
struct ind_rsi {
	int		 n;
	long		 k;		/* inputs seen */
	double		 prev;		/* previous input */
	double		 gain, loss;
	double		 v;
};

int	 ind_rsi_init(struct ind_rsi *, int);
int	 ind_rsi_push(struct ind_rsi *, double);

/*
 * Bollinger bands (n, m): middle = SMA(n); sigma is the population
 * standard deviation of the last n inputs, computed in two passes over
 * the ring about the exactly summed mean, with the first pass's residual
 * as a correction; upper/lower = middle +- m*sigma.  No running sum of
 * squares, so no cancellation at high prices (TA-Lib's bands are off by
 * up to 4e-4 on BTC).  First defined at input n-1.
 */
struct ind_bb {
	struct ind_win	 w;
	double		 m;
	double		 upper, middle, lower, sd;
};

int	 ind_bb_init(struct ind_bb *, int, double, double *);
int	 ind_bb_push(struct ind_bb *, double);

/*
 * Volume over a window of n bars.  push(v) first looks at the n bars
 * before this one: sum_prev (exact for whole volumes) and avg_prev =
 * sum_prev/n, defined from the (n+1)-th bar on (IND_VOL_PREV); then adds
 * v: sma = (sum of the last n, this one included)/n, TA-Lib's SMA of
 * volume, defined from the n-th bar on (IND_VOL_SMA).  push returns
 * which of the two are defined.
 */
#define IND_VOL_PREV	1
#define IND_VOL_SMA	2

struct ind_vol {
	struct ind_win	 w;
	double		 sum_prev, avg_prev, sma;
};

int	 ind_vol_init(struct ind_vol *, int, double *);
int	 ind_vol_push(struct ind_vol *, double);

/*
 * Fast cloud, ema-cloud-reference.md 4.1: EMA(s) and EMA(l) of the
 * close; once both are defined, regime = +1 if ema_s > ema_l, -1 if
 * less, and the previous regime if equal (0 before any); flip = +1 when
 * the regime goes from -1 to +1, -1 from +1 to -1, else 0.  push
 * returns 1 when regime and flip are defined.
 */
struct ind_cloud {
	struct ind_ema	 s, l;
	int		 regime;
	int		 flip;
};

int	 ind_cloud_init(struct ind_cloud *, int, int);
int	 ind_cloud_push(struct ind_cloud *, double);

/*
 * Resampling to buckets of size minutes of the local day, from bars of
 * span minutes (span divides size), ema-cloud-reference.md 4.2: bucket
 * = (local date, floor(minute/size)); it closes when a bar ends at or
 * after its end (the xx:x9 bar for 10 and 1), after including it, or
 * when a bar of another bucket arrives, before that bar.  A bucket's
 * close is its last bar's close.  push(day, minute, close) stores the
 * closes of the buckets it closed, oldest first, in out[] and returns
 * their number (0, 1 or 2).  init: 0, or -1 if the sizes do not fit.
 */
struct ind_resample {
	int		 size;		/* minutes */
	int		 span;		/* minutes per input bar */
	int		 open;		/* a bucket is open */
	int64_t		 day;		/* its local date */
	int		 slot;		/* and floor(minute / size) */
	double		 close;		/* its close so far */
	long		 nclosed;
};

int	 ind_resample_init(struct ind_resample *, int, int);
int	 ind_resample_push(struct ind_resample *, int64_t, int, double,
	    double[2]);

/*
 * Macro cloud: EMA(s) and EMA(l) of the closes of resampled buckets
 * (ind_resample).  After push, n is the number of closed buckets, s and
 * l hold the EMAs of the latest closed one; push returns 1 when the
 * state is defined (both EMAs are), and state is then +1 (s > l), -1
 * (s < l) or 0.
 */
struct ind_macro {
	struct ind_resample rs;
	struct ind_ema	 s, l;
	int		 state;
};

int	 ind_macro_init(struct ind_macro *, int, int, int, int);
int	 ind_macro_push(struct ind_macro *, int64_t, int, double);

/*
 * Saving and restoring state, for runs split across processes: save
 * writes every number the struct needs into v (room for the _NSAVE
 * count) and returns how many; load restores it into a struct that was
 * initialized with the same parameters, and returns 0, or -1 if v does
 * not fit them (wrong length, period or counts).  Values round-trip
 * exactly when v does (print them with %.17g).
 */
#define IND_EMA_NSAVE		(4 + IND_FSUM)
#define IND_WIN_NSAVE(n)	(2 + (size_t)(n))
#define IND_TRANGE_NSAVE	3
#define IND_ATR_NSAVE		(4 + IND_TRANGE_NSAVE)
#define IND_RSI_NSAVE		6
#define IND_CLOUD_NSAVE		(2 + 2 * IND_EMA_NSAVE)
#define IND_RESAMPLE_NSAVE	7
#define IND_MACRO_NSAVE		(IND_RESAMPLE_NSAVE + 1 + 2 * IND_EMA_NSAVE)

size_t	 ind_ema_save(const struct ind_ema *, double *);
int	 ind_ema_load(struct ind_ema *, const double *, size_t);
size_t	 ind_win_save(const struct ind_win *, double *);
int	 ind_win_load(struct ind_win *, const double *, size_t);
size_t	 ind_trange_save(const struct ind_trange *, double *);
int	 ind_trange_load(struct ind_trange *, const double *, size_t);
size_t	 ind_atr_save(const struct ind_atr *, double *);
int	 ind_atr_load(struct ind_atr *, const double *, size_t);
size_t	 ind_rsi_save(const struct ind_rsi *, double *);
int	 ind_rsi_load(struct ind_rsi *, const double *, size_t);
size_t	 ind_cloud_save(const struct ind_cloud *, double *);
int	 ind_cloud_load(struct ind_cloud *, const double *, size_t);
size_t	 ind_resample_save(const struct ind_resample *, double *);
int	 ind_resample_load(struct ind_resample *, const double *, size_t);
size_t	 ind_macro_save(const struct ind_macro *, double *);
int	 ind_macro_load(struct ind_macro *, const double *, size_t);

#endif
