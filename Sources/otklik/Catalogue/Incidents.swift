import OtklikDesk

/// What `otklik incident` says (issue 31: many messages about one problem, answered once).
extension Say {
    enum Incidents {
        static let abstract = Phrase(
            "Incidents: many messages about one problem, routed, drafted, approved and published once.",
            "Инциденты: много сообщений об одной проблеме — направляются, готовятся, согласуются и публикуются один раз."
        )
        static let discussion = Phrase(
            """
            Every case keeps its own terms (p.8). Routing the incident routes each of its cases; a draft \
            submitted on one case's assignment of a unit is submitted on each case of the incident waiting \
            for that unit's draft, {author} or the author's full name becoming each case's author (a \
            greeting naming the author otherwise is refused); approving, returning or waiving the photo \
            rule for it decides that same draft on every case. Each reply is published on its own post.
            """,
            """
            У каждого дела свои сроки (п.8). Направление инцидента направляет каждое его дело; проект, \
            внесённый по поручению одного дела, вносится во все дела инцидента, ждущие проекта этого \
            подразделения, а {автор} или полное имя автора заменяется автором каждого дела (обращение к \
            автору в другой форме не принимается); согласование, возврат или снятие требования фото \
            решают этот же проект во всех делах. Каждый ответ публикуется под своим сообщением.
            """)
        static let createAbstract = Phrase(
            "Group cases into a new incident; prints its number.",
            "Объединить дела в новый инцидент; печатает его номер.")
        static let addAbstract = Phrase(
            "Add cases: each is routed as the incident is and gets its draft at once.",
            "Добавить дела: каждое направляется как инцидент и сразу получает его проект.")
        static let removeAbstract = Phrase(
            "Take cases out before their replies are published.", "Исключить дела, пока ответы на них не опубликованы.")
        static let showAbstract = Phrase(
            "The incident: its cases, their assignments and the posts still to answer.",
            "Инцидент: его дела, их поручения и сообщения, на которые ещё надо ответить.")
        static let listAbstract = Phrase("The incidents, the newest first.", "Инциденты, новые сначала.")
        static let routeAbstract = Phrase(
            "Route (or reroute) the incident: every case in it.",
            "Направить (или перенаправить) инцидент: все его дела.")
        static let publishAbstract = Phrase(
            "Hand the approved replies to the networks' connectors; list the rest to publish by hand.",
            "Передать согласованные ответы коннекторам соцсетей; остальные перечислить для публикации вручную.")
        static let suggestAbstract = Phrase(
            "Cases that may belong with a case: its likely repeats and the comments under the same post.",
            "Дела, которые могут относиться к делу: вероятные повторы и комментарии под тем же постом.")
        static let idHelp = Phrase("The incident's number.", "Номер инцидента.")
        static let casesHelp = Phrase("Case numbers.", "Номера дел.")
        static let caseHelp = Phrase("A case number.", "Номер дела.")
        static let titleHelp = Phrase("What the problem is.", "В чём проблема.")
        static let topicHelp = Phrase("A topic of the incident (repeatable).", "Тема инцидента (можно несколько).")
        static let reasonHelp = Phrase(
            "Why (required when a routed case's units change: moved, added or cancelled).",
            "Почему (обязательно, если у направленного дела меняются подразделения: передача, добавление, отмена).")
        static let removeReasonHelp = Phrase("Why (optional).", "Почему (необязательно).")
        static let limitHelp = Phrase("At most this many (1-1000).", "Не больше стольких (1–1000).")
        static let number = Phrase("No.", "№")
        static let title = Phrase("Title", "Название")
        static let topics = Phrase("Topics", "Темы")
        static let routing = Phrase("Routed to", "Направлен")
        static let cases = Phrase("Cases", "Дел")
        static let open = Phrase("Open", "Открыто")
        static let created = Phrase("Created", "Создан")
        static let caseColumn = Phrase("Case", "Дело")
        static let state = Phrase("State", "Состояние")
        static let author = Phrase("Author", "Автор")
        static let post = Phrase("Post", "Сообщение")
        static let assignmentsColumn = Phrase("Assignments", "Поручения")
        static let notRouted = Phrase("not routed yet", "ещё не направлен")
        static let none = Phrase("No incidents yet.", "Инцидентов пока нет.")
        static let noSuggestions = Phrase("No case to suggest.", "Предложить нечего.")
        static let why = Phrase("Why", "Почему")
        static let inIncident = Phrase("In incident", "В инциденте")
        static let likelyRepeat = Phrase("likely repeat", "вероятный повтор")
        static let samePost = Phrase("same post", "тот же пост")
        static let text = Phrase("Text", "Текст")
        static func hidden(_ count: Int) -> Phrase {
            Phrase("Cases not shown (not yours): \(count).", "Не показано дел (не ваши): \(count).")
        }
        static func toPublish(_ count: Int) -> Phrase {
            Phrase(
                "Approved replies to publish by hand (publish each and record its URL): \(count).",
                "Согласованных ответов к публикации вручную (опубликуйте и запишите ссылку на ответ): \(count).")
        }
        static func handed(_ count: Int) -> Phrase {
            Phrase("Replies handed to connectors: \(count).", "Ответов передано коннекторам: \(count).")
        }
        static func skipped(_ ids: String) -> Phrase {
            Phrase(
                "Closed cases the routing did not reach: \(ids).",
                "Закрытые дела, которых направление не коснулось: \(ids).")
        }
        static func alsoOn(_ count: Int, _ ids: String) -> Phrase {
            Phrase(
                "The same step on the incident's other cases (\(count)): \(ids).",
                "Тот же шаг — и в других делах инцидента (\(count)): \(ids).")
        }
        static func heading(_ id: UInt32, _ title: String) -> Phrase {
            Phrase("Incident \(id): \(title)", "Инцидент \(id): \(title)")
        }
        static func topicsLine(_ topics: String) -> Phrase { Phrase("Topics: \(topics)", "Темы: \(topics)") }
        static func routingLine(_ units: String) -> Phrase { Phrase("Routed to: \(units)", "Направлен: \(units)") }
        static let routingNone = Phrase("Routed to: not yet", "Направлен: ещё нет")
        static func casesLine(_ cases: UInt32, open: UInt32) -> Phrase {
            Phrase("Cases: \(cases), open: \(open)", "Дел: \(cases), открыто: \(open)")
        }
        static func ofIncident(_ id: Int) -> Phrase { Phrase("incident \(id)", "инцидент \(id)") }
        static func via(_ network: String) -> Phrase { Phrase("via \(network)", "через \(network)") }
        static func due(_ due: String) -> Phrase { Phrase("due \(due)", "срок \(due)") }
    }
}
