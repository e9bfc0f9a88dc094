/*
 * feed.h: the source side of fetch-quotes, bars from a replay file (CSV
 * or the project's NDJSON), validated and filtered, one record at a time,
 * for the fetch-quotes command and for the in-process backtest alike.
 */
#ifndef FEED_H
#define FEED_H

#include <stdint.h>

#include "clock.h"
#include "input.h"
#include "rec.h"
#include "sk.h"

struct cJSON;
struct journal;
struct feed_sym;

/* Regular hours: local start minutes 570 <= m < 960 (09:30-15:59). */
#define FEED_RTH_OPEN	570
#define FEED_RTH_CLOSE	960

enum feed_session {
	FEED_ALL = 0,	/* every bar */
	FEED_RTH	/* regular trading hours of US equities only */
};

enum feed_fmt {
	FEED_EMPTY = 0,	/* the source had no line at all */
	FEED_CSV,
	FEED_NDJSON
};

/*
 * What to read and what to keep.  Strings are borrowed and must outlive
 * the feed.  since and until are instants in ms (TS_UNSET for none):
 * a bar is kept if since < ts <= until.  FEED_RTH keeps a bar if its
 * start, in zone ("America/New_York" if NULL), is a minute m of the
 * day with FEED_RTH_OPEN <= m < FEED_RTH_CLOSE; there is no holiday
 * calendar here.
 */
struct feed_opts {
	const char		*symbol;	/* NULL: from the data */
	const char		*tf;		/* NULL: "1m" */
	enum feed_session	 session;
	const char		*zone;		/* of the session; NULL: NY */
	int64_t			 since;		/* exclusive */
	int64_t			 until;		/* inclusive */
	/* Where "replay:NAME" (no '/') is looked for if not found as is. */
	const char		*replay_dir;
	/*
	 * Resume from the journal: deliver per symbol only what follows
	 * the last bar a previous run saved with feed_save().  Borrowed.
	 */
	struct journal		*journal;
};

/* Fill o with the defaults: all sessions, no bounds, no journal. */
void	 feed_opts_init(struct feed_opts *);

struct feed {
	struct feed_opts	 opt;
	char			 source[1024];	/* as given: the cursor key */
	char			 path[1024];	/* the file read */
	char			*files[1];	/* for input_init */
	struct input		 in;
	enum feed_fmt		 fmt;
	char			 tf[8];
	int64_t			 tf_ms;
	/* CSV: the role of each column (enum in feed.c). */
	signed char		*role;
	int			 ncol;
	int			 has_sym;	/* a symbol column */
	/* NDJSON: the first line, read by feed_open(), not yet taken. */
	char			*pending;
	size_t			 pendlen;
	struct cJSON		*json;		/* of the last NDJSON line */
	struct tz		 tz;		/* for FEED_RTH */
	int			 have_tz;
	struct feed_sym		*sym;		/* per-symbol order, cursor */
	size_t			 nsym, capsym, last;
	/* Counts, for -v and for throughput. */
	long			 rows_in;	/* data rows, kept or not */
	long			 bars_out;	/* bars returned */
	long			 other_out;	/* other records returned */
	long			 skip_session;	/* outside the session */
	long			 skip_window;	/* since, until, resume */
	long			 skip_select;	/* other symbol or tf */
};

/*
 * Open source ("replay:FILE"; FILE may be gzip-compressed, "-" is
 * stdin) with the options in o, which are copied.  Reads the first line
 * to tell CSV (a header naming ts, open, high, low, close, volume and
 * optionally symbol, in any order and case; also timestamp or time, and
 * o h l c v) from NDJSON (a line starting with '{').  On success the
 * caller releases f with feed_close().  Returns 0, or -1 with e filled
 * and nothing to release: SK_USAGE for a bad source, tf or symbol,
 * SK_IO for a file that cannot be read, SK_DATA "FILE:1: ..." for a bad
 * header, SK_IO or SK_DATA for the time zone or the journal.  f must
 * not be moved while it is open: its reader points into it.
 */
int	 feed_open(struct feed *, const char *, const struct feed_opts *,
	    struct sk_err *);

/*
 * Next record into r.  A CSV row becomes a bar made here (raw NULL, so
 * the writer serializes it); an NDJSON line keeps its raw text and goes
 * out as read.  Every row is validated (RFC 3339 ts, high >= low, open
 * and close within low..high, volume a non-negative decimal number,
 * ts strictly increasing per symbol), then dropped if it is another
 * symbol or tf than asked for, outside the session, or outside the
 * since/until/resume window.  Records other than bars in NDJSON pass
 * unchanged; those with a "ts" obey the window too.  Returns 1 with r
 * filled (valid until the next call), 0 at the end, or -1 with e filled:
 * SK_DATA "FILE:LINE: reason", SK_IO for a read or journal error.
 */
int	 feed_next(struct feed *, struct rec *, struct sk_err *);

/*
 * Save in the journal given in the options, in one transaction, the ts
 * of the last record returned for each symbol, under stage
 * "fetch-quotes" and key "SOURCE|SYMBOL", so that the next feed with
 * the same source and journal resumes after it.  Call it only once what
 * was returned is safely delivered.  A feed without a journal saves
 * nothing.  Returns 0, or -1 with e filled (SK_IO).
 */
int	 feed_save(struct feed *, struct sk_err *);

/* Free what f owns (not the journal); f may be opened again. */
void	 feed_close(struct feed *);

#endif
