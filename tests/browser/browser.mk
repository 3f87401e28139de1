# tests/browser/browser.mk — end-to-end browser tests of the dashboard (web/): Debian's chromium driven by
# playwright-core (pinned in tests/browser/package-lock.json, installed with `npm ci`) against a real
# corpusd started on a free port: the seed corpus (every view), then a Reuters-sized corpus (the tests at
# scale). Screenshots of every view go to tests/artifacts/ (not committed).

# Debian 12 packages: chromium always; Node.js and npm only when no npm is on the machine (a NodeSource
# nodejs already carries npm and conflicts with Debian's npm package).
DEB_TEST_PKGS += chromium
ifeq ($(shell command -v npm 2>/dev/null),)
DEB_TEST_PKGS += nodejs npm
endif

BROWSER_DIR := tests/browser
ARTIFACTS   ?= tests/artifacts

# The tests at scale run on a Reuters-sized corpus: the Reuters-21578 JSONL when it is on the machine, else
# a generated corpus of LARGE_DOCS documents (tests/browser/gen-corpus.mjs). Either way it is one JSONL file
# in LARGE_CORPUS, a corpus directory of its own.
REUTERS_JSONL ?= ../shared/data/news/reuters21578.jsonl
LARGE_CORPUS  ?= build/large-corpus
LARGE_DOCS    ?= 12000

.PHONY: test-browser test-browser-seed test-browser-scale large-corpus
test-browser: test-browser-seed test-browser-scale

$(BROWSER_DIR)/node_modules/playwright-core:
	npm ci --prefix $(BROWSER_DIR) --no-audit --no-fund --loglevel=error

test-browser-seed: $(BIN) | $(BROWSER_DIR)/node_modules/playwright-core
	node $(BROWSER_DIR)/run.mjs --bin $(BIN) --corpus $(CORPUS) --web $(WEBDIR) --artifacts $(ARTIFACTS)

large-corpus:
	@rm -rf $(LARGE_CORPUS) && mkdir -p $(LARGE_CORPUS)
	@if [ -r "$(REUTERS_JSONL)" ]; then \
	  ln -s "$(abspath $(REUTERS_JSONL))" $(LARGE_CORPUS)/reuters.jsonl && echo "large corpus: $(REUTERS_JSONL)"; \
	else \
	  echo "large corpus: $(REUTERS_JSONL) not found, generating $(LARGE_DOCS) documents"; \
	  node $(BROWSER_DIR)/gen-corpus.mjs $(LARGE_CORPUS)/generated.jsonl $(LARGE_DOCS); \
	fi

test-browser-scale: $(BIN) large-corpus | $(BROWSER_DIR)/node_modules/playwright-core
	node $(BROWSER_DIR)/run.mjs --suite scale --bin $(BIN) --corpus $(LARGE_CORPUS) --web $(WEBDIR) --artifacts $(ARTIFACTS)

TEST_EXTRA += test-browser
