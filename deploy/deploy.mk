# deploy.mk — deployment targets (included by the main Makefile).
#
#   make test-nginx       nginx (Debian package) in front of two corpusd replicas on loopback:
#                         routing, forwarded client ip, /corpus/ prefix, gzip once, failover.
#                         Part of `make test` (TEST_EXTRA).
#   make test-container   builds ./Dockerfile with podman (../shared/CONTAINER.md) and checks the
#                         image from outside. Not part of `make test`: CI runs it after it.
#   make deps-container   installs podman and debootstrap (only test-container needs them).

# What the Dockerfile's build stage installs: the compiler, make, pkg-config, python3 tools and
# every -dev package of the project's own list, taken before the test fragments that follow
# (tests/*/*.mk, web/*.mk) add theirs. (bench/ comes before but is not in the image's context.)
IMAGE_BUILD_PKGS := $(filter gcc make pkg-config python3% %-dev,$(DEB_PKGS))

DEB_PKGS += nginx-light iproute2
CONTAINER_PKGS := podman buildah debootstrap fuse-overlayfs slirp4netns uidmap runc curl \
                  iproute2 procps
CONTAINER_CACHE ?= $(abspath $(BUILD))/container
TEST_EXTRA += test-nginx

.PHONY: test-nginx test-container deps-container print-image-build-pkgs

print-image-build-pkgs:
	@echo $(IMAGE_BUILD_PKGS)

test-nginx: $(BIN)
	CORPUSD_BIN=$(CURDIR)/$(BIN) CORPUSD_TEST_CORPUS=$(CURDIR)/$(CORPUS) \
	  CORPUSD_DATA_DIR=$(DATADIR) bash tests/deploy/test_nginx.sh

deps-container:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(CONTAINER_PKGS)"

test-container: deps-container
	CONTAINER_CACHE=$(CONTAINER_CACHE) bash tests/deploy/test_container.sh
