# tests/fuzz/fuzz.mk — robustness checks (included by the main Makefile; issue 7).
#
#   make test-asan       every unit, end-to-end and hostile-HTTP test again, built with clang
#                        and AddressSanitizer + UndefinedBehaviorSanitizer (leaks detected) in
#                        $(BUILD)/asan
#   make test-valgrind   the end-to-end and hostile-HTTP tests with the server under valgrind
#                        memcheck: zero errors, zero definite/indirect leaks, exit 0 on SIGTERM
#                        (also sees inside uninstrumented libraries such as jansson)
#   make test-fuzz       replays tests/fuzz/regressions, then fuzzes each libFuzzer target for
#                        FUZZ_CI_SECONDS (20 s)
#   make fuzz            the same for FUZZ_SECONDS (60 s) per target; FUZZ_TARGETS="a b" to pick
#   make test-hostile    hostile HTTP against the real server (raw sockets)
#   make test-tsan       the end-to-end and hostile tests against a ThreadSanitizer server
#   make soak            bench/soak.sh: 60 s of wrk at 256 connections plus SIGHUP reloads, RSS
#                        sampled (not part of `make test`: too long for CI)
# The first four are part of `make test` (TEST_EXTRA).

DEB_TEST_PKGS += clang libclang-rt-14-dev valgrind wrk
TEST_EXTRA += test-asan test-valgrind test-fuzz test-hostile

FUZZ_TARGETS    ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS    ?= 60
FUZZ_CI_SECONDS ?= 20
ASAN_BUILD      := $(BUILD)/asan
FUZZ_BUILD      := $(BUILD)/fuzz
# clang's -Wextra has warnings gcc lacks (e.g. -Wstring-concatenation on intended SQL pieces).
CLANG_NOWARN    := -Wno-string-concatenation -Wno-unknown-warning-option
SAN_CFLAGS      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all \
                   $(CLANG_NOWARN)
FUZZ_CFLAGS     := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
                   -fno-sanitize-recover=all $(CLANG_NOWARN)
SAN_ENV         := ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1 \
                   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
VALGRIND        := valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
                   --error-exitcode=1 --track-fds=no
HOSTILE_BIN     := $(BUILD)/tests/hostile $(BUILD)/tests/hostile_conn $(BUILD)/tests/hostile_corpus \
                   $(BUILD)/tests/hostile_limits $(BUILD)/tests/hostile_inputs
E2E_HEADERS     := tests/e2e/harness.h tests/e2e/raw_http.h tests/e2e/gen_corpus.h \
                   tests/e2e/hostile_client.h

.PHONY: test-asan test-tsan test-valgrind test-fuzz fuzz fuzz-build fuzz-bins test-hostile test-binaries soak

$(BUILD)/tests/hostile: tests/e2e/test_hostile.c $(E2E_HEADERS) $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

$(BUILD)/tests/hostile_%: tests/e2e/test_hostile_%.c $(E2E_HEADERS) $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

# Each program against its own server(s); all run, then the target fails if any failed.
test-hostile: $(BIN) $(HOSTILE_BIN)
	@fail=0; for t in $(HOSTILE_BIN); do \
	  CORPUSD_BIN=$(CURDIR)/$(BIN) CORPUSD_TEST_CORPUS=$(CURDIR)/$(CORPUS) $$t || fail=1; done; exit $$fail

# Builds in parallel (FUZZ_JOBS), then runs the tests one after the other.
FUZZ_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
test-binaries: $(BIN) $(UNIT_BIN) $(E2E_BIN) $(HOSTILE_BIN)

test-asan:
	@echo "test-asan: unit, e2e and hostile tests under ASan+UBSan ($(ASAN_BUILD))"
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) BUILD=$(ASAN_BUILD) CC=clang \
	  EXTRA_CFLAGS="$(SAN_CFLAGS)" test-binaries
	@$(SAN_ENV) $(MAKE) --no-print-directory BUILD=$(ASAN_BUILD) CC=clang \
	  EXTRA_CFLAGS="$(SAN_CFLAGS)" test-unit test-e2e test-hostile

# ThreadSanitizer: the server under the end-to-end and hostile tests (reloads under load,
# drain, many connections). Not in `make test` (time); a race makes the server exit non-zero.
test-tsan:
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) BUILD=$(BUILD)/tsan CC=clang \
	  EXTRA_CFLAGS="-fsanitize=thread $(CLANG_NOWARN)" test-binaries
	@TSAN_OPTIONS=second_deadlock_stack=1 $(MAKE) --no-print-directory BUILD=$(BUILD)/tsan \
	  CC=clang EXTRA_CFLAGS="-fsanitize=thread $(CLANG_NOWARN)" test-e2e test-hostile

test-valgrind: $(BIN) $(E2E_BIN) $(HOSTILE_BIN)
	@rm -rf $(BUILD)/valgrind && mkdir -p $(BUILD)/valgrind
	@fail=0; for t in $(E2E_BIN) $(HOSTILE_BIN); do \
	  CORPUSD_WRAPPER="$(VALGRIND) --log-file=$(CURDIR)/$(BUILD)/valgrind/corpusd.%p.log" \
	  CORPUSD_BIN=$(CURDIR)/$(BIN) CORPUSD_TEST_CORPUS=$(CURDIR)/$(CORPUS) $$t || fail=1; \
	done; \
	n=0; for f in $(BUILD)/valgrind/corpusd.*.log; do [ -f $$f ] || continue; n=$$((n+1)); \
	  bad=0; grep -q 'ERROR SUMMARY: 0 errors' $$f || bad=1; \
	  grep -q 'All heap blocks were freed' $$f || \
	    { grep -q 'definitely lost: 0 bytes' $$f && grep -q 'indirectly lost: 0 bytes' $$f; } || bad=1; \
	  if [ $$bad = 1 ]; then echo "valgrind: errors or leaks (or no summary) in $$f:"; cat $$f; fail=1; fi; \
	done; \
	[ $$n -gt 0 ] || { echo "valgrind: no log written"; fail=1; }; \
	[ $$fail = 0 ] && echo "test-valgrind: $$n server run(s) under memcheck: 0 errors, 0 definite/indirect leaks"; \
	exit $$fail

# libFuzzer targets: the library built with -fsanitize=fuzzer-no-link in $(FUZZ_BUILD), each
# target linked with -fsanitize=fuzzer.
fuzz-build:
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) BUILD=$(FUZZ_BUILD) CC=clang \
	  EXTRA_CFLAGS="$(FUZZ_CFLAGS)" fuzz-bins

fuzz-bins: $(FUZZ_TARGETS:%=$(BUILD)/fuzz_%)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_util.h $(BUILD)/libcorpusd.a
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS)

test-fuzz: fuzz-build
	CORPUSD_DATA_DIR=$(DATADIR) CORPUSD_TEST_CORPUS=$(CURDIR)/$(CORPUS) \
	  tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_CI_SECONDS) $(FUZZ_TARGETS)

fuzz: fuzz-build
	CORPUSD_DATA_DIR=$(DATADIR) CORPUSD_TEST_CORPUS=$(CURDIR)/$(CORPUS) \
	  tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

soak: $(BIN)
	CORPUSD_BIN=$(CURDIR)/$(BIN) CORPUSD_TEST_CORPUS=$(CURDIR)/$(CORPUS) bash bench/soak.sh
