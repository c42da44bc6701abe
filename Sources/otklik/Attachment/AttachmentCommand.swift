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
        abstract: Language.text(
            "Photos, videos and documents for replies (p.19): upload, show, get.",
            "Фото, видео и документы к ответам (п. 19): загрузить, показать, получить."),
        subcommands: [Upload.self, Show.self, Get.self])
}
