build-perf/obj/ingest/clean.o: ingest/clean.c ingest/clean.h ingest/doc.h \
 ingest/source.h ingest/wordlist.h ingest/utf8.h
ingest/clean.h:
ingest/doc.h:
ingest/source.h:
ingest/wordlist.h:
ingest/utf8.h:
