# libcsig - plain GNU Makefile.  See README.md.
.SUFFIXES:
.DELETE_ON_ERROR:

VERSION_MAJOR := $(shell sed -n 's/^\#define CSIG_VERSION_MAJOR \([0-9]*\)/\1/p' include/csig/common.h)
VERSION_MINOR := $(shell sed -n 's/^\#define CSIG_VERSION_MINOR \([0-9]*\)/\1/p' include/csig/common.h)
VERSION_PATCH := $(shell sed -n 's/^\#define CSIG_VERSION_PATCH \([0-9]*\)/\1/p' include/csig/common.h)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

CC ?= cc
ifeq ($(origin CC),default)
CC := cc
endif
B ?= build
UNAME_S := $(shell uname -s)

WARNINGS := -Wall -Wextra -Werror -Wpointer-arith -Wcast-qual -Wwrite-strings \
	-Wmissing-prototypes -Wstrict-prototypes -Wshadow -Wformat=2 -Wvla
CSTD := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT ?= -O2 -g
CPPFLAGS_LIB := -Iinclude -Ilibcsig
CFLAGS_LIB := $(CSTD) $(OPT) $(WARNINGS) -fPIC -fvisibility=hidden $(CFLAGS)
LDLIBS_LIB := -lpthread

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CHECK_CFLAGS := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck -lsubunit -lm -lrt -lpthread)

LIB_SRCS := $(sort $(wildcard libcsig/*.c))
LIB_OBJS := $(LIB_SRCS:libcsig/%.c=$(B)/obj/%.o)
SAN_OBJS := $(LIB_SRCS:libcsig/%.c=$(B)/san/%.o)
HEADERS := include/csig.h $(wildcard include/csig/*.h)
EXAMPLES := $(filter-out examples/csig.c examples/cli_%.c,$(wildcard examples/*.c))
EXAMPLE_BINS := $(EXAMPLES:examples/%.c=$(B)/examples/%)
CLI_SRCS := examples/csig.c $(wildcard examples/cli_*.c)
TEST_SRCS := $(sort $(wildcard tests/check_*.c))
TEST_BINS := $(TEST_SRCS:tests/%.c=$(B)/tests/%)
TEST_SUPPORT := $(wildcard tests/support_*.c)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)

STATIC := $(B)/libcsig.a
ifeq ($(UNAME_S),Darwin)
SHARED := $(B)/libcsig.$(VERSION).dylib
SHARED_LINKS := $(B)/libcsig.$(VERSION_MAJOR).dylib $(B)/libcsig.dylib
SHARED_LDFLAGS := -dynamiclib -install_name $(LIBDIR)/libcsig.$(VERSION_MAJOR).dylib \
	-compatibility_version $(VERSION_MAJOR) -current_version $(VERSION)
else
SHARED := $(B)/libcsig.so.$(VERSION)
SHARED_LINKS := $(B)/libcsig.so.$(VERSION_MAJOR) $(B)/libcsig.so
SHARED_LDFLAGS := -shared -Wl,-soname,libcsig.so.$(VERSION_MAJOR) \
	-Wl,--version-script=libcsig/libcsig.map -Wl,-z,defs
endif
CLI := $(B)/csig

# Real signed files from public projects; tests read them from here.
export CSIG_FIXTURES_REAL := $(abspath ../shared/fixtures-real)
export CSIG_TESTDATA := $(abspath testdata)
export CSIG_BUILD := $(abspath $(B))

.PHONY: all lib check check-c check-abi check-globals check-python check-go \
	headertest examples-run install uninstall clean sanitize asan ubsan fuzz \
	fuzz-replay bench abi-update check-slow

all: lib $(CLI) $(EXAMPLE_BINS) $(B)/libcsig.pc $(B)/pkgconfig/libcsig.pc

lib: $(STATIC) $(SHARED) $(SHARED_LINKS)

$(B)/obj/%.o: libcsig/%.c $(HEADERS) $(wildcard libcsig/*.h) | $(B)/obj
	$(CC) $(CPPFLAGS_LIB) $(CFLAGS_LIB) -c $< -o $@

$(B)/san/%.o: libcsig/%.c $(HEADERS) $(wildcard libcsig/*.h) | $(B)/san
	$(CC) $(CPPFLAGS_LIB) $(CSTD) -O1 -g $(WARNINGS) -DCSIG_TEST_HOOKS -DCSIG_DEBUG \
		$(SAN_FLAGS) -c $< -o $@

$(B)/obj $(B)/san $(B)/tests $(B)/examples $(B)/pkgconfig $(B)/fuzz:
	mkdir -p $@

$(STATIC): $(LIB_OBJS)
	rm -f $@
	ar rcs $@ $^

$(B)/libcsig-san.a: $(SAN_OBJS)
	rm -f $@
	ar rcs $@ $^

$(SHARED): $(LIB_OBJS) libcsig/libcsig.map
	$(CC) $(SHARED_LDFLAGS) -o $@ $(LIB_OBJS) $(LDLIBS_LIB)

$(SHARED_LINKS): $(SHARED)
	ln -sf $(notdir $(SHARED)) $@

$(CLI): $(CLI_SRCS) $(wildcard examples/*.h) $(STATIC) $(HEADERS)
	$(CC) -Iinclude $(CSTD) $(OPT) $(WARNINGS) $(CFLAGS) -o $@ $(CLI_SRCS) $(STATIC) $(LDLIBS_LIB)

$(B)/examples/%: examples/%.c $(STATIC) $(HEADERS) | $(B)/examples
	$(CC) -Iinclude $(CSTD) $(OPT) $(WARNINGS) $(CFLAGS) -o $@ $< $(STATIC) $(LDLIBS_LIB)

$(B)/libcsig.pc: libcsig.pc.in include/csig/common.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# Uninstalled .pc so the Go binding can build against the tree.
$(B)/pkgconfig/libcsig.pc: libcsig.pc.in include/csig/common.h | $(B)/pkgconfig
	sed -e 's|@PREFIX@|$(abspath .)|' -e 's|@LIBDIR@|$(abspath $(B))|' \
	    -e 's|@INCLUDEDIR@|$(abspath include)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# ---- tests ---------------------------------------------------------------
# Check suites run against an ASan+UBSan build of the library with the
# allocation-failure hook compiled in.
$(B)/tests/%: tests/%.c tests/testutil.h $(TEST_SUPPORT) $(B)/libcsig-san.a | $(B)/tests
	$(CC) -Iinclude -Ilibcsig -Itests $(CSTD) -O1 -g $(WARNINGS) -Wno-missing-prototypes \
		-DCSIG_TEST_HOOKS $(SAN_FLAGS) $(CHECK_CFLAGS) -o $@ $< $(TEST_SUPPORT) \
		$(B)/libcsig-san.a $(CHECK_LIBS) $(LDLIBS_LIB)

check: all check-abi check-globals headertest check-c fuzz-replay examples-run check-python check-go
	@echo "make check: all test groups passed"

check-c: $(TEST_BINS)
	@fail=0; for t in $(TEST_BINS); do \
		echo "== $$t"; \
		ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $$t || fail=1; \
	done; exit $$fail

sanitize asan ubsan: check-c

check-abi: $(SHARED)
	@sh tests/check_abi.sh $(SHARED) libcsig/libcsig.symbols $(VERSION)

abi-update: $(SHARED)
	@{ echo "# libcsig $(VERSION)"; nm -D --defined-only $(SHARED) | awk '$$2 ~ /^[TDBR]$$/ {print $$3}' | sort; } > libcsig/libcsig.symbols
	@echo "wrote libcsig/libcsig.symbols"

check-globals: $(LIB_OBJS)
	@sh tests/check_globals.sh $(LIB_OBJS)

headertest: $(HEADERS) | $(B)/tests
	@printf '#include <csig.h>\nint main(void) { return csig_version_number() > 0 ? 0 : 1; }\n' > $(B)/tests/headertest.c
	$(CC) -Iinclude -std=c99 -Wall -Wextra -pedantic -Werror -fsyntax-only $(B)/tests/headertest.c
	@if command -v c++ >/dev/null 2>&1; then cp $(B)/tests/headertest.c $(B)/tests/headertest.cc; \
		c++ -Iinclude -Wall -Wextra -pedantic -Werror -fsyntax-only $(B)/tests/headertest.cc; fi
	@echo "headertest: ok"

examples-run: $(EXAMPLE_BINS) $(CLI)
	@sh tests/run_examples.sh $(B)

check-python: $(SHARED_LINKS)
	@if [ -d bindings/python/tests ]; then \
		CSIG_LIBRARY=$(abspath $(SHARED)) PYTHONPATH=$(abspath bindings/python) \
		python3 -m pytest -q bindings/python/tests; \
	else echo "python binding: no tests yet"; fi

GO ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
check-go: $(SHARED_LINKS) $(B)/pkgconfig/libcsig.pc
	@if [ -f bindings/go/go.mod ]; then \
		cd bindings/go && PKG_CONFIG_PATH=$(abspath $(B)/pkgconfig) \
		LD_LIBRARY_PATH=$(abspath $(B)) CGO_ENABLED=1 $(GO) vet ./... && \
		PKG_CONFIG_PATH=$(abspath $(B)/pkgconfig) LD_LIBRARY_PATH=$(abspath $(B)) \
		CGO_ENABLED=1 $(GO) test -race -count=1 ./...; \
	else echo "go binding: no tests yet"; fi

# Fuzz targets: replay the committed corpora without libFuzzer (part of check),
# or run real libFuzzer campaigns with clang (make fuzz).
FUZZ_REPLAY := $(FUZZ_SRCS:tests/fuzz/%.c=$(B)/fuzz/replay_%)
$(B)/fuzz/replay_%: tests/fuzz/%.c tests/fuzz/replay_main.c $(wildcard tests/fuzz/*.h) $(B)/libcsig-san.a | $(B)/fuzz
	$(CC) -Iinclude -Ilibcsig $(CSTD) -O1 -g -Wall -Wextra -Werror $(SAN_FLAGS) \
		-o $@ $< tests/fuzz/replay_main.c $(B)/libcsig-san.a $(LDLIBS_LIB)

fuzz-replay: $(FUZZ_REPLAY)
	@for f in $(FUZZ_REPLAY); do n=$${f##*/replay_}; \
		$$f tests/fuzz/corpus/$$n $$(ls tests/fuzz/regress/$$n-* 2>/dev/null) || exit 1; done; \
	for r in tests/fuzz/regress/fuzz_*; do [ -e "$$r" ] || continue; \
		b=$${r##*/}; [ -f "tests/fuzz/$${b%%-*}.c" ] || \
		{ echo "fuzz-replay: $$r names no fuzz target"; exit 1; }; done; echo "fuzz-replay: ok"

FUZZ_SECONDS ?= 60
fuzz: | $(B)/fuzz
	@for s in $(FUZZ_SRCS); do n=$$(basename $$s .c); \
		clang -Iinclude -Ilibcsig $(CSTD) -O1 -g -fsanitize=fuzzer,address,undefined \
			-o $(B)/fuzz/$$n $$s $(LIB_SRCS) -lpthread || exit 1; \
		mkdir -p $(B)/fuzz/corpus-$$n; \
		$(B)/fuzz/$$n -max_total_time=$(FUZZ_SECONDS) $(B)/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

bench: all
	@sh bench/run.sh

# ---- install -------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/csig \
		$(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/csig
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/
	for l in $(SHARED_LINKS); do ln -sf $(notdir $(SHARED)) $(DESTDIR)$(LIBDIR)/$$(basename $$l); done
	install -m 644 include/csig.h $(DESTDIR)$(INCLUDEDIR)/
	install -m 644 include/csig/*.h $(DESTDIR)$(INCLUDEDIR)/csig/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    libcsig.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/libcsig.pc
	install -m 644 man/man1/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 man/man3/*.3 $(DESTDIR)$(MANDIR)/man3/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/csig $(DESTDIR)$(LIBDIR)/libcsig.a \
		$(DESTDIR)$(LIBDIR)/$(notdir $(SHARED)) \
		$(foreach l,$(SHARED_LINKS),$(DESTDIR)$(LIBDIR)/$(notdir $(l))) \
		$(DESTDIR)$(INCLUDEDIR)/csig.h $(DESTDIR)$(PKGCONFIGDIR)/libcsig.pc
	rm -rf $(DESTDIR)$(INCLUDEDIR)/csig
	for m in man/man1/*.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$(basename $$m); done
	for m in man/man3/*.3; do rm -f $(DESTDIR)$(MANDIR)/man3/$$(basename $$m); done

clean:
	rm -rf $(B)

# ---- check-slow: valgrind memcheck, ThreadSanitizer, libFuzzer campaigns ----
# Results are recorded in tests/fuzz/README.md.  Valgrind cannot run ASan
# binaries, so the suites are rebuilt here against a plain -O1 build of the
# library (with the test hooks).  Each step skips with a message when its
# tool (valgrind, clang) is absent.
VG_OBJS := $(LIB_SRCS:libcsig/%.c=$(B)/vg/obj/%.o)
VG_BINS := $(TEST_SRCS:tests/%.c=$(B)/vg/%)
FUZZ_OBJS := $(LIB_SRCS:libcsig/%.c=$(B)/fuzz/obj/%.o)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(B)/fuzz/bin/%)
VALGRIND ?= valgrind
.SECONDARY: $(VG_OBJS) $(FUZZ_OBJS)
$(B)/vg/obj/%.o: libcsig/%.c $(HEADERS) $(wildcard libcsig/*.h)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_LIB) $(CSTD) -O1 -g $(WARNINGS) -DCSIG_TEST_HOOKS -c $< -o $@
$(B)/vg/libcsig-vg.a: $(VG_OBJS)
	rm -f $@ && ar rcs $@ $^
$(B)/vg/%: tests/%.c tests/testutil.h $(TEST_SUPPORT) $(B)/vg/libcsig-vg.a
	$(CC) -Iinclude -Ilibcsig -Itests $(CSTD) -O1 -g -w \
		-DCSIG_TEST_HOOKS $(CHECK_CFLAGS) -o $@ $< $(TEST_SUPPORT) $(B)/vg/libcsig-vg.a \
		$(CHECK_LIBS) $(LDLIBS_LIB)
$(B)/tsan/check_threads: tests/check_threads.c tests/testutil.h $(LIB_SRCS) $(HEADERS)
	@mkdir -p $(@D)
	clang -fsanitize=thread -O1 -g -Iinclude -Ilibcsig -Itests $(CSTD) $(CHECK_CFLAGS) \
		-o $@ tests/check_threads.c $(LIB_SRCS) $(CHECK_LIBS) $(LDLIBS_LIB)
$(B)/fuzz/obj/%.o: libcsig/%.c $(HEADERS) $(wildcard libcsig/*.h)
	@mkdir -p $(@D)
	clang $(CPPFLAGS_LIB) $(CSTD) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -c $< -o $@
$(B)/fuzz/bin/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(FUZZ_OBJS)
	@mkdir -p $(@D)
	clang -Iinclude -Ilibcsig $(CSTD) -O1 -g -fsanitize=fuzzer,address,undefined -o $@ $< \
		$(FUZZ_OBJS) $(LDLIBS_LIB)

check-slow:
	@fail=0; \
	if command -v $(VALGRIND) >/dev/null 2>&1; then \
		$(MAKE) -k --no-print-directory $(VG_BINS) || fail=1; \
		for t in $(VG_BINS); do [ -x $$t ] || continue; echo "== valgrind $$t"; \
			CK_TIMEOUT_MULTIPLIER=30 $(VALGRIND) -q --error-exitcode=99 --leak-check=full \
			--errors-for-leak-kinds=definite,indirect $$t || fail=1; done; \
	else echo "check-slow: valgrind not installed: memcheck step skipped"; fi; \
	if command -v clang >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory $(B)/tsan/check_threads || exit 1; \
		echo "== tsan check_threads"; \
		TSAN_OPTIONS=halt_on_error=1 $(B)/tsan/check_threads || fail=1; \
		$(MAKE) --no-print-directory $(FUZZ_BINS) || exit 1; \
		for f in $(FUZZ_BINS); do n=$${f##*/}; mkdir -p $(B)/fuzz/corpus-$$n; \
			echo "== fuzz $$n $(FUZZ_SECONDS)s"; \
			$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -rss_limit_mb=2048 \
				-artifact_prefix=$(B)/fuzz/$$n- $(B)/fuzz/corpus-$$n tests/fuzz/corpus/$$n \
				2>&1 | grep -E '^(stat::number_of_executed_units|#[0-9]+.*DONE)|ERROR|SUMMARY' || true; \
			[ -z "$$(ls $(B)/fuzz/$$n-crash-* $(B)/fuzz/$$n-leak-* $(B)/fuzz/$$n-timeout-* 2>/dev/null)" ] || \
				{ echo "fuzz $$n: finding saved in $(B)/fuzz/"; fail=1; }; done; \
	else echo "check-slow: clang not installed: ThreadSanitizer and fuzz steps skipped"; fi; \
	[ $$fail = 0 ] && echo "check-slow: all passed" || { echo "check-slow: FAILED"; exit 1; }
