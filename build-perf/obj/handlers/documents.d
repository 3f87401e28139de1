build-perf/obj/handlers/documents.o: handlers/documents.c \
 handlers/handlers.h handlers/handler.h store/store.h ingest/doc.h \
 handlers/params.h store/documents.h store/store.h
handlers/handlers.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
handlers/params.h:
store/documents.h:
store/store.h:
