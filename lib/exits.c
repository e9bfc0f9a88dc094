/*
 * exits.c: the exit rules, in the order the reference strategy fixes
 * them: at the open, then inside the bar, then at the close.  Orders for
 * the open and the inside of a bar go out before the bar itself, so the
 * broker downstream fills them against that bar; orders decided at the
 * close (or on a quote) go out after it and fill at the next bar's open.
 * A stop or target moved at a close counts from the next bar on.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "exits.h"

#define STATE_VERSION	1

/* The rules, pure. */

const char *
exits_why_name(enum exit_why w)
{
	static const char *const name[] = {
		[WHY_STOP] = "stop", [WHY_TARGET] = "target",
		[WHY_TRAIL] = "trail", [WHY_TP_EXTEND] = "tp_extend",
		[WHY_SPREAD] = "spread"
	};

	return w <= WHY_SPREAD ? name[w] : "stop";
}

void
exits_levels(struct exit_state *s, const struct cfg_exits *c,
    const struct position *p, double atr)
{
	double px = p->entry_price;
	int atr_ok = isfinite(atr) && atr > 0;

	/* One rounded product each, as the reference fixes it. */
	if (c->stop_atr > 0 && atr_ok)
		s->sl = px - p->dir * c->stop_atr * atr;
	else
		s->sl = px * (p->dir > 0 ? (100.0 - c->stop_pct) / 100.0 :
		    (100.0 + c->stop_pct) / 100.0);
	if (c->target_atr > 0 && atr_ok)
		s->tp = px + p->dir * c->target_atr * atr;
	else
		s->tp = px * (p->dir > 0 ? (100.0 + c->target_pct) / 100.0 :
		    (100.0 - c->target_pct) / 100.0);
	s->tp0 = s->tp;
	s->risk = fabs(px - s->sl);
	s->peak = NAN;
	s->spread0 = NAN;
	s->wpend = s->widen = 0;
	s->sl_why = WHY_STOP;
	s->tp_why = WHY_TARGET;
	s->be = s->next = s->run = 0;
}

enum exit_hit
exits_inside(const struct exit_state *s, int dir, double h, double l,
    int extend)
{
	if (dir > 0 ? l <= s->sl : h >= s->sl)
		return HIT_STOP;
	if (dir > 0 ? h >= s->tp : l <= s->tp)
		return extend ? HIT_EXTEND : HIT_TARGET;
	return HIT_NONE;
}

int
exits_flow_agrees(int dir, double ofi, double accel)
{
	return dir * ofi > 0 && dir * accel > 0;
}

/* Move the stop of s to px if that is the position's way. */
static int
raise_stop(struct exit_state *s, int dir, double px, enum exit_why why)
{
	if (!isfinite(px) || (dir > 0 ? px <= s->sl : px >= s->sl))
		return 0;
	s->sl = px;
	s->sl_why = why;
	return 1;
}

void
exits_extend(struct exit_state *s, const struct cfg_exits *c,
    const struct position *p)
{
	double px = p->entry_price, reached = s->tp;

	s->tp = reached + p->dir * (c->tp_extend_pct / 100.0) *
	    fabs(s->tp0 - px);
	s->tp_why = WHY_TP_EXTEND;
	s->next++;
	if (c->zone_trail)
		(void)raise_stop(s, p->dir, px + p->dir *
		    (c->zone_lock_pct / 100.0) * fabs(reached - px),
		    WHY_TRAIL);
}

void
exits_progress(struct exit_state *s, const struct cfg_exits *c,
    const struct position *p, double fav, double fee)
{
	double px = p->entry_price, up;
	int dir = p->dir;

	if (isfinite(fav) && (isnan(s->peak) ||
	    (dir > 0 ? fav > s->peak : fav < s->peak)))
		s->peak = fav;
	if (isnan(s->peak))
		return;
	up = dir * (s->peak - px);
	if (c->zone_trail && !s->be && up >= (c->zone_be_pct / 100.0) *
	    fabs(s->tp0 - px)) {
		s->be = 1;
		(void)raise_stop(s, dir, px + dir * fee, WHY_TRAIL);
	}
	if (c->trail && s->risk > 0 && up >= c->trail_after_r * s->risk)
		(void)raise_stop(s, dir, s->peak - dir * c->trail_r * s->risk,
		    WHY_TRAIL);
}

int
exits_exhausted(struct exit_state *s, int n, int dir, const struct bar *b,
    double a, double e)
{
	double top, bot;
	int out;

	if (isnan(a) || isnan(e)) {
		s->run = 0;
		return 0;
	}
	top = a > e ? a : e;
	bot = a > e ? e : a;
	out = dir > 0 ? b->c > b->o && b->l > top :
	    b->c < b->o && b->h < bot;
	s->run = out ? s->run + 1 : 0;
	return n > 0 && s->run >= n;
}

int
exits_adverse(double k, int dir, const struct bar *b, double atr)
{
	if (!(k > 0) || !(atr > 0))
		return 0;
	if (dir > 0 ? b->c >= b->o : b->c <= b->o)
		return 0;
	return fabs(b->c - b->o) > k * atr;
}

int
exits_timed_out(int max_hold, int64_t entry, int64_t now)
{
	return max_hold > 0 && now - entry >= max_hold * CLOCK_MIN;
}

int
exits_flat(const struct cfg_exits *c, int64_t day, int minute,
    int64_t entry_day)
{
	return (c->flat_by_exit && minute >= c->flat_by) ||
	    (c->session_exit && day != entry_day);
}

int
exits_bounce(int dir, const struct bar *b, double a, double e)
{
	double top, bot;

	if (isnan(a) || isnan(e))
		return 0;
	top = a > e ? a : e;
	bot = a > e ? e : a;
	return dir > 0 ? b->l <= top && b->c > top :
	    b->h >= bot && b->c < bot;
}

double
exits_mark(int dir, double bid, double ask)
{
	return dir > 0 ? bid : ask;
}

enum exit_spread
exits_spread(struct exit_state *s, const struct cfg_exits *c,
    const struct position *p, double bid, double ask)
{
	double spread = ask - bid;

	(void)p;
	if (!(c->spread_mult > 0) || isnan(s->spread0) ||
	    !(spread > c->spread_mult * s->spread0))
		return SPREAD_NONE;
	if (strcmp(c->spread_action, "exit") == 0)
		return SPREAD_EXIT;
	if (spread - s->spread0 > s->wpend)
		s->wpend = spread - s->spread0;
	return SPREAD_TIGHTEN;
}

int
exits_tighten(struct exit_state *s, int dir, double mark)
{
	double d = s->wpend - s->widen, sl, tp;
	int moved = 0;

	if (!(d > 0) || !isfinite(mark))
		return 0;
	s->widen = s->wpend;
	sl = s->sl + dir * d;
	tp = s->tp - dir * d;
	if (dir > 0 ? sl > mark : sl < mark)
		sl = mark;
	if (dir > 0 ? tp < mark : tp > mark)
		tp = mark;
	if (dir > 0 ? sl > s->sl : sl < s->sl) {
		s->sl = sl;
		s->sl_why = WHY_SPREAD;
		moved = 1;
	}
	if (dir > 0 ? tp < s->tp : tp > s->tp) {
		s->tp = tp;
		s->tp_why = WHY_SPREAD;
		moved = 1;
	}
	return moved;
}

/* The stage. */

/* A quote as the rules need it. */
struct snap {
	int64_t		 ts;		/* TS_UNSET: none */
	double		 bid, ask, ofi, accel;
};

/* One symbol: what the rules know of it, and its positions' states. */
struct xsym {
	char		 symbol[REC_SYM];
	int64_t		 closed;	/* close of its last bar; TS_UNSET */
	double		 atr;		/* the last ATR a bar of it had */
	struct snap	 snap;		/* last quote at or before closed */
	struct snap	 cur;		/* last quote */
	double		 hib, loa;	/* best bid, ask after closed */
	int64_t		 qlast;		/* ts of the last of those */
	struct exit_state *st;
	size_t		 n, cap;
};

struct exits {
	const struct config	*cfg;
	struct journal		*j;
	struct tz		 tz;
	struct book		 book;
	char			 flip[32];	/* "flip5_12" */
	char			 ema_a[16], ema_b[16];	/* "ema5" */
	char			 atr[16];	/* "atr14" */
	struct xsym		**sym;
	size_t			 nsym, capsym;
	long			 nexits, nsignals;
};

static void
snap_clear(struct snap *q)
{
	q->ts = TS_UNSET;
	q->bid = q->ask = q->ofi = q->accel = NAN;
}

static struct exit_state *
state_find(struct xsym *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->st[i].id, id) == 0)
			return &s->st[i];
	return NULL;
}

static struct exit_state *
state_add(struct xsym *s, const char *id)
{
	struct exit_state *t;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->st = xrealloc(s->st, s->cap * sizeof(*s->st));
	}
	t = &s->st[s->n++];
	memset(t, 0, sizeof(*t));
	sk_strlcpy(t->id, id, sizeof(t->id));
	return t;
}

/* Forget the states of positions no longer open. */
static void
state_prune(const struct exits *x, struct xsym *s)
{
	size_t i = 0;

	while (i < s->n) {
		if (book_find(&x->book, s->st[i].id) != NULL) {
			i++;
			continue;
		}
		memmove(&s->st[i], &s->st[i + 1], (s->n - i - 1) *
		    sizeof(*s->st));
		s->n--;
	}
}

/* Saved state: JSON numbers, null for NAN or an unset instant. */

static void
put_num(cJSON *o, const char *k, double v)
{
	if (isfinite(v))
		cJSON_AddNumberToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static void
put_ts(cJSON *o, const char *k, int64_t ts)
{
	put_num(o, k, ts == TS_UNSET ? NAN : (double)ts);
}

static double
get_num(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static int64_t
get_ts(const cJSON *o, const char *k)
{
	double v = get_num(o, k);

	return isfinite(v) ? (int64_t)v : TS_UNSET;
}

static cJSON *
snap_json(const struct snap *q)
{
	cJSON *o = cJSON_CreateObject();

	put_ts(o, "ts", q->ts);
	put_num(o, "bid", q->bid);
	put_num(o, "ask", q->ask);
	put_num(o, "ofi", q->ofi);
	put_num(o, "accel", q->accel);
	return o;
}

static void
snap_parse(struct snap *q, const cJSON *o)
{
	snap_clear(q);
	if (!cJSON_IsObject(o))
		return;
	q->ts = get_ts(o, "ts");
	q->bid = get_num(o, "bid");
	q->ask = get_num(o, "ask");
	q->ofi = get_num(o, "ofi");
	q->accel = get_num(o, "accel");
}

static enum exit_why
why_of(const char *w)
{
	enum exit_why i;

	for (i = WHY_STOP; i <= WHY_SPREAD; i++)
		if (w != NULL && strcmp(w, exits_why_name(i)) == 0)
			return i;
	return WHY_STOP;
}

/* The state of s as malloc'd JSON text; NULL when out of memory. */
static char *
sym_format(const struct xsym *s)
{
	const struct exit_state *t;
	cJSON *o, *a, *p;
	char *txt;
	size_t i;

	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "v", STATE_VERSION);
	put_ts(o, "closed", s->closed);
	put_num(o, "atr", s->atr);
	cJSON_AddItemToObject(o, "snap", snap_json(&s->snap));
	cJSON_AddItemToObject(o, "cur", snap_json(&s->cur));
	put_num(o, "hib", s->hib);
	put_num(o, "loa", s->loa);
	put_ts(o, "qlast", s->qlast);
	a = cJSON_AddArrayToObject(o, "pos");
	for (i = 0; i < s->n; i++) {
		t = &s->st[i];
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "id", t->id);
		put_num(p, "sl", t->sl);
		put_num(p, "tp", t->tp);
		put_num(p, "tp0", t->tp0);
		put_num(p, "risk", t->risk);
		put_num(p, "peak", t->peak);
		put_num(p, "spread0", t->spread0);
		put_num(p, "wpend", t->wpend);
		put_num(p, "widen", t->widen);
		cJSON_AddStringToObject(p, "sl_why", exits_why_name(t->sl_why));
		cJSON_AddStringToObject(p, "tp_why", exits_why_name(t->tp_why));
		cJSON_AddNumberToObject(p, "be", t->be);
		cJSON_AddNumberToObject(p, "ext", t->next);
		cJSON_AddNumberToObject(p, "run", t->run);
		cJSON_AddItemToArray(a, p);
	}
	txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return txt;
}

static int
bad_state(const struct xsym *s, const char *why, struct sk_err *e)
{
	return sk_errf(e, SK_DATA, "journal: %s %s: saved state: %s",
	    EXITS_STAGE, s->symbol, why);
}

/* Put the saved state json into s. */
static int
sym_parse(struct xsym *s, const char *json, struct sk_err *e)
{
	const cJSON *a, *p, *id, *v;
	struct exit_state *t;
	cJSON *o;
	int rv = -1;

	o = cJSON_Parse(json);
	if (o == NULL)
		return bad_state(s, "not valid JSON", e);
	v = cJSON_GetObjectItemCaseSensitive(o, "v");
	a = cJSON_GetObjectItemCaseSensitive(o, "pos");
	if (!cJSON_IsNumber(v) || v->valuedouble != STATE_VERSION) {
		bad_state(s, "unknown version", e);
		goto out;
	}
	if (!cJSON_IsArray(a)) {
		bad_state(s, "missing pos", e);
		goto out;
	}
	s->closed = get_ts(o, "closed");
	s->atr = get_num(o, "atr");
	snap_parse(&s->snap, cJSON_GetObjectItemCaseSensitive(o, "snap"));
	snap_parse(&s->cur, cJSON_GetObjectItemCaseSensitive(o, "cur"));
	s->hib = get_num(o, "hib");
	s->loa = get_num(o, "loa");
	s->qlast = get_ts(o, "qlast");
	cJSON_ArrayForEach(p, a) {
		id = cJSON_GetObjectItemCaseSensitive(p, "id");
		if (!cJSON_IsString(id) || strlen(id->valuestring) >= REC_ID) {
			bad_state(s, "a position without an id", e);
			goto out;
		}
		t = state_add(s, id->valuestring);
		t->sl = get_num(p, "sl");
		t->tp = get_num(p, "tp");
		t->tp0 = get_num(p, "tp0");
		t->risk = get_num(p, "risk");
		t->peak = get_num(p, "peak");
		t->spread0 = get_num(p, "spread0");
		t->wpend = fmax(0, get_num(p, "wpend"));
		t->widen = fmax(0, get_num(p, "widen"));
		t->sl_why = why_of(cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(p, "sl_why")));
		t->tp_why = why_of(cJSON_GetStringValue(
		    cJSON_GetObjectItemCaseSensitive(p, "tp_why")));
		if (t->tp_why == WHY_STOP || t->tp_why == WHY_TRAIL)
			t->tp_why = WHY_TARGET;
		t->be = get_num(p, "be") > 0;
		t->next = (int)fmin(fmax(0, get_num(p, "ext")), 1e6);
		t->run = (int)fmin(fmax(0, get_num(p, "run")), 1e6);
		if (isnan(t->sl) || isnan(t->tp) || isnan(t->tp0)) {
			bad_state(s, "a position without its stop or target",
			    e);
			goto out;
		}
	}
	rv = 0;
out:
	cJSON_Delete(o);
	return rv;
}

/* The symbol's state, made (and loaded from the journal) on first sight. */
static struct xsym *
sym_get(struct exits *x, const char *symbol, struct sk_err *e)
{
	struct xsym *s;
	char *json;
	size_t i;
	int rv;

	for (i = 0; i < x->nsym; i++)
		if (strcmp(x->sym[i]->symbol, symbol) == 0)
			return x->sym[i];
	s = xcalloc(1, sizeof(*s));
	sk_strlcpy(s->symbol, symbol, sizeof(s->symbol));
	s->closed = s->qlast = TS_UNSET;
	s->atr = s->hib = s->loa = NAN;
	snap_clear(&s->snap);
	snap_clear(&s->cur);
	if (x->nsym == x->capsym) {
		x->capsym = x->capsym ? x->capsym * 2 : 8;
		x->sym = xrealloc(x->sym, x->capsym * sizeof(*x->sym));
	}
	x->sym[x->nsym++] = s;
	if (x->j == NULL)
		return s;
	if (journal_state_get(x->j, EXITS_STAGE, symbol, &json, e) == -1)
		return NULL;
	rv = json != NULL ? sym_parse(s, json, e) : 0;
	free(json);
	return rv == -1 ? NULL : s;
}

/*
 * States for the open positions of s that have none yet.  The spread at
 * entry: that of quote q, which filled them, or of the last quote at or
 * before the last close (a fill at a bar's open).
 */
static void
attach(struct exits *x, struct xsym *s, const struct quote *q)
{
	const struct position *p;
	struct exit_state *t;
	size_t i;

	for (i = 0; i < x->book.npos; i++) {
		p = &x->book.pos[i];
		if (strcmp(p->symbol, s->symbol) != 0 ||
		    state_find(s, p->id) != NULL)
			continue;
		t = state_add(s, p->id);
		exits_levels(t, &x->cfg->exits, p, s->atr);
		if (q != NULL)
			t->spread0 = q->ask - q->bid;
		else if (s->snap.ts != TS_UNSET)
			t->spread0 = s->snap.ask - s->snap.bid;
	}
}

static void
make_exit(struct exits *x, struct order *o, const struct position *p,
    int64_t ts, const char *type, double px, const char *reason)
{
	book_close_order(o, p, ts, type, px, reason);
	snprintf(o->intent_id, sizeof(o->intent_id), "%.60s/%s", p->id,
	    reason);
	x->nexits++;
}

/* Send one exit downstream and into our own book. */
static int
send_exit(struct exits *x, const struct position *p, int64_t ts,
    const char *type, double px, const char *reason, const struct emit *out,
    struct sk_err *e)
{
	struct rec r;

	rec_init(&r, REC_ORDER);
	make_exit(x, &r.u.ord, p, ts, type, px, reason);
	book_order(&x->book, &r.u.ord);
	return emit(out, &r, e);
}

/*
 * The cool-off lock on a symbol until the instant until, unless one
 * saved already lasts longer.  gate-risk reads it.
 */
static int
lock_put(struct exits *x, const struct position *p, int64_t now,
    int64_t until, struct sk_err *e)
{
	char ts[CLOCK_TSLEN], *json, *txt;
	cJSON *o, *u;
	int64_t old = TS_UNSET;
	int rv;

	if (x->j == NULL)
		return 0;
	if (journal_state_get(x->j, EXITS_LOCK, p->symbol, &json, e) == -1)
		return -1;
	if (json != NULL) {
		o = cJSON_Parse(json);
		u = cJSON_GetObjectItemCaseSensitive(o, "until");
		if (cJSON_IsString(u) && clock_parse(u->valuestring,
		    strlen(u->valuestring), &old) == -1)
			old = TS_UNSET;
		cJSON_Delete(o);
		free(json);
		if (old != TS_UNSET && old >= until)
			return 0;
	}
	o = cJSON_CreateObject();
	clock_format(until, ts);
	cJSON_AddStringToObject(o, "until", ts);
	cJSON_AddStringToObject(o, "reason", "adverse_candle");
	cJSON_AddStringToObject(o, "position_id", p->id);
	clock_format(now, ts);
	cJSON_AddStringToObject(o, "ts", ts);
	txt = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (txt == NULL)
		return sk_errf(e, SK_IO, "out of memory");
	rv = journal_state_put(x->j, EXITS_LOCK, p->symbol, txt, e);
	free(txt);
	return rv;
}

/* The add-on half of p, as a signal for gate-risk, at the close of b. */
static int
send_addon(struct exits *x, const struct position *p, const struct bar *b,
    const struct emit *out, struct sk_err *e)
{
	const struct cfg_strategy *cs = &x->cfg->strategy;
	struct signal *s;
	struct rec r;

	rec_init(&r, REC_SIGNAL);
	s = &r.u.sig;
	s->ts = b->ts + b->tf_ms;
	s->bar_ts = b->ts;
	sk_strlcpy(s->symbol, p->symbol, sizeof(s->symbol));
	snprintf(s->id, sizeof(s->id), "%.72s/add-on", p->id);
	sk_strlcpy(s->strategy, p->strategy[0] != '\0' ? p->strategy :
	    cs->name, sizeof(s->strategy));
	sk_strlcpy(s->side, p->dir > 0 ? "long" : "short", sizeof(s->side));
	s->price = b->c;
	sk_strlcpy(s->reasons[0], "add-on", REC_TEXT);
	snprintf(s->reasons[1], REC_TEXT, "first candle tested the ema%d/%d "
	    "cloud and bounced", cs->fast_short, cs->fast_long);
	snprintf(s->reasons[2], REC_TEXT, "adds to position %s", p->id);
	s->nreasons = 3;
	x->nsignals++;
	return emit(out, &r, e);
}

/*
 * Each rule walks the open positions of the bar's symbol that have no
 * exit working yet.  Positions are copied out first: sending an exit
 * changes the book.
 */
static int
at_open(struct exits *x, const struct bar *b, const struct emit *out,
    struct sk_err *e)
{
	const struct cfg_exits *c = &x->cfg->exits;
	struct local now, entry;
	struct position p;
	size_t i;

	if (x->book.npos == 0 || (!c->flat_by_exit && !c->session_exit))
		return 0;
	tz_local(&x->tz, b->ts, &now);
	for (i = 0; i < x->book.npos; i++) {
		if (x->book.pos[i].closing ||
		    strcmp(x->book.pos[i].symbol, b->symbol) != 0)
			continue;
		p = x->book.pos[i];
		tz_local(&x->tz, p.entry_ts, &entry);
		if (!exits_flat(c, now.day, now.minute, entry.day))
			continue;
		if (send_exit(x, &p, b->ts, "market", NAN, "eod", out,
		    e) == -1)
			return -1;
	}
	return 0;
}

/* The flow, as of the bar's start, agrees with a position of dir. */
static int
may_extend(const struct exits *x, const struct xsym *s,
    const struct bar *b, int dir)
{
	if (!x->cfg->exits.tp_extend || s->snap.ts == TS_UNSET ||
	    s->snap.ts > b->ts)
		return 0;
	return exits_flow_agrees(dir, s->snap.ofi, s->snap.accel);
}

static int
inside(struct exits *x, struct xsym *s, const struct bar *b,
    const struct emit *out, struct sk_err *e)
{
	struct exit_state *t;
	struct position p;
	size_t i;

	for (i = 0; i < x->book.npos; i++) {
		if (x->book.pos[i].closing ||
		    strcmp(x->book.pos[i].symbol, b->symbol) != 0)
			continue;
		p = x->book.pos[i];
		t = state_find(s, p.id);
		if (t == NULL)
			continue;
		switch (exits_inside(t, p.dir, b->h, b->l,
		    may_extend(x, s, b, p.dir))) {
		case HIT_STOP:
			if (send_exit(x, &p, b->ts, "stop", t->sl,
			    exits_why_name(t->sl_why), out, e) == -1)
				return -1;
			break;
		case HIT_TARGET:
			if (send_exit(x, &p, b->ts, "limit", t->tp,
			    exits_why_name(t->tp_why), out, e) == -1)
				return -1;
			break;
		case HIT_EXTEND:
			exits_extend(t, &x->cfg->exits, &p);
			break;
		case HIT_NONE:
			break;
		}
	}
	return 0;
}

/*
 * The best price a position could have closed at in bar b: a long's
 * highest bid (a short's lowest ask) of the quotes inside the bar, or
 * with none, the bar's high (low).
 */
static double
best_mark(const struct xsym *s, const struct bar *b, int dir)
{
	double q = dir > 0 ? s->hib : s->loa;

	if (isfinite(q) && s->qlast != TS_UNSET &&
	    s->qlast <= b->ts + b->tf_ms)
		return q;
	return dir > 0 ? b->h : b->l;
}

/* The last quote at or before instant end, or NULL. */
static const struct snap *
quote_at(const struct xsym *s, int64_t end)
{
	if (s->cur.ts != TS_UNSET && s->cur.ts <= end)
		return &s->cur;
	if (s->snap.ts != TS_UNSET && s->snap.ts <= end)
		return &s->snap;
	return NULL;
}

/* The first rule at the close that closes p, or NULL. */
static const char *
close_reason(struct exits *x, struct exit_state *t, const struct position *p,
    const struct bar *b, double flip)
{
	const struct cfg_exits *c = &x->cfg->exits;
	int tired = 0;

	if (c->exhaustion > 0)
		tired = exits_exhausted(t, c->exhaustion, p->dir, b,
		    ind_get(&b->ind, x->ema_a), ind_get(&b->ind, x->ema_b));
	if (exits_adverse(c->adverse_atr, p->dir, b,
	    ind_get(&b->ind, x->atr)))
		return "adverse_candle";
	if (c->cloud_flip && !isnan(flip) && flip != 0 && p->dir != (int)flip)
		return "cloud_flip";
	if (tired)
		return "exhaustion";
	if (exits_timed_out(c->max_hold, p->entry_ts, b->ts + b->tf_ms))
		return "time";
	return NULL;
}

static int
at_close(struct exits *x, struct xsym *s, const struct bar *b,
    const struct emit *out, struct sk_err *e)
{
	const struct cfg_exits *c = &x->cfg->exits;
	int64_t end = b->ts + b->tf_ms;
	const struct snap *q = quote_at(s, end);
	struct exit_state *t;
	struct position p;
	const char *why;
	double flip, fee;
	size_t i;

	flip = ind_get(&b->ind, x->flip);
	for (i = 0; i < x->book.npos; i++) {
		if (x->book.pos[i].closing ||
		    strcmp(x->book.pos[i].symbol, b->symbol) != 0)
			continue;
		p = x->book.pos[i];
		t = state_find(s, p.id);
		if (t == NULL)
			continue;
		fee = p.qty > 0 ? (p.entry_fee + fees_of(&x->book.fees,
		    p.qty)) / p.qty : 0;
		if (q != NULL)
			(void)exits_tighten(t, p.dir, exits_mark(p.dir, q->bid,
			    q->ask));
		exits_progress(t, c, &p, best_mark(s, b, p.dir), fee);
		why = close_reason(x, t, &p, b, flip);
		if (why != NULL) {
			if (send_exit(x, &p, end, "market", NAN, why, out,
			    e) == -1)
				return -1;
			if (strcmp(why, "adverse_candle") == 0 &&
			    c->adverse_lock > 0 && lock_put(x, &p, end, end +
			    c->adverse_lock * CLOCK_MIN, e) == -1)
				return -1;
			continue;
		}
		/* The first candle: it holds the entry instant. */
		if (c->add_on && b->ts <= p.entry_ts && p.entry_ts < end &&
		    exits_bounce(p.dir, b, ind_get(&b->ind, x->ema_a),
		    ind_get(&b->ind, x->ema_b)) &&
		    send_addon(x, &p, b, out, e) == -1)
			return -1;
	}
	return 0;
}

/* After bar b: what the next bar's rules start from. */
static void
bar_done(struct exits *x, struct xsym *s, const struct bar *b)
{
	double atr = ind_get(&b->ind, x->atr);

	if (isfinite(atr))
		s->atr = atr;
	s->closed = b->ts + b->tf_ms;
	if (s->cur.ts != TS_UNSET && s->cur.ts <= s->closed)
		s->snap = s->cur;
	s->hib = s->loa = NAN;
	s->qlast = TS_UNSET;
	state_prune(x, s);
}

static int
take_bar(struct exits *x, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	const struct bar *b = &r->u.bar;
	struct xsym *s;

	if (x->j != NULL && journal_sync_orders(x->j, x->cfg->broker.name,
	    &x->book, e) == -1)
		return -1;
	s = sym_get(x, b->symbol, e);
	if (s == NULL)
		return -1;
	book_open(&x->book, b, NULL, NULL);
	attach(x, s, NULL);
	if (at_open(x, b, out, e) == -1)
		return -1;
	book_open(&x->book, b, NULL, NULL);
	attach(x, s, NULL);
	if (inside(x, s, b, out, e) == -1)
		return -1;
	book_intrabar(&x->book, b, NULL, NULL);
	if (emit(out, r, e) == -1)
		return -1;
	if (at_close(x, s, b, out, e) == -1)
		return -1;
	bar_done(x, s, b);
	return 0;
}

/* A quote: the flow and spread the rules read, then the spread rule. */
static int
take_quote(struct exits *x, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	const struct quote *q = &r->u.quote;
	struct exit_state *t;
	struct position p;
	struct xsym *s;
	size_t i;

	s = sym_get(x, q->symbol, e);
	if (s == NULL)
		return -1;
	s->cur.ts = q->ts;
	s->cur.bid = q->bid;
	s->cur.ask = q->ask;
	s->cur.ofi = ind_get(&q->ind, "ofi");
	s->cur.accel = ind_get(&q->ind, "accel");
	if (s->closed != TS_UNSET && q->ts <= s->closed)
		s->snap = s->cur;
	else {
		if (isnan(s->hib) || q->bid > s->hib)
			s->hib = q->bid;
		if (isnan(s->loa) || q->ask < s->loa)
			s->loa = q->ask;
		s->qlast = q->ts;
	}
	if (emit(out, r, e) == -1)
		return -1;
	/* Under the honest fill model a quote fills market orders. */
	book_quote(&x->book, q, NULL, NULL);
	attach(x, s, q);
	for (i = 0; i < x->book.npos; i++) {
		if (x->book.pos[i].closing ||
		    strcmp(x->book.pos[i].symbol, q->symbol) != 0)
			continue;
		p = x->book.pos[i];
		t = state_find(s, p.id);
		if (t == NULL)
			continue;
		if (isnan(t->spread0)) {
			t->spread0 = q->ask - q->bid;
			continue;
		}
		/* Tightening waits for the close: see exits_tighten(). */
		if (exits_spread(t, &x->cfg->exits, &p, q->bid, q->ask) ==
		    SPREAD_EXIT && send_exit(x, &p, q->ts, "market", NAN,
		    "spread", out, e) == -1)
			return -1;
	}
	return 0;
}

static int
exits_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct exits *x = self;

	switch (r->type) {
	case REC_ORDER:
		book_order(&x->book, &r->u.ord);
		return emit(out, r, e);
	case REC_BAR:
		return take_bar(x, r, out, e);
	case REC_QUOTE:
		return take_quote(x, r, out, e);
	default:
		return emit(out, r, e);
	}
}

/* Save every symbol's state seen in this run, in one transaction. */
static int
exits_finish(void *self, const struct emit *out, struct sk_err *e)
{
	struct exits *x = self;
	char *txt;
	size_t i;
	int rv;

	(void)out;
	if (x->j == NULL || x->nsym == 0)
		return 0;
	if (journal_begin(x->j, e) == -1)
		return -1;
	for (i = 0; i < x->nsym; i++) {
		state_prune(x, x->sym[i]);
		txt = sym_format(x->sym[i]);
		rv = txt == NULL ? sk_errf(e, SK_IO, "out of memory") :
		    journal_state_put(x->j, EXITS_STAGE, x->sym[i]->symbol,
		    txt, e);
		free(txt);
		if (rv == -1) {
			journal_rollback(x->j);
			return -1;
		}
	}
	return journal_commit(x->j, e);
}

static long
exits_acted(const void *self)
{
	const struct exits *x = self;

	return x->nexits + x->nsignals;
}

static void
exits_free(void *self)
{
	struct exits *x = self;
	size_t i;

	for (i = 0; i < x->nsym; i++) {
		free(x->sym[i]->st);
		free(x->sym[i]);
	}
	free(x->sym);
	book_release(&x->book);
	tz_release(&x->tz);
	free(x);
}

int
exits_stage_new(struct stage **sp, const struct config *c,
    struct journal *j, struct sk_err *e)
{
	struct exits *x;
	struct stage *st;
	struct fees f = { c->broker.fee_per_share, c->broker.fee_per_order };

	x = xcalloc(1, sizeof(*x));
	x->cfg = c;
	x->j = j;
	/* The fill model place-order runs, so that both books agree. */
	book_init_cfg(&x->book, &f, c);
	snprintf(x->flip, sizeof(x->flip), "flip%d_%d",
	    c->strategy.fast_short, c->strategy.fast_long);
	snprintf(x->ema_a, sizeof(x->ema_a), "ema%d", c->strategy.fast_short);
	snprintf(x->ema_b, sizeof(x->ema_b), "ema%d", c->strategy.fast_long);
	snprintf(x->atr, sizeof(x->atr), "atr%d", c->exits.atr_period);
	if (tz_load(&x->tz, c->market.timezone, e) == -1 ||
	    (j != NULL && journal_load_book(j, c->broker.name, &x->book,
	    e) == -1)) {
		exits_free(x);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	st->name = "watch-exits";
	st->mask = REC_MASK(REC_BAR) | REC_MASK(REC_ORDER) |
	    REC_MASK(REC_QUOTE);
	st->self = x;
	st->take = exits_take;
	st->finish = exits_finish;
	st->free = exits_free;
	st->acted = exits_acted;
	*sp = st;
	return 0;
}
