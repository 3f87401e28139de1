build-perf/obj/store/documents.o: store/documents.c store/documents.h \
 store/store.h ingest/doc.h store/conn.h
store/documents.h:
store/store.h:
ingest/doc.h:
store/conn.h:
