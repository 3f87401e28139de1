build-lead/obj/server/http.o: server/http.c server/http.h server/config.h \
 store/store.h ingest/doc.h ingest/utf8.h server/log.h server/router.h \
 handlers/handler.h
server/http.h:
server/config.h:
store/store.h:
ingest/doc.h:
ingest/utf8.h:
server/log.h:
server/router.h:
handlers/handler.h:
