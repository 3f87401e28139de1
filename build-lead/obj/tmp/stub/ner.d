build-lead/obj//tmp/stub/ner.o: /tmp/stub/ner.c ingest/ner.h ingest/doc.h
ingest/ner.h:
ingest/doc.h:
