/*
 * etfmap.h: which leveraged ETF to trade for a symbol and a direction,
 * read from a CSV table (etc/etf-map.csv) and an index membership list
 * (etc/index-members.csv); and two pure checks for the ETF chosen: is
 * it liquid enough, and how many shares fit the risk budget.
 */
#ifndef ETFMAP_H
#define ETFMAP_H

#include <stddef.h>

#include "sk.h"

#define ETFMAP_SYM	16	/* symbols and group names, with the NUL */

/* What a row of the map says about its underlying. */
enum etfmap_kind {
	ETFMAP_INDEX,		/* the funds lever this symbol's own index */
	ETFMAP_SECTOR,		/* the funds lever a sector the symbol is in */
	ETFMAP_FALLBACK		/* the funds for members of an index group */
};

/* Which rule a lookup matched, from first tried to last. */
enum etfmap_rule {
	ETFMAP_RULE_DIRECT,	/* an index row for the symbol itself */
	ETFMAP_RULE_SECTOR,	/* a sector row for the symbol */
	ETFMAP_RULE_INDEX	/* membership of a fallback row's index */
};

struct etfmap_row {
	enum etfmap_kind kind;
	char		 underlying[ETFMAP_SYM];	/* or the group name */
	char		 bull[ETFMAP_SYM], bear[ETFMAP_SYM];	/* "": none */
	double		 bull_lev, bear_lev;	/* > 0 and < 0 */
	char		 note[64];
	long		 line;
};

struct etfmap_member {
	size_t		 row;		/* its fallback row in the map */
	char		 symbol[ETFMAP_SYM];
	long		 line;		/* in the members file */
};

struct etfmap {
	char		 file[512], members_file[512];
	struct etfmap_row *row;		/* in file order */
	size_t		 nrow;
	struct etfmap_member *mem;
	size_t		 nmem;
};

/* A lookup's answer; the strings are borrowed from the map. */
struct etfmap_match {
	const char	*etf;
	double		 lev;		/* signed: < 0 for a bear fund */
	enum etfmap_rule rule;
	const char	*via;		/* the row's underlying or group */
	long		 line;		/* of that row in the map file */
};

/* Fill map as an empty map, which finds nothing. */
void	 etfmap_init(struct etfmap *);

/*
 * Load the map at path and, unless members is NULL, the membership list
 * at members.  Both files: comment lines start with '#', blank lines are
 * skipped, then a header, then rows.  The map's header is
 * "kind,underlying,bull,bull_lev,bear,bear_lev,note": kind is index,
 * sector or fallback; underlying an upper-case symbol (A-Z, 0-9, '.',
 * '-'), or for fallback a lower-case group name; bull and bear the
 * funds (either may be empty, with its leverage, but not both);
 * bull_lev > 0 and bear_lev < 0, at most 5 either way; note free text
 * to the end of the line.  An underlying appears once.  The members'
 * header is "index,symbol": a fallback group of the map and a symbol,
 * each pair once.  Returns 0, or -1 with e filled: SK_IO "path:
 * reason" if unreadable, SK_DATA "path:line: reason" for a bad line;
 * map is then empty.  etfmap_release() frees what the map owns.
 */
int	 etfmap_load(struct etfmap *, const char *, const char *,
	    struct sk_err *);
void	 etfmap_release(struct etfmap *);

/*
 * The fund for symbol sym (any case) and direction dir (+1 bull, -1
 * bear) into *m.  The candidates, in order: the symbol's own index or
 * sector row, then each fallback row, in file order, whose group lists
 * the symbol; a candidate without a fund for dir is passed over.  The
 * first wins, unless prefer_3x is set: then the first with a leverage
 * of 3 or more either way wins, and the first of all only if none has
 * one.  Returns 1, 0 if no row gives a fund, or -1 if dir is not +1 or
 * -1.
 */
int	 etfmap_find(const struct etfmap *, const char *, int, int,
	    struct etfmap_match *);

/* "direct", "sector" or "index". */
const char *etfmap_rule_name(enum etfmap_rule);

/*
 * Liquidity limits for an ETF: average daily dollar volume at least
 * min_dollar_volume and a quoted spread at most max_spread_pct percent
 * of the mid.  The defaults: $10M and 0.05 %.
 */
#define ETF_MIN_DOLLAR_VOLUME	10000000.0
#define ETF_MAX_SPREAD_PCT	0.05

struct etf_limits {
	double		 min_dollar_volume;
	double		 max_spread_pct;
};

void	 etf_limits_init(struct etf_limits *);

/*
 * 1 if an ETF with average daily dollar volume adv and spread spread_pct
 * (percent of mid) passes lim (NULL: the defaults), at the limits
 * included (the spread's to a relative 1e-9, for the rounding of a
 * computed one); else 0, with *why (if why is not NULL) saying which
 * test failed, as a static string; NULL when it passes.  NaN never
 * passes.
 */
int	 etf_liquid(double, double, const struct etf_limits *,
	    const char **);

/*
 * The spread of a quote as a percent of its mid: 100 * (ask - bid) /
 * mid; NaN unless 0 < bid <= ask, both finite.
 */
double	 etf_spread_pct(double, double);

/*
 * Shares to buy so that a stop stop_pct below price loses risk_pct of
 * equity: floor(equity * risk_pct / (price * stop_pct)) in steps of
 * step (0: whole shares; 0.001: fractional).  risk_pct and stop_pct
 * are in one unit, as only their ratio counts ("1" and "2" percent).
 * Returns the quantity; 0 with *why set (a static string; why may be
 * NULL) when an input is not a positive finite number, or when even
 * one step risks more than the budget.
 */
double	 etf_size(double, double, double, double, double, const char **);

#endif
