// Working-time arithmetic speed: `add` of a random duration up to 7 working days (whole minutes)
// from random instants 2020-2027 under the default executor schedule and the shipped production
// calendar, on one thread. Also times building a schedule's table and `workingSeconds`.
// A benchmark, never a test: it asserts nothing.
//
// Usage: calendar-bench CALENDAR_JSON [OPERATIONS]
import Foundation
import OtklikCore

let arguments = CommandLine.arguments
guard arguments.count >= 2, let data = FileManager.default.contents(atPath: arguments[1]) else {
    FileHandle.standardError.write(Data("usage: calendar-bench CALENDAR_JSON [OPERATIONS]\n".utf8))
    exit(64)
}
let operations = arguments.count > 2 ? Int(arguments[2]) ?? 5_000_000 : 5_000_000

func seconds(_ start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

do {
    let production = ProductionCalendar(years: try ProductionCalendarFile.decode(data))
    var start = DispatchTime.now().uptimeNanoseconds
    let calendar = try WorkingCalendar(schedule: Schedule(name: "executor"), calendar: production)
    print(
        String(
            format: "build schedule table (years %d-%d): %.1f ms", calendar.years.lowerBound, calendar.years.upperBound,
            seconds(start) * 1000))

    // Inputs drawn before timing, so the figure is the arithmetic alone.
    var random = SeededRandom(seed: 42)
    let from = Instant(iso: "2020-01-01T00:00:00+03:00")!, to = Instant(iso: "2027-12-01T00:00:00+03:00")!
    let instants = (0..<operations).map { _ in
        Instant(seconds: Int64.random(in: from.seconds..<to.seconds, using: &random))
    }
    let durations = (0..<operations).map { _ in Int64.random(in: 0...(7 * 8 * 60), using: &random) * 60 }

    var checksum: Int64 = 0
    start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<operations {
        checksum &+= try calendar.add(instants[index], seconds: durations[index]).seconds
    }
    var elapsed = seconds(start)
    print(
        String(
            format: "add: %.0f operations/s (%d operations, %.2f s, %.0f ns each)", Double(operations) / elapsed,
            operations,
            elapsed, elapsed / Double(operations) * 1e9))

    start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<operations {
        checksum &+= try calendar.subtract(instants[index], seconds: durations[index]).seconds
    }
    elapsed = seconds(start)
    print(String(format: "subtract: %.0f operations/s", Double(operations) / elapsed))

    start = DispatchTime.now().uptimeNanoseconds
    for index in 0..<operations {
        checksum &+= try calendar.workingSeconds(from: instants[index], to: instants[index] + durations[index] * 4)
    }
    elapsed = seconds(start)
    print(String(format: "workingSeconds: %.0f operations/s", Double(operations) / elapsed))
    print("checksum \(checksum)")
} catch {
    FileHandle.standardError.write(Data("calendar-bench: \(error)\n".utf8))
    exit(1)
}
