/// A pull reader of JSON text, for types that read their stored JSON straight into their fields
/// (`WorkflowEvent.init(json:)`): no tree of values is built and no Decoder's containers are boxed, so
/// a log event reads in about 5 µs where Foundation's JSONDecoder took 24 (perf of `Events/Export`
/// with facts, which folds every event it sends). What it accepts is RFC 8259's grammar and no more: text
/// that JSONDecoder refuses (a control character or a lone surrogate in a string, invalid UTF-8,
/// anything after the value) is refused here too, and a number is read only as a whole 64-bit integer
/// (the stored types hold no fractions). A value passed over (`skip()`) or copied (`copy(keeping:into:)`)
/// is nested at most `maximumDepth` deep below where it starts.
///
/// Used as: `try JSONReader.read(bytes) { reader in ... }`, then `beginObject()` and `nextKey()` until
/// it returns nil (`skip()` a key that is not known), or `beginArray()` and `nextElement()`.
public struct JSONReader {
    /// Why the text was not read, and the byte offset where that became clear.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let message: String
        public let offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// As deep as JSONDecoder reads.
    public static let maximumDepth = 512

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The byte offset of what is read next.
    public var offset: Int { index }

    /// Reads one value from `bytes` with `body`, then refuses anything but white space after it.
    public static func read<T>(_ bytes: [UInt8], _ body: (inout JSONReader) throws(Failure) -> T) throws(Failure)
        -> T
    {
        let result: Result<T, Failure> = bytes.withUnsafeBufferPointer { buffer in
            var reader = JSONReader(buffer)
            do throws(Failure) {
                let value = try body(&reader)
                reader.skipSpace()
                guard reader.index == buffer.count else { throw reader.failure("text after the value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    // MARK: Objects and arrays

    /// `{`: then `nextKey()` until nil.
    public mutating func beginObject() throws(Failure) {
        try expect(UInt8(ascii: "{"), "an object")
        pendingFirst = true
    }

    /// The next member's key, its value to be read next; nil at the object's end.
    public mutating func nextKey() throws(Failure) -> String? { try nextMember()?.key }

    /// `nextKey()`, with where the key stands in the text, quotes included.
    private mutating func nextMember() throws(Failure) -> (key: String, quoted: Range<Int>)? {
        guard try another(closedBy: UInt8(ascii: "}"), "expected , or } in an object") else { return nil }
        skipSpace()
        let start = index
        let key = try string()
        let quoted = start..<index
        skipSpace()
        guard peek == UInt8(ascii: ":") else { throw failure("expected : after a key") }
        index += 1
        return (key, quoted)
    }

    /// `[`: then `nextElement()` until false.
    public mutating func beginArray() throws(Failure) {
        try expect(UInt8(ascii: "["), "an array")
        pendingFirst = true
    }

    /// Whether another element follows, to be read next; false at the array's end.
    public mutating func nextElement() throws(Failure) -> Bool {
        try another(closedBy: UInt8(ascii: "]"), "expected , or ] in an array")
    }

    /// Set by `begin…`: the next `next…` reads the first member or element (no comma before it).
    private var pendingFirst = false

    /// Whether another member or element follows in the open object or array, past the comma before it;
    /// false past `close`, its end.
    private mutating func another(closedBy close: UInt8, _ expected: String) throws(Failure) -> Bool {
        skipSpace()
        if peek == close {
            index += 1
            pendingFirst = false
            return false
        }
        if pendingFirst {
            pendingFirst = false
            return true
        }
        guard peek == UInt8(ascii: ",") else { throw failure(expected) }
        index += 1
        return true
    }

    /// An array of elements each read by `element`.
    public mutating func array<T>(_ element: (inout JSONReader) throws(Failure) -> T) throws(Failure) -> [T] {
        try beginArray()
        var values: [T] = []
        while try nextElement() { values.append(try element(&self)) }
        return values
    }

    /// nil for `null`, else the value read by `value`: what an optional field holds.
    public mutating func optional<T>(_ value: (inout JSONReader) throws(Failure) -> T) throws(Failure) -> T? {
        skipSpace()
        if peek == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try value(&self)
    }

    // MARK: Scalars

    public mutating func bool() throws(Failure) -> Bool {
        skipSpace()
        if peek == UInt8(ascii: "t") {
            try literal("true")
            return true
        }
        try literal("false")
        return false
    }

    /// A whole number within Int64 (`-?digits`, no leading zeros, no fraction or exponent).
    public mutating func int64() throws(Failure) -> Int64 {
        skipSpace()
        let start = index
        let negative = peek == UInt8(ascii: "-")
        if negative { index += 1 }
        guard index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) else {
            throw failure("expected a number")
        }
        if bytes[index] == UInt8(ascii: "0"), index + 1 < bytes.count,
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index + 1])
        {
            throw failure("a number with a leading zero")
        }
        // Accumulated negative: Int64.min has no positive counterpart.
        var value: Int64 = 0
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (next, under) = times.subtractingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow, !under else { throw Failure(message: "a number beyond 64 bits", offset: start) }
            value = next
            index += 1
        }
        if peek == UInt8(ascii: ".") || peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            throw failure("a number with a fraction or an exponent where a whole number belongs")
        }
        if negative { return value }
        guard value != .min else { throw Failure(message: "a number beyond 64 bits", offset: start) }
        return -value
    }

    public mutating func int() throws(Failure) -> Int {
        let start = index
        let value = try int64()
        guard let int = Int(exactly: value) else { throw Failure(message: "a number beyond Int", offset: start) }
        return int
    }

    /// A string, its escapes read; refused when it holds a control character, a lone surrogate or bytes
    /// that are not UTF-8.
    public mutating func string() throws(Failure) -> String {
        skipSpace()
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        // The common case: no escape, read in place (ASCII needs no validation).
        var high: UInt8 = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let span = UnsafeBufferPointer(rebasing: bytes[start..<index])
                let text = high < 0x80 ? String(decoding: span, as: UTF8.self) : try utf8(span, at: start)
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw failure("a control character in a string") }
            high |= byte
            index += 1
        }
        var unescaped = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: unescaped, as: UTF8.self) else {
                    throw Failure(message: "a string that is not UTF-8", offset: start)
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &unescaped)
            case ..<0x20:
                throw failure("a control character in a string")
            default:
                unescaped.append(byte)
                index += 1
            }
        }
        throw failure("a string without its closing quote")
    }

    /// A string naming one of `T`'s cases.
    public mutating func raw<T: RawRepresentable>(_ type: T.Type) throws(Failure) -> T where T.RawValue == String {
        let start = index
        let text = try string()
        guard let value = T(rawValue: text) else { throw Failure(message: "no \(T.self) \"\(text)\"", offset: start) }
        return value
    }

    /// Passes over a value of any kind (a key this reader does not know), checking it as it goes.
    public mutating func skip() throws(Failure) {
        // Open arrays and objects, innermost last: true for an object.
        var open: [Bool] = []
        repeat {
            skipSpace()
            switch peek {
            case UInt8(ascii: "{"):
                guard open.count < Self.maximumDepth else { throw failure("nested too deep") }
                try beginObject()
                open.append(true)
            case UInt8(ascii: "["):
                guard open.count < Self.maximumDepth else { throw failure("nested too deep") }
                try beginArray()
                open.append(false)
            case UInt8(ascii: "\""): _ = try string()
            case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try bool()
            case UInt8(ascii: "n"): try literal("null")
            default: try number()
            }
            // Close what ends here; stop at the next value to read.
            while let object = open.last {
                if object {
                    if try nextKey() != nil { break }
                } else if try nextElement() {
                    break
                }
                open.removeLast()
            }
        } while !open.isEmpty
    }

    /// Copies the next value into `text`, compact, leaving out every object member (at any depth) whose
    /// key is not in `keep`: what a reader may take of an event's details (`Events/Export`'s `keep`).
    /// Keys and scalars are copied as written. Returns whether a member was left out.
    public mutating func copy(keeping keep: Set<String>, into text: inout [UInt8], depth: Int = 0) throws(Failure)
        -> Bool
    {
        guard depth < Self.maximumDepth else { throw failure("nested too deep") }
        skipSpace()
        var droppedAny = false
        switch peek {
        case UInt8(ascii: "{"):
            try beginObject()
            text.append(UInt8(ascii: "{"))
            var first = true
            while let (key, quoted) = try nextMember() {
                guard keep.contains(key) else {
                    try skip()
                    droppedAny = true
                    continue
                }
                if !first { text.append(UInt8(ascii: ",")) }
                first = false
                text.append(contentsOf: bytes[quoted])
                text.append(UInt8(ascii: ":"))
                if try copy(keeping: keep, into: &text, depth: depth + 1) { droppedAny = true }
            }
            text.append(UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            try beginArray()
            text.append(UInt8(ascii: "["))
            var first = true
            while try nextElement() {
                if !first { text.append(UInt8(ascii: ",")) }
                first = false
                if try copy(keeping: keep, into: &text, depth: depth + 1) { droppedAny = true }
            }
            text.append(UInt8(ascii: "]"))
        default:
            let start = index
            try skip()
            text.append(contentsOf: bytes[start..<index])
        }
        return droppedAny
    }

    // MARK: The text

    private var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

    private func failure(_ message: String) -> Failure {
        Failure(message: index < bytes.count ? message : "\(message) (the text ends)", offset: index)
    }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws(Failure) {
        skipSpace()
        guard peek == byte else { throw failure("expected \(what)") }
        index += 1
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
            word.withUTF8Buffer({ word in word.elementsEqual(bytes[index..<(index + count)]) })
        else { throw failure("expected \(word)") }
        index += count
    }

    /// Any JSON number, for `skip()`: `-? int frac? exp?`.
    private mutating func number() throws(Failure) {
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        if peek == UInt8(ascii: "-") { index += 1 }
        guard digits.contains(peek) else { throw failure("expected a value") }
        if peek == UInt8(ascii: "0") {
            index += 1
        } else {
            while digits.contains(peek) { index += 1 }
        }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard digits.contains(peek) else { throw failure("expected a digit after the point") }
            while digits.contains(peek) { index += 1 }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard digits.contains(peek) else { throw failure("expected a digit in the exponent") }
            while digits.contains(peek) { index += 1 }
        }
    }

    /// After a backslash: the escaped character's UTF-8 appended.
    private mutating func escape(into text: inout [UInt8]) throws(Failure) {
        let byte = peek
        index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
        case UInt8(ascii: "b"): text.append(0x08)
        case UInt8(ascii: "f"): text.append(0x0C)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try hex4())
            if (0xD800...0xDBFF).contains(scalar) {
                guard peek == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u")
                else { throw failure("a lone surrogate") }
                index += 2
                let low = UInt32(try hex4())
                guard (0xDC00...0xDFFF).contains(low) else { throw failure("a lone surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw failure("a lone surrogate")
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw failure("not a character") }
            UTF8.encode(unicode) { text.append($0) }
        default:
            index -= 1
            throw failure("an unknown escape")
        }
    }

    private mutating func hex4() throws(Failure) -> UInt16 {
        guard index + 4 <= bytes.count else { throw failure("a \\u escape cut short") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure("expected a hex digit")
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    private func utf8(_ buffer: UnsafeBufferPointer<UInt8>, at start: Int) throws(Failure) -> String {
        guard let text = String(validating: buffer, as: UTF8.self) else {
            throw Failure(message: "a string that is not UTF-8", offset: start)
        }
        return text
    }
}
