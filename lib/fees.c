/*
 * fees.c: the built-in fee schedules, their dated sources, and the exact
 * integer arithmetic that turns a fill into cents the way the rules do.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fees.h"

/*
 * Products of a micro-unit quantity and a nano-dollar rate reach 10^33:
 * they are taken in 128 bits (GCC and Clang on 64-bit targets).
 */
__extension__ typedef unsigned __int128 u128;

#define MICRO		1000000LL	/* quantities, proceeds: 1e-6 units */
#define FEMTO_CENT	10000000000000LL	/* 1e-15 dollars to the cent */
#define MAX_UNITS	1e12		/* largest qty and notional priced */
#define MAX_MONEY	(1000000 * FEE_NANO)	/* largest rate: $1,000,000 */

#define US_CLASSES	(FEE_CLASS(FEE_EQUITY) | FEE_CLASS(FEE_OPTION))

/*
 * US regulatory fees, which brokers pass through: the SEC's and FINRA's
 * are the same everywhere; ORF, OCC and CAT come from the exchanges, OCC
 * and FINRA CAT, at rates some brokers blend.  Checked 2026-11 from
 * brokers' and projects' transcriptions of the primary schedules (the
 * search tool; the primary pages themselves were not fetched):
 *  - SEC Section 31: $20.60 per million of sale proceeds from
 *    2026-04-04 (SEC Fee Rate Advisory 2026-2, Release 34-104909 of
 *    2026-02-27; FINRA Information Notice 2026-03-17).  It was $27.80
 *    from 2024-05-22 and $0.00 from 2025-05-14 to 2026-04-03.
 *  - FINRA TAF, equities: $0.000195 a share sold, at most $9.79 a trade,
 *    from 2026-01-01 (SR-FINRA-2024-019 fee schedule, as stated in
 *    Alpaca's broker fee schedule); it rises to $0.000232 and $11.61 on
 *    2027-01-01.  FINRA proposed a $0 TAF for 2026-10-01..2026-12-31
 *    (SR-FINRA-2026-021); the default keeps the statutory rate so that
 *    costs are not understated; set taf_per_share 0 to model it.
 *  - FINRA TAF, options: $0.00329 a contract sold, at most $9.79 a trade,
 *    from 2026-01-01 (Robinhood's and Alpaca's 2026 schedules).  Some
 *    brokers round it to the nearest cent; this rounds up.
 *  - ORF $0.015 and OCC clearing $0.025 a contract, both sides; CAT
 *    $0.000003 an executed-equivalent share (100 a contract), both
 *    sides: Alpaca Securities Broker Fee Schedule, 2026-07-01 and
 *    2026-09-01 revisions.  ORF is a blend that differs by broker
 *    (Firstrade quoted $0.02375 for 2026-01-02).  OCC's $55 trade cap is
 *    Alpaca's regulatory-fees page (docs.alpaca.markets), set when the
 *    fee was $0.02 (2,750 contracts).
 */
#define US_REGULATORY \
	.sec_rate = 20600,			/* $20.60 / $1M */ \
	.taf_per_share = 195000,		/* $0.000195 */ \
	.taf_cap = 9790000000LL,		/* $9.79 */ \
	.opt_taf_per_contract = 3290000,	/* $0.00329 */ \
	.opt_taf_cap = 9790000000LL,		/* $9.79 */ \
	.orf_per_contract = 15000000,		/* $0.015 */ \
	.occ_per_contract = 25000000,		/* $0.025 */ \
	.occ_cap = 55000000000LL,		/* $55 */ \
	.cat_per_share = 3000,			/* $0.000003 */ \
	.multiplier = 100

/*
 * Bybit derivatives, base (non-VIP) tier: maker 0.02%, taker 0.055% of
 * notional (Bybit V5 /v5/account/fee-rate answers quoted by client
 * tests, and feeRate "0.00055" on the taker fills of the fixture
 * tests/fixtures/brokers/bybit/execution_list.json).  VIP tiers pay
 * less; set perp_maker and perp_taker.
 */
#define BYBIT_PERP \
	.perp_maker = 0.0002, \
	.perp_taker = 0.00055

static const struct fee_schedule builtin[] = {
	/*
	 * paper: a zero-commission US broker that still passes through
	 * every regulatory fee, and Bybit's base perpetual rates, so that
	 * simulated results are not better than live ones would be.  CFDs
	 * carry no commission: their cost is in the spread the fill pays.
	 */
	{
		.name = "paper",
		.classes = US_CLASSES | FEE_CLASS(FEE_PERP) |
		    FEE_CLASS(FEE_CFD),
		US_REGULATORY,
		BYBIT_PERP
	},
	/*
	 * tradier: no commission on stocks and ETFs; $0.35 a contract on
	 * equity and ETF options on the subscription-free Lite plan (Pro,
	 * $10 a month, makes them $0: set opt_per_contract 0).  Tradier's
	 * announcement via Benzinga, 2024-12-05.  Its own pass-through
	 * figures were not found; the regulators' are the same anywhere.
	 */
	{
		.name = "tradier",
		.classes = US_CLASSES,
		.opt_per_contract = 350000000,	/* $0.35 */
		US_REGULATORY
	},
	/*
	 * alpaca: no commission on stocks, ETFs or equity options through
	 * the API (Alpaca Broker Fee Schedule, 2026-07-01); regulatory fees
	 * passed through as above.
	 */
	{
		.name = "alpaca",
		.classes = US_CLASSES,
		US_REGULATORY
	},
	/* bybit: USDT perpetuals only. */
	{
		.name = "bybit",
		.classes = FEE_CLASS(FEE_PERP),
		BYBIT_PERP
	}
};

#define NBUILTIN	(sizeof(builtin) / sizeof(builtin[0]))

const struct fee_schedule *
fee_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NBUILTIN; i++)
		if (strcasecmp(builtin[i].name, name) == 0)
			return &builtin[i];
	return NULL;
}

const char *
fee_name(size_t i)
{
	return i < NBUILTIN ? builtin[i].name : NULL;
}

/*
 * Parse s, digits with an optional fraction and no sign, into an integer
 * scaled by 10^scale ("0.000195" at 9 is 195000).  Digits beyond scale
 * must be zeros: the value has to be exact.  -1 if it is not a number,
 * not exact, or over max.
 */
static int
parse_fixed(const char *s, int scale, int64_t max, int64_t *out)
{
	int64_t v = 0;
	int digits = 0, frac = -1;

	for (; *s != '\0'; s++) {
		if (*s == '.' && frac == -1) {
			frac = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		digits++;
		if (frac >= 0 && ++frac > scale) {
			if (*s != '0')
				return -1;
			continue;
		}
		if (v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (digits == 0)
		return -1;
	for (frac = frac < 0 ? 0 : frac; frac < scale; frac++) {
		if (v > max / 10)
			return -1;
		v *= 10;
	}
	*out = v;
	return 0;
}

/* A finite double from all of s, or -1. */
static int
parse_double(const char *s, double *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	*out = strtod(s, &end);
	if (*end != '\0' || !isfinite(*out))
		return -1;
	return 0;
}

/* The FEE_CLASS() bits of a list such as "equity,option", or -1. */
static int
parse_classes(const char *s, unsigned *out)
{
	static const char *const word[] = { "equity", "option", "perp",
	    "cfd" };
	size_t i, len;
	unsigned bits = 0;

	while (*s != '\0') {
		len = strcspn(s, ",");
		for (i = 0; i < 4; i++)
			if (strlen(word[i]) == len &&
			    strncmp(s, word[i], len) == 0)
				break;
		if (i == 4)
			return -1;
		bits |= FEE_CLASS(i);
		s += len;
		if (*s == ',' && *++s == '\0')
			return -1;
	}
	if (bits == 0)
		return -1;
	*out = bits;
	return 0;
}

enum key_kind {
	K_MONEY,	/* dollars, to nano-dollars */
	K_PERMILLION,	/* dollars per million, to nano-dollars a dollar */
	K_COUNT,	/* a whole number, 1 to 10000 */
	K_SIGNED,	/* a fraction of notional, |x| < 1 */
	K_RATE,		/* a fraction of notional, 0 <= x < 1 */
	K_AMOUNT,	/* an amount >= 0 */
	K_CLASSES
};

static const struct {
	const char	*name;
	enum key_kind	 kind;
	size_t		 off;
} keys[] = {
	{ "cat_per_share", K_MONEY, offsetof(struct fee_schedule,
	    cat_per_share) },
	{ "cfd_min", K_AMOUNT, offsetof(struct fee_schedule, cfd_min) },
	{ "cfd_rate", K_RATE, offsetof(struct fee_schedule, cfd_rate) },
	{ "classes", K_CLASSES, offsetof(struct fee_schedule, classes) },
	{ "eq_per_order", K_MONEY, offsetof(struct fee_schedule,
	    eq_per_order) },
	{ "eq_per_share", K_MONEY, offsetof(struct fee_schedule,
	    eq_per_share) },
	{ "multiplier", K_COUNT, offsetof(struct fee_schedule, multiplier) },
	{ "occ_cap", K_MONEY, offsetof(struct fee_schedule, occ_cap) },
	{ "occ_per_contract", K_MONEY, offsetof(struct fee_schedule,
	    occ_per_contract) },
	{ "opt_per_contract", K_MONEY, offsetof(struct fee_schedule,
	    opt_per_contract) },
	{ "opt_taf_cap", K_MONEY, offsetof(struct fee_schedule,
	    opt_taf_cap) },
	{ "opt_taf_per_contract", K_MONEY, offsetof(struct fee_schedule,
	    opt_taf_per_contract) },
	{ "orf_per_contract", K_MONEY, offsetof(struct fee_schedule,
	    orf_per_contract) },
	{ "perp_maker", K_SIGNED, offsetof(struct fee_schedule,
	    perp_maker) },
	{ "perp_taker", K_SIGNED, offsetof(struct fee_schedule,
	    perp_taker) },
	{ "sec_per_million", K_PERMILLION, offsetof(struct fee_schedule,
	    sec_rate) },
	{ "taf_cap", K_MONEY, offsetof(struct fee_schedule, taf_cap) },
	{ "taf_per_share", K_MONEY, offsetof(struct fee_schedule,
	    taf_per_share) }
};

#define NKEYS	(sizeof(keys) / sizeof(keys[0]))

/* What value must look like for a key of kind k, for the message. */
static const char *
key_wants(enum key_kind k)
{
	switch (k) {
	case K_MONEY:
		return "dollars >= 0, at most 9 decimals";
	case K_PERMILLION:
		return "dollars per million >= 0, at most 3 decimals";
	case K_COUNT:
		return "a whole number from 1 to 10000";
	case K_SIGNED:
		return "a fraction of notional between -1 and 1";
	case K_RATE:
		return "a fraction of notional, 0 <= x < 1";
	case K_AMOUNT:
		return "an amount >= 0";
	case K_CLASSES:
		break;
	}
	return "a list of equity, option, perp, cfd";
}

int
fee_set(struct fee_schedule *s, const char *key, const char *value,
    struct sk_err *e)
{
	char *base = (char *)s;
	size_t i;
	int64_t v = 0;
	double d = 0;
	unsigned bits = 0;
	int bad;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, key) == 0)
			break;
	if (i == NKEYS)
		return sk_errf(e, SK_DATA, "fees: unknown key '%.32s'", key);
	switch (keys[i].kind) {
	case K_MONEY:
		bad = parse_fixed(value, 9, MAX_MONEY, &v) == -1;
		break;
	case K_PERMILLION:
		bad = parse_fixed(value, 3, MAX_MONEY, &v) == -1;
		break;
	case K_COUNT:
		bad = parse_fixed(value, 0, 10000, &v) == -1 || v < 1;
		break;
	case K_SIGNED:
		bad = parse_double(value, &d) == -1 || !(fabs(d) < 1);
		break;
	case K_RATE:
		bad = parse_double(value, &d) == -1 || !(d >= 0 && d < 1);
		break;
	case K_AMOUNT:
		bad = parse_double(value, &d) == -1 || !(d >= 0);
		break;
	default:
		bad = parse_classes(value, &bits) == -1;
		break;
	}
	if (bad)
		return sk_errf(e, SK_DATA, "fees: %s: '%.32s' is not %s",
		    key, value, key_wants(keys[i].kind));
	switch (keys[i].kind) {
	case K_MONEY:
	case K_PERMILLION:
	case K_COUNT:
		memcpy(base + keys[i].off, &v, sizeof(v));
		break;
	case K_SIGNED:
	case K_RATE:
	case K_AMOUNT:
		memcpy(base + keys[i].off, &d, sizeof(d));
		break;
	case K_CLASSES:
		memcpy(base + keys[i].off, &bits, sizeof(bits));
		break;
	}
	return 0;
}

/* a / FEMTO_CENT, rounded up: a fee the rules round up to the cent. */
static int64_t
cents_up(u128 a)
{
	return (int64_t)((a + FEMTO_CENT - 1) / FEMTO_CENT);
}

/* a / FEMTO_CENT, to the nearest cent, halves up. */
static int64_t
cents_near(u128 a)
{
	return (int64_t)((a + FEMTO_CENT / 2) / FEMTO_CENT);
}

/* x * rate in femto-dollars, no more than cap (nano-dollars; 0: none). */
static u128
capped(int64_t x, int64_t rate, int64_t cap)
{
	u128 v = (u128)x * (u128)rate;

	if (cap > 0 && v > (u128)cap * MICRO)
		v = (u128)cap * MICRO;
	return v;
}

static const char *const class_name[] = { "equity", "option", "perp",
    "cfd" };

/* Check a fill's numbers; -1 with e filled. */
static int
check_fill(const struct fee_schedule *s, enum fee_class cls,
    enum fee_side side, double qty, double price, struct sk_err *e)
{
	if ((unsigned)cls > FEE_CFD)
		return sk_errf(e, SK_DATA, "fees: unknown asset class %d",
		    (int)cls);
	if (side != FEE_BUY && side != FEE_SELL)
		return sk_errf(e, SK_DATA, "fees: unknown side %d",
		    (int)side);
	if (!(s->classes & FEE_CLASS(cls)))
		return sk_errf(e, SK_DATA, "fees: %s has no %s fees", s->name,
		    class_name[cls]);
	if (!isfinite(qty) || qty < 0)
		return sk_errf(e, SK_DATA, "fees: quantity %g is not a "
		    "number >= 0", qty);
	if (!isfinite(price) || price < 0)
		return sk_errf(e, SK_DATA, "fees: price %g is not a number "
		    ">= 0", price);
	if (cls == FEE_OPTION && qty != floor(qty))
		return sk_errf(e, SK_DATA, "fees: %g contracts: options "
		    "fill in whole contracts", qty);
	if (qty > MAX_UNITS || qty * price *
	    (cls == FEE_OPTION ? (double)s->multiplier : 1) > MAX_UNITS)
		return sk_errf(e, SK_DATA, "fees: a fill of %g at %g is too "
		    "large to price", qty, price);
	return 0;
}

/* Commission, SEC, TAF, ORF, OCC and CAT of a US equity or option fill. */
static void
us_fill(const struct fee_schedule *s, enum fee_class cls,
    enum fee_side side, double qty, double price, struct fee_bill *b)
{
	int64_t mult = cls == FEE_OPTION ? s->multiplier : 1;
	int64_t units, proceeds;

	/*
	 * Round the inputs to a millionth first: that sheds the binary
	 * noise of 100 * 123.45, so a round-up below cannot add a cent
	 * that the decimal figures do not owe.
	 */
	units = llround(qty * MICRO);
	proceeds = llround(qty * price * (double)mult * MICRO);
	if (cls == FEE_EQUITY)
		b->commission = cents_near((u128)units * s->eq_per_share +
		    (u128)s->eq_per_order * MICRO);
	else {
		b->commission = cents_near((u128)units * s->opt_per_contract);
		b->orf = cents_up((u128)units * s->orf_per_contract);
		b->occ = cents_up(capped(units, s->occ_per_contract,
		    s->occ_cap));
	}
	b->cat = cents_up((u128)units * mult * s->cat_per_share);
	if (side == FEE_SELL) {
		b->sec = cents_up((u128)proceeds * s->sec_rate);
		if (cls == FEE_EQUITY)
			b->taf = cents_up(capped(units, s->taf_per_share,
			    s->taf_cap));
		else
			b->taf = cents_up(capped(units,
			    s->opt_taf_per_contract, s->opt_taf_cap));
	}
	b->cents = b->commission + b->sec + b->taf + b->orf + b->occ + b->cat;
}

int
fee_fill(const struct fee_schedule *s, enum fee_class cls,
    enum fee_side side, double qty, double price, int maker,
    struct fee_bill *b, struct sk_err *e)
{
	double notional;

	memset(b, 0, sizeof(*b));
	if (check_fill(s, cls, side, qty, price, e) == -1)
		return -1;
	if (qty == 0)
		return 0;
	notional = qty * price;
	switch (cls) {
	case FEE_EQUITY:
	case FEE_OPTION:
		us_fill(s, cls, side, qty, price, b);
		break;
	case FEE_PERP:
		b->venue = notional * (maker ? s->perp_maker : s->perp_taker);
		break;
	case FEE_CFD:
		b->venue = fmax(notional * s->cfd_rate, s->cfd_min);
		break;
	}
	return 0;
}

double
fee_funding(double qty, double mark, double rate)
{
	double flow = -(qty * mark * rate);

	return flow == 0 ? 0 : flow;	/* no -0 */
}
