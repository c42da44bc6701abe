import OtklikAPI
import OtklikCore

/// The check behind "Russian throughout": the wire words (the contract's closed sets, event kinds,
/// weekdays of schedules) a line meant for a Russian reader still carries. URLs, text in backticks
/// (commands to type) and names in «» (a schedule's, a unit's: data, quoted as Russian quotes
/// names) are not words.
public enum RussianLines {
    public static let wireWords: Set<String> = {
        func names<E: WireEnum>(_: E.Type) -> [String] { E.known.filter { $0.rawValue != 0 }.map(\.name) }
        var words = Set<String>()
        words.formUnion(names(Wire.CaseState.self))
        words.formUnion(names(Wire.AssignmentState.self))
        words.formUnion(names(Wire.Importance.self))
        words.formUnion(names(Wire.ClockKind.self))
        words.formUnion(names(Wire.ClockState.self))
        words.formUnion(names(Wire.DraftKind.self))
        words.formUnion(names(Wire.DraftState.self))
        words.formUnion(names(Wire.ReturnReason.self))
        words.formUnion(names(Wire.RejectionReason.self))
        words.formUnion(names(Wire.QualityRule.self))
        words.formUnion(names(Wire.RiskReason.self))
        words.formUnion(names(Wire.Role.self))
        words.formUnion(names(Wire.UnitKind.self))
        words.formUnion(names(Wire.DayKind.self))
        words.formUnion(names(Wire.StepKind.self))
        words.formUnion(EventKind.allCases.map(\.rawValue))
        words.formUnion(Weekday.allCases.map(\.shortName))
        words.formUnion(CorrectableField.allCases.map(\.rawValue))
        return words
    }()

    /// The wire words in `line`, in their order.
    public static func wireWords(in line: String) -> [String] {
        var found: [String] = []
        var token = ""
        var code = false
        var quoted = 0
        func flush() {
            var word = token
            while word.hasSuffix(".") { word.removeLast() }
            if !code, quoted == 0, !word.contains("/"), wireWords.contains(word) { found.append(word) }
            token = ""
        }
        for character in line {
            if character == "`" {
                flush()
                code.toggle()
            } else if character == "«" || character == "»" {
                flush()
                quoted = max(0, quoted + (character == "«" ? 1 : -1))
            } else if character.isASCII && (character.isLetter || character.isNumber || "_.-/:".contains(character)) {
                token.append(character)
            } else {
                flush()
            }
        }
        flush()
        return found
    }
}
