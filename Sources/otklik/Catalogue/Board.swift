import OtklikDesk

/// What `otklik board` and `otklik queue --curator` say (issue 31: the breach forecast).
extension Say {
    enum Board {
        static let boardAbstract = Phrase(
            "Unit by unit: assignments waiting for the executors, due by the next working day, at risk and overdue.",
            "По подразделениям: поручения, ждущие исполнителей, со сроком до конца следующего рабочего дня, под угрозой и просроченные."
        )
        static let boardDiscussion = Phrase(
            """
            An assignment is at risk when nobody who can act on it (the unit's executors, or a deputy \
            standing in for one who is away) is at work before its due, or when the unit's working time \
            left is less than the work waiting ahead of it, each assignment taking the unit's usual work \
            time to a draft. Counts and reasons are the daemon's; -o json lists each assignment.
            """,
            """
            Поручение под угрозой, если до его срока на работе нет никого, кто может по нему действовать \
            (исполнители подразделения или заместитель отсутствующего), или если рабочего времени \
            подразделения до срока меньше, чем работы в очереди перед ним, считая на каждое поручение \
            обычное для подразделения время работы над проектом. -o json — каждое поручение.
            """)
        static let curatorHelp = Phrase(
            "The curator's view: every unit's assignments waiting for its executors, with the breach forecast (`otklik board`), not your own steps.",
            "Взгляд куратора: поручения всех подразделений, ждущие исполнителей, с прогнозом нарушения сроков (`otklik board`), а не ваши шаги."
        )
        static let unit = Phrase("Unit", "Подразделение")
        static let open = Phrase("Waiting for the unit", "Ждут исполнителя")
        static let dueNextDay = Phrase("Due by next working day", "Срок до конца след. раб. дня")
        static let atRisk = Phrase("At risk", "Под угрозой")
        static let overdue = Phrase("Overdue", "Просрочено")
        static let present = Phrase("At work", "На месте")
        static let pace = Phrase("Usual time to a draft", "Обычно до проекта")
        static let risk = Phrase("Risk", "Угроза")
        static let nobodyOpen = Phrase("No assignment waits for an executor.", "Ни одно поручение не ждёт исполнителя.")
        static func assignmentsShown(_ shown: Int, of total: Int) -> Phrase {
            Phrase("Assignments shown: \(shown) of \(total).", "Показано поручений: \(shown) из \(total).")
        }
        static let atRiskHeading = Phrase("At risk:", "Под угрозой:")
        static let noneAtRisk = Phrase("Nothing is at risk.", "Угрозы нарушения сроков нет.")
        static let capped = Phrase(
            "More than 10,000 open cases: the first 10,000 by due are counted.",
            "Открытых дел больше 10 000: учтены первые 10 000 по сроку.")
        /// Nobody who can act on the unit's assignments is at work before the due.
        static func nobodyPresent(_ unit: String, until: String, due: String) -> Phrase {
            Phrase(
                "nobody in «\(unit)» is at work until \(until); due \(due)",
                "в подразделении «\(unit)» до \(until) никого нет; срок — \(due)")
        }
        static func nobodyPresentAtAll(_ unit: String, due: String) -> Phrase {
            Phrase(
                "nobody in «\(unit)» is at work within 60 days after the due; due \(due)",
                "в подразделении «\(unit)» и в течение 60 дней после срока никого нет; срок — \(due)")
        }
        /// The unit's queue is longer than its time left.
        static func behind(_ unit: String, waiting: UInt32, pace: String, present: UInt32, left: String, due: String)
            -> Phrase
        {
            Phrase(
                "«\(unit)» has \(waiting) assignments due no later, usually \(pace) of work each to a draft, people who can act: \(present), \(left) of working time left; due \(due)",
                "в подразделении «\(unit)» поручений со сроком не позже этого: \(waiting), обычно \(pace) на проект, людей: \(present), рабочего времени осталось \(left); срок — \(due)"
            )
        }
        static func could(_ units: String) -> Phrase {
            Phrase("could meet it: \(units)", "успели бы: \(units)")
        }
        static func routedAtRisk(_ assignment: String) -> Phrase {
            Phrase(
                "Warning: the unit chosen for \(assignment) will likely not meet the term.",
                "Внимание: выбранное подразделение по поручению \(assignment), скорее всего, не успеет в срок.")
        }
    }
}
