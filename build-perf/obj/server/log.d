build-perf/obj/server/log.o: server/log.c server/log.h server/config.h \
 server/forwarded.h
server/log.h:
server/config.h:
server/forwarded.h:
