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
#include "place.h"
#include "rank.h"
#include "report.h"
#include "stage.h"

enum { OPT_APPEND = 256, OPT_KEEP_OPEN, OPT_RECORDS, OPT_SESSION,
	OPT_TRADES };

static const struct option longopts[] = {
	{ "append",	no_argument,		NULL,	OPT_APPEND },
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "keep-open",	no_argument,		NULL,	OPT_KEEP_OPEN },
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
	int		 append, keep_open, records, trades, quiet;
	const char	*symbol;
	const char	*session;
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: backtest [-eqv] [--append] [--keep-open] [--records] "
	    "[--trades]\n"
	    "                [--session rth|all] [-c config] [-j journal] "
	    "[-p profile]\n"
	    "                [-s symbol] file\n",
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
open_journal(struct cli *c, const struct bt_opts *o, struct sk_err *e)
{
	char path[CFG_PATH + 16], *slash;
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
		    "backtest.db");
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

static int
build(struct cli *c, const struct bt_opts *o, struct stage **st,
    struct sk_err *e)
{
	struct place_opts po = { .liquidate_at_end = !o->keep_open };

	if (calc_stage_new(&st[0], &c->cfg, NULL, e) == -1 ||
	    exits_stage_new(&st[1], &c->cfg, c->j, e) == -1 ||
	    rank_stage_new(&st[2], &c->cfg, e) == -1 ||
	    gate_stage_new(&st[3], &c->cfg, c->j, e) == -1 ||
	    place_stage_new(&st[4], &c->cfg, c->j, &po, e) == -1)
		return -1;
	return 0;
}

static double
seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "backtest" };
	struct bt_opts o = { 0 };
	struct stage *st[5] = { NULL };
	struct feed_opts fo;
	struct feed feed;
	struct chain ch;
	struct rec_writer w;
	struct emit sink = { discard, NULL };
	struct summary sum;
	struct sk_err e = { 0 };
	struct rec rec;
	char source[CFG_PATH + 16], share[CFG_PATH], replay[CFG_PATH + 8];
	double t0, dt;
	int c, r, i;

	while ((c = getopt_long(argc, argv, "c:ehj:p:qs:Vv", longopts,
	    NULL)) != -1) {
		if (cli_option(&cli, c, optarg))
			continue;
		switch (c) {
		case OPT_APPEND:
			o.append = 1;
			break;
		case OPT_KEEP_OPEN:
			o.keep_open = 1;
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

	if (cli_config(&cli, &e) == -1 || open_journal(&cli, &o, &e) == -1)
		errx(e.status, "%s", e.msg);
	feed_opts_init(&fo);
	fo.symbol = o.symbol != NULL ? o.symbol : NULL;
	fo.session = strcmp(o.session != NULL ? o.session :
	    cli.cfg.market.session, "rth") == 0 ? FEED_RTH : FEED_ALL;
	fo.zone = cli.cfg.market.timezone;
	/* A bare replay file name is also looked for in <share>/replay. */
	if (config_share_dir(&cli.cfg, share, sizeof(share), &e) == -1)
		errx(e.status, "%s", e.msg);
	snprintf(replay, sizeof(replay), "%s/replay", share);
	fo.replay_dir = replay;
	snprintf(source, sizeof(source), "replay:%s", argv[0]);
	if (feed_open(&feed, source, &fo, &e) == -1 ||
	    build(&cli, &o, st, &e) == -1)
		errx(e.status, "%s", e.msg);
	rec_writer_init(&w, stdout);
	if (o.records) {
		sink.fn = print;
		sink.arg = &w;
	}
	chain_init(&ch, st, 5, sink);

	/* One transaction: a backtest is all or nothing, and fast. */
	t0 = seconds();
	if (journal_begin(cli.j, &e) == -1)
		errx(e.status, "%s", e.msg);
	while ((r = feed_next(&feed, &rec, &e)) == 1)
		if (chain_take(&ch, &rec, &e) == -1) {
			r = -1;
			break;
		}
	if (r == 0)
		r = chain_finish(&ch, &e);
	if (r == 0)
		r = journal_commit(cli.j, &e);
	if (r == -1) {
		journal_rollback(cli.j);
		errx(e.status, "%s", e.msg);
	}
	dt = seconds() - t0;
	if (cli.verbose)
		warnx("%ld rows in %.3f s: %.0f bars/s; %ld signals, "
		    "%ld approved, %ld fills", feed.rows_in, dt,
		    dt > 0 ? (double)feed.rows_in / dt : 0.0,
		    stage_acted(st[2]), stage_acted(st[3]),
		    stage_acted(st[4]));
	if (o.trades)
		r = report_trades_csv(cli.j, stdout, &e);
	else if (!o.quiet && !o.records) {
		r = report_summary(cli.j, cli.cfg.account.cash, &sum, &e);
		if (r == 0) {
			printf("profile       %s on %s\n",
			    cli.cfg.strategy.name, argv[0]);
			report_print_summary(stdout, &sum,
			    cli.cfg.account.cash);
		}
	}
	if (r == -1)
		errx(e.status, "%s", e.msg);
	r = cli.exit_none && stage_acted(st[4]) == 0 ? SK_NONE : SK_OK;
	chain_release(&ch);
	for (i = 0; i < 5; i++)
		stage_free(st[i]);
	feed_close(&feed);
	rec_writer_release(&w);
	cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return r;
}
