/*
 * test_fees.c: lib/fees.c: the built-in schedules, exact cent rounding
 * of the US regulatory fees at their caps and edges, buys and sells,
 * perpetual fees and funding signs, and fee_set()'s checks.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fees.h"

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

/*
 * The built-in schedule broker with the overrides in set applied:
 * "key=value" pairs separated by spaces (NULL: none).
 */
static struct fee_schedule
sched(const char *broker, const char *set)
{
	const struct fee_schedule *d = fee_lookup(broker);
	struct fee_schedule s;
	struct sk_err e;
	char key[64], val[64];
	size_t klen, vlen;

	ck_assert_msg(d != NULL, "no schedule %s", broker);
	s = *d;
	while (set != NULL && *set != '\0') {
		klen = strcspn(set, "=");
		vlen = strcspn(set + klen + 1, " ");
		ck_assert(klen < sizeof(key) && vlen < sizeof(val));
		memcpy(key, set, klen);
		key[klen] = '\0';
		memcpy(val, set + klen + 1, vlen);
		val[vlen] = '\0';
		ck_assert_msg(fee_set(&s, key, val, &e) == 0, "%s", e.msg);
		set += klen + 1 + vlen;
		set += *set == ' ';
	}
	return s;
}

/* Schedules as the old (2024-2025) rates had them: exact cap at 50,000. */
#define RATES_2025	"sec_per_million=27.80 taf_per_share=0.000166 " \
	"taf_cap=8.30"

static const struct {
	const char	*broker, *set;
	enum fee_class	 cls;
	enum fee_side	 side;
	double		 qty, price;
	int64_t		 commission, sec, taf, orf, occ, cat, cents;
} us[] = {
	/* equities at alpaca: 2026 rates; buys pay only CAT */
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 100, 250.00,
	    0, 52, 2, 0, 0, 1, 55 },
	{ "alpaca", NULL, FEE_EQUITY, FEE_BUY, 100, 250.00,
	    0, 0, 0, 0, 0, 1, 1 },
	/* TAF: $0.000195 x 50,205 = $9.789975, up to the $9.79 cap */
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 50205, 1.00,
	    0, 104, 979, 0, 0, 16, 1099 },
	/* one share more is $9.790170 uncapped: capped at 979 */
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 50206, 1.00,
	    0, 104, 979, 0, 0, 16, 1099 },
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 50153, 1.00,
	    0, 104, 978, 0, 0, 16, 1098 },
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 50154, 1.00,
	    0, 104, 979, 0, 0, 16, 1099 },
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 1000000, 1.00,
	    0, 2060, 979, 0, 0, 300, 3339 },
	{ "alpaca", NULL, FEE_EQUITY, FEE_BUY, 1000000, 1.00,
	    0, 0, 0, 0, 0, 300, 300 },
	/* TAF cap exactly reached ($0.000166 x 50,000 = $8.30) ... */
	{ "alpaca", RATES_2025, FEE_EQUITY, FEE_SELL, 50000, 1.00,
	    0, 139, 830, 0, 0, 15, 984 },
	/* ... and exceeded: $8.300166 is capped, not rounded to 831 */
	{ "alpaca", RATES_2025, FEE_EQUITY, FEE_SELL, 50001, 1.00,
	    0, 140, 830, 0, 0, 16, 986 },
	{ "alpaca", RATES_2025, FEE_EQUITY, FEE_SELL, 49999, 1.00,
	    0, 139, 830, 0, 0, 15, 984 },
	{ "alpaca", RATES_2025, FEE_EQUITY, FEE_SELL, 49939, 1.00,
	    0, 139, 829, 0, 0, 15, 983 },
	/* SEC: exactly $2.78 stays; $2.780010008 rounds up a cent */
	{ "alpaca", RATES_2025, FEE_EQUITY, FEE_SELL, 1, 100000.00,
	    0, 278, 1, 0, 0, 1, 280 },
	{ "alpaca", RATES_2025, FEE_EQUITY, FEE_SELL, 1, 100000.36,
	    0, 279, 1, 0, 0, 1, 281 },
	/* at $20.60: $50,000 owes $1.03; $50,000.50 owes $1.0300103 */
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 100, 500.00,
	    0, 103, 2, 0, 0, 1, 106 },
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 100, 500.005,
	    0, 104, 2, 0, 0, 1, 107 },
	/* any positive fee is at least a cent */
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 1, 10.00,
	    0, 1, 1, 0, 0, 1, 3 },
	/* fractional shares */
	{ "alpaca", NULL, FEE_EQUITY, FEE_SELL, 0.5, 400.00,
	    0, 1, 1, 0, 0, 1, 3 },
	{ "alpaca", NULL, FEE_EQUITY, FEE_BUY, 0.5, 400.00,
	    0, 0, 0, 0, 0, 1, 1 },
	/* 3 x 0.1 is 0.30000000000000004: a 10% fee is still 3 cents */
	{ "alpaca", "sec_per_million=100000 cat_per_share=0", FEE_EQUITY,
	    FEE_SELL, 3, 0.1, 0, 3, 1, 0, 0, 0, 4 },
	/*
	 * 1.000001 * 10^6 is 1000000.9999999999: rounded, not cut, to the
	 * micro-share, so $0.1000001 still rounds up to 11 cents
	 */
	{ "alpaca", "taf_per_share=0.1 cat_per_share=0", FEE_EQUITY,
	    FEE_SELL, 1.000001, 1.00, 0, 1, 11, 0, 0, 0, 12 },
	/* zero quantity: nothing, not even the per-order commission */
	{ "alpaca", "eq_per_order=1", FEE_EQUITY, FEE_SELL, 0, 100.00,
	    0, 0, 0, 0, 0, 0, 0 },
	{ "tradier", NULL, FEE_OPTION, FEE_SELL, 0, 1.00,
	    0, 0, 0, 0, 0, 0, 0 },
	/* per share and per order: $1.505 rounds half up, $1.50 stays */
	{ "paper", "eq_per_share=0.005 eq_per_order=1.00", FEE_EQUITY,
	    FEE_BUY, 101, 10.00, 151, 0, 0, 0, 0, 1, 152 },
	{ "paper", "eq_per_share=0.005 eq_per_order=1.00", FEE_EQUITY,
	    FEE_BUY, 100, 10.00, 150, 0, 0, 0, 0, 1, 151 },
	/* options: ORF, OCC and CAT both ways; SEC, TAF on sales */
	{ "alpaca", NULL, FEE_OPTION, FEE_BUY, 1, 2.50,
	    0, 0, 0, 2, 3, 1, 6 },
	{ "alpaca", NULL, FEE_OPTION, FEE_SELL, 1, 2.50,
	    0, 1, 1, 2, 3, 1, 8 },
	{ "tradier", NULL, FEE_OPTION, FEE_BUY, 10, 1.00,
	    350, 0, 0, 15, 25, 1, 391 },
	{ "tradier", NULL, FEE_OPTION, FEE_SELL, 10, 1.00,
	    350, 3, 4, 15, 25, 1, 398 },
	/* option TAF: $0.00329 x 2,975 = $9.78775 up to the cap */
	{ "alpaca", NULL, FEE_OPTION, FEE_SELL, 2975, 0.05,
	    0, 31, 979, 4463, 5500, 90, 11063 },
	{ "alpaca", NULL, FEE_OPTION, FEE_SELL, 2976, 0.05,
	    0, 31, 979, 4464, 5500, 90, 11064 },
	{ "alpaca", NULL, FEE_OPTION, FEE_SELL, 2972, 0.05,
	    0, 31, 978, 4458, 5500, 90, 11057 },
	/* exactly at a cap of $10.00, and past it */
	{ "alpaca", "opt_taf_per_contract=0.005 opt_taf_cap=10.00",
	    FEE_OPTION, FEE_SELL, 2000, 0.05, 0, 21, 1000, 3000, 5000, 60,
	    9081 },
	{ "alpaca", "opt_taf_per_contract=0.005 opt_taf_cap=10.00",
	    FEE_OPTION, FEE_SELL, 2001, 0.05, 0, 21, 1000, 3002, 5003, 61,
	    9087 },
	{ "alpaca", "opt_taf_per_contract=0.005 opt_taf_cap=10.00",
	    FEE_OPTION, FEE_SELL, 1998, 0.05, 0, 21, 999, 2997, 4995, 60,
	    9072 },
	/* OCC: $0.025 x 2,200 is the $55 cap exactly; 2,201 is capped */
	{ "alpaca", NULL, FEE_OPTION, FEE_BUY, 2200, 0.05,
	    0, 0, 0, 3300, 5500, 66, 8866 },
	{ "alpaca", NULL, FEE_OPTION, FEE_BUY, 2201, 0.05,
	    0, 0, 0, 3302, 5500, 67, 8869 },
	{ "alpaca", NULL, FEE_OPTION, FEE_BUY, 2199, 0.05,
	    0, 0, 0, 3299, 5498, 66, 8863 },
	/* no cap at all */
	{ "alpaca", "occ_cap=0", FEE_OPTION, FEE_BUY, 2201, 0.05,
	    0, 0, 0, 3302, 5503, 67, 8872 },
	/* a 10-share contract (mini option): CAT and SEC scale with it */
	{ "alpaca", "multiplier=10", FEE_OPTION, FEE_SELL, 10, 5.00,
	    0, 2, 4, 15, 25, 1, 47 }
};

START_TEST(us_fills)
{
	struct fee_schedule s = sched(us[_i].broker, us[_i].set);
	struct fee_bill b;
	struct sk_err e;

	ck_assert_msg(fee_fill(&s, us[_i].cls, us[_i].side, us[_i].qty,
	    us[_i].price, 0, &b, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(b.commission, us[_i].commission);
	ck_assert_int_eq(b.sec, us[_i].sec);
	ck_assert_int_eq(b.taf, us[_i].taf);
	ck_assert_int_eq(b.orf, us[_i].orf);
	ck_assert_int_eq(b.occ, us[_i].occ);
	ck_assert_int_eq(b.cat, us[_i].cat);
	ck_assert_int_eq(b.cents, us[_i].cents);
	ck_assert_int_eq(b.cents, b.commission + b.sec + b.taf + b.orf +
	    b.occ + b.cat);
	ck_assert(b.venue == 0);
}
END_TEST

/* Perpetuals: fraction of notional; side does not matter, maker does. */
static const struct {
	const char	*broker, *set;
	enum fee_side	 side;
	double		 qty, price;
	int		 maker;
	double		 venue;
} perp[] = {
	/* the taker fill of tests/fixtures/brokers/bybit */
	{ "bybit", NULL, FEE_BUY, 0.03, 97187.0, 0, 1.6035855 },
	{ "bybit", NULL, FEE_SELL, 0.03, 97187.0, 0, 1.6035855 },
	{ "bybit", NULL, FEE_BUY, 0.03, 97187.0, 1, 0.583122 },
	{ "bybit", NULL, FEE_SELL, 0.03, 97187.0, 1, 0.583122 },
	{ "bybit", NULL, FEE_BUY, 0, 97187.0, 0, 0 },
	{ "paper", NULL, FEE_BUY, 2, 100, 0, 0.11 },
	/* a maker rebate */
	{ "bybit", "perp_maker=-0.00005", FEE_BUY, 10, 100, 1, -0.05 },
	{ "bybit", "perp_maker=-0.00005", FEE_BUY, 10, 100, 0, 0.55 }
};

START_TEST(perp_fills)
{
	struct fee_schedule s = sched(perp[_i].broker, perp[_i].set);
	struct fee_bill b;
	struct sk_err e;

	ck_assert_msg(fee_fill(&s, FEE_PERP, perp[_i].side, perp[_i].qty,
	    perp[_i].price, perp[_i].maker, &b, &e) == 0, "%s", e.msg);
	ck_assert_double_eq_tol(b.venue, perp[_i].venue, 1e-12);
	ck_assert_int_eq(b.cents, 0);
}
END_TEST

START_TEST(cfd_fills)
{
	struct fee_schedule s = sched("paper", NULL);
	struct fee_bill b;
	struct sk_err e;

	/* spread-only by default */
	ck_assert_int_eq(fee_fill(&s, FEE_CFD, FEE_BUY, 10, 50, 0, &b, &e),
	    0);
	ck_assert(b.venue == 0);
	s = sched("paper", "cfd_rate=0.001 cfd_min=1");
	ck_assert_int_eq(fee_fill(&s, FEE_CFD, FEE_SELL, 10, 50, 0, &b, &e),
	    0);
	ck_assert_double_eq_tol(b.venue, 1, 1e-12);	/* 0.50 -> min */
	ck_assert_int_eq(fee_fill(&s, FEE_CFD, FEE_SELL, 100, 50, 0, &b, &e),
	    0);
	ck_assert_double_eq_tol(b.venue, 5, 1e-12);
	ck_assert_int_eq(fee_fill(&s, FEE_CFD, FEE_SELL, 0, 50, 0, &b, &e),
	    0);
	ck_assert(b.venue == 0);
	ck_assert_int_eq(b.cents, 0);
}
END_TEST

/* Funding: qty (signed), mark, rate and the holder's cash flow. */
static const struct {
	double		 qty, mark, rate, flow;
} funding[] = {
	{ 2, 100, 0.0001, -0.02 },	/* positive rate: longs pay */
	{ -2, 100, 0.0001, 0.02 },	/* ... shorts receive */
	{ 2, 100, -0.0001, 0.02 },	/* negative rate: longs receive */
	{ -2, 100, -0.0001, -0.02 },	/* ... shorts pay */
	{ 0.5, 97190.12, 0.0001, -4.859506 },
	{ 2, 100, 0, 0 },
	{ 0, 100, 0.0001, 0 },
	{ -0.0, 100, 0.0001, 0 }
};

START_TEST(funding_sign)
{
	double f = fee_funding(funding[_i].qty, funding[_i].mark,
	    funding[_i].rate);

	ck_assert_double_eq_tol(f, funding[_i].flow, 1e-12);
	if (funding[_i].flow == 0)
		ck_assert(!signbit(f));
	/* long and short of the same size are mirror images */
	ck_assert_double_eq_tol(f, -fee_funding(-funding[_i].qty,
	    funding[_i].mark, funding[_i].rate), 1e-12);
}
END_TEST

START_TEST(lookup)
{
	const char *want[] = { "paper", "tradier", "alpaca", "bybit" };
	const struct fee_schedule *s;
	size_t i;

	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(fee_name(i), want[i]);
		s = fee_lookup(want[i]);
		ck_assert_ptr_nonnull(s);
		ck_assert_str_eq(s->name, want[i]);
	}
	ck_assert_ptr_null(fee_name(4));
	ck_assert_ptr_eq(fee_lookup("Alpaca"), fee_lookup("alpaca"));
	ck_assert_ptr_eq(fee_lookup("BYBIT"), fee_lookup("bybit"));
	ck_assert_ptr_null(fee_lookup("ibkr"));
	ck_assert_ptr_null(fee_lookup(""));
}
END_TEST

/* The default figures, so that a change to them is a visible one. */
START_TEST(defaults)
{
	const struct fee_schedule *a = fee_lookup("alpaca");
	const struct fee_schedule *t = fee_lookup("tradier");
	const struct fee_schedule *p = fee_lookup("paper");
	const struct fee_schedule *b = fee_lookup("bybit");

	ck_assert_int_eq(a->sec_rate, 20600);
	ck_assert_int_eq(a->taf_per_share, 195000);
	ck_assert_int_eq(a->taf_cap, 979 * FEE_NANO / 100);
	ck_assert_int_eq(a->opt_taf_per_contract, 3290000);
	ck_assert_int_eq(a->opt_taf_cap, 979 * FEE_NANO / 100);
	ck_assert_int_eq(a->orf_per_contract, 15000000);
	ck_assert_int_eq(a->occ_per_contract, 25000000);
	ck_assert_int_eq(a->occ_cap, 55 * FEE_NANO);
	ck_assert_int_eq(a->cat_per_share, 3000);
	ck_assert_int_eq(a->multiplier, 100);
	ck_assert_int_eq(a->eq_per_share, 0);
	ck_assert_int_eq(a->eq_per_order, 0);
	ck_assert_int_eq(a->opt_per_contract, 0);
	ck_assert_int_eq(t->opt_per_contract, 35 * FEE_NANO / 100);
	ck_assert_int_eq(t->eq_per_share, 0);
	ck_assert_int_eq(t->sec_rate, a->sec_rate);
	ck_assert_int_eq(p->taf_per_share, a->taf_per_share);
	ck_assert_double_eq(b->perp_maker, 0.0002);
	ck_assert_double_eq(b->perp_taker, 0.00055);
	ck_assert_double_eq(p->perp_taker, b->perp_taker);
	ck_assert_uint_eq(b->classes, FEE_CLASS(FEE_PERP));
	ck_assert_uint_eq(a->classes, FEE_CLASS(FEE_EQUITY) |
	    FEE_CLASS(FEE_OPTION));
	ck_assert_uint_eq(p->classes, 0xfu);
}
END_TEST

/* fee_set: what each key accepts. */
static const struct {
	const char	*key, *value;
	const char	*msg;		/* NULL: accepted */
} sets[] = {
	{ "taf_per_share", "0.000195", NULL },
	{ "taf_per_share", "0", NULL },
	{ "taf_per_share", "0.000000001", NULL },
	{ "taf_per_share", "0.0001950000", NULL },	/* zeros are exact */
	{ "taf_cap", "9.79", NULL },
	{ "taf_cap", "10.", NULL },
	{ "sec_per_million", "20.60", NULL },
	{ "sec_per_million", "27.8", NULL },
	{ "multiplier", "10", NULL },
	{ "perp_maker", "-0.00025", NULL },
	{ "perp_taker", "0.00055", NULL },
	{ "cfd_rate", "0.001", NULL },
	{ "cfd_min", "1.5", NULL },
	{ "classes", "equity,option", NULL },
	{ "classes", "cfd", NULL },
	{ "taf", "1", "fees: unknown key 'taf'" },
	{ "taf_per_share", "-0.1", "fees: taf_per_share: '-0.1' is not "
	    "dollars >= 0, at most 9 decimals" },
	{ "taf_per_share", "0.0000000001", "fees: taf_per_share: "
	    "'0.0000000001' is not dollars >= 0, at most 9 decimals" },
	{ "taf_per_share", "", "fees: taf_per_share: '' is not dollars >= "
	    "0, at most 9 decimals" },
	{ "taf_per_share", ".", "fees: taf_per_share: '.' is not dollars "
	    ">= 0, at most 9 decimals" },
	{ "taf_per_share", "1.2.3", "fees: taf_per_share: '1.2.3' is not "
	    "dollars >= 0, at most 9 decimals" },
	{ "taf_cap", "9.79x", "fees: taf_cap: '9.79x' is not dollars >= 0, "
	    "at most 9 decimals" },
	{ "taf_cap", "1000001", "fees: taf_cap: '1000001' is not dollars "
	    ">= 0, at most 9 decimals" },
	{ "sec_per_million", "20.6001", "fees: sec_per_million: '20.6001' "
	    "is not dollars per million >= 0, at most 3 decimals" },
	{ "multiplier", "0", "fees: multiplier: '0' is not a whole number "
	    "from 1 to 10000" },
	{ "multiplier", "2.5", "fees: multiplier: '2.5' is not a whole "
	    "number from 1 to 10000" },
	{ "multiplier", "10001", "fees: multiplier: '10001' is not a whole "
	    "number from 1 to 10000" },
	{ "perp_maker", "1", "fees: perp_maker: '1' is not a fraction of "
	    "notional between -1 and 1" },
	{ "perp_taker", "nan", "fees: perp_taker: 'nan' is not a fraction "
	    "of notional between -1 and 1" },
	{ "perp_taker", "0.1%", "fees: perp_taker: '0.1%' is not a "
	    "fraction of notional between -1 and 1" },
	{ "cfd_rate", "-0.001", "fees: cfd_rate: '-0.001' is not a "
	    "fraction of notional, 0 <= x < 1" },
	{ "cfd_min", "-1", "fees: cfd_min: '-1' is not an amount >= 0" },
	{ "classes", "stock", "fees: classes: 'stock' is not a list of "
	    "equity, option, perp, cfd" },
	{ "classes", "equity,", "fees: classes: 'equity,' is not a list of "
	    "equity, option, perp, cfd" },
	{ "classes", "", "fees: classes: '' is not a list of equity, "
	    "option, perp, cfd" }
};

START_TEST(set_keys)
{
	struct fee_schedule s = *fee_lookup("alpaca"), before = s;
	struct sk_err e;
	int r = fee_set(&s, sets[_i].key, sets[_i].value, &e);

	if (sets[_i].msg == NULL) {
		ck_assert_msg(r == 0, "%s", e.msg);
		return;
	}
	ck_assert_int_eq(r, -1);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_str_eq(e.msg, sets[_i].msg);
	ck_assert(memcmp(&s, &before, sizeof(s)) == 0);
}
END_TEST

START_TEST(set_values)
{
	struct fee_schedule s = *fee_lookup("paper");
	struct sk_err e;

	ck_assert_int_eq(fee_set(&s, "taf_per_share", "0.000232", &e), 0);
	ck_assert_int_eq(s.taf_per_share, 232000);
	ck_assert_int_eq(fee_set(&s, "taf_cap", "11.61", &e), 0);
	ck_assert_int_eq(s.taf_cap, 1161 * FEE_NANO / 100);
	ck_assert_int_eq(fee_set(&s, "sec_per_million", "27.8", &e), 0);
	ck_assert_int_eq(s.sec_rate, 27800);
	ck_assert_int_eq(fee_set(&s, "multiplier", "10", &e), 0);
	ck_assert_int_eq(s.multiplier, 10);
	ck_assert_int_eq(fee_set(&s, "perp_taker", "0.0004", &e), 0);
	ck_assert_double_eq(s.perp_taker, 0.0004);
	ck_assert_int_eq(fee_set(&s, "classes", "perp,equity", &e), 0);
	ck_assert_uint_eq(s.classes, FEE_CLASS(FEE_PERP) |
	    FEE_CLASS(FEE_EQUITY));
}
END_TEST

/* Fills fee_fill refuses, and why. */
static const struct {
	const char	*broker;
	enum fee_class	 cls;
	enum fee_side	 side;
	double		 qty, price;
	const char	*msg;
} badfill[] = {
	{ "bybit", FEE_EQUITY, FEE_SELL, 1, 1,
	    "fees: bybit has no equity fees" },
	{ "alpaca", FEE_PERP, FEE_SELL, 1, 1,
	    "fees: alpaca has no perp fees" },
	{ "tradier", FEE_CFD, FEE_BUY, 1, 1,
	    "fees: tradier has no cfd fees" },
	{ "alpaca", (enum fee_class)7, FEE_SELL, 1, 1,
	    "fees: unknown asset class 7" },
	{ "alpaca", FEE_EQUITY, FEE_SELL, -1, 1,
	    "fees: quantity -1 is not a number >= 0" },
	{ "alpaca", FEE_EQUITY, FEE_SELL, NAN, 1,
	    "fees: quantity nan is not a number >= 0" },
	{ "alpaca", FEE_EQUITY, FEE_SELL, 1, -0.01,
	    "fees: price -0.01 is not a number >= 0" },
	{ "bybit", FEE_PERP, FEE_SELL, 1, INFINITY,
	    "fees: price inf is not a number >= 0" },
	{ "alpaca", FEE_OPTION, FEE_SELL, 1.5, 1,
	    "fees: 1.5 contracts: options fill in whole contracts" },
	{ "alpaca", FEE_EQUITY, FEE_SELL, 2e12, 1,
	    "fees: a fill of 2e+12 at 1 is too large to price" },
	{ "alpaca", FEE_EQUITY, FEE_SELL, 1e6, 2e6,
	    "fees: a fill of 1e+06 at 2e+06 is too large to price" },
	{ "alpaca", FEE_OPTION, FEE_SELL, 1e5, 2e5,
	    "fees: a fill of 100000 at 200000 is too large to price" },
	{ "alpaca", FEE_EQUITY, (enum fee_side)2, 1, 1,
	    "fees: unknown side 2" }
};

START_TEST(bad_fills)
{
	struct fee_bill b;
	struct sk_err e;

	memset(&b, 0xff, sizeof(b));
	ck_assert_int_eq(fee_fill(fee_lookup(badfill[_i].broker),
	    badfill[_i].cls, badfill[_i].side, badfill[_i].qty,
	    badfill[_i].price, 0, &b, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_str_eq(e.msg, badfill[_i].msg);
	ck_assert_int_eq(b.cents, 0);
	ck_assert(b.venue == 0);
}
END_TEST

/* The largest fill priced exactly: $10^12 sold at the SEC rate. */
START_TEST(large_fill)
{
	struct fee_bill b;
	struct sk_err e;

	ck_assert_int_eq(fee_fill(fee_lookup("alpaca"), FEE_EQUITY, FEE_SELL,
	    1e6, 1e6, 0, &b, &e), 0);
	ck_assert_int_eq(b.sec, 2060000000);	/* $20.6M */
	ck_assert_int_eq(b.taf, 979);
	ck_assert_int_eq(b.cat, 300);
}
END_TEST

static Suite *
fees_suite(void)
{
	Suite *s = suite_create("fees");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, us_fills, 0, N(us));
	tcase_add_loop_test(tc, perp_fills, 0, N(perp));
	tcase_add_test(tc, cfd_fills);
	tcase_add_loop_test(tc, funding_sign, 0, N(funding));
	tcase_add_test(tc, lookup);
	tcase_add_test(tc, defaults);
	tcase_add_loop_test(tc, set_keys, 0, N(sets));
	tcase_add_test(tc, set_values);
	tcase_add_loop_test(tc, bad_fills, 0, N(badfill));
	tcase_add_test(tc, large_fill);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fees_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
