/* The physical floor for a local RPC: two processes bouncing 64 bytes over a Unix stream socket
 * with blocking read/write. Prints p50/p99 round-trip latency and round trips per second.
 * Usage: pingpong ROUNDS */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { MESSAGE = 64 };

static int exact(int fd, char *buffer, int reading) {
    int done = 0;
    while (done < MESSAGE) {
        ssize_t n = reading ? read(fd, buffer + done, MESSAGE - done) : write(fd, buffer + done, MESSAGE - done);
        if (n <= 0) return -1;
        done += (int)n;
    }
    return 0;
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    long rounds = argc > 1 ? atol(argv[1]) : 100000;
    int fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) { perror("socketpair"); return 1; }
    char buffer[MESSAGE] = {0};
    pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        for (long i = 0; i < rounds + 1000; i++) {
            if (exact(fds[1], buffer, 1) || exact(fds[1], buffer, 0)) break;
        }
        _exit(0);
    }
    close(fds[1]);
    for (int i = 0; i < 1000; i++) { exact(fds[0], buffer, 0); exact(fds[0], buffer, 1); } /* warm up */
    uint64_t *samples = malloc(sizeof(uint64_t) * (size_t)rounds);
    uint64_t start = now_ns();
    for (long i = 0; i < rounds; i++) {
        uint64_t t0 = now_ns();
        if (exact(fds[0], buffer, 0) || exact(fds[0], buffer, 1)) { fprintf(stderr, "peer gone\n"); return 1; }
        samples[i] = now_ns() - t0;
    }
    uint64_t total = now_ns() - start;
    close(fds[0]);
    waitpid(child, NULL, 0);
    qsort(samples, (size_t)rounds, sizeof(uint64_t), compare);
    printf("floor p50_ns=%llu p99_ns=%llu per_second=%.0f rounds=%ld\n",
           (unsigned long long)samples[rounds / 2], (unsigned long long)samples[rounds * 99 / 100],
           rounds / (total / 1e9), rounds);
    free(samples);
    return 0;
}
