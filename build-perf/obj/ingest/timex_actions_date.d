build-perf/obj/ingest/timex_actions_date.o: ingest/timex_actions_date.c \
 ingest/timex_actions.h ingest/timex_resolve.h ingest/timex_calendar.h \
 ingest/timex_rules.h ingest/doc.h ingest/timex_lex.h
ingest/timex_actions.h:
ingest/timex_resolve.h:
ingest/timex_calendar.h:
ingest/timex_rules.h:
ingest/doc.h:
ingest/timex_lex.h:
