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

struct settle {
	const struct config	*cfg;
	struct journal		*j;
	struct settle_opts	 opt;
	struct tz		 tz;
	int64_t			 now;		/* newest ts seen */
	long			 emitted;
	long			 settled;	/* movements settling */
	long			 found;		/* discrepancies */
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

static int
settle_take(void *self, struct rec *r, const struct emit *out,
    struct sk_err *e)
{
	struct settle *s = self;
	cJSON *ts;
	int64_t ms;

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
	    cash(s, d, day, ts, found, sum, e) == -1 ||
	    day_figures(s, day, sum, e) == -1) {
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
	if (tz_load(&s->tz, c->market.timezone, e) == -1) {
		settle_free(s);
		return -1;
	}
	st = xcalloc(1, sizeof(*st));
	st->name = "reconcile-settlement";
	st->mask = 0;
	st->self = s;
	st->take = settle_take;
	st->finish = settle_finish;
	st->free = settle_free;
	st->acted = settle_acted;
	*sp = st;
	return 0;
}
