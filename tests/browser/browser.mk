# tests/browser/browser.mk — end-to-end browser tests of the dashboard (web/): Debian's chromium driven by
# playwright-core (pinned in tests/browser/package-lock.json, installed with `npm ci`) against a real
# corpusd started on a free port. Screenshots of every view go to tests/artifacts/ (not committed).

# Debian 12 packages: chromium always; Node.js and npm only when no npm is on the machine (a NodeSource
# nodejs already carries npm and conflicts with Debian's npm package).
DEB_TEST_PKGS += chromium
ifeq ($(shell command -v npm 2>/dev/null),)
DEB_TEST_PKGS += nodejs npm
endif

BROWSER_DIR := tests/browser
ARTIFACTS   ?= tests/artifacts

.PHONY: test-browser
test-browser: $(BIN)
	@[ -d $(BROWSER_DIR)/node_modules/playwright-core ] || \
	  npm ci --prefix $(BROWSER_DIR) --no-audit --no-fund --loglevel=error
	node $(BROWSER_DIR)/run.mjs --bin $(BIN) --corpus $(CORPUS) --web $(WEBDIR) --artifacts $(ARTIFACTS)

TEST_EXTRA += test-browser
