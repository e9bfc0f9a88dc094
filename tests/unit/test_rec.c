/*
 * test_rec.c: the NDJSON layer (lib/rec.c): decoding bars exactly,
 * passing unknown records through byte for byte, splicing indicators
 * into bars, diagnostics for malformed lines, numbers and time frames.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rec.h"

/* Every type the reader knows how to decode. */
#define ALLTYPES	(REC_MASK(REC_BAR) | REC_MASK(REC_SIGNAL) | \
			    REC_MASK(REC_ORDER) | REC_MASK(REC_REJECT) | \
			    REC_MASK(REC_ACK) | REC_MASK(REC_FILL))

#define T0	1294065000000LL	/* 2011-01-03T14:30:00Z */

#define SPYBAR	"{\"type\":\"bar\",\"symbol\":\"SPY\",\"tf\":\"1m\"," \
		"\"ts\":\"2011-01-03T14:30:00Z\",\"o\":126.71,\"h\":126.74," \
		"\"l\":126.66,\"c\":126.72,\"v\":2259046}"

/* A temporary file holding text, written with stdio; path gets its name. */
static void
tmp_file(char *path, size_t n, const char *text)
{
	const char *dir = getenv("TMPDIR");
	FILE *fp;
	int fd;

	if (dir == NULL || *dir != '/' || strlen(dir) > n - 32)
		dir = "/tmp";
	snprintf(path, n, "%s/test_rec.XXXXXX", dir);
	fd = mkstemp(path);
	ck_assert_int_ne(fd, -1);
	close(fd);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_ge(fputs(text, fp), 0);
	ck_assert_int_eq(fclose(fp), 0);
}

/* The same bits: exact equality that also tells -0.0 from 0 and NaNs. */
static int
same_bits(double a, double b)
{
	return memcmp(&a, &b, sizeof(a)) == 0;
}

static int
same_num(double a, double b)
{
	return (isnan(a) && isnan(b)) || same_bits(a, b);
}

/* Reading: one reader over one file. */
struct rd {
	char			 path[256];
	char			*files[1];
	struct rec_reader	 rd;
};

static void
rd_open(struct rd *t, const char *text, unsigned mask)
{
	tmp_file(t->path, sizeof(t->path), text);
	t->files[0] = t->path;
	rec_reader_init(&t->rd, 1, t->files, mask);
}

static void
rd_close(struct rd *t)
{
	rec_reader_release(&t->rd);
	unlink(t->path);
}

START_TEST(bar_decodes_exactly)
{
	struct rd t;
	struct rec r;
	struct sk_err e = { 0 };

	rd_open(&t, SPYBAR "\n{\"type\":\"bar\",\"symbol\":\"QQQ\","
	    "\"ts\":\"2011-01-03T09:31:00.250-05:00\",\"o\":0.1,"
	    "\"h\":0.30000000000000004,\"l\":1e-05,\"c\":0.2,\"v\":0,"
	    "\"ind\":{\"ema5\":126.7,\"flip5_12\":-1}}\n", ALLTYPES);
	ck_assert_int_eq(rec_read(&t.rd, &r, &e), 1);
	ck_assert_int_eq(r.type, REC_BAR);
	ck_assert_int_eq(r.decoded, 1);
	ck_assert_int_eq(r.dirty, 0);
	ck_assert_str_eq(r.src, t.path);
	ck_assert_int_eq(r.line, 1);
	ck_assert_uint_eq(r.rawlen, strlen(SPYBAR));
	ck_assert_str_eq(r.u.bar.symbol, "SPY");
	ck_assert_str_eq(r.u.bar.tf, "1m");
	ck_assert_int_eq(r.u.bar.tf_ms, 60000);
	ck_assert_int_eq(r.u.bar.ts, T0);
	ck_assert(same_bits(r.u.bar.o, 126.71));
	ck_assert(same_bits(r.u.bar.h, 126.74));
	ck_assert(same_bits(r.u.bar.l, 126.66));
	ck_assert(same_bits(r.u.bar.c, 126.72));
	ck_assert(same_bits(r.u.bar.v, 2259046));
	ck_assert_int_eq(r.u.bar.ind.n, 0);

	/* No tf means 1m; an offset and a fraction; ind is read. */
	ck_assert_int_eq(rec_read(&t.rd, &r, &e), 1);
	ck_assert_int_eq(r.line, 2);
	ck_assert_str_eq(r.u.bar.tf, "1m");
	ck_assert_int_eq(r.u.bar.ts, T0 + 60000 + 250);
	ck_assert(same_bits(r.u.bar.o, 0.1));
	ck_assert(same_bits(r.u.bar.h, 0.1 + 0.2));
	ck_assert(same_bits(r.u.bar.l, 1e-05));
	ck_assert(same_bits(r.u.bar.v, 0));
	ck_assert_int_eq(r.u.bar.ind.n, 2);
	ck_assert(same_bits(ind_get(&r.u.bar.ind, "ema5"), 126.7));
	ck_assert(same_bits(ind_get(&r.u.bar.ind, "flip5_12"), -1));
	ck_assert(isnan(ind_get(&r.u.bar.ind, "ema12")));
	ck_assert_int_eq(rec_read(&t.rd, &r, &e), 0);
	rd_close(&t);
}
END_TEST

/*
 * Records that must leave as they came: unknown types, known types the
 * mask leaves undecoded, and decoded records nobody changed.
 */
static const char *const verbatim[] = {
	"{\"type\":\"note\",\"z\":{\"k\":[1,2.50,null]},\"a\":\"keep "
	    "\\u00e9 \\\"q\\\"\" , \"big\":12345678901234567890}",
	"{ \"type\" : \"quote\", \"bid\":1.000, \"ask\":1e0 }",
	"{\"type\":\"signal\",\"ts\":\"2011-01-03T14:31:00Z\","
	    "\"symbol\":\"SPY\",\"id\":\"x\",\"strategy\":\"s\","
	    "\"side\":\"long\",\"extra\":[true,false]}",
	"{\"type\":\"bar\",\"x\":1,\"symbol\":\"SPY\",\"ts\":"
	    "\"2011-01-03T14:30:00Z\",\"o\":126.710,\"h\":126.74,"
	    "\"l\":126.66,\"c\":126.72,\"v\":2.259046e6}",
	"{\"type\":\"order\",\"ts\":\"2011-01-03T14:31:00Z\","
	    "\"symbol\":\"SPY\",\"intent_id\":\"i\",\"side\":\"buy\","
	    "\"qty\":100,\"order_type\":\"market\",\"effect\":\"open\","
	    "\"z\":\"\\/\"}",
};

START_TEST(unknown_and_unchanged_records_pass_byte_for_byte)
{
	struct rd t;
	struct rec r;
	struct rec_writer w;
	struct sk_err e = { 0 };
	char text[1024], *out = NULL;
	size_t outlen = 0;
	FILE *fp;
	unsigned mask;

	snprintf(text, sizeof(text), "%s\n", verbatim[_i]);
	/* Once decoding everything, once decoding nothing but bars. */
	for (mask = 0; mask < 2; mask++) {
		rd_open(&t, text, mask ? ALLTYPES : REC_MASK(REC_BAR));
		fp = open_memstream(&out, &outlen);
		ck_assert_ptr_nonnull(fp);
		rec_writer_init(&w, fp);
		ck_assert_int_eq(rec_read(&t.rd, &r, &e), 1);
		ck_assert_int_eq(rec_write(&w, &r, &e), 0);
		ck_assert_int_eq(w.n, 1);
		ck_assert_int_eq(rec_read(&t.rd, &r, &e), 0);
		ck_assert_int_eq(fclose(fp), 0);
		ck_assert_str_eq(out, text);
		free(out);
		out = NULL;
		rec_writer_release(&w);
		rd_close(&t);
	}
}
END_TEST

/* Read the one record of text, with every type decoded. */
static void
read_one(struct rd *t, struct rec *r, const char *text)
{
	struct sk_err e = { 0 };

	rd_open(t, text, ALLTYPES);
	ck_assert_msg(rec_read(&t->rd, r, &e) == 1, "%s", e.msg);
}

START_TEST(enriched_bar_keeps_its_fields_and_gains_ind)
{
	static const char in[] =
	    "{\"type\":\"bar\",\"x\":{\"a\":[1,\"}\"]},\"symbol\":\"SPY\","
	    "\"ts\":\"2011-01-03T14:30:00Z\",\"o\":126.710,\"h\":126.74,"
	    "\"l\":126.66,\"c\":126.72,\"v\":2259046,"
	    "\"zz\":\"tail \\u00e9 }\"}";
	static const char want[] =
	    "{\"type\":\"bar\",\"x\":{\"a\":[1,\"}\"]},\"symbol\":\"SPY\","
	    "\"ts\":\"2011-01-03T14:30:00Z\",\"o\":126.710,\"h\":126.74,"
	    "\"l\":126.66,\"c\":126.72,\"v\":2259046,"
	    "\"zz\":\"tail \\u00e9 }\","
	    "\"ind\":{\"ema5\":126.7,\"cloud5_12\":-0.015,\"flip5_12\":1,"
	    "\"vol_sum20\":45180920}}\n";
	struct rd t;
	struct rec r;
	struct rec_writer w;

	read_one(&t, &r, in);
	ind_set(&r.u.bar.ind, "ema5", 126.7);
	ind_set(&r.u.bar.ind, "cloud5_12", -0.015);
	ind_set(&r.u.bar.ind, "rsi14", NAN);	/* undefined: left out */
	ind_set(&r.u.bar.ind, "flip5_12", 1);
	ind_set(&r.u.bar.ind, "vol_sum20", 45180920);
	r.dirty = 1;
	rec_writer_init(&w, NULL);
	ck_assert_uint_eq(rec_format(&w, &r), strlen(want));
	ck_assert_str_eq(w.buf, want);
	rec_writer_release(&w);
	rd_close(&t);
}
END_TEST

START_TEST(bar_with_ind_gets_the_new_ind_in_its_place)
{
	static const char in[] =
	    "{\"type\":\"bar\",\"symbol\":\"SPY\",\"tf\":\"1m\","
	    "\"ts\":\"2011-01-03T14:30:00Z\",\"o\":126.71,\"h\":126.74,"
	    "\"l\":126.66,\"c\":126.72,\"v\":2259046,"
	    "\"ind\":{\"ema5\":1,\"old\":2},\"zz\":\"tail\",\"n\":[1,2]}";
	static const char want[] =
	    "{\"type\":\"bar\",\"symbol\":\"SPY\",\"tf\":\"1m\","
	    "\"ts\":\"2011-01-03T14:30:00Z\",\"o\":126.71,\"h\":126.74,"
	    "\"l\":126.66,\"c\":126.72,\"v\":2259046,"
	    "\"ind\":{\"ema5\":126.7,\"flip5_12\":-1},\"zz\":\"tail\","
	    "\"n\":[1,2]}\n";
	struct rd t;
	struct rec r;
	struct rec_writer w;

	read_one(&t, &r, in);
	ck_assert_int_eq(r.u.bar.ind.n, 2);
	ck_assert(same_bits(ind_get(&r.u.bar.ind, "old"), 2));
	r.u.bar.ind.n = 0;
	ind_set(&r.u.bar.ind, "ema5", 126.7);
	ind_set(&r.u.bar.ind, "flip5_12", -1);
	ind_set(&r.u.bar.ind, "rsi14", NAN);
	r.dirty = 1;
	rec_writer_init(&w, NULL);
	rec_format(&w, &r);
	ck_assert_str_eq(w.buf, want);
	rec_writer_release(&w);
	rd_close(&t);
}
END_TEST

/*
 * Was a bug, now fixed: rec_format() (put_enriched) rebuilds a bar that already had an
 * "ind" with cJSON_PrintUnformatted(), so fields the stage does not own
 * are re-printed from doubles with cJSON's "%1.15g if it is within
 * DBL_EPSILON" rule: "id":9007199254740993 goes out as
 * "id":9.00719925474099e+15 (9007199254740990, another number), and
 * "o":126.710 as 126.71.  The splice path, for a bar without "ind",
 * keeps them byte for byte.  Disabled in main().
 */
START_TEST(bar_with_ind_keeps_foreign_values_exactly)
{
	static const char in[] =
	    "{\"type\":\"bar\",\"id\":9007199254740993,\"symbol\":\"SPY\","
	    "\"ts\":\"2011-01-03T14:30:00Z\",\"o\":126.710,\"h\":126.74,"
	    "\"l\":126.66,\"c\":126.72,\"v\":2259046,\"ind\":{\"ema5\":1}}";
	static const char want[] =
	    "{\"type\":\"bar\",\"id\":9007199254740993,\"symbol\":\"SPY\","
	    "\"ts\":\"2011-01-03T14:30:00Z\",\"o\":126.710,\"h\":126.74,"
	    "\"l\":126.66,\"c\":126.72,\"v\":2259046,"
	    "\"ind\":{\"ema5\":126.7}}\n";
	struct rd t;
	struct rec r;
	struct rec_writer w;

	read_one(&t, &r, in);
	ind_set(&r.u.bar.ind, "ema5", 126.7);
	r.dirty = 1;
	rec_writer_init(&w, NULL);
	rec_format(&w, &r);
	ck_assert_str_eq(w.buf, want);
	rec_writer_release(&w);
	rd_close(&t);
}
END_TEST

/*
 * Was a bug, now fixed: the same cJSON rebuild prints the new indicator values with
 * cJSON's approximate round-trip test, not rec_fmt_num(): 126.7 plus
 * one ulp (126.70000000000002) goes out as 126.7, so a bar that had an
 * "ind" loses the exactness every other path keeps.  Expected: each
 * value reads back bit for bit.  Disabled in main().
 */
START_TEST(bar_with_ind_new_values_read_back_exactly)
{
	static const char in[] =
	    "{\"type\":\"bar\",\"symbol\":\"SPY\","
	    "\"ts\":\"2011-01-03T14:30:00Z\",\"o\":126.71,\"h\":126.74,"
	    "\"l\":126.66,\"c\":126.72,\"v\":2259046,\"ind\":{\"ema5\":1}}";
	const double v[] = { nextafter(126.7, 200), 2.0 / 3.0 + 126,
	    nextafter(1e-05, 1), 9007199254740993.0 - 1 };
	const char *name[] = { "a", "b", "c", "d" };
	struct rd t, t2;
	struct rec r;
	struct rec_writer w;
	int i;

	read_one(&t, &r, in);
	r.u.bar.ind.n = 0;
	for (i = 0; i < 4; i++)
		ind_set(&r.u.bar.ind, name[i], v[i]);
	r.dirty = 1;
	rec_writer_init(&w, NULL);
	rec_format(&w, &r);
	read_one(&t2, &r, w.buf);
	for (i = 0; i < 4; i++)
		ck_assert_msg(same_bits(ind_get(&r.u.bar.ind, name[i]), v[i]),
		    "%s: %.17g written in '%s'", name[i], v[i], w.buf);
	rec_writer_release(&w);
	rd_close(&t2);
	rd_close(&t);
}
END_TEST

/* Line 2 of a file is bad; lines 1 and 3 are good. */
#define BAR_	"{\"type\":\"bar\",\"symbol\":\"SPY\","
#define TS_	"\"ts\":\"2011-01-03T14:31:00Z\","

static const struct {
	const char	*line;
	const char	*why;		/* after "file:2: " */
} malformed[] = {
	{ "{\"type\":\"bar\",", "not valid JSON" },
	{ "not json at all", "not valid JSON" },
	{ "", "empty line" },
	{ "[1,2]", "not a JSON object" },
	{ "{\"symbol\":\"SPY\"}", "no string 'type'" },
	{ "{\"type\":7}", "no string 'type'" },
	{ "{\"type\":null}", "no string 'type'" },
	{ BAR_ TS_ "\"o\":1,\"h\":2,\"l\":1,\"v\":5}", "missing 'c'" },
	{ BAR_ TS_ "\"o\":1.5,\"h\":1,\"l\":2,\"c\":1.5,\"v\":5}",
	    "low..high" },
	{ BAR_ TS_ "\"o\":1,\"h\":2,\"l\":1,\"c\":2.5,\"v\":5}", "low..high" },
	{ BAR_ TS_ "\"o\":1,\"h\":2,\"l\":1,\"c\":1.5,\"v\":-1}",
	    "negative volume" },
	{ BAR_ "\"ts\":\"2011-01-03 14:31\",\"o\":1,\"h\":2,\"l\":1,"
	    "\"c\":1.5,\"v\":5}", "'ts'" },
	{ BAR_ "\"ts\":\"2011-02-30T14:31:00Z\",\"o\":1,\"h\":2,\"l\":1,"
	    "\"c\":1.5,\"v\":5}", "'ts'" },
	{ BAR_ "\"ts\":1294065060000,\"o\":1,\"h\":2,\"l\":1,\"c\":1.5,"
	    "\"v\":5}", "'ts'" },
	{ BAR_ TS_ "\"o\":\"1\",\"h\":2,\"l\":1,\"c\":1.5,\"v\":5}", "'o'" },
	{ BAR_ TS_ "\"tf\":\"1x\",\"o\":1,\"h\":2,\"l\":1,\"c\":1.5,\"v\":5}",
	    "'1x'" },
	{ BAR_ TS_ "\"o\":1,\"h\":2,\"l\":1,\"c\":1.5,\"v\":5,\"ind\":[1]}",
	    "'ind'" },
	{ "{\"type\":\"signal\",\"ts\":\"2011-01-03T14:31:00Z\","
	    "\"symbol\":\"SPY\",\"strategy\":\"s\",\"side\":\"long\"}",
	    "missing 'id'" },
	{ "{\"type\":\"fill\",\"ts\":\"2011-01-03T14:31:00Z\","
	    "\"symbol\":\"SPY\",\"intent_id\":\"i\",\"client_order_id\":\"c\","
	    "\"side\":\"buy\",\"qty\":\"100\",\"price\":1,\"effect\":\"open\"}",
	    "'qty'" },
};

START_TEST(malformed_line_names_file_and_line)
{
	struct rd t;
	struct rec r;
	struct sk_err e;
	char text[1024], prefix[300];

	snprintf(text, sizeof(text), "%s\n%s\n%s\n", SPYBAR,
	    malformed[_i].line, SPYBAR);
	rd_open(&t, text, ALLTYPES);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(rec_read(&t.rd, &r, &e), 1);
	ck_assert_int_eq(rec_read(&t.rd, &r, &e), -1);
	ck_assert_int_eq(e.status, SK_DATA);
	snprintf(prefix, sizeof(prefix), "%s:2: ", t.path);
	ck_assert_msg(strncmp(e.msg, prefix, strlen(prefix)) == 0,
	    "message '%s' does not start with '%s'", e.msg, prefix);
	ck_assert_msg(strstr(e.msg + strlen(prefix), malformed[_i].why) !=
	    NULL, "message '%s' does not say '%s'", e.msg,
	    malformed[_i].why);
	rd_close(&t);
}
END_TEST

/* Doubles whose text must read back bit for bit; want: shortest text. */
static const struct {
	double		 v;
	const char	*want;		/* NULL: round trip only */
} nums[] = {
	{ 126.72, "126.72" },
	{ 0.1, "0.1" },
	{ 0.3, "0.3" },
	{ -0.015, "-0.015" },
	{ 126.65, "126.65" },
	{ 1e-05, "1e-05" },
	{ 1e21, "1e+21" },
	{ 1e15, "1e+15" },
	{ 999999999999999.0, "999999999999999" },
	{ 100, "100" },
	{ 2259046, "2259046" },
	{ -3, "-3" },
	{ 0, "0" },
	{ 0.1 + 0.2, "0.30000000000000004" },
	{ 123456789012345678.0, NULL },
	{ 5e-324, NULL },		/* see fmt_num_subnormal_shortest */
	{ 2.2250738585072014e-308, NULL },
	{ 1.7976931348623157e308, NULL },
	{ -1.7976931348623157e308, NULL },
	{ 2.0 / 3.0, "0.6666666666666666" },
	{ 1.0 / 3.0, "0.3333333333333333" },
	{ 126.71 * 0.98, NULL },
	{ 9007199254740993.0, NULL },
	{ 4.35, "4.35" },
};

static void
check_num(double v, const char *want)
{
	char buf[64];
	size_t n;

	memset(buf, 'x', sizeof(buf));
	n = rec_fmt_num(buf, v);
	ck_assert_uint_lt(n, 32);
	ck_assert_uint_eq(strlen(buf), n);
	ck_assert_msg(same_bits(strtod(buf, NULL), v),
	    "%.17g printed as '%s' reads back as %.17g", v, buf,
	    strtod(buf, NULL));
	if (want != NULL)
		ck_assert_str_eq(buf, want);
}

START_TEST(fmt_num_round_trips)
{
	check_num(nums[_i].v, nums[_i].want);
}
END_TEST

/* Values an EMA produces, computed as lib/ind.c does (no FMA). */
START_TEST(fmt_num_round_trips_ema_values)
{
	static const double px[] = {
		126.72, 126.79, 126.71, 126.75, 126.78, 126.8, 126.77,
		126.74, 126.69, 126.7, 126.73, 126.76, 126.81, 126.84,
		126.82, 126.8, 126.79, 126.83, 126.85, 126.86
	};
	const int periods[] = { 5, 12, 34, 50 };
	double ema, alpha;
	size_t i, k;

	for (k = 0; k < sizeof(periods) / sizeof(periods[0]); k++) {
		alpha = 2.0 / (periods[k] + 1);
		ema = px[0];
		for (i = 1; i < sizeof(px) / sizeof(px[0]); i++) {
			ema = alpha * px[i] + (1 - alpha) * ema;
			check_num(ema, NULL);
			check_num(-ema, NULL);
			check_num(px[i] - ema, NULL);
		}
	}
}
END_TEST

/*
 * Was a bug, now fixed: rec_fmt_num(-0.0) gives "0" (the whole-number branch prints
 * (long long)-0.0), which reads back as +0.0: the sign bit is lost.
 * Expected "-0".  Disabled in main().
 */
START_TEST(fmt_num_negative_zero)
{
	check_num(-0.0, "-0");
}
END_TEST

/*
 * Was a bug, now fixed: rec_fmt_num(5e-324) gives "4.94065645841247e-324"; it reads
 * back exactly, but rec.h promises the shortest text, "5e-324" (%.15g
 * is tried first, and subnormals need fewer digits).  Disabled in
 * main().
 */
START_TEST(fmt_num_subnormal_shortest)
{
	check_num(5e-324, "5e-324");
}
END_TEST

static const struct {
	const char	*tf;
	int64_t		 ms;		/* -1: rejected */
} tfs[] = {
	{ "1m", 60000 },
	{ "10m", 600000 },
	{ "1h", 3600000 },
	{ "1d", 86400000 },
	{ "30s", 30000 },
	{ "0m", -1 },
	{ "m", -1 },
	{ "1x", -1 },
	{ "", -1 },
	{ "10", -1 },
	{ "-1m", -1 },
	{ "1mm", -1 },
	{ "1M", -1 },
};

START_TEST(tf_ms_table)
{
	ck_assert_msg(rec_tf_ms(tfs[_i].tf) == tfs[_i].ms,
	    "rec_tf_ms(\"%s\") = %lld, want %lld", tfs[_i].tf,
	    (long long)rec_tf_ms(tfs[_i].tf), (long long)tfs[_i].ms);
}
END_TEST

/*
 * Write the records made here to a file and read them back.  A bar's
 * indicator names are borrowed from the parsed line, which the next
 * read frees: its values are copied to ind[i] (in the order of in's
 * names, NAN when absent) and out's ind emptied.
 */
static void
round_trip(struct rec *in, int n, struct rec *out, double ind[][REC_IND_MAX],
    int *nind)
{
	struct rd t;
	struct rec_writer w;
	struct sk_err e = { 0 };
	FILE *fp;
	int i, k;

	tmp_file(t.path, sizeof(t.path), "");
	fp = fopen(t.path, "w");
	ck_assert_ptr_nonnull(fp);
	rec_writer_init(&w, fp);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(rec_write(&w, &in[i], &e), 0);
	ck_assert_int_eq(fclose(fp), 0);
	rec_writer_release(&w);
	t.files[0] = t.path;
	rec_reader_init(&t.rd, 1, t.files, ALLTYPES);
	for (i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		ck_assert_msg(rec_read(&t.rd, &out[i], &e) == 1, "%s", e.msg);
		ck_assert_int_eq(out[i].type, in[i].type);
		ck_assert_int_eq(out[i].decoded, 1);
		/* Strings and numbers live in the struct, not the line. */
		out[i].raw = NULL;
		out[i].json = NULL;
		if (out[i].type != REC_BAR)
			continue;
		nind[i] = out[i].u.bar.ind.n;
		for (k = 0; k < in[i].u.bar.ind.n; k++)
			ind[i][k] = ind_get(&out[i].u.bar.ind,
			    in[i].u.bar.ind.kv[k].name);
		out[i].u.bar.ind.n = 0;
	}
	ck_assert_int_eq(rec_read(&t.rd, &out[n], &e), 0);
	rd_close(&t);
}

#define EQ_STR(a, b, f)	ck_assert_str_eq((a)->f, (b)->f)
#define EQ_NUM(a, b, f)	ck_assert_msg(same_num((a)->f, (b)->f), \
			    #f ": %.17g != %.17g", (a)->f, (b)->f)
#define EQ_INT(a, b, f)	ck_assert_int_eq((a)->f, (b)->f)

START_TEST(made_records_round_trip_through_the_tables)
{
	static const char *const reasons[] = {
		"ema5/12 cloud flipped \"bullish\"",
		"back\\slash \\\\ and \\\"",
		"tab\there, newline\nthere, bell\a",
		"caf\xc3\xa9 \xe2\x82\xac",
		"",
		"/ slash } brace ] bracket",
	};
	struct rec in[6], out[7];
	double ind[6][REC_IND_MAX];
	int nind[6];
	struct signal *s;
	struct order *o;
	struct fill *f;
	struct reject *rj;
	struct ack *a;
	struct bar *b;
	int i;

	rec_init(&in[0], REC_SIGNAL);
	s = &in[0].u.sig;
	s->ts = T0 + 60000;
	s->bar_ts = T0;
	sk_strlcpy(s->symbol, "SPY", sizeof(s->symbol));
	sk_strlcpy(s->id, "ema-cloud/SPY/20110103T143000Z/long",
	    sizeof(s->id));
	sk_strlcpy(s->strategy, "ema-cloud", sizeof(s->strategy));
	sk_strlcpy(s->side, "long", sizeof(s->side));
	sk_strlcpy(s->tier, "A", sizeof(s->tier));
	s->score = 87.5;
	s->price = 126.72;		/* prob stays unset */
	for (i = 0; i < 6; i++)
		sk_strlcpy(s->reasons[i], reasons[i], REC_TEXT);
	s->nreasons = 6;

	rec_init(&in[1], REC_ORDER);
	o = &in[1].u.ord;
	o->ts = T0 + 60000;
	o->expires = T0 + 120000 + 1;
	sk_strlcpy(o->symbol, "SPY", sizeof(o->symbol));
	sk_strlcpy(o->intent_id, "ema-cloud/SPY/20110103T143000Z/long",
	    sizeof(o->intent_id));
	sk_strlcpy(o->side, "buy", sizeof(o->side));
	o->qty = 100;
	sk_strlcpy(o->order_type, "limit", sizeof(o->order_type));
	o->limit = 126.5;
	o->tp = 126.72 * 1.02;
	o->sl = 126.72 * 0.98;		/* stop stays unset */
	sk_strlcpy(o->effect, "open", sizeof(o->effect));
	sk_strlcpy(o->signal_id, s->id, sizeof(o->signal_id));
	sk_strlcpy(o->strategy, "ema-cloud", sizeof(o->strategy));
	sk_strlcpy(o->reason, "a\"b\\c", sizeof(o->reason));

	rec_init(&in[2], REC_FILL);
	f = &in[2].u.fill;
	f->ts = T0 + 120000;
	sk_strlcpy(f->symbol, "SPY", sizeof(f->symbol));
	sk_strlcpy(f->intent_id, o->intent_id, sizeof(f->intent_id));
	sk_strlcpy(f->client_order_id, "sk-1-\"x\"",
	    sizeof(f->client_order_id));
	sk_strlcpy(f->broker_order_id, "paper\\1",
	    sizeof(f->broker_order_id));
	sk_strlcpy(f->side, "buy", sizeof(f->side));
	f->qty = 100;
	f->price = 126.65;
	f->fee = 0;
	sk_strlcpy(f->effect, "open", sizeof(f->effect));
	sk_strlcpy(f->position_id, o->intent_id, sizeof(f->position_id));
	sk_strlcpy(f->strategy, "ema-cloud", sizeof(f->strategy));
	sk_strlcpy(f->reason, "entry", sizeof(f->reason));

	rec_init(&in[3], REC_REJECT);
	rj = &in[3].u.rej;
	rj->ts = T0;
	sk_strlcpy(rj->symbol, "SPY", sizeof(rj->symbol));
	sk_strlcpy(rj->signal_id, s->id, sizeof(rj->signal_id));
	sk_strlcpy(rj->gate, "max_positions", sizeof(rj->gate));
	sk_strlcpy(rj->reason, "1 open \"already\"", sizeof(rj->reason));
	rj->threshold = 1;
	rj->observed = 2.0 / 3.0;

	rec_init(&in[4], REC_ACK);
	a = &in[4].u.ack;
	a->ts = T0 + 1;
	sk_strlcpy(a->symbol, "SPY", sizeof(a->symbol));
	sk_strlcpy(a->intent_id, "i", sizeof(a->intent_id));
	sk_strlcpy(a->client_order_id, "c", sizeof(a->client_order_id));
	sk_strlcpy(a->status, "accepted", sizeof(a->status));

	rec_init(&in[5], REC_BAR);
	b = &in[5].u.bar;
	sk_strlcpy(b->symbol, "SPY", sizeof(b->symbol));
	b->ts = T0;
	b->o = 126.71;
	b->h = 126.74;
	b->l = 126.66;
	b->c = 126.72;
	b->v = 2259046;
	ind_set(&b->ind, "ema5", 2.0 / 3.0 + 126);
	ind_set(&b->ind, "cloud5_12", -1e-05);
	ind_set(&b->ind, "rsi14", NAN);

	round_trip(in, 6, out, ind, nind);

	EQ_INT(&in[0].u.sig, &out[0].u.sig, ts);
	EQ_INT(&in[0].u.sig, &out[0].u.sig, bar_ts);
	EQ_STR(&in[0].u.sig, &out[0].u.sig, symbol);
	EQ_STR(&in[0].u.sig, &out[0].u.sig, id);
	EQ_STR(&in[0].u.sig, &out[0].u.sig, strategy);
	EQ_STR(&in[0].u.sig, &out[0].u.sig, side);
	EQ_STR(&in[0].u.sig, &out[0].u.sig, tier);
	EQ_NUM(&in[0].u.sig, &out[0].u.sig, score);
	EQ_NUM(&in[0].u.sig, &out[0].u.sig, prob);
	EQ_NUM(&in[0].u.sig, &out[0].u.sig, price);
	EQ_INT(&in[0].u.sig, &out[0].u.sig, nreasons);
	for (i = 0; i < 6; i++)
		ck_assert_str_eq(out[0].u.sig.reasons[i], reasons[i]);

	EQ_INT(&in[1].u.ord, &out[1].u.ord, ts);
	EQ_INT(&in[1].u.ord, &out[1].u.ord, expires);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, symbol);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, intent_id);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, side);
	EQ_NUM(&in[1].u.ord, &out[1].u.ord, qty);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, order_type);
	EQ_NUM(&in[1].u.ord, &out[1].u.ord, limit);
	EQ_NUM(&in[1].u.ord, &out[1].u.ord, stop);
	EQ_NUM(&in[1].u.ord, &out[1].u.ord, tp);
	EQ_NUM(&in[1].u.ord, &out[1].u.ord, sl);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, effect);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, position_id);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, signal_id);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, strategy);
	EQ_STR(&in[1].u.ord, &out[1].u.ord, reason);
	ck_assert(isnan(out[1].u.ord.stop));

	EQ_INT(&in[2].u.fill, &out[2].u.fill, ts);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, symbol);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, intent_id);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, client_order_id);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, broker_order_id);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, side);
	EQ_NUM(&in[2].u.fill, &out[2].u.fill, qty);
	EQ_NUM(&in[2].u.fill, &out[2].u.fill, price);
	EQ_NUM(&in[2].u.fill, &out[2].u.fill, fee);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, effect);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, position_id);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, strategy);
	EQ_STR(&in[2].u.fill, &out[2].u.fill, reason);

	EQ_INT(&in[3].u.rej, &out[3].u.rej, ts);
	EQ_STR(&in[3].u.rej, &out[3].u.rej, symbol);
	EQ_STR(&in[3].u.rej, &out[3].u.rej, signal_id);
	EQ_STR(&in[3].u.rej, &out[3].u.rej, strategy);
	EQ_STR(&in[3].u.rej, &out[3].u.rej, gate);
	EQ_STR(&in[3].u.rej, &out[3].u.rej, reason);
	EQ_NUM(&in[3].u.rej, &out[3].u.rej, threshold);
	EQ_NUM(&in[3].u.rej, &out[3].u.rej, observed);

	EQ_INT(&in[4].u.ack, &out[4].u.ack, ts);
	EQ_STR(&in[4].u.ack, &out[4].u.ack, intent_id);
	EQ_STR(&in[4].u.ack, &out[4].u.ack, client_order_id);
	EQ_STR(&in[4].u.ack, &out[4].u.ack, broker_order_id);
	EQ_STR(&in[4].u.ack, &out[4].u.ack, status);
	EQ_STR(&in[4].u.ack, &out[4].u.ack, reason);

	EQ_STR(&in[5].u.bar, &out[5].u.bar, symbol);
	EQ_STR(&in[5].u.bar, &out[5].u.bar, tf);
	EQ_INT(&in[5].u.bar, &out[5].u.bar, tf_ms);
	EQ_INT(&in[5].u.bar, &out[5].u.bar, ts);
	EQ_NUM(&in[5].u.bar, &out[5].u.bar, o);
	EQ_NUM(&in[5].u.bar, &out[5].u.bar, h);
	EQ_NUM(&in[5].u.bar, &out[5].u.bar, l);
	EQ_NUM(&in[5].u.bar, &out[5].u.bar, c);
	EQ_NUM(&in[5].u.bar, &out[5].u.bar, v);
	/* The undefined value is left out; the rest come back exactly. */
	ck_assert_int_eq(nind[5], 2);
	ck_assert(same_bits(ind[5][0], 2.0 / 3.0 + 126));
	ck_assert(same_bits(ind[5][1], -1e-05));
	ck_assert(isnan(ind[5][2]));
}
END_TEST

/* The text of a made record, field by field, in table order. */
START_TEST(made_signal_text)
{
	static const char want[] =
	    "{\"type\":\"signal\",\"ts\":\"2011-01-03T14:31:00Z\","
	    "\"symbol\":\"SPY\",\"id\":\"x\",\"strategy\":\"s\","
	    "\"side\":\"short\",\"score\":50,\"reasons\":[\"q\\\"b\\\\\","
	    "\"\\u0001\"]}\n";
	struct rec r;
	struct rec_writer w;

	rec_init(&r, REC_SIGNAL);
	r.u.sig.ts = T0 + 60000;
	sk_strlcpy(r.u.sig.symbol, "SPY", REC_SYM);
	sk_strlcpy(r.u.sig.id, "x", REC_ID);
	sk_strlcpy(r.u.sig.strategy, "s", REC_WORD);
	sk_strlcpy(r.u.sig.side, "short", 8);
	r.u.sig.score = 50;
	sk_strlcpy(r.u.sig.reasons[0], "q\"b\\", REC_TEXT);
	sk_strlcpy(r.u.sig.reasons[1], "\x01", REC_TEXT);
	r.u.sig.nreasons = 2;
	rec_writer_init(&w, NULL);
	rec_format(&w, &r);
	ck_assert_str_eq(w.buf, want);
	rec_writer_release(&w);
}
END_TEST

START_TEST(type_names)
{
	int t;

	for (t = REC_OTHER + 1; t < REC_NTYPES; t++)
		ck_assert_int_eq(rec_type_of(rec_type_name((enum rec_type)t)),
		    t);
	ck_assert_int_eq(rec_type_of("note"), REC_OTHER);
	ck_assert_int_eq(rec_type_of("Bar"), REC_OTHER);
	ck_assert_str_eq(rec_type_name(REC_OTHER), "other");
}
END_TEST

START_TEST(ind_set_replaces_and_get_is_nan_when_absent)
{
	struct ind ind;
	char name[8];

	memset(&ind, 0, sizeof(ind));
	ck_assert(isnan(ind_get(&ind, "ema5")));
	ck_assert_int_eq(ind_has(&ind, "ema5"), 0);
	ind_set(&ind, "ema5", 1);
	/* The same name from another buffer replaces, not appends. */
	snprintf(name, sizeof(name), "ema%d", 5);
	ind_set(&ind, name, 2);
	ck_assert_int_eq(ind.n, 1);
	ck_assert(same_bits(ind_get(&ind, "ema5"), 2));
	ind_set(&ind, "nan", NAN);
	ck_assert_int_eq(ind_has(&ind, "nan"), 1);
	ck_assert(isnan(ind_get(&ind, "nan")));
}
END_TEST

START_TEST(missing_file_is_an_io_error)
{
	char *files[1] = { "/nonexistent/test_rec/none.ndjson" };
	struct rec_reader rd;
	struct rec r;
	struct sk_err e = { 0 };

	rec_reader_init(&rd, 1, files, ALLTYPES);
	ck_assert_int_eq(rec_read(&rd, &r, &e), -1);
	ck_assert_int_eq(e.status, SK_IO);
	ck_assert_ptr_nonnull(strstr(e.msg, files[0]));
	rec_reader_release(&rd);
}
END_TEST

START_TEST(write_error_is_an_io_error)
{
	struct rec r;
	struct rec_writer w;
	struct sk_err e = { 0 };
	FILE *fp = fopen("/dev/full", "w");
	int i, rv = 0;

	ck_assert_ptr_nonnull(fp);
	setvbuf(fp, NULL, _IONBF, 0);
	rec_init(&r, REC_ACK);
	r.u.ack.ts = T0;
	rec_writer_init(&w, fp);
	for (i = 0; i < 4 && rv == 0; i++)
		rv = rec_write(&w, &r, &e);
	ck_assert_int_eq(rv, -1);
	ck_assert_int_eq(e.status, SK_IO);
	rec_writer_release(&w);
	fclose(fp);
}
END_TEST

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

int
main(void)
{
	Suite *s = suite_create("rec");
	TCase *tc = tcase_create("ndjson");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, bar_decodes_exactly);
	tcase_add_loop_test(tc,
	    unknown_and_unchanged_records_pass_byte_for_byte, 0,
	    NELEM(verbatim));
	tcase_add_test(tc, enriched_bar_keeps_its_fields_and_gains_ind);
	tcase_add_test(tc, bar_with_ind_gets_the_new_ind_in_its_place);
	tcase_add_loop_test(tc, malformed_line_names_file_and_line, 0,
	    NELEM(malformed));
	tcase_add_loop_test(tc, fmt_num_round_trips, 0, NELEM(nums));
	tcase_add_test(tc, fmt_num_round_trips_ema_values);
	tcase_add_loop_test(tc, tf_ms_table, 0, NELEM(tfs));
	tcase_add_test(tc, made_records_round_trip_through_the_tables);
	tcase_add_test(tc, made_signal_text);
	tcase_add_test(tc, type_names);
	tcase_add_test(tc, ind_set_replaces_and_get_is_nan_when_absent);
	tcase_add_test(tc, missing_file_is_an_io_error);
	tcase_add_test(tc, write_error_is_an_io_error);
	tcase_add_test(tc, bar_with_ind_keeps_foreign_values_exactly);
	tcase_add_test(tc, bar_with_ind_new_values_read_back_exactly);
	tcase_add_test(tc, fmt_num_negative_zero);
	tcase_add_test(tc, fmt_num_subnormal_shortest);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
