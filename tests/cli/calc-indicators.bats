#!/usr/bin/env bats
# calc-indicators: bars enriched with the reference values, everything
# else untouched, state across runs in a journal, and the exit table.

bats_require_minimum_version 1.5.0

setup() {
	PATH="${SK_BIN:-$BATS_TEST_DIRNAME/../../bin}:$PATH"
	fx="$BATS_TEST_DIRNAME/fixtures/calc-indicators"
	# The bars and, computed apart from the program, what it must print
	# (tests/data/tools/golden.py from tests/data/bars, SPY 1m).
	bars="$fx/spy-520.ndjson"
	want="$fx/spy-520.expected.ndjson"
	jr="$BATS_TEST_TMPDIR/journal.db"
	# No user or system config and no default journal leak in.
	unset SCALPKIT_JOURNAL
	: >"$BATS_TEST_TMPDIR/scalpkit.conf"
	export SCALPKIT_CONF="$BATS_TEST_TMPDIR/scalpkit.conf"
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	first='{"type":"bar","symbol":"SPY","tf":"1m","ts":"2011-01-03T14:30:00Z","o":126.71,"h":126.74,"l":126.66,"c":126.72,"v":2259046}'
	second='{"type":"bar","symbol":"SPY","tf":"1m","ts":"2011-01-03T14:31:00Z","o":126.72,"h":126.79,"l":126.69,"c":126.79,"v":815728}'
}

@test "default set: every value equals the reference, byte for byte" {
	run calc-indicators "$bars"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 520 ]
	[ "$output" = "$(cat "$want")" ]
}

@test "reference spot check: bar 499 has the 50th 10-minute close" {
	run calc-indicators "$bars"
	[ "$status" -eq 0 ]
	[[ "${lines[499]}" == *'"ts":"2011-01-04T16:19:00Z"'* ]]
	[[ "${lines[499]}" == *'"ema5":126.6762720769233,"ema12":126.66035909542592,"cloud5_12":1,"flip5_12":0,"ema34_10m":127.06312997992772,"ema50_10m":127.2078,"n_10m":50,"vol_sum20":6565081,"vol_avg20":328254.05,"vol_sma20":336042.5}}' ]]
	[[ "${lines[498]}" != *ema50_10m* ]]
}

@test "stdin and - read the same as a file" {
	run calc-indicators <"$bars"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$want")" ]
	run calc-indicators - <"$bars"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$want")" ]
}

@test "-e exits 1 when no bar was enriched, 0 when one was" {
	run calc-indicators -e <<<'{"type":"note","symbol":"SPY","bid":1}'
	[ "$status" -eq 1 ]
	[ "$output" = '{"type":"note","symbol":"SPY","bid":1}' ]
	run calc-indicators -e -i atr14 <<<"$first"
	[ "$status" -eq 1 ]
	[ "$output" = "$first" ]
	run calc-indicators -e <<<"$first"
	[ "$status" -eq 0 ]
}

@test "usage errors exit 2" {
	run calc-indicators -x
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: calc-indicators [-ev]"* ]]
	run calc-indicators -i
	[ "$status" -eq 2 ]
	run calc-indicators -i ema5,bogus <"$bars"
	[ "$status" -eq 2 ]
	[ "$output" = "calc-indicators: -i: unknown indicator 'bogus'" ]
}

@test "a malformed line exits 3 and names the line" {
	run calc-indicators <<<'{"type":'
	[ "$status" -eq 3 ]
	[[ "$output" == "calc-indicators: <stdin>:1: "* ]]
	run --separate-stderr calc-indicators <<<"$first"$'\n''{"type":"bar","symbol":"SPY"}'
	[ "$status" -eq 3 ]
	[[ "$stderr" == "calc-indicators: <stdin>:2: "* ]]
	# what came before the bad line was written, nothing after it
	[ "$output" = "${first%\}}"',"ind":{"n_10m":0}}' ]
	run --separate-stderr calc-indicators "$bars" - <<<'[1]'
	[ "$status" -eq 3 ]
	[ "$stderr" = "calc-indicators: <stdin>:1: not a JSON object" ]
}

@test "a bar not after the one before it exits 3" {
	run --separate-stderr calc-indicators <<<"$second"$'\n'"$first"
	[ "$status" -eq 3 ]
	[ "$stderr" = "calc-indicators: <stdin>:2: bar out of order" ]
	run calc-indicators <<<"$first"$'\n'"$first"
	[ "$status" -eq 3 ]
	# another symbol or time frame is another series
	other="${first/\"SPY\"/\"QQQ\"}"
	run calc-indicators <<<"$second"$'\n'"$other"$'\n'"${first/\"1m\"/\"5m\"}"
	[ "$status" -eq 0 ]
}

@test "a bad config exits 3" {
	printf '[strategy]\nno_such_key = 1\n' >"$BATS_TEST_TMPDIR/bad.conf"
	run calc-indicators -c "$BATS_TEST_TMPDIR/bad.conf" <"$bars"
	[ "$status" -eq 3 ]
	[[ "$output" == "calc-indicators: $BATS_TEST_TMPDIR/bad.conf:2: "* ]]
}

@test "write error exits 4" {
	run sh -c 'calc-indicators "$1" >/dev/full' _ "$bars"
	[ "$status" -eq 4 ]
	[[ "$output" == "calc-indicators: "* ]]
}

@test "unknown types and fields pass through untouched" {
	rec='{"type":"note","z":{"k":[1,2]},"a":"keep","n":1.50}'
	opt='{"type":"option","symbol":"SPY110107C00127000","bid":0.5e1}'
	run calc-indicators <<<"$rec"$'\n'"$opt"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$rec" ]
	[ "${lines[1]}" = "$opt" ]
	[ "${#lines[@]}" -eq 2 ]
}

@test "a bar keeps its unknown fields, in order" {
	bar='{"type":"bar","x":{"y":[1,"z"]},"symbol":"SPY","tf":"1m","ts":"2011-01-03T14:30:00Z","o":126.71,"h":126.74,"l":126.66,"c":126.72,"v":2259046,"vwap":126.70,"n":17}'
	run calc-indicators <<<"$bar"
	[ "$status" -eq 0 ]
	[ "$output" = "${bar%\}}"',"ind":{"n_10m":0}}' ]
	# an ind object already there keeps its values beside the new ones
	run calc-indicators -i trange <<<"$first"$'\n''{"type":"bar","symbol":"SPY","ts":"2011-01-03T14:31:00Z","o":126.72,"h":126.79,"l":126.69,"c":126.79,"v":815728,"ind":{"vwap":126.7},"w":true}'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$first" ]
	[ "$(jq -c '[.ind.vwap, .ind.trange, .w]' <<<"${lines[1]}")" = '[126.7,0.10000000000000853,true]' ]
}

@test "-i picks indicators by name; default stands for the usual set" {
	run calc-indicators -i atr14,rsi14,bb_upper,bb_middle,bb_lower,sma20,trange,ema8 "$bars"
	[ "$status" -eq 0 ]
	[ "$(jq -c '.ind | keys' <<<"${lines[14]}")" = '["atr14","ema8","rsi14","trange"]' ]
	[ "$(jq -c '.ind | keys' <<<"${lines[19]}")" = '["atr14","bb_lower","bb_middle","bb_upper","ema8","rsi14","sma20","trange"]' ]
	[[ "${lines[19]}" == *'"atr14":0.058127834171986144'* ]] || {
		jq -c .ind <<<"${lines[19]}"; false; }
	run calc-indicators -i default,atr14 "$bars"
	[ "$status" -eq 0 ]
	[[ "${lines[499]}" == *'"vol_sma20":336042.5,"atr14":'* ]]
}

@test "a profile's periods name the indicators" {
	printf '[strategy]\nfast_short = 8\nfast_long = 21\nmacro_tf = 5m\nvol_window = 10\n' \
	    >"$BATS_TEST_TMPDIR/p.conf"
	run calc-indicators -p "$BATS_TEST_TMPDIR/p.conf" "$bars"
	[ "$status" -eq 0 ]
	[ "$(jq -c '.ind | keys' <<<"${lines[499]}")" = '["cloud8_21","ema21","ema34_5m","ema50_5m","ema8","flip8_21","n_5m","vol_avg10","vol_sma10","vol_sum10"]' ]
}

@test "a journal carries state: split runs print what one run prints" {
	head -n 300 "$bars" >"$BATS_TEST_TMPDIR/a.ndjson"
	tail -n +251 "$bars" >"$BATS_TEST_TMPDIR/b.ndjson"
	run calc-indicators -j "$jr" "$BATS_TEST_TMPDIR/a.ndjson"
	[ "$status" -eq 0 ]
	[ "$output" = "$(head -n 300 "$want")" ]
	run --separate-stderr calc-indicators -v -j "$jr" "$BATS_TEST_TMPDIR/b.ndjson"
	[ "$status" -eq 0 ]
	# bars 251..300 were seen: they pass through as they came
	[ "$(printf '%s\n' "${lines[@]:0:50}")" = "$(sed -n 251,300p "$bars")" ]
	[ "$(printf '%s\n' "${lines[@]:50}")" = "$(tail -n +301 "$want")" ]
	[ "$stderr" = "calc-indicators: 270 read, 270 written, 220 enriched, 50 already seen" ]
	[ "$(sqlite3 "$jr" "SELECT key FROM stage_state WHERE stage = 'calc-indicators'")" = "SPY/1m" ]
}

@test "-v counts on stderr" {
	run --separate-stderr calc-indicators -v "$bars"
	[ "$status" -eq 0 ]
	[ "$stderr" = "calc-indicators: 520 read, 520 written, 520 enriched, 0 already seen" ]
}

@test "--help prints usage to stdout and exits 0" {
	run --separate-stderr calc-indicators --help
	[ "$status" -eq 0 ]
	[[ "$output" == "usage: calc-indicators [-ev] [-c config] [-i list] [-j journal] [-p profile]"* ]]
	[ -z "$stderr" ]
}

@test "--version prints the name and version" {
	run calc-indicators --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^calc-indicators\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "a quote without ts or ask is malformed: exit 3 naming the line" {
	run calc-indicators -i spread <<<'{"type":"quote","symbol":"SPY","bid":1}'
	[ "$status" -eq 3 ]
	[[ "$output" == "calc-indicators: <stdin>:1: quote: missing 'ts'" ]]
}

# A deterministic quote stream: SYMBOL, n quotes 200 ms apart from t0
# (epoch s), a walk of the bid in 0.5 steps, the ask 0.5 above it, and
# sizes that change.
quotes() {
	awk -v sym="$1" -v n="$2" -v t0="$3" 'BEGIN {
		mid = 61000; seed = 7
		for (i = 0; i < n; i++) {
			seed = (seed * 1103515245 + 12345) % 2147483648
			step = (seed % 3) - 1
			mid += step * 0.5
			ms = t0 * 1000 + i * 200
			s = int(ms / 1000); f = ms % 1000
			printf "{\"type\":\"quote\",\"ts\":\"%s.%03dZ\",\"symbol\":\"%s\",\"bid\":%.1f,\"ask\":%.1f,\"bid_sz\":%d,\"ask_sz\":%d}\n", \
			    strftime("%Y-%m-%dT%H:%M:%S", s, 1), f, sym, \
			    mid, mid + 0.5, 1 + seed % 5, 1 + (seed / 7) % 5
		}
	}'
}

@test "a profile computes what it names, no more" {
	turbo="$BATS_TEST_DIRNAME/../../etc/profiles/turbo.conf"
	run calc-indicators -p "$turbo" "$bars"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.ndjson"
	# Every key written is one the profile lists.
	run jq -r 'select(.ind) | .ind | keys[]' "$BATS_TEST_TMPDIR/out.ndjson"
	[ "$status" -eq 0 ]
	extra=$(printf '%s\n' "$output" | sort -u | grep -vxE 'ofi|ofi_norm|ofi_net|vwap|vwap_sd|vwap_dist_pct|vwap_dist_sd|vel_30s|accel|funding_rate|funding_ms|ou_theta|ou_mu|ou_half_life|ou_z|ou_drift' || true)
	[ -z "$extra" ]
	# And the bar-fed part of it is there: VWAP and the OU fit.
	[[ "$output" == *vwap_dist_sd* ]]
	[[ "$output" == *ou_z* ]]
}

@test "session VWAP and sigma bands match the exact reference through the command" {
	oracle="$BATS_TEST_DIRNAME/../data/oracle/spy_1m_2011-01-03_2011-01-07_rth_ninjatrader.vwap.csv"
	run calc-indicators -i vwap,vwap_sd,vwap_u2 "$bars"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | jq -r '[.ind.vwap, .ind.vwap_sd, .ind.vwap_u2] | @csv' >"$BATS_TEST_TMPDIR/got.csv"
	# idx 0..519 of the oracle: columns vwap, vwap_sd, vwap_upper2.
	awk -F, 'NR > 1 && NR <= 521 { print $6 "," $7 "," $10 }' "$oracle" >"$BATS_TEST_TMPDIR/ref.csv"
	run awk -F, 'NR == FNR { v[FNR] = $1; s[FNR] = $2; u[FNR] = $3; next }
	    function bad(a, b, tol) { d = a - b; if (d < 0) d = -d; return d > tol }
	    { if (bad(v[FNR], $1, 1e-12 * $1) || bad(s[FNR], $2, 1e-6 * $1) ||
	        bad(u[FNR], $3, 3e-6 * $1)) { print "row " FNR ": " v[FNR] "," s[FNR] "," u[FNR] " vs " $0; n++ } }
	    END { exit n > 0 }' "$BATS_TEST_TMPDIR/got.csv" "$BATS_TEST_TMPDIR/ref.csv"
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$BATS_TEST_TMPDIR/got.csv")" -eq 520 ]
}

@test "quotes: OFI, spreads and speed; a run split in cycles prints what one run prints" {
	quotes BTCUSDT 1500 1709301600 >"$BATS_TEST_TMPDIR/q.ndjson"
	list=ofi,ofi_norm,ofi_net,spread,spread_pct,spread_mean,spread_sd,spread_ratio,vel_5s,vel_15s,vel_30s,vel_60s,spike_30s,accel
	run calc-indicators -i "$list" "$BATS_TEST_TMPDIR/q.ndjson"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/one.ndjson"
	# By the last quote every window is full: every value is there.
	run jq -c '.ind | keys' <<<"$(tail -n 1 "$BATS_TEST_TMPDIR/one.ndjson")"
	[ "$output" = '["accel","ofi","ofi_net","ofi_norm","spike_30s","spread","spread_mean","spread_pct","spread_ratio","spread_sd","vel_15s","vel_30s","vel_5s","vel_60s"]' ]
	# |ofi_net| <= 1 and the spread is the constant 0.5 throughout.
	run jq -e -s 'map(.ind) | all(.ofi_net == null or (.ofi_net <= 1 and .ofi_net >= -1)) and all(.spread == 0.5)' "$BATS_TEST_TMPDIR/one.ndjson"
	[ "$status" -eq 0 ]
	split -l 137 "$BATS_TEST_TMPDIR/q.ndjson" "$BATS_TEST_TMPDIR/part."
	: >"$BATS_TEST_TMPDIR/many.ndjson"
	for p in "$BATS_TEST_TMPDIR"/part.*; do
		run calc-indicators -i "$list" -j "$jr" "$p"
		[ "$status" -eq 0 ]
		printf '%s\n' "$output" >>"$BATS_TEST_TMPDIR/many.ndjson"
	done
	cmp "$BATS_TEST_TMPDIR/one.ndjson" "$BATS_TEST_TMPDIR/many.ndjson"
}

@test "funding: rate and time to next on the record, then on the symbol's quotes" {
	{
		echo '{"type":"funding","ts":"2024-03-01T14:00:00Z","symbol":"BTCUSDT","rate":0.0001,"next_ts":"2024-03-01T16:00:00Z"}'
		quotes BTCUSDT 2 1709303400
		quotes ETHUSDT 1 1709303400
	} >"$BATS_TEST_TMPDIR/f.ndjson"
	run calc-indicators -i funding_rate,funding_ms "$BATS_TEST_TMPDIR/f.ndjson"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *'"ind":{"funding_rate":0.0001,"funding_ms":7200000}}' ]]
	# 14:30:00.000 and .200: 90 minutes before the funding.
	[[ "${lines[1]}" == *'"ind":{"funding_rate":0.0001,"funding_ms":5400000}}' ]]
	[[ "${lines[2]}" == *'"ind":{"funding_rate":0.0001,"funding_ms":5399800}}' ]]
	# Another symbol has had no funding record: nothing is added.
	[[ "${lines[3]}" != *'"ind"'* ]]
}

@test "quotes may share an instant but not go back" {
	q='{"type":"quote","ts":"2024-03-01T14:00:00.500Z","symbol":"X","bid":1,"ask":1.5}'
	back='{"type":"quote","ts":"2024-03-01T14:00:00.499Z","symbol":"X","bid":1,"ask":1.5}'
	run calc-indicators -i spread <<<"$q
$q"
	[ "$status" -eq 0 ]
	run calc-indicators -i spread <<<"$q
$back"
	[ "$status" -eq 3 ]
	[[ "$output" == *"calc-indicators: <stdin>:2: quote out of order"* ]]
}

@test "all: every family is computed on real minute bars" {
	run calc-indicators -i all "$bars"
	[ "$status" -eq 0 ]
	last="${lines[519]}"
	for k in ema5 trange bb_upper vwap vwap_near_ms vwap_atr_u sess_high range_pos vol_ratio20 ou_z trend_5m mtf_consensus support resistance sweep choch engulf pinbar; do
		[[ "$last" == *"\"$k\":"* ]] || { echo "missing $k"; false; }
	done
}

@test "EMA clouds by pair; ATR(1) is the true range" {
	run calc-indicators -i cloud8_9,cloud34_50,atr1,trange "$bars"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/c.ndjson"
	# The cloud's EMAs are the plain EMAs of the same periods.
	run calc-indicators -i ema8,ema9,ema34,ema50 "$bars"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/e.ndjson"
	run jq -s -e '[.[].ind | [.ema8, .ema9, .ema34, .ema50]]' "$BATS_TEST_TMPDIR/e.ndjson"
	want="$output"
	run jq -s -e '[.[].ind | [.ema8, .ema9, .ema34, .ema50]]' "$BATS_TEST_TMPDIR/c.ndjson"
	[ "$output" = "$want" ]
	# Regime: +1 when the short EMA is above, -1 below.
	run jq -s -e 'map(.ind | select(.cloud8_9 != null)) | all((.ema8 > .ema9 and .cloud8_9 == 1) or (.ema8 < .ema9 and .cloud8_9 == -1) or .ema8 == .ema9)' "$BATS_TEST_TMPDIR/c.ndjson"
	[ "$status" -eq 0 ]
	run jq -s -e 'map(.ind | select(.trange != null)) | length > 500 and all(.atr1 == .trange)' "$BATS_TEST_TMPDIR/c.ndjson"
	[ "$status" -eq 0 ]
	run calc-indicators -i cloud9_8 </dev/null
	[ "$status" -eq 2 ]
}

@test "a session's first bar: sigma exactly 0; zero volume: no VWAP until there is some" {
	{
		echo '{"type":"bar","symbol":"Z","ts":"2024-03-04T14:30:00Z","o":10,"h":10,"l":10,"c":10,"v":0}'
		echo '{"type":"bar","symbol":"Z","ts":"2024-03-04T14:31:00Z","o":10,"h":11,"l":9,"c":10.5,"v":100}'
		echo '{"type":"bar","symbol":"Z","ts":"2024-03-04T14:32:00Z","o":10.5,"h":12,"l":10.5,"c":12,"v":300}'
		# The next New York date: a new session.
		echo '{"type":"bar","symbol":"Z","ts":"2024-03-05T14:30:00Z","o":20,"h":21,"l":19,"c":20,"v":50}'
	} >"$BATS_TEST_TMPDIR/z.ndjson"
	run calc-indicators -i vwap,vwap_sd,sess_high,sess_low "$BATS_TEST_TMPDIR/z.ndjson"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *'"ind":{"sess_high":10,"sess_low":10}}' ]]
	# tp = (11 + 9 + 10.5)/3; the first bar with volume: sigma 0.
	[[ "${lines[1]}" == *'"ind":{"vwap":10.166666666666666,"vwap_sd":0,"sess_high":11,"sess_low":9}}' ]]
	[[ "${lines[3]}" == *'"ind":{"vwap":20,"vwap_sd":0,"sess_high":21,"sess_low":19}}' ]]
	run jq -e '.ind.vwap > 10.16 and .ind.vwap_sd > 0' <<<"${lines[2]}"
	[ "$status" -eq 0 ]
}

@test "funding carried onto quotes survives a run split across cycles" {
	echo '{"type":"funding","ts":"2024-03-01T14:00:00Z","symbol":"BTCUSDT","rate":0.0001,"next_ts":"2024-03-01T16:00:00Z"}' >"$BATS_TEST_TMPDIR/f1.ndjson"
	quotes BTCUSDT 1 1709303400 >"$BATS_TEST_TMPDIR/q1.ndjson"
	run calc-indicators -i funding_rate,funding_ms -j "$jr" "$BATS_TEST_TMPDIR/f1.ndjson"
	[ "$status" -eq 0 ]
	run calc-indicators -i funding_rate,funding_ms -j "$jr" "$BATS_TEST_TMPDIR/q1.ndjson"
	[ "$status" -eq 0 ]
	[[ "$output" == *'"ind":{"funding_rate":0.0001,"funding_ms":5400000}}' ]]
}

@test "[indicators] parameters come from the profile; a change starts that state afresh" {
	printf '[indicators]\nvol_spike = 1\n' >"$BATS_TEST_TMPDIR/p1.conf"
	run calc-indicators -i vol_spike20 "$bars"
	[ "$status" -eq 0 ]
	n2=$(printf '%s\n' "$output" | grep -c '"vol_spike20":1' || true)
	run calc-indicators -p "$BATS_TEST_TMPDIR/p1.conf" -i vol_spike20 "$bars"
	[ "$status" -eq 0 ]
	n1=$(printf '%s\n' "$output" | grep -c '"vol_spike20":1' || true)
	# A lower threshold flags more bars, and at least one.
	[ "$n1" -gt "$n2" ]
	# State saved under one set of parameters...
	run calc-indicators -i ou_z,ou_drift -j "$jr" "$bars"
	[ "$status" -eq 0 ]
	# ...is not loaded under another: no error, a fresh fit.
	printf '[indicators]\nou_z = 2\n' >"$BATS_TEST_TMPDIR/p2.conf"
	run calc-indicators -p "$BATS_TEST_TMPDIR/p2.conf" -i ou_z,ou_drift -j "$jr" "$bars"
	[ "$status" -eq 0 ]
	run sqlite3 "$jr" "SELECT COUNT(*) FROM stage_state, json_each(stage_state.state, '\$.units') WHERE json_each.key LIKE 'ou.%'"
	[ "$output" = "1" ]
}
