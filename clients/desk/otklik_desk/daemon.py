"""The daemon as the desk's user: one multiplexed connection per acting login (the local socket, or through
OpenSSH with `ssh://...`), opened again on the next call once it was lost, and the directory's names cached
for a minute. A call is never repeated: one that met a lost connection may have been applied."""
import threading
import time

from otklik_client import Client, RPCError, StatusCode


class Daemon:
    def __init__(self, address=None, acting=None, timeout=20.0):
        self.address = address          # a socket path, an ssh:// address, or None (the CLI's default)
        self.acting = acting            # an admin's --as LOGIN
        self.timeout = timeout
        self._clients = {}
        self._lock = threading.Lock()
        self._names = (0.0, None)

    def login(self, acting=None):
        """Whom a call acts as: `acting` when given ("" is the desk's user itself), else --as."""
        return (self.acting if acting is None else acting) or ""

    def metadata(self, acting=None):
        login = self.login(acting)
        return {"otklik-as": login} if login else None

    def client(self, acting=None):
        """The connection (for `acting`, an admin's chosen login), opened when there is none or it was lost."""
        login = self.login(acting)
        with self._lock:
            client = self._clients.get(login)
            if client is not None and not client._closing and client._reader.is_alive():
                return client
            if client is not None:
                client.close()
            client = Client(self.address, timeout=self.timeout, metadata=self.metadata(acting))
            self._clients[login] = client
            return client

    def call(self, name, *arguments, acting=None, **keywords):
        """One call by its client method's name. A lost connection is closed, so that the next call opens
        a new one; the call itself is not repeated. A refusal carries `sent`: False when the connection
        could not even be opened (nothing reached the daemon), True otherwise (a call cut off may have
        been applied)."""
        try:
            client = self.client(acting)
        except RPCError as error:
            error.sent = False
            raise
        try:
            return getattr(client, name)(*arguments, **keywords)
        except RPCError as error:
            error.sent = True
            if error.code == StatusCode.UNAVAILABLE:
                self.drop(acting)
            raise

    def drop(self, acting=None):
        login = self.login(acting)
        with self._lock:
            client = self._clients.pop(login, None)
        if client is not None:
            client.close()

    def names(self, acting=None):
        """{"units": {code: UnitView}, "staff": {login: StaffView}}, read at most once a minute."""
        at, names = self._names
        if names is not None and time.monotonic() - at < 60:
            return names
        units = {unit.name: unit for unit in self.call("list_units", acting=acting).units}
        staff = {person.login: person for person in self.call("list_staff", acting=acting).staff}
        names = {"units": units, "staff": staff}
        self._names = (time.monotonic(), names)
        return names

    def close(self):
        with self._lock:
            clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            client.close()
