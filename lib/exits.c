/*
 * exits.c: the exit rules, in the order the reference strategy fixes
 * them: at the open, then inside the bar, then at the close.  Orders for
 * the open and the inside of a bar go out before the bar itself, so the
 * broker downstream fills them against that bar; orders decided at the
 * close go out after it and fill at the next bar's open.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "exits.h"
#include "paper.h"

struct exits {
	const struct config	*cfg;
	struct journal		*j;
	struct tz		 tz;
	struct book		 book;
	double			 down, up;	/* (100 -+ pct) / 100 */
	double			 tdown, tup;
	char			 flip[32];	/* "flip5_12" */
	long			 nexits;
};

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
 * Each rule walks the open positions of the bar's symbol that have no
 * exit working yet.  Positions are copied out first: sending an exit
 * changes the book.
 */
static int
at_open(struct exits *x, const struct bar *b, const struct emit *out,
    struct sk_err *e)
{
	struct local now, entry;
	struct position p;
	size_t i;

	if (x->book.npos == 0)
		return 0;
	tz_local(&x->tz, b->ts, &now);
	for (i = 0; i < x->book.npos; i++) {
		if (x->book.pos[i].closing ||
		    strcmp(x->book.pos[i].symbol, b->symbol) != 0)
			continue;
		p = x->book.pos[i];
		tz_local(&x->tz, p.entry_ts, &entry);
		if (now.minute < x->cfg->exits.flat_by && now.day == entry.day)
			continue;
		if (send_exit(x, &p, b->ts, "market", NAN, "eod", out,
		    e) == -1)
			return -1;
	}
	return 0;
}

static int
inside(struct exits *x, const struct bar *b, const struct emit *out,
    struct sk_err *e)
{
	struct position p;
	double sl, tp;
	size_t i;

	for (i = 0; i < x->book.npos; i++) {
		if (x->book.pos[i].closing ||
		    strcmp(x->book.pos[i].symbol, b->symbol) != 0)
			continue;
		p = x->book.pos[i];
		/* One rounded product each, as the reference fixes it. */
		sl = p.entry_price * (p.dir > 0 ? x->down : x->up);
		tp = p.entry_price * (p.dir > 0 ? x->tup : x->tdown);
		if (p.dir > 0 ? b->l <= sl : b->h >= sl) {
			if (send_exit(x, &p, b->ts, "stop", sl, "stop", out,
			    e) == -1)
				return -1;
		} else if (p.dir > 0 ? b->h >= tp : b->l <= tp) {
			if (send_exit(x, &p, b->ts, "limit", tp, "target", out,
			    e) == -1)
				return -1;
		}
	}
	return 0;
}

static int
at_close(struct exits *x, const struct bar *b, const struct emit *out,
    struct sk_err *e)
{
	struct position p;
	double flip;
	size_t i;

	if (!x->cfg->exits.cloud_flip || x->book.npos == 0)
		return 0;
	flip = ind_get(&b->ind, x->flip);
	if (isnan(flip) || flip == 0)
		return 0;
	for (i = 0; i < x->book.npos; i++) {
		if (x->book.pos[i].closing || x->book.pos[i].dir == (int)flip ||
		    strcmp(x->book.pos[i].symbol, b->symbol) != 0)
			continue;
		p = x->book.pos[i];
		if (send_exit(x, &p, b->ts + b->tf_ms, "market", NAN,
		    "cloud_flip", out, e) == -1)
			return -1;
	}
	return 0;
}

static int
exits_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct exits *x = self;
	const struct bar *b;

	if (r->type == REC_ORDER) {
		book_order(&x->book, &r->u.ord);
		return emit(out, r, e);
	}
	if (r->type != REC_BAR)
		return emit(out, r, e);
	b = &r->u.bar;
	if (x->j != NULL && journal_sync_orders(x->j, x->cfg->broker.name,
	    &x->book, e) == -1)
		return -1;
	book_open(&x->book, b, NULL, NULL);
	if (at_open(x, b, out, e) == -1)
		return -1;
	book_open(&x->book, b, NULL, NULL);
	if (inside(x, b, out, e) == -1)
		return -1;
	book_intrabar(&x->book, b, NULL, NULL);
	if (emit(out, r, e) == -1)
		return -1;
	return at_close(x, b, out, e);
}

static int
exits_finish(void *self, const struct emit *out, struct sk_err *e)
{
	(void)self;
	(void)out;
	(void)e;
	return 0;
}

static long
exits_acted(const void *self)
{
	const struct exits *x = self;

	return x->nexits;
}

static void
exits_free(void *self)
{
	struct exits *x = self;

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
	book_init(&x->book, &f);
	/* (100 - 2) / 100 rounds once to the literal 0.98. */
	x->down = (100.0 - c->exits.stop_pct) / 100.0;
	x->up = (100.0 + c->exits.stop_pct) / 100.0;
	x->tdown = (100.0 - c->exits.target_pct) / 100.0;
	x->tup = (100.0 + c->exits.target_pct) / 100.0;
	snprintf(x->flip, sizeof(x->flip), "flip%d_%d",
	    c->strategy.fast_short, c->strategy.fast_long);
	if (tz_load(&x->tz, c->market.timezone, e) == -1 ||
	    (j != NULL && journal_load_book(j, c->broker.name, &x->book,
	    e) == -1)) {
		exits_free(x);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	st->name = "watch-exits";
	st->mask = REC_MASK(REC_BAR) | REC_MASK(REC_ORDER);
	st->self = x;
	st->take = exits_take;
	st->finish = exits_finish;
	st->free = exits_free;
	st->acted = exits_acted;
	*sp = st;
	return 0;
}
