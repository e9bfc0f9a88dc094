#!/usr/bin/env bats
# Instrument modes in backtest: the same signals traded as the
# underlying, as options and as leveraged ETFs, with prices modelled
# where the data has none (the price-model stage), and --compare's
# table of the three on the shared SPY week.

bats_require_minimum_version 1.5.0

load helpers

setup() {
	sk_setup
	odte="$top/etc/profiles/ema-cloud-0dte.conf"
}

@test "--compare: one table of the three modes on the SPY week, each from its own journal" {
	run -0 backtest -c "$conf" -p "$odte" -s SPY -j "$t/cmp" --compare "$spy"
	[ "${lines[0]}" = "profile ema-cloud-0dte on $spy" ]
	[[ "${lines[1]}" == "mode "*"trades"*"net P&L"*"win %"*"avg hold"*"max drawdown" ]]
	[[ "${lines[2]}" == "underlying       7 "* ]]
	[[ "${lines[3]}" == "options "* ]]
	[[ "${lines[4]}" == "etf              7 "* ]]
	[[ "${lines[5]}" == *"modelled"* ]]
	# Each row is what its journal holds.
	for m in underlying options etf; do
		n=$(sql "$t/cmp-$m" "SELECT COUNT(*) FROM trades")
		row=$(printf '%s\n' "${lines[@]}" | awk -v m="$m" '$1 == m && $2 ~ /^[0-9]+$/ { print $2 }')
		[ "$n" = "$row" ]
		[ "$n" -gt 0 ]
	done
	# Options traded OCC contracts, ETFs the S&P 500 3x funds.
	run -0 sql "$t/cmp-options" "SELECT DISTINCT substr(symbol, 1, 10) FROM positions"
	for l in "${lines[@]}"; do [[ "$l" == SPY11010[3-7][CP] ]]; done
	run -0 sql "$t/cmp-etf" "SELECT DISTINCT symbol FROM positions ORDER BY symbol"
	[[ "$output" =~ ^(SPXL|SPXS)(.(SPXL|SPXS))?$ ]]
	# A contract's P&L is 100 shares a contract.
	run -0 sql "$t/cmp-options" "SELECT COUNT(*) FROM positions WHERE abs(pnl - (exit_price - entry_price) * qty * 100) > 1e-6"
	[ "$output" = 0 ]
}

@test "--mode options: every price the data lacks is modelled, and says so" {
	run -0 backtest -c "$conf" -p "$odte" -s SPY -j "$jr" --mode options --records "$spy"
	printf '%s\n' "${lines[@]}" >"$t/out.ndjson"
	run -0 jq -s '[.[] | select(.type == "option")] | (length > 0) and all(.source == "model")' "$t/out.ndjson"
	[ "$output" = true ]
	# Greeks, computed, but at the expiry itself (no time left).
	run -0 jq -s '[.[] | select(.type == "option" and .greeks != "computed") | .ts[11:16]] | unique' "$t/out.ndjson"
	[ "$output" = '[
  "21:00"
]' ]
	run -0 jq -s '[.[] | select(.type == "bar" and (.symbol | length) > 10)] | (length > 0) and all(.ind.modelled == 1)' "$t/out.ndjson"
	[ "$output" = true ]
	# The underlying's bars are not touched.
	run -0 jq -s '[.[] | select(.type == "bar" and .symbol == "SPY")] | length' "$t/out.ndjson"
	[ "$output" = 1950 ]
}

@test "--mode underlying is the plain backtest; a bad mode exits 2" {
	run -0 backtest -c "$conf" -p ema-cloud -s SPY -j "$jr" --mode underlying --trades "$spy"
	printf '%s\n' "${lines[@]}" >"$t/trades.csv"
	cmp "$t/trades.csv" "$top/tests/data/strategy/spy_1m_2011-01-03_2011-01-07_rth_ninjatrader.trades.csv"
	run -2 backtest -c "$conf" -j "$t/j2.db" --mode calls "$spy"
	run -2 backtest -c "$conf" -j "$t/j3.db" --compare --trades "$spy"
}

@test "ema-cloud-etf: SPY signals trade SPXL and SPXS, 3 % of equity at risk to a 2 % stop" {
	run -0 backtest -c "$conf" -p "$top/etc/profiles/ema-cloud-etf.conf" -s SPY -j "$jr" -q "$spy"
	run -0 sql "$jr" "SELECT COUNT(*), COUNT(DISTINCT symbol) FROM positions WHERE symbol IN ('SPXL', 'SPXS')"
	[ "$output" = "7|2" ]
	run -0 sql "$jr" "SELECT COUNT(*) FROM positions WHERE symbol NOT IN ('SPXL', 'SPXS')"
	[ "$output" = 0 ]
	# The first entry, on the starting 100000: floor(3000 / (price x 2 %)).
	run -0 sql "$jr" "SELECT p.qty = CAST(3000 / (s.price * 0.02) AS INTEGER) FROM positions p JOIN signals s ON s.id = p.signal_id ORDER BY p.entry_ts LIMIT 1"
	[ "$output" = 1 ]
}
