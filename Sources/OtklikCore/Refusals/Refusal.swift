/// A refusal of the daemon's that people read: a stable machine reason (scripts branch on it; the
/// list is docs/PROTOCOL.md's "Reasons"), the sentence in English and in Russian with `{name}`
/// placeholders, and, when raised, the arguments that fill them. The daemon sends the English
/// sentence as the status message and the reason with its arguments as a detail
/// (`otklik.v1.ErrorInfo`); the CLI renders the sentence in the reader's language.
///
/// Arguments whose names say they hold words of the contract (`state`, `assignment_state`,
/// `draft_kind`, `roles`, `allowed_roles`, `kinds`, `clock`) carry the wire words; a reader's side
/// speaks them (OtklikDesk's catalogue).
public struct Refusal: Sendable, Hashable {
    public let reason: String
    public let english: String
    public let russian: String

    public init(_ reason: String, _ english: String, _ russian: String) {
        self.reason = reason
        self.english = english
        self.russian = russian
    }

    /// This refusal with its arguments.
    public func callAsFunction(_ arguments: KeyValuePairs<String, String> = [:]) -> Refused {
        Refused(self, Dictionary(arguments.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }))
    }

    /// The placeholders of a template, in order of appearance.
    public static func placeholders(_ template: String) -> [String] {
        var names: [String] = []
        var current: String?
        for character in template {
            switch character {
            case "{": current = ""
            case "}":
                if let name = current, !name.isEmpty { names.append(name) }
                current = nil
            default: current?.append(character)  // any other character: part of the name
            }
        }
        return names
    }

    /// `template` with each `{name}` replaced by `arguments[name]` (by `spoken(name, value)` when
    /// given), an unknown name left as it is.
    public static func fill(
        _ template: String, _ arguments: [String: String], spoken: (String, String) -> String = { $1 }
    ) -> String {
        var out = ""
        var current: String?
        for character in template {
            if let name = current {
                if character == "}" {
                    out += arguments[name].map { spoken(name, $0) } ?? "{\(name)}"
                    current = nil
                } else {
                    current?.append(character)
                }
            } else if character == "{" {
                current = ""
            } else {
                out.append(character)
            }
        }
        if let current { out += "{" + current }
        return out
    }
}

/// A refusal raised with its arguments.
public struct Refused: Error, Sendable, Equatable, CustomStringConvertible {
    public let refusal: Refusal
    public let arguments: [String: String]

    public init(_ refusal: Refusal, _ arguments: [String: String]) {
        self.refusal = refusal
        self.arguments = arguments
    }

    public var reason: String { refusal.reason }
    /// The English sentence: the status message.
    public var message: String { Refusal.fill(refusal.english, arguments, spoken: Refused.englishArgument) }
    public var description: String { message }
}

extension Refusal {
    /// This refusal of an assignment in its state: `{assignment}` and `{assignment_state}`.
    public func callAsFunction(of state: CaseState, _ assignment: AssignmentState) -> Refused {
        self(["assignment": state.assignmentID(assignment.index), "assignment_state": assignment.status.rawValue])
    }
}
