public import COtklikProto
import CProtobufC

/// Owns the C memory a protobuf-c message points into while it is being packed.
///
/// protoc-c messages hold `char *` and raw byte pointers; building one from Swift values needs
/// that memory to outlive the `pack` call. Everything the arena hands out is freed with it.
public final class CArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    public init() {}

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }

    /// A NUL-terminated copy of `string`.
    public func string(_ string: String) -> UnsafeMutablePointer<CChar> {
        var utf8 = Array(string.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        pointer.initialize(from: &utf8, count: utf8.count)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// Bytes for a `bytes` field; an empty array is `{0, NULL}` as protobuf-c expects.
    public func bytes(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        guard !bytes.isEmpty else { return ProtobufCBinaryData(len: 0, data: nil) }
        let pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return ProtobufCBinaryData(len: bytes.count, data: pointer)
    }

    /// A C copy of `value`, for sub-message fields.
    public func box<T>(_ value: T) -> UnsafeMutablePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: 1)
        pointer.initialize(to: value)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// An array of pointers to C copies of `values`, for repeated message fields.
    public func boxes<T>(_ values: [T]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        guard !values.isEmpty else { return nil }
        let array = UnsafeMutablePointer<UnsafeMutablePointer<T>?>.allocate(capacity: values.count)
        for (index, value) in values.enumerated() {
            (array + index).initialize(to: box(value))
        }
        allocations.append(UnsafeMutableRawPointer(array))
        return array
    }

    /// A C copy of `values`, for repeated scalar fields.
    public func array<T>(_ values: [T]) -> UnsafeMutablePointer<T>? {
        guard !values.isEmpty else { return nil }
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: values.count)
        pointer.initialize(from: values, count: values.count)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return pointer
    }

    /// An array of C strings, for repeated string fields.
    public func strings(_ values: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        guard !values.isEmpty else { return nil }
        let array = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: values.count)
        for (index, value) in values.enumerated() {
            (array + index).initialize(to: string(value))
        }
        allocations.append(UnsafeMutableRawPointer(array))
        return array
    }
}

/// Conversions at the protobuf-c edge. Only codec files call these.
public enum ProtobufC {
    /// Packs any protoc-c message through its `base` header.
    public static func pack(_ message: UnsafePointer<ProtobufCMessage>) -> [UInt8] {
        let size = protobuf_c_message_get_packed_size(message)
        return [UInt8](unsafeUninitializedCapacity: max(size, 1)) { buffer, count in
            // Safe to unwrap: the capacity is at least 1, so the buffer has an address.
            count = protobuf_c_message_pack(message, buffer.baseAddress!)
        }
    }

    /// Packs a protoc-c message struct (its first member is `base`).
    public static func pack<Message>(_ message: inout Message) -> [UInt8] {
        withUnsafePointer(to: &message) { pointer in
            pointer.withMemoryRebound(to: ProtobufCMessage.self, capacity: 1) { pack($0) }
        }
    }

    /// Unpacks `bytes` with `unpack` (a protoc-c `*_unpack` function), converts the result with
    /// `convert` and frees what protobuf-c allocated. Undecodable bytes throw INVALID_ARGUMENT.
    public static func unpack<CMessage, Value>(
        _ bytes: [UInt8],
        as name: String,
        unpack: (UnsafeMutablePointer<ProtobufCAllocator>?, Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<
            CMessage
        >?,
        free: (UnsafeMutablePointer<CMessage>?, UnsafeMutablePointer<ProtobufCAllocator>?) -> Void,
        convert: (UnsafeMutablePointer<CMessage>) throws(RPCError) -> Value
    ) throws(RPCError) -> Value {
        let message: UnsafeMutablePointer<CMessage>? = bytes.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress {
                return unpack(nil, buffer.count, base)
            }
            var empty: UInt8 = 0
            return unpack(nil, 0, &empty)
        }
        guard let message else {
            throw RPCError(.invalidArgument, "cannot decode \(name): not a valid protobuf message")
        }
        defer { free(message, nil) }
        return try convert(message)
    }

    public static func string(_ pointer: UnsafePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    public static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let base = data.data else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: data.len))
    }

    public static func array<T>(_ pointer: UnsafeMutablePointer<T>?, count: Int) -> [T] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: pointer, count: count))
    }

    /// The messages a repeated message field points to, converted.
    public static func messages<C, V>(
        _ pointer: UnsafeMutablePointer<UnsafeMutablePointer<C>?>?, count: Int, _ convert: (C) throws(RPCError) -> V
    ) throws(RPCError) -> [V] {
        guard let pointer, count > 0 else { return [] }
        var values: [V] = []
        values.reserveCapacity(count)
        for index in 0..<count {
            guard let element = pointer[index] else { continue }
            values.append(try convert(element.pointee))
        }
        return values
    }

    public static func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, count: Int) -> [String] {
        guard let pointer, count > 0 else { return [] }
        return (0..<count).map { string(pointer[$0]) }
    }
}

extension ProtobufC {
    /// Unpacks `bytes` as the message `descriptor` describes (nested messages have no `*_unpack` of
    /// their own), converts it with `convert` and frees it.
    public static func unpack<CMessage, Value>(
        _ bytes: [UInt8], as name: String, descriptor: ProtobufCMessageDescriptor,
        convert: (UnsafeMutablePointer<CMessage>) throws(RPCError) -> Value
    ) throws(RPCError) -> Value {
        try withUnsafePointer(to: descriptor) { (pointer) throws(RPCError) -> Value in
            let message: UnsafeMutablePointer<ProtobufCMessage>? = bytes.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress {
                    return protobuf_c_message_unpack(pointer, nil, buffer.count, base)
                }
                var empty: UInt8 = 0
                return protobuf_c_message_unpack(pointer, nil, 0, &empty)
            }
            guard let message else {
                throw RPCError(.invalidArgument, "cannot decode \(name): not a valid protobuf message")
            }
            defer { protobuf_c_message_free_unpacked(message, nil) }
            return try message.withMemoryRebound(to: CMessage.self, capacity: 1) { (typed) throws(RPCError) in
                try convert(typed)
            }
        }
    }
}
