// sqlite3_config and sqlite3_db_config are variadic C functions, which Swift cannot call.
#include <sqlite3.h>
#include "PatronSQLiteConfig.h"

int patron_sqlite_disable_memory_statistics(void) {
    // With statistics on, every allocation SQLite makes takes a process-wide mutex to count itself.
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int patron_sqlite_set_lookaside(void *connection, int size, int count) {
    return sqlite3_db_config((sqlite3 *)connection, SQLITE_DBCONFIG_LOOKASIDE, (void *)0, size, count);
}
