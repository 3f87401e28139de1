build-lead/obj/server/config.o: server/config.c server/config.h
server/config.h:
