build-perf/obj/ingest/ner_learn.o: ingest/ner_learn.c \
 ingest/ner_internal.h ingest/ner.h ingest/doc.h
ingest/ner_internal.h:
ingest/ner.h:
ingest/doc.h:
