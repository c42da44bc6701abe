/// A duration as people write it, the one parser of the product: numbers each followed by a unit,
/// `d`, `h`, `m` or `s` or its word in Russian or English (`4ч`, `1 ч 30 мин`, `7 дн`, `3 рабочих дня`,
/// `2 hours`), largest first, each unit at most once (`90s`, `30m`, `2h30m`, `3d`, `1d4h`).
/// What a day means is the reader's: working days for a term (`WorkingDuration`), 24 hours for the
/// test clock. Every number has at most 9 digits, so no sum can overflow.
public struct DurationText: Sendable, Equatable {
    public var days = 0
    public var hours = 0
    public var minutes = 0
    public var seconds = 0
    /// Whether days were written at all (`0d` is days, not minutes).
    public var wroteDays = false

    /// The words a unit is written with, beside its letter: Russian as people write it (`4ч`,
    /// `1 ч 30 мин`, `7 дн`, `3 рабочих дня`) and English words (`4 hours`).
    static let unitWords: [String: Character] = [
        "d": "d", "day": "d", "days": "d", "д": "d", "дн": "d", "день": "d", "дня": "d", "дней": "d",
        "h": "h", "hour": "h", "hours": "h", "ч": "h", "час": "h", "часа": "h", "часов": "h",
        "m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m", "м": "m", "мин": "m", "минута": "m",
        "минуты": "m", "минут": "m",
        "s": "s", "sec": "s", "second": "s", "seconds": "s", "с": "s", "сек": "s", "секунд": "s", "секунды": "s",
    ]

    /// Words that may stand before a unit and say nothing of its length: "3 рабочих дня", "2 working days".
    static let qualifiers: Set<String> = ["раб", "рабочих", "рабочий", "рабочего", "рабочие", "working"]

    public init?(_ text: String) {
        let units: [Character] = ["d", "h", "m", "s"]
        var next = 0
        var number = ""
        // Digits, then a unit's word; spaces and dots between them are only spacing.
        var tokens: [(number: String, unit: Character)] = []
        var word = ""
        func endWord() -> Bool {
            defer { word = "" }
            guard !word.isEmpty else { return true }
            if Self.qualifiers.contains(word) { return !number.isEmpty }
            guard !number.isEmpty, let unit = Self.unitWords[word] else { return false }
            tokens.append((number, unit))
            number = ""
            return true
        }
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                guard endWord(), word.isEmpty else { return nil }
                number.append(character)
            } else if character.isLetter {
                word.append(character)
            } else if character == " " || (character == "." && !word.isEmpty) {
                // A dot only ends an abbreviated word ("мин."): "1.5h" is no duration.
                guard endWord() else { return nil }
            } else {
                return nil
            }
        }
        guard endWord(), number.isEmpty, !tokens.isEmpty else { return nil }
        for (number, character) in tokens {
            guard number.count <= 9, let value = Int(number),
                let position = units[next...].firstIndex(of: character)
            else { return nil }
            switch character {
            case "d":
                days = value
                wroteDays = true
            case "h": hours = value
            case "m": minutes = value
            default: seconds = value  // a number without a unit: seconds
            }
            next = position + 1
        }
    }

    /// Wall-clock seconds, a day being 24 hours.
    public var totalSeconds: Int64 {
        Int64(days) * 86_400 + Int64(hours) * 3600 + Int64(minutes) * 60 + Int64(seconds)
    }
}

/// A term as people write it: working minutes and hours (`30m`, `8h`, `1h30m`), or working days
/// (`7d`), which follow the day rule (close of the n-th working day) instead of adding hours.
public enum WorkingDuration: Sendable, Equatable, CustomStringConvertible {
    case minutes(Int)
    case workingDays(Int)

    /// `7d` (working days, 1 to 366, alone), or hours and minutes (`8h`, `1h30m`, each at most 100,000).
    public init?(text: String) {
        guard let parsed = DurationText(text), parsed.seconds == 0 else { return nil }
        if parsed.days > 0 || parsed.wroteDays {
            guard parsed.hours == 0, parsed.minutes == 0, (1...366).contains(parsed.days) else { return nil }
            self = .workingDays(parsed.days)
            return
        }
        guard parsed.hours <= 100_000, parsed.minutes <= 100_000 else { return nil }
        self = .minutes(parsed.hours * 60 + parsed.minutes)
    }

    public var description: String {
        switch self {
        case .minutes(let minutes):
            minutes % 60 == 0 && minutes > 0
                ? "\(minutes / 60)h" : minutes > 60 ? "\(minutes / 60)h\(minutes % 60)m" : "\(minutes)m"
        case .workingDays(let days): "\(days)d"
        }
    }
}

/// A moment in time: whole Unix seconds, UTC. The one parser (`init?(iso:)`: ISO 8601 with an offset)
/// and the one formatter (`iso(offset:)`; `WorkingCalendar.text(_:)` in a schedule's offset) of the
/// product. Codable as the bare number, so stored events and projections read as they always did.
public struct Instant: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    ExpressibleByIntegerLiteral
{
    /// Seconds since 1970-01-01T00:00:00Z. The arithmetic below is `@inlinable`: an instant costs what
    /// the bare number cost (benchmarks/calendar).
    public var seconds: Int64

    @inlinable public init(seconds: Int64) { self.seconds = seconds }
    /// Unix seconds written out (tests, fixed instants).
    @inlinable public init(integerLiteral value: Int64) { seconds = value }

    public init(from decoder: any Decoder) throws {
        seconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }

    /// `2026-05-08T16:30:00+03:00` and its other ISO forms (`Z`, `+0300`, no seconds, a fraction);
    /// nil without an offset (a bare local time is ambiguous).
    public init?(iso text: String) {
        guard let parsed = Self.parse(text) else { return nil }
        self.seconds = parsed.seconds
    }

    /// The UTC offset (seconds) an ISO 8601 instant is written in, as `init?(iso:)` reads it; nil when
    /// `text` is not one.
    public static func offset(ofISO text: String) -> Int? { parse(text)?.offset }

    /// The instant an ISO 8601 text names and the UTC offset it is written in, read once: nil when
    /// `text` is not one.
    public static func parsed(iso text: String) -> (instant: Instant, offset: Int)? {
        parse(text).map { (Instant(seconds: $0.seconds), $0.offset) }
    }

    /// The date and the second of the day this instant is at `offset` seconds from UTC.
    /// Total: clamped to years 0001-9999 as `iso(offset:)` is.
    public func local(offset: Int) -> (date: LocalDate, secondOfDay: Int) {
        let offset = max(-86_399, min(86_399, offset))
        let local = max(-62_135_596_800, min(253_402_300_799, seconds)) + Int64(offset)
        let day = Int((local >= 0 ? local : local - 86_399) / 86_400)
        return (LocalDate(dayNumber: day), Int(local - Int64(day) * 86_400))
    }

    /// `2026-05-12T12:30:00+03:00`: the instant shown at `offset` seconds from UTC.
    public func iso(offset: Int) -> String { Self.format(seconds, offset: offset) }

    public var description: String { iso(offset: 0) }

    /// Whether the instant lies in `accepted`: a value from outside that does not is refused at the boundary.
    public var isAccepted: Bool { Self.accepted.contains(self) }

    @inlinable public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.seconds < rhs.seconds }
    @inlinable public static func + (lhs: Instant, rhs: Int64) -> Instant { Instant(seconds: lhs.seconds + rhs) }
    @inlinable public static func - (lhs: Instant, rhs: Int64) -> Instant { Instant(seconds: lhs.seconds - rhs) }
    /// Wall-clock seconds from `earlier` to this instant.
    @inlinable public func seconds(since earlier: Instant) -> Int64 { seconds - earlier.seconds }

    /// The years an instant from outside may lie in: the tool works on this century's posts.
    public static let acceptedYears: ClosedRange<Int> = 2000...2100
    /// The first and last accepted instants (2000-01-01T00:00:00Z, 2100-12-31T23:59:59Z).
    public static let accepted = Instant(seconds: 946_684_800)...Instant(seconds: 4_133_980_799)

    /// Parses `2026-05-08T16:30:00+03:00` (also `Z`, `+0300`, no seconds, fractional seconds).
    /// Returns Unix seconds (a fraction is dropped) and the offset it was written in. Nil without an
    /// offset: a bare local time is ambiguous.
    private static func parse(_ text: String) -> (seconds: Int64, offset: Int)? {
        var text = text
        // Read in place (a native string's own bytes): a page of an export parses thousands.
        return text.withUTF8 { parse(utf8: $0) }
    }

    private static func parse(utf8 characters: UnsafeBufferPointer<UInt8>) -> (seconds: Int64, offset: Int)? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= characters.count else { return nil }
            var value = 0
            for character in characters[index..<index + digits] {
                guard character >= 48, character <= 57 else { return nil }
                value = value * 10 + Int(character - 48)
            }
            index += digits
            return value
        }
        func expect(_ character: UInt8) -> Bool {
            guard index < characters.count, characters[index] == character else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
            index < characters.count, characters[index] == 84 || characters[index] == 116 || characters[index] == 32
        else { return nil }
        index += 1
        guard let hour = number(2), expect(58), let minute = number(2) else { return nil }
        var second = 0
        if expect(58) {
            guard let value = number(2) else { return nil }
            second = value
            if expect(46) || expect(44) {
                let start = index
                while index < characters.count, characters[index] >= 48, characters[index] <= 57 { index += 1 }
                guard index > start else { return nil }
            }
        }
        guard let date = LocalDate(year: year, month: month, day: day), hour <= 23, minute <= 59, second <= 59 else {
            return nil
        }
        var offset = 0
        if expect(90) || expect(122) {
            offset = 0
        } else if index < characters.count, characters[index] == 43 || characters[index] == 45 {
            let sign = characters[index] == 45 ? -1 : 1
            index += 1
            guard let hours = number(2) else { return nil }
            _ = expect(58)
            guard let minutes = number(2), hours <= 23, minutes <= 59 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard index == characters.count else { return nil }
        return (Int64(date.dayNumber) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset), offset)
    }

    /// `2026-05-12T12:30:00+03:00` for `instant` shown at `offset` seconds from UTC.
    /// Total: an instant stored before its bounds were checked is shown clamped to years 0001-9999,
    /// never a trap.
    private static func format(_ instant: Int64, offset: Int) -> String {
        let offset = max(-86_399, min(86_399, offset))
        let (date, secondOfDay) = Instant(seconds: instant).local(offset: offset)
        let (year, month, day) = date.components
        // Written byte by byte: every view shows its times this way, and an export writes millions.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        func two(_ value: Int, after separator: UInt8) {
            bytes.append(separator)
            bytes.append(UInt8(truncatingIfNeeded: 48 + value / 10 % 10))
            bytes.append(UInt8(truncatingIfNeeded: 48 + value % 10))
        }
        bytes.append(contentsOf: String(year).utf8)
        two(month, after: UInt8(ascii: "-"))
        two(day, after: UInt8(ascii: "-"))
        two(secondOfDay / 3600, after: UInt8(ascii: "T"))
        two(secondOfDay % 3600 / 60, after: UInt8(ascii: ":"))
        two(secondOfDay % 60, after: UInt8(ascii: ":"))
        if offset == 0 {
            bytes.append(UInt8(ascii: "Z"))
        } else {
            two(abs(offset) / 3600, after: UInt8(ascii: offset < 0 ? "-" : "+"))
            two(abs(offset) % 3600 / 60, after: UInt8(ascii: ":"))
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
