/*
 * calc-indicators: enrich bar, quote and funding records with an ind
 * object of indicators (EMA clouds, VWAP, volume, OU, structure, order
 * flow, spreads, speed, funding...); every record passes through.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "calc.h"
#include "cli.h"
#include "stage.h"

static const struct option longopts[] = {
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "indicators",	required_argument,	NULL,	'i' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "profile",	required_argument,	NULL,	'p' },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: calc-indicators [-ev] [-c config] [-i list] "
	    "[-j journal] [-p profile]\n"
	    "                       [file ...]\n",
	    status == SK_OK ? stdout : stderr);
	exit(status);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "calc-indicators" };
	struct stage *st = NULL;
	struct sk_err e = { 0 };
	const char *list = NULL;
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "c:ehi:j:p:Vv", longopts,
	    NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case 'h':
			usage(SK_OK);
			/* NOTREACHED */
		case 'i':
			list = optarg;
			break;
		case 'V':
			puts("calc-indicators " SK_VERSION);
			return SK_OK;
		default:
			usage(SK_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	/* State is kept only in a journal named with -j. */
	if (cli_config(&cli, &e) == -1 ||
	    (cli.journal != NULL && cli_journal(&cli, &e) == -1) ||
	    calc_stage_new_list(&st, &cli.cfg, list, cli.j, &e) == -1 ||
	    stage_run(st, argc, argv, &e) == -1)
		errx(e.status, "%s", e.msg);
	if (cli.verbose)
		warnx("%ld read, %ld written, %ld enriched, %ld already seen",
		    st->in, st->out, calc_stage_enriched(st),
		    calc_stage_seen(st));
	rv = cli.exit_none && calc_stage_enriched(st) == 0 ? SK_NONE : SK_OK;
	stage_free(st);
	if (cli.j != NULL)
		cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return rv;
}
