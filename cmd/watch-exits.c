/*
 * watch-exits: decide the exits of open positions on each bar and quote
 * (lib/exits.c has the rules) and emit closing "order" records, and
 * add-on "signal" records; every record passes through in order.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "exits.h"
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
	fputs("usage: watch-exits [-ev] [-c config] [-j journal] [-p profile] "
	    "[file ...]\n",
	    status == SK_OK ? stdout : stderr);
	exit(status);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "watch-exits" };
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
			puts("watch-exits " SK_VERSION);
			return SK_OK;
		default:
			usage(SK_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (cli_config(&cli, &e) == -1 ||
	    cli_journal(&cli, &e) == -1 ||
	    exits_stage_new(&st, &cli.cfg, cli.j, &e) == -1 ||
	    stage_run(st, argc, argv, &e) == -1)
		errx(e.status, "%s", e.msg);
	if (cli.verbose)
		warnx("%ld read, %ld written, %ld exits", st->in, st->out,
		    stage_acted(st));
	rv = cli.exit_none && stage_acted(st) == 0 ? SK_NONE : SK_OK;
	stage_free(st);
	cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return rv;
}
