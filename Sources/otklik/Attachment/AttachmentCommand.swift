import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik attachment`: photos, videos and documents that replies carry (p.19).
struct AttachmentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment",
        abstract: Say.Attachments.attachmentAbstract.text(),
        subcommands: [Upload.self, Show.self, Get.self])
}
