import OtklikDesk

/// What `otklik assignment` says, English and Russian side by side.
extension Say {
    enum Assignments {
        static let cancelAbstract = Phrase(
            "Cancel an assignment of a split made wrong; its clocks stop, never late (curator).",
            "Отменить поручение ошибочного разделения; его сроки останавливаются и не нарушаются (куратор).")
        static let giveAbstract = Phrase(
            "Give an assignment to an executor, who then answers for it.",
            "Передать поручение исполнителю, который будет за него отвечать.")
        static let takeAbstract = Phrase(
            "Take an assignment of your unit: you answer for it.",
            "Взять поручение своего подразделения: отвечать за него будете вы.")
        static let assignmentHelp = Phrase("The assignment, e.g. 2026-000123/2.", "Поручение, например 2026-000123/2.")
        static let cancelDiscussion = Phrase(
            "The case must keep another assignment: to move the only one, use `otklik case reroute`; for a message registered by mistake, `otklik case withdraw`.",
            "В деле должно остаться другое поручение: единственное переносят `otklik case reroute`, а сообщение, зарегистрированное по ошибке, снимают `otklik case withdraw`."
        )
        static let toHelp = Phrase("The executor's login.", "Логин исполнителя.")
        static let assignmentAbstract = Phrase(
            "Who answers for an assignment (p.21); cancel one made by mistake.",
            "Кто отвечает за поручение (п. 21); отмена ошибочного поручения.")
    }
}
