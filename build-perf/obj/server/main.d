build-perf/obj/server/main.o: server/main.c server/config.h \
 server/forwarded.h server/http.h store/store.h ingest/doc.h \
 ingest/corpus.h ingest/doc.h ingest/pipeline.h ingest/pipeline.h \
 server/log.h
server/config.h:
server/forwarded.h:
server/http.h:
store/store.h:
ingest/doc.h:
ingest/corpus.h:
ingest/doc.h:
ingest/pipeline.h:
ingest/pipeline.h:
server/log.h:
