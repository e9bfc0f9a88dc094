/*
 * test_config.c: lib/config.c: the built-in defaults against
 * etc/scalpkit.conf, every value type at its limits, the errors and
 * their file:line, profiles, and where the files are looked for.
 */
#include <check.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

#ifndef SK_SRCDIR
#define SK_SRCDIR "."
#endif
#ifndef SK_SYSCONFDIR
#define SK_SYSCONFDIR "/usr/local/etc/scalpkit"
#endif
#define ETC	SK_SRCDIR "/etc"

/* A scratch directory for one test; files made in it are removed. */
struct scratch {
	char	 dir[128];
	char	 made[16][256];	/* files and directories, in order */
	int	 n;
};

static void
scratch_init(struct scratch *t)
{
	const char *tmp = getenv("TMPDIR");

	memset(t, 0, sizeof(*t));
	if (tmp == NULL || *tmp != '/' || strlen(tmp) > 64)
		tmp = "/tmp";
	snprintf(t->dir, sizeof(t->dir), "%s/sk_config_XXXXXX", tmp);
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
}

static void
scratch_release(struct scratch *t)
{
	while (t->n > 0) {
		const char *p = t->made[--t->n];

		if (unlink(p) == -1)
			rmdir(p);
	}
	rmdir(t->dir);
}

/* Write text to dir/rel, making the directories on the way; the path. */
static const char *
put(struct scratch *t, const char *rel, const char *text)
{
	char path[256], *slash;
	FILE *fp;

	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/%s", t->dir, rel),
	    (int)sizeof(path));
	for (slash = strchr(path + strlen(t->dir) + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0700) == 0) {
			ck_assert_int_lt(t->n, 16);
			memcpy(t->made[t->n++], path, strlen(path) + 1);
		} else
			ck_assert_int_eq(errno, EEXIST);
		*slash = '/';
	}
	ck_assert_ptr_nonnull(fp = fopen(path, "w"));
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_lt(t->n, 16);
	memcpy(t->made[t->n], path, strlen(path) + 1);
	return t->made[t->n++];
}

/* Env for a lookup test: only what the case sets. */
static void
clear_env(void)
{
	unsetenv("SCALPKIT_CONF");
	unsetenv("SCALPKIT_JOURNAL");
	unsetenv("SCALPKIT_SHARE");
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
}

/* Every field of a and b but the file names. */
static void
assert_same(const struct config *a, const struct config *b)
{
	int i;

#define SAME_I(f)	ck_assert_int_eq(a->f, b->f)
#define SAME_D(f)	ck_assert_double_eq(a->f, b->f)
#define SAME_S(f)	ck_assert_str_eq(a->f, b->f)
#define SAME_TIERS(f)	do {						\
	SAME_I(f.n);							\
	for (i = 0; i < CFG_TIERS; i++)					\
		SAME_D(f.v[i]);						\
} while (0)
	SAME_S(account.type);
	SAME_D(account.cash);
	SAME_I(account.settle_equity);
	SAME_I(account.settle_option);
	SAME_I(account.max_gfv);
	SAME_I(account.pdt);
	SAME_D(account.pdt_equity);
	SAME_I(account.pdt_max);
	SAME_D(account.buying_power);
	SAME_I(risk.entry_start);
	SAME_I(risk.entry_end);
	SAME_I(risk.entry_windows.n);
	for (i = 0; i < CFG_WINDOWS; i++) {
		SAME_I(risk.entry_windows.start[i]);
		SAME_I(risk.entry_windows.end[i]);
	}
	SAME_I(risk.open_delay);
	SAME_S(risk.blackouts);
	SAME_I(risk.blackout_minutes);
	SAME_I(risk.max_positions);
	SAME_I(risk.max_per_symbol);
	SAME_I(risk.max_trades_day);
	SAME_D(risk.daily_loss_pct);
	SAME_D(risk.session_loss_pct);
	SAME_D(risk.pause_drawdown_pct);
	SAME_I(risk.pause_minutes);
	SAME_I(risk.loss_cooldown);
	SAME_I(risk.min_interval);
	SAME_I(risk.loss_streak);
	SAME_D(risk.loss_streak_size);
	SAME_D(risk.target_equity);
	SAME_D(risk.max_position_pct);
	SAME_S(risk.kill_switch);
	SAME_S(risk.sizing);
	SAME_D(risk.risk_pct);
	SAME_D(risk.kelly_cap_pct);
	SAME_I(risk.conviction_full);
	SAME_I(risk.conviction_half);
	SAME_D(risk.min_qty);
	SAME_D(risk.qty_step);
	SAME_D(risk.min_notional);
	SAME_D(risk.max_leverage);
	SAME_D(risk.max_spread);
	SAME_D(risk.max_spread_pct);
	SAME_I(risk.asia_windows.n);
	for (i = 0; i < CFG_WINDOWS; i++) {
		SAME_I(risk.asia_windows.start[i]);
		SAME_I(risk.asia_windows.end[i]);
	}
	SAME_D(risk.asia_spread_mult);
	SAME_I(risk.quote_max_age);
	SAME_D(risk.min_volume);
	SAME_D(risk.min_open_interest);
	SAME_D(risk.iv_pct_min);
	SAME_D(risk.iv_pct_max);
	SAME_D(risk.min_atr_pct);
	SAME_D(risk.min_range_pct);
	SAME_D(risk.fee_k);
	SAME_I(risk.ev_guard);
	SAME_D(risk.ev_min);
	SAME_I(risk.average_losers);
	SAME_I(risk.b_tier);
	SAME_I(risk.b_while_a);
	SAME_D(risk.margin_a_pct);
	SAME_D(risk.margin_b_pct);
	SAME_I(risk.cutoff_0dte);
	SAME_I(risk.cutoff_1dte);
	SAME_TIERS(risk.tier_bounds);
	SAME_TIERS(risk.tier_min_interval);
	SAME_TIERS(risk.tier_soften);
	SAME_TIERS(risk.tier_fee_k);
	SAME_TIERS(risk.tier_ev_min);
	SAME_TIERS(risk.tier_b_tier);
	SAME_TIERS(risk.tier_margin_a);
	SAME_TIERS(risk.tier_margin_b);
	SAME_S(broker.name);
	SAME_I(broker.live);
	SAME_D(broker.fee_per_share);
	SAME_D(broker.fee_per_order);
	SAME_D(broker.fee_per_contract);
	SAME_S(paper.model);
	SAME_S(paper.fee_schedule);
	SAME_D(paper.half_spread_equity);
	SAME_D(paper.half_spread_option);
	SAME_D(paper.half_spread_perp);
	SAME_D(paper.half_spread_cfd);
	SAME_D(paper.tick_equity);
	SAME_D(paper.tick_option);
	SAME_D(paper.tick_perp);
	SAME_D(paper.tick_cfd);
	SAME_S(paper.slippage);
	SAME_D(paper.slippage_ticks);
	SAME_D(paper.slippage_spread_pct);
	SAME_D(paper.slippage_volume_bp);
	SAME_D(paper.option_ticks);
	SAME_D(paper.volume_share);
	SAME_I(paper.limit_timeout);
	SAME_S(paper.perp_suffixes);
	SAME_S(paper.cfd_suffixes);
	SAME_S(strategy.name);
	SAME_S(strategy.model);
	SAME_S(strategy.symbols);
	SAME_S(strategy.indicators);
	SAME_I(strategy.fast_short);
	SAME_I(strategy.fast_long);
	SAME_S(strategy.macro_tf);
	SAME_I(strategy.macro_short);
	SAME_I(strategy.macro_long);
	SAME_I(strategy.require_macro);
	SAME_I(strategy.vol_window);
	SAME_I(strategy.vol_mult_num);
	SAME_I(strategy.vol_mult_den);
	SAME_I(strategy.long_only);
	SAME_D(strategy.qty);
	SAME_D(strategy.ofi_min);
	SAME_D(strategy.vwap_sd_min);
	SAME_D(strategy.accel_min);
	SAME_D(strategy.funding_min);
	SAME_I(strategy.quote_age);
	SAME_I(strategy.a_tier_min);
	SAME_D(strategy.burst_pct);
	SAME_D(strategy.vol_confirm);
	SAME_I(strategy.signal_gap);
	SAME_I(strategy.signal_active);
	SAME_D(exits.stop_pct);
	SAME_D(exits.target_pct);
	SAME_I(exits.cloud_flip);
	SAME_I(exits.flat_by);
	SAME_I(exits.flat_by_exit);
	SAME_I(exits.session_exit);
	SAME_I(exits.atr_period);
	SAME_D(exits.stop_atr);
	SAME_D(exits.target_atr);
	SAME_I(exits.max_hold);
	SAME_I(exits.trail);
	SAME_D(exits.trail_after_r);
	SAME_D(exits.trail_r);
	SAME_I(exits.zone_trail);
	SAME_D(exits.zone_be_pct);
	SAME_D(exits.zone_lock_pct);
	SAME_I(exits.tp_extend);
	SAME_D(exits.tp_extend_pct);
	SAME_I(exits.exhaustion);
	SAME_D(exits.adverse_atr);
	SAME_I(exits.adverse_lock);
	SAME_D(exits.spread_mult);
	SAME_S(exits.spread_action);
	SAME_I(exits.add_on);
	SAME_S(paths.journal);
	SAME_S(paths.share);
	SAME_S(paths.calendar);
	SAME_S(market.timezone);
	SAME_S(market.session);
	SAME_S(instrument.mode);
	SAME_D(instrument.delta_min);
	SAME_D(instrument.delta_max);
	SAME_D(instrument.delta_target);
	SAME_D(instrument.max_spread_pct);
	SAME_D(instrument.min_oi);
	SAME_D(instrument.min_volume);
	SAME_D(instrument.price_min);
	SAME_D(instrument.price_max);
	SAME_D(instrument.iv_rank_max);
	SAME_D(instrument.theta_burn_pct);
	SAME_D(instrument.gamma_max);
	SAME_D(instrument.rate);
	SAME_S(instrument.etf_map);
	SAME_I(instrument.prefer_3x);
	SAME_D(instrument.etf_min_adv);
	SAME_D(instrument.etf_max_spread_pct);
	SAME_D(instrument.model_iv);
	SAME_D(instrument.model_spread_pct);
	SAME_I(instrument.model_strikes);
	SAME_D(instrument.model_strike_step);
	SAME_D(instrument.model_etf_spread_pct);
	SAME_D(ind.vwap_near_pct);
	SAME_I(ind.vwap_atr_period);
	SAME_D(ind.vwap_atr_mult);
	SAME_D(ind.vol_spike);
	SAME_I(ind.tod_sessions);
	SAME_I(ind.ou_window);
	SAME_D(ind.ou_z);
	SAME_I(ind.mtf_fast);
	SAME_I(ind.mtf_slow);
	SAME_I(ind.quote_ring);
	SAME_I(ind.ofi_window);
	SAME_I(ind.spread_window);
	SAME_I(ind.speed_tau);
	SAME_I(ind.accel_window);
	SAME_D(ind.speed_spike_pct);
	SAME_I(ind.funding_hours);
	SAME_I(ind.pivot_left);
	SAME_I(ind.pivot_right);
	SAME_I(ind.pivot_keep);
	SAME_I(ind.sweep_bars);
	SAME_D(ind.sweep_wick);
	SAME_D(ind.sweep_volume);
	SAME_I(ind.ob_bars);
	SAME_I(ind.ob_keep);
	SAME_D(ind.ob_impulse_atr);
	SAME_D(ind.pin_wick);
#undef SAME_I
#undef SAME_D
#undef SAME_S
#undef SAME_TIERS
}

/* The defaults are the ones scalpkit.conf(5) and the brief promise. */
START_TEST(defaults_values)
{
	struct config c;

	config_defaults(&c);
	ck_assert_str_eq(c.account.type, "margin");
	ck_assert_double_eq(c.account.cash, 100000);
	ck_assert_int_eq(c.account.settle_equity, 1);
	ck_assert_int_eq(c.account.settle_option, 1);
	ck_assert_int_eq(c.risk.entry_start, 9 * 60 + 35);
	ck_assert_int_eq(c.risk.entry_end, 15 * 60 + 30);
	ck_assert_int_eq(c.risk.entry_windows.n, 0);
	ck_assert_int_eq(c.risk.open_delay, 0);
	ck_assert_str_eq(c.risk.blackouts, "");
	ck_assert_int_eq(c.risk.blackout_minutes, 30);
	ck_assert_int_eq(c.risk.max_positions, 1);
	ck_assert_int_eq(c.risk.max_per_symbol, 1);
	ck_assert_int_eq(c.risk.max_trades_day, 20);
	ck_assert_double_eq(c.risk.daily_loss_pct, 25);
	ck_assert_double_eq(c.risk.session_loss_pct, 0);
	ck_assert_double_eq(c.risk.pause_drawdown_pct, 0);
	ck_assert_int_eq(c.risk.pause_minutes, 30);
	ck_assert_int_eq(c.risk.loss_cooldown, 0);
	ck_assert_int_eq(c.risk.min_interval, 0);
	ck_assert_int_eq(c.risk.loss_streak, 0);
	ck_assert_double_eq(c.risk.loss_streak_size, 0.5);
	ck_assert_double_eq(c.risk.target_equity, 0);
	ck_assert_double_eq(c.risk.max_position_pct, 100);
	ck_assert_str_eq(c.risk.kill_switch, "");
	ck_assert_str_eq(c.risk.sizing, "fixed");
	ck_assert_double_eq(c.risk.risk_pct, 2);
	ck_assert_double_eq(c.risk.kelly_cap_pct, 12);
	ck_assert_int_eq(c.risk.conviction_full, 75);
	ck_assert_int_eq(c.risk.conviction_half, 0);
	ck_assert_double_eq(c.risk.min_qty, 0);
	ck_assert_double_eq(c.risk.qty_step, 0);
	ck_assert_double_eq(c.risk.min_notional, 0);
	ck_assert_double_eq(c.risk.max_leverage, 0);
	ck_assert_str_eq(c.broker.name, "paper");
	ck_assert_int_eq(c.broker.live, 0);
	ck_assert_double_eq(c.broker.fee_per_share, 0);
	ck_assert_double_eq(c.broker.fee_per_order, 0);
	ck_assert_double_eq(c.broker.fee_per_contract, 0);
	ck_assert_str_eq(c.strategy.name, "ema-cloud");
	ck_assert_str_eq(c.strategy.model, "ema-cloud");
	ck_assert_str_eq(c.strategy.symbols, "SPY");
	ck_assert_str_eq(c.strategy.indicators, "default");
	ck_assert_int_eq(c.strategy.fast_short, 5);
	ck_assert_int_eq(c.strategy.fast_long, 12);
	ck_assert_str_eq(c.strategy.macro_tf, "10m");
	ck_assert_int_eq(c.strategy.macro_short, 34);
	ck_assert_int_eq(c.strategy.macro_long, 50);
	ck_assert_int_eq(c.strategy.require_macro, 1);
	ck_assert_int_eq(c.strategy.vol_window, 20);
	ck_assert_int_eq(c.strategy.vol_mult_num, 15);
	ck_assert_int_eq(c.strategy.vol_mult_den, 10);
	ck_assert_int_eq(c.strategy.long_only, 0);
	ck_assert_double_eq(c.strategy.qty, 100);
	ck_assert_double_eq(c.exits.stop_pct, 2);
	ck_assert_double_eq(c.exits.target_pct, 2);
	ck_assert_int_eq(c.exits.cloud_flip, 1);
	ck_assert_int_eq(c.exits.flat_by, 15 * 60 + 55);
	ck_assert_str_eq(c.paths.journal, "");
	ck_assert_str_eq(c.paths.share, "");
	ck_assert_str_eq(c.paths.calendar, "");
	ck_assert_str_eq(c.market.timezone, "America/New_York");
	ck_assert_str_eq(c.market.session, "rth");
	ck_assert_str_eq(c.file, "");
	ck_assert_str_eq(c.profile_file, "");
}
END_TEST

START_TEST(defaults_equal_etc)
{
	struct config def, c;
	struct sk_err e;

	config_defaults(&def);
	ck_assert_msg(config_load(&c, ETC "/scalpkit.conf", NULL, &e) == 0,
	    "%s", e.msg);
	assert_same(&def, &c);
	ck_assert_str_eq(c.file, ETC "/scalpkit.conf");
	ck_assert_str_eq(c.profile_file, "");
}
END_TEST

/* Every key, as scalpkit.conf(5) lists them. */
static const char *const allkeys[] = {
	"account.type", "account.cash", "account.settle_equity",
	"account.settle_option", "account.max_gfv", "account.pdt",
	"account.pdt_equity", "account.pdt_max", "account.buying_power",
	"risk.entry_start", "risk.entry_end", "risk.entry_windows",
	"risk.open_delay", "risk.blackouts", "risk.blackout_minutes",
	"risk.max_positions",
	"risk.max_per_symbol", "risk.max_trades_day", "risk.daily_loss_pct",
	"risk.session_loss_pct", "risk.pause_drawdown_pct",
	"risk.pause_minutes", "risk.loss_cooldown", "risk.min_interval",
	"risk.loss_streak", "risk.loss_streak_size", "risk.target_equity",
	"risk.max_position_pct", "risk.kill_switch", "risk.sizing",
	"risk.risk_pct", "risk.kelly_cap_pct", "risk.conviction_full",
	"risk.conviction_half", "risk.min_qty", "risk.qty_step",
	"risk.min_notional", "risk.max_leverage",
	"risk.max_spread", "risk.max_spread_pct", "risk.asia_windows",
	"risk.asia_spread_mult", "risk.quote_max_age", "risk.min_volume",
	"risk.min_open_interest", "risk.iv_pct_min", "risk.iv_pct_max",
	"risk.min_atr_pct", "risk.min_range_pct", "risk.fee_k",
	"risk.ev_guard", "risk.ev_min", "risk.average_losers",
	"risk.b_tier", "risk.b_while_a", "risk.margin_a_pct",
	"risk.margin_b_pct", "risk.cutoff_0dte", "risk.cutoff_1dte",
	"risk.tier_bounds", "risk.tier_min_interval", "risk.tier_soften",
	"risk.tier_fee_k", "risk.tier_ev_min", "risk.tier_b_tier",
	"risk.tier_margin_a", "risk.tier_margin_b",
	"broker.name", "broker.live", "broker.fee_per_share",
	"broker.fee_per_order", "broker.fee_per_contract",
	"strategy.name", "strategy.model", "strategy.symbols",
	"strategy.indicators",
	"strategy.fast_short", "strategy.fast_long", "strategy.macro_tf",
	"strategy.macro_short", "strategy.macro_long",
	"strategy.require_macro", "strategy.vol_window", "strategy.vol_mult",
	"strategy.long_only", "strategy.qty",
	"strategy.ofi_min", "strategy.vwap_sd_min", "strategy.accel_min",
	"strategy.funding_min", "strategy.quote_age", "strategy.a_tier_min",
	"strategy.burst_pct", "strategy.vol_confirm", "strategy.signal_gap",
	"strategy.signal_active",
	"exits.stop_pct", "exits.target_pct", "exits.cloud_flip",
	"exits.flat_by",
	"exits.flat_by_exit", "exits.session_exit", "exits.atr_period",
	"exits.stop_atr", "exits.target_atr", "exits.max_hold", "exits.trail",
	"exits.trail_after_r", "exits.trail_r", "exits.zone_trail",
	"exits.zone_be_pct", "exits.zone_lock_pct", "exits.tp_extend",
	"exits.tp_extend_pct", "exits.exhaustion", "exits.adverse_atr",
	"exits.adverse_lock", "exits.spread_mult", "exits.spread_action",
	"exits.add_on",
	"paper.model", "paper.fee_schedule", "paper.half_spread_equity",
	"paper.half_spread_option", "paper.half_spread_perp",
	"paper.half_spread_cfd", "paper.tick_equity", "paper.tick_option",
	"paper.tick_perp", "paper.tick_cfd", "paper.slippage",
	"paper.slippage_ticks", "paper.slippage_spread_pct",
	"paper.slippage_volume_bp", "paper.option_ticks",
	"paper.volume_share", "paper.limit_timeout", "paper.perp_suffixes",
	"paper.cfd_suffixes",
	"paths.journal", "paths.share", "paths.calendar",
	"market.timezone", "market.session",
	"instrument.mode", "instrument.delta_min", "instrument.delta_max",
	"instrument.delta_target", "instrument.max_spread_pct",
	"instrument.min_oi", "instrument.min_volume", "instrument.price_min",
	"instrument.price_max", "instrument.iv_rank_max",
	"instrument.theta_burn_pct", "instrument.gamma_max",
	"instrument.rate", "instrument.etf_map", "instrument.prefer_3x",
	"instrument.etf_min_adv", "instrument.etf_max_spread_pct",
	"instrument.model_iv", "instrument.model_spread_pct",
	"instrument.model_strikes", "instrument.model_strike_step",
	"instrument.model_etf_spread_pct",
	"indicators.vwap_near_pct", "indicators.vwap_atr_period",
	"indicators.vwap_atr_mult", "indicators.vol_spike",
	"indicators.tod_sessions", "indicators.ou_window", "indicators.ou_z",
	"indicators.mtf_fast", "indicators.mtf_slow", "indicators.quote_ring",
	"indicators.ofi_window", "indicators.spread_window",
	"indicators.speed_tau", "indicators.accel_window",
	"indicators.speed_spike_pct", "indicators.funding_hours",
	"indicators.pivot_left", "indicators.pivot_right",
	"indicators.pivot_keep", "indicators.sweep_bars",
	"indicators.sweep_wick", "indicators.sweep_volume",
	"indicators.ob_bars", "indicators.ob_keep",
	"indicators.ob_impulse_atr", "indicators.pin_wick",
};

/* etc/scalpkit.conf sets every key, once, in the order of the man page. */
START_TEST(etc_sets_every_key)
{
	char line[256], sect[32] = "", key[64];
	size_t n = 0, k;
	FILE *fp;

	ck_assert_ptr_nonnull(fp = fopen(ETC "/scalpkit.conf", "r"));
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '[') {
			k = strcspn(line + 1, "]");
			ck_assert_uint_lt(k, sizeof(sect));
			memcpy(sect, line + 1, k);
			sect[k] = '\0';
			continue;
		}
		if (line[0] == '#' || line[0] == '\n')
			continue;
		k = strcspn(line, " =");
		snprintf(key, sizeof(key), "%s.%.*s", sect, (int)k, line);
		ck_assert_uint_lt(n, sizeof(allkeys) / sizeof(allkeys[0]));
		ck_assert_str_eq(key, allkeys[n]);
		n++;
	}
	fclose(fp);
	ck_assert_uint_eq(n, sizeof(allkeys) / sizeof(allkeys[0]));
}
END_TEST

START_TEST(profile_ema_cloud)
{
	struct config def, c;
	struct sk_err e;

	config_defaults(&def);
	/* The reference profiles keep the reference's ideal fills. */
	sk_strlcpy(def.paper.model, "ideal", sizeof(def.paper.model));
	ck_assert_msg(config_load(&c, ETC "/scalpkit.conf", "ema-cloud",
	    &e) == 0, "%s", e.msg);
	assert_same(&def, &c);
	ck_assert_str_eq(c.profile_file, ETC "/profiles/ema-cloud.conf");

	ck_assert_msg(config_load(&c, ETC "/scalpkit.conf", "ema-cloud-long",
	    &e) == 0, "%s", e.msg);
	ck_assert_str_eq(c.strategy.name, "ema-cloud-long");
	ck_assert_int_eq(c.strategy.long_only, 1);
	sk_strlcpy(def.strategy.name, "ema-cloud-long",
	    sizeof(def.strategy.name));
	def.strategy.long_only = 1;
	assert_same(&def, &c);
}
END_TEST

/*
 * One key at a time at its limits.  ok: the value is taken, and the
 * field then reads as want (int, double) or wants (string); otherwise
 * the message after "FILE:2: " is msg.
 */
enum ft { FI, FD, FS, FR };

static const struct {
	const char	*sect, *key, *val;
	int		 ok;
	enum ft		 type;
	size_t		 off;
	double		 want;
	const char	*wants;	/* FS: string; FR: "num/den"; or msg */
} vals[] = {
#define O(s, m)	offsetof(struct config, s.m)
	/* int with a range */
	{ "risk", "max_positions", "1", 1, FI, O(risk, max_positions), 1,
	    NULL },
	{ "risk", "max_positions", "0", 0, FI, 0, 0,
	    "bad value for 'max_positions': '0' is out of range 1..1000" },
	{ "risk", "max_positions", "1000", 1, FI, O(risk, max_positions),
	    1000, NULL },
	{ "risk", "max_positions", "1001", 0, FI, 0, 0,
	    "bad value for 'max_positions': '1001' is out of range 1..1000" },
	{ "risk", "max_positions", "+7", 1, FI, O(risk, max_positions), 7,
	    NULL },
	{ "risk", "max_positions", "2.0", 0, FI, 0, 0,
	    "bad value for 'max_positions': '2.0' is not an integer" },
	{ "risk", "max_positions", "", 0, FI, 0, 0,
	    "bad value for 'max_positions': '' is not an integer" },
	{ "risk", "max_positions", "99999999999999999999", 0, FI, 0, 0,
	    "bad value for 'max_positions': '99999999999999999999' is not "
	    "an integer" },
	{ "account", "settle_equity", "0", 1, FI, O(account, settle_equity),
	    0, NULL },
	{ "account", "settle_equity", "-1", 0, FI, 0, 0,
	    "bad value for 'settle_equity': '-1' is out of range 0..5" },
	{ "account", "settle_option", "5", 1, FI, O(account, settle_option),
	    5, NULL },
	{ "account", "settle_option", "6", 0, FI, 0, 0,
	    "bad value for 'settle_option': '6' is out of range 0..5" },
	/* double with a range */
	{ "account", "cash", "0", 1, FD, O(account, cash), 0, NULL },
	{ "account", "cash", "-0.01", 0, FD, 0, 0,
	    "bad value for 'cash': '-0.01' is out of range 0..1e+12" },
	{ "account", "cash", "1e12", 1, FD, O(account, cash), 1e12, NULL },
	{ "account", "cash", "1000000000000.001", 0, FD, 0, 0,
	    "bad value for 'cash': '1000000000000.001' is out of range "
	    "0..1e+12" },
	{ "account", "cash", "2500.75", 1, FD, O(account, cash), 2500.75,
	    NULL },
	{ "account", "cash", "nan", 0, FD, 0, 0,
	    "bad value for 'cash': 'nan' is not a number" },
	{ "account", "cash", "inf", 0, FD, 0, 0,
	    "bad value for 'cash': 'inf' is not a number" },
	{ "account", "cash", "0x10", 0, FD, 0, 0,
	    "bad value for 'cash': '0x10' is not a number" },
	{ "account", "cash", "1e999", 0, FD, 0, 0,
	    "bad value for 'cash': '1e999' is not a number" },
	{ "account", "cash", "12 000", 0, FD, 0, 0,
	    "bad value for 'cash': '12 000' is not a number" },
	{ "broker", "fee_per_contract", "0.65", 1, FD,
	    O(broker, fee_per_contract), 0.65, NULL },
	{ "strategy", "qty", "0.00000001", 1, FD, O(strategy, qty), 1e-8,
	    NULL },
	{ "strategy", "qty", "0", 0, FD, 0, 0,
	    "bad value for 'qty': '0' is out of range 1e-08..1e+09" },
	/* percent */
	{ "risk", "daily_loss_pct", "100", 1, FD, O(risk, daily_loss_pct),
	    100, NULL },
	{ "risk", "daily_loss_pct", "100%", 1, FD, O(risk, daily_loss_pct),
	    100, NULL },
	{ "risk", "daily_loss_pct", "100.01", 0, FD, 0, 0,
	    "bad value for 'daily_loss_pct': '100.01' is out of range "
	    "0.01..100" },
	{ "risk", "daily_loss_pct", "0.01", 1, FD, O(risk, daily_loss_pct),
	    0.01, NULL },
	{ "risk", "daily_loss_pct", "0.009", 0, FD, 0, 0,
	    "bad value for 'daily_loss_pct': '0.009' is out of range "
	    "0.01..100" },
	{ "risk", "daily_loss_pct", "5%%", 0, FD, 0, 0,
	    "bad value for 'daily_loss_pct': '5%%' is not a number" },
	{ "risk", "daily_loss_pct", "%", 0, FD, 0, 0,
	    "bad value for 'daily_loss_pct': '%' is not a number" },
	{ "risk", "max_position_pct", "400", 1, FD,
	    O(risk, max_position_pct), 400, NULL },
	{ "risk", "max_position_pct", "400.5", 0, FD, 0, 0,
	    "bad value for 'max_position_pct': '400.5' is out of range "
	    "0.01..400" },
	{ "exits", "stop_pct", "0.5%", 1, FD, O(exits, stop_pct), 0.5,
	    NULL },
	{ "exits", "target_pct", "1000", 1, FD, O(exits, target_pct), 1000,
	    NULL },
	{ "exits", "target_pct", "1000.1", 0, FD, 0, 0,
	    "bad value for 'target_pct': '1000.1' is out of range "
	    "0.01..1000" },
	/* bool */
	{ "broker", "live", "yes", 1, FI, O(broker, live), 1, NULL },
	{ "broker", "live", "ON", 1, FI, O(broker, live), 1, NULL },
	{ "broker", "live", "true", 1, FI, O(broker, live), 1, NULL },
	{ "broker", "live", "1", 1, FI, O(broker, live), 1, NULL },
	{ "exits", "cloud_flip", "no", 1, FI, O(exits, cloud_flip), 0,
	    NULL },
	{ "exits", "cloud_flip", "Off", 1, FI, O(exits, cloud_flip), 0,
	    NULL },
	{ "exits", "cloud_flip", "false", 1, FI, O(exits, cloud_flip), 0,
	    NULL },
	{ "exits", "cloud_flip", "0", 1, FI, O(exits, cloud_flip), 0, NULL },
	{ "broker", "live", "2", 0, FI, 0, 0,
	    "bad value for 'live': '2' is not one of yes, no, true, false, "
	    "on, off, 1, 0" },
	{ "broker", "live", "y", 0, FI, 0, 0,
	    "bad value for 'live': 'y' is not one of yes, no, true, false, "
	    "on, off, 1, 0" },
	/* HH:MM */
	{ "risk", "entry_start", "00:00", 1, FI, O(risk, entry_start), 0,
	    NULL },
	{ "exits", "flat_by", "23:59", 1, FI, O(exits, flat_by), 1439,
	    NULL },
	{ "exits", "flat_by", "24:00", 0, FI, 0, 0,
	    "bad value for 'flat_by': '24:00' is not a time HH:MM from 00:00 "
	    "to 23:59" },
	{ "risk", "entry_start", "9:35", 0, FI, 0, 0,
	    "bad value for 'entry_start': '9:35' is not a time HH:MM from "
	    "00:00 to 23:59" },
	{ "risk", "entry_start", "09:60", 0, FI, 0, 0,
	    "bad value for 'entry_start': '09:60' is not a time HH:MM from "
	    "00:00 to 23:59" },
	/* the exact ratio */
	{ "strategy", "vol_mult", "1.5", 1, FR, 0, 0, "15/10" },
	{ "strategy", "vol_mult", "2", 1, FR, 0, 0, "2/1" },
	{ "strategy", "vol_mult", "1.50", 1, FR, 0, 0, "150/100" },
	{ "strategy", "vol_mult", "0", 1, FR, 0, 0, "0/1" },
	{ "strategy", "vol_mult", "1.123456", 1, FR, 0, 0,
	    "1123456/1000000" },
	{ "strategy", "vol_mult", "1.1234567", 0, FR, 0, 0,
	    "bad value for 'vol_mult': '1.1234567' has more than 6 decimals" },
	{ "strategy", "vol_mult", "1000", 1, FR, 0, 0, "1000/1" },
	{ "strategy", "vol_mult", "1000.000001", 0, FR, 0, 0,
	    "bad value for 'vol_mult': '1000.000001' is out of range "
	    "0..1000" },
	{ "strategy", "vol_mult", "-1", 0, FR, 0, 0,
	    "bad value for 'vol_mult': '-1' is not a decimal number such as "
	    "1.5" },
	{ "strategy", "vol_mult", "1.", 0, FR, 0, 0,
	    "bad value for 'vol_mult': '1.' is not a decimal number such as "
	    "1.5" },
	{ "strategy", "vol_mult", ".5", 0, FR, 0, 0,
	    "bad value for 'vol_mult': '.5' is not a decimal number such as "
	    "1.5" },
	{ "strategy", "vol_mult", "1e3", 0, FR, 0, 0,
	    "bad value for 'vol_mult': '1e3' is not a decimal number such as "
	    "1.5" },
	/* timeframe */
	{ "strategy", "macro_tf", "1m", 1, FS, O(strategy, macro_tf), 0,
	    "1m" },
	{ "strategy", "macro_tf", "1440m", 1, FS, O(strategy, macro_tf), 0,
	    "1440m" },
	{ "strategy", "macro_tf", "1441m", 0, FS, 0, 0,
	    "bad value for 'macro_tf': '1441m' is not a timeframe such as 1m, "
	    "10m or 1h" },
	{ "strategy", "macro_tf", "30s", 1, FS, O(strategy, macro_tf), 0,
	    "30s" },
	{ "strategy", "macro_tf", "1d", 1, FS, O(strategy, macro_tf), 0,
	    "1d" },
	{ "strategy", "macro_tf", "2d", 0, FS, 0, 0,
	    "bad value for 'macro_tf': '2d' is not a timeframe such as 1m, "
	    "10m or 1h" },
	{ "strategy", "macro_tf", "0m", 0, FS, 0, 0,
	    "bad value for 'macro_tf': '0m' is not a timeframe such as 1m, "
	    "10m or 1h" },
	{ "strategy", "macro_tf", "10", 0, FS, 0, 0,
	    "bad value for 'macro_tf': '10' is not a timeframe such as 1m, "
	    "10m or 1h" },
	{ "strategy", "macro_tf", "10M", 0, FS, 0, 0,
	    "bad value for 'macro_tf': '10M' is not a timeframe such as 1m, "
	    "10m or 1h" },
	/* word lists */
	{ "account", "type", "cash", 1, FS, O(account, type), 0, "cash" },
	{ "account", "type", "Cash", 0, FS, 0, 0,
	    "bad value for 'type': 'Cash' is not one of margin, cash" },
	{ "account", "type", "", 0, FS, 0, 0,
	    "bad value for 'type': '' is not one of margin, cash" },
	{ "broker", "name", "alpaca", 1, FS, O(broker, name), 0, "alpaca" },
	{ "broker", "name", "ibkr", 0, FS, 0, 0,
	    "bad value for 'name': 'ibkr' is not one of paper, tradier, "
	    "alpaca, bybit" },
	{ "market", "session", "all", 1, FS, O(market, session), 0, "all" },
	{ "market", "session", "eth", 0, FS, 0, 0,
	    "bad value for 'session': 'eth' is not one of rth, all" },
	/* strings */
	{ "strategy", "name", "abcdefghijklmnopqrstuvwxyz01234", 1, FS,
	    O(strategy, name), 0, "abcdefghijklmnopqrstuvwxyz01234" },
	{ "strategy", "name", "abcdefghijklmnopqrstuvwxyz012345", 0, FS, 0,
	    0, "bad value for 'name': 'abcdefghijklmnopqrstuvwxyz012345' is "
	    "longer than 31 bytes" },
	{ "strategy", "name", "my scalp", 0, FS, 0, 0,
	    "bad value for 'name': 'my scalp' is not a name (letters, "
	    "digits, '-', '_', '.')" },
	{ "strategy", "model", "", 0, FS, 0, 0,
	    "bad value for 'model': '' is not a name (letters, digits, '-', "
	    "'_', '.')" },
	{ "strategy", "symbols", "SPY, QQQ,TSLA", 1, FS,
	    O(strategy, symbols), 0, "SPY,QQQ,TSLA" },
	{ "strategy", "symbols", "BTCUSDT", 1, FS, O(strategy, symbols), 0,
	    "BTCUSDT" },
	{ "strategy", "symbols", "SPY,,QQQ", 0, FS, 0, 0,
	    "bad value for 'symbols': 'SPY,,QQQ' is not a comma-separated "
	    "list of symbols" },
	{ "strategy", "symbols", "SPY,", 0, FS, 0, 0,
	    "bad value for 'symbols': 'SPY,' is not a comma-separated list "
	    "of symbols" },
	{ "strategy", "symbols", "", 0, FS, 0, 0,
	    "bad value for 'symbols': '' is not a comma-separated list of "
	    "symbols" },
	{ "market", "timezone", "Europe/London", 1, FS,
	    O(market, timezone), 0, "Europe/London" },
	{ "market", "timezone", "../etc/passwd", 0, FS, 0, 0,
	    "bad value for 'timezone': '../etc/passwd' is not a time zone "
	    "name" },
	{ "market", "timezone", "/etc/localtime", 0, FS, 0, 0,
	    "bad value for 'timezone': '/etc/localtime' is not a time zone "
	    "name" },
	/* the gates of the time and account groups */
	{ "risk", "open_delay", "0", 1, FI, O(risk, open_delay), 0, NULL },
	{ "risk", "open_delay", "1439", 1, FI, O(risk, open_delay), 1439,
	    NULL },
	{ "risk", "open_delay", "-1", 0, FI, 0, 0,
	    "bad value for 'open_delay': '-1' is out of range 0..1439" },
	{ "risk", "blackout_minutes", "1440", 1, FI,
	    O(risk, blackout_minutes), 1440, NULL },
	{ "risk", "blackout_minutes", "1441", 0, FI, 0, 0,
	    "bad value for 'blackout_minutes': '1441' is out of range "
	    "0..1440" },
	{ "risk", "session_loss_pct", "0", 1, FD, O(risk, session_loss_pct),
	    0, NULL },
	{ "risk", "session_loss_pct", "20%", 1, FD,
	    O(risk, session_loss_pct), 20, NULL },
	{ "risk", "session_loss_pct", "100.5", 0, FD, 0, 0,
	    "bad value for 'session_loss_pct': '100.5' is out of range "
	    "0..100" },
	{ "risk", "pause_drawdown_pct", "15", 1, FD,
	    O(risk, pause_drawdown_pct), 15, NULL },
	{ "risk", "pause_drawdown_pct", "-1", 0, FD, 0, 0,
	    "bad value for 'pause_drawdown_pct': '-1' is out of range "
	    "0..100" },
	{ "risk", "pause_minutes", "1440", 1, FI, O(risk, pause_minutes),
	    1440, NULL },
	{ "risk", "pause_minutes", "1441", 0, FI, 0, 0,
	    "bad value for 'pause_minutes': '1441' is out of range 0..1440" },
	{ "risk", "loss_cooldown", "5", 1, FI, O(risk, loss_cooldown), 5,
	    NULL },
	{ "risk", "loss_cooldown", "1441", 0, FI, 0, 0,
	    "bad value for 'loss_cooldown': '1441' is out of range 0..1440" },
	{ "risk", "min_interval", "86400", 1, FI, O(risk, min_interval),
	    86400, NULL },
	{ "risk", "min_interval", "86401", 0, FI, 0, 0,
	    "bad value for 'min_interval': '86401' is out of range 0..86400" },
	{ "risk", "loss_streak", "3", 1, FI, O(risk, loss_streak), 3, NULL },
	{ "risk", "loss_streak", "1001", 0, FI, 0, 0,
	    "bad value for 'loss_streak': '1001' is out of range 0..1000" },
	{ "risk", "loss_streak_size", "1", 1, FD,
	    O(risk, loss_streak_size), 1, NULL },
	{ "risk", "loss_streak_size", "0.01", 1, FD,
	    O(risk, loss_streak_size), 0.01, NULL },
	{ "risk", "loss_streak_size", "0", 0, FD, 0, 0,
	    "bad value for 'loss_streak_size': '0' is out of range 0.01..1" },
	{ "risk", "loss_streak_size", "1.01", 0, FD, 0, 0,
	    "bad value for 'loss_streak_size': '1.01' is out of range "
	    "0.01..1" },
	{ "risk", "target_equity", "250000", 1, FD, O(risk, target_equity),
	    250000, NULL },
	{ "risk", "target_equity", "-1", 0, FD, 0, 0,
	    "bad value for 'target_equity': '-1' is out of range 0..1e+12" },
	{ "risk", "blackouts", "/x/events.csv", 1, FS, O(risk, blackouts),
	    0, "/x/events.csv" },
	{ "risk", "blackouts", "", 1, FS, O(risk, blackouts), 0, "" },
	/* paths: absolute as is, "" for the default */
	{ "paths", "journal", "/var/lib/j.db", 1, FS, O(paths, journal), 0,
	    "/var/lib/j.db" },
	{ "risk", "kill_switch", "", 1, FS, O(risk, kill_switch), 0, "" },
	/* sizing */
	{ "risk", "sizing", "kelly", 1, FS, O(risk, sizing), 0, "kelly" },
	{ "risk", "sizing", "risk", 1, FS, O(risk, sizing), 0, "risk" },
	{ "risk", "sizing", "half", 0, FS, 0, 0,
	    "bad value for 'sizing': 'half' is not one of fixed, risk, "
	    "kelly" },
	{ "risk", "risk_pct", "3%", 1, FD, O(risk, risk_pct), 3, NULL },
	{ "risk", "risk_pct", "0.01", 1, FD, O(risk, risk_pct), 0.01, NULL },
	{ "risk", "risk_pct", "0", 0, FD, 0, 0,
	    "bad value for 'risk_pct': '0' is out of range 0.01..100" },
	{ "risk", "risk_pct", "100.01", 0, FD, 0, 0,
	    "bad value for 'risk_pct': '100.01' is out of range 0.01..100" },
	{ "risk", "kelly_cap_pct", "100", 1, FD, O(risk, kelly_cap_pct),
	    100, NULL },
	{ "risk", "kelly_cap_pct", "0", 0, FD, 0, 0,
	    "bad value for 'kelly_cap_pct': '0' is out of range 0.01..100" },
	{ "risk", "conviction_full", "100", 1, FI, O(risk, conviction_full),
	    100, NULL },
	{ "risk", "conviction_full", "101", 0, FI, 0, 0,
	    "bad value for 'conviction_full': '101' is out of range 0..100" },
	{ "risk", "conviction_half", "50", 1, FI, O(risk, conviction_half),
	    50, NULL },
	{ "risk", "conviction_half", "-1", 0, FI, 0, 0,
	    "bad value for 'conviction_half': '-1' is out of range 0..100" },
	{ "risk", "min_qty", "0.001", 1, FD, O(risk, min_qty), 0.001, NULL },
	{ "risk", "min_qty", "-1", 0, FD, 0, 0,
	    "bad value for 'min_qty': '-1' is out of range 0..1e+09" },
	{ "risk", "qty_step", "0.01", 1, FD, O(risk, qty_step), 0.01, NULL },
	{ "risk", "qty_step", "-0.01", 0, FD, 0, 0,
	    "bad value for 'qty_step': '-0.01' is out of range 0..1e+09" },
	{ "risk", "min_notional", "5", 1, FD, O(risk, min_notional), 5,
	    NULL },
	{ "risk", "min_notional", "-5", 0, FD, 0, 0,
	    "bad value for 'min_notional': '-5' is out of range 0..1e+12" },
	{ "risk", "max_leverage", "1000", 1, FD, O(risk, max_leverage),
	    1000, NULL },
	{ "risk", "max_leverage", "1000.5", 0, FD, 0, 0,
	    "bad value for 'max_leverage': '1000.5' is out of range 0..1000" }
#undef O
};

START_TEST(value_limits)
{
	char text[256], want[512];
	struct scratch t;
	struct config c;
	struct sk_err e;
	const char *p;
	long num, den;

	snprintf(text, sizeof(text), "[%s]\n%s = %s\n", vals[_i].sect,
	    vals[_i].key, vals[_i].val);
	scratch_init(&t);
	p = put(&t, "v.conf", text);
	if (!vals[_i].ok) {
		ck_assert_int_eq(config_load(&c, p, NULL, &e), -1);
		ck_assert_int_eq(e.status, SK_DATA);
		snprintf(want, sizeof(want), "%s:2: %s", p, vals[_i].wants);
		ck_assert_str_eq(e.msg, want);
		scratch_release(&t);
		return;
	}
	ck_assert_msg(config_load(&c, p, NULL, &e) == 0, "%s", e.msg);
	switch (vals[_i].type) {
	case FI:
		ck_assert_int_eq(*(int *)(void *)((char *)&c + vals[_i].off),
		    (int)vals[_i].want);
		break;
	case FD:
		ck_assert_double_eq(*(double *)(void *)((char *)&c +
		    vals[_i].off), vals[_i].want);
		break;
	case FS:
		ck_assert_str_eq((char *)&c + vals[_i].off, vals[_i].wants);
		break;
	case FR:
		ck_assert_int_eq(sscanf(vals[_i].wants, "%ld/%ld", &num, &den),
		    2);
		ck_assert_int_eq(c.strategy.vol_mult_num, num);
		ck_assert_int_eq(c.strategy.vol_mult_den, den);
		break;
	}
	scratch_release(&t);
}
END_TEST

/*
 * entry_windows: what is taken ("start-end" minute pairs) or the
 * message after "bad value for 'entry_windows': ".
 */
static const struct {
	const char	*val;
	int		 n;
	int		 w[2 * CFG_WINDOWS];
	const char	*msg;
} wins[] = {
	{ "", 0, { 0 }, NULL },
	{ "09:45-10:30", 1, { 585, 630 }, NULL },
	{ "09:45-10:30,13:00-15:30", 2, { 585, 630, 780, 930 }, NULL },
	{ "09:45-10:30 , 10:30-11:00", 2, { 585, 630, 630, 660 }, NULL },
	{ "00:00-00:01,00:01-00:02,00:02-00:03,00:03-00:04,00:04-00:05,"
	    "00:05-00:06,00:06-00:07,23:58-23:59", 8,
	    { 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 1438, 1439 }, NULL },
	{ "00:00-00:01,00:01-00:02,00:02-00:03,00:03-00:04,00:04-00:05,"
	    "00:05-00:06,00:06-00:07,00:07-00:08,23:58-23:59", 0, { 0 },
	    "more than 8 windows" },
	{ "10:30-10:30", 0, { 0 },
	    "window 10:30-10:30 does not end after it starts" },
	{ "13:00-15:30,09:45-10:30", 0, { 0 },
	    "window 09:45-10:30 starts before the one before it ends" },
	{ "09:45-10:30,10:29-11:00", 0, { 0 },
	    "window 10:29-11:00 starts before the one before it ends" },
	{ "9:45-10:30", 0, { 0 }, "'9:45-10:30' is not a list of windows "
	    "such as 09:45-10:30,13:00-15:30" },
	{ "09:45-10:30,", 0, { 0 }, "'09:45-10:30,' is not a list of "
	    "windows such as 09:45-10:30,13:00-15:30" },
	{ "09:45 10:30", 0, { 0 }, "'09:45 10:30' is not a list of windows "
	    "such as 09:45-10:30,13:00-15:30" },
	{ "09:45-24:00", 0, { 0 }, "'09:45-24:00' is not a list of windows "
	    "such as 09:45-10:30,13:00-15:30" }
};

START_TEST(entry_windows)
{
	char text[256], want[512];
	struct scratch t;
	struct config c;
	struct sk_err e;
	const char *p;
	int i;

	snprintf(text, sizeof(text), "[exits]\nflat_by = 23:59\n[risk]\n"
	    "entry_windows = %s\n", wins[_i].val);
	scratch_init(&t);
	p = put(&t, "w.conf", text);
	if (wins[_i].msg != NULL) {
		ck_assert_int_eq(config_load(&c, p, NULL, &e), -1);
		ck_assert_int_eq(e.status, SK_DATA);
		snprintf(want, sizeof(want), "%s:4: bad value for "
		    "'entry_windows': %s", p, wins[_i].msg);
		ck_assert_str_eq(e.msg, want);
		scratch_release(&t);
		return;
	}
	ck_assert_msg(config_load(&c, p, NULL, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(c.risk.entry_windows.n, wins[_i].n);
	for (i = 0; i < wins[_i].n; i++) {
		ck_assert_int_eq(c.risk.entry_windows.start[i],
		    wins[_i].w[2 * i]);
		ck_assert_int_eq(c.risk.entry_windows.end[i],
		    wins[_i].w[2 * i + 1]);
	}
	scratch_release(&t);
}
END_TEST

/* Lists of per-tier values: good ones and what is wrong with the rest. */
static const struct {
	const char	*key;
	const char	*val;
	const char	*msg;		/* NULL: good */
	int		 n;
	double		 v[CFG_TIERS];
} tiers[] = {
	{ "tier_bounds", "", NULL, 0, { 0 } },
	{ "tier_bounds", "100, 1000", NULL, 2, { 100, 1000 } },
	{ "tier_bounds", "20,100 ,1000", NULL, 3, { 20, 100, 1000 } },
	{ "tier_bounds", "1000, 100", "'100' does not exceed the value "
	    "before it", 0, { 0 } },
	{ "tier_bounds", "100, 100", "'100' does not exceed the value "
	    "before it", 0, { 0 } },
	{ "tier_bounds", "1, 2, 3, 4", "more than 3 bounds", 0, { 0 } },
	{ "tier_fee_k", "1, 2.5, 2.5, 2.5", NULL, 4, { 1, 2.5, 2.5, 2.5 } },
	{ "tier_fee_k", "1, 2, 3, 4, 5", "more than 4 values", 0, { 0 } },
	{ "tier_fee_k", "1,,2", "'1,,2' is not a list of numbers such as "
	    "1, 2.5, 2.5", 0, { 0 } },
	{ "tier_fee_k", "1,", "'1,' is not a list of numbers such as "
	    "1, 2.5, 2.5", 0, { 0 } },
	{ "tier_fee_k", "x", "'x' is not a list of numbers such as "
	    "1, 2.5, 2.5", 0, { 0 } },
	{ "tier_soften", "1, 0.5", "'0.5' is out of range 1..100", 0,
	    { 0 } },
	{ "tier_b_tier", "1, 0, 0", NULL, 3, { 1, 0, 0 } },
	{ "tier_b_tier", "1, 2", "'2' is out of range 0..1", 0, { 0 } },
};

START_TEST(tier_lists)
{
	char text[256], want[512];
	const struct cfg_tiers *got;
	struct scratch t;
	struct config c;
	struct sk_err e;
	const char *p;
	int i;

	snprintf(text, sizeof(text), "[risk]\n%s = %s\n", tiers[_i].key,
	    tiers[_i].val);
	scratch_init(&t);
	p = put(&t, "t.conf", text);
	if (tiers[_i].msg != NULL) {
		ck_assert_int_eq(config_load(&c, p, NULL, &e), -1);
		ck_assert_int_eq(e.status, SK_DATA);
		snprintf(want, sizeof(want), "%s:2: bad value for '%s': %s",
		    p, tiers[_i].key, tiers[_i].msg);
		ck_assert_str_eq(e.msg, want);
		scratch_release(&t);
		return;
	}
	ck_assert_msg(config_load(&c, p, NULL, &e) == 0, "%s", e.msg);
	if (strcmp(tiers[_i].key, "tier_bounds") == 0)
		got = &c.risk.tier_bounds;
	else if (strcmp(tiers[_i].key, "tier_fee_k") == 0)
		got = &c.risk.tier_fee_k;
	else
		got = &c.risk.tier_b_tier;
	ck_assert_int_eq(got->n, tiers[_i].n);
	for (i = 0; i < got->n; i++)
		ck_assert_double_eq(got->v[i], tiers[_i].v[i]);
	scratch_release(&t);
}
END_TEST

/* Whole files that are wrong, and the message after "FILE". */
static const struct {
	const char	*text;
	const char	*msg;
} badfile[] = {
	{ "[risk]\nmax_positions = 2\n\n# ok so far\nmax_lots = 3\n",
	    ":5: unknown key 'max_lots' in [risk]" },
	{ "[risk]\nflat_by = 15:55\n",
	    ":2: unknown key 'flat_by' in [risk]" },
	{ "[riks]\nmax_positions = 2\n", ":2: unknown section [riks]" },
	{ "; comment\nmax_positions = 2\n",
	    ":2: key 'max_positions' is outside any [section]" },
	{ "[risk]\nmax_positions = 2\nmax_per_symbol = 1\nmax_positions = 3\n",
	    ":4: duplicate key 'max_positions' in [risk], first set on line "
	    "2" },
	{ "[risk]\nmax_positions 2\n", ":2: syntax error: expected [section] "
	    "or key = value" },
	{ "[risk\nmax_positions = 2\n", ":1: syntax error: expected "
	    "[section] or key = value" },
	{ "[risk]\nMax_Positions = 2\n",
	    ":2: unknown key 'Max_Positions' in [risk]" },
	/* libinih would glue an indented line onto the value above */
	{ "[risk]\nmax_positions = 2\n    max_per_symbol = 0\n",
	    ":3: bad value for 'max_per_symbol': '0' is out of range 1..1000" },
	/* inline comments need a blank before ';' */
	{ "[risk]\nmax_positions = 2;3\n",
	    ":2: bad value for 'max_positions': '2;3' is not an integer" },
	{ "[paths]\njournal = /x/"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "\n", ":2: line longer than 197 bytes" },
	/* pairs that must be in order: the later key is blamed */
	{ "[risk]\nentry_start = 10:00\nentry_end = 09:59\n",
	    ":3: entry_start (10:00) must be less than entry_end (09:59)" },
	{ "[risk]\nentry_end = 09:00\nentry_start = 09:00\n",
	    ":3: entry_start (09:00) must be less than entry_end (09:00)" },
	{ "[risk]\nentry_start = 15:31\n",
	    ":2: entry_start (15:31) must be less than entry_end (15:30)" },
	{ "[exits]\nflat_by = 15:29\n",
	    ":2: entry_end (15:30) must be at most flat_by (15:29)" },
	{ "[strategy]\nfast_short = 12\n",
	    ":2: fast_short (12) must be less than fast_long (12)" },
	{ "[strategy]\n\nmacro_long = 34\n",
	    ":3: macro_short (34) must be less than macro_long (34)" },
	{ "[risk]\nentry_windows = 09:45-10:30,13:00-15:56\n",
	    ":2: entry_windows (15:56) must be at most flat_by (15:55)" },
	{ "[risk]\nentry_start = 09:00\nentry_end = 10:00\n"
	    "entry_windows = 09:45-10:31\n[exits]\nflat_by = 10:30\n",
	    ":6: entry_windows (10:31) must be at most flat_by (10:30)" },
	{ "[risk]\nconviction_half = 76\n",
	    ":2: conviction_half (76) must be at most conviction_full (75)" }
};

START_TEST(bad_files)
{
	char want[512];
	struct scratch t;
	struct config c;
	struct sk_err e;
	const char *p;

	scratch_init(&t);
	p = put(&t, "bad.conf", badfile[_i].text);
	ck_assert_int_eq(config_load(&c, p, NULL, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	snprintf(want, sizeof(want), "%s%s", p, badfile[_i].msg);
	ck_assert_str_eq(e.msg, want);
	scratch_release(&t);
}
END_TEST

/* What libinih tolerates and the format allows. */
START_TEST(good_syntax)
{
	struct scratch t;
	struct config c;
	struct sk_err e;
	const char *p;

	scratch_init(&t);
	p = put(&t, "ok.conf", "\xef\xbb\xbf# utf-8 bom first\r\n"
	    "[risk]\r\n"
	    "  max_positions=3   ; trailing comment\r\n"
	    "\tmax_per_symbol : 2\n"
	    "[strategy]\n"
	    "symbols = SPY,QQQ\n"
	    "[risk]\n"
	    "max_trades_day = 7\n");
	ck_assert_msg(config_load(&c, p, NULL, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(c.risk.max_positions, 3);
	ck_assert_int_eq(c.risk.max_per_symbol, 2);
	ck_assert_int_eq(c.risk.max_trades_day, 7);
	ck_assert_str_eq(c.strategy.symbols, "SPY,QQQ");
	scratch_release(&t);
}
END_TEST

/* Relative paths are relative to the file that names them. */
START_TEST(paths_resolve)
{
	struct scratch t;
	struct config c;
	struct sk_err e;
	char want[512];
	const char *p;

	clear_env();
	scratch_init(&t);
	setenv("HOME", t.dir, 1);
	p = put(&t, "conf/scalpkit.conf", "[paths]\njournal = state/j.db\n"
	    "share = ~/share\ncalendar = /abs/cal.csv\n"
	    "[risk]\nkill_switch = ../STOP\n");
	ck_assert_msg(config_load(&c, p, NULL, &e) == 0, "%s", e.msg);
	snprintf(want, sizeof(want), "%s/conf/state/j.db", t.dir);
	ck_assert_str_eq(c.paths.journal, want);
	snprintf(want, sizeof(want), "%s/share", t.dir);
	ck_assert_str_eq(c.paths.share, want);
	ck_assert_str_eq(c.paths.calendar, "/abs/cal.csv");
	snprintf(want, sizeof(want), "%s/conf/../STOP", t.dir);
	ck_assert_str_eq(c.risk.kill_switch, want);

	unsetenv("HOME");
	ck_assert_int_eq(config_load(&c, p, NULL, &e), -1);
	snprintf(want, sizeof(want), "%s:3: bad value for 'share': "
	    "'~/share' needs $HOME, which is not set", p);
	ck_assert_str_eq(e.msg, want);
	scratch_release(&t);
}
END_TEST

/* A profile sets what it names, over the main file; the rest stays. */
START_TEST(profile_overrides)
{
	struct scratch t;
	struct config c;
	struct sk_err e;
	const char *mainf, *prof;
	char want[512];

	clear_env();
	scratch_init(&t);
	mainf = put(&t, "etc/scalpkit.conf", "[strategy]\nqty = 50\n"
	    "symbols = QQQ\n[risk]\nmax_positions = 3\n[broker]\n"
	    "name = tradier\n");
	prof = put(&t, "etc/profiles/small.conf", "[strategy]\nname = small\n"
	    "qty = 10\n[exits]\nstop_pct = 1\n[broker]\nfee_per_order = 1\n"
	    "[paths]\ncalendar = cal.csv\n");
	ck_assert_msg(config_load(&c, mainf, "small", &e) == 0, "%s", e.msg);
	ck_assert_str_eq(c.profile_file, prof);
	ck_assert_double_eq(c.strategy.qty, 10);		/* profile */
	ck_assert_str_eq(c.strategy.name, "small");
	ck_assert_double_eq(c.exits.stop_pct, 1);
	ck_assert_double_eq(c.broker.fee_per_order, 1);
	ck_assert_str_eq(c.strategy.symbols, "QQQ");		/* main */
	ck_assert_int_eq(c.risk.max_positions, 3);
	ck_assert_str_eq(c.broker.name, "tradier");
	ck_assert_double_eq(c.exits.target_pct, 2);		/* default */
	snprintf(want, sizeof(want), "%s/etc/profiles/cal.csv", t.dir);
	ck_assert_str_eq(c.paths.calendar, want);

	/* the same profile by path */
	ck_assert_msg(config_load(&c, mainf, prof, &e) == 0, "%s", e.msg);
	ck_assert_double_eq(c.strategy.qty, 10);
	ck_assert_str_eq(c.profile_file, prof);

	/* no main file: the profile over the defaults */
	ck_assert_msg(config_load(&c, "/dev/null", prof, &e) == 0, "%s",
	    e.msg);
	ck_assert_double_eq(c.strategy.qty, 10);
	ck_assert_str_eq(c.strategy.symbols, "SPY");
	scratch_release(&t);
}
END_TEST

/* Errors in a profile name the profile; a pair may span both files. */
START_TEST(profile_errors)
{
	struct scratch t;
	struct config c;
	struct sk_err e;
	const char *mainf, *prof;
	char want[1024];

	clear_env();
	scratch_init(&t);
	mainf = put(&t, "scalpkit.conf", "[risk]\nentry_end = 12:00\n");
	prof = put(&t, "profiles/late.conf",
	    "# late entries\n[risk]\nentry_start = 12:30\n");
	put(&t, "profiles/typo.conf", "[exits]\nstop = 1\n");
	ck_assert_int_eq(config_load(&c, mainf, "late", &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	snprintf(want, sizeof(want), "%s:3: entry_start (12:30) must be "
	    "less than entry_end (12:00)", prof);
	ck_assert_str_eq(e.msg, want);

	ck_assert_int_eq(config_load(&c, mainf, "typo", &e), -1);
	snprintf(want, sizeof(want), "%s/profiles/typo.conf:2: unknown key "
	    "'stop' in [exits]", t.dir);
	ck_assert_str_eq(e.msg, want);

	ck_assert_int_eq(config_load(&c, mainf, "nosuch", &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	snprintf(want, sizeof(want), "profile 'nosuch': no nosuch.conf in "
	    "%s/profiles or %s/profiles", t.dir, SK_SYSCONFDIR);
	ck_assert_str_eq(e.msg, want);

	ck_assert_int_eq(config_load(&c, mainf, "./nosuch.conf", &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_str_eq(e.msg, "./nosuch.conf: No such file or directory");

	ck_assert_int_eq(config_load(&c, mainf, "a b", &e), -1);
	ck_assert_int_eq(e.status, SK_USAGE);
	ck_assert_str_eq(e.msg, "profile 'a b': not a profile name");
	scratch_release(&t);
}
END_TEST

/* Which file config_load(c, NULL, ...) reads, as the env says. */
START_TEST(lookup_order)
{
	struct scratch t;
	struct config c;
	struct sk_err e;
	const char *xdg, *home, *env;
	char dir[256];
	struct stat st;

	clear_env();
	scratch_init(&t);
	xdg = put(&t, "xdg/scalpkit/scalpkit.conf", "[strategy]\nqty = 1\n");
	home = put(&t, "home/.config/scalpkit/scalpkit.conf",
	    "[strategy]\nqty = 2\n");
	env = put(&t, "env.conf", "[strategy]\nqty = 3\n");
	put(&t, "explicit.conf", "[strategy]\nqty = 4\n");

	/* nothing set: the system file if installed, else the defaults */
	ck_assert_int_eq(config_load(&c, NULL, NULL, &e), 0);
	if (stat(SK_SYSCONFDIR "/scalpkit.conf", &st) == -1) {
		ck_assert_str_eq(c.file, "");
		ck_assert_double_eq(c.strategy.qty, 100);
	} else
		ck_assert_str_eq(c.file, SK_SYSCONFDIR "/scalpkit.conf");

	snprintf(dir, sizeof(dir), "%s/home", t.dir);
	setenv("HOME", dir, 1);
	ck_assert_int_eq(config_load(&c, NULL, NULL, &e), 0);
	ck_assert_str_eq(c.file, home);
	ck_assert_double_eq(c.strategy.qty, 2);

	/* $XDG_CONFIG_HOME replaces ~/.config; a relative one is ignored */
	snprintf(dir, sizeof(dir), "%s/xdg", t.dir);
	setenv("XDG_CONFIG_HOME", dir, 1);
	ck_assert_int_eq(config_load(&c, NULL, NULL, &e), 0);
	ck_assert_str_eq(c.file, xdg);
	ck_assert_double_eq(c.strategy.qty, 1);
	setenv("XDG_CONFIG_HOME", "xdg", 1);
	ck_assert_int_eq(config_load(&c, NULL, NULL, &e), 0);
	ck_assert_str_eq(c.file, home);

	/* an XDG dir without the file does not fall back to ~/.config */
	snprintf(dir, sizeof(dir), "%s/home", t.dir);
	setenv("XDG_CONFIG_HOME", dir, 1);
	ck_assert_int_eq(config_load(&c, NULL, NULL, &e), 0);
	ck_assert_str_ne(c.file, home);

	/* $SCALPKIT_CONF beats both; an empty one is unset */
	setenv("SCALPKIT_CONF", env, 1);
	ck_assert_int_eq(config_load(&c, NULL, NULL, &e), 0);
	ck_assert_str_eq(c.file, env);
	ck_assert_double_eq(c.strategy.qty, 3);
	setenv("SCALPKIT_CONF", "", 1);
	setenv("XDG_CONFIG_HOME", t.dir, 1);
	ck_assert_int_eq(config_load(&c, NULL, NULL, &e), 0);
	ck_assert_str_ne(c.file, env);

	/* an explicit path beats $SCALPKIT_CONF */
	setenv("SCALPKIT_CONF", env, 1);
	snprintf(dir, sizeof(dir), "%s/explicit.conf", t.dir);
	ck_assert_int_eq(config_load(&c, dir, NULL, &e), 0);
	ck_assert_str_eq(c.file, dir);
	ck_assert_double_eq(c.strategy.qty, 4);

	/* named files must exist */
	setenv("SCALPKIT_CONF", "/nonexistent/scalpkit.conf", 1);
	ck_assert_int_eq(config_load(&c, NULL, NULL, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_str_eq(e.msg,
	    "/nonexistent/scalpkit.conf: No such file or directory");
	ck_assert_int_eq(config_load(&c, "/nonexistent/x.conf", NULL, &e),
	    -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_str_eq(e.msg, "/nonexistent/x.conf: No such file or "
	    "directory");
	ck_assert_int_eq(config_load(&c, "", NULL, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_int_eq(config_load(&c, t.dir, NULL, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	snprintf(dir, sizeof(dir), "%s: Is a directory", t.dir);
	ck_assert_str_eq(e.msg, dir);
	scratch_release(&t);
}
END_TEST

START_TEST(journal_path)
{
	struct config c;
	struct sk_err e;
	char buf[CFG_PATH], tiny[8];

	clear_env();
	config_defaults(&c);
	ck_assert_int_eq(config_journal_path(&c, NULL, buf, sizeof(buf), &e),
	    -1);
	ck_assert_int_eq(e.status, SK_IO);

	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(config_journal_path(&c, NULL, buf, sizeof(buf), &e),
	    0);
	ck_assert_str_eq(buf, "/home/u/.local/state/scalpkit/journal.db");
	setenv("XDG_STATE_HOME", "relative", 1);
	ck_assert_int_eq(config_journal_path(&c, NULL, buf, sizeof(buf), &e),
	    0);
	ck_assert_str_eq(buf, "/home/u/.local/state/scalpkit/journal.db");
	setenv("XDG_STATE_HOME", "/st", 1);
	ck_assert_int_eq(config_journal_path(&c, NULL, buf, sizeof(buf), &e),
	    0);
	ck_assert_str_eq(buf, "/st/scalpkit/journal.db");
	sk_strlcpy(c.paths.journal, "/cfg/j.db", sizeof(c.paths.journal));
	ck_assert_int_eq(config_journal_path(&c, NULL, buf, sizeof(buf), &e),
	    0);
	ck_assert_str_eq(buf, "/cfg/j.db");
	setenv("SCALPKIT_JOURNAL", "/env/j.db", 1);
	ck_assert_int_eq(config_journal_path(&c, NULL, buf, sizeof(buf), &e),
	    0);
	ck_assert_str_eq(buf, "/env/j.db");
	ck_assert_int_eq(config_journal_path(&c, "", buf, sizeof(buf), &e),
	    0);
	ck_assert_str_eq(buf, "/env/j.db");
	ck_assert_int_eq(config_journal_path(&c, "opt.db", buf, sizeof(buf),
	    &e), 0);
	ck_assert_str_eq(buf, "opt.db");
	ck_assert_int_eq(config_journal_path(&c, NULL, tiny, sizeof(tiny),
	    &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
}
END_TEST

START_TEST(share_and_calendar)
{
	struct config c;
	struct sk_err e;
	char buf[CFG_PATH];

	clear_env();
	config_defaults(&c);
	ck_assert_int_eq(config_share_dir(&c, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, SK_SHAREDIR);
	ck_assert_int_eq(config_calendar_path(&c, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, SK_SHAREDIR "/calendar/nyse.csv");
	sk_strlcpy(c.paths.share, "/cfg/share", sizeof(c.paths.share));
	ck_assert_int_eq(config_calendar_path(&c, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "/cfg/share/calendar/nyse.csv");
	setenv("SCALPKIT_SHARE", SK_SRCDIR "/share", 1);
	ck_assert_int_eq(config_share_dir(&c, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, SK_SRCDIR "/share");
	ck_assert_int_eq(config_calendar_path(&c, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, SK_SRCDIR "/share/calendar/nyse.csv");
	ck_assert_int_eq(access(buf, R_OK), 0);
	sk_strlcpy(c.paths.calendar, "/x.csv", sizeof(c.paths.calendar));
	ck_assert_int_eq(config_calendar_path(&c, buf, sizeof(buf), &e), 0);
	ck_assert_str_eq(buf, "/x.csv");
	ck_assert_int_eq(config_calendar_path(&c, buf, 4, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, defaults_values);
	tcase_add_test(tc, defaults_equal_etc);
	tcase_add_test(tc, etc_sets_every_key);
	tcase_add_test(tc, profile_ema_cloud);
	tcase_add_loop_test(tc, value_limits, 0, N(vals));
	tcase_add_loop_test(tc, bad_files, 0, N(badfile));
	tcase_add_loop_test(tc, entry_windows, 0, N(wins));
	tcase_add_loop_test(tc, tier_lists, 0,
	    sizeof(tiers) / sizeof(tiers[0]));
	tcase_add_test(tc, good_syntax);
	tcase_add_test(tc, paths_resolve);
	tcase_add_test(tc, profile_overrides);
	tcase_add_test(tc, profile_errors);
	tcase_add_test(tc, lookup_order);
	tcase_add_test(tc, journal_path);
	tcase_add_test(tc, share_and_calendar);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
