/*
 * test_clock.c: lib/clock.c: RFC 3339 instants, civil dates, HH:MM, and
 * America/New_York from the tz database across both DST changes.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

/* 2024-03-10T07:00:00Z and friends, as ms since the epoch. */
static int64_t
at(const char *s)
{
	int64_t ms = 0;

	ck_assert_msg(clock_parse(s, strlen(s), &ms) == 0, "parse %s", s);
	return ms;
}

static int64_t
day_of(const char *s)
{
	int64_t d = 0;

	ck_assert_msg(clock_parse_day(s, &d) == 0, "parse day %s", s);
	return d;
}

static const struct {
	const char	*in;
	int64_t		 ms;
} good[] = {
	{ "1970-01-01T00:00:00Z", 0 },
	{ "2011-01-03T14:30:00Z", 1294065000000LL },
	{ "2011-01-03t14:30:00z", 1294065000000LL },
	{ "2011-01-03 14:30:00Z", 1294065000000LL },
	{ "2011-01-03T09:30:00-05:00", 1294065000000LL },
	{ "2011-01-03T15:30:00+01:00", 1294065000000LL },
	{ "2011-01-03T14:30:00+00:00", 1294065000000LL },
	{ "2011-01-03T14:30:00.5Z", 1294065000500LL },
	{ "2011-01-03T14:30:00.05Z", 1294065000050LL },
	{ "2011-01-03T14:30:00.123Z", 1294065000123LL },
	{ "2011-01-03T14:30:00.123999Z", 1294065000123LL },	/* dropped */
	{ "2011-01-03T14:30:00.001-05:00", 1294083000001LL },
	{ "2024-02-29T23:59:59Z", 1709251199000LL },
	{ "2000-02-29T00:00:00Z", 951782400000LL },
	{ "1969-12-31T23:59:59.999Z", -1 },
	{ "1900-01-01T00:00:00Z", -2208988800000LL },
	{ "9999-12-31T23:59:59Z", 253402300799000LL }
};

START_TEST(parse_good)
{
	int64_t ms = 42;
	const char *s = good[_i].in;

	ck_assert_msg(clock_parse(s, strlen(s), &ms) == 0, "%s", s);
	ck_assert_msg(ms == good[_i].ms, "%s: %lld, want %lld", s,
	    (long long)ms, (long long)good[_i].ms);
}
END_TEST

static const char *const bad[] = {
	"",
	"2011-01-03",
	"2011-01-03T14:30Z",
	"2011-01-03T14:30:00",		/* no zone */
	"2023-02-29T00:00:00Z",		/* not a leap year */
	"1900-02-29T00:00:00Z",		/* century, not leap */
	"2024-04-31T00:00:00Z",
	"2024-13-01T00:00:00Z",
	"2024-00-10T00:00:00Z",
	"2024-01-00T00:00:00Z",
	"2024-01-01T24:00:00Z",
	"2024-01-01T23:60:00Z",
	"2024-01-01T23:59:61Z",
	"2024-01-01T14:30:00.Z",	/* fraction without digits */
	"2024-01-01T14:30:00+0500",	/* offset without colon */
	"2024-01-01T14:30:00+24:00",
	"2024-01-01T14:30:00+05:60",
	"2024-01-01T14:30:00ZZ",
	"2024-01-01T14:30:00Z ",
	"2024-01-01X14:30:00Z",
	"2024/01/01T14:30:00Z",
	"20x4-01-01T14:30:00Z",
	"+024-01-01T14:30:00Z"
};

START_TEST(parse_bad)
{
	int64_t ms = 42;

	ck_assert_msg(clock_parse(bad[_i], strlen(bad[_i]), &ms) == -1,
	    "'%s' was accepted", bad[_i]);
	ck_assert_int_eq(ms, 42);
}
END_TEST

/* The length is the contract: bytes past n are not looked at. */
START_TEST(parse_uses_n)
{
	const char *s = "2011-01-03T14:30:00Zjunk";
	int64_t ms;

	ck_assert_int_eq(clock_parse(s, 20, &ms), 0);
	ck_assert_int_eq(ms, 1294065000000LL);
	ck_assert_int_eq(clock_parse(s, 21, &ms), -1);
	ck_assert_int_eq(clock_parse(s, 19, &ms), -1);
}
END_TEST

static const struct {
	int64_t		 ms;
	const char	*out;
} fmt[] = {
	{ 0, "1970-01-01T00:00:00Z" },
	{ 1294065000000LL, "2011-01-03T14:30:00Z" },
	{ 1294065000500LL, "2011-01-03T14:30:00.500Z" },
	{ 1294065000001LL, "2011-01-03T14:30:00.001Z" },
	{ -1, "1969-12-31T23:59:59.999Z" },
	{ -86400000LL, "1969-12-31T00:00:00Z" },
	{ 1709251199000LL, "2024-02-29T23:59:59Z" }
};

START_TEST(format_table)
{
	char buf[CLOCK_TSLEN];
	size_t n;

	n = clock_format(fmt[_i].ms, buf);
	ck_assert_str_eq(buf, fmt[_i].out);
	ck_assert_uint_eq(n, strlen(fmt[_i].out));
}
END_TEST

/* format then parse gives the instant back, over ~2 centuries. */
START_TEST(format_round_trip)
{
	char buf[CLOCK_TSLEN];
	int64_t ms, back;
	size_t n;

	for (ms = -2208988800000LL; ms < 4102444800000LL;
	    ms += 7777777777LL + 13) {
		n = clock_format(ms, buf);
		if (clock_parse(buf, n, &back) != 0 || back != ms)
			ck_abort_msg("%s: %lld != %lld", buf,
			    (long long)back, (long long)ms);
	}
}
END_TEST

static const struct {
	int	 y, m, d;
	int64_t	 day;
} civil[] = {
	{ 1970, 1, 1, 0 },
	{ 1969, 12, 31, -1 },
	{ 2000, 3, 1, 11017 },
	{ 2011, 1, 3, 14977 },
	{ 2024, 2, 29, 19782 },
	{ 1, 1, 1, -719162 },
	{ 0, 3, 1, -719468 },
	{ -1, 12, 31, -719529 },
	{ 9999, 12, 31, 2932896 }
};

START_TEST(days_table)
{
	int y, m, d;

	ck_assert_int_eq(clock_days(civil[_i].y, civil[_i].m, civil[_i].d),
	    civil[_i].day);
	clock_civil(civil[_i].day, &y, &m, &d);
	ck_assert_int_eq(y, civil[_i].y);
	ck_assert_int_eq(m, civil[_i].m);
	ck_assert_int_eq(d, civil[_i].d);
}
END_TEST

/* Every day from 1600 to 2400: civil(days) round trips, dates step by 1. */
START_TEST(days_round_trip)
{
	int64_t z, lo = clock_days(1600, 1, 1), hi = clock_days(2400, 12, 31);
	int y, m, d, py, pm, pd;

	clock_civil(lo - 1, &py, &pm, &pd);
	for (z = lo; z <= hi; z++) {
		clock_civil(z, &y, &m, &d);
		/* Plain tests in loops: each ck_assert writes to a pipe. */
		if (clock_days(y, m, d) != z)
			ck_abort_msg("day %lld does not round trip",
			    (long long)z);
		/* the next day of (py, pm, pd) is (y, m, d) */
		if (d == 1 ? m != pm % 12 + 1 || y != py + (m == 1) :
		    d != pd + 1 || m != pm || y != py)
			ck_abort_msg("day %lld: %d-%d-%d follows %d-%d-%d",
			    (long long)z, y, m, d, py, pm, pd);
		py = y;
		pm = m;
		pd = d;
	}
}
END_TEST

START_TEST(day_text)
{
	char buf[11];
	int64_t d;

	ck_assert_int_eq(clock_parse_day("2011-01-03", &d), 0);
	ck_assert_int_eq(d, 14977);
	clock_format_day(d, buf);
	ck_assert_str_eq(buf, "2011-01-03");
	clock_format_day(-1, buf);
	ck_assert_str_eq(buf, "1969-12-31");
	ck_assert_int_eq(clock_parse_day("2024-02-29", &d), 0);
	ck_assert_int_eq(clock_parse_day("2023-02-29", &d), -1);
	ck_assert_int_eq(clock_parse_day("2024-2-29", &d), -1);
	ck_assert_int_eq(clock_parse_day("2024-02-29 ", &d), -1);
	ck_assert_int_eq(clock_parse_day("2024-12-32", &d), -1);
}
END_TEST

static const struct {
	const char	*in;
	int		 min;	/* -1: rejected */
} hhmm[] = {
	{ "00:00", 0 }, { "09:30", 570 }, { "16:00", 960 },
	{ "23:59", 1439 }, { "24:00", -1 }, { "12:60", -1 },
	{ "9:30", -1 }, { "09:30:00", -1 }, { "0930", -1 },
	{ "", -1 }, { "ab:cd", -1 }
};

START_TEST(hhmm_table)
{
	int m = -7;

	if (hhmm[_i].min < 0) {
		ck_assert_int_eq(clock_parse_hhmm(hhmm[_i].in, &m), -1);
		ck_assert_int_eq(m, -7);
	} else {
		ck_assert_int_eq(clock_parse_hhmm(hhmm[_i].in, &m), 0);
		ck_assert_int_eq(m, hhmm[_i].min);
	}
}
END_TEST

/* Local time in New York of UTC instants, through both 2024 changes. */
static const struct {
	const char	*utc;
	const char	*day;
	int		 minute;	/* local */
	int		 wday;
	int32_t		 off;		/* seconds */
} ny[] = {
	{ "2011-01-03T14:30:00Z", "2011-01-03", 570, 1, -18000 },
	{ "2024-03-10T06:59:00Z", "2024-03-10", 119, 0, -18000 },
	{ "2024-03-10T06:59:59.999Z", "2024-03-10", 119, 0, -18000 },
	{ "2024-03-10T07:00:00Z", "2024-03-10", 180, 0, -14400 },
	{ "2024-11-03T05:00:00Z", "2024-11-03", 60, 0, -14400 },
	{ "2024-11-03T05:59:00Z", "2024-11-03", 119, 0, -14400 },
	{ "2024-11-03T06:00:00Z", "2024-11-03", 60, 0, -18000 },
	{ "2024-11-03T06:59:00Z", "2024-11-03", 119, 0, -18000 },
	{ "2024-07-15T19:55:00Z", "2024-07-15", 955, 1, -14400 },
	{ "2024-07-16T03:59:00Z", "2024-07-15", 1439, 1, -14400 },
	{ "2024-07-16T04:00:00Z", "2024-07-16", 0, 2, -14400 },
	{ "2025-01-01T04:59:00Z", "2024-12-31", 1439, 2, -18000 },
	{ "1960-06-01T16:00:00Z", "1960-06-01", 720, 3, -14400 },
	{ "1883-01-01T12:00:00Z", "1883-01-01", 423, 1, -17762 }	/* LMT */
};

START_TEST(ny_local)
{
	struct sk_err e;
	struct tz z;
	struct local l;
	int64_t ms = at(ny[_i].utc);

	ck_assert_msg(tz_load(&z, "America/New_York", &e) == 0, "%s", e.msg);
	ck_assert_int_eq(tz_offset(&z, ms), ny[_i].off);
	tz_local(&z, ms, &l);
	ck_assert_int_eq(l.day, day_of(ny[_i].day));
	ck_assert_int_eq(l.minute, ny[_i].minute);
	ck_assert_int_eq(l.wday, ny[_i].wday);
	tz_release(&z);
}
END_TEST

/* The cache must not stick: alternate across a transition. */
START_TEST(ny_cache)
{
	struct sk_err e;
	struct tz z;
	int64_t a = at("2024-03-10T06:59:00Z"), b = at("2024-03-10T07:00:00Z");
	int i;

	ck_assert_int_eq(tz_load(&z, "America/New_York", &e), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(tz_offset(&z, a), -18000);
		ck_assert_int_eq(tz_offset(&z, b), -14400);
		ck_assert_int_eq(tz_offset(&z, b + 1000), -14400);
		ck_assert_int_eq(tz_offset(&z, b - 1000), -18000);
	}
	tz_release(&z);
}
END_TEST

static const struct {
	const char	*day;
	int		 minute;
	const char	*utc;
} inst[] = {
	{ "2024-07-15", 955, "2024-07-15T19:55:00Z" },	/* EDT */
	{ "2024-01-16", 955, "2024-01-16T20:55:00Z" },	/* EST */
	{ "2024-03-08", 955, "2024-03-08T20:55:00Z" },	/* Fri before */
	{ "2024-03-11", 955, "2024-03-11T19:55:00Z" },	/* Mon after */
	{ "2024-11-01", 570, "2024-11-01T13:30:00Z" },
	{ "2024-11-04", 570, "2024-11-04T14:30:00Z" },
	{ "2011-01-03", 570, "2011-01-03T14:30:00Z" },
	{ "2024-03-10", 119, "2024-03-10T06:59:00Z" },	/* 01:59 EST */
	{ "2024-03-10", 180, "2024-03-10T07:00:00Z" },	/* 03:00 EDT */
	{ "2024-03-10", 0, "2024-03-10T05:00:00Z" },
	{ "2024-11-03", 0, "2024-11-03T04:00:00Z" },
	{ "2024-11-03", 180, "2024-11-03T08:00:00Z" }
};

START_TEST(ny_instant)
{
	struct sk_err e;
	struct tz z;

	ck_assert_int_eq(tz_load(&z, "America/New_York", &e), 0);
	ck_assert_int_eq(tz_instant(&z, day_of(inst[_i].day),
	    inst[_i].minute), at(inst[_i].utc));
	tz_release(&z);
}
END_TEST

/*
 * 2024-11-03 01:00-01:59 happens twice; tz_instant picks one of the two
 * (either is a correct instant for that wall time), and 02:00-02:59 on
 * 2024-03-10 does not exist; what matters for sessions is that every
 * minute from 03:00 on round trips.
 */
START_TEST(ny_ambiguous)
{
	struct sk_err e;
	struct tz z;
	struct local l;
	int64_t d = day_of("2024-11-03"), t;
	int m;

	ck_assert_int_eq(tz_load(&z, "America/New_York", &e), 0);
	t = tz_instant(&z, d, 90);
	ck_assert(t == at("2024-11-03T05:30:00Z") ||
	    t == at("2024-11-03T06:30:00Z"));
	tz_local(&z, t, &l);
	ck_assert_int_eq(l.minute, 90);
	for (m = 0; m < 1440; m++) {
		if (m >= 60 && m < 120)
			continue;
		tz_local(&z, tz_instant(&z, d, m), &l);
		if (l.day != d || l.minute != m)
			ck_abort_msg("minute %d does not round trip", m);
	}
	d = day_of("2024-03-10");
	for (m = 0; m < 1440; m++) {
		if (m >= 120 && m < 180)
			continue;
		tz_local(&z, tz_instant(&z, d, m), &l);
		if (l.day != d || l.minute != m)
			ck_abort_msg("minute %d does not round trip", m);
	}
	tz_release(&z);
}
END_TEST

/* Session minutes of every day 1990-2037 round trip through UTC. */
START_TEST(ny_sessions_round_trip)
{
	static const int mins[] = { 0, 570, 780, 955, 959, 1439 };
	struct sk_err e;
	struct tz z;
	struct local l;
	int64_t d, t;
	size_t i;

	ck_assert_int_eq(tz_load(&z, "America/New_York", &e), 0);
	for (d = clock_days(1990, 1, 1); d <= clock_days(2037, 12, 31); d++)
		for (i = 0; i < sizeof(mins) / sizeof(mins[0]); i++) {
			t = tz_instant(&z, d, mins[i]);
			tz_local(&z, t, &l);
			/* whole hours: the minute grid is the UTC grid */
			if (l.day != d || l.minute != mins[i] ||
			    t % CLOCK_MIN != 0)
				ck_abort_msg("day %lld minute %d: %lld",
				    (long long)d, mins[i], (long long)t);
		}
	tz_release(&z);
}
END_TEST

START_TEST(tz_utc_and_errors)
{
	struct sk_err e;
	struct tz z;
	struct local l;

	ck_assert_int_eq(tz_load(&z, "UTC", &e), 0);
	ck_assert_int_eq(tz_offset(&z, at("2024-07-15T19:55:00Z")), 0);
	tz_local(&z, at("2011-01-03T14:30:00Z"), &l);
	ck_assert_int_eq(l.minute, 870);
	tz_release(&z);

	ck_assert_int_eq(tz_load(&z, "Nowhere/Atlantis", &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_ptr_nonnull(strstr(e.msg, "Nowhere/Atlantis"));
	ck_assert_int_eq(tz_load(&z, "../etc/passwd", &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	ck_assert_int_eq(tz_load(&z, "/etc/passwd", &e), -1);
}
END_TEST

/* The minute of day the reference strategy keys on: 09:30 is 570. */
START_TEST(minute_of_first_bar)
{
	struct sk_err e;
	struct tz z;
	struct local l;

	ck_assert_int_eq(tz_load(&z, "America/New_York", &e), 0);
	tz_local(&z, at("2011-01-03T14:30:00Z"), &l);
	ck_assert_int_eq(l.minute, 570);
	ck_assert_int_eq(l.day, clock_days(2011, 1, 3));
	tz_release(&z);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
clock_suite(void)
{
	Suite *s = suite_create("clock");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, parse_good, 0, N(good));
	tcase_add_loop_test(tc, parse_bad, 0, N(bad));
	tcase_add_test(tc, parse_uses_n);
	tcase_add_loop_test(tc, format_table, 0, N(fmt));
	tcase_add_test(tc, format_round_trip);
	tcase_add_loop_test(tc, days_table, 0, N(civil));
	tcase_add_test(tc, days_round_trip);
	tcase_add_test(tc, day_text);
	tcase_add_loop_test(tc, hhmm_table, 0, N(hhmm));
	tcase_add_loop_test(tc, ny_local, 0, N(ny));
	tcase_add_test(tc, ny_cache);
	tcase_add_loop_test(tc, ny_instant, 0, N(inst));
	tcase_add_test(tc, ny_ambiguous);
	tcase_add_test(tc, ny_sessions_round_trip);
	tcase_add_test(tc, tz_utc_and_errors);
	tcase_add_test(tc, minute_of_first_bar);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(clock_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
