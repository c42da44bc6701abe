// The administrator's side: schedules and the production calendar, the test clock, reports,
// backups, the event stream.

extension Refusals {
    public enum Admin {
        public static let noSchedule = Refusal(
            "no_schedule", "no schedule \"{schedule}\"; there are: {schedules}",
            "графика «{schedule}» нет; есть: {schedules}")
        public static let noScheduleInRequest = Refusal(
            "no_schedule_in_request", "the request holds no schedule", "в запросе нет графика")
        public static let scheduleInvalid = Refusal(
            "schedule_invalid", "{detail}", "график не принят: `{detail}`")
        public static let scheduleVersionConflict = Refusal(
            "schedule_version_conflict", "schedule {schedule} is at version {current}, not {expected}; read it again",
            "график {schedule} уже в версии {current}, а не {expected}; прочитайте его заново")
        public static let scheduleMissing = Refusal(
            "schedule_missing", "schedule {schedule} does not exist", "графика {schedule} нет")
        public static let noYearInRequest = Refusal(
            "no_year_in_request", "the request holds no year", "в запросе нет ни одного года")
        public static let yearTwice = Refusal("year_twice", "a year appears twice", "год указан дважды")
        public static let calendarYearInvalid = Refusal(
            "calendar_year_invalid", "{year}: {detail}", "календарь на {year} год не принят: `{detail}`")
        public static let calendarArithmetic = Refusal(
            "calendar_arithmetic", "{detail}", "срок не вычисляется: `{detail}`")
        public static let monthFormat = Refusal("month_format", "month is YYYY-MM", "месяц пишется как ГГГГ-ММ")
        public static let reportPeriod = Refusal(
            "report_period", "give month (YYYY-MM), or from and to (YYYY-MM-DD, to after from)",
            "укажите месяц (ГГГГ-ММ) или начало и конец (ГГГГ-ММ-ДД, конец позже начала)")
        public static let reportSpan = Refusal(
            "report_span", "a report covers at most two years within {years}; {period} does not",
            "сводка охватывает не больше двух лет в пределах {years}; период {period} — нет")
        public static let reportNotBegun = Refusal(
            "report_not_begun", "the period {period} has not begun (today is {today}); a report covers what has been",
            "период {period} ещё не начался (сегодня {today}); сводка — о том, что уже было")
        public static let realClock = Refusal(
            "real_clock", "the daemon runs on the real clock; only a daemon started with --test-clock can be moved",
            "демон идёт по настоящим часам; переводить можно только часы демона, запущенного с --test-clock")
        public static let clockBeyondYears = Refusal(
            "clock_beyond_years",
            "the test clock may not pass {last}, the end of the years working time is computed for",
            "тестовые часы нельзя перевести дальше {last}: это конец лет, для которых считается рабочее время")
        public static let clockBackwards = Refusal(
            "clock_backwards", "the test clock never goes back", "тестовые часы не переводятся назад")
        public static let watchResume = Refusal(
            "watch_resume", "the daemon is stopping; resume with from_sequence {last} (otklik watch --from {last})",
            "демон останавливается; продолжить можно с того же места: `otklik watch --from {last}`")
        public static let sumOverflow = Refusal(
            "sum_overflow", "the sum overflows a 64-bit integer", "сумма не помещается в 64-битное целое")
        public static let callEnded = Refusal("call_ended", "the call ended", "вызов завершён")

        public static let weekday = Refusal(
            "weekday_range", "weekday {value} is not 1 (Monday) to 7 (Sunday)",
            "день недели {value} — не от 1 (понедельник) до 7 (воскресенье)")
        public static let notADate = Refusal(
            "not_a_date", "\"{text}\" is not a date (YYYY-MM-DD)", "«{text}» — не дата (ГГГГ-ММ-ДД)")
        public static let termMinutes = Refusal(
            "term_minutes", "minutes must be 0 to 10000000", "минут — от 0 до 10000000")
        public static let termDays = Refusal(
            "term_days", "working_days must be 1 to 366", "рабочих дней — от 1 до 366")
        public static let termRequired = Refusal(
            "term_required", "give a term: minutes or working_days", "укажите срок: в минутах или в рабочих днях")

        static let all: [Refusal] = [
            weekday, notADate, termMinutes, termDays, termRequired, noSchedule, noScheduleInRequest, scheduleInvalid,
            scheduleVersionConflict, scheduleMissing, noYearInRequest,
            yearTwice, calendarYearInvalid, calendarArithmetic, monthFormat, reportPeriod, reportSpan, reportNotBegun,
            realClock,
            clockBeyondYears, clockBackwards, watchResume, sumOverflow, callEnded,
        ]
    }
}
