build-perf/obj/store/search.o: store/search.c store/conn.h store/store.h \
 ingest/doc.h store/documents.h
store/conn.h:
store/store.h:
ingest/doc.h:
store/documents.h:
