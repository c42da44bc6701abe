import OtklikBase

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
    /// open assignments of units the routing no longer names move to the units it newly names (a
    /// reroute, the case's term kept), further new units join (another executor) and units left over are
    /// cancelled, each with `reason`. A closed case takes none; a unit that answered already, and an
    /// assignment that can no longer move (`kept`), stay as they are.
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
            let units = Set(routing.map(\.unit))
            let leaving = state.assignments.filter { $0.isLive && !$0.isClosed && !units.contains($0.executor) }
            var joining = routing.filter { route in
                !state.assignments.contains { $0.isLive && $0.executor == route.unit }
            }
            var moves: [CaseCommand] = []
            var cancels: [CaseCommand] = []
            for assignment in leaving {
                if Self.movable(assignment), !joining.isEmpty {
                    let route = joining.removeFirst()
                    moves.append(
                        .reroute(assignment: assignment.index, to: route.unit, topics: route.topics, reason: reason))
                } else if Self.cancellable(assignment) {
                    cancels.append(.cancelAssignment(assignment.index, reason: reason))
                }
            }
            // Units join before any is cancelled, so the case is never left without one.
            let adds = joining.map { CaseCommand.addExecutor($0.unit, topics: $0.topics, reason: reason) }
            return moves + adds + cancels
        case .done, .rejected, .withdrawn:
            return []
        }
    }

    /// The assignments of `state` this routing leaves where they are although it no longer names their
    /// unit: a reply of theirs went out, or their draft is approved (neither moved nor cancelled).
    public func kept(in state: CaseState) -> [AssignmentState] {
        guard state.status == .routed, !routing.isEmpty else { return [] }
        let units = Set(routing.map(\.unit))
        return state.assignments.filter {
            $0.isLive && !$0.isClosed && !units.contains($0.executor) && !Self.movable($0) && !Self.cancellable($0)
        }
    }

    /// A reroute keeps the message's term and takes an assignment no draft of which was approved.
    static func movable(_ a: AssignmentState) -> Bool {
        a.status == .drafting && !a.drafts.contains { $0.status == .approved || $0.status == .published }
    }

    /// A cancel takes an assignment no reply of which went out.
    static func cancellable(_ a: AssignmentState) -> Bool {
        a.replies.isEmpty && a.status != .noAnswer && a.status != .approved
    }

    /// The placeholders an incident's draft may name its author by; each case's reply says its own author.
    public static let authorPlaceholders = ["{author}", "{автор}"]

    /// The draft as written on the case `origin`, made a template for every case of the incident: its
    /// author's name (as whole words, in any letter case) becomes `{author}`.
    public static func template(_ text: String, writtenFor origin: CaseState) -> String {
        let name = words(origin.author).map { text[$0].lowercased() }
        guard !name.isEmpty, name.joined().count >= 3 else { return text }
        let tokens = words(text)
        var result = ""
        var copied = text.startIndex
        var i = 0
        while i + name.count <= tokens.count {
            let run = tokens[i..<i + name.count]
            let same = zip(run, name).allSatisfy { text[$0.0].lowercased() == $0.1 }
            // The name's words one after another, with nothing but spaces between them.
            let joined = zip(run.dropLast(), run.dropFirst()).allSatisfy { pair in
                text[pair.0.upperBound..<pair.1.lowerBound].allSatisfy(\.isWhitespace)
            }
            if same, joined {
                result += text[copied..<run.first!.lowerBound]
                result += authorPlaceholders[0]
                copied = run.last!.upperBound
                i += name.count
            } else {
                i += 1
            }
        }
        return result + text[copied...]
    }

    /// Words of the template's greeting (its opening, up to the first "!", "," or line break, at most six
    /// words) that are the origin's author's name in another form ("Анне" for "Анна Петрова"): each
    /// case's reply would greet another person by them. Compared by Russian stems, three letters or more.
    public static func greetingNames(_ template: String, writtenFor origin: CaseState) -> [String] {
        let nameStems = Set(
            Stemmer.russian(words(origin.author).map { origin.author[$0].lowercased() }.filter { $0.count >= 3 }))
        guard !nameStems.isEmpty else { return [] }
        var bare = template
        for placeholder in authorPlaceholders { bare = bare.replacing(placeholder, with: " ") }
        let opening = bare.prefix { $0 != "!" && $0 != "," && $0 != "\n" }
        let greeting = words(String(opening)).prefix(6).map { String(opening[$0]) }
        return greeting.filter { word in
            word.count >= 3 && Stemmer.russian([word.lowercased()]).first.map(nameStems.contains) == true
        }
    }

    /// The ranges of `text`'s words (runs of letters and digits).
    static func words<S: StringProtocol>(_ text: S) -> [Range<S.Index>] {
        var ranges: [Range<S.Index>] = []
        var start: S.Index?
        var index = text.startIndex
        while index < text.endIndex {
            let isWord = text[index].isLetter || text[index].isNumber
            if isWord, start == nil { start = index }
            if !isWord, let begun = start {
                ranges.append(begun..<index)
                start = nil
            }
            index = text.index(after: index)
        }
        if let begun = start { ranges.append(begun..<text.endIndex) }
        return ranges
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

    /// The latest submission of `unit` made for incident `id` on its open `members` and returned on none of
    /// them: the one a case joining the incident gets at once (submitted, or approved when the curator
    /// approved it).
    public static func latestDraft(of unit: String, incident id: Int, among members: [CaseState])
        -> (draft: Draft, caseState: CaseState)?
    {
        let open = members.filter { $0.status == .new || $0.status == .routed }
        var returned: Set<String> = []
        var latest: (draft: Draft, caseState: CaseState)?
        for member in open {
            for assignment in member.assignments where assignment.isLive && assignment.executor == unit {
                for draft in assignment.drafts where draft.status == .returned {
                    if let key = draft.incidentDraft { returned.insert(key) }
                }
                guard let draft = assignment.drafts.last, draft.incident == id, draft.status != .returned else {
                    continue
                }
                if latest.map({ draft.submittedAt > $0.draft.submittedAt }) ?? true { latest = (draft, member) }
            }
        }
        guard let latest, let key = latest.draft.incidentDraft, !returned.contains(key) else { return nil }
        return latest
    }
}
