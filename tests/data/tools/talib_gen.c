/* gen: TA-Lib reference values for a bars CSV (ts,open,high,low,close,volume) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ta_libc.h"
#define MAXN 10000
static double o[MAXN], h[MAXN], l[MAXN], c[MAXN], v[MAXN];
static char ts[MAXN][32];
static double out[20][MAXN];
static int beg[20];
static void put(int k, int i) {
	int j = i - beg[k];
	if (beg[k] < 0 || j < 0) { printf(","); return; }
	printf(",%.17g", out[k][j]);
}
int main(void) {
	char line[512]; int n = 0, b, ne;
	fgets(line, sizeof line, stdin);
	while (fgets(line, sizeof line, stdin)) {
		char *p = strtok(line, ",");
		snprintf(ts[n], 32, "%s", p);
		o[n] = strtod(strtok(NULL, ","), NULL);
		h[n] = strtod(strtok(NULL, ","), NULL);
		l[n] = strtod(strtok(NULL, ","), NULL);
		c[n] = strtod(strtok(NULL, ","), NULL);
		v[n] = strtod(strtok(NULL, ",\n"), NULL);
		n++;
	}
	TA_Initialize();
	int per[6] = {5, 8, 9, 12, 34, 50};
	for (int k = 0; k < 6; k++) { TA_EMA(0, n-1, c, per[k], &b, &ne, out[k]); beg[k] = b; }
	TA_SMA(0, n-1, c, 20, &b, &ne, out[6]); beg[6] = b;
	TA_TRANGE(0, n-1, h, l, c, &b, &ne, out[7]); beg[7] = b;
	TA_ATR(0, n-1, h, l, c, 14, &b, &ne, out[8]); beg[8] = b;
	TA_RSI(0, n-1, c, 14, &b, &ne, out[9]); beg[9] = b;
	TA_BBANDS(0, n-1, c, 20, 2, 2, TA_MAType_SMA, &b, &ne, out[10], out[11], out[12]); beg[10]=beg[11]=beg[12]=b;
	TA_SMA(0, n-1, v, 20, &b, &ne, out[13]); beg[13] = b;
	printf("idx,ts,close,ema5,ema8,ema9,ema12,ema34,ema50,sma20,trange,atr14,rsi14,bb_upper,bb_middle,bb_lower,vol_sma20\n");
	for (int i = 0; i < n; i++) {
		printf("%d,%s,%.17g", i, ts[i], c[i]);
		for (int k = 0; k < 14; k++) put(k, i);
		printf("\n");
	}
	return 0;
}
