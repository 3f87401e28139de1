build-perf/obj/store/build.o: store/build.c store/build.h store/store.h \
 ingest/doc.h ingest/timex.h ingest/doc.h ingest/utf8.h \
 store/schema_sql.h
store/build.h:
store/store.h:
ingest/doc.h:
ingest/timex.h:
ingest/doc.h:
ingest/utf8.h:
store/schema_sql.h:
