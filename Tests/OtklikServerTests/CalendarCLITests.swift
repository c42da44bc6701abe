import Foundation
import OtklikCore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `otklik calendar ...` as scripts use it: these JSON keys are relied on.
@Suite struct CalendarCLITests {
    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func dueAndBetweenPrintTheDocumentedJSON() throws {
        let daemon = try DaemonProcess()
        let due = try run(
            binDirectory + "/otklik",
            [
                "calendar", "due", "--from", "2026-05-08T16:30:00+03:00", "--add", "4h",
                "-o", "json", "--socket", daemon.socketPath,
            ])
        #expect(due.status == 0)
        #expect(due.stdout == #"{"due":"2026-05-12T12:30:00+03:00","schedule":"executor","schedule_version":1}"# + "\n")
        let plain = try run(
            binDirectory + "/otklik",
            [
                "calendar", "due", "--from", "2026-05-08T13:30:00Z", "--add", "1h30m",
                "--schedule", "curator", "--socket", daemon.socketPath,
            ])
        #expect(plain.stdout == "2026-05-12T10:00:00+03:00\n")
        let back = try run(
            binDirectory + "/otklik",
            [
                "calendar", "due", "--from", "2026-05-12T12:30:00+03:00", "--add", "4h",
                "--subtract", "--socket", daemon.socketPath,
            ])
        #expect(back.stdout == "2026-05-08T16:30:00+03:00\n")
        let between = try run(
            binDirectory + "/otklik",
            [
                "calendar", "between", "--from", "2026-05-08T00:00:00+03:00",
                "--to", "2026-05-12T00:00:00+03:00", "-o", "json", "--socket", daemon.socketPath,
            ])
        #expect(try json(between.stdout)["working_minutes"] as? Int == 420)
    }

    @Test func monthAndYearPrintTheProductionCalendar() throws {
        let daemon = try DaemonProcess()
        let month = try json(
            try run(
                binDirectory + "/otklik", ["calendar", "month", "2026-05", "-o", "json", "--socket", daemon.socketPath]
            ).stdout)
        #expect(month["month"] as? String == "2026-05")
        #expect(month["working_days"] as? Int == 19)
        #expect(month["working_hours"] as? Int == 151)
        let days = try #require(month["days"] as? [[String: Any]])
        #expect(days.count == 31)
        #expect(days[0]["date"] as? String == "2026-05-01")
        #expect(days[0]["kind"] as? String == "holiday")
        #expect(days[7]["kind"] as? String == "shortened")
        #expect(days[7]["minutes"] as? Int == 420)
        #expect(days[10]["kind"] as? String == "day_off")
        let year = try json(
            try run(
                binDirectory + "/otklik", ["calendar", "year", "2024", "-o", "json", "--socket", daemon.socketPath]
            ).stdout)
        #expect(year["year"] as? Int == 2024)
        #expect(year["working_days"] as? Int == 248)
        #expect(year["working_hours"] as? Int == 1979)
        #expect((year["months"] as? [[String: Any]])?.count == 12)
        let table = try run(
            binDirectory + "/otklik", ["calendar", "month", "2026-05", "--socket", daemon.socketPath],
            environment: ["LANG": "ru_RU.UTF-8"])
        #expect(table.stdout.contains("Май 2026"))
        #expect(table.stdout.contains(" 8*  9H 10-"))
    }

    @Test func anImportedYearChangesDueTimesAndSurvivesARestart() throws {
        let directory = privateDirectory()
        var daemon: DaemonProcess? = try DaemonProcess(directory: directory)
        let socket = daemon!.socketPath
        let due = [
            "calendar", "due", "--from", "2026-05-12T17:00:00+03:00", "--add", "2h", "-o", "json", "--socket", socket,
        ]
        #expect(
            try json(try run(binDirectory + "/otklik", due).stdout)["due"] as? String == "2026-05-13T10:00:00+03:00")

        let file = directory + "/2026.json"
        try Data(
            #"{"years":[{"year":2026,"source":"test decree","holidays":["2026-01-01"],"days_off":["2026-05-13"]}]}"#
                .utf8
        )
        .write(to: URL(fileURLWithPath: file))
        let imported = try run(
            binDirectory + "/otklik", ["calendar", "import", file, "-o", "json", "--socket", socket])
        #expect(imported.status == 0)
        #expect(imported.stdout.contains(#""years":[2026]"#))
        let after = try json(try run(binDirectory + "/otklik", due).stdout)
        #expect(after["due"] as? String == "2026-05-14T10:00:00+03:00")
        #expect(after["schedule_version"] as? Int == 2)

        daemon!.signal(SIGTERM)
        #expect(daemon!.wait() == 0)
        daemon = try DaemonProcess(directory: directory)
        let restarted = try json(try run(binDirectory + "/otklik", due).stdout)
        #expect(restarted["due"] as? String == "2026-05-14T10:00:00+03:00")
        #expect(restarted["schedule_version"] as? Int == 2)
        _ = daemon
    }

    @Test func aBrokenCalendarFileIsRefusedBeforeItIsSent() throws {
        let daemon = try DaemonProcess()
        let file = daemon.directory + "/bad.json"
        try Data(#"{"years":[{"year":2026,"working_weekends":["2026-05-13"]}]}"#.utf8).write(
            to: URL(fileURLWithPath: file))
        let result = try run(binDirectory + "/otklik", ["calendar", "import", file, "--socket", daemon.socketPath])
        #expect(result.status == 64)
        #expect(result.stderr.contains("working weekend day 2026-05-13 is a wed"))
        let show = try run(
            binDirectory + "/otklik",
            ["calendar", "show", "--schedule", "executor", "-o", "json", "--socket", daemon.socketPath])
        #expect(show.stdout.contains(#""version":1"#))
    }

    @Test func badInstantsAndDurationsAreUsageErrors() throws {
        let daemon = try DaemonProcess()
        // A local time is the schedule's (Moscow), echoed as the instant it was taken for.
        let local = try run(
            binDirectory + "/otklik",
            ["calendar", "due", "--from", "2026-05-08T16:30:00", "--add", "4h", "--socket", daemon.socketPath])
        #expect(local.status == 0)
        #expect(local.stderr.contains("--from 2026-05-08T16:30:00 = 2026-05-08T16:30:00+03:00"))
        let noTime = try run(
            binDirectory + "/otklik",
            ["calendar", "due", "--from", "2026-05-08 25:30", "--add", "4h", "--socket", daemon.socketPath])
        #expect(noTime.status == 64)
        #expect(noTime.stderr.contains("is not a time"))
        #expect(noTime.stderr.contains("Usage: otklik calendar due"))
        let badTerm = try run(
            binDirectory + "/otklik",
            [
                "calendar", "due", "--from", "2026-05-08T16:30:00+03:00", "--add", "4 parsecs", "--socket",
                daemon.socketPath,
            ])
        #expect(badTerm.status == 64)
        let unknown = try run(
            binDirectory + "/otklik",
            [
                "calendar", "due", "--from", "2026-05-08T16:30:00+03:00", "--add", "4h", "--schedule", "night",
                "--socket", daemon.socketPath,
            ])
        #expect(unknown.status == 66)
    }
}
