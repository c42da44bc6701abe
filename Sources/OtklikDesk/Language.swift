import Foundation

/// Human-facing text speaks Russian when the locale for messages is Russian, English otherwise. The
/// locale is the first of LC_ALL, LC_MESSAGES and LANG that is set and not empty, as POSIX says.
/// Every string a person reads goes through `text(_:_:)` or the catalogue (`Catalogue/`).
public enum Language: Sendable {
    case english, russian

    public static let current: Language = of(ProcessInfo.processInfo.environment)

    /// The language an environment asks for (LC_ALL, then LC_MESSAGES, then LANG).
    public static func of(_ environment: [String: String]) -> Language {
        let locale =
            ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        return locale.hasPrefix("ru") ? .russian : .english
    }

    public static func text(_ english: String, _ russian: String) -> String {
        current == .russian ? russian : english
    }
}

/// A phrase of the catalogue in both languages.
public struct Phrase: Sendable, Equatable {
    public let english: String
    public let russian: String

    public init(_ english: String, _ russian: String) {
        self.english = english
        self.russian = russian
    }

    public func text(in language: Language = .current) -> String {
        language == .russian ? russian : english
    }
}

/// A closed-set value of the contract that people read as a word of their language, never as the
/// wire word (`routed`, `in_review`).
public protocol Spoken {
    var phrase: Phrase { get }
}

extension Spoken {
    /// The word in the reader's language.
    public var spoken: String { phrase.text() }
}
