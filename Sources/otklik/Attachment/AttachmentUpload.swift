import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AttachmentCommand {
    struct Upload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Attachments.uploadAbstract.text(),
            discussion: Say.Attachments.uploadDiscussion.text()
        )
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Attachments.filesHelp.text())) var files: [String]
        @Flag(
            help: ArgumentHelp(
                Say.Attachments.chunkedHelp.text())
        )
        var chunked = false

        func validate() throws {
            guard !files.isEmpty else {
                throw ValidationError(Say.Attachments.noFileToUpload.text())
            }
        }

        func run() throws {
            // Here, not in validate: a file that cannot be read exits 66 (EX_NOINPUT), not 64.
            try AttachmentUpload.checkReadable(files)
            let progress = Progress.shown(global.output)
            // Each file on its own: one refused file does not hide the others' hashes.
            var failed: RPCError?
            let uploaded = try global.withClient(streaming: true) { client throws(RPCError) in
                var uploaded: [UploadResponse] = []
                for file in files {
                    do throws(RPCError) {
                        uploaded.append(try AttachmentUpload.send(file, client, progress: progress, chunked: chunked))
                    } catch {
                        if error.code == .unavailable || error.code == .unauthenticated { throw error }
                        Safe.printError(
                            "otklik: \(file): "
                                + GlobalOptions.explain(error, socketPath: global.socketPath).dropFirst(
                                    "otklik: ".count))
                        failed = failed ?? error
                    }
                }
                return uploaded
            }
            defer { if let failed { Foundation.exit(ExitCodes.code(for: failed.code)) } }
            if uploaded.isEmpty, failed != nil, global.output != .json { return }
            global.show(
                Rows(
                    fields: StoredFile.fields(upload: true),
                    rows: uploaded.map { StoredFile(info: $0.attachment ?? AttachmentInfo(), existing: $0.existing) }))
        }
    }
}
