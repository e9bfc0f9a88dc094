/*
 * mtf.h: multi-timeframe view of 1-minute bars: closed 5-, 10-, 15-
 * (any) minute bars with no look-ahead, a trend per timeframe from an
 * EMA pair, and their consensus.  Pure: no I/O, no clock, no allocation.
 */
#ifndef MTF_H
#define MTF_H

#include <stddef.h>
#include <stdint.h>

#include "ind.h"

#define MTF_MAX		8		/* timeframes in one struct mtf */
#define MTF_DAY_MAX	9007199254740992LL	/* 2^53: exact as a double */

/*
 * A bar of size minutes: bucket (day, slot = floor(minute / size)) of
 * the session day, minutes counted from its midnight (0..1439); the last
 * bucket of a day ends at minute 1440 whatever the size.  o is the first
 * 1-minute bar's open, h the highest high, l the lowest low, c the last
 * close, v the sum of the volumes (exact for whole volumes below 2^53),
 * nbar how many 1-minute bars went in (size, or fewer with gaps).
 */
struct mtf_bar {
	int64_t		 day;
	int		 slot;
	int		 nbar;
	double		 o, h, l, c, v;
};

/*
 * One timeframe.  A bucket closes, never earlier, either on the bar of
 * its last minute (after taking it in) or when a bar of a later bucket
 * (a later slot or another day) arrives (before that bar is taken in);
 * so at most two close on one push, the old one first.  Each close
 * feeds EMA(fast) and EMA(slow) (ind_ema), and trend is then +1 if
 * fast > slow, -1 if fast < slow, 0 if equal; tdef says both EMAs are
 * defined (trend is 0 while they are not).  cur is the forming bucket,
 * part of the state and never a result: only done[] and bar are closed.
 */
struct mtf_tf {
	int		 size;		/* minutes, 1..1440 */
	int		 open;		/* cur holds a forming bucket */
	struct mtf_bar	 cur;
	int		 nnew;		/* bars closed by the latest push */
	struct mtf_bar	 done[2];	/* those nnew bars, oldest first */
	struct mtf_bar	 bar;		/* latest closed bar, if nclosed > 0 */
	long		 nclosed;
	struct ind_ema	 fast, slow;
	int		 tdef;
	int		 trend;
};

/*
 * The set, and the consensus of its trends after each push: ndef
 * timeframes have a defined trend, npos of them +1 and nneg -1, and
 *
 *	cons = (npos - nneg) / ndef, in [-1, 1]; 0 when ndef is 0
 *
 * (a defined trend of 0 counts in ndef, pulling cons towards 0).
 * day and minute are the latest bar taken in, once started.
 */
struct mtf {
	int		 n;
	struct mtf_tf	 tf[MTF_MAX];
	int		 started;
	int64_t		 day;
	int		 minute;
	int		 npos, nneg, ndef;
	double		 cons;
};

/*
 * Set m up for the n timeframes sizes[0..n-1] (minutes, each 1..1440,
 * in any order, as given), each with EMA periods fast and slow (>= 1).
 * Returns 0, or -1 if n is not 1..MTF_MAX or a value is out of range.
 */
int	 mtf_init(struct mtf *, const int *, int, int, int);

/*
 * Take the 1-minute bar of the given session day (|day| <= MTF_DAY_MAX;
 * days must not decrease) and minute (0..1439, increasing within a
 * day; gaps are fine), update every timeframe and the consensus.
 * Returns 1 when ndef > 0, 0 when no trend is defined yet, and -1,
 * leaving m unchanged, for a bar out of order or a repeat, a day or
 * minute out of range, a value that is not finite, l > h, or v < 0.
 */
int	 mtf_push(struct mtf *, int64_t, int, double, double, double,
	    double, double);

/*
 * Saving and restoring: mtf_save writes the state (parameters, latest
 * bar time, for each timeframe its forming bucket, latest closed bar,
 * close count and both EMAs) to v, at most MTF_NSAVE(n) doubles, and
 * returns how many, or 0 if cap is too small.  mtf_load restores it
 * into an m initialized with the same sizes and periods and returns 0,
 * or -1 (m unchanged) if v does not fit them or holds a bad value.
 * After a load nnew is 0 and the trends and consensus are as saved.
 */
#define MTF_TF_NSAVE	(21 + 2 * IND_EMA_NSAVE)
#define MTF_NSAVE(n)	(6 + (size_t)(n) * MTF_TF_NSAVE)

size_t	 mtf_save(const struct mtf *, double *, size_t);
int	 mtf_load(struct mtf *, const double *, size_t);

#endif
