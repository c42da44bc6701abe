public import Foundation
import OtklikBase

/// The regulation's numbers as data (RULES.md: every **Decision** is a setting, not a constant):
/// each clock's length and the schedule it is counted in, the networks, and the warning points.
/// Another region's 9-hour rule is a different profile file, not a new build.
public struct RegulationProfile: Sendable, Equatable {
    public struct Term: Sendable, Equatable {
        public var minutes: Int
        /// For `high` importance (p.9, p.12); nil: the same as normal.
        public var minutesHigh: Int?
        public var schedule: String

        public init(minutes: Int, minutesHigh: Int? = nil, schedule: String) {
            self.minutes = minutes
            self.minutesHigh = minutesHigh
            self.schedule = schedule
        }

        public func minutes(for importance: Importance) -> Int {
            importance == .high ? minutesHigh ?? minutes : minutes
        }
    }

    public var name: String
    /// p.7: detection to routing.
    public var route: Term
    /// p.8, p.9: detection to the first reply published.
    public var reply: Term
    /// p.11, p.12: the draft is due this long before the reply's due time (counted backwards).
    public var draftBeforeReply: Term
    /// p.13: each submission to the curator's decision.
    public var review: Term
    /// p.14: each return to the resubmission.
    public var rework: Term
    /// p.15: approval to publication.
    public var publish: Term
    /// p.16: working days after the day an intermediate reply was published, for the final draft.
    public var finalDraftWorkingDays: Int
    public var finalDraftSchedule: String
    /// p.3: networks a message may come from.
    public var networks: [String]
    /// Warning points: fractions of a clock's working time, and minutes before its due time.
    public var warningFractions: [Double]
    public var warningMinutesBeforeDue: [Int]
    /// p.20: word beginnings that hint at a reason not to process a message (a hint, never a decision).
    /// Kept in `Hints.markerForm` (lower case, `ё` as `е`, composed: as they are compared and shown),
    /// each once, however they are set.
    public var rejectionMarkers: [RejectionReason: [String]] = [:] {
        didSet {
            rejectionMarkers = rejectionMarkers.mapValues { markers in
                var seen = Set<String>()
                return markers.map(Hints.markerForm).filter { !$0.isEmpty && seen.insert($0).inserted }
            }
        }
    }
    /// p.4, p.15: the hosts a post or reply of each network lives on (a reply's URL must be on one).
    public var networkHosts: [String: [String]] = RegulationProfile.defaultNetworkHosts
    /// The regulation is silent on a clarification the author never answers; when set, the
    /// assignment closes as `no_answer` after this much working time (other regions: 3 days).
    public var clarificationLimit: Term?
    /// A detection or posting time more than this many days before now is refused unless the
    /// caller confirms it (`--allow-old`): a year typo must not make a case late for ever.
    public var maxFactAgeDays: Int = 30
    /// p.18 hints look this many days back for an earlier message of the same author or a like text.
    public var repeatWindowDays: Int = 180
    /// p.19: which replies must carry a photo or video before the curator may approve them.
    public var evidenceRules: [EvidenceRule] = []
    /// p.15 (issue 29): the networks whose approved replies go out through their connector when the
    /// curator publishes without a URL. Listing a network here is the region's reading that its
    /// connector's account (for Telegram, a bot) is the administration's official account there.
    public var publishedByConnector: [String] = []
    /// Issue 31: the reply-quality rules a submitted draft is checked by (`ReplyQuality`); nil: none.
    public var replyQuality: ReplyQuality?

    /// p.19: a reply of these topics and kinds (stating the measures taken, when `whenMeasures`) must
    /// carry a photo or video; the curator may waive it for one draft with a reason, recorded.
    public struct EvidenceRule: Sendable, Equatable {
        /// Topics as the curator writes them; compared without regard to case.
        public var topics: [String]
        public var draftKinds: Set<DraftKind>
        /// Only drafts that state measures taken.
        public var whenMeasures: Bool

        public init(topics: [String], draftKinds: Set<DraftKind>, whenMeasures: Bool) {
            self.topics = topics
            self.draftKinds = draftKinds
            self.whenMeasures = whenMeasures
        }

        func applies(to draft: Draft, topics caseTopics: [String]) -> Bool {
            guard draftKinds.contains(draft.kind), !whenMeasures || !(draft.measures ?? "").isEmpty else {
                return false
            }
            let wanted = Set(topics.map { $0.lowercased() })
            return caseTopics.contains { wanted.contains($0.lowercased()) }
        }
    }

    /// The first evidence rule that holds `draft` of an assignment with `topics`; nil when none does.
    public func evidenceRule(for draft: Draft, topics: [String]) -> EvidenceRule? {
        evidenceRules.first { $0.applies(to: draft, topics: topics) }
    }

    /// The evidence rule that holds `draft` of `assignment` in `state` (by the assignment's topics and
    /// the case's), and whether it holds it back now (`missing`: no photo or video, not waived); nil
    /// when no rule holds it. What approval, the waiver and the case view all ask.
    public func evidence(of draft: Draft, on assignment: AssignmentState, in state: CaseState)
        -> (rule: EvidenceRule, missing: Bool)?
    {
        guard let rule = evidenceRule(for: draft, topics: assignment.topics + state.topics) else { return nil }
        return (rule, !draft.hasPhotoOrVideo && draft.evidenceWaiver == nil)
    }

    public static let defaultNetworkHosts: [String: [String]] = [
        "vk": ["vk.com", "vk.ru", "vkontakte.ru"],
        "ok": ["ok.ru", "odnoklassniki.ru"],
        "fb": ["facebook.com", "fb.com"],
        "ig": ["instagram.com"],
        "tg": ["t.me", "telegram.me"],
        "max": ["max.ru"],
    ]

    /// Every setting a clock's due instant or notice moments depend on, as one text: the clock index
    /// (`ClockIndex`) records it, and a profile that changes it makes the daemon re-index open cases.
    /// Every clock's term in `ClockKind` order, then the warning points and the clarification limit.
    public var clockRules: String {
        func term(_ term: Term?) -> String {
            guard let term else { return "-" }
            return "\(term.minutes)/\(term.minutesHigh.map(String.init) ?? "-")@\(term.schedule)"
        }
        let clocks = ClockKind.allCases.map { kind in
            switch kind.spec.term(self) {
            case .working(let t), .beforeReply(let t): term(t)
            case .workingDays(let days, let schedule): "\(days)@\(schedule)"
            }
        }
        return
            (clocks + [
                warningFractions.map { "\($0)" }.joined(separator: ","),
                warningMinutesBeforeDue.map(String.init).joined(separator: ","), term(clarificationLimit),
            ]).joined(separator: ";")
    }

    /// The term of `clock` (its row of `ClockKind.spec`).
    public func term(_ clock: ClockKind) -> ClockTerm { clock.spec.term(self) }

    /// A post URL's duplicate-finding key under this profile's hosts (`PostURL.key`).
    public var urlKey: @Sendable (String, String) -> String {
        let hosts = networkHosts
        return { network, url in PostURL.key(url, network: network, hosts: hosts[network] ?? []) }
    }

    /// The hosts of `network`'s posts and replies; empty when the profile names none (any host goes).
    public func hosts(of network: String) -> [String] { networkHosts[network] ?? [] }

    public init(
        name: String, route: Term, reply: Term, draftBeforeReply: Term, review: Term, rework: Term, publish: Term,
        finalDraftWorkingDays: Int, finalDraftSchedule: String, networks: [String], warningFractions: [Double],
        warningMinutesBeforeDue: [Int]
    ) {
        self.name = name
        self.route = route
        self.reply = reply
        self.draftBeforeReply = draftBeforeReply
        self.review = review
        self.rework = rework
        self.publish = publish
        self.finalDraftWorkingDays = finalDraftWorkingDays
        self.finalDraftSchedule = finalDraftSchedule
        self.networks = networks
        self.warningFractions = warningFractions
        self.warningMinutesBeforeDue = warningMinutesBeforeDue
    }

    /// Every schedule name the profile counts in.
    public var scheduleNames: Set<String> {
        var names = Set(ClockKind.allCases.map { term($0).schedule })
        if let limit = clarificationLimit { names.insert(limit.schedule) }
        return names
    }

    // MARK: File

    private struct File: Codable {
        struct Term: Codable {
            var minutes: Int
            var minutes_high: Int?
            var schedule: String
        }

        struct FinalDraft: Codable {
            var working_days: Int
            var schedule: String
        }

        struct Warnings: Codable {
            var fractions: [Double]
            var minutes_before_due: [Int]
        }

        var name: String
        var route: Term
        var reply: Term
        var draft_before_reply: Term
        var review: Term
        var rework: Term
        var publish: Term
        var final_draft: FinalDraft
        var networks: [String]
        var warnings: Warnings
        var rejection_markers: [String: [String]]?
        var network_hosts: [String: [String]]?
        var clarification_limit: Term?
        var max_fact_age_days: Int?
        var repeat_window_days: Int?
        var evidence_rules: [EvidenceRuleFile]?
        var published_by_connector: [String]?
        var reply_quality: ReplyQualityFile?

        struct ReplyQualityFile: Codable {
            var refuse: [String]?
            var min_content_words: Int?
            var min_post_stems: Int?
            var term_words: [String]?
            var time_units: [String]?
            var term_leads: [String]?
            var citation_words: [String]?
            var measure_words: [String]?
            var undone_words: [String]?
            var stock_phrases: [String]?
            var law_phrases: [String]?
            var stop_words: [String]?
        }

        struct EvidenceRuleFile: Codable {
            var topics: [String]
            var draft_kinds: [String]
            var when_measures: Bool?
        }
    }

    /// The profile as its file spells it (keys sorted, so the text is stable; the p.20 markers as they
    /// are compared, `Hints.markerForm`): what `otklik profile
    /// show` prints, and a file `decode` reads back as this profile.
    public func fileJSON() -> String {
        func term(_ t: Term) -> File.Term {
            File.Term(minutes: t.minutes, minutes_high: t.minutesHigh, schedule: t.schedule)
        }
        let file = File(
            name: name, route: term(route), reply: term(reply), draft_before_reply: term(draftBeforeReply),
            review: term(review), rework: term(rework), publish: term(publish),
            final_draft: File.FinalDraft(working_days: finalDraftWorkingDays, schedule: finalDraftSchedule),
            networks: networks,
            warnings: File.Warnings(fractions: warningFractions, minutes_before_due: warningMinutesBeforeDue),
            rejection_markers: Dictionary(uniqueKeysWithValues: rejectionMarkers.map { ($0.key.rawValue, $0.value) }),
            network_hosts: networkHosts, clarification_limit: clarificationLimit.map(term),
            max_fact_age_days: maxFactAgeDays, repeat_window_days: repeatWindowDays,
            evidence_rules: evidenceRules.map { rule in
                File.EvidenceRuleFile(
                    topics: rule.topics,
                    draft_kinds: DraftKind.allCases.filter(rule.draftKinds.contains).map(\.rawValue),
                    when_measures: rule.whenMeasures)
            }, published_by_connector: publishedByConnector,
            reply_quality: replyQuality.map { q in
                File.ReplyQualityFile(
                    refuse: QualityRule.allCases.filter(q.refuse.contains).map(\.rawValue),
                    min_content_words: q.minContentWords, min_post_stems: q.minPostStems, term_words: q.termWords,
                    time_units: q.timeUnits, term_leads: q.termLeads, citation_words: q.citationWords,
                    measure_words: q.measureWords, undone_words: q.undoneWords, stock_phrases: q.stockPhrases,
                    law_phrases: q.lawPhrases, stop_words: q.stopWords)
            })
        return JSONText.string(file)
    }

    public static func decode(_ data: Data) throws(CalendarError) -> RegulationProfile {
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw .invalid("not a regulation profile: \(error)")
        }
        func term(_ t: File.Term, _ what: String) throws(CalendarError) -> Term {
            guard t.minutes > 0, (t.minutes_high ?? 1) > 0, !t.schedule.isEmpty else {
                throw .invalid("\(what): terms are positive minutes in a named schedule")
            }
            return Term(minutes: t.minutes, minutesHigh: t.minutes_high, schedule: t.schedule)
        }
        // p.11-p.12: the draft's lead is counted back from the reply's due, which a pause moves by the reply's
        // working time; in one schedule the draft's due moves as much, so a paused draft clock's lateness
        // stands still (ReportFacts relies on it).
        guard file.draft_before_reply.schedule == file.reply.schedule else {
            throw .invalid(
                "draft_before_reply counts back from the reply's due: its schedule is the reply's (\(file.reply.schedule))"
            )
        }
        guard file.final_draft.working_days > 0, !file.networks.isEmpty,
            file.warnings.fractions.allSatisfy({ $0 > 0 && $0 < 1 }),
            file.warnings.minutes_before_due.allSatisfy({ $0 > 0 })
        else {
            throw .invalid("the profile's final draft days, networks or warning points are out of range")
        }
        var markers: [RejectionReason: [String]] = [:]
        for (key, words) in file.rejection_markers ?? [:] {
            guard let reason = RejectionReason(rawValue: key) else {
                throw .invalid("rejection_markers: \"\(key)\" is not a rejection reason")
            }
            markers[reason] = words
        }
        var profile = RegulationProfile(
            name: file.name, route: try term(file.route, "route"), reply: try term(file.reply, "reply"),
            draftBeforeReply: try term(file.draft_before_reply, "draft_before_reply"),
            review: try term(file.review, "review"),
            rework: try term(file.rework, "rework"), publish: try term(file.publish, "publish"),
            finalDraftWorkingDays: file.final_draft.working_days, finalDraftSchedule: file.final_draft.schedule,
            networks: file.networks, warningFractions: file.warnings.fractions,
            warningMinutesBeforeDue: file.warnings.minutes_before_due)
        profile.rejectionMarkers = markers
        if let hosts = file.network_hosts {
            guard hosts.values.allSatisfy({ !$0.isEmpty && $0.allSatisfy { !$0.isEmpty && !$0.contains("/") } }) else {
                throw .invalid("network_hosts: each network lists host names")
            }
            profile.networkHosts = hosts.mapValues { $0.map { $0.lowercased() } }
        }
        if let limit = file.clarification_limit { profile.clarificationLimit = try term(limit, "clarification_limit") }
        if let days = file.max_fact_age_days {
            guard (1...3660).contains(days) else { throw .invalid("max_fact_age_days is 1 to 3660") }
            profile.maxFactAgeDays = days
        }
        if let days = file.repeat_window_days {
            guard (1...3660).contains(days) else { throw .invalid("repeat_window_days is 1 to 3660") }
            profile.repeatWindowDays = days
        }
        for rule in file.evidence_rules ?? [] {
            let kinds = rule.draft_kinds.compactMap(DraftKind.init(rawValue:))
            guard !rule.topics.isEmpty, rule.topics.allSatisfy({ !$0.trimmingWhitespace.isEmpty }), !kinds.isEmpty,
                kinds.count == rule.draft_kinds.count
            else {
                throw .invalid(
                    "evidence_rules: each rule names topics and draft kinds (\(DraftKind.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            profile.evidenceRules.append(
                EvidenceRule(
                    topics: rule.topics.map(\.trimmingWhitespace), draftKinds: Set(kinds),
                    whenMeasures: rule.when_measures ?? true))
        }
        for network in file.published_by_connector ?? [] {
            guard file.networks.contains(network), NetworkConnector(network: network) != nil else {
                throw .invalid(
                    "published_by_connector: \"\(network)\" is not one of the profile's networks with a connector ("
                        + NetworkConnector.allCases.map(\.network).joined(separator: ", ") + ")")
            }
            profile.publishedByConnector.append(network)
        }
        if let file = file.reply_quality { profile.replyQuality = try replyQuality(file) }
        return profile
    }

    private static func replyQuality(_ file: File.ReplyQualityFile) throws(CalendarError) -> ReplyQuality {
        var q = ReplyQuality()
        for word in file.refuse ?? [] {
            guard let rule = QualityRule(rawValue: word) else {
                throw .invalid(
                    "reply_quality.refuse: \"\(word)\" is not a quality rule ("
                        + QualityRule.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            q.refuse.insert(rule)
        }
        q.minContentWords = file.min_content_words ?? q.minContentWords
        q.minPostStems = file.min_post_stems ?? q.minPostStems
        guard (0...20).contains(q.minContentWords), (1...20).contains(q.minPostStems) else {
            throw .invalid("reply_quality: min_content_words is 0 to 20, min_post_stems 1 to 20")
        }
        // A list left out is empty: that rule's words are not looked for.
        let lists: [(String, [String])] = [
            ("term_words", file.term_words ?? []), ("time_units", file.time_units ?? []),
            ("term_leads", file.term_leads ?? []), ("citation_words", file.citation_words ?? []),
            ("measure_words", file.measure_words ?? []), ("undone_words", file.undone_words ?? []),
            ("stock_phrases", file.stock_phrases ?? []), ("law_phrases", file.law_phrases ?? []),
            ("stop_words", file.stop_words ?? []),
        ]
        for (name, list) in lists {
            guard list.count <= 2000,
                list.allSatisfy({ entry in
                    let words = entry.split(separator: " ")
                    return !words.isEmpty && words.count <= 8 && entry.count <= 200 && words.allSatisfy { $0 != "*" }
                })
            else {
                throw .invalid(
                    "reply_quality.\(name): each entry is one to eight words, a word ending in * a beginning")
            }
        }
        q.termWords = file.term_words ?? []
        q.timeUnits = file.time_units ?? []
        q.termLeads = file.term_leads ?? []
        q.citationWords = file.citation_words ?? []
        q.measureWords = file.measure_words ?? []
        q.undoneWords = file.undone_words ?? []
        q.stockPhrases = file.stock_phrases ?? []
        q.lawPhrases = file.law_phrases ?? []
        q.stopWords = file.stop_words ?? []
        return q
    }
}
