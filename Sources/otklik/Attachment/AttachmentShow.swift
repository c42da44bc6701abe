import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

extension AttachmentCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text("What the daemon knows of an attachment.", "Что демон знает о вложении."))
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Language.text("The attachment's SHA-256.", "SHA-256 вложения."))) var sha256:
            String

        func validate() throws { try AttachmentUpload.checkDigest(sha256) }

        func run() throws {
            let info = try global.withClient { client throws(RPCError) in
                try client.call(AttachmentsService.getAttachment, GetAttachmentRequest(sha256: sha256))
            }
            global.show(StoredFile(info: info).output)
        }
    }
}
