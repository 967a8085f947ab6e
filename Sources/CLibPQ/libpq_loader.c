// The libpq functions crm calls, each forwarding to libpq.so.5, which is
// opened with dlopen the first time it is needed (see CLibPQ.h).
//
// These definitions are hidden (not exported from the crm binary): once
// libpq is loaded, its own calls between its functions stay inside it.
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Every system header first: only the declarations of CLibPQ.h (libpq's
// and crm_libpq_load) are made hidden, never libc's.
#include <postgresql/libpq-fe.h>
#pragma GCC visibility push(hidden)
#include "CLibPQ.h"

// X(name) for every libpq function crm calls. A new call from Swift to a
// libpq function not listed here fails to link (undefined symbol): add it
// here and below.
#define CRM_LIBPQ_FUNCTIONS(X) \
    X(PQbackendPID) X(PQclear) X(PQcmdTuples) X(PQconnectdb) X(PQconnectdbParams) X(PQconnectPoll) \
    X(PQconnectStartParams) X(PQconninfo) \
    X(PQconninfoFree) X(PQconninfoParse) \
    X(PQconsumeInput) X(PQenterPipelineMode) X(PQerrorMessage) X(PQexec) X(PQexecParams) \
    X(PQexitPipelineMode) X(PQfinish) X(PQfname) X(PQfreemem) X(PQftype) \
    X(PQgetResult) X(PQgetisnull) X(PQgetvalue) X(PQisBusy) X(PQnfields) X(PQnotifies) X(PQntuples) \
    X(PQpipelineSync) X(PQprepare) X(PQresetPoll) X(PQresetStart) X(PQresultErrorField) X(PQresultErrorMessage) \
    X(PQresultStatus) X(PQsendPrepare) X(PQsendQuery) X(PQsendQueryParams) X(PQsendQueryPrepared) \
    X(PQserverVersion) X(PQsetNoticeProcessor) X(PQsocket) X(PQstatus)

// A pointer of each function's own type, filled from libpq.so.5.
#define CRM_LIBPQ_POINTER(name) static __typeof__(&name) pq_##name;
CRM_LIBPQ_FUNCTIONS(CRM_LIBPQ_POINTER)

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static void *library;
static char load_failure[512];

static void load(void) {
    // RTLD_LOCAL: its symbols serve only the calls below.
    void *handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *why = dlerror();
        snprintf(load_failure, sizeof load_failure, "%s", why ? why : "libpq.so.5 could not be opened");
        return;
    }
#define CRM_LIBPQ_RESOLVE(name) \
    pq_##name = (__typeof__(&name))dlsym(handle, #name); \
    if (!pq_##name) { \
        snprintf(load_failure, sizeof load_failure, "libpq.so.5 has no %s (a libpq older than 14?)", #name); \
        dlclose(handle); \
        return; \
    }
    CRM_LIBPQ_FUNCTIONS(CRM_LIBPQ_RESOLVE)
    library = handle;
}

bool crm_libpq_load(char *reason, size_t size) {
    pthread_once(&load_once, load);
    if (library) return true;
    if (reason && size > 0) snprintf(reason, size, "%s", load_failure);
    return false;
}

// Every forwarding function first makes sure libpq is there; Swift calls
// crm_libpq_load before the first of them, so this only guards a mistake.
static inline void need(void) {
    pthread_once(&load_once, load);
    if (!library) {
        fprintf(stderr, "crm: libpq could not be loaded: %s\n", load_failure);
        abort();
    }
}

int PQbackendPID(const PGconn *conn) { need(); return pq_PQbackendPID(conn); }
void PQclear(PGresult *res) { need(); pq_PQclear(res); }
char *PQcmdTuples(PGresult *res) { need(); return pq_PQcmdTuples(res); }
PGconn *PQconnectdb(const char *conninfo) { need(); return pq_PQconnectdb(conninfo); }
PGconn *PQconnectdbParams(const char *const *keywords, const char *const *values, int expand_dbname) {
    need();
    return pq_PQconnectdbParams(keywords, values, expand_dbname);
}
PostgresPollingStatusType PQconnectPoll(PGconn *conn) { need(); return pq_PQconnectPoll(conn); }
PGconn *PQconnectStartParams(const char *const *keywords, const char *const *values, int expand_dbname) {
    need();
    return pq_PQconnectStartParams(keywords, values, expand_dbname);
}
PQconninfoOption *PQconninfo(PGconn *conn) { need(); return pq_PQconninfo(conn); }
void PQconninfoFree(PQconninfoOption *connOptions) { need(); pq_PQconninfoFree(connOptions); }
PQconninfoOption *PQconninfoParse(const char *conninfo, char **errmsg) { need(); return pq_PQconninfoParse(conninfo, errmsg); }
int PQconsumeInput(PGconn *conn) { need(); return pq_PQconsumeInput(conn); }
int PQenterPipelineMode(PGconn *conn) { need(); return pq_PQenterPipelineMode(conn); }
char *PQerrorMessage(const PGconn *conn) { need(); return pq_PQerrorMessage(conn); }
PGresult *PQexec(PGconn *conn, const char *query) { need(); return pq_PQexec(conn, query); }
PGresult *PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                       const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                       int resultFormat) {
    need();
    return pq_PQexecParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat);
}
int PQexitPipelineMode(PGconn *conn) { need(); return pq_PQexitPipelineMode(conn); }
void PQfinish(PGconn *conn) { need(); pq_PQfinish(conn); }
char *PQfname(const PGresult *res, int field_num) { need(); return pq_PQfname(res, field_num); }
void PQfreemem(void *ptr) { need(); pq_PQfreemem(ptr); }
Oid PQftype(const PGresult *res, int field_num) { need(); return pq_PQftype(res, field_num); }
PGresult *PQgetResult(PGconn *conn) { need(); return pq_PQgetResult(conn); }
int PQgetisnull(const PGresult *res, int tup_num, int field_num) { need(); return pq_PQgetisnull(res, tup_num, field_num); }
char *PQgetvalue(const PGresult *res, int tup_num, int field_num) { need(); return pq_PQgetvalue(res, tup_num, field_num); }
int PQisBusy(PGconn *conn) { need(); return pq_PQisBusy(conn); }
int PQnfields(const PGresult *res) { need(); return pq_PQnfields(res); }
PGnotify *PQnotifies(PGconn *conn) { need(); return pq_PQnotifies(conn); }
int PQntuples(const PGresult *res) { need(); return pq_PQntuples(res); }
int PQpipelineSync(PGconn *conn) { need(); return pq_PQpipelineSync(conn); }
PGresult *PQprepare(PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes) {
    need();
    return pq_PQprepare(conn, stmtName, query, nParams, paramTypes);
}
PostgresPollingStatusType PQresetPoll(PGconn *conn) { need(); return pq_PQresetPoll(conn); }
int PQresetStart(PGconn *conn) { need(); return pq_PQresetStart(conn); }
char *PQresultErrorField(const PGresult *res, int fieldcode) { need(); return pq_PQresultErrorField(res, fieldcode); }
char *PQresultErrorMessage(const PGresult *res) { need(); return pq_PQresultErrorMessage(res); }
ExecStatusType PQresultStatus(const PGresult *res) { need(); return pq_PQresultStatus(res); }
int PQsendPrepare(PGconn *conn, const char *stmtName, const char *query, int nParams, const Oid *paramTypes) {
    need();
    return pq_PQsendPrepare(conn, stmtName, query, nParams, paramTypes);
}
int PQsendQuery(PGconn *conn, const char *query) { need(); return pq_PQsendQuery(conn, query); }
int PQsendQueryParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                      const char *const *paramValues, const int *paramLengths, const int *paramFormats,
                      int resultFormat) {
    need();
    return pq_PQsendQueryParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat);
}
int PQsendQueryPrepared(PGconn *conn, const char *stmtName, int nParams, const char *const *paramValues,
                        const int *paramLengths, const int *paramFormats, int resultFormat) {
    need();
    return pq_PQsendQueryPrepared(conn, stmtName, nParams, paramValues, paramLengths, paramFormats, resultFormat);
}
int PQserverVersion(const PGconn *conn) { need(); return pq_PQserverVersion(conn); }
PQnoticeProcessor PQsetNoticeProcessor(PGconn *conn, PQnoticeProcessor proc, void *arg) {
    need();
    return pq_PQsetNoticeProcessor(conn, proc, arg);
}
int PQsocket(const PGconn *conn) { need(); return pq_PQsocket(conn); }
ConnStatusType PQstatus(const PGconn *conn) { need(); return pq_PQstatus(conn); }

#pragma GCC visibility pop
