/*
 * gate.c: the money rules between a signal and an order.  Gates run in
 * a fixed order and the first that refuses names itself; positions come
 * from this stage's copy of the paper book, which sees the same bars
 * and orders as the broker downstream.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "gate.h"
#include "paper.h"

struct gate {
	const struct config	*cfg;
	struct journal		*j;
	struct tz		 tz;
	struct book		 book;
	/* The trade date the counters below are for. */
	int64_t			 day;
	long			 entries;	/* approved today */
	double			 realised;	/* net P&L closed today */
	double			 equity;	/* start cash + all realised */
	double			 day_equity;	/* equity when the day began */
	long			 approved, rejected;
	/* Signal ids decided in this run (newest last). */
	char			(*ids)[REC_ID];
	size_t			 nids, capids;
};

static int
decided(const struct gate *g, const char *id)
{
	size_t i;

	for (i = g->nids; i > 0; i--)
		if (strcmp(g->ids[i - 1], id) == 0)
			return 1;
	return 0;
}

static void
remember(struct gate *g, const char *id)
{
	if (g->nids == g->capids) {
		g->capids = g->capids ? g->capids * 2 : 64;
		g->ids = xrealloc(g->ids, g->capids * sizeof(*g->ids));
	}
	sk_strlcpy(g->ids[g->nids++], id, REC_ID);
}

/* Closing fills seen by our book move the day's realised P&L. */
static void
on_event(void *arg, const struct book_event *ev)
{
	struct gate *g = arg;
	struct local l;

	if (ev->what != BOOK_FILL)
		return;
	tz_local(&g->tz, ev->ts, &l);
	if (strcmp(ev->ord->effect, "close") == 0) {
		double net = ev->pnl - ev->fee - ev->pos->entry_fee;

		g->equity += net;
		if (l.day == g->day)
			g->realised += net;
	}
}

/* Counters for a new trade date: from the journal, or zero. */
static int
new_day(struct gate *g, int64_t day, struct sk_err *e)
{
	if (day == g->day)
		return 0;
	g->day = day;
	g->entries = 0;
	g->realised = 0;
	if (g->j != NULL && journal_day_stats(g->j, day, &g->entries,
	    &g->realised, e) == -1)
		return -1;
	/* Equity already counts today's closed trades: take them out. */
	g->day_equity = g->equity - g->realised;
	return 0;
}

/*
 * Cash a cash account may spend now: settled cash (money out counts at
 * once, money in once settled) less what approved entries hold.  -1
 * with e filled if the journal cannot say.
 */
static int
spendable(struct gate *g, int64_t day, double *cash, struct sk_err *e)
{
	int64_t total, settled, reserved;

	if (journal_deposit(g->j, llround(g->cfg->account.cash * 100), day,
	    e) == -1 || journal_cash(g->j, day, &total, &settled, e) == -1 ||
	    journal_reserved(g->j, &reserved, e) == -1)
		return -1;
	*cash = (double)(settled - reserved) / 100;
	return 0;
}

static int	 refuse(struct reject *, const char *, double, double,
		    const char *, ...) SK_PRINTF(5, 6);

static int
refuse(struct reject *r, const char *gate, double threshold,
    double observed, const char *fmt, ...)
{
	va_list ap;

	sk_strlcpy(r->gate, gate, sizeof(r->gate));
	r->threshold = threshold;
	r->observed = observed;
	va_start(ap, fmt);
	vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	va_end(ap);
	return 1;
}

/*
 * The gates, in order.  Returns 1 with r filled if one refuses, 0 if
 * all pass, -1 with e filled if the journal could not be read (the
 * caller refuses then too).
 */
static int
check(struct gate *g, const struct signal *s, double qty, int64_t day,
    struct reject *r, struct sk_err *e)
{
	const struct cfg_risk *k = &g->cfg->risk;
	struct local l;
	double open, notional, limit, cash;
	int cash_account = strcmp(g->cfg->account.type, "cash") == 0;

	if (k->kill_switch[0] != '\0' && access(k->kill_switch, F_OK) == 0)
		return refuse(r, "kill_switch", NAN, NAN,
		    "kill switch %s is present", k->kill_switch);
	if (decided(g, s->id))
		return refuse(r, "duplicate", NAN, NAN,
		    "signal already decided");
	tz_local(&g->tz, s->bar_ts != TS_UNSET ? s->bar_ts : s->ts, &l);
	if (l.minute < k->entry_start || l.minute >= k->entry_end)
		return refuse(r, "entry_window", NAN, l.minute,
		    "signal bar at %02d:%02d is outside the entry window "
		    "%02d:%02d-%02d:%02d", l.minute / 60, l.minute % 60,
		    k->entry_start / 60, k->entry_start % 60,
		    k->entry_end / 60, k->entry_end % 60);
	open = (double)(book_open_count(&g->book, NULL) +
	    book_pending_entries(&g->book, NULL));
	if (open >= k->max_positions)
		return refuse(r, "max_positions", k->max_positions, open,
		    "%.0f positions open or pending (max %d)", open,
		    k->max_positions);
	open = (double)(book_open_count(&g->book, s->symbol) +
	    book_pending_entries(&g->book, s->symbol));
	if (open >= k->max_per_symbol)
		return refuse(r, "max_per_symbol", k->max_per_symbol, open,
		    "%.0f positions in this symbol (max %d)", open,
		    k->max_per_symbol);
	if (g->entries >= k->max_trades_day)
		return refuse(r, "max_trades_day", k->max_trades_day,
		    g->entries, "%ld entries today (max %d)",
		    g->entries, k->max_trades_day);
	limit = -k->daily_loss_pct / 100 * g->day_equity;
	if (g->realised <= limit)
		return refuse(r, "daily_loss", limit, g->realised,
		    "realised %.2f today reached the daily loss limit %.2f",
		    g->realised, limit);
	if (!(qty > 0) || isnan(s->price))
		return refuse(r, "position_size", NAN, qty,
		    "cannot size: quantity %.0f, price %.2f", qty, s->price);
	notional = qty * s->price;
	limit = k->max_position_pct / 100 * g->equity;
	if (notional > limit)
		return refuse(r, "position_size", limit, notional,
		    "notional %.2f exceeds %.2f", notional, limit);
	if (!cash_account)
		return 0;
	if (strcmp(s->side, "short") == 0)
		return refuse(r, "cash_account", NAN, NAN,
		    "a cash account cannot sell short");
	if (g->j == NULL)
		return refuse(r, "settled_cash", NAN, notional,
		    "no journal: settled cash is unknown");
	if (spendable(g, day, &cash, e) == -1)
		return -1;
	if (notional > cash)
		return refuse(r, "settled_cash", cash, notional,
		    "notional %.2f exceeds settled cash %.2f", notional, cash);
	return 0;
}

static void
make_order(struct gate *g, const struct signal *s, double qty,
    struct order *o)
{
	struct local l;

	memset(o, 0, sizeof(*o));
	o->ts = s->ts;
	/* A day order: gone at flat-by time, and so by the next session. */
	tz_local(&g->tz, s->bar_ts != TS_UNSET ? s->bar_ts : s->ts, &l);
	o->expires = tz_instant(&g->tz, l.day, g->cfg->exits.flat_by);
	sk_strlcpy(o->symbol, s->symbol, sizeof(o->symbol));
	snprintf(o->intent_id, sizeof(o->intent_id), "%.74s/open", s->id);
	sk_strlcpy(o->side, strcmp(s->side, "long") == 0 ? "buy" : "sell",
	    sizeof(o->side));
	o->qty = qty;
	sk_strlcpy(o->order_type, "market", sizeof(o->order_type));
	o->limit = o->stop = o->tp = o->sl = NAN;
	sk_strlcpy(o->effect, "open", sizeof(o->effect));
	sk_strlcpy(o->position_id, o->intent_id, sizeof(o->position_id));
	sk_strlcpy(o->signal_id, s->id, sizeof(o->signal_id));
	sk_strlcpy(o->strategy, s->strategy, sizeof(o->strategy));
	sk_strlcpy(o->reason, "entry", sizeof(o->reason));
}

static int
decide(struct gate *g, const struct rec *sr, const struct emit *out,
    struct sk_err *e)
{
	const struct signal *s = &sr->u.sig;
	struct rec r;
	struct reject rj;
	struct local l;
	double qty = g->cfg->strategy.qty;
	int refused, rv;

	if (strcmp(s->side, "long") != 0 && strcmp(s->side, "short") != 0)
		return sk_errf(e, SK_DATA, "%s:%ld: signal: side must be long "
		    "or short", sr->src != NULL ? sr->src : "-", sr->line);
	tz_local(&g->tz, s->ts, &l);
	if (new_day(g, l.day, e) == -1)
		return -1;
	memset(&rj, 0, sizeof(rj));
	refused = check(g, s, qty, l.day, &rj, e);
	if (refused == -1)
		return -1;
	if (refused) {
		rec_init(&r, REC_REJECT);
		rj.ts = s->ts;
		sk_strlcpy(rj.symbol, s->symbol, sizeof(rj.symbol));
		sk_strlcpy(rj.signal_id, s->id, sizeof(rj.signal_id));
		sk_strlcpy(rj.strategy, s->strategy, sizeof(rj.strategy));
		r.u.rej = rj;
	} else {
		rec_init(&r, REC_ORDER);
		make_order(g, s, qty, &r.u.ord);
	}
	/* The journal first: a refusal or a reservation is on record
	 * before anything downstream can act on it. */
	if (g->j != NULL && strcmp(rj.gate, "duplicate") != 0) {
		rv = journal_decision(g->j, s, refused ? &rj : NULL,
		    refused ? NULL : r.u.ord.intent_id,
		    refused ? 0 : llround(qty * s->price * 100), l.day, e);
		if (rv == -1)
			return -1;
		if (rv == 0) {
			/* Decided in an earlier run: refuse it again. */
			rec_init(&r, REC_REJECT);
			r.u.rej.ts = s->ts;
			sk_strlcpy(r.u.rej.symbol, s->symbol, REC_SYM);
			sk_strlcpy(r.u.rej.signal_id, s->id, REC_ID);
			sk_strlcpy(r.u.rej.strategy, s->strategy, REC_WORD);
			sk_strlcpy(r.u.rej.gate, "duplicate", REC_WORD);
			sk_strlcpy(r.u.rej.reason, "signal already decided",
			    REC_TEXT);
			refused = 1;
		}
	}
	remember(g, s->id);
	if (refused) {
		g->rejected++;
		return emit(out, &r, e);
	}
	g->approved++;
	g->entries++;
	book_order(&g->book, &r.u.ord);
	return emit(out, &r, e);
}

static int
gate_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct gate *g = self;

	switch (r->type) {
	case REC_BAR:
		book_bar(&g->book, &r->u.bar, on_event, g);
		return emit(out, r, e);
	case REC_ORDER:
		book_order(&g->book, &r->u.ord);
		return emit(out, r, e);
	case REC_SIGNAL:
		return decide(g, r, out, e);
	default:
		return emit(out, r, e);
	}
}

static int
gate_finish(void *self, const struct emit *out, struct sk_err *e)
{
	(void)self;
	(void)out;
	(void)e;
	return 0;
}

static long
gate_acted(const void *self)
{
	const struct gate *g = self;

	return g->approved;
}

static void
gate_free(void *self)
{
	struct gate *g = self;

	book_release(&g->book);
	tz_release(&g->tz);
	free(g->ids);
	free(g);
}

int
gate_stage_new(struct stage **sp, const struct config *c, struct journal *j,
    struct sk_err *e)
{
	struct gate *g;
	struct stage *st;
	struct fees f = { c->broker.fee_per_share, c->broker.fee_per_order };
	double realised = 0;

	g = xcalloc(1, sizeof(*g));
	g->cfg = c;
	g->j = j;
	g->day = INT64_MIN;
	book_init(&g->book, &f);
	g->equity = c->account.cash;
	if (tz_load(&g->tz, c->market.timezone, e) == -1 ||
	    (j != NULL && (journal_load_book(j, c->broker.name, &g->book,
	    e) == -1 || journal_realised(j, &realised, e) == -1))) {
		gate_free(g);
		return -1;
	}
	/* Equity: starting cash plus every closed trade, net of fees. */
	g->equity += realised;
	st = xcalloc(1, sizeof(*st));
	st->name = "gate-risk";
	st->mask = REC_MASK(REC_BAR) | REC_MASK(REC_ORDER) |
	    REC_MASK(REC_SIGNAL);
	st->self = g;
	st->take = gate_take;
	st->finish = gate_finish;
	st->free = gate_free;
	st->acted = gate_acted;
	*sp = st;
	return 0;
}
