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
    /// As the end of a period (`bound: .end`), a date alone takes in the whole of that day.
    func instant(_ text: String, _ option: String, bound: TimeInput.Bound = .start) throws -> Instant {
        if let value = Instant(iso: text) { return value }
        // What is no time at all is said before asking the daemon anything (and without one running).
        let refusal = ValidationError(
            Say.General.isNotATime(option, text, TimeInput.forms, TimeInput.formsRussian).text())
        guard TimeInput.parse(text, now: Instant(seconds: 1_800_000_000), offset: 0) != nil else { throw refusal }
        let clock = try daemonClock()
        guard let value = TimeInput.parse(text, now: clock.now, offset: clock.offset, as: bound) else {
            throw refusal
        }
        if bound == .end, TimeInput.isDateOnly(text) {
            Safe.printError(Say.General.endOfDay(option, text, value.iso(offset: clock.offset)).text())
        } else {
            Safe.printError("\(option) \(text) = \(value.iso(offset: clock.offset))")
        }
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

/// `--from`, `--to` and `--month`: the period a list, a search or an export covers, by the time a
/// case was detected. A date alone as `--to` takes in that whole day; `--month` is the whole month in
/// the schedule's zone and stands instead of the two.
struct PeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Say.General.fromHelp.text())) var from: String?
    @Option(help: ArgumentHelp(Say.General.toHelp.text())) var to: String?
    @Option(help: ArgumentHelp(Say.General.monthHelp(TimeInput.monthForms).text())) var month: String?

    /// The period's bounds in Unix seconds (0: open on that side); the end is exclusive.
    func bounds(_ global: GlobalOptions) throws -> (from: Int64, to: Int64) {
        if let month {
            guard from == nil, to == nil else { throw ValidationError(Say.General.monthOrFromTo.text()) }
            guard let first = TimeInput.month(month) else {
                throw ValidationError(Say.General.isNotAMonth(month, TimeInput.monthForms).text())
            }
            let offset = try global.daemonClock().offset
            let start = Int64(first.dayNumber) * 86_400 - Int64(offset)
            let end = Int64(TimeInput.monthAfter(first).dayNumber) * 86_400 - Int64(offset)
            return (start, end)
        }
        let start = try from.map { try global.instant($0, "--from").seconds } ?? 0
        let end = try to.map { try global.instant($0, "--to", bound: .end).seconds } ?? 0
        if start != 0, end != 0, end <= start {
            throw ValidationError(Say.General.periodEndsBeforeItStarts(from ?? "", to ?? "").text())
        }
        return (start, end)
    }
}
