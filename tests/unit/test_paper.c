/*
 * test_paper.c: the paper broker's fill rules, each at its boundary.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "paper.h"

#define T0	1294065000000LL	/* 2011-01-03T14:30:00Z */
#define MIN	60000LL

struct log {
	int		 n;
	enum book_what	 what[8];
	double		 price[8];
	double		 pnl[8];
	char		 id[8][REC_ID];
};

static void
record(void *arg, const struct book_event *ev)
{
	struct log *l = arg;

	if (l->n < 8) {
		l->what[l->n] = ev->what;
		l->price[l->n] = ev->price;
		l->pnl[l->n] = ev->pnl;
		sk_strlcpy(l->id[l->n], ev->ord->intent_id, REC_ID);
		l->n++;
	}
}

static struct bar
mkbar(int64_t ts, double o, double h, double l, double c)
{
	struct bar b;

	memset(&b, 0, sizeof(b));
	sk_strlcpy(b.symbol, "SPY", sizeof(b.symbol));
	sk_strlcpy(b.tf, "1m", sizeof(b.tf));
	b.tf_ms = MIN;
	b.ts = ts;
	b.o = o;
	b.h = h;
	b.l = l;
	b.c = c;
	b.v = 1000;
	return b;
}

static struct order
mkorder(const char *id, int64_t ts, const char *side, const char *type,
    double px, const char *effect, const char *pos)
{
	struct order o;

	memset(&o, 0, sizeof(o));
	sk_strlcpy(o.intent_id, id, sizeof(o.intent_id));
	o.ts = ts;
	o.expires = TS_UNSET;
	sk_strlcpy(o.symbol, "SPY", sizeof(o.symbol));
	sk_strlcpy(o.side, side, sizeof(o.side));
	o.qty = 100;
	sk_strlcpy(o.order_type, type, sizeof(o.order_type));
	o.limit = strcmp(type, "limit") == 0 ? px : NAN;
	o.stop = strcmp(type, "stop") == 0 ? px : NAN;
	o.tp = o.sl = NAN;
	sk_strlcpy(o.effect, effect, sizeof(o.effect));
	sk_strlcpy(o.position_id, pos != NULL ? pos : id, sizeof(o.position_id));
	return o;
}

/* A long position opened at 100 on the bar at T0. */
static void
open_long(struct book *b, struct log *l)
{
	struct order o = mkorder("e", T0 - MIN, "buy", "market", NAN, "open",
	    NULL);
	struct bar bar = mkbar(T0, 100, 100.5, 99.5, 100);

	book_init(b, NULL);
	memset(l, 0, sizeof(*l));
	ck_assert_int_eq(book_order(b, &o), 1);
	book_bar(b, &bar, record, l);
	ck_assert_int_eq(l->n, 1);
	ck_assert_int_eq(l->what[0], BOOK_FILL);
	ck_assert_double_eq(l->price[0], 100);
	ck_assert_uint_eq(book_open_count(b, "SPY"), 1);
	memset(l, 0, sizeof(*l));
}

START_TEST(market_fills_at_next_open_not_before)
{
	struct book b;
	struct log l = { 0 };
	struct order o = mkorder("e", T0 + MIN, "buy", "market", NAN, "open",
	    NULL);
	struct bar early = mkbar(T0, 100, 101, 99, 100.5);
	struct bar next = mkbar(T0 + MIN, 100.7, 101, 99, 100.5);

	book_init(&b, NULL);
	book_order(&b, &o);
	/* The order is active from T0+1m: the bar at T0 is before it. */
	book_bar(&b, &early, record, &l);
	ck_assert_int_eq(l.n, 0);
	book_bar(&b, &next, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq(l.price[0], 100.7);
	book_release(&b);
}
END_TEST

static const struct {
	double		 o, h, l;
	int		 fills;
	double		 price;
} stops[] = {
	{ 100.0, 100.2, 98.01, 0, 0 },		/* just above the stop */
	{ 100.0, 100.2, 98.0, 1, 98.0 },	/* touches it exactly */
	{ 99.0, 99.5, 97.0, 1, 98.0 },		/* trades through it */
	{ 97.5, 99.0, 97.0, 1, 97.5 },		/* opens beyond it: open */
	{ 98.0, 99.0, 97.0, 1, 98.0 },		/* opens at it */
};

START_TEST(sell_stop_boundaries)
{
	struct book b;
	struct log l;
	struct order o;
	struct bar bar;

	open_long(&b, &l);
	o = mkorder("e/stop", T0 + MIN, "sell", "stop", 98.0, "close", "e");
	book_order(&b, &o);
	bar = mkbar(T0 + MIN, stops[_i].o, stops[_i].h, stops[_i].l,
	    stops[_i].o);
	book_bar(&b, &bar, record, &l);
	ck_assert_int_eq(l.n, stops[_i].fills);
	if (stops[_i].fills) {
		ck_assert_double_eq(l.price[0], stops[_i].price);
		ck_assert_double_eq_tol(l.pnl[0], (stops[_i].price - 100) *
		    100, 1e-9);
		ck_assert_uint_eq(book_open_count(&b, NULL), 0);
	} else
		ck_assert_uint_eq(book_open_count(&b, NULL), 1);
	book_release(&b);
}
END_TEST

START_TEST(sell_limit_gets_open_when_gapped_above)
{
	struct book b;
	struct log l;
	struct order o;
	struct bar below = mkbar(T0 + MIN, 100, 101.99, 99.9, 100);
	struct bar gap = mkbar(T0 + 2 * MIN, 102.5, 103, 102.1, 102.2);

	open_long(&b, &l);
	o = mkorder("e/target", T0 + MIN, "sell", "limit", 102.0, "close",
	    "e");
	book_order(&b, &o);
	book_bar(&b, &below, record, &l);
	ck_assert_int_eq(l.n, 0);
	book_bar(&b, &gap, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_double_eq(l.price[0], 102.5);
	book_release(&b);
}
END_TEST

START_TEST(entry_expires_at_its_instant)
{
	struct book b;
	struct log l = { 0 };
	struct order o = mkorder("e", T0, "buy", "market", NAN, "open", NULL);
	struct bar at = mkbar(T0 + MIN, 100, 101, 99, 100);

	book_init(&b, NULL);
	o.expires = T0 + MIN;	/* a bar starting at expiry is too late */
	book_order(&b, &o);
	book_bar(&b, &at, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.what[0], BOOK_EXPIRE);
	ck_assert_uint_eq(book_open_count(&b, NULL), 0);
	ck_assert_uint_eq(book_pending_entries(&b, NULL), 0);
	book_release(&b);

	/* One millisecond later expiry: it fills. */
	memset(&l, 0, sizeof(l));
	book_init(&b, NULL);
	o.expires = T0 + MIN + 1;
	book_order(&b, &o);
	book_bar(&b, &at, record, &l);
	ck_assert_int_eq(l.what[0], BOOK_FILL);
	book_release(&b);
}
END_TEST

START_TEST(replayed_order_is_taken_once)
{
	struct book b;
	struct log l = { 0 };
	struct order o = mkorder("e", T0, "buy", "market", NAN, "open", NULL);
	struct bar bar = mkbar(T0, 100, 101, 99, 100);

	book_init(&b, NULL);
	ck_assert_int_eq(book_order(&b, &o), 1);
	ck_assert_int_eq(book_order(&b, &o), 0);
	book_bar(&b, &bar, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_uint_eq(book_open_count(&b, NULL), 1);
	/* Even after the fill, the same intent is not taken again. */
	ck_assert_int_eq(book_order(&b, &o), 0);
	book_release(&b);
}
END_TEST

START_TEST(close_without_position_is_rejected)
{
	struct book b;
	struct log l = { 0 };
	struct order o = mkorder("x/eod", T0, "sell", "market", NAN, "close",
	    "x");
	struct bar bar = mkbar(T0, 100, 101, 99, 100);

	book_init(&b, NULL);
	book_order(&b, &o);
	book_bar(&b, &bar, record, &l);
	ck_assert_int_eq(l.n, 1);
	ck_assert_int_eq(l.what[0], BOOK_REJECT);
	book_release(&b);
}
END_TEST

START_TEST(short_pnl_and_fees)
{
	struct book b;
	struct log l = { 0 };
	struct fees f = { 0.005, 1.0 };
	struct order e = mkorder("s", T0, "sell", "market", NAN, "open", NULL);
	struct order x = mkorder("s/eod", T0 + MIN, "buy", "market", NAN,
	    "close", "s");
	struct bar b1 = mkbar(T0, 100, 101, 99, 100);
	struct bar b2 = mkbar(T0 + MIN, 99, 99.5, 98, 99);

	book_init(&b, &f);
	book_order(&b, &e);
	book_bar(&b, &b1, record, &l);
	book_order(&b, &x);
	book_bar(&b, &b2, record, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_double_eq_tol(l.pnl[1], 100.0, 1e-9);
	ck_assert_double_eq_tol(fees_of(&f, 100), 1.5, 1e-12);
	book_release(&b);
}
END_TEST

START_TEST(liquidate_closes_at_price_and_cancels_pending)
{
	struct book b;
	struct log l;
	struct order x;

	open_long(&b, &l);
	x = mkorder("e/cloud_flip", T0 + 5 * MIN, "sell", "market", NAN,
	    "close", "e");
	book_order(&b, &x);
	book_liquidate(&b, "SPY", T0 + MIN, 101.25, record, &l);
	ck_assert_int_eq(l.n, 2);
	ck_assert_int_eq(l.what[0], BOOK_EXPIRE);
	ck_assert_int_eq(l.what[1], BOOK_FILL);
	ck_assert_double_eq(l.price[1], 101.25);
	ck_assert_uint_eq(book_open_count(&b, NULL), 0);
	book_release(&b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("paper");
	TCase *tc = tcase_create("rules");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, market_fills_at_next_open_not_before);
	tcase_add_loop_test(tc, sell_stop_boundaries, 0,
	    (int)(sizeof(stops) / sizeof(stops[0])));
	tcase_add_test(tc, sell_limit_gets_open_when_gapped_above);
	tcase_add_test(tc, entry_expires_at_its_instant);
	tcase_add_test(tc, replayed_order_is_taken_once);
	tcase_add_test(tc, close_without_position_is_rejected);
	tcase_add_test(tc, short_pnl_and_fees);
	tcase_add_test(tc, liquidate_closes_at_price_and_cancels_pending);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
