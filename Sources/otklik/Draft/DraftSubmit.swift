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
            abstract: Say.Drafts.submitAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Say.Common.assignmentWithExampleHelp.text()))
        var assignment: String
        @Option(
            help: ArgumentHelp(
                Say.Drafts.kindHelp.text()))
        var kind: String
        @Option(help: ArgumentHelp(Say.Drafts.textHelp.text())) var text: String?
        @Option(help: ArgumentHelp(Say.Drafts.textFileHelp.text()))
        var textFile: String?
        @Option(
            help: ArgumentHelp(
                Say.Drafts.measuresHelp.text()))
        var measures = ""
        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp(
                Say.Drafts.attachHelp.text())
        )
        var attach: [String] = []
        @Option(
            help: ArgumentHelp(
                Say.Drafts.detachHelp.text()))
        var detach: [String] = []
        @OptionGroup var version: ExpectedVersion

        func run() throws {
            // Here, not in validate: a file that cannot be read exits 66 (EX_NOINPUT), not 64.
            try AttachmentUpload.checkReadable(attach)
            var request = SubmitDraftRequest()
            request.assignmentID = assignment
            request.kind = try wordOption(kind, "--kind")
            request.text = try messageText(text, textFile)
            request.measures = measures
            let caseID = try caseID(ofAssignment: assignment)
            request.detach = try detachedDigests(caseID)
            let progress = Progress.shown(global.output)
            // One step for the user: the files go up, then the draft names them. A file the daemon
            // refuses is named with its refusal (which of three photos is not a photo).
            let view = try global.step(on: caseID, expectedVersion: version.expectedVersion) {
                client, version throws(RPCError) in
                for file in attach {
                    do throws(RPCError) {
                        let uploaded = try AttachmentUpload.send(file, client, progress: progress)
                        request.attachments.append(uploaded.attachment?.sha256 ?? "")
                    } catch {
                        throw error.code == .unavailable ? error : error.about(file: file)
                    }
                }
                request.expectedVersion = version
                return try client.call(RepliesService.submitDraft, request)
            }
            // Issue 31: what the reply-quality check found is said last, on stderr, where a person
            // sees it after the case; the curator sees the same beside the draft.
            let canonical = AssignmentID(assignment)?.description ?? assignment
            let findings = view.assignments.first { $0.id == canonical }?.drafts.last?.findings ?? []
            if !findings.isEmpty {
                Safe.printError(Say.Drafts.findingsWarning.text())
                for finding in findings { Safe.printError("  " + CaseSheet.findingLine(finding)) }
            }
            global.sayAlsoOn(view)
        }

        /// The digests of `--detach`: each a file of the assignment's latest draft, named by its
        /// SHA-256, its short id or its file name (the case is read only when one is not a whole digest).
        func detachedDigests(_ caseID: String) throws -> [String] {
            guard detach.contains(where: { SHA256Text.normalized($0) == nil }) else {
                return detach.map { $0.lowercased() }
            }
            let view = try global.withClient { client throws(RPCError) in
                try client.call(CasesService.getCase, CaseRef(id: caseID))
            }
            let files = view.assignments.first { $0.id == assignment }?.drafts.last?.attachments ?? []
            return try detach.map { try AttachmentRows.file($0, among: files).sha256 }
        }
    }
}
