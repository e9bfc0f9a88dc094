/*
 * clock.h: time as the data tells it.  Instants are int64 milliseconds
 * since the Unix epoch (UTC); exchange-local dates and minutes come from
 * the IANA tz database (TZif files), read once, with no process globals.
 */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>
#include <stddef.h>

#include "sk.h"

#define CLOCK_MIN	60000LL
#define CLOCK_DAY	86400000LL
#define CLOCK_TSLEN	32	/* room for "YYYY-MM-DDTHH:MM:SS.mmmZ" */

/*
 * Parse an RFC 3339 instant of n bytes ("2011-01-03T14:30:00Z", optional
 * ".mmm" fraction, "Z" or "+hh:mm" offset) into *ms.  Returns 0, or -1
 * if the text is not such an instant.
 */
int	 clock_parse(const char *, size_t, int64_t *);

/*
 * Format ms as "YYYY-MM-DDTHH:MM:SSZ" (".mmm" added only when the
 * milliseconds are not zero) into buf of CLOCK_TSLEN; returns the length.
 */
size_t	 clock_format(int64_t, char *);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t	 clock_days(int, int, int);
void	 clock_civil(int64_t, int *, int *, int *);

/* Format a day number as "YYYY-MM-DD" into buf of at least 11 bytes. */
void	 clock_format_day(int64_t, char *);

/* Parse "YYYY-MM-DD" into a day number; 0 or -1. */
int	 clock_parse_day(const char *, int64_t *);

/* Parse "HH:MM" into minutes after midnight; 0 or -1. */
int	 clock_parse_hhmm(const char *, int *);

/*
 * A time zone: the transitions of one TZif file.  tz_load() fills it,
 * tz_release() frees what it owns.  Lookups keep a one-interval cache
 * in the struct, so a struct tz is not to be shared between threads.
 */
struct tz {
	char		 name[64];
	int64_t		*at;		/* transition instants, seconds */
	int32_t		*off;		/* UTC offset from at[i] on, seconds */
	size_t		 n;
	int32_t		 off0;		/* offset before the first transition */
	int64_t		 lo, hi;	/* cached interval [lo, hi), seconds */
	int32_t		 coff;		/* its offset */
};

/*
 * Load zone name ("America/New_York", "UTC") from $TZDIR or
 * /usr/share/zoneinfo.  Returns 0, or -1 with e filled (SK_IO).
 */
int	 tz_load(struct tz *, const char *, struct sk_err *);
void	 tz_release(struct tz *);

/* UTC offset in seconds in force at instant ms. */
int32_t	 tz_offset(struct tz *, int64_t);

/* Exchange-local view of an instant. */
struct local {
	int64_t		 day;		/* local date as days since epoch */
	int		 minute;	/* local minute of the day, 0..1439 */
	int		 wday;		/* 0 = Sunday */
};

void	 tz_local(struct tz *, int64_t, struct local *);

/* The instant of local date day at local minute; DST-correct. */
int64_t	 tz_instant(struct tz *, int64_t, int);

#endif
