/*
 * talib_gen.c: the TA-Lib reference columns for a bars CSV
 * (ts,open,high,low,close,volume) on stdin, as oracle/<set>.talib.csv.
 * Not part of the build.  Build against the TA-Lib 0.6.0 C sources, e.g.
 * those bundled in the npm package talib@2.0.5 (src/lib):
 *   cc -O2 -ffp-contract=off -Iinclude -Isrc/ta_common -Isrc/ta_func \
 *       talib_gen.c src/ta_common/*.c src/ta_func/*.c -lm
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ta_libc.h"

#define MAXN	10000
#define NOUT	14

static double o[MAXN], h[MAXN], l[MAXN], c[MAXN], v[MAXN];
static char ts[MAXN][32];
static double out[NOUT][MAXN];
static int beg[NOUT], nout[NOUT];

static void
put(int k, int i)
{
	int j = i - beg[k];

	if (j < 0 || j >= nout[k])
		fputs(",", stdout);
	else
		printf(",%.17g", out[k][j]);
}

int
main(void)
{
	static const int per[6] = { 5, 8, 9, 12, 34, 50 };
	double *col[5] = { o, h, l, c, v };
	char line[512], *p, *q;
	int n = 0, i, k;

	if (fgets(line, sizeof(line), stdin) == NULL)
		return 1;
	while (n < MAXN && fgets(line, sizeof(line), stdin) != NULL) {
		p = strchr(line, ',');
		if (p == NULL)
			return 1;
		*p++ = '\0';
		snprintf(ts[n], sizeof(ts[n]), "%.31s", line);
		for (k = 0; k < 5; k++) {
			col[k][n] = strtod(p, &q);
			p = q + 1;
		}
		n++;
	}
	TA_Initialize();
	for (k = 0; k < 6; k++)
		TA_EMA(0, n - 1, c, per[k], &beg[k], &nout[k], out[k]);
	TA_SMA(0, n - 1, c, 20, &beg[6], &nout[6], out[6]);
	TA_TRANGE(0, n - 1, h, l, c, &beg[7], &nout[7], out[7]);
	TA_ATR(0, n - 1, h, l, c, 14, &beg[8], &nout[8], out[8]);
	TA_RSI(0, n - 1, c, 14, &beg[9], &nout[9], out[9]);
	TA_BBANDS(0, n - 1, c, 20, 2, 2, TA_MAType_SMA, &beg[10], &nout[10],
	    out[10], out[11], out[12]);
	beg[11] = beg[12] = beg[10];
	nout[11] = nout[12] = nout[10];
	TA_SMA(0, n - 1, v, 20, &beg[13], &nout[13], out[13]);
	puts("idx,ts,close,ema5,ema8,ema9,ema12,ema34,ema50,sma20,trange,"
	    "atr14,rsi14,bb_upper,bb_middle,bb_lower,vol_sma20");
	for (i = 0; i < n; i++) {
		printf("%d,%s,%.17g", i, ts[i], c[i]);
		for (k = 0; k < NOUT; k++)
			put(k, i);
		putchar('\n');
	}
	return 0;
}
