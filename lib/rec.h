/*
 * rec.h: NDJSON records over cJSON.  A record read from input keeps its
 * raw line, so records a stage does not consume, or does not change, go
 * out byte for byte; the types stages act on are decoded into structs,
 * which is also how stages hand records to each other in one process.
 * scalpkit(7) is the contract for every type and field.
 */
#ifndef REC_H
#define REC_H

#include <stdint.h>
#include <stdio.h>

#include "input.h"
#include "sk.h"

struct cJSON;

enum rec_type {
	REC_OTHER = 0,	/* any type no stage decodes: passes through */
	REC_BAR,
	REC_SIGNAL,
	REC_ORDER,
	REC_REJECT,
	REC_ACK,
	REC_FILL,
	REC_QUOTE,
	REC_FUNDING,
	REC_ACCOUNT,
	REC_POSITION,
	REC_CANCEL,
	REC_OPTION,
	REC_WORKING,
	REC_NTYPES
};
#define REC_MASK(t)	(1u << (t))

#define REC_SYM		32
#define REC_ID		80
#define REC_WORD	24
#define REC_TEXT	200
#define REC_IND_MAX	64
#define REC_REASONS	8
#define TS_UNSET	INT64_MIN

/*
 * Indicator values of a bar, by name.  Names are borrowed: string
 * literals for computed values, or the parsed input for values read.
 */
struct ind {
	int		 n;
	int		 overflow;	/* a value did not fit: an error */
	/* Set by a stage that sets only new, distinct names (it found
	 * the bar without an ind): ind_set() appends without looking. */
	int		 fresh;
	struct {
		const char	*name;
		double		 v;
	}		 kv[REC_IND_MAX];
};

struct bar {
	char		 symbol[REC_SYM];
	char		 tf[8];		/* "1m", "10m", "1h"... */
	int64_t		 tf_ms;		/* the same, in milliseconds */
	int64_t		 ts;		/* bar open */
	double		 o, h, l, c, v;
	int		 had_ind;	/* the input line had an "ind" */
	struct ind	 ind;
};

struct signal {
	int64_t		 ts;		/* decided at: the bar's close */
	int64_t		 bar_ts;	/* open of the bar it was read on */
	char		 symbol[REC_SYM];
	char		 id[REC_ID];
	char		 strategy[REC_WORD];
	char		 side[8];	/* "long" or "short" */
	char		 tier[8];
	double		 score, prob, price;
	int		 nreasons;
	char		 reasons[REC_REASONS][REC_TEXT];
};

struct order {
	int64_t		 ts;		/* active from */
	int64_t		 expires;	/* unfilled at or after this: expired */
	char		 symbol[REC_SYM];
	char		 intent_id[REC_ID];
	char		 side[8];	/* "buy" or "sell" */
	double		 qty;
	char		 order_type[8];	/* "market", "limit", "stop" */
	double		 limit, stop, tp, sl;
	char		 effect[8];	/* "open" or "close" */
	char		 position_id[REC_ID];
	char		 signal_id[REC_ID];
	char		 strategy[REC_WORD];
	char		 reason[REC_WORD];
};

struct reject {
	int64_t		 ts;
	char		 symbol[REC_SYM];
	char		 signal_id[REC_ID];
	char		 strategy[REC_WORD];
	char		 gate[REC_WORD];
	char		 reason[REC_TEXT];
	double		 threshold, observed;
};

struct ack {
	int64_t		 ts;
	char		 symbol[REC_SYM];
	char		 intent_id[REC_ID];
	char		 client_order_id[REC_ID];
	char		 broker_order_id[REC_ID];
	char		 status[16];	/* accepted, duplicate... */
	char		 reason[REC_TEXT];
};

struct fill {
	int64_t		 ts;
	char		 symbol[REC_SYM];
	char		 intent_id[REC_ID];
	char		 client_order_id[REC_ID];
	char		 broker_order_id[REC_ID];
	char		 side[8];
	double		 qty, price, fee;
	double		 leaves;	/* a partial fill: still working */
	double		 requested;	/* the price asked for */
	double		 bid, ask;	/* the quote filled against */
	char		 effect[8];
	char		 position_id[REC_ID];
	char		 strategy[REC_WORD];
	char		 reason[REC_WORD];
};

struct quote {
	int64_t		 ts;
	char		 symbol[REC_SYM];
	double		 bid, ask, bid_sz, ask_sz, last;
	int		 had_ind;	/* the input line had an "ind" */
	struct ind	 ind;
};

struct funding {
	int64_t		 ts;
	char		 symbol[REC_SYM];
	double		 rate;		/* per funding interval, 0.0001 = 1bp */
	int64_t		 next_ts;	/* the next funding instant */
	int		 had_ind;
	struct ind	 ind;
};

/* A request to cancel working order intent_id (place-order). */
struct cancel {
	int64_t		 ts;
	char		 symbol[REC_SYM];
	char		 intent_id[REC_ID];
	char		 reason[REC_TEXT];
};

/* The broker's own figures for the account (balances). */
struct account {
	int64_t		 ts;
	char		 broker[16];
	double		 equity, cash;
	double		 buying_power;	/* intraday (day-trading) */
};

/* A position as the broker reports it. */
struct bposition {
	int64_t		 ts;
	char		 broker[16];
	char		 symbol[REC_SYM];
	char		 side[8];	/* "long" or "short" */
	double		 qty, avg_price;
};

/*
 * One option contract's quote from a chain, with the greeks when the
 * source gives them (greeks "broker"), or as computed (greeks
 * "computed"); prices from a model say so in "source".
 */
struct contract {
	int64_t		 ts;
	char		 symbol[REC_SYM];	/* OCC */
	char		 underlying[REC_SYM];
	char		 expiry[12];		/* YYYY-MM-DD */
	double		 strike;
	char		 right[8];		/* "call" or "put" */
	double		 bid, ask, last, volume, oi, iv;
	double		 delta, gamma, theta, vega, rho;
	char		 greeks[12];		/* "broker", "computed" */
	char		 source[16];		/* "tradier", "model"... */
};

/* An order the broker reports as working (open, not yet done). */
struct working {
	int64_t		 ts;
	char		 broker[16];
	char		 symbol[REC_SYM];
	char		 intent_id[REC_ID];
	char		 client_order_id[REC_ID];
	char		 side[8];
	double		 qty;
};

struct rec {
	enum rec_type	 type;
	int		 decoded;	/* u holds the fields */
	int		 dirty;		/* a bar's ind changed: re-serialize */
	const char	*src;		/* file name and line it came from */
	long		 line;
	const char	*raw;		/* the input line, or NULL */
	size_t		 rawlen;
	struct cJSON	*json;		/* parsed raw; owned by the reader */
	union {
		struct bar	 bar;
		struct signal	 sig;
		struct order	 ord;
		struct reject	 rej;
		struct ack	 ack;
		struct fill	 fill;
		struct quote	 quote;
		struct funding	 funding;
		struct account	 account;
		struct bposition position;
		struct cancel	 cancel;
		struct contract	 option;
		struct working	 working;
	} u;
};

/* Name of a type ("bar") and the type of a name (REC_OTHER if unknown). */
const char	*rec_type_name(enum rec_type);
enum rec_type	 rec_type_of(const char *);

/* A fresh record of type t, made here (no raw line), fields unset. */
void	 rec_init(struct rec *, enum rec_type);

/*
 * The indicator object of a decoded record that can carry one (bar,
 * quote, funding), or NULL.  Setting values in it and r->dirty makes
 * the writer splice it into the record's own text.
 */
struct ind	*rec_ind(struct rec *);

/*
 * Indicator access: NAN when absent; set adds or replaces, and when all
 * REC_IND_MAX places are taken sets overflow instead, which the stage
 * that set it must report.
 */
double	 ind_get(const struct ind *, const char *);
int	 ind_has(const struct ind *, const char *);
void	 ind_set(struct ind *, const char *, double);

/* "1m", "10m", "1h", "1d", "30s" to milliseconds; -1 if not one. */
int64_t	 rec_tf_ms(const char *);

/*
 * Reading.  rec_read() fills r with the next record, decoding the types
 * in mask (REC_MASK bits) into r->u; other types keep only their raw
 * line.  Returns 1, 0 at end of input, or -1 with e filled and
 * e->msg "file:line: reason" (SK_DATA for malformed, SK_IO for I/O).
 * r and what it points to are valid until the next rec_read().
 */
struct rec_reader {
	struct input	 in;
	unsigned	 mask;
	struct cJSON	*json;
};

void	 rec_reader_init(struct rec_reader *, int, char **, unsigned);
void	 rec_reader_release(struct rec_reader *);
int	 rec_read(struct rec_reader *, struct rec *, struct sk_err *);

/*
 * Decode one parsed JSON object (raw of rawlen bytes) into r; the
 * reader's work, exposed for tests and for records from other sources.
 * src/line name the origin in messages.
 */
int	 rec_decode(struct rec *, struct cJSON *, unsigned, struct sk_err *);

/*
 * Writing.  A record with a raw line and no change goes out as read;
 * a dirty bar has its ind object spliced in; a record made here is
 * serialized from its struct.  Returns 0, or -1 with e filled (SK_IO).
 */
struct rec_writer {
	FILE		*fp;
	char		*buf;
	size_t		 len, cap;
	long		 n;		/* records written */
};

void	 rec_writer_init(struct rec_writer *, FILE *);
void	 rec_writer_release(struct rec_writer *);
int	 rec_write(struct rec_writer *, const struct rec *, struct sk_err *);

/*
 * Serialize r as one JSON line (with "\n") into the writer's buffer
 * without writing it; returns its length.  For callers that store
 * records (the journal) rather than print them.
 */
size_t	 rec_format(struct rec_writer *, const struct rec *);

/*
 * Shortest text that reads back as exactly v ("126.72", "1e-05").  buf
 * holds at least 32 bytes.  Returns the length; v must be finite.
 */
size_t	 rec_fmt_num(char *, double);

#endif
