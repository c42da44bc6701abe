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

let monthNames = (
    english: [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ],
    russian: [
        "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь",
        "Декабрь",
    ]
)

func monthName(_ wireMonth: some BinaryInteger) -> String {
    let month = Int(wireMonth)
    return Language.current == .russian ? monthNames.russian[month - 1] : monthNames.english[month - 1]
}
