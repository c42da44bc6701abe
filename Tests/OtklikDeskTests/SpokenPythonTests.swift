import Foundation
import OtklikAPI
import OtklikDesk
import Testing

/// One source for the words people read (issue 26, item 8): the Python client and the notifier read the
/// closed sets' words from `clients/python/otklik_client/_spoken.py`, generated here from this
/// catalogue. The test fails when the committed file is stale; `OTKLIK_WRITE_GENERATED=1` rewrites it.
@Suite struct SpokenPythonTests {
    static func table<Value: WireEnum & Spoken>(_ name: String, _ type: Value.Type) -> String {
        let rows = Value.known.filter { $0.rawValue != 0 }.map { value in
            "        \(python(value.name)): (\(python(value.phrase.english)), \(python(value.phrase.russian))),"
        }
        return "    \(python(name)): {\n" + rows.joined(separator: "\n") + "\n    },"
    }

    /// A Python string literal of `text` (the catalogue's words hold no backslash or control).
    static func python(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static var generated: String {
        let tables = [
            table("CaseState", Wire.CaseState.self), table("AssignmentState", Wire.AssignmentState.self),
            table("Importance", Wire.Importance.self), table("ClockKind", Wire.ClockKind.self),
            table("ClockState", Wire.ClockState.self), table("DraftKind", Wire.DraftKind.self),
            table("DraftState", Wire.DraftState.self), table("ReturnReason", Wire.ReturnReason.self),
            table("QualityRule", Wire.QualityRule.self), table("RiskReason", Wire.RiskReason.self),
            table("RejectionReason", Wire.RejectionReason.self), table("Role", Wire.Role.self),
            table("UnitKind", Wire.UnitKind.self), table("DayKind", Wire.DayKind.self),
            table("StepKind", Wire.StepKind.self), table("EventKind", Wire.EventKind.self),
            table("PublicationFailureKind", Wire.PublicationFailureKind.self),
            table("ConnectorState", Wire.ConnectorState.self), table("MessageDeleter", Wire.MessageDeleter.self),
        ]
        let networks = NetworkNames.phrases.keys.sorted().map { code in
            "    \(python(code)): (\(python(NetworkNames.phrases[code]!.english)), \(python(NetworkNames.phrases[code]!.russian))),"
        }
        return """
            # Generated from the Swift catalogue (Sources/OtklikDesk/Catalogue/Words.swift, Events.swift) by
            # Tests/OtklikDeskTests/SpokenPythonTests.swift; do not edit. OTKLIK_WRITE_GENERATED=1 swift test
            # --filter SpokenPythonTests rewrites it.
            \"\"\"The words people read for the contract's closed sets: SPOKEN[enum][word] = (English, Russian).\"\"\"

            SPOKEN = {
            \(tables.joined(separator: "\n"))
            }

            NETWORKS = {
            \(networks.joined(separator: "\n"))
            }

            """
    }

    @Test func thePythonWordsAreTheCataloguesOwn() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("clients/python/otklik_client/_spoken.py").path
        if ProcessInfo.processInfo.environment["OTKLIK_WRITE_GENERATED"] == "1" {
            try Self.generated.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            committed == Self.generated,
            "clients/python/otklik_client/_spoken.py is stale: OTKLIK_WRITE_GENERATED=1 swift test --filter SpokenPythonTests"
        )
    }
}
