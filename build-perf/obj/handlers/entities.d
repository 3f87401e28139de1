build-perf/obj/handlers/entities.o: handlers/entities.c \
 handlers/handlers.h handlers/handler.h store/store.h ingest/doc.h \
 handlers/params.h store/entities.h store/documents.h store/store.h
handlers/handlers.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
handlers/params.h:
store/entities.h:
store/documents.h:
store/store.h:
