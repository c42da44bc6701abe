import COtklikProto
import CProtobufC
import OtklikCore
public import OtklikRPC

/// The one check every request passes before it is decoded: each value from outside is bounded
/// here, by the field's name, so a handler never sees a string too long to store, a control
/// character, text that is not UTF-8, an instant outside the years the tool works in, or an integer
/// whose arithmetic could trap.
///
/// It walks the protobuf wire bytes with protobuf-c's descriptor of the request, so it sees what
/// decoding would hide (protobuf-c ends a string at its first NUL byte). Unknown fields pass (an
/// older daemon must accept a newer client's additions); groups and broken encodings are refused.
/// Limits are listed in docs/PROTOCOL.md ("Limits"); a refusal is INVALID_ARGUMENT naming the field
/// and the limit, before any work is done with the request.
public enum WireBounds {
    /// Bytes a string field may hold, by field name; others get `defaultStringBytes`.
    public static let stringBytes: [String: Int] = [
        "text": 64 << 10, "measures": 64 << 10,
        "author": 512, "full_name": 512, "name": 512, "title": 512,
        "url": 2 << 10,
        "external_id": 256,
        "topic": 100, "topics": 100,
        "reason": 4 << 10, "comment": 4 << 10, "note": 4 << 10, "source": 4 << 10,
        "csv": 2 << 20,
        // The connectors' words (issue 29): a network's error message, a connector's last error.
        "network_message": 1 << 10, "last_error": 1 << 10, "community": 256, "external_prefix": 256, "holder": 100,
        "change_id": 100,
    ]
    public static let defaultStringBytes = 512

    /// Elements a repeated field may hold, by field name; others get `defaultRepeated`.
    public static let repeatedCount: [String: Int] = [
        "topics": 20, "executors": 20, "roles": 8, "kinds": 64,
        // SubmitDraft's files (p.19): a draft carries at most 20 (Workflow.maxDraftFiles).
        "attachments": 20, "detach": 20,
        // An incident's cases named in one call: at most what an incident holds (issue 31).
        "case_ids": Incident.maxCases,
        // Events/Export's keys of the details a reader takes (otklik-rollup's list and its --include).
        "keep": 100,
    ]
    public static let defaultRepeated = 1000

    /// Fields whose text may hold carriage returns (files as written on Windows).
    static let carriageReturnAllowed: Set<String> = ["csv"]

    /// Closed ranges of integer fields, by field name. Fields ending in `_unix` are instants:
    /// 0 (absent) or within `Instant.accepted`.
    public static let integerRanges: [String: ClosedRange<Int64>] = [
        "expected_version": 0...Int64(Int32.max),
        "id": 0...Int64.max,
        "from_sequence": 0...Int64.max,
        "limit": 0...1000,
        "seconds": 0...(366 * 86_400),
        "year": Int64(Instant.acceptedYears.lowerBound)...Int64(Instant.acceptedYears.upperBound),
        "month": 1...12,
        "weekday": 1...7,
        "working_weekend_hours": 0...7,
        "start_minute": 0...1440,
        "end_minute": 0...1440,
        "minutes": -5_000_000...5_000_000,
        "working_days": 0...3660,
        "delay_ms": 0...60_000,
        "interval_ms": 0...60_000,
        "count": 0...100_000,
        "body_size": 0...(1 << 20),
    ]

    /// Nesting deeper than this is refused (our messages nest three levels at most).
    static let maxDepth = 16

    /// Checks `bytes` as a `Message`; throws INVALID_ARGUMENT with the field and the limit.
    public static func check<Message: ProtoMessage>(_ bytes: [UInt8], as _: Message.Type) throws(RPCError) {
        let descriptor = Message.cDescriptor
        let result: RPCError? = withUnsafePointer(to: descriptor) { pointer -> RPCError? in
            bytes.withUnsafeBufferPointer { buffer -> RPCError? in
                var walker = Walker(bytes: buffer)
                do throws(RPCError) {
                    try walker.message(pointer, end: buffer.count, path: "", depth: 0)
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let result { throw result }
    }

    private struct Walker {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func message(
            _ descriptor: UnsafePointer<ProtobufCMessageDescriptor>, end: Int, path: String, depth: Int
        ) throws(RPCError) {
            guard depth <= WireBounds.maxDepth else { throw refuse("\(path): messages nest too deep") }
            var counts: [UInt32: Int] = [:]
            while index < end {
                let key = try varint(end: end, path: path)
                let number = UInt32(truncatingIfNeeded: key >> 3)
                let wireType = Int(key & 7)
                guard number > 0, key >> 3 <= 0x1FFF_FFFF else {
                    throw refuse("\(label(path)): field number 0 or too large")
                }
                guard let field = protobuf_c_message_descriptor_get_field(descriptor, number) else {
                    try skip(wireType, end: end, path: path)
                    continue
                }
                let name = String(cString: field.pointee.name)
                let fieldPath = path.isEmpty ? name : "\(path).\(name)"
                if field.pointee.label.rawValue == CField.repeated {
                    let limit = WireBounds.repeatedCount[name] ?? WireBounds.defaultRepeated
                    let count = counts[number, default: 0] + 1
                    counts[number] = count
                    if count > limit {
                        throw refuse(Refusals.Requests.tooMany(["path": fieldPath, "max": String(limit)]))
                    }
                }
                try value(field, wireType: wireType, end: end, path: fieldPath, name: name, depth: depth)
            }
            guard index == end else { throw refuse("\(label(path)): a field runs past the end of its message") }
        }

        private mutating func value(
            _ field: UnsafePointer<ProtobufCFieldDescriptor>, wireType: Int, end: Int, path: String, name: String,
            depth: Int
        ) throws(RPCError) {
            let type = field.pointee.type.rawValue
            switch type {
            case CField.string:
                guard wireType == 2 else { throw refuse("\(path): not encoded as a string") }
                let (start, stop) = try lengthDelimited(end: end, path: path)
                try WireBounds.checkString(UnsafeBufferPointer(rebasing: bytes[start..<stop]), field: name, path: path)
            case CField.message:
                guard wireType == 2 else { throw refuse("\(path): not encoded as a message") }
                let (start, stop) = try lengthDelimited(end: end, path: path)
                guard let sub = field.pointee.descriptor?.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
                else {
                    index = stop
                    return
                }
                index = start
                try message(sub, end: stop, path: path, depth: depth + 1)
            case CField.bytes:
                guard wireType == 2 else { throw refuse("\(path): not encoded as bytes") }
                _ = try lengthDelimited(end: end, path: path)
            case CField.int32, CField.int64, CField.uint32, CField.uint64, CField.bool, CField.enum:
                if wireType == 2 {
                    // A packed repeated field: every element is checked.
                    let (start, stop) = try lengthDelimited(end: end, path: path)
                    let limit = WireBounds.repeatedCount[name] ?? WireBounds.defaultRepeated
                    var count = 0
                    index = start
                    while index < stop {
                        count += 1
                        guard count <= limit else {
                            throw refuse(Refusals.Requests.tooMany(["path": path, "max": String(limit)]))
                        }
                        try integer(type, try varint(end: stop, path: path), path: path, name: name)
                    }
                } else {
                    guard wireType == 0 else { throw refuse("\(path): not encoded as an integer") }
                    try integer(type, try varint(end: end, path: path), path: path, name: name)
                }
            default:  // any other field type: skipped by its wire type
                try skip(wireType, end: end, path: path)
            }
        }

        private func integer(_ type: UInt32, _ raw: UInt64, path: String, name: String) throws(RPCError) {
            let value: Int64
            switch type {
            case CField.int32, CField.enum: value = Int64(Int32(truncatingIfNeeded: raw))
            case CField.uint32: value = Int64(UInt32(truncatingIfNeeded: raw))
            case CField.uint64:
                guard raw <= UInt64(Int64.max) else { throw refuse("\(path): \(raw) is out of range") }
                value = Int64(raw)
            case CField.bool:
                guard raw <= 1 else { throw refuse("\(path): a boolean is 0 or 1, not \(raw)") }
                return
            default: value = Int64(bitPattern: raw)  // the other integer types: their raw value
            }
            if name.hasSuffix("_unix") {
                guard value == 0 || Instant(seconds: value).isAccepted else {
                    throw refuse(
                        Refusals.Requests.instantOutOfRange([
                            "path": path, "value": String(value), "from": Instant.accepted.lowerBound.iso(offset: 0),
                            "to": Instant.accepted.upperBound.iso(offset: 0),
                        ]))
                }
            } else if let range = WireBounds.integerRanges[name], !range.contains(value) {
                throw refuse(
                    Refusals.Requests.outOfRange([
                        "path": path, "value": String(value), "min": String(range.lowerBound),
                        "max": String(range.upperBound),
                    ]))
            }
        }

        private mutating func skip(_ wireType: Int, end: Int, path: String) throws(RPCError) {
            switch wireType {
            case 0: _ = try varint(end: end, path: path)
            case 1: try advance(8, end: end, path: path)
            case 2: _ = try lengthDelimited(end: end, path: path)
            case 5: try advance(4, end: end, path: path)
            // Wire types 3, 4 (groups) and 6, 7 (none).
            default: throw refuse("\(label(path)): wire type \(wireType) is not accepted")
            }
        }

        private mutating func advance(_ count: Int, end: Int, path: String) throws(RPCError) {
            guard end - index >= count else { throw refuse("\(label(path)): truncated") }
            index += count
        }

        private mutating func lengthDelimited(end: Int, path: String) throws(RPCError) -> (Int, Int) {
            let length = try varint(end: end, path: path)
            guard length <= UInt64(end - index) else { throw refuse("\(label(path)): a length runs past the end") }
            let start = index
            index += Int(length)
            return (start, index)
        }

        private mutating func varint(end: Int, path: String) throws(RPCError) -> UInt64 {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while index < end, shift < 70 {
                let byte = bytes[index]
                index += 1
                result |= UInt64(byte & 0x7f) << shift
                if byte & 0x80 == 0 { return result }
                shift += 7
            }
            throw refuse("\(label(path)): a broken number")
        }

        /// How a refusal names where it is: the field's path, or the request itself at the top.
        private func label(_ path: String) -> String { path.isEmpty ? "request" : path }

        /// A request no client of ours would send (broken encoding): the sentence for its author.
        private func refuse(_ sentence: String) -> RPCError {
            RPCError(.invalidArgument, Refusals.Requests.malformed(["detail": sentence]))
        }

        private func refuse(_ refused: Refused) -> RPCError {
            RPCError(.invalidArgument, refused)
        }
    }

    /// Checks a value that arrives inside another one (a cell of an imported CSV file) against the
    /// limits of the field it becomes, with the same sentence as on the wire.
    public static func check(_ text: String, field: String, path: String) throws(RPCError) {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBufferPointer { buffer throws(RPCError) in try checkString(buffer, field: field, path: path)
        }
    }

    /// A string field's bytes: within its limit (checked first, before looking at the text), UTF-8,
    /// and free of control characters other than tab and newline.
    static func checkString(_ value: UnsafeBufferPointer<UInt8>, field: String, path: String) throws(RPCError) {
        let limit = stringBytes[field] ?? defaultStringBytes
        guard value.count <= limit else {
            throw RPCError(
                .invalidArgument,
                Refusals.Requests.tooLong(["path": path, "size": String(value.count), "max": String(limit)]))
        }
        guard let text = String(validating: value, as: UTF8.self) else {
            throw RPCError(.invalidArgument, Refusals.Requests.notUTF8(["path": path]))
        }
        let carriageReturn = carriageReturnAllowed.contains(field)
        for scalar in text.unicodeScalars {
            let code = scalar.value
            if code == 9 || code == 10 || (code == 13 && carriageReturn) { continue }
            if code < 0x20 || (0x7f...0x9f).contains(code) {
                let shown = code == 0 ? "NUL" : "U+\(String(code, radix: 16, uppercase: true).leftPadded(4))"
                throw RPCError(
                    .invalidArgument, Refusals.Requests.controlCharacter(["path": path, "character": shown]))
            }
        }
    }
}

/// protobuf-c's `ProtobufCType` and `ProtobufCLabel` values (its enum constants do not import).
private enum CField {
    static let int32: UInt32 = 0, int64: UInt32 = 3, uint32: UInt32 = 6, uint64: UInt32 = 8
    static let bool: UInt32 = 12, `enum`: UInt32 = 13, string: UInt32 = 14, bytes: UInt32 = 15, message: UInt32 = 16
    static let repeated: UInt32 = 2
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
