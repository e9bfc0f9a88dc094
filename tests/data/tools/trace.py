#!/usr/bin/env python3
"""Per-bar trace of the ema-cloud indicators, written literally from
shared/strategies/ema-cloud-reference.md sections 3 and 4 in Python
(binary64 floats, math.fsum), as an independent check of lib/ind.c.

usage: trace.py ZONE [--rth] < bars.csv > trace.csv

Columns: idx,ts,ema5,ema12,cloud5_12,flip5_12,n_10m,ema34_10m,ema50_10m,
vol_sum20,volok.  Floats are repr() (shortest round trip); an empty cell
is undefined.  --rth drops bars outside 09:30-15:59 local first (2.2).
"""
import csv
import math
import sys
from fractions import Fraction
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


def main():
    zone = ZoneInfo(sys.argv[1])
    rth = "--rth" in sys.argv[2:]
    rows = list(csv.reader(sys.stdin))[1:]
    f, l, m34, m50 = EMA(5), EMA(12), EMA(34), EMA(50)
    regime, vols = 0, []
    bucket, bclose, nclosed = None, None, 0
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["idx", "ts", "ema5", "ema12", "cloud5_12", "flip5_12",
                  "n_10m", "ema34_10m", "ema50_10m", "vol_sum20", "volok"])
    i = 0
    for r in rows:
        t = datetime.strptime(r[0], "%Y-%m-%dT%H:%M:%SZ")
        loc = t.replace(tzinfo=timezone.utc).astimezone(zone)
        minute = loc.hour * 60 + loc.minute
        if rth and not 570 <= minute < 960:
            continue
        close, vol = float(r[4]), float(r[5])
        # 4.2: a bar of another bucket closes the open one first.
        key = (loc.date(), minute // 10)
        if bucket is not None and key != bucket:
            m34.push(bclose)
            m50.push(bclose)
            nclosed += 1
            bucket = None
        bucket, bclose = key, close
        if minute % 10 == 9:
            m34.push(bclose)
            m50.push(bclose)
            nclosed += 1
            bucket = None
        ef, el = f.push(close), l.push(close)
        cloud = flip = ""
        if ef is not None and el is not None:
            nr = 1 if ef > el else -1 if ef < el else regime
            flip = 1 if (regime, nr) == (-1, 1) else \
                -1 if (regime, nr) == (1, -1) else 0
            regime = cloud = nr
        vsum = volok = ""
        if len(vols) >= 20:
            # exact: fsum of whole numbers is exact, else rounded once
            vsum = repr(math.fsum(vols[-20:]))
            volok = int(40 * Fraction(vol) >
                        3 * sum(Fraction(v) for v in vols[-20:]))
        vols.append(vol)
        ok = nclosed > 0
        out.writerow([i, r[0],
                      "" if ef is None else repr(ef),
                      "" if el is None else repr(el), cloud, flip, nclosed,
                      repr(m34.e) if ok and m34.e is not None else "",
                      repr(m50.e) if ok and m50.e is not None else "",
                      vsum, volok])
        i += 1


main()
