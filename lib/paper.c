/*
 * paper.c: the paper broker's matching rules over a book of orders and
 * positions (see paper.h).  Arithmetic on prices is plain binary64, the
 * same in every stage, so every copy of a book reaches the same state.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "paper.h"

void
book_init(struct book *b, const struct fees *f)
{
	memset(b, 0, sizeof(*b));
	if (f != NULL)
		b->fees = *f;
}

void
book_release(struct book *b)
{
	free(b->pos);
	free(b->ord);
	idset_release(&b->seen);
	memset(b, 0, sizeof(*b));
}

double
fees_of(const struct fees *f, double qty)
{
	return f->per_order + f->per_share * qty;
}

/* 0 marks an empty slot: no id hashes to it. */
static uint64_t
hash(const char *s)
{
	uint64_t h = sk_hash(s);

	return h != 0 ? h : 1;
}

/* The slot of id: where it is, or the empty one where it would go. */
static size_t
slot(const struct idset *t, const char *id, uint64_t h)
{
	size_t i = (size_t)h & (t->cap - 1);

	while (t->slot[i].h != 0 && (t->slot[i].h != h ||
	    strcmp(t->slot[i].id, id) != 0))
		i = (i + 1) & (t->cap - 1);
	return i;
}

int
idset_has(const struct idset *t, const char *id)
{
	return t->cap > 0 && t->slot[slot(t, id, hash(id))].h != 0;
}

int
idset_add(struct idset *t, const char *id)
{
	struct idset old = *t;
	uint64_t h = hash(id);
	size_t i, k;

	if (idset_has(t, id))
		return 0;
	if (2 * (t->n + 1) > t->cap) {
		t->cap = old.cap ? old.cap * 2 : 256;
		t->slot = xcalloc(t->cap, sizeof(*t->slot));
		for (i = 0; i < old.cap; i++)
			if (old.slot[i].h != 0) {
				k = slot(t, old.slot[i].id, old.slot[i].h);
				t->slot[k] = old.slot[i];
			}
		free(old.slot);
	}
	k = slot(t, id, h);
	t->slot[k].h = h;
	sk_strlcpy(t->slot[k].id, id, sizeof(t->slot[k].id));
	t->n++;
	return 1;
}

void
idset_release(struct idset *t)
{
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

int
book_order(struct book *b, const struct order *o)
{
	struct position *p;
	size_t i;

	if (!idset_add(&b->seen, o->intent_id))
		return 0;
	if (b->nord == b->capord) {
		b->capord = b->capord ? b->capord * 2 : 16;
		b->ord = xrealloc(b->ord, b->capord * sizeof(*b->ord));
	}
	b->ord[b->nord++] = *o;
	if (strcmp(o->effect, "close") == 0)
		for (i = 0; i < b->npos; i++) {
			p = &b->pos[i];
			if (strcmp(p->id, o->position_id) == 0)
				p->closing = 1;
		}
	return 1;
}

void
book_position(struct book *b, const struct position *p)
{
	if (b->npos == b->cappos) {
		b->cappos = b->cappos ? b->cappos * 2 : 8;
		b->pos = xrealloc(b->pos, b->cappos * sizeof(*b->pos));
	}
	b->pos[b->npos++] = *p;
}

static struct position *
find(struct book *b, const char *id)
{
	size_t i;

	for (i = 0; i < b->npos; i++)
		if (strcmp(b->pos[i].id, id) == 0)
			return &b->pos[i];
	return NULL;
}

const struct position *
book_find(const struct book *b, const char *id)
{
	return find((struct book *)b, id);
}

size_t
book_open_count(const struct book *b, const char *symbol)
{
	size_t i, n = 0;

	for (i = 0; i < b->npos; i++)
		if (symbol == NULL || strcmp(b->pos[i].symbol, symbol) == 0)
			n++;
	return n;
}

size_t
book_pending_entries(const struct book *b, const char *symbol)
{
	size_t i, n = 0;

	for (i = 0; i < b->nord; i++)
		if (strcmp(b->ord[i].effect, "open") == 0 &&
		    (symbol == NULL || strcmp(b->ord[i].symbol, symbol) == 0))
			n++;
	return n;
}

static void
drop_order(struct book *b, size_t i)
{
	memmove(&b->ord[i], &b->ord[i + 1], (b->nord - i - 1) *
	    sizeof(*b->ord));
	b->nord--;
}

static void
say(book_cb *cb, void *arg, struct book_event *ev)
{
	if (cb != NULL)
		cb(arg, ev);
}

/*
 * Fill order o (already removed from the pending list; the caller keeps
 * the copy) at price, opening or closing its position.
 */
static void
fill(struct book *b, const struct order *o, int64_t ts, double price,
    const char *reason_override, book_cb *cb, void *arg)
{
	struct book_event ev;
	struct position np, *p, old;
	int dir = strcmp(o->side, "buy") == 0 ? 1 : -1;

	memset(&ev, 0, sizeof(ev));
	ev.ord = o;
	ev.ts = ts;
	ev.price = price;
	ev.fee = fees_of(&b->fees, o->qty);
	ev.why = reason_override;
	if (strcmp(o->effect, "open") == 0) {
		memset(&np, 0, sizeof(np));
		sk_strlcpy(np.id, o->intent_id, sizeof(np.id));
		sk_strlcpy(np.symbol, o->symbol, sizeof(np.symbol));
		sk_strlcpy(np.strategy, o->strategy, sizeof(np.strategy));
		sk_strlcpy(np.signal_id, o->signal_id, sizeof(np.signal_id));
		np.dir = dir;
		np.qty = o->qty;
		np.entry_price = price;
		np.entry_fee = ev.fee;
		np.entry_ts = ts;
		book_position(b, &np);
		ev.what = BOOK_FILL;
		ev.pos = &b->pos[b->npos - 1];
		say(cb, arg, &ev);
		return;
	}
	p = find(b, o->position_id);
	old = *p;
	ev.what = BOOK_FILL;
	ev.pos = &old;
	/* As the reference: (exit - entry) x qty, or the reverse short. */
	ev.pnl = old.dir > 0 ? (price - old.entry_price) * old.qty :
	    (old.entry_price - price) * old.qty;
	*p = b->pos[--b->npos];
	say(cb, arg, &ev);
}

static void
reject(const struct order *o, int64_t ts, const char *why, book_cb *cb,
    void *arg)
{
	struct book_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.what = BOOK_REJECT;
	ev.ord = o;
	ev.ts = ts;
	ev.why = why;
	say(cb, arg, &ev);
}

/* A closing order whose position is gone cannot fill. */
static int
orphan(struct book *b, const struct order *o)
{
	return strcmp(o->effect, "close") == 0 &&
	    find(b, o->position_id) == NULL;
}

void
book_open(struct book *b, const struct bar *bar, book_cb *cb, void *arg)
{
	struct book_event ev;
	struct order o;
	size_t i = 0;

	while (i < b->nord) {
		if (strcmp(b->ord[i].symbol, bar->symbol) != 0 ||
		    strcmp(b->ord[i].order_type, "market") != 0 ||
		    b->ord[i].ts > bar->ts) {
			i++;
			continue;
		}
		o = b->ord[i];
		drop_order(b, i);
		if (o.expires != TS_UNSET && bar->ts >= o.expires) {
			memset(&ev, 0, sizeof(ev));
			ev.what = BOOK_EXPIRE;
			ev.ord = &o;
			ev.ts = bar->ts;
			ev.why = "expired before the next bar";
			say(cb, arg, &ev);
		} else if (orphan(b, &o))
			reject(&o, bar->ts, "no open position", cb, arg);
		else
			fill(b, &o, bar->ts, bar->o, NULL, cb, arg);
	}
}

/* The price a stop or limit order gets in bar, or NAN if not reached. */
static double
touched(const struct order *o, const struct bar *bar)
{
	int buy = strcmp(o->side, "buy") == 0;

	if (strcmp(o->order_type, "stop") == 0) {
		if (buy)
			return bar->h >= o->stop ?
			    (bar->o >= o->stop ? bar->o : o->stop) : NAN;
		return bar->l <= o->stop ?
		    (bar->o <= o->stop ? bar->o : o->stop) : NAN;
	}
	if (buy)
		return bar->l <= o->limit ?
		    (bar->o <= o->limit ? bar->o : o->limit) : NAN;
	return bar->h >= o->limit ?
	    (bar->o >= o->limit ? bar->o : o->limit) : NAN;
}

void
book_intrabar(struct book *b, const struct bar *bar, book_cb *cb, void *arg)
{
	struct order o;
	double px;
	size_t i = 0;

	while (i < b->nord) {
		if (strcmp(b->ord[i].symbol, bar->symbol) != 0 ||
		    strcmp(b->ord[i].order_type, "market") == 0 ||
		    b->ord[i].ts > bar->ts) {
			i++;
			continue;
		}
		o = b->ord[i];
		if (orphan(b, &o)) {
			drop_order(b, i);
			reject(&o, bar->ts, "no open position", cb, arg);
			continue;
		}
		px = touched(&o, bar);
		if (isnan(px)) {
			i++;
			continue;
		}
		drop_order(b, i);
		fill(b, &o, bar->ts, px, NULL, cb, arg);
	}
}

void
book_bar(struct book *b, const struct bar *bar, book_cb *cb, void *arg)
{
	book_open(b, bar, cb, arg);
	book_intrabar(b, bar, cb, arg);
}

void
book_close_order(struct order *o, const struct position *p, int64_t ts,
    const char *type, double px, const char *reason)
{
	memset(o, 0, sizeof(*o));
	o->ts = ts;
	o->expires = TS_UNSET;
	sk_strlcpy(o->symbol, p->symbol, sizeof(o->symbol));
	sk_strlcpy(o->side, p->dir > 0 ? "sell" : "buy", sizeof(o->side));
	o->qty = p->qty;
	sk_strlcpy(o->order_type, type, sizeof(o->order_type));
	o->limit = strcmp(type, "limit") == 0 ? px : NAN;
	o->stop = strcmp(type, "stop") == 0 ? px : NAN;
	o->tp = o->sl = NAN;
	sk_strlcpy(o->effect, "close", sizeof(o->effect));
	sk_strlcpy(o->position_id, p->id, sizeof(o->position_id));
	sk_strlcpy(o->signal_id, p->signal_id, sizeof(o->signal_id));
	sk_strlcpy(o->strategy, p->strategy, sizeof(o->strategy));
	sk_strlcpy(o->reason, reason, sizeof(o->reason));
}

void
book_end_order(struct order *o, const struct position *p, int64_t ts)
{
	book_close_order(o, p, ts, "market", NAN, "end");
	snprintf(o->intent_id, sizeof(o->intent_id), "%.70s.end", p->id);
}

void
book_liquidate(struct book *b, const char *symbol, int64_t ts, double price,
    book_cb *cb, void *arg)
{
	struct book_event ev;
	struct order o;
	struct position *p;
	size_t i = 0;

	while (i < b->nord) {
		if (strcmp(b->ord[i].symbol, symbol) != 0) {
			i++;
			continue;
		}
		o = b->ord[i];
		drop_order(b, i);
		memset(&ev, 0, sizeof(ev));
		ev.what = BOOK_EXPIRE;
		ev.ord = &o;
		ev.ts = ts;
		ev.why = "end of data";
		say(cb, arg, &ev);
	}
	i = 0;
	while (i < b->npos) {
		p = &b->pos[i];
		if (strcmp(p->symbol, symbol) != 0) {
			i++;
			continue;
		}
		book_end_order(&o, p, ts);
		fill(b, &o, ts, price, NULL, cb, arg);
	}
}
