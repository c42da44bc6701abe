/// Text laid out for a terminal: paragraphs wrapped at word boundaries to a width, each line
/// indented; a word longer than the width (a URL) is kept whole on its own line.
public enum TextLayout {
    public static func wrap(_ text: String, width: Int, indent: String = "") -> [String] {
        let room = max(20, width - indent.count)
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
                if line.isEmpty {
                    line = String(word)
                } else if line.count + 1 + word.count <= room {
                    line += " " + word
                } else {
                    lines.append(indent + line)
                    line = String(word)
                }
            }
            lines.append(line.isEmpty ? "" : indent + line)
        }
        while lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The first `characters` of `text` on one line (line breaks as spaces), with "…" when cut.
    public static func snippet(_ text: String, characters: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= characters ? flat : String(flat.prefix(max(1, characters - 1))) + "…"
    }
}

/// Working time as people say it: "1 h 20 min" / "1 ч 20 мин".
public enum WorkingTimeText {
    /// `working`: saying it is working time, "1 working h 20 min" / "1 раб. ч 20 мин" (a working hour
    /// is not an hour on the clock).
    public static func duration(minutes: Int64, in language: Language = .current, working: Bool = false) -> String {
        let minutes = max(0, minutes)
        let hours = minutes / 60, rest = minutes % 60
        let russian = language == .russian
        // The marker goes with the first unit said: "1 раб. ч 20 мин", "30 раб. мин".
        let marker = working ? (russian ? "раб. " : "working ") : ""
        var parts: [String] = []
        if hours > 0 { parts.append("\(hours) " + marker + (russian ? "ч" : "h")) }
        if rest > 0 || hours == 0 { parts.append("\(rest) " + (hours > 0 ? "" : marker) + (russian ? "мин" : "min")) }
        return parts.joined(separator: " ")
    }

    /// `duration(minutes:working: true)`.
    public static func working(minutes: Int64, in language: Language = .current) -> String {
        duration(minutes: minutes, in: language, working: true)
    }

    /// "1 working h 20 min left" / "осталось 1 раб. ч 20 мин".
    public static func left(minutes: Int64, in language: Language = .current) -> String {
        language == .russian
            ? "осталось " + working(minutes: minutes, in: language)
            : working(minutes: minutes, in: language) + " left"
    }

    /// "overdue by 2 h" / "просрочено на 2 ч" (working time).
    public static func late(minutes: Int64, in language: Language = .current) -> String {
        language == .russian
            ? "просрочено на " + duration(minutes: minutes, in: language)
            : "overdue by " + duration(minutes: minutes, in: language)
    }
}

/// A clock warning's point as people read it: the profile's `50%` as "50 % of the term used" /
/// "прошло 50 % срока", `15m` (minutes before the due) as "15 min left" / "осталось 15 мин"; other text
/// as it is.
public enum WarningPoint {
    public static func said(_ point: String, in language: Language = .current) -> String {
        let russian = language == .russian
        if point.hasSuffix("%"), let share = Int(point.dropLast()) {
            return russian ? "прошло \(share) % срока" : "\(share)% of the term used"
        }
        if point.hasSuffix("m"), let minutes = Int64(point.dropLast()) {
            let left = WorkingTimeText.duration(minutes: minutes, in: language)
            return russian ? "осталось \(left)" : "\(left) left"
        }
        return point
    }
}
