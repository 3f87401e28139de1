build-perf/obj/ingest/timex_lex.o: ingest/timex_lex.c ingest/timex_lex.h \
 ingest/utf8.h
ingest/timex_lex.h:
ingest/utf8.h:
