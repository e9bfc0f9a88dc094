#!/usr/bin/env python3
"""Generate the synthetic multi-symbol perpetuals replay that the turbo
profile is backtested on: 1-minute bars, quotes every 10 s and funding
records for three USDT perpetuals, as scalpkit NDJSON, in time order.

usage: gen_perps.py [MINUTES] > perps.ndjson
       (the shipped file: gen_perps.py | gzip -9n >
        share/replay/perps3_1m_2024-03-01_generated.ndjson.gz)

Nothing here is market data.  The model, per symbol:
  * the log mid price is an AR(1) (a sampled Ornstein-Uhlenbeck process)
    around a slowly wandering mean: x' = mu + B*(x - mu) + S*N(0,1) per
    minute, B = 0.7 (a half-life of about 2 minutes), mu a random walk
    with a tenth of S per minute;
  * inside a minute the mid follows a Brownian bridge through six points
    (5, 15, ..., 55 s); a quote is written at each, with a spread of one
    basis point rounded out to the tick and sizes drawn from 5..15 lots;
  * the bar of the minute is written after its quotes: open the last
    minute's close, close the 55 s mid, high and low the extremes of the
    path widened by up to half a spread, volume drawn from 50..150 lots;
  * funding: one record per symbol at the start (next funding 08:00Z),
    and a revised prediction every two hours, the rates fixed below.
The random numbers come from a 64-bit xorshift with a fixed seed and
Box-Muller, so the output is the same byte for byte on every machine.
"""
import math
import sys

START = 1709251200  # 2024-03-01T00:00:00Z
SYMS = [
    # symbol, start price, tick, sigma per minute, lot, funding rates
    ("BTCUSDT", 62000.0, 0.1, 0.0016, 0.01, [0.0003, 0.00025, 0.0002,
                                             0.0003]),
    ("ETHUSDT", 3400.0, 0.01, 0.0018, 0.1, [-0.00025, -0.0002, -0.0003,
                                            -0.00015]),
    ("SOLUSDT", 130.0, 0.001, 0.0022, 1.0, [0.00005, -0.00012, 0.00015,
                                            0.00002]),
]
B = 0.7


class Rng:
    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFFFFFFFFFF

    def u(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFFFFFFFFFF
        s ^= s >> 7
        s ^= (s << 17) & 0xFFFFFFFFFFFFFFFF
        self.s = s
        return ((s >> 11) + 0.5) / float(1 << 53)

    def n(self):
        return math.sqrt(-2 * math.log(self.u())) * math.cos(
            2 * math.pi * self.u())


def ts(sec):
    m, s = divmod(sec, 60)
    h, m = divmod(m, 60)
    d, h = divmod(h, 24)
    return "2024-03-%02dT%02d:%02d:%02dZ" % (1 + d, h, m, s)


def fmt(x, tick):
    dec = max(0, -int(math.floor(math.log10(tick) + 1e-9)))
    return "%.*f" % (dec, round(x / tick) * tick)


def main():
    minutes = int(sys.argv[1]) if len(sys.argv) > 1 else 480
    rng = Rng(0x5CA1B0DE2024)
    st = []
    for sym, p0, tick, sig, lot, rates in SYMS:
        st.append({"sym": sym, "x": math.log(p0), "mu": math.log(p0),
                   "tick": tick, "sig": sig, "lot": lot, "rates": rates})
    out = []
    for m in range(minutes):
        t0 = 60 * m     # seconds since START
        if m % 120 == 0:
            for s in st:
                out.append('{"type":"funding","ts":"%s","symbol":"%s",'
                           '"rate":%s,"next_ts":"%s"}' % (
                               ts(t0), s["sym"],
                               repr(s["rates"][m // 120 % 4]),
                               ts(8 * 3600)))
        for s in st:
            x0 = s["x"]
            s["mu"] += 0.1 * s["sig"] * rng.n()
            x1 = s["mu"] + B * (x0 - s["mu"]) + s["sig"] * rng.n()
            # Brownian bridge from x0 (0 s) to x1 (55 s) at 5..55 s.
            pts, x, left = [], x0, 55.0
            for j in range(6):
                tj = 5.0 + 10 * j
                dt = tj - (55.0 - left)
                if j == 5:
                    x = x1
                else:
                    mean = x + (x1 - x) * dt / left
                    var = s["sig"] ** 2 / 60.0 * dt * (left - dt) / left
                    x = mean + math.sqrt(var) * rng.n()
                left -= dt
                pts.append(x)
            mids = [math.exp(v) for v in pts]
            s["x"] = x1
            s["q"] = mids
            s["o"] = math.exp(x0)
        for j in range(6):
            for s in st:
                mid, tick = s["q"][j], s["tick"]
                half = max(tick, mid * 0.00005)
                bid = math.floor((mid - half) / tick) * tick
                ask = math.ceil((mid + half) / tick) * tick
                out.append('{"type":"quote","ts":"%s","symbol":"%s",'
                           '"bid":%s,"ask":%s,"bid_sz":%s,"ask_sz":%s}' % (
                               ts(t0 + 5 + 10 * j), s["sym"],
                               fmt(bid, tick), fmt(ask, tick),
                               fmt(s["lot"] * (5 + int(11 * rng.u())),
                                   s["lot"]),
                               fmt(s["lot"] * (5 + int(11 * rng.u())),
                                   s["lot"])))
        for s in st:
            tick, path = s["tick"], [s["o"]] + s["q"]
            wid = s["q"][-1] * 0.00005
            h = max(path) + wid * rng.u()
            lo = min(path) - wid * rng.u()
            o, c = fmt(s["o"], tick), fmt(s["q"][-1], tick)
            hs = fmt(max(h, float(o), float(c)), tick)
            ls = fmt(min(lo, float(o), float(c)), tick)
            if float(hs) < max(float(o), float(c)):
                hs = fmt(max(float(o), float(c)), tick)
            if float(ls) > min(float(o), float(c)):
                ls = fmt(min(float(o), float(c)), tick)
            out.append('{"type":"bar","symbol":"%s","tf":"1m","ts":"%s",'
                       '"o":%s,"h":%s,"l":%s,"c":%s,"v":%s}' % (
                           s["sym"], ts(t0), o, hs, ls, c,
                           fmt(s["lot"] * (50 + int(101 * rng.u())),
                               s["lot"])))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
