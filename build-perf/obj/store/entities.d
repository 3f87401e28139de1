build-perf/obj/store/entities.o: store/entities.c store/entities.h \
 store/documents.h store/store.h ingest/doc.h store/conn.h
store/entities.h:
store/documents.h:
store/store.h:
ingest/doc.h:
store/conn.h:
