# tests/openapi/openapi.mk — the OpenAPI contract (issue 5), included by the main Makefile.
#
#   make test-openapi   lints docs/openapi.yaml with @redocly/cli (recommended-strict ruleset,
#                       tests/openapi/redocly.yaml), then starts the real $(BIN) on a free port
#                       and validates the responses of every endpoint (successes with real ids,
#                       400/404/405/304/414/431, HEAD, CSV/NDJSON, gzip) against the spec's schemas
#                       with ajv (JSON Schema 2020-12); also checks /openapi.json = docs/openapi.yaml.
#                       OPENAPI_STRICT=1 also checks the deviations reported when it was written
#                       (see strictChecks in validate.mjs); VERBOSE=1 lists every check.
# The npm packages are pinned in tests/openapi/package-lock.json and installed with `npm ci`.

# Debian 12 packages: Node.js and npm only when no npm is on the machine (a NodeSource nodejs
# already carries npm and conflicts with Debian's npm package).
ifeq ($(shell command -v npm 2>/dev/null),)
DEB_TEST_PKGS += nodejs npm
endif

OPENAPI_DIR  := tests/openapi
OPENAPI_SPEC := docs/openapi.yaml
# No telemetry or update checks from the linter: only the registry is reachable, and tests stay quiet.
OPENAPI_ENV  := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

$(OPENAPI_DIR)/node_modules/.installed: $(OPENAPI_DIR)/package.json $(OPENAPI_DIR)/package-lock.json
	npm ci --prefix $(OPENAPI_DIR) --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: test-openapi lint-openapi
lint-openapi: $(OPENAPI_DIR)/node_modules/.installed
	$(OPENAPI_ENV) $(OPENAPI_DIR)/node_modules/.bin/redocly lint --config $(OPENAPI_DIR)/redocly.yaml $(OPENAPI_SPEC)

test-openapi: lint-openapi $(BIN)
	node $(OPENAPI_DIR)/validate.mjs --bin $(BIN) --corpus $(CORPUS) --spec $(OPENAPI_SPEC)

TEST_EXTRA += test-openapi
