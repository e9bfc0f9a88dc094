/*
 * calendar.h: the exchange's trading days and session hours, read from
 * a CSV of holidays and early closes (share/calendar/nyse.csv).  Days
 * are local dates as day numbers (clock.h); minutes are local minutes.
 */
#ifndef CALENDAR_H
#define CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "sk.h"

#define CAL_OPEN	570	/* 09:30, the open of every session */
#define CAL_CLOSE	960	/* 16:00, the close of a full session */
#define CAL_EARLY	780	/* 13:00, the usual early close */

enum cal_kind {
	CAL_KIND_CLOSED,	/* no session */
	CAL_KIND_EARLY,		/* a session that closes early */
	CAL_KIND_NOSETTLE	/* a full session, but banks are shut */
};

/* One row of the file: a day that is not an ordinary session. */
struct cal_row {
	int64_t		 day;
	enum cal_kind	 kind;
	int		 close;		/* CAL_KIND_EARLY: local minute */
	char		 note[64];	/* "Good Friday" */
};

/*
 * A loaded calendar.  It covers every day from January 1 of the year
 * of its first row to December 31 of the year of its last row; outside
 * that, weekdays are guessed to be full sessions and weekends closed.
 */
struct calendar {
	char		 file[512];
	struct cal_row	*row;		/* sorted by day, one per day */
	size_t		 n;
	int64_t		 first, last;	/* covered days, first > last: none */
};

/* What the calendar says of one day. */
struct cal_session {
	int		 trading;	/* 1 if there is a session */
	int		 open;		/* local minutes; -1 if no session */
	int		 close;		/* CAL_CLOSE, or earlier; -1 if none */
	int		 settles;	/* 1 if trades settle on this day */
	int		 covered;	/* 0: outside the file, guessed */
	const char	*note;		/* the row's note or ""; borrowed */
};

/*
 * Fill cal as a calendar that covers nothing: every weekday is guessed
 * to be a full session (for tests, or when no file is wanted).
 */
void	 cal_init(struct calendar *);

/*
 * Load the CSV at path: comment lines start with '#', then the header
 * "date,kind,close,note", then one row per day in increasing date
 * order: kind "closed" (close empty), "early" (close "HH:MM", after
 * 09:30 and before 16:00) or "nosettle" (exchange open, no settlement:
 * Columbus Day, Veterans Day), and a free-text note.  Returns 0, or -1
 * with e filled: SK_IO "path: reason" if unreadable, SK_DATA
 * "path:line: reason" for a bad row.  cal_release() frees what it owns.
 */
int	 cal_load(struct calendar *, const char *, struct sk_err *);
void	 cal_release(struct calendar *);

/* 1 if day is inside the years the file covers, 0 if answers are guessed. */
int	 cal_covers(const struct calendar *, int64_t);

/*
 * Describe day into *s (which may be NULL) and return s->trading:
 * 1 for a session from s->open to s->close (570 to 960, or 780 on an
 * early close), 0 for a closed day.
 */
int	 cal_session(const struct calendar *, int64_t, struct cal_session *);

/* 1 if day has a session. */
int	 cal_is_trading(const struct calendar *, int64_t);

/* 1 if local minute of day falls in its session: open <= minute < close. */
int	 cal_is_open(const struct calendar *, int64_t, int);

/*
 * The first trading day after day, and the last one before it.  Both
 * ends inside the covered years (cal_covers) means the answer is exact.
 */
int64_t	 cal_next(const struct calendar *, int64_t);
int64_t	 cal_prev(const struct calendar *, int64_t);

/*
 * The n-th trading day after day (n > 0) or before it (n < 0); day
 * itself for n = 0, whether or not it trades.
 */
int64_t	 cal_add(const struct calendar *, int64_t, int);

/*
 * Settlement date of a trade on day at T+n: the n-th day after it on
 * which the exchange trades and trades settle (so "nosettle" days are
 * skipped as well as closed ones); day itself for n <= 0.
 */
int64_t	 cal_settle(const struct calendar *, int64_t, int);

#endif
