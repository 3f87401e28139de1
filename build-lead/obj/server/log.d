build-lead/obj/server/log.o: server/log.c server/log.h server/config.h
server/log.h:
server/config.h:
