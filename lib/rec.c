/*
 * rec.c: the NDJSON reader and writer.  Field tables describe each
 * decoded type once; decoding and encoding both walk them, so a field
 * added to a table is read and written alike.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "dtoa.h"
#include "rec.h"

enum fkind { F_STR, F_NUM, F_TS, F_REASONS, F_IND };

struct field {
	const char	*name;
	enum fkind	 kind;
	size_t		 off;
	size_t		 size;
	int		 required;
};

#define S(t, f, req)	{ #f, F_STR, offsetof(struct t, f), \
			    sizeof(((struct t *)0)->f), req }
#define N(t, f, req)	{ #f, F_NUM, offsetof(struct t, f), 0, req }
#define T(t, f, req)	{ #f, F_TS, offsetof(struct t, f), 0, req }

static const struct field signal_fields[] = {
	T(signal, ts, 1), S(signal, symbol, 1), S(signal, id, 1),
	S(signal, strategy, 1), S(signal, side, 1), S(signal, tier, 0),
	N(signal, score, 0), N(signal, prob, 0), N(signal, price, 0),
	T(signal, bar_ts, 0),
	{ "reasons", F_REASONS, offsetof(struct signal, reasons), 0, 0 },
	{ NULL, 0, 0, 0, 0 }
};

static const struct field order_fields[] = {
	T(order, ts, 1), S(order, symbol, 1), S(order, intent_id, 1),
	S(order, side, 1), N(order, qty, 1), S(order, order_type, 1),
	N(order, limit, 0), N(order, stop, 0), N(order, tp, 0),
	N(order, sl, 0), T(order, expires, 0), S(order, effect, 1),
	S(order, position_id, 0), S(order, signal_id, 0),
	S(order, strategy, 0), S(order, reason, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field reject_fields[] = {
	T(reject, ts, 1), S(reject, symbol, 1), S(reject, signal_id, 1),
	S(reject, strategy, 0), S(reject, gate, 1), S(reject, reason, 1),
	N(reject, threshold, 0), N(reject, observed, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field ack_fields[] = {
	T(ack, ts, 1), S(ack, symbol, 1), S(ack, intent_id, 1),
	S(ack, client_order_id, 1), S(ack, broker_order_id, 0),
	S(ack, status, 1), S(ack, reason, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field fill_fields[] = {
	T(fill, ts, 1), S(fill, symbol, 1), S(fill, intent_id, 1),
	S(fill, client_order_id, 1), S(fill, broker_order_id, 0),
	S(fill, side, 1), N(fill, qty, 1), N(fill, leaves, 0),
	N(fill, price, 1), N(fill, requested, 0), N(fill, bid, 0),
	N(fill, ask, 0), N(fill, fee, 0), S(fill, effect, 1),
	S(fill, position_id, 0),
	S(fill, strategy, 0), S(fill, reason, 0),
	{ NULL, 0, 0, 0, 0 }
};

/* For F_IND, size holds the offset of the had_ind flag. */
#define I(t)	{ "ind", F_IND, offsetof(struct t, ind), \
			    offsetof(struct t, had_ind), 0 }

static const struct field quote_fields[] = {
	T(quote, ts, 1), S(quote, symbol, 1), N(quote, bid, 1),
	N(quote, ask, 1), N(quote, bid_sz, 0), N(quote, ask_sz, 0),
	N(quote, last, 0), I(quote),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field funding_fields[] = {
	T(funding, ts, 1), S(funding, symbol, 1), N(funding, rate, 1),
	T(funding, next_ts, 0), I(funding),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field account_fields[] = {
	T(account, ts, 1), S(account, broker, 0), N(account, equity, 0),
	N(account, cash, 0), N(account, buying_power, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field position_fields[] = {
	T(bposition, ts, 1), S(bposition, broker, 0),
	S(bposition, symbol, 1), S(bposition, side, 1),
	N(bposition, qty, 1), N(bposition, avg_price, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field cancel_fields[] = {
	T(cancel, ts, 1), S(cancel, symbol, 1), S(cancel, intent_id, 1),
	S(cancel, reason, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field option_fields[] = {
	T(contract, ts, 1), S(contract, symbol, 1), S(contract, underlying, 1),
	S(contract, expiry, 1), N(contract, strike, 1), S(contract, right, 1),
	N(contract, bid, 0), N(contract, ask, 0), N(contract, last, 0),
	N(contract, volume, 0), N(contract, oi, 0), N(contract, iv, 0),
	N(contract, delta, 0), N(contract, gamma, 0), N(contract, theta, 0),
	N(contract, vega, 0), N(contract, rho, 0), S(contract, greeks, 0),
	S(contract, source, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct field working_fields[] = {
	T(working, ts, 1), S(working, broker, 0), S(working, symbol, 1),
	S(working, intent_id, 0), S(working, client_order_id, 1),
	S(working, side, 0), N(working, qty, 0),
	{ NULL, 0, 0, 0, 0 }
};

static const struct {
	const char		*name;
	const struct field	*fields;
} types[REC_NTYPES] = {
	[REC_OTHER] = { NULL, NULL },
	[REC_BAR] = { "bar", NULL },
	[REC_SIGNAL] = { "signal", signal_fields },
	[REC_ORDER] = { "order", order_fields },
	[REC_REJECT] = { "reject", reject_fields },
	[REC_ACK] = { "ack", ack_fields },
	[REC_FILL] = { "fill", fill_fields },
	[REC_QUOTE] = { "quote", quote_fields },
	[REC_FUNDING] = { "funding", funding_fields },
	[REC_ACCOUNT] = { "account", account_fields },
	[REC_POSITION] = { "position", position_fields },
	[REC_CANCEL] = { "cancel", cancel_fields },
	[REC_OPTION] = { "option", option_fields },
	[REC_WORKING] = { "working", working_fields },
};

const char *
rec_type_name(enum rec_type t)
{
	return t > REC_OTHER && t < REC_NTYPES ? types[t].name : "other";
}

enum rec_type
rec_type_of(const char *s)
{
	int t;

	for (t = REC_OTHER + 1; t < REC_NTYPES; t++)
		if (strcmp(types[t].name, s) == 0)
			return (enum rec_type)t;
	return REC_OTHER;
}

static void
fields_unset(void *base, const struct field *f)
{
	for (; f->name != NULL; f++) {
		char *p = (char *)base + f->off;

		if (f->kind == F_NUM)
			*(double *)p = NAN;
		else if (f->kind == F_TS)
			*(int64_t *)p = TS_UNSET;
	}
}

void
rec_init(struct rec *r, enum rec_type t)
{
	/* A bar is most records: clear only what it uses. */
	if (t == REC_BAR)
		memset(r, 0, offsetof(struct rec, u) +
		    offsetof(struct bar, ind.kv));
	else
		memset(r, 0, sizeof(*r));
	r->type = t;
	r->decoded = 1;
	if (t == REC_BAR) {
		r->u.bar.ts = TS_UNSET;
		sk_strlcpy(r->u.bar.tf, "1m", sizeof(r->u.bar.tf));
		r->u.bar.tf_ms = CLOCK_MIN;
	} else if (t > REC_BAR && t < REC_NTYPES)
		fields_unset(&r->u, types[t].fields);
}

/* Names differ mostly in their first bytes: look there before strcmp. */
static int
same(const char *a, const char *b)
{
	return a == b || (a[0] == b[0] && a[0] != '\0' && a[1] == b[1] &&
	    strcmp(a, b) == 0) || (a[0] == '\0' && b[0] == '\0');
}

double
ind_get(const struct ind *ind, const char *name)
{
	int i;

	for (i = 0; i < ind->n; i++)
		if (same(ind->kv[i].name, name))
			return ind->kv[i].v;
	return NAN;
}

int
ind_has(const struct ind *ind, const char *name)
{
	int i;

	for (i = 0; i < ind->n; i++)
		if (same(ind->kv[i].name, name))
			return 1;
	return 0;
}

void
ind_set(struct ind *ind, const char *name, double v)
{
	int i;

	for (i = ind->fresh ? ind->n : 0; i < ind->n; i++)
		if (same(ind->kv[i].name, name)) {
			ind->kv[i].name = name;
			ind->kv[i].v = v;
			return;
		}
	if (ind->n < REC_IND_MAX) {
		ind->kv[ind->n].name = name;
		ind->kv[ind->n].v = v;
		ind->n++;
	} else
		ind->overflow = 1;
}

int64_t
rec_tf_ms(const char *s)
{
	char *end;
	long n;

	n = strtol(s, &end, 10);
	if (end == s || n <= 0 || n > 100000 || end[0] == '\0' ||
	    end[1] != '\0')
		return -1;
	switch (end[0]) {
	case 's':
		return n * 1000LL;
	case 'm':
		return n * CLOCK_MIN;
	case 'h':
		return n * 60 * CLOCK_MIN;
	case 'd':
		return n * CLOCK_DAY;
	default:
		return -1;
	}
}

/* Decoding. */

static int
bad(struct rec *r, struct sk_err *e, const char *what, const char *name)
{
	return sk_errf(e, SK_DATA, "%s:%ld: %s: %s '%s'", r->src, r->line,
	    rec_type_name(r->type), what, name);
}

static int
get_num(struct rec *r, const cJSON *o, const char *k, double *v, int req,
    struct sk_err *e)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);

	if (it == NULL || cJSON_IsNull(it)) {
		if (req)
			return bad(r, e, "missing", k);
		return 0;
	}
	if (!cJSON_IsNumber(it))
		return bad(r, e, "not a number:", k);
	*v = it->valuedouble;
	return 0;
}

static int
get_str(struct rec *r, const cJSON *o, const char *k, char *dst, size_t sz,
    int req, struct sk_err *e)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);

	if (it == NULL || cJSON_IsNull(it)) {
		if (req)
			return bad(r, e, "missing", k);
		dst[0] = '\0';
		return 0;
	}
	if (!cJSON_IsString(it))
		return bad(r, e, "not a string:", k);
	if (sk_strlcpy(dst, it->valuestring, sz) >= sz)
		return bad(r, e, "too long:", k);
	return 0;
}

static int
get_ts(struct rec *r, const cJSON *o, const char *k, int64_t *ms, int req,
    struct sk_err *e)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);

	if (it == NULL || cJSON_IsNull(it)) {
		if (req)
			return bad(r, e, "missing", k);
		*ms = TS_UNSET;
		return 0;
	}
	if (!cJSON_IsString(it) ||
	    clock_parse(it->valuestring, strlen(it->valuestring), ms) == -1)
		return bad(r, e, "not an RFC 3339 UTC time:", k);
	return 0;
}

/* An optional "ind" object of numbers into ind; had says it was there. */
static int
get_ind(struct rec *r, const cJSON *o, struct ind *ind, int *had,
    struct sk_err *e)
{
	const cJSON *obj, *it;

	ind->n = 0;
	ind->overflow = 0;
	ind->fresh = 0;
	obj = cJSON_GetObjectItemCaseSensitive(o, "ind");
	*had = obj != NULL;
	if (obj == NULL)
		return 0;
	if (!cJSON_IsObject(obj))
		return bad(r, e, "not an object:", "ind");
	cJSON_ArrayForEach(it, obj) {
		if (!cJSON_IsNumber(it))
			return bad(r, e, "not a number in ind:", it->string);
		ind_set(ind, it->string, it->valuedouble);
	}
	if (ind->overflow)
		return sk_errf(e, SK_DATA, "%s:%ld: %s: more than %d values "
		    "in ind", r->src, r->line, rec_type_name(r->type),
		    REC_IND_MAX);
	return 0;
}

static int
decode_fields(struct rec *r, const cJSON *o, void *base,
    const struct field *f, struct sk_err *e)
{
	for (; f->name != NULL; f++) {
		char *p = (char *)base + f->off;
		int rv = 0;

		switch (f->kind) {
		case F_STR:
			rv = get_str(r, o, f->name, p, f->size, f->required, e);
			break;
		case F_NUM:
			*(double *)p = NAN;
			rv = get_num(r, o, f->name, (double *)p, f->required,
			    e);
			break;
		case F_TS:
			rv = get_ts(r, o, f->name, (int64_t *)p, f->required,
			    e);
			break;
		case F_IND:
			rv = get_ind(r, o, (struct ind *)p,
			    (int *)((char *)base + f->size), e);
			break;
		case F_REASONS: {
			struct signal *s = base;
			const cJSON *a, *it;

			s->nreasons = 0;
			a = cJSON_GetObjectItemCaseSensitive(o, f->name);
			if (a == NULL)
				break;
			if (!cJSON_IsArray(a))
				return bad(r, e, "not an array:", f->name);
			cJSON_ArrayForEach(it, a) {
				if (!cJSON_IsString(it))
					return bad(r, e, "not a string in",
					    f->name);
				if (s->nreasons < REC_REASONS)
					sk_strlcpy(s->reasons[s->nreasons++],
					    it->valuestring, REC_TEXT);
			}
			break;
		}
		}
		if (rv == -1)
			return -1;
	}
	return 0;
}

/* Bar fields by name, for one pass over the object's members. */
enum { B_SYMBOL, B_TS, B_TF, B_O, B_H, B_L, B_C, B_V, B_IND, B_N };

static int
bar_field(const char *k)
{
	switch (k[0]) {
	case 's':
		return strcmp(k, "symbol") == 0 ? B_SYMBOL : -1;
	case 't':
		return strcmp(k, "ts") == 0 ? B_TS : strcmp(k, "tf") == 0 ?
		    B_TF : -1;
	case 'o':
		return k[1] == '\0' ? B_O : -1;
	case 'h':
		return k[1] == '\0' ? B_H : -1;
	case 'l':
		return k[1] == '\0' ? B_L : -1;
	case 'c':
		return k[1] == '\0' ? B_C : -1;
	case 'v':
		return k[1] == '\0' ? B_V : -1;
	case 'i':
		return strcmp(k, "ind") == 0 ? B_IND : -1;
	default:
		return -1;
	}
}

static int
decode_bar(struct rec *r, const cJSON *o, struct sk_err *e)
{
	static const char *const req[] = { "symbol", "ts", NULL, "o", "h",
	    "l", "c", "v" };
	struct bar *b = &r->u.bar;
	const cJSON *f[B_N] = { NULL }, *it;
	double *num[] = { &b->o, &b->h, &b->l, &b->c, &b->v };
	int k;

	/* Of duplicate keys the first wins, as with cJSON's lookups. */
	cJSON_ArrayForEach(it, o) {
		k = bar_field(it->string);
		if (k >= 0 && f[k] == NULL)
			f[k] = it;
	}
	for (k = 0; k < B_IND; k++)
		if (req[k] != NULL && (f[k] == NULL || cJSON_IsNull(f[k])))
			return bad(r, e, "missing", req[k]);
	if (!cJSON_IsString(f[B_SYMBOL]))
		return bad(r, e, "not a string:", "symbol");
	if (sk_strlcpy(b->symbol, f[B_SYMBOL]->valuestring,
	    sizeof(b->symbol)) >= sizeof(b->symbol))
		return bad(r, e, "too long:", "symbol");
	if (!cJSON_IsString(f[B_TS]) || clock_parse(f[B_TS]->valuestring,
	    strlen(f[B_TS]->valuestring), &b->ts) == -1)
		return bad(r, e, "not an RFC 3339 UTC time:", "ts");
	if (f[B_TF] == NULL || cJSON_IsNull(f[B_TF]))
		sk_strlcpy(b->tf, "1m", sizeof(b->tf));
	else if (!cJSON_IsString(f[B_TF]) || sk_strlcpy(b->tf,
	    f[B_TF]->valuestring, sizeof(b->tf)) >= sizeof(b->tf))
		return bad(r, e, "not a time frame:", "tf");
	for (k = B_O; k <= B_V; k++) {
		if (!cJSON_IsNumber(f[k]))
			return bad(r, e, "not a number:", req[k]);
		*num[k - B_O] = f[k]->valuedouble;
	}
	b->tf_ms = rec_tf_ms(b->tf);
	if (b->tf_ms == -1)
		return bad(r, e, "not a time frame:", b->tf);
	if (b->h < b->l || b->o > b->h || b->o < b->l || b->c > b->h ||
	    b->c < b->l)
		return sk_errf(e, SK_DATA, "%s:%ld: bar: open and close must "
		    "lie within low..high", r->src, r->line);
	if (!(b->v >= 0))
		return sk_errf(e, SK_DATA, "%s:%ld: bar: negative volume",
		    r->src, r->line);
	if (f[B_IND] == NULL) {
		b->ind.n = 0;
		b->ind.overflow = 0;
		b->ind.fresh = 0;
		b->had_ind = 0;
		return 0;
	}
	return get_ind(r, o, &b->ind, &b->had_ind, e);
}

int
rec_decode(struct rec *r, cJSON *o, unsigned mask, struct sk_err *e)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(o, "type");

	if (!cJSON_IsObject(o))
		return sk_errf(e, SK_DATA, "%s:%ld: not a JSON object",
		    r->src, r->line);
	if (!cJSON_IsString(t))
		return sk_errf(e, SK_DATA, "%s:%ld: no string 'type'",
		    r->src, r->line);
	r->type = rec_type_of(t->valuestring);
	r->decoded = 0;
	r->dirty = 0;
	if (r->type == REC_OTHER || !(mask & REC_MASK(r->type)))
		return 0;
	r->decoded = 1;
	if (r->type == REC_BAR)
		return decode_bar(r, o, e);
	return decode_fields(r, o, &r->u, types[r->type].fields, e);
}

void
rec_reader_init(struct rec_reader *rd, int n, char **files, unsigned mask)
{
	memset(rd, 0, sizeof(*rd));
	input_init(&rd->in, n, files);
	rd->mask = mask;
}

void
rec_reader_release(struct rec_reader *rd)
{
	cJSON_Delete(rd->json);
	rd->json = NULL;
	input_release(&rd->in);
}

int
rec_read(struct rec_reader *rd, struct rec *r, struct sk_err *e)
{
	char *line;
	size_t len;
	int rv;

	cJSON_Delete(rd->json);
	rd->json = NULL;
	rv = input_line(&rd->in, &line, &len, e);
	if (rv <= 0)
		return rv;
	r->src = rd->in.name;
	r->line = rd->in.line;
	r->raw = line;
	r->rawlen = len;
	if (len == 0)
		return sk_errf(e, SK_DATA, "%s:%ld: empty line", r->src,
		    r->line);
	rd->json = cJSON_ParseWithLength(line, len);
	if (rd->json == NULL)
		return sk_errf(e, SK_DATA, "%s:%ld: not valid JSON", r->src,
		    r->line);
	r->json = rd->json;
	return rec_decode(r, rd->json, rd->mask, e) == -1 ? -1 : 1;
}

/* Encoding. */

/* Digits of u, most significant first, into buf; returns how many. */
static size_t
utoa(char *buf, uint64_t u)
{
	char t[24];
	size_t n = 0, i;

	do {
		t[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	for (i = 0; i < n; i++)
		buf[i] = t[n - 1 - i];
	return n;
}

/*
 * Prices and most inputs have a few decimals.  If m / 10^k, both exact
 * doubles, divides (correctly rounded, as strtod rounds) to exactly v,
 * then the text of m with k decimals reads back as v; the smallest such
 * k is the shortest text.  Returns 0 when no k <= 8 works.
 */
static size_t
fmt_decimal(char *buf, double v)
{
	static const double p10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8 };
	double a = fabs(v);
	uint64_t m, ip, fp;
	size_t n = 0, k, d;
	char digits[24];

	if (!(a >= 1e-4 && a < 1e15))
		return 0;
	for (k = 1; k <= 8; k++) {
		if (a * p10[k] >= 9007199254740992.0)	/* 2^53 */
			return 0;
		m = (uint64_t)llround(a * p10[k]);
		if ((double)m / p10[k] != a)
			continue;
		if (v < 0)
			buf[n++] = '-';
		ip = m / (uint64_t)p10[k];
		fp = m % (uint64_t)p10[k];
		n += utoa(buf + n, ip);
		buf[n++] = '.';
		/* The fraction, zero-padded to k digits. */
		d = utoa(digits, fp);
		memset(buf + n, '0', k - d);
		memcpy(buf + n + (k - d), digits, d);
		n += k;
		buf[n] = '\0';
		return n;
	}
	return 0;
}

size_t
rec_fmt_num(char *buf, double v)
{
	size_t n;

	if (v == 0 && signbit(v))
		return (size_t)snprintf(buf, 32, "-0");
	/* Whole numbers (volumes, sizes) print as integers. */
	if (fabs(v) < 1e15 && v == (double)(int64_t)v) {
		if (v < 0) {
			buf[0] = '-';
			n = 1 + utoa(buf + 1, (uint64_t)-(int64_t)v);
		} else
			n = utoa(buf, (uint64_t)(int64_t)v);
		buf[n] = '\0';
		return n;
	}
	/* Prices: a few decimals, found exactly and fast; else the rest. */
	n = fmt_decimal(buf, v);
	if (n > 0)
		return n;
	return dtoa_shortest(v, buf, 32);
}

static void
grow(struct rec_writer *w, size_t more)
{
	if (w->len + more + 1 > w->cap) {
		while (w->len + more + 1 > w->cap)
			w->cap = w->cap ? w->cap * 2 : 4096;
		w->buf = xrealloc(w->buf, w->cap);
	}
}

static void
put(struct rec_writer *w, const char *s, size_t n)
{
	grow(w, n);
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void
put_str(struct rec_writer *w, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p;
	size_t n;

	/* Most strings need no escape: copy them whole. */
	for (n = 0; s[n] != '\0' && s[n] != '"' && s[n] != '\\' &&
	    (unsigned char)s[n] >= 0x20; n++)
		;
	if (s[n] == '\0') {
		grow(w, n + 2);
		w->buf[w->len++] = '"';
		memcpy(w->buf + w->len, s, n);
		w->len += n;
		w->buf[w->len++] = '"';
		return;
	}
	grow(w, 2);
	w->buf[w->len++] = '"';
	for (p = (const unsigned char *)s; *p; p++) {
		grow(w, 6);
		if (*p == '"' || *p == '\\') {
			w->buf[w->len++] = '\\';
			w->buf[w->len++] = (char)*p;
		} else if (*p < 0x20) {
			memcpy(w->buf + w->len, "\\u00", 4);
			w->buf[w->len + 4] = hex[*p >> 4];
			w->buf[w->len + 5] = hex[*p & 15];
			w->len += 6;
		} else
			w->buf[w->len++] = (char)*p;
	}
	grow(w, 1);
	w->buf[w->len++] = '"';
}

static void
put_key(struct rec_writer *w, const char *k, int first)
{
	if (!first)
		put(w, ",", 1);
	put_str(w, k);
	put(w, ":", 1);
}

static void
put_num(struct rec_writer *w, double v)
{
	char b[32];

	put(w, b, rec_fmt_num(b, v));
}

static void
put_ts(struct rec_writer *w, int64_t ms)
{
	char b[CLOCK_TSLEN + 2];
	size_t n;

	b[0] = '"';
	n = clock_format(ms, b + 1);
	b[n + 1] = '"';
	put(w, b, n + 2);
}

static void
put_ind(struct rec_writer *w, const struct ind *ind)
{
	int i, first = 1;

	put(w, "{", 1);
	for (i = 0; i < ind->n; i++) {
		/* JSON has no NaN: an undefined value is left out. */
		if (!isfinite(ind->kv[i].v))
			continue;
		put_key(w, ind->kv[i].name, first);
		put_num(w, ind->kv[i].v);
		first = 0;
	}
	put(w, "}", 1);
}

static void
put_fields(struct rec_writer *w, const void *base, const struct field *f)
{
	for (; f->name != NULL; f++) {
		const char *p = (const char *)base + f->off;

		switch (f->kind) {
		case F_STR:
			if (*p == '\0')
				continue;
			put_key(w, f->name, 0);
			put_str(w, p);
			break;
		case F_NUM:
			if (!isfinite(*(const double *)p))
				continue;
			put_key(w, f->name, 0);
			put_num(w, *(const double *)p);
			break;
		case F_TS:
			if (*(const int64_t *)p == TS_UNSET)
				continue;
			put_key(w, f->name, 0);
			put_ts(w, *(const int64_t *)p);
			break;
		case F_IND:
			if (((const struct ind *)p)->n == 0)
				continue;
			put_key(w, f->name, 0);
			put_ind(w, (const struct ind *)p);
			break;
		case F_REASONS: {
			const struct signal *s = base;
			int i;

			put_key(w, f->name, 0);
			put(w, "[", 1);
			for (i = 0; i < s->nreasons; i++) {
				if (i > 0)
					put(w, ",", 1);
				put_str(w, s->reasons[i]);
			}
			put(w, "]", 1);
			break;
		}
		}
	}
}

static void
put_bar(struct rec_writer *w, const struct bar *b)
{
	put(w, "{\"type\":\"bar\"", 13);
	put_key(w, "symbol", 0);
	put_str(w, b->symbol);
	put_key(w, "tf", 0);
	put_str(w, b->tf);
	put_key(w, "ts", 0);
	put_ts(w, b->ts);
	put_key(w, "o", 0);
	put_num(w, b->o);
	put_key(w, "h", 0);
	put_num(w, b->h);
	put_key(w, "l", 0);
	put_num(w, b->l);
	put_key(w, "c", 0);
	put_num(w, b->c);
	put_key(w, "v", 0);
	put_num(w, b->v);
	if (b->ind.n > 0) {
		put_key(w, "ind", 0);
		put_ind(w, &b->ind);
	}
	put(w, "}", 1);
}

/*
 * The end of the JSON value that starts at p (the line is valid JSON:
 * cJSON parsed it), so the text of a field can be replaced in place.
 */
static const char *
skip_value(const char *p, const char *end)
{
	int depth = 0;

	do {
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			p++;
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			depth--;
			p++;
		} else if (depth > 0)
			p++;
		else
			while (p < end && *p != ',' && *p != '}' && *p != ']' &&
			    *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
				p++;
	} while (depth > 0 && p < end);
	return p;
}

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' ||
	    *p == '\n'))
		p++;
	return p;
}

/*
 * Where the value of the top-level key "ind" is in the object text
 * [p, end): its start in *vs and end in *ve.  Returns 0 if found.
 */
static int
find_ind(const char *p, const char *end, const char **vs, const char **ve)
{
	const char *k;

	p = skip_space(p, end);
	if (p >= end || *p != '{')
		return -1;
	p++;
	for (;;) {
		p = skip_space(p, end);
		if (p >= end || *p != '"')
			return -1;
		k = p;
		p = skip_value(p, end);
		p = skip_space(p, end);
		if (p >= end || *p != ':')
			return -1;
		p = skip_space(p + 1, end);
		*vs = p;
		p = skip_value(p, end);
		if (p - *vs > 0 && k + 5 <= end &&
		    memcmp(k, "\"ind\"", 5) == 0 &&
		    skip_space(k + 5, end) < end &&
		    *skip_space(k + 5, end) == ':') {
			*ve = p;
			return 0;
		}
		p = skip_space(p, end);
		if (p >= end || *p != ',')
			return -1;
		p++;
	}
}

/*
 * A dirty bar read from input: every other field stays as it was, byte
 * for byte, and the ind object is written anew: in place of the old one,
 * or spliced in before the closing brace.
 */
static void
put_enriched(struct rec_writer *w, const struct rec *r)
{
	const char *end = r->raw + r->rawlen, *vs, *ve;
	const struct ind *ind = rec_ind((struct rec *)r);
	int had = r->type == REC_BAR ? r->u.bar.had_ind :
	    r->type == REC_QUOTE ? r->u.quote.had_ind : r->u.funding.had_ind;

	if (had && find_ind(r->raw, end, &vs, &ve) == 0) {
		put(w, r->raw, (size_t)(vs - r->raw));
		put_ind(w, ind);
		put(w, ve, (size_t)(end - ve));
		return;
	}
	while (end > r->raw && end[-1] != '}')
		end--;
	/* These records always have fields before the brace: a comma. */
	put(w, r->raw, (size_t)(end - r->raw) - 1);
	put(w, ",\"ind\":", 7);
	put_ind(w, ind);
	put(w, "}", 1);
}

struct ind *
rec_ind(struct rec *r)
{
	if (!r->decoded)
		return NULL;
	switch (r->type) {
	case REC_BAR:
		return &r->u.bar.ind;
	case REC_QUOTE:
		return &r->u.quote.ind;
	case REC_FUNDING:
		return &r->u.funding.ind;
	default:
		return NULL;
	}
}

void
rec_writer_init(struct rec_writer *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
}

void
rec_writer_release(struct rec_writer *w)
{
	free(w->buf);
	w->buf = NULL;
}

size_t
rec_format(struct rec_writer *w, const struct rec *r)
{
	w->len = 0;
	if (r->raw != NULL && !r->dirty)
		put(w, r->raw, r->rawlen);
	else if (r->raw != NULL && rec_ind((struct rec *)r) != NULL)
		put_enriched(w, r);
	else if (r->type == REC_BAR)
		put_bar(w, &r->u.bar);
	else if (r->type > REC_BAR && r->type < REC_NTYPES) {
		put(w, "{\"type\":", 8);
		put_str(w, types[r->type].name);
		put_fields(w, &r->u, types[r->type].fields);
		put(w, "}", 1);
	} else
		put(w, "{\"type\":\"other\"}", 16);
	put(w, "\n", 1);
	w->buf[w->len] = '\0';
	return w->len;
}

int
rec_write(struct rec_writer *w, const struct rec *r, struct sk_err *e)
{
	size_t n = rec_format(w, r);

	if (fwrite(w->buf, 1, n, w->fp) != n)
		return sk_errf(e, SK_IO, "write error");
	w->n++;
	return 0;
}
