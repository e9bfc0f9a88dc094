/*
 * vwap.h: session indicators for scalping, pure: no I/O, no clock, no
 * allocation and no time zone (the caller names each bar's session with
 * an int64 key, such as its local day number).  Same shape as ind.h.
 */
#ifndef VWAP_H
#define VWAP_H

#include <stddef.h>
#include <stdint.h>

/* A compensated (Neumaier) running sum; its value is s + c. */
struct vwap_sum {
	double		 s, c;
};

/*
 * Session VWAP and its sigma bands, data/README.md "Session VWAP and
 * bands": tp = (h + l + c)/3; V, vwap = sum(v*tp)/V and the
 * volume-weighted population variance about the current vwap restart
 * when the session key changes.  The sums are kept about a shift (the
 * session's first typical price with volume), compensated, so there is
 * no cancellation against vwap^2: the first bar's sigma is exactly 0,
 * and a variance below 1e-14 of the second moment about the shift (the
 * rounding floor) is taken as 0.  After a push that returns 1: vol = V,
 * vwap, sd, the bands vwap +- sd and vwap +- 2 sd, and the close's
 * distance from vwap, dist_pct = (c - vwap)/vwap*100 and dist_sd = (c -
 * vwap)/sd.  Undefined values are NAN: everything while V == 0, dist_sd
 * while sd == 0, dist_pct if vwap == 0.
 */
struct vwap {
	long		 nbar;		/* bars in this session; 0: none yet */
	int64_t		 session;	/* its key, once nbar > 0 */
	double		 shift;		/* first typical price with volume */
	struct vwap_sum	 v, vd, vd2;	/* sum v, v*d, v*d*d; d = tp - shift */
	double		 close;		/* of the last bar */
	double		 vol, vwap, sd;
	double		 upper1, lower1, upper2, lower2;
	double		 dist_pct, dist_sd;
};

/* Start with no bar seen; every output NAN. */
void	 vwap_init(struct vwap *);

/*
 * Add the bar (h, l, c, v) of session key s; a new key starts a new
 * session with this bar.  Returns 1 when vwap is defined (V > 0), 0
 * while it is not, or -1, changing nothing, if a price is not finite or
 * v is negative or not finite.
 */
int	 vwap_push(struct vwap *, int64_t, double, double, double, double);

/*
 * Distance of price p from the current vwap: in percent into *pct and in
 * sigmas into *nsd (either may be NULL).  Returns VWAP_DIST_PCT |
 * VWAP_DIST_SD for those that are defined (see struct vwap); an
 * undefined one is set to NAN.
 */
#define VWAP_DIST_PCT	1
#define VWAP_DIST_SD	2

int	 vwap_dist(const struct vwap *, double, double *, double *);

/*
 * ATR-scaled bands: *upper = vwap + k*atr, *lower = vwap - k*atr, with
 * the ATR value the caller computed (ind_atr).  Returns 0, or -1 with
 * nothing stored if vwap is undefined, atr is negative or either is not
 * finite.
 */
int	 vwap_atr_bands(const struct vwap *, double, double, double *,
	    double *);

/*
 * Persistence near VWAP: how long the close has stayed within +-pct % of
 * vwap (|c - vwap|*100 <= pct*|vwap|, edges inside) without a break.
 * push(session, t, c, vwap) with the bar's instant t in ms and vwap NAN
 * when undefined (outside): ms = t - (instant of the first bar of the
 * current run inside), so 0 on that bar.  A bar outside, an undefined
 * vwap or a new session key ends the run.  init returns 0, or -1 if pct
 * is negative or not finite.  push returns 1 inside, 0 outside (ms =
 * 0), or -1, changing nothing, if c is not finite or t is earlier than
 * the previous instant of the same session.
 */
struct vwap_near {
	double		 pct;		/* half-width, % of vwap */
	int		 started;	/* a bar was pushed */
	int64_t		 session;
	int		 in;		/* the last bar was inside */
	int64_t		 since;		/* instant the run inside began */
	int64_t		 last;		/* instant of the last bar */
	int64_t		 ms;		/* time inside so far */
};

int	 vwap_near_init(struct vwap_near *, double);
int	 vwap_near_push(struct vwap_near *, int64_t, int64_t, double,
	    double);

/*
 * Session high and low and the close's position in that range: pos =
 * (c - low)/(high - low), clamped to [0, 1], and 0.5 when high == low.
 * The bar's own h and l are in the range first.  push(session, h, l, c)
 * returns 1, or -1, changing nothing, if a value is not finite or l > h.
 */
struct vwap_range {
	long		 nbar;		/* bars in this session; 0: none yet */
	int64_t		 session;
	double		 high, low, close;
	double		 pos;
};

void	 vwap_range_init(struct vwap_range *);
int	 vwap_range_push(struct vwap_range *, int64_t, double, double,
	    double);

/*
 * What the volume indicators define after a push (a bit set).  MEAN:
 * mean, over a full window with this bar; BASE: base, the baseline this
 * bar is judged against; RATIO: ratio = v/base and spike = (ratio >=
 * threshold), when base > 0 (else ratio is NAN and spike 0).
 */
#define VWAP_MEAN	1
#define VWAP_BASE	2
#define VWAP_RATIO	4

/*
 * Rolling volume over the last n bars, in a ring of n doubles the caller
 * provides and keeps as long as the struct.  Sums are exact (an int64)
 * while the window holds whole volumes below 2^46, else compensated,
 * oldest first.  After push(v): mean = mean of the last n with v, from
 * the n-th bar; base = mean of the n bars before v, from the (n+1)-th;
 * ratio, spike.  Sessions do not reset it.  init returns 0, or -1 if n
 * is not in 1..VWAP_VOL_MAX, buf is NULL or thr is negative or not
 * finite.  push returns the VWAP_ bits, or -1, changing nothing, if v
 * is negative or not finite.
 */
#define VWAP_VOL_MAX	100000

struct vwap_vol {
	int		 n;
	double		 thr;		/* spike threshold on ratio */
	double		*x;		/* ring of n, borrowed */
	int		 pos;		/* where the next value goes */
	long		 k;		/* values seen */
	int64_t		 isum;		/* sum of the whole values in it */
	int		 nfrac;		/* values in it that are not whole */
	double		 v, mean, base, ratio;
	int		 spike;
};

int	 vwap_vol_init(struct vwap_vol *, int, double, double *);
int	 vwap_vol_push(struct vwap_vol *, double);

/*
 * Time-of-day volume baseline: push(session, minute, v), with minute the
 * bar's index 0..m-1 in its session, judges v against base = the mean
 * volume at the same minute over the previous k sessions that have it,
 * nbase of them (defined once one has it); ratio and spike as above.
 * The caller provides buf of k*m doubles (VWAP_TOD_NBUF) and keeps it as
 * long as the struct: one row per session, the oldest overwritten by
 * today's, -1 where a session had no bar.  Minutes must increase within
 * a session.  init returns 0, or -1 if k or m < 1, k*m >
 * VWAP_TOD_MAX, buf is NULL or thr is negative or not finite.  push
 * returns the VWAP_BASE and VWAP_RATIO bits, or -1, changing nothing,
 * if minute is out of range or not after the session's previous one,
 * or v is negative or not finite.
 */
#define VWAP_TOD_MAX		10000000
#define VWAP_TOD_NBUF(k, m)	((size_t)(k) * (size_t)(m))

struct vwap_tod {
	int		 k, m;
	double		 thr;		/* spike threshold on ratio */
	double		*x;		/* k rows of m, borrowed */
	int		 started;	/* a bar was pushed */
	int64_t		 session;
	int		 cur;		/* today's row */
	int		 last;		/* today's last minute, -1: none */
	double		 v, base, ratio;
	int		 nbase;
	int		 spike;
};

int	 vwap_tod_init(struct vwap_tod *, int, int, double, double *);
int	 vwap_tod_push(struct vwap_tod *, int64_t, int, double);

/*
 * Saving and restoring state, as ind.h: save writes every number the
 * struct needs into out, all finite (journal JSON has no NAN), and
 * returns how many, or 0 if cap is smaller than the _NSAVE count; load
 * restores them, outputs included, into a struct initialized with the
 * same parameters (and buffer size) and returns 0, or -1 if v does not
 * fit them.  Pushing on after save and load gives the same doubles as
 * pushing straight through.
 */
#define VWAP_NSAVE		10
#define VWAP_NEAR_NSAVE		6
#define VWAP_RANGE_NSAVE	5
#define VWAP_VOL_NSAVE(n)	(4 + (size_t)(n))
#define VWAP_TOD_NSAVE(k, m)	(10 + VWAP_TOD_NBUF(k, m))

size_t	 vwap_save(const struct vwap *, double *, size_t);
int	 vwap_load(struct vwap *, const double *, size_t);
size_t	 vwap_near_save(const struct vwap_near *, double *, size_t);
int	 vwap_near_load(struct vwap_near *, const double *, size_t);
size_t	 vwap_range_save(const struct vwap_range *, double *, size_t);
int	 vwap_range_load(struct vwap_range *, const double *, size_t);
size_t	 vwap_vol_save(const struct vwap_vol *, double *, size_t);
int	 vwap_vol_load(struct vwap_vol *, const double *, size_t);
size_t	 vwap_tod_save(const struct vwap_tod *, double *, size_t);
int	 vwap_tod_load(struct vwap_tod *, const double *, size_t);

#endif
