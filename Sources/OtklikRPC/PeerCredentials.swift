import COtklikSystem

/// Who is on the other end of a Unix socket, as the kernel reports it (SO_PEERCRED).
public struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    public var uid: UInt32
    public var gid: UInt32
    public var pid: Int32

    public init(uid: UInt32, gid: UInt32, pid: Int32) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
    }

    /// The peer of connected socket `fd`, or nil when the kernel cannot say.
    public init?(socket fd: Int32) {
        var credentials = otklik_peer_credentials()
        guard otklik_peer_credentials_get(fd, &credentials) == 0 else { return nil }
        self.init(uid: credentials.uid, gid: credentials.gid, pid: credentials.pid)
    }

    public var description: String { "uid \(uid) gid \(gid) pid \(pid)" }
}
