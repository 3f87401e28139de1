# deploy.mk — deployment targets (included by the main Makefile).
#
#   make test-nginx       nginx (Debian package) in front of two corpusd replicas on loopback:
#                         routing, forwarded client ip, /corpus/ prefix, gzip once, failover.
#                         Part of `make test` (TEST_EXTRA).
#   make test-container   builds ./Dockerfile with podman (../shared/CONTAINER.md), checks the
#                         image from outside, then validates deploy/kubernetes/ and plays it with
#                         `podman kube play`: artefact built, 2 replicas behind nginx, one killed
#                         and one drained under load, teardown. Not part of `make test`: CI runs
#                         it after it. Needs root.
#   make test-kube-manifests  deploy/kubernetes/*.yaml validated against the Kubernetes schemas
#                         (kubernetes-models) and checked against each other. Part of `make test`.
#   make deps-container   installs podman, debootstrap, nginx, node (only test-container needs them).

# What the Dockerfile installs: its build stage the Makefile's build packages (compiler, make,
# pkg-config, python3-yaml, the -dev packages), its final stage the data packages (iso-codes,
# wamerican) beside the runtime libraries. Together: the run set, no test tool.
IMAGE_BUILD_PKGS := $(DEB_BUILD_PKGS)
IMAGE_DATA_PKGS  := $(DEB_DATA_PKGS)

DEB_TEST_PKGS += nginx-light iproute2
# The container test: podman and debootstrap (../shared/CONTAINER.md), nginx in front of the
# played replicas, node/npm for the Kubernetes schema validation (kubernetes-models).
CONTAINER_PKGS := podman buildah debootstrap fuse-overlayfs slirp4netns uidmap runc curl \
                  iproute2 procps nginx-light python3-yaml
ifeq ($(shell command -v npm 2>/dev/null),)
CONTAINER_PKGS += nodejs npm
endif
CONTAINER_CACHE ?= $(abspath $(BUILD))/container
TEST_EXTRA += test-nginx

.PHONY: test-nginx test-container test-kube-manifests deps-container print-image-build-pkgs \
        print-image-data-pkgs

print-image-build-pkgs:
	@echo $(IMAGE_BUILD_PKGS)

print-image-data-pkgs:
	@echo $(IMAGE_DATA_PKGS)

test-nginx: $(BIN)
	CORPUSD_BIN=$(CURDIR)/$(BIN) CORPUSD_TEST_CORPUS=$(CURDIR)/$(CORPUS) \
	  CORPUSD_DATA_DIR=$(DATADIR) bash tests/deploy/test_nginx.sh

deps-container:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(CONTAINER_PKGS)"

test-container: deps-container
	CONTAINER_CACHE=$(CONTAINER_CACHE) bash tests/deploy/test_container.sh

# The Kubernetes manifests against the Kubernetes schemas (kubernetes-models, pinned in
# tests/deploy/package-lock.json) and against each other; test-container runs it too.
test-kube-manifests:
	@[ -d tests/deploy/node_modules/kubernetes-models ] || \
	  npm ci --prefix tests/deploy --no-audit --no-fund --loglevel=error
	node tests/deploy/validate_k8s.mjs deploy/kubernetes
TEST_EXTRA += test-kube-manifests
