/*
 * reconcile-settlement: reconcile the journal for a trade date: opening
 * deposit, unanswered intents, settled and unsettled cash, and the
 * day's summary; every input record passes through.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "clock.h"
#include "settle.h"
#include "stage.h"

static const struct option longopts[] = {
	{ "config",	required_argument,	NULL,	'c' },
	{ "date",	required_argument,	NULL,	'd' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "profile",	required_argument,	NULL,	'p' },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: reconcile-settlement [-ev] [-c config] [-d date] "
	    "[-j journal] [-p profile]\n"
	    "                            [file ...]\n",
	    status == SK_OK ? stdout : stderr);
	exit(status);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "reconcile-settlement" };
	struct settle_opts so = { .day = INT64_MIN };
	struct stage *st;
	struct sk_err e = { 0 };
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "c:d:ehj:p:Vv", longopts,
	    NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case 'd':
			if (clock_parse_day(optarg, &so.day) == -1) {
				warnx("--date: not a date YYYY-MM-DD: %s",
				    optarg);
				usage(SK_USAGE);
			}
			break;
		case 'h':
			usage(SK_OK);
			/* NOTREACHED */
		case 'V':
			puts("reconcile-settlement " SK_VERSION);
			return SK_OK;
		default:
			usage(SK_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (cli_config(&cli, &e) == -1 || cli_journal(&cli, &e) == -1 ||
	    settle_stage_new(&st, &cli.cfg, cli.j, &so, &e) == -1 ||
	    stage_run(st, argc, argv, &e) == -1)
		errx(e.status, "%s", e.msg);
	if (cli.verbose)
		warnx("%ld read, %ld written", st->in, st->out);
	rv = cli.exit_none && stage_acted(st) == 0 ? SK_NONE : SK_OK;
	stage_free(st);
	cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return rv;
}
