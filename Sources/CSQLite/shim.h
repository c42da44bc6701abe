#pragma once
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro that Swift does not import: bind calls that must copy use this.
static inline void (*otklik_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }

// sqlite3_config is variadic, which Swift does not call: the size past which a statement's or a
// savepoint's journal (the undo of a write within its transaction) leaves memory for a temporary file.
// Takes effect only before SQLite's first connection in the process (SQLITE_MISUSE after).
static inline int otklik_sqlite_statement_journal_spill(int bytes) {
    return sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, bytes);
}
