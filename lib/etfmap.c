/*
 * etfmap.c: the leveraged-ETF table (underlying or index group -> bull
 * and bear funds) and its index membership list, read from CSV; the
 * lookup; and the pure liquidity check and sizer for the fund chosen.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "etfmap.h"

#define MAP_HEADER	"kind,underlying,bull,bull_lev,bear,bear_lev,note"
#define MEM_HEADER	"index,symbol"
#define MAX_LEV		5.0

/* One data line of a file: 0, or -1 with e naming file:line. */
typedef int (*line_fn)(struct etfmap *, const char *, char *, long,
    struct sk_err *);

void
etfmap_init(struct etfmap *map)
{
	memset(map, 0, sizeof(*map));
}

void
etfmap_release(struct etfmap *map)
{
	free(map->row);
	free(map->mem);
	map->row = NULL;
	map->mem = NULL;
	map->nrow = map->nmem = 0;
}

/* 1 if s is a ticker: an upper-case letter, then A-Z 0-9 . - (< 16). */
static int
is_symbol(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= ETFMAP_SYM || s[0] < 'A' || s[0] > 'Z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '-'))
			return 0;
	return 1;
}

/* 1 if s is a group name: a lower-case letter, then a-z 0-9 _ (< 16). */
static int
is_group(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= ETFMAP_SYM || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/*
 * One side of a row, fund and leverage text, into sym and *lev; sign is
 * +1 for the bull side, -1 for the bear.  Both empty is "no fund".
 */
static int
parse_side(const char *file, long lineno, const char *side, int sign,
    const char *fund, const char *levtext, char *sym, double *lev,
    struct sk_err *e)
{
	char *end;

	if (*fund == '\0' && *levtext == '\0') {
		sym[0] = '\0';
		*lev = 0;
		return 0;
	}
	if (*fund == '\0' || *levtext == '\0')
		return sk_errf(e, SK_DATA, "%s:%ld: %s and %s_lev go "
		    "together", file, lineno, side, side);
	if (!is_symbol(fund))
		return sk_errf(e, SK_DATA, "%s:%ld: %s fund '%.16s' is not "
		    "a symbol", file, lineno, side, fund);
	*lev = strtod(levtext, &end);
	if (*end != '\0' || !isfinite(*lev) || *lev * sign <= 0 ||
	    fabs(*lev) > MAX_LEV)
		return sk_errf(e, SK_DATA, "%s:%ld: %s_lev '%.16s' is not a "
		    "%s number up to %g", file, lineno, side, levtext,
		    sign > 0 ? "positive" : "negative", MAX_LEV);
	memcpy(sym, fund, strlen(fund) + 1);
	return 0;
}

/* The row whose underlying is name, or NULL. */
static const struct etfmap_row *
find_row(const struct etfmap *map, const char *name)
{
	size_t i;

	for (i = 0; i < map->nrow; i++)
		if (strcasecmp(map->row[i].underlying, name) == 0)
			return &map->row[i];
	return NULL;
}

static int
parse_kind(const char *s, enum etfmap_kind *k)
{
	if (strcmp(s, "index") == 0)
		*k = ETFMAP_INDEX;
	else if (strcmp(s, "sector") == 0)
		*k = ETFMAP_SECTOR;
	else if (strcmp(s, "fallback") == 0)
		*k = ETFMAP_FALLBACK;
	else
		return -1;
	return 0;
}

/* A line of the map into a new row. */
static int
map_line(struct etfmap *map, const char *file, char *line, long lineno,
    struct sk_err *e)
{
	struct etfmap_row r;
	const struct etfmap_row *old;
	char *rest = line, *f[6];
	size_t i;

	for (i = 0; i < 6; i++)
		f[i] = sk_field(&rest);
	if (rest == NULL)
		return sk_errf(e, SK_DATA, "%s:%ld: expected 7 fields: %s",
		    file, lineno, MAP_HEADER);
	memset(&r, 0, sizeof(r));
	r.line = lineno;
	if (parse_kind(f[0], &r.kind) == -1)
		return sk_errf(e, SK_DATA, "%s:%ld: kind '%.16s' is not "
		    "index, sector or fallback", file, lineno, f[0]);
	if (r.kind == ETFMAP_FALLBACK ? !is_group(f[1]) : !is_symbol(f[1]))
		return sk_errf(e, SK_DATA, "%s:%ld: '%.16s' is not %s", file,
		    lineno, f[1], r.kind == ETFMAP_FALLBACK ? "a group name "
		    "(a-z, 0-9, _)" : "a symbol (A-Z, 0-9, ., -)");
	old = find_row(map, f[1]);
	if (old != NULL)
		return sk_errf(e, SK_DATA, "%s:%ld: '%s' is already on line "
		    "%ld", file, lineno, f[1], old->line);
	memcpy(r.underlying, f[1], strlen(f[1]) + 1);
	if (parse_side(file, lineno, "bull", 1, f[2], f[3], r.bull,
	    &r.bull_lev, e) == -1 || parse_side(file, lineno, "bear", -1,
	    f[4], f[5], r.bear, &r.bear_lev, e) == -1)
		return -1;
	if (r.bull[0] == '\0' && r.bear[0] == '\0')
		return sk_errf(e, SK_DATA, "%s:%ld: no bull or bear fund",
		    file, lineno);
	if (strlen(rest) >= sizeof(r.note))
		return sk_errf(e, SK_DATA, "%s:%ld: note longer than %zu "
		    "bytes", file, lineno, sizeof(r.note) - 1);
	memcpy(r.note, rest, strlen(rest) + 1);
	map->row = xrealloc(map->row, (map->nrow + 1) * sizeof(*map->row));
	map->row[map->nrow++] = r;
	return 0;
}

/* A line of the membership list into a new member. */
static int
member_line(struct etfmap *map, const char *file, char *line, long lineno,
    struct sk_err *e)
{
	struct etfmap_member m;
	const struct etfmap_row *r;
	char *rest = line, *group, *sym;
	size_t i;

	group = sk_field(&rest);
	sym = sk_field(&rest);
	if (sym == NULL || rest != NULL)
		return sk_errf(e, SK_DATA, "%s:%ld: expected 2 fields: %s",
		    file, lineno, MEM_HEADER);
	r = find_row(map, group);
	if (!is_group(group) || r == NULL || r->kind != ETFMAP_FALLBACK)
		return sk_errf(e, SK_DATA, "%s:%ld: index '%.16s' has no "
		    "fallback row in %s", file, lineno, group, map->file);
	if (!is_symbol(sym))
		return sk_errf(e, SK_DATA, "%s:%ld: '%.16s' is not a symbol "
		    "(A-Z, 0-9, ., -)", file, lineno, sym);
	memset(&m, 0, sizeof(m));
	m.row = (size_t)(r - map->row);
	m.line = lineno;
	memcpy(m.symbol, sym, strlen(sym) + 1);
	for (i = 0; i < map->nmem; i++)
		if (map->mem[i].row == m.row &&
		    strcmp(map->mem[i].symbol, sym) == 0)
			return sk_errf(e, SK_DATA, "%s:%ld: %s is already in "
			    "%s on line %ld", file, lineno, sym, group,
			    map->mem[i].line);
	map->mem = xrealloc(map->mem, (map->nmem + 1) * sizeof(*map->mem));
	map->mem[map->nmem++] = m;
	return 0;
}

/*
 * Read the CSV at path: comments, blank lines, header, then each data
 * line through fn.  -1 with e filled; a file without data lines is one.
 */
static int
read_csv(struct etfmap *map, const char *path, const char *header,
    line_fn fn, struct sk_err *e)
{
	FILE *fp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long lineno = 0, rows = 0;
	int seen = 0, rv = -1;

	fp = fopen(path, "r");
	if (fp == NULL)
		return sk_errf(e, SK_IO, "%s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, fp)) != -1) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' ||
		    line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		if (strlen(line) != (size_t)len) {
			sk_errf(e, SK_DATA, "%s:%ld: NUL byte in line", path,
			    lineno);
			goto out;
		}
		if (!seen) {
			if (strcmp(line, header) != 0) {
				sk_errf(e, SK_DATA, "%s:%ld: expected the "
				    "header %s", path, lineno, header);
				goto out;
			}
			seen = 1;
			continue;
		}
		if (fn(map, path, line, lineno, e) == -1)
			goto out;
		rows++;
	}
	if (ferror(fp))
		sk_errf(e, SK_IO, "%s: %s", path, strerror(errno));
	else if (rows == 0)
		sk_errf(e, SK_DATA, "%s: no rows", path);
	else
		rv = 0;
out:
	free(line);
	fclose(fp);
	return rv;
}

int
etfmap_load(struct etfmap *map, const char *path, const char *members,
    struct sk_err *e)
{
	int rv = -1;

	etfmap_init(map);
	sk_strlcpy(map->file, path, sizeof(map->file));
	if (read_csv(map, path, MAP_HEADER, map_line, e) == -1)
		goto out;
	if (members != NULL) {
		sk_strlcpy(map->members_file, members,
		    sizeof(map->members_file));
		if (read_csv(map, members, MEM_HEADER, member_line, e) == -1)
			goto out;
	}
	rv = 0;
out:
	if (rv == -1)
		etfmap_release(map);
	return rv;
}

/* The fund of row r for direction dir into *m; 0 if it has none. */
static int
side_of(const struct etfmap_row *r, int dir, enum etfmap_rule rule,
    struct etfmap_match *m)
{
	const char *etf = dir > 0 ? r->bull : r->bear;

	if (*etf == '\0')
		return 0;
	m->etf = etf;
	m->lev = dir > 0 ? r->bull_lev : r->bear_lev;
	m->rule = rule;
	m->via = r->underlying;
	m->line = r->line;
	return 1;
}

/* 1 if the fallback row at index i lists sym among its members. */
static int
is_member(const struct etfmap *map, size_t i, const char *sym)
{
	size_t j;

	for (j = 0; j < map->nmem; j++)
		if (map->mem[j].row == i &&
		    strcasecmp(map->mem[j].symbol, sym) == 0)
			return 1;
	return 0;
}

/*
 * Weigh candidate c: keep the first one in *best; 1 when the search can
 * stop (the first, or with prefer_3x the first at 3x or more).
 */
static int
take(const struct etfmap_match *c, int prefer_3x, int *found,
    struct etfmap_match *best)
{
	if (!*found) {
		*best = *c;
		*found = 1;
	}
	if (!prefer_3x)
		return 1;
	if (fabs(c->lev) >= 3) {
		*best = *c;
		return 1;
	}
	return 0;
}

int
etfmap_find(const struct etfmap *map, const char *sym, int dir,
    int prefer_3x, struct etfmap_match *m)
{
	const struct etfmap_row *r;
	struct etfmap_match c;
	size_t i;
	int found = 0;

	if (dir != 1 && dir != -1)
		return -1;
	r = find_row(map, sym);
	if (r != NULL && r->kind != ETFMAP_FALLBACK &&
	    side_of(r, dir, r->kind == ETFMAP_INDEX ? ETFMAP_RULE_DIRECT :
	    ETFMAP_RULE_SECTOR, &c) && take(&c, prefer_3x, &found, m))
		return 1;
	for (i = 0; i < map->nrow; i++) {
		r = &map->row[i];
		if (r->kind != ETFMAP_FALLBACK || !is_member(map, i, sym))
			continue;
		if (side_of(r, dir, ETFMAP_RULE_INDEX, &c) &&
		    take(&c, prefer_3x, &found, m))
			return 1;
	}
	return found;
}

const char *
etfmap_rule_name(enum etfmap_rule rule)
{
	switch (rule) {
	case ETFMAP_RULE_DIRECT:
		return "direct";
	case ETFMAP_RULE_SECTOR:
		return "sector";
	case ETFMAP_RULE_INDEX:
		break;
	}
	return "index";
}

void
etf_limits_init(struct etf_limits *lim)
{
	lim->min_dollar_volume = ETF_MIN_DOLLAR_VOLUME;
	lim->max_spread_pct = ETF_MAX_SPREAD_PCT;
}

int
etf_liquid(double adv, double spread_pct, const struct etf_limits *lim,
    const char **why)
{
	struct etf_limits def;
	const char *reason = NULL;

	if (lim == NULL) {
		etf_limits_init(&def);
		lim = &def;
	}
	/*
	 * Written so that NaN fails every test.  A spread computed from a
	 * quote at the limit is a few 1e-13 over it (100.025 - 99.975): the
	 * limit has a relative slack of 1e-9.
	 */
	if (!(adv >= lim->min_dollar_volume))
		reason = "average dollar volume below the minimum";
	else if (!(spread_pct >= 0))
		reason = "spread is not a number >= 0";
	else if (!(spread_pct <= lim->max_spread_pct * (1 + 1e-9)))
		reason = "spread wider than the maximum";
	if (why != NULL)
		*why = reason;
	return reason == NULL;
}

double
etf_spread_pct(double bid, double ask)
{
	if (!isfinite(bid) || !isfinite(ask) || !(bid > 0) || !(ask >= bid))
		return NAN;
	return 100 * (ask - bid) / ((bid + ask) / 2);
}

/* 1 if x is a finite number > 0. */
static int
positive(double x)
{
	return isfinite(x) && x > 0;
}

double
etf_size(double equity, double risk_pct, double price, double stop_pct,
    double step, const char **why)
{
	const char *reason = NULL;
	double raw, n = 0;

	if (!positive(equity))
		reason = "equity is not a positive number";
	else if (!positive(risk_pct))
		reason = "risk_pct is not a positive number";
	else if (!positive(price))
		reason = "price is not a positive number";
	else if (!positive(stop_pct))
		reason = "stop_pct is not a positive number";
	else if (!isfinite(step) || step < 0)
		reason = "step is not a number >= 0";
	if (reason == NULL) {
		if (step == 0)
			step = 1;
		raw = equity * risk_pct / (price * stop_pct);
		/* As gate.c: a hair under a whole step is that step. */
		n = floor(raw / step + 1e-9);
		if (!isfinite(raw))
			reason = "stop_pct is too small to size";
		else if (n < 1)
			reason = step >= 1 ? "even one share risks more than "
			    "the budget" : "even one qty step risks more than "
			    "the budget";
	}
	if (why != NULL)
		*why = reason;
	if (reason != NULL)
		return 0;
	return round(n * step * 1e9) / 1e9;
}
