build-perf/obj/handlers/search.o: handlers/search.c handlers/handlers.h \
 handlers/handler.h store/store.h ingest/doc.h handlers/params.h \
 store/documents.h store/store.h
handlers/handlers.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
handlers/params.h:
store/documents.h:
store/store.h:
