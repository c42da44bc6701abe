"""Who may use the desk: only its own user, through the loopback interface, from its own pages.

- The launch URL carries a one-time token; it becomes a session cookie (HttpOnly, SameSite=Strict) and
  is spent. A later launch (the menu, `otklik desk` again) asks the running helper for a fresh one.
- Every request's `Host` is a loopback name with the helper's port (DNS rebinding), every state-changing
  request's `Origin` is the page's own and it carries the session's CSRF token.
- A connection from another OS user is closed before a byte is read: the peer's socket is looked up in
  /proc/net/tcp{,6}, whose uid column names the owner of the browser's end.
- Every answer says: never cache (case data), a strict Content-Security-Policy, no sniffing, no framing.
"""
import hmac
import os
import secrets
import threading

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
# The pages' policy: their own scripts, styles and images only; no inline script, no plugin, no framing.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
          "form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'")
# The report's document (the CLI's own HTML, with its inline styles) shown in a frame of the desk's page:
# no script at all may run in it.
DOCUMENT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'"


class Guard:
    """The helper's secrets and the checks every request passes."""

    def __init__(self, port=0):
        self.port = port
        self.session = secrets.token_urlsafe(32)   # the cookie's value once launched
        self.csrf = secrets.token_urlsafe(32)
        self._launch = set()
        self._lock = threading.Lock()

    @property
    def cookie(self):
        # One name per port: another desk of the same browser (another port) keeps its own.
        return f"otklik_desk_{self.port}"

    def new_launch_token(self):
        """A token that opens the desk once."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._launch.add(token)
        return token

    def spend(self, token):
        """Whether `token` opens the desk (it cannot again)."""
        with self._lock:
            for known in list(self._launch):
                if hmac.compare_digest(known, token or ""):
                    self._launch.discard(known)
                    return True
        return False

    def hosts(self):
        return {f"{name}:{self.port}" for name in LOOPBACK_NAMES}

    def host_ok(self, host):
        return (host or "").lower() in self.hosts()

    def origin_ok(self, origin):
        return origin in {f"http://{host}" for host in self.hosts()}

    def session_ok(self, value):
        return hmac.compare_digest(value or "", self.session)

    def csrf_ok(self, value):
        return hmac.compare_digest(value or "", self.csrf)


def _socket_table(path):
    try:
        with open(path) as table:
            next(table)
            return [line.split() for line in table]
    except OSError:
        return []


def _address(hex_address):
    """(ip text, port) of /proc/net/tcp's `0100007F:1F90` or its IPv6 form."""
    address, port = hex_address.split(":")
    raw = bytes.fromhex(address)
    if len(raw) == 4:
        return ".".join(str(b) for b in reversed(raw)), int(port, 16)
    import ipaddress
    # Four 32-bit words, each in the host's (little-endian) order.
    words = b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4))
    ip = ipaddress.IPv6Address(words)
    return (str(ip.ipv4_mapped) if ip.ipv4_mapped else str(ip)), int(port, 16)


ESTABLISHED = "01"


def _plain(host):
    return host[len("::ffff:"):] if host.startswith("::ffff:") else host


def peer_uid(client_address, server_address):
    """The uid owning the other end of a loopback TCP connection (the browser's socket), None when not
    found. That end's row is an established connection whose four fields are exactly the accepted one's,
    seen from the other side: the client's address and port as local, the helper's as remote (a row in
    another state, TIME_WAIT's with uid 0 among them, never counts)."""
    client = (_plain(client_address[0]), client_address[1])
    server = (_plain(server_address[0]), server_address[1])
    for path in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in _socket_table(path):
            try:
                local, remote, state, uid = _address(row[1]), _address(row[2]), row[3], int(row[7])
            except (IndexError, ValueError):
                continue
            if state == ESTABLISHED and local == client and remote == server:
                return uid
    return None


def same_user(client_address, server_address):
    return peer_uid(client_address, server_address) == os.getuid()
