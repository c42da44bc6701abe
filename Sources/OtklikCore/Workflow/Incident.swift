/// Issue 31: an incident, many messages about one problem answered once. The curator groups cases into
/// it; it has a title, topics and one routing. Each case stays a case of its own (p.8: every message
/// has its own terms from its own detection), and every step the incident takes is recorded on each
/// case it touches: routing it routes each case, its unit's draft is submitted on each case's
/// assignment of that unit, the curator's approval or return decides each, and each reply is published
/// on its own post with its own URL.
public struct Incident: Sendable, Codable, Equatable {
    /// One unit of the routing, with the topics its assignments get (p.7).
    public struct Route: Sendable, Codable, Equatable {
        public var unit: String
        public var topics: [String]

        public init(unit: String, topics: [String]) {
            self.unit = unit
            self.topics = topics
        }
    }

    public var id: Int
    public var title: String
    public var topics: [String]
    /// The units it is routed to, in order; empty until the curator routes it.
    public var routing: [Route]
    public var createdAt: Instant
    public var createdBy: String
    /// Every step of the incident moves it on: two steps decided on the same incident at once cannot
    /// both be written (the second is ABORTED), so a case added meanwhile never misses a draft.
    public var version: Int

    public init(
        id: Int, title: String, topics: [String], routing: [Route] = [], createdAt: Instant, createdBy: String,
        version: Int = 1
    ) {
        self.id = id
        self.title = title
        self.topics = topics
        self.routing = routing
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.version = version
    }

    enum CodingKeys: String, CodingKey {
        case id, title, topics, routing, version
        case createdAt = "created_at"
        case createdBy = "created_by"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(Int.self, forKey: .id), title: try c.decode(String.self, forKey: .title),
            topics: try c.decode([String].self, forKey: .topics), routing: try c.decode([Route].self, forKey: .routing),
            createdAt: try c.decode(Instant.self, forKey: .createdAt),
            createdBy: try c.decode(String.self, forKey: .createdBy),
            version: try c.decodeIfPresent(Int.self, forKey: .version) ?? 1)
    }

    /// The longest title.
    public static let maxTitle = 200
    /// The most cases an incident holds, and one call names (a snowstorm's posts come in hundreds a
    /// day; an incident's answer stays well within one frame).
    public static let maxCases = 500

    /// The title as stored, or why not.
    public static func checkedTitle(_ title: String) throws(WorkflowError) -> String {
        let cleaned = title.trimmingWhitespace
        guard !cleaned.isEmpty else {
            throw WorkflowError(.invalidArgument, Refusals.Incidents.incidentTitleRequired())
        }
        guard cleaned.count <= maxTitle else {
            throw WorkflowError(.invalidArgument, Refusals.Incidents.incidentTitleTooLong(["max": String(maxTitle)]))
        }
        return cleaned
    }

    /// The topics as stored (each checked as a case's), or why not.
    public static func checkedTopics(_ topics: [String]) throws(WorkflowError) -> [String] {
        try Workflow.cleanTopics(topics)
    }

    /// The routing as the curator gave it (the executors in order, each with its topics, the incident's
    /// own when none are named), or why not.
    public func routing(executors: [String], topics: [String: [String]]) throws(WorkflowError) -> [Route] {
        guard !executors.isEmpty else { throw WorkflowError(.invalidArgument, Refusals.Workflow.noExecutor()) }
        guard Set(executors).count == executors.count else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.executorTwice())
        }
        for unit in topics.keys where !executors.contains(unit) {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.topicsForOtherUnit(["unit": unit]))
        }
        var routes: [Route] = []
        for unit in executors {
            try Workflow.checkUnitName(unit)
            let own = try Workflow.cleanTopics(topics[unit] ?? self.topics)
            guard !own.isEmpty else {
                throw WorkflowError(.invalidArgument, Refusals.Workflow.assignmentTopicsRequired(["unit": unit]))
            }
            routes.append(Route(unit: unit, topics: own))
        }
        return routes
    }

    /// The steps that bring `state` to this incident's routing: a new case is routed; a routed case's
    /// live assignments of units the routing no longer names move to the units it newly names (a
    /// reroute, the case's term kept), further new units join (another executor) and units left over
    /// are cancelled, each with `reason`. A closed case takes none.
    public func routingSteps(for state: CaseState, reason: String) -> [CaseCommand] {
        guard !routing.isEmpty else { return [] }
        switch state.status {
        case .new:
            return [
                .route(
                    executors: routing.map(\.unit),
                    topics: Dictionary(routing.map { ($0.unit, $0.topics) }, uniquingKeysWith: { $1 }),
                    importance: nil)
            ]
        case .routed:
            // A unit that answered already still holds its assignment: it is neither joining nor moved.
            let units = Set(routing.map(\.unit))
            let leaving = state.assignments.filter { $0.isLive && !$0.isClosed && !units.contains($0.executor) }
            var joining = routing.filter { route in
                !state.assignments.contains { $0.isLive && $0.executor == route.unit }
            }
            var steps: [CaseCommand] = []
            for assignment in leaving {
                if !joining.isEmpty {
                    let route = joining.removeFirst()
                    steps.append(
                        .reroute(assignment: assignment.index, to: route.unit, topics: route.topics, reason: reason))
                } else {
                    steps.append(.cancelAssignment(assignment.index, reason: reason))
                }
            }
            for route in joining { steps.append(.addExecutor(route.unit, topics: route.topics, reason: reason)) }
            return steps
        case .done, .rejected, .withdrawn:
            return []
        }
    }

    /// The placeholders an incident's draft may name its author by; each case's reply says its own author.
    public static let authorPlaceholders = ["{author}", "{автор}"]

    /// The draft as written on the case `origin`, made a template for every case of the incident: its
    /// author's name (as whole words, three letters or more) becomes `{author}`.
    public static func template(_ text: String, writtenFor origin: CaseState) -> String {
        let name = origin.author.trimmingWhitespace
        guard name.count >= 3 else { return text }
        return replacingWholeWords(name, in: text, with: authorPlaceholders[0])
    }

    /// The template as it goes to `member`: every placeholder its own author.
    public static func fill(_ template: String, for member: CaseState) -> String {
        var result = template
        for placeholder in authorPlaceholders { result = result.replacing(placeholder, with: member.author) }
        return result
    }

    /// The incident's draft written on `origin` as it goes to `member`.
    public static func text(_ text: String, writtenFor origin: CaseState, for member: CaseState) -> String {
        fill(template(text, writtenFor: origin), for: member)
    }

    /// `text` with every occurrence of `word` that stands as whole words (no letter or digit on either
    /// side) replaced by `replacement`: "Анна" is replaced in "Анна, здравствуйте", not in "Аннинская".
    static func replacingWholeWords(_ word: String, in text: String, with replacement: String) -> String {
        var result = ""
        var rest = text[...]
        let isWordCharacter = { (c: Character?) in c.map { $0.isLetter || $0.isNumber } ?? false }
        while let range = rest.firstRange(of: word) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            result += rest[..<range.lowerBound]
            result += isWordCharacter(before) || isWordCharacter(after) ? String(rest[range]) : replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// The latest draft of `unit` written for incident `id` on any of `members` and not returned: the one
    /// a case joining the incident gets at once (submitted, or approved when the curator approved it).
    public static func latestDraft(of unit: String, incident id: Int, among members: [CaseState])
        -> (draft: Draft, caseState: CaseState)?
    {
        var latest: (draft: Draft, caseState: CaseState)?
        for member in members {
            for assignment in member.assignments where assignment.isLive && assignment.executor == unit {
                guard let draft = assignment.drafts.last, draft.incident == id, draft.status != .returned else {
                    continue
                }
                if latest.map({ draft.submittedAt > $0.draft.submittedAt }) ?? true { latest = (draft, member) }
            }
        }
        return latest
    }
}
