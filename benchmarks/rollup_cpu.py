"""The CPU benchmarks/rollup counts: the region's daemon, the tool (this process) and PostgreSQL."""
import contextlib
import os
import resource


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
