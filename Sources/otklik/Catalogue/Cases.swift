import OtklikDesk

/// What `otklik case` says, English and Russian side by side.
extension Say {
    enum Cases {
        static let showAbstract = Phrase(
            "A case with its assignments, drafts, replies and clocks.",
            "Дело целиком: пост, следующий шаг, сроки с остатком рабочего времени, поручения, проекты, ответы.")
        static let commentHelp = Phrase("A comment.", "Комментарий.")
        static let addExecutorAbstract = Phrase(
            "Add an executor to a routed case, with the topics it answers for (curator, p.17).",
            "Добавить исполнителя к направленному делу с темами, за которые он отвечает (куратор, п. 17).")
        static let reopenDiscussion = Phrase(
            "A done case whose reply was removed or proved wrong gets a fresh assignment cycle (its clocks start now) for the units named, or those that answered. A rejected or withdrawn case returns to where it was.",
            "Завершённое дело, ответ по которому удалён или оказался неверным, получает новый цикл поручений (сроки идут с этого момента) для указанных подразделений или тех, что отвечали. Отклонённое или снятое дело возвращается туда, где было."
        )
        static let routeExecutorHelp = Phrase(
            "An executor unit, by its code or its title (repeatable: one assignment each).",
            "Подразделение-исполнитель, по коду или названию (можно несколько раз: по поручению на каждое).")
        static let limitHelp = Phrase("At most this many.", "Не больше стольких.")
        static let addExecutorTopicHelp = Phrase(
            "A topic it answers for (repeatable, at least one).",
            "Тема, за которую оно отвечает (можно несколько раз, хотя бы одна).")
        static let reopenUnitHelp = Phrase(
            "A unit of the fresh cycle (repeatable; default: those that answered).",
            "Подразделение нового цикла (можно несколько раз; по умолчанию те, что отвечали).")
        static let listAbstract = Phrase(
            "Cases, newest first (or by the next deadline: --sort due), with filters.",
            "Дела, сначала новые (или по ближайшему сроку: --sort due), с отбором.")
        static let caseAbstract = Phrase(
            "Cases: route, reject, link repeats, show, list, search, history.",
            "Дела: направить, отклонить, отметить повтор, показать, список, поиск, история.")
        static let hintsLabel = Phrase("Check for", "Проверьте")
        static let clocks = Phrase("Clocks", "Сроки")
        static let correctAbstract = Phrase(
            "Correct registration facts; the old and new values are recorded and the clocks follow the corrected facts (curator).",
            "Исправить данные регистрации; старые и новые значения записываются, сроки следуют исправленным данным (куратор)."
        )
        static let withdrawDiscussion = Phrase(
            "Counted apart in the monthly report. `otklik case reopen` undoes it.",
            "В месячной сводке считается отдельно. Отменяет снятие `otklik case reopen`.")
        static let deadline = Phrase("Deadline", "Срок")
        static let details = Phrase("Details", "Подробности")
        static let detected = Phrase("Detected", "Выявлено")
        static let sortHelp = Phrase(
            "`detected` (newest first) or `due` (open cases, the earliest deadline first).",
            "`detected` или `выявлены` (сначала новые), `due` или `срок` (открытые дела, сначала с ближайшим сроком).")
        static let historyAbstract = Phrase(
            "Everything that happened to a case: who, when, on whose behalf, what.",
            "Всё, что было с делом: кто, когда, от чьего имени, что.")
        static let searchDiscussion = Phrase(
            """
            Every word of three letters or more must occur in the text or the author's name, in any of its \
            forms or as the beginning of a word: `яма школа` finds "яма у школы", `ямы` finds "яма", `школ` \
            finds "школьный". A word in quotes is found only in that form: `"ямы"`. Shorter words and \
            punctuation are left out; at most 8 words. Newest first; the matched words are shown in bold on \
            a terminal, in [brackets] otherwise.
            """,
            """
            Каждое слово из трёх и более букв должно быть в тексте или в имени автора — в любой форме или \
            как начало слова: `яма школа` находит «яма у школы», `ямы` — «яма», `школ` — «школьный». Слово \
            в кавычках ищется только в этой форме: `"ямы"`. Более короткие слова и знаки препинания не \
            учитываются; не больше 8 слов. Сначала новые; найденные слова выделены жирным на терминале, \
            [скобками] в остальных случаях.
            """)
        static func evidenceNeeded(_ evidenceRule: String) -> Phrase {
            Phrase(
                "evidence needed (p.19, topics \(evidenceRule)): no photo or video yet",
                "нужны фото или видео (п. 19, темы \(evidenceRule)): пока нет")
        }
        static let executors = Phrase("Executors", "Исполнители")
        static let searchAbstract = Phrase(
            "Find earlier messages by their words in any form (p.18: is this a repeat?), newest first.",
            "Найти прежние сообщения по словам в любой форме (п. 18: не повтор ли?), сначала новые.")
        static let rejectReasonHelp = Phrase(
            "harm, obscene, insult or threat.",
            "`harm` (призывы к вреду), `obscene` (брань), `insult` (оскорбления) или `threat` (угрозы).")
        static let importanceColumn = Phrase("Imp.", "Важн.")
        static let importance = Phrase("Importance", "Важность")
        static let rerouteTopicHelp = Phrase(
            "Its topics there (repeatable; default: as they are).",
            "Его темы там (можно несколько раз; по умолчанию прежние).")
        static let linkRepeatAbstract = Phrase(
            "Mark a case as repeating an earlier one (p.18).", "Отметить дело как повтор прежнего (п. 18).")
        static let match = Phrase("Match", "Совпадение")
        static let mayRepeat = Phrase("May repeat", "Возможный повтор")
        static let measuresTaken = Phrase("Measures taken:", "Принятые меры:")
        // The network (issue 29): what the author did there, and publication through a connector.
        static let inTheNetwork = Phrase("In the network", "В соцсети")
        static func deletedThere(_ at: String) -> Phrase {
            Phrase(
                "the message was deleted \(at); the case goes on",
                "сообщение удалено \(at); работа по делу продолжается")
        }
        static func deletedByAuthor(_ at: String) -> Phrase {
            Phrase(
                "its author deleted the message \(at); the case goes on",
                "автор удалил сообщение \(at); работа по делу продолжается")
        }
        static func removedByModerators(_ at: String) -> Phrase {
            Phrase(
                "the community's moderators removed the message \(at); the case goes on",
                "модераторы сообщества удалили сообщение \(at); работа по делу продолжается")
        }
        static func editedThere(_ at: String) -> Phrase {
            Phrase(
                "the author edited the message \(at) (the text above is the new one; case history has the old)",
                "автор изменил сообщение \(at) (выше новый текст; прежний — в истории дела)")
        }
        static func withTheConnector(_ network: String) -> Phrase {
            Phrase(
                "the \(network) connector publishes the approved reply",
                "коннектор \(network) публикует согласованный ответ")
        }
        static let connectorFailedPublishByHand = Phrase(
            "publish the approved reply by hand: the connector could not",
            "опубликовать согласованный ответ вручную: коннектор не смог")
        static func handedToConnector(_ network: String, _ at: String) -> Phrase {
            Phrase(
                "Handed to the \(network) connector \(at): it publishes the reply and records its URL",
                "Передан коннектору \(network) \(at): он опубликует ответ и запишет ссылку")
        }
        static func connectorCouldNotPublish(
            _ connector: String, _ at: String, why: String, network: String, assignment: String, via: String
        ) -> Phrase {
            Phrase(
                "The \(connector) connector could not publish the reply \(at): \(why)\(network.isEmpty ? "" : " (\(network))"). Publish it by hand (`otklik reply publish \(assignment) --url URL`) or hand it over again (`--via \(via)`)",
                "Коннектор \(connector) не смог опубликовать ответ \(at): \(why)\(network.isEmpty ? "" : " (\(network))"). Опубликуйте вручную (`otklik reply publish \(assignment) --url ССЫЛКА`) или передайте снова (`--via \(via)`)"
            )
        }
        static let filesLeftOut = Phrase(
            "not all of the draft's files went out with it (the connector could not attach them); add the rest by hand if they must be seen",
            "не все файлы проекта опубликованы с ответом (коннектор не смог их прикрепить); добавьте остальные вручную, если их нужно показать"
        )
        static let message = Phrase("Message:", "Сообщение:")
        static let rerouteAbstract = Phrase(
            "Move an assignment to another unit while none of its drafts is approved (curator).",
            "Передать поручение другому подразделению, пока ни один проект не согласован (куратор).")
        static let nothingToCorrect = Phrase(
            "name what to correct: --detected-at, --posted-at, --url, --author, --network or --importance",
            "укажите, что исправить: --detected-at, --posted-at, --url, --author, --network или --importance")
        static let stateHelp = Phrase(
            "new, routed, rejected or done.",
            "`new` (новые), `routed` (направленные), `rejected` (отклонённые) или `done` (завершённые).")
        static let nextDue = Phrase("Next due", "Ближайший срок")
        static let nextStepHeading = Phrase("Next step:", "Следующий шаг:")
        static let noNextStep = Phrase("Next step: none, the case is closed.", "Следующий шаг: нет, дело закрыто.")
        static let noCases = Phrase("No cases.", "Дел нет.")
        static let importanceHelp = Phrase("`normal` or `high`.", "`normal` (обычная) или `high` (высокая).")
        static let nothingFound = Phrase("Nothing found.", "Ничего не найдено.")
        static let mineHelp = Phrase(
            "Only assignments I answer for (or an absent colleague I stand in for does) and what waits for my step (see `otklik queue`).",
            "Только поручения, за которые отвечаю я (или замещаемый мной коллега), и то, что ждёт моего шага (см. `otklik queue`)."
        )
        static let overdueHelp = Phrase("Only cases with a clock past due.", "Только дела с просроченным сроком.")
        static let dueBeforeHelp = Phrase(
            "Only cases with an open clock due before this time (now, 15:40, tomorrow 18:00, ...).",
            "Только дела со сроком раньше этого времени (now, 15:40, завтра 18:00, ...).")
        static let topicHelp = Phrase("Only cases with this topic.", "Только дела с этой темой.")
        static let searchAuthorHelp = Phrase("Only messages of this author.", "Только сообщения этого автора.")
        static let authorHelp = Phrase(
            "Only this author (the same words, any case).", "Только этот автор (те же слова, регистр любой).")
        static let networkHelp = Phrase(
            "Only this network (vk, ok, tg, ...).", "Только эта сеть (vk, ok, tg, ...).")
        static let posted = Phrase("Posted", "Опубликовано")
        static let rejectAbstract = Phrase(
            "Reject a message that is not processed (p.20), before or after routing; every clock stops.",
            "Отклонить сообщение, которое не рассматривается (п. 20), до или после направления; все сроки останавливаются."
        )
        static let rejected = Phrase("Rejected", "Отклонено")
        static let reopenAbstract = Phrase(
            "Reopen a done, rejected or withdrawn case (curator).",
            "Возобновить завершённое, отклонённое или снятое дело (куратор).")
        static let repeats = Phrase("Repeats", "Повтор дела")
        static let routeAbstract = Phrase(
            "Route a case to one or more executors with their topics (p.7, p.17).",
            "Направить дело одному или нескольким исполнителям с их темами (п. 7, 17).")
        static func textShortened(_ assignment: String, _ number: Int) -> Phrase {
            Phrase(
                "(shortened here; the whole text: `otklik draft show \(assignment)/\(number)`)",
                "(здесь сокращён; целиком: `otklik draft show \(assignment)/\(number)`)")
        }
        /// The words `--sort` takes for each order, in both languages.
        static let sortByDetection: Set<String> = ["detected", "выявлено", "выявлены", "новые"]
        static let sortByDue: Set<String> = ["due", "срок", "по сроку"]
        static func unknownSort(_ sort: String) -> Phrase {
            Phrase(
                "--sort is `detected` or `due`, not \(sort)",
                "--sort — `выявлены` (detected) или `срок` (due), а не \(sort)")
        }
        static let state = Phrase("State", "Состояние")
        static let allowOldHelp = Phrase(
            "Take a time more than 30 days ago: it is not a typo.", "Принять время старше 30 дней: это не опечатка.")
        static let idHelp = Phrase("The case.", "Дело.")
        static let showIDHelp = Phrase(
            "The case, e.g. 2026-000123 (or 123 for this year's, or an assignment 2026-000123/1).",
            "Дело, например 2026-000123 (или 123 — дело этого года, или поручение 2026-000123/1).")
        static let repeatOfHelp = Phrase("The earlier case.", "Прежнее дело.")
        static let correctNetworkHelp = Phrase("The network.", "Сеть.")
        static let rerouteDiscussion = Phrase(
            "The term stays the message's: the new unit's clocks keep the detection time. Lateness counts against the unit that held the assignment when its term ran out.",
            "Срок остаётся сроком сообщения: сроки нового подразделения идут от времени выявления. Опоздание записывается тому подразделению, у которого было поручение, когда срок истёк."
        )
        static let addExecutorUnitHelp = Phrase("The unit.", "Подразделение.")
        static let rerouteToHelp = Phrase("The unit it moves to.", "Подразделение, которому оно переходит.")
        static let time = Phrase("Time", "Время")
        static let topics = Phrase("Topics", "Темы")
        static let topicWithoutUnit = Phrase("--topic takes UNIT=TOPIC", "--topic принимает ПОДРАЗДЕЛЕНИЕ=ТЕМА")
        static let routeTopicHelp = Phrase("UNIT=TOPIC (repeatable).", "ПОДРАЗДЕЛЕНИЕ=ТЕМА (можно несколько раз).")
        static let what = Phrase("What", "Что")
        static let who = Phrase("Who", "Кто")
        static let withdrawAbstract = Phrase(
            "Withdraw a message registered by mistake (not a p.20 rejection): its clocks stop, never late (curator).",
            "Снять сообщение, зарегистрированное по ошибке (не отклонение по п. 20): сроки останавливаются и не нарушаются (куратор)."
        )
        static let withdrawn = Phrase("Withdrawn", "Снято")
        static let wordsHelp = Phrase("Words to find.", "Слова для поиска.")
        // What `case show`, `case list` and `case history` print, line by line.
        /// The case's id after a registration that found the post registered before.
        static func registeredAlready(_ id: String) -> Phrase {
            Phrase("\(id) (already registered)", "\(id) (уже зарегистрировано)")
        }
        /// The p.20 hints of a case, spoken and joined.
        static func hintsToCheck(_ hints: String) -> Phrase {
            Phrase("\(hints) (a hint, p.20)", "\(hints) (подсказка, п. 20)")
        }
        static func clocksNotComputed(_ why: String) -> Phrase {
            Phrase("cannot be computed: \(why)", "не вычисляются: \(why)")
        }
        /// An assignment's heading: its unit and state; who answers for it, the units it was with
        /// before and when it closed, where there are.
        static func assignmentHeading(
            _ id: String, _ executor: String, _ state: String, responsible: String, before: String, closed: String
        ) -> Phrase {
            Phrase(
                "Assignment \(id) → \(executor): \(state)\(responsible.isEmpty ? "" : "; responsible: \(responsible)")\(before.isEmpty ? "" : "; before: \(before)")\(closed.isEmpty ? "" : "; closed \(closed)")",
                "Поручение \(id) → \(executor): \(state)\(responsible.isEmpty ? "" : "; ответственный: \(responsible)")\(before.isEmpty ? "" : "; ранее: \(before)")\(closed.isEmpty ? "" : "; закрыто \(closed)")"
            )
        }
        static func assignmentTopics(_ topics: String) -> Phrase { Phrase("Topics: \(topics)", "Темы: \(topics)") }
        /// A published reply: its kind, when and where; the account it went out from and how many
        /// files it carried, where there are.
        static func publishedReply(_ kind: String, _ at: String, _ url: String, account: String, files: Int) -> Phrase {
            Phrase(
                "Reply (\(kind)) published \(at): \(url)\(account.isEmpty ? "" : " (\(account))")\(files == 0 ? "" : ", files: \(files)")",
                "Ответ (\(kind)) опубликован \(at): \(url)\(account.isEmpty ? "" : " (\(account))")\(files == 0 ? "" : ", файлов: \(files)")"
            )
        }
        static func pausedSince(_ from: String) -> Phrase {
            Phrase("Paused since \(from), waiting for the author's answer", "Пауза с \(from), ждём ответа автора")
        }
        static func paused(from: String, to: String) -> Phrase {
            Phrase("Paused from \(from) to \(to)", "Пауза с \(from) по \(to)")
        }
        static func authorAnswered(_ at: String) -> Phrase {
            Phrase("The author answered \(at):", "Ответ автора \(at):")
        }
        /// A draft's heading: its number, kind and state, when submitted and, once decided, when.
        static func draftHeading(_ number: Int, _ kind: String, _ state: String, submitted: String, decided: String)
            -> Phrase
        {
            Phrase(
                "Draft \(number) (\(kind)) — \(state), submitted \(submitted)\(decided.isEmpty ? "" : ", decided \(decided)")",
                "Проект \(number) (\(kind)) — \(state), направлен \(submitted)\(decided.isEmpty ? "" : ", решение \(decided)")"
            )
        }
        static func draftReturned(_ reason: String, comment: String) -> Phrase {
            Phrase(
                "Returned: \(reason)\(comment.isEmpty ? "" : " — \(comment)")",
                "Возвращён: \(reason)\(comment.isEmpty ? "" : " — \(comment)")")
        }
        /// A finding of the reply-quality check: "quality: stock phrases … («принято к сведению»)";
        /// for a copy, the case whose reply it repeats.
        static func finding(_ rule: String, words: [String], copy: Bool) -> Phrase {
            let quoted = words.map { "«\($0)»" }.joined(separator: ", ")
            return copy
                ? Phrase(
                    "quality: \(rule) (case \(words.joined(separator: ", ")))",
                    "качество: \(rule) (дело \(words.joined(separator: ", ")))")
                : Phrase(
                    "quality: \(rule)\(words.isEmpty ? "" : ": \(quoted)")",
                    "качество: \(rule)\(words.isEmpty ? "" : ": \(quoted)")")
        }
        static func evidenceRuleWaived(_ reason: String) -> Phrase {
            Phrase("evidence rule waived: \(reason)", "требование фото/видео снято: \(reason)")
        }
        /// A file of a draft: its name, kind, size, when it was taken, its short SHA-256, and the mark
        /// of a photo taken before the message came (p.19).
        static func draftFile(
            _ name: String, kind: String, size: String, taken: String, sha: String, takenBeforeMessage: Bool
        ) -> Phrase {
            Phrase(
                "\(name) (\(kind), \(size)\(taken.isEmpty ? "" : ", taken \(taken)")) \(sha)\(takenBeforeMessage ? " — taken before the message" : "")",
                "\(name) (\(kind), \(size)\(taken.isEmpty ? "" : ", снято \(taken)")) \(sha)\(takenBeforeMessage ? " — снято до сообщения" : "")"
            )
        }
        /// A clock: its kind, due and state; what is left or how late, when it was met and how late
        /// it was then, where there are.
        static func clockLine(_ kind: String, due: String, state: String, standing: String, met: String, lateBy: String)
            -> Phrase
        {
            Phrase(
                "\(kind): due \(due) — \(state)\(standing.isEmpty ? "" : ", \(standing)")\(met.isEmpty ? "" : ", met \(met)")\(lateBy.isEmpty ? "" : ", late by \(lateBy)")",
                "\(kind): срок \(due) — \(state)\(standing.isEmpty ? "" : ", \(standing)")\(met.isEmpty ? "" : ", выполнен \(met)")\(lateBy.isEmpty ? "" : ", с опозданием на \(lateBy)")"
            )
        }
        /// A next step of a case: what, on which assignment (its unit and who answers for it), whose
        /// step it is, and when it is due with what is left or how late.
        static func nextStepLine(
            _ step: String, assignment: String, holders: String, byCurator: Bool, due: String, standing: String
        ) -> Phrase {
            Phrase(
                "\(step)\(assignment.isEmpty ? "" : ": \(assignment) (\(holders))") — \(byCurator ? "the curator's step" : "the executor's step")\(due.isEmpty ? "" : ", due \(due), \(standing)")",
                "\(step)\(assignment.isEmpty ? "" : ": \(assignment) (\(holders))") — \(byCurator ? "шаг куратора" : "шаг исполнителя")\(due.isEmpty ? "" : ", срок \(due), \(standing)")"
            )
        }
        /// Who took a step of the history, and on whose behalf.
        static func actorOnBehalf(_ actor: String, _ onBehalf: String) -> Phrase {
            Phrase("\(actor) as \(onBehalf)", "\(actor) от имени \(onBehalf)")
        }
        /// The earliest open clock of a listed case: when, which, and whether it is past due.
        static func nextDueCell(_ due: String, _ clock: String, overdue: Bool) -> Phrase {
            Phrase(
                "\(due) (\(clock))\(overdue ? " — overdue" : "")", "\(due) (\(clock))\(overdue ? " — просрочено" : "")")
        }
        // The footer of `case list`: how many are shown of how many, then how to go on.
        static func casesShown(_ count: Int) -> Phrase { Phrase("Cases shown: \(count).", "Показано дел: \(count).") }
        static func casesShown(_ count: Int, of total: UInt32) -> Phrase {
            Phrase("Cases shown: \(count) of \(total).", "Показано дел: \(count) из \(total).")
        }
        static func casesShownOfMany(_ count: Int) -> Phrase {
            Phrase("Cases shown: \(count) of more than 10,000.", "Показано дел: \(count) из более чем 10 000.")
        }
        static func moreFollow(_ nextAfter: String) -> Phrase {
            Phrase(
                "More follow: `otklik case list --after \(nextAfter)` (with the same filters), or a larger --limit.",
                "Есть ещё: `otklik case list --after \(nextAfter)` (с теми же отборами) или --limit побольше.")
        }
    }
}
