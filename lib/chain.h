/*
 * chain.h: option chains as the brokers send them, to "option" records.
 * Tradier's GET /v1/markets/options/chains (with greeks=true) and
 * Alpaca's GET /v1beta1/options/snapshots/{underlying}, read from a file
 * holding the response body (a saved response, or a fixture).  Pure but
 * for reading that file.
 */
#ifndef CHAIN_H
#define CHAIN_H

#include "rec.h"
#include "sk.h"

enum chain_fmt {
	CHAIN_TRADIER,
	CHAIN_ALPACA
};

/* One contract read: the caller's, valid for the call only. */
typedef int	 chain_cb(void *, const struct contract *, struct sk_err *);

/*
 * Read the response body in path and call cb for each contract, in the
 * order of the file, stopping at the first -1 it returns.  A contract's
 * ts is its newest quote (Tradier bid_date/ask_date, Alpaca
 * latestQuote.t); underlying, expiry, strike and right come from its
 * OCC symbol.  Greeks and IV are copied when the source has them
 * (greeks "broker"), else left unset.  Returns the number of contracts,
 * or -1 with e filled: SK_IO for the file, SK_DATA naming the file and
 * what is wrong with it.
 */
long	 chain_read(const char *, enum chain_fmt, chain_cb *, void *,
	    struct sk_err *);

#endif
