/*
 * cli.c: the common options and set-up of every command.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int
cli_option(struct cli *c, int ch, const char *arg)
{
	switch (ch) {
	case 'c':
		c->config = arg;
		return 1;
	case 'e':
		c->exit_none = 1;
		return 1;
	case 'j':
		c->journal = arg;
		return 1;
	case 'p':
		c->profile = arg;
		return 1;
	case 'v':
		c->verbose = 1;
		return 1;
	default:
		return 0;
	}
}

int
cli_config(struct cli *c, struct sk_err *e)
{
	return config_load(&c->cfg, c->config, c->profile, e);
}

int
cli_journal(struct cli *c, struct sk_err *e)
{
	char path[CFG_PATH];

	if (config_journal_path(&c->cfg, c->journal, path, sizeof(path),
	    e) == -1)
		return -1;
	return journal_open(&c->j, path, e);
}

void
cli_release(struct cli *c)
{
	journal_close(c->j);
	c->j = NULL;
}
