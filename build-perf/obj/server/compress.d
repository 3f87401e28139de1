build-perf/obj/server/compress.o: server/compress.c server/compress.h
server/compress.h:
