"""A connector's word to the daemon on how it stands (issue 29, `otklik connector list`)."""
import time

from otklik_client import RPCError, connectors_pb2, words

from .common import State, bounded


class Health:
    """The connector's word to the daemon on how it stands (`otklik connector list`, `otklik status`):
    after its polls, at least every `every` seconds, at once when its state changes. A report the daemon
    cannot take is dropped: reporting never holds the connector back.

    States are words.proto's ConnectorState: ok, network_unreachable, token_refused, stopped,
    daemon_refuses. The
    comments taken today are counted on the connector's local day and kept in `<name>-health.json`, so
    a restart does not lose the day's count."""

    def __init__(self, daemon, network, community, external_prefix, state_dir, name, clock=time.time, every=20):
        self.daemon = daemon
        self.network, self.community, self.external_prefix = network, community, external_prefix
        self.store = State(state_dir, f"{name}-health")
        self.clock = clock
        self.every = every
        self.state, self.error, self.error_at, self.last_poll = "ok", "", 0, 0
        self.failing_since = None   # the first failure of a run of them (network_unreachable after TROUBLE_AFTER)
        self.answering_since = None  # the first answer after trouble (ok again after TROUBLE_AFTER)
        self.reported_state, self.reported_at = None, 0
        self.missed_since, self.missed_at = 0, 0
        saved = self.store.load()
        self.day, self.taken = saved.get("day"), int(saved.get("taken") or 0)

    # A network that fails for this long (its failures in a row) is shown as unreachable: one lost poll
    # is not trouble worth a curator's pop-up.
    TROUBLE_AFTER = 30

    def polled(self, taken=0):
        """A poll the network answered, `taken` new comments of it registered. After trouble the
        connector is shown well again at once, but after a network's failures only once it has answered for
        TROUBLE_AFTER seconds: a network that fails now and then is not announced over and over."""
        self.last_poll = int(self.clock())
        self.failing_since = None
        if taken:
            today = time.strftime("%Y-%m-%d", time.localtime(self.clock()))
            if today != self.day:
                self.day, self.taken = today, 0
            self.taken += taken
            self.store.save(day=self.day, taken=self.taken)
        if self.state == "network_unreachable":
            self.answering_since = self.answering_since or self.last_poll
            if self.last_poll - self.answering_since < self.TROUBLE_AFTER:
                self.report()
                return
        self.answering_since = None
        self.state = "ok"
        self.report()

    def trouble(self, state, error):
        """The connector cannot read its network (`network_unreachable`: said once it has not answered for
        TROUBLE_AFTER seconds, counted from its last answer, so a network that hangs until a request's
        timeout is said at that timeout), or stops (`token_refused`, `stopped`: said at once). `error` is
        the network's or the system's own words (the state is what people read, in their language)."""
        now = int(self.clock())
        self.error, self.error_at = bounded(str(error)), now
        self.answering_since = None
        if state == "network_unreachable":
            self.failing_since = self.failing_since or (self.last_poll or now)
            if now - self.failing_since < self.TROUBLE_AFTER:
                return
        self.state = state
        self.report()

    # How long a gap stays shown in `otklik connector list`: a day, time enough to look at the posts.
    MISSED_SHOWN = 24 * 3600

    def missed(self, since):
        """Comments written since `since` (Unix seconds) may not have come in (a gap in the network's stream
        it could not sweep): reported at once, so `otklik connector list` says it to the curator in their
        language (the service's journal says why), for MISSED_SHOWN seconds."""
        self.missed_since = int(since) if not self.missed_since else min(self.missed_since, int(since))
        self.missed_at = int(self.clock())
        self.reported_state = None
        self.report()

    def report(self):
        now = self.clock()
        if self.state == self.reported_state and now - self.reported_at < self.every:
            return
        today = time.strftime("%Y-%m-%d", time.localtime(now))
        if self.missed_since and now - self.missed_at > self.MISSED_SHOWN:
            self.missed_since = 0
        try:
            self.daemon.call("otklik.v1.Connectors", "ReportHealth", connectors_pb2.ConnectorReport(
                network=self.network, community=self.community, external_prefix=self.external_prefix,
                state=words.value(words.ConnectorState, self.state), last_poll_unix=self.last_poll,
                taken_today=self.taken if self.day == today else 0, last_error=self.error, error_at_unix=self.error_at,
                missed_since_unix=self.missed_since),
                connectors_pb2.ReportHealthResponse, timeout=10)
        except (RPCError, OSError):
            return
        self.reported_state, self.reported_at = self.state, now
