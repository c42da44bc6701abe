/* Hostile connections against otklikd, from many threads at once: partial frames, malformed
 * headers, oversized lengths, garbage, valid calls abandoned before their answer, half-closes and
 * early disconnects. Prints what it did; exits 0 when the daemon still answers a Health call
 * after every batch, 1 when it stopped answering (crashed or wedged).
 *
 * Usage: hostile SOCKET CONNECTIONS THREADS SEED */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>

static const char *socket_path;
static long per_thread;
static unsigned base_seed;

static int dial(void) {
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    strncpy(address.sun_path, socket_path, sizeof address.sun_path - 1);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) { close(fd); return -1; }
    struct timeval timeout = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return fd;
}

static void put32(uint8_t *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }

/* A Request envelope for otklik.v1.Admin/Health, optionally with a timeout. */
static size_t health_request(uint8_t *out, int64_t timeout_nanos) {
    static const char service[] = "otklik.v1.Admin", method[] = "Health";
    size_t n = 0;
    out[n++] = 0x0a; out[n++] = sizeof service - 1; memcpy(out + n, service, sizeof service - 1); n += sizeof service - 1;
    out[n++] = 0x12; out[n++] = sizeof method - 1; memcpy(out + n, method, sizeof method - 1); n += sizeof method - 1;
    if (timeout_nanos) {
        out[n++] = 0x20;
        uint64_t v = (uint64_t)timeout_nanos;
        do { uint8_t b = v & 0x7f; v >>= 7; out[n++] = b | (v ? 0x80 : 0); } while (v);
    }
    return n;
}

static size_t frame(uint8_t *out, uint32_t length, uint32_t stream, uint8_t type, uint8_t flags) {
    put32(out, length); put32(out + 4, stream); out[8] = type; out[9] = flags;
    return 10;
}

static void send_all(int fd, const void *bytes, size_t count) {
    send(fd, bytes, count, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void drain_briefly(int fd, int millis) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    uint8_t sink[4096];
    while (poll(&p, 1, millis) > 0) {
        if (read(fd, sink, sizeof sink) <= 0) break;
    }
}

/* Returns 1 when a Health call is answered with a response frame. */
static int healthy(void) {
    int fd = dial();
    if (fd < 0) return 0;
    uint8_t buffer[256];
    size_t body = health_request(buffer + 10, 0);
    frame(buffer, (uint32_t)body, 1, 1, 0);
    int ok = 0;
    if (send(fd, buffer, 10 + body, MSG_NOSIGNAL) == (ssize_t)(10 + body)) {
        uint8_t header[10];
        ssize_t n = recv(fd, header, sizeof header, MSG_WAITALL);
        ok = n == 10 && header[8] == 2;
    }
    close(fd);
    return ok;
}

static long counts[10];
static pthread_mutex_t counts_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *argument) {
    unsigned seed = base_seed * 7919u + (unsigned)(uintptr_t)argument;
    long local[10] = {0};
    uint8_t buffer[8192];
    for (long i = 0; i < per_thread; i++) {
        int fd = dial();
        if (fd < 0) { usleep(1000); continue; }
        int action = rand_r(&seed) % 10;
        local[action]++;
        size_t body = health_request(buffer + 10, 0);
        switch (action) {
        case 0: /* connect and leave at once */
            break;
        case 1: /* a partial header */
            frame(buffer, (uint32_t)body, 1, 1, 0);
            send_all(fd, buffer, 1 + rand_r(&seed) % 9);
            break;
        case 2: /* a header announcing more than the limit */
            frame(buffer, 0xffffffffu - (uint32_t)(rand_r(&seed) % 16), 1, 1, 0);
            send_all(fd, buffer, 10);
            if (rand_r(&seed) % 2) drain_briefly(fd, 5);
            break;
        case 3: /* a request cut in the middle of its payload */
            frame(buffer, (uint32_t)body + 50, 1, 1, 0);
            send_all(fd, buffer, 10 + rand_r(&seed) % body);
            break;
        case 4: /* garbage */
            for (int k = 0; k < 64; k++) buffer[k] = (uint8_t)rand_r(&seed);
            send_all(fd, buffer, 64);
            if (rand_r(&seed) % 2) drain_briefly(fd, 5);
            break;
        case 5: /* a valid call, then leave before the answer */
            frame(buffer, (uint32_t)body, 1, 1, 0);
            send_all(fd, buffer, 10 + body);
            break;
        case 6: /* a valid call with a short deadline, answer read */
            body = health_request(buffer + 10, 1000000 + rand_r(&seed) % 1000000);
            frame(buffer, (uint32_t)body, 1, 1, 0);
            send_all(fd, buffer, 10 + body);
            drain_briefly(fd, 20);
            break;
        case 7: /* an even stream id, then read until the daemon closes */
            frame(buffer, (uint32_t)body, 2, 1, 0);
            send_all(fd, buffer, 10 + body);
            drain_briefly(fd, 20);
            break;
        case 8: /* half-close after a partial frame, then read to the end */
            frame(buffer, (uint32_t)body, 1, 1, 0);
            send_all(fd, buffer, 5);
            shutdown(fd, SHUT_WR);
            drain_briefly(fd, 20);
            break;
        case 9: { /* many pipelined calls, then leave while they are answered */
            size_t at = 0;
            for (uint32_t s = 1; s < 64 && at + 10 + body < sizeof buffer; s += 2) {
                frame(buffer + at, (uint32_t)body, s, 1, 0);
                health_request(buffer + at + 10, 0);
                at += 10 + body;
            }
            send_all(fd, buffer, at);
            if (rand_r(&seed) % 2) shutdown(fd, SHUT_RDWR);
            break;
        }
        }
        close(fd);
    }
    pthread_mutex_lock(&counts_lock);
    for (int k = 0; k < 10; k++) counts[k] += local[k];
    pthread_mutex_unlock(&counts_lock);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 5) { fprintf(stderr, "usage: hostile SOCKET CONNECTIONS THREADS SEED\n"); return 64; }
    socket_path = argv[1];
    long total = atol(argv[2]);
    int threads = atoi(argv[3]);
    base_seed = (unsigned)atol(argv[4]);
    if (threads < 1 || threads > 256 || total < threads) { fprintf(stderr, "hostile: bad arguments\n"); return 64; }
    per_thread = total / threads;
    if (!healthy()) { fprintf(stderr, "hostile: the daemon does not answer before the run\n"); return 1; }
    pthread_t ids[256];
    for (int t = 0; t < threads; t++) pthread_create(&ids[t], NULL, worker, (void *)(uintptr_t)t);
    for (int t = 0; t < threads; t++) pthread_join(ids[t], NULL);
    int ok = 0;
    for (int attempt = 0; attempt < 50 && !ok; attempt++) { ok = healthy(); if (!ok) usleep(100000); }
    long sum = 0;
    for (int k = 0; k < 10; k++) sum += counts[k];
    printf("hostile: %ld connections from %d threads (seed %u); daemon %s\n", sum, threads, base_seed,
           ok ? "still answers" : "DOES NOT ANSWER");
    return ok ? 0 : 1;
}
