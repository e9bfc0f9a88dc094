/*
 * report.h: what the journal says about trading, for people (a summary:
 * trades, P&L, win rate, drawdown) and for programs (the trade list as
 * CSV in the reference strategy's format, any table as NDJSON).
 */
#ifndef REPORT_H
#define REPORT_H

#include <stdio.h>

#include "journal.h"
#include "sk.h"

struct summary {
	long		 trades, wins, losses;
	double		 gross, fees, net;	/* P&L, account currency */
	double		 max_drawdown;		/* of cumulative net P&L */
	double		 max_drawdown_pct;	/* of start equity + peak */
	double		 best, worst;
	long		 signals, approved, rejected;
	long		 open_positions;
	double		 avg_hold;		/* minutes, closed trades */
	char		 first[32], last[32];	/* entry ts range */
};

/* Summarise the closed trades; start is the starting equity. */
int	 report_summary(struct journal *, double, struct summary *,
	    struct sk_err *);

/* Print s for a person. */
void	 report_print_summary(FILE *, const struct summary *, double);

/*
 * The closed trades as CSV "entry_ts,side,entry_px,exit_ts,exit_px,
 * exit_reason,pnl" (prices %.6f, pnl %.4f; reasons sl tp flip eod end),
 * the reference strategy's trade list format.
 */
int	 report_trades_csv(struct journal *, FILE *, struct sk_err *);

/*
 * Every row of table as one JSON object per line.  Only the journal's
 * own tables and views are allowed.  0 or -1 (SK_USAGE for an unknown
 * table, SK_IO otherwise).
 */
int	 report_export(struct journal *, const char *, FILE *,
	    struct sk_err *);

/*
 * What the paper broker reports of the account, as a live broker's
 * balances, positions and orders calls would: one "account" record
 * (its cash, every ledger movement), one "position" record per open
 * position and one "working" record per order still working, stamped
 * with the newest movement's ts, for reconcile-settlement to compare.
 * 0 or -1 (SK_DATA when the ledger is empty).
 */
int	 report_broker(struct journal *, const char *, FILE *,
	    struct sk_err *);

#endif
