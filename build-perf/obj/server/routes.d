build-perf/obj/server/routes.o: server/routes.c handlers/handlers.h \
 handlers/handler.h store/store.h ingest/doc.h server/router.h \
 handlers/handler.h
handlers/handlers.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
server/router.h:
handlers/handler.h:
