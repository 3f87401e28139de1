build-perf/obj/server/config.o: server/config.c server/config.h \
 server/forwarded.h
server/config.h:
server/forwarded.h:
