build-perf/obj/ingest/timex.o: ingest/timex.c ingest/timex.h ingest/doc.h \
 ingest/timex_actions.h ingest/timex_resolve.h ingest/timex_calendar.h \
 ingest/timex_rules.h ingest/timex_lex.h
ingest/timex.h:
ingest/doc.h:
ingest/timex_actions.h:
ingest/timex_resolve.h:
ingest/timex_calendar.h:
ingest/timex_rules.h:
ingest/timex_lex.h:
