public import OtklikCore
public import OtklikRPC

extension ErrorInfo {
    /// The type URL of the detail that carries it.
    public static let typeURL = "type.googleapis.com/otklik.v1.ErrorInfo"

    /// The arguments by name.
    public var argumentValues: [String: String] {
        Dictionary(arguments.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
    }
}

extension RPCError {
    /// A refusal of the catalogue: the English sentence as the message, the reason and its arguments
    /// as the first detail.
    public init(_ code: StatusCode, _ refused: Refused) {
        self.init(code, refused.message, details: [Self.detail(reason: refused.reason, arguments: refused.arguments)])
    }

    /// The `ErrorInfo` detail of a reason and its arguments (sorted by name: the same refusal is
    /// the same bytes).
    public static func detail(reason: String, arguments: [String: String]) -> AnyMessage {
        var info = ErrorInfo()
        info.reason = reason
        info.arguments = arguments.sorted { $0.key < $1.key }.map { ErrorArgument(name: $0.key, value: $0.value) }
        return AnyMessage(typeURL: ErrorInfo.typeURL, value: info.serializedBytes())
    }

    /// The refusal's reason and arguments, when the daemon sent them.
    public var info: ErrorInfo? {
        guard let detail = details.first(where: { $0.typeURL == ErrorInfo.typeURL }) else { return nil }
        return try? ErrorInfo(serializedBytes: detail.value)
    }
}

extension RPCError {
    /// This refusal as found at line `line` of a file the caller sent (a CSV import): the sentence
    /// says so, and the reason gets a `line` argument.
    public func atLine(_ line: Int) -> RPCError {
        var arguments = info?.argumentValues ?? [:]
        arguments["line"] = String(line)
        let reason = info?.reason ?? ""
        let prefixed = "line \(line): \(message)"
        return reason.isEmpty
            ? RPCError(code, prefixed)
            : RPCError(code, prefixed, details: [Self.detail(reason: reason, arguments: arguments)])
    }
}
