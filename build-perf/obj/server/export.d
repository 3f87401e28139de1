build-perf/obj/server/export.o: server/export.c server/export.h \
 handlers/handler.h store/store.h ingest/doc.h server/router.h \
 handlers/formats.h handlers/handler.h server/log.h server/config.h \
 server/forwarded.h
server/export.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
server/router.h:
handlers/formats.h:
handlers/handler.h:
server/log.h:
server/config.h:
server/forwarded.h:
