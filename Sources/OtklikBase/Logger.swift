import Foundation

/// A small line logger for the daemon: `2026-11-29T10:00:00.123Z info [rpc] text` on stderr.
///
/// Log lines name calls, peers and codes, never message contents: citizens' texts stay out of logs.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

        public var name: String {
            switch self {
            case .debug: "debug"
            case .info: "info"
            case .warning: "warning"
            case .error: "error"
            }
        }
    }

    public let label: String
    public let minimum: Level
    private let sink: @Sendable (String) -> Void

    public init(
        label: String, minimum: Level = .info, sink: @escaping @Sendable (String) -> Void = Logger.standardError
    ) {
        self.label = label
        self.minimum = minimum
        self.sink = sink
    }

    /// A logger that drops everything (tests, clients).
    public static let silent = Logger(label: "silent", minimum: .error) { _ in }

    public func labelled(_ label: String) -> Logger {
        Logger(label: label, minimum: minimum, sink: sink)
    }

    public func log(_ level: Level, _ message: @autoclosure () -> String) {
        guard level >= minimum else { return }
        let stamp = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        sink("\(stamp) \(level.name) [\(label)] \(message())")
    }

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message()) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message()) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message()) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message()) }

    public static let standardError: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
