public import OtklikAPI
public import OtklikCore

// The regulation's closed sets as people read them. Each switch names every value of the contract,
// so a word added to words.proto does not build until it is spoken here in both languages. The
// catalogue test checks that no Russian phrase carries a wire word.

extension Wire.CaseState: Spoken {
    public var phrase: Phrase {
        switch self {
        case .new: Phrase("new", "новое")
        case .routed: Phrase("routed", "направлено исполнителям")
        case .rejected: Phrase("rejected (p.20)", "отклонено (п. 20)")
        case .done: Phrase("done", "завершено")
        case .withdrawn: Phrase("withdrawn", "снято")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.AssignmentState: Spoken {
    public var phrase: Phrase {
        switch self {
        case .drafting: Phrase("drafting", "готовится проект")
        case .inReview: Phrase("in review", "на проверке у куратора")
        case .approved: Phrase("approved, to publish", "согласовано, к публикации")
        case .waitingAuthor: Phrase("waiting for the author", "ждём ответа автора")
        case .awaitingFinal: Phrase("awaiting the final reply", "ждём окончательного ответа")
        case .done: Phrase("answered", "ответ дан")
        case .cancelled: Phrase("cancelled", "отменено")
        case .noAnswer: Phrase("closed, the author did not answer", "закрыто, автор не ответил")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.Importance: Spoken {
    public var phrase: Phrase {
        switch self {
        case .normal: Phrase("normal", "обычная")
        case .high: Phrase("high", "высокая")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.ClockKind: Spoken {
    public var phrase: Phrase {
        switch self {
        case .route: Phrase("routing", "направление исполнителю")
        case .reply: Phrase("reply", "ответ автору")
        case .draft: Phrase("draft", "проект ответа")
        case .review: Phrase("review", "проверка куратором")
        case .rework: Phrase("rework", "доработка")
        case .publish: Phrase("publication", "публикация")
        case .finalDraft: Phrase("final draft", "проект окончательного ответа")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.ClockState: Spoken {
    public var phrase: Phrase {
        switch self {
        case .open: Phrase("running", "идёт")
        case .met: Phrase("met", "соблюдён")
        case .breached: Phrase("BREACHED", "НАРУШЕН")
        case .paused: Phrase("paused", "на паузе")
        case .stopped: Phrase("stopped", "остановлен")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.DraftKind: Spoken {
    public var phrase: Phrase {
        switch self {
        case .clarification: Phrase("clarification request", "запрос уточнения")
        case .intermediate: Phrase("intermediate reply", "промежуточный ответ")
        case .final: Phrase("final reply", "окончательный ответ")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.DraftState: Spoken {
    public var phrase: Phrase {
        switch self {
        case .submitted: Phrase("waiting for review", "ждёт проверки")
        case .approved: Phrase("approved", "согласован")
        case .returned: Phrase("returned", "возвращён на доработку")
        case .published: Phrase("published", "опубликован")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.ReturnReason: Spoken {
    public var phrase: Phrase {
        switch self {
        case .formal: Phrase("a formal answer", "формальный ответ")
        case .noEvidence: Phrase("no photo or video evidence", "нет подтверждающих фото или видео")
        case .contradictory: Phrase("contradictory", "противоречивый")
        case .incomplete: Phrase("incomplete", "неполный")
        case .other: Phrase("other", "другое")
        case .measures: Phrase("the measures taken are not stated (p.18)", "не указаны принятые меры (п. 18)")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.QualityRule: Spoken {
    public var phrase: Phrase {
        switch self {
        case .empty: Phrase("says nothing", "ответ ни о чём")
        case .noTerm: Phrase("no date, term or measure taken", "нет ни даты, ни срока, ни принятых мер")
        case .stockPhrases: Phrase("stock phrases without a date or measure", "шаблонные фразы без даты и мер")
        case .onlyLaws: Phrase("only references to laws", "только ссылки на законы и правила")
        case .offTopic: Phrase("does not answer the post", "не отвечает на сообщение")
        case .copy: Phrase("a copy of a reply to another post", "копия ответа на другое сообщение")
        case .noFinalTerm:
            Phrase("does not say when the final reply comes", "не сказано, когда будет окончательный ответ")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.RiskReason: Spoken {
    public var phrase: Phrase {
        switch self {
        case .nobodyPresent: Phrase("nobody at work before the due", "до срока никого нет на работе")
        case .behind: Phrase("more work waiting than time left", "очередь больше, чем осталось времени")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.RejectionReason: Spoken {
    public var phrase: Phrase {
        switch self {
        case .harm: Phrase("calls to harm", "призывы к причинению вреда")
        case .obscene: Phrase("obscene language", "нецензурная брань")
        case .insult: Phrase("insults", "оскорбления")
        case .threat: Phrase("threats", "угрозы")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.Role: Spoken {
    public var phrase: Phrase {
        switch self {
        case .curator: Phrase("curator", "куратор")
        case .executor: Phrase("executor", "исполнитель")
        case .responsible: Phrase("responsible official", "ответственное лицо")
        case .head: Phrase("head", "руководитель")
        case .admin: Phrase("administrator", "администратор")
        case .connector: Phrase("network connector", "коннектор соцсети")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.UnitKind: Spoken {
    public var phrase: Phrase {
        switch self {
        case .curatorCentre: Phrase("curator centre", "центр управления регионом")
        case .administration: Phrase("administration", "администрация")
        case .department: Phrase("department", "отдел")
        case .institution: Phrase("institution", "учреждение")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.DayKind: Spoken {
    public var phrase: Phrase {
        switch self {
        case .working: Phrase("working day", "рабочий день")
        case .shortened: Phrase("shortened day", "сокращённый день")
        case .dayOff: Phrase("day off", "выходной")
        case .holiday: Phrase("holiday", "праздник")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Weekday: Spoken {
    public var phrase: Phrase {
        switch self {
        case .monday: Phrase("Mon", "пн")
        case .tuesday: Phrase("Tue", "вт")
        case .wednesday: Phrase("Wed", "ср")
        case .thursday: Phrase("Thu", "чт")
        case .friday: Phrase("Fri", "пт")
        case .saturday: Phrase("Sat", "сб")
        case .sunday: Phrase("Sun", "вс")
        }
    }
}

/// The social networks by the short names the profile gives them (`vk`, `ok`, `tg`, ...); a network
/// the catalogue does not know is shown as it was registered.
public enum NetworkNames {
    public static let phrases: [String: Phrase] = [
        "vk": Phrase("VK", "ВКонтакте"),
        "ok": Phrase("OK", "Одноклассники"),
        "tg": Phrase("Telegram", "Телеграм"),
        "fb": Phrase("Facebook", "Фейсбук"),
        "ig": Phrase("Instagram", "Инстаграм"),
        "max": Phrase("MAX", "МАКС"),
    ]

    /// What people also call a network (as typed in an option), beside its code and its names.
    static let aliases: [String: [String]] = [
        "vk": ["вк", "в контакте", "vkontakte"], "ok": ["ок", "однокл"], "tg": ["тг", "телега", "телеграмм"],
        "fb": ["фб"], "ig": ["инста", "insta"], "max": ["макс"],
    ]

    public static func spoken(_ network: String) -> String {
        phrases[network]?.text() ?? network
    }

    /// The code of the network `text` names: its code, a name in either language or an alias (case
    /// and `ё` aside); nil for one the catalogue does not know.
    public static func code(of text: String) -> String? {
        codes[SpokenInput.words(text).joined(separator: " ")]
    }

    /// Every way `code(of:)` takes a network, as `SpokenInput.words` leaves it, to its code; made once (an
    /// imported file asks for every line). Where two networks share a name, the code first in order.
    private static let codes: [String: String] = {
        var codes: [String: String] = [:]
        for (code, phrase) in phrases.sorted(by: { $0.key < $1.key }) {
            for name in [code, phrase.english, phrase.russian] + (aliases[code] ?? []) {
                let key = SpokenInput.words(name).joined(separator: " ")
                if codes[key] == nil { codes[key] = code }
            }
        }
        return codes
    }()
}

extension Wire.StepKind: Spoken {
    public var phrase: Phrase {
        switch self {
        case .route: Phrase("route or reject the message", "направить исполнителю или отклонить")
        case .draft: Phrase("write the draft", "подготовить проект ответа")
        case .rework: Phrase("rework the returned draft", "доработать возвращённый проект")
        case .finalDraft: Phrase("write the final reply", "подготовить окончательный ответ")
        case .review: Phrase("review the draft", "проверить проект ответа")
        case .publish: Phrase("publish the approved reply", "опубликовать согласованный ответ")
        case .authorAnswer: Phrase("record the author's answer when it comes", "записать ответ автора, когда он придёт")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.PublicationFailureKind: Spoken {
    public var phrase: Phrase {
        switch self {
        case .tokenRefused:
            Phrase(
                "the network refused the connector's token: the administrator gives it a new one",
                "соцсеть не приняла токен коннектора: администратор выдаёт новый")
        case .methodUnavailable:
            Phrase(
                "the network does not let the connector's token publish",
                "соцсеть не разрешает токену коннектора публиковать")
        case .commentsClosed:
            Phrase(
                "comments are closed under the post, or the account may not comment there",
                "комментарии к посту закрыты или аккаунту нельзя там комментировать")
        case .messageGone: Phrase("the message answered is deleted", "сообщение, на которое отвечали, удалено")
        case .refused: Phrase("the network refused the reply", "соцсеть не приняла ответ")
        case .unreachable:
            Phrase(
                "the network could not be reached before the publication was due",
                "соцсеть была недоступна до истечения срока публикации")
        case .uncertain:
            Phrase(
                "the connector sent the reply and heard no answer: look in the thread, record its URL if it is there, hand it over again if not",
                "коннектор отправил ответ, но не получил подтверждения: проверьте ветку; если ответ там — укажите его ссылку, если нет — передайте снова"
            )
        case .unspecified, .unrecognized: Phrase("the publication failed", "публикация не удалась")
        }
    }
}

extension Wire.ConnectorState: Spoken {
    public var phrase: Phrase {
        switch self {
        case .ok: Phrase("reads its network", "читает соцсеть")
        case .networkUnreachable: Phrase("cannot reach its network", "соцсеть недоступна")
        case .tokenRefused: Phrase("its token is refused: it stopped", "токен не принят: коннектор остановлен")
        case .stopped: Phrase("stopped", "остановлен")
        case .daemonRefuses:
            Phrase(
                "the daemon refuses the comments it brings: it holds its place and tries again (see its last error)",
                "демон не принимает комментарии коннектора: коннектор ждёт на своём месте в потоке и повторяет (см. последнюю ошибку)"
            )
        case .silent:
            Phrase(
                "silent: no report for 50 seconds (not running, or it cannot reach the daemon)",
                "молчит: нет отчёта 50 секунд (не запущен или не может связаться с демоном)")
        case .unspecified, .unrecognized: Phrase("unknown", "неизвестно")
        }
    }
}

extension Wire.MessageDeleter: Spoken {
    public var phrase: Phrase {
        switch self {
        case .author: Phrase("its author", "автор сообщения")
        case .community: Phrase("the community's moderators", "модераторы сообщества")
        case .unspecified, .unrecognized: Phrase("not said", "не указано")
        }
    }
}

extension CorrectableField: Spoken {
    public var phrase: Phrase {
        switch self {
        case .detectedAt: Phrase("detected at", "время выявления")
        case .postedAt: Phrase("posted at", "время публикации")
        case .url: Phrase("URL", "ссылка")
        case .author: Phrase("author", "автор")
        case .network: Phrase("network", "сеть")
        case .importance: Phrase("importance", "важность")
        case .text: Phrase("text", "текст")
        }
    }
}
