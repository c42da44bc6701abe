import OtklikCore
import OtklikDesk

/// What `otklik draft` says, English and Russian side by side.
extension Say {
    enum Drafts {
        static let findingsWarning = Phrase(
            "The draft went to the curator, but it reads like a formal answer; the curator sees this too and may return it:",
            "Проект направлен куратору, но похож на формальный ответ; куратор увидит это и может вернуть проект:")
        static let textFileHelp = Phrase(
            "A file holding the draft text (- for the standard input).",
            "Файл с текстом проекта (- — стандартный ввод).")
        static let approveAbstract = Phrase(
            "Approve the draft under review (p.13).", "Согласовать проект, ожидающий проверки (п. 13).")
        /// The head of `draft show`: the case, its network and post, then its author.
        static func caseLine(_ id: String, _ network: String, _ url: String) -> Phrase {
            Phrase("Case \(id), \(network) \(url)", "Дело \(id), \(network) \(url)")
        }
        static func authorLine(_ author: String) -> Phrase { Phrase("Author: \(author)", "Автор: \(author)") }
        static func caseHasNoAssignment(_ id: String, _ assignment: AssignmentID, _ value: String) -> Phrase {
            Phrase(
                "case \(id) has no assignment \(assignment); it has: \(value)",
                "в деле \(id) нет поручения \(assignment); есть: \(value)")
        }
        static let draftAbstract = Phrase(
            "Drafts: submit, approve, return, waive the evidence rule.",
            "Проекты ответов: показать, направить, согласовать, вернуть, снять требование фото или видео.")
        static let kindHelp = Phrase(
            "final, intermediate or clarification.",
            "`final` (окончательный), `intermediate` (промежуточный) или `clarification` (запрос уточнения).")
        static let returnReasonHelp = Phrase(
            "formal, no_evidence, contradictory, incomplete, measures (p.18) or other.",
            "`formal` (формальный), `no_evidence` (нет фото/видео), `contradictory` (противоречивый), `incomplete` (неполный), `measures` (нет мер, п. 18) или `other` (другое)."
        )
        static func noSuchDraft(_ assignment: AssignmentID, _ count: Int, _ position: Int) -> Phrase {
            Phrase(
                "\(assignment) has drafts 1 to \(count), not \(position)",
                "у поручения \(assignment) проекты с 1 по \(count), а не \(position)")
        }
        static func noDraftsYet(_ assignment: AssignmentID) -> Phrase {
            Phrase("\(assignment) has no drafts yet", "по поручению \(assignment) проектов ещё нет")
        }
        static func isNotADraft(_ textValue: String) -> Phrase {
            Phrase(
                "\(textValue) is not a draft like 2026-000123/1 or 2026-000123/1/2",
                "\(textValue) — не проект вида 2026-000123/1 или 2026-000123/1/2")
        }
        static let waiveEvidenceAbstract = Phrase(
            "Let the draft under review be approved without the photo or video the profile asks for (p.19).",
            "Разрешить согласовать проект без фото или видео, которых требует профиль (п. 19).")
        static let measuresHelp = Phrase(
            "Measures taken (required in a final reply to a repeat message, p.18).",
            "Принятые меры (обязательны в окончательном ответе на повторное сообщение, п. 18).")
        static let showAbstract = Phrase(
            "One draft in full: its text, measures, files and clocks (the latest when K is not given).",
            "Один проект ответа целиком: текст, меры, файлы и сроки (последний, если K не указан).")
        static let attachHelp = Phrase(
            "Photos, videos or PDFs to attach (p.19): uploaded first, with a progress line on a terminal.",
            "Фото, видео или PDF для приложения (п. 19): сначала загружаются, на терминале видна строка хода.")
        static let returnAbstract = Phrase(
            "Return the draft under review for rework (p.13, p.14).", "Вернуть проект на доработку (п. 13, 14).")
        static let submitAbstract = Phrase(
            "Submit a draft to the curator (p.10, p.11, p.14, p.16).",
            "Направить проект ответа куратору (п. 10, 11, 14, 16).")
        static let showIDHelp = Phrase(
            "The assignment and, optionally, the draft's number: 2026-000123/1 or 2026-000123/1/2.",
            "Поручение и, если нужно, номер проекта: 2026-000123/1 или 2026-000123/1/2.")
        static let textHelp = Phrase("The draft text.", "Текст проекта.")
        static let waiveEvidenceDiscussion = Phrase(
            "The reason is recorded with the draft and counted in the monthly report.",
            "Причина записывается с проектом и учитывается в месячной сводке.")
        static let detachHelp = Phrase(
            "A file of the returned draft to leave out, by its name or its short id (its files stay otherwise).",
            "Файл возвращённого проекта, который нужно убрать: по имени или короткому номеру (иначе файлы остаются).")
        static let commentHelp = Phrase("What to change.", "Что изменить.")
        static let waiveReasonHelp = Phrase(
            "Why no photo or video can be had.", "Почему фото или видео получить нельзя.")
    }
}
