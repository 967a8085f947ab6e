// libpq for Swift, loaded when a PostgreSQL database is first used.
//
// The declarations are libpq's own (Debian puts libpq-fe.h under
// /usr/include/postgresql, which is not on the compiler's search path, so
// the full path is named). The functions crm calls are defined in
// libpq_loader.c: each one forwards to libpq.so.5, opened with dlopen the
// first time. crm is not linked with libpq, so a screen or a command on an
// SQLite file never loads it and the thirty libraries it pulls in (TLS,
// Kerberos, LDAP: about 5 ms of CPU at every start, a quarter of the first
// screen's); and a machine without libpq runs crm on SQLite files.
#ifndef CRM_CLIBPQ_H
#define CRM_CLIBPQ_H
#include <postgresql/libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/// Opens libpq.so.5 (once, whichever thread asks first). True when it is
/// loaded with every function crm calls; otherwise false, with the reason
/// (dlerror's text) copied into `reason` (`size` bytes, NUL-terminated).
/// Call it before any other function of this module: they abort with the
/// reason if libpq could not be loaded.
bool crm_libpq_load(char *reason, size_t size);

#endif
