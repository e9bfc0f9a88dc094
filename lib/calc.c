/*
 * calc.c: the calc-indicators stage.  A list of units (fast cloud,
 * macro cloud, volume window, EMA, ATR...) is built once from the
 * config; each (symbol, time frame) gets one block holding the state of
 * every unit, made on its first bar, so a bar costs no allocation.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc.h"
#include "clock.h"
#include "ind.h"
#include "journal.h"
#include "rec.h"

#define CALC_UNITS	32	/* units in one stage */
#define UNIT_OUT	4	/* outputs of one unit */
#define NAME_LEN	40
#define STATE_VERSION	1
#define PERIOD_MAX	10000

enum unit_kind {
	U_CLOUD,	/* ema<s> ema<l> cloud<s>_<l> flip<s>_<l> */
	U_MACRO,	/* ema<s>_<tf> ema<l>_<tf> n_<tf> */
	U_VOL,		/* vol_sum<n> vol_avg<n> vol_sma<n> */
	U_EMA,		/* ema<n> */
	U_SMA,		/* sma<n> */
	U_BB,		/* bb_upper bb_middle bb_lower */
	U_TRANGE,	/* trange */
	U_ATR,		/* atr<n> */
	U_RSI		/* rsi<n> */
};

struct unit {
	enum unit_kind	 kind;
	int		 p1, p2;	/* periods */
	double		 m;		/* Bollinger multiple */
	char		 id[NAME_LEN];	/* its key in the saved state */
	char		 name[UNIT_OUT][NAME_LEN];
	int		 nout;
	unsigned	 on;		/* outputs asked for, by bit */
	size_t		 ring;		/* doubles of ring it needs */
	size_t		 off;		/* where they are in a symbol's pool */
};

union ustate {
	struct ind_cloud	 cloud;
	struct ind_macro	 macro;
	struct ind_vol		 vol;
	struct ind_ema		 ema;
	struct ind_sma		 sma;
	struct ind_bb		 bb;
	struct ind_trange	 tr;
	struct ind_atr		 atr;
	struct ind_rsi		 rsi;
};

/* The state of one (symbol, time frame): one allocation. */
struct sym {
	struct sym	*next;		/* in its hash chain */
	struct sym	*all;		/* in order of arrival */
	uint32_t	 hash;
	char		 symbol[REC_SYM];
	char		 tf[8];
	int64_t		 tf_ms;
	int64_t		 last_ts;	/* of the last bar taken */
	int64_t		 saved_ts;	/* last ts of the loaded state */
	int		 started;	/* took a bar in this run */
	int		 macro_ok;	/* tf fits the macro buckets */
	long		 nbars;
	union ustate	*u;		/* one per unit */
	double		*pool;		/* the units' rings */
};

struct calc {
	struct unit	 units[CALC_UNITS];
	int		 nunits;
	size_t		 pool;		/* ring doubles per symbol */
	size_t		 nsave;		/* largest saved unit */
	double		*scratch;	/* nsave doubles */
	int		 macro_min;	/* bucket size, minutes */
	char		 macro_tf[8];
	int		 need_tz;
	struct tz	 tz;
	struct journal	*j;
	struct sym	**tab;		/* hash buckets */
	size_t		 tabsz, nsyms;
	struct sym	*first, *last_new;	/* the arrival list */
	struct sym	*cache;		/* the symbol of the last bar */
	char		*buf;		/* for state text */
	size_t		 len, cap;
	long		 enriched, seen;
};

/* Building the units. */

static struct unit *
unit_add(struct calc *c, enum unit_kind k, int p1, int p2)
{
	struct unit *u;

	if (c->nunits == CALC_UNITS)
		return NULL;
	u = &c->units[c->nunits++];
	memset(u, 0, sizeof(*u));
	u->kind = k;
	u->p1 = p1;
	u->p2 = p2;
	u->m = 2.0;
	return u;
}

/* Names and ids from the periods; snprintf cannot overflow NAME_LEN. */
static void
unit_names(struct calc *c, struct unit *u)
{
	const char *tf = c->macro_tf;
	int a = u->p1, b = u->p2;

	switch (u->kind) {
	case U_CLOUD:
		snprintf(u->id, NAME_LEN, "cloud%d_%d", a, b);
		snprintf(u->name[0], NAME_LEN, "ema%d", a);
		snprintf(u->name[1], NAME_LEN, "ema%d", b);
		snprintf(u->name[2], NAME_LEN, "cloud%d_%d", a, b);
		snprintf(u->name[3], NAME_LEN, "flip%d_%d", a, b);
		u->nout = 4;
		break;
	case U_MACRO:
		snprintf(u->id, NAME_LEN, "macro%d_%d_%s", a, b, tf);
		snprintf(u->name[0], NAME_LEN, "ema%d_%s", a, tf);
		snprintf(u->name[1], NAME_LEN, "ema%d_%s", b, tf);
		snprintf(u->name[2], NAME_LEN, "n_%s", tf);
		u->nout = 3;
		break;
	case U_VOL:
		snprintf(u->id, NAME_LEN, "vol%d", a);
		snprintf(u->name[0], NAME_LEN, "vol_sum%d", a);
		snprintf(u->name[1], NAME_LEN, "vol_avg%d", a);
		snprintf(u->name[2], NAME_LEN, "vol_sma%d", a);
		u->nout = 3;
		u->ring = (size_t)a;
		break;
	case U_EMA:
		snprintf(u->id, NAME_LEN, "ema%d", a);
		snprintf(u->name[0], NAME_LEN, "ema%d", a);
		u->nout = 1;
		break;
	case U_SMA:
		snprintf(u->id, NAME_LEN, "sma%d", a);
		snprintf(u->name[0], NAME_LEN, "sma%d", a);
		u->nout = 1;
		u->ring = (size_t)a;
		break;
	case U_BB:
		snprintf(u->id, NAME_LEN, "bb%d_%g", a, u->m);
		snprintf(u->name[0], NAME_LEN, "bb_upper");
		snprintf(u->name[1], NAME_LEN, "bb_middle");
		snprintf(u->name[2], NAME_LEN, "bb_lower");
		u->nout = 3;
		u->ring = (size_t)a;
		break;
	case U_TRANGE:
		snprintf(u->id, NAME_LEN, "trange");
		snprintf(u->name[0], NAME_LEN, "trange");
		u->nout = 1;
		break;
	case U_ATR:
		snprintf(u->id, NAME_LEN, "atr%d", a);
		snprintf(u->name[0], NAME_LEN, "atr%d", a);
		u->nout = 1;
		break;
	case U_RSI:
		snprintf(u->id, NAME_LEN, "rsi%d", a);
		snprintf(u->name[0], NAME_LEN, "rsi%d", a);
		u->nout = 1;
		break;
	}
}

/* How many numbers a unit's saved state can hold. */
static size_t
unit_nsave(const struct unit *u)
{
	switch (u->kind) {
	case U_CLOUD:
		return IND_CLOUD_NSAVE;
	case U_MACRO:
		return IND_MACRO_NSAVE;
	case U_EMA:
		return IND_EMA_NSAVE;
	case U_TRANGE:
		return IND_TRANGE_NSAVE;
	case U_ATR:
		return IND_ATR_NSAVE;
	case U_RSI:
		return IND_RSI_NSAVE;
	default:
		return IND_WIN_NSAVE(u->ring);
	}
}

/* "ema21" -> 21 if s is prefix then a period in range, else 0. */
static int
period_of(const char *s, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long v;

	if (strncmp(s, prefix, n) != 0 || s[n] < '1' || s[n] > '9')
		return 0;
	v = strtol(s + n, &end, 10);
	if (*end != '\0' || v < 1 || v > PERIOD_MAX)
		return 0;
	return (int)v;
}

/* Turn on the output called name if some unit has it: 1, else 0. */
static int
select_known(struct calc *c, const char *name)
{
	int i, k, found = 0;

	for (i = 0; i < c->nunits; i++)
		for (k = 0; k < c->units[i].nout; k++)
			if (strcmp(c->units[i].name[k], name) == 0) {
				c->units[i].on |= 1u << k;
				found = 1;
			}
	return found;
}

static void
select_default(struct calc *c)
{
	int i;

	for (i = 0; i < c->nunits; i++)
		if (c->units[i].kind == U_CLOUD ||
		    c->units[i].kind == U_MACRO || c->units[i].kind == U_VOL)
			c->units[i].on = (1u << c->units[i].nout) - 1;
}

/* A name no unit has yet: a new unit of its kind, or an error. */
static int
select_new(struct calc *c, const char *name, struct sk_err *e)
{
	static const struct {
		const char	*prefix;
		enum unit_kind	 kind;
	} kinds[] = {
		{ "ema", U_EMA }, { "sma", U_SMA }, { "atr", U_ATR },
		{ "rsi", U_RSI }
	};
	struct unit *u;
	size_t i;
	int p;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		p = period_of(name, kinds[i].prefix);
		if (p == 0)
			continue;
		u = unit_add(c, kinds[i].kind, p, 0);
		if (u == NULL)
			return sk_errf(e, SK_USAGE, "-i: more than %d "
			    "indicators", CALC_UNITS);
		unit_names(c, u);
		u->on = 1;
		return 0;
	}
	return sk_errf(e, SK_USAGE, "-i: unknown indicator '%s'", name);
}

static int
select_list(struct calc *c, const char *list, struct sk_err *e)
{
	char name[NAME_LEN];
	const char *p = list, *q;
	size_t n;

	for (;;) {
		q = strchr(p, ',');
		n = q != NULL ? (size_t)(q - p) : strlen(p);
		if (n == 0 || n >= sizeof(name))
			return sk_errf(e, SK_USAGE, "-i: bad list '%s'", list);
		memcpy(name, p, n);
		name[n] = '\0';
		if (strcmp(name, "default") == 0)
			select_default(c);
		else if (!select_known(c, name) &&
		    select_new(c, name, e) == -1)
			return -1;
		if (q == NULL)
			return 0;
		p = q + 1;
	}
}

/* Drop units with nothing asked of them; lay out the rings. */
static void
units_pack(struct calc *c)
{
	int i, n = 0;

	c->pool = 0;
	c->nsave = 0;
	for (i = 0; i < c->nunits; i++) {
		if (c->units[i].on == 0)
			continue;
		c->units[n] = c->units[i];
		c->units[n].off = c->pool;
		c->pool += c->units[n].ring;
		if (unit_nsave(&c->units[n]) > c->nsave)
			c->nsave = unit_nsave(&c->units[n]);
		if (c->units[n].kind == U_MACRO)
			c->need_tz = 1;
		n++;
	}
	c->nunits = n;
}

static int
check_period(int p, const char *what, struct sk_err *e)
{
	if (p < 1 || p > PERIOD_MAX)
		return sk_errf(e, SK_DATA, "%s: period %d out of range 1..%d",
		    what, p, PERIOD_MAX);
	return 0;
}

/* The candidate units every list chooses from, periods from cfg. */
static int
units_from_config(struct calc *c, const struct config *cfg,
    struct sk_err *e)
{
	const struct cfg_strategy *s = &cfg->strategy;
	int64_t ms;

	if (check_period(s->fast_short, "fast_short", e) == -1 ||
	    check_period(s->fast_long, "fast_long", e) == -1 ||
	    check_period(s->macro_short, "macro_short", e) == -1 ||
	    check_period(s->macro_long, "macro_long", e) == -1 ||
	    check_period(s->vol_window, "vol_window", e) == -1)
		return -1;
	ms = rec_tf_ms(s->macro_tf);
	if (ms <= 0 || ms % CLOCK_MIN != 0 || ms > CLOCK_DAY)
		return sk_errf(e, SK_DATA, "macro_tf: '%s' is not a whole "
		    "number of minutes up to 1d", s->macro_tf);
	c->macro_min = (int)(ms / CLOCK_MIN);
	sk_strlcpy(c->macro_tf, s->macro_tf, sizeof(c->macro_tf));
	unit_names(c, unit_add(c, U_CLOUD, s->fast_short, s->fast_long));
	unit_names(c, unit_add(c, U_MACRO, s->macro_short, s->macro_long));
	unit_names(c, unit_add(c, U_VOL, s->vol_window, 0));
	/* The first units never overflow the table: no NULL here. */
	unit_names(c, unit_add(c, U_TRANGE, 0, 0));
	unit_names(c, unit_add(c, U_BB, 20, 0));
	return 0;
}

/* Symbols. */

static uint32_t
sym_hash(const char *symbol, const char *tf)
{
	uint32_t h = 2166136261u;
	const unsigned char *p;

	for (p = (const unsigned char *)symbol; *p; p++)
		h = (h ^ *p) * 16777619u;
	h = (h ^ '/') * 16777619u;
	for (p = (const unsigned char *)tf; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

/* Fresh state for every unit of s. */
static void
sym_reset(const struct calc *c, struct sym *s)
{
	const struct unit *u;
	union ustate *st;
	double *ring;
	int i, span;

	s->last_ts = TS_UNSET;
	s->saved_ts = TS_UNSET;
	s->started = 0;
	s->nbars = 0;
	span = (int)(s->tf_ms / CLOCK_MIN);
	s->macro_ok = s->tf_ms % CLOCK_MIN == 0 && span >= 1 &&
	    c->macro_min % span == 0;
	for (i = 0; i < c->nunits; i++) {
		u = &c->units[i];
		st = &s->u[i];
		ring = s->pool + u->off;
		/* Periods were checked when the units were made. */
		switch (u->kind) {
		case U_CLOUD:
			ind_cloud_init(&st->cloud, u->p1, u->p2);
			break;
		case U_MACRO:
			ind_macro_init(&st->macro, c->macro_min,
			    s->macro_ok ? span : 1, u->p1, u->p2);
			break;
		case U_VOL:
			ind_vol_init(&st->vol, u->p1, ring);
			break;
		case U_EMA:
			ind_ema_init(&st->ema, u->p1);
			break;
		case U_SMA:
			ind_sma_init(&st->sma, u->p1, ring);
			break;
		case U_BB:
			ind_bb_init(&st->bb, u->p1, u->m, ring);
			break;
		case U_TRANGE:
			ind_trange_init(&st->tr);
			break;
		case U_ATR:
			ind_atr_init(&st->atr, u->p1);
			break;
		case U_RSI:
			ind_rsi_init(&st->rsi, u->p1);
			break;
		}
	}
}

static void
tab_grow(struct calc *c)
{
	struct sym **tab, *s, *next;
	size_t i, n = c->tabsz ? c->tabsz * 2 : 64;

	tab = xcalloc(n, sizeof(*tab));
	for (i = 0; i < c->tabsz; i++)
		for (s = c->tab[i]; s != NULL; s = next) {
			next = s->next;
			s->next = tab[s->hash & (n - 1)];
			tab[s->hash & (n - 1)] = s;
		}
	free(c->tab);
	c->tab = tab;
	c->tabsz = n;
}

static struct sym *
sym_find(const struct calc *c, const char *symbol, const char *tf,
    uint32_t h)
{
	struct sym *s;

	if (c->tabsz == 0)
		return NULL;
	for (s = c->tab[h & (c->tabsz - 1)]; s != NULL; s = s->next)
		if (s->hash == h && strcmp(s->symbol, symbol) == 0 &&
		    strcmp(s->tf, tf) == 0)
			return s;
	return NULL;
}

static struct sym *
sym_new(struct calc *c, const char *symbol, const char *tf, int64_t tf_ms,
    uint32_t h)
{
	struct sym *s;
	size_t sz;

	if (c->nsyms >= c->tabsz)
		tab_grow(c);
	/* struct sym and union ustate are both 8-aligned. */
	sz = sizeof(*s) + (size_t)c->nunits * sizeof(union ustate) +
	    c->pool * sizeof(double);
	s = xcalloc(1, sz);
	s->u = (union ustate *)(s + 1);
	s->pool = (double *)(s->u + c->nunits);
	s->hash = h;
	sk_strlcpy(s->symbol, symbol, sizeof(s->symbol));
	sk_strlcpy(s->tf, tf, sizeof(s->tf));
	s->tf_ms = tf_ms;
	sym_reset(c, s);
	s->next = c->tab[h & (c->tabsz - 1)];
	c->tab[h & (c->tabsz - 1)] = s;
	if (c->last_new != NULL)
		c->last_new->all = s;
	else
		c->first = s;
	c->last_new = s;
	c->nsyms++;
	return s;
}

/* Saved state: {"v":1,"last_ts":ms,"bars":n,"units":{"id":[...]}} */

static void
buf_put(struct calc *c, const char *s, size_t n)
{
	if (c->len + n + 1 > c->cap) {
		while (c->len + n + 1 > c->cap)
			c->cap = c->cap ? c->cap * 2 : 4096;
		c->buf = xrealloc(c->buf, c->cap);
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	c->buf[c->len] = '\0';
}

/* %.17g reads back as the same double; JSON has no inf or nan. */
static void
buf_num(struct calc *c, double v)
{
	char b[40];
	int n;

	if (!isfinite(v)) {
		buf_put(c, "null", 4);
		return;
	}
	n = snprintf(b, sizeof(b), "%.17g", v);
	buf_put(c, b, (size_t)n);
}

static size_t
unit_save(const struct unit *u, const union ustate *st, double *v)
{
	switch (u->kind) {
	case U_CLOUD:
		return ind_cloud_save(&st->cloud, v);
	case U_MACRO:
		return ind_macro_save(&st->macro, v);
	case U_VOL:
		return ind_win_save(&st->vol.w, v);
	case U_EMA:
		return ind_ema_save(&st->ema, v);
	case U_SMA:
		return ind_win_save(&st->sma.w, v);
	case U_BB:
		return ind_win_save(&st->bb.w, v);
	case U_TRANGE:
		return ind_trange_save(&st->tr, v);
	case U_ATR:
		return ind_atr_save(&st->atr, v);
	case U_RSI:
		return ind_rsi_save(&st->rsi, v);
	}
	return 0;
}

static int
unit_load(const struct unit *u, union ustate *st, const double *v,
    size_t n)
{
	switch (u->kind) {
	case U_CLOUD:
		return ind_cloud_load(&st->cloud, v, n);
	case U_MACRO:
		return ind_macro_load(&st->macro, v, n);
	case U_VOL:
		return ind_win_load(&st->vol.w, v, n);
	case U_EMA:
		return ind_ema_load(&st->ema, v, n);
	case U_SMA:
		return ind_win_load(&st->sma.w, v, n);
	case U_BB:
		return ind_win_load(&st->bb.w, v, n);
	case U_TRANGE:
		return ind_trange_load(&st->tr, v, n);
	case U_ATR:
		return ind_atr_load(&st->atr, v, n);
	case U_RSI:
		return ind_rsi_load(&st->rsi, v, n);
	}
	return -1;
}

/* The state of s as JSON text in c->buf. */
static void
state_format(struct calc *c, const struct sym *s)
{
	char b[96];
	size_t i, n;
	int k;

	c->len = 0;
	snprintf(b, sizeof(b), "{\"v\":%d,\"last_ts\":%lld,\"bars\":%ld,"
	    "\"units\":{", STATE_VERSION, (long long)s->last_ts, s->nbars);
	buf_put(c, b, strlen(b));
	for (k = 0; k < c->nunits; k++) {
		if (k > 0)
			buf_put(c, ",", 1);
		snprintf(b, sizeof(b), "\"%s\":[", c->units[k].id);
		buf_put(c, b, strlen(b));
		n = unit_save(&c->units[k], &s->u[k], c->scratch);
		for (i = 0; i < n; i++) {
			if (i > 0)
				buf_put(c, ",", 1);
			buf_num(c, c->scratch[i]);
		}
		buf_put(c, "]", 1);
	}
	buf_put(c, "}}", 2);
}

static int
bad_state(const struct sym *s, const char *why, struct sk_err *e)
{
	return sk_errf(e, SK_DATA, "journal: %s %s/%s: saved state: %s",
	    CALC_STAGE, s->symbol, s->tf, why);
}

/*
 * Put the state in json into s.  A unit the text does not mention
 * starts afresh (it was not asked for when the state was saved).
 */
static int
state_parse(struct calc *c, struct sym *s, const char *json,
    struct sk_err *e)
{
	cJSON *o, *units, *a, *it;
	const cJSON *ts, *v, *nb;
	size_t n;
	int k, rv = -1;

	sym_reset(c, s);
	o = cJSON_Parse(json);
	if (o == NULL)
		return bad_state(s, "not valid JSON", e);
	v = cJSON_GetObjectItemCaseSensitive(o, "v");
	ts = cJSON_GetObjectItemCaseSensitive(o, "last_ts");
	nb = cJSON_GetObjectItemCaseSensitive(o, "bars");
	units = cJSON_GetObjectItemCaseSensitive(o, "units");
	if (!cJSON_IsNumber(v) || v->valuedouble != STATE_VERSION) {
		bad_state(s, "unknown version", e);
		goto out;
	}
	if (!cJSON_IsNumber(ts) || !cJSON_IsNumber(nb) ||
	    !cJSON_IsObject(units)) {
		bad_state(s, "missing last_ts, bars or units", e);
		goto out;
	}
	for (k = 0; k < c->nunits; k++) {
		a = cJSON_GetObjectItemCaseSensitive(units, c->units[k].id);
		if (a == NULL)
			continue;
		if (!cJSON_IsArray(a) ||
		    (size_t)cJSON_GetArraySize(a) > c->nsave) {
			bad_state(s, c->units[k].id, e);
			goto out;
		}
		n = 0;
		cJSON_ArrayForEach(it, a)
			c->scratch[n++] = cJSON_IsNumber(it) ?
			    it->valuedouble : NAN;
		if (unit_load(&c->units[k], &s->u[k], c->scratch, n) == -1) {
			bad_state(s, c->units[k].id, e);
			goto out;
		}
	}
	s->last_ts = (int64_t)ts->valuedouble;
	s->saved_ts = s->last_ts;
	s->nbars = (long)nb->valuedouble;
	rv = 0;
out:
	cJSON_Delete(o);
	if (rv == -1)
		sym_reset(c, s);
	return rv;
}

/* The symbol and time frame of b, made (and loaded) on first sight. */
static struct sym *
sym_get(struct calc *c, const struct rec *r, struct sk_err *e)
{
	const struct bar *b = &r->u.bar;
	struct sym *s = c->cache;
	char key[REC_SYM + 8], *json;
	uint32_t h;
	int rv;

	if (s != NULL && strcmp(s->symbol, b->symbol) == 0 &&
	    strcmp(s->tf, b->tf) == 0)
		return s;
	h = sym_hash(b->symbol, b->tf);
	s = sym_find(c, b->symbol, b->tf, h);
	if (s == NULL) {
		s = sym_new(c, b->symbol, b->tf, b->tf_ms, h);
		if (c->j != NULL) {
			snprintf(key, sizeof(key), "%s/%s", b->symbol, b->tf);
			if (journal_state_get(c->j, CALC_STAGE, key, &json,
			    e) == -1)
				return NULL;
			rv = json != NULL ? state_parse(c, s, json, e) : 0;
			free(json);
			if (rv == -1)
				return NULL;
		}
	}
	c->cache = s;
	return s;
}

/* The stage. */

/* Set output k of unit u if it was asked for; count what was set. */
static void
out1(const struct unit *u, int k, struct ind *ind, double v, int *n)
{
	if (u->on & (1u << k)) {
		ind_set(ind, u->name[k], v);
		(*n)++;
	}
}

static int
unit_push(struct calc *c, struct sym *s, const struct unit *u,
    union ustate *st, struct bar *b)
{
	struct local loc;
	int n = 0, d;

	switch (u->kind) {
	case U_CLOUD:
		d = ind_cloud_push(&st->cloud, b->c);
		if (st->cloud.s.k >= st->cloud.s.n)
			out1(u, 0, &b->ind, st->cloud.s.e, &n);
		if (st->cloud.l.k >= st->cloud.l.n)
			out1(u, 1, &b->ind, st->cloud.l.e, &n);
		if (d) {
			out1(u, 2, &b->ind, st->cloud.regime, &n);
			out1(u, 3, &b->ind, st->cloud.flip, &n);
		}
		break;
	case U_MACRO:
		if (!s->macro_ok)
			break;
		tz_local(&c->tz, b->ts, &loc);
		ind_macro_push(&st->macro, loc.day, loc.minute, b->c);
		if (st->macro.s.k >= st->macro.s.n)
			out1(u, 0, &b->ind, st->macro.s.e, &n);
		if (st->macro.l.k >= st->macro.l.n)
			out1(u, 1, &b->ind, st->macro.l.e, &n);
		out1(u, 2, &b->ind, (double)st->macro.rs.nclosed, &n);
		break;
	case U_VOL:
		d = ind_vol_push(&st->vol, b->v);
		if (d & IND_VOL_PREV) {
			out1(u, 0, &b->ind, st->vol.sum_prev, &n);
			out1(u, 1, &b->ind, st->vol.avg_prev, &n);
		}
		if (d & IND_VOL_SMA)
			out1(u, 2, &b->ind, st->vol.sma, &n);
		break;
	case U_EMA:
		if (ind_ema_push(&st->ema, b->c))
			out1(u, 0, &b->ind, st->ema.e, &n);
		break;
	case U_SMA:
		if (ind_sma_push(&st->sma, b->c))
			out1(u, 0, &b->ind, st->sma.v, &n);
		break;
	case U_BB:
		if (ind_bb_push(&st->bb, b->c)) {
			out1(u, 0, &b->ind, st->bb.upper, &n);
			out1(u, 1, &b->ind, st->bb.middle, &n);
			out1(u, 2, &b->ind, st->bb.lower, &n);
		}
		break;
	case U_TRANGE:
		if (ind_trange_push(&st->tr, b->h, b->l, b->c))
			out1(u, 0, &b->ind, st->tr.v, &n);
		break;
	case U_ATR:
		if (ind_atr_push(&st->atr, b->h, b->l, b->c))
			out1(u, 0, &b->ind, st->atr.v, &n);
		break;
	case U_RSI:
		if (ind_rsi_push(&st->rsi, b->c))
			out1(u, 0, &b->ind, st->rsi.v, &n);
		break;
	}
	return n;
}

static int
calc_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct calc *c = self;
	struct sym *s;
	struct bar *b;
	int i, n = 0;

	if (r->type != REC_BAR || !r->decoded)
		return emit(out, r, e);
	b = &r->u.bar;
	s = sym_get(c, r, e);
	if (s == NULL)
		return -1;
	if (!s->started && s->saved_ts != TS_UNSET && b->ts <= s->saved_ts) {
		c->seen++;
		return emit(out, r, e);
	}
	if (s->last_ts != TS_UNSET && b->ts <= s->last_ts)
		return sk_errf(e, SK_DATA, "%s:%ld: bar out of order",
		    r->src != NULL ? r->src : "-", r->line);
	s->started = 1;
	s->last_ts = b->ts;
	s->nbars++;
	/* Our names are distinct: on a bar without ind, just append. */
	b->ind.fresh = b->ind.n == 0;
	for (i = 0; i < c->nunits; i++)
		n += unit_push(c, s, &c->units[i], &s->u[i], b);
	b->ind.fresh = 0;
	if (r->u.bar.ind.overflow)
		return sk_errf(e, SK_DATA, "%s:%ld: bar: more than %d "
		    "indicator values", r->src != NULL ? r->src : "-",
		    r->line, REC_IND_MAX);
	if (n > 0) {
		r->dirty = 1;
		c->enriched++;
	}
	return emit(out, r, e);
}

/* Save the state of every symbol that took a bar, in one transaction. */
static int
calc_finish(void *self, const struct emit *out, struct sk_err *e)
{
	struct calc *c = self;
	struct sym *s;
	char key[REC_SYM + 8];

	(void)out;
	if (c->j == NULL)
		return 0;
	if (journal_begin(c->j, e) == -1)
		return -1;
	for (s = c->first; s != NULL; s = s->all) {
		if (!s->started)
			continue;
		state_format(c, s);
		snprintf(key, sizeof(key), "%s/%s", s->symbol, s->tf);
		if (journal_state_put(c->j, CALC_STAGE, key, c->buf, e) == -1) {
			journal_rollback(c->j);
			return -1;
		}
	}
	return journal_commit(c->j, e);
}

static void
calc_free(void *self)
{
	struct calc *c = self;
	struct sym *s, *next;

	if (c == NULL)
		return;
	for (s = c->first; s != NULL; s = next) {
		next = s->all;
		free(s);
	}
	free(c->tab);
	free(c->scratch);
	free(c->buf);
	if (c->need_tz)
		tz_release(&c->tz);
	free(c);
}

static long
calc_acted(const void *self)
{
	const struct calc *c = self;

	return c->enriched;
}

int
calc_stage_new_list(struct stage **sp, const struct config *cfg,
    const char *list, struct journal *j, struct sk_err *e)
{
	struct calc *c;
	struct stage *st;
	const char *zone;

	*sp = NULL;
	c = xcalloc(1, sizeof(*c));
	c->j = j;
	if (units_from_config(c, cfg, e) == -1)
		goto fail;
	if (list == NULL)
		select_default(c);
	else if (select_list(c, list, e) == -1)
		goto fail;
	units_pack(c);
	c->scratch = xcalloc(c->nsave ? c->nsave : 1, sizeof(double));
	if (c->need_tz) {
		zone = cfg->market.timezone[0] != '\0' ?
		    cfg->market.timezone : "UTC";
		if (tz_load(&c->tz, zone, e) == -1) {
			c->need_tz = 0;
			goto fail;
		}
	}
	st = xcalloc(1, sizeof(*st));
	st->name = CALC_STAGE;
	st->mask = REC_MASK(REC_BAR);
	st->self = c;
	st->take = calc_take;
	st->finish = calc_finish;
	st->free = calc_free;
	st->acted = calc_acted;
	*sp = st;
	return 0;
fail:
	calc_free(c);
	return -1;
}

int
calc_stage_new(struct stage **sp, const struct config *cfg,
    struct journal *j, struct sk_err *e)
{
	return calc_stage_new_list(sp, cfg, NULL, j, e);
}

long
calc_stage_enriched(const struct stage *st)
{
	const struct calc *c = st->self;

	return c->enriched;
}

long
calc_stage_seen(const struct stage *st)
{
	const struct calc *c = st->self;

	return c->seen;
}

/* "SPY/1m" into symbol and tf: the last '/' splits, as tf has none. */
static int
split_key(const char *key, char *symbol, char *tf)
{
	const char *p = strrchr(key, '/');

	if (p == NULL || (size_t)(p - key) >= REC_SYM || p == key ||
	    strlen(p + 1) >= 8)
		return -1;
	memcpy(symbol, key, (size_t)(p - key));
	symbol[p - key] = '\0';
	sk_strlcpy(tf, p + 1, 8);
	return 0;
}

char *
calc_state_save(const struct stage *st, const char *key)
{
	struct calc *c = st->self;
	struct sym *s;
	char symbol[REC_SYM], tf[8];

	if (split_key(key, symbol, tf) == -1)
		return NULL;
	s = sym_find(c, symbol, tf, sym_hash(symbol, tf));
	if (s == NULL)
		return NULL;
	state_format(c, s);
	return xstrdup(c->buf);
}

int
calc_state_load(struct stage *st, const char *key, const char *json,
    struct sk_err *e)
{
	struct calc *c = st->self;
	struct sym *s;
	char symbol[REC_SYM], tf[8];
	int64_t ms;
	uint32_t h;

	if (split_key(key, symbol, tf) == -1)
		return sk_errf(e, SK_DATA, "%s: not a symbol/tf key", key);
	ms = rec_tf_ms(tf);
	if (ms <= 0)
		return sk_errf(e, SK_DATA, "%s: not a symbol/tf key", key);
	h = sym_hash(symbol, tf);
	s = sym_find(c, symbol, tf, h);
	if (s == NULL)
		s = sym_new(c, symbol, tf, ms, h);
	return state_parse(c, s, json, e);
}
