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
            abstract: Say.Drafts.submitADraftTo.text())
        @OptionGroup var global: GlobalOptions
        @Argument(
            help: ArgumentHelp(
                Say.Common.theAssignmentEG.text()))
        var assignment: String
        @Option(
            help: ArgumentHelp(
                Say.Drafts.finalIntermediateOrClarification.text()))
        var kind: String
        @Option(help: ArgumentHelp(Say.Drafts.theDraftText.text())) var text: String?
        @Option(help: ArgumentHelp(Say.Drafts.aFileHoldingThe.text()))
        var textFile: String?
        @Option(
            help: ArgumentHelp(
                Say.Drafts.measuresTakenRequiredIn.text()))
        var measures = ""
        @Option(
            parsing: .upToNextOption,
            help: ArgumentHelp(
                Say.Drafts.photosVideosOrPdfs.text())
        )
        var attach: [String] = []
        @Option(
            help: ArgumentHelp(
                Say.Drafts.theShaOfA.text()))
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
