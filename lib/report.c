/*
 * report.c: summaries and exports read from the journal with SQL; the
 * JSON of an export is built by SQLite's json_object(), so every value
 * keeps its type.
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "report.h"

static int
fail(struct journal *j, struct sk_err *e, const char *what)
{
	return sk_errf(e, SK_IO, "journal: %s: %s", what,
	    sqlite3_errmsg(journal_db(j)));
}

int
report_summary(struct journal *j, double start, struct summary *s,
    struct sk_err *e)
{
	sqlite3 *db = journal_db(j);
	sqlite3_stmt *st;
	double cum = 0, peak = 0, dd;
	int rc;

	memset(s, 0, sizeof(*s));
	if (sqlite3_prepare_v2(db, "SELECT pnl, fees, entry_ts FROM trades",
	    -1, &st, NULL) != SQLITE_OK)
		return fail(j, e, "trades");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		double pnl = sqlite3_column_double(st, 0);
		double fee = sqlite3_column_double(st, 1);
		double net = pnl - fee;
		const char *ts = (const char *)sqlite3_column_text(st, 2);

		if (s->trades == 0)
			snprintf(s->first, sizeof(s->first), "%s", ts);
		snprintf(s->last, sizeof(s->last), "%s", ts);
		s->trades++;
		s->wins += net > 0;
		s->losses += net < 0;
		s->gross += pnl;
		s->fees += fee;
		s->net += net;
		if (s->trades == 1 || net > s->best)
			s->best = net;
		if (s->trades == 1 || net < s->worst)
			s->worst = net;
		cum += net;
		if (cum > peak)
			peak = cum;
		dd = peak - cum;
		if (dd > s->max_drawdown) {
			s->max_drawdown = dd;
			s->max_drawdown_pct = 100 * dd / (start + peak);
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(j, e, "trades");
	if (sqlite3_prepare_v2(db, "SELECT (SELECT COUNT(*) FROM signals),"
	    " (SELECT COUNT(*) FROM decisions WHERE verdict = 'approved'),"
	    " (SELECT COUNT(*) FROM decisions WHERE verdict = 'rejected'),"
	    " (SELECT COUNT(*) FROM positions WHERE status = 'open'),"
	    " (SELECT COALESCE(AVG((julianday(exit_ts) -"
	    "   julianday(entry_ts)) * 1440), 0) FROM trades)",
	    -1, &st, NULL) != SQLITE_OK)
		return fail(j, e, "counts");
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->signals = sqlite3_column_int64(st, 0);
		s->approved = sqlite3_column_int64(st, 1);
		s->rejected = sqlite3_column_int64(st, 2);
		s->open_positions = sqlite3_column_int64(st, 3);
		s->avg_hold = sqlite3_column_double(st, 4);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fail(j, e, "counts");
	return 0;
}

void
report_print_summary(FILE *fp, const struct summary *s, double start)
{
	fprintf(fp, "trades        %ld (%ld won, %ld lost)\n", s->trades,
	    s->wins, s->losses);
	if (s->trades > 0)
		fprintf(fp, "period        %.10s .. %.10s\n", s->first,
		    s->last);
	fprintf(fp, "net P&L       %+.2f (gross %+.2f, fees %.2f)\n",
	    s->net, s->gross, s->fees);
	fprintf(fp, "return        %+.2f %% of %.2f\n",
	    start > 0 ? 100 * s->net / start : 0.0, start);
	fprintf(fp, "win rate      %.1f %%\n",
	    s->trades > 0 ? 100.0 * s->wins / s->trades : 0.0);
	if (s->trades > 0)
		fprintf(fp, "best / worst  %+.2f / %+.2f\n", s->best,
		    s->worst);
	fprintf(fp, "max drawdown  %.2f (%.2f %%)\n", s->max_drawdown,
	    s->max_drawdown_pct);
	fprintf(fp, "signals       %ld (%ld approved, %ld rejected)\n",
	    s->signals, s->approved, s->rejected);
	if (s->open_positions > 0)
		fprintf(fp, "open          %ld position(s) still open\n",
		    s->open_positions);
}

/* The reference trade list's names for our exit reasons. */
static const char *
ref_reason(const char *r)
{
	static const char *const map[][2] = {
		{ "stop", "sl" }, { "target", "tp" },
		{ "cloud_flip", "flip" }, { "eod", "eod" }, { "end", "end" },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (r != NULL && strcmp(r, map[i][0]) == 0)
			return map[i][1];
	return r != NULL ? r : "";
}

int
report_trades_csv(struct journal *j, FILE *fp, struct sk_err *e)
{
	sqlite3_stmt *st;
	int rc;

	if (sqlite3_prepare_v2(journal_db(j), "SELECT entry_ts, side,"
	    " entry_price, exit_ts, exit_price, exit_reason, pnl FROM trades",
	    -1, &st, NULL) != SQLITE_OK)
		return fail(j, e, "trades");
	fputs("entry_ts,side,entry_px,exit_ts,exit_px,exit_reason,pnl\n", fp);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fprintf(fp, "%s,%s,%.6f,%s,%.6f,%s,%.4f\n",
		    sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
		    sqlite3_column_double(st, 2), sqlite3_column_text(st, 3),
		    sqlite3_column_double(st, 4),
		    ref_reason((const char *)sqlite3_column_text(st, 5)),
		    sqlite3_column_double(st, 6));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(j, e, "trades");
	return 0;
}

int
report_export(struct journal *j, const char *table, FILE *fp,
    struct sk_err *e)
{
	sqlite3 *db = journal_db(j);
	sqlite3_stmt *st;
	char *sql = NULL, *cols = NULL;
	int rc, ok = 0;

	/* The name must be one of ours; it is then quoted all the same. */
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE"
	    " type IN ('table','view') AND name = ?1 AND name NOT LIKE"
	    " 'sqlite_%'", -1, &st, NULL) != SQLITE_OK)
		return fail(j, e, "schema");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	if (!ok)
		return sk_errf(e, SK_USAGE, "no table '%s' in the journal",
		    table);
	/* json_object('col', "col", ...) over the table's columns. */
	if (sqlite3_prepare_v2(db, "SELECT group_concat(printf('%Q, \"%w\"',"
	    " name, name), ', ') FROM pragma_table_info(?1)", -1, &st,
	    NULL) != SQLITE_OK)
		return fail(j, e, "columns");
	sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		cols = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (cols == NULL)
		return fail(j, e, "columns");
	sql = sqlite3_mprintf("SELECT json_object(%s) FROM \"%w\"", cols,
	    table);
	sqlite3_free(cols);
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	sqlite3_free(sql);
	if (rc != SQLITE_OK)
		return fail(j, e, "export");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fprintf(fp, "%s\n", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return fail(j, e, "export");
	return 0;
}

int
report_broker(struct journal *j, const char *broker, FILE *fp,
    struct sk_err *e)
{
	sqlite3 *db = journal_db(j);
	sqlite3_stmt *st;
	struct rec_writer w;
	struct rec r;
	const char *t;
	int64_t ts, cents;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT COALESCE(SUM(amount_cents), 0),"
	    " (SELECT ts FROM cash_ledger ORDER BY julianday(ts) DESC"
	    " LIMIT 1) FROM cash_ledger", -1, &st, NULL) != SQLITE_OK)
		return fail(j, e, "cash_ledger");
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return fail(j, e, "cash_ledger");
	}
	cents = sqlite3_column_int64(st, 0);
	t = (const char *)sqlite3_column_text(st, 1);
	rc = t != NULL && clock_parse(t, strlen(t), &ts) == 0;
	sqlite3_finalize(st);
	if (!rc)
		return sk_errf(e, SK_DATA, "the journal has no cash "
		    "movement yet: nothing to report");
	rec_writer_init(&w, fp);
	rec_init(&r, REC_ACCOUNT);
	r.u.account.ts = ts;
	sk_strlcpy(r.u.account.broker, broker, sizeof(r.u.account.broker));
	r.u.account.cash = (double)cents / 100;
	if (rec_write(&w, &r, e) == -1) {
		rec_writer_release(&w);
		return -1;
	}
	if (sqlite3_prepare_v2(db, "SELECT symbol, side, qty, entry_price"
	    " FROM positions WHERE status = 'open' ORDER BY symbol,"
	    " julianday(entry_ts), id", -1, &st, NULL) != SQLITE_OK) {
		rec_writer_release(&w);
		return fail(j, e, "positions");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rec_init(&r, REC_POSITION);
		r.u.position.ts = ts;
		sk_strlcpy(r.u.position.broker, broker,
		    sizeof(r.u.position.broker));
		sk_strlcpy(r.u.position.symbol,
		    (const char *)sqlite3_column_text(st, 0), REC_SYM);
		sk_strlcpy(r.u.position.side,
		    (const char *)sqlite3_column_text(st, 1),
		    sizeof(r.u.position.side));
		r.u.position.qty = sqlite3_column_double(st, 2);
		r.u.position.avg_price = sqlite3_column_double(st, 3);
		if (rec_write(&w, &r, e) == -1) {
			sqlite3_finalize(st);
			rec_writer_release(&w);
			return -1;
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		rec_writer_release(&w);
		return fail(j, e, "positions");
	}
	if (sqlite3_prepare_v2(db, "SELECT symbol, intent_id,"
	    " client_order_id, side, qty FROM orders WHERE broker = ?1"
	    " AND (status = 'sent' OR status = 'accepted') ORDER BY seq",
	    -1, &st, NULL) != SQLITE_OK) {
		rec_writer_release(&w);
		return fail(j, e, "orders");
	}
	sqlite3_bind_text(st, 1, broker, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rec_init(&r, REC_WORKING);
		r.u.working.ts = ts;
		sk_strlcpy(r.u.working.broker, broker,
		    sizeof(r.u.working.broker));
		sk_strlcpy(r.u.working.symbol,
		    (const char *)sqlite3_column_text(st, 0), REC_SYM);
		sk_strlcpy(r.u.working.intent_id,
		    (const char *)sqlite3_column_text(st, 1), REC_ID);
		sk_strlcpy(r.u.working.client_order_id,
		    (const char *)sqlite3_column_text(st, 2), REC_ID);
		sk_strlcpy(r.u.working.side,
		    (const char *)sqlite3_column_text(st, 3),
		    sizeof(r.u.working.side));
		r.u.working.qty = sqlite3_column_double(st, 4);
		if (rec_write(&w, &r, e) == -1) {
			sqlite3_finalize(st);
			rec_writer_release(&w);
			return -1;
		}
	}
	sqlite3_finalize(st);
	rec_writer_release(&w);
	if (rc != SQLITE_DONE)
		return fail(j, e, "orders");
	return 0;
}
