# bench.mk — benchmarks (included by the main Makefile). Not part of `make test`: the tools are
# heavy and the figures need a quiet machine. See bench/RESULTS.md for the latest figures.
#
#   make bench-deps       installs wrk, nginx-light, FastAPI + uvicorn, valgrind (Debian packages)
#   make bench            all of the below, then prints where the results are
#   make bench-http       corpusd vs bare libmicrohttpd vs nginx vs FastAPI, seed corpus (~5 min)
#   make bench-ingest     ingest MB/s and docs/s of the Reuters corpus, peak RSS, startup time
#   make bench-scale      hot routes with the seed and the Reuters corpus loaded, in one run
#   make bench-callgrind  instructions per request per hot route (valgrind, stable figures)
#   make bench-mixed      Reuters, prebuilt store served read-only, thousands of distinct URLs per
#                         route and mixed, cache off and on, beside bare libmicrohttpd (~5 min)
# Knobs: DURATION=10s CONNS=64 CONNS_HIGH=256 LARGE=$(SHARED)/data/news/reuters21578.jsonl

BENCH_PKGS := wrk nginx-light python3-fastapi python3-uvicorn valgrind curl iproute2 python3 time
LARGE      ?= $(abspath $(SHARED))/data/news/reuters21578.jsonl
BENCH_ENV   = BUILD=$(BUILD) CORPUSD_BIN=$(CURDIR)/$(BIN) MHD_BIN=$(CURDIR)/$(BUILD)/bench/mhd_fixed \
              CORPUSD_DATA_DIR=$(DATADIR)

.PHONY: bench bench-deps bench-http bench-ingest bench-scale bench-callgrind bench-mixed

bench-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(DEB_PKGS) $(BENCH_PKGS)"

$(BUILD)/bench/mhd_fixed: bench/mhd_fixed.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

$(BUILD)/bench/ingest_stages: bench/ingest_stages.c $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS)

bench-http: bench-deps $(BIN) $(BUILD)/bench/mhd_fixed
	$(BENCH_ENV) bash bench/run_http.sh $(CORPUS) seed

bench-ingest: bench-deps $(BIN) $(BUILD)/bench/ingest_stages
	$(BENCH_ENV) bash bench/run_ingest.sh $(LARGE) $(CORPUS)

bench-scale: bench-deps $(BIN) $(BUILD)/bench/mhd_fixed
	$(BENCH_ENV) bash bench/run_scale.sh $(CORPUS) $(LARGE)

bench-callgrind: bench-deps $(BIN)
	$(BENCH_ENV) bash bench/run_callgrind.sh $(CORPUS)

# The large corpus file in a directory of its own (corpusd reads directories).
$(BUILD)/bench/large/corpus.jsonl: $(LARGE)
	@mkdir -p $(dir $@)
	ln -sf $(LARGE) $@

bench-mixed: bench-deps $(BIN) $(BUILD)/bench/mhd_fixed $(BUILD)/bench/large/corpus.jsonl
	$(BENCH_ENV) bash bench/run_mixed.sh $(BUILD)/bench/large reuters

bench: bench-http bench-ingest bench-scale bench-callgrind bench-mixed
	@echo "bench: TSV and Markdown in bench/out/; copy the tables into bench/RESULTS.md"

$(BUILD)/bench/ner_speed: bench/ner_speed.c $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS)

# Entity tagging speed on Reuters-21578: the tagger beside the rule extractor, in one run.
bench-ner: $(BUILD)/bench/ner_speed
	nice -n 10 $(BUILD)/bench/ner_speed --data $(DATADIR) $(SHARED)/data/news/reuters21578.jsonl
