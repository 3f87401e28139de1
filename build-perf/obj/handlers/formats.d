build-perf/obj/handlers/formats.o: handlers/formats.c handlers/formats.h \
 handlers/handler.h store/store.h ingest/doc.h
handlers/formats.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
