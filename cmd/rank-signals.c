/*
 * rank-signals: read indicator-enriched bars and emit "signal" records
 * under a strategy profile; every record passes through in order.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "rank.h"
#include "stage.h"

static const struct option longopts[] = {
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,	NULL,	'h' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "profile",	required_argument,	NULL,	'p' },
	{ "version",	no_argument,	NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: rank-signals [-ev] [-c config] [-j journal] "
	    "[-p profile] [file ...]\n", status == SK_OK ? stdout : stderr);
	exit(status);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "rank-signals" };
	struct stage *st;
	struct sk_err e = { 0 };
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "c:ehj:p:Vv", longopts,
	    NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case 'h':
			usage(SK_OK);
			/* NOTREACHED */
		case 'V':
			puts("rank-signals " SK_VERSION);
			return SK_OK;
		default:
			usage(SK_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	/* State that outlives a run is kept only in a journal named with
	 * -j, as calc-indicators keeps its own. */
	if (cli_config(&cli, &e) == -1 ||
	    (cli.journal != NULL && cli_journal(&cli, &e) == -1) ||
	    rank_stage_open(&st, &cli.cfg, cli.j, &e) == -1 ||
	    stage_run(st, argc, argv, &e) == -1)
		errx(e.status, "%s", e.msg);
	if (cli.verbose)
		warnx("%ld read, %ld written, %ld signals", st->in, st->out,
		    stage_acted(st));
	rv = cli.exit_none && stage_acted(st) == 0 ? SK_NONE : SK_OK;
	stage_free(st);
	cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return rv;
}
