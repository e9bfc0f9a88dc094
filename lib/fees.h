/*
 * fees.h: what one fill costs, per broker and asset class, as data:
 * commissions, the US regulatory pass-throughs (SEC Section 31, FINRA
 * TAF, ORF, OCC, CAT) in exact cents, and perpetual-swap fees and funding.
 */
#ifndef FEES_H
#define FEES_H

#include <stddef.h>
#include <stdint.h>

#include "sk.h"

/*
 * Money rates are integers in nano-dollars (FEE_NANO to the dollar) so
 * that the cent rounding the rules require is exact: $0.000195 a share
 * is 195000.  Perpetual and CFD rates are fractions of notional.
 */
#define FEE_NANO	1000000000LL

enum fee_class {
	FEE_EQUITY,	/* stocks and ETFs, per share */
	FEE_OPTION,	/* listed options, per contract */
	FEE_PERP,	/* crypto perpetual swaps, on notional */
	FEE_CFD		/* contracts for difference, on notional */
};

enum fee_side { FEE_BUY, FEE_SELL };

/* A schedule's classes member: the asset classes it prices. */
#define FEE_CLASS(c)	(1u << (c))

/*
 * One broker's schedule.  A plain struct: copy a default from
 * fee_lookup(), change fields directly or with fee_set(), pass it by
 * pointer.  Caps of 0 mean no cap.
 */
struct fee_schedule {
	char		 name[16];
	unsigned	 classes;		/* FEE_CLASS() bits */
	/* Commissions, nano-dollars. */
	int64_t		 eq_per_share;
	int64_t		 eq_per_order;		/* once per fill */
	int64_t		 opt_per_contract;
	/* Regulatory fees on sales (equities and options), nano-dollars. */
	int64_t		 sec_rate;		/* per dollar of proceeds */
	int64_t		 taf_per_share;
	int64_t		 taf_cap;		/* per trade */
	int64_t		 opt_taf_per_contract;
	int64_t		 opt_taf_cap;		/* per trade */
	/* Regulatory fees on options, buys and sells, nano-dollars. */
	int64_t		 orf_per_contract;
	int64_t		 occ_per_contract;
	int64_t		 occ_cap;		/* per trade */
	/* FINRA CAT, buys and sells, per executed-equivalent share. */
	int64_t		 cat_per_share;
	int64_t		 multiplier;		/* shares per option contract */
	/* Perpetuals and CFDs: fractions of notional. */
	double		 perp_maker, perp_taker;	/* < 0: a rebate */
	double		 cfd_rate;
	double		 cfd_min;		/* quote currency per fill */
};

/*
 * What a fill costs.  US components are whole cents, each rounded on
 * its own: sec and taf up to the cent as the rules say (taf then
 * capped); orf, occ and cat up to the cent too, an upper bound on
 * brokers that round a day's total instead; commission to the nearest
 * cent, halves up.  venue is the perpetual or CFD fee in the quote
 * currency, unrounded (the venue rounds to its own precision); < 0 is
 * a maker rebate.
 */
struct fee_bill {
	int64_t		 commission;
	int64_t		 sec, taf, orf, occ, cat;
	int64_t		 cents;		/* the sum of the six above */
	double		 venue;
};

/*
 * The built-in schedule for broker name ("paper", "tradier", "alpaca",
 * "bybit"; case-insensitive), or NULL if there is none.  Borrowed,
 * static, never freed.  The figures, dated, are in fees.c.
 */
const struct fee_schedule *fee_lookup(const char *);

/* The i-th built-in schedule's name, or NULL past the last. */
const char *fee_name(size_t);

/*
 * Set field key of s from the decimal text value, as a config line
 * would.  Money keys take dollars, exact to the nano-dollar and never
 * negative: eq_per_share, eq_per_order, opt_per_contract,
 * taf_per_share, taf_cap, opt_taf_per_contract, opt_taf_cap,
 * orf_per_contract, occ_per_contract, occ_cap, cat_per_share, and
 * sec_per_million (dollars per million of proceeds, "20.60").
 * multiplier takes a whole number, 1 to 10000; perp_maker and
 * perp_taker a fraction of notional ("0.00055", negative for a rebate);
 * cfd_rate a fraction and cfd_min an amount, both >= 0; classes a list
 * of the words equity, option, perp, cfd ("equity,option").  Returns 0,
 * or -1 with e (SK_DATA) naming the key and the fault; s is unchanged
 * then.
 */
int	 fee_set(struct fee_schedule *, const char *, const char *,
	    struct sk_err *);

/*
 * The fees of one fill of qty (shares, contracts or base units; >= 0;
 * whole contracts for options) at price (per share, the option premium
 * per share, or the quote price) into *b.  maker says the fill added
 * liquidity (perpetuals only).  Sales pay SEC and TAF; options pay ORF
 * and OCC both ways; CAT is paid both ways.  A zero qty costs nothing,
 * not even the per-order commission.  Returns 0, or -1 with e (SK_DATA)
 * for a class the schedule does not price, a negative, non-finite or
 * fractional-contract input, or a fill too large to price exactly
 * (over 10^12 units or $10^12); *b is zeroed then.
 */
int	 fee_fill(const struct fee_schedule *, enum fee_class, enum fee_side,
	    double, double, int, struct fee_bill *, struct sk_err *);

/*
 * Funding for one interval on a perpetual position of qty (> 0 long,
 * < 0 short) at mark price and funding rate: the signed cash flow to
 * the holder, -(qty * mark * rate).  A positive rate makes longs pay
 * shorts; a negative one, shorts pay longs.  Unrounded quote currency.
 */
double	 fee_funding(double, double, double);

#endif
