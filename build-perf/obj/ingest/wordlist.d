build-perf/obj/ingest/wordlist.o: ingest/wordlist.c ingest/wordlist.h
ingest/wordlist.h:
