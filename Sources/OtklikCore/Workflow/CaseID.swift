/// A case's number, `2026-000123`: the year of detection and a sequence within it. Parsed and
/// written here only.
public struct CaseID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let number: Int

    public init(year: Int, number: Int) {
        self.year = year
        self.number = number
    }

    /// `YYYY-NNNNNN` (six digits or more); nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count >= 6, parts[1].count <= 12,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let number = Int(parts[1])
        else { return nil }
        self.init(year: year, number: number)
    }

    public var description: String {
        let digits = String(number)
        return String(year) + "-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    public static func < (lhs: CaseID, rhs: CaseID) -> Bool { (lhs.year, lhs.number) < (rhs.year, rhs.number) }
}

/// One executor's part of a case, `2026-000123/1` (1-based). Parsed and written here only.
public struct AssignmentID: Sendable, Hashable, CustomStringConvertible {
    public let caseID: String
    public let index: Int

    public init(caseID: String, index: Int) {
        self.caseID = caseID
        self.index = index
    }

    /// `CASE/N` with a case number and N from 1; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, CaseID(String(parts[0])) != nil, parts[1].count <= 6,
            parts[1].allSatisfy({ $0.isASCII && $0.isNumber }),
            let index = Int(parts[1]), index > 0
        else { return nil }
        self.init(caseID: String(parts[0]), index: index)
    }

    public var description: String { "\(caseID)/\(index)" }
}
