/*
 * place.c: intents, then the paper broker.  Journal writes for one bar
 * are one transaction per event; the record goes out only after its row
 * is committed, so a crash leaves the journal ahead of stdout, never
 * behind it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "paper.h"
#include "place.h"

struct last {
	char		 symbol[REC_SYM];
	int64_t		 ts, tf_ms;
	double		 close;
};

struct place {
	const struct config	*cfg;
	struct place_opts	 opt;
	struct journal		*j;
	struct tz		 tz;
	struct tz		 nytz;		/* options expire in it */
	struct calendar		 cal;
	struct book		 book;
	struct last		*last;		/* last bar per symbol */
	size_t			 nlast;
	const struct emit	*out;		/* during a take, for events */
	int			 failed;
	struct sk_err		*e;
	long			 fills;
};

void
place_client_id(const char *intent, char *buf)
{
	snprintf(buf, 20, "sk-%016llx", (unsigned long long)sk_hash(intent));
}

/*
 * When a fill's cash settles: options T+settle_option and equities (and
 * CFDs) T+settle_equity business days on the calendar; perpetuals at
 * once, as a crypto exchange's wallet does.
 */
static int64_t
settle_day(struct place *pl, const char *symbol, int64_t day)
{
	switch (paper_class(&pl->book.m, symbol)) {
	case PAPER_PERP:
		return day;
	case PAPER_OPTION:
		return cal_settle(&pl->cal, day,
		    pl->cfg->account.settle_option);
	default:
		return cal_settle(&pl->cal, day,
		    pl->cfg->account.settle_equity);
	}
}

static void
make_ack(struct rec *r, const struct order *o, int64_t ts,
    const char *status, const char *why)
{
	rec_init(r, REC_ACK);
	r->u.ack.ts = ts;
	sk_strlcpy(r->u.ack.symbol, o->symbol, REC_SYM);
	sk_strlcpy(r->u.ack.intent_id, o->intent_id, REC_ID);
	place_client_id(o->intent_id, r->u.ack.client_order_id);
	sk_strlcpy(r->u.ack.status, status, sizeof(r->u.ack.status));
	if (why != NULL)
		sk_strlcpy(r->u.ack.reason, why, REC_TEXT);
}

/* The fill record of ev: what filled now, at what, against what. */
static void
make_fill(struct rec *r, const struct book_event *ev)
{
	struct fill *f;

	rec_init(r, REC_FILL);
	f = &r->u.fill;
	f->ts = ev->ts;
	sk_strlcpy(f->symbol, ev->ord->symbol, REC_SYM);
	sk_strlcpy(f->intent_id, ev->ord->intent_id, REC_ID);
	place_client_id(ev->ord->intent_id, f->client_order_id);
	sk_strlcpy(f->side, ev->ord->side, sizeof(f->side));
	f->qty = ev->qty;
	if (ev->remaining > 0)
		f->leaves = ev->remaining;
	f->price = ev->price;
	f->requested = ev->requested;
	f->bid = ev->bid;
	f->ask = ev->ask;
	f->fee = ev->fee;
	sk_strlcpy(f->effect, ev->ord->effect, sizeof(f->effect));
	sk_strlcpy(f->position_id, ev->pos->id, REC_ID);
	sk_strlcpy(f->strategy, ev->ord->strategy, REC_WORD);
	sk_strlcpy(f->reason, ev->ord->reason, REC_WORD);
}

static const char *
ack_status(enum book_what w)
{
	switch (w) {
	case BOOK_EXPIRE:
		return "expired";
	case BOOK_CANCEL:
		return "cancelled";
	default:
		return "rejected";
	}
}

/*
 * Journal, then emit, what the book did; errors stop the stage.  An
 * order the book made itself (an expiry, the end of data) has its
 * intent journaled first, like any other; a funding payment is journaled
 * and emits nothing.
 */
static void
on_event(void *arg, const struct book_event *ev)
{
	struct place *pl = arg;
	struct local l;
	struct rec r;
	char coid[20];

	if (pl->failed)
		return;
	tz_local(&pl->tz, ev->ts, &l);
	if (ev->synthetic) {
		place_client_id(ev->ord->intent_id, coid);
		if (journal_intent(pl->j, ev->ord, coid, pl->cfg->broker.name,
		    pl->e) == -1) {
			pl->failed = 1;
			return;
		}
	}
	if ((ev->what == BOOK_FILL && journal_deposit(pl->j,
	    llround(pl->cfg->account.cash * 100), l.day, pl->e) == -1) ||
	    journal_book_event(pl->j, ev, l.day, ev->ord == NULL ? l.day :
	    settle_day(pl, ev->ord->symbol, l.day), pl->e) == -1) {
		pl->failed = 1;
		return;
	}
	if (ev->what == BOOK_FUNDING)
		return;
	if (ev->what != BOOK_FILL)
		make_ack(&r, ev->ord, ev->ts, ack_status(ev->what), ev->why);
	else {
		make_fill(&r, ev);
		pl->fills++;
	}
	if (emit(pl->out, &r, pl->e) == -1)
		pl->failed = 1;
}

static void
remember_bar(struct place *pl, const struct bar *b)
{
	size_t i;

	for (i = 0; i < pl->nlast; i++)
		if (strcmp(pl->last[i].symbol, b->symbol) == 0)
			break;
	if (i == pl->nlast) {
		pl->last = xrealloc(pl->last, (pl->nlast + 1) *
		    sizeof(*pl->last));
		sk_strlcpy(pl->last[pl->nlast++].symbol, b->symbol, REC_SYM);
	}
	pl->last[i].ts = b->ts;
	pl->last[i].tf_ms = b->tf_ms;
	pl->last[i].close = b->c;
}

/* What an order must hold before it may be journaled and placed. */
static int
check_order(const struct rec *r, struct sk_err *e)
{
	const struct order *o = &r->u.ord;
	const char *why = NULL;

	if (!(o->qty > 0) || !isfinite(o->qty))
		why = "qty must be a positive number";
	else if (strcmp(o->side, "buy") != 0 && strcmp(o->side, "sell") != 0)
		why = "side must be buy or sell";
	else if (strcmp(o->effect, "open") != 0 &&
	    strcmp(o->effect, "close") != 0)
		why = "effect must be open or close";
	else if (strcmp(o->effect, "close") == 0 && o->position_id[0] == '\0')
		why = "a closing order needs position_id";
	else if (strcmp(o->order_type, "market") != 0 &&
	    strcmp(o->order_type, "limit") != 0 &&
	    strcmp(o->order_type, "stop") != 0)
		why = "order_type must be market, limit or stop";
	else if (strcmp(o->order_type, "limit") == 0 && !isfinite(o->limit))
		why = "a limit order needs limit";
	else if (strcmp(o->order_type, "stop") == 0 && !isfinite(o->stop))
		why = "a stop order needs stop";
	if (why == NULL)
		return 0;
	return sk_errf(e, SK_DATA, "%s:%ld: order: %s",
	    r->src != NULL ? r->src : "-", r->line, why);
}

/* A cancel must name the order it cancels. */
static int
check_cancel(const struct rec *r, struct sk_err *e)
{
	if (r->u.cancel.intent_id[0] != '\0')
		return 0;
	return sk_errf(e, SK_DATA, "%s:%ld: cancel: intent_id is empty",
	    r->src != NULL ? r->src : "-", r->line);
}

static int
place_check(void *self, const struct rec *r, struct sk_err *e)
{
	(void)self;
	if (r->type == REC_CANCEL)
		return check_cancel(r, e);
	return r->type == REC_ORDER ? check_order(r, e) : 0;
}

static int
take_order(struct place *pl, const struct rec *rec, const struct emit *out,
    struct sk_err *e)
{
	const struct order *o = &rec->u.ord;
	struct rec r;
	char coid[20];
	int rv;

	/* Checked in the first pass from a file; in a chain, here. */
	if (check_order(rec, e) == -1)
		return -1;
	place_client_id(o->intent_id, coid);
	rv = journal_intent(pl->j, o, coid, pl->cfg->broker.name, e);
	if (rv == -1)
		return -1;
	if (rv == 0) {
		make_ack(&r, o, o->ts, "duplicate",
		    "intent already in the journal; not sent again");
		return emit(out, &r, e);
	}
	/* The paper broker accepts at once; it fills on later bars. */
	if (journal_order_status(pl->j, o->intent_id, "accepted", o->ts,
	    coid, NULL, e) == -1)
		return -1;
	book_order(&pl->book, o);
	make_ack(&r, o, o->ts, "accepted", NULL);
	sk_strlcpy(r.u.ack.broker_order_id, coid, REC_ID);
	return emit(out, &r, e);
}

/*
 * A cancel: the order, if still working, is cancelled (journaled, then
 * an ack "cancelled"); if not, an ack "cancel_refused" says why.  The
 * cancel record itself passes on.
 */
static int
take_cancel(struct place *pl, struct rec *rec, const struct emit *out,
    struct sk_err *e)
{
	const struct cancel *c = &rec->u.cancel;
	struct order o;
	struct rec r;

	if (check_cancel(rec, e) == -1)
		return -1;
	if (!book_cancel(&pl->book, c->intent_id, c->ts, c->reason[0] ?
	    c->reason : "cancel requested", on_event, pl)) {
		memset(&o, 0, sizeof(o));
		sk_strlcpy(o.symbol, c->symbol, sizeof(o.symbol));
		sk_strlcpy(o.intent_id, c->intent_id, sizeof(o.intent_id));
		make_ack(&r, &o, c->ts, "cancel_refused",
		    "no such order is working");
		if (emit(out, &r, e) == -1)
			return -1;
	}
	if (pl->failed)
		return -1;
	return emit(out, rec, e);
}

static int
place_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct place *pl = self;

	if (r->type == REC_ORDER)
		return take_order(pl, r, out, e);
	pl->out = out;
	pl->e = e;
	pl->failed = 0;
	switch (r->type) {
	case REC_BAR:
		remember_bar(pl, &r->u.bar);
		book_bar(&pl->book, &r->u.bar, on_event, pl);
		break;
	case REC_QUOTE:
		book_quote(&pl->book, &r->u.quote, on_event, pl);
		break;
	case REC_FUNDING:
		book_funding(&pl->book, &r->u.funding, on_event, pl);
		break;
	case REC_CANCEL:
		return take_cancel(pl, r, out, e);
	default:
		break;
	}
	if (pl->failed)
		return -1;
	return emit(out, r, e);
}

/* The latest bar close seen, of any symbol. */
static int64_t
last_close(const struct place *pl)
{
	int64_t t = TS_UNSET;
	size_t i;

	for (i = 0; i < pl->nlast; i++)
		if (pl->last[i].ts + pl->last[i].tf_ms > t)
			t = pl->last[i].ts + pl->last[i].tf_ms;
	return t;
}

static int
place_finish(void *self, const struct emit *out, struct sk_err *e)
{
	struct place *pl = self;
	size_t i;

	pl->out = out;
	pl->e = e;
	pl->failed = 0;
	/* Expiries and funding that fell due by the last bar's close. */
	if (pl->nlast > 0)
		book_due(&pl->book, last_close(pl), on_event, pl);
	if (pl->failed || !pl->opt.liquidate_at_end)
		return pl->failed ? -1 : 0;
	for (i = 0; i < pl->nlast && !pl->failed; i++) {
		struct position *p;
		size_t k;
		char coid[20];

		/* The closing intents are journaled like any other. */
		for (k = 0; k < pl->book.npos; k++) {
			struct order o;

			p = &pl->book.pos[k];
			if (strcmp(p->symbol, pl->last[i].symbol) != 0)
				continue;
			/* The same order book_liquidate() will fill. */
			book_end_order(&o, p, pl->last[i].ts);
			place_client_id(o.intent_id, coid);
			if (journal_intent(pl->j, &o, coid,
			    pl->cfg->broker.name, e) == -1)
				return -1;
		}
		book_liquidate(&pl->book, pl->last[i].symbol, pl->last[i].ts,
		    pl->last[i].close, on_event, pl);
	}
	return pl->failed ? -1 : 0;
}

static long
place_acted(const void *self)
{
	const struct place *pl = self;

	return pl->fills;
}

static void
place_free(void *self)
{
	struct place *pl = self;

	book_release(&pl->book);
	tz_release(&pl->tz);
	tz_release(&pl->nytz);
	cal_release(&pl->cal);
	free(pl->last);
	free(pl);
}

int
place_stage_new(struct stage **sp, const struct config *c,
    struct journal *j, const struct place_opts *opt, struct sk_err *e)
{
	struct place *pl;
	struct stage *st;
	struct fees f = { c->broker.fee_per_share, c->broker.fee_per_order };
	struct paper_model m;
	char path[CFG_PATH];

	if (strcmp(c->broker.name, "paper") != 0)
		return sk_errf(e, SK_USAGE, "broker '%s' is not available; "
		    "only the paper broker is", c->broker.name);
	if (j == NULL)
		return sk_errf(e, SK_USAGE, "place-order needs a journal");
	pl = xcalloc(1, sizeof(*pl));
	pl->cfg = c;
	pl->j = j;
	if (opt != NULL)
		pl->opt = *opt;
	book_init(&pl->book, &f);
	cal_init(&pl->cal);
	if (paper_model_init(&m, &c->paper, c->broker.name, e) == -1 ||
	    tz_load(&pl->tz, c->market.timezone, e) == -1 ||
	    config_calendar_path(c, path, sizeof(path), e) == -1 ||
	    cal_load(&pl->cal, path, e) == -1 ||
	    journal_load_book(j, c->broker.name, &pl->book, e) == -1) {
		place_free(pl);
		return -1;
	}
	/* Options expire at 16:00 New York, whatever the market's zone. */
	if (tz_load(&pl->nytz, "America/New_York", e) == -1) {
		place_free(pl);
		return -1;
	}
	book_model(&pl->book, &m, &pl->nytz);
	st = xcalloc(1, sizeof(*st));
	st->name = "place-order";
	st->mask = REC_MASK(REC_BAR) | REC_MASK(REC_ORDER) |
	    REC_MASK(REC_QUOTE) | REC_MASK(REC_FUNDING) | REC_MASK(REC_CANCEL);
	st->self = pl;
	st->take = place_take;
	st->finish = place_finish;
	st->free = place_free;
	st->acted = place_acted;
	st->validate_first = 1;
	st->check = place_check;
	*sp = st;
	return 0;
}
