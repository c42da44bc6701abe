import OtklikAPI
public import OtklikBase
import OtklikCore
public import OtklikRPC

/// A refusal of the daemon's as the reader gets it: the catalogue's sentence (`Refusals`) in their
/// language, its arguments spoken (states, kinds, roles, fields as words; calls as the commands that
/// make them); without a reason (an older daemon, the transport's own errors) a sentence by the
/// status code. Never a gRPC code name.
public enum RefusalText {
    /// The sentence for `error` in `language`.
    public static func sentence(_ error: RPCError, in language: Language = .current) -> String {
        if let info = error.info, let refusal = Refusals.named(info.reason) {
            let arguments = info.argumentValues
            guard language == .russian else { return error.message }
            let sentence = Refusal.fill(refusal.russian, arguments, spoken: { spokenRussian($0, $1) })
            if let file = arguments["file"] { return "\(file): " + sentence }
            return arguments["line"].map { "строка \($0): " + sentence } ?? sentence
        }
        let general = byCode(error.code, in: language)
        if error.message.isEmpty { return general }
        // A sentence of the transport's or an older daemon's, in English: kept, after ours.
        return language == .russian ? "\(general) (`\(error.message)`)" : "\(general): \(error.message)"
    }

    /// What a status code means for the reader, when no reason came with it.
    ///
    /// (A refusal about one of several files carries the file as the argument `file`: `RPCError.about(file:)`.)
    public static func byCode(_ code: StatusCode, in language: Language = .current) -> String {
        let phrase: Phrase =
            switch code {
            case .ok: Phrase("done", "готово")
            case .cancelled: Phrase("the call was cancelled", "вызов отменён")
            case .invalidArgument, .outOfRange:
                Phrase("the daemon did not accept the values given", "демон не принял указанные значения")
            case .deadlineExceeded:
                Phrase("the daemon did not answer in time (--timeout)", "демон не ответил вовремя (--timeout)")
            case .notFound: Phrase("not found", "не найдено")
            case .alreadyExists: Phrase("it exists already", "это уже есть")
            case .permissionDenied: Phrase("not permitted", "нет прав")
            case .unauthenticated: Phrase("the daemon does not know who you are", "демон не знает, кто вы")
            case .resourceExhausted: Phrase("over a limit", "превышен предел")
            case .failedPrecondition: Phrase("not possible in the case's present state", "сейчас это невозможно")
            case .aborted:
                Phrase("someone changed it meanwhile; try again", "данные тем временем изменились; повторите")
            case .unimplemented:
                Phrase(
                    "the daemon does not know this call (an older version?)",
                    "демон не знает этот вызов (старая версия?)")
            case .unavailable: Phrase("the daemon is unavailable", "демон недоступен")
            case .internal, .unknown, .dataLoss:
                Phrase(
                    "the daemon failed; nothing was changed, its log says why",
                    "сбой демона; ничего не изменено, причина — в журнале демона")
            }
        return phrase.text(in: language)
    }

    /// The roles as the object of "быть ... кем": "исполнителем".
    public static let instrumental = [
        "curator": "куратором", "executor": "исполнителем", "responsible": "ответственным лицом",
        "head": "руководителем", "admin": "администратором",
    ]

    /// A unit's title for a unit code in a refusal ("roads" → "Дорожный отдел"), when the reader's
    /// program knows the directory's units (the CLI does, once it asked); the code otherwise.
    public static let unitTitles = Locked<[String: String]>([:])

    static func unitTitle(_ code: String) -> String {
        unitTitles.withLock { $0[code] }.flatMap { $0.isEmpty ? nil : "«\($0)» (\(code))" } ?? code
    }

    /// An argument of a Russian sentence as a Russian reader reads it.
    static func spokenRussian(_ name: String, _ value: String) -> String {
        switch name {
        case "state": return Wire.CaseState(name: value)?.phrase.russian ?? value
        case "assignment_state": return Wire.AssignmentState(name: value)?.phrase.russian ?? value
        case "draft_kind": return Wire.DraftKind(name: value)?.phrase.russian ?? value
        case "quality_rules":
            return value.split(separator: ",").map { word -> String in
                let word = word.trimmed
                return Wire.QualityRule(name: word)?.phrase.russian ?? word
            }.joined(separator: "; ")
        case "roles", "allowed_roles":
            return value.split(separator: ",").map { word -> String in
                let word = word.trimmed
                if word == "none" { return "нет" }
                return Wire.Role(name: word)?.phrase.russian ?? word
            }.joined(separator: ", ")
        // "и куратором, и исполнителем, и руководителем": the roles in the instrumental case.
        case "other_roles":
            return value.split(separator: ",").map { word -> String in
                let word = word.trimmed
                return instrumental[word] ?? Wire.Role(name: word)?.phrase.russian ?? word
            }.joined(separator: ", и ")
        case "unit": return unitTitle(value)
        case "units": return value.split(separator: ",").map { unitTitle(String($0.trimmed)) }.joined(separator: ", ")
        case "field", "previous_field", "path": return fields[value] ?? "`\(value)`"
        case "action": return actions[value] ?? value
        case "kind": return fileKinds[value] ?? value
        case "party", "deputy_party": return parties[value] ?? value
        case "network": return NetworkNames.phrases[value]?.russian ?? value
        case "networks":
            return value.split(separator: ",").map {
                let network = $0.trimmed
                return NetworkNames.phrases[network].map { "\($0.russian) (\(network))" } ?? network
            }.joined(separator: ", ")
        case "method": return CallNames.command(of: value).map { "`\($0)`" } ?? "`\(value)`"
        default: return value  // any other argument: as the daemon gave it
        }
    }

    /// The fields and facts refusals name, in Russian (requests' field names and the workflow's facts).
    public static let fields: [String: String] = [
        "detected_at": "время выявления", "posted_at": "время публикации поста", "author": "автор",
        "text": "текст", "reason": "причина", "comment": "комментарий", "measures": "принятые меры",
        "author_answer": "ответ автора", "clarification_published": "публикация запроса уточнения",
        "publication": "публикация ответа", "approval": "согласование проекта", "url": "ссылка",
        "name": "имя", "title": "название", "full_name": "ФИО", "login": "логин", "os_user": "пользователь ОС",
        "unit": "подразделение", "topics": "темы", "topic": "тема", "external_id": "внешний идентификатор",
        "limit": "предел (--limit)", "executors": "исполнители", "roles": "роли",
    ]
    public static let actions: [String: String] = [
        "approve": "согласовать", "return": "вернуть", "publish": "опубликовать",
        "waive": "снимать требование фото или видео для",
    ]
    public static let fileKinds: [String: String] = ["photo": "фото", "video": "видео", "document": "документ"]
    public static let parties: [String: String] = [
        "curator centre": "центр управления регионом", "administration": "администрация",
    ]
}

extension StringProtocol {
    /// Without spaces at either end.
    fileprivate var trimmed: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}

extension RPCError {
    /// The same refusal said of one file of several (`draft submit --attach a.jpg b.txt`): the file
    /// leads the sentence in either language.
    public func about(file: String) -> RPCError {
        guard let info else { return RPCError(code, "\(file): \(message)", details: details) }
        var arguments = info.argumentValues
        arguments["file"] = file
        return RPCError(
            code, "\(file): \(message)", details: [RPCError.detail(reason: info.reason, arguments: arguments)])
    }
}
