"""A throwaway PostgreSQL cluster for a test: Debian's postgresql-15 (installed, or unpacked by
scripts/setup into .build-tools/postgresql, never installed as a service), a cluster in a temporary
directory owned by the `postgres` user (the server refuses root), on 127.0.0.1 and a free port, trust
authentication on loopback only, stopped and removed afterwards. The machine's own cluster is never
touched."""
import os
import pwd
import shutil
import socket
import subprocess
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CANDIDATES = ["/usr/lib/postgresql/15/bin",
              os.path.join(ROOT, ".build-tools", "postgresql", "usr", "lib", "postgresql", "15", "bin")]


def binaries():
    for directory in CANDIDATES:
        if os.access(os.path.join(directory, "postgres"), os.X_OK):
            return directory
    return None


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self, fsync=False):
        self.bin = binaries()
        if self.bin is None:
            raise RuntimeError("no PostgreSQL 15 here: run scripts/setup")
        # The server refuses root: Debian's `postgres` user where it exists, else one made for the test
        # and removed after it.
        self.made_user = None
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            self.made_user = "otkpg" + os.urandom(3).hex()
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", self.made_user],
                           check=True)
            user = pwd.getpwnam(self.made_user)
        self.user = user.pw_name
        self.base = tempfile.mkdtemp(prefix="otklik-pg-")
        os.chown(self.base, user.pw_uid, user.pw_gid)
        os.chmod(self.base, 0o700)
        self.port = free_port()
        self.data = os.path.join(self.base, "data")
        environment = {**os.environ, "LD_LIBRARY_PATH": os.path.join(os.path.dirname(os.path.dirname(self.bin)), "lib")}
        self.environment = environment
        self.as_postgres([os.path.join(self.bin, "initdb"), "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                          "--locale=C", "--no-sync"])
        self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l", os.path.join(self.base, "log"), "-w",
                          "-t", "60", "start", "-o",
                          f"-k {self.base} -p {self.port} -c listen_addresses=127.0.0.1 "
                          + ("" if fsync else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off")])
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def as_postgres(self, command):
        done = subprocess.run(["runuser", "-u", self.user, "--", *command], capture_output=True, text=True,
                              env=self.environment, cwd=self.base, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stdout}{done.stderr}")

    def database(self, name):
        import psycopg
        with psycopg.connect(self.url, autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def close(self):
        try:
            self.as_postgres([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop"])
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
            if self.made_user:
                subprocess.run(["userdel", self.made_user], check=False)
