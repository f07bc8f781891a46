#ifndef PATRON_SQLITE_CONFIG_H
#define PATRON_SQLITE_CONFIG_H

/// Turns off SQLite's memory statistics, process-wide. Must run before SQLite initializes (the first connection);
/// afterwards it changes nothing. Returns SQLite's result code (SQLITE_MISUSE when too late).
int patron_sqlite_disable_memory_statistics(void);

/// Gives a connection `count` lookaside slots of `size` bytes. Returns SQLite's result code (SQLITE_BUSY when the
/// connection already uses lookaside memory).
int patron_sqlite_set_lookaside(void *connection, int size, int count);

#endif
