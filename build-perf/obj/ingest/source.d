build-perf/obj/ingest/source.o: ingest/source.c ingest/source.h \
 ingest/wordlist.h
ingest/source.h:
ingest/wordlist.h:
