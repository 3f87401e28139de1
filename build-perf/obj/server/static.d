build-perf/obj/server/static.o: server/static.c server/static.h \
 server/compress.h
server/static.h:
server/compress.h:
