/*
 * feed.c: replayed bars.  CSV rows are parsed in place, without an
 * allocation per row, since a backtest reads a million of them a second;
 * NDJSON lines go through rec_decode() and out as they were read.
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "feed.h"
#include "journal.h"

#define FEED_STAGE	"fetch-quotes"	/* journal state: stage name */
#define FEED_MAXCOL	256

/* What a CSV column holds; C_SKIP columns are read past. */
enum col {
	C_SKIP = -1,
	C_TS = 0,
	C_O,
	C_H,
	C_L,
	C_C,
	C_V,
	C_SYM,
	C_NROLE
};

static const char *const col_name[C_NROLE] = {
	"ts", "open", "high", "low", "close", "volume", "symbol"
};

static const struct {
	const char	*name;
	enum col	 col;
} col_alias[] = {
	{ "ts", C_TS }, { "timestamp", C_TS }, { "time", C_TS },
	{ "open", C_O }, { "o", C_O },
	{ "high", C_H }, { "h", C_H },
	{ "low", C_L }, { "l", C_L },
	{ "close", C_C }, { "c", C_C },
	{ "volume", C_V }, { "v", C_V },
	{ "symbol", C_SYM },
};

struct feed_sym {
	char		 symbol[REC_SYM];
	int64_t		 last;		/* ts of the last bar read: order */
	int64_t		 cursor;	/* resume: deliver only after it */
	int64_t		 sent;		/* ts of the last record returned */
};

/* Powers of ten that are exact doubles, for the fast path of num(). */
static const double pow10tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

#define NUM_SIGN	0x1	/* a leading '-' or '+' is allowed */
#define NUM_EXP		0x2	/* an exponent is allowed */

void
feed_opts_init(struct feed_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->session = FEED_ALL;
	o->since = TS_UNSET;
	o->until = TS_UNSET;
}

/*
 * A decimal number of n bytes to the nearest double, exactly as strtod
 * rounds it.  With at most 15 significant digits and no exponent, the
 * digits are an exact integer m and 10^k is exact, so m / 10^k is one
 * correctly rounded division (Clinger's fast path); anything else goes
 * to strtod.  Only [+-]digits[.digits][e[+-]digits] is accepted: no
 * spaces, hex, inf or nan.
 */
static int
num(const char *s, size_t n, int flags, double *out)
{
	const char *p = s, *end = s + n;
	uint64_t m = 0;
	int nd = 0, nf = 0, neg = 0, hasexp = 0;
	double d;
	char *ep;

	if (p < end && (*p == '-' || *p == '+') && (flags & NUM_SIGN))
		neg = *p++ == '-';
	for (; p < end && *p >= '0' && *p <= '9'; p++, nd++)
		m = m * 10 + (uint64_t)(*p - '0');
	if (p < end && *p == '.')
		for (p++; p < end && *p >= '0' && *p <= '9'; p++, nd++, nf++)
			m = m * 10 + (uint64_t)(*p - '0');
	if (nd == 0)
		return -1;
	if (p < end && (*p == 'e' || *p == 'E') && (flags & NUM_EXP)) {
		hasexp = 1;
		if (++p < end && (*p == '-' || *p == '+'))
			p++;
		if (p == end || *p < '0' || *p > '9')
			return -1;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p != end)
		return -1;
	if (!hasexp && nd <= 15) {
		d = (double)m / pow10tab[nf];
		*out = neg ? -d : d;
		return 0;
	}
	/* The text ends at ',' or NUL, which strtod stops at. */
	errno = 0;
	d = strtod(s, &ep);
	if (ep != end || !isfinite(d))
		return -1;
	*out = d;
	return 0;
}

static int
row_err(struct feed *f, struct sk_err *e, const char *why)
{
	return sk_errf(e, SK_DATA, "%s:%ld: %s", f->in.name, f->in.line,
	    why);
}

static int
field_err(struct feed *f, struct sk_err *e, const char *what,
    const char *s, size_t n)
{
	return sk_errf(e, SK_DATA, "%s:%ld: %s: '%.*s'", f->in.name,
	    f->in.line, what, (int)(n > 40 ? 40 : n), s);
}

/* The symbol's entry, made (and its cursor loaded) on first sight. */
static struct feed_sym *
sym_new(struct feed *f, const char *name, size_t n, struct sk_err *e)
{
	struct feed_sym *s;
	char key[sizeof(f->source) + REC_SYM + 2], *json = NULL;
	cJSON *o;
	const cJSON *ts;
	int bad = 0;

	if (f->nsym == f->capsym) {
		f->capsym = f->capsym ? f->capsym * 2 : 8;
		f->sym = xrealloc(f->sym, f->capsym * sizeof(*f->sym));
	}
	s = &f->sym[f->nsym];
	memcpy(s->symbol, name, n);
	s->symbol[n] = '\0';
	s->last = s->cursor = s->sent = TS_UNSET;
	if (f->opt.journal != NULL) {
		snprintf(key, sizeof(key), "%s|%s", f->source, s->symbol);
		if (journal_state_get(f->opt.journal, FEED_STAGE, key, &json,
		    e) == -1)
			return NULL;
		if (json != NULL) {
			o = cJSON_Parse(json);
			ts = cJSON_GetObjectItemCaseSensitive(o, "ts");
			bad = !cJSON_IsString(ts) ||
			    clock_parse(ts->valuestring,
			    strlen(ts->valuestring), &s->cursor) == -1;
			cJSON_Delete(o);
			free(json);
			if (bad) {
				sk_errf(e, SK_DATA, "journal: state of %s "
				    "'%s': no RFC 3339 \"ts\"", FEED_STAGE,
				    key);
				return NULL;
			}
		}
	}
	f->last = f->nsym++;
	return s;
}

/* The entry of symbol name of n bytes (not NUL-terminated). */
static struct feed_sym *
sym_get(struct feed *f, const char *name, size_t n, struct sk_err *e)
{
	size_t i;

	if (n == 0 || n >= REC_SYM) {
		field_err(f, e, n == 0 ? "empty symbol" : "symbol too long",
		    name, n);
		return NULL;
	}
	/* Rows of one symbol come in runs: try the last one first. */
	if (f->nsym > 0 && strncmp(f->sym[f->last].symbol, name, n) == 0 &&
	    f->sym[f->last].symbol[n] == '\0')
		return &f->sym[f->last];
	for (i = 0; i < f->nsym; i++)
		if (strncmp(f->sym[i].symbol, name, n) == 0 &&
		    f->sym[i].symbol[n] == '\0') {
			f->last = i;
			return &f->sym[i];
		}
	return sym_new(f, name, n, e);
}

static int
out_of_order(struct feed *f, const struct feed_sym *s, int64_t ts,
    struct sk_err *e)
{
	char a[CLOCK_TSLEN], b[CLOCK_TSLEN];

	clock_format(ts, a);
	clock_format(s->last, b);
	return sk_errf(e, SK_DATA, "%s:%ld: out of order: %s %s is not "
	    "after %s", f->in.name, f->in.line, s->symbol, a, b);
}

/* Is the local start minute of ts within regular hours? */
static int
in_session(struct feed *f, int64_t ts)
{
	struct local l;

	if (f->opt.session == FEED_ALL)
		return 1;
	tz_local(&f->tz, ts, &l);
	return l.minute >= FEED_RTH_OPEN && l.minute < FEED_RTH_CLOSE;
}

/* since < ts <= until, and after the saved cursor of s (if any). */
static int
in_window(const struct feed *f, const struct feed_sym *s, int64_t ts)
{
	/* TS_UNSET is INT64_MIN: an unset lower bound passes every ts. */
	if (ts <= f->opt.since || (s != NULL && ts <= s->cursor))
		return 0;
	return f->opt.until == TS_UNSET || ts <= f->opt.until;
}

/*
 * Split a CSV row in place into the fields of each role.  Returns 0, or
 * -1 with e filled if the number of fields is not the header's.
 */
static int
csv_split(struct feed *f, const char *line, size_t len,
    const char *fs[C_NROLE], size_t fl[C_NROLE], struct sk_err *e)
{
	const char *p = line, *end = line + len, *q;
	int i;

	for (i = 0;; i++) {
		q = memchr(p, ',', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if (i < f->ncol && f->role[i] != C_SKIP) {
			fs[(int)f->role[i]] = p;
			fl[(int)f->role[i]] = (size_t)(q - p);
		}
		if (q == end)
			break;
		p = q + 1;
	}
	if (i + 1 != f->ncol)
		return sk_errf(e, SK_DATA, "%s:%ld: %d fields where the header "
		    "has %d", f->in.name, f->in.line, i + 1, f->ncol);
	return 0;
}

/* Parse and check the fields of one CSV row into the bar b. */
static int
csv_bar(struct feed *f, const char *fs[C_NROLE], const size_t fl[C_NROLE],
    struct bar *b, struct sk_err *e)
{
	static const int px[4] = { C_O, C_H, C_L, C_C };
	double *dst[4];
	int i;

	dst[0] = &b->o;
	dst[1] = &b->h;
	dst[2] = &b->l;
	dst[3] = &b->c;
	if (clock_parse(fs[C_TS], fl[C_TS], &b->ts) == -1)
		return field_err(f, e, "ts: not an RFC 3339 time",
		    fs[C_TS], fl[C_TS]);
	for (i = 0; i < 4; i++)
		if (num(fs[px[i]], fl[px[i]], NUM_SIGN | NUM_EXP,
		    dst[i]) == -1)
			return sk_errf(e, SK_DATA, "%s:%ld: %s: not a number: "
			    "'%.*s'", f->in.name, f->in.line, col_name[px[i]],
			    (int)(fl[px[i]] > 40 ? 40 : fl[px[i]]), fs[px[i]]);
	if (num(fs[C_V], fl[C_V], 0, &b->v) == -1)
		return field_err(f, e, "volume: not a non-negative number",
		    fs[C_V], fl[C_V]);
	if (b->h < b->l)
		return row_err(f, e, "high below low");
	if (b->o < b->l || b->o > b->h)
		return row_err(f, e, "open outside low..high");
	if (b->c < b->l || b->c > b->h)
		return row_err(f, e, "close outside low..high");
	return 0;
}

/* One CSV row: 1 with a bar in r, 0 if filtered out, -1 on error. */
static int
csv_row(struct feed *f, const char *line, size_t len, struct rec *r,
    struct sk_err *e)
{
	const char *fs[C_NROLE];
	size_t fl[C_NROLE];
	struct feed_sym *s;
	struct bar *b;

	rec_init(r, REC_BAR);
	r->src = f->in.name;
	r->line = f->in.line;
	b = &r->u.bar;
	if (len == 0)
		return row_err(f, e, "empty line");
	if (csv_split(f, line, len, fs, fl, e) == -1 ||
	    csv_bar(f, fs, fl, b, e) == -1)
		return -1;
	if (!f->has_sym)
		s = f->nsym > 0 ? &f->sym[0] : sym_new(f, f->opt.symbol,
		    strlen(f->opt.symbol), e);
	else
		s = sym_get(f, fs[C_SYM], fl[C_SYM], e);
	if (s == NULL)
		return -1;
	if (b->ts <= s->last)
		return out_of_order(f, s, b->ts, e);
	s->last = b->ts;
	if (f->has_sym && f->opt.symbol != NULL &&
	    strcmp(s->symbol, f->opt.symbol) != 0) {
		f->skip_select++;
		return 0;
	}
	if (!in_session(f, b->ts)) {
		f->skip_session++;
		return 0;
	}
	if (!in_window(f, s, b->ts)) {
		f->skip_window++;
		return 0;
	}
	memcpy(b->symbol, s->symbol, sizeof(b->symbol));
	memcpy(b->tf, f->tf, sizeof(b->tf));
	b->tf_ms = f->tf_ms;
	s->sent = b->ts;
	f->bars_out++;
	return 1;
}

/* A bar read from NDJSON: checked and filtered like a CSV row. */
static int
ndjson_bar(struct feed *f, struct rec *r, struct sk_err *e)
{
	struct bar *b = &r->u.bar;
	struct feed_sym *s;

	if (f->opt.tf != NULL && strcmp(b->tf, f->tf) != 0) {
		f->skip_select++;
		return 0;
	}
	s = sym_get(f, b->symbol, strlen(b->symbol), e);
	if (s == NULL)
		return -1;
	if (b->ts <= s->last)
		return out_of_order(f, s, b->ts, e);
	s->last = b->ts;
	if (f->opt.symbol != NULL && strcmp(b->symbol, f->opt.symbol) != 0) {
		f->skip_select++;
		return 0;
	}
	if (!in_session(f, b->ts)) {
		f->skip_session++;
		return 0;
	}
	if (!in_window(f, s, b->ts)) {
		f->skip_window++;
		return 0;
	}
	s->sent = b->ts;
	f->bars_out++;
	return 1;
}

/*
 * Another record: not ours to check, but one with a ts obeys the time
 * window (and its symbol's cursor), or a resumed replay would repeat it
 * in every cycle.
 */
static int
ndjson_other(struct feed *f, struct rec *r, struct sk_err *e)
{
	const cJSON *t, *sy;
	struct feed_sym *s = NULL;
	int64_t ts;

	t = cJSON_GetObjectItemCaseSensitive(r->json, "ts");
	if (!cJSON_IsString(t) || clock_parse(t->valuestring,
	    strlen(t->valuestring), &ts) == -1) {
		f->other_out++;
		return 1;
	}
	sy = cJSON_GetObjectItemCaseSensitive(r->json, "symbol");
	if (cJSON_IsString(sy) && sy->valuestring[0] != '\0' &&
	    strlen(sy->valuestring) < REC_SYM) {
		s = sym_get(f, sy->valuestring, strlen(sy->valuestring), e);
		if (s == NULL)
			return -1;
	}
	if (!in_window(f, s, ts)) {
		f->skip_window++;
		return 0;
	}
	if (s != NULL && ts > s->sent)
		s->sent = ts;
	f->other_out++;
	return 1;
}

/* One NDJSON line: 1 with the record in r, 0 if filtered, -1 on error. */
static int
ndjson_row(struct feed *f, const char *line, size_t len, struct rec *r,
    struct sk_err *e)
{
	cJSON_Delete(f->json);
	f->json = NULL;
	r->src = f->in.name;
	r->line = f->in.line;
	r->raw = line;
	r->rawlen = len;
	r->json = NULL;
	if (len == 0)
		return row_err(f, e, "empty line");
	f->json = cJSON_ParseWithLength(line, len);
	if (f->json == NULL)
		return row_err(f, e, "not valid JSON");
	r->json = f->json;
	if (rec_decode(r, f->json, REC_MASK(REC_BAR), e) == -1)
		return -1;
	return r->type == REC_BAR ? ndjson_bar(f, r, e) :
	    ndjson_other(f, r, e);
}

int
feed_next(struct feed *f, struct rec *r, struct sk_err *e)
{
	char *line;
	size_t len;
	int rv;

	if (f->fmt == FEED_EMPTY)
		return 0;
	for (;;) {
		if (f->pending != NULL) {
			line = f->pending;
			len = f->pendlen;
			f->pending = NULL;
		} else {
			rv = input_line(&f->in, &line, &len, e);
			if (rv <= 0)
				return rv;
		}
		f->rows_in++;
		if (f->fmt == FEED_CSV)
			rv = csv_row(f, line, len, r, e);
		else
			rv = ndjson_row(f, line, len, r, e);
		if (rv != 0)
			return rv;
	}
}

/* The role of a header name of n bytes, or C_SKIP. */
static int
col_of(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(col_alias) / sizeof(col_alias[0]); i++)
		if (strlen(col_alias[i].name) == n &&
		    strncasecmp(col_alias[i].name, s, n) == 0)
			return col_alias[i].col;
	return C_SKIP;
}

/* Map the columns of the CSV header line; SK_DATA "FILE:1: ..." if bad. */
static int
csv_header(struct feed *f, const char *line, size_t len, struct sk_err *e)
{
	const char *p = line, *end = line + len, *q, *a, *b;
	int seen[C_NROLE] = { 0 };
	int i, c;

	if (len == 0)
		return row_err(f, e, "empty header line");
	f->role = xcalloc(FEED_MAXCOL, sizeof(*f->role));
	for (f->ncol = 0;; f->ncol++) {
		q = memchr(p, ',', (size_t)(end - p));
		if (q == NULL)
			q = end;
		if (f->ncol == FEED_MAXCOL)
			return row_err(f, e, "too many columns");
		/* Tolerate spaces and quotes around a name. */
		for (a = p, b = q; a < b && (*a == ' ' || *a == '"'); a++)
			;
		while (b > a && (b[-1] == ' ' || b[-1] == '"'))
			b--;
		c = col_of(a, (size_t)(b - a));
		if (c != C_SKIP && seen[c]++)
			return field_err(f, e, "header: column twice", a,
			    (size_t)(b - a));
		f->role[f->ncol] = (signed char)c;
		if (q == end)
			break;
		p = q + 1;
	}
	f->ncol++;
	for (i = 0; i < C_SYM; i++)
		if (!seen[i])
			return sk_errf(e, SK_DATA, "%s:%ld: header: no '%s' "
			    "column (want ts,open,high,low,close,volume)",
			    f->in.name, f->in.line, col_name[i]);
	f->has_sym = seen[C_SYM];
	if (!f->has_sym && f->opt.symbol == NULL)
		return sk_errf(e, SK_USAGE, "%s: no symbol column: give the "
		    "symbol with -s", f->in.name);
	return 0;
}

/* FILE of "replay:FILE", or as found in the replay directory. */
static int
replay_path(struct feed *f, const char *file, struct sk_err *e)
{
	char alt[sizeof(f->path)];

	if (*file == '\0')
		return sk_errf(e, SK_USAGE, "source '%s': no file",
		    f->source);
	if (sk_strlcpy(f->path, file, sizeof(f->path)) >= sizeof(f->path))
		return sk_errf(e, SK_USAGE, "source '%s': name too long",
		    f->source);
	if (strchr(file, '/') != NULL || strcmp(file, "-") == 0 ||
	    f->opt.replay_dir == NULL || access(file, F_OK) == 0)
		return 0;
	if ((size_t)snprintf(alt, sizeof(alt), "%s/%s", f->opt.replay_dir,
	    file) < sizeof(alt) && access(alt, F_OK) == 0)
		sk_strlcpy(f->path, alt, sizeof(f->path));
	return 0;
}

/* Check the options that do not depend on the data. */
static int
check_opts(struct feed *f, struct sk_err *e)
{
	const char *tf = f->opt.tf != NULL ? f->opt.tf : "1m";
	const char *sym = f->opt.symbol;

	if (sym != NULL && (sym[0] == '\0' || strlen(sym) >= REC_SYM))
		return sk_errf(e, SK_USAGE, "symbol '%s': empty or longer "
		    "than %d bytes", sym, REC_SYM - 1);
	f->tf_ms = rec_tf_ms(tf);
	if (f->tf_ms == -1 || sk_strlcpy(f->tf, tf, sizeof(f->tf)) >=
	    sizeof(f->tf))
		return sk_errf(e, SK_USAGE, "time frame '%s': not one like "
		    "1m, 5m, 1h", tf);
	if (strncmp(f->source, "replay:", 7) != 0)
		return sk_errf(e, SK_USAGE, "source '%s': not replay:FILE",
		    f->source);
	return 0;
}

/* Read the first line and decide what the file is. */
static int
detect(struct feed *f, struct sk_err *e)
{
	char *line;
	size_t len;
	int rv;

	rv = input_line(&f->in, &line, &len, e);
	if (rv == -1)
		return -1;
	if (rv == 0) {
		f->fmt = FEED_EMPTY;
		return 0;
	}
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0) {
		line += 3;
		len -= 3;
	}
	if (len > 0 && line[0] == '{') {
		f->fmt = FEED_NDJSON;
		f->pending = line;
		f->pendlen = len;
		return 0;
	}
	f->fmt = FEED_CSV;
	return csv_header(f, line, len, e);
}

int
feed_open(struct feed *f, const char *source, const struct feed_opts *o,
    struct sk_err *e)
{
	memset(f, 0, sizeof(*f));
	f->opt = *o;
	if (sk_strlcpy(f->source, source, sizeof(f->source)) >=
	    sizeof(f->source))
		return sk_errf(e, SK_USAGE, "source too long");
	if (check_opts(f, e) == -1 || replay_path(f, source + 7, e) == -1)
		return -1;
	f->files[0] = f->path;
	input_init(&f->in, 1, f->files);
	if (f->opt.session == FEED_RTH) {
		if (tz_load(&f->tz, f->opt.zone != NULL ? f->opt.zone :
		    "America/New_York", e) == -1)
			goto fail;
		f->have_tz = 1;
	}
	if (detect(f, e) == -1)
		goto fail;
	return 0;
fail:
	feed_close(f);
	return -1;
}

int
feed_save(struct feed *f, struct sk_err *e)
{
	char key[sizeof(f->source) + REC_SYM + 2];
	char val[CLOCK_TSLEN + 16], ts[CLOCK_TSLEN];
	struct feed_sym *s;
	size_t i;

	if (f->opt.journal == NULL)
		return 0;
	if (journal_begin(f->opt.journal, e) == -1)
		return -1;
	for (i = 0; i < f->nsym; i++) {
		s = &f->sym[i];
		if (s->sent == TS_UNSET || s->sent <= s->cursor)
			continue;
		clock_format(s->sent, ts);
		snprintf(key, sizeof(key), "%s|%s", f->source, s->symbol);
		snprintf(val, sizeof(val), "{\"ts\":\"%s\"}", ts);
		if (journal_state_put(f->opt.journal, FEED_STAGE, key, val,
		    e) == -1) {
			journal_rollback(f->opt.journal);
			return -1;
		}
	}
	if (journal_commit(f->opt.journal, e) == -1)
		return -1;
	/* Saved: a second call has nothing new to write. */
	for (i = 0; i < f->nsym; i++)
		if (f->sym[i].sent != TS_UNSET &&
		    f->sym[i].sent > f->sym[i].cursor)
			f->sym[i].cursor = f->sym[i].sent;
	return 0;
}

void
feed_close(struct feed *f)
{
	input_release(&f->in);
	cJSON_Delete(f->json);
	f->json = NULL;
	if (f->have_tz)
		tz_release(&f->tz);
	f->have_tz = 0;
	free(f->role);
	f->role = NULL;
	free(f->sym);
	f->sym = NULL;
	f->nsym = f->capsym = 0;
	f->pending = NULL;
}
