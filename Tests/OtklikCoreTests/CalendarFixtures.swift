import Foundation
import OtklikCore

/// The production calendar shipped with the daemon, read from the repository.
let shippedCalendar: ProductionCalendar = {
    let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/OtklikServer/Resources/production-calendar-ru.json")
    let data = try! Data(contentsOf: path)
    return ProductionCalendar(years: try! ProductionCalendarFile.decode(data))
}()

/// The default executor schedule (Moscow, 09:00-13:00 and 14:00-18:00) under the shipped calendar.
let moscow = try! WorkingCalendar(schedule: Schedule(name: "executor"), calendar: shippedCalendar)

func at(_ text: String) -> Instant {
    guard let instant = Instant(iso: text) else { fatalError("bad instant \(text)") }
    return instant
}

func show(_ instant: Instant, _ calendar: WorkingCalendar = moscow) -> String {
    calendar.text(instant)
}

let hour: Int64 = 3600
let minute: Int64 = 60
