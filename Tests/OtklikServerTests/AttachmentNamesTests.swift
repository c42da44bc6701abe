import Foundation
import OtklikBase
import Testing

/// Attachments as people name them (issue 26, item 10): the short id `case show` prints, or the file's
/// name within the draft, wherever an attachment is named; a refused file named; sizes in КБ/МБ.
@Suite struct AttachmentNamesTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    @Test func aFileIsNamedByItsShortIdOrItsNameAndARefusedOneIsNamed() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let id = try desk.register(1, detected: "2026-12-01T09:00:00+03:00")
        try desk.json(["case", "route", id, "--executor", "roads", "--topic", "roads=дороги"])
        let directory = privateDirectory()
        let photo = AttachmentFixtures.tinyJPEG
        let video = AttachmentFixtures.video(size: 1_600_000)
        #expect(FileManager.default.createFile(atPath: directory + "/яма.jpg", contents: Data(photo)))
        #expect(FileManager.default.createFile(atPath: directory + "/ролик.mp4", contents: Data(video)))
        #expect(FileManager.default.createFile(atPath: directory + "/заметки.txt", contents: Data("просто текст".utf8)))
        let assignment = id + "/1"
        func submit(_ extra: [String], russian: Bool = true) throws -> (status: Int32, stdout: String, stderr: String) {
            try DeskTests.otklik(
                desk,
                ["draft", "submit", assignment, "--kind", "final", "--text", "Яму заделали, фото прилагаем."] + extra,
                as: "roads.ex", russian: russian)
        }
        // The refused file is named, and nothing is submitted.
        let refused = try submit(["--attach", directory + "/яма.jpg", directory + "/заметки.txt"])
        #expect(refused.status != 0 && refused.stderr.contains("заметки.txt"), "\(refused.stderr)")
        let submitted = try submit(["--attach", directory + "/яма.jpg", directory + "/ролик.mp4"])
        #expect(submitted.status == 0, "\(submitted.stderr)")
        // Sizes as people read them, the short id beside each file.
        let show = try DeskTests.otklik(desk, ["case", "show", id], as: "cur", russian: true)
        let short = String(SHA256Digest.hex(of: photo).prefix(12))
        #expect(show.stdout.contains("1,5 МБ") && show.stdout.contains(short), "\(show.stdout)")
        #expect(!show.stdout.contains("МиБ") && !show.stdout.contains("КиБ"))
        // The short id is taken where an attachment is named.
        let info = try DeskTests.otklik(desk, ["attachment", "show", short, "-o", "json"], as: "cur")
        #expect(info.status == 0 && info.stdout.contains(SHA256Digest.hex(of: photo)), "\(info.stderr)")
        let back = directory + "/back.jpg"
        let get = try DeskTests.otklik(desk, ["attachment", "get", String(short.prefix(8)), "--out", back], as: "cur")
        #expect(get.status == 0 && (try? Data(contentsOf: URL(fileURLWithPath: back))) == Data(photo), "\(get.stderr)")
        let tooShort = try DeskTests.otklik(
            desk, ["attachment", "show", String(short.prefix(4))], as: "cur", russian: true)
        #expect(tooShort.status == 64 && tooShort.stderr.contains("первые 6"), "\(tooShort.stderr)")
        let unknown = try DeskTests.otklik(desk, ["attachment", "show", "abcdef123456"], as: "cur", russian: true)
        #expect(unknown.status != 0 && unknown.stderr.contains("abcdef123456"), "\(unknown.stderr)")
        // A returned draft's files are left out by name or short id.
        try desk.json(["draft", "return", assignment, "--reason", "formal", "--comment", "Оформление"])
        let wrongName = try submit(["--detach", "нет-такого.jpg"])
        #expect(
            wrongName.status == 64 && wrongName.stderr.contains("яма.jpg (\(short))")
                && wrongName.stderr.contains("ролик.mp4"), "\(wrongName.stderr)")
        let again = try submit(["--detach", "ЯМА.JPG"])
        #expect(again.status == 0, "\(again.stderr)")
        let c = try desk.json(["case", "show", id])
        let drafts = (WorkflowBlackBoxTests.assignment(c)["drafts"] as? [[String: Any]]) ?? []
        let files = (drafts.last?["attachments"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        #expect(files == ["ролик.mp4"], "\(files)")
    }
}
