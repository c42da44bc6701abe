import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: Language.text(
            "Working time: due times, working time between instants, the production calendar, schedules.",
            "Рабочее время: сроки, рабочее время между моментами, производственный календарь, графики."),
        subcommands: [Due.self, Between.self, Month.self, Year.self, Show.self, Import.self, SetSchedule.self])
}

private func hours(_ minutes: some BinaryInteger) -> Double { Double(Int(minutes)) / 60 }

private func hoursText(_ wireMinutes: some BinaryInteger) -> String {
    let minutes = Int(wireMinutes)
    return minutes % 60 == 0
        ? "\(minutes / 60)"
        : String(format: "%.2f", Double(minutes) / 60).replacingOccurrences(
            of: ".", with: Language.current == .russian ? "," : ".")
}

private let monthNames = (
    english: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ],
    russian: [
        "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь",
        "Декабрь",
    ]
)

private func monthName(_ wireMonth: some BinaryInteger) -> String {
    let month = Int(wireMonth)
    return Language.current == .russian ? monthNames.russian[month - 1] : monthNames.english[month - 1]
}

extension CalendarCommand {
    struct Due: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "When a term ends: an instant plus (or minus) working time.",
                "Когда истекает срок: момент плюс (или минус) рабочее время."),
            discussion: Language.text(
                "Durations: 30m, 8h, 1h30m (working time), 7d (close of the 7th working day after the day of --from).",
                "Длительности: 30m, 8h, 1h30m (рабочее время), 7d (конец 7-го рабочего дня после дня --from)."))

        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Start: now, 15:40, yesterday 15:40, 2026-12-01 15:40 (the schedule's zone) or ISO 8601 with an offset.",
                    "Начало: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 (в поясе графика) или ISO 8601 со смещением."
                ))) var from: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Working time to add: 30m, 8h, 1h30m or 7d.",
                    "Сколько рабочего времени прибавить: 30m, 8h, 1h30m или 7d."))) var add: String
        @Option(help: ArgumentHelp(Language.text("Schedule to count in.", "График, по которому считать.")))
        var schedule = Schedule.executorName
        @Flag(help: ArgumentHelp(Language.text("Count backwards instead.", "Считать назад."))) var subtract = false

        func run() throws {
            let start = try global.instant(from, "--from")
            guard let term = WorkingDuration(text: add) else {
                throw ValidationError(
                    Language.text(
                        "--add \(add) is not a duration like 30m, 8h, 1h30m or 7d",
                        "--add \(add) — не длительность вида 30m, 8h, 1h30m или 7d"))
            }
            let due = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.computeDue,
                    ComputeDueRequest(from: start, term: term, subtract: subtract, schedule: schedule))
            }
            Render.print(global.output) {
                due.due
            } json: {
                .object([
                    ("due", .string(due.due)), ("schedule", .string(due.schedule)),
                    ("schedule_version", .integer(Int64(due.scheduleVersion))),
                ])
            }
        }
    }

    struct Between: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text("Working minutes between two instants.", "Рабочие минуты между двумя моментами."))

        @OptionGroup var global: GlobalOptions
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Start: now, 15:40, yesterday 15:40, 2026-12-01 15:40 (the schedule's zone) or ISO 8601 with an offset.",
                    "Начало: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 (в поясе графика) или ISO 8601 со смещением."
                ))) var from: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "End: now, 15:40, yesterday 15:40, 2026-12-01 15:40 (the schedule's zone) or ISO 8601 with an offset.",
                    "Конец: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 (в поясе графика) или ISO 8601 со смещением."
                ))) var to: String
        @Option(help: ArgumentHelp(Language.text("Schedule to count in.", "График, по которому считать.")))
        var schedule = Schedule.executorName

        func run() throws {
            let request = WorkingTimeBetweenRequest(
                fromUnix: try global.instant(from, "--from").seconds, toUnix: try global.instant(to, "--to").seconds,
                schedule: schedule)
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(CalendarService.workingTimeBetween, request)
            }
            Render.print(global.output) {
                String(answer.workingMinutes)
            } json: {
                .object([
                    ("working_minutes", .integer(answer.workingMinutes)), ("schedule", .string(answer.schedule)),
                    ("schedule_version", .integer(Int64(answer.scheduleVersion))),
                ])
            }
        }
    }

    struct Month: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "A month like a wall calendar: days off, holidays, shortened days, totals.",
                "Месяц как настенный календарь: выходные, праздники, сокращённые дни, итоги."))

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The month, YYYY-MM.", "Месяц, ГГГГ-ММ."))) var month: String
        @Option(help: ArgumentHelp(Language.text("Schedule to count in.", "График, по которому считать.")))
        var schedule = Schedule.executorName

        func run() throws {
            let parts = month.split(separator: "-")
            guard parts.count == 2, parts[0].count == 4, let year = Int(parts[0]), let number = Int(parts[1]),
                (1...12).contains(number)
            else {
                throw ValidationError(
                    Language.text("\(month) is not a month like 2026-05", "\(month) — не месяц вида 2026-05"))
            }
            let summary = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.monthSummary,
                    MonthSummaryRequest(year: Int32(year), month: UInt32(number), schedule: schedule))
            }
            Render.print(global.output) {
                Self.wallCalendar(summary)
            } json: {
                .object([
                    ("month", .string(month)),
                    ("working_days", .integer(Int64(summary.workingDays))),
                    ("working_hours", .number(hours(summary.workingMinutes))),
                    (
                        "days",
                        .array(
                            summary.days.map { day in
                                .object([
                                    ("date", .string(day.date)), ("kind", .string(day.kind.name)),
                                    ("minutes", .integer(Int64(day.minutes))),
                                ])
                            })
                    ),
                    ("schedule", .string(summary.schedule)),
                    ("schedule_version", .integer(Int64(summary.scheduleVersion))),
                ])
            }
        }

        static func wallCalendar(_ summary: MonthSummaryResponse) -> String {
            var lines = ["\(monthName(summary.month)) \(summary.year) · \(summary.schedule)"]
            lines.append(Language.text(" Mo  Tu  We  Th  Fr  Sa  Su", " Пн  Вт  Ср  Чт  Пт  Сб  Вс"))
            let first = LocalDate(iso: summary.days.first?.date ?? "") ?? LocalDate(dayNumber: 0)
            var cells = Array(repeating: "   ", count: first.weekday.rawValue - 1)
            for day in summary.days {
                let number = Int(day.date.suffix(2)) ?? 0
                let mark =
                    switch day.kind {
                    case .holiday: "H"
                    case .dayOff: "-"
                    case .shortened: "*"
                    case .working, .unspecified, .unrecognized: " "
                    }
                cells.append((number < 10 ? " " : "") + "\(number)\(mark)")
            }
            while !cells.isEmpty {
                lines.append(cells.prefix(7).joined(separator: " "))
                cells.removeFirst(min(7, cells.count))
            }
            lines.append(
                Language.text(
                    "Working days: \(summary.workingDays), working hours: \(hoursText(summary.workingMinutes))",
                    "Рабочих дней: \(summary.workingDays), рабочих часов: \(hoursText(summary.workingMinutes))"))
            lines.append(
                Language.text("H holiday, - day off, * shortened day", "H праздник, - выходной, * сокращённый день"))
            return lines.joined(separator: "\n")
        }
    }

    struct Year: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "A year's working days and hours by month, as the production calendar prints them.",
                "Рабочие дни и часы года по месяцам, как их печатает производственный календарь."))

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The year.", "Год."))) var year: Int
        @Option(help: ArgumentHelp(Language.text("Schedule to count in.", "График, по которому считать.")))
        var schedule = Schedule.executorName

        func run() throws {
            let months = try global.withClient { client throws(RPCError) in
                try (1...12).map { month throws(RPCError) in
                    try client.call(
                        CalendarService.monthSummary,
                        MonthSummaryRequest(year: Int32(clamping: year), month: UInt32(month), schedule: schedule))
                }
            }
            let days = months.reduce(0) { $0 + Int($1.workingDays) }
            let minutes = months.reduce(0) { $0 + Int($1.workingMinutes) }
            Render.print(global.output) {
                let width = max(monthNames.english.map(\.count).max()!, monthNames.russian.map(\.count).max()!) + 2
                func pad(_ text: String, _ count: Int) -> String {
                    text + String(repeating: " ", count: max(0, count - text.count))
                }
                var lines = [
                    "\(year) · \(schedule)",
                    pad(Language.text("Month", "Месяц"), width) + Language.text("Days  Hours", "Дней  Часов"),
                ]
                for summary in months {
                    lines.append(
                        pad(monthName(summary.month), width) + pad(String(summary.workingDays), 6)
                            + hoursText(summary.workingMinutes))
                }
                lines.append(pad(Language.text("Year", "Год"), width) + pad(String(days), 6) + hoursText(minutes))
                return lines.joined(separator: "\n")
            } json: {
                .object([
                    ("year", .integer(Int64(year))),
                    (
                        "months",
                        .array(
                            months.map { summary in
                                .object([
                                    ("month", .integer(Int64(summary.month))),
                                    ("working_days", .integer(Int64(summary.workingDays))),
                                    ("working_hours", .number(hours(summary.workingMinutes))),
                                ])
                            })
                    ),
                    ("working_days", .integer(Int64(days))),
                    ("working_hours", .number(hours(minutes))),
                    ("schedule", .string(schedule)),
                ])
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Show schedules: time zone, hours per weekday, version, calendar years.",
                "Показать графики: часовой пояс, часы по дням недели, версию, годы календаря."))

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Language.text("Only this schedule.", "Только этот график."))) var schedule: String?

        func run() throws {
            let schedules = try global.withClient { client throws(RPCError) -> [ScheduleView] in
                if let schedule {
                    return [try client.call(CalendarService.getSchedule, GetScheduleRequest(name: schedule))]
                }
                return try client.call(CalendarService.listSchedules, ListSchedulesRequest()).schedules
            }.map { view throws(RPCError) in
                (schedule: try view.domain(), calendarYears: view.calendarYears.map(Int.init))
            }
            Render.print(global.output) {
                schedules.map { message in
                    let s = message.schedule
                    var rows: [(String, String)] = [
                        (Language.text("Schedule", "График"), Language.text(s.name, "«\(s.name)»")),
                        (Language.text("Version", "Версия"), String(s.version)),
                        (Language.text("Time zone", "Часовой пояс"), s.timeZoneID),
                    ]
                    for weekday in Weekday.allCases {
                        let intervals = (s.week[weekday] ?? []).sorted().map(\.text).joined(separator: ", ")
                        rows.append(
                            (weekday.spoken, intervals.isEmpty ? Language.text("day off", "выходной") : intervals))
                    }
                    rows.append(
                        (Language.text("Working weekends use", "Рабочие выходные по"), s.workingWeekendHours.spoken))
                    rows.append(
                        (
                            Language.text(
                                "Paid non-working days (2020-21) count", "Нерабочие оплачиваемые дни (2020-21)"),
                            s.specialNonWorkingDaysAreWorking
                                ? Language.text("as working", "как рабочие")
                                : Language.text("as days off", "как выходные")
                        ))
                    rows.append((Language.text("Calendar years", "Годы календаря"), Self.ranges(message.calendarYears)))
                    return Render.keyValues(rows)
                }.joined(separator: "\n\n")
            } json: {
                .array(
                    schedules.map { message in
                        let s = message.schedule
                        return .object([
                            ("name", .string(s.name)),
                            ("version", .integer(Int64(s.version))),
                            ("time_zone", .string(s.timeZoneID)),
                            (
                                "week",
                                .object(
                                    Weekday.allCases.map {
                                        ($0.shortName, .array((s.week[$0] ?? []).sorted().map { .string($0.text) }))
                                    })
                            ),
                            ("working_weekend_hours", .string(s.workingWeekendHours.shortName)),
                            ("special_non_working_days_are_working", .bool(s.specialNonWorkingDaysAreWorking)),
                            ("calendar_years", .array(message.calendarYears.map { .integer(Int64($0)) })),
                        ])
                    })
            }
        }

        static func ranges(_ years: [Int]) -> String {
            var parts: [String] = []
            var index = 0
            while index < years.count {
                var end = index
                while end + 1 < years.count, years[end + 1] == years[end] + 1 { end += 1 }
                parts.append(end > index ? "\(years[index])-\(years[end])" : "\(years[index])")
                index = end + 1
            }
            return parts.joined(separator: ", ")
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Add or replace production calendar years from a JSON file (admin).",
                "Добавить или заменить годы производственного календаря из файла JSON (администратор)."),
            discussion: Language.text(
                "The file has the shape of the shipped Resources/production-calendar-ru.json. Every schedule's version is bumped.",
                "Файл устроен как встроенный Resources/production-calendar-ru.json. Версия каждого графика увеличивается."
            )
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The calendar file.", "Файл календаря."))) var file: String

        func run() throws {
            let years: [ProductionCalendarYear]
            let data = try readInputFile(file)
            do {
                years = try ProductionCalendarFile.decode(data)
            } catch {
                throw ValidationError("\(file): \(error.description)")
            }
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.importProductionCalendar,
                    ImportProductionCalendarRequest(years: years.map(CalendarYear.init)))
            }
            Render.print(global.output) {
                Language.text("Imported years: ", "Загружены годы: ")
                    + answer.years.map(String.init).joined(separator: ", ") + "\n"
                    + answer.schedules.map {
                        "\($0.name): " + Language.text("version", "версия") + " \($0.version)"
                    }
                    .joined(separator: "\n")
            } json: {
                .object([
                    ("years", .array(answer.years.map { .integer(Int64($0)) })),
                    (
                        "schedules",
                        .array(
                            answer.schedules.map {
                                .object([("name", .string($0.name)), ("version", .integer($0.version))])
                            })
                    ),
                ])
            }
        }
    }

    struct SetSchedule: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-schedule",
            abstract: Language.text(
                "Create or replace a schedule from a JSON file (admin).",
                "Создать или заменить график из файла JSON (администратор)."),
            discussion: Language.text("The file: ", "Файл такой: ")
                + #"`{"name": "executor", "time_zone": "Europe/Moscow", "week": {"mon": ["09:00-13:00", "14:00-18:00"], ...}, "working_weekend_hours": "mon"}`"#
        )

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The schedule file.", "Файл графика."))) var file: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Refuse if the stored schedule is not at this version (0: do not check).",
                    "Отказать, если сохранённый график не этой версии (0 — не проверять)."))) var expectedVersion = 0

        func run() throws {
            let schedule: Schedule
            let data = try readInputFile(file)
            do {
                schedule = try ScheduleDocument.decode(data)
            } catch {
                throw ValidationError("\(file): \(error.description)")
            }
            let stored = try global.withClient { client throws(RPCError) in
                try client.call(
                    CalendarService.putSchedule,
                    PutScheduleRequest(schedule: ScheduleView(schedule), expectedVersion: Int64(expectedVersion)))
            }
            Render.print(global.output) {
                "\(stored.name): " + Language.text("version", "версия") + " \(stored.version)"
            } json: {
                .object([
                    ("name", .string(stored.name)), ("version", .integer(stored.version)),
                ])
            }
        }
    }
}
