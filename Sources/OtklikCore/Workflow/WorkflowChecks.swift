/// What every step checks of what people enter: unit names, URLs, times, texts, topics, logins.
extension Workflow {
    static func checkUnitName(_ unit: String) throws(WorkflowError) {
        guard isName(unit) else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.notAUnitName(["unit": unit]))
        }
    }

    /// A post's URL must be on its network's hosts (p.3; `network_hosts` in the profile).
    static func checkPostURL(_ url: String, network: String, context: WorkflowContext) throws(WorkflowError) {
        let hosts = context.profile.hosts(of: network)
        guard hosts.isEmpty || PostURL.isOn(url, hosts: hosts) else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.postURLHost([
                    "network": network, "hosts": hosts.joined(separator: ", "), "host": PostURL.host(url) ?? url,
                ]))
        }
    }

    /// A time a person typed: not in the future, within the years the production calendar covers,
    /// and not more than the profile's `max_fact_age_days` ago unless confirmed (`allowOld`).
    static func checkEnteredTime(
        _ instant: Instant, _ what: String, allowOld: Bool, now: Instant, context: WorkflowContext
    )
        throws(WorkflowError)
    {
        guard instant <= now else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.timeInFuture(["field": what]))
        }
        let calendar = context.calendar(.route)
        let covered = calendar.calendar.coveredYears
        let year = (try? calendar.localDate(of: instant).year) ?? 0
        guard covered.contains(year) else {
            let span = covered.isEmpty ? "none" : "\(covered.first!)-\(covered.last!)"
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.yearNotCovered(["field": what, "year": String(year), "covered": span]))
        }
        let days = Int64(context.profile.maxFactAgeDays)
        guard allowOld || now.seconds(since: instant) <= days * 86_400 else {
            throw WorkflowError(
                .invalidArgument,
                Refusals.Workflow.tooOld([
                    "field": what, "days": String(now.seconds(since: instant) / 86_400), "max_days": String(days),
                ]))
        }
    }

    /// A time given from outside may not lie in the future or before the step it follows.
    static func checkFact(_ at: Instant, notBefore: Instant, _ what: String, _ previous: String, now: Instant)
        throws(WorkflowError)
    {
        guard at <= now else { throw WorkflowError(.invalidArgument, Refusals.Workflow.timeInFuture(["field": what])) }
        guard at >= notBefore else {
            throw WorkflowError(
                .invalidArgument, Refusals.Workflow.beforePrevious(["field": what, "previous_field": previous]))
        }
    }

    static func requiredText(_ text: String, _ name: String) throws(WorkflowError) -> String {
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else {
            throw WorkflowError(.invalidArgument, Refusals.Workflow.emptyText(["field": name]))
        }
        return trimmed
    }

    static func optionalText(_ text: String, _ name: String) throws(WorkflowError) -> String? {
        text.trimmingWhitespace.isEmpty ? nil : try requiredText(text, name)
    }

    static func cleanTopics(_ topics: [String]) throws(WorkflowError) -> [String] {
        var result: [String] = []
        for topic in topics.map(\.trimmingWhitespace) where !topic.isEmpty && !result.contains(topic) {
            guard topic.count <= 100 else {
                throw WorkflowError(
                    .invalidArgument, Refusals.Workflow.topicTooLong(["topic": String(topic.prefix(20))]))
            }
            result.append(topic)
        }
        return result
    }

    /// A staff login: letters, digits, '.', '-', '_'.
    public static func isLogin(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64
            && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." }
    }

    static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
    }
}

extension String {
    /// Without the leading and trailing whitespace characters (`Character.isWhitespace`: spaces, tabs,
    /// line breaks, NBSP and the like). Looks only at the ends and copies the rest at once: a post's text
    /// is checked on every registration, and rebuilding it a character at a time through two reversals
    /// took 8 % of an import's CPU.
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
