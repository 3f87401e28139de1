build-perf/obj/ingest/ner_tok.o: ingest/ner_tok.c ingest/ner_internal.h \
 ingest/ner.h ingest/doc.h ingest/utf8.h
ingest/ner_internal.h:
ingest/ner.h:
ingest/doc.h:
ingest/utf8.h:
