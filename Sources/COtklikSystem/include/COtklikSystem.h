// What Glibc hides from Swift: struct ucred (SO_PEERCRED) and accept4 need _GNU_SOURCE.
#pragma once
#include <stdint.h>
#include <sys/types.h>

typedef struct {
    uint32_t uid;
    uint32_t gid;
    int32_t pid;
} otklik_peer_credentials;

/// Fills `out` with the peer of a connected Unix socket. Returns 0, or -1 with errno set.
int otklik_peer_credentials_get(int fd, otklik_peer_credentials *out);

/// accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC. Returns the fd, or -1 with errno set.
int otklik_accept_nonblocking(int listen_fd);

/// A non-blocking, close-on-exec Unix stream socket.
int otklik_unix_socket(void);

/// Connects `fd` to the socket file at `path`. Returns 0, or -1 with errno (ENAMETOOLONG when
/// the path does not fit sun_path).
int otklik_unix_connect(int fd, const char *path);

/// Binds `fd` to `path` and listens. Returns 0, or -1 with errno (ENAMETOOLONG as above).
int otklik_unix_bind_listen(int fd, const char *path, int backlog);

/// The longest path a socket address holds (sizeof sun_path - 1).
int otklik_unix_path_max(void);

/// send() with MSG_NOSIGNAL, so a vanished peer is an EPIPE and never a SIGPIPE.
ssize_t otklik_send(int fd, const void *buf, size_t len);

/// An epoll instance (close-on-exec) for the connections' readiness. Returns the fd, or -1.
int otklik_epoll_create(void);

/// Interest flags for otklik_epoll_arm, and what otklik_epoll_wait reports.
enum {
    OTKLIK_POLL_IN = 1,
    OTKLIK_POLL_OUT = 2,
    OTKLIK_POLL_HANGUP = 4,
    OTKLIK_POLL_ERROR = 8,
};

/// Adds (`add` != 0) or re-arms `fd` in `epfd` for the OTKLIK_POLL_* `interest`, one-shot, with
/// `token` reported back. Returns 0, or -1 with errno set.
int otklik_epoll_arm(int epfd, int fd, int add, uint32_t interest, uint64_t token);

/// Removes `fd` from `epfd`. Returns 0, or -1 with errno set.
int otklik_epoll_remove(int epfd, int fd);

/// An eventfd (close-on-exec, non-blocking) that wakes a thread waiting in otklik_epoll_wait once it
/// is armed in that set and signalled. Returns the fd, or -1.
int otklik_wake_create(void);

/// Signals a descriptor from otklik_wake_create. Returns 0, or -1 with errno set.
int otklik_wake_signal(int fd);

/// The calling thread's id (gettid), as /proc/self/task names it.
int otklik_thread_id(void);

/// Waits up to `timeout_ms` (0: not at all) and fills up to `max` tokens and OTKLIK_POLL_* flags.
/// Returns how many, or -1 with errno set.
int otklik_epoll_wait(int epfd, uint64_t *tokens, uint32_t *flags, int max, int timeout_ms);

/// Caps glibc's malloc arenas (mallopt M_ARENA_MAX), so threads that come and go do not each
/// leave an arena behind. Returns 1 on success.
int otklik_limit_malloc_arenas(int arenas);

/// Keeps buffers of streamed messages (up to 4 MiB) in the heap and the heap's top up to 16 MiB
/// (mallopt M_MMAP_THRESHOLD, M_TRIM_THRESHOLD): without it every 1 MiB upload chunk is a fresh
/// mmap or heap growth, and its pages fault in again (a fifth of an upload's time). Returns 1.
int otklik_keep_stream_buffers(void);

/// Sends up to `len` bytes of `buf` on the Unix socket `sock` with the descriptor `fd` attached
/// (SCM_RIGHTS) to the first byte, MSG_NOSIGNAL. Returns the bytes sent (the rest goes by plain sends),
/// or -1 with errno set.
long otklik_send_with_descriptor(int sock, const void *buf, unsigned long len, int fd);

/// Reads up to `len` bytes from the Unix socket `sock` (recvmsg) and up to `max_fds` descriptors passed
/// with them (close-on-exec; any beyond `max_fds` are closed). `*nfds` gets how many were passed.
/// Returns the bytes read, 0 at the end, or -1 with errno set.
long otklik_recv_with_descriptors(int sock, void *buf, unsigned long len, int *fds, int max_fds, int *nfds);

/// copy_file_range(2): up to `len` bytes from `in_fd` at `*in_off` to `out_fd` at `*out_off`, in the
/// kernel. Returns the bytes copied, 0 at the end of the input, or -1 with errno set.
long otklik_copy_file_range(int in_fd, long long *in_off, int out_fd, long long *out_off, unsigned long len);

/// Sets the calling thread's nice value (Linux: per thread), so long bulk work such as an upload
/// yields the CPU to short calls. Returns 0 on success.
int otklik_set_thread_nice(int nice);

/// The terminal's size on `fd` (TIOCGWINSZ): 0 with rows and columns set, -1 when fd is no terminal.
int otklik_terminal_size(int fd, int *rows, int *columns);

/// The commit this build was made from (scripts/install passes -DOTKLIK_COMMIT="..."), else "unknown".
const char *otklik_build_commit(void);

/// Raises the soft limit of open descriptors to the hard one, at most `ceiling`; returns the soft
/// limit in force afterwards (or -1). The daemon calls it at start: the default soft limit of 1024
/// is below what its connection and upload limits may hold.
long otklik_raise_descriptor_limit(long ceiling);

/// Runs `argv` (execvp: argv[0] found on PATH) with its standard input and output on one end of a new
/// Unix socket pair and its standard error on a new pipe, in a session of its own, sent SIGTERM if this
/// process dies. On success returns the child's pid and sets `*sock` (the other end of the pair, ours)
/// and `*err` (the pipe's reading end), both close-on-exec; -1 with errno set otherwise. A child that
/// cannot exec exits with 127 after writing why to its standard error.
int otklik_spawn_on_socket(char *const argv[], int *sock, int *err);
