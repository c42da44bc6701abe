import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
@testable import OtklikServer
import OtklikStore
import Testing
import OtklikBase

@Suite struct CalendarServiceTests {
    @Test func computeDueAndWorkingTimeThroughTheDaemon() throws {
        let (daemon, client) = try startDaemon()
        defer { client.close(); daemon.stop() }
        let due = try client.call(
            CalendarService.computeDue,
            ComputeDueRequest(
                from: Instant(iso: "2026-05-08T16:30:00+03:00")!, term: .minutes(240)))
        #expect(due.due == "2026-05-12T12:30:00+03:00")
        #expect(due.schedule == "executor")
        #expect(due.scheduleVersion == 1)
        let back = try client.call(
            CalendarService.computeDue,
            ComputeDueRequest(from: Instant(seconds: due.dueUnix), term: .minutes(240), subtract: true))
        #expect(back.due == "2026-05-08T16:30:00+03:00")
        let days = try client.call(
            CalendarService.computeDue,
            ComputeDueRequest(
                from: Instant(iso: "2026-05-07T15:00:00+03:00")!, term: .workingDays(7), schedule: "curator"))
        #expect(days.due == "2026-05-19T18:00:00+03:00")
        #expect(days.schedule == "curator")
        let between = try client.call(
            CalendarService.workingTimeBetween,
            WorkingTimeBetweenRequest(
                fromUnix: Instant(iso: "2026-05-08T00:00:00+03:00")!.seconds,
                toUnix: Instant(iso: "2026-05-12T00:00:00+03:00")!.seconds))
        #expect(between.workingMinutes == 420)
    }

    /// The intervals a program counts working time with (the roll-up) add up, page after page, to what the
    /// daemon itself counts between any two instants.
    @Test func workingIntervalsPageByPageCountWhatTheDaemonCounts() throws {
        let (daemon, client) = try startDaemon()
        defer { client.close(); daemon.stop() }
        for schedule in ["executor", "curator"] {
            var intervals: [(start: Int64, end: Int64, before: Int64)] = []
            var from: Int64 = 0
            var version: Int64?
            var span: (Int64, Int64)?
            repeat {
                let page = try client.call(
                    CalendarService.listWorkingIntervals,
                    ListWorkingIntervalsRequest(schedule: schedule, fromUnix: from, limit: 1000))
                #expect(page.schedule == schedule)
                #expect(version == nil || page.scheduleVersion == version)
                version = page.scheduleVersion
                span = (page.spanFromUnix, page.spanToUnix)
                // A full page when another follows.
                #expect(page.nextFromUnix == 0 ? page.intervals.count <= 1000 : page.intervals.count == 1000)
                var worked = page.workedBeforeSeconds
                if let last = intervals.last {
                    #expect(worked == last.before + last.end - last.start, "pages add up")
                    #expect(page.intervals.first.map { $0.startUnix >= last.end } ?? true)
                }
                for interval in page.intervals {
                    #expect(interval.endUnix > interval.startUnix)
                    intervals.append((interval.startUnix, interval.endUnix, worked))
                    worked += interval.endUnix - interval.startUnix
                }
                from = page.nextFromUnix
            } while from != 0
            let (first, last) = try #require(span)
            #expect(intervals.count > 20 * 240, "more than twenty years of working days")
            #expect(intervals.first!.start >= first && intervals.last!.end <= last)
            #expect(zip(intervals, intervals.dropFirst()).allSatisfy { $0.end <= $1.start })
            /// Working seconds before `x` by the intervals alone.
            func worked(_ x: Int64) -> Int64 {
                guard let at = intervals.last(where: { $0.start < x }) else { return 0 }
                return at.before + min(x, at.end) - at.start
            }
            var random = SeededRandom(seed: 34)
            let start = Instant(iso: "2025-01-01T00:00:00+03:00")!.seconds
            for _ in 0..<200 {
                let a = start + Int64.random(in: 0..<(3 * 365 * 86_400), using: &random)
                let b = a + Int64.random(in: 0..<(40 * 86_400), using: &random)
                let between = try client.call(
                    CalendarService.workingTimeBetween,
                    WorkingTimeBetweenRequest(fromUnix: a, toUnix: b, schedule: schedule))
                #expect(worked(b) - worked(a) == between.workingSeconds, "\(schedule) \(a)..\(b)")
            }
        }
        // A range: clipped to it, the working time before it counted; one past the span holds none.
        let day = try client.call(
            CalendarService.listWorkingIntervals,
            ListWorkingIntervalsRequest(
                fromUnix: Instant(iso: "2026-05-08T12:00:00+03:00")!.seconds,
                toUnix: Instant(iso: "2026-05-12T10:30:00+03:00")!.seconds))
        #expect(
            day.intervals.map { "\(Instant(seconds: $0.startUnix).iso(offset: 10_800))-\($0.endUnix - $0.startUnix)" }
                == [
                    "2026-05-08T12:00:00+03:00-3600", "2026-05-08T14:00:00+03:00-10800",
                    "2026-05-12T09:00:00+03:00-5400",
                ])
        #expect(day.nextFromUnix == 0)
        let before = try client.call(
            CalendarService.workingTimeBetween,
            WorkingTimeBetweenRequest(fromUnix: day.spanFromUnix, toUnix: day.intervals[0].startUnix))
        #expect(day.workedBeforeSeconds == before.workingSeconds)
        // Small pages of a bounded range: each page starts where the last said, and adds up.
        let weekFrom = Instant(iso: "2026-05-04T00:00:00+03:00")!.seconds
        let weekTo = Instant(iso: "2026-05-16T00:00:00+03:00")!.seconds
        var small: [WorkingSpan] = []
        var next = weekFrom
        var running: Int64?
        repeat {
            let page = try client.call(
                CalendarService.listWorkingIntervals,
                ListWorkingIntervalsRequest(fromUnix: next, toUnix: weekTo, limit: 3))
            if let running { #expect(page.workedBeforeSeconds == running) }
            running = page.workedBeforeSeconds + page.intervals.reduce(0) { $0 + $1.endUnix - $1.startUnix }
            small += page.intervals
            next = page.nextFromUnix
        } while next != 0
        let week = try client.call(
            CalendarService.workingTimeBetween, WorkingTimeBetweenRequest(fromUnix: weekFrom, toUnix: weekTo))
        #expect(small.reduce(0) { $0 + $1.endUnix - $1.startUnix } == week.workingSeconds)
        #expect(small.last!.endUnix <= weekTo)
        // A holiday holds none; its running total is the working time before it.
        let holiday = try client.call(
            CalendarService.listWorkingIntervals,
            ListWorkingIntervalsRequest(
                fromUnix: Instant(iso: "2026-05-09T00:00:00+03:00")!.seconds,
                toUnix: Instant(iso: "2026-05-11T23:00:00+03:00")!.seconds))
        #expect(holiday.intervals.isEmpty && holiday.nextFromUnix == 0)
        let beforeHoliday = try client.call(
            CalendarService.workingTimeBetween,
            WorkingTimeBetweenRequest(
                fromUnix: holiday.spanFromUnix, toUnix: Instant(iso: "2026-05-09T00:00:00+03:00")!.seconds))
        #expect(holiday.workedBeforeSeconds == beforeHoliday.workingSeconds)
        // Past the span: none, and the running total is the whole span's.
        let after = try client.call(
            CalendarService.listWorkingIntervals,
            ListWorkingIntervalsRequest(fromUnix: day.spanToUnix + 86_400))
        #expect(after.intervals.isEmpty && after.nextFromUnix == 0)
        let whole = try client.call(
            CalendarService.workingTimeBetween,
            WorkingTimeBetweenRequest(fromUnix: day.spanFromUnix, toUnix: day.spanToUnix))
        #expect(after.workedBeforeSeconds == whole.workingSeconds && whole.workingSeconds > 0)
        // Out of bounds at the boundary: a page over the limit, instants no request may name, a NUL.
        for bad in [
            ListWorkingIntervalsRequest(limit: 1001), ListWorkingIntervalsRequest(fromUnix: .max),
            ListWorkingIntervalsRequest(toUnix: .min), ListWorkingIntervalsRequest(schedule: "exec\u{0}utor"),
        ] {
            do {
                _ = try client.call(CalendarService.listWorkingIntervals, bad)
                Issue.record("answered: \(bad)")
            } catch {
                #expect(error.code == .invalidArgument)
            }
        }
    }

    @Test func badArgumentsAreInvalidArgumentOrNotFound() throws {
        let (daemon, client) = try startDaemon()
        defer { client.close(); daemon.stop() }
        #expect(throws: RPCError(.invalidArgument, "terms in working days are only counted forward")) {
            try client.call(
                CalendarService.computeDue,
                ComputeDueRequest(from: 1_780_000_000, term: .workingDays(2), subtract: true))
        }
        do {
            _ = try client.call(CalendarService.computeDue, ComputeDueRequest(from: 0, term: .minutes(30)))
            Issue.record("1970 computed")
        } catch {
            #expect(error.code == .invalidArgument)
        }
        do {
            _ = try client.call(CalendarService.monthSummary, MonthSummaryRequest(year: 2026, month: 13))
            Issue.record("month 13 answered")
        } catch {
            #expect(error.code == .invalidArgument)
        }
        do {
            _ = try client.call(CalendarService.getSchedule, GetScheduleRequest(name: "night"))
            Issue.record("unknown schedule answered")
        } catch {
            #expect(error.code == .notFound)
        }
    }

    @Test func importingACalendarYearChangesDueTimesAndBumpsEveryVersion() throws {
        let (daemon, client) = try startDaemon()
        defer { client.close(); daemon.stop() }
        let from = Instant(iso: "2026-05-12T17:00:00+03:00")!
        #expect(
            try client.call(CalendarService.computeDue, ComputeDueRequest(from: from, term: .minutes(120))).due
                == "2026-05-13T10:00:00+03:00")
        // A corrected 2026 in which 13 May is a day off.
        let covered = try #require(
            try client.call(CalendarService.listSchedules, ListSchedulesRequest()).schedules.first
        ).calendarYears
        #expect(covered.contains(2026))
        var corrected = try ShippedCalendar.load().first { $0.year == 2026 }!
        corrected.daysOff.insert(LocalDate(iso: "2026-05-13")!)
        let answer = try client.call(
            CalendarService.importProductionCalendar, ImportProductionCalendarRequest(years: [CalendarYear(corrected)]))
        #expect(answer.years == [2026])
        #expect(answer.schedules.map(\.version) == [2, 2])
        let due = try client.call(CalendarService.computeDue, ComputeDueRequest(from: from, term: .minutes(120)))
        #expect(due.due == "2026-05-14T10:00:00+03:00")
        #expect(due.scheduleVersion == 2)
        #expect(try daemon.store.count(kind: .calendarImported) == 1)
    }

    @Test func invalidCalendarDataChangesNothing() throws {
        let (daemon, client) = try startDaemon()
        defer { client.close(); daemon.stop() }
        let bad = ProductionCalendarYear(year: 2026, workingWeekends: [LocalDate(iso: "2026-05-13")!])
        #expect(
            throws: RPCError(
                .invalidArgument, "2026: working weekend day 2026-05-13 is a wed, not a Saturday or Sunday")
        ) {
            try client.call(
                CalendarService.importProductionCalendar, ImportProductionCalendarRequest(years: [CalendarYear(bad)]))
        }
        #expect(try client.call(CalendarService.getSchedule, GetScheduleRequest()).version == 1)
        #expect(try daemon.store.count(kind: .calendarImported) == 0)
    }

    @Test func puttingAScheduleChecksItsVersionAndTakesEffect() throws {
        let clock = Instant(iso: "2026-05-15T12:00:00+03:00")!
        let (daemon, client) = try startDaemon(testClock: clock)
        defer { client.close(); daemon.stop() }
        var curator = try client.call(CalendarService.getSchedule, GetScheduleRequest(name: "curator")).domain()
        curator.week[.saturday] = [WorkingInterval(start: 10 * 60, end: 14 * 60)]
        let stored = try client.call(
            CalendarService.putSchedule, PutScheduleRequest(schedule: ScheduleView(curator), expectedVersion: 1))
        #expect(stored.version == 2)
        let due = try client.call(
            CalendarService.computeDue,
            ComputeDueRequest(
                from: Instant(iso: "2026-05-15T17:45:00+03:00")!, term: .minutes(30), schedule: "curator"))
        #expect(due.due == "2026-05-16T10:15:00+03:00")
        // The change is recorded at the daemon's clock, as every other event is.
        #expect(try daemon.store.events().filter { $0.kind == .known(.scheduleChanged) }.map(\.time) == [clock])
        do {
            _ = try client.call(
                CalendarService.putSchedule, PutScheduleRequest(schedule: ScheduleView(curator), expectedVersion: 1))
            Issue.record("stale version accepted")
        } catch {
            #expect(error.code == .aborted)
        }
        var broken = curator
        broken.timeZoneID = "Nowhere/Land"
        do {
            _ = try client.call(CalendarService.putSchedule, PutScheduleRequest(schedule: ScheduleView(broken)))
            Issue.record("bad time zone accepted")
        } catch {
            #expect(error.code == .invalidArgument)
        }
    }

    @Test func onlyAnAdminChangesSchedulesOrTheCalendar() throws {
        let directory = privateDirectory()
        let store = try Store(directory: directory + "/data")
        defer { store.close() }
        try store.seedCalendar(defaults: Schedule.defaults, shipped: ShippedCalendar.load(), now: 1_796_000_000)
        try store.putUnit(
            OrganisationUnit(name: "roads", title: "Дороги", kind: .department, schedule: "executor"), actor: "test",
            now: 1_796_000_000)
        try store.putStaff(
            [StaffMember(login: "ivanov", fullName: "Иванов", osUser: "ivanov-os", unit: "roads", roles: [.executor])],
            actor: "test", now: 1_796_000_000)
        let loaded = try store.loadCalendar()
        let state = try CalendarState(schedules: loaded.schedules, production: loaded.calendar)
        let people = DirectoryState(try store.loadDirectory())
        let authorizer = Authorizer(directory: people, clock: DaemonClock(), logger: .silent)
        var registry = ServiceRegistry()
        CalendarServiceHandlers(
            environment: ServiceEnvironment(
                store: store, calendars: state, profile: try RegulationProfileFile.load(), clock: DaemonClock(),
                directory: people, authorizer: authorizer, logger: .silent)
        )
        .register(in: &registry)
        registry.guardAll { context in try authorizer.authorize(context) }
        let server = RPCServer(socketPath: directory + "/s.sock", registry: registry, logger: .silent)
        try server.start()
        defer { server.shutdown(grace: .seconds(1)) }
        // The test runs as the daemon's own user, an admin who may act as the executor.
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "ivanov")]
        let client = try RPCClient(socketPath: directory + "/s.sock", options: options)
        defer { client.close() }
        do {
            _ = try client.call(
                CalendarService.putSchedule, PutScheduleRequest(schedule: ScheduleView(Schedule(name: "executor"))))
            Issue.record("an executor changed a schedule")
        } catch {
            #expect(error.code == .permissionDenied)
            #expect(
                error.message
                    == "ivanov (roles: executor) may not call otklik.v1.Calendar/PutSchedule; it is for: admin")
            #expect(error.info?.reason == "not_permitted")
        }
        do {
            _ = try client.call(
                CalendarService.importProductionCalendar,
                ImportProductionCalendarRequest(years: [CalendarYear(ProductionCalendarYear(year: 2030))]))
            Issue.record("an executor imported a calendar")
        } catch {
            #expect(error.code == .permissionDenied)
        }
        // Reading and computing stay open to everyone.
        #expect(try client.call(CalendarService.getSchedule, GetScheduleRequest()).name == "executor")
        #expect(try store.count(kind: .scheduleChanged) == 0)
    }
}
