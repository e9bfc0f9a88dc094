/*
 * sk.c: error formatting, allocators that cannot return NULL, and the
 * careful close of stdout every command ends with.
 */
#include <err.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sk.h"

int
sk_errf(struct sk_err *e, enum sk_status st, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->status = st;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

void *
xmalloc(size_t n)
{
	void *p;

	p = malloc(n == 0 ? 1 : n);
	if (p == NULL)
		err(SK_IO, "malloc");
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p;

	p = calloc(n == 0 ? 1 : n, sz == 0 ? 1 : sz);
	if (p == NULL)
		err(SK_IO, "calloc");
	return p;
}

void *
xrealloc(void *old, size_t n)
{
	void *p;

	p = realloc(old, n == 0 ? 1 : n);
	if (p == NULL)
		err(SK_IO, "realloc");
	return p;
}

char *
xstrdup(const char *s)
{
	char *p;

	p = strdup(s);
	if (p == NULL)
		err(SK_IO, "strdup");
	return p;
}

char *
sk_field(char **s)
{
	char *f = *s, *comma;

	if (f == NULL)
		return NULL;
	comma = strchr(f, ',');
	if (comma == NULL)
		*s = NULL;
	else {
		*comma = '\0';
		*s = comma + 1;
	}
	return f;
}

uint64_t
sk_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

size_t
sk_strlcpy(char *dst, const char *src, size_t n)
{
	size_t len = strlen(src);

	if (n > 0) {
		size_t k = len < n - 1 ? len : n - 1;

		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return len;
}

int
sk_close_stdout(void)
{
	int bad;

	bad = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0)
		bad = 1;
	if (bad && errno == 0)
		errno = EIO;
	return bad ? -1 : 0;
}
