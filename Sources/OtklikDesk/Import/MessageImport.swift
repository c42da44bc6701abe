import Foundation
public import OtklikAPI
public import OtklikCore

/// Posts from a monitoring system's table or a network's export, read into RegisterMessage requests
/// (`otklik message import`). The daemon decides each as it decides a registration; here only the
/// file is read: its shape, its columns or keys, its times. A line (or an item) that cannot be read
/// is refused on its own, with its number; a file that is not of its format at all is refused whole.
public enum MessageImport {
    public enum Format: String, CaseIterable, Sendable {
        case csv, jsonl, vk, telegram

        /// Whether positions are lines of the file (CSV, JSONL) or items of its list (VK, Telegram).
        public var countsLines: Bool { self == .csv || self == .jsonl }
    }

    /// The columns of the CSV (and the keys of a JSONL line), as docs/IMPORT.md lists them.
    public static let columns = [
        "network", "url", "author", "text", "detected_at", "posted_at", "external_id", "topics", "importance",
    ]
    public static let requiredColumns = ["network", "url", "author", "text"]

    /// What the file does not say itself.
    public struct Options: Sendable {
        /// When the posts were found, for a format (or a line) without a detection time: now, as a
        /// rule (the regulation's clocks start when the curator finds a post).
        public var detectedAt: Instant
        /// The daemon's clock and the schedule's UTC offset, for times written without a zone.
        public var now: Instant
        public var offset: Int
        /// Telegram: the channel's public link (https://t.me/NAME), which the export does not carry.
        public var channel: String?
        public var allowOld: Bool
        /// The administration's own accounts by network (names as their links end: borovichi_adm):
        /// what they wrote themselves, a reply in their own thread, is not a citizen's post.
        public var ownAccounts: [String: Set<String>]

        public init(
            detectedAt: Instant, now: Instant, offset: Int, channel: String? = nil, allowOld: Bool = false,
            ownAccounts: [String: Set<String>] = [:]
        ) {
            self.detectedAt = detectedAt
            self.now = now
            self.offset = offset
            self.channel = channel
            self.allowOld = allowOld
            self.ownAccounts = ownAccounts.mapValues { Set($0.map { $0.lowercased() }) }
        }
    }

    /// A message read from the file, and where: its line (CSV counting the header as line 1, as a
    /// spreadsheet numbers rows; JSONL) or its item number in the export's list (from 1).
    public struct Item: Sendable {
        public let position: Int
        public let request: RegisterMessageRequest
    }

    public struct Refusal: Sendable, Equatable {
        public let position: Int
        public let phrase: Phrase
    }

    public struct Parsed: Sendable {
        public var items: [Item] = []
        public var refused: [Refusal] = []
        /// What is not a post at all and is passed over (Telegram's service messages).
        public var skipped = 0
        /// What the administration's own accounts wrote (their replies in a thread), passed over.
        public var own = 0
    }

    /// A file that is not of its format: said whole, nothing is imported.
    public struct FileRefusal: Error, Sendable {
        public let phrase: Phrase
    }

    /// The format a file's name and first bytes say: .csv, .jsonl; JSON with `response` or `items`
    /// (VK) or `messages` (Telegram).
    public static func detect(path: String, data: [UInt8]) -> Format? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { return .jsonl }
        guard let object = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else { return nil }
        if object["messages"] is [Any] { return .telegram }
        if object["response"] != nil || object["items"] is [Any] { return .vk }
        return nil
    }

    public static func parse(_ data: [UInt8], as format: Format, options: Options) throws(FileRefusal) -> Parsed {
        guard let text = String(validating: data, as: UTF8.self) else { throw FileRefusal(phrase: ImportWords.notUTF8) }
        switch format {
        case .csv: return try csv(text, options)
        case .jsonl: return jsonl(text, options)
        case .vk: return try vk(data, options)
        case .telegram: return try telegram(data, options)
        }
    }

    // MARK: CSV

    static func csv(_ text: String, _ options: Options) throws(FileRefusal) -> Parsed {
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        let header = body.prefix { $0 != "\n" && $0 != "\r" }
        // The separator the header uses: a spreadsheet under a Russian locale writes `;`.
        let separator: Character = header.filter { $0 == ";" }.count >= header.filter { $0 == "," }.count ? ";" : ","
        guard let rows = CSV.parse(body, separator: separator) else {
            throw FileRefusal(phrase: ImportWords.unclosedQuote)
        }
        guard let headings = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces) }) else {
            throw FileRefusal(phrase: ImportWords.emptyFile)
        }
        // A heading is a column's key or its heading in either language (`Соцсеть`, `Ссылка`, ...).
        let names = headings.map { column(named: $0) ?? $0 }
        let unknown = zip(headings, names).filter { !columns.contains($0.1) }.map(\.0)
        guard unknown.isEmpty else {
            throw FileRefusal(
                phrase: ImportWords.unknownColumns(unknown.joined(separator: ", "), columns))
        }
        let missing = requiredColumns.filter { !names.contains($0) }
        guard missing.isEmpty else {
            throw FileRefusal(phrase: ImportWords.missingColumns(missing))
        }
        let repeated = Set(names.filter { name in names.filter { $0 == name }.count > 1 })
        guard repeated.isEmpty else {
            throw FileRefusal(phrase: ImportWords.repeatedColumns(repeated.sorted().joined(separator: ", ")))
        }
        var parsed = Parsed()
        for (index, row) in rows.enumerated().dropFirst() {
            let line = index + 1
            guard row.count == names.count else {
                parsed.refused.append(Refusal(position: line, phrase: ImportWords.cellCount(row.count, names.count)))
                continue
            }
            let fields = Dictionary(
                uniqueKeysWithValues: zip(names, row.map { $0.trimmingCharacters(in: .whitespaces) }))
            do throws(LineRefusal) {
                parsed.items.append(Item(position: line, request: try request(fields, options)))
            } catch {
                parsed.refused.append(Refusal(position: line, phrase: error.phrase))
            }
        }
        return parsed
    }

    /// The column a heading names: its key (`network`) or its heading in either language (`Соцсеть`,
    /// `Network`), case and `ё` aside; nil for none.
    static func column(named heading: String) -> String? {
        let typed = SpokenInput.words(heading).joined(separator: " ")
        return columns.first { key in
            ([key, key.replacingOccurrences(of: "_", with: " ")] + ImportWords.columnNames(key)).contains {
                SpokenInput.words($0).joined(separator: " ") == typed
            }
        }
    }

    struct LineRefusal: Error {
        let phrase: Phrase
    }

    /// A request from text fields named as the columns are (CSV cells, or JSONL values as text).
    static func request(_ raw: [String: String], _ options: Options) throws(LineRefusal) -> RegisterMessageRequest {
        // A cell typed in a spreadsheet on Windows breaks its lines with CR LF.
        let fields = raw.mapValues(normalizedLines)
        var request = RegisterMessageRequest()
        // A network as people name it ("ВКонтакте", "ВК") or by its code.
        let network = fields["network", default: ""]
        request.network = NetworkNames.code(of: network) ?? network.lowercased()
        request.url = fields["url", default: ""]
        request.author = fields["author", default: ""]
        request.text = fields["text", default: ""]
        for name in requiredColumns where fields[name, default: ""].isEmpty {
            throw LineRefusal(phrase: ImportWords.emptyField(name))
        }
        request.detectedAtUnix =
            try instant(fields["detected_at", default: ""], "detected_at", options)?.seconds
            ?? options.detectedAt.seconds
        request.postedAtUnix = try instant(fields["posted_at", default: ""], "posted_at", options)?.seconds ?? 0
        request.externalID = fields["external_id", default: ""]
        request.topics = fields["topics", default: ""].split(whereSeparator: { $0 == "|" || $0 == "," }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }.filter { !$0.isEmpty }
        request.importance = try importance(fields["importance", default: ""])
        request.allowOld = options.allowOld
        return request
    }

    /// Line breaks as LF (CR LF and a lone CR as written on Windows and old Macs).
    static func normalizedLines(_ text: String) -> String {
        text.contains("\r")
            ? text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n") : text
    }

    static func instant(_ text: String, _ field: String, _ options: Options) throws(LineRefusal) -> Instant? {
        guard !text.isEmpty else { return nil }
        guard let instant = TimeInput.parse(text, now: options.now, offset: options.offset) else {
            throw LineRefusal(phrase: ImportWords.notATime(field, text))
        }
        return instant
    }

    static func importance(_ text: String) throws(LineRefusal) -> Wire.Importance {
        switch text.lowercased() {
        case "", "normal", "обычная": return .normal
        case "high", "высокая": return .high
        default: throw LineRefusal(phrase: ImportWords.notAnImportance(text))  // any other word: refused
        }
    }

    // MARK: JSONL

    static func jsonl(_ text: String, _ options: Options) -> Parsed {
        var parsed = Parsed()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            do throws(LineRefusal) {
                parsed.items.append(Item(position: index + 1, request: try jsonLine(trimmed, options)))
            } catch {
                parsed.refused.append(Refusal(position: index + 1, phrase: error.phrase))
            }
        }
        return parsed
    }

    /// One RegisterMessage-shaped object: the CSV's keys (times as text), or the request's own
    /// `detected_at_unix`/`posted_at_unix`; topics an array or text.
    static func jsonLine(_ line: String, _ options: Options) throws(LineRefusal) -> RegisterMessageRequest {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw LineRefusal(phrase: ImportWords.notAJSONObject)
        }
        let known = Set(columns + ["detected_at_unix", "posted_at_unix", "allow_old"])
        let unknown = object.keys.filter { !known.contains($0) }.sorted()
        guard unknown.isEmpty else {
            throw LineRefusal(
                phrase: ImportWords.unknownKeys(unknown.joined(separator: ", "), known.sorted().joined(separator: ", "))
            )
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: fields[key] = text
            case let list as [Any] where key == "topics":
                fields[key] = list.compactMap { $0 as? String }.joined(separator: "|")
            case let number as NSNumber where key.hasSuffix("_unix"):
                guard let seconds = Int64(exactly: number.doubleValue), Instant(seconds: seconds).isAccepted else {
                    throw LineRefusal(phrase: ImportWords.notATime(key, number.stringValue))
                }
                fields[String(key.dropLast("_unix".count))] = Instant(seconds: seconds).iso(offset: 0)
            case is NSNull: continue
            case let flag as Bool where key == "allow_old": fields[key] = flag ? "1" : ""
            default: throw LineRefusal(phrase: ImportWords.wrongType(key))  // any other JSON value: refused
            }
        }
        var request = try request(fields, options)
        if fields["allow_old"] == "1" { request.allowOld = true }
        return request
    }

    // MARK: VK

    /// The JSON of the VK API's wall.get, wall.getComments or newsfeed.search (`response.items`, with
    /// `profiles` and `groups` when asked with extended=1): a comment links to its post with
    /// `?reply=`, a post to itself.
    static func vk(_ data: [UInt8], _ options: Options) throws(FileRefusal) -> Parsed {
        guard let root = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any] else {
            throw FileRefusal(phrase: ImportWords.notTheJSONOf("VK"))
        }
        if let error = root["error"] as? [String: Any] {
            throw FileRefusal(phrase: ImportWords.vkError(error["error_msg"] as? String ?? "?"))
        }
        let response = root["response"] as? [String: Any] ?? root
        guard let items = response["items"] as? [Any] else { throw FileRefusal(phrase: ImportWords.notTheJSONOf("VK")) }
        var names: [Int64: String] = [:]
        // The handles VK links an author by (screen names, and id123 / club123 always).
        var handles: [Int64: Set<String>] = [:]
        for profile in response["profiles"] as? [[String: Any]] ?? [] {
            guard let id = integer(profile["id"]) else { continue }
            names[id] = [profile["first_name"] as? String, profile["last_name"] as? String].compactMap { $0 }
                .joined(separator: " ")
            if let screen = profile["screen_name"] as? String { handles[id, default: []].insert(screen.lowercased()) }
        }
        for group in response["groups"] as? [[String: Any]] ?? [] {
            guard let id = integer(group["id"]), let name = group["name"] as? String else { continue }
            names[-id] = name
            if let screen = group["screen_name"] as? String { handles[-id, default: []].insert(screen.lowercased()) }
        }
        let own = options.ownAccounts["vk"] ?? []
        var parsed = Parsed()
        for (index, value) in items.enumerated() {
            let position = index + 1
            guard let item = value as? [String: Any], let id = integer(item["id"]),
                let owner = integer(item["owner_id"])
            else {
                parsed.refused.append(Refusal(position: position, phrase: ImportWords.vkItemWithoutIDs))
                continue
            }
            let text = (item["text"] as? String ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty, item["deleted"] as? Bool != true else {
                parsed.refused.append(Refusal(position: position, phrase: ImportWords.noText))
                continue
            }
            let from = integer(item["from_id"]) ?? owner
            let handle = from < 0 ? ["club\(-from)", "public\(-from)"] : ["id\(from)"]
            if !own.isDisjoint(with: handles[from, default: []].union(handle)) {
                parsed.own += 1
                continue
            }
            var request = RegisterMessageRequest()
            request.network = "vk"
            if let post = integer(item["post_id"]) {
                request.url = "https://vk.com/wall\(owner)_\(post)?reply=\(id)"
                request.externalID = "\(owner)_\(post)_\(id)"
            } else {
                request.url = "https://vk.com/wall\(owner)_\(id)"
                request.externalID = "\(owner)_\(id)"
            }
            request.author = names[from] ?? (from < 0 ? "club\(-from)" : "id\(from)")
            request.text = normalizedLines(text)
            if let date = integer(item["date"]), Instant(seconds: date).isAccepted { request.postedAtUnix = date }
            request.detectedAtUnix = options.detectedAt.seconds
            request.allowOld = options.allowOld
            parsed.items.append(Item(position: position, request: request))
        }
        return parsed
    }

    /// An id or a time of an export: an integer, read whole (VK's ids pass 2^53, where a Double
    /// would merge two posts) and never Int64.min (whose negation, a group's id, does not exist).
    static func integer(_ value: Any?) -> Int64? {
        let read: Int64? =
            switch value {
            case let number as NSNumber: Int64(number.stringValue)
            case let text as String: Int64(text)
            default: nil  // any other JSON value: none
            }
        return read == .min ? nil : read
    }

    // MARK: Telegram

    /// Telegram Desktop's chat export (`result.json`): `messages[]` with `id`, `date` (local time of
    /// the exporting machine) and `date_unixtime`, `from`, `text` as a string or a list of text
    /// entities. Service messages (joins, pins) are passed over.
    static func telegram(_ data: [UInt8], _ options: Options) throws(FileRefusal) -> Parsed {
        guard let root = try? JSONSerialization.jsonObject(with: Data(data)) as? [String: Any],
            let messages = root["messages"] as? [Any]
        else { throw FileRefusal(phrase: ImportWords.notTheJSONOf("Telegram")) }
        let chat = integer(root["id"])
        let channelName = root["name"] as? String
        var channel: String?
        if let link = options.channel {
            guard let name = telegramChannel(link) else { throw FileRefusal(phrase: ImportWords.notAChannel(link)) }
            channel = name
        }
        var parsed = Parsed()
        for (index, value) in messages.enumerated() {
            let position = index + 1
            guard let message = value as? [String: Any], let id = integer(message["id"]) else {
                parsed.refused.append(Refusal(position: position, phrase: ImportWords.telegramItemWithoutID))
                continue
            }
            if let type = message["type"] as? String, type != "message" {
                parsed.skipped += 1
                continue
            }
            // The channel's own posts, when the export is of the administration's own channel.
            if let channel, options.ownAccounts["tg", default: []].contains(channel.lowercased()),
                (message["from_id"] as? String)?.hasPrefix("channel") == true
            {
                parsed.own += 1
                continue
            }
            let text = telegramText(message["text"]).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else {
                parsed.refused.append(Refusal(position: position, phrase: ImportWords.noText))
                continue
            }
            var request = RegisterMessageRequest()
            request.text = normalizedLines(text)
            request.network = "tg"
            if let channel {
                request.url = "https://t.me/\(channel)/\(id)"
            } else if let chat {
                // The link Telegram gives a message of a private channel or group, for its members.
                request.url = "https://t.me/c/\(chat)/\(id)"
            } else {
                parsed.refused.append(Refusal(position: position, phrase: ImportWords.telegramNoChat))
                continue
            }
            request.externalID = chat.map { "\($0)/\(id)" } ?? ""
            request.author = (message["from"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? channelName ?? "?"
            if let unix = integer(message["date_unixtime"]) {
                request.postedAtUnix = unix
            } else if let local = message["date"] as? String,
                let posted = TimeInput.parse(local, now: options.now, offset: options.offset)
            {
                request.postedAtUnix = posted.seconds
            }
            request.detectedAtUnix = options.detectedAt.seconds
            request.allowOld = options.allowOld
            parsed.items.append(Item(position: position, request: request))
        }
        return parsed
    }

    /// `text` as a string, or a list of strings and entities (`{"type": "link", "text": ...}`).
    static func telegramText(_ value: Any?) -> String {
        if let text = value as? String { return text }
        return (value as? [Any] ?? []).map { part in
            (part as? String) ?? ((part as? [String: Any])?["text"] as? String ?? "")
        }.joined()
    }

    /// NAME of https://t.me/NAME (or t.me/NAME, @NAME).
    static func telegramChannel(_ link: String) -> String? {
        var name = link
        for prefix in ["https://", "http://"] where name.hasPrefix(prefix) { name.removeFirst(prefix.count) }
        for prefix in ["t.me/", "telegram.me/", "@"] where name.hasPrefix(prefix) { name.removeFirst(prefix.count) }
        while name.hasSuffix("/") { name.removeLast() }
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "_"))
        guard (5...64).contains(name.count), name.unicodeScalars.allSatisfy({ $0.isASCII && allowed.contains($0) })
        else { return nil }
        return name
    }
}
