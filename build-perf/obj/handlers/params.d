build-perf/obj/handlers/params.o: handlers/params.c handlers/params.h \
 handlers/handler.h store/store.h ingest/doc.h
handlers/params.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
