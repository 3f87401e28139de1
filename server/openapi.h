/* openapi.h — docs/openapi.yaml as JSON, embedded at build time (see the Makefile). */
#ifndef SERVER_OPENAPI_H
#define SERVER_OPENAPI_H

extern const char openapi_json[];

#endif
