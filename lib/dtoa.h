/*
 * dtoa.h: the shortest decimal text that reads back as the same double,
 * from Google's double-conversion library (its one C++ file is dtoa.cc).
 */
#ifndef DTOA_H
#define DTOA_H

#include <stddef.h>

/*
 * Write the shortest text of v that strtod() reads back as v into buf
 * of size n (32 is enough), NUL-terminated, in printf's %g layout: fixed
 * from 1e-4 up to 1e15, else "1.5e-05" / "1e+21".  Returns its length,
 * or 0 if v is not finite or buf is too small.
 */
size_t	 dtoa_shortest(double, char *, size_t);

#endif
