# corpusd container image.
#
#   docker build -t corpusd .          (or: podman build --format docker -t corpusd .)
#   docker run -p 8080:8080 corpusd    → http://localhost:8080/v1/documents
#
# Stage 1 compiles on debian:bookworm; stage 2 is debian:bookworm-slim with only the runtime
# libraries, the binary, its data files, the dashboard and the seed corpus. The corpus lives at
# /data/corpus, a volume: mount your own directory there to serve it instead of the seed corpus.
# The README's "Running in a container" explains running it; tests/deploy/test_container.sh builds and checks it.

FROM debian:bookworm AS build
WORKDIR /src
# The build dependencies are the Makefile's run set minus its data packages
# (`make print-image-build-pkgs`: compiler, libc6-dev, make, pkg-config, python3-yaml and the -dev
# packages; no test tool), so a library added there is built into the image without editing this
# file.
COPY Makefile ./
COPY deploy/deploy.mk ./deploy/
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends make \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      $(make -s print-image-build-pkgs) \
 && make -s print-image-data-pkgs > /src/data-packages \
 && rm -rf /var/lib/apt/lists/*
# The whole source tree minus .dockerignore (build output, VCS data): the Makefile decides what
# it needs (C sources, store/schema.sql, docs/openapi.yaml for /openapi.json, ...).
COPY . .
# DATADIR and WEBDIR are the compiled-in defaults of --data-dir and --web-dir: where stage 2
# puts ingest/data and web/ (the image also sets them in the environment).
RUN make -j"$(nproc)" BUILD=/src/build DATADIR=/usr/share/corpusd/data \
      WEBDIR=/usr/share/corpusd/web /src/build/corpusd \
 && strip /src/build/corpusd \
 && /src/build/corpusd --version \
 && { deploy/runtime-packages.sh /src/build/corpusd; tr ' ' '\n' < /src/data-packages; } \
      > /src/build/runtime-packages

FROM debian:bookworm-slim
# Runtime libraries only: the packages owning the libraries the binary loads (ldd, computed in
# the build stage) and the Makefile's data packages (`make print-image-data-pkgs`): iso-codes for
# the country/subdivision gazetteers (/usr/share/iso-codes/json; its ~1400 translation catalogues
# are not needed, nor any docs) and wamerican, the English word list (/usr/share/dict/words)
# entity extraction uses to tell common words from names.
COPY --from=build /src/build/runtime-packages /tmp/runtime-packages
RUN printf '%s\n' 'path-exclude=/usr/share/locale/*' 'path-exclude=/usr/share/doc/*' \
      'path-include=/usr/share/doc/*/copyright' 'path-exclude=/usr/share/man/*' \
      'path-exclude=/usr/share/info/*' > /etc/dpkg/dpkg.cfg.d/corpusd-slim \
 && apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      $(cat /tmp/runtime-packages) \
 && rm -rf /tmp/runtime-packages /var/lib/apt/lists/* /var/cache/apt/*.bin /var/log/apt \
      /var/log/dpkg.log \
 && groupadd --system --gid 10001 corpusd \
 && useradd --system --uid 10001 --gid corpusd --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin corpusd \
 && install -d -o 10001 -g 10001 -m 0755 /var/lib/corpusd

COPY --from=build /src/build/corpusd /usr/local/bin/corpusd
COPY --from=build /src/deploy/healthcheck.sh /usr/local/bin/corpusd-healthcheck
COPY --from=build /src/ingest/data /usr/share/corpusd/data/
COPY --from=build /src/web /usr/share/corpusd/web/
# The seed corpus is the volume's default content (copied into a fresh volume by the engine).
COPY --from=build /src/corpus /data/corpus/

# Everything above is owned by root and read-only to the server's user, except /var/lib/corpusd:
# where `--build-db` writes the store file (a volume mounted there starts owned by uid 10001).
ENV CORPUSD_LISTEN=0.0.0.0:8080 \
    CORPUSD_CORPUS=/data/corpus \
    CORPUSD_DATA_DIR=/usr/share/corpusd/data \
    CORPUSD_WEB_DIR=/usr/share/corpusd/web \
    CORPUSD_LOG_FORMAT=json
VOLUME ["/data/corpus"]
USER 10001:10001
EXPOSE 8080
# corpusd stops gracefully on SIGTERM (in-flight requests finish, exit status 0).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/corpusd-healthcheck"]
ENTRYPOINT ["/usr/local/bin/corpusd"]
