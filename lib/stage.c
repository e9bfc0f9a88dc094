/*
 * stage.c: running a stage between stdin and stdout, and chaining
 * stages in one process, with the same calls in the same order.
 */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The lines of all input, each checked, kept for a second pass. */
struct kept {
	char		**line;
	size_t		 *len;
	const char	**src;
	long		 *lineno;
	size_t		  n, cap;
};

static void
kept_release(struct kept *k)
{
	size_t i;

	for (i = 0; i < k->n; i++)
		free(k->line[i]);
	free(k->line);
	free(k->len);
	free(k->src);
	free(k->lineno);
}

static int
read_all(struct stage *st, int argc, char **argv, struct kept *k,
    struct sk_err *e)
{
	struct rec_reader rd;
	struct rec r;
	int rv;

	memset(k, 0, sizeof(*k));
	rec_reader_init(&rd, argc, argv, st->mask);
	while ((rv = rec_read(&rd, &r, e)) == 1) {
		if (st->check != NULL && (rv = st->check(st->self, &r,
		    e)) == -1)
			break;
		if (k->n == k->cap) {
			k->cap = k->cap ? k->cap * 2 : 256;
			k->line = xrealloc(k->line, k->cap * sizeof(*k->line));
			k->len = xrealloc(k->len, k->cap * sizeof(*k->len));
			k->src = xrealloc(k->src, k->cap * sizeof(*k->src));
			k->lineno = xrealloc(k->lineno, k->cap *
			    sizeof(*k->lineno));
		}
		k->line[k->n] = xmalloc(r.rawlen + 1);
		memcpy(k->line[k->n], r.raw, r.rawlen + 1);
		k->len[k->n] = r.rawlen;
		/* File names live in argv, or are the literal "<stdin>". */
		k->src[k->n] = r.src;
		k->lineno[k->n] = r.line;
		k->n++;
	}
	rec_reader_release(&rd);
	return rv;
}

static int
run_kept(struct stage *st, struct kept *k, const struct emit *out,
    struct sk_err *e)
{
	struct rec r;
	cJSON *json;
	size_t i;
	int rv = 0;

	for (i = 0; i < k->n && rv == 0; i++) {
		memset(&r, 0, offsetof(struct rec, u));
		r.src = k->src[i];
		r.line = k->lineno[i];
		r.raw = k->line[i];
		r.rawlen = k->len[i];
		/* Parsed once already: only memory can fail now. */
		json = cJSON_ParseWithLength(r.raw, r.rawlen);
		if (json == NULL)
			return sk_errf(e, SK_IO, "%s:%ld: out of memory", r.src,
			    r.line);
		r.json = json;
		rv = rec_decode(&r, json, st->mask, e);
		if (rv == 0) {
			st->in++;
			rv = st->take(st->self, &r, out, e);
		}
		cJSON_Delete(json);
	}
	return rv;
}

int
stage_run(struct stage *st, int argc, char **argv, struct sk_err *e)
{
	struct rec_reader rd;
	struct rec_writer w;
	struct rec r;
	struct emit out;
	struct kept k;
	int rv;

	if (st->validate_first) {
		rec_writer_init(&w, stdout);
		out.fn = write_out;
		out.arg = &w;
		rv = read_all(st, argc, argv, &k, e);
		if (rv == 0)
			rv = run_kept(st, &k, &out, e);
		if (rv == 0)
			rv = st->finish(st->self, &out, e);
		st->out = w.n;
		kept_release(&k);
		rec_writer_release(&w);
		return rv;
	}
	rec_reader_init(&rd, argc, argv, st->mask);
	rec_writer_init(&w, stdout);
	out.fn = write_out;
	out.arg = &w;
	while ((rv = rec_read(&rd, &r, e)) == 1) {
		st->in++;
		rv = st->take(st->self, &r, &out, e);
		if (rv == -1)
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
	/* A feed decodes bars only: decode what this stage reads too. */
	if (!r->decoded && r->json != NULL &&
	    (st->mask & REC_MASK(r->type)) != 0 &&
	    rec_decode(r, r->json, st->mask, e) == -1)
		return -1;
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
