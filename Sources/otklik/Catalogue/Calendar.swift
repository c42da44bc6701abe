import OtklikDesk

/// What `otklik calendar` says, English and Russian side by side.
extension Say {
    enum Calendar {
        static let months = [
            Phrase("January", "Январь"), Phrase("February", "Февраль"), Phrase("March", "Март"),
            Phrase("April", "Апрель"), Phrase("May", "Май"), Phrase("June", "Июнь"), Phrase("July", "Июль"),
            Phrase("August", "Август"), Phrase("September", "Сентябрь"), Phrase("October", "Октябрь"),
            Phrase("November", "Ноябрь"), Phrase("December", "Декабрь"),
        ]
        static func addNotADuration(_ add: String) -> Phrase {
            Phrase(
                "--add \(add) is not a duration like 30m, 8h, 1h30m or 7d",
                "--add \(add) — не длительность вида 30 мин, 4ч, 1 ч 30 мин или 7 дн")
        }
        static let importAbstract = Phrase(
            "Add or replace production calendar years from a JSON file (admin).",
            "Добавить или заменить годы производственного календаря из файла JSON (администратор).")
        static let monthAbstract = Phrase(
            "A month like a wall calendar: days off, holidays, shortened days, totals.",
            "Месяц как настенный календарь: выходные, праздники, сокращённые дни, итоги.")
        static let asDaysOff = Phrase("as days off", "как выходные")
        static func fileRefused(_ file: String, _ why: String) -> Phrase {
            Phrase("\(file): \(why)", "\(file) не принят: \(why)")
        }
        static let asWorking = Phrase("as working", "как рабочие")
        static let yearAbstract = Phrase(
            "A year's working days and hours by month, as the production calendar prints them.",
            "Рабочие дни и часы года по месяцам, как их печатает производственный календарь.")
        static let calendarYears = Phrase("Calendar years", "Годы календаря")
        static let subtractHelp = Phrase("Count backwards instead.", "Считать назад.")
        static let setScheduleAbstract = Phrase(
            "Create or replace a schedule from a JSON file (admin).",
            "Создать или заменить график из файла JSON (администратор).")
        static let dayOff = Phrase("day off", "выходной")
        static let daysHours = Phrase("Days  Hours", "Дней  Часов")
        static let dueDiscussion = Phrase(
            "Durations: 30m, 8h, 1h30m (working time), 7d (close of the 7th working day after the day of --from).",
            "Длительности: 30m, 8h, 1h30m (рабочее время), 7d (конец 7-го рабочего дня после дня --from).")
        static let toHelp = Phrase(
            "End: now, 15:40, yesterday 15:40, 2026-12-01 15:40 (the schedule's zone), ISO 8601 with an offset, or a date alone for the end of that day.",
            "Конец: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 (в поясе графика), ISO 8601 со смещением или одна дата — до конца этого дня."
        )
        static let monthLegend = Phrase(
            "H holiday, - day off, * shortened day", "H праздник, - выходной, * сокращённый день")
        static func importedYears(_ years: String) -> Phrase {
            Phrase("Imported years: \(years)", "Загружены годы: \(years)")
        }
        static func isNotAMonth(_ month: String) -> Phrase {
            Phrase("\(month) is not a month like 2026-05", "\(month) — не месяц вида 2026-05")
        }
        static let month = Phrase("Month", "Месяц")
        static let weekdayHeadings = Phrase("Mo  Tu  We  Th  Fr  Sa  Su", "Пн  Вт  Ср  Чт  Пт  Сб  Вс")
        static let showScheduleHelp = Phrase("Only this schedule.", "Только этот график.")
        static let paidNonWorkingDays = Phrase(
            "Paid non-working days (2020-21) count", "Нерабочие оплачиваемые дни (2020-21)")
        static let expectedVersionHelp = Phrase(
            "Refuse if the stored schedule is not at this version (0: do not check).",
            "Отказать, если сохранённый график не этой версии (0 — не проверять).")
        /// The heading of `calendar year` and `calendar month`: the period and the schedule counted in.
        static func scheduleHeading(_ period: String, _ schedule: String) -> Phrase {
            Phrase("\(period) · schedule \(schedule)", "\(period) · график «\(schedule)»")
        }
        static let scheduleHelp = Phrase("Schedule to count in.", "График, по которому считать.")
        static let showAbstract = Phrase(
            "Show schedules: time zone, hours per weekday, version, calendar years.",
            "Показать графики: часовой пояс, часы по дням недели, версию, годы календаря.")
        static let fromHelp = Phrase(
            "Start: now, 15:40, yesterday 15:40, 2026-12-01 15:40 (the schedule's zone) or ISO 8601 with an offset.",
            "Начало: now (сейчас), 15:40, вчера 15:40, 2026-12-01 15:40 (в поясе графика) или ISO 8601 со смещением.")
        static let calendarFileHelp = Phrase("The calendar file.", "Файл календаря.")
        static let setScheduleDiscussion = Phrase(
            #"The file: `{"name": "executor", "time_zone": "Europe/Moscow", "week": {"mon": ["09:00-13:00", "14:00-18:00"], ...}, "working_weekend_hours": "mon"}`"#,
            #"Файл такой: `{"name": "executor", "time_zone": "Europe/Moscow", "week": {"mon": ["09:00-13:00", "14:00-18:00"], ...}, "working_weekend_hours": "mon"}`"#
        )
        static let importDiscussion = Phrase(
            "The file has the shape of the shipped Resources/production-calendar-ru.json. Every schedule's version is bumped.",
            "Файл устроен как встроенный Resources/production-calendar-ru.json. Версия каждого графика увеличивается.")
        static let monthHelp = Phrase("The month, YYYY-MM.", "Месяц, ГГГГ-ММ.")
        static let scheduleFileHelp = Phrase("The schedule file.", "Файл графика.")
        static let yearHelp = Phrase("The year.", "Год.")
        static let timeZone = Phrase("Time zone", "Часовой пояс")
        static func scheduleVersion(_ schedule: String, _ version: Int64) -> Phrase {
            Phrase("\(schedule): version \(version)", "\(schedule): версия \(version)")
        }
        static let dueAbstract = Phrase(
            "When a term ends: an instant plus (or minus) working time.",
            "Когда истекает срок: момент плюс (или минус) рабочее время.")
        static func monthTotals(_ workingDays: UInt32, _ value: String) -> Phrase {
            Phrase(
                "Working days: \(workingDays), working hours: \(value)",
                "Рабочих дней: \(workingDays), рабочих часов: \(value)")
        }
        static let betweenAbstract = Phrase(
            "Working minutes between two instants.", "Рабочие минуты между двумя моментами.")
        static let calendarAbstract = Phrase(
            "Working time: due times, working time between instants, the production calendar, schedules.",
            "Рабочее время: сроки, рабочее время между моментами, производственный календарь, графики.")
        static let addHelp = Phrase(
            "Working time to add: 30m, 8h, 1h30m or 7d.",
            "Сколько рабочего времени прибавить: 30 мин, 4ч, 1 ч 30 мин или 7 дн (можно и 30m, 8h, 7d).")
        static let workingWeekendsLabel = Phrase("Working weekends use", "Рабочие выходные по")
        static let year = Phrase("Year", "Год")
    }
}
