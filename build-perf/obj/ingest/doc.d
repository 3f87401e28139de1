build-perf/obj/ingest/doc.o: ingest/doc.c ingest/doc.h
ingest/doc.h:
