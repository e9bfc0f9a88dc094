/*
 * test_occ.c: lib/occ.c on hand-made symbols at every edge, on strikes
 * given as doubles, and on every OCC symbol in the broker fixtures
 * (tests/fixtures/brokers), each of which must survive a round trip.
 */
#include <sys/stat.h>

#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "occ.h"

#define BROKERS		SK_SRCDIR "/tests/fixtures/brokers"
#define MINFOUND	60	/* 80 symbols in the fixtures as copied */

static const struct {
	const char	*sym;
	const char	*root;
	int		 y, m, d;
	char		 right;
	int64_t		 strike;
	const char	*compact;	/* what occ_format() gives back */
} good[] = {
	{ "SPY250214C00603000", "SPY", 2025, 2, 14, 'C', 603000,
	    "SPY250214C00603000" },
	{ "SPY   250214C00603000", "SPY", 2025, 2, 14, 'C', 603000,
	    "SPY250214C00603000" },
	{ "SPXW250214P05000000", "SPXW", 2025, 2, 14, 'P', 5000000,
	    "SPXW250214P05000000" },
	{ "SPXW  250214P05000000", "SPXW", 2025, 2, 14, 'P', 5000000,
	    "SPXW250214P05000000" },
	{ "SPY250214C00602500", "SPY", 2025, 2, 14, 'C', 602500,
	    "SPY250214C00602500" },			/* a half strike */
	{ "F250117C00000500", "F", 2025, 1, 17, 'C', 500,
	    "F250117C00000500" },			/* 1-byte root, 0.5 */
	{ "F     250117C00000500", "F", 2025, 1, 17, 'C', 500,
	    "F250117C00000500" },
	{ "GOOGL1240621P00170000", "GOOGL1", 2024, 6, 21, 'P', 170000,
	    "GOOGL1240621P00170000" },			/* 6, with a digit */
	{ "QQQ240229C00432123", "QQQ", 2024, 2, 29, 'C', 432123,
	    "QQQ240229C00432123" },			/* leap day */
	{ "SPY991231P99999999", "SPY", 2099, 12, 31, 'P', 99999999,
	    "SPY991231P99999999" },			/* the top */
	{ "SPY000101C00000001", "SPY", 2000, 1, 1, 'C', 1,
	    "SPY000101C00000001" }			/* the bottom */
};

START_TEST(parses_good_symbols)
{
	char buf[OCC_BUFLEN];
	struct sk_err e;
	struct occ o;

	ck_assert_msg(occ_parse(&o, good[_i].sym, strlen(good[_i].sym),
	    &e) == 0, "%s", e.msg);
	ck_assert_str_eq(o.root, good[_i].root);
	ck_assert_int_eq(o.year, good[_i].y);
	ck_assert_int_eq(o.month, good[_i].m);
	ck_assert_int_eq(o.day, good[_i].d);
	ck_assert(o.expiry == clock_days(good[_i].y, good[_i].m,
	    good[_i].d));
	ck_assert_int_eq(o.right, good[_i].right);
	ck_assert(o.strike == good[_i].strike);
	ck_assert_int_eq(occ_format(&o, buf, &e), (int)strlen(
	    good[_i].compact));
	ck_assert_str_eq(buf, good[_i].compact);
	ck_assert_int_eq(occ_format_pad(&o, buf, &e), OCC_PADLEN);
	ck_assert_int_eq(strlen(buf), OCC_PADLEN);
	ck_assert(strncmp(buf, good[_i].root, strlen(good[_i].root)) == 0);
	ck_assert_str_eq(buf + OCC_PADLEN - OCC_TAIL, good[_i].compact +
	    strlen(good[_i].compact) - OCC_TAIL);
}
END_TEST

static const struct {
	const char	*sym;
	const char	*why;		/* in the message */
} bad[] = {
	{ "", "bytes" },
	{ "250214C00603000", "bytes" },			/* no root */
	{ "SPY250214C0060300", "date" },		/* 7-digit strike */
	{ "ABCDEFG250214C00603000", "bytes" },		/* 7-byte root */
	{ "SPY    250214C00603000", "bytes" },		/* padded to 7 */
	{ "SPY250214C006030000", "date" },		/* 9-digit strike */
	{ "spy250214C00603000", "root" },
	{ "SP.250214C00603000", "root" },
	{ "SPY 250214C00603000", "root" },		/* a space, not 21 */
	{ "   SPY250214C00603000", "root" },		/* padded on the left */
	{ "S PY  250214C00603000", "root" },
	{ "      250214C00603000", "root" },		/* all padding */
	{ "SPY\t\t\t250214C00603000", "root" },
	{ "SPY251314C00603000", "date" },		/* month 13 */
	{ "SPY250014C00603000", "date" },		/* month 0 */
	{ "SPY250200C00603000", "date" },		/* day 0 */
	{ "SPY250230C00603000", "date" },		/* 30 February */
	{ "SPY250229C00603000", "date" },		/* 2025 is not leap */
	{ "SPY250431C00603000", "date" },		/* 31 April */
	{ "SPY25O214C00603000", "date" },		/* letter O */
	{ "SPY-50214C00603000", "date" },
	{ "SPY250214X00603000", "right" },
	{ "SPY250214c00603000", "right" },
	{ "SPY250214 00603000", "right" },
	{ "SPY250214C0060300A", "strike" },
	{ "SPY250214C+0603000", "strike" },
	{ "SPY250214C 0603000", "strike" },
	{ "SPY250214C00000000", "strike" },		/* strike 0 */
	{ "SPY250214C-0603000", "strike" }
};

START_TEST(rejects_bad_symbols)
{
	struct sk_err e;
	struct occ o;

	e.status = SK_OK;
	e.msg[0] = '\0';
	ck_assert_msg(occ_parse(&o, bad[_i].sym, strlen(bad[_i].sym),
	    &e) == -1, "'%s' accepted", bad[_i].sym);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_msg(strstr(e.msg, bad[_i].why) != NULL, "'%s': '%s' "
	    "does not say %s", bad[_i].sym, e.msg, bad[_i].why);
}
END_TEST

/* The length is the caller's: a NUL or a trailing byte is not skipped. */
START_TEST(length_is_exact)
{
	const char nul[] = "SPY250214C00603000\0";
	struct sk_err e;
	struct occ o;

	ck_assert_int_eq(occ_parse(&o, nul, sizeof(nul) - 1, &e), -1);
	ck_assert_int_eq(occ_parse(&o, "SPY250214C00603000x", 18, &e), 0);
	ck_assert_int_eq(occ_parse(&o, "SPY250214C00603000x", 19, &e), -1);
	ck_assert_int_eq(occ_parse(&o, "SPY250214C00603000", 17, &e), -1);
	ck_assert_int_eq(occ_parse(&o, "SPY2502\0" "4C00603000", 18, &e), -1);
	/* A message never quotes unprintable bytes. */
	ck_assert_int_eq(occ_parse(&o, "S\001Y250214C00603000", 18, &e), -1);
	ck_assert(strchr(e.msg, '\001') == NULL);
}
END_TEST

START_TEST(set_and_format)
{
	char buf[OCC_BUFLEN];
	struct sk_err e;
	struct occ o, p;
	int64_t day = clock_days(2025, 2, 14);

	ck_assert_msg(occ_set(&o, "SPY", day, 'P', 602500, &e) == 0, "%s",
	    e.msg);
	ck_assert(o.year == 2025 && o.month == 2 && o.day == 14);
	ck_assert_int_eq(occ_format(&o, buf, &e), 18);
	ck_assert_str_eq(buf, "SPY250214P00602500");
	ck_assert_int_eq(occ_format_pad(&o, buf, &e), 21);
	ck_assert_str_eq(buf, "SPY   250214P00602500");
	ck_assert_int_eq(occ_parse(&p, buf, strlen(buf), &e), 0);
	ck_assert(memcmp(&o.root, &p.root, sizeof(o.root)) == 0);
	ck_assert(o.expiry == p.expiry && o.right == p.right &&
	    o.strike == p.strike);

	ck_assert_int_eq(occ_set(&o, "", day, 'C', 1000, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_int_eq(occ_set(&o, "SPYSPYX", day, 'C', 1000, &e), -1);
	ck_assert_int_eq(occ_set(&o, "spy", day, 'C', 1000, &e), -1);
	ck_assert_int_eq(occ_set(&o, "SPY", clock_days(1999, 12, 31), 'C',
	    1000, &e), -1);
	ck_assert_int_eq(occ_set(&o, "SPY", clock_days(2100, 1, 1), 'C',
	    1000, &e), -1);
	ck_assert_int_eq(occ_set(&o, "SPY", INT64_MAX, 'C', 1000, &e), -1);
	ck_assert_int_eq(occ_set(&o, "SPY", day, 'c', 1000, &e), -1);
	ck_assert_int_eq(occ_set(&o, "SPY", day, 'C' + 256, 1000, &e), -1);
	ck_assert_int_eq(occ_set(&o, "SPY", day, 'C', 0, &e), -1);
	ck_assert_int_eq(occ_set(&o, "SPY", day, 'C', OCC_STRIKEMAX + 1,
	    &e), -1);
	ck_assert_int_eq(occ_set(&o, "SPY", clock_days(2099, 12, 31), 'C',
	    OCC_STRIKEMAX, &e), 0);

	/* A struct filled by hand is checked before it is written. */
	ck_assert_int_eq(occ_set(&o, "SPY", day, 'C', 603000, &e), 0);
	p = o;
	p.expiry++;				/* date and day disagree */
	ck_assert_int_eq(occ_format(&p, buf, &e), -1);
	p = o;
	p.day = 30;
	p.month = 2;
	ck_assert_int_eq(occ_format(&p, buf, &e), -1);
	p = o;
	p.right = 'X';
	ck_assert_int_eq(occ_format(&p, buf, &e), -1);
	p = o;
	p.strike = -603000;
	ck_assert_int_eq(occ_format_pad(&p, buf, &e), -1);
	p = o;
	memset(p.root, 'A', sizeof(p.root));	/* no NUL */
	ck_assert_int_eq(occ_format(&p, buf, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
}
END_TEST

/* Strikes as doubles: the nearest thousandth, never a truncated one. */
static const struct {
	double		 x;
	int64_t		 k;		/* -1: refused */
} strikes[] = {
	{ 602.5, 602500 },
	{ 603.0, 603000 },
	{ 0.1 + 0.2, 300 },		/* 0.30000000000000004 */
	{ 1.005, 1005 },		/* x 1000 = 1004.9999999999999 */
	{ 4.35, 4350 },
	{ 0.5, 500 },
	{ 602.4999999, 602500 },
	{ 602.0004999, 602000 },
	{ 602.0005001, 602001 },
	{ 0.001, 1 },
	{ 99999.999, 99999999 },
	{ 99999.9994, 99999999 },
	{ 99999.9996, -1 },		/* rounds to 100000 */
	{ 0.0004, -1 },			/* rounds to 0 */
	{ 0.0, -1 },
	{ -602.5, -1 },
	{ 1e300, -1 },
	{ NAN, -1 },
	{ INFINITY, -1 },
	{ -INFINITY, -1 }
};

START_TEST(strike_rounds)
{
	int64_t k = 42;
	int r = occ_strike_round(strikes[_i].x, &k);

	if (strikes[_i].k == -1) {
		ck_assert_int_eq(r, -1);
		ck_assert(k == 42);
		return;
	}
	ck_assert_int_eq(r, 0);
	ck_assert_msg(k == strikes[_i].k, "%.17g: %lld, want %lld",
	    strikes[_i].x, (long long)k, (long long)strikes[_i].k);
}
END_TEST

/*
 * Every strike there is, 0.001 to 99999.999, through a double and back,
 * exactly.  A truncating conversion fails on many of them; count those
 * to show the test would notice.  Plain C in the loop: a check assertion
 * per value would take minutes.
 */
START_TEST(strike_round_trip_exhaustive)
{
	int64_t k, back = 0, wrong = 0, trunc = 0;
	double x;

	for (k = 1; k <= OCC_STRIKEMAX; k++) {
		x = occ_strike_value(k);
		if (occ_strike_round(x, &back) != 0 || back != k)
			wrong++;
		if ((int64_t)(x * 1000.0) != k)
			trunc++;
	}
	ck_assert_msg(wrong == 0, "%lld strikes lost", (long long)wrong);
	ck_assert_msg(trunc > 1000, "only %lld would truncate wrong",
	    (long long)trunc);
	ck_assert(occ_strike_value(602500) == 602.5);
	ck_assert(occ_strike_value(300) == 0.3);
}
END_TEST

/* The OCC symbols in the text of one fixture file. */
struct found {
	long	 n;
	long	 tradier, alpaca;
};

static int
alnum(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9');
}

static int
run_of(const char *s, size_t n, int (*is)(int))
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
is_upper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/*
 * The length of a symbol, root letters then 6 digits, C or P, 8 digits,
 * standing alone at s[i], or 0.
 */
static size_t
token_at(const char *s, size_t len, size_t i)
{
	size_t j = i, end;

	if (i > 0 && alnum(s[i - 1]))
		return 0;
	while (j < len && is_upper((unsigned char)s[j]))
		j++;
	if (j == i || j - i > OCC_ROOTMAX || len - j < OCC_TAIL)
		return 0;
	end = j + OCC_TAIL;
	if (!run_of(s + j, 6, is_digit) || (s[j + 6] != 'C' &&
	    s[j + 6] != 'P') || !run_of(s + j + 7, 8, is_digit))
		return 0;
	if (end < len && alnum(s[end]))
		return 0;
	return end - i;
}

static void
scan_file(const char *path, struct found *f)
{
	char buf[OCC_BUFLEN], *text;
	struct sk_err e;
	struct occ o, p;
	size_t len, i, n;
	FILE *fp;
	long size;

	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert(fseek(fp, 0, SEEK_END) == 0);
	size = ftell(fp);
	ck_assert(size >= 0 && fseek(fp, 0, SEEK_SET) == 0);
	text = malloc((size_t)size + 1);
	ck_assert(text != NULL);
	len = fread(text, 1, (size_t)size, fp);
	ck_assert(len == (size_t)size && !ferror(fp));
	fclose(fp);
	for (i = 0; i < len; i++) {
		n = token_at(text, len, i);
		if (n == 0)
			continue;
		ck_assert_msg(occ_parse(&o, text + i, n, &e) == 0, "%s: %s",
		    path, e.msg);
		ck_assert_int_eq(occ_format(&o, buf, &e), (int)n);
		ck_assert_msg(memcmp(buf, text + i, n) == 0, "%s: %.*s "
		    "came back as %s", path, (int)n, text + i, buf);
		ck_assert_int_eq(occ_format_pad(&o, buf, &e), OCC_PADLEN);
		ck_assert_int_eq(occ_parse(&p, buf, OCC_PADLEN, &e), 0);
		ck_assert(strcmp(o.root, p.root) == 0 && o.expiry ==
		    p.expiry && o.right == p.right && o.strike == p.strike);
		f->n++;
		if (strstr(path, "/tradier/") != NULL)
			f->tradier++;
		if (strstr(path, "/alpaca/") != NULL)
			f->alpaca++;
		i += n - 1;
	}
	free(text);
}

/* Every .json file under dir, depth first; sorted order is not needed. */
static void
scan_dir(const char *dir, int depth, struct found *f)
{
	char path[2048];
	struct dirent *d;
	struct stat st;
	size_t n;
	DIR *dp;

	dp = opendir(dir);
	ck_assert_msg(dp != NULL, "cannot open %s", dir);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		ck_assert((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    d->d_name) < sizeof(path));
		ck_assert(stat(path, &st) == 0);
		n = strlen(d->d_name);
		if (S_ISDIR(st.st_mode) && depth < 4)
			scan_dir(path, depth + 1, f);
		else if (S_ISREG(st.st_mode) && n > 5 &&
		    strcmp(d->d_name + n - 5, ".json") == 0)
			scan_file(path, f);
	}
	closedir(dp);
}

START_TEST(fixture_symbols_round_trip)
{
	struct found f = { 0, 0, 0 };

	scan_dir(BROKERS, 0, &f);
	ck_assert_msg(f.n >= MINFOUND, "only %ld OCC symbols in %s", f.n,
	    BROKERS);
	ck_assert_int_gt(f.tradier, 0);
	ck_assert_int_gt(f.alpaca, 0);
}
END_TEST

/* The scanner itself, so that a miss cannot hide as a pass. */
START_TEST(scanner_finds_tokens)
{
	const char *t = "[\"SPY250214C00603000\",SPXW250214P05000000 "
	    "XSPYABCD250214C00603000 SPY250214C006030001 aSPY250214C00603000 "
	    "SPY250214C00603000\"]";
	size_t len = strlen(t), i, n;
	int found = 0;

	for (i = 0; i < len; i++) {
		n = token_at(t, len, i);
		if (n == 0)
			continue;
		found++;
		i += n - 1;
	}
	ck_assert_int_eq(found, 3);
}
END_TEST

static Suite *
occ_suite(void)
{
	Suite *s = suite_create("occ");
	TCase *tc = tcase_create("occ");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, parses_good_symbols, 0,
	    sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, rejects_bad_symbols, 0,
	    sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, length_is_exact);
	tcase_add_test(tc, set_and_format);
	tcase_add_loop_test(tc, strike_rounds, 0,
	    sizeof(strikes) / sizeof(strikes[0]));
	tcase_add_test(tc, strike_round_trip_exhaustive);
	tcase_add_test(tc, scanner_finds_tokens);
	tcase_add_test(tc, fixture_symbols_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(occ_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
