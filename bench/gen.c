/*
 * gen: deterministic synthetic 1-minute bars for bench/run, as CSV
 * "ts,open,high,low,close,volume": weekdays only (no holiday calendar),
 * 390 bars a day at New York regular hours (09:30-15:59 local, in UTC
 * under the US DST rules of 2007 on), a random walk in cents.
 *
 * usage: gen days [seed]
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* splitmix64: small, fast, and the same everywhere. */
static uint64_t
next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, n). */
static long
below(uint64_t *s, long n)
{
	return (long)(next(s) % (uint64_t)n);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long
days_from_civil(long y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, long *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Sunday. */
static int
weekday(long day)
{
	return (int)(((day % 7) + 11) % 7);
}

/* The n-th Sunday (1-based) of month m of year y. */
static long
nth_sunday(long y, int m, int n)
{
	long first = days_from_civil(y, m, 1);

	return first + (7 - weekday(first)) % 7 + 7 * (n - 1);
}

/* New York's UTC offset in minutes on local date day (at 09:30). */
static int
ny_offset(long day)
{
	long y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	if (day >= nth_sunday(y, 3, 2) && day < nth_sunday(y, 11, 1))
		return -4 * 60;
	return -5 * 60;
}

int
main(int argc, char *argv[])
{
	uint64_t seed = 20190122;
	long days, day, price = 10000, n = 0;
	long y;
	int m, d, i, off;
	char *end;

	if (argc < 2 || argc > 3) {
		fputs("usage: gen days [seed]\n", stderr);
		return 2;
	}
	days = strtol(argv[1], &end, 10);
	if (*end != '\0' || days <= 0 || days > 100000) {
		fputs("gen: days: not a number from 1 to 100000\n", stderr);
		return 2;
	}
	if (argc == 3)
		seed = strtoull(argv[2], NULL, 10);
	puts("ts,open,high,low,close,volume");
	for (day = days_from_civil(2013, 1, 2); n < days; day++) {
		if (weekday(day) == 0 || weekday(day) == 6)
			continue;
		n++;
		off = ny_offset(day);
		civil_from_days(day, &y, &m, &d);
		/* An overnight gap of up to +-0.5 %. */
		price += (price * (below(&seed, 101) - 50)) / 10000;
		for (i = 0; i < 390; i++) {
			long o = price, c, h, l, v;
			int utc = 570 + i - off;	/* UTC minute of day */

			c = o + below(&seed, 11) - 5;
			/* Keep it positive, away from zero. */
			if (c < 1000)
				c = 2000 - c;
			h = (o > c ? o : c) + below(&seed, 4);
			l = (o < c ? o : c) - below(&seed, 4);
			/* Volume: a quiet base, and now and then a burst. */
			v = 20000 + below(&seed, 60000);
			if (below(&seed, 25) == 0)
				v *= 2 + below(&seed, 3);
			if (i == 0 || i == 389)
				v *= 4;
			printf("%04ld-%02d-%02dT%02d:%02d:00Z,", y, m, d,
			    utc / 60, utc % 60);
			printf("%ld.%02ld,%ld.%02ld,%ld.%02ld,%ld.%02ld,%ld\n",
			    o / 100, o % 100, h / 100, h % 100, l / 100,
			    l % 100, c / 100, c % 100, v);
			price = c;
		}
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("gen: stdout");
		return 1;
	}
	return 0;
}
