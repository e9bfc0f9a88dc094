/*
 * input.c: a line reader over zlib's gzread, which passes plain files
 * through unchanged, with a buffer that grows for long lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "input.h"

void
input_init(struct input *in, int n, char **files)
{
	memset(in, 0, sizeof(*in));
	in->files = files;
	in->nfiles = n;
	in->cur = -1;
	in->name = "<stdin>";
}

void
input_release(struct input *in)
{
	if (in->gz != NULL)
		gzclose(in->gz);
	in->gz = NULL;
	free(in->buf);
	in->buf = NULL;
}

static int
open_next(struct input *in, struct sk_err *e)
{
	const char *f;
	int fd;

	if (in->gz != NULL) {
		gzclose(in->gz);
		in->gz = NULL;
	}
	in->cur++;
	if (in->nfiles == 0 ? in->cur > 0 : in->cur >= in->nfiles)
		return 0;
	f = in->nfiles == 0 ? "-" : in->files[in->cur];
	if (strcmp(f, "-") == 0) {
		in->name = "<stdin>";
		fd = dup(STDIN_FILENO);
	} else {
		in->name = f;
		fd = open(f, O_RDONLY | O_CLOEXEC);
	}
	if (fd == -1)
		return sk_errf(e, SK_IO, "%s: %s", in->name, strerror(errno));
	in->gz = gzdopen(fd, "rb");
	if (in->gz == NULL) {
		close(fd);
		return sk_errf(e, SK_IO, "%s: cannot read", in->name);
	}
	gzbuffer(in->gz, 1 << 17);
	in->line = 0;
	in->len = in->pos = 0;
	in->eof = 0;
	return 1;
}

static int
fill(struct input *in, struct sk_err *e)
{
	int r, zerr;

	if (in->pos > 0) {
		memmove(in->buf, in->buf + in->pos, in->len - in->pos);
		in->len -= in->pos;
		in->pos = 0;
	}
	if (in->cap - in->len < 65536) {
		in->cap = in->cap ? in->cap * 2 : 1 << 18;
		in->buf = xrealloc(in->buf, in->cap + 1);
	}
	r = gzread(in->gz, in->buf + in->len, (unsigned)(in->cap - in->len));
	if (r < 0) {
		const char *m = gzerror(in->gz, &zerr);

		return sk_errf(e, SK_IO, "%s: %s", in->name,
		    zerr == Z_ERRNO ? strerror(errno) : m);
	}
	if (r == 0)
		in->eof = 1;
	in->len += (size_t)r;
	return r;
}

int
input_line(struct input *in, char **line, size_t *len, struct sk_err *e)
{
	char *s, *nl;
	size_t n;

	for (;;) {
		if (in->gz == NULL) {
			int r = open_next(in, e);

			if (r <= 0)
				return r;
		}
		s = in->buf + in->pos;
		nl = in->len > in->pos ? memchr(s, '\n', in->len - in->pos) :
		    NULL;
		if (nl == NULL && !in->eof) {
			if (fill(in, e) == -1)
				return -1;
			continue;
		}
		if (nl == NULL && in->pos == in->len) {
			in->gz = (gzclose(in->gz), NULL);
			continue;
		}
		/* A last line without "\n" still counts. */
		n = nl != NULL ? (size_t)(nl - s) : in->len - in->pos;
		in->pos += n + (nl != NULL);
		if (n > 0 && s[n - 1] == '\r')
			n--;
		s[n] = '\0';
		in->line++;
		*line = s;
		*len = n;
		return 1;
	}
}
