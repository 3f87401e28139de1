build-perf/obj/ingest/timex_rules.o: ingest/timex_rules.c \
 ingest/timex_rules.h ingest/doc.h ingest/timex_lex.h
ingest/timex_rules.h:
ingest/doc.h:
ingest/timex_lex.h:
