/*
 * bs.h: Black-Scholes-Merton for European calls and puts on an asset
 * without dividends: price, Greeks, d1 and d2, implied volatility, and
 * the time to a 16:00 New York expiry.  Pure: no I/O, no allocation.
 */
#ifndef BS_H
#define BS_H

#include <stdint.h>

#include "clock.h"

#define BS_DAYS		365.0		/* theta per day = per year / 365 */
#define BS_YEAR_MIN	525600		/* minutes in a year, 365 * 24 * 60 */
#define BS_CLOSE	960		/* expiry minute, 16:00 New York */

/*
 * Implied volatility is "not defined" (BS_IV_FLAT) when a change of the
 * price by BS_IV_RES * max(S, K) (a few units in the last place of the
 * underlying's price: what any price formed at that scale, through the
 * forward or put-call parity, is uncertain by) moves sigma by more than
 * BS_IV_RTOL * sigma; see bs_iv().
 */
#define BS_IV_RES	1e-15
#define BS_IV_RTOL	1e-6

/*
 * A contract and a market: right 'C' or 'P', spot s > 0, strike k > 0,
 * t years to expiry (>= 0), r the continuously compounded rate per year
 * (any sign), sigma the volatility per square root of a year (>= 0).
 */
struct bs_in {
	int		 right;
	double		 s, k, t, r, sigma;
};

/*
 * Everything at once.  Derivatives are of the price in currency units:
 *	delta      dV/dS                 gamma      d2V/dS2
 *	theta      dV/dt = -dV/dT, per year of calendar time
 *	theta_day  theta / 365, per calendar day
 *	vega       dV/dsigma per 1.00 of sigma; vega_pct per 1 % point
 *	rho        dV/dr per 1.00 of r;         rho_pct per 1 % point
 *	d1 = (ln(S/K) + (r + sigma^2/2) T) / (sigma sqrt T), d2 = d1 -
 *	sigma sqrt T.
 */
struct bs_out {
	double		 price;
	double		 delta, gamma;
	double		 theta, theta_day;
	double		 vega, vega_pct;
	double		 rho, rho_pct;
	double		 d1, d2;
};

/*
 * Fill *o for the contract *in.  Returns 0, or -1 (o untouched) if the
 * right is not 'C' or 'P', a number is not finite, s or k is not above
 * 0, or t or sigma is not above 0 (at sigma sqrt T = 0 the Greeks are
 * step functions; bs_price() still gives the price there).
 */
int	 bs_eval(const struct bs_in *, struct bs_out *);

/*
 * The price alone; at t = 0 or sigma = 0 it is bs_lower().  NAN on bad
 * input (as bs_eval(), but t and sigma may be 0).
 */
double	 bs_price(const struct bs_in *);

/*
 * The no-arbitrage bounds of a European price, sigma ignored, NAN on
 * bad input.  Lower: the discounted intrinsic value, max(S - K e^-rT, 0)
 * for a call and max(K e^-rT - S, 0) for a put, which is also the price
 * as sigma -> 0.  Not max(S - K, 0): with r > 0 a European put may
 * fairly trade below K - S (it cannot be exercised early), and a call
 * below S - K e^-rT is an arbitrage.  Upper: S for a call, K e^-rT for
 * a put, the price as sigma -> infinity.  The price is strictly
 * increasing in sigma between the two.
 */
double	 bs_lower(const struct bs_in *);
double	 bs_upper(const struct bs_in *);

enum bs_iv_status {
	BS_IV_OK = 0,		/* *sigma holds the implied volatility */
	BS_IV_BELOW,		/* price <= bs_lower(): no time value */
	BS_IV_ABOVE,		/* price >= bs_upper(): an arbitrage */
	BS_IV_FLAT,		/* the price does not pin sigma down */
	BS_IV_BAD		/* bad input: as bs_eval(), or price NAN */
};

/*
 * The sigma at which the contract *in (its sigma ignored) is worth
 * price.  On BS_IV_OK *sigma is set, accurate to about BS_IV_RES *
 * max(S, K) / vega; on any other status it is NAN: the implied
 * volatility is not defined.  BS_IV_FLAT is returned when t is 0, and
 * when vega * sigma * BS_IV_RTOL < BS_IV_RES * max(S, K) at the root:
 * sigma is then fixed to worse than BS_IV_RTOL relative by a price
 * known to a few ulps of the spot (far out of the money with minutes
 * left, or a time value of a few ulps).  t may be 0; s, k > 0.
 */
enum bs_iv_status bs_iv(const struct bs_in *, double, double *);

/*
 * Whole minutes from instant now (ms, UTC) to 16:00 New York time on
 * local date day (days since the epoch, as clock_days()), given the
 * America/New_York zone ny.  now counts from the start of its minute,
 * so anywhere in 10:15 ET of the expiry day there are 345 left; the
 * count is DST-correct and negative after the expiry.
 */
int64_t	 bs_minutes_left(struct tz *, int64_t, int64_t);

/* T in years for a count of minutes: max(minutes, 0) / 525600. */
double	 bs_years(int64_t);

#endif
