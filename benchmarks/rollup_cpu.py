"""What benchmarks/rollup measures: a timed catch-up, and the CPU of the region's daemon, the tool (this
process) and PostgreSQL over it."""
import contextlib
import os
import resource
import sys
import time


def cpu(pids):
    """Seconds of CPU the processes `pids` have used (user and system), from /proc. A process that ended
    meanwhile (an autovacuum worker) is not counted: PostgreSQL's figure is a little low."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def postgres_pids(cluster):
    """The cluster's postmaster and every process it started (the tool's backend among them)."""
    with open(os.path.join(cluster.data, "postmaster.pid")) as pidfile:
        postmaster = pidfile.readline().strip()
    children = set()
    for task in os.listdir(f"/proc/{postmaster}/task"):
        with contextlib.suppress(OSError), open(f"/proc/{postmaster}/task/{task}/children") as listed:
            children.update(listed.read().split())
    return [postmaster, *children]


def tool_cpu():
    """This process's CPU (every thread of the tool's), in seconds."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_catch_up(region, db, client, daemon_pid, cluster, limit):
    """`region.catch_up` of at most `limit` events: (events stored, seconds, [µs of CPU an event of the
    daemon, the tool, PostgreSQL])."""
    pg = postgres_pids(cluster)
    before = cpu([daemon_pid]), tool_cpu(), cpu(pg)
    started = time.monotonic()
    stored = region.catch_up(db, client, limit=limit)
    elapsed = time.monotonic() - started
    if not stored:
        sys.exit("nothing was stored")
    used = [(after - earlier) * 1e6 / stored for after, earlier in zip((cpu([daemon_pid]), tool_cpu(), cpu(pg)), before)]
    return stored, elapsed, used
