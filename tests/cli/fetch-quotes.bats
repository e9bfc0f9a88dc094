#!/usr/bin/env bats
# fetch-quotes: replayed bars out as NDJSON, validation, filters, and the
# --resume cursor that cron cycles step through a replayed day with.

bats_require_minimum_version 1.5.0

setup() {
	PATH="${SK_BIN:-$BATS_TEST_DIRNAME/../../bin}:$PATH"
	top="$BATS_TEST_DIRNAME/../.."
	fx="$BATS_TEST_DIRNAME/fixtures/fetch-quotes"
	spy="$top/share/replay/spy_1m_2011-01-03_2011-01-07.csv.gz"
	stress="$top/tests/data/strategy/synthetic_stress_a.csv.gz"
	jr="$BATS_TEST_TMPDIR/journal.db"
	# No user or system config and no default journal leak in.
	unset SCALPKIT_JOURNAL
	: >"$BATS_TEST_TMPDIR/scalpkit.conf"
	export SCALPKIT_CONF="$BATS_TEST_TMPDIR/scalpkit.conf"
	export SCALPKIT_SHARE="$top/share"
	export XDG_STATE_HOME="$BATS_TEST_TMPDIR/state"
	first='{"type":"bar","symbol":"SPY","tf":"1m","ts":"2011-01-03T14:30:00Z","o":126.71,"h":126.74,"l":126.66,"c":126.72,"v":2259046}'
}

@test "CSV replay: every row a bar, the first one exactly" {
	run fetch-quotes -s SPY --source "replay:$spy"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1950 ]
	[ "${lines[0]}" = "$first" ]
	[ "${lines[1949]}" = '{"type":"bar","symbol":"SPY","tf":"1m","ts":"2011-01-07T20:59:00Z","o":127.14,"h":127.15,"l":127.12,"c":127.12,"v":1162479}' ]
}

@test "gzip input gives the same output as plain" {
	gzip -dc "$spy" >"$BATS_TEST_TMPDIR/spy.csv"
	run fetch-quotes -s SPY --source "replay:$spy"
	[ "$status" -eq 0 ]
	gz="$output"
	run fetch-quotes -s SPY --source "replay:$BATS_TEST_TMPDIR/spy.csv"
	[ "$status" -eq 0 ]
	[ "$output" = "$gz" ]
}

@test "a bare file name is found in the share directory" {
	run fetch-quotes -s SPY --until 2011-01-03T14:30:00Z \
	    --source replay:spy_1m_2011-01-03_2011-01-07.csv.gz
	[ "$status" -eq 0 ]
	[ "$output" = "$first" ]
}

@test "-t sets the time frame of each bar" {
	run fetch-quotes -s SPY -t 5m --until 2011-01-03T14:30:00Z \
	    --source "replay:$spy"
	[ "$status" -eq 0 ]
	[ "$output" = "${first/\"tf\":\"1m\"/\"tf\":\"5m\"}" ]
}

@test "symbol column, any order and case; -s selects one symbol" {
	run fetch-quotes --source "replay:$fx/two-symbols.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[0]}" = "$first" ]
	[ "${lines[1]}" = '{"type":"bar","symbol":"QQQ","tf":"1m","ts":"2011-01-03T14:30:00Z","o":55.1,"h":55.2,"l":55,"c":55.15,"v":1000}' ]
	run fetch-quotes -s QQQ --source "replay:$fx/two-symbols.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *'"symbol":"QQQ"'* ]]
	[[ "${lines[1]}" == *'"symbol":"QQQ","tf":"1m","ts":"2011-01-03T14:31:00Z"'* ]]
}

@test "short header names and extra columns are accepted" {
	run fetch-quotes -s SPY --source "replay:$fx/aliases.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$first" ]
}

@test "no symbol column and no -s is a usage error" {
	run fetch-quotes --source "replay:$spy"
	[ "$status" -eq 2 ]
	[[ "$output" == "fetch-quotes: $spy: no symbol column"* ]]
}

@test "NDJSON replay: records go out as read, unknown ones untouched" {
	run fetch-quotes --source "replay:$fx/replay.ndjson"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$fx/replay.ndjson")" ]
}

@test "NDJSON replay: the window applies to bars and to records with a ts" {
	run fetch-quotes --until 2011-01-03T14:31:00Z \
	    --source "replay:$fx/replay.ndjson"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[1]}" = '{"type":"note","z":{"k":[1,2]},"a":"keep"}' ]
	[[ "${lines[2]}" == *'"ts":"2011-01-03T14:31:00Z"'* ]]
}

@test "session rth drops the rows outside 09:30-16:00 New York" {
	run fetch-quotes -s SPY --session all --until 2019-01-02T14:40:00Z \
	    --source "replay:$stress"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *'"ts":"2019-01-02T09:14:00Z"'* ]]
	run fetch-quotes -s SPY --session rth --until 2019-01-02T14:40:00Z \
	    --source "replay:$stress"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *'"ts":"2019-01-02T14:30:00Z"'* ]]
	[[ "$output" != *'"ts":"2019-01-02T09:14:00Z"'* ]]
}

@test "the session defaults to the config's market.session" {
	run fetch-quotes -s SPY --until 2019-01-02T14:40:00Z \
	    --source "replay:$stress"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *'"ts":"2019-01-02T14:30:00Z"'* ]]
	printf '[market]\nsession = all\n' >"$SCALPKIT_CONF"
	run fetch-quotes -s SPY --until 2019-01-02T14:40:00Z \
	    --source "replay:$stress"
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *'"ts":"2019-01-02T09:14:00Z"'* ]]
}

@test "-v counts rows read, bars emitted and rows outside the session" {
	run --separate-stderr fetch-quotes -v -s SPY --source "replay:$stress"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 56504 ]
	[ "$stderr" = "fetch-quotes: 60667 rows read, 56504 bars emitted, 4163 outside session" ]
}

@test "--since is exclusive, --until inclusive" {
	run fetch-quotes -s SPY --since 2011-01-03T14:30:00Z \
	    --until 2011-01-03T14:32:00Z --source "replay:$spy"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *'"ts":"2011-01-03T14:31:00Z"'* ]]
	[[ "${lines[1]}" == *'"ts":"2011-01-03T14:32:00Z"'* ]]
}

@test "--resume delivers only the bars after the last run's" {
	run fetch-quotes -s SPY --resume -j "$jr" \
	    --until 2011-01-04T14:31:00Z --source "replay:$spy"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 392 ]
	[[ "${lines[391]}" == *'"ts":"2011-01-04T14:31:00Z"'* ]]
	run fetch-quotes -s SPY --resume -j "$jr" \
	    --until 2011-01-04T14:33:00Z --source "replay:$spy"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *'"ts":"2011-01-04T14:32:00Z"'* ]]
	[[ "${lines[1]}" == *'"ts":"2011-01-04T14:33:00Z"'* ]]
	# The same minute again: nothing new, and -e says so.
	run fetch-quotes -e -s SPY --resume -j "$jr" \
	    --until 2011-01-04T14:33:00Z --source "replay:$spy"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "--resume keeps one cursor per symbol" {
	run fetch-quotes -s SPY --resume -j "$jr" \
	    --source "replay:$fx/two-symbols.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	run fetch-quotes --resume -j "$jr" \
	    --source "replay:$fx/two-symbols.csv"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == *'"symbol":"QQQ"'* ]]
	[[ "${lines[1]}" == *'"symbol":"QQQ"'* ]]
}

@test "--resume uses the default journal without -j" {
	run fetch-quotes -s SPY --resume --until 2011-01-03T14:30:00Z \
	    --source "replay:$spy"
	[ "$status" -eq 0 ]
	[ "$output" = "$first" ]
	[ -f "$XDG_STATE_HOME/scalpkit/journal.db" ]
	run fetch-quotes -e -s SPY --resume --until 2011-01-03T14:30:00Z \
	    --source "replay:$spy"
	[ "$status" -eq 1 ]
}

@test "the cursor is not saved when stdout fails" {
	run sh -c 'fetch-quotes -s SPY --resume -j "$1" \
	    --until 2011-01-03T14:31:00Z --source "replay:$2" >/dev/full' \
	    _ "$jr" "$spy"
	[ "$status" -eq 4 ]
	run fetch-quotes -s SPY --resume -j "$jr" \
	    --until 2011-01-03T14:31:00Z --source "replay:$spy"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "$first" ]
}

@test "malformed row exits 3 and names the file and line" {
	run --separate-stderr fetch-quotes -s SPY \
	    --source "replay:$fx/bad-price.csv"
	[ "$status" -eq 3 ]
	[ "$output" = "$first" ]
	[ "$stderr" = "fetch-quotes: $fx/bad-price.csv:3: low: not a number: '12x'" ]
}

@test "bad ts, volume, bounds, field count or header exit 3" {
	for f in bad-ts bad-volume high-below-low short-row; do
		run fetch-quotes -s SPY --source "replay:$fx/$f.csv"
		[ "$status" -eq 3 ]
		[[ "$output" == "fetch-quotes: $fx/$f.csv:2: "* ]]
	done
	run fetch-quotes -s SPY --source "replay:$fx/no-close.csv"
	[ "$status" -eq 3 ]
	[[ "$output" == "fetch-quotes: $fx/no-close.csv:1: header: no 'close' column"* ]]
}

@test "out-of-order ts exits 3" {
	run --separate-stderr fetch-quotes -s SPY \
	    --source "replay:$fx/out-of-order.csv"
	[ "$status" -eq 3 ]
	[ "$stderr" = "fetch-quotes: $fx/out-of-order.csv:4: out of order: SPY 2011-01-03T14:31:00Z is not after 2011-01-03T14:32:00Z" ]
}

@test "malformed NDJSON line exits 3" {
	run --separate-stderr fetch-quotes --source "replay:$fx/bad.ndjson"
	[ "$status" -eq 3 ]
	[ "$stderr" = "fetch-quotes: $fx/bad.ndjson:2: not valid JSON" ]
}

@test "bad option or operand exits 2" {
	run fetch-quotes -x --source "replay:$spy"
	[ "$status" -eq 2 ]
	[[ "${lines[${#lines[@]}-3]}" == "usage: fetch-quotes "* ]]
	run fetch-quotes -s SPY
	[ "$status" -eq 2 ]
	run fetch-quotes -s SPY --source "replay:$spy" extra
	[ "$status" -eq 2 ]
	run fetch-quotes -s SPY --session night --source "replay:$spy"
	[ "$status" -eq 2 ]
	run fetch-quotes -s SPY --since yesterday --source "replay:$spy"
	[ "$status" -eq 2 ]
	[ "${lines[0]}" = "fetch-quotes: --since: not an RFC 3339 time: 'yesterday'" ]
	run fetch-quotes -s SPY -t 7x --source "replay:$spy"
	[ "$status" -eq 2 ]
	run fetch-quotes -s SPY --source "live:$spy"
	[ "$status" -eq 2 ]
	[ "$output" = "fetch-quotes: source 'live:$spy': not replay:FILE" ]
}

@test "a missing replay file exits 4" {
	run fetch-quotes -s SPY --source "replay:$BATS_TEST_TMPDIR/none.csv"
	[ "$status" -eq 4 ]
	[[ "$output" == "fetch-quotes: $BATS_TEST_TMPDIR/none.csv: "* ]]
}

@test "a bad config file exits 3" {
	printf '[nosuch]\nkey = 1\n' >"$BATS_TEST_TMPDIR/bad.conf"
	run fetch-quotes -c "$BATS_TEST_TMPDIR/bad.conf" -s SPY \
	    --source "replay:$spy"
	[ "$status" -eq 3 ]
	[[ "$output" == "fetch-quotes: $BATS_TEST_TMPDIR/bad.conf:"[0-9]*": "* ]]
}

@test "write error exits 4" {
	run sh -c 'fetch-quotes -s SPY --source "replay:$1" >/dev/full' \
	    _ "$spy"
	[ "$status" -eq 4 ]
	[[ "$output" == "fetch-quotes: stdout: "* ]]
}

@test "-e exits 1 when no bar was emitted, 0 without -e" {
	run fetch-quotes -e -s SPY --source "replay:$fx/header-only.csv"
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	run fetch-quotes -s SPY --source "replay:$fx/header-only.csv"
	[ "$status" -eq 0 ]
	run fetch-quotes -e -s SPY --until 2011-01-01T00:00:00Z \
	    --source "replay:$spy"
	[ "$status" -eq 1 ]
	run fetch-quotes -e -s SPY --until 2011-01-03T14:30:00Z \
	    --source "replay:$spy"
	[ "$status" -eq 0 ]
}

@test "--help and --version" {
	run fetch-quotes --help
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "usage: fetch-quotes [-ev] [-c config] [-j journal] [-p profile] [-s symbol] [-t tf]" ]
	run fetch-quotes -h
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: fetch-quotes "* ]]
	run fetch-quotes --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^fetch-quotes\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}
