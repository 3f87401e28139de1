build-perf/obj/server/forwarded.o: server/forwarded.c server/forwarded.h
server/forwarded.h:
