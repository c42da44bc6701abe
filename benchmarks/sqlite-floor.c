/* The durable floor of this disk: single-row commits through SQLite's C library in WAL mode with
 * synchronous=FULL (as otklikd writes), one transaction each. Prints commits per second.
 * Usage: sqlite-floor DIRECTORY [COMMITS]   (a benchmark: it asserts nothing) */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: sqlite-floor DIRECTORY [COMMITS]\n");
        return 64;
    }
    int commits = argc > 2 ? atoi(argv[2]) : 2000;
    char path[4096];
    snprintf(path, sizeof path, "%s/floor.sqlite3", argv[1]);
    sqlite3 *db;
    if (sqlite3_open(path, &db) != SQLITE_OK) return 1;
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);",
                 0, 0, 0);
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO t (payload) VALUES ('a registration-sized row of text')", -1, &insert, 0);
    double start = seconds();
    for (int i = 0; i < commits; i++) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0);
        sqlite3_step(insert);
        sqlite3_reset(insert);
        if (sqlite3_exec(db, "COMMIT", 0, 0, 0) != SQLITE_OK) return 1;
    }
    double elapsed = seconds() - start;
    printf("sqlite C floor (WAL, synchronous=FULL, one row per commit): per_second=%.0f commits=%d\n",
           commits / elapsed, commits);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}
