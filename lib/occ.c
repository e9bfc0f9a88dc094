/*
 * occ.c: OCC option symbols read and written with every field checked;
 * a date is real when clock_days() and clock_civil() agree on it.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "occ.h"

#define SHOWN	32		/* room for a symbol quoted in a message */

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The n bytes at s as a number, or -1 if one is not a digit. */
static int64_t
digits(const char *s, int n)
{
	int64_t v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Up to 24 bytes of s for a message, unprintable bytes as '?'. */
static const char *
shown(char *buf, const char *s, size_t n)
{
	size_t i;

	if (n > 24)
		n = 24;
	for (i = 0; i < n; i++)
		buf[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[i] = '\0';
	return buf;
}

static int
root_ok(const char *r, size_t n)
{
	size_t i;

	if (n < 1 || n > OCC_ROOTMAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((r[i] >= 'A' && r[i] <= 'Z') || is_digit(r[i])))
			return 0;
	return 1;
}

/* A real date of 2000..2099, the years two digits can name. */
static int
date_ok(int64_t y, int64_t m, int64_t d)
{
	int cy, cm, cd;

	if (y < 2000 || y > 2099 || m < 1 || m > 12 || d < 1 || d > 31)
		return 0;
	clock_civil(clock_days((int)y, (int)m, (int)d), &cy, &cm, &cd);
	return cy == y && cm == m && cd == d;
}

/* Every field in range and the two expiries the same day. */
static int
occ_check(const struct occ *o, struct sk_err *e)
{
	const char *nul = memchr(o->root, '\0', sizeof(o->root));

	if (nul == NULL || !root_ok(o->root, (size_t)(nul - o->root)))
		return sk_errf(e, SK_DATA, "OCC root must be 1 to %d "
		    "upper-case letters or digits", OCC_ROOTMAX);
	if (!date_ok(o->year, o->month, o->day) ||
	    clock_days(o->year, o->month, o->day) != o->expiry)
		return sk_errf(e, SK_DATA, "OCC %s: expiry is not a date "
		    "of 2000 to 2099 matching its day number", o->root);
	if (o->right != 'C' && o->right != 'P')
		return sk_errf(e, SK_DATA, "OCC %s: right must be C or P",
		    o->root);
	if (o->strike < 1 || o->strike > OCC_STRIKEMAX)
		return sk_errf(e, SK_DATA, "OCC %s: strike must be 1 to %d "
		    "thousandths", o->root, OCC_STRIKEMAX);
	return 0;
}

int
occ_parse(struct occ *o, const char *s, size_t n, struct sk_err *e)
{
	char buf[SHOWN];
	const char *t;
	int64_t yy, mm, dd, k;
	size_t rn;

	if (n < 1 + OCC_TAIL || n > OCC_PADLEN)
		return sk_errf(e, SK_DATA, "OCC symbol '%s': %zu bytes, not "
		    "16 to 21", shown(buf, s, n), n);
	/* Only the padded form may end its root with spaces. */
	rn = n - OCC_TAIL;
	if (n == OCC_PADLEN)
		while (rn > 0 && s[rn - 1] == ' ')
			rn--;
	if (!root_ok(s, rn))
		return sk_errf(e, SK_DATA, "OCC symbol '%s': root must be 1 "
		    "to 6 upper-case letters or digits", shown(buf, s, n));
	t = s + n - OCC_TAIL;
	yy = digits(t, 2);
	mm = digits(t + 2, 2);
	dd = digits(t + 4, 2);
	if (yy < 0 || mm < 0 || dd < 0 || !date_ok(2000 + yy, mm, dd))
		return sk_errf(e, SK_DATA, "OCC symbol '%s': bad expiry "
		    "date", shown(buf, s, n));
	if (t[6] != 'C' && t[6] != 'P')
		return sk_errf(e, SK_DATA, "OCC symbol '%s': right must be C "
		    "or P", shown(buf, s, n));
	k = digits(t + 7, 8);
	if (k < 1)
		return sk_errf(e, SK_DATA, "OCC symbol '%s': strike must be "
		    "8 digits, not all 0", shown(buf, s, n));
	memcpy(o->root, s, rn);
	o->root[rn] = '\0';
	o->year = (int)(2000 + yy);
	o->month = (int)mm;
	o->day = (int)dd;
	o->expiry = clock_days(o->year, o->month, o->day);
	o->right = t[6];
	o->strike = k;
	return 0;
}

int
occ_set(struct occ *o, const char *root, int64_t day, int right,
    int64_t strike, struct sk_err *e)
{
	struct occ c;
	size_t n = strlen(root);

	if (!root_ok(root, n))
		return sk_errf(e, SK_DATA, "OCC root must be 1 to %d "
		    "upper-case letters or digits", OCC_ROOTMAX);
	memcpy(c.root, root, n + 1);
	/* Out of any range clock_civil() could misread as a date. */
	if (day < clock_days(2000, 1, 1) || day > clock_days(2099, 12, 31))
		return sk_errf(e, SK_DATA, "OCC %s: expiry day %lld is not "
		    "in 2000 to 2099", root, (long long)day);
	clock_civil(day, &c.year, &c.month, &c.day);
	c.expiry = day;
	c.right = right == 'C' || right == 'P' ? (char)right : '?';
	c.strike = strike;
	if (occ_check(&c, e) == -1)
		return -1;
	*o = c;
	return 0;
}

static int
occ_write(const struct occ *o, char *buf, const char *fmt, struct sk_err *e)
{
	int n;

	if (occ_check(o, e) == -1)
		return -1;
	n = snprintf(buf, OCC_BUFLEN, fmt, o->root, o->year % 100, o->month,
	    o->day, o->right, (long long)o->strike);
	/* Checked fields cannot overflow: 6 + 15 bytes at most. */
	if (n < 0 || n >= OCC_BUFLEN)
		return sk_errf(e, SK_DATA, "OCC %s: does not fit", o->root);
	return n;
}

int
occ_format(const struct occ *o, char *buf, struct sk_err *e)
{
	return occ_write(o, buf, "%s%02d%02d%02d%c%08lld", e);
}

int
occ_format_pad(const struct occ *o, char *buf, struct sk_err *e)
{
	return occ_write(o, buf, "%-6s%02d%02d%02d%c%08lld", e);
}

int
occ_strike_round(double strike, int64_t *k)
{
	double v;

	if (!isfinite(strike))
		return -1;
	/* round(), not a cast: a cast would truncate 1004.9999999999999. */
	v = round(strike * 1000.0);
	if (!(v >= 1.0 && v <= OCC_STRIKEMAX))
		return -1;
	*k = (int64_t)v;
	return 0;
}

double
occ_strike_value(int64_t k)
{
	return (double)k / 1000.0;
}

double
occ_multiplier(const char *symbol)
{
	struct occ o;
	struct sk_err e;

	return occ_parse(&o, symbol, strlen(symbol), &e) == 0 ? 100 : 1;
}
