import Foundation
import OtklikCore
import Testing

/// The small ones of issue 26, item 14: "did you mean" for a mistyped command or login, a text read
/// from the standard input, a term written in Russian, `otklik version`.
@Suite struct SmallThingsTests {
    typealias Desk = WorkflowBlackBoxTests.Desk

    @Test func aMistypedCommandOrLoginGetsTheOneMeant() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let command = try DeskTests.otklik(desk, ["case", "lsit", "--limit", "5"], as: "cur", russian: true)
        #expect(
            command.status == 64 && command.stderr.contains("Возможно, имелось в виду `otklik case list --limit 5"),
            "\(command.stderr)")
        let top = try DeskTests.otklik(desk, ["qeueu"], as: "cur")
        #expect(top.stderr.contains("Did you mean `otklik queue"), "\(top.stderr)")
        let nothing = try DeskTests.otklik(desk, ["zzzzzzzz"], as: "cur")
        #expect(nothing.status == 64 && !nothing.stderr.contains("Did you mean"), "\(nothing.stderr)")
        let login = try DeskTests.otklik(desk, ["queue"], as: "roads.exe", russian: true)
        #expect(login.status != 0 && login.stderr.contains("`roads.ex`"), "\(login.stderr)")
    }

    @Test func aTextIsReadFromTheStandardInput() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let input = privateDirectory() + "/post.txt"
        try "Яма на дороге\nу школы".write(toFile: input, atomically: true, encoding: .utf8)
        let result = try run(
            "/bin/sh",
            [
                "-c",
                "\"$0\" message register --network vk --url https://vk.com/wall-1_77 --author Анна --text-file - "
                    + "--detected-at now -o json --as cur --socket \"$1\" < \"$2\"",
                binDirectory + "/otklik", desk.daemon.socketPath, input,
            ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(DeskTests.object(result.stdout)["text"] as? String == "Яма на дороге\nу школы")
    }

    @Test func aTermIsWrittenInRussianAndTheVersionsAreSaid() throws {
        let desk = try Desk(clock: "2026-12-01T09:05:00+03:00")
        let russian = try DeskTests.otklik(
            desk, ["calendar", "due", "--from", "2026-12-01T09:00:00+03:00", "--add", "4ч", "-o", "json"], russian: true
        )
        let english = try DeskTests.otklik(
            desk, ["calendar", "due", "--from", "2026-12-01T09:00:00+03:00", "--add", "4h", "-o", "json"])
        #expect(russian.status == 0, "\(russian.stderr)")
        #expect(
            DeskTests.object(russian.stdout)["due"] as? String == DeskTests.object(english.stdout)["due"] as? String)
        let spaced = try DeskTests.otklik(
            desk, ["calendar", "due", "--from", "2026-12-01T09:00:00+03:00", "--add", "1 ч 30 мин", "-o", "json"])
        #expect(spaced.status == 0, "\(spaced.stderr)")
        // The program's version and the daemon's; a daemon not there is said, not an error.
        let version = try DeskTests.otklik(desk, ["version", "-o", "json"])
        #expect(version.status == 0, "\(version.stderr)")
        let object = DeskTests.object(version.stdout)
        #expect((object["otklik"] as? String)?.hasPrefix(OtklikVersion.current) == true)
        #expect(
            object["otklikd"] as? String == OtklikVersion.current
                && object["schema_version"] as? Int == OtklikVersion.schema)
        let away = try run(
            binDirectory + "/otklik", ["version", "--socket", "/nonexistent/otklik.sock"],
            environment: ["LANG": "ru_RU.UTF-8"])
        #expect(away.status == 0 && away.stdout.contains("не отвечает на /nonexistent/otklik.sock"), "\(away.stdout)")
    }
}
