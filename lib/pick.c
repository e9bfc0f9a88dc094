/*
 * pick.c: from a signal on an underlying to a signal on the instrument
 * traded: an option contract chosen from the chain, or a leveraged ETF
 * from the map.  Every refusal is a reject with its reason, journaled.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bs.h"
#include "clock.h"
#include "etfmap.h"
#include "occ.h"
#include "pick.h"
#include "quality.h"

struct pick {
	const struct config	*cfg;
	struct journal		*j;
	struct pick_opts	 opt;
	struct tz		 tz;
	struct etfmap		 map;
	struct mviews		 mv;		/* bars and quotes seen */
	struct contract		*c;		/* newest of each contract */
	size_t			 nc, capc;
	long			 picked;
};

/* A contract being weighed, with its greeks as used. */
struct cand {
	const struct contract	*c;
	int64_t			 expiry;	/* day number */
	double			 delta, gamma, theta, mid, spread_pct;
	int			 computed;	/* greeks from the quote */
	double			 score;
};

static void	 loser(struct pick *, const struct contract *, const char *,
		    ...) SK_PRINTF(3, 4);

static void
loser(struct pick *p, const struct contract *c, const char *fmt, ...)
{
	char msg[256];
	int n;
	va_list ap;

	if (p->opt.why == NULL)
		return;
	n = snprintf(msg, sizeof(msg), "%s: ", c->symbol);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	p->opt.why(p->opt.arg, msg);
}

double
pick_score(const struct cfg_instrument *k, double delta, double spread_pct,
    double oi)
{
	double half, sd, ss, so;

	half = fmax(k->delta_target - k->delta_min,
	    k->delta_max - k->delta_target);
	sd = half > 0 ? 1 - fabs(fabs(delta) - k->delta_target) / half : 1;
	ss = k->max_spread_pct > 0 ?
	    0.5 * (1 - spread_pct / k->max_spread_pct) : 0.5;
	so = oi > 1 ? 0.25 * fmin(1, log10(oi) / 4) : 0;
	return fmax(sd, 0) + fmax(ss, 0) + so;
}

/* Keep the newest quote of each contract. */
static void
remember(struct pick *p, const struct contract *c)
{
	size_t i;

	for (i = 0; i < p->nc; i++)
		if (strcmp(p->c[i].symbol, c->symbol) == 0) {
			if (c->ts >= p->c[i].ts)
				p->c[i] = *c;
			return;
		}
	if (p->nc == p->capc) {
		p->capc = p->capc == 0 ? 64 : p->capc * 2;
		p->c = xrealloc(p->c, p->capc * sizeof(*p->c));
	}
	p->c[p->nc++] = *c;
}

/*
 * The greeks of cand at now with the underlying at s: the broker's, or
 * computed from the mid through the implied volatility.  0, or -1 (a
 * loser) when they cannot be had.
 */
static int
greeks(struct pick *p, struct cand *k, int64_t now, double s)
{
	const struct contract *c = k->c;
	struct bs_in in;
	struct bs_out out;
	double sigma;
	enum bs_iv_status st;

	if (!isnan(c->delta) && !isnan(c->theta)) {
		k->delta = c->delta;
		k->gamma = c->gamma;
		k->theta = c->theta;
		return 0;
	}
	memset(&in, 0, sizeof(in));
	in.right = c->right[0] == 'c' ? 'C' : 'P';
	in.s = s;
	in.k = c->strike;
	in.t = bs_years(bs_minutes_left(&p->tz, now, k->expiry));
	in.r = p->cfg->instrument.rate;
	st = bs_iv(&in, k->mid, &sigma);
	if (st != BS_IV_OK) {
		loser(p, c, "no greeks: implied volatility not defined "
		    "(%s)", st == BS_IV_BELOW ? "price at or below intrinsic" :
		    st == BS_IV_ABOVE ? "price above the upper bound" :
		    st == BS_IV_FLAT ? "price carries no information" :
		    "bad input");
		return -1;
	}
	in.sigma = sigma;
	if (bs_eval(&in, &out) == -1) {
		loser(p, c, "no greeks at sigma %g", sigma);
		return -1;
	}
	k->delta = out.delta;
	k->gamma = out.gamma;
	k->theta = out.theta_day;
	k->computed = 1;
	return 0;
}

/* The filters, in priority order after the expiry; 1 if c passes. */
static int
passes(struct pick *p, struct cand *k)
{
	const struct cfg_instrument *in = &p->cfg->instrument;
	const struct contract *c = k->c;
	double ad = fabs(k->delta);

	if (ad < in->delta_min || ad > in->delta_max) {
		loser(p, c, "|delta| %.3f outside %g..%g", ad, in->delta_min,
		    in->delta_max);
		return 0;
	}
	if (!(k->spread_pct <= in->max_spread_pct)) {
		loser(p, c, "spread %.2f %% of mid over %g %%", k->spread_pct,
		    in->max_spread_pct);
		return 0;
	}
	/* A modelled chain has no open interest or volume to judge. */
	if (strcmp(c->source, "model") != 0 && in->min_oi > 0 &&
	    !(c->oi >= in->min_oi)) {
		loser(p, c, "open interest %g under %g", c->oi, in->min_oi);
		return 0;
	}
	if (strcmp(c->source, "model") != 0 && in->min_volume > 0 &&
	    !(c->volume >= in->min_volume)) {
		loser(p, c, "volume %g under %g", c->volume, in->min_volume);
		return 0;
	}
	if (c->ask < in->price_min || (in->price_max > 0 &&
	    c->ask > in->price_max)) {
		loser(p, c, "premium %g outside %g..%g", c->ask,
		    in->price_min, in->price_max);
		return 0;
	}
	return 1;
}

/*
 * The greeks gate on the chosen contract: for 1DTE and later, IV rank
 * under iv_rank_max, daily theta under theta_burn_pct of the premium,
 * gamma under gamma_max.  1 with r filled if it refuses.
 */
static int
greeks_gate(struct pick *p, const struct cand *k, int dte0,
    const struct mview *u, struct reject *r)
{
	const struct cfg_instrument *in = &p->cfg->instrument;
	double rank = u != NULL ? u->iv_rank : NAN, burn;

	if (dte0)
		return 0;
	/* A model's one volatility has no rank. */
	if (strcmp(k->c->source, "model") != 0 && !(rank < in->iv_rank_max))
		return gate_refuse(r, "greeks", in->iv_rank_max, rank,
		    "IV rank %g is not under %g", rank, in->iv_rank_max);
	burn = fabs(k->theta) * 100 / k->c->ask;
	if (!(burn < in->theta_burn_pct))
		return gate_refuse(r, "greeks", in->theta_burn_pct, burn,
		    "daily theta %.4g is %.3g %% of the premium %g, not "
		    "under %g %%", k->theta, burn, k->c->ask,
		    in->theta_burn_pct);
	if (in->gamma_max > 0 && !(k->gamma <= in->gamma_max))
		return gate_refuse(r, "greeks", in->gamma_max, k->gamma,
		    "gamma %.4g over %g", k->gamma, in->gamma_max);
	return 0;
}

/* Add a reason to a signal, if there is room. */
static void
add_reason(struct signal *s, const char *fmt, ...) SK_PRINTF(2, 3);

static void
add_reason(struct signal *s, const char *fmt, ...)
{
	va_list ap;

	if (s->nreasons == REC_REASONS)
		return;
	va_start(ap, fmt);
	vsnprintf(s->reasons[s->nreasons++], REC_TEXT, fmt, ap);
	va_end(ap);
}

/* The first expiry of the side's contracts of s on or after from. */
static int64_t
next_expiry(const struct pick *p, const struct signal *s,
    const char *right, int64_t from)
{
	struct occ occ;
	struct sk_err e;
	int64_t want = INT64_MAX;
	size_t i;

	for (i = 0; i < p->nc; i++)
		if (strcmp(p->c[i].underlying, s->symbol) == 0 &&
		    strcmp(p->c[i].right, right) == 0 &&
		    occ_parse(&occ, p->c[i].symbol, strlen(p->c[i].symbol),
		    &e) == 0 && occ.expiry >= from && occ.expiry < want)
			want = occ.expiry;
	return want;
}

/*
 * The best contract of the side's contracts of s expiring on want,
 * into *best (best->c NULL if none passes).
 */
static void
best_of(struct pick *p, const struct signal *s, const char *right,
    int64_t want, double spot, struct cand *best)
{
	const struct cfg_instrument *in = &p->cfg->instrument;
	struct cand k;
	struct occ occ;
	struct sk_err e;
	size_t i;

	memset(best, 0, sizeof(*best));
	for (i = 0; i < p->nc; i++) {
		memset(&k, 0, sizeof(k));
		k.c = &p->c[i];
		if (strcmp(k.c->underlying, s->symbol) != 0 ||
		    strcmp(k.c->right, right) != 0 ||
		    occ_parse(&occ, k.c->symbol, strlen(k.c->symbol),
		    &e) == -1)
			continue;
		k.expiry = occ.expiry;
		if (k.expiry != want) {
			loser(p, k.c, "expires %s, not on the day wanted",
			    k.c->expiry);
			continue;
		}
		if (!(k.c->bid >= 0) || !(k.c->ask > 0) ||
		    k.c->ask < k.c->bid) {
			loser(p, k.c, "no two-sided quote");
			continue;
		}
		k.mid = (k.c->bid + k.c->ask) / 2;
		k.spread_pct = (k.c->ask - k.c->bid) * 100 / k.mid;
		if (greeks(p, &k, s->ts, spot) == -1 || !passes(p, &k))
			continue;
		k.score = pick_score(in, k.delta, k.spread_pct, k.c->oi);
		if (best->c == NULL || k.score > best->score ||
		    (k.score == best->score &&
		    strcmp(k.c->symbol, best->c->symbol) < 0)) {
			if (best->c != NULL)
				loser(p, best->c, "score %.4f under %.4f of "
				    "%s", best->score, k.score, k.c->symbol);
			*best = k;
		} else
			loser(p, k.c, "score %.4f under %.4f of %s", k.score,
			    best->score, best->c->symbol);
	}
}

static int
pick_option(struct pick *p, const struct signal *s, struct signal *o,
    struct reject *r)
{
	const struct mview *u = mview_find(&p->mv, s->symbol);
	struct cand best;
	struct local now;
	const char *right = strcmp(s->side, "long") == 0 ? "call" : "put";
	double spot = u != NULL && !isnan(u->close) ? u->close : s->price;
	char oi[32];
	int64_t day, want;

	/*
	 * The expiry: today's (0DTE) unless past cutoff_0dte; else, or
	 * when none of today's passes, the nearest after it in the chain
	 * (1DTE when it lists one).
	 */
	tz_local(&p->tz, s->bar_ts != TS_UNSET ? s->bar_ts : s->ts, &now);
	day = now.day;
	want = next_expiry(p, s, right,
	    now.minute >= p->cfg->risk.cutoff_0dte ? day + 1 : day);
	best_of(p, s, right, want, spot, &best);
	if (best.c == NULL && want == day &&
	    next_expiry(p, s, right, day + 1) != INT64_MAX) {
		want = next_expiry(p, s, right, day + 1);
		best_of(p, s, right, want, spot, &best);
	}
	if (best.c == NULL)
		return gate_refuse(r, "no_contract", NAN, NAN, "no %s of %s "
		    "%s passes the filters (%s)", right, s->symbol,
		    want == INT64_MAX ? "in the chain" : "of the nearest "
		    "expiries", p->opt.why != NULL ? "see above" :
		    "-v says why");
	if (greeks_gate(p, &best, best.expiry == day, u, r))
		return 1;
	*o = *s;
	sk_strlcpy(o->symbol, best.c->symbol, sizeof(o->symbol));
	sk_strlcpy(o->side, "long", sizeof(o->side));
	o->price = best.c->ask;
	if (isnan(best.c->oi))
		snprintf(oi, sizeof(oi), "unknown");
	else
		snprintf(oi, sizeof(oi), "%g", best.c->oi);
	add_reason(o, "%s %s: %s, %s, delta %.3f%s, spread %.2f %%, oi %s, "
	    "score %.3f", s->symbol, s->side, best.c->symbol,
	    best.expiry == day ? "0DTE" : best.c->expiry, best.delta,
	    best.computed ? " (computed)" : "", best.spread_pct, oi,
	    best.score);
	return 0;
}

static int
pick_etf(struct pick *p, const struct signal *s, struct signal *o,
    struct reject *r)
{
	const struct cfg_instrument *in = &p->cfg->instrument;
	struct etfmap_match m;
	struct etf_limits lim;
	const struct mview *v;
	const char *why;
	double spread = NAN, px;
	int dir = strcmp(s->side, "long") == 0 ? 1 : -1;

	if (etfmap_find(&p->map, s->symbol, dir, in->prefer_3x, &m) != 1)
		return gate_refuse(r, "etf_map", NAN, NAN, "no %s fund for %s "
		    "in %s", dir > 0 ? "bull" : "bear", s->symbol,
		    p->map.file);
	v = mview_find(&p->mv, m.etf);
	etf_limits_init(&lim);
	lim.min_dollar_volume = in->etf_min_adv;
	lim.max_spread_pct = in->etf_max_spread_pct;
	if (v != NULL && v->quote_ts != TS_UNSET)
		spread = etf_spread_pct(v->bid, v->ask);
	if ((lim.max_spread_pct > 0 && isnan(spread)) ||
	    (lim.min_dollar_volume > 0 && (v == NULL || isnan(v->adv))))
		return gate_refuse(r, "etf_liquidity", NAN, NAN, "no %s of "
		    "%s seen", isnan(spread) && lim.max_spread_pct > 0 ?
		    "quote" : "adv", m.etf);
	if (!etf_liquid(lim.min_dollar_volume > 0 ? v->adv : INFINITY,
	    lim.max_spread_pct > 0 ? spread : 0, &lim, &why))
		return gate_refuse(r, "etf_liquidity", NAN, NAN, "%s: %s",
		    m.etf, why);
	px = v != NULL && v->quote_ts != TS_UNSET ? v->ask :
	    v != NULL ? v->close : NAN;
	if (!(px > 0))
		return gate_refuse(r, "etf_liquidity", NAN, NAN, "no price "
		    "of %s seen", m.etf);
	*o = *s;
	sk_strlcpy(o->symbol, m.etf, sizeof(o->symbol));
	sk_strlcpy(o->side, "long", sizeof(o->side));
	o->price = px;
	add_reason(o, "%s %s: %s (%gx, %s via %s)", s->symbol, s->side,
	    m.etf, m.lev, etfmap_rule_name(m.rule), m.via);
	return 0;
}

static int
decide(struct pick *p, const struct rec *in, const struct emit *out,
    struct sk_err *e)
{
	const struct signal *s = &in->u.sig;
	struct rec r;
	struct reject rj;
	struct local l;
	int refused;

	memset(&rj, 0, sizeof(rj));
	rec_init(&r, REC_SIGNAL);
	if (strcmp(p->cfg->instrument.mode, "options") == 0)
		refused = pick_option(p, s, &r.u.sig, &rj);
	else
		refused = pick_etf(p, s, &r.u.sig, &rj);
	if (!refused) {
		p->picked++;
		return emit(out, &r, e);
	}
	rec_init(&r, REC_REJECT);
	rj.ts = s->ts;
	sk_strlcpy(rj.symbol, s->symbol, sizeof(rj.symbol));
	sk_strlcpy(rj.signal_id, s->id, sizeof(rj.signal_id));
	sk_strlcpy(rj.strategy, s->strategy, sizeof(rj.strategy));
	r.u.rej = rj;
	tz_local(&p->tz, s->ts, &l);
	if (p->j != NULL && journal_decision(p->j, s, &rj, NULL, 0, l.day,
	    e) == -1)
		return -1;
	return emit(out, &r, e);
}

/* An option record goes on, then its contract's quote. */
static int
take_option(struct pick *p, struct rec *in, const struct emit *out,
    struct sk_err *e)
{
	const struct contract *c = &in->u.option;
	struct rec q;

	remember(p, c);
	if (emit(out, in, e) == -1)
		return -1;
	if (isnan(c->bid) || isnan(c->ask))
		return 0;
	rec_init(&q, REC_QUOTE);
	q.u.quote.ts = c->ts;
	sk_strlcpy(q.u.quote.symbol, c->symbol, sizeof(q.u.quote.symbol));
	q.u.quote.bid = c->bid;
	q.u.quote.ask = c->ask;
	q.u.quote.last = c->last;
	q.u.quote.bid_sz = q.u.quote.ask_sz = NAN;
	if (!isnan(c->oi))
		ind_set(&q.u.quote.ind, "oi", c->oi);
	if (!isnan(c->iv))
		ind_set(&q.u.quote.ind, "iv", c->iv);
	q.u.quote.had_ind = q.u.quote.ind.n > 0;
	mview_quote(&p->mv, &q.u.quote);
	return emit(out, &q, e);
}

static int
pick_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct pick *p = self;

	switch (r->type) {
	case REC_BAR:
		mview_bar(&p->mv, &r->u.bar, 1);
		return emit(out, r, e);
	case REC_QUOTE:
		mview_quote(&p->mv, &r->u.quote);
		return emit(out, r, e);
	case REC_OPTION:
		return take_option(p, r, out, e);
	case REC_SIGNAL:
		if (strcmp(p->cfg->instrument.mode, "underlying") == 0)
			return emit(out, r, e);
		return decide(p, r, out, e);
	default:
		return emit(out, r, e);
	}
}

static int
pick_finish(void *self, const struct emit *out, struct sk_err *e)
{
	(void)self;
	(void)out;
	(void)e;
	return 0;
}

static long
pick_acted(const void *self)
{
	const struct pick *p = self;

	return p->picked;
}

static void
pick_free(void *self)
{
	struct pick *p = self;

	tz_release(&p->tz);
	etfmap_release(&p->map);
	mviews_release(&p->mv);
	free(p->c);
	free(p);
}

/* The ETF map, as the config places it. */
static int
load_map(struct pick *p, struct sk_err *e)
{
	char map[CFG_PATH], mem[CFG_PATH];

	if (config_etf_paths(p->cfg, map, mem, sizeof(map), e) == -1)
		return -1;
	return etfmap_load(&p->map, map, mem, e);
}

int
pick_stage_new(struct stage **sp, const struct config *c,
    struct journal *j, const struct pick_opts *opt, struct sk_err *e)
{
	struct pick *p;
	struct stage *st;

	p = xcalloc(1, sizeof(*p));
	p->cfg = c;
	p->j = j;
	if (opt != NULL)
		p->opt = *opt;
	etfmap_init(&p->map);
	if (tz_load(&p->tz, c->market.timezone, e) == -1 ||
	    (strcmp(c->instrument.mode, "etf") == 0 &&
	    load_map(p, e) == -1)) {
		pick_free(p);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	st->name = "pick-contract";
	st->mask = REC_MASK(REC_BAR) | REC_MASK(REC_QUOTE) |
	    REC_MASK(REC_OPTION) | REC_MASK(REC_SIGNAL);
	st->self = p;
	st->take = pick_take;
	st->finish = pick_finish;
	st->free = pick_free;
	st->acted = pick_acted;
	*sp = st;
	return 0;
}
