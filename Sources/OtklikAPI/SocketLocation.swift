import Foundation

/// Where the daemon's socket is, found the same way by the daemon and every client.
public enum SocketLocation {
    /// The system service's socket.
    public static let system = "/run/otklik/otklik.sock"
    /// The demo's socket, relative to the directory the demo was started in.
    public static let demo = ".otklik/otklik.sock"
    public static let environmentVariable = "OTKLIK_SOCKET"

    /// For the daemon: `--socket`, else `$OTKLIK_SOCKET`, else the demo or the system path.
    public static func forDaemon(flag: String?, demo isDemo: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return isDemo ? demo : system
    }

    /// For a client: `--socket`, else `$OTKLIK_SOCKET`, else the demo socket if one exists in the
    /// current directory, else the system path.
    public static func forClient(
        flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        exists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
    ) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let value = environment[environmentVariable], !value.isEmpty { return value }
        return exists(demo) ? demo : system
    }
}
