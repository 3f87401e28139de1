# tests/words/words.mk — the "nothing lost" checks (issue 12), included by the main Makefile.
#
#   make test-reuters the first check below alone (~15 s);
#   make test-words   all four checks (~30 s; part of `make test`):
#     - Reuters end to end: the whole ../shared/data/news/reuters21578.jsonl served by the real
#       binary; >= 99% of the records keep >= 98% of their words (test_reuters_words);
#     - the cleaner alone: every Reuters record written as its own .txt page (title, blank line,
#       text), loaded as a scraped corpus; >= 99% of the pages keep >= 99.5% (test_txt_pages);
#     - generated templated sites (tests/words/gen_sites.py, 24 sites): >= 98% of the template
#       lines set aside and >= 99.5% of the article words kept (test_templated_sites);
#     - a CoNLL-style text (eng.train, one sentence per line) keeps every line (test_conll_lines).
#   Each prints its figures; a missing Reuters file is reported loudly and skipped.
REUTERS ?= $(SHARED)/data/news/reuters21578.jsonl
CONLL ?= $(SHARED)/data/ner/conll2003/eng.train
WORDS_BIN := $(BUILD)/tests/test_reuters_words $(BUILD)/tests/test_txt_pages \
             $(BUILD)/tests/test_templated_sites $(BUILD)/tests/test_conll_lines

$(BUILD)/tests/test_reuters_words: tests/words/test_reuters_words.c tests/words/words.h tests/e2e/harness.h \
                                   $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS) -lcurl

$(BUILD)/tests/test_txt_pages: tests/words/test_txt_pages.c tests/words/words.h $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS)

$(BUILD)/tests/test_conll_lines: tests/words/test_conll_lines.c tests/words/words.h $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS)

$(BUILD)/tests/test_templated_sites: tests/words/test_templated_sites.c tests/words/words.h $(BUILD)/libcorpusd.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libcorpusd.a $(LDLIBS)

.PHONY: test-words test-reuters
# The end-to-end Reuters check alone (~40 s: corpusd loads all 19,043 stories first).
test-reuters: $(BIN) $(BUILD)/tests/test_reuters_words
	CORPUSD_BIN=$(CURDIR)/$(BIN) $(BUILD)/tests/test_reuters_words $(REUTERS)

test-words: test-reuters $(WORDS_BIN)
	CORPUSD_DATA_DIR=$(DATADIR) $(BUILD)/tests/test_txt_pages $(REUTERS)
	@if [ -f $(REUTERS) ]; then \
	  CORPUSD_DATA_DIR=$(DATADIR) /usr/bin/python3 tests/words/gen_sites.py $(REUTERS) $(BUILD)/sites && \
	  CORPUSD_DATA_DIR=$(DATADIR) $(BUILD)/tests/test_templated_sites $(BUILD)/sites; \
	else echo "*** SKIPPED test_templated_sites: $(REUTERS) not found (its article text) ***"; fi
	CORPUSD_DATA_DIR=$(DATADIR) $(BUILD)/tests/test_conll_lines $(CONLL)

# All four run in about 30 s on two busy cores: part of `make test`.
TEST_EXTRA += test-words
