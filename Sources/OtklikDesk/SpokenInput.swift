public import OtklikAPI
import Foundation
import OtklikBase

/// A closed set's value as people type it in an option: the wire word (`routed`), or the words a table
/// shows in either language (`новое`, `направлено исполнителям`), in any form (`--reason угроза` for
/// "угрозы", Snowball's stems) or by their first words and beginnings (`--state направлено`, `нов`).
/// Case and `ё` aside. Ambiguous text names every value it could mean.
public enum SpokenInput {
    public enum Match<Value> {
        case one(Value)
        case none
        case several([Value])
    }

    /// The value of `values` that `text` names: one of its `names` or `phrases` whole, else the first
    /// words of one of its `phrases`, each word in any form (its stem) or by its beginning (three letters
    /// or more).
    public static func match<Value>(
        _ text: String, among values: [Value], names: (Value) -> [String], phrases: (Value) -> [String]
    ) -> Match<Value> {
        let typed = words(text)
        guard !typed.isEmpty else { return .none }
        // A whole name, as written or as the table shows it, wins outright.
        let exact = values.filter { value in (names(value) + phrases(value)).contains { words($0) == typed } }
        if exact.count == 1 { return .one(exact[0]) }
        let stems = Stemmer.russian(typed)
        let found = values.filter { value in
            phrases(value).contains { phrase in
                let said = words(phrase)
                guard said.count >= typed.count else { return false }
                let saidStems = Stemmer.russian(said)
                return typed.indices.allSatisfy { i in
                    saidStems[i] == stems[i] || (typed[i].count >= 3 && said[i].hasPrefix(typed[i]))
                }
            }
        }
        switch found.count {
        case 0: return .none
        case 1: return .one(found[0])
        default: return .several(found)  // two or more
        }
    }

    /// A closed set of the contract by its wire words and the words people read.
    public static func match<Value: WireEnum & Spoken>(_ text: String, among values: [Value]) -> Match<Value> {
        match(
            text, among: values, names: { [$0.name, $0.name.replacingOccurrences(of: "_", with: " ")] },
            phrases: { [$0.phrase.english, $0.phrase.russian] })
    }

    /// How a value is offered when a typed word was not one: the word people read, and the wire word
    /// beside it when they differ ("новое (new)").
    public static func offer<Value: WireEnum & Spoken>(_ value: Value) -> String {
        let said = value.spoken
        return said == value.name ? said : "\(said) (\(value.name))"
    }

    /// Lower-case words of letters and digits, `ё` as `е`: what a typed option word is compared as.
    public static func words(_ text: String) -> [String] {
        text.lowercased().replacingOccurrences(of: "ё", with: "е")
            .split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }
}
