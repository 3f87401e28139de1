build-perf/obj/ingest/utf8.o: ingest/utf8.c ingest/utf8.h
ingest/utf8.h:
