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
            abstract: Say.Attachments.showAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Attachments.sha256Help.text())) var sha256: String

        func validate() throws { try AttachmentUpload.checkDigest(sha256) }

        func run() throws {
            let info = try global.withClient { client throws(RPCError) in
                try client.call(AttachmentsService.getAttachment, GetAttachmentRequest(sha256: sha256))
            }
            global.show(StoredFile(info: info).output)
        }
    }
}
