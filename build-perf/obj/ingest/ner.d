build-perf/obj/ingest/ner.o: ingest/ner.c ingest/ner.h ingest/doc.h \
 ingest/ner_internal.h
ingest/ner.h:
ingest/doc.h:
ingest/ner_internal.h:
