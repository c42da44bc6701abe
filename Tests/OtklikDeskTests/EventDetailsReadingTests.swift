import Foundation
import Testing

/// The CLI reads event details with the type the daemon stored them as (`EventDetails`), never as a
/// dictionary (issue 28, item 3).
@Suite struct EventDetailsReadingTests {
    /// The CLI reads no event as a dictionary of keys: the payload types are the one description.
    @Test func theCLIReadsNoDetailsByKey() throws {
        for file in CommandTextTests.swiftFiles(under: CommandTextTests.cli) {
            let source = try String(contentsOf: file, encoding: .utf8)
            #expect(!source.contains("JSONSerialization"), "\(file.lastPathComponent) reads JSON untyped")
            #expect(!source.contains("[String: Any]"), "\(file.lastPathComponent) reads JSON untyped")
        }
    }
}
