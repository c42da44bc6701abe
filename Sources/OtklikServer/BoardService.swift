import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
import OtklikStore

/// The breach forecast's last result, kept while nothing was logged since, the directory and the
/// schedules in memory are the ones it was computed with, and for at most `maxAgeSeconds` of the
/// daemon's clock: the board, a case page's risk lines, a routing's warning and the scheduler's look
/// share one computation instead of one each.
final class ForecastCache: Sendable {
    static let maxAgeSeconds: Int64 = 30

    struct Key: Sendable {
        var eventID: Int64
        var directory: Directory
        var calendars: [String: WorkingCalendar]

        func same(_ other: Key) -> Bool {
            eventID == other.eventID && directory == other.directory
                && calendars.count == other.calendars.count
                && calendars.allSatisfy { name, calendar in other.calendars[name] === calendar }
        }
    }

    private let last = Locked<(key: Key, at: Instant, result: Forecaster.Result)?>(nil)

    func result(key: Key, now: Instant, compute: () throws(RPCError) -> Forecaster.Result)
        throws(RPCError) -> Forecaster.Result
    {
        if let kept = last.current, kept.key.same(key), kept.at <= now,
            now.seconds - kept.at.seconds < Self.maxAgeSeconds
        {
            return kept.result
        }
        let fresh = try compute()
        last.withLock { $0 = (key, now, fresh) }
        return fresh
    }
}

/// The breach forecast (issue 31) as the daemon computes it: the open cases from the clock index, each
/// unit's calendar (its schedule's, else the executors' one of the profile) and its pace from its own
/// history (`draft_pace`). One place for the Board call, the routing's warning and the scheduler.
struct Forecaster: ServiceEnvironmentReader {
    let environment: ServiceEnvironment

    /// Open cases the forecast reads at most (more: `capped`).
    static let openCasesCap = 10_000

    struct Result: Sendable {
        var items: [AssignmentForecast]
        var capped: Bool
        var staffing: Staffing
        var calendars: [String: WorkingCalendar]
        var fallback: WorkingCalendar
        var paces: [String: Int]
        /// When it was computed (its risks and who can act are as of then).
        var now: Instant

        /// Departments, institutions and the administration with someone to write drafts, by name:
        /// where an assignment at risk could go instead.
        var draftingUnits: [String]

        func calendar(_ unit: String) -> WorkingCalendar { calendars[unit] ?? fallback }
    }

    /// The forecast as of `now` (shared while nothing was logged since, with the same directory and
    /// schedules, and under 30 s old).
    func forecast(now: Instant) throws(RPCError) -> Result {
        let key = ForecastCache.Key(
            eventID: store.lastEventID, directory: directory.directory, calendars: calendars.byName)
        return try environment.forecasts.result(key: key, now: now) { () throws(RPCError) -> Result in
            try compute(now: now, directory: key.directory, byName: key.calendars)
        }
    }

    private func compute(now: Instant, directory: Directory, byName: [String: WorkingCalendar]) throws(RPCError)
        -> Result
    {
        let context: WorkflowContext
        do {
            context = try WorkflowContext(profile: profile, calendars: byName)
        } catch {
            throw error.rpc
        }
        let states: [CaseState]
        do {
            states = try store.openCases(limit: Self.openCasesCap + 1)
        } catch {
            logger.error("Board: \(error)")
            throw RPCError(.internal, Refusals.Requests.failed(["detail": "the open cases could not be read"]))
        }
        let fallback = context.calendar(.draft)
        var unitCalendars: [String: WorkingCalendar] = [:]
        for unit in directory.units.values { unitCalendars[unit.name] = byName[unit.schedule] ?? fallback }
        var paces: [String: Int] = [:]
        for unit in directory.units.keys {
            let samples: [(started: Instant, drafted: Instant)]
            do {
                samples = try store.draftPace(of: unit)
            } catch {
                logger.error("Board: the pace of \(unit): \(error)")
                continue
            }
            if let pace = BreachForecast.pace(samples, calendar: unitCalendars[unit] ?? fallback) {
                paces[unit] = pace
            }
        }
        // Absences that ended before now, or begin after the farthest instant asked about, are left out.
        let staffing = Staffing(directory: directory, from: now, until: now + 366 * 86_400)
        var items = BreachForecast.forecast(
            Array(states.prefix(Self.openCasesCap)), now: now, context: context, staffing: staffing,
            calendar: { unitCalendars[$0] ?? fallback }, pace: { paces[$0] })
        let drafting = directory.units.values.filter {
            ($0.kind == .department || $0.kind == .institution || $0.kind == .administration)
                && staffing.hasMembers($0.name)
        }.map(\.name).sorted()
        BreachForecast.fillCould(
            &items, candidates: drafting, now: now, staffing: staffing, calendar: { unitCalendars[$0] ?? fallback },
            pace: { paces[$0] })
        return Result(
            items: items, capped: states.count > Self.openCasesCap, staffing: staffing, calendars: unitCalendars,
            fallback: fallback, paces: paces, now: now, draftingUnits: drafting)
    }

    /// One assignment's row of the board, its time left and whether it is overdue as of `now`.
    func view(_ item: AssignmentForecast, in result: Result, now: Instant) -> BoardAssignment {
        let calendar = result.calendar(item.unit)
        var row = BoardAssignment()
        row.assignmentID = item.assignmentID
        row.caseID = item.caseID
        row.unit = item.unit
        row.step = Wire.StepKind(item.step)
        row.clock = Wire.ClockKind(item.clock)
        row.due = calendar.text(item.due)
        row.dueUnix = item.due.seconds
        row.overdue = item.due <= now
        row.leftMinutes = row.overdue ? 0 : ((try? calendar.workingSeconds(from: now, to: item.due)) ?? 0) / 60
        row.atRisk = item.atRisk && !row.overdue
        row.risks =
            row.overdue
            ? []
            : item.risks.map { risk in
                var r = RiskView()
                r.reason = Wire.RiskReason(risk.reason)
                r.nextPresent = risk.nextPresent.map { calendar.text($0) } ?? ""
                r.waiting = UInt32(clamping: risk.waiting)
                r.paceMinutes = UInt32(clamping: risk.paceMinutes)
                r.remainingMinutes = Int64(risk.remainingMinutes)
                r.present = UInt32(clamping: risk.present)
                return r
            }
        row.canAct = item.canAct
        row.could = row.atRisk ? item.could : []
        return row
    }
}

extension CaseServiceHandlers {
    /// Board: the forecast of every open executor step the caller may see, with the units' counts.
    /// Curators, heads, responsible persons and admins see every unit; an executor the units they act
    /// for and the assignments held by whoever they act for (`Rights.canAct`).
    func board(_ context: ServerContext, _ request: BoardRequest) throws(RPCError) -> BoardResponse {
        let caller = try context.caller
        let access = caller.access
        var wanted: Set<String> = []
        for id in request.assignmentIds {
            guard let parsed = AssignmentID(id) else {
                throw RPCError(.invalidArgument, Refusals.Cases.notAnAssignment(["text": id]))
            }
            wanted.insert(parsed.description)
        }
        let everyUnit = !access.roles.isDisjoint(with: [.curator, .head, .responsible, .admin])
        let now = clock.now
        let forecaster = Forecaster(environment: environment)
        let result = try forecaster.forecast(now: now)
        let seen = result.items.filter { item in
            (everyUnit || access.units.contains(item.unit) || item.responsible.map(access.actingFor.contains) == true)
                && (wanted.isEmpty || wanted.contains(item.assignmentID))
        }
        var response = BoardResponse()
        response.capped = result.capped
        response.assignments = seen.map { forecaster.view($0, in: result, now: now) }
        guard wanted.isEmpty else { return response }
        var units: [String: BoardUnit] = [:]
        let candidates = result.draftingUnits
        let shownUnits = everyUnit ? candidates : candidates.filter(access.units.contains)
        var horizons: [String: Instant] = [:]
        func horizon(_ unit: String) -> Instant {
            if let known = horizons[unit] { return known }
            let calendar = result.calendar(unit)
            let end =
                (try? calendar.endOfWorkingDay(after: calendar.localDate(of: now), workingDays: 1)) ?? now + 86_400
            horizons[unit] = end
            return end
        }
        for unit in shownUnits {
            var row = BoardUnit()
            row.unit = unit
            row.present =
                ((try? result.staffing.present(
                    unit: unit, calendar: result.calendar(unit), from: now, to: horizon(unit))) ?? []).map(\.login)
            row.paceMinutes = UInt32(clamping: result.paces[unit] ?? 0)
            units[unit] = row
        }
        for (item, shown) in zip(seen, response.assignments) {
            var row = units[item.unit] ?? BoardUnit()
            row.unit = item.unit
            row.open += 1
            if shown.overdue {
                row.overdue += 1
            } else if item.due <= horizon(item.unit) {
                row.dueNextWorkingDay += 1
            }
            if shown.atRisk { row.atRisk += 1 }
            units[item.unit] = row
        }
        response.units = units.keys.sorted().compactMap { units[$0] }
        // Within the frame however many wait: first the names of who can act on steps not at risk go,
        // then the latest steps (said by `capped`); the units' counts stay whole.
        if response.serializedBytes().count > CaseViews.viewBudget {
            for position in response.assignments.indices where !response.assignments[position].atRisk {
                response.assignments[position].canAct = []
            }
            while response.serializedBytes().count > CaseViews.viewBudget, !response.assignments.isEmpty {
                response.assignments.removeLast(max(1, response.assignments.count / 10))
                response.capped = true
            }
        }
        return response
    }
}
