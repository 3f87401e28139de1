build-perf/obj/ingest/corpus.o: ingest/corpus.c ingest/corpus.h \
 ingest/doc.h ingest/pipeline.h
ingest/corpus.h:
ingest/doc.h:
ingest/pipeline.h:
