build-perf/obj/ingest/timex_calendar.o: ingest/timex_calendar.c \
 ingest/timex_calendar.h
ingest/timex_calendar.h:
