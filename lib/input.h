/*
 * input.h: lines from the named files in turn, or stdin, with the file
 * name and line number every diagnostic needs.  gzip input is read
 * transparently (zlib), so replay files may be compressed.
 */
#ifndef INPUT_H
#define INPUT_H

#include <stddef.h>

#include "sk.h"

struct input {
	char		**files;	/* borrowed */
	int		  nfiles;
	int		  cur;		/* index of the open file */
	void		 *gz;		/* gzFile of the open file, or NULL */
	const char	 *name;		/* "<stdin>" or the path */
	long		  line;		/* number of the line last returned */
	char		 *buf;		/* read buffer */
	size_t		  cap, len, pos;
	int		  eof;		/* of the open file */
};

/*
 * Read files[0..n-1] in turn; n == 0 or "-" means stdin.  Nothing is
 * opened until the first input_line().  input_release() frees the rest.
 */
void	 input_init(struct input *, int, char **);
void	 input_release(struct input *);

/*
 * Next line without its "\n" (and a "\r" before it) as *line of *len
 * bytes, NUL-terminated, valid until the next call.  Returns 1, 0 at the
 * end of the last file, or -1 with e filled (SK_IO).
 */
int	 input_line(struct input *, char **, size_t *, struct sk_err *);

#endif
