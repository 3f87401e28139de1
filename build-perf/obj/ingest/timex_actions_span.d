build-perf/obj/ingest/timex_actions_span.o: ingest/timex_actions_span.c \
 ingest/timex_actions.h ingest/timex_resolve.h ingest/timex_calendar.h \
 ingest/timex_rules.h ingest/doc.h ingest/timex_lex.h
ingest/timex_actions.h:
ingest/timex_resolve.h:
ingest/timex_calendar.h:
ingest/timex_rules.h:
ingest/doc.h:
ingest/timex_lex.h:
