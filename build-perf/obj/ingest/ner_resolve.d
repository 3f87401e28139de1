build-perf/obj/ingest/ner_resolve.o: ingest/ner_resolve.c \
 ingest/ner_internal.h ingest/ner.h ingest/doc.h
ingest/ner_internal.h:
ingest/ner.h:
ingest/doc.h:
