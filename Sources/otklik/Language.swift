import Foundation

/// Human-facing text speaks Russian when the locale is Russian (LC_ALL, else LANG, starts with
/// "ru"), English otherwise. Every string a person reads goes through `text(_:_:)`.
enum Language {
    case english, russian

    static let current: Language = {
        let environment = ProcessInfo.processInfo.environment
        let locale = [environment["LC_ALL"], environment["LANG"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        return locale.hasPrefix("ru") ? .russian : .english
    }()

    static func text(_ english: String, _ russian: String) -> String {
        current == .russian ? russian : english
    }
}
