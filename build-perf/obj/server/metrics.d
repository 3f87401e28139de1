build-perf/obj/server/metrics.o: server/metrics.c server/metrics.h \
 store/store.h ingest/doc.h
server/metrics.h:
store/store.h:
ingest/doc.h:
