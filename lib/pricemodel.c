/*
 * pricemodel.c: modelled option chains and leveraged-fund prices from
 * an underlying's bars; see pricemodel.h for the model.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs.h"
#include "clock.h"
#include "etfmap.h"
#include "occ.h"
#include "pricemodel.h"

/* One modelled contract. */
struct mcontract {
	char		 symbol[REC_SYM];
	int		 call;
	double		 strike;
	int64_t		 expiry;	/* day number */
};

/* What is modelled of one underlying in its current session. */
struct under {
	char		 symbol[REC_SYM];
	int64_t		 day;		/* local date of the session */
	double		 s0;		/* its first open */
	struct mcontract *c;
	size_t		 nc;
};

struct pmodel {
	const struct config	*cfg;
	int			 options, etf;
	struct tz		 tz;
	struct etfmap		 map;
	struct under		*u;
	size_t			 nu, capu;
	long			 made;
};

static struct under *
under_of(struct pmodel *m, const char *symbol)
{
	size_t i;

	for (i = 0; i < m->nu; i++)
		if (strcmp(m->u[i].symbol, symbol) == 0)
			return &m->u[i];
	if (m->nu == m->capu) {
		m->capu = m->capu == 0 ? 8 : m->capu * 2;
		m->u = xrealloc(m->u, m->capu * sizeof(*m->u));
	}
	memset(&m->u[m->nu], 0, sizeof(m->u[0]));
	sk_strlcpy(m->u[m->nu].symbol, symbol, REC_SYM);
	m->u[m->nu].day = INT64_MIN;
	return &m->u[m->nu++];
}

/* The weekday after day (days since 1970-01-01, a Thursday). */
static int64_t
next_weekday(int64_t day)
{
	int wd = (int)((day % 7 + 7 + 3) % 7);	/* 0 Monday .. 6 Sunday */

	return day + (wd == 4 ? 3 : wd == 5 ? 2 : 1);
}

/* A new session: the strip of strikes around its first open. */
static int
new_session(struct pmodel *m, struct under *u, int64_t day, double open,
    struct sk_err *e)
{
	const struct cfg_instrument *in = &m->cfg->instrument;
	int64_t exp[2], strike;
	struct occ o;
	struct sk_err ignore;
	double base, k;
	int n = in->model_strikes, i, x, call;
	size_t nc = 0;

	u->day = day;
	u->s0 = open;
	free(u->c);
	u->c = NULL;
	u->nc = 0;
	if (!m->options)
		return 0;
	u->c = xcalloc((size_t)(2 * n + 1) * 4, sizeof(*u->c));
	exp[0] = day;
	exp[1] = next_weekday(day);
	base = round(open / in->model_strike_step) * in->model_strike_step;
	for (x = 0; x < 2; x++)
		for (i = -n; i <= n; i++)
			for (call = 1; call >= 0; call--) {
				k = base + i * in->model_strike_step;
				if (!(k > 0) || occ_strike_round(k,
				    &strike) == -1)
					continue;
				/*
				 * The OCC root is the symbol: one that cannot
				 * be (longer than 6, as BTCUSDT) has no
				 * options to model.
				 */
				if (occ_set(&o, u->symbol, exp[x], call ? 'C' :
				    'P', strike, &ignore) == -1)
					return 0;
				if (occ_format(&o, u->c[nc].symbol, e) == -1)
					return -1;
				u->nc = nc + 1;
				u->c[nc].call = call;
				u->c[nc].strike = occ_strike_value(strike);
				u->c[nc].expiry = exp[x];
				nc++;
			}
	return 0;
}

/* The contract's price with the underlying at s at instant at. */
static double
price(struct pmodel *m, const struct mcontract *c, double s, int64_t at)
{
	struct bs_in in;

	memset(&in, 0, sizeof(in));
	in.right = c->call ? 'C' : 'P';
	in.s = s;
	in.k = c->strike;
	in.t = bs_years(bs_minutes_left(&m->tz, at, c->expiry));
	in.r = m->cfg->instrument.rate;
	in.sigma = m->cfg->instrument.model_iv;
	return bs_price(&in);
}

/* A price to the cent, as quotes are. */
static double
cents(double v)
{
	return round(v * 100) / 100;
}

static int
put_contract(struct pmodel *m, const struct under *u,
    const struct mcontract *c, const struct bar *b, const struct emit *out,
    struct sk_err *e)
{
	const struct cfg_instrument *in = &m->cfg->instrument;
	struct rec r;
	struct contract *op = &r.u.option;
	struct bs_in bi;
	struct bs_out bo;
	int64_t close = b->ts + b->tf_ms;
	double px, half;

	rec_init(&r, REC_OPTION);
	op->ts = close;
	sk_strlcpy(op->symbol, c->symbol, sizeof(op->symbol));
	sk_strlcpy(op->underlying, u->symbol, sizeof(op->underlying));
	clock_format_day(c->expiry, op->expiry);
	op->strike = c->strike;
	sk_strlcpy(op->right, c->call ? "call" : "put", sizeof(op->right));
	px = price(m, c, b->c, close);
	half = fmax(0.005, px * in->model_spread_pct / 200);
	op->bid = cents(fmax(0, px - half));
	op->ask = cents(px + half);
	if (!(op->ask > op->bid))
		op->ask = op->bid + 0.01;
	op->last = cents(px);
	op->iv = in->model_iv;
	memset(&bi, 0, sizeof(bi));
	bi.right = c->call ? 'C' : 'P';
	bi.s = b->c;
	bi.k = c->strike;
	bi.t = bs_years(bs_minutes_left(&m->tz, close, c->expiry));
	bi.r = in->rate;
	bi.sigma = in->model_iv;
	if (bi.t > 0 && bs_eval(&bi, &bo) == 0) {
		op->delta = bo.delta;
		op->gamma = bo.gamma;
		op->theta = bo.theta_day;
		op->vega = bo.vega;
		op->rho = bo.rho;
		sk_strlcpy(op->greeks, "computed", sizeof(op->greeks));
	}
	sk_strlcpy(op->source, "model", sizeof(op->source));
	if (emit(out, &r, e) == -1)
		return -1;
	rec_init(&r, REC_BAR);
	sk_strlcpy(r.u.bar.symbol, c->symbol, sizeof(r.u.bar.symbol));
	sk_strlcpy(r.u.bar.tf, b->tf, sizeof(r.u.bar.tf));
	r.u.bar.tf_ms = b->tf_ms;
	r.u.bar.ts = b->ts;
	r.u.bar.o = cents(price(m, c, b->o, b->ts));
	r.u.bar.c = cents(price(m, c, b->c, close));
	r.u.bar.h = cents(price(m, c, c->call ? b->h : b->l, b->ts));
	r.u.bar.l = cents(price(m, c, c->call ? b->l : b->h, close));
	r.u.bar.h = fmax(r.u.bar.h, fmax(r.u.bar.o, r.u.bar.c));
	r.u.bar.l = fmin(r.u.bar.l, fmin(r.u.bar.o, r.u.bar.c));
	r.u.bar.v = floor(b->v / 100);
	r.u.bar.ind.fresh = 1;
	ind_set(&r.u.bar.ind, "modelled", 1);
	r.u.bar.had_ind = 1;
	m->made++;
	return emit(out, &r, e);
}

static int
put_fund(struct pmodel *m, const struct under *u, const char *fund,
    double lev, const struct bar *b, const struct emit *out,
    struct sk_err *e)
{
	const struct cfg_instrument *in = &m->cfg->instrument;
	struct rec r;
	double o, c, hi, lo, half;

	o = 100 * (1 + lev * (b->o / u->s0 - 1));
	c = 100 * (1 + lev * (b->c / u->s0 - 1));
	hi = 100 * (1 + lev * ((lev > 0 ? b->h : b->l) / u->s0 - 1));
	lo = 100 * (1 + lev * ((lev > 0 ? b->l : b->h) / u->s0 - 1));
	rec_init(&r, REC_BAR);
	sk_strlcpy(r.u.bar.symbol, fund, sizeof(r.u.bar.symbol));
	sk_strlcpy(r.u.bar.tf, b->tf, sizeof(r.u.bar.tf));
	r.u.bar.tf_ms = b->tf_ms;
	r.u.bar.ts = b->ts;
	r.u.bar.o = cents(o);
	r.u.bar.c = cents(c);
	r.u.bar.h = fmax(cents(hi), fmax(r.u.bar.o, r.u.bar.c));
	r.u.bar.l = fmin(cents(lo), fmin(r.u.bar.o, r.u.bar.c));
	r.u.bar.v = b->v;
	r.u.bar.ind.fresh = 1;
	ind_set(&r.u.bar.ind, "modelled", 1);
	r.u.bar.had_ind = 1;
	if (emit(out, &r, e) == -1)
		return -1;
	rec_init(&r, REC_QUOTE);
	r.u.quote.ts = b->ts + b->tf_ms;
	sk_strlcpy(r.u.quote.symbol, fund, sizeof(r.u.quote.symbol));
	half = fmax(0.005, c * in->model_etf_spread_pct / 200);
	r.u.quote.bid = cents(c - half);
	r.u.quote.ask = cents(c + half);
	if (!(r.u.quote.ask > r.u.quote.bid))
		r.u.quote.ask = r.u.quote.bid + 0.01;
	r.u.quote.last = cents(c);
	r.u.quote.bid_sz = r.u.quote.ask_sz = NAN;
	r.u.quote.ind.fresh = 1;
	ind_set(&r.u.quote.ind, "modelled", 1);
	ind_set(&r.u.quote.ind, "adv", 1e9);
	r.u.quote.had_ind = 1;
	m->made++;
	return emit(out, &r, e);
}

static int
model_bar(struct pmodel *m, const struct bar *b, const struct emit *out,
    struct sk_err *e)
{
	struct etfmap_match bull, bear;
	struct under *u;
	struct local l;
	struct occ o;
	struct sk_err ignore;
	size_t i;
	int dir;

	/* Only underlyings: not contracts, nor bars this stage made. */
	if (occ_parse(&o, b->symbol, strlen(b->symbol), &ignore) == 0 ||
	    ind_has(&b->ind, "modelled"))
		return 0;
	tz_local(&m->tz, b->ts, &l);
	u = under_of(m, b->symbol);
	if (u->day != l.day && new_session(m, u, l.day, b->o, e) == -1)
		return -1;
	for (i = 0; i < u->nc; i++)
		if (u->c[i].expiry >= l.day && put_contract(m, u, &u->c[i], b,
		    out, e) == -1)
			return -1;
	if (!m->etf)
		return 0;
	for (dir = 1; dir >= -1; dir -= 2) {
		if (etfmap_find(&m->map, b->symbol, dir,
		    m->cfg->instrument.prefer_3x, dir > 0 ? &bull : &bear) != 1)
			continue;
		if (put_fund(m, u, dir > 0 ? bull.etf : bear.etf,
		    dir > 0 ? bull.lev : bear.lev, b, out, e) == -1)
			return -1;
	}
	return 0;
}

static int
pm_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct pmodel *m = self;
	struct bar b;

	if (r->type != REC_BAR || (!m->options && !m->etf))
		return emit(out, r, e);
	/* The bar goes first; downstream may change its ind in place. */
	b = r->u.bar;
	if (emit(out, r, e) == -1)
		return -1;
	return model_bar(m, &b, out, e);
}

static int
pm_finish(void *self, const struct emit *out, struct sk_err *e)
{
	(void)self;
	(void)out;
	(void)e;
	return 0;
}

static long
pm_acted(const void *self)
{
	const struct pmodel *m = self;

	return m->made;
}

static void
pm_free(void *self)
{
	struct pmodel *m = self;
	size_t i;

	for (i = 0; i < m->nu; i++)
		free(m->u[i].c);
	free(m->u);
	etfmap_release(&m->map);
	tz_release(&m->tz);
	free(m);
}

int
pricemodel_stage_new(struct stage **sp, const struct config *c,
    struct sk_err *e)
{
	struct pmodel *m;
	struct stage *st;
	char map[CFG_PATH], mem[CFG_PATH];

	m = xcalloc(1, sizeof(*m));
	m->cfg = c;
	m->options = strcmp(c->instrument.mode, "options") == 0;
	m->etf = strcmp(c->instrument.mode, "etf") == 0;
	etfmap_init(&m->map);
	if (tz_load(&m->tz, "America/New_York", e) == -1 ||
	    (m->etf && (config_etf_paths(c, map, mem, sizeof(map),
	    e) == -1 || etfmap_load(&m->map, map, mem, e) == -1))) {
		pm_free(m);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	st->name = "price-model";
	st->mask = REC_MASK(REC_BAR);
	st->self = m;
	st->take = pm_take;
	st->finish = pm_finish;
	st->free = pm_free;
	st->acted = pm_acted;
	*sp = st;
	return 0;
}
