/* schema_sql.h — store/schema.sql, embedded at build time (see the Makefile). */
#ifndef STORE_SCHEMA_SQL_H
#define STORE_SCHEMA_SQL_H

extern const char store_schema_sql[];

#endif
