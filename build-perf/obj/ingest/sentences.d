build-perf/obj/ingest/sentences.o: ingest/sentences.c ingest/sentences.h \
 ingest/doc.h ingest/wordlist.h ingest/utf8.h
ingest/sentences.h:
ingest/doc.h:
ingest/wordlist.h:
ingest/utf8.h:
