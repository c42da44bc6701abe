# Generated from the Swift catalogue (Sources/OtklikDesk/Catalogue/Words.swift) by
# Tests/OtklikDeskTests/SpokenPythonTests.swift; do not edit. OTKLIK_WRITE_GENERATED=1 swift test
# --filter SpokenPythonTests rewrites it.
"""The words people read for the contract's closed sets: SPOKEN[enum][word] = (English, Russian)."""

SPOKEN = {
    "CaseState": {
        "new": ("new", "новое"),
        "routed": ("routed", "направлено исполнителям"),
        "rejected": ("rejected (p.20)", "отклонено (п. 20)"),
        "done": ("done", "завершено"),
        "withdrawn": ("withdrawn", "снято"),
    },
    "AssignmentState": {
        "drafting": ("drafting", "готовится проект"),
        "in_review": ("in review", "на проверке у куратора"),
        "approved": ("approved, to publish", "согласовано, к публикации"),
        "waiting_author": ("waiting for the author", "ждём ответа автора"),
        "awaiting_final": ("awaiting the final reply", "ждём окончательного ответа"),
        "done": ("answered", "ответ дан"),
        "cancelled": ("cancelled", "отменено"),
        "no_answer": ("closed, the author did not answer", "закрыто, автор не ответил"),
    },
    "Importance": {
        "normal": ("normal", "обычная"),
        "high": ("high", "высокая"),
    },
    "ClockKind": {
        "route": ("routing", "направление исполнителю"),
        "reply": ("reply", "ответ автору"),
        "draft": ("draft", "проект ответа"),
        "review": ("review", "проверка куратором"),
        "rework": ("rework", "доработка"),
        "publish": ("publication", "публикация"),
        "final_draft": ("final draft", "проект окончательного ответа"),
    },
    "ClockState": {
        "open": ("running", "идёт"),
        "met": ("met", "соблюдён"),
        "breached": ("BREACHED", "НАРУШЕН"),
        "paused": ("paused", "на паузе"),
        "stopped": ("stopped", "остановлен"),
    },
    "DraftKind": {
        "clarification": ("clarification request", "запрос уточнения"),
        "intermediate": ("intermediate reply", "промежуточный ответ"),
        "final": ("final reply", "окончательный ответ"),
    },
    "DraftState": {
        "submitted": ("waiting for review", "ждёт проверки"),
        "approved": ("approved", "согласован"),
        "returned": ("returned", "возвращён на доработку"),
        "published": ("published", "опубликован"),
    },
    "ReturnReason": {
        "formal": ("a formal answer", "формальный ответ"),
        "no_evidence": ("no photo or video evidence", "нет подтверждающих фото или видео"),
        "contradictory": ("contradictory", "противоречивый"),
        "incomplete": ("incomplete", "неполный"),
        "other": ("other", "другое"),
        "measures": ("the measures taken are not stated (p.18)", "не указаны принятые меры (п. 18)"),
    },
    "RejectionReason": {
        "harm": ("calls to harm", "призывы к причинению вреда"),
        "obscene": ("obscene language", "нецензурная брань"),
        "insult": ("insults", "оскорбления"),
        "threat": ("threats", "угрозы"),
    },
    "Role": {
        "curator": ("curator", "куратор"),
        "executor": ("executor", "исполнитель"),
        "responsible": ("responsible official", "ответственное лицо"),
        "head": ("head", "руководитель"),
        "admin": ("administrator", "администратор"),
    },
    "UnitKind": {
        "curator_centre": ("curator centre", "центр управления регионом"),
        "administration": ("administration", "администрация"),
        "department": ("department", "отдел"),
        "institution": ("institution", "учреждение"),
    },
    "DayKind": {
        "working": ("working day", "рабочий день"),
        "shortened": ("shortened day", "сокращённый день"),
        "day_off": ("day off", "выходной"),
        "holiday": ("holiday", "праздник"),
    },
    "StepKind": {
        "route": ("route or reject the message", "направить исполнителю или отклонить"),
        "draft": ("write the draft", "подготовить проект ответа"),
        "rework": ("rework the returned draft", "доработать возвращённый проект"),
        "final_draft": ("write the final reply", "подготовить окончательный ответ"),
        "review": ("review the draft", "проверить проект ответа"),
        "publish": ("publish the approved reply", "опубликовать согласованный ответ"),
        "author_answer": ("record the author's answer when it comes", "записать ответ автора, когда он придёт"),
    },
}

NETWORKS = {
    "fb": ("Facebook", "Фейсбук"),
    "ig": ("Instagram", "Инстаграм"),
    "max": ("MAX", "МАКС"),
    "ok": ("OK", "Одноклассники"),
    "tg": ("Telegram", "Телеграм"),
    "vk": ("VK", "ВКонтакте"),
}
