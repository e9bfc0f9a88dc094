# helpers.bash: set-up and record builders shared by the tests of the
# trading stages (watch-exits, rank-signals, gate-risk, place-order,
# reconcile-settlement, backtest, journal, scalp-cycle).  Load it with
# "load helpers" from those files only.
#
# Times: every crafted record is in January 2011, when New York is
# UTC-5, so 09:35 New York is 14:35Z, 15:30 is 20:30Z, 15:55 is 20:55Z.

sk_setup() {
	PATH="${SK_BIN:-$BATS_TEST_DIRNAME/../../bin}:$BATS_TEST_DIRNAME/../../cron:$PATH"
	top="$BATS_TEST_DIRNAME/../.."
	t="$BATS_TEST_TMPDIR"
	# No user or system config and no default journal leak in.
	unset SCALPKIT_JOURNAL SCALPKIT_CONF
	export SCALPKIT_SHARE="$top/share"
	export XDG_STATE_HOME="$t/state"
	export XDG_CONFIG_HOME="$t/config"
	conf="$top/etc/scalpkit.conf"
	cfg=(-c "$conf" -p ema-cloud)
	jr="$t/journal.db"
	spy="$top/share/replay/spy_1m_2011-01-03_2011-01-07.csv.gz"
	strat="$top/tests/data/strategy"
	spy_trades="$strat/spy_1m_2011-01-03_2011-01-07_rth_ninjatrader.trades.csv"
	note='{"type":"note","z":{"k":[1,2]},"a":"keep"}'
}

# bar TS O H L C V [IND]: a 1-minute SPY bar, with "ind":{IND} if given.
bar() {
	local ind=""

	[ $# -lt 7 ] || ind=",\"ind\":{$7}"
	printf '{"type":"bar","symbol":"SPY","tf":"1m","ts":"%s","o":%s,"h":%s,"l":%s,"c":%s,"v":%s%s}\n' \
	    "$1" "$2" "$3" "$4" "$5" "$6" "$ind"
}

# plus1m TS: TS one minute later (RFC 3339 UTC).
plus1m() {
	date -u -d "$1 + 1 minute" +%Y-%m-%dT%H:%M:%SZ
}

# compact TS: the signal id's form of a ts, 20110104T150000Z.
compact() {
	local s="${1//-/}"

	printf '%s\n' "${s//:/}"
}

# signal BAR_TS [SIDE [PRICE [STRATEGY]]]: the signal rank-signals makes
# on the bar starting at BAR_TS (decided at its close, one minute on).
signal() {
	local side="${2:-long}" px="${3:-127.1}" st="${4:-ema-cloud}"

	printf '{"type":"signal","ts":"%s","symbol":"SPY","id":"%s/SPY/%s/%s","strategy":"%s","side":"%s","tier":"A","score":50,"price":%s,"bar_ts":"%s","reasons":["test"]}\n' \
	    "$(plus1m "$1")" "$st" "$(compact "$1")" "$side" "$st" "$side" \
	    "$px" "$1"
}

# sql DB QUERY: one sqlite3 query, its rows "|"-separated.
sql() {
	sqlite3 "$1" "$2"
}
