import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension ProfileCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Language.text(
                "Show every term and rule of the regulation profile the daemon works by.",
                "Показать все сроки и правила профиля регламента, по которому работает демон."),
            discussion: Language.text(
                "-o json prints the profile as its file spells it (otklikd --profile reads such a file).",
                "-o json печатает профиль так, как он записан в файле (такой файл читает otklikd --profile)."))
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(AdminService.getProfile, GetProfileRequest())
            }
            // Read only for people: scripts get the file as the daemon spells it, even one this otklik
            // cannot read.
            var profile: RegulationProfile?
            if global.output != .json {
                guard let read = try? RegulationProfile.decode(Data(answer.json.utf8)) else {
                    throw ValidationError(
                        Language.text(
                            "the daemon's profile cannot be read by this otklik; use -o json",
                            "профиль демона не читается этой версией otklik; используйте -o json"))
                }
                profile = read
            }
            global.show(Said(text: profile.map { Render.keyValues(Self.rows($0)) } ?? "", json: .raw(answer.json)))
        }

        static func rows(_ p: RegulationProfile) -> [(String, String)] {
            func minutes(_ m: Int) -> String {
                m % 60 == 0
                    ? "\(m / 60) " + Language.text("h", "ч") : "\(m) " + Language.text("min", "мин")
            }
            func term(_ t: RegulationProfile.Term) -> String {
                var text = minutes(t.minutes)
                if let high = t.minutesHigh, high != t.minutes {
                    text += Language.text(" (high importance: ", " (высокая важность: ") + minutes(high) + ")"
                }
                return text + Language.text(", schedule \(t.schedule)", ", график «\(t.schedule)»")
            }
            var rows: [(String, String)] = [
                (Language.text("Profile", "Профиль"), p.name),
                (Language.text("Routing (p.7)", "Распределение (п. 7)"), term(p.route)),
                (Language.text("Reply (p.8, p.9)", "Ответ (п. 8, 9)"), term(p.reply)),
                (
                    Language.text("Draft before the reply's due (p.11, p.12)", "Проект до срока ответа (п. 11, 12)"),
                    term(p.draftBeforeReply)
                ),
                (Language.text("Review (p.13)", "Согласование (п. 13)"), term(p.review)),
                (Language.text("Rework (p.14)", "Доработка (п. 14)"), term(p.rework)),
                (Language.text("Publication (p.15)", "Публикация (п. 15)"), term(p.publish)),
                (
                    Language.text(
                        "Final draft after an intermediate reply (p.16)",
                        "Окончательный проект после промежуточного (п. 16)"),
                    "\(p.finalDraftWorkingDays) "
                        + Language.text(
                            "working days, schedule \(p.finalDraftSchedule)",
                            "рабочих дней, график «\(p.finalDraftSchedule)»")
                ),
                (Language.text("Networks (p.3)", "Сети (п. 3)"), p.networks.joined(separator: ", ")),
                (
                    Language.text("Warnings", "Предупреждения"),
                    (p.warningFractions.map { "\(Int(($0 * 100).rounded()))%" }
                        + p.warningMinutesBeforeDue.map { minutes($0) + Language.text(" before due", " до срока") })
                        .joined(separator: ", ")
                ),
                (
                    Language.text("Clarification without an answer", "Уточнение без ответа автора"),
                    p.clarificationLimit.map { Language.text("closes after ", "закрывается через ") + term($0) }
                        ?? Language.text("waits for the author", "ждёт автора")
                ),
                (
                    Language.text("Facts older than", "Давность фактов более"),
                    "\(p.maxFactAgeDays) " + Language.text("days need --allow-old", "дней — только с --allow-old")
                ),
                (
                    Language.text("Repeat hints look back (p.18)", "Поиск повторов (п. 18)"),
                    "\(p.repeatWindowDays) " + Language.text("days", "дней")
                ),
            ]
            for rule in p.evidenceRules {
                let kinds = DraftKind.allCases.filter(rule.draftKinds.contains).map(\.rawValue).joined(separator: ", ")
                let spokenKinds = DraftKind.allCases.filter(rule.draftKinds.contains).map {
                    Wire.DraftKind(name: $0.rawValue)?.spoken ?? $0.rawValue
                }.joined(separator: ", ")
                rows.append(
                    (
                        Language.text("Evidence (p.19)", "Фото/видео (п. 19)"),
                        Language.text(
                            "topics \(rule.topics.joined(separator: ", ")): a \(kinds) reply\(rule.whenMeasures ? " stating measures taken" : "") needs a photo or video; the curator may waive it with a reason",
                            "темы \(rule.topics.joined(separator: ", ")): \(spokenKinds)\(rule.whenMeasures ? " о принятых мерах" : "") — с фото или видео; куратор может снять требование, указав причину"
                        )
                    ))
            }
            if p.evidenceRules.isEmpty {
                rows.append(
                    (Language.text("Evidence (p.19)", "Фото/видео (п. 19)"), Language.text("no rule", "не требуются")))
            }
            for (reason, words) in p.rejectionMarkers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                rows.append(
                    (
                        Language.text("Rejection hint (p.20): ", "Подсказка отказа (п. 20): ")
                            + Language.text(
                                reason.rawValue, Wire.RejectionReason(name: reason.rawValue)?.spoken ?? reason.rawValue),
                        words.joined(separator: ", ")
                    ))
            }
            return rows
        }
    }
}
