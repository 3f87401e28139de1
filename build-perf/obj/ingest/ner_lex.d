build-perf/obj/ingest/ner_lex.o: ingest/ner_lex.c ingest/ner_internal.h \
 ingest/ner.h ingest/doc.h ingest/wordlist.h
ingest/ner_internal.h:
ingest/ner.h:
ingest/doc.h:
ingest/wordlist.h:
