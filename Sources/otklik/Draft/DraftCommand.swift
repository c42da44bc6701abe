import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

struct DraftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draft",
        abstract: Language.text(
            "Drafts: submit, approve, return, waive the evidence rule.",
            "Проекты ответов: показать, направить, согласовать, вернуть, снять требование фото или видео."),
        subcommands: [Show.self, Submit.self, Approve.self, Return.self, WaiveEvidence.self])
}
