build-perf/obj/handlers/meta.o: handlers/meta.c handlers/handlers.h \
 handlers/handler.h store/store.h ingest/doc.h
handlers/handlers.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
