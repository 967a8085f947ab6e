// sqlite3 for Swift. SQLITE_TRANSIENT is a macro and variadic functions do
// not import; the few we need are wrapped here.
#ifndef CRM_SQLITE_SHIM_H
#define CRM_SQLITE_SHIM_H
#include <sqlite3.h>

static inline sqlite3_destructor_type crm_sqlite_transient(void) { return SQLITE_TRANSIENT; }
static inline int crm_sqlite_db_config_defensive(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)0);
}
#endif
