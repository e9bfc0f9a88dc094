/*
 * calc.c: the calc-indicators stage.  A list of units (fast cloud,
 * macro cloud, volume window, EMA, ATR...) is built once from the
 * config; each (symbol, time frame) gets one block holding the state of
 * every unit, made on its first bar, so a bar costs no allocation.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "clock.h"
#include "ind.h"
#include "journal.h"
#include "micro.h"
#include "mtf.h"
#include "ou.h"
#include "rec.h"
#include "structure.h"
#include "vwap.h"

#define CALC_UNITS	32	/* units in one stage */
#define UNIT_OUT	12	/* outputs of one unit */
#define NAME_LEN	40
#define STATE_VERSION	1
#define PERIOD_MAX	10000

enum unit_kind {
	U_CLOUD,	/* ema<s> ema<l> cloud<s>_<l> flip<s>_<l> */
	U_MACRO,	/* ema<s>_<tf> ema<l>_<tf> n_<tf> */
	U_VOL,		/* vol_sum<n> vol_avg<n> vol_sma<n> */
	U_EMA,		/* ema<n> */
	U_SMA,		/* sma<n> */
	U_BB,		/* bb_upper bb_middle bb_lower */
	U_TRANGE,	/* trange */
	U_ATR,		/* atr<n> */
	U_RSI,		/* rsi<n> */
	/* On bars; VWAP, range and time of day restart each session
	 * (the local date), the others run across sessions. */
	U_VWAP,		/* vwap vwap_sd vwap_u1 ... vwap_atr_l */
	U_RANGE,	/* sess_high sess_low range_pos */
	U_VOLR,		/* vol_ratio<n> vol_spike<n> */
	U_TOD,		/* vol_tod_ratio vol_tod_spike */
	U_OU,		/* ou_theta ou_mu ou_sigma ou_half_life ou_z ou_drift */
	U_MTF,		/* trend_5m trend_10m trend_15m mtf_consensus */
	U_STRUCT,	/* support resistance ... engulf pinbar */
	/* On quotes. */
	U_OFI,		/* ofi ofi_norm ofi_net */
	U_SPREAD,	/* spread spread_pct ... spread_asia */
	U_SPEED,	/* vel_5s vel_15s vel_30s vel_60s spike_30s accel */
	/* On funding records. */
	U_FUNDING	/* funding_rate funding_ms */
};

/* Minutes in the time-of-day baseline's rows: any local minute. */
#define TOD_MINUTES	1440

/* What kind of record feeds a unit, and the tf key of its state. */
enum feed { FEED_BARS, FEED_QUOTES, FEED_FUNDING };
#define TF_QUOTE	"quote"
#define TF_FUNDING	"funding"

struct unit {
	enum unit_kind	 kind;
	int		 p1, p2;	/* periods */
	double		 m;		/* Bollinger multiple */
	char		 id[NAME_LEN];	/* its key in the saved state */
	char		 name[UNIT_OUT][NAME_LEN];
	int		 nout;
	unsigned	 on;		/* outputs asked for, by bit */
	size_t		 ring;		/* doubles of ring it needs */
	const struct cfg_ind *prm;	/* the stage's [indicators] */
	size_t		 off;		/* where they are in a symbol's pool */
};

/* The structure detectors, on defaults, and the ATR they measure in. */
struct struct_unit {
	struct structure_piv	 piv;
	struct structure_sweep	 sweep;
	struct structure_ob	 ob;
	struct structure_choch	 choch;
	struct structure_candle	 candle;
	struct ind_atr		 atr;
};

struct vwap_unit {
	struct vwap		 w;
	struct vwap_near	 near;
	struct ind_atr		 atr;
};

union ustate {
	struct vwap_unit	 vw;
	struct struct_unit	 st;
	struct vwap_range	 range;
	struct vwap_vol		 volr;
	struct vwap_tod		 tod;
	struct ou		 ou;
	struct mtf		 mtf;
	struct micro_ofi	 ofi;
	struct micro_spread	 spread;
	struct micro_speed	 speed;
	struct micro_funding	 funding;
	struct ind_cloud	 cloud;
	struct ind_macro	 macro;
	struct ind_vol		 vol;
	struct ind_ema		 ema;
	struct ind_sma		 sma;
	struct ind_bb		 bb;
	struct ind_trange	 tr;
	struct ind_atr		 atr;
	struct ind_rsi		 rsi;
};

/* The state of one (symbol, time frame): one allocation. */
struct sym {
	struct sym	*next;		/* in its hash chain */
	struct sym	*all;		/* in order of arrival */
	uint32_t	 hash;
	char		 symbol[REC_SYM];
	char		 tf[8];
	int64_t		 tf_ms;
	int64_t		 last_ts;	/* of the last bar taken */
	int64_t		 saved_ts;	/* last ts of the loaded state */
	int		 started;	/* took a bar in this run */
	enum feed	 feed;		/* bars, quotes or funding */
	struct sym	*fund;		/* its funding, once looked up */
	int		 macro_ok;	/* tf fits the macro buckets */
	long		 nbars;
	union ustate	*u;		/* one per unit */
	double		*pool;		/* the units' rings */
};

struct calc {
	struct cfg_ind	 p;		/* the [indicators] parameters */
	char		 phash[12];	/* their hash, in the units' ids */
	struct unit	 units[CALC_UNITS];
	int		 nunits;
	size_t		 pool;		/* ring doubles per symbol */
	size_t		 nsave;		/* largest saved unit */
	double		*scratch;	/* nsave doubles */
	int		 macro_min;	/* bucket size, minutes */
	char		 macro_tf[8];
	int		 need_tz;
	struct tz	 tz;
	struct journal	*j;
	struct sym	**tab;		/* hash buckets */
	size_t		 tabsz, nsyms;
	struct sym	*first, *last_new;	/* the arrival list */
	struct sym	*cache;		/* the symbol of the last bar */
	char		*buf;		/* for state text */
	size_t		 len, cap;
	long		 enriched, seen;
};

/* Building the units. */

static struct unit *
unit_add(struct calc *c, enum unit_kind k, int p1, int p2)
{
	struct unit *u;

	if (c->nunits == CALC_UNITS)
		return NULL;
	u = &c->units[c->nunits++];
	memset(u, 0, sizeof(*u));
	u->prm = &c->p;
	u->kind = k;
	u->p1 = p1;
	u->p2 = p2;
	u->m = 2.0;
	return u;
}

/*
 * Buffers of the structure detectors on their defaults, in doubles:
 * levels for three pivot sets, the sweep's volumes, the blocks' zones.
 */

static size_t
struct_bytes(size_t n, size_t size)
{
	return (n * size + sizeof(double) - 1) / sizeof(double);
}

static size_t
struct_ring(const struct cfg_ind *p)
{
	int l = p->pivot_left, r = p->pivot_right;

	return struct_bytes(STRUCTURE_PIV_NBUF(l, r, p->pivot_keep),
	    sizeof(struct structure_lvl)) +
	    struct_bytes(STRUCTURE_PIV_NBUF(l, r, 1),
	    sizeof(struct structure_lvl)) + p->sweep_bars +
	    struct_bytes(2 * p->ob_keep, sizeof(struct structure_zone)) +
	    struct_bytes(STRUCTURE_PIV_NBUF(l, r, 2),
	    sizeof(struct structure_lvl));
}

/* The units whose names do not depend on a period. */
static void
fixed_names(struct unit *u, const char *phash)
{
	static const struct {
		enum unit_kind	 kind;
		const char	*id;
		size_t		 ring;
		const char	*names[UNIT_OUT];
	} fixed[] = {
		{ U_VWAP, "vwap", 0, { "vwap", "vwap_sd", "vwap_u1", "vwap_l1",
		    "vwap_u2", "vwap_l2", "vwap_dist_pct", "vwap_dist_sd",
		    "vwap_near_ms", "vwap_atr_u", "vwap_atr_l" } },
		{ U_RANGE, "range", 0, { "sess_high", "sess_low",
		    "range_pos" } },
		{ U_TOD, "tod", 0, { "vol_tod_ratio", "vol_tod_spike" } },
		{ U_OU, "ou", 0, { "ou_theta", "ou_mu", "ou_sigma",
		    "ou_half_life", "ou_z", "ou_drift" } },
		{ U_MTF, "mtf", 0, { "trend_5m", "trend_10m", "trend_15m",
		    "mtf_consensus" } },
		{ U_OFI, "ofi", MICRO_OFI_W, { "ofi", "ofi_norm",
		    "ofi_net" } },
		{ U_SPREAD, "spread", MICRO_SPREAD_W, { "spread",
		    "spread_pct", "spread_mean", "spread_sd", "spread_ratio",
		    "spread_asia" } },
		{ U_SPEED, "speed", MICRO_SPEED_W, { "vel_5s", "vel_15s",
		    "vel_30s", "vel_60s", "spike_30s", "accel" } },
		{ U_FUNDING, "funding", 0, { "funding_rate", "funding_ms" } },
		{ U_STRUCT, "structure", 0, { "support", "resistance",
		    "support_atr", "resistance_atr", "sweep", "sweep_conf",
		    "ob_retest", "ob_fresh", "choch", "engulf", "pinbar" } },
	};
	size_t i;
	int k;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		if (fixed[i].kind != u->kind)
			continue;
		/* Other parameters, other state: the id carries them. */
		snprintf(u->id, NAME_LEN, "%s.%d.%d.%s", fixed[i].id, u->p1,
		    u->p2, phash);
		for (k = 0; k < UNIT_OUT && fixed[i].names[k] != NULL; k++)
			sk_strlcpy(u->name[k], fixed[i].names[k], NAME_LEN);
		u->nout = k;
		switch (u->kind) {
		case U_STRUCT:
			u->ring = struct_ring(u->prm);
			break;
		case U_TOD:
			u->ring = VWAP_TOD_NBUF(u->p1, TOD_MINUTES);
			break;
		case U_OU:
			u->ring = (size_t)u->p1;
			break;
		default:
			/* Quote windows: p1 quotes of fixed[i].ring each. */
			u->ring = fixed[i].ring * (size_t)u->p1;
			break;
		}
		return;
	}
}

/* What feeds a unit. */
static enum feed
unit_feed(const struct unit *u)
{
	switch (u->kind) {
	case U_OFI:
	case U_SPREAD:
	case U_SPEED:
		return FEED_QUOTES;
	case U_FUNDING:
		return FEED_FUNDING;
	default:
		return FEED_BARS;
	}
}

/* Names and ids from the periods; snprintf cannot overflow NAME_LEN. */
static void
unit_names(struct calc *c, struct unit *u)
{
	const char *tf = c->macro_tf;
	int a = u->p1, b = u->p2;

	switch (u->kind) {
	case U_CLOUD:
		snprintf(u->id, NAME_LEN, "cloud%d_%d", a, b);
		snprintf(u->name[0], NAME_LEN, "ema%d", a);
		snprintf(u->name[1], NAME_LEN, "ema%d", b);
		snprintf(u->name[2], NAME_LEN, "cloud%d_%d", a, b);
		snprintf(u->name[3], NAME_LEN, "flip%d_%d", a, b);
		u->nout = 4;
		break;
	case U_MACRO:
		snprintf(u->id, NAME_LEN, "macro%d_%d_%s", a, b, tf);
		snprintf(u->name[0], NAME_LEN, "ema%d_%s", a, tf);
		snprintf(u->name[1], NAME_LEN, "ema%d_%s", b, tf);
		snprintf(u->name[2], NAME_LEN, "n_%s", tf);
		u->nout = 3;
		break;
	case U_VOL:
		snprintf(u->id, NAME_LEN, "vol%d", a);
		snprintf(u->name[0], NAME_LEN, "vol_sum%d", a);
		snprintf(u->name[1], NAME_LEN, "vol_avg%d", a);
		snprintf(u->name[2], NAME_LEN, "vol_sma%d", a);
		u->nout = 3;
		u->ring = (size_t)a;
		break;
	case U_EMA:
		snprintf(u->id, NAME_LEN, "ema%d", a);
		snprintf(u->name[0], NAME_LEN, "ema%d", a);
		u->nout = 1;
		break;
	case U_SMA:
		snprintf(u->id, NAME_LEN, "sma%d", a);
		snprintf(u->name[0], NAME_LEN, "sma%d", a);
		u->nout = 1;
		u->ring = (size_t)a;
		break;
	case U_BB:
		snprintf(u->id, NAME_LEN, "bb%d_%g", a, u->m);
		snprintf(u->name[0], NAME_LEN, "bb_upper");
		snprintf(u->name[1], NAME_LEN, "bb_middle");
		snprintf(u->name[2], NAME_LEN, "bb_lower");
		u->nout = 3;
		u->ring = (size_t)a;
		break;
	case U_TRANGE:
		snprintf(u->id, NAME_LEN, "trange");
		snprintf(u->name[0], NAME_LEN, "trange");
		u->nout = 1;
		break;
	case U_ATR:
		snprintf(u->id, NAME_LEN, "atr%d", a);
		snprintf(u->name[0], NAME_LEN, "atr%d", a);
		u->nout = 1;
		break;
	case U_RSI:
		snprintf(u->id, NAME_LEN, "rsi%d", a);
		snprintf(u->name[0], NAME_LEN, "rsi%d", a);
		u->nout = 1;
		break;
	case U_VOLR:
		snprintf(u->id, NAME_LEN, "volr%d", a);
		snprintf(u->name[0], NAME_LEN, "vol_ratio%d", a);
		snprintf(u->name[1], NAME_LEN, "vol_spike%d", a);
		u->nout = 2;
		u->ring = (size_t)a;
		break;
	default:
		fixed_names(u, c->phash);
		break;
	}
}

/* How many numbers a unit's saved state can hold. */
static size_t
unit_nsave(const struct unit *u)
{
	switch (u->kind) {
	case U_CLOUD:
		return IND_CLOUD_NSAVE;
	case U_MACRO:
		return IND_MACRO_NSAVE;
	case U_EMA:
		return IND_EMA_NSAVE;
	case U_TRANGE:
		return IND_TRANGE_NSAVE;
	case U_ATR:
		return IND_ATR_NSAVE;
	case U_RSI:
		return IND_RSI_NSAVE;
	case U_VWAP:
		return VWAP_NSAVE + VWAP_NEAR_NSAVE + IND_ATR_NSAVE;
	case U_RANGE:
		return VWAP_RANGE_NSAVE;
	case U_VOLR:
		return VWAP_VOL_NSAVE(u->p1);
	case U_TOD:
		return VWAP_TOD_NSAVE(u->p1, TOD_MINUTES);
	case U_OU:
		return OU_NSAVE(u->p1);
	case U_MTF:
		return MTF_NSAVE(3);
	case U_OFI:
		return MICRO_OFI_NSAVE(u->p1);
	case U_SPREAD:
		return MICRO_SPREAD_NSAVE(u->p1);
	case U_SPEED:
		return MICRO_SPEED_NSAVE(u->p1);
	case U_FUNDING:
		return MICRO_FUNDING_NSAVE;
	case U_STRUCT: {
		const struct cfg_ind *p = u->prm;
		int l = p->pivot_left, r = p->pivot_right;

		/* Five detectors and the ATR, each after its length. */
		return 6 + STRUCTURE_PIV_NSAVE(l, r, p->pivot_keep) +
		    STRUCTURE_SWEEP_NSAVE(l, r, p->sweep_bars) +
		    STRUCTURE_OB_NSAVE(p->ob_keep) +
		    STRUCTURE_CHOCH_NSAVE(l, r) +
		    STRUCTURE_CANDLE_NSAVE + IND_ATR_NSAVE;
	}
	default:
		return IND_WIN_NSAVE(u->ring);
	}
}

/* "ema21" -> 21 if s is prefix then a period in range, else 0. */
static int
period_of(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long v;

	if (strncmp(s, prefix, n) != 0 || s[n] < '1' || s[n] > '9')
		return 0;
	v = strtol(s + n, &end, 10);
	if (*end != '\0' || v < 1 || v > PERIOD_MAX)
		return 0;
	return (int)v;
}

/* "cloud8_9" -> 8, 9 (short < long, both periods in range): 0, or -1. */
static int
cloud_of(const char *s, int *a, int *b)
{
	char head[NAME_LEN];
	const char *u = strchr(s, '_');

	if (u == NULL || (size_t)(u - s) >= sizeof(head))
		return -1;
	memcpy(head, s, (size_t)(u - s));
	head[u - s] = '\0';
	*a = period_of(head, "cloud");
	*b = period_of(u + 1, "");
	return *a > 0 && *b > *a ? 0 : -1;
}

/* Turn on the output called name if some unit has it: 1, else 0. */
static int
select_known(struct calc *c, const char *name)
{
	int i, k, found = 0;

	for (i = 0; i < c->nunits; i++)
		for (k = 0; k < c->units[i].nout; k++)
			if (strcmp(c->units[i].name[k], name) == 0) {
				c->units[i].on |= 1u << k;
				found = 1;
			}
	return found;
}

static void
select_all(struct calc *c)
{
	int i;

	for (i = 0; i < c->nunits; i++)
		c->units[i].on = (1u << c->units[i].nout) - 1;
}

static void
select_default(struct calc *c)
{
	int i;

	for (i = 0; i < c->nunits; i++)
		if (c->units[i].kind == U_CLOUD ||
		    c->units[i].kind == U_MACRO || c->units[i].kind == U_VOL)
			c->units[i].on = (1u << c->units[i].nout) - 1;
}

/* A name no unit has yet: a new unit of its kind, or an error. */
static int
select_new(struct calc *c, const char *name, struct sk_err *e)
{
	static const struct {
		const char	*prefix;
		enum unit_kind	 kind;
	} kinds[] = {
		{ "ema", U_EMA }, { "sma", U_SMA }, { "atr", U_ATR },
		{ "rsi", U_RSI }
	};
	struct unit *u;
	size_t i;
	int p, q;

	/* "cloud8_9": an EMA cloud of any pair, as the fast one is made. */
	if (cloud_of(name, &p, &q) == 0) {
		u = unit_add(c, U_CLOUD, p, q);
		if (u == NULL)
			return sk_errf(e, SK_USAGE, "-i: more than %d "
			    "indicators", CALC_UNITS);
		unit_names(c, u);
		u->on = (1u << u->nout) - 1;
		return 0;
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		p = period_of(name, kinds[i].prefix);
		if (p == 0)
			continue;
		u = unit_add(c, kinds[i].kind, p, 0);
		if (u == NULL)
			return sk_errf(e, SK_USAGE, "-i: more than %d "
			    "indicators", CALC_UNITS);
		unit_names(c, u);
		u->on = 1;
		return 0;
	}
	return sk_errf(e, SK_USAGE, "-i: unknown indicator '%s'", name);
}

static int
select_list(struct calc *c, const char *list, struct sk_err *e)
{
	char name[NAME_LEN];
	const char *p = list, *q;
	size_t n;

	for (;;) {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n == 0 || n >= sizeof(name))
			return sk_errf(e, SK_USAGE, "-i: bad list '%s'", list);
		memcpy(name, p, n);
		name[n] = '\0';
		if (strcmp(name, "default") == 0)
			select_default(c);
		else if (strcmp(name, "all") == 0)
			select_all(c);
		else if (!select_known(c, name) &&
		    select_new(c, name, e) == -1)
			return -1;
		if (q == NULL)
			return 0;
		p = q + 1;
	}
}

/* Drop units with nothing asked of them; lay out the rings. */
static void
units_pack(struct calc *c)
{
	int i, n = 0;

	c->pool = 0;
	c->nsave = 0;
	for (i = 0; i < c->nunits; i++) {
		if (c->units[i].on == 0)
			continue;
		c->units[n] = c->units[i];
		c->units[n].off = c->pool;
		c->pool += c->units[n].ring;
		if (unit_nsave(&c->units[n]) > c->nsave)
			c->nsave = unit_nsave(&c->units[n]);
		if (c->units[n].kind == U_MACRO ||
		    (unit_feed(&c->units[n]) == FEED_BARS &&
		    c->units[n].kind >= U_VWAP))
			c->need_tz = 1;
		n++;
	}
	c->nunits = n;
}

static int
check_period(int p, const char *what, struct sk_err *e)
{
	if (p < 1 || p > PERIOD_MAX)
		return sk_errf(e, SK_DATA, "%s: period %d out of range 1..%d",
		    what, p, PERIOD_MAX);
	return 0;
}

/* A digest of the [indicators] parameters as text, in 8 hex digits. */
static void
param_hash(const struct cfg_ind *p, char *out)
{
	char b[512];

	snprintf(b, sizeof(b), "%.17g %d %.17g %.17g %d %d %.17g %d %d %d "
	    "%d %d %d %d %.17g %d %d %d %d %d %.17g %.17g %d %d %.17g %.17g",
	    p->vwap_near_pct, p->vwap_atr_period, p->vwap_atr_mult,
	    p->vol_spike, p->tod_sessions, p->ou_window, p->ou_z, p->mtf_fast,
	    p->mtf_slow, p->quote_ring, p->ofi_window, p->spread_window,
	    p->speed_tau, p->accel_window, p->speed_spike_pct,
	    p->funding_hours, p->pivot_left, p->pivot_right, p->pivot_keep,
	    p->sweep_bars, p->sweep_wick, p->sweep_volume, p->ob_bars,
	    p->ob_keep, p->ob_impulse_atr, p->pin_wick);
	snprintf(out, 12, "%08x", (unsigned)(sk_hash(b) >> 32));
}

/* The candidate units every list chooses from, periods from cfg. */
static int
units_from_config(struct calc *c, const struct config *cfg,
    struct sk_err *e)
{
	const struct cfg_strategy *s = &cfg->strategy;
	int64_t ms;

	c->p = cfg->ind;
	param_hash(&c->p, c->phash);
	if (check_period(s->fast_short, "fast_short", e) == -1 ||
	    check_period(s->fast_long, "fast_long", e) == -1 ||
	    check_period(s->macro_short, "macro_short", e) == -1 ||
	    check_period(s->macro_long, "macro_long", e) == -1 ||
	    check_period(s->vol_window, "vol_window", e) == -1)
		return -1;
	ms = rec_tf_ms(s->macro_tf);
	if (ms <= 0 || ms % CLOCK_MIN != 0 || ms > CLOCK_DAY)
		return sk_errf(e, SK_DATA, "macro_tf: '%s' is not a whole "
		    "number of minutes up to 1d", s->macro_tf);
	c->macro_min = (int)(ms / CLOCK_MIN);
	sk_strlcpy(c->macro_tf, s->macro_tf, sizeof(c->macro_tf));
	unit_names(c, unit_add(c, U_CLOUD, s->fast_short, s->fast_long));
	unit_names(c, unit_add(c, U_MACRO, s->macro_short, s->macro_long));
	unit_names(c, unit_add(c, U_VOL, s->vol_window, 0));
	/* The first units never overflow the table: no NULL here. */
	unit_names(c, unit_add(c, U_TRANGE, 0, 0));
	unit_names(c, unit_add(c, U_BB, 20, 0));
	unit_names(c, unit_add(c, U_VWAP, c->p.vwap_atr_period, 0));
	unit_names(c, unit_add(c, U_RANGE, 0, 0));
	unit_names(c, unit_add(c, U_VOLR, s->vol_window, 0));
	unit_names(c, unit_add(c, U_TOD, c->p.tod_sessions, 0));
	unit_names(c, unit_add(c, U_OU, c->p.ou_window, 0));
	unit_names(c, unit_add(c, U_MTF, c->p.mtf_fast, c->p.mtf_slow));
	unit_names(c, unit_add(c, U_STRUCT, 0, 0));
	unit_names(c, unit_add(c, U_OFI, c->p.quote_ring,
	    c->p.ofi_window));
	unit_names(c, unit_add(c, U_SPREAD, c->p.quote_ring,
	    c->p.spread_window));
	unit_names(c, unit_add(c, U_SPEED, c->p.quote_ring,
	    c->p.accel_window));
	unit_names(c, unit_add(c, U_FUNDING, c->p.funding_hours, 0));
	return 0;
}

/* Symbols. */

static uint32_t
sym_hash(const char *symbol, const char *tf)
{
	uint32_t h = 2166136261u;
	const unsigned char *p;

	for (p = (const unsigned char *)symbol; *p; p++)
		h = (h ^ *p) * 16777619u;
	h = (h ^ '/') * 16777619u;
	for (p = (const unsigned char *)tf; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* The structure detectors on their defaults over ring (struct_ring()). */
static void
struct_reset(struct struct_unit *su, double *ring,
    const struct cfg_ind *p)
{
	struct structure_piv_par pp;
	struct structure_sweep_par sp;
	struct structure_ob_par op;
	struct structure_choch_par cp;
	struct structure_candle_par dp;
	double *q = ring;
	int l = p->pivot_left, r = p->pivot_right;

	structure_piv_default(&pp);
	pp.left = p->pivot_left;
	pp.right = p->pivot_right;
	pp.keep = p->pivot_keep;
	structure_piv_init(&su->piv, &pp, (struct structure_lvl *)q);
	q += struct_bytes(STRUCTURE_PIV_NBUF(l, r, p->pivot_keep),
	    sizeof(struct structure_lvl));
	structure_sweep_default(&sp);
	sp.left = p->pivot_left;
	sp.right = p->pivot_right;
	sp.nvol = p->sweep_bars;
	sp.wick = p->sweep_wick;
	sp.vol = p->sweep_volume;
	structure_sweep_init(&su->sweep, &sp, (struct structure_lvl *)q,
	    q + struct_bytes(STRUCTURE_PIV_NBUF(l, r, 1),
	    sizeof(struct structure_lvl)));
	q += struct_bytes(STRUCTURE_PIV_NBUF(l, r, 1),
	    sizeof(struct structure_lvl)) + p->sweep_bars;
	structure_ob_default(&op);
	op.keep = p->ob_keep;
	op.k = p->ob_bars;
	op.x = p->ob_impulse_atr;
	structure_ob_init(&su->ob, &op, (struct structure_zone *)q);
	q += struct_bytes(2 * p->ob_keep, sizeof(struct structure_zone));
	structure_choch_default(&cp);
	cp.left = p->pivot_left;
	cp.right = p->pivot_right;
	structure_choch_init(&su->choch, &cp, (struct structure_lvl *)q);
	structure_candle_default(&dp);
	dp.ratio = p->pin_wick;
	structure_candle_init(&su->candle, &dp);
	ind_atr_init(&su->atr, 14);
}

/* Fresh state for the newer units; parameters are fixed, so no error. */
static void
unit_reset(const struct cfg_ind *p, const struct sym *s,
    const struct unit *u, union ustate *st, double *ring)
{
	static const int sizes[] = { 5, 10, 15 };
	struct ou_param op;

	switch (u->kind) {
	case U_VWAP:
		vwap_init(&st->vw.w);
		vwap_near_init(&st->vw.near, p->vwap_near_pct);
		ind_atr_init(&st->vw.atr, u->p1);
		break;
	case U_RANGE:
		vwap_range_init(&st->range);
		break;
	case U_VOLR:
		vwap_vol_init(&st->volr, u->p1, p->vol_spike, ring);
		break;
	case U_TOD:
		vwap_tod_init(&st->tod, u->p1, TOD_MINUTES, p->vol_spike, ring);
		break;
	case U_OU:
		ou_param_default(&op, u->p1, s->tf_ms > 0 ?
		    (double)s->tf_ms / 1000 : 60);
		op.k = p->ou_z;
		ou_init(&st->ou, &op, ring);
		break;
	case U_MTF:
		mtf_init(&st->mtf, sizes, 3, u->p1, u->p2);
		break;
	case U_OFI:
		micro_ofi_init(&st->ofi, (int64_t)u->p2 * 1000, u->p1, ring);
		break;
	case U_SPREAD:
		micro_spread_init(&st->spread, (int64_t)u->p2 * 1000, 0, u->p1,
		    ring);
		break;
	case U_SPEED:
		micro_speed_init(&st->speed, (int64_t)p->speed_tau * 1000,
		    (int64_t)u->p2 * 1000, p->speed_spike_pct, u->p1, ring);
		break;
	case U_FUNDING:
		micro_funding_init(&st->funding, (int64_t)u->p1 * 3600000);
		break;
	case U_STRUCT:
		struct_reset(&st->st, ring, p);
		break;
	default:
		break;
	}
}

/* Fresh state for every unit of s. */
static void
sym_reset(const struct calc *c, struct sym *s)
{
	const struct unit *u;
	union ustate *st;
	double *ring;
	int i, span;

	s->last_ts = TS_UNSET;
	s->saved_ts = TS_UNSET;
	s->started = 0;
	s->nbars = 0;
	span = (int)(s->tf_ms / CLOCK_MIN);
	s->macro_ok = s->tf_ms % CLOCK_MIN == 0 && span >= 1 &&
	    c->macro_min % span == 0;
	for (i = 0; i < c->nunits; i++) {
		u = &c->units[i];
		st = &s->u[i];
		ring = s->pool + u->off;
		/* Periods were checked when the units were made. */
		switch (u->kind) {
		case U_CLOUD:
			ind_cloud_init(&st->cloud, u->p1, u->p2);
			break;
		case U_MACRO:
			ind_macro_init(&st->macro, c->macro_min,
			    s->macro_ok ? span : 1, u->p1, u->p2);
			break;
		case U_VOL:
			ind_vol_init(&st->vol, u->p1, ring);
			break;
		case U_EMA:
			ind_ema_init(&st->ema, u->p1);
			break;
		case U_SMA:
			ind_sma_init(&st->sma, u->p1, ring);
			break;
		case U_BB:
			ind_bb_init(&st->bb, u->p1, u->m, ring);
			break;
		case U_TRANGE:
			ind_trange_init(&st->tr);
			break;
		case U_ATR:
			ind_atr_init(&st->atr, u->p1);
			break;
		case U_RSI:
			ind_rsi_init(&st->rsi, u->p1);
			break;
		default:
			unit_reset(&c->p, s, u, st, ring);
			break;
		}
	}
}

static void
tab_grow(struct calc *c)
{
	struct sym **tab, *s, *next;
	size_t i, n = c->tabsz ? c->tabsz * 2 : 64;

	tab = xcalloc(n, sizeof(*tab));
	for (i = 0; i < c->tabsz; i++)
		for (s = c->tab[i]; s != NULL; s = next) {
			next = s->next;
			s->next = tab[s->hash & (n - 1)];
			tab[s->hash & (n - 1)] = s;
		}
	free(c->tab);
	c->tab = tab;
	c->tabsz = n;
}

static struct sym *
sym_find(const struct calc *c, const char *symbol, const char *tf,
    uint32_t h)
{
	struct sym *s;

	if (c->tabsz == 0)
		return NULL;
	for (s = c->tab[h & (c->tabsz - 1)]; s != NULL; s = s->next)
		if (s->hash == h && strcmp(s->symbol, symbol) == 0 &&
		    strcmp(s->tf, tf) == 0)
			return s;
	return NULL;
}

static struct sym *
sym_new(struct calc *c, const char *symbol, const char *tf, int64_t tf_ms,
    uint32_t h)
{
	struct sym *s;
	size_t sz;

	if (c->nsyms >= c->tabsz)
		tab_grow(c);
	/* struct sym and union ustate are both 8-aligned. */
	sz = sizeof(*s) + (size_t)c->nunits * sizeof(union ustate) +
	    c->pool * sizeof(double);
	s = xcalloc(1, sz);
	s->u = (union ustate *)(s + 1);
	s->pool = (double *)(s->u + c->nunits);
	s->hash = h;
	sk_strlcpy(s->symbol, symbol, sizeof(s->symbol));
	sk_strlcpy(s->tf, tf, sizeof(s->tf));
	s->tf_ms = tf_ms;
	s->feed = strcmp(tf, TF_QUOTE) == 0 ? FEED_QUOTES :
	    strcmp(tf, TF_FUNDING) == 0 ? FEED_FUNDING : FEED_BARS;
	sym_reset(c, s);
	s->next = c->tab[h & (c->tabsz - 1)];
	c->tab[h & (c->tabsz - 1)] = s;
	if (c->last_new != NULL)
		c->last_new->all = s;
	else
		c->first = s;
	c->last_new = s;
	c->nsyms++;
	return s;
}

/* Saved state: {"v":1,"last_ts":ms,"bars":n,"units":{"id":[...]}} */

static void
buf_put(struct calc *c, const char *s, size_t n)
{
	if (c->len + n + 1 > c->cap) {
		while (c->len + n + 1 > c->cap)
			c->cap = c->cap ? c->cap * 2 : 4096;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

/* %.17g reads back as the same double; JSON has no inf or nan. */
static void
buf_num(struct calc *c, double v)
{
	char b[40];
	int n;

	if (!isfinite(v)) {
		buf_put(c, "null", 4);
		return;
	}
	n = snprintf(b, sizeof(b), "%.17g", v);
	buf_put(c, b, (size_t)n);
}

/* Each detector's state after its length, so load can split them. */
static size_t
struct_save(const struct struct_unit *su, double *v, size_t cap)
{
	size_t n = 0, k;

#define PART(call) do {							\
	k = (call);							\
	if (k == 0)	/* no room: save nothing */			\
		return 0;						\
	v[n] = (double)k;						\
	n += 1 + k;							\
} while (0)
	PART(structure_piv_save(&su->piv, v + n + 1, cap - n - 1));
	PART(structure_sweep_save(&su->sweep, v + n + 1, cap - n - 1));
	PART(structure_ob_save(&su->ob, v + n + 1, cap - n - 1));
	PART(structure_choch_save(&su->choch, v + n + 1, cap - n - 1));
	PART(structure_candle_save(&su->candle, v + n + 1, cap - n - 1));
	PART(ind_atr_save(&su->atr, v + n + 1));
#undef PART
	return n;
}

static int
struct_load(struct struct_unit *su, const double *v, size_t len)
{
	size_t n = 0, k;
	int i, rv = 0;

	for (i = 0; i < 6 && rv == 0; i++) {
		if (n >= len || !(v[n] >= 0) || v[n] > (double)(len - n - 1))
			return -1;
		k = (size_t)v[n];
		switch (i) {
		case 0:
			rv = structure_piv_load(&su->piv, v + n + 1, k);
			break;
		case 1:
			rv = structure_sweep_load(&su->sweep, v + n + 1, k);
			break;
		case 2:
			rv = structure_ob_load(&su->ob, v + n + 1, k);
			break;
		case 3:
			rv = structure_choch_load(&su->choch, v + n + 1, k);
			break;
		case 4:
			rv = structure_candle_load(&su->candle, v + n + 1, k);
			break;
		default:
			rv = ind_atr_load(&su->atr, v + n + 1, k);
			break;
		}
		n += 1 + k;
	}
	return rv == 0 && n == len ? 0 : -1;
}

static size_t
unit_save(const struct unit *u, const union ustate *st, double *v)
{
	switch (u->kind) {
	case U_CLOUD:
		return ind_cloud_save(&st->cloud, v);
	case U_MACRO:
		return ind_macro_save(&st->macro, v);
	case U_VOL:
		return ind_win_save(&st->vol.w, v);
	case U_EMA:
		return ind_ema_save(&st->ema, v);
	case U_SMA:
		return ind_win_save(&st->sma.w, v);
	case U_BB:
		return ind_win_save(&st->bb.w, v);
	case U_TRANGE:
		return ind_trange_save(&st->tr, v);
	case U_ATR:
		return ind_atr_save(&st->atr, v);
	case U_RSI:
		return ind_rsi_save(&st->rsi, v);
	case U_VWAP: {
		size_t n = vwap_save(&st->vw.w, v, VWAP_NSAVE);

		n += vwap_near_save(&st->vw.near, v + n, VWAP_NEAR_NSAVE);
		return n + ind_atr_save(&st->vw.atr, v + n);
	}
	case U_RANGE:
		return vwap_range_save(&st->range, v, VWAP_RANGE_NSAVE);
	case U_VOLR:
		return vwap_vol_save(&st->volr, v, unit_nsave(u));
	case U_TOD:
		return vwap_tod_save(&st->tod, v, unit_nsave(u));
	case U_OU:
		return ou_save(&st->ou, v, unit_nsave(u));
	case U_MTF:
		return mtf_save(&st->mtf, v, unit_nsave(u));
	case U_OFI:
		return micro_ofi_save(&st->ofi, v, unit_nsave(u));
	case U_SPREAD:
		return micro_spread_save(&st->spread, v, unit_nsave(u));
	case U_SPEED:
		return micro_speed_save(&st->speed, v, unit_nsave(u));
	case U_FUNDING:
		return micro_funding_save(&st->funding, v, unit_nsave(u));
	case U_STRUCT:
		return struct_save(&st->st, v, unit_nsave(u));
	}
	return 0;
}

static int
unit_load(const struct unit *u, union ustate *st, const double *v,
    size_t n)
{
	switch (u->kind) {
	case U_CLOUD:
		return ind_cloud_load(&st->cloud, v, n);
	case U_MACRO:
		return ind_macro_load(&st->macro, v, n);
	case U_VOL:
		return ind_win_load(&st->vol.w, v, n);
	case U_EMA:
		return ind_ema_load(&st->ema, v, n);
	case U_SMA:
		return ind_win_load(&st->sma.w, v, n);
	case U_BB:
		return ind_win_load(&st->bb.w, v, n);
	case U_TRANGE:
		return ind_trange_load(&st->tr, v, n);
	case U_ATR:
		return ind_atr_load(&st->atr, v, n);
	case U_RSI:
		return ind_rsi_load(&st->rsi, v, n);
	case U_VWAP:
		/* The three parts have fixed sizes: split them. */
		if (n != VWAP_NSAVE + VWAP_NEAR_NSAVE + IND_ATR_NSAVE)
			return -1;
		if (vwap_load(&st->vw.w, v, VWAP_NSAVE) == -1 ||
		    vwap_near_load(&st->vw.near, v + VWAP_NSAVE,
		    VWAP_NEAR_NSAVE) == -1)
			return -1;
		return ind_atr_load(&st->vw.atr, v + VWAP_NSAVE +
		    VWAP_NEAR_NSAVE, IND_ATR_NSAVE);
	case U_RANGE:
		return vwap_range_load(&st->range, v, n);
	case U_VOLR:
		return vwap_vol_load(&st->volr, v, n);
	case U_TOD:
		return vwap_tod_load(&st->tod, v, n);
	case U_OU:
		return ou_load(&st->ou, v, n);
	case U_MTF:
		return mtf_load(&st->mtf, v, n);
	case U_OFI:
		return micro_ofi_load(&st->ofi, v, n);
	case U_SPREAD:
		return micro_spread_load(&st->spread, v, n);
	case U_SPEED:
		return micro_speed_load(&st->speed, v, n);
	case U_FUNDING:
		return micro_funding_load(&st->funding, v, n);
	case U_STRUCT:
		return struct_load(&st->st, v, n);
	}
	return -1;
}

/* The state of s as JSON text in c->buf. */
static void
state_format(struct calc *c, const struct sym *s)
{
	char b[96];
	size_t i, m, n;
	int k;

	c->len = 0;
	snprintf(b, sizeof(b), "{\"v\":%d,\"last_ts\":%lld,\"bars\":%ld,"
	    "\"units\":{", STATE_VERSION, (long long)s->last_ts, s->nbars);
	buf_put(c, b, strlen(b));
	for (k = 0, i = 0; k < c->nunits; k++) {
		if (unit_feed(&c->units[k]) != s->feed)
			continue;
		if (i++ > 0)
			buf_put(c, ",", 1);
		snprintf(b, sizeof(b), "\"%s\":[", c->units[k].id);
		buf_put(c, b, strlen(b));
		n = unit_save(&c->units[k], &s->u[k], c->scratch);
		for (m = 0; m < n; m++) {
			if (m > 0)
				buf_put(c, ",", 1);
			buf_num(c, c->scratch[m]);
		}
		buf_put(c, "]", 1);
	}
	buf_put(c, "}}", 2);
}

static int
bad_state(const struct sym *s, const char *why, struct sk_err *e)
{
	return sk_errf(e, SK_DATA, "journal: %s %s/%s: saved state: %s",
	    CALC_STAGE, s->symbol, s->tf, why);
}

/*
 * Put the state in json into s.  A unit the text does not mention
 * starts afresh (it was not asked for when the state was saved).
 */
static int
state_parse(struct calc *c, struct sym *s, const char *json,
    struct sk_err *e)
{
	cJSON *o, *units, *a, *it;
	const cJSON *ts, *v, *nb;
	size_t n;
	int k, rv = -1;

	sym_reset(c, s);
	o = cJSON_Parse(json);
	if (o == NULL)
		return bad_state(s, "not valid JSON", e);
	v = cJSON_GetObjectItemCaseSensitive(o, "v");
	ts = cJSON_GetObjectItemCaseSensitive(o, "last_ts");
	nb = cJSON_GetObjectItemCaseSensitive(o, "bars");
	units = cJSON_GetObjectItemCaseSensitive(o, "units");
	if (!cJSON_IsNumber(v) || v->valuedouble != STATE_VERSION) {
		bad_state(s, "unknown version", e);
		goto out;
	}
	if (!cJSON_IsNumber(ts) || !cJSON_IsNumber(nb) ||
	    !cJSON_IsObject(units)) {
		bad_state(s, "missing last_ts, bars or units", e);
		goto out;
	}
	for (k = 0; k < c->nunits; k++) {
		a = cJSON_GetObjectItemCaseSensitive(units, c->units[k].id);
		if (a == NULL || unit_feed(&c->units[k]) != s->feed)
			continue;
		if (!cJSON_IsArray(a) ||
		    (size_t)cJSON_GetArraySize(a) > c->nsave) {
			bad_state(s, c->units[k].id, e);
			goto out;
		}
		n = 0;
		cJSON_ArrayForEach(it, a)
			c->scratch[n++] = cJSON_IsNumber(it) ?
			    it->valuedouble : NAN;
		if (unit_load(&c->units[k], &s->u[k], c->scratch, n) == -1) {
			bad_state(s, c->units[k].id, e);
			goto out;
		}
	}
	s->last_ts = (int64_t)ts->valuedouble;
	s->saved_ts = s->last_ts;
	s->nbars = (long)nb->valuedouble;
	rv = 0;
out:
	cJSON_Delete(o);
	if (rv == -1)
		sym_reset(c, s);
	return rv;
}

/* The symbol and time frame of b, made (and loaded) on first sight. */
static struct sym *
sym_get(struct calc *c, const char *symbol, const char *tf, int64_t tf_ms,
    struct sk_err *e)
{
	struct sym *s = c->cache;
	char key[REC_SYM + 16], *json;
	uint32_t h;
	int rv;

	if (s != NULL && strcmp(s->symbol, symbol) == 0 &&
	    strcmp(s->tf, tf) == 0)
		return s;
	h = sym_hash(symbol, tf);
	s = sym_find(c, symbol, tf, h);
	if (s == NULL) {
		s = sym_new(c, symbol, tf, tf_ms, h);
		if (c->j != NULL) {
			snprintf(key, sizeof(key), "%s/%s", symbol, tf);
			if (journal_state_get(c->j, CALC_STAGE, key, &json,
			    e) == -1)
				return NULL;
			rv = json != NULL ? state_parse(c, s, json, e) : 0;
			free(json);
			if (rv == -1)
				return NULL;
		}
	}
	c->cache = s;
	return s;
}

/* The stage. */

/* Set output k of unit u if it was asked for; count what was set. */
static void
out1(const struct unit *u, int k, struct ind *ind, double v, int *n)
{
	if (u->on & (1u << k)) {
		ind_set(ind, u->name[k], v);
		(*n)++;
	}
}

/* out1() for a value that may be undefined (NAN): only a defined one. */
static void
out_f(const struct unit *u, int k, struct ind *ind, double v, int *n)
{
	if (isfinite(v))
		out1(u, k, ind, v, n);
}

/* The structure detectors on bar b, ATR first. */
static void
struct_push(const struct unit *u, struct struct_unit *su, struct bar *b,
    int *n)
{
	struct structure_bar sb;

	sb.o = b->o;
	sb.h = b->h;
	sb.l = b->l;
	sb.c = b->c;
	sb.v = b->v;
	sb.t = b->ts;
	sb.atr = ind_atr_push(&su->atr, b->h, b->l, b->c) ? su->atr.v : NAN;
	/* A bar rec.c accepted is a bar to every detector. */
	if (structure_piv_push(&su->piv, &sb) == -1)
		return;
	if (su->piv.has_sup) {
		out1(u, 0, &b->ind, su->piv.sup.px, n);
		out_f(u, 2, &b->ind, su->piv.sup_atr, n);
	}
	if (su->piv.has_res) {
		out1(u, 1, &b->ind, su->piv.res.px, n);
		out_f(u, 3, &b->ind, su->piv.res_atr, n);
	}
	structure_sweep_push(&su->sweep, &sb);
	out1(u, 4, &b->ind, su->sweep.dir, n);
	if (su->sweep.dir != 0)
		out_f(u, 5, &b->ind, su->sweep.conf, n);
	structure_ob_push(&su->ob, &sb);
	out1(u, 6, &b->ind, su->ob.retest_bull ? 1 : su->ob.retest_bear ?
	    -1 : 0, n);
	if (su->ob.retest_bull || su->ob.retest_bear)
		out1(u, 7, &b->ind, su->ob.retest_bull ? su->ob.rbull.fresh :
		    su->ob.rbear.fresh, n);
	structure_choch_push(&su->choch, &sb);
	out1(u, 8, &b->ind, su->choch.dir, n);
	structure_candle_push(&su->candle, &sb);
	out1(u, 9, &b->ind, su->candle.engulf, n);
	out1(u, 10, &b->ind, su->candle.pin, n);
}

/* The session-keyed bar units: session is the bar's local date. */
static void
bar_push_session(struct calc *c, struct sym *s, const struct unit *u,
    union ustate *st, struct bar *b, int *n)
{
	struct vwap_unit *w = &st->vw;
	struct local loc;
	double up, lo;
	int atr, d, k;

	tz_local(&c->tz, b->ts, &loc);
	switch (u->kind) {
	case U_VWAP:
		atr = ind_atr_push(&w->atr, b->h, b->l, b->c);
		if (vwap_push(&w->w, loc.day, b->h, b->l, b->c, b->v) != 1)
			break;
		out_f(u, 0, &b->ind, w->w.vwap, n);
		out_f(u, 1, &b->ind, w->w.sd, n);
		out_f(u, 2, &b->ind, w->w.upper1, n);
		out_f(u, 3, &b->ind, w->w.lower1, n);
		out_f(u, 4, &b->ind, w->w.upper2, n);
		out_f(u, 5, &b->ind, w->w.lower2, n);
		out_f(u, 6, &b->ind, w->w.dist_pct, n);
		out_f(u, 7, &b->ind, w->w.dist_sd, n);
		/* Time near vwap, as of the bar's close. */
		if (vwap_near_push(&w->near, loc.day, b->ts + b->tf_ms, b->c,
		    w->w.vwap) >= 0)
			out1(u, 8, &b->ind, (double)w->near.ms, n);
		if (atr && vwap_atr_bands(&w->w, w->atr.v, c->p.vwap_atr_mult,
		    &up, &lo) == 0) {
			out_f(u, 9, &b->ind, up, n);
			out_f(u, 10, &b->ind, lo, n);
		}
		break;
	case U_RANGE:
		if (vwap_range_push(&st->range, loc.day, b->h, b->l, b->c) ==
		    1) {
			out1(u, 0, &b->ind, st->range.high, n);
			out1(u, 1, &b->ind, st->range.low, n);
			out1(u, 2, &b->ind, st->range.pos, n);
		}
		break;
	case U_TOD:
		d = vwap_tod_push(&st->tod, loc.day, loc.minute, b->v);
		if (d > 0 && (d & VWAP_RATIO)) {
			out_f(u, 0, &b->ind, st->tod.ratio, n);
			out1(u, 1, &b->ind, st->tod.spike, n);
		}
		break;
	case U_MTF:
		/* Resampling counts minutes: it takes one-minute bars. */
		if (s->tf_ms != CLOCK_MIN || mtf_push(&st->mtf, loc.day,
		    loc.minute, b->o, b->h, b->l, b->c, b->v) < 0)
			break;
		for (k = 0; k < st->mtf.n; k++)
			if (st->mtf.tf[k].tdef)
				out1(u, k, &b->ind, st->mtf.tf[k].trend, n);
		if (st->mtf.ndef > 0)
			out1(u, 3, &b->ind, st->mtf.cons, n);
		break;
	default:
		break;
	}
}

static int
unit_push(struct calc *c, struct sym *s, const struct unit *u,
    union ustate *st, struct bar *b)
{
	struct local loc;
	int n = 0, d;

	switch (u->kind) {
	case U_CLOUD:
		d = ind_cloud_push(&st->cloud, b->c);
		if (st->cloud.s.k >= st->cloud.s.n)
			out1(u, 0, &b->ind, st->cloud.s.e, &n);
		if (st->cloud.l.k >= st->cloud.l.n)
			out1(u, 1, &b->ind, st->cloud.l.e, &n);
		if (d) {
			out1(u, 2, &b->ind, st->cloud.regime, &n);
			out1(u, 3, &b->ind, st->cloud.flip, &n);
		}
		break;
	case U_MACRO:
		if (!s->macro_ok)
			break;
		tz_local(&c->tz, b->ts, &loc);
		ind_macro_push(&st->macro, loc.day, loc.minute, b->c);
		if (st->macro.s.k >= st->macro.s.n)
			out1(u, 0, &b->ind, st->macro.s.e, &n);
		if (st->macro.l.k >= st->macro.l.n)
			out1(u, 1, &b->ind, st->macro.l.e, &n);
		out1(u, 2, &b->ind, (double)st->macro.rs.nclosed, &n);
		break;
	case U_VOL:
		d = ind_vol_push(&st->vol, b->v);
		if (d & IND_VOL_PREV) {
			out1(u, 0, &b->ind, st->vol.sum_prev, &n);
			out1(u, 1, &b->ind, st->vol.avg_prev, &n);
		}
		if (d & IND_VOL_SMA)
			out1(u, 2, &b->ind, st->vol.sma, &n);
		break;
	case U_EMA:
		if (ind_ema_push(&st->ema, b->c))
			out1(u, 0, &b->ind, st->ema.e, &n);
		break;
	case U_SMA:
		if (ind_sma_push(&st->sma, b->c))
			out1(u, 0, &b->ind, st->sma.v, &n);
		break;
	case U_BB:
		if (ind_bb_push(&st->bb, b->c)) {
			out1(u, 0, &b->ind, st->bb.upper, &n);
			out1(u, 1, &b->ind, st->bb.middle, &n);
			out1(u, 2, &b->ind, st->bb.lower, &n);
		}
		break;
	case U_TRANGE:
		if (ind_trange_push(&st->tr, b->h, b->l, b->c))
			out1(u, 0, &b->ind, st->tr.v, &n);
		break;
	case U_ATR:
		if (ind_atr_push(&st->atr, b->h, b->l, b->c))
			out1(u, 0, &b->ind, st->atr.v, &n);
		break;
	case U_RSI:
		if (ind_rsi_push(&st->rsi, b->c))
			out1(u, 0, &b->ind, st->rsi.v, &n);
		break;
	case U_VOLR:
		d = vwap_vol_push(&st->volr, b->v);
		if (d > 0 && (d & VWAP_RATIO)) {
			out_f(u, 0, &b->ind, st->volr.ratio, &n);
			out1(u, 1, &b->ind, st->volr.spike, &n);
		}
		break;
	case U_STRUCT:
		struct_push(u, &st->st, b, &n);
		break;
	case U_OU:
		if (ou_push(&st->ou, b->c) == 1) {
			out_f(u, 0, &b->ind, st->ou.theta, &n);
			out_f(u, 1, &b->ind, st->ou.mu_px, &n);
			out_f(u, 2, &b->ind, st->ou.sigma, &n);
			out_f(u, 3, &b->ind, st->ou.half, &n);
			out_f(u, 4, &b->ind, st->ou.z, &n);
			out1(u, 5, &b->ind, st->ou.drift, &n);
		}
		break;
	case U_VWAP:
	case U_RANGE:
	case U_TOD:
	case U_MTF:
		bar_push_session(c, s, u, st, b, &n);
		break;
	default:
		break;
	}
	return n;
}

/*
 * The quote units.  Returns how many values were set, or -1 with e
 * filled for a quote a unit refuses: OFI a negative size, speed a mid
 * price that is not positive (the spread takes any bid and ask).
 */
static int
quote_push(const struct unit *u, union ustate *st, const struct rec *r,
    struct ind *ind, struct sk_err *e)
{
	const struct quote *q = &r->u.quote;
	int n = 0, d, k;

	switch (u->kind) {
	case U_OFI:
		/* Order flow needs the sizes at the touch. */
		if (!isfinite(q->bid_sz) || !isfinite(q->ask_sz))
			break;
		d = micro_ofi_push(&st->ofi, q->ts, q->bid, q->bid_sz, q->ask,
		    q->ask_sz);
		if (d == -1)
			return sk_errf(e, SK_DATA, "%s:%ld: quote: bad "
			    "price or size", r->src, r->line);
		if (d == 1) {
			out1(u, 0, ind, st->ofi.ofi, &n);
			out_f(u, 1, ind, st->ofi.norm, &n);
			out_f(u, 2, ind, st->ofi.net, &n);
		}
		break;
	case U_SPREAD:
		d = micro_spread_push(&st->spread, q->ts, q->bid, q->ask,
		    micro_asian(q->ts));
		if (d == -1)
			return sk_errf(e, SK_DATA, "%s:%ld: quote: bad bid or "
			    "ask", r->src, r->line);
		out_f(u, 0, ind, st->spread.spread, &n);
		out_f(u, 1, ind, st->spread.pct, &n);
		if (d == 1) {
			out_f(u, 2, ind, st->spread.mean, &n);
			out_f(u, 3, ind, st->spread.sd, &n);
			out_f(u, 4, ind, st->spread.ratio, &n);
		}
		out_f(u, 5, ind, st->spread.widening, &n);
		break;
	case U_SPEED:
		d = micro_speed_push(&st->speed, q->ts, (q->bid + q->ask) / 2);
		if (d == -1)
			return sk_errf(e, SK_DATA, "%s:%ld: quote: the mid "
			    "price must be positive", r->src, r->line);
		for (k = 0; k < MICRO_NVEL; k++)
			if (d & (1 << k))
				out1(u, k, ind, st->speed.vel[k], &n);
		if (d & (1 << MICRO_V30))
			out1(u, 4, ind, st->speed.spike, &n);
		if (d & MICRO_ACCEL_OK)
			out1(u, 5, ind, st->speed.accel, &n);
		break;
	default:
		break;
	}
	return n;
}

/* The latest funding of a symbol, as of now, onto ind. */
static int
funding_out(const struct unit *u, const struct micro_funding *f,
    int64_t now, struct ind *ind)
{
	int64_t ms;
	int n = 0;

	if (micro_funding_until(f, now, &ms) <= 0)
		return 0;
	out1(u, 0, ind, f->rate, &n);
	out1(u, 1, ind, (double)ms, &n);
	return n;
}

/*
 * The state of the record's symbol and feed, and whether to act on the
 * record: 1 to act, 0 if it was seen by an earlier run (it passes
 * through untouched), -1 with e filled if it is out of order.  Quotes
 * and funding may share an instant; bars may not.
 */
static int
admit(struct calc *c, struct rec *r, struct sym **sp, struct sk_err *e)
{
	const char *symbol, *tf;
	int64_t ts, tf_ms = 0;
	struct sym *s;
	int strict = 0;

	if (r->type == REC_BAR) {
		symbol = r->u.bar.symbol;
		tf = r->u.bar.tf;
		tf_ms = r->u.bar.tf_ms;
		ts = r->u.bar.ts;
		strict = 1;
	} else if (r->type == REC_QUOTE) {
		symbol = r->u.quote.symbol;
		tf = TF_QUOTE;
		ts = r->u.quote.ts;
	} else {
		symbol = r->u.funding.symbol;
		tf = TF_FUNDING;
		ts = r->u.funding.ts;
	}
	s = sym_get(c, symbol, tf, tf_ms, e);
	if (s == NULL)
		return -1;
	*sp = s;
	if (!s->started && s->saved_ts != TS_UNSET && (ts < s->saved_ts ||
	    (strict && ts == s->saved_ts))) {
		c->seen++;
		return 0;
	}
	if (s->last_ts != TS_UNSET && (ts < s->last_ts ||
	    (strict && ts == s->last_ts)))
		return sk_errf(e, SK_DATA, "%s:%ld: %s out of order",
		    r->src != NULL ? r->src : "-", r->line,
		    rec_type_name(r->type));
	s->started = 1;
	s->last_ts = ts;
	s->nbars++;
	return 1;
}

/*
 * The funding state of symbol, if funding records have come, in this
 * run or one saved in the journal; NULL if none, and NULL with *err
 * set and e filled if the journal could not be read.
 */
static const struct micro_funding *
funding_of(struct calc *c, struct sym *of, int *unit, int *err,
    struct sk_err *e)
{
	struct sym *s;
	int i;

	*err = 0;
	for (i = 0; i < c->nunits; i++)
		if (c->units[i].kind == U_FUNDING)
			break;
	if (i == c->nunits)
		return NULL;
	/* Symbols are never freed or moved: keep the pointer. */
	if (of->fund == NULL) {
		s = sym_get(c, of->symbol, TF_FUNDING, 0, e);
		if (s == NULL) {
			*err = 1;
			return NULL;
		}
		of->fund = s;
	}
	s = of->fund;
	if (s->u[i].funding.k == 0)
		return NULL;
	*unit = i;
	return &s->u[i].funding;
}

static int
calc_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct calc *c = self;
	const struct micro_funding *f;
	struct funding *fr;
	struct sym *s;
	struct ind *ind;
	int i, k, d, bad, n = 0;

	ind = rec_ind(r);
	if (ind == NULL)
		return emit(out, r, e);
	d = admit(c, r, &s, e);
	if (d <= 0)
		return d == 0 ? emit(out, r, e) : -1;
	/* Our names are distinct: on a record without ind, just append. */
	ind->fresh = ind->n == 0;
	for (i = 0; i < c->nunits; i++) {
		if (unit_feed(&c->units[i]) != s->feed)
			continue;
		if (s->feed == FEED_BARS)
			n += unit_push(c, s, &c->units[i], &s->u[i],
			    &r->u.bar);
		else if (s->feed == FEED_QUOTES) {
			d = quote_push(&c->units[i], &s->u[i], r, ind, e);
			if (d == -1)
				return -1;
			n += d;
		} else {
			fr = &r->u.funding;
			if (fr->next_ts != TS_UNSET &&
			    micro_funding_push(&s->u[i].funding, fr->rate,
			    fr->next_ts) == -1)
				return sk_errf(e, SK_DATA, "%s:%ld: funding: "
				    "next_ts went back", r->src, r->line);
			n += funding_out(&c->units[i], &s->u[i].funding,
			    fr->ts, ind);
		}
	}
	/* Bars and quotes carry the symbol's latest funding too. */
	bad = 0;
	f = s->feed != FEED_FUNDING ? funding_of(c, s, &k, &bad, e) : NULL;
	if (bad)
		return -1;
	if (f != NULL)
		n += funding_out(&c->units[k], f, r->type == REC_BAR ?
		    r->u.bar.ts + r->u.bar.tf_ms : r->u.quote.ts, ind);
	ind->fresh = 0;
	if (ind->overflow)
		return sk_errf(e, SK_DATA, "%s:%ld: %s: more than %d "
		    "indicator values", r->src != NULL ? r->src : "-",
		    r->line, rec_type_name(r->type), REC_IND_MAX);
	if (n > 0) {
		r->dirty = 1;
		c->enriched++;
	}
	return emit(out, r, e);
}

/* Save the state of every symbol that took a bar, in one transaction. */
static int
calc_finish(void *self, const struct emit *out, struct sk_err *e)
{
	struct calc *c = self;
	struct sym *s;
	char key[REC_SYM + 8];

	(void)out;
	if (c->j == NULL)
		return 0;
	if (journal_begin(c->j, e) == -1)
		return -1;
	for (s = c->first; s != NULL; s = s->all) {
		if (!s->started)
			continue;
		state_format(c, s);
		snprintf(key, sizeof(key), "%s/%s", s->symbol, s->tf);
		if (journal_state_put(c->j, CALC_STAGE, key, c->buf, e) == -1) {
			journal_rollback(c->j);
			return -1;
		}
	}
	return journal_commit(c->j, e);
}

static void
calc_free(void *self)
{
	struct calc *c = self;
	struct sym *s, *next;

	if (c == NULL)
		return;
	for (s = c->first; s != NULL; s = next) {
		next = s->all;
		free(s);
	}
	free(c->tab);
	free(c->scratch);
	free(c->buf);
	if (c->need_tz)
		tz_release(&c->tz);
	free(c);
}

static long
calc_acted(const void *self)
{
	const struct calc *c = self;

	return c->enriched;
}

int
calc_stage_new_list(struct stage **sp, const struct config *cfg,
    const char *list, struct journal *j, struct sk_err *e)
{
	struct calc *c;
	struct stage *st;
	const char *zone;

	*sp = NULL;
	c = xcalloc(1, sizeof(*c));
	c->j = j;
	if (units_from_config(c, cfg, e) == -1)
		goto fail;
	/* Without a list, the profile's; "default" is the EMA-cloud set. */
	if (list == NULL && cfg->strategy.indicators[0] != '\0')
		list = cfg->strategy.indicators;
	if (list == NULL)
		select_default(c);
	else if (select_list(c, list, e) == -1)
		goto fail;
	units_pack(c);
	c->scratch = xcalloc(c->nsave ? c->nsave : 1, sizeof(double));
	if (c->need_tz) {
		zone = cfg->market.timezone[0] != '\0' ?
		    cfg->market.timezone : "UTC";
		if (tz_load(&c->tz, zone, e) == -1) {
			c->need_tz = 0;
			goto fail;
		}
	}
	st = xcalloc(1, sizeof(*st));
	st->name = CALC_STAGE;
	st->mask = REC_MASK(REC_BAR) | REC_MASK(REC_QUOTE) |
	    REC_MASK(REC_FUNDING);
	st->self = c;
	st->take = calc_take;
	st->finish = calc_finish;
	st->free = calc_free;
	st->acted = calc_acted;
	*sp = st;
	return 0;
fail:
	calc_free(c);
	return -1;
}

int
calc_stage_new(struct stage **sp, const struct config *cfg,
    struct journal *j, struct sk_err *e)
{
	return calc_stage_new_list(sp, cfg, NULL, j, e);
}

long
calc_stage_enriched(const struct stage *st)
{
	const struct calc *c = st->self;

	return c->enriched;
}

long
calc_stage_seen(const struct stage *st)
{
	const struct calc *c = st->self;

	return c->seen;
}

/* "SPY/1m" into symbol and tf: the last '/' splits, as tf has none. */
static int
split_key(const char *key, char *symbol, char *tf)
{
	const char *p = strrchr(key, '/');

	if (p == NULL || (size_t)(p - key) >= REC_SYM || p == key ||
	    strlen(p + 1) >= 8)
		return -1;
	memcpy(symbol, key, (size_t)(p - key));
	symbol[p - key] = '\0';
	sk_strlcpy(tf, p + 1, 8);
	return 0;
}

char *
calc_state_save(const struct stage *st, const char *key)
{
	struct calc *c = st->self;
	struct sym *s;
	char symbol[REC_SYM], tf[8];

	if (split_key(key, symbol, tf) == -1)
		return NULL;
	s = sym_find(c, symbol, tf, sym_hash(symbol, tf));
	if (s == NULL)
		return NULL;
	state_format(c, s);
	return xstrdup(c->buf);
}

int
calc_state_load(struct stage *st, const char *key, const char *json,
    struct sk_err *e)
{
	struct calc *c = st->self;
	struct sym *s;
	char symbol[REC_SYM], tf[8];
	int64_t ms;
	uint32_t h;

	if (split_key(key, symbol, tf) == -1)
		return sk_errf(e, SK_DATA, "%s: not a symbol/tf key", key);
	/* Quotes and funding are kept under a word, not a time frame. */
	ms = strcmp(tf, TF_QUOTE) == 0 || strcmp(tf, TF_FUNDING) == 0 ? 0 :
	    rec_tf_ms(tf);
	if (ms < 0 || (ms == 0 && strcmp(tf, TF_QUOTE) != 0 &&
	    strcmp(tf, TF_FUNDING) != 0))
		return sk_errf(e, SK_DATA, "%s: not a symbol/tf key", key);
	h = sym_hash(symbol, tf);
	s = sym_find(c, symbol, tf, h);
	if (s == NULL)
		s = sym_new(c, symbol, tf, ms, h);
	return state_parse(c, s, json, e);
}
