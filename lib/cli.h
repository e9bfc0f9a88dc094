/*
 * cli.h: what every command's main() does the same way: the common
 * options (-c config, -p profile, -j journal, -e, -v), loading the
 * config, opening the journal, and reporting.  Keeps each main thin.
 */
#ifndef CLI_H
#define CLI_H

#include "config.h"
#include "journal.h"
#include "sk.h"

struct cli {
	const char	*prog;
	const char	*config;	/* -c, or NULL */
	const char	*profile;	/* -p, or NULL */
	const char	*journal;	/* -j, or NULL */
	int		 exit_none;	/* -e */
	int		 verbose;	/* -v */
	struct config	 cfg;
	struct journal	*j;
};

/*
 * Handle option ch (with optarg arg) if it is one of the common ones:
 * returns 1 if it was, 0 if not.
 */
int	 cli_option(struct cli *, int, const char *);

/* Load config and profile into c->cfg.  0 or -1 with e filled. */
int	 cli_config(struct cli *, struct sk_err *);

/* Open the journal named by -j, the environment or the config. */
int	 cli_journal(struct cli *, struct sk_err *);

/* Close the journal. */
void	 cli_release(struct cli *);

#endif
