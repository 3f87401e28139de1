build-perf/obj/handlers/reply.o: handlers/reply.c handlers/handler.h \
 store/store.h ingest/doc.h ingest/utf8.h
handlers/handler.h:
store/store.h:
ingest/doc.h:
ingest/utf8.h:
