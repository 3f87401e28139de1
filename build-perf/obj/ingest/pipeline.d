build-perf/obj/ingest/pipeline.o: ingest/pipeline.c ingest/pipeline.h \
 ingest/doc.h ingest/clean.h ingest/ner.h ingest/sentences.h \
 ingest/wordlist.h ingest/timex.h ingest/utf8.h
ingest/pipeline.h:
ingest/doc.h:
ingest/clean.h:
ingest/ner.h:
ingest/sentences.h:
ingest/wordlist.h:
ingest/timex.h:
ingest/utf8.h:
