/*
 * calendar.c: the exchange calendar: a sorted table of the days that
 * are not ordinary sessions, read from CSV, and the questions asked of
 * it (trading day? hours? next session? settlement date?).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"

#define CAL_HEADER	"date,kind,close,note"

void
cal_init(struct calendar *cal)
{
	memset(cal, 0, sizeof(*cal));
	cal->first = 1;		/* first > last: covers nothing */
	cal->last = 0;
}

void
cal_release(struct calendar *cal)
{
	free(cal->row);
	cal->row = NULL;
	cal->n = 0;
}

static int
weekday(int64_t day)
{
	return (int)(((day % 7) + 11) % 7);	/* 1970-01-01: Thursday */
}

/* Parse one data line into r; -1 with e naming file:line. */
static int
parse_row(const struct calendar *cal, char *line, long lineno,
    struct cal_row *r, struct sk_err *e)
{
	static const char *const wd[] = { "Sunday", "Saturday" };
	char *rest = line, *date, *kind, *close;

	date = sk_field(&rest);
	kind = sk_field(&rest);
	close = sk_field(&rest);
	if (kind == NULL || close == NULL || rest == NULL)
		return sk_errf(e, SK_DATA, "%s:%ld: expected 4 fields: %s",
		    cal->file, lineno, CAL_HEADER);
	memset(r, 0, sizeof(*r));
	if (clock_parse_day(date, &r->day) == -1)
		return sk_errf(e, SK_DATA, "%s:%ld: bad date '%.16s'",
		    cal->file, lineno, date);
	if (weekday(r->day) == 0 || weekday(r->day) == 6)
		return sk_errf(e, SK_DATA, "%s:%ld: %s is a %s; list the "
		    "weekday it is observed on", cal->file, lineno, date,
		    wd[weekday(r->day) == 6]);
	if (strcmp(kind, "closed") == 0)
		r->kind = CAL_KIND_CLOSED;
	else if (strcmp(kind, "early") == 0)
		r->kind = CAL_KIND_EARLY;
	else if (strcmp(kind, "nosettle") == 0)
		r->kind = CAL_KIND_NOSETTLE;
	else
		return sk_errf(e, SK_DATA, "%s:%ld: kind '%.16s' is not "
		    "closed, early or nosettle", cal->file, lineno, kind);
	if (r->kind == CAL_KIND_EARLY) {
		if (clock_parse_hhmm(close, &r->close) == -1 ||
		    r->close <= CAL_OPEN || r->close >= CAL_CLOSE)
			return sk_errf(e, SK_DATA, "%s:%ld: early close "
			    "'%.16s' is not a time HH:MM after 09:30 and "
			    "before 16:00", cal->file, lineno, close);
	} else if (*close != '\0')
		return sk_errf(e, SK_DATA, "%s:%ld: a %s day has no close "
		    "time", cal->file, lineno, kind);
	if (strlen(rest) >= sizeof(r->note))
		return sk_errf(e, SK_DATA, "%s:%ld: note longer than %zu "
		    "bytes", cal->file, lineno, sizeof(r->note) - 1);
	memcpy(r->note, rest, strlen(rest) + 1);
	if (cal->n > 0 && r->day <= cal->row[cal->n - 1].day)
		return sk_errf(e, SK_DATA, "%s:%ld: %s is not after the "
		    "row above; rows go in date order, one per day",
		    cal->file, lineno, date);
	return 0;
}

/* Read the file's lines into cal; -1 with e filled. */
static int
read_rows(struct calendar *cal, FILE *fp, struct sk_err *e)
{
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	ssize_t len;
	long lineno = 0;
	int header = 0, rv = -1;

	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (strlen(line) != (size_t)len) {
			sk_errf(e, SK_DATA, "%s:%ld: NUL byte in line",
			    cal->file, lineno);
			goto out;
		}
		if (!header) {
			if (strcmp(line, CAL_HEADER) != 0) {
				sk_errf(e, SK_DATA, "%s:%ld: expected the "
				    "header %s", cal->file, lineno,
				    CAL_HEADER);
				goto out;
			}
			header = 1;
			continue;
		}
		if (cal->n == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			cal->row = xrealloc(cal->row,
			    alloc * sizeof(*cal->row));
		}
		if (parse_row(cal, line, lineno, &cal->row[cal->n], e) == -1)
			goto out;
		cal->n++;
	}
	if (ferror(fp))
		sk_errf(e, SK_IO, "%s: %s", cal->file, strerror(errno));
	else if (cal->n == 0)
		sk_errf(e, SK_DATA, "%s: no rows", cal->file);
	else
		rv = 0;
out:
	free(line);
	return rv;
}

int
cal_load(struct calendar *cal, const char *path, struct sk_err *e)
{
	FILE *fp;
	int y, m, d, y2;

	cal_init(cal);
	sk_strlcpy(cal->file, path, sizeof(cal->file));
	fp = fopen(path, "r");
	if (fp == NULL)
		return sk_errf(e, SK_IO, "%s: %s", path, strerror(errno));
	if (read_rows(cal, fp, e) == -1) {
		fclose(fp);
		cal_release(cal);
		cal_init(cal);
		return -1;
	}
	fclose(fp);
	/* Whole years: a year with rows is taken to list all its days. */
	clock_civil(cal->row[0].day, &y, &m, &d);
	clock_civil(cal->row[cal->n - 1].day, &y2, &m, &d);
	cal->first = clock_days(y, 1, 1);
	cal->last = clock_days(y2, 12, 31);
	return 0;
}

int
cal_covers(const struct calendar *cal, int64_t day)
{
	return day >= cal->first && day <= cal->last;
}

static const struct cal_row *
find_row(const struct calendar *cal, int64_t day)
{
	size_t lo = 0, hi = cal->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cal->row[mid].day < day)
			lo = mid + 1;
		else if (cal->row[mid].day > day)
			hi = mid;
		else
			return &cal->row[mid];
	}
	return NULL;
}

int
cal_session(const struct calendar *cal, int64_t day, struct cal_session *s)
{
	struct cal_session tmp;
	const struct cal_row *r;
	int wd = weekday(day);

	if (s == NULL)
		s = &tmp;
	s->covered = cal_covers(cal, day);
	s->note = "";
	s->trading = wd != 0 && wd != 6;
	s->open = CAL_OPEN;
	s->close = CAL_CLOSE;
	s->settles = s->trading;
	if (s->covered && (r = find_row(cal, day)) != NULL) {
		s->note = r->note;
		switch (r->kind) {
		case CAL_KIND_CLOSED:
			s->trading = s->settles = 0;
			break;
		case CAL_KIND_EARLY:
			s->close = r->close;
			break;
		case CAL_KIND_NOSETTLE:
			s->settles = 0;
			break;
		}
	}
	if (!s->trading)
		s->open = s->close = -1;
	return s->trading;
}

int
cal_is_trading(const struct calendar *cal, int64_t day)
{
	return cal_session(cal, day, NULL);
}

int
cal_is_open(const struct calendar *cal, int64_t day, int minute)
{
	struct cal_session s;

	return cal_session(cal, day, &s) && minute >= s.open &&
	    minute < s.close;
}

int64_t
cal_next(const struct calendar *cal, int64_t day)
{
	/* Ends: weekdays outside the covered years always trade. */
	do
		day++;
	while (!cal_is_trading(cal, day));
	return day;
}

int64_t
cal_prev(const struct calendar *cal, int64_t day)
{
	do
		day--;
	while (!cal_is_trading(cal, day));
	return day;
}

int64_t
cal_add(const struct calendar *cal, int64_t day, int n)
{
	for (; n > 0; n--)
		day = cal_next(cal, day);
	for (; n < 0; n++)
		day = cal_prev(cal, day);
	return day;
}

int64_t
cal_settle(const struct calendar *cal, int64_t day, int n)
{
	struct cal_session s;

	for (; n > 0; n--) {
		do
			day++;
		while (!cal_session(cal, day, &s) || !s.settles);
	}
	return day;
}
