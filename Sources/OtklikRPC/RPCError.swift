/// The one error type of the RPC boundary: a code a client can switch on and a message a person can
/// act on. `details` travel as `google.protobuf.Any` in the status.
public struct RPCError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String
    public var details: [AnyMessage]

    public init(_ code: StatusCode, _ message: String, details: [AnyMessage] = []) {
        self.code = code
        self.message = message
        self.details = details
    }

    public var description: String {
        message.isEmpty ? "\(code)" : "\(code): \(message)"
    }

    /// The same code and sentence: the details (a refusal's reason and arguments) say the sentence
    /// again for programs.
    public static func == (lhs: RPCError, rhs: RPCError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message
    }
}

/// `google.protobuf.Any`: a type URL and the packed message.
public struct AnyMessage: Sendable, Equatable {
    public var typeURL: String
    public var value: [UInt8]

    public init(typeURL: String, value: [UInt8]) {
        self.typeURL = typeURL
        self.value = value
    }
}
