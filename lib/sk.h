/*
 * sk.h: what every scalpkit module and command shares: the exit table,
 * the error carrier that lib/ fills instead of printing, allocators.
 */
#ifndef SK_H
#define SK_H

#include <stddef.h>
#include <stdint.h>

#ifndef SK_VERSION
#define SK_VERSION "0.1.0"
#endif

/* Exit statuses shared by every command; see scalpkit(7). */
enum sk_status {
	SK_OK = 0,	/* did its job */
	SK_NONE = 1,	/* ran correctly; nothing passed, matched or filled */
	SK_USAGE = 2,	/* bad option or operand */
	SK_DATA = 3,	/* malformed record or config file */
	SK_IO = 4,	/* file, journal or output error */
	SK_REMOTE = 5	/* feed or broker unavailable; safe to retry */
};

struct sk_err {
	enum sk_status	 status;	/* what main() should exit with */
	char		 msg[512];	/* "<stdin>:7: missing 'symbol'" */
};

#define SK_DEAD		__attribute__((__noreturn__))
#define SK_PRINTF(a, b)	__attribute__((__format__(__printf__, a, b)))

/*
 * Fill e with status and a formatted message; always returns -1 so that
 * "return sk_errf(e, SK_DATA, ...)" reads as the failure it is.
 */
int	 sk_errf(struct sk_err *, enum sk_status, const char *, ...)
	    SK_PRINTF(3, 4);

/* Allocators that exit(SK_IO) with a message on out-of-memory. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);

/*
 * Flush and close stdout; -1 if anything written to it was lost
 * (full disk, closed pipe), so that main() does not exit 0.
 */
int	 sk_close_stdout(void);

/*
 * Split the next comma-separated field off *s, in place: the field is
 * NUL-terminated and *s moves past its comma (NULL after the last).
 * Returns the field, or NULL when *s was NULL.
 */
char	*sk_field(char **);

/* FNV-1a (64-bit) of the string s: ids, hash tables, short digests. */
uint64_t sk_hash(const char *);

/* Copy src into dst of size n, always NUL-terminated; returns strlen(src). */
size_t	 sk_strlcpy(char *, const char *, size_t);

#endif
