import OtklikDesk

/// What `otklik queue` says, English and Russian side by side.
extension Say {
    enum Queue {
        static let limitHelp = Phrase("At most this many cases.", "Не больше стольких дел.")
        // The footer: how many cases are shown of how many, then the next page.
        static func casesShown(_ shown: Int, of total: UInt32) -> Phrase {
            Phrase("Cases shown: \(shown) of \(total).", "Показано дел: \(shown) из \(total).")
        }
        static func casesShownOfMany(_ shown: Int) -> Phrase {
            Phrase("Cases shown: \(shown) of more than 10,000.", "Показано дел: \(shown) из более 10 000.")
        }
        static let queueDiscussion = Phrase(
            """
            Curators: messages to route, drafts to review, approved replies to publish, clarifications \
            waiting for the author's answer. Executors: their units' assignments to draft, rework or finish. \
            Time left is working time; what is overdue comes first, in red on a colour terminal.
            """,
            """
            Куратору: сообщения, которые нужно направить, проекты на проверку, согласованные ответы к \
            публикации, запросы уточнения, ждущие ответа автора. Исполнителю: поручения его подразделения, \
            по которым нужно подготовить, доработать или завершить ответ. Остаток — в рабочем времени; \
            просроченное идёт первым и на цветном терминале выделено красным.
            """)
        static let due = Phrase("Due", "Срок")
        static let executor = Phrase("Executor", "Исполнитель")
        static let left = Phrase("Left", "Осталось")
        static func nextPage(_ nextAfter: String) -> Phrase {
            Phrase(
                "Next page: `otklik queue --after \(nextAfter)`",
                "Следующая страница: `otklik queue --after \(nextAfter)`")
        }
        static let nothingWaitsForYou = Phrase("Nothing waits for you.", "Ничего не ждёт вашего шага.")
        static let step = Phrase("Step", "Шаг")
        static let queueAbstract = Phrase(
            "What waits for your step, the earliest deadline first.",
            "Что ждёт вашего шага: сначала то, у чего срок раньше.")
    }
}
