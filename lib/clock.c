/*
 * clock.c: RFC 3339 instants, civil dates, and a small reader of the
 * TZif files that tzdata installs, so exchange rules follow DST exactly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"

static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Howard Hinnant's days_from_civil, valid for every proleptic date. */
int64_t
clock_days(int y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
clock_civil(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31,28,31,30,31,30,31,31,30,31,30,31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

int
clock_parse_day(const char *s, int64_t *day)
{
	int y, mo, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    digits(s, 4, &y) || digits(s + 5, 2, &mo) ||
	    digits(s + 8, 2, &d))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return -1;
	*day = clock_days(y, mo, d);
	return 0;
}

int
clock_parse_hhmm(const char *s, int *minute)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':' || digits(s, 2, &h) ||
	    digits(s + 3, 2, &m) || h > 23 || m > 59)
		return -1;
	*minute = h * 60 + m;
	return 0;
}

int
clock_parse(const char *s, size_t n, int64_t *ms)
{
	int y, mo, d, h, mi, sec, frac = 0, oh = 0, om = 0, sign = 0;
	size_t i = 19;

	if (n < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	if (digits(s, 4, &y) || digits(s + 5, 2, &mo) ||
	    digits(s + 8, 2, &d) || digits(s + 11, 2, &h) ||
	    digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return -1;
	if (s[i] == '.') {
		int nd = 0;

		/* Keep milliseconds; finer digits are read and dropped. */
		for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++, nd++)
			if (nd < 3)
				frac = frac * 10 + (s[i] - '0');
		if (nd == 0)
			return -1;
		for (; nd < 3; nd++)
			frac *= 10;
	}
	if (i < n && (s[i] == 'Z' || s[i] == 'z') && i + 1 == n)
		sign = 0;
	else if (i + 6 == n && (s[i] == '+' || s[i] == '-') &&
	    s[i + 3] == ':' && digits(s + i + 1, 2, &oh) == 0 &&
	    digits(s + i + 4, 2, &om) == 0 && oh < 24 && om < 60)
		sign = s[i] == '-' ? -1 : 1;
	else
		return -1;
	*ms = ((clock_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
	    sign * (oh * 3600 + om * 60)) * 1000) + frac;
	return 0;
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

void
clock_format_day(int64_t day, char *buf)
{
	int y, m, d;

	clock_civil(day, &y, &m, &d);
	snprintf(buf, 11, "%04d-%02d-%02d", y, m, d);
}

size_t
clock_format(int64_t ms, char *buf)
{
	int64_t day, rem;
	int y, m, d, msec;
	size_t n;

	day = ms >= 0 ? ms / CLOCK_DAY : -((-ms + CLOCK_DAY - 1) / CLOCK_DAY);
	rem = ms - day * CLOCK_DAY;
	clock_civil(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	put2(buf + 5, m);
	buf[7] = '-';
	put2(buf + 8, d);
	buf[10] = 'T';
	put2(buf + 11, (int)(rem / 3600000));
	buf[13] = ':';
	put2(buf + 14, (int)(rem / 60000 % 60));
	buf[16] = ':';
	put2(buf + 17, (int)(rem / 1000 % 60));
	n = 19;
	msec = (int)(rem % 1000);
	if (msec != 0) {
		buf[n++] = '.';
		buf[n++] = (char)('0' + msec / 100);
		buf[n++] = (char)('0' + msec / 10 % 10);
		buf[n++] = (char)('0' + msec % 10);
	}
	buf[n++] = 'Z';
	buf[n] = '\0';
	return n;
}

static int64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	if (n == 4)
		return (int32_t)(uint32_t)v;
	return (int64_t)v;
}

/*
 * Parse the version 2+ body of a TZif file (64-bit transitions); the
 * v1 body before it is skipped.  Instants past the last transition keep
 * its offset: Debian's "fat" files carry transitions to 2037.
 */
static int
tzif_parse(struct tz *z, const unsigned char *b, size_t len)
{
	size_t cnt[6], skip, p, i;
	int pass, tsz;
	const unsigned char *h = b;

	for (pass = 0; pass < 2; pass++) {
		if ((size_t)(h - b) + 44 > len || memcmp(h, "TZif", 4) != 0)
			return -1;
		for (i = 0; i < 6; i++)
			cnt[i] = (size_t)be(h + 20 + 4 * i, 4);
		/* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
		tsz = pass == 0 ? 4 : 8;
		skip = cnt[3] * tsz + cnt[3] + cnt[4] * 6 + cnt[5] +
		    cnt[2] * (tsz + 4) + cnt[1] + cnt[0];
		if (pass == 0) {
			if (h[4] < '2')
				return -1;	/* v1-only files: not shipped */
			h += 44 + skip;
		}
	}
	p = (size_t)(h - b) + 44;
	if (p + skip > len || cnt[4] == 0)
		return -1;
	z->n = cnt[3];
	z->at = xcalloc(z->n, sizeof(*z->at));
	z->off = xcalloc(z->n, sizeof(*z->off));
	for (i = 0; i < z->n; i++)
		z->at[i] = be(b + p + 8 * i, 8);
	for (i = 0; i < z->n; i++) {
		size_t t = b[p + 8 * z->n + i];

		if (t >= cnt[4])
			return -1;
		z->off[i] = (int32_t)be(b + p + 9 * z->n + 6 * t, 4);
	}
	/* RFC 8536: type 0 applies before the first transition. */
	z->off0 = (int32_t)be(b + p + 9 * z->n, 4);
	return 0;
}

int
tz_load(struct tz *z, const char *name, struct sk_err *e)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, r;
	FILE *fp;
	int rv = -1;

	memset(z, 0, sizeof(*z));
	sk_strlcpy(z->name, name, sizeof(z->name));
	z->lo = 1;	/* empty cache: lo > hi */
	if (strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0)
		return 0;	/* no transitions, offset 0 */
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if (strstr(name, "..") != NULL || name[0] == '/')
		return sk_errf(e, SK_DATA, "time zone '%s': not a zone name",
		    name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "rb");
	if (fp == NULL)
		return sk_errf(e, SK_IO, "time zone %s: %s", path,
		    strerror(errno));
	for (;;) {
		if (len == cap)
			buf = xrealloc(buf, cap = cap ? cap * 2 : 8192);
		r = fread(buf + len, 1, cap - len, fp);
		if (r == 0)
			break;
		len += r;
	}
	if (ferror(fp))
		sk_errf(e, SK_IO, "time zone %s: read error", path);
	else if (tzif_parse(z, buf, len) == -1)
		sk_errf(e, SK_DATA, "time zone %s: not a TZif v2 file", path);
	else
		rv = 0;
	fclose(fp);
	free(buf);
	if (rv == -1)
		tz_release(z);
	return rv;
}

void
tz_release(struct tz *z)
{
	free(z->at);
	free(z->off);
	z->at = NULL;
	z->off = NULL;
	z->n = 0;
}

int32_t
tz_offset(struct tz *z, int64_t ms)
{
	int64_t s = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	size_t lo, hi, mid;

	if (s >= z->lo && s < z->hi)
		return z->coff;
	if (z->n == 0 || s < z->at[0]) {
		z->lo = INT64_MIN;
		z->hi = z->n ? z->at[0] : INT64_MAX;
		return z->coff = z->off0;
	}
	/* Last transition at or before s. */
	lo = 0;
	hi = z->n;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (z->at[mid] <= s)
			lo = mid;
		else
			hi = mid;
	}
	z->lo = z->at[lo];
	z->hi = lo + 1 < z->n ? z->at[lo + 1] : INT64_MAX;
	return z->coff = z->off[lo];
}

void
tz_local(struct tz *z, int64_t ms, struct local *l)
{
	int64_t t = ms + (int64_t)tz_offset(z, ms) * 1000, day;

	day = t >= 0 ? t / CLOCK_DAY : -((-t + CLOCK_DAY - 1) / CLOCK_DAY);
	l->day = day;
	l->minute = (int)((t - day * CLOCK_DAY) / CLOCK_MIN);
	l->wday = (int)(((day % 7) + 11) % 7);	/* 1970-01-01 was a Thursday */
}

int64_t
tz_instant(struct tz *z, int64_t day, int minute)
{
	int64_t guess = (day * 1440 + minute) * CLOCK_MIN;
	int64_t t = guess - (int64_t)tz_offset(z, guess) * 1000;

	/* A second pass settles instants near a transition. */
	return guess - (int64_t)tz_offset(z, t) * 1000;
}
