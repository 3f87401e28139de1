build-perf/obj/handlers/timeline.o: handlers/timeline.c \
 handlers/handlers.h handlers/handler.h store/store.h ingest/doc.h \
 handlers/params.h store/entities.h store/documents.h store/store.h \
 store/timeline.h
handlers/handlers.h:
handlers/handler.h:
store/store.h:
ingest/doc.h:
handlers/params.h:
store/entities.h:
store/documents.h:
store/store.h:
store/timeline.h:
