import OtklikAPI
import OtklikCore
import OtklikDesk
import Testing

/// The catalogue: every word of the contract a person reads has English and Russian, and no Russian
/// phrase carries a wire word.
@Suite struct CatalogueTests {
    /// Every value of every closed set people read, by the wire word it stands for.
    static let spoken: [(wire: String, phrase: Phrase)] = {
        func all<E: WireEnum & Spoken>(_: E.Type) -> [(String, Phrase)] {
            E.known.filter { $0.rawValue != 0 }.map { ($0.name, $0.phrase) }
        }
        return all(Wire.CaseState.self) + all(Wire.AssignmentState.self) + all(Wire.Importance.self)
            + all(Wire.ClockKind.self) + all(Wire.ClockState.self) + all(Wire.DraftKind.self)
            + all(Wire.DraftState.self) + all(Wire.ReturnReason.self) + all(Wire.RejectionReason.self)
            + all(Wire.QualityRule.self) + all(Wire.RiskReason.self)
            + all(Wire.Role.self) + all(Wire.UnitKind.self) + all(Wire.DayKind.self) + all(Wire.EventKind.self)
            + all(Wire.StepKind.self) + all(Wire.PublicationFailureKind.self) + all(Wire.ConnectorState.self)
            + all(Wire.MessageDeleter.self)
            + Weekday.allCases.map { ($0.shortName, $0.phrase) }
            + CorrectableField.allCases.map { ($0.rawValue, $0.phrase) }
            + NetworkNames.phrases.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }()

    @Test func everyWordHasBothLanguagesAndRussianIsRussian() {
        for (wire, phrase) in Self.spoken {
            #expect(!phrase.english.isEmpty, "\(wire) has no English")
            #expect(
                phrase.russian.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) },
                "\(wire): \(phrase.russian) is not Russian")
            #expect(RussianLines.wireWords(in: phrase.russian).isEmpty, "\(wire): \(phrase.russian)")
        }
    }

    @Test func aNetworkIsKnownByItsCodeEitherNameOrAnAlias() {
        #expect(NetworkNames.code(of: "vk") == "vk")
        #expect(NetworkNames.code(of: "  ВКонтакте ") == "vk")
        #expect(NetworkNames.code(of: "В контакте") == "vk")
        #expect(NetworkNames.code(of: "ТЕЛЕГРАМ") == "tg")
        #expect(NetworkNames.code(of: "одноклассники") == "ok")
        #expect(NetworkNames.code(of: "myspace") == nil)
        #expect(NetworkNames.code(of: "") == nil)
        for (code, phrase) in NetworkNames.phrases {
            for name in [code, phrase.english, phrase.russian, phrase.russian.uppercased()] {
                #expect(NetworkNames.code(of: name) == code, "\(name)")
            }
        }
    }

    @Test func theLanguageFollowsPOSIXPrecedence() {
        #expect(Language.of(["LANG": "ru_RU.UTF-8"]) == .russian)
        #expect(Language.of(["LANG": "ru_RU.UTF-8", "LC_MESSAGES": "C"]) == .english)
        #expect(Language.of(["LANG": "C", "LC_MESSAGES": "ru_RU.UTF-8"]) == .russian)
        #expect(Language.of(["LC_ALL": "ru_RU.UTF-8", "LC_MESSAGES": "C", "LANG": "C"]) == .russian)
        #expect(Language.of(["LC_ALL": "", "LANG": "ru_RU.UTF-8"]) == .russian)
        #expect(Language.of([:]) == .english)
    }

    @Test func theWireWordCheckFindsWhatItLooksFor() {
        #expect(RussianLines.wireWords(in: "Состояние  routed") == ["routed"])
        #expect(RussianLines.wireWords(in: "срок in_review, high") == ["in_review", "high"])
        #expect(RussianLines.wireWords(in: "case.registered root") == ["case.registered"])
        #expect(RussianLines.wireWords(in: "https://vk.com/wall-1_2 Новое дело 2026-000001/1").isEmpty)
        #expect(RussianLines.wireWords(in: "График «executor», команда `otklik draft show`").isEmpty)
        #expect(RussianLines.wireWords(in: "«executor» и executor") == ["executor"])
    }
}
