/*
 * pick-contract: turn a "signal" on an underlying into one on what the
 * profile trades, an option contract from the chain or a leveraged ETF
 * from the map, or into a journaled "reject"; every other record passes
 * through, and each option record is followed by its contract's quote.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pick.h"
#include "stage.h"

/* Long options without a short form. */
enum { OPT_MODE = 256 };

static const struct option longopts[] = {
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,	NULL,	'h' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "mode",	required_argument,	NULL,	OPT_MODE },
	{ "profile",	required_argument,	NULL,	'p' },
	{ "version",	no_argument,	NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: pick-contract [-ev] [--mode mode] [-c config] "
	    "[-j journal] [-p profile]\n"
	    "                     [file ...]\n",
	    status == SK_OK ? stdout : stderr);
	exit(status);
}

/* -v: each losing candidate, and why it lost. */
static void
why(void *arg, const char *msg)
{
	(void)arg;
	warnx("%s", msg);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "pick-contract" };
	struct pick_opts popt = { 0 };
	const char *mode = NULL;
	struct stage *st;
	struct sk_err e = { 0 };
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "c:ehj:p:Vv", longopts,
	    NULL)) != -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case OPT_MODE:
			mode = optarg;
			if (strcmp(mode, "underlying") != 0 &&
			    strcmp(mode, "options") != 0 &&
			    strcmp(mode, "etf") != 0) {
				warnx("--mode: not underlying, options or "
				    "etf: '%s'", mode);
				usage(SK_USAGE);
			}
			break;
		case 'h':
			usage(SK_OK);
			/* NOTREACHED */
		case 'V':
			puts("pick-contract " SK_VERSION);
			return SK_OK;
		default:
			usage(SK_USAGE);
		}
	}
	argc -= optind;
	argv += optind;

	if (cli_config(&cli, &e) == -1)
		errx(e.status, "%s", e.msg);
	/* The option wins over the profile's [instrument] mode. */
	if (mode != NULL)
		sk_strlcpy(cli.cfg.instrument.mode, mode,
		    sizeof(cli.cfg.instrument.mode));
	if (cli.verbose)
		popt.why = why;
	if (cli_journal(&cli, &e) == -1 ||
	    pick_stage_new(&st, &cli.cfg, cli.j, &popt, &e) == -1 ||
	    stage_run(st, argc, argv, &e) == -1)
		errx(e.status, "%s", e.msg);
	if (cli.verbose)
		warnx("%ld read, %ld written, %ld picked", st->in, st->out,
		    stage_acted(st));
	rv = cli.exit_none && stage_acted(st) == 0 ? SK_NONE : SK_OK;
	stage_free(st);
	cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return rv;
}
