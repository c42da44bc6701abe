import Foundation
import Testing

/// SQLite's C API is called in the store's connection layer (`Connection.swift`) and in the wrappers
/// that work on a file apart from it (the online backup, the repair and the salvage of a damaged file);
/// everything else goes through `Connection`.
@Suite struct CLayerTests {
    static let allowed: Set<String> = ["Connection.swift", "Backup.swift", "Repair.swift", "Salvage.swift"]

    @Test func onlyTheConnectionLayerCallsSQLite() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var checked = 0
        for case let file as URL in files where file.pathExtension == "swift" {
            checked += 1
            guard !Self.allowed.contains(file.lastPathComponent) else { continue }
            let code = try String(contentsOf: file, encoding: .utf8).split(separator: "\n")
                .map { $0.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "" }
            let calls = code.filter { $0.contains("sqlite3_") }
            #expect(calls.isEmpty, "\(file.path) calls SQLite outside the connection layer: \(calls.first ?? "")")
        }
        #expect(checked > 100)
    }
}
