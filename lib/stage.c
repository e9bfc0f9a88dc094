/*
 * stage.c: running a stage between stdin and stdout, and chaining
 * stages in one process, with the same calls in the same order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "stage.h"

static int
write_out(void *arg, struct rec *r, struct sk_err *e)
{
	return rec_write(arg, r, e);
}

long
stage_acted(const struct stage *st)
{
	return st->acted != NULL ? st->acted(st->self) : st->out;
}

void
stage_free(struct stage *st)
{
	if (st == NULL)
		return;
	st->free(st->self);
	free(st);
}

int
stage_run(struct stage *st, int argc, char **argv, struct sk_err *e)
{
	struct rec_reader rd;
	struct rec_writer w;
	struct rec r;
	struct emit out;
	int rv;

	rec_reader_init(&rd, argc, argv, st->mask);
	rec_writer_init(&w, stdout);
	out.fn = write_out;
	out.arg = &w;
	while ((rv = rec_read(&rd, &r, e)) == 1) {
		st->in++;
		if ((rv = st->take(st->self, &r, &out, e)) == -1)
			break;
	}
	if (rv == 0)
		rv = st->finish(st->self, &out, e);
	st->out = w.n;
	rec_writer_release(&w);
	rec_reader_release(&rd);
	return rv;
}

struct link {
	struct chain	*c;
	int		 i;
};

static int
chain_next(void *arg, struct rec *r, struct sk_err *e)
{
	struct link *l = arg;
	struct stage *st = l->c->st[l->i];

	st->in++;
	return st->take(st->self, r, &l->c->links[l->i + 1], e);
}

void
chain_init(struct chain *c, struct stage **st, int n, struct emit sink)
{
	struct link *lk;
	int i;

	c->st = st;
	c->n = n;
	c->sink = sink;
	c->links = xcalloc((size_t)n + 1, sizeof(*c->links));
	lk = xcalloc((size_t)n + 1, sizeof(*lk));
	for (i = 0; i < n; i++) {
		lk[i].c = c;
		lk[i].i = i;
		c->links[i].fn = chain_next;
		c->links[i].arg = &lk[i];
	}
	c->links[n] = sink;
}

void
chain_release(struct chain *c)
{
	if (c->links != NULL && c->n > 0)
		free(c->links[0].arg);
	free(c->links);
	c->links = NULL;
}

int
chain_take(struct chain *c, struct rec *r, struct sk_err *e)
{
	return emit(&c->links[0], r, e);
}

/* Finish in order, so what one stage emits at the end reaches the rest. */
int
chain_finish(struct chain *c, struct sk_err *e)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->st[i]->finish(c->st[i]->self, &c->links[i + 1], e) == -1)
			return -1;
	return 0;
}
