import Foundation
import OtklikCore
import OtklikDesk
import OtklikRPC
import Testing

/// The daemon's refusals as people read them, for the Python helpers (the desk shows them next to the
/// field they concern): `clients/python/otklik_client/_refusals.py` is generated here from the catalogue
/// (`Refusals.all`), the words `RefusalText` speaks their arguments with and the commands that make each
/// call (`CallNames`), so a refusal reads the same
/// in the CLI and in the browser. The test fails when the committed file is stale;
/// `OTKLIK_WRITE_GENERATED=1` rewrites it.
@Suite struct RefusalPythonTests {
    static func dictionary(_ name: String, _ table: [String: String]) -> String {
        let rows = table.keys.sorted().map {
            "    \(SpokenPythonTests.python($0)): \(SpokenPythonTests.python(table[$0]!)),"
        }
        return "\(name) = {\n" + rows.joined(separator: "\n") + "\n}\n"
    }

    static var generated: String {
        let codes = StatusCode.allCases.filter { $0 != .ok }.map { code in
            "    \(code.rawValue): (\(SpokenPythonTests.python(RefusalText.byCode(code, in: .english))), "
                + "\(SpokenPythonTests.python(RefusalText.byCode(code, in: .russian)))),"
        }
        let refusals = Refusals.all.sorted { $0.reason < $1.reason }.map { refusal in
            "    \(SpokenPythonTests.python(refusal.reason)): (\(SpokenPythonTests.python(refusal.english)), "
                + "\(SpokenPythonTests.python(refusal.russian))),"
        }
        return """
            # Generated from the Swift catalogue (Sources/OtklikCore/Refusals, Sources/OtklikDesk/Catalogue/RefusalText.swift)
            # by Tests/OtklikDeskTests/RefusalPythonTests.swift; do not edit. OTKLIK_WRITE_GENERATED=1 swift test
            # --filter RefusalPythonTests rewrites it.
            \"\"\"The daemon's refusals as people read them: REFUSALS[reason] = (English, Russian) with {name}
            placeholders, and the Russian words their arguments are spoken with (errors.RPCError.sentence).\"\"\"

            REFUSALS = {
            \(refusals.joined(separator: "\n"))
            }

            # What a status code means for the reader when no reason came with it (RefusalText.byCode).
            BY_CODE = {
            \(codes.joined(separator: "\n"))
            }


            """
                + [
                    dictionary("FIELDS", RefusalText.fields), dictionary("ACTIONS", RefusalText.actions),
                    dictionary("FILE_KINDS", RefusalText.fileKinds), dictionary("PARTIES", RefusalText.parties),
                    dictionary("INSTRUMENTAL", RefusalText.instrumental),
                    dictionary("COMMANDS", CallNames.commands),
                ].joined(separator: "\n\n")
    }

    @Test func thePythonRefusalsAreTheCataloguesOwn() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("clients/python/otklik_client/_refusals.py").path
        if ProcessInfo.processInfo.environment["OTKLIK_WRITE_GENERATED"] == "1" {
            try Self.generated.write(toFile: path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            committed == Self.generated,
            "clients/python/otklik_client/_refusals.py is stale: OTKLIK_WRITE_GENERATED=1 swift test --filter RefusalPythonTests"
        )
    }
}
