build-perf/obj/handlers/health.o: handlers/health.c handlers/handlers.h \
 handlers/handler.h store/store.h ingest/doc.h
handlers/handlers.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
