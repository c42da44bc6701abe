public import Foundation
import OtklikCore

/// A case as people name it (issue 26): `8` is case 8 of this year (`2026-000008`), and an
/// assignment's id (`2026-000008/1`) names its case; anything else is left for the daemon to judge.
/// Case numbers are read and written by `CaseID` and `AssignmentID`.
public enum CaseNumber {
    public static func expand(_ text: String, now: Date = Date()) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.count <= 6, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }),
            let number = Int(trimmed), number > 0
        {
            let year = Calendar(identifier: .gregorian).component(.year, from: now)
            return CaseID(year: year, number: number).description
        }
        return AssignmentID(trimmed)?.caseID ?? trimmed
    }
}
