import OtklikDesk

/// What `otklik watch` says, English and Russian side by side.
extension Say {
    enum Watch {
        static func incidentJoined(_ incident: Int) -> Phrase {
            Phrase("grouped into incident \(incident)", "включено в инцидент \(incident)")
        }
        static func incidentLeft(_ incident: Int, _ reason: String) -> Phrase {
            reason.isEmpty
                ? Phrase("taken out of incident \(incident)", "исключено из инцидента \(incident)")
                : Phrase(
                    "taken out of incident \(incident): \(reason)", "исключено из инцидента \(incident): \(reason)")
        }
        static func assignmentCancelled(_ reason: String) -> Phrase {
            Phrase("assignment cancelled: \(reason)", "поручение отменено: \(reason)")
        }
        static func atRisk(_ clock: String, _ due: String, _ why: String) -> Phrase {
            Phrase(
                "AT RISK: \(clock), due \(due): \(why) (`otklik board`)",
                "ПОД УГРОЗОЙ срок: \(clock), \(due): \(why) (`otklik board`)")
        }
        static func breached(_ clock: String, _ due: String) -> Phrase {
            Phrase("BREACHED: \(clock) was due \(due)", "НАРУШЕН срок: \(clock), был \(due)")
        }
        static let closedWithoutAnswer = Phrase("closed: the author did not answer", "закрыто: автор не ответил")
        static func corrected(_ fields: String, _ reason: String) -> Phrase {
            Phrase("corrected \(fields): \(reason)", "исправлено (\(fields)): \(reason)")
        }
        static let draftApproved = Phrase("draft approved", "проект согласован")
        static func draftReturned(_ comment: String) -> Phrase {
            Phrase("draft returned: \(comment)", "проект возвращён: \(comment)")
        }
        static let draftSentBack = Phrase(
            "draft sent back for measures (p.18)", "проект возвращён: укажите принятые меры (п.18)")
        static func draftSubmittedBy(_ who: String) -> Phrase {
            Phrase("draft submitted by \(who)", "проект представлен: \(who)")
        }
        static func evidenceRuleWaived(_ reason: String) -> Phrase {
            Phrase("evidence rule waived (p.19): \(reason)", "требование фото/видео снято (п.19): \(reason)")
        }
        static func executorAdded(_ units: String, _ reason: String) -> Phrase {
            Phrase("executor added: \(units): \(reason)", "добавлен исполнитель: \(units): \(reason)")
        }
        static let noReconnectHelp = Phrase(
            "Exit when the daemon goes away instead of reconnecting.",
            "Завершиться, когда демон пропадает, а не переподключаться.")
        static func fellBehind(_ resumeFrom: Int64) -> Phrase {
            Phrase(
                "fell behind; resume with --from \(resumeFrom)", "отстал от событий; продолжите с --from \(resumeFrom)")
        }
        static func fileUploaded(_ name: String) -> Phrase {
            Phrase("file uploaded: \(name)", "загружен файл: \(name)")
        }
        static let watchAbstract = Phrase(
            "Follow events as they happen (assignments, returns, warnings, breaches).",
            "Следить за событиями по мере их появления (поручения, возвраты, предупреждения, нарушения сроков).")
        static func isNotAKind(_ word: String, _ words: String) -> Phrase {
            Phrase("--kind \(word) is not one of \(words)", "--kind \(word) — не одно из: \(words)")
        }
        static let newMessage = Phrase("new message", "новое сообщение")
        /// p.18 hints of a registration watched live: the earlier cases it likely repeats.
        static func newMessageMayRepeat(_ cases: String) -> Phrase {
            Phrase("new message; may repeat \(cases)", "новое сообщение; возможный повтор \(cases)")
        }
        static func nowAnsweredForBy(_ login: String) -> Phrase {
            Phrase("now answered for by \(login)", "ответственный: \(login)")
        }
        static let kindHelp = Phrase(
            "Only these event kinds (repeatable).", "Только эти виды событий (можно несколько раз).")
        static let caseHelp = Phrase("Only this case.", "Только это дело.")
        static let mineHelp = Phrase("Only what concerns me.", "Только то, что касается меня.")
        static func stopped(_ last: Int64) -> Phrase {
            Phrase(
                "otklik: stopped; to go on from here: otklik watch --from \(last)",
                "otklik: остановлено; продолжить с этого места: otklik watch --from \(last)")
        }
        static func daemonBack(_ start: Int64) -> Phrase {
            Phrase(
                "otklik: the daemon is back; going on after event \(start).",
                "otklik: демон снова на связи; продолжаю после события \(start).")
        }
        static func daemonUnavailable(_ message: String, _ value: String) -> Phrase {
            Phrase(
                "otklik: the daemon is unavailable (\(message)); trying again in \(value) s.",
                "otklik: демон недоступен; новая попытка через \(value) с.")
        }
        /// Through ssh: the link's own sentence (already in the reader's language), then the wait.
        static func linkUnavailable(_ sentence: String, _ value: String) -> Phrase {
            Phrase(
                "otklik: \(sentence); trying again in \(value) s.",
                "otklik: \(sentence); новая попытка через \(value) с.")
        }
        static func watching(_ start: Int64) -> Phrase {
            Phrase(
                "otklik: watching events after \(start); Ctrl-C ends.",
                "otklik: слежу за событиями после \(start); Ctrl-C — выход.")
        }
        static func reopened(_ reason: String) -> Phrase {
            Phrase("reopened: \(reason)", "открыто снова: \(reason)")
        }
        static let replyPublished = Phrase("reply published", "ответ опубликован")
        static func connectorNamed(_ network: String, _ community: String) -> Phrase {
            Phrase("the \(network) connector (\(community))", "коннектор \(network) (\(community))")
        }
        static func connectorTrouble(_ who: String, _ state: String, _ error: String) -> Phrase {
            Phrase(
                "\(who): \(state)\(error.isEmpty ? "" : " — \(error)"); comments do not come in by themselves meanwhile",
                "\(who): \(state)\(error.isEmpty ? "" : " — \(error)"); пока комментарии сами не поступают")
        }
        static func connectorRecovered(_ who: String) -> Phrase {
            Phrase("\(who) reads its network again", "\(who) снова читает соцсеть")
        }
        static func handedToConnector(_ network: String) -> Phrase {
            Phrase(
                "the reply is handed to the \(network) connector for publication",
                "ответ передан коннектору \(network) для публикации")
        }
        static func publicationFailed(_ why: String, _ network: String) -> Phrase {
            Phrase(
                "the connector could not publish the reply: \(why) (\(network)); publish it by hand or ask again",
                "коннектор не смог опубликовать ответ: \(why) (\(network)); опубликуйте вручную или передайте снова")
        }
        static func reroutedTo(_ unit: String, _ reason: String) -> Phrase {
            Phrase("rerouted to \(unit): \(reason)", "передано: \(unit): \(reason)")
        }
        static let watchDiscussion = Phrase(
            "Resume after a disconnect with --from N, N being the last sequence number seen.",
            "После обрыва продолжайте с --from N, где N — последний увиденный номер.")
        static func routedTo(_ units: String) -> Phrase { Phrase("routed to \(units)", "направлено: \(units)") }
        static let fromHelp = Phrase(
            "Start after this sequence number (0: the whole log).", "Начать после этого номера (0 — весь журнал).")
        static let authorAnswered = Phrase("the author answered", "автор ответил")
        static func unusedUploadRemoved(_ name: String) -> Phrase {
            Phrase("unused upload removed: \(name)", "удалён неиспользованный файл: \(name)")
        }
        static func warning(_ clock: String, _ value: String, _ due: String) -> Phrase {
            Phrase("warning: \(clock), \(value), due \(due)", "предупреждение: \(clock), \(value), срок \(due)")
        }
        static func withdrawn(_ reason: String) -> Phrase {
            Phrase("withdrawn (registered by mistake): \(reason)", "снято (зарегистрировано ошибочно): \(reason)")
        }
    }
}
