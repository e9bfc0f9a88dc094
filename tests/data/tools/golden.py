#!/usr/bin/env python3
"""Expected calc-indicators output for bars in CSV, computed here in
Python (binary64, math.fsum) from ema-cloud-reference.md 3-4, not by
the program: NDJSON bars as fetch-quotes writes them (--bars) or the
same bars enriched with the default indicator set (--expected), keys
in the program's order, numbers as the program prints them (shortest
round trip; whole numbers without a fraction).

usage: golden.py --bars|--expected SYMBOL ZONE N < bars.csv
"""
import csv
import math
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo


class EMA:
    def __init__(self, n):
        self.n, self.a = n, 2.0 / (n + 1.0)
        self.b = 1.0 - self.a
        self.xs, self.e = [], None

    def push(self, x):
        if self.e is None:
            self.xs.append(x)
            if len(self.xs) == self.n:
                self.e = math.fsum(self.xs) / self.n
        else:
            self.e = (self.e * self.b) + (x * self.a)
        return self.e


def num(v):
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return repr(float(v))


def main():
    mode, symbol, zone, n = sys.argv[1], sys.argv[2], \
        ZoneInfo(sys.argv[3]), int(sys.argv[4])
    rows = list(csv.reader(sys.stdin))[1:n + 1]
    f, l, m34, m50 = EMA(5), EMA(12), EMA(34), EMA(50)
    regime, vols, bucket, bclose, nclosed = 0, [], None, None, 0
    for r in rows:
        bar = ('{"type":"bar","symbol":"%s","tf":"1m","ts":"%s","o":%s,'
               '"h":%s,"l":%s,"c":%s,"v":%s' % (symbol, r[0], num(
                   float(r[1])), num(float(r[2])), num(float(r[3])),
                   num(float(r[4])), num(float(r[5]))))
        if mode == "--bars":
            print(bar + "}")
            continue
        t = datetime.strptime(r[0], "%Y-%m-%dT%H:%M:%SZ")
        loc = t.replace(tzinfo=timezone.utc).astimezone(zone)
        minute = loc.hour * 60 + loc.minute
        close, vol = float(r[4]), float(r[5])
        ind = []
        ef, el = f.push(close), l.push(close)
        if ef is not None:
            ind.append(("ema5", ef))
        if el is not None:
            ind.append(("ema12", el))
        if ef is not None and el is not None:
            nr = 1 if ef > el else -1 if ef < el else regime
            flip = 1 if (regime, nr) == (-1, 1) else \
                -1 if (regime, nr) == (1, -1) else 0
            regime = nr
            ind += [("cloud5_12", nr), ("flip5_12", flip)]
        key = (loc.date(), minute // 10)
        if bucket is not None and key != bucket:
            m34.push(bclose)
            m50.push(bclose)
            nclosed += 1
        bucket, bclose = key, close
        if minute % 10 == 9:
            m34.push(bclose)
            m50.push(bclose)
            nclosed += 1
            bucket = None
        if m34.e is not None:
            ind.append(("ema34_10m", m34.e))
        if m50.e is not None:
            ind.append(("ema50_10m", m50.e))
        ind.append(("n_10m", nclosed))
        if len(vols) >= 20:
            s = math.fsum(vols[-20:])
            ind += [("vol_sum20", s), ("vol_avg20", s / 20)]
        vols.append(vol)
        if len(vols) >= 20:
            ind.append(("vol_sma20", math.fsum(vols[-20:]) / 20))
        print(bar + ',"ind":{' + ",".join('"%s":%s' % (k, num(v))
                                         for k, v in ind) + "}}")


main()
