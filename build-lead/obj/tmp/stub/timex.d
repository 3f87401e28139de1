build-lead/obj//tmp/stub/timex.o: /tmp/stub/timex.c ingest/timex.h \
 ingest/doc.h
ingest/timex.h:
ingest/doc.h:
