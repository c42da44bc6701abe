public import OtklikAPI

// What happened, as `case history` and `watch` tell it.

extension Wire.EventKind: Spoken {
    public var phrase: Phrase {
        switch self {
        case .caseRegistered: Phrase("message registered", "сообщение зарегистрировано")
        case .caseRouted: Phrase("routed to executors", "направлено исполнителям")
        case .caseRejected: Phrase("rejected (p.20)", "отклонено (п. 20)")
        case .caseRepeatLinked: Phrase("marked as a repeat (p.18)", "отмечено как повторное (п. 18)")
        case .caseImportanceChanged: Phrase("importance changed", "изменена важность")
        case .draftSubmitted: Phrase("draft submitted", "проект ответа направлен на проверку")
        case .draftApproved: Phrase("draft approved", "проект ответа согласован")
        case .draftReturned: Phrase("draft returned for rework", "проект возвращён на доработку")
        case .replyPublished: Phrase("reply published", "ответ опубликован")
        case .authorAnswered: Phrase("the author answered", "автор ответил")
        case .assignmentTaken: Phrase("assignment taken", "поручение принято")
        case .assignmentGiven: Phrase("assignment given", "поручение передано")
        case .assignmentRerouted: Phrase("assignment rerouted", "поручение перенаправлено")
        case .caseExecutorAdded: Phrase("executor added", "добавлен исполнитель")
        case .assignmentCancelled: Phrase("assignment cancelled", "поручение отменено")
        case .caseWithdrawn: Phrase("case withdrawn", "дело снято")
        case .caseCorrected: Phrase("registration corrected", "исправлена регистрация")
        case .caseReopened: Phrase("case reopened", "дело возобновлено")
        case .draftSentBack: Phrase("approval taken back", "согласование отозвано")
        case .assignmentNoAnswer: Phrase("closed: the author did not answer", "закрыто: автор не ответил")
        case .clockWarning: Phrase("deadline near", "срок на исходе")
        case .clockBreached: Phrase("deadline missed", "срок нарушен")
        case .clockAtRisk: Phrase("deadline at risk", "срок под угрозой")
        case .directoryUnitPut: Phrase("unit saved", "подразделение сохранено")
        case .directoryStaffPut: Phrase("staff member saved", "сотрудник сохранён")
        case .directoryAbsenceAdded: Phrase("absence recorded", "отсутствие записано")
        case .directoryAbsenceRemoved: Phrase("absence removed", "отсутствие удалено")
        case .directoryAccountPut: Phrase("account saved", "аккаунт сохранён")
        case .scheduleChanged: Phrase("schedule changed", "график изменён")
        case .calendarShipped: Phrase("shipped calendar loaded", "загружен встроенный календарь")
        case .calendarImported: Phrase("calendar imported", "календарь импортирован")
        case .daemonStarted: Phrase("daemon started", "демон запущен")
        case .daemonStopped: Phrase("daemon stopped", "демон остановлен")
        case .demoSeeded: Phrase("demo data loaded", "загружены демо-данные")
        case .draftEvidenceWaived: Phrase("evidence rule waived", "требование фото/видео снято")
        case .attachmentUploaded: Phrase("file uploaded", "файл загружен")
        case .attachmentRemoved: Phrase("unused file removed", "неиспользованный файл удалён")
        case .messageEdited: Phrase("the author edited the message", "автор изменил сообщение")
        case .messageDeleted: Phrase("the message was deleted in the network", "сообщение удалено в соцсети")
        case .messageRestored: Phrase("the message was restored in the network", "сообщение восстановлено в соцсети")
        case .replyPublicationRequested:
            Phrase("reply handed to the connector", "ответ передан коннектору для публикации")
        case .replyPublicationFailed:
            Phrase("the connector could not publish the reply", "коннектор не смог опубликовать ответ")
        case .connectorTrouble: Phrase("a connector cannot read its network", "коннектор не может читать соцсеть")
        case .connectorRecovered: Phrase("a connector reads its network again", "коннектор снова читает соцсеть")
        case .caseIncidentJoined: Phrase("grouped into an incident", "включено в инцидент")
        case .caseIncidentLeft: Phrase("taken out of its incident", "исключено из инцидента")
        case .incidentPut: Phrase("incident created or changed", "инцидент создан или изменён")
        case .unspecified, .unrecognized: Phrase("event", "событие")
        }
    }
}
