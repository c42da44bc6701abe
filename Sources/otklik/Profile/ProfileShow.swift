import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension ProfileCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Profile.showEveryTermAnd.text(),
            discussion: Say.Profile.oJsonPrintsThe.text())
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
                        Say.Profile.theDaemonSProfile.text())
                }
                profile = read
            }
            global.show(Said(text: profile.map { Render.keyValues(Self.rows($0)) } ?? "", json: .raw(answer.json)))
        }

        static func minutes(_ m: Int) -> String {
            m % 60 == 0 ? "\(m / 60) " + Say.Profile.h.text() : "\(m) " + Say.Profile.min.text()
        }

        static func term(_ t: RegulationProfile.Term) -> String {
            var text = minutes(t.minutes)
            if let high = t.minutesHigh, high != t.minutes {
                text += Say.Profile.highImportance.text() + minutes(high) + ")"
            }
            return text + Say.Profile.schedule(t.schedule).text()
        }

        /// A clock's row: its label (with the regulation's paragraphs) and its term.
        static func clock(_ kind: ClockKind, _ p: RegulationProfile) -> (String, String) {
            let label =
                switch kind {
                case .route: Say.Profile.routingP
                case .reply: Say.Profile.replyPP
                case .draft: Say.Profile.draftBeforeTheReply
                case .review: Say.Profile.reviewP
                case .rework: Say.Profile.reworkP
                case .publish: Say.Profile.publicationP
                case .finalDraft: Say.Profile.finalDraftAfterAn
                }
            let length =
                switch p.term(kind) {
                case .working(let t), .beforeReply(let t): term(t)
                case .workingDays(let days, let schedule): "\(days) " + Say.Profile.workingDaysSchedule(schedule).text()
                }
            return (label.text(), length)
        }

        static func rows(_ p: RegulationProfile) -> [(String, String)] {
            let warnings: [String] =
                p.warningFractions.map { "\(Int(($0 * 100).rounded()))%" }
                + p.warningMinutesBeforeDue.map { minutes($0) + Say.Profile.beforeDue.text() }
            var rows: [(String, String)] = [(Say.Profile.profile.text(), p.name)]
            rows += ClockKind.allCases.map { clock($0, p) }
            rows += [
                (Say.Profile.networksP.text(), p.networks.joined(separator: ", ")),
                (Say.Profile.warnings.text(), warnings.joined(separator: ", ")),
                (
                    Say.Profile.clarificationWithoutAnAnswer.text(),
                    p.clarificationLimit.map { Say.Profile.closesAfter.text() + term($0) }
                        ?? Say.Profile.waitsForTheAuthor.text()
                ),
                (
                    Say.Profile.factsOlderThan.text(),
                    "\(p.maxFactAgeDays) " + Say.Profile.daysNeedAllowOld.text()
                ),
                (
                    Say.Profile.repeatHintsLookBack.text(),
                    "\(p.repeatWindowDays) " + Say.Profile.days.text()
                ),
            ]
            for rule in p.evidenceRules {
                let kinds = DraftKind.allCases.filter(rule.draftKinds.contains).map(\.rawValue).joined(separator: ", ")
                let spokenKinds = DraftKind.allCases.filter(rule.draftKinds.contains).map {
                    Wire.DraftKind(name: $0.rawValue)?.spoken ?? $0.rawValue
                }.joined(separator: ", ")
                rows.append(
                    (
                        Say.Profile.evidenceP.text(),
                        Say.Profile.topicsAReplyNeeds(
                            rule.topics.joined(separator: ", "), kinds, spokenKinds, measures: rule.whenMeasures
                        ).text()
                    ))
            }
            if p.evidenceRules.isEmpty {
                rows.append(
                    (Say.Profile.evidenceP.text(), Say.Profile.noRule.text()))
            }
            for (reason, words) in p.rejectionMarkers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                rows.append(
                    (
                        Say.Profile.rejectionHintP.text()
                            + Say.Profile.rejectionReason(
                                reason.rawValue, Wire.RejectionReason(name: reason.rawValue)?.spoken ?? reason.rawValue
                            ).text(),
                        words.joined(separator: ", ")
                    ))
            }
            return rows
        }
    }
}
