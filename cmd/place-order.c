/*
 * place-order: journal each "order" as an intent, then place it with the
 * broker (the paper broker fills it against the bars that follow) and
 * emit "ack" and "fill" records; other records pass through.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "place.h"
#include "stage.h"

/* Long options without a short form. */
enum { OPT_BROKER = 256, OPT_LIQUIDATE };

static const struct option longopts[] = {
	{ "broker",	required_argument,	NULL,	OPT_BROKER },
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,	NULL,	'h' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "liquidate-at-end",	no_argument,	NULL,	OPT_LIQUIDATE },
	{ "profile",	required_argument,	NULL,	'p' },
	{ "version",	no_argument,	NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: place-order [-ev] [--broker name] [--liquidate-at-end] "
	    "[-c config]\n"
	    "                   [-j journal] [-p profile] [file ...]\n",
	    status == SK_OK ? stdout : stderr);
	exit(status);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "place-order" };
	struct place_opts popt = { 0 };
	const char *broker = NULL;
	struct stage *st;
	struct sk_err e = { 0 };
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "c:ehj:p:Vv", longopts,
	    NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_BROKER:
			broker = optarg;
			break;
		case OPT_LIQUIDATE:
			popt.liquidate_at_end = 1;
			break;
		case 'h':
			usage(SK_OK);
			/* NOTREACHED */
		case 'V':
			puts("place-order " SK_VERSION);
			return SK_OK;
		default:
			usage(SK_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (cli_config(&cli, &e) == -1)
		errx(e.status, "%s", e.msg);
	/* The option wins over the config's [broker] name. */
	if (broker != NULL && sk_strlcpy(cli.cfg.broker.name, broker,
	    sizeof(cli.cfg.broker.name)) >= sizeof(cli.cfg.broker.name))
		usage(SK_USAGE);
	if (cli_journal(&cli, &e) == -1 ||
	    place_stage_new(&st, &cli.cfg, cli.j, &popt, &e) == -1 ||
	    stage_run(st, argc, argv, &e) == -1)
		errx(e.status, "%s", e.msg);
	if (cli.verbose)
		warnx("%ld read, %ld written, %ld fills", st->in, st->out,
		    stage_acted(st));
	rv = cli.exit_none && stage_acted(st) == 0 ? SK_NONE : SK_OK;
	stage_free(st);
	cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return rv;
}
