import ArgumentParser
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension GlobalOptions {
    /// The daemon's clock and the schedule's UTC offset, asked once per run: `now` and `15:40` are the
    /// daemon's (a simulated clock in a test or a demo), not this machine's.
    private static let daemonClock = Locked<(now: Instant, offset: Int)?>(nil)

    /// The instant a time option names, in any of the forms of `TimeInput` (help: `TimeInput.forms`).
    /// A time not written as a full ISO 8601 instant is echoed on stderr as the instant it was taken for.
    func instant(_ text: String, _ option: String) throws -> Instant {
        if let value = Instant(iso: text) { return value }
        // What is no time at all is said before asking the daemon anything (and without one running).
        let refusal = ValidationError(
            Say.General.isNotATime(option, text, TimeInput.forms, TimeInput.formsRussian).text())
        guard TimeInput.parse(text, now: Instant(seconds: 1_800_000_000), offset: 0) != nil else { throw refusal }
        let clock = try daemonClock()
        guard let value = TimeInput.parse(text, now: clock.now, offset: clock.offset) else { throw refusal }
        Safe.printError("\(option) \(text) = \(value.iso(offset: clock.offset))")
        return value
    }

    /// The daemon's clock and the schedule's UTC offset in seconds (one `Health` call per run).
    func daemonClock() throws -> (now: Instant, offset: Int) {
        if let known = Self.daemonClock.withLock({ $0 }) { return known }
        let health = try withClient { client throws(RPCError) in
            try client.call(AdminService.health, HealthRequest())
        }
        let clock = (now: Instant(seconds: health.nowUnix), offset: TimeInput.offset(ofISO: health.now) ?? 0)
        Self.daemonClock.withLock { $0 = clock }
        return clock
    }
}
