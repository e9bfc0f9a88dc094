/*
 * backtest: run a replay through the same stages as the piped commands
 * (calc-indicators, watch-exits, rank-signals, gate-risk, place-order
 * with the paper broker), record by record in one process over one
 * journal, then summarise the trades.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calc.h"
#include "cli.h"
#include "exits.h"
#include "feed.h"
#include "gate.h"
#include "pick.h"
#include "place.h"
#include "pricemodel.h"
#include "rank.h"
#include "report.h"
#include "stage.h"

enum { OPT_APPEND = 256, OPT_COMPARE, OPT_KEEP_OPEN, OPT_MODE,
	OPT_RECORDS, OPT_SESSION, OPT_TRADES };

/* The most stages a backtest chains. */
#define NSTAGES	7

static const struct option longopts[] = {
	{ "append",	no_argument,		NULL,	OPT_APPEND },
	{ "compare",	no_argument,		NULL,	OPT_COMPARE },
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "keep-open",	no_argument,		NULL,	OPT_KEEP_OPEN },
	{ "mode",	required_argument,	NULL,	OPT_MODE },
	{ "profile",	required_argument,	NULL,	'p' },
	{ "quiet",	no_argument,		NULL,	'q' },
	{ "records",	no_argument,		NULL,	OPT_RECORDS },
	{ "session",	required_argument,	NULL,	OPT_SESSION },
	{ "symbol",	required_argument,	NULL,	's' },
	{ "trades",	no_argument,		NULL,	OPT_TRADES },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

struct bt_opts {
	int		 append, keep_open, records, trades, quiet, compare;
	const char	*symbol;
	const char	*session;
	const char	*mode;
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: backtest [-eqv] [--append] [--compare] [--keep-open] "
	    "[--mode mode]\n"
	    "                [--records] [--trades] [--session rth|all] "
	    "[-c config]\n"
	    "                [-j journal] [-p profile] [-s symbol] file\n",
	    status == SK_OK ? stdout : stderr);
	exit(status);
}

static int
discard(void *arg, struct rec *r, struct sk_err *e)
{
	(void)arg;
	(void)r;
	(void)e;
	return 0;
}

static int
print(void *arg, struct rec *r, struct sk_err *e)
{
	return rec_write(arg, r, e);
}

/*
 * The default journal is backtest.db beside the live one, made anew for
 * every run; a journal named with -j must hold no orders yet, unless
 * --append, so a backtest never mixes with trading records.
 */
static int
open_journal(struct cli *c, const struct bt_opts *o, const char *name,
    struct sk_err *e)
{
	char path[CFG_PATH + 32], *slash;
	const char *sfx[] = { "", "-wal", "-shm" };
	int64_t n = 0;
	size_t i;

	if (c->journal == NULL) {
		if (config_journal_path(&c->cfg, NULL, path, CFG_PATH,
		    e) == -1)
			return -1;
		slash = strrchr(path, '/');
		if (slash == NULL)
			slash = path - 1;
		snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 - path),
		    "%s", name);
		for (i = 0; i < 3 && !o->append; i++) {
			char f[CFG_PATH + 32];

			snprintf(f, sizeof(f), "%s%s", path, sfx[i]);
			if (unlink(f) == -1 && access(f, F_OK) == 0)
				return sk_errf(e, SK_IO, "%s: cannot remove",
				    f);
		}
		c->journal = NULL;
		if (journal_open(&c->j, path, e) == -1)
			return -1;
	} else if (cli_journal(c, e) == -1)
		return -1;
	if (!o->append && journal_count_orders(c->j, &n, e) == -1)
		return -1;
	if (n > 0)
		return sk_errf(e, SK_USAGE, "journal already holds %lld "
		    "orders; name a new one or use --append", (long long)n);
	return 0;
}

/*
 * The stages, into st: calc-indicators, watch-exits, rank-signals,
 * gate-risk and place-order; when the instrument is not the underlying,
 * the price model first and pick-contract before gate-risk.  Returns
 * how many, with *rank and *gate their places, or -1.
 */
static int
build(struct cli *c, const struct bt_opts *o, struct stage **st,
    int *rank, int *gate, struct sk_err *e)
{
	struct place_opts po = { .liquidate_at_end = !o->keep_open };
	int n = 0, other = strcmp(c->cfg.instrument.mode, "underlying") != 0;

	if (other && pricemodel_stage_new(&st[n++], &c->cfg, e) == -1)
		return -1;
	if (calc_stage_new(&st[n++], &c->cfg, NULL, e) == -1 ||
	    exits_stage_new(&st[n++], &c->cfg, c->j, e) == -1)
		return -1;
	*rank = n;
	if (rank_stage_new(&st[n++], &c->cfg, e) == -1)
		return -1;
	if (other && pick_stage_new(&st[n++], &c->cfg, c->j, NULL, e) == -1)
		return -1;
	*gate = n;
	if (gate_stage_new(&st[n++], &c->cfg, c->j, e) == -1 ||
	    place_stage_new(&st[n++], &c->cfg, c->j, &po, e) == -1)
		return -1;
	return n;
}

static double
seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* One backtest of file over the config in c, into its journal. */
static int
run(struct cli *c, const struct bt_opts *o, const char *file,
    struct summary *sum, long *fills, struct sk_err *e)
{
	struct stage *st[NSTAGES] = { NULL };
	struct feed_opts fo;
	struct feed feed;
	struct chain ch;
	struct rec_writer w;
	struct emit sink = { discard, NULL };
	struct rec rec;
	char source[CFG_PATH + 16], share[CFG_PATH], replay[CFG_PATH + 8];
	double t0, dt;
	int n, r, i, rank = 0, gate = 0;

	feed_opts_init(&fo);
	fo.symbol = o->symbol != NULL ? o->symbol : NULL;
	fo.session = strcmp(o->session != NULL ? o->session :
	    c->cfg.market.session, "rth") == 0 ? FEED_RTH : FEED_ALL;
	fo.zone = c->cfg.market.timezone;
	/* A bare replay file name is also looked for in <share>/replay. */
	if (config_share_dir(&c->cfg, share, sizeof(share), e) == -1)
		return -1;
	snprintf(replay, sizeof(replay), "%s/replay", share);
	fo.replay_dir = replay;
	snprintf(source, sizeof(source), "replay:%s", file);
	if (feed_open(&feed, source, &fo, e) == -1)
		return -1;
	n = build(c, o, st, &rank, &gate, e);
	if (n == -1) {
		for (i = 0; i < NSTAGES; i++)
			if (st[i] != NULL)
				stage_free(st[i]);
		feed_close(&feed);
		return -1;
	}
	rec_writer_init(&w, stdout);
	if (o->records) {
		sink.fn = print;
		sink.arg = &w;
	}
	chain_init(&ch, st, n, sink);

	/* One transaction: a backtest is all or nothing, and fast. */
	t0 = seconds();
	r = journal_begin(c->j, e);
	while (r == 0 && (r = feed_next(&feed, &rec, e)) == 1)
		r = chain_take(&ch, &rec, e) == -1 ? -1 : 0;
	if (r == 0)
		r = chain_finish(&ch, e);
	if (r == 0)
		r = journal_commit(c->j, e);
	else
		journal_rollback(c->j);
	dt = seconds() - t0;
	if (r == 0 && c->verbose)
		warnx("%ld rows in %.3f s: %.0f bars/s; %ld signals, "
		    "%ld approved, %ld fills", feed.rows_in, dt,
		    dt > 0 ? (double)feed.rows_in / dt : 0.0,
		    stage_acted(st[rank]), stage_acted(st[gate]),
		    stage_acted(st[n - 1]));
	if (r == 0)
		r = report_summary(c->j, c->cfg.account.cash, sum, e);
	*fills = stage_acted(st[n - 1]);
	chain_release(&ch);
	for (i = 0; i < n; i++)
		stage_free(st[i]);
	feed_close(&feed);
	rec_writer_release(&w);
	return r;
}

/*
 * --compare: the same data and signals as the underlying, as options
 * and as leveraged ETFs (prices modelled where the data has none),
 * each in its own journal, then a table of the three.
 */
static int
compare(struct cli *c, const struct bt_opts *o, const char *file,
    struct sk_err *e)
{
	static const char *const modes[] = { "underlying", "options", "etf" };
	struct summary sum[3];
	char name[64], path[CFG_PATH + 32];
	const char *given = c->journal;
	long fills;
	size_t i;

	for (i = 0; i < 3; i++) {
		sk_strlcpy(c->cfg.instrument.mode, modes[i],
		    sizeof(c->cfg.instrument.mode));
		snprintf(name, sizeof(name), "backtest-%s.db", modes[i]);
		if (given != NULL) {
			snprintf(path, sizeof(path), "%s-%s", given, modes[i]);
			c->journal = path;
		}
		if (open_journal(c, o, name, e) == -1 ||
		    run(c, o, file, &sum[i], &fills, e) == -1)
			return -1;
		journal_close(c->j);
		c->j = NULL;
	}
	c->journal = given;
	printf("profile %s on %s\n\n", c->cfg.strategy.name, file);
	printf("%-10s %7s %12s %8s %9s %12s\n", "mode", "trades",
	    "net P&L", "win %", "avg hold", "max drawdown");
	for (i = 0; i < 3; i++)
		printf("%-10s %7ld %+12.2f %7.1f%% %7.1f m %12.2f\n",
		    modes[i], sum[i].trades, sum[i].net, sum[i].trades > 0 ?
		    100.0 * (double)sum[i].wins / (double)sum[i].trades : 0.0,
		    sum[i].avg_hold, sum[i].max_drawdown);
	printf("\noptions and etf prices are modelled where the data has "
	    "none: see price-model in backtest(1)\n");
	return 0;
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "backtest" };
	struct bt_opts o = { 0 };
	struct summary sum;
	struct sk_err e = { 0 };
	long fills = 0;
	int c, r;

	while ((c = getopt_long(argc, argv, "c:ehj:p:qs:Vv", longopts,
	    NULL)) != -1) {
		if (cli_option(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_APPEND:
			o.append = 1;
			break;
		case OPT_COMPARE:
			o.compare = 1;
			break;
		case OPT_KEEP_OPEN:
			o.keep_open = 1;
			break;
		case OPT_MODE:
			o.mode = optarg;
			break;
		case OPT_RECORDS:
			o.records = 1;
			break;
		case OPT_SESSION:
			o.session = optarg;
			break;
		case OPT_TRADES:
			o.trades = 1;
			break;
		case 'h':
			usage(SK_OK);
			/* NOTREACHED */
		case 'q':
			o.quiet = 1;
			break;
		case 's':
			o.symbol = optarg;
			break;
		case 'V':
			puts("backtest " SK_VERSION);
			return SK_OK;
		default:
			usage(SK_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 1)
		usage(SK_USAGE);
	if (o.session != NULL && strcmp(o.session, "rth") != 0 &&
	    strcmp(o.session, "all") != 0)
		usage(SK_USAGE);
	if (o.mode != NULL && strcmp(o.mode, "underlying") != 0 &&
	    strcmp(o.mode, "options") != 0 && strcmp(o.mode, "etf") != 0) {
		warnx("--mode: not underlying, options or etf: '%s'", o.mode);
		usage(SK_USAGE);
	}
	if (o.compare && (o.mode != NULL || o.records || o.trades))
		usage(SK_USAGE);

	if (cli_config(&cli, &e) == -1)
		errx(e.status, "%s", e.msg);
	/* The option wins over the profile's [instrument] mode. */
	if (o.mode != NULL)
		sk_strlcpy(cli.cfg.instrument.mode, o.mode,
		    sizeof(cli.cfg.instrument.mode));
	if (o.compare) {
		if (compare(&cli, &o, argv[0], &e) == -1)
			errx(e.status, "%s", e.msg);
		cli_release(&cli);
		if (sk_close_stdout() == -1)
			err(SK_IO, "stdout");
		return SK_OK;
	}
	if (open_journal(&cli, &o, "backtest.db", &e) == -1 ||
	    run(&cli, &o, argv[0], &sum, &fills, &e) == -1)
		errx(e.status, "%s", e.msg);
	r = 0;
	if (o.trades)
		r = report_trades_csv(cli.j, stdout, &e);
	else if (!o.quiet && !o.records) {
		printf("profile       %s on %s\n", cli.cfg.strategy.name,
		    argv[0]);
		report_print_summary(stdout, &sum, cli.cfg.account.cash);
	}
	if (r == -1)
		errx(e.status, "%s", e.msg);
	r = cli.exit_none && fills == 0 ? SK_NONE : SK_OK;
	cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return r;
}
