/*
 * chain.c: Tradier and Alpaca option chains to "option" records.  The
 * quirks handled are the ones the brokers document: Tradier's
 * collection is an array, a single object, or the string "null" when
 * empty; Alpaca keys snapshots by symbol and leaves greeks out for some
 * contracts (0DTE among them).
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "clock.h"
#include "occ.h"

#define CHAIN_MAX	(64L << 20)	/* a larger body is refused */

/* The whole file at path, NUL-terminated, into *buf. */
static int
slurp(const char *path, char **buf, struct sk_err *e)
{
	FILE *fp;
	char *b = NULL;
	size_t len = 0, cap = 0, n;

	fp = fopen(path, "r");
	if (fp == NULL)
		return sk_errf(e, SK_IO, "%s: %s", path, strerror(errno));
	for (;;) {
		if (cap - len < 65536) {
			cap = cap == 0 ? 65536 : cap * 2;
			if ((long)cap > CHAIN_MAX) {
				free(b);
				fclose(fp);
				return sk_errf(e, SK_DATA, "%s: larger than "
				    "%ld bytes", path, CHAIN_MAX);
			}
			b = xrealloc(b, cap + 1);
		}
		n = fread(b + len, 1, cap - len, fp);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(fp)) {
		free(b);
		fclose(fp);
		return sk_errf(e, SK_IO, "%s: %s", path, strerror(errno));
	}
	fclose(fp);
	b[len] = '\0';
	*buf = b;
	return 0;
}

static double
num(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

/* The contract's fields that its OCC symbol fixes; -1 if not one. */
static int
from_occ(struct contract *op, const char *sym, struct sk_err *e)
{
	struct occ o;

	if (occ_parse(&o, sym, strlen(sym), e) == -1)
		return -1;
	sk_strlcpy(op->symbol, sym, sizeof(op->symbol));
	sk_strlcpy(op->underlying, o.root, sizeof(op->underlying));
	/* SPXW and the like trade on the index they are a weekly of. */
	if (strcmp(o.root, "SPXW") == 0)
		sk_strlcpy(op->underlying, "SPX", sizeof(op->underlying));
	clock_format_day(o.expiry, op->expiry);
	op->strike = occ_strike_value(o.strike);
	sk_strlcpy(op->right, o.right == 'C' ? "call" : "put",
	    sizeof(op->right));
	return 0;
}

static void
unset(struct contract *op)
{
	memset(op, 0, sizeof(*op));
	op->ts = TS_UNSET;
	op->strike = op->bid = op->ask = op->last = NAN;
	op->volume = op->oi = op->iv = NAN;
	op->delta = op->gamma = op->theta = op->vega = op->rho = NAN;
}

static void
greeks(struct contract *op, const cJSON *g)
{
	if (!cJSON_IsObject(g))
		return;
	op->delta = num(g, "delta");
	op->gamma = num(g, "gamma");
	op->theta = num(g, "theta");
	op->vega = num(g, "vega");
	op->rho = num(g, "rho");
	if (!isnan(op->delta))
		sk_strlcpy(op->greeks, "broker", sizeof(op->greeks));
}

static int
tradier_one(const char *path, const cJSON *c, chain_cb *cb, void *arg,
    struct sk_err *e)
{
	const cJSON *sym = cJSON_GetObjectItemCaseSensitive(c, "symbol");
	struct contract op;
	double bd, ad;

	unset(&op);
	if (!cJSON_IsString(sym))
		return sk_errf(e, SK_DATA, "%s: an option without a symbol",
		    path);
	if (from_occ(&op, sym->valuestring, e) == -1)
		return sk_errf(e, SK_DATA, "%s: %s", path, e->msg);
	bd = num(c, "bid_date");
	ad = num(c, "ask_date");
	if (isnan(bd) && isnan(ad))
		bd = num(c, "trade_date");
	if (isnan(bd) && isnan(ad))
		return sk_errf(e, SK_DATA, "%s: %s: no quote time", path,
		    op.symbol);
	op.ts = (int64_t)llround(isnan(ad) || bd > ad ? bd : ad);
	op.bid = num(c, "bid");
	op.ask = num(c, "ask");
	op.last = num(c, "last");
	op.volume = num(c, "volume");
	op.oi = num(c, "open_interest");
	greeks(&op, cJSON_GetObjectItemCaseSensitive(c, "greeks"));
	op.iv = num(cJSON_GetObjectItemCaseSensitive(c, "greeks"), "mid_iv");
	sk_strlcpy(op.source, "tradier", sizeof(op.source));
	return cb(arg, &op, e);
}

static long
tradier(const char *path, const cJSON *root, chain_cb *cb, void *arg,
    struct sk_err *e)
{
	const cJSON *opts, *list, *c;
	long n = 0;

	opts = cJSON_GetObjectItemCaseSensitive(root, "options");
	/* An empty chain is "options": null, or the string "null". */
	if (opts == NULL || cJSON_IsNull(opts) || (cJSON_IsString(opts) &&
	    strcmp(opts->valuestring, "null") == 0))
		return 0;
	if (!cJSON_IsObject(opts))
		return sk_errf(e, SK_DATA, "%s: \"options\" is not an "
		    "object", path);
	list = cJSON_GetObjectItemCaseSensitive(opts, "option");
	if (list == NULL || cJSON_IsNull(list) || (cJSON_IsString(list) &&
	    strcmp(list->valuestring, "null") == 0))
		return 0;
	if (cJSON_IsObject(list))	/* one contract: not an array */
		return tradier_one(path, list, cb, arg, e) == -1 ? -1 : 1;
	if (!cJSON_IsArray(list))
		return sk_errf(e, SK_DATA, "%s: \"option\" is neither an "
		    "array nor an object", path);
	cJSON_ArrayForEach(c, list) {
		if (!cJSON_IsObject(c))
			return sk_errf(e, SK_DATA, "%s: option %ld is not an "
			    "object", path, n + 1);
		if (tradier_one(path, c, cb, arg, e) == -1)
			return -1;
		n++;
	}
	return n;
}

static int
alpaca_one(const char *path, const cJSON *c, chain_cb *cb, void *arg,
    struct sk_err *e)
{
	const cJSON *q, *t, *tr;
	struct contract op;

	unset(&op);
	if (from_occ(&op, c->string, e) == -1)
		return sk_errf(e, SK_DATA, "%s: %s", path, e->msg);
	q = cJSON_GetObjectItemCaseSensitive(c, "latestQuote");
	t = cJSON_GetObjectItemCaseSensitive(q, "t");
	if (!cJSON_IsString(t) || clock_parse(t->valuestring,
	    strlen(t->valuestring), &op.ts) == -1)
		return sk_errf(e, SK_DATA, "%s: %s: no quote time", path,
		    op.symbol);
	op.bid = num(q, "bp");
	op.ask = num(q, "ap");
	tr = cJSON_GetObjectItemCaseSensitive(c, "latestTrade");
	op.last = num(tr, "p");
	op.iv = num(c, "impliedVolatility");
	greeks(&op, cJSON_GetObjectItemCaseSensitive(c, "greeks"));
	sk_strlcpy(op.source, "alpaca", sizeof(op.source));
	return cb(arg, &op, e);
}

static long
alpaca(const char *path, const cJSON *root, chain_cb *cb, void *arg,
    struct sk_err *e)
{
	const cJSON *snaps, *c;
	long n = 0;

	snaps = cJSON_GetObjectItemCaseSensitive(root, "snapshots");
	if (snaps == NULL || cJSON_IsNull(snaps))
		return 0;
	if (!cJSON_IsObject(snaps))
		return sk_errf(e, SK_DATA, "%s: \"snapshots\" is not an "
		    "object", path);
	cJSON_ArrayForEach(c, snaps) {
		if (!cJSON_IsObject(c))
			return sk_errf(e, SK_DATA, "%s: snapshot %s is not an "
			    "object", path, c->string);
		if (alpaca_one(path, c, cb, arg, e) == -1)
			return -1;
		n++;
	}
	return n;
}

long
chain_read(const char *path, enum chain_fmt fmt, chain_cb *cb, void *arg,
    struct sk_err *e)
{
	cJSON *root;
	char *buf = NULL;
	long n;

	if (slurp(path, &buf, e) == -1)
		return -1;
	root = cJSON_Parse(buf);
	free(buf);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return sk_errf(e, SK_DATA, "%s: not a JSON object", path);
	}
	n = fmt == CHAIN_TRADIER ? tradier(path, root, cb, arg, e) :
	    alpaca(path, root, cb, arg, e);
	cJSON_Delete(root);
	return n;
}
