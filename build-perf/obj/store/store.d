build-perf/obj/store/store.o: store/store.c store/store.h ingest/doc.h \
 store/build.h store/conn.h
store/store.h:
ingest/doc.h:
store/build.h:
store/conn.h:
