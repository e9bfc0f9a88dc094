/*
 * pricemodel.h: modelled prices for what the data has none of, so that
 * a backtest on underlying bars alone can trade options or leveraged
 * ETFs.  Every record it makes says so: option records have source
 * "model", and bars and quotes carry ind "modelled": 1.
 *
 * Options (instrument.mode options): at each session's first bar of an
 * underlying, a strip of strikes around its open (model_strikes either
 * side, model_strike_step apart), calls and puts, expiring that day
 * (0DTE) and on the next weekday.  At each of its bars, for each
 * contract: an "option" record priced by Black-Scholes at the close
 * with sigma model_iv and instrument.rate, bid and ask model_spread_pct
 * of the price apart (at least a cent), with its greeks; and a 1m "bar"
 * of the contract: open, high, low and close priced from the
 * underlying's (the high from its high for a call, from its low for a
 * put), time to 16:00 New York on the expiry from the bar's open (the
 * close from its close), volume the underlying's / 100.  A contract is
 * no longer modelled after its expiry.
 *
 * ETFs (instrument.mode etf): for each fund the map gives the
 * underlying, bull and bear, a bar and a quote at each bar of the
 * underlying: price 100 x (1 + leverage x (S / S0 - 1)), S0 the
 * session's first open (leveraged funds reset daily), spread
 * model_etf_spread_pct, and ind "adv" 1e9 (a modelled fund is liquid).
 *
 * Other modes, and other records, pass through.
 */
#ifndef PRICEMODEL_H
#define PRICEMODEL_H

#include "config.h"
#include "stage.h"

int	 pricemodel_stage_new(struct stage **, const struct config *,
	    struct sk_err *);

#endif
