/*
 * stage.h: the shape every command shares.  A stage is set up, takes
 * one record at a time and emits zero or more, then finishes.  A thin
 * main() runs one stage between stdin and stdout; backtest chains the
 * same stages in one process, each one's output the next one's input.
 */
#ifndef STAGE_H
#define STAGE_H

#include "rec.h"
#include "sk.h"

/*
 * Where a stage sends records.  fn returns 0, or -1 with e filled; the
 * record is borrowed for the call only (the receiver may change a bar's
 * ind in place, which is how enrichment flows down a chain).
 */
struct emit {
	int	(*fn)(void *, struct rec *, struct sk_err *);
	void	 *arg;
};

static inline int
emit(const struct emit *out, struct rec *r, struct sk_err *e)
{
	return out->fn(out->arg, r, e);
}

struct stage {
	const char	*name;
	unsigned	 mask;		/* record types to decode for it */
	void		*self;
	/* Take one record; pass it on (or not) and emit what it causes. */
	int		(*take)(void *, struct rec *, const struct emit *,
			    struct sk_err *);
	/* End of input: emit what is left, save state. */
	int		(*finish)(void *, const struct emit *, struct sk_err *);
	/* Free self and what it owns. */
	void		(*free)(void *);
	/* What it did (signals, orders, exits, fills...) for -e and -v;
	 * NULL means: count the records it wrote. */
	long		(*acted)(const void *);
	long		 in, out;	/* counts, for -v */
	/*
	 * Read and check all input before the first take(): for stages
	 * with side effects (place-order), so that a malformed line at the
	 * end does not leave half the input acted on.
	 */
	int		 validate_first;
	/* With validate_first: the stage's own checks of a decoded record,
	 * run in the first pass (NULL for none). */
	int		(*check)(void *, const struct rec *, struct sk_err *);
};

/* What st did, as its acted() counts it. */
long	 stage_acted(const struct stage *);

/* Free a stage made by one of the *_stage_new() functions. */
void	 stage_free(struct stage *);

/*
 * Run st over the records of files (or stdin) to stdout.  Returns 0, or
 * -1 with e filled; the first error stops the run, and nothing is
 * written after the record that caused it.
 */
int	 stage_run(struct stage *, int, char **, struct sk_err *);

/*
 * A chain of stages in one process: records go into the first, and what
 * the last emits goes to out (which may discard it).
 */
struct chain {
	struct stage	**st;
	int		  n;
	struct emit	 *links;	/* links[i] feeds st[i] */
	struct emit	  sink;
};

void	 chain_init(struct chain *, struct stage **, int, struct emit);
void	 chain_release(struct chain *);
int	 chain_take(struct chain *, struct rec *, struct sk_err *);
int	 chain_finish(struct chain *, struct sk_err *);

#endif
