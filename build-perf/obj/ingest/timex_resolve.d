build-perf/obj/ingest/timex_resolve.o: ingest/timex_resolve.c \
 ingest/timex_resolve.h ingest/timex_calendar.h ingest/timex_rules.h \
 ingest/doc.h ingest/timex_lex.h ingest/timex_actions.h
ingest/timex_resolve.h:
ingest/timex_calendar.h:
ingest/timex_rules.h:
ingest/doc.h:
ingest/timex_lex.h:
ingest/timex_actions.h:
