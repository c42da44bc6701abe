import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

extension ProfileCommand {
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Profile.showAbstract.text(),
            discussion: Say.Profile.showDiscussion.text())
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
                        Say.Profile.unreadableProfile.text())
                }
                profile = read
            }
            global.show(Said(text: profile.map { Render.keyValues(Self.rows($0)) } ?? "", json: .raw(answer.json)))
        }

        static func minutes(_ m: Int) -> String {
            (m % 60 == 0 ? Say.Profile.hours(m / 60) : Say.Profile.minutes(m)).text()
        }

        static func term(_ t: RegulationProfile.Term) -> String {
            let high = t.minutesHigh.flatMap { $0 == t.minutes ? nil : minutes($0) } ?? ""
            return Say.Profile.term(minutes(t.minutes), high: high, schedule: t.schedule).text()
        }

        /// A clock's row: its label (with the regulation's paragraphs) and its term.
        static func clock(_ kind: ClockKind, _ p: RegulationProfile) -> (String, String) {
            let label =
                switch kind {
                case .route: Say.Profile.routeLabel
                case .reply: Say.Profile.replyLabel
                case .draft: Say.Profile.draftLabel
                case .review: Say.Profile.reviewLabel
                case .rework: Say.Profile.reworkLabel
                case .publish: Say.Profile.publishLabel
                case .finalDraft: Say.Profile.finalDraftLabel
                }
            let length =
                switch p.term(kind) {
                case .working(let t), .beforeReply(let t): term(t)
                case .workingDays(let days, let schedule): Say.Profile.workingDays(days, schedule: schedule).text()
                }
            return (label.text(), length)
        }

        static func rows(_ p: RegulationProfile) -> [(String, String)] {
            let warnings: [String] =
                p.warningFractions.map { "\(Int(($0 * 100).rounded()))%" }
                + p.warningMinutesBeforeDue.map { Say.Profile.beforeDue(minutes($0)).text() }
            var rows: [(String, String)] = [(Say.Profile.profile.text(), p.name)]
            rows += ClockKind.allCases.map { clock($0, p) }
            rows += [
                (Say.Profile.networksLabel.text(), p.networks.joined(separator: ", ")),
                (Say.Profile.warnings.text(), warnings.joined(separator: ", ")),
                (
                    Say.Profile.clarificationLabel.text(),
                    p.clarificationLimit.map { Say.Profile.closesAfter(term($0)).text() }
                        ?? Say.Profile.waitsForTheAuthor.text()
                ),
                (
                    Say.Profile.factAgeLabel.text(),
                    Say.Profile.factAgeLimit(p.maxFactAgeDays).text()
                ),
                (
                    Say.Profile.repeatWindowLabel.text(),
                    Say.Profile.days(p.repeatWindowDays).text()
                ),
                (
                    Say.Profile.connectorLabel.text(),
                    p.publishedByConnector.isEmpty
                        ? Say.Profile.byHand.text()
                        : p.publishedByConnector.map(NetworkNames.spoken).joined(separator: ", ")
                ),
            ]
            for rule in p.evidenceRules {
                let kinds = DraftKind.allCases.filter(rule.draftKinds.contains).map(\.rawValue).joined(separator: ", ")
                let spokenKinds = DraftKind.allCases.filter(rule.draftKinds.contains).map {
                    Wire.DraftKind(name: $0.rawValue)?.spoken ?? $0.rawValue
                }.joined(separator: ", ")
                rows.append(
                    (
                        Say.Profile.evidenceLabel.text(),
                        Say.Profile.evidenceRule(
                            rule.topics.joined(separator: ", "), kinds, spokenKinds, measures: rule.whenMeasures
                        ).text()
                    ))
            }
            if p.evidenceRules.isEmpty {
                rows.append(
                    (Say.Profile.evidenceLabel.text(), Say.Profile.noRule.text()))
            }
            for (reason, words) in p.rejectionMarkers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                rows.append(
                    (
                        Say.Profile.rejectionHint(
                            reason.rawValue,
                            spoken: Wire.RejectionReason(name: reason.rawValue)?.spoken ?? reason.rawValue
                        ).text(),
                        words.joined(separator: ", ")
                    ))
            }
            return rows
        }
    }
}
