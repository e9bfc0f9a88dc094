/*
 * paper.c: the paper broker's matching rules over a book of orders and
 * positions (see paper.h).  Arithmetic on prices is plain binary64, the
 * same in every stage, so every copy of a book reaches the same state.
 */
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "occ.h"
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
	free(b->mk);
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

/* The model. */

int
paper_model_init(struct paper_model *m, const struct cfg_paper *c,
    const char *broker, struct sk_err *e)
{
	const struct fee_schedule *fs;
	const char *name;

	memset(m, 0, sizeof(*m));
	if (strcmp(c->model, "ideal") == 0)
		return 0;
	name = strcmp(c->fee_schedule, "broker") == 0 ? broker :
	    c->fee_schedule;
	fs = fee_lookup(name);
	if (fs == NULL)
		return sk_errf(e, SK_DATA, "paper: no fee schedule for "
		    "broker '%s'", name);
	m->honest = 1;
	m->fees = *fs;
	m->half_bp[PAPER_EQUITY] = c->half_spread_equity;
	m->half_bp[PAPER_OPTION] = c->half_spread_option;
	m->half_bp[PAPER_PERP] = c->half_spread_perp;
	m->half_bp[PAPER_CFD] = c->half_spread_cfd;
	m->tick[PAPER_EQUITY] = c->tick_equity;
	m->tick[PAPER_OPTION] = c->tick_option;
	m->tick[PAPER_PERP] = c->tick_perp;
	m->tick[PAPER_CFD] = c->tick_cfd;
	if (strcmp(c->slippage, "ticks") == 0)
		m->slip = PAPER_SLIP_TICKS;
	else if (strcmp(c->slippage, "spread") == 0)
		m->slip = PAPER_SLIP_SPREAD;
	else if (strcmp(c->slippage, "volume") == 0)
		m->slip = PAPER_SLIP_VOLUME;
	else
		m->slip = PAPER_SLIP_NONE;
	m->slip_ticks = c->slippage_ticks;
	m->slip_spread_pct = c->slippage_spread_pct;
	m->slip_volume_bp = c->slippage_volume_bp;
	m->option_ticks = c->option_ticks;
	m->volume_share = c->volume_share / 100;
	m->timeout_ms = (int64_t)c->limit_timeout * 1000;
	sk_strlcpy(m->perp_sfx, c->perp_suffixes, sizeof(m->perp_sfx));
	sk_strlcpy(m->cfd_sfx, c->cfd_suffixes, sizeof(m->cfd_sfx));
	return 0;
}

/* Whether sym, of at least min characters, ends in a suffix of list. */
static int
has_suffix(const char *sym, const char *list, size_t min)
{
	size_t n = strlen(sym), k;
	const char *p = list, *q;

	while (*p != '\0') {
		q = strchr(p, ',');
		k = q != NULL ? (size_t)(q - p) : strlen(p);
		if (k > 0 && n > k && n >= min &&
		    memcmp(sym + n - k, p, k) == 0)
			return 1;
		p += k;
		if (*p == ',')
			p++;
	}
	return 0;
}

enum paper_class
paper_class(const struct paper_model *m, const char *sym)
{
	struct occ o;
	struct sk_err e;
	size_t n = strlen(sym);

	if (n >= 16 && occ_parse(&o, sym, n, &e) == 0)
		return PAPER_OPTION;
	if (has_suffix(sym, m != NULL && m->perp_sfx[0] != '\0' ?
	    m->perp_sfx : "USDT,USDC,PERP", 0))
		return PAPER_PERP;
	if (has_suffix(sym, m != NULL && m->cfd_sfx[0] != '\0' ?
	    m->cfd_sfx : "USD", 6))
		return PAPER_CFD;
	return PAPER_EQUITY;
}

void
paper_underlying(const char *root, char *buf, size_t n)
{
	static const char *const map[][2] = {
		{ "SPXW", "SPX" }, { "NDXP", "NDX" }, { "RUTW", "RUT" },
		{ "VIXW", "VIX" }
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(root, map[i][0]) == 0) {
			sk_strlcpy(buf, map[i][1], n);
			return;
		}
	sk_strlcpy(buf, root, n);
}

double
paper_intrinsic(int right, double strike, double s)
{
	double v = right == 'C' ? s - strike : strike - s;

	return v > 0 ? v : 0;
}

int64_t
paper_expiry(struct tz *tz, const char *sym)
{
	struct occ o;
	struct sk_err e;
	size_t n = strlen(sym);

	if (n < 16 || occ_parse(&o, sym, n, &e) == -1)
		return TS_UNSET;
	return tz_instant(tz, o.expiry, 16 * 60);
}

void
book_model(struct book *b, const struct paper_model *m, struct tz *tz)
{
	b->m = *m;
	b->tz = tz;
}

void
book_init_cfg(struct book *b, const struct fees *f, const struct config *c)
{
	struct paper_model m;
	struct sk_err e;

	book_init(b, f);
	if (paper_model_init(&m, &c->paper, c->broker.name, &e) == 0)
		book_model(b, &m, NULL);
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

/* A position whose closing order went away closes no more. */
static void
unclose(struct book *b, const struct order *o)
{
	struct position *p;
	size_t i;

	if (strcmp(o->effect, "close") != 0)
		return;
	p = find(b, o->position_id);
	if (p == NULL)
		return;
	p->closing = 0;
	for (i = 0; i < b->nord; i++)
		if (strcmp(b->ord[i].effect, "close") == 0 &&
		    strcmp(b->ord[i].position_id, p->id) == 0)
			p->closing = 1;
}

static void
say(book_cb *cb, void *arg, struct book_event *ev)
{
	if (cb != NULL)
		cb(arg, ev);
}

static struct book_mark *
mark_find(const struct book *b, const char *sym)
{
	size_t i;

	for (i = 0; i < b->nmk; i++)
		if (strcmp(b->mk[i].symbol, sym) == 0)
			return &b->mk[i];
	return NULL;
}

static struct book_mark *
mark_get(struct book *b, const char *sym)
{
	struct book_mark *k = mark_find(b, sym);

	if (k != NULL)
		return k;
	if (b->nmk == b->capmk) {
		b->capmk = b->capmk ? b->capmk * 2 : 8;
		b->mk = xrealloc(b->mk, b->capmk * sizeof(*b->mk));
	}
	k = &b->mk[b->nmk++];
	memset(k, 0, sizeof(*k));
	sk_strlcpy(k->symbol, sym, sizeof(k->symbol));
	k->qts = k->pts = k->fund_at = TS_UNSET;
	return k;
}

/* A fill's prices: what it got, what was asked, the quote around it. */
struct px {
	double		 price, requested, bid, ask;
	int		 maker;
};

static int
is_buy(const struct order *o)
{
	return strcmp(o->side, "buy") == 0;
}

/* Half the spread the model assumes around price px. */
static double
half_spread(const struct paper_model *m, enum paper_class c, double px)
{
	double h = m->half_bp[c] * fabs(px) / 10000;

	return h > m->tick[c] / 2 ? h : m->tick[c] / 2;
}

/* Slippage beyond the touch, per unit, for qty of a bar of volume vol. */
static double
slippage(const struct paper_model *m, enum paper_class c, double spread,
    double px, double qty, double vol)
{
	double s = 0;

	switch (m->slip) {
	case PAPER_SLIP_TICKS:
		s = m->slip_ticks * m->tick[c];
		break;
	case PAPER_SLIP_SPREAD:
		s = m->slip_spread_pct / 100 * spread;
		break;
	case PAPER_SLIP_VOLUME:
		s = fabs(px) * m->slip_volume_bp / 10000 *
		    (vol > qty ? qty / vol : 1);
		break;
	case PAPER_SLIP_NONE:
		break;
	}
	if (c == PAPER_OPTION)
		s += m->option_ticks * m->tick[c];
	return s;
}

/*
 * px on the tick grid, rounded against the taker: a buy up, a sell
 * down (a hair of float noise forgiven).  No tick: px as it is.
 */
static double
on_tick(double tick, double px, int up)
{
	double n, inv;

	if (!(tick > 0))
		return px;
	n = px / tick;
	n = up ? ceil(n - 1e-9) : floor(n + 1e-9);
	/* 10010 / 100 is 100.1 exactly; 10010 * 0.01 is not. */
	inv = round(1 / tick);
	return fabs(1 / tick - inv) < 1e-9 ? n / inv : n * tick;
}

/*
 * A taker fill of qty of o around mid (bars: the open or the stop) or
 * against the quote of k (quote != 0).  requested is what o asked for.
 */
static void
taker(const struct book *b, const struct order *o, double qty, double mid,
    const struct book_mark *k, int quote, double requested, struct px *p)
{
	enum paper_class c = paper_class(&b->m, o->symbol);
	double h, s;

	if (quote) {
		p->bid = k->bid;
		p->ask = k->ask;
	} else {
		/* A quote known for the symbol gives the spread. */
		h = k != NULL && k->qts != TS_UNSET ? (k->ask - k->bid) / 2 :
		    half_spread(&b->m, c, mid);
		p->bid = mid - h;
		p->ask = mid + h;
	}
	s = slippage(&b->m, c, p->ask - p->bid, mid, qty,
	    k != NULL ? k->vol : 0);
	p->price = on_tick(b->m.tick[c], is_buy(o) ? p->ask + s : p->bid - s,
	    is_buy(o));
	if (p->price < 0)
		p->price = 0;
	p->requested = isnan(requested) ? (p->bid + p->ask) / 2 : requested;
	p->maker = 0;
}

/* An ideal fill: the price as the rules give it, no quote. */
static void
ideal(double price, struct px *p)
{
	p->price = p->requested = price;
	p->bid = p->ask = NAN;
	p->maker = 0;
}

/*
 * The fee of a fill of qty at p into *fee: [broker] commissions in the
 * ideal model, the fee schedule in the honest one.  -1 with why filled
 * if the schedule cannot price it.
 */
static int
fee_for(const struct book *b, const struct order *o, double qty,
    const struct px *p, double *fee, char *why, size_t n)
{
	static const enum fee_class fc[PAPER_NCLASS] = {
		[PAPER_EQUITY] = FEE_EQUITY, [PAPER_OPTION] = FEE_OPTION,
		[PAPER_PERP] = FEE_PERP, [PAPER_CFD] = FEE_CFD
	};
	struct fee_bill bill;
	struct sk_err e;

	if (!b->m.honest) {
		*fee = fees_of(&b->fees, qty);
		return 0;
	}
	if (fee_fill(&b->m.fees, fc[paper_class(&b->m, o->symbol)],
	    is_buy(o) ? FEE_BUY : FEE_SELL, qty, p->price, p->maker, &bill,
	    &e) == -1) {
		snprintf(why, n, "fees: %.200s", e.msg);
		return -1;
	}
	*fee = (double)bill.cents / 100 + bill.venue;
	return 0;
}

/*
 * Fill qty of order o (the caller has taken it off the pending list,
 * or left the rest, remaining, on it) at p, opening, adding to or
 * closing (part of) its position.
 */
static void
fill(struct book *b, const struct order *o, int64_t ts, double qty,
    double remaining, const struct px *p, double fee, int synthetic,
    book_cb *cb, void *arg)
{
	struct book_event ev;
	struct position np, *pp, old;
	int dir = is_buy(o) ? 1 : -1;

	memset(&ev, 0, sizeof(ev));
	ev.ord = o;
	ev.ts = ts;
	ev.price = p->price;
	ev.requested = p->requested;
	ev.bid = p->bid;
	ev.ask = p->ask;
	ev.fee = fee;
	ev.qty = qty;
	ev.remaining = remaining;
	ev.synthetic = synthetic;
	ev.what = BOOK_FILL;
	if (strcmp(o->effect, "open") == 0) {
		/* A later part of an entry adds to what the first opened. */
		pp = find(b, o->intent_id);
		if (pp != NULL) {
			pp->entry_price = (pp->entry_price * pp->qty +
			    p->price * qty) / (pp->qty + qty);
			pp->qty += qty;
			pp->entry_fee += fee;
			ev.pos = pp;
			say(cb, arg, &ev);
			return;
		}
		memset(&np, 0, sizeof(np));
		sk_strlcpy(np.id, o->intent_id, sizeof(np.id));
		sk_strlcpy(np.symbol, o->symbol, sizeof(np.symbol));
		sk_strlcpy(np.strategy, o->strategy, sizeof(np.strategy));
		sk_strlcpy(np.signal_id, o->signal_id, sizeof(np.signal_id));
		np.dir = dir;
		np.qty = qty;
		np.entry_price = p->price;
		np.entry_fee = fee;
		np.entry_ts = ts;
		book_position(b, &np);
		ev.pos = &b->pos[b->npos - 1];
		say(cb, arg, &ev);
		return;
	}
	pp = find(b, o->position_id);
	old = *pp;
	ev.pos = &old;
	/* As the reference: (exit - entry) x qty, or the reverse short. */
	ev.pnl = (old.dir > 0 ? (p->price - old.entry_price) * qty :
	    (old.entry_price - p->price) * qty) * occ_multiplier(o->symbol);
	if (qty < pp->qty)
		pp->qty -= qty;
	else
		*pp = b->pos[--b->npos];
	say(cb, arg, &ev);
}

static void
tell(enum book_what what, const struct order *o, int64_t ts,
    const char *why, book_cb *cb, void *arg)
{
	struct book_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.what = what;
	ev.ord = o;
	ev.ts = ts;
	ev.why = why;
	ev.remaining = o->qty;
	say(cb, arg, &ev);
}

/* A closing order whose position is gone cannot fill. */
static int
orphan(struct book *b, const struct order *o)
{
	return strcmp(o->effect, "close") == 0 &&
	    find(b, o->position_id) == NULL;
}

/* The quantity a closing order can fill: at most what is open. */
static double
close_qty(struct book *b, const struct order *o, double want)
{
	const struct position *p;

	if (strcmp(o->effect, "close") != 0)
		return want;
	p = find(b, o->position_id);
	if (!b->m.honest)
		return p->qty;	/* the reference closes it all */
	return want < p->qty ? want : p->qty;
}

/*
 * Take order o, which the caller has removed from the list, as a taker
 * at p: fill it, or reject it if its fees cannot be priced.
 */
static void
take(struct book *b, const struct order *o, int64_t ts, const struct px *p,
    int synthetic, book_cb *cb, void *arg)
{
	char why[300];
	double fee, qty = close_qty(b, o, o->qty);

	if (fee_for(b, o, qty, p, &fee, why, sizeof(why)) == -1) {
		unclose(b, o);
		tell(BOOK_REJECT, o, ts, why, cb, arg);
		return;
	}
	fill(b, o, ts, qty, 0, p, fee, synthetic, cb, arg);
}

/* Funding of rate at instant at on the open perpetuals of k's symbol. */
static void
pay_funding(struct book *b, const struct book_mark *k, int64_t at,
    double rate, book_cb *cb, void *arg)
{
	struct book_event ev;
	size_t i;

	if (k->pts == TS_UNSET)
		return;		/* no price to mark the positions at */
	for (i = 0; i < b->npos; i++) {
		if (strcmp(b->pos[i].symbol, k->symbol) != 0 ||
		    b->pos[i].entry_ts >= at ||
		    paper_class(&b->m, k->symbol) != PAPER_PERP)
			continue;
		memset(&ev, 0, sizeof(ev));
		ev.what = BOOK_FUNDING;
		ev.ts = at;
		ev.pos = &b->pos[i];
		ev.price = k->px;
		ev.qty = b->pos[i].qty;
		ev.amount = fee_funding(b->pos[i].dir * b->pos[i].qty, k->px,
		    rate);
		ev.requested = ev.bid = ev.ask = NAN;
		say(cb, arg, &ev);
	}
}

/* Settle the expired option position i at its intrinsic value. */
static int
settle_option(struct book *b, size_t i, int64_t at, book_cb *cb, void *arg)
{
	struct position p = b->pos[i];
	const struct book_mark *u;
	struct order o;
	struct occ c;
	struct sk_err e;
	struct px px;
	char under[REC_SYM];
	size_t k;

	if (occ_parse(&c, p.symbol, strlen(p.symbol), &e) == -1)
		return 0;
	paper_underlying(c.root, under, sizeof(under));
	u = mark_find(b, under);
	if (u == NULL || u->pts == TS_UNSET)
		return 0;	/* no price for the underlying: wait */
	ideal(paper_intrinsic(c.right, occ_strike_value(c.strike), u->px),
	    &px);
	book_close_order(&o, &p, at, "market", NAN, px.price > 0 ?
	    "expiry" : "expired_worthless");
	snprintf(o.intent_id, sizeof(o.intent_id), "%.70s.expiry", p.id);
	/* Orders still working on the contract die with it. */
	k = 0;
	while (k < b->nord) {
		struct order w;

		if (strcmp(b->ord[k].symbol, p.symbol) != 0) {
			k++;
			continue;
		}
		w = b->ord[k];
		drop_order(b, k);
		tell(BOOK_EXPIRE, &w, at, "the contract expired", cb, arg);
	}
	fill(b, &o, at, p.qty, 0, &px, 0, 1, cb, arg);
	return 1;
}

void
book_due(struct book *b, int64_t now, book_cb *cb, void *arg)
{
	int64_t at;
	size_t i;

	for (i = 0; i < b->nmk; i++)
		if (b->mk[i].fund_at != TS_UNSET && b->mk[i].fund_at <= now) {
			at = b->mk[i].fund_at;
			b->mk[i].fund_at = TS_UNSET;
			pay_funding(b, &b->mk[i], at, b->mk[i].rate, cb, arg);
		}
	if (b->tz == NULL)
		return;
	i = 0;
	while (i < b->npos) {
		if (!b->pos[i].expiry_set) {
			b->pos[i].expiry_at = paper_expiry(b->tz,
			    b->pos[i].symbol);
			b->pos[i].expiry_set = 1;
		}
		at = b->pos[i].expiry_at;
		if (at == TS_UNSET || at > now ||
		    !settle_option(b, i, at, cb, arg))
			i++;
	}
}

void
book_funding(struct book *b, const struct funding *f, book_cb *cb,
    void *arg)
{
	struct book_mark *k;

	book_due(b, f->ts, cb, arg);
	k = mark_get(b, f->symbol);
	if (f->next_ts != TS_UNSET && f->next_ts > f->ts) {
		k->rate = f->rate;
		k->fund_at = f->next_ts;
	} else
		pay_funding(b, k, f->ts, f->rate, cb, arg);
}

/* An order of a symbol that fills on quotes does not fill on bars. */
static int
quoted(const struct book *b, const char *sym)
{
	const struct book_mark *k;

	if (!b->m.honest)
		return 0;
	k = mark_find(b, sym);
	return k != NULL && k->qts != TS_UNSET;
}

void
book_quote(struct book *b, const struct quote *q, book_cb *cb, void *arg)
{
	struct book_mark *k;
	struct order o;
	struct px p;
	size_t i = 0;

	/* A crossed or empty quote says nothing anyone would trade at. */
	if (!(q->bid > 0) || !(q->ask >= q->bid))
		return;
	book_due(b, q->ts, cb, arg);
	k = mark_get(b, q->symbol);
	k->qts = k->pts = q->ts;
	k->bid = q->bid;
	k->ask = q->ask;
	k->px = (q->bid + q->ask) / 2;
	if (!b->m.honest)
		return;
	while (i < b->nord) {
		if (strcmp(b->ord[i].symbol, q->symbol) != 0 ||
		    strcmp(b->ord[i].order_type, "market") != 0 ||
		    b->ord[i].ts > q->ts) {
			i++;
			continue;
		}
		o = b->ord[i];
		drop_order(b, i);
		if (o.expires != TS_UNSET && q->ts >= o.expires)
			tell(BOOK_EXPIRE, &o, q->ts, "expired before a quote",
			    cb, arg);
		else if (orphan(b, &o))
			tell(BOOK_REJECT, &o, q->ts, "no open position", cb,
			    arg);
		else {
			taker(b, &o, o.qty, k->px, k, 1, NAN, &p);
			take(b, &o, q->ts, &p, 0, cb, arg);
		}
	}
}

void
book_open(struct book *b, const struct bar *bar, book_cb *cb, void *arg)
{
	struct book_mark *k;
	struct order o;
	struct px p;
	size_t i = 0;

	book_due(b, bar->ts, cb, arg);
	k = mark_get(b, bar->symbol);
	k->vol = bar->v;
	if (quoted(b, bar->symbol))
		return;
	while (i < b->nord) {
		if (strcmp(b->ord[i].symbol, bar->symbol) != 0 ||
		    strcmp(b->ord[i].order_type, "market") != 0 ||
		    b->ord[i].ts > bar->ts) {
			i++;
			continue;
		}
		o = b->ord[i];
		drop_order(b, i);
		if (o.expires != TS_UNSET && bar->ts >= o.expires)
			tell(BOOK_EXPIRE, &o, bar->ts,
			    "expired before the next bar", cb, arg);
		else if (orphan(b, &o))
			tell(BOOK_REJECT, &o, bar->ts, "no open position", cb,
			    arg);
		else {
			if (b->m.honest)
				taker(b, &o, o.qty, bar->o,
				    mark_find(b, bar->symbol), 0, NAN, &p);
			else
				ideal(bar->o, &p);
			take(b, &o, bar->ts, &p, 0, cb, arg);
		}
	}
}

/* The price at which a stop triggers in bar, or NAN if it does not. */
static double
triggered(const struct order *o, const struct bar *bar)
{
	if (is_buy(o))
		return bar->h >= o->stop ?
		    (bar->o >= o->stop ? bar->o : o->stop) : NAN;
	return bar->l <= o->stop ?
	    (bar->o <= o->stop ? bar->o : o->stop) : NAN;
}

/*
 * The price a limit gets in bar, or NAN if not reached: at touch in
 * the ideal model; the honest one needs the bar through the limit by
 * margin (strictly, when margin is 0).
 */
static double
reached(const struct order *o, const struct bar *bar, int honest,
    double margin)
{
	int buy = is_buy(o);

	if (!honest) {
		if (buy)
			return bar->l <= o->limit ?
			    (bar->o <= o->limit ? bar->o : o->limit) : NAN;
		return bar->h >= o->limit ?
		    (bar->o >= o->limit ? bar->o : o->limit) : NAN;
	}
	if (buy) {
		if (margin > 0 ? bar->l > o->limit - margin :
		    bar->l >= o->limit)
			return NAN;
		return bar->o < o->limit ? bar->o : o->limit;
	}
	if (margin > 0 ? bar->h < o->limit + margin : bar->h <= o->limit)
		return NAN;
	return bar->o > o->limit ? bar->o : o->limit;
}

/*
 * The most of order o that bar's volume lets fill: volume_share of it,
 * times the part of the bar o was alive for; whole units but for
 * perpetuals and CFDs.  INFINITY when there is no cap.
 */
static double
volume_cap(const struct book *b, const struct order *o,
    const struct bar *bar)
{
	enum paper_class c = paper_class(&b->m, o->symbol);
	int64_t from, to;
	double cap, frac = 1;

	if (!(b->m.volume_share > 0))
		return INFINITY;
	if (bar->tf_ms > 0) {
		from = o->ts > bar->ts ? o->ts : bar->ts;
		to = bar->ts + bar->tf_ms;
		if (b->m.timeout_ms > 0 && strcmp(o->effect, "open") == 0 &&
		    o->ts + b->m.timeout_ms < to)
			to = o->ts + b->m.timeout_ms;
		frac = to > from ? (double)(to - from) / bar->tf_ms : 0;
	}
	cap = b->m.volume_share * bar->v * frac;
	if (c == PAPER_EQUITY || c == PAPER_OPTION)
		cap = floor(cap + 1e-9);
	return cap;
}

/* An entry limit past its timeout: cancelled, whatever has filled. */
static int
timed_out(const struct book *b, const struct order *o, int64_t now)
{
	return b->m.honest && b->m.timeout_ms > 0 &&
	    strcmp(o->order_type, "limit") == 0 &&
	    strcmp(o->effect, "open") == 0 && now >= o->ts + b->m.timeout_ms;
}

/* Limit order i in bar, honest model: through, capped, maybe a part. */
static int
limit_fill(struct book *b, size_t i, const struct bar *bar, book_cb *cb,
    void *arg)
{
	struct order o = b->ord[i];
	enum paper_class c = paper_class(&b->m, o.symbol);
	const struct book_mark *k = mark_find(b, o.symbol);
	struct px p;
	char why[300];
	double px, qty, fee;

	px = reached(&o, bar, 1, c == PAPER_OPTION ?
	    b->m.option_ticks * b->m.tick[c] : 0);
	if (isnan(px))
		return 0;
	qty = close_qty(b, &o, o.qty);
	if (volume_cap(b, &o, bar) < qty)
		qty = volume_cap(b, &o, bar);
	if (!(qty > 0))
		return 0;
	p.price = px;
	p.requested = o.limit;
	p.bid = k != NULL && k->qts != TS_UNSET ? k->bid : NAN;
	p.ask = k != NULL && k->qts != TS_UNSET ? k->ask : NAN;
	p.maker = 1;
	if (fee_for(b, &o, qty, &p, &fee, why, sizeof(why)) == -1) {
		drop_order(b, i);
		unclose(b, &o);
		tell(BOOK_REJECT, &o, bar->ts, why, cb, arg);
		return 1;
	}
	if (qty < o.qty) {
		/* The rest rests; the event's order says what filled. */
		b->ord[i].qty = o.qty - qty;
		fill(b, &o, bar->ts, qty, o.qty - qty, &p, fee, 0, cb, arg);
		return 0;
	}
	drop_order(b, i);
	fill(b, &o, bar->ts, qty, 0, &p, fee, 0, cb, arg);
	return 1;
}

void
book_intrabar(struct book *b, const struct bar *bar, book_cb *cb, void *arg)
{
	struct book_mark *k;
	struct order o;
	struct px p;
	char why[64];
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
			tell(BOOK_REJECT, &o, bar->ts, "no open position", cb,
			    arg);
			continue;
		}
		if (timed_out(b, &o, bar->ts)) {
			drop_order(b, i);
			snprintf(why, sizeof(why), "unfilled after %lld s",
			    (long long)(b->m.timeout_ms / 1000));
			tell(BOOK_CANCEL, &o, bar->ts, why, cb, arg);
			continue;
		}
		if (b->m.honest && strcmp(o.order_type, "limit") == 0) {
			if (!limit_fill(b, i, bar, cb, arg))
				i++;
			continue;
		}
		px = strcmp(o.order_type, "stop") == 0 ? triggered(&o, bar) :
		    reached(&o, bar, 0, 0);
		if (isnan(px)) {
			i++;
			continue;
		}
		drop_order(b, i);
		if (b->m.honest)
			taker(b, &o, o.qty, px, mark_find(b, bar->symbol), 0,
			    o.stop, &p);
		else
			ideal(px, &p);
		take(b, &o, bar->ts, &p, 0, cb, arg);
	}
	/* The bar has closed: its close is the symbol's price now. */
	k = mark_get(b, bar->symbol);
	if (k->pts == TS_UNSET || k->pts <= bar->ts + bar->tf_ms) {
		k->pts = bar->ts + bar->tf_ms;
		k->px = bar->c;
	}
	book_due(b, bar->ts + bar->tf_ms, cb, arg);
}

void
book_bar(struct book *b, const struct bar *bar, book_cb *cb, void *arg)
{
	book_open(b, bar, cb, arg);
	book_intrabar(b, bar, cb, arg);
}

int
book_cancel(struct book *b, const char *id, int64_t ts, const char *why,
    book_cb *cb, void *arg)
{
	struct order o;
	size_t i;

	for (i = 0; i < b->nord; i++)
		if (strcmp(b->ord[i].intent_id, id) == 0)
			break;
	if (i == b->nord)
		return 0;
	o = b->ord[i];
	drop_order(b, i);
	unclose(b, &o);
	tell(BOOK_CANCEL, &o, ts, why, cb, arg);
	return 1;
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
	struct order o;
	struct position *p;
	struct px px;
	size_t i = 0;

	while (i < b->nord) {
		if (strcmp(b->ord[i].symbol, symbol) != 0) {
			i++;
			continue;
		}
		o = b->ord[i];
		drop_order(b, i);
		tell(BOOK_EXPIRE, &o, ts, "end of data", cb, arg);
	}
	i = 0;
	while (i < b->npos) {
		p = &b->pos[i];
		if (strcmp(p->symbol, symbol) != 0) {
			i++;
			continue;
		}
		book_end_order(&o, p, ts);
		if (b->m.honest)
			taker(b, &o, o.qty, price, mark_find(b, symbol), 0,
			    NAN, &px);
		else
			ideal(price, &px);
		take(b, &o, ts, &px, 1, cb, arg);
	}
}
