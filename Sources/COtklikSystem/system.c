#define _GNU_SOURCE
#include "COtklikSystem.h"

#include <malloc.h>
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/uio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>

int otklik_peer_credentials_get(int fd, otklik_peer_credentials *out) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
        return -1;
    }
    out->uid = cred.uid;
    out->gid = cred.gid;
    out->pid = cred.pid;
    return 0;
}

int otklik_accept_nonblocking(int listen_fd) {
    return accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

int otklik_unix_socket(void) {
    return socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
}

static int fill_address(struct sockaddr_un *addr, const char *path) {
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof(addr->sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memset(addr, 0, sizeof(*addr));
    addr->sun_family = AF_UNIX;
    memcpy(addr->sun_path, path, len + 1);
    return 0;
}

int otklik_unix_connect(int fd, const char *path) {
    struct sockaddr_un addr;
    if (fill_address(&addr, path) != 0) {
        return -1;
    }
    return connect(fd, (struct sockaddr *)&addr, sizeof(addr));
}

int otklik_unix_bind_listen(int fd, const char *path, int backlog) {
    struct sockaddr_un addr;
    if (fill_address(&addr, path) != 0) {
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        return -1;
    }
    return listen(fd, backlog);
}

int otklik_unix_path_max(void) {
    struct sockaddr_un addr;
    return (int)sizeof(addr.sun_path) - 1;
}

ssize_t otklik_send(int fd, const void *buf, size_t len) {
    return send(fd, buf, len, MSG_NOSIGNAL);
}

int otklik_epoll_create(void) {
    return epoll_create1(EPOLL_CLOEXEC);
}

int otklik_epoll_arm(int epfd, int fd, int add, uint32_t interest, uint64_t token) {
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    event.events = EPOLLONESHOT | EPOLLRDHUP;
    if (interest & OTKLIK_POLL_IN) event.events |= EPOLLIN;
    if (interest & OTKLIK_POLL_OUT) event.events |= EPOLLOUT;
    event.data.u64 = token;
    return epoll_ctl(epfd, add ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, fd, &event);
}

int otklik_wake_create(void) {
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

int otklik_wake_signal(int fd) {
    uint64_t one = 1;
    return write(fd, &one, sizeof one) == (ssize_t)sizeof one ? 0 : -1;
}

int otklik_thread_id(void) {
    return (int)syscall(SYS_gettid);
}

int otklik_epoll_remove(int epfd, int fd) {
    struct epoll_event event;
    memset(&event, 0, sizeof event);
    return epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &event);
}

int otklik_epoll_wait(int epfd, uint64_t *tokens, uint32_t *flags, int max, int timeout_ms) {
    struct epoll_event events[64];
    if (max > 64) max = 64;
    int count;
    do {
        count = epoll_wait(epfd, events, max, timeout_ms);
    } while (count < 0 && errno == EINTR);
    for (int i = 0; i < count; i++) {
        uint32_t e = events[i].events, f = 0;
        if (e & EPOLLIN) f |= OTKLIK_POLL_IN;
        if (e & EPOLLOUT) f |= OTKLIK_POLL_OUT;
        if (e & (EPOLLHUP | EPOLLRDHUP)) f |= OTKLIK_POLL_HANGUP;
        if (e & EPOLLERR) f |= OTKLIK_POLL_ERROR;
        tokens[i] = events[i].data.u64;
        flags[i] = f;
    }
    return count;
}

int otklik_limit_malloc_arenas(int arenas) {
    return mallopt(M_ARENA_MAX, arenas);
}

int otklik_set_thread_nice(int nice) {
    return setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), nice);
}

int otklik_keep_stream_buffers(void) {
    return mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024 + 64 * 1024) && mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024);
}

long otklik_send_with_descriptor(int sock, const void *buf, unsigned long len, int fd) {
    struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } control;
    memset(&control, 0, sizeof(control));
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    return (long)sendmsg(sock, &msg, MSG_NOSIGNAL);
}

long otklik_recv_with_descriptors(int sock, void *buf, unsigned long len, int *fds, int max_fds, int *nfds) {
    struct iovec iov = {.iov_base = buf, .iov_len = len};
    union {
        char buf[CMSG_SPACE(sizeof(int) * 8)];
        struct cmsghdr align;
    } control;
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
    *nfds = 0;
    ssize_t count = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
    if (count < 0) return -1;
    for (struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg); cmsg != NULL; cmsg = CMSG_NXTHDR(&msg, cmsg)) {
        if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
        int n = (int)((cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(cmsg) + i * sizeof(int), sizeof(int));
            if (*nfds < max_fds) {
                fds[(*nfds)++] = fd;
            } else {
                close(fd);
            }
        }
    }
    return (long)count;
}

long otklik_copy_file_range(int in_fd, long long *in_off, int out_fd, long long *out_off, unsigned long len) {
    loff_t in = (loff_t)*in_off, out = (loff_t)*out_off;
    ssize_t copied = copy_file_range(in_fd, &in, out_fd, &out, len, 0);
    if (copied > 0) {
        *in_off = (long long)in;
        *out_off = (long long)out;
    }
    return (long)copied;
}

int otklik_terminal_size(int fd, int *rows, int *columns) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_col == 0) return -1;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

#ifndef OTKLIK_COMMIT
#define OTKLIK_COMMIT "unknown"
#endif

const char *otklik_build_commit(void) { return OTKLIK_COMMIT; }

long otklik_raise_descriptor_limit(long ceiling) {
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    rlim_t wanted = limit.rlim_max;
    if (ceiling > 0 && (wanted == RLIM_INFINITY || wanted > (rlim_t)ceiling)) wanted = (rlim_t)ceiling;
    if (wanted > limit.rlim_cur) {
        limit.rlim_cur = wanted;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) getrlimit(RLIMIT_NOFILE, &limit);
    }
    return (long)limit.rlim_cur;
}

int otklik_spawn_on_socket(char *const argv[], int *sock, int *err) {
    int pair[2], pipe_fds[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) return -1;
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        int saved = errno;
        close(pair[0]);
        close(pair[1]);
        errno = saved;
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int saved = errno;
        close(pair[0]);
        close(pair[1]);
        close(pipe_fds[0]);
        close(pipe_fds[1]);
        errno = saved;
        return -1;
    }
    if (pid == 0) {
        setsid();
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(127);
        signal(SIGPIPE, SIG_DFL);
        if (dup2(pair[1], 0) < 0 || dup2(pair[1], 1) < 0 || dup2(pipe_fds[1], 2) < 0) _exit(127);
        // Nothing else of ours goes with it (a shared SSH master would hold it open for minutes).
        close_range(3, ~0U, 0);
        execvp(argv[0], argv);
        int code = errno;
        const char *what = strerror(code);
        if (write(2, "exec ", 5) < 0 || write(2, argv[0], strlen(argv[0])) < 0 || write(2, ": ", 2) < 0
            || write(2, what, strlen(what)) < 0 || write(2, "\n", 1) < 0) {
        }
        _exit(127);
    }
    close(pair[1]);
    close(pipe_fds[1]);
    *sock = pair[0];
    *err = pipe_fds[0];
    return pid;
}
