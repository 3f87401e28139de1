build-perf/obj/server/http.o: server/http.c server/http.h server/config.h \
 server/forwarded.h store/store.h ingest/doc.h server/compress.h \
 server/export.h handlers/handler.h server/router.h handlers/formats.h \
 handlers/handler.h ingest/utf8.h server/log.h server/metrics.h \
 server/openapi.h server/respcache.h server/static.h
server/http.h:
server/config.h:
server/forwarded.h:
store/store.h:
ingest/doc.h:
server/compress.h:
server/export.h:
handlers/handler.h:
server/router.h:
handlers/formats.h:
handlers/handler.h:
ingest/utf8.h:
server/log.h:
server/metrics.h:
server/openapi.h:
server/respcache.h:
server/static.h:
