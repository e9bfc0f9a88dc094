/*
 * test_strategy.c: the EMA-cloud signal model (lib/rank.c) at each of
 * its boundaries, then calc-indicators and rank-signals chained in one
 * process over a small crafted series.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "clock.h"
#include "config.h"
#include "rank.h"
#include "rec.h"
#include "stage.h"

#define T0	1294065000000LL	/* 2011-01-03T14:30:00Z: 09:30 in NY */
#define MIN	60000LL
#define ABSENT	NAN		/* an indicator not on the bar */

/* The reference profile, as the built-in defaults give it. */
static struct config
reference(void)
{
	struct config c;

	config_defaults(&c);
	ck_assert_str_eq(c.strategy.model, "ema-cloud");
	ck_assert_int_eq(c.strategy.fast_short, 5);
	ck_assert_int_eq(c.strategy.fast_long, 12);
	ck_assert_str_eq(c.strategy.macro_tf, "10m");
	ck_assert_int_eq(c.strategy.macro_short, 34);
	ck_assert_int_eq(c.strategy.macro_long, 50);
	ck_assert_int_eq(c.strategy.vol_window, 20);
	ck_assert_int_eq(c.strategy.vol_mult_num * 10,
	    c.strategy.vol_mult_den * 15);
	ck_assert_int_eq(c.strategy.require_macro, 1);
	ck_assert_int_eq(c.strategy.long_only, 0);
	return c;
}

static void
put(struct ind *ind, const char *name, double v)
{
	if (!isnan(v))
		ind_set(ind, name, v);
}

/*
 * One bar as calc-indicators leaves it.  vsum is the sum of the 20
 * volumes before this bar, so the mean is vsum / 20 and the threshold
 * 1.5 x that: vsum 20000 puts it at exactly 1500 shares.
 */
static const struct {
	const char	*what;
	double		 flip, ms, ml, vsum, v;
	int		 require_macro, long_only;
	int		 want;
	double		 score;		/* of a signal; none: 0 */
} model[] = {
	{ "volume exactly 1.5x the mean", 1, 101, 100, 20000, 1500, 1, 0,
	    0, 0 },
	{ "one share more", 1, 101, 100, 20000, 1501, 1, 0,
	    1, 50 + 25 * (300200.0 / 300000 - 1) },
	{ "short, exactly 1.5x", -1, 100, 101, 20000, 1500, 1, 0, 0, 0 },
	{ "short, one share more", -1, 100, 101, 20000, 1501, 1, 0,
	    -1, 50 + 25 * (300200.0 / 300000 - 1) },
	{ "twice the threshold", 1, 101, 100, 20000, 3000, 1, 0, 1, 75 },
	{ "three times: conviction 100", 1, 101, 100, 20000, 4500, 1, 0,
	    1, 100 },
	{ "four times: still 100", -1, 100, 101, 20000, 6000, 1, 0, -1, 100 },
	{ "uneven mean 1000.05: 1500 is below", 1, 101, 100, 20001, 1500, 1,
	    0, 0, 0 },
	{ "uneven mean 1000.05: 1501 is above", 1, 101, 100, 20001, 1501, 1,
	    0, 1, 50 + 25 * (300200.0 / 300015 - 1) },
	{ "big volumes, exactly 1.5x", 1, 101, 100, 2e9, 150000000, 1, 0,
	    0, 0 },
	{ "big volumes, one share more", 1, 101, 100, 2e9, 150000001, 1, 0,
	    1, 50 + 25 * (30000000200.0 / 30000000000 - 1) },
	{ "quiet window, no volume", 1, 101, 100, 0, 0, 1, 0, 0, 0 },
	{ "quiet window, one share", 1, 101, 100, 0, 1, 1, 0, 1, 100 },
	{ "macro equal", 1, 100.5, 100.5, 20000, 5000, 1, 0, 0, 0 },
	{ "macro equal, short", -1, 100.5, 100.5, 20000, 5000, 1, 0, 0, 0 },
	{ "macro equal, not required", 1, 100.5, 100.5, 20000, 1501, 0, 0,
	    1, 50 + 25 * (300200.0 / 300000 - 1) },
	{ "macro one ulp apart", 1, 0x1.0000000000001p+0, 1, 20000, 1501, 1,
	    0, 1, 50 + 25 * (300200.0 / 300000 - 1) },
	{ "macro absent", 1, ABSENT, ABSENT, 20000, 5000, 1, 0, 0, 0 },
	{ "macro half absent", 1, 101, ABSENT, 20000, 5000, 1, 0, 0, 0 },
	{ "macro absent, short", -1, ABSENT, ABSENT, 20000, 5000, 1, 0, 0, 0 },
	{ "macro absent, not required", 1, ABSENT, ABSENT, 20000, 1501, 0, 0,
	    1, 50 + 25 * (300200.0 / 300000 - 1) },
	{ "macro disagrees", 1, 100, 101, 20000, 5000, 1, 0, 0, 0 },
	{ "macro disagrees, short", -1, 101, 100, 20000, 5000, 1, 0, 0, 0 },
	{ "macro disagrees, not required", -1, 101, 100, 20000, 1501, 0, 0,
	    -1, 50 + 25 * (300200.0 / 300000 - 1) },
	{ "long only: short suppressed", -1, 100, 101, 20000, 5000, 1, 1,
	    0, 0 },
	{ "long only: short suppressed, no macro", -1, ABSENT, ABSENT, 20000,
	    5000, 0, 1, 0, 0 },
	{ "long only: long kept", 1, 101, 100, 20000, 1501, 1, 1,
	    1, 50 + 25 * (300200.0 / 300000 - 1) },
	{ "no flip", 0, 101, 100, 20000, 5000, 1, 0, 0, 0 },
	{ "flip absent", ABSENT, 101, 100, 20000, 5000, 1, 0, 0, 0 },
	{ "volume window absent", 1, 101, 100, ABSENT, 5000, 1, 0, 0, 0 },
};

START_TEST(model_table)
{
	struct config c = reference();
	struct bar b;
	double score = -1;
	int got;

	memset(&b, 0, sizeof(b));
	sk_strlcpy(b.symbol, "SPY", sizeof(b.symbol));
	b.ts = T0 + 600 * MIN;
	b.tf_ms = MIN;
	b.o = b.h = b.l = b.c = 100;
	b.v = model[_i].v;
	put(&b.ind, "ema5", 100);
	put(&b.ind, "flip5_12", model[_i].flip);
	put(&b.ind, "ema34_10m", model[_i].ms);
	put(&b.ind, "ema50_10m", model[_i].ml);
	put(&b.ind, "vol_sum20", model[_i].vsum);
	c.strategy.require_macro = model[_i].require_macro;
	c.strategy.long_only = model[_i].long_only;
	got = rank_ema_cloud(&c.strategy, &b, &score);
	ck_assert_msg(got == model[_i].want, "%s: got %d, want %d",
	    model[_i].what, got, model[_i].want);
	ck_assert_msg(fabs(score - model[_i].score) < 1e-9,
	    "%s: score %.17g, want %.17g", model[_i].what, score,
	    model[_i].score);
}
END_TEST

/* The indicator names follow the profile's periods. */
START_TEST(model_reads_the_profiles_names)
{
	struct config c = reference();
	struct bar b;
	double score;

	c.strategy.fast_short = 8;
	c.strategy.fast_long = 21;
	sk_strlcpy(c.strategy.macro_tf, "1h", sizeof(c.strategy.macro_tf));
	c.strategy.macro_short = 20;
	c.strategy.macro_long = 40;
	c.strategy.vol_window = 10;
	c.strategy.vol_mult_num = 2;
	c.strategy.vol_mult_den = 1;

	memset(&b, 0, sizeof(b));
	sk_strlcpy(b.symbol, "SPY", sizeof(b.symbol));
	b.v = 2000;			/* exactly 2 x the mean of 1000 */
	ind_set(&b.ind, "flip8_21", 1);
	ind_set(&b.ind, "ema20_1h", 101);
	ind_set(&b.ind, "ema40_1h", 100);
	ind_set(&b.ind, "vol_sum10", 10000);
	ck_assert_int_eq(rank_ema_cloud(&c.strategy, &b, &score), 0);
	b.v = 2001;
	ck_assert_int_eq(rank_ema_cloud(&c.strategy, &b, &score), 1);

	/* The reference names mean nothing to this profile. */
	memset(&b.ind, 0, sizeof(b.ind));
	ind_set(&b.ind, "flip5_12", 1);
	ind_set(&b.ind, "ema34_10m", 101);
	ind_set(&b.ind, "ema50_10m", 100);
	ind_set(&b.ind, "vol_sum20", 20000);
	ck_assert_int_eq(rank_ema_cloud(&c.strategy, &b, &score), 0);
}
END_TEST

/*
 * The chain.  Two sessions of 390 one-minute bars on a steady rise
 * (0.01 a bar), each with a V-shaped dip of 0.1 a bar that makes the
 * fast cloud flip bearish, then bullish: the first early on day one,
 * before 50 ten-minute bars have closed (no macro state yet), the
 * second on day two, with the macro cloud bullish.  Volume is flat at
 * 1000 except where a pass puts a spike.
 */
#define NBARS		780
#define DIP1		100
#define DIP2		600
#define DIPLEN		15

struct series {
	double		 v[NBARS];
};

struct seen {
	int		 nbars;
	double		 flip[NBARS];
	double		 ms[NBARS], ml[NBARS];
	double		 vsum[NBARS];
	int		 nsig;
	struct signal	 sig[8];
};

static int64_t
bar_ts(int i)
{
	return T0 + (int64_t)(i / 390) * CLOCK_DAY + (int64_t)(i % 390) * MIN;
}

static double
close_of(int i)
{
	double c = 100 + 0.01 * i;
	int k;

	if (i >= DIP1 && i < DIP1 + DIPLEN)
		k = i - DIP1;
	else if (i >= DIP2 && i < DIP2 + DIPLEN)
		k = i - DIP2;
	else
		return c;
	return c - 0.1 * (k < 8 ? k : DIPLEN - k);
}

static int
collect(void *arg, struct rec *r, struct sk_err *e)
{
	struct seen *s = arg;
	const struct ind *ind;
	int i;

	(void)e;
	if (r->type == REC_SIGNAL) {
		if (s->nsig < 8)
			s->sig[s->nsig] = r->u.sig;
		s->nsig++;
		return 0;
	}
	ck_assert_int_eq(r->type, REC_BAR);
	ck_assert_int_lt(s->nbars, NBARS);
	i = s->nbars++;
	ck_assert_int_eq(r->u.bar.ts, bar_ts(i));
	ind = &r->u.bar.ind;
	s->flip[i] = ind_get(ind, "flip5_12");
	s->ms[i] = ind_get(ind, "ema34_10m");
	s->ml[i] = ind_get(ind, "ema50_10m");
	s->vsum[i] = ind_get(ind, "vol_sum20");
	return 0;
}

static void
run_chain(const struct config *c, const struct series *ser, struct seen *s)
{
	struct stage *st[2] = { NULL, NULL };
	struct chain ch;
	struct emit sink = { collect, s };
	struct sk_err e = { 0 };
	struct rec r;
	struct bar *b;
	int i;

	memset(s, 0, sizeof(*s));
	ck_assert_msg(calc_stage_new(&st[0], c, NULL, &e) == 0, "%s", e.msg);
	ck_assert_msg(rank_stage_new(&st[1], c, &e) == 0, "%s", e.msg);
	chain_init(&ch, st, 2, sink);
	for (i = 0; i < NBARS; i++) {
		rec_init(&r, REC_BAR);
		b = &r.u.bar;
		sk_strlcpy(b->symbol, "SPY", sizeof(b->symbol));
		b->ts = bar_ts(i);
		b->c = close_of(i);
		b->o = i % 390 == 0 ? b->c : close_of(i - 1);
		b->h = fmax(b->o, b->c) + 0.02;
		b->l = fmin(b->o, b->c) - 0.02;
		b->v = ser->v[i];
		ck_assert_msg(chain_take(&ch, &r, &e) == 0, "%s", e.msg);
	}
	ck_assert_msg(chain_finish(&ch, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(s->nbars, NBARS);
	chain_release(&ch);
	stage_free(st[0]);
	stage_free(st[1]);
}

static void
flat(struct series *ser)
{
	int i;

	for (i = 0; i < NBARS; i++)
		ser->v[i] = 1000;
}

/* The first bar in [from, from + 30) whose flip is dir. */
static int
find_flip(const struct seen *s, int from, int dir)
{
	int i;

	for (i = from; i < from + 30; i++)
		if (s->flip[i] == dir)
			return i;
	ck_abort_msg("no flip %d after bar %d", dir, from);
	return -1;
}

START_TEST(chain_signals_only_on_a_confirmed_flip_with_volume)
{
	struct config c = reference();
	struct series ser;
	struct seen s;
	int early, bear, late, i;
	char id[REC_ID];

	/* Pass 1: flat volume: flips, but no signal. */
	flat(&ser);
	run_chain(&c, &ser, &s);
	ck_assert_int_eq(s.nsig, 0);
	early = find_flip(&s, DIP1, 1);
	bear = find_flip(&s, DIP2, -1);
	late = find_flip(&s, DIP2, 1);
	ck_assert_int_lt(bear, late);
	ck_assert(isnan(s.ms[early]) && isnan(s.ml[early]));
	ck_assert(s.ms[late] > s.ml[late]);
	ck_assert(s.ms[bear] > s.ml[bear]);
	ck_assert(s.vsum[late] == 20000);
	for (i = 0; i < NBARS; i++)
		ck_assert(isnan(s.flip[i]) || s.flip[i] == 0 || i == early ||
		    i == bear || i == late || (i > DIP1 && i < early) ||
		    (i > DIP2 && i < bear));

	/* Pass 2: exactly 1.5 x the mean on the flip: still none. */
	ser.v[late] = 1500;
	run_chain(&c, &ser, &s);
	ck_assert_int_eq(s.nsig, 0);

	/* Pass 3: one share more: one long signal, after that bar. */
	ser.v[late] = 1501;
	run_chain(&c, &ser, &s);
	ck_assert_int_eq(s.nsig, 1);
	ck_assert_str_eq(s.sig[0].side, "long");
	ck_assert_str_eq(s.sig[0].symbol, "SPY");
	ck_assert_str_eq(s.sig[0].strategy, "ema-cloud");
	ck_assert_int_eq(s.sig[0].bar_ts, bar_ts(late));
	ck_assert_int_eq(s.sig[0].ts, bar_ts(late) + MIN);
	ck_assert(s.sig[0].price == close_of(late));
	ck_assert(s.sig[0].score == 50.02);
	{
		char t[CLOCK_TSLEN], compact[CLOCK_TSLEN];
		size_t k, n = 0;

		clock_format(bar_ts(late), t);
		for (k = 0; t[k] != '\0'; k++)
			if (t[k] != '-' && t[k] != ':')
				compact[n++] = t[k];
		compact[n] = '\0';
		snprintf(id, sizeof(id), "ema-cloud/SPY/%s/long", compact);
	}
	ck_assert_str_eq(s.sig[0].id, id);
	ck_assert_int_eq(s.sig[0].nreasons, 3);
	ck_assert_str_eq(s.sig[0].reasons[2],
	    "volume 1501 is 1.50x the 20-bar mean");

	/* Pass 4: spikes where the macro cloud forbids: none. */
	flat(&ser);
	ser.v[early] = 5000;
	ser.v[bear] = 5000;
	run_chain(&c, &ser, &s);
	ck_assert_int_eq(s.nsig, 0);

	/* Pass 5: the same without the macro rule: both fire. */
	c.strategy.require_macro = 0;
	run_chain(&c, &ser, &s);
	ck_assert_int_eq(s.nsig, 2);
	ck_assert_int_eq(s.sig[0].bar_ts, bar_ts(early));
	ck_assert_str_eq(s.sig[0].side, "long");
	ck_assert_int_eq(s.sig[1].bar_ts, bar_ts(bear));
	ck_assert_str_eq(s.sig[1].side, "short");

	/* Pass 6: and long-only keeps the long one alone. */
	c.strategy.long_only = 1;
	run_chain(&c, &ser, &s);
	ck_assert_int_eq(s.nsig, 1);
	ck_assert_int_eq(s.sig[0].bar_ts, bar_ts(early));
}
END_TEST

START_TEST(unknown_model_is_refused)
{
	struct config c = reference();
	struct stage *st = NULL;
	struct sk_err e = { 0 };

	sk_strlcpy(c.strategy.model, "no-such", sizeof(c.strategy.model));
	ck_assert_int_eq(rank_stage_new(&st, &c, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_ptr_nonnull(strstr(e.msg, "no-such"));
	ck_assert_ptr_null(st);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("strategy");
	TCase *tc = tcase_create("ema-cloud");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, model_table, 0,
	    (int)(sizeof(model) / sizeof(model[0])));
	tcase_add_test(tc, model_reads_the_profiles_names);
	tcase_add_test(tc, chain_signals_only_on_a_confirmed_flip_with_volume);
	tcase_add_test(tc, unknown_model_is_refused);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
