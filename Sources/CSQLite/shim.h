#pragma once
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro that Swift does not import: bind calls that must copy use this.
static inline void (*otklik_sqlite_transient(void))(void *) { return SQLITE_TRANSIENT; }
