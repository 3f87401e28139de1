# corpusd — build, run and test. `make run` and `make test` are the two commands a user needs
# (./run and ./test also install make and gcc first). `make run` calls `make deps-run` (the run
# set of Debian packages), `make test` calls `make deps` (run and test sets); both install only
# what is missing and otherwise do nothing.

CC       ?= gcc
BUILD    ?= build
DATADIR  ?= $(CURDIR)/ingest/data
WEBDIR   ?= $(CURDIR)/web
VERSION  := 0.1.0
PKGS     := libmicrohttpd jansson sqlite3 zlib
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS   ?= -O2 -g
CFLAGS   += -std=c11 $(WARN) -D_GNU_SOURCE -I. -I$(BUILD)/gen \
            $(EXTRA_CFLAGS) -DCORPUSD_VERSION='"$(VERSION)"' -DCORPUSD_DATA_DIR='"$(DATADIR)"' \
            -DCORPUSD_WEB_DIR='"$(WEBDIR)"'
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lmicrohttpd -ljansson -lsqlite3 -lz) \
            -lunistring -lpthread -lm

# Debian packages, checked by `make deps-run` / `make deps` (missing ones are installed).
# Run set (`make run`, the image): what building and serving need — the compiler, the -dev
# packages of the linked libraries (DEB_BUILD_PKGS) and the data files extraction reads at
# start-up (DEB_DATA_PKGS). Test set (`make test`): the test tools; each fragment (deploy/*.mk,
# bench/*.mk, tests/*/*.mk) adds its own with `DEB_TEST_PKGS += …`.
DEB_BUILD_PKGS := gcc libc6-dev make pkg-config python3-yaml libmicrohttpd-dev libjansson-dev \
                  libsqlite3-dev zlib1g-dev libunistring-dev
DEB_DATA_PKGS  := iso-codes wamerican
DEB_RUN_PKGS   := $(DEB_BUILD_PKGS) $(DEB_DATA_PKGS)
DEB_TEST_PKGS  := libcmocka-dev libcurl4-openssl-dev curl ca-certificates prometheus clang-format
DEB_PKGS        = $(DEB_RUN_PKGS) $(DEB_TEST_PKGS)

LIB_SRC  := $(wildcard base/*.c) $(wildcard ingest/*.c) $(wildcard ingest/*/*.c) $(wildcard store/*.c) $(wildcard handlers/*.c) \
            $(filter-out server/main.c,$(wildcard server/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/schema_sql.o \
            $(BUILD)/obj/gen/openapi_json.o
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
E2E_BIN  := $(BUILD)/tests/e2e $(BUILD)/tests/e2e_ops $(BUILD)/tests/e2e_resolve $(BUILD)/tests/e2e_entities \
            $(BUILD)/tests/e2e_filters $(BUILD)/tests/e2e_facets $(BUILD)/tests/e2e_seed
EVAL_BIN := $(BUILD)/eval_ner $(BUILD)/eval_timex $(BUILD)/eval_timex_plausibility
BIN      := $(BUILD)/corpusd

CORPUS   ?= corpus
LISTEN   ?= 127.0.0.1:8080
SHARED   ?= ../shared

.PHONY: all deps deps-run print-run-pkgs print-test-pkgs run test test-unit test-e2e check-layers \
        eval-ner eval-timex eval-timex-errors eval-timex-sources timex-plausibility ner-model ner-clusters eval-ner-zeroshot clean format \
        check-format
all: $(BIN)

# `make deps` installs the run and test sets; `make deps-run` only the run set.
# The run set without Recommends (e.g. libc6-dev's libc-devtools, which brings an image
# library and fonts); the test set keeps Debian's defaults.
deps-run:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_RUN_PKGS)" \
	  APT_INSTALL_FLAGS=--no-install-recommends

print-run-pkgs:
	@echo $(DEB_RUN_PKGS)

print-test-pkgs:
	@echo $(DEB_TEST_PKGS)

deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_INSTALL_FLAGS) $$missing; \
	fi

$(BUILD)/gen/schema_sql.c: store/schema.sql
	@mkdir -p $(dir $@)
	@{ echo '/* generated from store/schema.sql */'; echo '#include "store/schema_sql.h"'; \
	   echo 'const char store_schema_sql[] ='; \
	   sed 's/\\/\\\\/g; s/"/\\"/g; s/^/    "/; s/$$/\\n"/' $<; echo ';'; } > $@

# /openapi.json is docs/openapi.yaml converted at build time (Debian's python3-yaml).
$(BUILD)/gen/openapi_json.c: server/gen_openapi.py $(wildcard docs/openapi.yaml)
	@mkdir -p $(dir $@)
	/usr/bin/python3 server/gen_openapi.py docs/openapi.yaml $(VERSION) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libcorpusd.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/server/main.o $(BUILD)/libcorpusd.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS) -lcmocka

$(BUILD)/tests/e2e: tests/e2e/test_e2e.c tests/e2e/harness.h tests/e2e/e2e_json.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

$(BUILD)/tests/e2e_seed: tests/e2e/test_seed.c tests/e2e/harness.h tests/e2e/e2e_json.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

$(BUILD)/tests/e2e_entities: tests/e2e/test_entities.c tests/e2e/harness.h tests/e2e/e2e_json.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

$(BUILD)/tests/e2e_filters: tests/e2e/test_filters.c tests/e2e/harness.h tests/e2e/e2e_json.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

$(BUILD)/tests/e2e_ops: tests/e2e/test_ops.c tests/e2e/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

$(BUILD)/tests/e2e_resolve: tests/e2e/test_resolve.c tests/e2e/harness.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

$(BUILD)/tests/e2e_facets: tests/e2e/test_facets.c tests/e2e/harness.h tests/e2e/e2e_json.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS) -lcmocka -lcurl

$(BUILD)/eval_%: tests/eval/eval_%.c $(BUILD)/libcorpusd.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS)

# Offline tools (tools/): trainers, builders, the CoNLL reader; never linked into the server.
$(BUILD)/eval_ner: tests/eval/eval_ner.c $(BUILD)/obj/tools/conll.o $(BUILD)/libcorpusd.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/obj/tools/conll.o $(BUILD)/libcorpusd.a $(LDLIBS)

$(BUILD)/ner_train: tools/ner_train.c $(BUILD)/obj/tools/conll.o $(BUILD)/libcorpusd.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/obj/tools/conll.o $(BUILD)/libcorpusd.a $(LDLIBS)

$(BUILD)/ner_tag: tools/ner_tag.c $(BUILD)/libcorpusd.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS)

$(BUILD)/ner_clusters: tools/ner_clusters.c $(BUILD)/obj/tools/conll.o $(BUILD)/libcorpusd.a
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/obj/tools/conll.o $(BUILD)/libcorpusd.a $(LDLIBS)

run: deps-run $(BIN)
	$(BIN) --corpus $(CORPUS) --listen $(LISTEN)

# Every unit test binary, then the end-to-end test against the real server. cmocka prints a
# summary per group; the script fails if any group failed.
# Fragments (deploy/*.mk, bench/*.mk, tests/*/*.mk) add their own targets, Debian packages
# (DEB_TEST_PKGS += …) and test steps (TEST_EXTRA += target) that `make test` runs after these.
TEST_EXTRA :=
test: deps
	@$(MAKE) --no-print-directory $(BIN) $(UNIT_BIN) $(E2E_BIN)
	@$(MAKE) --no-print-directory check-format check-layers test-unit test-e2e $(TEST_EXTRA)

# The one-way flow (base < ingest < store < handlers < server), enforced; the self-test proves the
# check fails on a wrong include.
check-layers:
	@tests/check_layers.sh --self-test
	@tests/check_layers.sh

test-unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do CORPUSD_DATA_DIR=$(DATADIR) CORPUSD_TEST_CORPUS=$(CURDIR)/corpus $$t || fail=1; done; exit $$fail

test-e2e: $(BIN) $(E2E_BIN)
	@fail=0; for t in $(E2E_BIN) tests/e2e/promtool.sh; do \
	  CORPUSD_BIN=$(CURDIR)/$(BIN) CORPUSD_TEST_CORPUS=$(CURDIR)/corpus $$t || fail=1; done; exit $$fail

# Scores the entity tagger on a CoNLL file: direct (sentence splitter + tagger on the detokenised
# text), then through the whole ingest pipeline (each document as a JSONL record). Default file:
# the CoNLL-2003 development split (the model is trained on eng.train only).
NER_EVAL_FILE ?= $(SHARED)/data/ner/conll2003/eng.testa
eval-ner: deps-run $(BUILD)/eval_ner
	$(BUILD)/eval_ner --data $(DATADIR) $(or $(FILE),$(NER_EVAL_FILE))
	$(BUILD)/eval_ner --data $(DATADIR) --pipeline $(or $(FILE),$(NER_EVAL_FILE))

# Retrains the tagger from scratch (fixed seed: the same bytes every time) and writes the
# committed weights ingest/data/ner_model.bin: CoNLL-2003 eng.train + wikigold (eng.testa is the
# development set, never trained on; the test split is not used).
NER_CONLL ?= $(SHARED)/data/ner/conll2003/eng.train
NER_TRAIN ?= $(NER_CONLL) $(SHARED)/data/ner/wikigold/wikigold.conll.txt
NER_EPOCHS ?= 20
NER_TRAIN_FLAGS = --data $(DATADIR) --epochs $(NER_EPOCHS) --bits 18 --folds 4 --seed 20260101
ner-model: deps-run $(BUILD)/ner_train
	nice -n 10 $(BUILD)/ner_train $(NER_TRAIN_FLAGS) --out $(DATADIR)/ner_model.bin $(NER_TRAIN)

# Wikigold zero-shot: the same training on eng.train alone, scored on wikigold, in a scratch data
# directory (links to ingest/data with its own weights) so the shipped weights are untouched.
ZS_DIR := $(BUILD)/ner-zeroshot
eval-ner-zeroshot: deps-run $(BUILD)/ner_train $(BUILD)/eval_ner
	@rm -rf $(ZS_DIR) && mkdir -p $(ZS_DIR)
	@for f in $(DATADIR)/*; do ln -s $$f $(ZS_DIR)/; done; rm -f $(ZS_DIR)/ner_model.bin
	nice -n 10 $(BUILD)/ner_train $(NER_TRAIN_FLAGS) --out $(ZS_DIR)/ner_model.bin $(NER_CONLL)
	$(BUILD)/eval_ner --data $(ZS_DIR) $(SHARED)/data/ner/wikigold/wikigold.conll.txt
	$(BUILD)/eval_ner --data $(ZS_DIR) $(SHARED)/data/ner/conll2003/eng.testa

# Word clusters for the tagger (O(V*C^2): minutes on one core, never part of `make test`):
# Reuters-21578 + the CoNLL training text -> ingest/data/ner_clusters.txt.
ner-clusters: deps-run $(BUILD)/ner_clusters
	nice -n 10 $(BUILD)/ner_clusters --data $(DATADIR) --out $(DATADIR)/ner_clusters.txt \
	  --classes 256 --passes 12 --min-count 3 $(SHARED)/data/news/reuters21578.jsonl $(NER_CONLL)

# TimeBank is the tuning part of TE3 train; AQUAINT is reported apart as held out.
TE3 := $(SHARED)/data/te3
eval-timex: deps-run $(BUILD)/eval_timex
	$(BUILD)/eval_timex --data $(DATADIR) \
	  $(if $(DIR),,--split TimeBank=$(TE3)/LIST.TimeBank --split AQUAINT=$(TE3)/LIST.AQUAINT) \
	  $(or $(DIR),$(TE3)/train)

# The tuning part's errors, grouped by kind and listed (AQUAINT is not read: it stays held out).
eval-timex-errors: deps-run $(BUILD)/eval_timex
	$(BUILD)/eval_timex --data $(DATADIR) --split TimeBank=$(TE3)/LIST.TimeBank --only TimeBank \
	  --kinds $(if $(LIST),--errors) $(TE3)/train

# The tuning part by source, to see whether a change helps the 1998 newswire (APW, NYT: the
# sources of the held-out part) as much as the 1989 WSJ copy; AQUAINT is not read.
eval-timex-sources: deps-run $(BUILD)/eval_timex
	grep -E '^(APW|NYT)' $(TE3)/LIST.TimeBank > $(BUILD)/te3-newswire-1998.list
	grep -E '^(ABC|CNN|PRI|VOA|ea|ed)' $(TE3)/LIST.TimeBank > $(BUILD)/te3-broadcast-1998.list
	grep -E '^(wsj|WSJ|AP9|SJMN)' $(TE3)/LIST.TimeBank > $(BUILD)/te3-wsj-ap-1989.list
	for s in newswire-1998 broadcast-1998 wsj-ap-1989; do \
	  $(BUILD)/eval_timex --data $(DATADIR) --split $$s=$(BUILD)/te3-$$s.list --only $$s \
	    $(TE3)/train || exit 1; \
	done

# How believable the timelines of a dated wire corpus are (bench/RESULTS.md records the figures).
timex-plausibility: deps-run $(BUILD)/eval_timex_plausibility
	nice -n 10 $(BUILD)/eval_timex_plausibility --data $(DATADIR) \
	  $(or $(FILE),$(SHARED)/data/news/reuters21578.jsonl)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

# Every tracked C file as clang-format (.clang-format) writes it; part of `make test`.
check-format:
	@files=$$(git ls-files '*.c' '*.h' 2>/dev/null); \
	if [ -z "$$files" ]; then echo "check-format: FAILED: not a git checkout, no files to check" >&2; exit 1; fi; \
	clang-format --dry-run -Werror $$files && echo "check-format: $$(echo $$files | wc -w) files clang-formatted"

clean:
	rm -rf $(BUILD)

-include $(sort $(wildcard deploy/*.mk bench/*.mk tests/*/*.mk web/*.mk))
-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
