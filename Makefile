# iolab — plain Makefile. `make V=1` shows the commands.

CC      ?= cc
O       ?= build
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -D_GNU_SOURCE -I.
NCURSES_CFLAGS := $(shell pkg-config --cflags ncursesw 2>/dev/null)
NCURSES_LIBS   := $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw)
# iniparser reads the settings file (tui/settings.c): Debian's 4.1 ships no
# .pc and keeps <iniparser.h> under /usr/include/iniparser; later ones ship
# iniparser.pc saying where.
INIPARSER_CFLAGS := $(shell pkg-config --cflags iniparser 2>/dev/null || echo -I/usr/include/iniparser)
INIPARSER_LIBS   := $(shell pkg-config --libs iniparser 2>/dev/null || echo -liniparser)
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(NCURSES_CFLAGS) $(INIPARSER_CFLAGS) -pthread -MMD -MP
LIBS    := $(NCURSES_LIBS) $(INIPARSER_LIBS) -laio -luring -lxxhash -lmd -lblkid -lm -pthread
LDFLAGS ?=

ifeq ($(V),1)
Q :=
else
Q := @
endif

LIB_SRC     := $(sort $(wildcard lib/*.c))
BACKEND_SRC := $(sort $(wildcard backend/*.c))
ENGINE_SRC  := $(sort $(wildcard engines/*.c))
WIDGET_SRC  := $(sort $(wildcard widgets/*.c))
TUI_SRC     := $(sort $(wildcard tui/*.c))
CLI_SRC     := $(sort $(filter-out cli/main.c,$(wildcard cli/*.c)))
CORE_SRC    := $(LIB_SRC) $(BACKEND_SRC) $(ENGINE_SRC) $(WIDGET_SRC) $(TUI_SRC) $(CLI_SRC)
CORE_OBJ    := $(CORE_SRC:%.c=$(O)/%.o)
MAIN_OBJ    := $(O)/cli/main.o

TEST_SRC    := $(sort $(wildcard tests/test_*.c))
TEST_BIN    := $(TEST_SRC:tests/%.c=$(O)/tests/%)

# The slow-disk lab's FUSE server (tests/lab/): a test tool, built only
# where libfuse3 is installed (the lab tests skip without it).
FUSE_CFLAGS := $(shell pkg-config --cflags fuse3 2>/dev/null)
FUSE_LIBS   := $(shell pkg-config --libs fuse3 2>/dev/null)
LAB_BIN     := $(if $(FUSE_LIBS),$(O)/lab/labfs)

BENCH_SRC   := $(sort $(wildcard bench/*.c))
BENCH_BIN   := $(BENCH_SRC:bench/%.c=$(O)/bench/%)

.PHONY: all test test-run unit e2e run deps clean bench bench-prio screenshots check-asan check-tsan fuzz fuzz-fioproto

all: iolab

# IOLAB_BIN: the binary `make test` runs (check-asan builds its own).
IOLAB_BIN ?= iolab

iolab $(O)/iolab: $(O)/libiolab.a $(MAIN_OBJ)
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(O)/libiolab.a $(LIBS)

$(O)/libiolab.a: $(CORE_OBJ)
	@echo "  AR      $@"
	$(Q)rm -f $@ && ar rcs $@ $^

# Plain `make` on a machine without the -dev packages names them and `make
# deps` instead of failing in the compiler; checked once per build tree.
$(O)/.deps-ok: scripts/deps.sh
	$(Q)scripts/deps.sh --check-build
	@mkdir -p $(dir $@) && touch $@

$(O)/%.o: %.c | $(O)/.deps-ok
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(O)/tests/%: tests/%.c $(O)/libiolab.a
	@mkdir -p $(dir $@)
	@echo "  TEST-CC $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(O)/libiolab.a $(LIBS) -lcmocka

$(O)/bench/%: bench/%.c $(O)/libiolab.a
	@mkdir -p $(dir $@)
	@echo "  BENCH-CC $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $< $(O)/libiolab.a $(LIBS)

# Unit tests (cmocka), then the real binary headless and in tmux. Installs
# what is missing first, then builds in a sub-make so pkg-config's answers
# are read after the packages are there.
test: deps
	$(Q)$(MAKE) --no-print-directory test-run

test-run: $(IOLAB_BIN) $(TEST_BIN) $(LAB_BIN)
	$(Q)IOLAB=$(CURDIR)/$(IOLAB_BIN) LABFS=$(CURDIR)/$(O)/lab/labfs tests/run.sh $(TEST_BIN)

# Plain flags whatever the variant (check-asan): a FUSE server under a
# sanitizer tests nothing of iolab's.
$(O)/lab/labfs: tests/lab/labfs.c
	@mkdir -p $(dir $@)
	@echo "  LAB-CC  $<"
	$(Q)$(CC) -std=gnu11 $(WARN) -O2 -g $(FUSE_CFLAGS) -o $@ $< $(FUSE_LIBS)

unit: $(TEST_BIN)
	$(Q)tests/run.sh --unit-only $(TEST_BIN)

deps:
	$(Q)scripts/deps.sh

# Installs what is missing, builds, opens the workbench running the default job.
run: deps
	$(Q)$(MAKE) --no-print-directory iolab
	./iolab --run

bench: iolab $(BENCH_BIN)
	$(Q)$(O)/bench/record_read
	$(Q)bench/run.sh

bench-prio: $(O)/bench/prio_bench
	$(Q)$(O)/bench/prio_bench

screenshots: iolab
	$(Q)scripts/deps.sh python3-pil fonts-dejavu-core
	$(Q)scripts/screenshots.sh

check-asan:
	$(Q)$(MAKE) --no-print-directory O=build-asan CC=gcc \
		CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		LDFLAGS="-fsanitize=address,undefined" IOLAB_BIN=build-asan/iolab test

check-tsan:
	$(Q)$(MAKE) --no-print-directory O=build-tsan CC=gcc \
		CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread" unit

# libFuzzer (clang) over the job-file reader and option parsers; see
# tests/fuzz/fuzz_jobfile.c and scripts/fuzz.sh.
FUZZ_SECONDS ?= 60
fuzz:
	$(Q)scripts/fuzz.sh deps
	$(Q)$(MAKE) --no-print-directory O=build-fuzz CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		build-fuzz/fuzz_jobfile
	$(Q)scripts/fuzz.sh run build-fuzz/fuzz_jobfile $(FUZZ_SECONDS)

# The fio-server packet reader: `make fuzz-fioproto FUZZ_SECONDS=N`.
fuzz-fioproto:
	$(Q)scripts/fuzz.sh deps
	$(Q)$(MAKE) --no-print-directory O=build-fuzz CC=clang \
		CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
		build-fuzz/fuzz_fioproto
	$(Q)scripts/fuzz.sh run build-fuzz/fuzz_fioproto $(FUZZ_SECONDS)

$(O)/fuzz_fioproto: tests/fuzz/fuzz_fioproto.c $(O)/libiolab.a
	@echo "  FUZZ-LD $@"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(O)/libiolab.a $(LIBS)

$(O)/fuzz_jobfile: tests/fuzz/fuzz_jobfile.c $(O)/libiolab.a
	@echo "  FUZZ-LD $@"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(O)/libiolab.a $(LIBS)

clean:
	rm -rf build build-asan build-tsan build-fuzz iolab

-include $(CORE_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)

# ---- profiles: embed profiles/*.fio into the library (owner: profiles) ----
# $(O)/gen/profiles.list changes only when a profile is added or removed, so
# the generated C is rebuilt then and whenever a profile or the script changes.
PROFILE_FIO := $(sort $(wildcard profiles/*.fio))

$(O)/gen/profiles.list: profiles-list-check
	@mkdir -p $(dir $@)
	$(Q)echo '$(PROFILE_FIO)' | cmp -s - $@ || echo '$(PROFILE_FIO)' > $@

$(O)/gen/profiles_data.c: $(PROFILE_FIO) scripts/embed_profiles.sh $(O)/gen/profiles.list
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)sh scripts/embed_profiles.sh $(PROFILE_FIO) > $@.tmp && mv $@.tmp $@

$(O)/gen/profiles_data.o: $(O)/gen/profiles_data.c backend/profiles.h
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -c -o $@ $<

$(O)/libiolab.a: $(O)/gen/profiles_data.o

.PHONY: profiles-list-check
-include $(O)/gen/profiles_data.d
# ---- end profiles ----

# ---- install: the binary, profiles, iolab.1 and bash completion ----
# The manual page and the completion are generated by the binary from its
# flag and option tables (iolab --man, iolab --completion=bash), never
# written by hand. PREFIX and DESTDIR as usual; DOCS_O is where they are
# generated (tests point it at a scratch directory).
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
DATADIR     ?= $(PREFIX)/share/iolab
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL     ?= install
DOCS_O      ?= $(O)

.PHONY: docs install uninstall

docs: $(DOCS_O)/iolab.1 $(DOCS_O)/iolab.bash

$(DOCS_O)/iolab.1: $(IOLAB_BIN)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(abspath $(IOLAB_BIN)) --man > $@.tmp && mv $@.tmp $@

$(DOCS_O)/iolab.bash: $(IOLAB_BIN)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(abspath $(IOLAB_BIN)) --completion=bash > $@.tmp && mv $@.tmp $@

install: $(IOLAB_BIN) docs
	$(Q)$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/profiles $(DESTDIR)$(BASHCOMPDIR)
	$(Q)$(INSTALL) -m 755 $(IOLAB_BIN) $(DESTDIR)$(BINDIR)/iolab
	$(Q)$(INSTALL) -m 644 $(DOCS_O)/iolab.1 $(DESTDIR)$(MANDIR)/man1/iolab.1
	$(Q)$(INSTALL) -m 644 $(PROFILE_FIO) $(DESTDIR)$(DATADIR)/profiles/
	$(Q)$(INSTALL) -m 644 $(DOCS_O)/iolab.bash $(DESTDIR)$(BASHCOMPDIR)/iolab
	@echo "  INSTALL $(DESTDIR)$(BINDIR)/iolab, man1/iolab.1, $(words $(PROFILE_FIO)) profiles, bash completion"

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/iolab $(DESTDIR)$(MANDIR)/man1/iolab.1 \
		$(DESTDIR)$(BASHCOMPDIR)/iolab
	rm -rf $(DESTDIR)$(DATADIR)
# ---- end install ----
