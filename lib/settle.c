/*
 * settle.c: end-of-day reconciliation over the journal.  Every figure
 * is read back from the journal with SQL, in cents, so the records it
 * emits say what the journal holds and nothing else.
 */
#include <cjson/cJSON.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "settle.h"

/* What the broker reported of one symbol, or of one fill. */
struct held {
	char		 symbol[REC_SYM];
	double		 qty;		/* signed: short is negative */
};

struct reported {
	char		 intent_id[REC_ID];
	char		 symbol[REC_SYM];
	double		 qty, price;
};

struct settle {
	const struct config	*cfg;
	struct journal		*j;
	struct settle_opts	 opt;
	struct tz		 tz;
	int64_t			 now;		/* newest ts seen */
	long			 emitted;
	long			 settled;	/* movements settling */
	long			 found;		/* discrepancies */
	/* The broker's report: an account record, then its positions. */
	int			 report;
	double			 cash;		/* NAN: not reported */
	struct held		*held;
	size_t			 nheld, capheld;
	struct reported		*fills;
	size_t			 nfills, capfills;
	struct reported		*work;		/* orders working */
	size_t			 nwork, capwork;
};

static int
dberr(struct settle *s, struct sk_err *e, const char *what)
{
	return sk_errf(e, SK_IO, "journal: %s: %s", what,
	    sqlite3_errmsg(journal_db(s->j)));
}

/* Emit a record built here as JSON; takes o. */
static int
put(struct settle *s, cJSON *o, const struct emit *out, struct sk_err *e)
{
	struct rec r;
	char *txt = cJSON_PrintUnformatted(o);
	int rv;

	cJSON_Delete(o);
	memset(&r, 0, sizeof(r));
	r.type = REC_OTHER;
	r.raw = txt;
	r.rawlen = strlen(txt);
	rv = emit(out, &r, e);
	cJSON_free(txt);
	s->emitted++;
	return rv;
}

static cJSON *
record(const char *type, int64_t ts, const char *day)
{
	cJSON *o = cJSON_CreateObject();
	char b[CLOCK_TSLEN];

	clock_format(ts, b);
	cJSON_AddStringToObject(o, "type", type);
	cJSON_AddStringToObject(o, "ts", b);
	cJSON_AddStringToObject(o, "date", day);
	return o;
}

/*
 * An order still at 'intent' was journaled but the broker's answer
 * never was: the process stopped between the two.  The paper broker
 * accepts in the same step as the intent, so such an order never
 * reached it: it is cancelled, and the finding reported.
 */
static int
orphans(struct settle *s, const char *day, int64_t ts, cJSON *found,
    struct sk_err *e)
{
	sqlite3 *db = journal_db(s->j);
	sqlite3_stmt *st;
	char b[CLOCK_TSLEN];
	cJSON *o;
	int rc;

	clock_format(ts, b);
	if (sqlite3_prepare_v2(db, "SELECT intent_id, client_order_id,"
	    " symbol, broker FROM orders WHERE status = 'intent'"
	    " ORDER BY seq", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, e, "orders");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);

		s->found++;
		o = record("discrepancy", ts, day);
		cJSON_AddStringToObject(o, "symbol",
		    (const char *)sqlite3_column_text(st, 2));
		cJSON_AddStringToObject(o, "kind", "unanswered_intent");
		cJSON_AddStringToObject(o, "intent_id", id);
		cJSON_AddStringToObject(o, "client_order_id",
		    (const char *)sqlite3_column_text(st, 1));
		cJSON_AddStringToObject(o, "journal", "intent");
		cJSON_AddStringToObject(o, "broker", "unknown to the broker");
		cJSON_AddStringToObject(o, "resolution", "cancelled");
		if (journal_order_status(s->j, id, "cancelled", ts, NULL,
		    "no broker answer was journaled; never reached the "
		    "paper broker", e) == -1 ||
		    journal_discrepancy(s->j, ts, "unanswered_intent", id,
		    "intent", "unknown", "cancelled", e) == -1) {
			cJSON_Delete(o);
			sqlite3_finalize(st);
			return -1;
		}
		/* Emitted once the journal has committed what it says. */
		cJSON_AddItemToArray(found, o);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : dberr(s, e, "orders");
}

/* How many movements (not the deposit) settle on day: for -e. */
static int
settling(struct settle *s, const char *day, struct sk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(journal_db(s->j), "SELECT COUNT(*) FROM"
	    " cash_ledger WHERE settle_date = ?1 AND kind <> 'deposit'", -1,
	    &st, NULL) != SQLITE_OK)
		return dberr(s, e, "cash_ledger");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		s->settled = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : dberr(s, e, "cash_ledger");
}

static int
cash(struct settle *s, int64_t d, const char *day, int64_t ts,
    cJSON *pending, cJSON *sum, struct sk_err *e)
{
	int64_t total, settled;
	cJSON *o;

	if (journal_cash(s->j, d, &total, &settled, e) == -1 ||
	    settling(s, day, e) == -1)
		return -1;
	o = record("settlement", ts, day);
	cJSON_AddNumberToObject(o, "cash_cents", (double)total);
	cJSON_AddNumberToObject(o, "settled_cents", (double)settled);
	cJSON_AddNumberToObject(o, "unsettled_cents",
	    (double)(total - settled));
	cJSON_AddNumberToObject(o, "settling", (double)s->settled);
	cJSON_AddNumberToObject(sum, "cash_cents", (double)total);
	cJSON_AddNumberToObject(sum, "settled_cents", (double)settled);
	cJSON_AddNumberToObject(sum, "unsettled_cents",
	    (double)(total - settled));
	cJSON_AddItemToArray(pending, o);
	return 0;
}

/* The day's trades, P&L and refusals by gate, into o. */
static int
day_figures(struct settle *s, const char *day, cJSON *o, struct sk_err *e)
{
	sqlite3 *db = journal_db(s->j);
	sqlite3_stmt *st;
	cJSON *gates;
	long n = 0, won = 0;
	double gross = 0, fees = 0;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT COUNT(*), COALESCE(SUM(pnl), 0),"
	    " COALESCE(SUM(fees), 0), COALESCE(SUM(pnl - fees > 0), 0)"
	    " FROM positions WHERE status = 'closed'"
	    " AND exit_date = ?1", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, e, "positions");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		n = sqlite3_column_int(st, 0);
		gross = sqlite3_column_double(st, 1);
		fees = sqlite3_column_double(st, 2);
		won = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return dberr(s, e, "positions");
	cJSON_AddNumberToObject(o, "trades", (double)n);
	cJSON_AddNumberToObject(o, "wins", (double)won);
	cJSON_AddNumberToObject(o, "win_rate", n ? (double)won / n : 0);
	/* Money in cents, as the ledger keeps it. */
	cJSON_AddNumberToObject(o, "pnl_cents", (double)llround(gross * 100));
	cJSON_AddNumberToObject(o, "fees_cents", (double)llround(fees * 100));
	cJSON_AddNumberToObject(o, "net_pnl_cents",
	    (double)(llround(gross * 100) - llround(fees * 100)));
	gates = cJSON_AddObjectToObject(o, "rejects");
	if (sqlite3_prepare_v2(db, "SELECT gate, COUNT(*) FROM decisions"
	    " WHERE verdict = 'rejected' AND trade_date = ?1"
	    " GROUP BY gate ORDER BY gate", -1, &st, NULL) != SQLITE_OK)
		return dberr(s, e, "decisions");
	sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		cJSON_AddNumberToObject(gates,
		    (const char *)sqlite3_column_text(st, 0),
		    sqlite3_column_int(st, 1));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : dberr(s, e, "decisions");
}

/*
 * Good-faith violations: on the day, and in the 12 months to it (the
 * window brokers restrict a cash account over).
 */
static int
violations(struct settle *s, int64_t d, cJSON *o, struct sk_err *e)
{
	long day, year;

	if (journal_gfv(s->j, d, d, &day, e) == -1 ||
	    journal_gfv(s->j, d - 364, d, &year, e) == -1)
		return -1;
	cJSON_AddNumberToObject(o, "gfv", (double)day);
	cJSON_AddNumberToObject(o, "gfv_12m", (double)year);
	return 0;
}

/* Add a broker's position (signed) to what it holds of its symbol. */
static void
hold(struct settle *s, const char *symbol, double qty)
{
	size_t i;

	for (i = 0; i < s->nheld; i++)
		if (strcmp(s->held[i].symbol, symbol) == 0) {
			s->held[i].qty += qty;
			return;
		}
	if (s->nheld == s->capheld) {
		s->capheld = s->capheld == 0 ? 16 : s->capheld * 2;
		s->held = xrealloc(s->held, s->capheld * sizeof(*s->held));
	}
	sk_strlcpy(s->held[s->nheld].symbol, symbol, REC_SYM);
	s->held[s->nheld++].qty = qty;
}

/* Note what the broker said: account, positions and fills. */
static void
note_report(struct settle *s, const struct rec *r)
{
	const struct fill *f;

	switch (r->type) {
	case REC_ACCOUNT:
		s->report = 1;
		s->nheld = 0;		/* a new report replaces the last */
		s->nwork = 0;
		s->cash = r->u.account.cash;
		break;
	case REC_WORKING:
		s->report = 1;
		if (s->nwork == s->capwork) {
			s->capwork = s->capwork == 0 ? 16 : s->capwork * 2;
			s->work = xrealloc(s->work,
			    s->capwork * sizeof(*s->work));
		}
		/* Known to the broker by the client order id we gave it. */
		sk_strlcpy(s->work[s->nwork].intent_id,
		    r->u.working.client_order_id, REC_ID);
		sk_strlcpy(s->work[s->nwork].symbol, r->u.working.symbol,
		    REC_SYM);
		s->work[s->nwork].qty = r->u.working.qty;
		s->work[s->nwork++].price = NAN;
		break;
	case REC_POSITION:
		s->report = 1;
		hold(s, r->u.position.symbol,
		    strcmp(r->u.position.side, "short") == 0 ?
		    -r->u.position.qty : r->u.position.qty);
		break;
	case REC_FILL:
		f = &r->u.fill;
		if (s->nfills == s->capfills) {
			s->capfills = s->capfills == 0 ? 16 : s->capfills * 2;
			s->fills = xrealloc(s->fills,
			    s->capfills * sizeof(*s->fills));
		}
		sk_strlcpy(s->fills[s->nfills].intent_id, f->intent_id,
		    REC_ID);
		sk_strlcpy(s->fills[s->nfills].symbol, f->symbol, REC_SYM);
		s->fills[s->nfills].qty = f->qty;
		s->fills[s->nfills++].price = f->price;
		break;
	default:
		break;
	}
}

/* "long 100", "short 0.5", "flat": a signed quantity for a record. */
static void
say_qty(char *buf, size_t n, double q)
{
	if (q == 0)
		snprintf(buf, n, "flat");
	else
		snprintf(buf, n, "%s %.10g", q > 0 ? "long" : "short",
		    fabs(q));
}

/* Record one difference: in the journal's table, and for output. */
static int
differs(struct settle *s, int64_t ts, const char *day, const char *kind,
    const char *symbol, const char *subject, const char *jv,
    const char *bv, cJSON *found, struct sk_err *e)
{
	cJSON *o;

	if (journal_discrepancy(s->j, ts, kind, subject, jv, bv,
	    "none: left for the user", e) == -1)
		return -1;
	s->found++;
	o = record("discrepancy", ts, day);
	cJSON_AddStringToObject(o, "symbol", symbol);
	cJSON_AddStringToObject(o, "kind", kind);
	cJSON_AddStringToObject(o, "subject", subject);
	cJSON_AddStringToObject(o, "journal", jv);
	cJSON_AddStringToObject(o, "broker", bv);
	cJSON_AddStringToObject(o, "resolution", "none: left for the user");
	cJSON_AddItemToArray(found, o);
	return 0;
}

/* The journal's open positions against the broker's, by symbol. */
static int
compare_positions(struct settle *s, int64_t ts, const char *day,
    cJSON *found, struct sk_err *e)
{
	sqlite3_stmt *st;
	char jv[64], bv[64];
	const char *sym;
	double q, bq;
	size_t i;
	int rc;

	if (sqlite3_prepare_v2(journal_db(s->j), "SELECT symbol, SUM(CASE"
	    " side WHEN 'long' THEN qty ELSE -qty END) FROM positions"
	    " WHERE status = 'open' GROUP BY symbol ORDER BY symbol", -1,
	    &st, NULL) != SQLITE_OK)
		return dberr(s, e, "positions");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sym = (const char *)sqlite3_column_text(st, 0);
		q = sqlite3_column_double(st, 1);
		bq = 0;
		for (i = 0; i < s->nheld; i++)
			if (strcmp(s->held[i].symbol, sym) == 0) {
				bq = s->held[i].qty;
				s->held[i].symbol[0] = '\0';	/* matched */
			}
		if (fabs(q - bq) <= 1e-9)
			continue;
		say_qty(jv, sizeof(jv), q);
		say_qty(bv, sizeof(bv), bq);
		if (differs(s, ts, day, "position", sym, sym, jv, bv, found,
		    e) == -1) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dberr(s, e, "positions");
	/* What the broker holds and the journal does not. */
	for (i = 0; i < s->nheld; i++) {
		if (s->held[i].symbol[0] == '\0' ||
		    fabs(s->held[i].qty) <= 1e-9)
			continue;
		say_qty(bv, sizeof(bv), s->held[i].qty);
		if (differs(s, ts, day, "position", s->held[i].symbol,
		    s->held[i].symbol, "flat", bv, found, e) == -1)
			return -1;
	}
	return 0;
}

/* Each fill the broker reported against the journal's. */
static int
compare_fills(struct settle *s, int64_t ts, const char *day, cJSON *found,
    struct sk_err *e)
{
	const struct reported *f;
	sqlite3_stmt *st;
	char jv[64], bv[64];
	double q = 0, px = 0;
	size_t k;
	int rc;

	for (k = 0; k < s->nfills; k++) {
		f = &s->fills[k];
		if (sqlite3_prepare_v2(journal_db(s->j), "SELECT qty, price"
		    " FROM fills WHERE intent_id = ?1", -1, &st,
		    NULL) != SQLITE_OK)
			return dberr(s, e, "fills");
		sqlite3_bind_text(st, 1, f->intent_id, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			q = sqlite3_column_double(st, 0);
			px = sqlite3_column_double(st, 1);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return dberr(s, e, "fills");
		if (rc == SQLITE_ROW && q == f->qty && px == f->price)
			continue;
		if (rc == SQLITE_DONE)
			snprintf(jv, sizeof(jv), "no fill");
		else
			snprintf(jv, sizeof(jv), "%.10g at %.10g", q, px);
		snprintf(bv, sizeof(bv), "%.10g at %.10g", f->qty, f->price);
		if (differs(s, ts, day, "fill", f->symbol, f->intent_id, jv,
		    bv, found, e) == -1)
			return -1;
	}
	return 0;
}

/* The orders the journal has working against those the broker has. */
static int
compare_orders(struct settle *s, int64_t ts, const char *day,
    cJSON *found, struct sk_err *e)
{
	sqlite3 *db = journal_db(s->j);
	sqlite3_stmt *st;
	const char *cid, *sym, *status;
	char jv[64];
	size_t i;
	int rc, seen;

	if (sqlite3_prepare_v2(db, "SELECT client_order_id, symbol, status"
	    " FROM orders WHERE broker = ?1 AND (status = 'sent'"
	    " OR status = 'accepted') ORDER BY seq", -1, &st,
	    NULL) != SQLITE_OK)
		return dberr(s, e, "orders");
	sqlite3_bind_text(st, 1, s->cfg->broker.name, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cid = (const char *)sqlite3_column_text(st, 0);
		sym = (const char *)sqlite3_column_text(st, 1);
		status = (const char *)sqlite3_column_text(st, 2);
		seen = 0;
		for (i = 0; i < s->nwork; i++)
			if (strcmp(s->work[i].intent_id, cid) == 0) {
				seen = 1;
				s->work[i].intent_id[0] = '\0';
			}
		if (seen)
			continue;
		if (differs(s, ts, day, "order", sym, cid, status,
		    "not working", found, e) == -1) {
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return dberr(s, e, "orders");
	/* Working at the broker, not in the journal's working orders. */
	for (i = 0; i < s->nwork; i++) {
		if (s->work[i].intent_id[0] == '\0')
			continue;
		if (sqlite3_prepare_v2(db, "SELECT status FROM orders WHERE"
		    " client_order_id = ?1", -1, &st, NULL) != SQLITE_OK)
			return dberr(s, e, "orders");
		sqlite3_bind_text(st, 1, s->work[i].intent_id, -1,
		    SQLITE_STATIC);
		rc = sqlite3_step(st);
		snprintf(jv, sizeof(jv), "%s", rc == SQLITE_ROW ?
		    (const char *)sqlite3_column_text(st, 0) : "unknown");
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return dberr(s, e, "orders");
		if (differs(s, ts, day, "order", s->work[i].symbol,
		    s->work[i].intent_id, jv, "working", found, e) == -1)
			return -1;
	}
	return 0;
}

/*
 * The journal against what the broker reported in the input: positions
 * and cash (when an account record came), and every fill.  Neither side
 * is changed: each difference is a discrepancy for the user.
 */
static int
compare_broker(struct settle *s, int64_t d, const char *day, int64_t ts,
    cJSON *found, struct sk_err *e)
{
	int64_t total, settled, bc;
	char jv[64], bv[64];

	if (s->report && (compare_positions(s, ts, day, found, e) == -1 ||
	    compare_orders(s, ts, day, found, e) == -1))
		return -1;
	if (s->report && !isnan(s->cash)) {
		if (journal_cash(s->j, d, &total, &settled, e) == -1)
			return -1;
		bc = llround(s->cash * 100);
		if (bc != total) {
			snprintf(jv, sizeof(jv), "%lld cents",
			    (long long)total);
			snprintf(bv, sizeof(bv), "%lld cents", (long long)bc);
			if (differs(s, ts, day, "cash", "", "cash", jv, bv,
			    found, e) == -1)
				return -1;
		}
	}
	return compare_fills(s, ts, day, found, e);
}

static int
settle_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct settle *s = self;
	cJSON *ts;
	int64_t ms;

	if (r->decoded)
		note_report(s, r);
	/* "now" is the newest ts in the data, whatever the record. */
	if (r->json != NULL) {
		ts = cJSON_GetObjectItemCaseSensitive(r->json, "ts");
		if (cJSON_IsString(ts) && clock_parse(ts->valuestring,
		    strlen(ts->valuestring), &ms) == 0 && ms > s->now)
			s->now = ms;
	}
	return emit(out, r, e);
}

static int
settle_finish(void *self, const struct emit *out, struct sk_err *e)
{
	struct settle *s = self;
	struct local l;
	cJSON *sum, *found, *it;
	char day[16], *txt;
	int64_t d, ts;

	if (s->opt.day != INT64_MIN) {
		d = s->opt.day;
		ts = tz_instant(&s->tz, d, 16 * 60);
		if (s->now > ts)
			ts = s->now;
	} else if (s->now != INT64_MIN) {
		tz_local(&s->tz, s->now, &l);
		d = l.day;
		ts = s->now;
	} else
		return sk_errf(e, SK_USAGE, "no record with a ts and no "
		    "--date: no day to reconcile");
	clock_format_day(d, day);
	if (journal_begin(s->j, e) == -1)
		return -1;
	sum = record("summary", ts, day);
	found = cJSON_CreateArray();
	if (journal_deposit(s->j, llround(s->cfg->account.cash * 100), d,
	    e) == -1 || orphans(s, day, ts, found, e) == -1 ||
	    compare_broker(s, d, day, ts, found, e) == -1 ||
	    cash(s, d, day, ts, found, sum, e) == -1 ||
	    day_figures(s, day, sum, e) == -1 ||
	    violations(s, d, sum, e) == -1) {
		cJSON_Delete(sum);
		cJSON_Delete(found);
		journal_rollback(s->j);
		return -1;
	}
	txt = cJSON_PrintUnformatted(sum);
	if (journal_summary(s->j, day, ts, txt, e) == -1) {
		cJSON_free(txt);
		cJSON_Delete(sum);
		journal_rollback(s->j);
		return -1;
	}
	cJSON_free(txt);
	if (journal_commit(s->j, e) == -1) {
		cJSON_Delete(sum);
		cJSON_Delete(found);
		return -1;
	}
	while ((it = cJSON_DetachItemFromArray(found, 0)) != NULL)
		if (put(s, it, out, e) == -1) {
			cJSON_Delete(found);
			cJSON_Delete(sum);
			return -1;
		}
	cJSON_Delete(found);
	return put(s, sum, out, e);
}

/* For -e: nothing settled on the day, and nothing was found amiss. */
static long
settle_acted(const void *self)
{
	const struct settle *s = self;

	return s->settled + s->found;
}

static void
settle_free(void *self)
{
	struct settle *s = self;

	tz_release(&s->tz);
	free(s->held);
	free(s->fills);
	free(s->work);
	free(s);
}

int
settle_stage_new(struct stage **sp, const struct config *c,
    struct journal *j, const struct settle_opts *opt, struct sk_err *e)
{
	struct settle *s;
	struct stage *st;

	s = xcalloc(1, sizeof(*s));
	s->cfg = c;
	s->j = j;
	s->opt = *opt;
	s->now = INT64_MIN;
	s->cash = NAN;
	if (tz_load(&s->tz, c->market.timezone, e) == -1) {
		settle_free(s);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	st->name = "reconcile-settlement";
	st->mask = REC_MASK(REC_ACCOUNT) | REC_MASK(REC_POSITION) |
	    REC_MASK(REC_FILL) | REC_MASK(REC_WORKING);
	st->self = s;
	st->take = settle_take;
	st->finish = settle_finish;
	st->free = settle_free;
	st->acted = settle_acted;
	*sp = st;
	return 0;
}
