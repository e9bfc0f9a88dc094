/*
 * journal: read the journal: where it is, a summary a person can read,
 * the trade list as CSV, the paper broker's report of the account, or
 * any table as NDJSON for jq.
 */
#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "report.h"

static const struct option longopts[] = {
	{ "config",	required_argument,	NULL,	'c' },
	{ "help",	no_argument,		NULL,	'h' },
	{ "journal",	required_argument,	NULL,	'j' },
	{ "profile",	required_argument,	NULL,	'p' },
	{ "version",	no_argument,		NULL,	'V' },
	{ NULL,		0,			NULL,	0 }
};

static SK_DEAD void
usage(int status)
{
	fputs("usage: journal [-c config] [-j journal] [-p profile] "
	    "path | summary | trades | broker |\n"
	    "               export table\n",
	    status == SK_OK ? stdout : stderr);
	exit(status);
}

int
main(int argc, char *argv[])
{
	struct cli cli = { .prog = "journal" };
	struct summary sum;
	struct sk_err e = { 0 };
	char path[CFG_PATH];
	int ch, rv = 0;

	while ((ch = getopt_long(argc, argv, "c:hj:p:V", longopts, NULL)) !=
	    -1) {
		if (cli_option(&cli, ch, optarg))
			continue;
		switch (ch) {
		case 'h':
			usage(SK_OK);
			/* NOTREACHED */
		case 'V':
			puts("journal " SK_VERSION);
			return SK_OK;
		default:
			usage(SK_USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || (strcmp(argv[0], "export") == 0 ? argc != 2 :
	    argc != 1))
		usage(SK_USAGE);
	if (strcmp(argv[0], "path") != 0 && strcmp(argv[0], "summary") != 0 &&
	    strcmp(argv[0], "trades") != 0 && strcmp(argv[0], "broker") != 0 &&
	    strcmp(argv[0], "export") != 0)
		usage(SK_USAGE);

	if (cli_config(&cli, &e) == -1)
		errx(e.status, "%s", e.msg);
	if (strcmp(argv[0], "path") == 0) {
		if (config_journal_path(&cli.cfg, cli.journal, path,
		    sizeof(path), &e) == -1)
			errx(e.status, "%s", e.msg);
		puts(path);
	} else {
		/* Reading: a journal that is not there is an error, not new. */
		if (config_journal_path(&cli.cfg, cli.journal, path,
		    sizeof(path), &e) == -1 ||
		    journal_open_existing(&cli.j, path, &e) == -1)
			errx(e.status, "%s", e.msg);
		if (strcmp(argv[0], "summary") == 0) {
			rv = report_summary(cli.j, cli.cfg.account.cash, &sum,
			    &e);
			if (rv == 0)
				report_print_summary(stdout, &sum,
				    cli.cfg.account.cash);
		} else if (strcmp(argv[0], "trades") == 0)
			rv = report_trades_csv(cli.j, stdout, &e);
		else if (strcmp(argv[0], "broker") == 0)
			rv = report_broker(cli.j, cli.cfg.broker.name, stdout,
			    &e);
		else
			rv = report_export(cli.j, argv[1], stdout, &e);
		if (rv == -1)
			errx(e.status, "%s", e.msg);
	}
	cli_release(&cli);
	if (sk_close_stdout() == -1)
		err(SK_IO, "stdout");
	return SK_OK;
}
