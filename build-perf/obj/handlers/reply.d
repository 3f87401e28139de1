build-perf/obj/handlers/reply.o: handlers/reply.c handlers/handlers.h \
 handlers/handler.h store/store.h ingest/doc.h handlers/params.h \
 ingest/utf8.h store/documents.h store/store.h store/entities.h \
 store/documents.h
handlers/handlers.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
handlers/params.h:
ingest/utf8.h:
store/documents.h:
store/store.h:
store/entities.h:
store/documents.h:
