/*
 * config.h: scalpkit.conf and strategy profiles (INI, read with libinih).
 * One table of keys serves both files: a profile may set any key, and
 * what it sets wins.  Every key is in scalpkit.conf(5).
 */
#ifndef CONFIG_H
#define CONFIG_H

#include "sk.h"

#define CFG_PATH	512

struct cfg_account {
	char		 type[8];	/* "margin" or "cash" */
	double		 cash;		/* starting cash, account currency */
	int		 settle_equity;	/* business days to settle, T+n */
	int		 settle_option;
	int		 max_gfv;	/* good-faith violations, 12 months */
	int		 pdt;		/* the legacy pattern-day-trader rule */
	double		 pdt_equity;	/* it applies below this equity */
	int		 pdt_max;	/* day trades in 5 business days */
	double		 buying_power;	/* intraday, times equity; 0 off */
};

#define CFG_TIERS	4	/* balance tiers: 3 bounds at most */

/* Numbers one per balance tier ("" : none, the untiered key holds). */
struct cfg_tiers {
	int		 n;
	double		 v[CFG_TIERS];
};

#define CFG_WINDOWS	8	/* most entry windows in entry_windows */

/* Entry windows [start, end) in local minutes, in increasing order. */
struct cfg_windows {
	int		 n;		/* 0: entry_start-entry_end alone */
	int		 start[CFG_WINDOWS];
	int		 end[CFG_WINDOWS];
};

struct cfg_risk {
	int		 entry_start;	/* minutes after local midnight */
	int		 entry_end;	/* signal bars starting before this */
	struct cfg_windows entry_windows;	/* replace the pair if set */
	int		 open_delay;	/* minutes after the session opens */
	char		 blackouts[CFG_PATH];	/* event file, "" for none */
	int		 blackout_minutes;	/* either side of an event */
	int		 max_positions;
	int		 max_per_symbol;
	int		 max_trades_day;
	double		 daily_loss_pct;	/* of start-of-day equity */
	double		 session_loss_pct;	/* of start-of-session; 0 off */
	double		 pause_drawdown_pct;	/* from the day's peak; 0 off */
	int		 pause_minutes;		/* how long that pause lasts */
	int		 loss_cooldown;	/* minutes after a loss; 0 off */
	int		 min_interval;	/* seconds between entries/symbol */
	int		 loss_streak;	/* losses in a row; 0 off */
	double		 loss_streak_size;	/* size factor after them */
	double		 target_equity;	/* approve nothing at it; 0 off */
	double		 max_position_pct;	/* notional / equity */
	char		 kill_switch[CFG_PATH];	/* file that blocks orders */
	char		 sizing[8];	/* "fixed", "risk" or "kelly" */
	double		 risk_pct;	/* risk sizing: % of equity at stake */
	double		 kelly_cap_pct;	/* kelly: most % of equity */
	int		 conviction_full;	/* score for full size */
	int		 conviction_half;	/* half size from it; 0 off */
	double		 min_qty;	/* exchange minimums; 0 off */
	double		 qty_step;	/* lot step; 0: whole units */
	double		 min_notional;
	double		 max_leverage;	/* notional / equity; 0 off */
	/* Quality: each 0 (or the full range) is off. */
	double		 max_spread;	/* ask - bid, price units */
	double		 max_spread_pct;	/* of mid */
	struct cfg_windows asia_windows;	/* wider spreads allowed */
	double		 asia_spread_mult;
	int		 quote_max_age;	/* seconds */
	double		 min_volume;	/* of the signal's bar */
	double		 min_open_interest;
	double		 iv_pct_min, iv_pct_max;	/* IV percentile */
	double		 min_atr_pct;	/* ATR / close */
	double		 min_range_pct;	/* session high - low / close */
	double		 fee_k;		/* profit at target / fees */
	int		 ev_guard;
	double		 ev_min;	/* net expected value, money */
	/* Orders and tiers of signals. */
	int		 average_losers;	/* add to a losing position */
	int		 b_tier;	/* B-tier signals may trade */
	int		 b_while_a;	/* ... with an A-tier one open */
	double		 margin_a_pct, margin_b_pct;	/* of equity */
	int		 cutoff_0dte, cutoff_1dte;	/* local minutes */
	/* Balance tiers: bounds, and per-tier values of keys above. */
	struct cfg_tiers tier_bounds;
	struct cfg_tiers tier_min_interval, tier_soften, tier_fee_k;
	struct cfg_tiers tier_ev_min, tier_b_tier;
	struct cfg_tiers tier_margin_a, tier_margin_b;
};

struct cfg_broker {
	char		 name[16];	/* "paper", "tradier", "alpaca"... */
	int		 live;		/* the config half of going live */
	double		 fee_per_share;
	double		 fee_per_order;
	double		 fee_per_contract;
};

struct cfg_strategy {
	char		 name[32];	/* profile name */
	char		 model[32];	/* signal model: "ema-cloud" */
	char		 symbols[256];	/* comma-separated */
	/* What calc-indicators computes: names, or "default". */
	char		 indicators[512];
	int		 fast_short, fast_long;		/* 5, 12 */
	char		 macro_tf[8];			/* "10m" */
	int		 macro_short, macro_long;	/* 34, 50 */
	int		 require_macro;
	int		 vol_window;			/* 20 */
	/* Volume multiple as the exact decimal num/den: 1.5 is 15/10. */
	long		 vol_mult_num, vol_mult_den;
	int		 long_only;
	double		 qty;		/* fixed size per entry */
	/* turbo: the five signals' thresholds and the tier-A count. */
	double		 ofi_min;	/* |ofi_net| with the side */
	double		 vwap_sd_min;	/* |vwap_dist_sd| against it */
	double		 accel_min;	/* accel beyond it, with the side */
	double		 funding_min;	/* rate against the side: crowded */
	int		 quote_age;	/* seconds a quote's values hold */
	int		 a_tier_min;	/* signals of the five for tier A */
	/* momentum: the burst, the volume, the rate limits. */
	double		 burst_pct;	/* |vel_30s| */
	double		 vol_confirm;	/* vol_ratio<vol_window> */
	int		 signal_gap;	/* seconds between signals */
	int		 signal_active;	/* seconds a signal stays active */
};

struct cfg_exits {
	double		 stop_pct;	/* 2 means 2 % from entry */
	double		 target_pct;
	int		 cloud_flip;	/* exit on the opposite fast flip */
	int		 flat_by;	/* minutes after local midnight */
	int		 flat_by_exit;	/* close at flat_by */
	int		 session_exit;	/* close at a new session */
	int		 atr_period;	/* reads ind "atr<n>" */
	double		 stop_atr;	/* ATRs from entry; 0: stop_pct */
	double		 target_atr;	/* 0: target_pct */
	int		 max_hold;	/* minutes; 0 off */
	int		 trail;		/* trailing stop after trail_after_r */
	double		 trail_after_r, trail_r;
	int		 zone_trail;	/* turbo's breakeven and lock */
	double		 zone_be_pct, zone_lock_pct;
	int		 tp_extend;	/* extend the target on flow */
	double		 tp_extend_pct;	/* of the first distance */
	int		 exhaustion;	/* candles in a row; 0 off */
	double		 adverse_atr;	/* body in ATRs; 0 off */
	int		 adverse_lock;	/* minutes of cool-off */
	double		 spread_mult;	/* of the entry spread; 0 off */
	char		 spread_action[8];	/* "exit" or "tighten" */
	int		 add_on;	/* signal the second half */
};

struct cfg_paths {
	char		 journal[CFG_PATH];	/* "" means the default */
	char		 share[CFG_PATH];	/* data: calendar, replay */
	char		 calendar[CFG_PATH];	/* "" means share/calendar */
};

/* How a signal on an underlying becomes an order (pick-contract). */
struct cfg_instrument {
	char		 mode[16];	/* underlying, options, etf */
	double		 delta_min, delta_max, delta_target;
	double		 max_spread_pct;	/* of the contract's mid */
	double		 min_oi, min_volume;
	double		 price_min, price_max;	/* premium; max 0: none */
	double		 iv_rank_max;	/* not for 0DTE */
	double		 theta_burn_pct;	/* daily, of premium, 1DTE+ */
	double		 gamma_max;	/* not for 0DTE; 0 off */
	double		 rate;		/* risk-free, for Black-Scholes */
	char		 etf_map[CFG_PATH];	/* "": beside the config */
	int		 prefer_3x;
	double		 etf_min_adv;	/* dollars a day */
	double		 etf_max_spread_pct;
	/* Modelled prices (price-model): options and funds. */
	double		 model_iv;	/* sigma */
	double		 model_spread_pct;	/* of the option's price */
	int		 model_strikes;	/* either side of the open */
	double		 model_strike_step;
	double		 model_etf_spread_pct;
};

struct cfg_market {
	char		 timezone[64];	/* "America/New_York" */
	char		 session[8];	/* "rth" (09:30-16:00) or "all" */
};

/* Parameters of the indicators beyond the strategy's own periods. */
struct cfg_ind {
	double		 vwap_near_pct;	/* "near vwap": within this % */
	int		 vwap_atr_period;
	double		 vwap_atr_mult;
	double		 vol_spike;	/* ratio that flags a spike */
	int		 tod_sessions;	/* time-of-day baseline depth */
	int		 ou_window;	/* bars in the OU fit */
	double		 ou_z;		/* |z| for the OU drift signal */
	int		 mtf_fast, mtf_slow;	/* trend EMAs, 5/10/15m */
	int		 quote_ring;	/* quotes kept per window */
	int		 ofi_window;	/* seconds */
	int		 spread_window;	/* seconds */
	int		 speed_tau;	/* seconds, price smoothing */
	int		 accel_window;	/* seconds */
	double		 speed_spike_pct;	/* |30 s change| */
	int		 funding_hours;	/* between fundings */
	/* Structure: pivots, sweeps, order blocks, pin bars. */
	int		 pivot_left, pivot_right, pivot_keep;
	int		 sweep_bars;	/* volume mean of the sweeps */
	double		 sweep_wick, sweep_volume;
	int		 ob_bars, ob_keep;
	double		 ob_impulse_atr;
	double		 pin_wick;
};

/* The paper broker's fill model; see place-order(1). */
struct cfg_paper {
	char		 model[8];		/* "ideal" or "honest" */
	char		 fee_schedule[16];	/* "broker" or a fees.h name */
	double		 half_spread_equity;	/* basis points of price */
	double		 half_spread_option;
	double		 half_spread_perp;
	double		 half_spread_cfd;
	double		 tick_equity;		/* price units; 0: none */
	double		 tick_option;
	double		 tick_perp;
	double		 tick_cfd;
	char		 slippage[8];		/* none|ticks|spread|volume */
	double		 slippage_ticks;
	double		 slippage_spread_pct;
	double		 slippage_volume_bp;
	double		 option_ticks;
	double		 volume_share;		/* % of a bar's volume */
	int		 limit_timeout;		/* seconds; 0: none */
	char		 perp_suffixes[64];
	char		 cfd_suffixes[64];
};

struct config {
	struct cfg_account	 account;
	struct cfg_risk		 risk;
	struct cfg_broker	 broker;
	struct cfg_strategy	 strategy;
	struct cfg_exits	 exits;
	struct cfg_paths	 paths;
	struct cfg_market	 market;
	struct cfg_instrument	 instrument;
	struct cfg_ind		 ind;
	struct cfg_paper	 paper;
	char			 file[CFG_PATH];	/* "" if built-in */
	char			 profile_file[CFG_PATH];
};

/* Fill c with the built-in defaults, which equal etc/scalpkit.conf. */
void	 config_defaults(struct config *);

/*
 * Load path (NULL: $SCALPKIT_CONF, then $XDG_CONFIG_HOME/scalpkit/
 * scalpkit.conf or ~/.config/..., then SK_SYSCONFDIR/scalpkit.conf,
 * else the defaults alone) over the defaults, then profile (NULL for
 * none; a name is looked up as <dir of config>/profiles/NAME.conf and
 * then SK_SYSCONFDIR/profiles/NAME.conf; a name containing '/' is a
 * path).  Returns 0, or -1 with e filled: SK_DATA and "file:line: ..."
 * for an unknown section or key or a bad value, SK_IO for an unreadable
 * file.
 */
int	 config_load(struct config *, const char *, const char *,
	    struct sk_err *);

/*
 * The journal path: $SCALPKIT_JOURNAL, else paths.journal, else
 * $XDG_STATE_HOME/scalpkit/journal.db (~/.local/state when unset).
 * An option given to a command wins over all of these and is passed as
 * opt (NULL if none).  Writes into buf of size n; 0 or -1 (too long or
 * no home).
 */
int	 config_journal_path(const struct config *, const char *, char *,
	    size_t, struct sk_err *);

/*
 * The data directory: $SCALPKIT_SHARE, else paths.share, else the
 * compiled-in SK_SHAREDIR.  Run from the source tree, set
 * SCALPKIT_SHARE=share (the tests do).  Writes into buf of size n;
 * 0, or -1 with e filled (SK_IO) if it does not fit.
 */
int	 config_share_dir(const struct config *, char *, size_t,
	    struct sk_err *);

/*
 * The market calendar file: paths.calendar, else
 * <share dir>/calendar/nyse.csv.  Writes into buf of size n; 0 or -1
 * (SK_IO, too long).
 */
int	 config_calendar_path(const struct config *, char *, size_t,
	    struct sk_err *);

/*
 * The leveraged-ETF map and its index-members file: instrument.etf_map
 * (members beside it), else etf-map.csv and index-members.csv in the
 * config file's directory, else in SK_SYSCONFDIR.  Each buffer holds n
 * bytes; 0, or -1 with e filled (SK_IO, too long).
 */
int	 config_etf_paths(const struct config *, char *, char *, size_t,
	    struct sk_err *);

#endif
