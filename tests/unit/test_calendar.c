/*
 * test_calendar.c: lib/calendar.c over share/calendar/nyse.csv:
 * holidays, early closes, next/previous sessions, T+n settlement, the
 * guessed years outside the file, and the errors of a bad file.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar.h"
#include "clock.h"

#ifndef SK_SRCDIR
#define SK_SRCDIR "."
#endif
#define NYSE	SK_SRCDIR "/share/calendar/nyse.csv"

static int64_t
D(const char *s)
{
	int64_t d = 0;

	ck_assert_msg(clock_parse_day(s, &d) == 0, "bad day %s", s);
	return d;
}

static void
load_nyse(struct calendar *cal)
{
	struct sk_err e;

	ck_assert_msg(cal_load(cal, NYSE, &e) == 0, "%s", e.msg);
}

/* What the calendar says of single days. */
static const struct {
	const char	*day;
	int		 trading, open, close, settles, covered;
	const char	*note;		/* NULL: not checked */
} days[] = {
	/* full holidays */
	{ "2024-01-01", 0, -1, -1, 0, 1, "New Year's Day" },
	{ "2024-03-29", 0, -1, -1, 0, 1, "Good Friday" },
	{ "2024-06-19", 0, -1, -1, 0, 1, "Juneteenth" },
	{ "2024-11-28", 0, -1, -1, 0, 1, NULL },
	{ "2025-01-09", 0, -1, -1, 0, 1, NULL },	/* Carter */
	{ "2025-02-17", 0, -1, -1, 0, 1, "Washington's Birthday" },
	{ "2025-04-18", 0, -1, -1, 0, 1, "Good Friday" },
	{ "2026-07-03", 0, -1, -1, 0, 1, NULL },	/* observed */
	{ "2027-06-18", 0, -1, -1, 0, 1, NULL },
	{ "2027-12-24", 0, -1, -1, 0, 1, NULL },
	/* early closes at 13:00 */
	{ "2024-07-03", 1, 570, 780, 1, 1, NULL },
	{ "2024-11-29", 1, 570, 780, 1, 1, NULL },
	{ "2024-12-24", 1, 570, 780, 1, 1, "Christmas Eve" },
	{ "2025-11-28", 1, 570, 780, 1, 1, NULL },
	{ "2026-12-24", 1, 570, 780, 1, 1, NULL },
	{ "2027-11-26", 1, 570, 780, 1, 1, NULL },
	/* ordinary days, around the holidays */
	{ "2024-07-05", 1, 570, 960, 1, 1, "" },
	{ "2025-02-14", 1, 570, 960, 1, 1, "" },
	{ "2025-02-18", 1, 570, 960, 1, 1, "" },
	{ "2026-07-02", 1, 570, 960, 1, 1, "" },	/* no early close */
	{ "2027-12-31", 1, 570, 960, 1, 1, "" },	/* 2028-01-01 Sat */
	/* exchange open, banks shut */
	{ "2024-10-14", 1, 570, 960, 0, 1, NULL },
	{ "2025-11-11", 1, 570, 960, 0, 1, NULL },
	/* weekends */
	{ "2024-06-15", 0, -1, -1, 0, 1, "" },
	{ "2025-02-16", 0, -1, -1, 0, 1, "" },
	/* outside 2024-2027: weekdays guessed open, weekends closed */
	{ "2023-12-25", 1, 570, 960, 1, 0, "" },	/* really closed */
	{ "2023-12-30", 0, -1, -1, 0, 0, "" },
	{ "2028-01-03", 1, 570, 960, 1, 0, "" },
	{ "2028-01-01", 0, -1, -1, 0, 0, "" }
};

START_TEST(day_table)
{
	struct calendar cal;
	struct cal_session s;
	int64_t d = D(days[_i].day);

	load_nyse(&cal);
	ck_assert_int_eq(cal_session(&cal, d, &s), days[_i].trading);
	ck_assert_int_eq(s.trading, days[_i].trading);
	ck_assert_int_eq(cal_is_trading(&cal, d), days[_i].trading);
	ck_assert_int_eq(s.open, days[_i].open);
	ck_assert_int_eq(s.close, days[_i].close);
	ck_assert_int_eq(s.settles, days[_i].settles);
	ck_assert_int_eq(s.covered, days[_i].covered);
	ck_assert_int_eq(cal_covers(&cal, d), days[_i].covered);
	if (days[_i].note != NULL)
		ck_assert_str_eq(s.note, days[_i].note);
	cal_release(&cal);
}
END_TEST

/* Every listed early close is 13:00 and every weekday row is found. */
START_TEST(whole_file)
{
	struct calendar cal;
	size_t i, closed = 0, early = 0, nosettle = 0;

	load_nyse(&cal);
	ck_assert_int_eq(cal.first, D("2024-01-01"));
	ck_assert_int_eq(cal.last, D("2027-12-31"));
	for (i = 0; i < cal.n; i++) {
		switch (cal.row[i].kind) {
		case CAL_KIND_CLOSED:
			closed++;
			ck_assert(!cal_is_trading(&cal, cal.row[i].day));
			break;
		case CAL_KIND_EARLY:
			early++;
			ck_assert_int_eq(cal.row[i].close, CAL_EARLY);
			break;
		case CAL_KIND_NOSETTLE:
			nosettle++;
			break;
		}
	}
	/* 10 a year, 11 in 2025 (Carter); 3+3+2+1 early; 2 a year. */
	ck_assert_uint_eq(closed, 41);
	ck_assert_uint_eq(early, 9);
	ck_assert_uint_eq(nosettle, 8);
	cal_release(&cal);
}
END_TEST

static const struct {
	int		 minute;
	const char	*day;
	int		 open;
} inside[] = {
	{ 569, "2024-07-03", 0 }, { 570, "2024-07-03", 1 },
	{ 779, "2024-07-03", 1 }, { 780, "2024-07-03", 0 },
	{ 959, "2024-07-05", 1 }, { 960, "2024-07-05", 0 },
	{ 600, "2024-07-04", 0 }, { 600, "2024-07-06", 0 }
};

START_TEST(open_minutes)
{
	struct calendar cal;

	load_nyse(&cal);
	ck_assert_int_eq(cal_is_open(&cal, D(inside[_i].day),
	    inside[_i].minute), inside[_i].open);
	cal_release(&cal);
}
END_TEST

/* from, next, prev: next and previous sessions. */
static const struct {
	const char	*from, *next, *prev;
} steps[] = {
	/* Fri, then a weekend and MLK Monday */
	{ "2025-01-17", "2025-01-21", "2025-01-16" },
	{ "2025-01-21", "2025-01-22", "2025-01-17" },
	/* the weekend itself, and the holiday */
	{ "2025-01-18", "2025-01-21", "2025-01-17" },
	{ "2025-01-20", "2025-01-21", "2025-01-17" },
	/* Good Friday: Thu -> Mon */
	{ "2024-03-28", "2024-04-01", "2024-03-27" },
	{ "2024-04-01", "2024-04-02", "2024-03-28" },
	/* Carter day between two sessions */
	{ "2025-01-08", "2025-01-10", "2025-01-07" },
	/* Christmas 2027 observed on Friday the 24th */
	{ "2027-12-23", "2027-12-27", "2027-12-22" },
	/* an early close is a session */
	{ "2024-11-28", "2024-11-29", "2024-11-27" },
	/* Columbus Day trades */
	{ "2024-10-11", "2024-10-14", "2024-10-10" },
	/* across the edges of the file */
	{ "2027-12-31", "2028-01-03", "2027-12-30" },
	{ "2024-01-02", "2024-01-03", "2023-12-29" }
};

START_TEST(next_prev)
{
	struct calendar cal;
	int64_t d = D(steps[_i].from);

	load_nyse(&cal);
	ck_assert_int_eq(cal_next(&cal, d), D(steps[_i].next));
	ck_assert_int_eq(cal_prev(&cal, d), D(steps[_i].prev));
	ck_assert_int_eq(cal_add(&cal, d, 1), D(steps[_i].next));
	ck_assert_int_eq(cal_add(&cal, d, -1), D(steps[_i].prev));
	ck_assert_int_eq(cal_add(&cal, d, 0), d);
	cal_release(&cal);
}
END_TEST

/* trade date, n, settlement date (T+n) and n-th session (cal_add). */
static const struct {
	const char	*trade;
	int		 n;
	const char	*settle, *add;
} tn[] = {
	/* T+1 across Good Friday and its weekend */
	{ "2024-03-28", 1, "2024-04-01", "2024-04-01" },
	{ "2025-04-17", 1, "2025-04-21", "2025-04-21" },
	{ "2024-03-27", 2, "2024-04-01", "2024-04-01" },
	/* plain days and a weekend */
	{ "2025-02-05", 1, "2025-02-06", "2025-02-06" },
	{ "2025-02-07", 1, "2025-02-10", "2025-02-10" },
	{ "2025-02-14", 1, "2025-02-18", "2025-02-18" },	/* Presidents */
	{ "2025-02-07", 0, "2025-02-07", "2025-02-07" },
	/* early closes settle; Christmas does not */
	{ "2024-12-23", 1, "2024-12-24", "2024-12-24" },
	{ "2024-12-24", 1, "2024-12-26", "2024-12-26" },
	{ "2024-12-23", 2, "2024-12-26", "2024-12-26" },
	/* Columbus and Veterans Day: trading, no settlement */
	{ "2024-10-11", 1, "2024-10-15", "2024-10-14" },
	{ "2024-10-14", 1, "2024-10-15", "2024-10-15" },
	{ "2025-11-10", 1, "2025-11-12", "2025-11-11" },
	/* Carter day */
	{ "2025-01-08", 1, "2025-01-10", "2025-01-10" },
	/* T+3 over a long weekend and an observed holiday */
	{ "2026-07-01", 3, "2026-07-07", "2026-07-07" },
	/* into the guessed year */
	{ "2027-12-30", 2, "2028-01-03", "2028-01-03" }
};

START_TEST(settlement)
{
	struct calendar cal;
	int64_t d = D(tn[_i].trade);

	load_nyse(&cal);
	ck_assert_int_eq(cal_settle(&cal, d, tn[_i].n), D(tn[_i].settle));
	ck_assert_int_eq(cal_add(&cal, d, tn[_i].n), D(tn[_i].add));
	if (tn[_i].n > 0)
		ck_assert_int_eq(cal_add(&cal, D(tn[_i].add), -tn[_i].n),
		    cal_is_trading(&cal, d) ? d : cal_prev(&cal, d));
	cal_release(&cal);
}
END_TEST

/* With no file at all, every weekday is guessed to trade, in full. */
START_TEST(empty_calendar)
{
	struct calendar cal;
	struct cal_session s;

	cal_init(&cal);
	ck_assert_int_eq(cal_session(&cal, D("2024-03-29"), &s), 1);
	ck_assert_int_eq(s.covered, 0);
	ck_assert_int_eq(s.close, CAL_CLOSE);
	ck_assert_int_eq(cal_covers(&cal, D("2024-03-29")), 0);
	ck_assert_int_eq(cal_is_trading(&cal, D("2024-03-30")), 0);
	ck_assert_int_eq(cal_next(&cal, D("2024-03-28")), D("2024-03-29"));
	ck_assert_int_eq(cal_settle(&cal, D("2024-03-29"), 1),
	    D("2024-04-01"));
	ck_assert_int_eq(cal_session(&cal, D("2024-03-29"), NULL), 1);
	cal_release(&cal);
}
END_TEST

/* Bad files: what they hold, the status, and the message after "FILE". */
static const struct {
	const char	*text;
	int		 status;
	const char	*msg;
} badfile[] = {
	{ "", SK_DATA, ": no rows" },
	{ "# only a comment\n", SK_DATA, ": no rows" },
	{ "date,kind,close,note\n", SK_DATA, ": no rows" },
	{ "day,kind,close,note\n", SK_DATA,
	    ":1: expected the header date,kind,close,note" },
	{ "# c\n\ndate,kind,close,note\n2024-02-30,closed,,x\n", SK_DATA,
	    ":4: bad date '2024-02-30'" },
	{ "date,kind,close,note\n2024-07-04,closed\n", SK_DATA,
	    ":2: expected 4 fields: date,kind,close,note" },
	{ "date,kind,close,note\n2024-07-06,closed,,Sat\n", SK_DATA,
	    ":2: 2024-07-06 is a Saturday; list the weekday it is observed "
	    "on" },
	{ "date,kind,close,note\n2024-07-04,shut,,x\n", SK_DATA,
	    ":2: kind 'shut' is not closed, early or nosettle" },
	{ "date,kind,close,note\n2024-07-03,early,,x\n", SK_DATA,
	    ":2: early close '' is not a time HH:MM after 09:30 and before "
	    "16:00" },
	{ "date,kind,close,note\n2024-07-03,early,16:00,x\n", SK_DATA,
	    ":2: early close '16:00' is not a time HH:MM after 09:30 and "
	    "before 16:00" },
	{ "date,kind,close,note\n2024-07-04,closed,13:00,x\n", SK_DATA,
	    ":2: a closed day has no close time" },
	{ "date,kind,close,note\n2024-07-04,closed,,x\n"
	    "2024-07-03,early,13:00,y\n", SK_DATA,
	    ":3: 2024-07-03 is not after the row above; rows go in date "
	    "order, one per day" },
	{ "date,kind,close,note\n2024-07-04,closed,,x\n"
	    "2024-07-04,closed,,x\n", SK_DATA,
	    ":3: 2024-07-04 is not after the row above; rows go in date "
	    "order, one per day" },
	{ "date,kind,close,note\n2024-07-04,closed,,"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "\n", SK_DATA, ":2: note longer than 63 bytes" }
};

START_TEST(bad_files)
{
	char path[] = "/tmp/sk_calendar_XXXXXX", want[512];
	struct calendar cal;
	struct sk_err e;
	FILE *fp;
	int fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	fputs(badfile[_i].text, fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_int_eq(cal_load(&cal, path, &e), -1);
	unlink(path);
	ck_assert_int_eq(e.status, badfile[_i].status);
	snprintf(want, sizeof(want), "%s%s", path, badfile[_i].msg);
	ck_assert_str_eq(e.msg, want);
	ck_assert_ptr_null(cal.row);
	cal_release(&cal);
}
END_TEST

/* A good small file: notes keep commas, CRLF is fine, years are whole. */
START_TEST(small_file)
{
	char path[] = "/tmp/sk_calendar_XXXXXX";
	struct calendar cal;
	struct cal_session s;
	struct sk_err e;
	FILE *fp;
	int fd;

	ck_assert_int_ne(fd = mkstemp(path), -1);
	ck_assert_ptr_nonnull(fp = fdopen(fd, "w"));
	fputs("# test\r\ndate,kind,close,note\r\n"
	    "2030-07-03,early,12:30,eve, with a comma\r\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	ck_assert_msg(cal_load(&cal, path, &e) == 0, "%s", e.msg);
	unlink(path);
	ck_assert_int_eq(cal_session(&cal, D("2030-07-03"), &s), 1);
	ck_assert_int_eq(s.close, 750);
	ck_assert_str_eq(s.note, "eve, with a comma");
	ck_assert_int_eq(cal_covers(&cal, D("2030-01-01")), 1);
	ck_assert_int_eq(cal_covers(&cal, D("2030-12-31")), 1);
	ck_assert_int_eq(cal_covers(&cal, D("2031-01-01")), 0);
	ck_assert_int_eq(cal_covers(&cal, D("2029-12-31")), 0);
	cal_release(&cal);
}
END_TEST

START_TEST(missing_file)
{
	struct calendar cal;
	struct sk_err e;

	ck_assert_int_eq(cal_load(&cal, "/nonexistent/nyse.csv", &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_str_eq(e.msg,
	    "/nonexistent/nyse.csv: No such file or directory");
	cal_release(&cal);
}
END_TEST

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
calendar_suite(void)
{
	Suite *s = suite_create("calendar");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, day_table, 0, N(days));
	tcase_add_test(tc, whole_file);
	tcase_add_loop_test(tc, open_minutes, 0, N(inside));
	tcase_add_loop_test(tc, next_prev, 0, N(steps));
	tcase_add_loop_test(tc, settlement, 0, N(tn));
	tcase_add_test(tc, empty_calendar);
	tcase_add_loop_test(tc, bad_files, 0, N(badfile));
	tcase_add_test(tc, small_file);
	tcase_add_test(tc, missing_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(calendar_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
