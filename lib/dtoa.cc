/*
 * dtoa.cc: dtoa.h over double-conversion's ToShortest (Grisu3 with an
 * exact bignum fallback), so numbers print exactly without the printf
 * and strtod round trips a search for the shortest digits would need.
 */
#include <double-conversion/double-conversion.h>

extern "C" {
#include "dtoa.h"
}

using double_conversion::DoubleToStringConverter;
using double_conversion::StringBuilder;

extern "C" size_t
dtoa_shortest(double v, char *buf, size_t n)
{
	/* Immutable once built; fixed layout in [1e-4, 1e15), as whole
	 * numbers below 1e15 print in rec.c, else exponent. */
	static const DoubleToStringConverter conv(
	    DoubleToStringConverter::EMIT_POSITIVE_EXPONENT_SIGN,
	    nullptr, nullptr, 'e', -4, 15, 0, 0, 2);

	if (n < 26)
		return 0;
	StringBuilder sb(buf, static_cast<int>(n));
	if (!conv.ToShortest(v, &sb))
		return 0;
	size_t len = static_cast<size_t>(sb.position());
	sb.Finalize();
	return len;
}
