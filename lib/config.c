/*
 * config.c: scalpkit.conf and strategy profiles, read with libinih.  One
 * table gives every key its place in struct config, its type, limits and
 * default, so that parsing, defaults and checks cannot drift apart.
 */
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <ini.h>

#include "clock.h"
#include "config.h"

#ifndef SK_SYSCONFDIR
#define SK_SYSCONFDIR	"/usr/local/etc/scalpkit"
#endif
#ifndef SK_SHAREDIR
#define SK_SHAREDIR	"/usr/local/share/scalpkit"
#endif

#define RATIO_DIGITS	6	/* most decimals a ratio may have */
#define WHY_LEN		160	/* room for the reason a value is bad */

enum ktype {
	K_BOOL,		/* yes/no/true/false/on/off/1/0 */
	K_DBL,		/* decimal number within [lo, hi] */
	K_ENUM,		/* one of the words in the key's list */
	K_HHMM,		/* "09:35", stored as minutes after midnight */
	K_INT,		/* integer within [lo, hi] */
	K_NAME,		/* letters, digits, '-', '_', '.'; not empty */
	K_PATH,		/* file name; relative to the file that sets it */
	K_PCT,		/* like K_DBL, an optional '%' after it */
	K_RATIO,	/* exact decimal, num / 10^decimals */
	K_SYMS,		/* comma-separated symbols, stored without blanks */
	K_TF,		/* bar timeframe: "30s", "1m", "10m", "1h", "1d" */
	K_TIERS,	/* "1, 2.5, 2.5": numbers in [lo, hi], one per tier */
	K_WINDOWS,	/* "09:45-10:30,13:00-15:30", or "" for none */
	K_ZONE		/* IANA zone name: "America/New_York" */
};

struct key {
	const char	*sect;
	const char	*name;
	enum ktype	 type;
	size_t		 off;	/* of the field in struct config */
	size_t		 size;	/* of the field (of num for K_RATIO) */
	size_t		 off2;	/* K_RATIO: of den */
	double		 lo, hi;
	const char	*words;	/* K_ENUM: "margin|cash" */
	const char	*def;	/* the default, spelled as in the file */
};

#define FLD(s, m)	offsetof(struct config, s.m), \
			    sizeof(((struct config *)0)->s.m), 0
#define RAT(s, n, d)	offsetof(struct config, s.n), \
			    sizeof(((struct config *)0)->s.n), \
			    offsetof(struct config, s.d)

/*
 * Every key, in the order of scalpkit.conf(5).  The defaults here must
 * equal etc/scalpkit.conf; tests/unit/test_config.c holds them to it.
 */
static const struct key keys[] = {
	{ "account", "type", K_ENUM, FLD(account, type), 0, 0,
	    "margin|cash", "margin" },
	{ "account", "cash", K_DBL, FLD(account, cash), 0, 1e12,
	    NULL, "100000" },
	{ "account", "settle_equity", K_INT, FLD(account, settle_equity),
	    0, 5, NULL, "1" },
	{ "account", "settle_option", K_INT, FLD(account, settle_option),
	    0, 5, NULL, "1" },
	{ "account", "max_gfv", K_INT, FLD(account, max_gfv), 0, 100,
	    NULL, "3" },
	{ "account", "pdt", K_BOOL, FLD(account, pdt), 0, 0, NULL, "no" },
	{ "account", "pdt_equity", K_DBL, FLD(account, pdt_equity), 0, 1e12,
	    NULL, "25000" },
	{ "account", "pdt_max", K_INT, FLD(account, pdt_max), 0, 100,
	    NULL, "3" },
	{ "account", "buying_power", K_DBL, FLD(account, buying_power),
	    0, 100, NULL, "0" },

	{ "risk", "entry_start", K_HHMM, FLD(risk, entry_start), 0, 1439,
	    NULL, "09:35" },
	{ "risk", "entry_end", K_HHMM, FLD(risk, entry_end), 0, 1439,
	    NULL, "15:30" },
	{ "risk", "entry_windows", K_WINDOWS, FLD(risk, entry_windows), 0, 0,
	    NULL, "" },
	{ "risk", "open_delay", K_INT, FLD(risk, open_delay), 0, 1439,
	    NULL, "0" },
	{ "risk", "blackouts", K_PATH, FLD(risk, blackouts), 0, 0,
	    NULL, "" },
	{ "risk", "blackout_minutes", K_INT, FLD(risk, blackout_minutes),
	    0, 1440, NULL, "30" },
	{ "risk", "max_positions", K_INT, FLD(risk, max_positions),
	    1, 1000, NULL, "1" },
	{ "risk", "max_per_symbol", K_INT, FLD(risk, max_per_symbol),
	    1, 1000, NULL, "1" },
	{ "risk", "max_trades_day", K_INT, FLD(risk, max_trades_day),
	    1, 100000, NULL, "20" },
	{ "risk", "daily_loss_pct", K_PCT, FLD(risk, daily_loss_pct),
	    0.01, 100, NULL, "25" },
	{ "risk", "session_loss_pct", K_PCT, FLD(risk, session_loss_pct),
	    0, 100, NULL, "0" },
	{ "risk", "pause_drawdown_pct", K_PCT, FLD(risk, pause_drawdown_pct),
	    0, 100, NULL, "0" },
	{ "risk", "pause_minutes", K_INT, FLD(risk, pause_minutes),
	    0, 1440, NULL, "30" },
	{ "risk", "loss_cooldown", K_INT, FLD(risk, loss_cooldown),
	    0, 1440, NULL, "0" },
	{ "risk", "min_interval", K_INT, FLD(risk, min_interval),
	    0, 86400, NULL, "0" },
	{ "risk", "loss_streak", K_INT, FLD(risk, loss_streak),
	    0, 1000, NULL, "0" },
	{ "risk", "loss_streak_size", K_DBL, FLD(risk, loss_streak_size),
	    0.01, 1, NULL, "0.5" },
	{ "risk", "target_equity", K_DBL, FLD(risk, target_equity),
	    0, 1e12, NULL, "0" },
	{ "risk", "max_position_pct", K_PCT, FLD(risk, max_position_pct),
	    0.01, 400, NULL, "100" },
	{ "risk", "kill_switch", K_PATH, FLD(risk, kill_switch), 0, 0,
	    NULL, "" },
	{ "risk", "sizing", K_ENUM, FLD(risk, sizing), 0, 0,
	    "fixed|risk|kelly", "fixed" },
	{ "risk", "risk_pct", K_PCT, FLD(risk, risk_pct), 0.01, 100,
	    NULL, "2" },
	{ "risk", "kelly_cap_pct", K_PCT, FLD(risk, kelly_cap_pct),
	    0.01, 100, NULL, "12" },
	{ "risk", "conviction_full", K_INT, FLD(risk, conviction_full),
	    0, 100, NULL, "75" },
	{ "risk", "conviction_half", K_INT, FLD(risk, conviction_half),
	    0, 100, NULL, "0" },
	{ "risk", "min_qty", K_DBL, FLD(risk, min_qty), 0, 1e9,
	    NULL, "0" },
	{ "risk", "qty_step", K_DBL, FLD(risk, qty_step), 0, 1e9,
	    NULL, "0" },
	{ "risk", "min_notional", K_DBL, FLD(risk, min_notional), 0, 1e12,
	    NULL, "0" },
	{ "risk", "max_leverage", K_DBL, FLD(risk, max_leverage), 0, 1000,
	    NULL, "0" },
	{ "risk", "max_spread", K_DBL, FLD(risk, max_spread), 0, 1e9,
	    NULL, "0" },
	{ "risk", "max_spread_pct", K_PCT, FLD(risk, max_spread_pct), 0, 100,
	    NULL, "0" },
	{ "risk", "asia_windows", K_WINDOWS, FLD(risk, asia_windows), 0, 0,
	    NULL, "" },
	{ "risk", "asia_spread_mult", K_DBL, FLD(risk, asia_spread_mult),
	    1, 100, NULL, "1" },
	{ "risk", "quote_max_age", K_INT, FLD(risk, quote_max_age), 0, 86400,
	    NULL, "0" },
	{ "risk", "min_volume", K_DBL, FLD(risk, min_volume), 0, 1e15,
	    NULL, "0" },
	{ "risk", "min_open_interest", K_DBL, FLD(risk, min_open_interest),
	    0, 1e15, NULL, "0" },
	{ "risk", "iv_pct_min", K_DBL, FLD(risk, iv_pct_min), 0, 100,
	    NULL, "0" },
	{ "risk", "iv_pct_max", K_DBL, FLD(risk, iv_pct_max), 0, 100,
	    NULL, "100" },
	{ "risk", "min_atr_pct", K_PCT, FLD(risk, min_atr_pct), 0, 100,
	    NULL, "0" },
	{ "risk", "min_range_pct", K_PCT, FLD(risk, min_range_pct), 0, 100,
	    NULL, "0" },
	{ "risk", "fee_k", K_DBL, FLD(risk, fee_k), 0, 1000, NULL, "0" },
	{ "risk", "ev_guard", K_BOOL, FLD(risk, ev_guard), 0, 0, NULL, "no" },
	{ "risk", "ev_min", K_DBL, FLD(risk, ev_min), -1e12, 1e12,
	    NULL, "0" },
	{ "risk", "average_losers", K_BOOL, FLD(risk, average_losers), 0, 0,
	    NULL, "no" },
	{ "risk", "b_tier", K_BOOL, FLD(risk, b_tier), 0, 0, NULL, "yes" },
	{ "risk", "b_while_a", K_BOOL, FLD(risk, b_while_a), 0, 0,
	    NULL, "no" },
	{ "risk", "margin_a_pct", K_PCT, FLD(risk, margin_a_pct), 0, 100,
	    NULL, "0" },
	{ "risk", "margin_b_pct", K_PCT, FLD(risk, margin_b_pct), 0, 100,
	    NULL, "0" },
	{ "risk", "cutoff_0dte", K_HHMM, FLD(risk, cutoff_0dte), 0, 1439,
	    NULL, "14:00" },
	{ "risk", "cutoff_1dte", K_HHMM, FLD(risk, cutoff_1dte), 0, 1439,
	    NULL, "15:30" },
	{ "risk", "tier_bounds", K_TIERS, FLD(risk, tier_bounds), 0, 1e12,
	    "ascending", "" },
	{ "risk", "tier_min_interval", K_TIERS, FLD(risk, tier_min_interval),
	    0, 86400, NULL, "" },
	{ "risk", "tier_soften", K_TIERS, FLD(risk, tier_soften), 1, 100,
	    NULL, "" },
	{ "risk", "tier_fee_k", K_TIERS, FLD(risk, tier_fee_k), 0, 1000,
	    NULL, "" },
	{ "risk", "tier_ev_min", K_TIERS, FLD(risk, tier_ev_min), -1e12, 1e12,
	    NULL, "" },
	{ "risk", "tier_b_tier", K_TIERS, FLD(risk, tier_b_tier), 0, 1,
	    NULL, "" },
	{ "risk", "tier_margin_a", K_TIERS, FLD(risk, tier_margin_a), 0, 100,
	    NULL, "" },
	{ "risk", "tier_margin_b", K_TIERS, FLD(risk, tier_margin_b), 0, 100,
	    NULL, "" },

	{ "broker", "name", K_ENUM, FLD(broker, name), 0, 0,
	    "paper|tradier|alpaca|bybit", "paper" },
	{ "broker", "live", K_BOOL, FLD(broker, live), 0, 0, NULL, "no" },
	{ "broker", "fee_per_share", K_DBL, FLD(broker, fee_per_share),
	    0, 1000, NULL, "0" },
	{ "broker", "fee_per_order", K_DBL, FLD(broker, fee_per_order),
	    0, 1000, NULL, "0" },
	{ "broker", "fee_per_contract", K_DBL,
	    FLD(broker, fee_per_contract), 0, 1000, NULL, "0" },

	{ "strategy", "name", K_NAME, FLD(strategy, name), 0, 0,
	    NULL, "ema-cloud" },
	{ "strategy", "model", K_NAME, FLD(strategy, model), 0, 0,
	    NULL, "ema-cloud" },
	{ "strategy", "symbols", K_SYMS, FLD(strategy, symbols), 0, 0,
	    NULL, "SPY" },
	{ "strategy", "indicators", K_SYMS, FLD(strategy, indicators), 0, 0,
	    NULL, "default" },
	{ "strategy", "fast_short", K_INT, FLD(strategy, fast_short),
	    1, 1000, NULL, "5" },
	{ "strategy", "fast_long", K_INT, FLD(strategy, fast_long),
	    1, 1000, NULL, "12" },
	{ "strategy", "macro_tf", K_TF, FLD(strategy, macro_tf), 0, 0,
	    NULL, "10m" },
	{ "strategy", "macro_short", K_INT, FLD(strategy, macro_short),
	    1, 1000, NULL, "34" },
	{ "strategy", "macro_long", K_INT, FLD(strategy, macro_long),
	    1, 1000, NULL, "50" },
	{ "strategy", "require_macro", K_BOOL, FLD(strategy, require_macro),
	    0, 0, NULL, "yes" },
	{ "strategy", "vol_window", K_INT, FLD(strategy, vol_window),
	    1, 1000, NULL, "20" },
	{ "strategy", "vol_mult", K_RATIO,
	    RAT(strategy, vol_mult_num, vol_mult_den), 0, 1000,
	    NULL, "1.5" },
	{ "strategy", "long_only", K_BOOL, FLD(strategy, long_only), 0, 0,
	    NULL, "no" },
	{ "strategy", "qty", K_DBL, FLD(strategy, qty), 1e-8, 1e9,
	    NULL, "100" },
	{ "strategy", "ofi_min", K_DBL, FLD(strategy, ofi_min), 0, 1,
	    NULL, "0.15" },
	{ "strategy", "vwap_sd_min", K_DBL, FLD(strategy, vwap_sd_min),
	    0, 100, NULL, "1" },
	{ "strategy", "accel_min", K_DBL, FLD(strategy, accel_min), 0, 100,
	    NULL, "0" },
	{ "strategy", "funding_min", K_DBL, FLD(strategy, funding_min),
	    0, 1, NULL, "0.0001" },
	{ "strategy", "quote_age", K_INT, FLD(strategy, quote_age), 1, 86400,
	    NULL, "60" },
	{ "strategy", "a_tier_min", K_INT, FLD(strategy, a_tier_min), 2, 5,
	    NULL, "3" },
	{ "strategy", "burst_pct", K_DBL, FLD(strategy, burst_pct),
	    0.001, 100, NULL, "0.5" },
	{ "strategy", "vol_confirm", K_DBL, FLD(strategy, vol_confirm),
	    0, 1000, NULL, "1.5" },
	{ "strategy", "signal_gap", K_INT, FLD(strategy, signal_gap),
	    0, 86400, NULL, "60" },
	{ "strategy", "signal_active", K_INT, FLD(strategy, signal_active),
	    0, 86400, NULL, "300" },

	{ "exits", "stop_pct", K_PCT, FLD(exits, stop_pct), 0.01, 100,
	    NULL, "2" },
	{ "exits", "target_pct", K_PCT, FLD(exits, target_pct), 0.01, 1000,
	    NULL, "2" },
	{ "exits", "cloud_flip", K_BOOL, FLD(exits, cloud_flip), 0, 0,
	    NULL, "yes" },
	{ "exits", "flat_by", K_HHMM, FLD(exits, flat_by), 0, 1439,
	    NULL, "15:55" },
	{ "exits", "flat_by_exit", K_BOOL, FLD(exits, flat_by_exit), 0, 0,
	    NULL, "yes" },
	{ "exits", "session_exit", K_BOOL, FLD(exits, session_exit), 0, 0,
	    NULL, "yes" },
	{ "exits", "atr_period", K_INT, FLD(exits, atr_period), 1, 1000,
	    NULL, "14" },
	{ "exits", "stop_atr", K_DBL, FLD(exits, stop_atr), 0, 100,
	    NULL, "0" },
	{ "exits", "target_atr", K_DBL, FLD(exits, target_atr), 0, 1000,
	    NULL, "0" },
	{ "exits", "max_hold", K_INT, FLD(exits, max_hold), 0, 100000,
	    NULL, "0" },
	{ "exits", "trail", K_BOOL, FLD(exits, trail), 0, 0, NULL, "no" },
	{ "exits", "trail_after_r", K_DBL, FLD(exits, trail_after_r), 0, 100,
	    NULL, "0.5" },
	{ "exits", "trail_r", K_DBL, FLD(exits, trail_r), 0.01, 100,
	    NULL, "0.5" },
	{ "exits", "zone_trail", K_BOOL, FLD(exits, zone_trail), 0, 0,
	    NULL, "no" },
	{ "exits", "zone_be_pct", K_PCT, FLD(exits, zone_be_pct), 1, 100,
	    NULL, "50" },
	{ "exits", "zone_lock_pct", K_PCT, FLD(exits, zone_lock_pct), 0, 100,
	    NULL, "50" },
	{ "exits", "tp_extend", K_BOOL, FLD(exits, tp_extend), 0, 0,
	    NULL, "no" },
	{ "exits", "tp_extend_pct", K_PCT, FLD(exits, tp_extend_pct),
	    1, 1000, NULL, "50" },
	{ "exits", "exhaustion", K_INT, FLD(exits, exhaustion), 0, 100,
	    NULL, "0" },
	{ "exits", "adverse_atr", K_DBL, FLD(exits, adverse_atr), 0, 100,
	    NULL, "0" },
	{ "exits", "adverse_lock", K_INT, FLD(exits, adverse_lock), 0, 10080,
	    NULL, "15" },
	{ "exits", "spread_mult", K_DBL, FLD(exits, spread_mult), 0, 1000,
	    NULL, "0" },
	{ "exits", "spread_action", K_ENUM, FLD(exits, spread_action), 0, 0,
	    "exit|tighten", "exit" },
	{ "exits", "add_on", K_BOOL, FLD(exits, add_on), 0, 0, NULL, "no" },

	{ "paper", "model", K_ENUM, FLD(paper, model), 0, 0,
	    "ideal|honest", "honest" },
	{ "paper", "fee_schedule", K_ENUM, FLD(paper, fee_schedule), 0, 0,
	    "broker|paper|tradier|alpaca|bybit", "broker" },
	{ "paper", "half_spread_equity", K_DBL,
	    FLD(paper, half_spread_equity), 0, 10000, NULL, "0.5" },
	{ "paper", "half_spread_option", K_DBL,
	    FLD(paper, half_spread_option), 0, 10000, NULL, "50" },
	{ "paper", "half_spread_perp", K_DBL,
	    FLD(paper, half_spread_perp), 0, 10000, NULL, "0.5" },
	{ "paper", "half_spread_cfd", K_DBL,
	    FLD(paper, half_spread_cfd), 0, 10000, NULL, "1" },
	{ "paper", "tick_equity", K_DBL, FLD(paper, tick_equity), 0, 1e6,
	    NULL, "0.01" },
	{ "paper", "tick_option", K_DBL, FLD(paper, tick_option), 0, 1e6,
	    NULL, "0.01" },
	{ "paper", "tick_perp", K_DBL, FLD(paper, tick_perp), 0, 1e6,
	    NULL, "0" },
	{ "paper", "tick_cfd", K_DBL, FLD(paper, tick_cfd), 0, 1e6,
	    NULL, "0" },
	{ "paper", "slippage", K_ENUM, FLD(paper, slippage), 0, 0,
	    "none|ticks|spread|volume", "spread" },
	{ "paper", "slippage_ticks", K_DBL, FLD(paper, slippage_ticks),
	    0, 1000, NULL, "1" },
	{ "paper", "slippage_spread_pct", K_PCT,
	    FLD(paper, slippage_spread_pct), 0, 1000, NULL, "10" },
	{ "paper", "slippage_volume_bp", K_DBL,
	    FLD(paper, slippage_volume_bp), 0, 10000, NULL, "10" },
	{ "paper", "option_ticks", K_DBL, FLD(paper, option_ticks), 0, 100,
	    NULL, "1" },
	{ "paper", "volume_share", K_PCT, FLD(paper, volume_share), 0, 100,
	    NULL, "10" },
	{ "paper", "limit_timeout", K_INT, FLD(paper, limit_timeout),
	    0, 86400, NULL, "15" },
	{ "paper", "perp_suffixes", K_SYMS, FLD(paper, perp_suffixes), 0, 0,
	    NULL, "USDT,USDC,PERP" },
	{ "paper", "cfd_suffixes", K_SYMS, FLD(paper, cfd_suffixes), 0, 0,
	    NULL, "USD" },

	{ "paths", "journal", K_PATH, FLD(paths, journal), 0, 0, NULL, "" },
	{ "paths", "share", K_PATH, FLD(paths, share), 0, 0, NULL, "" },
	{ "paths", "calendar", K_PATH, FLD(paths, calendar), 0, 0,
	    NULL, "" },

	{ "market", "timezone", K_ZONE, FLD(market, timezone), 0, 0,
	    NULL, "America/New_York" },
	{ "market", "session", K_ENUM, FLD(market, session), 0, 0,
	    "rth|all", "rth" },

	{ "instrument", "mode", K_ENUM, FLD(instrument, mode), 0, 0,
	    "underlying|options|etf", "underlying" },
	{ "instrument", "delta_min", K_DBL, FLD(instrument, delta_min), 0, 1,
	    NULL, "0.3" },
	{ "instrument", "delta_max", K_DBL, FLD(instrument, delta_max), 0, 1,
	    NULL, "0.5" },
	{ "instrument", "delta_target", K_DBL, FLD(instrument, delta_target),
	    0, 1, NULL, "0.4" },
	{ "instrument", "max_spread_pct", K_PCT,
	    FLD(instrument, max_spread_pct), 0, 100, NULL, "10" },
	{ "instrument", "min_oi", K_DBL, FLD(instrument, min_oi), 0, 1e12,
	    NULL, "500" },
	{ "instrument", "min_volume", K_DBL, FLD(instrument, min_volume), 0,
	    1e12, NULL, "500" },
	{ "instrument", "price_min", K_DBL, FLD(instrument, price_min), 0,
	    1e9, NULL, "0" },
	{ "instrument", "price_max", K_DBL, FLD(instrument, price_max), 0,
	    1e9, NULL, "0" },
	{ "instrument", "iv_rank_max", K_DBL, FLD(instrument, iv_rank_max),
	    0, 100, NULL, "80" },
	{ "instrument", "theta_burn_pct", K_PCT,
	    FLD(instrument, theta_burn_pct), 0, 100, NULL, "5" },
	{ "instrument", "gamma_max", K_DBL, FLD(instrument, gamma_max), 0,
	    1e9, NULL, "0" },
	{ "instrument", "rate", K_DBL, FLD(instrument, rate), 0, 1, NULL,
	    "0.05" },
	{ "instrument", "etf_map", K_PATH, FLD(instrument, etf_map), 0, 0,
	    NULL, "" },
	{ "instrument", "prefer_3x", K_BOOL, FLD(instrument, prefer_3x), 0,
	    0, NULL, "yes" },
	{ "instrument", "etf_min_adv", K_DBL, FLD(instrument, etf_min_adv),
	    0, 1e15, NULL, "10000000" },
	{ "instrument", "etf_max_spread_pct", K_PCT,
	    FLD(instrument, etf_max_spread_pct), 0, 100, NULL, "0.05" },
	{ "instrument", "model_iv", K_DBL, FLD(instrument, model_iv), 0.01,
	    5, NULL, "0.2" },
	{ "instrument", "model_spread_pct", K_PCT,
	    FLD(instrument, model_spread_pct), 0, 100, NULL, "2" },
	{ "instrument", "model_strikes", K_INT, FLD(instrument, model_strikes),
	    0, 50, NULL, "5" },
	{ "instrument", "model_strike_step", K_DBL,
	    FLD(instrument, model_strike_step), 0.01, 1e6, NULL, "1" },
	{ "instrument", "model_etf_spread_pct", K_PCT,
	    FLD(instrument, model_etf_spread_pct), 0, 100, NULL, "0.02" },

	{ "indicators", "vwap_near_pct", K_DBL, FLD(ind, vwap_near_pct),
	    0, 100, NULL, "0.05" },
	{ "indicators", "vwap_atr_period", K_INT, FLD(ind, vwap_atr_period),
	    1, 1000, NULL, "14" },
	{ "indicators", "vwap_atr_mult", K_DBL, FLD(ind, vwap_atr_mult),
	    0, 100, NULL, "1" },
	{ "indicators", "vol_spike", K_DBL, FLD(ind, vol_spike), 0, 1000,
	    NULL, "2" },
	{ "indicators", "tod_sessions", K_INT, FLD(ind, tod_sessions),
	    1, 60, NULL, "5" },
	{ "indicators", "ou_window", K_INT, FLD(ind, ou_window), 4, 10000,
	    NULL, "120" },
	{ "indicators", "ou_z", K_DBL, FLD(ind, ou_z), 0.01, 100, NULL,
	    "1" },
	{ "indicators", "mtf_fast", K_INT, FLD(ind, mtf_fast), 1, 1000,
	    NULL, "8" },
	{ "indicators", "mtf_slow", K_INT, FLD(ind, mtf_slow), 1, 1000,
	    NULL, "21" },
	{ "indicators", "quote_ring", K_INT, FLD(ind, quote_ring), 16,
	    1000000, NULL, "1024" },
	{ "indicators", "ofi_window", K_INT, FLD(ind, ofi_window), 1, 86400,
	    NULL, "30" },
	{ "indicators", "spread_window", K_INT, FLD(ind, spread_window),
	    1, 86400, NULL, "60" },
	{ "indicators", "speed_tau", K_INT, FLD(ind, speed_tau), 0, 3600,
	    NULL, "5" },
	{ "indicators", "accel_window", K_INT, FLD(ind, accel_window),
	    1, 3600, NULL, "30" },
	{ "indicators", "speed_spike_pct", K_DBL, FLD(ind, speed_spike_pct),
	    0.001, 100, NULL, "0.5" },
	{ "indicators", "funding_hours", K_INT, FLD(ind, funding_hours),
	    0, 168, NULL, "8" },
	{ "indicators", "pivot_left", K_INT, FLD(ind, pivot_left), 1, 100,
	    NULL, "3" },
	{ "indicators", "pivot_right", K_INT, FLD(ind, pivot_right), 0, 100,
	    NULL, "2" },
	{ "indicators", "pivot_keep", K_INT, FLD(ind, pivot_keep), 1, 100,
	    NULL, "6" },
	{ "indicators", "sweep_bars", K_INT, FLD(ind, sweep_bars), 1, 1000,
	    NULL, "20" },
	{ "indicators", "sweep_wick", K_DBL, FLD(ind, sweep_wick), 0, 100,
	    NULL, "1" },
	{ "indicators", "sweep_volume", K_DBL, FLD(ind, sweep_volume), 0, 100,
	    NULL, "1.5" },
	{ "indicators", "ob_bars", K_INT, FLD(ind, ob_bars), 1, 100, NULL,
	    "3" },
	{ "indicators", "ob_keep", K_INT, FLD(ind, ob_keep), 1, 100, NULL,
	    "3" },
	{ "indicators", "ob_impulse_atr", K_DBL, FLD(ind, ob_impulse_atr),
	    0.01, 100, NULL, "1.5" },
	{ "indicators", "pin_wick", K_DBL, FLD(ind, pin_wick), 0.01, 100,
	    NULL, "2" }
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* Where each key was last set, for messages about pairs of keys. */
struct where {
	const char	*file[NKEYS];	/* NULL: still the default */
	int		 line[NKEYS];
	int		 seq[NKEYS];	/* order of setting, from 1 */
	int		 nset;
};

/* One file being parsed: the reader's and the handler's shared state. */
struct parse {
	struct config	*c;
	struct where	*w;
	struct sk_err	*e;
	const char	*file;
	char		 dir[CFG_PATH];	/* for relative paths in it */
	FILE		*fp;
	char		*buf;		/* getline's */
	size_t		 cap;
	int		 lineno;
	int		 failed;	/* e is filled; stop reading */
	int		 fail_line;	/* the line e names */
	int		 read_errno;	/* of a failed read */
};

static int
is_name_char(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
}

static int
parse_long(const char *v, long *out)
{
	char *end;
	long n;

	if (*v == '\0')
		return -1;
	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0' || errno == ERANGE)
		return -1;
	*out = n;
	return 0;
}

/*
 * strtod also takes "nan", "inf" and hex floats; a config value is a
 * plain decimal, so anything else is refused before it gets there.
 */
static int
parse_double(const char *v, double *out)
{
	char *end;
	double d;

	if (*v == '\0' || strspn(v, "0123456789.+-eE") != strlen(v))
		return -1;
	errno = 0;
	d = strtod(v, &end);
	if (end == v || *end != '\0' || errno == ERANGE || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

static int
parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/*
 * An exact decimal "I" or "I.F" with at most RATIO_DIGITS decimals, as
 * num / den with den = 10^(digits of F): "1.5" is 15/10, "2" is 2/1.
 */
static int
parse_ratio(const char *v, long *num, long *den, char *why, size_t n)
{
	long nu = 0, de = 1;
	int nd = 0, ni = 0;
	const char *p;

	for (p = v; *p >= '0' && *p <= '9'; p++, ni++) {
		if (ni >= 9)
			goto bad;
		nu = nu * 10 + (*p - '0');
	}
	if (ni == 0)
		goto bad;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++, nd++) {
			if (nd >= RATIO_DIGITS) {
				snprintf(why, n, "'%.40s' has more than %d "
				    "decimals", v, RATIO_DIGITS);
				return -1;
			}
			nu = nu * 10 + (*p - '0');
			de *= 10;
		}
		if (nd == 0)
			goto bad;
	}
	if (*p != '\0')
		goto bad;
	*num = nu;
	*den = de;
	return 0;
bad:
	snprintf(why, n, "'%.40s' is not a decimal number such as 1.5", v);
	return -1;
}

/* "30s", "1m", "10m", "1h", "1d": one bar of at most one day. */
static int
check_tf(const char *v)
{
	long n = 0, unit;
	const char *p;

	for (p = v; *p >= '0' && *p <= '9' && p - v < 6; p++)
		n = n * 10 + (*p - '0');
	if (p == v || p[0] == '\0' || p[1] != '\0' || n == 0 || *v == '0')
		return -1;
	switch (*p) {
	case 's':
		unit = 1;
		break;
	case 'm':
		unit = 60;
		break;
	case 'h':
		unit = 3600;
		break;
	case 'd':
		unit = 86400;
		break;
	default:
		return -1;
	}
	return n * unit <= 86400 ? 0 : -1;
}

/* Comma-separated symbols, blanks around each dropped: "SPY, QQQ". */
static int
copy_syms(const char *v, char *dst, size_t size)
{
	size_t len = 0, k;
	const char *p = v, *q;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		/* "*" alone: every symbol. */
		for (q = p; is_name_char(*q) || *q == '/' || *q == ':' ||
		    (*q == '*' && q == p && (q[1] == '\0' || q[1] == ',' ||
		    q[1] == ' ')); q++)
			;
		k = (size_t)(q - p);
		if (k == 0 || len + k + 1 >= size)
			return -1;
		if (len > 0)
			dst[len++] = ',';
		memcpy(dst + len, p, k);
		len += k;
		dst[len] = '\0';
		for (p = q; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

/* One "HH:MM" at *p, which is moved past it; the minute, or -1. */
static int
window_time(const char **p)
{
	char t[6];
	int m;

	if (strlen(*p) < 5)
		return -1;
	memcpy(t, *p, 5);
	t[5] = '\0';
	if (clock_parse_hhmm(t, &m) == -1)
		return -1;
	*p += 5;
	return m;
}

/*
 * Entry windows "HH:MM-HH:MM" separated by commas, blanks around each
 * dropped; each must end after it starts and begin at or after the end
 * of the one before.  "" is no windows.
 */
static int
parse_windows(const char *v, struct cfg_windows *w, char *why, size_t n)
{
	struct cfg_windows out;
	const char *p = v;
	int a, b;

	memset(&out, 0, sizeof(out));
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p != '\0') {
		a = window_time(&p);
		if (a == -1 || *p++ != '-')
			goto syntax;
		b = window_time(&p);
		if (b == -1)
			goto syntax;
		if (out.n == CFG_WINDOWS) {
			snprintf(why, n, "more than %d windows", CFG_WINDOWS);
			return -1;
		}
		if (b <= a || (out.n > 0 && a < out.end[out.n - 1])) {
			snprintf(why, n, "window %02d:%02d-%02d:%02d %s",
			    a / 60, a % 60, b / 60, b % 60, b <= a ?
			    "does not end after it starts" : "starts before "
			    "the one before it ends");
			return -1;
		}
		out.start[out.n] = a;
		out.end[out.n++] = b;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == ',') {
			p++;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '\0')
				goto syntax;
		} else if (*p != '\0')
			goto syntax;
	}
	*w = out;
	return 0;
syntax:
	snprintf(why, n, "'%.40s' is not a list of windows such as "
	    "09:45-10:30,13:00-15:30", v);
	return -1;
}

/*
 * Numbers separated by commas, one per balance tier, each within
 * [lo, hi]; with words "ascending" each must exceed the one before.
 * "" is none.
 */
static int
parse_tiers(const struct key *k, const char *v, struct cfg_tiers *t,
    char *why, size_t n)
{
	struct cfg_tiers out;
	char tmp[64];
	const char *p = v, *comma;
	size_t len;
	double d;

	memset(&out, 0, sizeof(out));
	while (*p == ' ' || *p == '\t')
		p++;
	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= sizeof(tmp))
			goto syntax;
		memcpy(tmp, p, len);
		tmp[len] = '\0';
		if (parse_double(tmp, &d) == -1)
			goto syntax;
		if (out.n == CFG_TIERS) {
			snprintf(why, n, "more than %d values", CFG_TIERS);
			return -1;
		}
		if (d < k->lo || d > k->hi) {
			snprintf(why, n, "'%.40s' is out of range %g..%g", tmp,
			    k->lo, k->hi);
			return -1;
		}
		if (k->words != NULL && out.n > 0 && !(d > out.v[out.n - 1])) {
			snprintf(why, n, "'%.40s' does not exceed the value "
			    "before it", tmp);
			return -1;
		}
		out.v[out.n++] = d;
		if (comma == NULL)
			break;
		p = comma + 1;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			goto syntax;
	}
	if (k->words != NULL && out.n == CFG_TIERS) {
		snprintf(why, n, "more than %d bounds", CFG_TIERS - 1);
		return -1;
	}
	*t = out;
	return 0;
syntax:
	snprintf(why, n, "'%.40s' is not a list of numbers such as "
	    "1, 2.5, 2.5", v);
	return -1;
}

static int
in_words(const char *v, const char *words)
{
	size_t n = strlen(v);
	const char *p = words, *bar;

	for (;;) {
		bar = strchr(p, '|');
		if ((bar == NULL ? strlen(p) : (size_t)(bar - p)) == n &&
		    n > 0 && strncmp(p, v, n) == 0)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

/*
 * A path as the file spells it: "" stays "" (the default applies),
 * "~/x" is under $HOME, and a relative name is taken relative to the
 * directory of the file that sets it, so that a config means the same
 * whatever directory cron starts in.
 */
static int
resolve_path(const char *v, const char *dir, char *dst, size_t size,
    char *why, size_t n)
{
	const char *home;
	int len;

	if (*v == '\0' || *v == '/' || dir == NULL)
		len = snprintf(dst, size, "%s", v);
	else if (v[0] == '~' && v[1] == '/') {
		home = getenv("HOME");
		if (home == NULL || *home == '\0') {
			snprintf(why, n, "'%.40s' needs $HOME, which is "
			    "not set", v);
			return -1;
		}
		len = snprintf(dst, size, "%s%s", home, v + 1);
	} else if (strcmp(dir, ".") == 0)
		len = snprintf(dst, size, "%s", v);
	else
		len = snprintf(dst, size, "%s/%s", dir, v);
	if (len < 0 || (size_t)len >= size) {
		snprintf(why, n, "path is longer than %zu bytes", size - 1);
		return -1;
	}
	return 0;
}

static int
set_string(const struct key *k, char *dst, const char *v, char *why,
    size_t n)
{
	size_t len = strlen(v), i;

	if (len >= k->size) {
		snprintf(why, n, "'%.40s' is longer than %zu bytes", v,
		    k->size - 1);
		return -1;
	}
	if (k->type == K_NAME || k->type == K_ZONE) {
		for (i = 0; i < len; i++)
			if (!is_name_char((unsigned char)v[i]) &&
			    !(k->type == K_ZONE &&
			    (v[i] == '/' || v[i] == '+')))
				break;
		if (len == 0 || i < len || v[0] == '/' || v[0] == '.' ||
		    strstr(v, "..") != NULL) {
			snprintf(why, n, "'%.40s' is not a %s", v,
			    k->type == K_NAME ? "name (letters, digits, "
			    "'-', '_', '.')" : "time zone name");
			return -1;
		}
	}
	memcpy(dst, v, len + 1);
	return 0;
}

/* Words "a|b|c" as "a, b, c" for a message. */
static void
list_words(const char *words, char *buf, size_t size)
{
	size_t len = 0;
	const char *p;

	for (p = words; *p != '\0' && len + 3 < size; p++) {
		if (*p == '|') {
			buf[len++] = ',';
			buf[len++] = ' ';
		} else
			buf[len++] = *p;
	}
	buf[len] = '\0';
}

static int
set_number(const struct key *k, char *base, const char *v, char *why,
    size_t n)
{
	char tmp[64];
	const char *what;
	double d;
	long l;
	size_t len;

	if (k->type == K_INT) {
		what = "an integer";
		if (parse_long(v, &l) == -1)
			goto notnum;
		if (l < (long)k->lo || l > (long)k->hi)
			goto range;
		*(int *)(void *)(base + k->off) = (int)l;
		return 0;
	}
	what = "a number";
	len = strlen(v);
	if (k->type == K_PCT && len > 0 && v[len - 1] == '%') {
		if (len >= sizeof(tmp))
			goto notnum;
		memcpy(tmp, v, len - 1);
		tmp[len - 1] = '\0';
		if (parse_double(tmp, &d) == -1)
			goto notnum;
	} else if (parse_double(v, &d) == -1)
		goto notnum;
	if (d < k->lo || d > k->hi)
		goto range;
	*(double *)(void *)(base + k->off) = d;
	return 0;
notnum:
	snprintf(why, n, "'%.40s' is not %s", v, what);
	return -1;
range:
	snprintf(why, n, "'%.40s' is out of range %g..%g", v, k->lo, k->hi);
	return -1;
}

/*
 * Parse v as key k into c.  Nothing is stored unless all of v is good;
 * dir is the directory of the file (NULL for a built-in default).
 * Returns 0, or -1 with the reason in why.
 */
static int
set_value(struct config *c, const struct key *k, const char *v,
    const char *dir, char *why, size_t n)
{
	char *base = (char *)c, *dst = base + k->off, words[64];
	long num, den;
	int iv;

	switch (k->type) {
	case K_BOOL:
		if (parse_bool(v, &iv) == -1) {
			snprintf(why, n, "'%.40s' is not one of yes, no, "
			    "true, false, on, off, 1, 0", v);
			return -1;
		}
		*(int *)(void *)dst = iv;
		return 0;
	case K_ENUM:
		if (!in_words(v, k->words)) {
			list_words(k->words, words, sizeof(words));
			snprintf(why, n, "'%.40s' is not one of %s", v, words);
			return -1;
		}
		return set_string(k, dst, v, why, n);
	case K_HHMM:
		if (clock_parse_hhmm(v, &iv) == -1 || iv < k->lo ||
		    iv > k->hi) {
			snprintf(why, n, "'%.40s' is not a time HH:MM from "
			    "00:00 to 23:59", v);
			return -1;
		}
		*(int *)(void *)dst = iv;
		return 0;
	case K_INT:
	case K_DBL:
	case K_PCT:
		return set_number(k, base, v, why, n);
	case K_NAME:
	case K_ZONE:
		return set_string(k, dst, v, why, n);
	case K_PATH:
		return resolve_path(v, dir, dst, k->size, why, n);
	case K_RATIO:
		if (parse_ratio(v, &num, &den, why, n) == -1)
			return -1;
		if ((double)num / (double)den < k->lo ||
		    (double)num / (double)den > k->hi) {
			snprintf(why, n, "'%.40s' is out of range %g..%g", v,
			    k->lo, k->hi);
			return -1;
		}
		*(long *)(void *)dst = num;
		*(long *)(void *)(base + k->off2) = den;
		return 0;
	case K_SYMS:
		if (copy_syms(v, dst, k->size) == -1) {
			snprintf(why, n, "'%.40s' is not a comma-separated "
			    "list of symbols", v);
			return -1;
		}
		return 0;
	case K_WINDOWS:
		return parse_windows(v, (struct cfg_windows *)(void *)dst,
		    why, n);
	case K_TIERS:
		return parse_tiers(k, v, (struct cfg_tiers *)(void *)dst,
		    why, n);
	case K_TF:
		if (check_tf(v) == -1 || strlen(v) >= k->size) {
			snprintf(why, n, "'%.40s' is not a timeframe such as "
			    "1m, 10m or 1h", v);
			return -1;
		}
		return set_string(k, dst, v, why, n);
	}
	snprintf(why, n, "unknown type");
	return -1;
}

void
config_defaults(struct config *c)
{
	char why[WHY_LEN];
	size_t i;

	memset(c, 0, sizeof(*c));
	/* The table's defaults are known good; tests hold them to it. */
	for (i = 0; i < NKEYS; i++)
		(void)set_value(c, &keys[i], keys[i].def, NULL, why,
		    sizeof(why));
}

static size_t
key_index(const char *sect, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].sect, sect) == 0 &&
		    strcmp(keys[i].name, name) == 0)
			break;
	return i;
}

static int
known_section(const char *s)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].sect, s) == 0)
			return 1;
	return 0;
}

/* libinih's handler: one "name = value" of section sect. */
static int
on_key(void *arg, const char *sect, const char *name, const char *value)
{
	struct parse *p = arg;
	char why[WHY_LEN];
	size_t i;

	if (p->failed)
		return 0;
	p->failed = 1;	/* until the value is stored */
	p->fail_line = p->lineno;
	if (*sect == '\0') {
		sk_errf(p->e, SK_DATA, "%s:%d: key '%s' is outside any "
		    "[section]", p->file, p->lineno, name);
		return 0;
	}
	if (!known_section(sect)) {
		sk_errf(p->e, SK_DATA, "%s:%d: unknown section [%s]",
		    p->file, p->lineno, sect);
		return 0;
	}
	i = key_index(sect, name);
	if (i == NKEYS) {
		sk_errf(p->e, SK_DATA, "%s:%d: unknown key '%s' in [%s]",
		    p->file, p->lineno, name, sect);
		return 0;
	}
	if (p->w->file[i] == p->file) {
		sk_errf(p->e, SK_DATA, "%s:%d: duplicate key '%s' in [%s], "
		    "first set on line %d", p->file, p->lineno, name, sect,
		    p->w->line[i]);
		return 0;
	}
	if (set_value(p->c, &keys[i], value, p->dir, why,
	    sizeof(why)) == -1) {
		sk_errf(p->e, SK_DATA, "%s:%d: bad value for '%s': %s",
		    p->file, p->lineno, name, why);
		return 0;
	}
	p->w->file[i] = p->file;
	p->w->line[i] = p->lineno;
	p->w->seq[i] = ++p->w->nset;
	p->failed = 0;
	return 1;
}

/*
 * libinih's reader.  Reading whole lines here keeps the line number the
 * handler reports exact (Debian's libinih is built without
 * INI_HANDLER_LINENO), refuses lines libinih would split, and drops
 * leading blanks so that an indented "key = v" is a key of its own
 * rather than a continuation of the value above it.
 */
static char *
read_line(char *str, int num, void *arg)
{
	struct parse *p = arg;
	ssize_t len;
	size_t skip, text;

	if (p->failed)
		return NULL;
	errno = 0;
	len = getline(&p->buf, &p->cap, p->fp);
	if (len == -1) {
		p->read_errno = errno;
		return NULL;
	}
	p->lineno++;
	skip = strspn(p->buf, " \t");
	text = strcspn(p->buf + skip, "\r\n");
	if (strlen(p->buf) != (size_t)len) {
		p->failed = 1;
		p->fail_line = p->lineno;
		sk_errf(p->e, SK_DATA, "%s:%d: NUL byte in line", p->file,
		    p->lineno);
		return NULL;
	}
	/* libinih needs room for the text, "\r\n" and the NUL. */
	if (num < 3 || text > (size_t)num - 3) {
		p->failed = 1;
		p->fail_line = p->lineno;
		sk_errf(p->e, SK_DATA, "%s:%d: line longer than %d bytes",
		    p->file, p->lineno, num - 3);
		return NULL;
	}
	memcpy(str, p->buf + skip, (size_t)len - skip + 1);
	return str;
}

static void
dir_of(const char *file, char *dir, size_t size)
{
	const char *slash = strrchr(file, '/');

	if (slash == NULL)
		sk_strlcpy(dir, ".", size);
	else if (slash == file)
		sk_strlcpy(dir, "/", size);
	else {
		size_t k = (size_t)(slash - file);

		if (k >= size)
			k = size - 1;
		memcpy(dir, file, k);
		dir[k] = '\0';
	}
}

static int
parse_file(struct config *c, struct where *w, const char *file,
    struct sk_err *e)
{
	struct parse p;
	int r, rv = -1;

	memset(&p, 0, sizeof(p));
	p.c = c;
	p.w = w;
	p.e = e;
	p.file = file;
	dir_of(file, p.dir, sizeof(p.dir));
	p.fp = fopen(file, "r");
	if (p.fp == NULL)
		return sk_errf(e, SK_IO, "%s: %s", file, strerror(errno));
	r = ini_parse_stream(read_line, &p, on_key, &p);
	/* libinih reports the first bad line: ours, or a syntax error. */
	if (p.failed && (r <= 0 || r >= p.fail_line))
		goto out;
	if (ferror(p.fp))
		sk_errf(e, SK_IO, "%s: %s", file, p.read_errno != 0 ?
		    strerror(p.read_errno) : "read error");
	else if (r == -2)
		sk_errf(e, SK_IO, "%s: out of memory", file);
	else if (r != 0)
		sk_errf(e, SK_DATA, "%s:%d: syntax error: expected "
		    "[section] or key = value", file, r);
	else
		rv = 0;
out:
	free(p.buf);
	fclose(p.fp);
	return rv;
}

/* 1 if path names something (even unreadable), 0 if it does not. */
static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 || (errno != ENOENT && errno != ENOTDIR);
}

static int
join(char *buf, size_t n, const char *a, const char *b)
{
	int len = snprintf(buf, n, "%s%s", a, b);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

/* The config file to read into c->file; "" for none (defaults only). */
static int
find_config(struct config *c, const char *path, struct sk_err *e)
{
	char cand[CFG_PATH];
	const char *env, *home;

	if (path == NULL && (env = getenv("SCALPKIT_CONF")) != NULL &&
	    *env != '\0')
		path = env;
	if (path != NULL) {
		if (*path == '\0')
			return sk_errf(e, SK_IO, "config: empty file name");
		if (join(c->file, sizeof(c->file), path, "") == -1)
			return sk_errf(e, SK_IO, "%.64s...: file name too "
			    "long", path);
		return 0;
	}
	cand[0] = '\0';
	/* XDG: a relative $XDG_CONFIG_HOME is to be ignored. */
	env = getenv("XDG_CONFIG_HOME");
	home = getenv("HOME");
	if (env != NULL && *env == '/') {
		if (join(cand, sizeof(cand), env,
		    "/scalpkit/scalpkit.conf") == -1)
			cand[0] = '\0';
	} else if (home != NULL && *home != '\0') {
		if (join(cand, sizeof(cand), home,
		    "/.config/scalpkit/scalpkit.conf") == -1)
			cand[0] = '\0';
	}
	if (cand[0] != '\0' && exists(cand))
		return join(c->file, sizeof(c->file), cand, "");
	if (exists(SK_SYSCONFDIR "/scalpkit.conf"))
		return join(c->file, sizeof(c->file),
		    SK_SYSCONFDIR "/scalpkit.conf", "");
	c->file[0] = '\0';
	return 0;
}

/* The profile file for name into c->profile_file. */
static int
find_profile(struct config *c, const char *name, struct sk_err *e)
{
	char dir[CFG_PATH], cand[CFG_PATH], tail[CFG_PATH];
	size_t i;

	dir[0] = '\0';

	if (strchr(name, '/') != NULL) {
		if (join(c->profile_file, sizeof(c->profile_file), name,
		    "") == -1)
			return sk_errf(e, SK_IO, "%.64s...: file name too "
			    "long", name);
		return 0;
	}
	for (i = 0; name[i] != '\0'; i++)
		if (!is_name_char((unsigned char)name[i]))
			break;
	if (i == 0 || name[i] != '\0' || name[0] == '.' || i > 64)
		return sk_errf(e, SK_USAGE, "profile '%.64s': not a profile "
		    "name", name);
	snprintf(tail, sizeof(tail), "/profiles/%s.conf", name);
	if (c->file[0] != '\0') {
		dir_of(c->file, dir, sizeof(dir));
		if (join(cand, sizeof(cand), dir, tail) == 0 &&
		    exists(cand))
			return join(c->profile_file,
			    sizeof(c->profile_file), cand, "");
	}
	if (join(cand, sizeof(cand), SK_SYSCONFDIR, tail) == 0 &&
	    exists(cand))
		return join(c->profile_file, sizeof(c->profile_file), cand,
		    "");
	if (c->file[0] != '\0')
		return sk_errf(e, SK_IO, "profile '%s': no %s.conf in "
		    "%s/profiles or %s/profiles", name, name, dir,
		    SK_SYSCONFDIR);
	return sk_errf(e, SK_IO, "profile '%s': no %s.conf in %s/profiles",
	    name, name, SK_SYSCONFDIR);
}

/* "file:line" where key i was set last, or "config" for a default. */
static void
where_str(const struct where *w, size_t i, char *buf, size_t size)
{
	if (w->file[i] != NULL)
		snprintf(buf, size, "%s:%d", w->file[i], w->line[i]);
	else
		snprintf(buf, size, "config");
}

static void
show(int v, int hhmm, char *buf, size_t size)
{
	if (hhmm)
		snprintf(buf, size, "%02d:%02d", v / 60 % 100, v % 60);
	else
		snprintf(buf, size, "%d", v);
}

/*
 * Key a must be less than key b (or at most b when !strict).  The
 * message points at whichever of the two was set last, the likelier
 * culprit (b if neither was set, which the defaults never allow).
 */
static int
check_order(const struct where *w, size_t a, int va, size_t b, int vb,
    int strict, int hhmm, struct sk_err *e)
{
	char sa[16], sb[16], loc[CFG_PATH + 16];
	size_t at = b;

	if (strict ? va < vb : va <= vb)
		return 0;
	if (w->seq[a] > w->seq[b])
		at = a;
	where_str(w, at, loc, sizeof(loc));
	show(va, hhmm, sa, sizeof(sa));
	show(vb, hhmm, sb, sizeof(sb));
	return sk_errf(e, SK_DATA, "%s: %s (%s) must be %s %s (%s)", loc,
	    keys[a].name, sa, strict ? "less than" : "at most", keys[b].name,
	    sb);
}

static int
check_pairs(const struct config *c, const struct where *w,
    struct sk_err *e)
{
	if (check_order(w, key_index("risk", "entry_start"),
	    c->risk.entry_start, key_index("risk", "entry_end"),
	    c->risk.entry_end, 1, 1, e) == -1)
		return -1;
	if (check_order(w, key_index("risk", "entry_end"),
	    c->risk.entry_end, key_index("exits", "flat_by"),
	    c->exits.flat_by, 0, 1, e) == -1)
		return -1;
	/* The last window's end, as entry_end, is due by flat_by. */
	if (c->risk.entry_windows.n > 0 && check_order(w,
	    key_index("risk", "entry_windows"),
	    c->risk.entry_windows.end[c->risk.entry_windows.n - 1],
	    key_index("exits", "flat_by"), c->exits.flat_by, 0, 1, e) == -1)
		return -1;
	/* Half size must start at or below full size. */
	if (check_order(w, key_index("risk", "conviction_half"),
	    c->risk.conviction_half, key_index("risk", "conviction_full"),
	    c->risk.conviction_full, 0, 0, e) == -1)
		return -1;
	if (check_order(w, key_index("strategy", "fast_short"),
	    c->strategy.fast_short, key_index("strategy", "fast_long"),
	    c->strategy.fast_long, 1, 0, e) == -1)
		return -1;
	return check_order(w, key_index("strategy", "macro_short"),
	    c->strategy.macro_short, key_index("strategy", "macro_long"),
	    c->strategy.macro_long, 1, 0, e);
}

int
config_load(struct config *c, const char *path, const char *profile,
    struct sk_err *e)
{
	struct where w;

	memset(&w, 0, sizeof(w));
	config_defaults(c);
	if (find_config(c, path, e) == -1)
		return -1;
	if (c->file[0] != '\0' && parse_file(c, &w, c->file, e) == -1)
		return -1;
	if (profile != NULL) {
		if (find_profile(c, profile, e) == -1)
			return -1;
		if (parse_file(c, &w, c->profile_file, e) == -1)
			return -1;
	}
	return check_pairs(c, &w, e);
}

int
config_journal_path(const struct config *c, const char *opt, char *buf,
    size_t n, struct sk_err *e)
{
	const char *env = getenv("SCALPKIT_JOURNAL");
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int r;

	if (opt != NULL && *opt != '\0')
		r = join(buf, n, opt, "");
	else if (env != NULL && *env != '\0')
		r = join(buf, n, env, "");
	else if (c->paths.journal[0] != '\0')
		r = join(buf, n, c->paths.journal, "");
	else if (state != NULL && *state == '/')
		r = join(buf, n, state, "/scalpkit/journal.db");
	else if (home != NULL && *home != '\0')
		r = join(buf, n, home, "/.local/state/scalpkit/journal.db");
	else
		return sk_errf(e, SK_IO, "journal: neither $HOME nor "
		    "$XDG_STATE_HOME is set; set paths.journal");
	if (r == -1)
		return sk_errf(e, SK_IO, "journal: path longer than %zu "
		    "bytes", n - 1);
	return 0;
}

int
config_share_dir(const struct config *c, char *buf, size_t n,
    struct sk_err *e)
{
	const char *env = getenv("SCALPKIT_SHARE");
	int r;

	if (env != NULL && *env != '\0')
		r = join(buf, n, env, "");
	else if (c->paths.share[0] != '\0')
		r = join(buf, n, c->paths.share, "");
	else
		r = join(buf, n, SK_SHAREDIR, "");
	if (r == -1)
		return sk_errf(e, SK_IO, "share: path longer than %zu bytes",
		    n - 1);
	return 0;
}

int
config_calendar_path(const struct config *c, char *buf, size_t n,
    struct sk_err *e)
{
	if (c->paths.calendar[0] != '\0') {
		if (join(buf, n, c->paths.calendar, "") == -1)
			return sk_errf(e, SK_IO, "calendar: path longer "
			    "than %zu bytes", n - 1);
		return 0;
	}
	if (config_share_dir(c, buf, n, e) == -1)
		return -1;
	if (strlen(buf) + sizeof("/calendar/nyse.csv") > n)
		return sk_errf(e, SK_IO, "calendar: path longer than %zu "
		    "bytes", n - 1);
	memcpy(buf + strlen(buf), "/calendar/nyse.csv",
	    sizeof("/calendar/nyse.csv"));
	return 0;
}

int
config_etf_paths(const struct config *c, char *map, char *mem, size_t n,
    struct sk_err *e)
{
	const char *slash;
	char dir[CFG_PATH];
	size_t len;

	if (c->instrument.etf_map[0] != '\0') {
		if (sk_strlcpy(map, c->instrument.etf_map, n) >= n)
			return sk_errf(e, SK_IO, "etf map: path too long");
	} else {
		slash = strrchr(c->file, '/');
		if (slash != NULL)
			snprintf(dir, sizeof(dir), "%.*s",
			    (int)(slash - c->file), c->file);
		else
			sk_strlcpy(dir, c->file[0] != '\0' ? "." :
			    SK_SYSCONFDIR, sizeof(dir));
		if ((size_t)snprintf(map, n, "%s/etf-map.csv", dir) >= n)
			return sk_errf(e, SK_IO, "etf map: path too long");
	}
	slash = strrchr(map, '/');
	len = slash != NULL ? (size_t)(slash - map) + 1 : 0;
	if ((size_t)snprintf(mem, n, "%.*sindex-members.csv", (int)len,
	    map) >= n)
		return sk_errf(e, SK_IO, "etf map: path too long");
	return 0;
}
