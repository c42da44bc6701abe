import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikStore
import OtklikBase

/// `otklik.v1.Reports/MonthlySummary` (p.22): gathers the cases active in the period and the message
/// counts, and lets the pure builder compute the figures as of the period's end.
struct ReportService: ServiceEnvironmentReader {
    let environment: ServiceEnvironment

    func register(in registry: inout ServiceRegistry) {
        registry.unary(ReportsService.monthlySummary, placement: .pool) { _, request in
            var response = MonthlySummaryResponse()
            response.json = String(decoding: try summary(request).json(), as: UTF8.self)
            return response
        }
    }

    func summary(_ request: MonthlySummaryRequest) throws(RPCError) -> MonthlyReport {
        let context: WorkflowContext
        do {
            context = try WorkflowContext(profile: profile, calendars: calendars.byName)
        } catch {
            throw error.rpc
        }
        let calendar = context.calendar(.reply)
        let zone = calendar.timeZone
        let (first, after, label) = try Self.period(of: request)
        let unit = request.unit.isEmpty ? nil : request.unit
        let from = first.instant(in: zone), to = after.instant(in: zone)
        // A period that has not begun has no figures, only zeros that read as a month without breaches.
        guard from <= clock.now else {
            throw RPCError(
                .invalidArgument,
                Refusals.Admin.reportNotBegun([
                    // Today as the report's "as of" says it: the schedule's local date.
                    "period": label, "today": String(calendar.text(clock.now).prefix(10)),
                ]))
        }
        if let unit { try checkUnit(unit) }
        let length = after.dayNumber - first.dayNumber
        // The previous period of the same length, and the same period a year before.
        let previous = (
            (request.month.isEmpty ? first.adding(days: -length) : Self.addMonths(first, -1)).instant(in: zone), from
        )
        let yearBefore = (Self.addMonths(first, -12).instant(in: zone), Self.addMonths(after, -12).instant(in: zone))
        // Everything as the event log held it at the period's end (or now, for a period not over):
        // a closed period's report is history and reads the same whenever it is asked for.
        let asOf = min(to, clock.now)
        do {
            let (counts, cases) = try Self.read(
                store, from: from, to: to, after: after, previous: previous, yearBefore: yearBefore, unit: unit,
                asOf: asOf, zone: zone)
            let part = try Self.tally(
                cases, newPart: { .init(from: from, to: to, now: asOf, unit: unit, context: context) },
                earlier: { try? store.loadCase($0, asOf: asOf) })
            var report = MonthlyReportBuilder.build(period: label, part: part, counts: counts)
            report.asOf = calendar.text(asOf)
            return report
        } catch let error as WorkflowError {
            throw RPCError(.invalidArgument, error.rpc.message, details: error.rpc.details)
        } catch {
            logger.error("MonthlySummary: \(error)")
            throw RPCError(.internal, Refusals.Requests.failed(["detail": "the report could not be computed"]))
        }
    }

    /// The counts (on one reader connection) and the period's active cases (on the other), read at the
    /// same time, as the event log held them at `asOf`.
    static func read(
        _ store: Store, from: Instant, to: Instant, after: LocalDate, previous: (Instant, Instant),
        yearBefore: (Instant, Instant), unit: String?, asOf: Instant, zone: TimeZone
    ) throws(StoreError) -> (MonthlyReportBuilder.Counts, [CaseState]) {
        let months = (0...12).map {
            Self.addMonths(LocalDate(year: after.year, month: after.month, day: 1) ?? after, $0 - 12)
        }
        let seriesBounds = months.map { $0.instant(in: zone) }
        let seriesLabels = months.dropLast().map { String($0.iso.prefix(7)) }
        let counted = Locked<Result<MonthlyReportBuilder.Counts, StoreError>?>(nil)
        let active = Locked<Result<[CaseState], StoreError>?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                let result = Result { () throws(StoreError) -> MonthlyReportBuilder.Counts in
                    // The few cases of the compared ranges that changed since, folded once from their events.
                    let changed = try store.casesChanged(
                        after: asOf, detectedFrom: min(yearBefore.0, seriesBounds[0], previous.0),
                        // Safe to unwrap: `months` maps 0...12, so there are 13 series bounds.
                        to: max(to, seriesBounds.last!))
                    func counts(_ range: (Instant, Instant)) throws(StoreError) -> [String: [String: Int]] {
                        try store.messageCounts(
                            from: range.0, to: range.1, unit: unit, asOf: asOf, changed: changed)
                    }
                    let series = try store.messageSeries(seriesBounds, unit: unit, asOf: asOf, changed: changed)
                    return .init(
                        this: try counts((from, to)), previousMonth: try counts(previous),
                        yearBefore: try counts(yearBefore), series: Array(zip(seriesLabels, series)))
                }
                counted.withLock { $0 = result }
            } else {
                let result = Result { () throws(StoreError) in
                    try store.casesActive(from: from, to: to, unit: unit, asOf: asOf)
                }
                active.withLock { $0 = result }
            }
        }
        // Both parts ran (concurrentPerform returns after every iteration): safe to unwrap.
        return (try counted.current!.get(), try active.current!.get())
    }

    /// The period a request names (a month, or from a day to the day after the last), its first day,
    /// the day after it and its label, bounded before any arithmetic on the dates: the accepted years,
    /// and at most two years long.
    static func period(of request: MonthlySummaryRequest) throws(RPCError) -> (LocalDate, LocalDate, String) {
        let first: LocalDate, after: LocalDate, label: String
        if !request.month.isEmpty {
            guard let start = LocalDate(iso: request.month + "-01") else {
                throw RPCError(.invalidArgument, Refusals.Admin.monthFormat())
            }
            first = start
            after = Self.addMonths(start, 1)
            label = request.month
        } else {
            guard let from = LocalDate(iso: request.from), let to = LocalDate(iso: request.to), from < to else {
                throw RPCError(.invalidArgument, Refusals.Admin.reportPeriod())
            }
            first = from
            after = to
            // People name a period by its last day, not by the day after it.
            label = "\(request.from)..\(to.adding(days: -1).iso)"
        }
        guard Instant.acceptedYears.contains(first.year), Instant.acceptedYears.contains(after.year),
            after.dayNumber - first.dayNumber <= 732
        else {
            throw RPCError(
                .invalidArgument,
                Refusals.Admin.reportSpan([
                    "years": "\(Instant.acceptedYears.lowerBound)-\(Instant.acceptedYears.upperBound)", "period": label,
                ]))
        }
        return (first, after, label)
    }

    /// An unknown unit would read as one with nothing to answer for: refused, naming the executors' units.
    func checkUnit(_ unit: String) throws(RPCError) {
        let units = directory.directory.units
        guard let known = units[unit], known.kind != .curatorCentre else {
            let executors = units.values.filter { $0.kind != .curatorCentre }.map(\.name).sorted()
            throw RPCError(
                .invalidArgument,
                Refusals.Cases.noUnitNamed(["unit": unit, "units": executors.joined(separator: ", ")]))
        }
    }

    /// The active cases tallied on every core in slices of at least `minimumSlice` cases, each into a part
    /// of its own from `newPart` and each case with its clocks as of the report's end (the report's
    /// costliest part), and the slices' parts added up.
    static func tally(
        _ cases: [CaseState], minimumSlice: Int = 1000, newPart: @Sendable () -> MonthlyReportBuilder.Part,
        earlier: @Sendable (String) -> CaseState?
    ) throws(WorkflowError) -> MonthlyReportBuilder.Part {
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, cases.count / max(1, minimumSlice)))
        let tallied = Locked([Result<MonthlyReportBuilder.Part, WorkflowError>?](repeating: nil, count: parts))
        DispatchQueue.concurrentPerform(iterations: parts) { index in
            let result = Result { () throws(WorkflowError) -> MonthlyReportBuilder.Part in
                var part = newPart()
                for state in cases[(cases.count * index / parts)..<(cases.count * (index + 1) / parts)] {
                    try part.tally(state, earlier: earlier)
                }
                return part
            }
            tallied.withLock { $0[index] = result }
        }
        // concurrentPerform returns after every slice stored its result, and there is at least one: safe
        // to unwrap. The first error a slice met, in the cases' order, as one pass would meet it.
        let results = tallied.current.map { $0! }
        var sum = try results[0].get()
        for result in results.dropFirst() { sum = sum.adding(try result.get()) }
        return sum
    }

    static func addMonths(_ date: LocalDate, _ months: Int) -> LocalDate {
        let total = date.year * 12 + (date.month - 1) + months
        let year = total / 12, month = total % 12 + 1
        // `total` is not negative (every caller's year has 4 digits or is an accepted one, and moves by 12
        // months at most), so `month` is in 1...12; `day` is cut to the month's length: safe to unwrap.
        return LocalDate(year: year, month: month, day: min(date.day, LocalDate.daysIn(year: year, month: month)))!
    }
}
