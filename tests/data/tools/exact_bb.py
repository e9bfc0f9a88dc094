#!/usr/bin/env python3
"""Exact SMA(20) and Bollinger bands (20, 2) of the close, for a bars CSV:
every sum is a Fraction of the binary64 inputs, sigma is the population
standard deviation, and each output is rounded to binary64 once.

sigma is rounded to binary64 and the bands are mean +- 2*sigma computed
exactly from it, then rounded: the convention of the shared exact oracle,
whose SPY 1m bands and sma20 this script reproduces bit for bit.

usage: exact_bb.py < bars.csv > bb.csv
Columns: idx,ts,close,sma20,bb_upper,bb_middle,bb_lower; empty = undefined.
"""
import csv
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 80
N, K = 20, 2


def fsqrt(q):
    """sqrt of a Fraction to 80 digits, as a Fraction."""
    d = (Decimal(q.numerator) / Decimal(q.denominator)).sqrt()
    return Fraction(d)


def main():
    rows = list(csv.reader(sys.stdin))[1:]
    xs = []
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["idx", "ts", "close", "sma20", "bb_upper", "bb_middle",
                  "bb_lower"])
    for i, r in enumerate(rows):
        x = float(r[4])
        xs.append(Fraction(x))
        if len(xs) < N:
            out.writerow([i, r[0], repr(x), "", "", "", ""])
            continue
        w = xs[-N:]
        mean = sum(w) / N
        var = sum((v - mean) ** 2 for v in w) / N
        sd = Fraction(float(fsqrt(var)))
        up, lo = mean + K * sd, mean - K * sd
        m = repr(float(mean))
        out.writerow([i, r[0], repr(x), m, repr(float(up)), m,
                      repr(float(lo))])


main()
