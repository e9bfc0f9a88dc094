# scalpkit: small C commands for intraday scalping.  See README.md.
.POSIX:

VERSION = 0.1.0
PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
SHAREDIR = $(PREFIX)/share/scalpkit
SYSCONFDIR = $(PREFIX)/etc/scalpkit
DESTDIR =

CC = cc
CFLAGS = -O2 -g
# Always appended, whatever the user's CFLAGS: warnings, and the exact
# binary64 arithmetic the reference strategy depends on (no FMA).
SKFLAGS = -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Wvla \
	-ffp-contract=off \
	-DSK_VERSION='"$(VERSION)"' \
	-DSK_SHAREDIR='"$(SHAREDIR)"' -DSK_SYSCONFDIR='"$(SYSCONFDIR)"'
CXX = c++
CXXFLAGS = -O2 -g
# The one C++ file wraps double-conversion; same warnings, C++11.
SKCXXFLAGS = -std=c++11 -Wall -Wextra -Wpedantic -Wshadow -ffp-contract=off
LDLIBS = -lsqlite3 -lcjson -linih -ldouble-conversion -lstdc++ -lz -lm
CHECKLIBS = -lcheck -lsubunit -lrt -lpthread -lm

# Output directories: a normal build goes to bin/ and obj/; "make check"
# builds with the sanitizers into build/san/ and tests that.
O = obj
B = bin

BIN = \
	backtest \
	calc-indicators \
	fetch-quotes \
	gate-risk \
	journal \
	pick-contract \
	place-order \
	rank-signals \
	reconcile-settlement \
	watch-exits

LIBSRC = \
	lib/bs.c \
	lib/calc.c \
	lib/calendar.c \
	lib/chain.c \
	lib/cli.c \
	lib/clock.c \
	lib/config.c \
	lib/etfmap.c \
	lib/exits.c \
	lib/feed.c \
	lib/fees.c \
	lib/gate.c \
	lib/ind.c \
	lib/input.c \
	lib/journal.c \
	lib/logit.c \
	lib/micro.c \
	lib/model_ema.c \
	lib/model_momentum.c \
	lib/model_turbo.c \
	lib/mtf.c \
	lib/occ.c \
	lib/ou.c \
	lib/paper.c \
	lib/pick.c \
	lib/place.c \
	lib/pricemodel.c \
	lib/quality.c \
	lib/rank.c \
	lib/rec.c \
	lib/report.c \
	lib/settle.c \
	lib/sk.c \
	lib/stage.c \
	lib/structure.c \
	lib/vwap.c

HDR = \
	lib/bs.h \
	lib/calc.h \
	lib/calendar.h \
	lib/chain.h \
	lib/cli.h \
	lib/clock.h \
	lib/config.h \
	lib/dtoa.h \
	lib/etfmap.h \
	lib/exits.h \
	lib/feed.h \
	lib/fees.h \
	lib/gate.h \
	lib/ind.h \
	lib/input.h \
	lib/journal.h \
	lib/logit.h \
	lib/micro.h \
	lib/mtf.h \
	lib/occ.h \
	lib/ou.h \
	lib/paper.h \
	lib/pick.h \
	lib/place.h \
	lib/pricemodel.h \
	lib/quality.h \
	lib/rank.h \
	lib/rec.h \
	lib/report.h \
	lib/settle.h \
	lib/sk.h \
	lib/stage.h \
	lib/structure.h \
	lib/vwap.h

UNIT = \
	test_bs \
	test_calendar \
	test_clock \
	test_config \
	test_etfmap \
	test_exits \
	test_fees \
	test_gate \
	test_ind \
	test_journal \
	test_logit \
	test_micro \
	test_mtf \
	test_occ \
	test_ou \
	test_paper \
	test_pick \
	test_pricemodel \
	test_quality \
	test_rec \
	test_strategy \
	test_structure \
	test_vwap

MAN1 = $(BIN:=.1) scalp-cycle.1
MAN5 = scalpkit.conf.5
MAN7 = scalpkit.7

LIBOBJ = $(LIBSRC:lib/%.c=$(O)/lib/%.o) $(O)/lib/dtoa.o
LIBA = $(O)/libscalpkit.a
ALLCFLAGS = $(CFLAGS) $(SKFLAGS)

all: $(BIN:%=$(B)/%)

$(O)/lib/%.o: lib/%.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

$(O)/lib/dtoa.o: lib/dtoa.cc lib/dtoa.h
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(SKCXXFLAGS) -c -o $@ lib/dtoa.cc

$(O)/cmd/%.o: cmd/%.c $(HDR)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Ilib -c -o $@ $<

$(LIBA): $(LIBOBJ)
	rm -f $@
	ar rcs $@ $(LIBOBJ)

$(B)/%: $(O)/cmd/%.o $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(O)/unit/%: tests/unit/%.c $(LIBA) $(HDR)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Wno-missing-prototypes -Ilib \
	    -DSK_TESTDATA='"$(CURDIR)/tests/data"' \
	    -DSK_SRCDIR='"$(CURDIR)"' \
	    $(LDFLAGS) -o $@ $< $(LIBA) $(LDLIBS) $(CHECKLIBS)

units: $(UNIT:%=$(O)/unit/%)

# The sanitizers (address, undefined) are on for every test run.
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all -Werror

check:
	$(MAKE) O=build/san/obj B=build/san/bin CFLAGS='$(SANFLAGS)' \
	    CXXFLAGS='$(SANFLAGS)' all units
	SK_BIN=$(CURDIR)/build/san/bin SK_UNITDIR=build/san/obj/unit \
	    UNIT='$(UNIT)' sh tests/run

bench: all
	sh bench/run

# The main job on the embedded default: a replayed SPY week through every
# stage with the paper broker, into a journal in the state directory.
demo: all
	@SCALPKIT_SHARE=$(CURDIR)/share $(B)/backtest -c etc/scalpkit.conf \
	    -p ema-cloud -s SPY share/replay/spy_1m_2011-01-03_2011-01-07.csv.gz
	@echo
	@SCALPKIT_SHARE=$(CURDIR)/share $(B)/journal -c etc/scalpkit.conf \
	    -j "$$(dirname "$$($(B)/journal -c etc/scalpkit.conf path)")/backtest.db" \
	    trades | column -t -s,
	@echo
	@echo "journal: $$(dirname "$$($(B)/journal -c etc/scalpkit.conf path)")/backtest.db"

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(SYSCONFDIR)/profiles
	cp $(BIN:%=$(B)/%) $(DESTDIR)$(BINDIR)/
	cp cron/scalp-cycle $(DESTDIR)$(BINDIR)/
	cd man && cp $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	cd man && cp $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	cd man && cp $(MAN7) $(DESTDIR)$(MANDIR)/man7/
	cp -R share/. $(DESTDIR)$(SHAREDIR)/
	mkdir -p $(DESTDIR)$(SHAREDIR)/cron
	cp cron/crontab cron/scalpkit-cycle.service cron/scalpkit-cycle.timer \
	    $(DESTDIR)$(SHAREDIR)/cron/
	cp etc/scalpkit.conf $(DESTDIR)$(SYSCONFDIR)/
	cp etc/profiles/*.conf $(DESTDIR)$(SYSCONFDIR)/profiles/
	cp etc/etf-map.csv etc/index-members.csv $(DESTDIR)$(SYSCONFDIR)/

uninstall:
	cd $(DESTDIR)$(BINDIR) && rm -f $(BIN) scalp-cycle
	cd $(DESTDIR)$(MANDIR)/man1 && rm -f $(MAN1)
	cd $(DESTDIR)$(MANDIR)/man5 && rm -f $(MAN5)
	cd $(DESTDIR)$(MANDIR)/man7 && rm -f $(MAN7)
	rm -rf $(DESTDIR)$(SHAREDIR)

clean:
	rm -rf bin obj build

.PHONY: all units check bench demo install uninstall clean
.PRECIOUS: $(O)/cmd/%.o
