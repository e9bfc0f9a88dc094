/*
 * occ.h: OCC option symbols (the OSI format), "SPY250214C00603000" and
 * its 21-character space-padded form "SPY   250214C00603000": root,
 * expiry YYMMDD, C or P, strike times 1000 in 8 digits.  Pure.
 */
#ifndef OCC_H
#define OCC_H

#include <stddef.h>
#include <stdint.h>

#include "sk.h"

#define OCC_ROOTMAX	6		/* root: 1 to 6 of A-Z, 0-9 */
#define OCC_TAIL	15		/* YYMMDD, C or P, 8 digits */
#define OCC_PADLEN	21		/* the padded form: root in 6 */
#define OCC_BUFLEN	22		/* either form and its NUL */
#define OCC_STRIKEMAX	99999999	/* thousandths: 99999.999 */

/*
 * A contract.  The expiry is held twice, as a calendar date (year 2000
 * to 2099, for the two-digit year) and as a day number, clock_days() of
 * that date; occ_parse() and occ_set() fill both.  The strike is an
 * integer in thousandths of the currency unit: 603000 is 603.000, and
 * 602500 is 602.5.
 */
struct occ {
	char		 root[OCC_ROOTMAX + 1];	/* "SPY", "SPXW" */
	int		 year, month, day;
	int64_t		 expiry;		/* days since 1970-01-01 */
	char		 right;			/* 'C' or 'P' */
	int64_t		 strike;		/* 1..OCC_STRIKEMAX */
};

/*
 * Parse the n bytes at s, either the compact form (16 to 21 bytes, no
 * spaces) or the padded one (exactly 21, the root left-justified in 6
 * and padded with spaces), into *o.  Returns 0, or -1 with e filled
 * (SK_DATA) and o unspecified if the length, a root character (upper-
 * case letters and digits only), the date, the right or the strike (8
 * digits, not all 0) is wrong.
 */
int	 occ_parse(struct occ *, const char *, size_t, struct sk_err *);

/*
 * Fill *o from a root (NUL-terminated), an expiry day number, a right
 * and a strike in thousandths, checked as occ_parse() checks them.
 * Returns 0, or -1 with e filled (SK_DATA).
 */
int	 occ_set(struct occ *, const char *, int64_t, int, int64_t,
	    struct sk_err *);

/*
 * Write the compact form ("SPY250214C00603000"), or with occ_format_pad
 * the 21-byte padded form, NUL-terminated into buf of OCC_BUFLEN bytes.
 * Returns its length, or -1 with e filled (SK_DATA) if a field is out
 * of range or the date and the day number disagree.
 */
int	 occ_format(const struct occ *, char *, struct sk_err *);
int	 occ_format_pad(const struct occ *, char *, struct sk_err *);

/*
 * A strike given as a number (602.5, or 0.1 + 0.2 with its float noise)
 * to thousandths, rounded to the nearest, never truncated: 1.005 * 1000
 * is 1004.9999999999999 in binary64 and must give 1005.  Returns 0, or -1
 * if the strike is not finite or does not round into 1..OCC_STRIKEMAX.
 */
int	 occ_strike_round(double, int64_t *);

/* Thousandths back to a number: the double nearest strike / 1000. */
double	 occ_strike_value(int64_t);

/*
 * What one unit of symbol is of its price: 100 (the standard equity
 * option contract) for an OCC symbol, else 1.  P&L, cash and notional
 * of a position are price x quantity x this.
 */
double	 occ_multiplier(const char *);

#endif
