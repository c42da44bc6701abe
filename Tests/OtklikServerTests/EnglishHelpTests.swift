import Foundation
import Testing

/// Every help text under an English locale is English (the other half of RussianHelpTests): Russian
/// words appear only in examples, quoted (`яма школа` finds "яма у школы").
@Suite struct EnglishHelpTests {
    @Test func everyHelpTextIsEnglish() throws {
        let dump = try run(binDirectory + "/otklik", ["--experimental-dump-help"], environment: ["LANG": "C.UTF-8"])
        #expect(dump.status == 0)
        let root = try #require(
            (try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])?["command"]
                as? [String: Any])
        var texts = 0
        func check(_ text: String?, _ place: String) {
            guard let text, !text.isEmpty else { return }
            texts += 1
            // What is quoted (as code, or a text found) is an example, not read: Russian may stand there.
            let read = text.replacing(/`[^`]*`|"[^"]*"/, with: " ")
            if read.unicodeScalars.contains(where: { (0x0400...0x04FF).contains($0.value) }) {
                Issue.record("\(place): \(text)")
            }
        }
        func walk(_ command: [String: Any], _ path: [String]) {
            let path = path + [command["commandName"] as? String ?? "?"]
            let place = path.joined(separator: " ")
            check(command["abstract"] as? String, place)
            check(command["discussion"] as? String, place)
            for argument in command["arguments"] as? [[String: Any]] ?? [] {
                let name = argument["valueName"] as? String ?? "?"
                check(argument["abstract"] as? String, place + " " + name)
                check(argument["discussion"] as? String, place + " " + name)
            }
            for sub in command["subcommands"] as? [[String: Any]] ?? [] { walk(sub, path) }
        }
        walk(root, [])
        #expect(texts > 300, "\(texts) help texts read")
    }
}
