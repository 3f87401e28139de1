build-perf/obj/store/timeline.o: store/timeline.c store/timeline.h \
 store/documents.h store/store.h ingest/doc.h store/conn.h
store/timeline.h:
store/documents.h:
store/store.h:
ingest/doc.h:
store/conn.h:
