import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

func hours(_ minutes: some BinaryInteger) -> Double { Double(Int(minutes)) / 60 }

func hoursText(_ wireMinutes: some BinaryInteger) -> String {
    let minutes = Int(wireMinutes)
    return minutes % 60 == 0
        ? "\(minutes / 60)"
        : String(format: "%.2f", Double(minutes) / 60).replacingOccurrences(
            of: ".", with: Language.current == .russian ? "," : ".")
}

/// A month's name (a number outside 1...12 from the daemon is shown as the number).
func monthName(_ wireMonth: some BinaryInteger) -> String {
    let month = Int(clamping: wireMonth)
    return Say.Calendar.months.indices.contains(month - 1) ? Say.Calendar.months[month - 1].text() : String(month)
}
