/*
 * structure.c: streaming price-structure detectors.  The rules are the
 * ones structure.h states, word for word the man page's: change both.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "structure.h"

/* First saved value: which detector wrote the state. */
#define TAG_PIV		7301
#define TAG_SWEEP	7302
#define TAG_OB		7303
#define TAG_CHOCH	7304
#define TAG_CANDLE	7305

/* Counts, indices and instants are exact as doubles below this. */
#define BIG		9007199254740992.0	/* 2^53 */

/* Fields of a saved level and a saved zone. */
#define LVL_NSAVE	3
#define ZONE_NSAVE	7
#define CAND_NSAVE	5

static int
atr_ok(double atr)
{
	return isfinite(atr) && atr > 0.0;
}

/* A bar as structure.h defines one: the only input push refuses. */
static int
bar_ok(const struct structure_bar *b)
{
	if (!isfinite(b->o) || !isfinite(b->h) || !isfinite(b->l) ||
	    !isfinite(b->c) || !isfinite(b->v))
		return 0;
	return b->l <= b->o && b->l <= b->c && b->o <= b->h &&
	    b->c <= b->h && b->v >= 0.0;
}

static struct structure_lvl
lvl_none(void)
{
	struct structure_lvl x;

	x.px = NAN;
	x.idx = -1;
	x.t = 0;
	return x;
}

static double
body(const struct structure_bar *b)
{
	return fabs(b->c - b->o);
}

static double
upper_wick(const struct structure_bar *b)
{
	return b->h - (b->o > b->c ? b->o : b->c);
}

static double
lower_wick(const struct structure_bar *b)
{
	return (b->o < b->c ? b->o : b->c) - b->l;
}

static int
count_ok(double v, double lo, double hi)
{
	return v >= lo && v <= hi && v == floor(v);
}

static int
par_real_ok(double v, double lo)
{
	return isfinite(v) && v >= lo;
}

/*
 * Pivots.
 */

void
structure_piv_default(struct structure_piv_par *par)
{
	par->left = STRUCTURE_PIV_LEFT;
	par->right = STRUCTURE_PIV_RIGHT;
	par->keep = STRUCTURE_PIV_KEEP;
}

static int
piv_par_ok(const struct structure_piv_par *par)
{
	return par->left >= 1 && par->left <= STRUCTURE_MAXN &&
	    par->right >= 0 && par->right <= STRUCTURE_MAXN &&
	    par->keep >= 1 && par->keep <= STRUCTURE_MAXN;
}

/* Outputs of a push that found nothing; the newest pivots stay. */
static void
piv_clear(struct structure_piv *p)
{
	p->ph_new = p->pl_new = 0;
	p->ph = p->nh > 0 ? p->hi[0] : lvl_none();
	p->pl = p->nl > 0 ? p->lo[0] : lvl_none();
	p->has_res = p->has_sup = 0;
	p->res = p->sup = lvl_none();
	p->res_pct = p->res_atr = p->sup_pct = p->sup_atr = NAN;
}

int
structure_piv_init(struct structure_piv *p,
    const struct structure_piv_par *par, struct structure_lvl *buf)
{
	if (par == NULL || buf == NULL || !piv_par_ok(par))
		return -1;
	p->par = *par;
	p->w = par->left + par->right + 1;
	p->ring = buf;
	p->hi = buf + 2 * p->w;
	p->lo = p->hi + par->keep;
	p->nh = p->nl = 0;
	p->n = 0;
	piv_clear(p);
	return 0;
}

/* The high (side 0) or low (side 1) of bar j, for n - w <= j < n. */
static const struct structure_lvl *
piv_at(const struct structure_piv *p, long j, int side)
{
	return &p->ring[2 * (j % p->w) + side];
}

/* Whether bar i is a pivot high (side 0) or low (1) of the window. */
static int
piv_is(const struct structure_piv *p, long i, int side)
{
	double x = piv_at(p, i, side)->px, y;
	long j;
	int ok;

	for (j = i - p->par.left; j < p->n; j++) {
		if (j == i)
			continue;
		y = piv_at(p, j, side)->px;
		/* Strict before i, ties allowed after: see structure.h. */
		if (side == 0)
			ok = j < i ? x > y : x >= y;
		else
			ok = j < i ? x < y : x <= y;
		if (!ok)
			return 0;
	}
	return 1;
}

/* Put x first in a newest-first list of at most cap, dropping the last. */
static void
lvl_insert(struct structure_lvl *a, int *n, int cap, struct structure_lvl x)
{
	int m = *n < cap ? *n : cap - 1;

	memmove(a + 1, a, (size_t)m * sizeof(*a));
	a[0] = x;
	if (*n < cap)
		(*n)++;
}

/* Whether x is a better resistance (dir 1) or support (-1) than best. */
static int
lvl_nearer(const struct structure_lvl *x, int have,
    const struct structure_lvl *best, int dir)
{
	if (!have)
		return 1;
	if (x->px == best->px)
		return x->idx > best->idx;
	return dir > 0 ? x->px < best->px : x->px > best->px;
}

static void
piv_nearest(struct structure_piv *p, double c, double atr)
{
	const struct structure_lvl *x;
	int i;

	for (i = 0; i < p->nh + p->nl; i++) {
		x = i < p->nh ? &p->hi[i] : &p->lo[i - p->nh];
		if (x->px >= c && lvl_nearer(x, p->has_res, &p->res, 1)) {
			p->res = *x;
			p->has_res = 1;
		}
		if (x->px <= c && lvl_nearer(x, p->has_sup, &p->sup, -1)) {
			p->sup = *x;
			p->has_sup = 1;
		}
	}
	if (p->has_res) {
		p->res_pct = c > 0.0 ? 100.0 * (p->res.px - c) / c : NAN;
		p->res_atr = atr_ok(atr) ? (p->res.px - c) / atr : NAN;
	}
	if (p->has_sup) {
		p->sup_pct = c > 0.0 ? 100.0 * (c - p->sup.px) / c : NAN;
		p->sup_atr = atr_ok(atr) ? (c - p->sup.px) / atr : NAN;
	}
}

int
structure_piv_push(struct structure_piv *p, const struct structure_bar *b)
{
	struct structure_lvl *r;
	long i;

	if (!bar_ok(b))
		return -1;
	r = &p->ring[2 * (p->n % p->w)];
	r[0].px = b->h;
	r[1].px = b->l;
	r[0].idx = r[1].idx = p->n;
	r[0].t = r[1].t = b->t;
	p->n++;
	piv_clear(p);
	/* The only bar whose right-hand bars have all closed just now. */
	i = p->n - 1 - p->par.right;
	if (i >= p->par.left && piv_is(p, i, 0)) {
		lvl_insert(p->hi, &p->nh, p->par.keep, *piv_at(p, i, 0));
		p->ph = p->hi[0];
		p->ph_new = 1;
	}
	if (i >= p->par.left && piv_is(p, i, 1)) {
		lvl_insert(p->lo, &p->nl, p->par.keep, *piv_at(p, i, 1));
		p->pl = p->lo[0];
		p->pl_new = 1;
	}
	piv_nearest(p, b->c, b->atr);
	return p->ph_new || p->pl_new;
}

const struct structure_lvl *
structure_piv_high(const struct structure_piv *p, int i)
{
	return i >= 0 && i < p->nh ? &p->hi[i] : NULL;
}

const struct structure_lvl *
structure_piv_low(const struct structure_piv *p, int i)
{
	return i >= 0 && i < p->nl ? &p->lo[i] : NULL;
}

static size_t
lvl_put(double *v, const struct structure_lvl *x)
{
	v[0] = x->px;
	v[1] = (double)x->idx;
	v[2] = (double)x->t;
	return LVL_NSAVE;
}

static int
lvl_valid(const double *v, long n)
{
	return isfinite(v[0]) && count_ok(v[1], 0, (double)n - 1) &&
	    count_ok(v[2], -BIG, BIG);
}

static struct structure_lvl
lvl_get(const double *v)
{
	struct structure_lvl x;

	x.px = v[0];
	x.idx = (long)v[1];
	x.t = (int64_t)v[2];
	return x;
}

/* Bars in the window after n bars. */
static long
piv_held(const struct structure_piv *p, long n)
{
	return n < p->w ? n : p->w;
}

/*
 * [tag, L, R, K, n, nh, nl, (h, l, t) per bar of the window oldest
 * first, then (px, idx, t) per pivot, highs then lows, newest first].
 * The window's bar indices follow from n.
 */
static size_t
piv_size(const struct structure_piv *p)
{
	return 7 + 3 * (size_t)piv_held(p, p->n) +
	    LVL_NSAVE * (size_t)(p->nh + p->nl);
}

size_t
structure_piv_save(const struct structure_piv *p, double *v, size_t cap)
{
	size_t k = 0;
	long j;
	int i;

	if (cap < piv_size(p))
		return 0;
	v[k++] = TAG_PIV;
	v[k++] = p->par.left;
	v[k++] = p->par.right;
	v[k++] = p->par.keep;
	v[k++] = (double)p->n;
	v[k++] = p->nh;
	v[k++] = p->nl;
	for (j = p->n - piv_held(p, p->n); j < p->n; j++) {
		v[k++] = piv_at(p, j, 0)->px;
		v[k++] = piv_at(p, j, 1)->px;
		v[k++] = (double)piv_at(p, j, 0)->t;
	}
	for (i = 0; i < p->nh; i++)
		k += lvl_put(v + k, &p->hi[i]);
	for (i = 0; i < p->nl; i++)
		k += lvl_put(v + k, &p->lo[i]);
	return k;
}

/* Whether v is a state piv_apply() can restore into p. */
static int
piv_valid(const struct structure_piv *p, const double *v, size_t len)
{
	size_t k, want;
	long n, held;
	int nh, nl, i;

	if (len < 7 || v[0] != TAG_PIV || v[1] != p->par.left ||
	    v[2] != p->par.right || v[3] != p->par.keep ||
	    !count_ok(v[4], 0, BIG) || !count_ok(v[5], 0, p->par.keep) ||
	    !count_ok(v[6], 0, p->par.keep))
		return 0;
	n = (long)v[4];
	nh = (int)v[5];
	nl = (int)v[6];
	held = piv_held(p, n);
	want = 7 + 3 * (size_t)held + LVL_NSAVE * (size_t)(nh + nl);
	if (len != want)
		return 0;
	for (k = 7; k < 7 + 3 * (size_t)held; k += 3)
		if (!isfinite(v[k]) || !isfinite(v[k + 1]) ||
		    !count_ok(v[k + 2], -BIG, BIG))
			return 0;
	for (i = 0; i < nh + nl; i++, k += LVL_NSAVE)
		if (!lvl_valid(v + k, n))
			return 0;
	return 1;
}

static void
piv_apply(struct structure_piv *p, const double *v)
{
	struct structure_lvl *r;
	size_t k = 7;
	long j;
	int i;

	p->n = (long)v[4];
	p->nh = (int)v[5];
	p->nl = (int)v[6];
	for (j = p->n - piv_held(p, p->n); j < p->n; j++, k += 3) {
		r = &p->ring[2 * (j % p->w)];
		r[0].px = v[k];
		r[1].px = v[k + 1];
		r[0].idx = r[1].idx = j;
		r[0].t = r[1].t = (int64_t)v[k + 2];
	}
	for (i = 0; i < p->nh; i++, k += LVL_NSAVE)
		p->hi[i] = lvl_get(v + k);
	for (i = 0; i < p->nl; i++, k += LVL_NSAVE)
		p->lo[i] = lvl_get(v + k);
	piv_clear(p);
}

int
structure_piv_load(struct structure_piv *p, const double *v, size_t len)
{
	if (!piv_valid(p, v, len))
		return -1;
	piv_apply(p, v);
	return 0;
}

/*
 * Liquidity sweeps.
 */

void
structure_sweep_default(struct structure_sweep_par *par)
{
	par->left = STRUCTURE_PIV_LEFT;
	par->right = STRUCTURE_PIV_RIGHT;
	par->nvol = STRUCTURE_SWEEP_NVOL;
	par->wick = STRUCTURE_SWEEP_WICK;
	par->vol = STRUCTURE_SWEEP_VOL;
	par->vol_sat = STRUCTURE_SWEEP_VOL_SAT;
	par->depth_sat = STRUCTURE_SWEEP_DEPTH_SAT;
}

static void
sweep_clear(struct structure_sweep *s)
{
	s->dir = 0;
	s->conf = 0.0;
	s->level = lvl_none();
	s->wick = s->vol_ratio = s->depth_atr = NAN;
}

int
structure_sweep_init(struct structure_sweep *s,
    const struct structure_sweep_par *par, struct structure_lvl *pbuf,
    double *vbuf)
{
	struct structure_piv_par pp;

	if (par == NULL || vbuf == NULL || par->nvol < 1 ||
	    par->nvol > STRUCTURE_MAXVOL || !par_real_ok(par->wick, 0.0) ||
	    !par_real_ok(par->vol, 0.0) || !par_real_ok(par->vol_sat, 0.0) ||
	    par->vol_sat == 0.0 || !par_real_ok(par->depth_sat, 0.0) ||
	    par->depth_sat == 0.0)
		return -1;
	pp.left = par->left;
	pp.right = par->right;
	pp.keep = 1;
	if (structure_piv_init(&s->piv, &pp, pbuf) == -1)
		return -1;
	s->par = *par;
	s->vol = vbuf;
	s->live_h = s->live_l = 0;
	sweep_clear(s);
	return 0;
}

/* The mean volume of the N bars before this one; they are all held. */
static double
sweep_mean(const struct structure_sweep *s)
{
	long n = s->piv.n;
	double sum = 0.0;
	int i, m = s->par.nvol;

	/* Oldest first, so that a loaded ring sums the same. */
	for (i = 0; i < m; i++)
		sum += s->vol[(n + i) % m];
	return sum / m;
}

/* Fill the outputs for a sweep of lv by depth, rejected by wick. */
static void
sweep_score(struct structure_sweep *s, const struct structure_bar *b,
    const struct structure_lvl *lv, double depth, double wick, double mean)
{
	double sv = 0.0, sd = 0.0;

	s->level = *lv;
	s->wick = wick / (b->h - b->l);
	s->vol_ratio = mean > 0.0 ? b->v / mean : NAN;
	s->depth_atr = atr_ok(b->atr) ? depth / b->atr : NAN;
	if (!isnan(s->vol_ratio))
		sv = fmin(1.0, s->vol_ratio / s->par.vol_sat);
	if (!isnan(s->depth_atr))
		sd = fmin(1.0, s->depth_atr / s->par.depth_sat);
	s->conf = (s->wick + sv + sd) / 3.0;
}

int
structure_sweep_push(struct structure_sweep *s, const struct structure_bar *b)
{
	const struct structure_lvl *ph = structure_piv_high(&s->piv, 0);
	const struct structure_lvl *pl = structure_piv_low(&s->piv, 0);
	struct structure_lvl lh = lvl_none(), ll = lvl_none();
	double mean = NAN, bd = body(b), uw = upper_wick(b);
	double lw = lower_wick(b);
	int vok, dn = 0, up = 0;

	if (!bar_ok(b))
		return -1;
	sweep_clear(s);
	if (s->piv.n >= s->par.nvol)
		mean = sweep_mean(s);
	vok = !isnan(mean) && b->v >= s->par.vol * mean;
	/* Levels known before this bar; the first trade through takes one. */
	if (s->live_h && ph != NULL && b->h > ph->px) {
		s->live_h = 0;
		lh = *ph;
		dn = b->c < lh.px && uw >= s->par.wick * bd && vok;
	}
	if (s->live_l && pl != NULL && b->l < pl->px) {
		s->live_l = 0;
		ll = *pl;
		up = b->c > ll.px && lw >= s->par.wick * bd && vok;
	}
	s->vol[s->piv.n % s->par.nvol] = b->v;
	structure_piv_push(&s->piv, b);
	if (s->piv.ph_new)
		s->live_h = 1;
	if (s->piv.pl_new)
		s->live_l = 1;
	/* A sweep of both sides says nothing about which way. */
	if (dn && !up) {
		s->dir = -1;
		sweep_score(s, b, &lh, b->h - lh.px, uw, mean);
	} else if (up && !dn) {
		s->dir = 1;
		sweep_score(s, b, &ll, ll.px - b->l, lw, mean);
	}
	return s->dir != 0;
}

/* [tag, L, R, N, w, m, vol_sat, depth_sat, live_h, live_l, nv, vols
 * oldest first, pivots]. */
size_t
structure_sweep_save(const struct structure_sweep *s, double *v, size_t cap)
{
	long n = s->piv.n, nv, j;
	size_t k = 0, need;

	nv = n < s->par.nvol ? n : s->par.nvol;
	need = 11 + (size_t)nv + piv_size(&s->piv);
	if (cap < need)
		return 0;
	v[k++] = TAG_SWEEP;
	v[k++] = s->par.left;
	v[k++] = s->par.right;
	v[k++] = s->par.nvol;
	v[k++] = s->par.wick;
	v[k++] = s->par.vol;
	v[k++] = s->par.vol_sat;
	v[k++] = s->par.depth_sat;
	v[k++] = s->live_h;
	v[k++] = s->live_l;
	v[k++] = (double)nv;
	for (j = n - nv; j < n; j++)
		v[k++] = s->vol[j % s->par.nvol];
	return k + structure_piv_save(&s->piv, v + k, cap - k);
}

int
structure_sweep_load(struct structure_sweep *s, const double *v, size_t len)
{
	long n, nv, j;

	if (len < 11 || v[0] != TAG_SWEEP || v[1] != s->par.left ||
	    v[2] != s->par.right || v[3] != s->par.nvol ||
	    v[4] != s->par.wick || v[5] != s->par.vol ||
	    v[6] != s->par.vol_sat || v[7] != s->par.depth_sat ||
	    !count_ok(v[8], 0, 1) || !count_ok(v[9], 0, 1) ||
	    !count_ok(v[10], 0, s->par.nvol) || len < 11 + (size_t)v[10] ||
	    !piv_valid(&s->piv, v + 11 + (size_t)v[10],
	    len - 11 - (size_t)v[10]))
		return -1;
	nv = (long)v[10];
	n = (long)v[11 + nv + 4];
	if (nv != (n < s->par.nvol ? n : s->par.nvol))
		return -1;
	/* A level is live only while its pivot is held. */
	if ((v[8] == 1 && v[11 + nv + 5] == 0) ||
	    (v[9] == 1 && v[11 + nv + 6] == 0))
		return -1;
	for (j = 0; j < nv; j++)
		if (!isfinite(v[11 + j]) || v[11 + j] < 0.0)
			return -1;
	for (j = 0; j < nv; j++)
		s->vol[(n - nv + j) % s->par.nvol] = v[11 + j];
	s->live_h = (int)v[8];
	s->live_l = (int)v[9];
	piv_apply(&s->piv, v + 11 + nv);
	sweep_clear(s);
	return 0;
}

/*
 * Order blocks.
 */

void
structure_ob_default(struct structure_ob_par *par)
{
	par->k = STRUCTURE_OB_K;
	par->x = STRUCTURE_OB_X;
	par->pad = STRUCTURE_OB_PAD;
	par->keep = STRUCTURE_OB_KEEP;
}

static struct structure_zone
zone_none(void)
{
	struct structure_zone z;

	z.lo = z.hi = z.strength = NAN;
	z.idx = z.made = -1;
	z.t = 0;
	z.fresh = 0;
	return z;
}

static void
cand_none(struct structure_cand *c)
{
	c->o = c->c = NAN;
	c->idx = -1;
	c->t = 0;
	c->used = 0;
}

static void
ob_clear(struct structure_ob *ob)
{
	ob->new_bull = ob->new_bear = 0;
	ob->retest_bull = ob->retest_bear = 0;
	ob->rbull = ob->rbear = zone_none();
}

int
structure_ob_init(struct structure_ob *ob, const struct structure_ob_par *par,
    struct structure_zone *buf)
{
	if (par == NULL || buf == NULL || par->k < 1 ||
	    par->keep < 1 || par->keep > STRUCTURE_MAXN ||
	    !par_real_ok(par->x, 0.0) || par->x == 0.0 ||
	    !par_real_ok(par->pad, 0.0))
		return -1;
	ob->par = *par;
	ob->bull = buf;
	ob->bear = buf + par->keep;
	ob->nbull = ob->nbear = 0;
	cand_none(&ob->cbear);
	cand_none(&ob->cbull);
	ob->n = 0;
	ob_clear(ob);
	return 0;
}

/*
 * Drop the zones of z[0..*nz) that bar b closed through and mark the
 * ones it touched; return the newest touched, as it was, in *hit.
 */
static int
ob_visit(struct structure_zone *z, int *nz, int side,
    const struct structure_bar *b, struct structure_zone *hit)
{
	int i, j, found = 0;

	for (i = j = 0; i < *nz; i++) {
		if (side > 0 ? b->c < z[i].lo : b->c > z[i].hi)
			continue;		/* broken: dropped */
		if (b->l <= z[i].hi && b->h >= z[i].lo) {
			if (!found)
				*hit = z[i];
			found = 1;
			z[i].fresh = 0;
		}
		z[j++] = z[i];
	}
	*nz = j;
	return found;
}

static void
zone_insert(struct structure_zone *a, int *n, int cap,
    const struct structure_zone *x)
{
	int m = *n < cap ? *n : cap - 1;

	memmove(a + 1, a, (size_t)m * sizeof(*a));
	a[0] = *x;
	if (*n < cap)
		(*n)++;
}

/*
 * Whether bar b makes a block of c, the last bar of the other colour:
 * side 1 (bullish block, c bearish) or -1.  Fills *z if so.
 */
static int
ob_impulse(const struct structure_ob *ob, const struct structure_cand *c,
    int side, const struct structure_bar *b, struct structure_zone *z)
{
	double move, pad;

	if (c->idx < 0 || c->used || ob->n - c->idx > ob->par.k ||
	    !atr_ok(b->atr))
		return 0;
	/* This bar must not be of the block's colour: that ends the move. */
	if (side > 0 ? b->c < b->o : b->c > b->o)
		return 0;
	move = side > 0 ? b->c - c->c : c->c - b->c;
	if (!(move >= ob->par.x * b->atr))
		return 0;
	pad = ob->par.pad * b->atr;
	z->lo = (side > 0 ? c->c : c->o) - pad;
	z->hi = (side > 0 ? c->o : c->c) + pad;
	z->strength = move / b->atr;
	z->idx = c->idx;
	z->t = c->t;
	z->made = ob->n;
	z->fresh = 1;
	return 1;
}

static void
cand_set(struct structure_cand *c, const struct structure_bar *b, long n)
{
	c->o = b->o;
	c->c = b->c;
	c->idx = n;
	c->t = b->t;
	c->used = 0;
}

int
structure_ob_push(struct structure_ob *ob, const struct structure_bar *b)
{
	struct structure_zone z;

	if (!bar_ok(b))
		return -1;
	ob_clear(ob);
	/* Blocks made before this bar only: creation comes after. */
	ob->retest_bull = ob_visit(ob->bull, &ob->nbull, 1, b, &ob->rbull);
	ob->retest_bear = ob_visit(ob->bear, &ob->nbear, -1, b, &ob->rbear);
	if (ob_impulse(ob, &ob->cbear, 1, b, &z)) {
		zone_insert(ob->bull, &ob->nbull, ob->par.keep, &z);
		ob->cbear.used = 1;
		ob->new_bull = 1;
	}
	if (ob_impulse(ob, &ob->cbull, -1, b, &z)) {
		zone_insert(ob->bear, &ob->nbear, ob->par.keep, &z);
		ob->cbull.used = 1;
		ob->new_bear = 1;
	}
	if (b->c < b->o)
		cand_set(&ob->cbear, b, ob->n);
	else if (b->c > b->o)
		cand_set(&ob->cbull, b, ob->n);
	ob->n++;
	return ob->retest_bull || ob->retest_bear;
}

static size_t
cand_put(double *v, const struct structure_cand *c)
{
	v[0] = c->idx >= 0 ? c->o : 0.0;
	v[1] = c->idx >= 0 ? c->c : 0.0;
	v[2] = (double)c->idx;
	v[3] = (double)c->t;
	v[4] = c->used;
	return CAND_NSAVE;
}

static int
cand_valid(const double *v, long n)
{
	if (!count_ok(v[2], -1, (double)n - 1) || !count_ok(v[3], -BIG, BIG) ||
	    !count_ok(v[4], 0, 1))
		return 0;
	return v[2] < 0 || (isfinite(v[0]) && isfinite(v[1]));
}

static void
cand_get(struct structure_cand *c, const double *v)
{
	if (v[2] < 0) {
		cand_none(c);
		return;
	}
	c->o = v[0];
	c->c = v[1];
	c->idx = (long)v[2];
	c->t = (int64_t)v[3];
	c->used = (int)v[4];
}

static size_t
zone_put(double *v, const struct structure_zone *z)
{
	v[0] = z->lo;
	v[1] = z->hi;
	v[2] = z->strength;
	v[3] = (double)z->idx;
	v[4] = (double)z->t;
	v[5] = (double)z->made;
	v[6] = z->fresh;
	return ZONE_NSAVE;
}

static int
zone_valid(const double *v, long n)
{
	return isfinite(v[0]) && isfinite(v[1]) && v[0] <= v[1] &&
	    isfinite(v[2]) && count_ok(v[3], 0, (double)n - 1) &&
	    count_ok(v[4], -BIG, BIG) && count_ok(v[5], v[3] + 1,
	    (double)n - 1) && count_ok(v[6], 0, 1);
}

static void
zone_get(struct structure_zone *z, const double *v)
{
	z->lo = v[0];
	z->hi = v[1];
	z->strength = v[2];
	z->idx = (long)v[3];
	z->t = (int64_t)v[4];
	z->made = (long)v[5];
	z->fresh = (int)v[6];
}

/* [tag, k, x, pad, keep, n, cbear, cbull, nbull, nbear, zones...]. */
size_t
structure_ob_save(const struct structure_ob *ob, double *v, size_t cap)
{
	size_t k = 0;
	int i;

	if (cap < 18 + ZONE_NSAVE * (size_t)(ob->nbull + ob->nbear))
		return 0;
	v[k++] = TAG_OB;
	v[k++] = ob->par.k;
	v[k++] = ob->par.x;
	v[k++] = ob->par.pad;
	v[k++] = ob->par.keep;
	v[k++] = (double)ob->n;
	k += cand_put(v + k, &ob->cbear);
	k += cand_put(v + k, &ob->cbull);
	v[k++] = ob->nbull;
	v[k++] = ob->nbear;
	for (i = 0; i < ob->nbull; i++)
		k += zone_put(v + k, &ob->bull[i]);
	for (i = 0; i < ob->nbear; i++)
		k += zone_put(v + k, &ob->bear[i]);
	return k;
}

int
structure_ob_load(struct structure_ob *ob, const double *v, size_t len)
{
	size_t k;
	long n;
	int nb, ns, i;

	if (len < 18 || v[0] != TAG_OB || v[1] != ob->par.k ||
	    v[2] != ob->par.x || v[3] != ob->par.pad ||
	    v[4] != ob->par.keep || !count_ok(v[5], 0, BIG) ||
	    !count_ok(v[16], 0, ob->par.keep) ||
	    !count_ok(v[17], 0, ob->par.keep))
		return -1;
	n = (long)v[5];
	nb = (int)v[16];
	ns = (int)v[17];
	if (len != 18 + ZONE_NSAVE * (size_t)(nb + ns) ||
	    !cand_valid(v + 6, n) || !cand_valid(v + 11, n))
		return -1;
	for (k = 18; k < len; k += ZONE_NSAVE)
		if (!zone_valid(v + k, n))
			return -1;
	ob->n = n;
	cand_get(&ob->cbear, v + 6);
	cand_get(&ob->cbull, v + 11);
	ob->nbull = nb;
	ob->nbear = ns;
	for (i = 0, k = 18; i < nb; i++, k += ZONE_NSAVE)
		zone_get(&ob->bull[i], v + k);
	for (i = 0; i < ns; i++, k += ZONE_NSAVE)
		zone_get(&ob->bear[i], v + k);
	ob_clear(ob);
	return 0;
}

/*
 * Change of character.
 */

void
structure_choch_default(struct structure_choch_par *par)
{
	par->left = STRUCTURE_PIV_LEFT;
	par->right = STRUCTURE_PIV_RIGHT;
}

static void
choch_clear(struct structure_choch *ch)
{
	ch->dir = 0;
	ch->level = lvl_none();
}

/* -1 lower highs and lows, +1 higher highs and lows, else 0. */
static int
choch_trend(const struct structure_piv *p)
{
	if (p->nh < 2 || p->nl < 2)
		return 0;
	if (p->hi[0].px < p->hi[1].px && p->lo[0].px < p->lo[1].px)
		return -1;
	if (p->hi[0].px > p->hi[1].px && p->lo[0].px > p->lo[1].px)
		return 1;
	return 0;
}

int
structure_choch_init(struct structure_choch *ch,
    const struct structure_choch_par *par, struct structure_lvl *buf)
{
	struct structure_piv_par pp;

	if (par == NULL)
		return -1;
	pp.left = par->left;
	pp.right = par->right;
	pp.keep = 2;
	if (structure_piv_init(&ch->piv, &pp, buf) == -1)
		return -1;
	ch->par = *par;
	ch->pc = NAN;
	ch->used_h = ch->used_l = -1;
	ch->trend = 0;
	choch_clear(ch);
	return 0;
}

int
structure_choch_push(struct structure_choch *ch,
    const struct structure_bar *b)
{
	const struct structure_lvl *h2 = structure_piv_high(&ch->piv, 0);
	const struct structure_lvl *l2 = structure_piv_low(&ch->piv, 0);
	int before;

	if (!bar_ok(b))
		return -1;
	choch_clear(ch);
	/* The structure as known when this bar opened. */
	before = choch_trend(&ch->piv);
	if (before < 0 && h2->idx != ch->used_h && ch->pc <= h2->px &&
	    b->c > h2->px) {
		ch->dir = 1;
		ch->level = *h2;
		ch->used_h = h2->idx;
	} else if (before > 0 && l2->idx != ch->used_l &&
	    ch->pc >= l2->px && b->c < l2->px) {
		ch->dir = -1;
		ch->level = *l2;
		ch->used_l = l2->idx;
	}
	structure_piv_push(&ch->piv, b);
	ch->trend = choch_trend(&ch->piv);
	ch->pc = b->c;
	return ch->dir != 0;
}

/* [tag, L, R, pc, used_h, used_l, pivots]. */
size_t
structure_choch_save(const struct structure_choch *ch, double *v, size_t cap)
{
	if (cap < 6 + piv_size(&ch->piv))
		return 0;
	v[0] = TAG_CHOCH;
	v[1] = ch->par.left;
	v[2] = ch->par.right;
	v[3] = ch->piv.n > 0 ? ch->pc : 0.0;
	v[4] = (double)ch->used_h;
	v[5] = (double)ch->used_l;
	return 6 + structure_piv_save(&ch->piv, v + 6, cap - 6);
}

int
structure_choch_load(struct structure_choch *ch, const double *v,
    size_t len)
{
	double n;

	if (len < 6 || v[0] != TAG_CHOCH || v[1] != ch->par.left ||
	    v[2] != ch->par.right || !isfinite(v[3]) ||
	    !piv_valid(&ch->piv, v + 6, len - 6))
		return -1;
	n = v[6 + 4];
	if (!count_ok(v[4], -1, n - 1) || !count_ok(v[5], -1, n - 1))
		return -1;
	piv_apply(&ch->piv, v + 6);
	ch->pc = ch->piv.n > 0 ? v[3] : NAN;
	ch->used_h = (long)v[4];
	ch->used_l = (long)v[5];
	ch->trend = choch_trend(&ch->piv);
	choch_clear(ch);
	return 0;
}

/*
 * Candle triggers.
 */

void
structure_candle_default(struct structure_candle_par *par)
{
	par->ratio = STRUCTURE_CANDLE_RATIO;
	par->frac = STRUCTURE_CANDLE_FRAC;
}

int
structure_candle_init(struct structure_candle *cd,
    const struct structure_candle_par *par)
{
	if (par == NULL || !par_real_ok(par->ratio, 0.0) ||
	    !par_real_ok(par->frac, 0.0) || par->frac > 1.0)
		return -1;
	cd->par = *par;
	cd->n = 0;
	cd->po = cd->pc = NAN;
	cd->engulf = cd->pin = 0;
	return 0;
}

static int
candle_engulf(double o1, double c1, const struct structure_bar *b)
{
	/* Covering with one edge equal engulfs; both equal does not. */
	if (c1 < o1 && b->c > b->o && b->o <= c1 && b->c >= o1 &&
	    (b->o < c1 || b->c > o1))
		return 1;
	if (c1 > o1 && b->c < b->o && b->o >= c1 && b->c <= o1 &&
	    (b->o > c1 || b->c < o1))
		return -1;
	return 0;
}

static int
candle_pin(const struct structure_candle_par *par,
    const struct structure_bar *b)
{
	double rg = b->h - b->l, bd = body(b);
	double uw = upper_wick(b), lw = lower_wick(b);

	if (!(rg > 0.0))
		return 0;
	if (lw >= par->ratio * bd && lw >= par->frac * rg &&
	    3.0 * (b->o + b->c - 2.0 * b->l) >= 4.0 * rg)
		return 1;
	if (uw >= par->ratio * bd && uw >= par->frac * rg &&
	    3.0 * (2.0 * b->h - b->o - b->c) >= 4.0 * rg)
		return -1;
	return 0;
}

int
structure_candle_push(struct structure_candle *cd,
    const struct structure_bar *b)
{
	if (!bar_ok(b))
		return -1;
	cd->engulf = cd->n > 0 ? candle_engulf(cd->po, cd->pc, b) : 0;
	cd->pin = candle_pin(&cd->par, b);
	cd->po = b->o;
	cd->pc = b->c;
	cd->n++;
	return cd->engulf != 0 || cd->pin != 0;
}

/* [tag, r, f, n, po, pc]. */
size_t
structure_candle_save(const struct structure_candle *cd, double *v,
    size_t cap)
{
	if (cap < STRUCTURE_CANDLE_NSAVE)
		return 0;
	v[0] = TAG_CANDLE;
	v[1] = cd->par.ratio;
	v[2] = cd->par.frac;
	v[3] = (double)cd->n;
	v[4] = cd->n > 0 ? cd->po : 0.0;
	v[5] = cd->n > 0 ? cd->pc : 0.0;
	return STRUCTURE_CANDLE_NSAVE;
}

int
structure_candle_load(struct structure_candle *cd, const double *v,
    size_t len)
{
	if (len != STRUCTURE_CANDLE_NSAVE || v[0] != TAG_CANDLE ||
	    v[1] != cd->par.ratio || v[2] != cd->par.frac ||
	    !count_ok(v[3], 0, BIG) || !isfinite(v[4]) || !isfinite(v[5]))
		return -1;
	cd->n = (long)v[3];
	cd->po = cd->n > 0 ? v[4] : NAN;
	cd->pc = cd->n > 0 ? v[5] : NAN;
	cd->engulf = cd->pin = 0;
	return 0;
}
