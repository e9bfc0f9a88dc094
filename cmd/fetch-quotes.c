/*
 * fetch-quotes: bars from a source (a replay file) as NDJSON "bar"
 * records on stdout; with --resume, a cron cycle delivers only the bars
 * that follow the last one the previous cycle delivered.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "cli.h"
#include "clock.h"
#include "config.h"
#include "feed.h"
#include "rec.h"
#include "sk.h"

enum {
	OPT_RESUME = 256,
	OPT_SESSION,
	OPT_SINCE,
	OPT_SOURCE,
	OPT_UNTIL
};

static const struct option longopts[] = {
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "profile",	required_argument,	NULL,	'p' },
	{ "resume",	no_argument,		NULL,	OPT_RESUME },
	{ "session",	required_argument,	NULL,	OPT_SESSION },
	{ "since",	required_argument,	NULL,	OPT_SINCE },
	{ "source",	required_argument,	NULL,	OPT_SOURCE },
	{ "symbol",	required_argument,	NULL,	's' },
	{ "until",	required_argument,	NULL,	OPT_UNTIL },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

struct fetch_opts {
	const char		*source;
	const char		*session;	/* NULL: the config's */
	int			 resume;
	struct feed_opts	 feed;
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: fetch-quotes [-ev] [-c config] [-j journal] "
	    "[-p profile] [-s symbol] [-t tf]\n"
	    "                    [--session rth|all] [--since ts] "
	    "[--until ts] [--resume]\n"
	    "                    --source source\n",
	    status == SK_OK ? stdout : stderr);
	exit(status);
}

/* An RFC 3339 option argument, or a usage error naming the option. */
static int64_t
opt_ts(const char *name, const char *s)
{
	int64_t ms;

	if (clock_parse(s, strlen(s), &ms) == -1) {
		warnx("--%s: not an RFC 3339 time: '%s'", name, s);
		usage(SK_USAGE);
	}
	return ms;
}

static void
parse_opts(struct fetch_opts *o, struct cli *cli, int argc, char *argv[])
{
	int ch;

	while ((ch = getopt_long(argc, argv, "c:ehj:p:s:t:Vv", longopts,
	    NULL)) != -1) {
		if (cli_option(cli, ch, optarg))
			continue;	/* -c -e -j -v */
		switch (ch) {
		case 'h':
			usage(SK_OK);
			/* NOTREACHED */
		case 's':
			o->feed.symbol = optarg;
			break;
		case 't':
			o->feed.tf = optarg;
			break;
		case 'V':
			puts("fetch-quotes " SK_VERSION);
			exit(sk_close_stdout() == -1 ? SK_IO : SK_OK);
		case OPT_RESUME:
			o->resume = 1;
			break;
		case OPT_SESSION:
			o->session = optarg;
			if (strcmp(optarg, "rth") != 0 &&
			    strcmp(optarg, "all") != 0) {
				warnx("--session: not rth or all: '%s'",
				    optarg);
				usage(SK_USAGE);
			}
			break;
		case OPT_SINCE:
			o->feed.since = opt_ts("since", optarg);
			break;
		case OPT_SOURCE:
			o->source = optarg;
			break;
		case OPT_UNTIL:
			o->feed.until = opt_ts("until", optarg);
			break;
		default:
			usage(SK_USAGE);
		}
	}
	if (optind != argc || o->source == NULL)
		usage(SK_USAGE);
}

/* Write one option record of a chain. */
static int
put_option(void *arg, const struct contract *op, struct sk_err *e)
{
	struct rec_writer *w = arg;
	struct rec r;

	rec_init(&r, REC_OPTION);
	r.u.option = *op;
	return rec_write(w, &r, e);
}

/*
 * "tradier-chain:FILE" and "alpaca-chain:FILE": a saved chain response
 * as option records.  Returns the number written, or -1.
 */
static long
chain_source(const char *source, struct sk_err *e)
{
	struct rec_writer w;
	long n;

	rec_writer_init(&w, stdout);
	if (strncmp(source, "tradier-chain:", 14) == 0)
		n = chain_read(source + 14, CHAIN_TRADIER, put_option, &w, e);
	else
		n = chain_read(source + 13, CHAIN_ALPACA, put_option, &w, e);
	rec_writer_release(&w);
	return n;
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "fetch-quotes" };
	struct fetch_opts opt = { 0 };
	struct feed f;
	struct rec r;
	struct rec_writer w;
	struct sk_err e;
	char share[CFG_PATH], replay[CFG_PATH + 8];
	long nbars;
	int rv;

	feed_opts_init(&opt.feed);
	parse_opts(&opt, &cli, argc, argv);

	if (cli_config(&cli, &e) == -1)
		errx(e.status, "%s", e.msg);
	/* The market's session and zone, unless --session says otherwise. */
	if (strcmp(opt.session != NULL ? opt.session :
	    cli.cfg.market.session, "rth") == 0)
		opt.feed.session = FEED_RTH;
	opt.feed.zone = cli.cfg.market.timezone;
	/* A bare replay file name is also looked for in <share>/replay. */
	if (config_share_dir(&cli.cfg, share, sizeof(share), &e) == -1)
		errx(e.status, "%s", e.msg);
	snprintf(replay, sizeof(replay), "%s/replay", share);
	opt.feed.replay_dir = replay;
	if (strncmp(opt.source, "tradier-chain:", 14) == 0 ||
	    strncmp(opt.source, "alpaca-chain:", 13) == 0) {
		nbars = chain_source(opt.source, &e);
		if (nbars == -1)
			errx(e.status, "%s", e.msg);
		if (cli.verbose)
			warnx("%ld options emitted", nbars);
		if (sk_close_stdout() == -1)
			err(SK_IO, "stdout");
		cli_release(&cli);
		return (cli.exit_none && nbars == 0) ? SK_NONE : SK_OK;
	}
	if (opt.resume) {
		if (cli_journal(&cli, &e) == -1)
			errx(e.status, "%s", e.msg);
		opt.feed.journal = cli.j;
	}
	if (feed_open(&f, opt.source, &opt.feed, &e) == -1)
		errx(e.status, "%s", e.msg);

	rec_writer_init(&w, stdout);
	while ((rv = feed_next(&f, &r, &e)) == 1)
		if (rec_write(&w, &r, &e) == -1)
			err(SK_IO, "stdout");
	if (rv == -1)
		errx(e.status, "%s", e.msg);
	if (cli.verbose)
		warnx("%ld rows read, %ld bars emitted, %ld outside session",
		    f.rows_in, f.bars_out, f.skip_session);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	/* Only what reached stdout counts as delivered. */
	if (feed_save(&f, &e) == -1)
		errx(e.status, "%s", e.msg);
	nbars = f.bars_out;
	feed_close(&f);
	rec_writer_release(&w);
	cli_release(&cli);
	return (cli.exit_none && nbars == 0) ? SK_NONE : SK_OK;
}
