/*
 * test_etfmap.c: lib/etfmap.c over the shipped etc/etf-map.csv and
 * etc/index-members.csv (every pair and leverage), the lookup rules and
 * prefer_3x, the errors of bad files, the liquidity check and the sizer.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "etfmap.h"

#ifndef SK_SRCDIR
#define SK_SRCDIR "."
#endif
#define MAPFILE		SK_SRCDIR "/etc/etf-map.csv"
#define MEMFILE		SK_SRCDIR "/etc/index-members.csv"
#define HEADER		"kind,underlying,bull,bull_lev,bear,bear_lev,note\n"

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))

/* Write text to a new temporary file whose name goes into path. */
static void
tmpfile_with(char *path, size_t len, const char *text)
{
	FILE *fp;
	int fd;

	ck_assert_int_lt(snprintf(path, len, "/tmp/sk_etfmap_XXXXXX"),
	    (int)len);
	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	fp = fdopen(fd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

static void
load_shipped(struct etfmap *map)
{
	struct sk_err e;

	ck_assert_msg(etfmap_load(map, MAPFILE, MEMFILE, &e) == 0, "%s",
	    e.msg);
}

/* symbol, direction, prefer_3x: fund, leverage, rule, via. */
static const struct {
	const char	*sym;
	int		 dir, prefer;
	const char	*etf;
	double		 lev;
	enum etfmap_rule rule;
	const char	*via;
} shipped[] = {
	/* indexes */
	{ "SPY", 1, 0, "SPXL", 3, ETFMAP_RULE_DIRECT, "SPY" },
	{ "SPY", -1, 0, "SPXS", -3, ETFMAP_RULE_DIRECT, "SPY" },
	{ "QQQ", 1, 0, "TQQQ", 3, ETFMAP_RULE_DIRECT, "QQQ" },
	{ "QQQ", -1, 0, "SQQQ", -3, ETFMAP_RULE_DIRECT, "QQQ" },
	{ "IWM", 1, 0, "TNA", 3, ETFMAP_RULE_DIRECT, "IWM" },
	{ "IWM", -1, 0, "TZA", -3, ETFMAP_RULE_DIRECT, "IWM" },
	/* sectors */
	{ "NVDA", 1, 0, "SOXL", 3, ETFMAP_RULE_SECTOR, "NVDA" },
	{ "NVDA", -1, 0, "SOXS", -3, ETFMAP_RULE_SECTOR, "NVDA" },
	{ "AMD", 1, 0, "SOXL", 3, ETFMAP_RULE_SECTOR, "AMD" },
	{ "AMD", -1, 0, "SOXS", -3, ETFMAP_RULE_SECTOR, "AMD" },
	{ "SOXX", 1, 0, "SOXL", 3, ETFMAP_RULE_DIRECT, "SOXX" },
	{ "AAPL", 1, 0, "TECL", 3, ETFMAP_RULE_SECTOR, "AAPL" },
	{ "AAPL", -1, 0, "TECS", -3, ETFMAP_RULE_SECTOR, "AAPL" },
	{ "MSFT", 1, 0, "TECL", 3, ETFMAP_RULE_SECTOR, "MSFT" },
	{ "MSFT", -1, 0, "TECS", -3, ETFMAP_RULE_SECTOR, "MSFT" },
	{ "META", 1, 0, "FNGU", 3, ETFMAP_RULE_SECTOR, "META" },
	{ "META", -1, 0, "FNGD", -3, ETFMAP_RULE_SECTOR, "META" },
	{ "AMZN", 1, 0, "FNGU", 3, ETFMAP_RULE_SECTOR, "AMZN" },
	{ "AMZN", -1, 0, "FNGD", -3, ETFMAP_RULE_SECTOR, "AMZN" },
	{ "NFLX", 1, 0, "FNGU", 3, ETFMAP_RULE_SECTOR, "NFLX" },
	{ "NFLX", -1, 0, "FNGD", -3, ETFMAP_RULE_SECTOR, "NFLX" },
	{ "GOOGL", 1, 0, "FNGU", 3, ETFMAP_RULE_SECTOR, "GOOGL" },
	{ "GOOGL", -1, 0, "FNGD", -3, ETFMAP_RULE_SECTOR, "GOOGL" },
	{ "XBI", 1, 0, "LABU", 3, ETFMAP_RULE_DIRECT, "XBI" },
	{ "XBI", -1, 0, "LABD", -3, ETFMAP_RULE_DIRECT, "XBI" },
	{ "MRNA", 1, 0, "LABU", 3, ETFMAP_RULE_SECTOR, "MRNA" },
	{ "XLF", 1, 0, "FAS", 3, ETFMAP_RULE_DIRECT, "XLF" },
	{ "XLF", -1, 0, "FAZ", -3, ETFMAP_RULE_DIRECT, "XLF" },
	{ "JPM", -1, 0, "FAZ", -3, ETFMAP_RULE_SECTOR, "JPM" },
	{ "BRK.B", 1, 0, "FAS", 3, ETFMAP_RULE_SECTOR, "BRK.B" },
	{ "GDX", 1, 0, "NUGT", 2, ETFMAP_RULE_DIRECT, "GDX" },
	{ "GDX", -1, 0, "DUST", -2, ETFMAP_RULE_DIRECT, "GDX" },
	{ "UNG", 1, 0, "BOIL", 2, ETFMAP_RULE_SECTOR, "UNG" },
	{ "UNG", -1, 0, "KOLD", -2, ETFMAP_RULE_SECTOR, "UNG" },
	{ "USO", 1, 0, "UCO", 2, ETFMAP_RULE_SECTOR, "USO" },
	{ "USO", -1, 0, "SCO", -2, ETFMAP_RULE_SECTOR, "USO" },
	{ "VIX", 1, 0, "UVXY", 1.5, ETFMAP_RULE_SECTOR, "VIX" },
	{ "VIX", -1, 0, "SVXY", -0.5, ETFMAP_RULE_SECTOR, "VIX" },
	{ "VIXY", 1, 0, "UVXY", 1.5, ETFMAP_RULE_DIRECT, "VIXY" },
	/* index membership: Nasdaq-100 first, then the S&P 500 */
	{ "COST", 1, 0, "TQQQ", 3, ETFMAP_RULE_INDEX, "nasdaq100" },
	{ "COST", -1, 0, "SQQQ", -3, ETFMAP_RULE_INDEX, "nasdaq100" },
	{ "PLTR", 1, 0, "TQQQ", 3, ETFMAP_RULE_INDEX, "nasdaq100" },
	{ "JNJ", 1, 0, "SPXL", 3, ETFMAP_RULE_INDEX, "sp500" },
	{ "JNJ", -1, 0, "SPXS", -3, ETFMAP_RULE_INDEX, "sp500" },
	{ "XOM", -1, 1, "SPXS", -3, ETFMAP_RULE_INDEX, "sp500" },
	/* prefer_3x: NEM's sector fund is 2x, its index fund 3x */
	{ "NEM", 1, 0, "NUGT", 2, ETFMAP_RULE_SECTOR, "NEM" },
	{ "NEM", 1, 1, "SPXL", 3, ETFMAP_RULE_INDEX, "sp500" },
	{ "NEM", -1, 1, "SPXS", -3, ETFMAP_RULE_INDEX, "sp500" },
	/* ... nothing at 3x: the first candidate still */
	{ "GDX", 1, 1, "NUGT", 2, ETFMAP_RULE_DIRECT, "GDX" },
	{ "VIX", -1, 1, "SVXY", -0.5, ETFMAP_RULE_SECTOR, "VIX" },
	{ "AAPL", 1, 1, "TECL", 3, ETFMAP_RULE_SECTOR, "AAPL" },
	/* any case */
	{ "nvda", 1, 0, "SOXL", 3, ETFMAP_RULE_SECTOR, "NVDA" },
	{ "Cost", 1, 0, "TQQQ", 3, ETFMAP_RULE_INDEX, "nasdaq100" }
};

START_TEST(shipped_pairs)
{
	struct etfmap map;
	struct etfmap_match m;

	load_shipped(&map);
	ck_assert_int_eq(etfmap_find(&map, shipped[_i].sym, shipped[_i].dir,
	    shipped[_i].prefer, &m), 1);
	ck_assert_str_eq(m.etf, shipped[_i].etf);
	ck_assert_double_eq(m.lev, shipped[_i].lev);
	ck_assert_int_eq(m.rule, shipped[_i].rule);
	ck_assert_str_eq(m.via, shipped[_i].via);
	ck_assert_int_gt(m.line, 0);
	etfmap_release(&map);
}
END_TEST

/* Every row is a pair of opposite funds at a leverage one of them has. */
START_TEST(shipped_rows)
{
	struct etfmap map;
	struct etfmap_match m;
	size_t i, nfallback = 0;

	load_shipped(&map);
	ck_assert_uint_ge(map.nrow, 40);
	ck_assert_uint_ge(map.nmem, 60);
	for (i = 0; i < map.nrow; i++) {
		ck_assert_msg(map.row[i].bull[0] != '\0' &&
		    map.row[i].bear[0] != '\0', "line %ld", map.row[i].line);
		ck_assert(map.row[i].bull_lev == 3 ||
		    map.row[i].bull_lev == 2 || map.row[i].bull_lev == 1.5);
		ck_assert(map.row[i].bear_lev == -3 ||
		    map.row[i].bear_lev == -2 || map.row[i].bear_lev == -0.5);
		if (map.row[i].kind == ETFMAP_FALLBACK) {
			nfallback++;
			continue;
		}
		/* each symbol row is found as itself */
		ck_assert_int_eq(etfmap_find(&map, map.row[i].underlying, 1,
		    0, &m), 1);
		ck_assert_str_eq(m.etf, map.row[i].bull);
		ck_assert_int_eq(m.line, map.row[i].line);
	}
	ck_assert_uint_eq(nfallback, 2);
	for (i = 0; i < map.nmem; i++)
		ck_assert_int_eq(map.row[map.mem[i].row].kind,
		    ETFMAP_FALLBACK);
	ck_assert_int_eq(etfmap_find(&map, "ZZZZ", 1, 0, &m), 0);
	ck_assert_int_eq(etfmap_find(&map, "nasdaq100", 1, 0, &m), 0);
	ck_assert_int_eq(etfmap_find(&map, "SPY", 0, 0, &m), -1);
	ck_assert_int_eq(etfmap_find(&map, "SPY", 2, 0, &m), -1);
	etfmap_release(&map);
	ck_assert_ptr_null(map.row);
	ck_assert_uint_eq(map.nrow, 0);
}
END_TEST

/* Without the members file the fallbacks find no one. */
START_TEST(no_members)
{
	struct etfmap map;
	struct etfmap_match m;
	struct sk_err e;

	ck_assert_msg(etfmap_load(&map, MAPFILE, NULL, &e) == 0, "%s",
	    e.msg);
	ck_assert_int_eq(etfmap_find(&map, "COST", 1, 0, &m), 0);
	ck_assert_int_eq(etfmap_find(&map, "NVDA", 1, 0, &m), 1);
	ck_assert_uint_eq(map.nmem, 0);
	etfmap_release(&map);
	etfmap_init(&map);
	ck_assert_int_eq(etfmap_find(&map, "SPY", 1, 0, &m), 0);
	etfmap_release(&map);
}
END_TEST

/* One-sided rows and several groups: which candidate wins. */
static const char small_map[] = HEADER
    "sector,ABC,ABCU,2,,,long only\n"
    "fallback,grp,GRPU,3,GRPD,-3,\n"
    "fallback,grp2,G2U,2,G2D,-1,\n"
    "index,BEAR,,,BRRR,-3,short only, with a comma\n";
static const char small_members[] = "# members\n\nindex,symbol\r\n"
    "grp,ABC\r\ngrp2,ABC\r\ngrp2,XYZ\r\n";

static const struct {
	const char	*sym;
	int		 dir, prefer, found;
	const char	*etf;
	double		 lev;
	enum etfmap_rule rule;
	const char	*via;
} small[] = {
	{ "ABC", 1, 0, 1, "ABCU", 2, ETFMAP_RULE_SECTOR, "ABC" },
	{ "ABC", 1, 1, 1, "GRPU", 3, ETFMAP_RULE_INDEX, "grp" },
	/* no bear fund on ABC's own row: its groups' */
	{ "ABC", -1, 0, 1, "GRPD", -3, ETFMAP_RULE_INDEX, "grp" },
	{ "XYZ", -1, 0, 1, "G2D", -1, ETFMAP_RULE_INDEX, "grp2" },
	{ "XYZ", -1, 1, 1, "G2D", -1, ETFMAP_RULE_INDEX, "grp2" },
	{ "XYZ", 1, 1, 1, "G2U", 2, ETFMAP_RULE_INDEX, "grp2" },
	{ "BEAR", -1, 0, 1, "BRRR", -3, ETFMAP_RULE_DIRECT, "BEAR" },
	{ "BEAR", 1, 0, 0, NULL, 0, 0, NULL },
	{ "BEAR", 1, 1, 0, NULL, 0, 0, NULL }
};

START_TEST(small_lookup)
{
	char mpath[64], gpath[64];
	struct etfmap map;
	struct etfmap_match m;
	struct sk_err e;

	tmpfile_with(mpath, sizeof(mpath), small_map);
	tmpfile_with(gpath, sizeof(gpath), small_members);
	ck_assert_msg(etfmap_load(&map, mpath, gpath, &e) == 0, "%s",
	    e.msg);
	unlink(mpath);
	unlink(gpath);
	ck_assert_str_eq(map.row[3].note, "short only, with a comma");
	ck_assert_int_eq(etfmap_find(&map, small[_i].sym, small[_i].dir,
	    small[_i].prefer, &m), small[_i].found);
	if (small[_i].found) {
		ck_assert_str_eq(m.etf, small[_i].etf);
		ck_assert_double_eq(m.lev, small[_i].lev);
		ck_assert_int_eq(m.rule, small[_i].rule);
		ck_assert_str_eq(m.via, small[_i].via);
	}
	etfmap_release(&map);
}
END_TEST

START_TEST(rule_names)
{
	ck_assert_str_eq(etfmap_rule_name(ETFMAP_RULE_DIRECT), "direct");
	ck_assert_str_eq(etfmap_rule_name(ETFMAP_RULE_SECTOR), "sector");
	ck_assert_str_eq(etfmap_rule_name(ETFMAP_RULE_INDEX), "index");
}
END_TEST

/* Bad maps: text, and the message after the file's name. */
static const struct {
	const char	*text, *msg;
} badmap[] = {
	{ "", ": no rows" },
	{ "# only a comment\n", ": no rows" },
	{ HEADER, ": no rows" },
	{ "kind,symbol,bull,bull_lev,bear,bear_lev,note\n",
	    ":1: expected the header "
	    "kind,underlying,bull,bull_lev,bear,bear_lev,note" },
	{ HEADER "index,SPY,SPXL,3,SPXS,-3\n", ":2: expected 7 fields: "
	    "kind,underlying,bull,bull_lev,bear,bear_lev,note" },
	{ HEADER "etf,SPY,SPXL,3,SPXS,-3,x\n",
	    ":2: kind 'etf' is not index, sector or fallback" },
	{ HEADER "index,spy,SPXL,3,SPXS,-3,x\n",
	    ":2: 'spy' is not a symbol (A-Z, 0-9, ., -)" },
	{ HEADER "sector,,SPXL,3,SPXS,-3,x\n",
	    ":2: '' is not a symbol (A-Z, 0-9, ., -)" },
	{ HEADER "sector,ABCDEFGHIJKLMNOP,SPXL,3,SPXS,-3,x\n",
	    ":2: 'ABCDEFGHIJKLMNOP' is not a symbol (A-Z, 0-9, ., -)" },
	{ HEADER "fallback,SP500,SPXL,3,SPXS,-3,x\n",
	    ":2: 'SP500' is not a group name (a-z, 0-9, _)" },
	{ HEADER "index,SPY,SPXL,3,SPXS,-3,x\n# c\n"
	    "sector,SPY,UPRO,3,SPXU,-3,y\n",
	    ":4: 'SPY' is already on line 2" },
	{ HEADER "index,SPY,,3,SPXS,-3,x\n",
	    ":2: bull and bull_lev go together" },
	{ HEADER "index,SPY,SPXL,3,SPXS,,x\n",
	    ":2: bear and bear_lev go together" },
	{ HEADER "index,SPY,spxl,3,SPXS,-3,x\n",
	    ":2: bull fund 'spxl' is not a symbol" },
	{ HEADER "index,SPY,SPXL,-3,SPXS,-3,x\n",
	    ":2: bull_lev '-3' is not a positive number up to 5" },
	{ HEADER "index,SPY,SPXL,3,SPXS,3,x\n",
	    ":2: bear_lev '3' is not a negative number up to 5" },
	{ HEADER "index,SPY,SPXL,0,SPXS,-3,x\n",
	    ":2: bull_lev '0' is not a positive number up to 5" },
	{ HEADER "index,SPY,SPXL,6,SPXS,-3,x\n",
	    ":2: bull_lev '6' is not a positive number up to 5" },
	{ HEADER "index,SPY,SPXL,3x,SPXS,-3,x\n",
	    ":2: bull_lev '3x' is not a positive number up to 5" },
	{ HEADER "index,SPY,SPXL,3,SPXS,-5.5,x\n",
	    ":2: bear_lev '-5.5' is not a negative number up to 5" },
	{ HEADER "index,SPY,,,,,x\n", ":2: no bull or bear fund" },
	{ HEADER "index,SPY,SPXL,3,SPXS,-3,"
	    "0123456789012345678901234567890123456789012345678901234567890123"
	    "\n", ":2: note longer than 63 bytes" }
};

START_TEST(bad_maps)
{
	char path[64], want[640];
	struct etfmap map;
	struct sk_err e;

	tmpfile_with(path, sizeof(path), badmap[_i].text);
	ck_assert_int_eq(etfmap_load(&map, path, NULL, &e), -1);
	unlink(path);
	ck_assert_int_eq(e.status, SK_DATA);
	snprintf(want, sizeof(want), "%s%s", path, badmap[_i].msg);
	ck_assert_str_eq(e.msg, want);
	ck_assert_ptr_null(map.row);
	ck_assert_uint_eq(map.nrow, 0);
	etfmap_release(&map);
}
END_TEST

/* Bad membership lists, over small_map; "@" stands for the map's name. */
static const struct {
	const char	*text, *msg;
} badmem[] = {
	{ "", ": no rows" },
	{ "index,symbol\n", ": no rows" },
	{ "group,symbol\n", ":1: expected the header index,symbol" },
	{ "index,symbol\ngrp\n", ":2: expected 2 fields: index,symbol" },
	{ "index,symbol\ngrp,ABC,x\n",
	    ":2: expected 2 fields: index,symbol" },
	{ "index,symbol\ndow30,ABC\n",
	    ":2: index 'dow30' has no fallback row in @" },
	{ "index,symbol\nABC,XYZ\n",
	    ":2: index 'ABC' has no fallback row in @" },
	{ "index,symbol\nGRP,XYZ\n",
	    ":2: index 'GRP' has no fallback row in @" },
	{ "index,symbol\ngrp,xyz\n",
	    ":2: 'xyz' is not a symbol (A-Z, 0-9, ., -)" },
	{ "index,symbol\ngrp,XYZ\ngrp2,XYZ\ngrp,XYZ\n",
	    ":4: XYZ is already in grp on line 2" }
};

START_TEST(bad_members)
{
	char mpath[64], gpath[64], want[640], *at;
	struct etfmap map;
	struct sk_err e;

	tmpfile_with(mpath, sizeof(mpath), small_map);
	tmpfile_with(gpath, sizeof(gpath), badmem[_i].text);
	ck_assert_int_eq(etfmap_load(&map, mpath, gpath, &e), -1);
	unlink(mpath);
	unlink(gpath);
	ck_assert_int_eq(e.status, SK_DATA);
	at = strchr(badmem[_i].msg, '@');
	if (at == NULL)
		snprintf(want, sizeof(want), "%s%s", gpath, badmem[_i].msg);
	else
		snprintf(want, sizeof(want), "%s%.*s%s", gpath,
		    (int)(at - badmem[_i].msg), badmem[_i].msg, mpath);
	ck_assert_str_eq(e.msg, want);
	ck_assert_ptr_null(map.row);
	ck_assert_ptr_null(map.mem);
	etfmap_release(&map);
}
END_TEST

START_TEST(missing_files)
{
	struct etfmap map;
	struct sk_err e;

	ck_assert_int_eq(etfmap_load(&map, "/nonexistent/etf-map.csv",
	    MEMFILE, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_str_eq(e.msg,
	    "/nonexistent/etf-map.csv: No such file or directory");
	ck_assert_int_eq(etfmap_load(&map, MAPFILE,
	    "/nonexistent/members.csv", &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_str_eq(e.msg,
	    "/nonexistent/members.csv: No such file or directory");
	ck_assert_ptr_null(map.row);
	etfmap_release(&map);
}
END_TEST

/* Liquidity: adv, spread (% of mid), limits (0: the defaults), result. */
static const struct {
	double		 adv, spread;
	double		 min_dv, max_spread;	/* both 0: NULL limits */
	int		 ok;
	const char	*why;
} liquid[] = {
	{ 10e6, 0.05, 0, 0, 1, NULL },		/* at both limits */
	{ 10e6, 0, 0, 0, 1, NULL },
	{ 2e9, 0.01, 0, 0, 1, NULL },
	{ 9999999.99, 0.01, 0, 0, 0,
	    "average dollar volume below the minimum" },
	{ 50e6, 0.050001, 0, 0, 0, "spread wider than the maximum" },
	{ 50e6, 0.05000000001, 0, 0, 1, NULL },	/* rounding slack */
	{ 50e6, 0.0500001, 0, 0, 0, "spread wider than the maximum" },
	{ 1e6, 1, 0, 0, 0, "average dollar volume below the minimum" },
	{ NAN, 0.01, 0, 0, 0, "average dollar volume below the minimum" },
	{ 50e6, NAN, 0, 0, 0, "spread is not a number >= 0" },
	{ 50e6, -0.01, 0, 0, 0, "spread is not a number >= 0" },
	{ 1e6, 0.2, 1e6, 0.2, 1, NULL },	/* custom limits */
	{ 999999, 0.1, 1e6, 0.2, 0,
	    "average dollar volume below the minimum" },
	{ 1e6, 0.21, 1e6, 0.2, 0, "spread wider than the maximum" }
};

START_TEST(liquidity)
{
	struct etf_limits lim = { liquid[_i].min_dv, liquid[_i].max_spread };
	const struct etf_limits *lp = lim.min_dollar_volume == 0 &&
	    lim.max_spread_pct == 0 ? NULL : &lim;
	const char *why = "unset";

	ck_assert_int_eq(etf_liquid(liquid[_i].adv, liquid[_i].spread, lp,
	    &why), liquid[_i].ok);
	if (liquid[_i].why == NULL)
		ck_assert_ptr_null(why);
	else
		ck_assert_str_eq(why, liquid[_i].why);
	ck_assert_int_eq(etf_liquid(liquid[_i].adv, liquid[_i].spread, lp,
	    NULL), liquid[_i].ok);
}
END_TEST

START_TEST(limits_and_spread)
{
	struct etf_limits lim;

	etf_limits_init(&lim);
	ck_assert_double_eq(lim.min_dollar_volume, 10e6);
	ck_assert_double_eq(lim.max_spread_pct, 0.05);
	ck_assert_double_eq_tol(etf_spread_pct(99.975, 100.025), 0.05,
	    1e-9);
	ck_assert_double_eq_tol(etf_spread_pct(9.99, 10.01), 0.2, 1e-9);
	ck_assert_double_eq(etf_spread_pct(50, 50), 0);
	ck_assert(isnan(etf_spread_pct(0, 1)));
	ck_assert(isnan(etf_spread_pct(-1, 1)));
	ck_assert(isnan(etf_spread_pct(10.01, 10)));
	ck_assert(isnan(etf_spread_pct(NAN, 10)));
	ck_assert(isnan(etf_spread_pct(10, INFINITY)));
	/* a quote at the 0.05 % limit, computed, still passes */
	ck_assert_int_eq(etf_liquid(10e6, etf_spread_pct(99.975, 100.025),
	    NULL, NULL), 1);
}
END_TEST

/* equity, risk_pct, price, stop_pct, step: shares, or 0 and why. */
static const struct {
	double		 equity, risk, price, stop, step, qty;
	const char	*why;
} sizes[] = {
	/* $100 at risk, $1 a share: exactly 100 */
	{ 10000, 1, 50, 2, 0, 100, NULL },
	{ 10000, 1, 50, 2, 1, 100, NULL },
	{ 10000, 1, 50, 2, 0.001, 100, NULL },
	/* 98.039...: floored */
	{ 10000, 1, 51, 2, 0, 98, NULL },
	{ 10000, 1, 51, 2, 0.001, 98.039, NULL },
	{ 10000, 1, 51, 2, 0.5, 98, NULL },
	/* 700 / 0.7 is 999.9999999999999 in binary: still 1000 */
	{ 7000, 0.1, 7, 0.1, 0, 1000, NULL },
	/* exactly one share's risk fits */
	{ 10000, 0.5, 1000, 5, 0, 1, NULL },
	/* 0.98 of a share: none whole, some fractional */
	{ 10000, 0.5, 1000, 5.1, 0, 0,
	    "even one share risks more than the budget" },
	{ 10000, 0.5, 1000, 5.1, 1, 0,
	    "even one share risks more than the budget" },
	{ 10000, 0.5, 1000, 5.1, 0.01, 0.98, NULL },
	{ 10000, 0.5, 1000, 5.1, 0.5, 0.5, NULL },
	{ 1000, 0.1, 100, 10, 0.3, 0,
	    "even one qty step risks more than the budget" },
	/* bad inputs */
	{ 0, 1, 50, 2, 0, 0, "equity is not a positive number" },
	{ -5, 1, 50, 2, 0, 0, "equity is not a positive number" },
	{ INFINITY, 1, 50, 2, 0, 0, "equity is not a positive number" },
	{ 10000, 0, 50, 2, 0, 0, "risk_pct is not a positive number" },
	{ 10000, 1, NAN, 2, 0, 0, "price is not a positive number" },
	{ 10000, 1, 50, 0, 0, 0, "stop_pct is not a positive number" },
	{ 10000, 1, 50, 2, -1, 0, "step is not a number >= 0" },
	{ 10000, 1, 50, 2, NAN, 0, "step is not a number >= 0" },
	{ 10000, 1, 1e-160, 1e-160, 0, 0, "stop_pct is too small to size" }
};

START_TEST(sizer)
{
	const char *why = "unset";
	double q = etf_size(sizes[_i].equity, sizes[_i].risk,
	    sizes[_i].price, sizes[_i].stop, sizes[_i].step, &why);

	ck_assert_double_eq_tol(q, sizes[_i].qty, 1e-12);
	if (sizes[_i].why == NULL)
		ck_assert_ptr_null(why);
	else
		ck_assert_str_eq(why, sizes[_i].why);
	ck_assert_double_eq_tol(etf_size(sizes[_i].equity, sizes[_i].risk,
	    sizes[_i].price, sizes[_i].stop, sizes[_i].step, NULL),
	    sizes[_i].qty, 1e-12);
	/* never more at risk than the budget */
	if (q > 0)
		ck_assert(q * sizes[_i].price * sizes[_i].stop <=
		    sizes[_i].equity * sizes[_i].risk * (1 + 1e-9));
}
END_TEST

static Suite *
etfmap_suite(void)
{
	Suite *s = suite_create("etfmap");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, shipped_pairs, 0, N(shipped));
	tcase_add_test(tc, shipped_rows);
	tcase_add_test(tc, no_members);
	tcase_add_loop_test(tc, small_lookup, 0, N(small));
	tcase_add_test(tc, rule_names);
	tcase_add_loop_test(tc, bad_maps, 0, N(badmap));
	tcase_add_loop_test(tc, bad_members, 0, N(badmem));
	tcase_add_test(tc, missing_files);
	tcase_add_loop_test(tc, liquidity, 0, N(liquid));
	tcase_add_test(tc, limits_and_spread);
	tcase_add_loop_test(tc, sizer, 0, N(sizes));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(etfmap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
