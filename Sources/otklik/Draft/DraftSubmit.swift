import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension DraftCommand {
    struct Submit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Submit a draft to the curator (p.10, p.11, p.14, p.16).",
                "Направить проект ответа куратору (п. 10, 11, 14, 16)."))
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Language.text("The assignment, e.g. 2026-000123/1.", "Поручение, например 2026-000123/1.")))
        var assignment: String
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "final, intermediate or clarification.",
                    "`final` (окончательный), `intermediate` (промежуточный) или `clarification` (запрос уточнения).")))
        var kind: String
        @Option(help: ArgumentHelp(Language.text("The draft text.", "Текст проекта."))) var text: String?
        @Option(help: ArgumentHelp(Language.text("A file holding the draft text.", "Файл с текстом проекта.")))
        var textFile: String?
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "Measures taken (required in a final reply to a repeat message, p.18).",
                    "Принятые меры (обязательны в окончательном ответе на повторное сообщение, п. 18).")))
        var measures = ""
        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp(
                Language.text(
                    "Photos, videos or PDFs to attach (p.19): uploaded first, with a progress line on a terminal.",
                    "Фото, видео или PDF для приложения (п. 19): сначала загружаются, на терминале видна строка хода."))
        )
        var attach: [String] = []
        @Option(
            help: ArgumentHelp(
                Language.text(
                    "The SHA-256 of a file of the returned draft to leave out (its files stay otherwise).",
                    "SHA-256 файла возвращённого проекта, который нужно убрать (иначе файлы остаются).")))
        var detach: [String] = []
        @OptionGroup var version: ExpectedVersion

        func validate() throws {
            for sha256 in detach { try AttachmentUpload.checkDigest(sha256) }
        }

        func run() throws {
            // Here, not in validate: a file that cannot be read exits 66 (EX_NOINPUT), not 64.
            try AttachmentUpload.checkReadable(attach)
            var request = SubmitDraftRequest()
            request.assignmentID = assignment
            request.kind = try wordOption(kind, "--kind")
            request.text = try messageText(text, textFile)
            request.measures = measures
            request.detach = detach
            let caseID = try caseID(ofAssignment: assignment)
            let progress = Progress.shown(global.output)
            // One step for the user: the files go up, then the draft names them.
            try global.step(on: caseID, expectedVersion: version.expectedVersion) { client, version throws(RPCError) in
                for file in attach {
                    let uploaded = try AttachmentUpload.send(file, client, progress: progress)
                    request.attachments.append(uploaded.attachment?.sha256 ?? "")
                }
                request.expectedVersion = version
                return try client.call(RepliesService.submitDraft, request)
            }
        }
    }
}
