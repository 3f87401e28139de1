build-perf/obj/ingest/ner_chunk.o: ingest/ner_chunk.c \
 ingest/ner_internal.h ingest/ner.h ingest/doc.h
ingest/ner_internal.h:
ingest/ner.h:
ingest/doc.h:
