import Foundation
import OtklikCore
import Testing

/// The catalogue of refusals: every reason once, in both languages, with the same placeholders; every
/// one declared is listed (the CLI finds it), and the daemon raises no refusal outside it.
@Suite struct RefusalCatalogueTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    static func files(_ folder: String) throws -> [(name: String, text: String)] {
        let directory = sources.appendingPathComponent(folder)
        return try FileManager.default.subpathsOfDirectory(atPath: directory.path).filter {
            $0.hasSuffix(".swift") && !$0.hasPrefix("Generated")
        }.sorted().map { ($0, try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8)) }
    }

    @Test func everyReasonIsUniqueAndSpokenInBothLanguages() {
        var seen = Set<String>()
        for refusal in Refusals.all {
            #expect(seen.insert(refusal.reason).inserted, "\(refusal.reason) twice")
            #expect(
                refusal.reason.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") },
                "\(refusal.reason) is not snake_case")
            #expect(!refusal.english.isEmpty && !refusal.russian.isEmpty)
            #expect(
                refusal.russian.unicodeScalars.contains { (0x0400...0x04FF).contains($0.value) },
                "\(refusal.reason): the Russian is not Russian")
            // The Russian says nothing the English does not carry, and drops only a {detail}.
            let english = Set(Refusal.placeholders(refusal.english))
            let russian = Set(Refusal.placeholders(refusal.russian))
            #expect(russian.isSubset(of: english), "\(refusal.reason): \(russian.subtracting(english))")
            #expect(
                english.subtracting(russian).isSubset(of: ["detail"]),
                "\(refusal.reason): \(english.subtracting(russian))")
        }
    }

    @Test func everyDeclaredRefusalIsListed() throws {
        let declared = try Self.files("OtklikCore/Refusals").map { file in
            file.text.components(separatedBy: "= Refusal(").count - 1
        }.reduce(0, +)
        #expect(declared == Refusals.all.count)
        #expect(Refusals.named("version_conflict")?.english.contains("{current}") == true)
        #expect(Refusals.named("no_such_reason") == nil)
    }

    /// A refusal people read comes from the catalogue: the daemon's services and the contract's
    /// checks never raise a bare English sentence (the transport's few, below OtklikAPI, are said by
    /// their status code).
    @Test func theDaemonRaisesNoSentenceOutsideTheCatalogue() throws {
        func bare(_ pattern: String, in folders: [String]) throws {
            let regex = try NSRegularExpression(pattern: pattern)
            for folder in folders {
                for file in try Self.files(folder) {
                    let text = file.text as NSString
                    for match in regex.matches(in: file.text, range: NSRange(location: 0, length: text.length)) {
                        let line = text.substring(to: match.range.location).components(separatedBy: "\n").count
                        Issue.record("\(folder)/\(file.name):\(line): \(text.substring(with: match.range))")
                    }
                }
            }
        }
        // Across line breaks: `RPCError(\n .code,\n "sentence"` is caught too.
        try bare(#"RPCError\(\s*\.[a-zA-Z]+,\s*""#, in: ["OtklikServer", "OtklikAPI"])
        try bare(#"WorkflowError\(\s*\.[a-zA-Z]+,\s*""#, in: ["OtklikCore/Workflow"])
    }

    @Test func argumentsFillTheSentence() {
        let refused = Refusals.Cases.versionConflict(["case": "2026-000001", "current": "5", "expected": "4"])
        #expect(refused.message == "case 2026-000001 is at version 5, not 4: someone changed it; read it again")
        #expect(refused.reason == "version_conflict")
        // Fields are spoken in the English sentence too; an unknown placeholder stays visible.
        #expect(
            Refusals.Workflow.timeInFuture(["field": "detected_at"]).message == "the detection time lies in the future")
        #expect(Refusal.fill("{a} and {b}", ["a": "x"]) == "x and {b}")
        #expect(Refusal.fill("{a", ["a": "x"]) == "{a")
    }
}

/// docs/PROTOCOL.md lists every reason with its arguments and English sentence, as the catalogue has them.
@Suite struct RefusalDocumentTests {
    static func table() -> String {
        var lines = ["| reason | arguments | English sentence |", "|---|---|---|"]
        for refusal in Refusals.all.sorted(by: { $0.reason < $1.reason }) {
            let arguments = Array(NSOrderedSet(array: Refusal.placeholders(refusal.english))) as? [String] ?? []
            lines.append(
                "| `\(refusal.reason)` | \(arguments.map { "`\($0)`" }.joined(separator: ", ")) | "
                    + refusal.english.replacingOccurrences(of: "|", with: "\\|") + " |")
        }
        return lines.joined(separator: "\n")
    }

    @Test func theProtocolDocumentListsEveryReason() throws {
        let path = RefusalCatalogueTests.sources.deletingLastPathComponent().appendingPathComponent("docs/PROTOCOL.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        guard let start = text.range(of: "<!-- reasons -->\n"), let end = text.range(of: "\n<!-- /reasons -->") else {
            Issue.record("docs/PROTOCOL.md has no <!-- reasons --> block; it must be:\n\(Self.table())")
            return
        }
        let listed = String(text[start.upperBound..<end.lowerBound])
        if listed != Self.table(), ProcessInfo.processInfo.environment["OTKLIK_WRITE_GENERATED"] == "1" {
            try (text.replacingCharacters(in: start.upperBound..<end.lowerBound, with: Self.table()))
                .write(to: path, atomically: true, encoding: .utf8)
            return
        }
        #expect(
            listed == Self.table(),
            "docs/PROTOCOL.md is out of date (OTKLIK_WRITE_GENERATED=1 swift test --filter RefusalDocumentTests rewrites it); its reasons must be:\n\(Self.table())"
        )
    }
}
