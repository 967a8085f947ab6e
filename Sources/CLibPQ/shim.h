// libpq for Swift. Debian puts libpq-fe.h under /usr/include/postgresql,
// which is not on the compiler's search path and whose pkg-config flags
// SwiftPM may drop, so the shim names the full path (as CNcursesw does).
#ifndef CRM_LIBPQ_SHIM_H
#define CRM_LIBPQ_SHIM_H
#include <postgresql/libpq-fe.h>
#endif
