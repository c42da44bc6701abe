import COtklikSystem
import Foundation
@testable import OtklikRPC
import Testing
import OtklikBase
#if canImport(Glibc)
import Glibc
#endif

@Suite struct EventPollerTests {
    /// The poller tells a readable socket's handler on a thread of its own, once per arming, and that
    /// thread ends when the poller is let go (a server that stops leaves no thread behind).
    @Test func aReadableSocketIsToldOnThePollersOwnThreadWhichEndsWithThePoller() throws {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        defer {
            close(pair[0])
            close(pair[1])
        }
        let told = Locked<[(flags: UInt32, thread: Int32)]>([])
        let arrived = DispatchSemaphore(value: 0)
        var poller: EventPoller? = EventPoller()
        let token = try #require(
            poller?.register(fd: pair[0], interest: UInt32(OTKLIK_POLL_IN)) { flags in
                told.withLock { $0.append((flags, otklik_thread_id())) }
                arrived.signal()
            })
        #expect(write(pair[1], "a", 1) == 1)
        #expect(arrived.wait(timeout: .now() + 5) == .success)
        // One-shot: bytes that come before the socket is armed again are not told yet...
        #expect(write(pair[1], "b", 1) == 1)
        #expect(arrived.wait(timeout: .now() + 0.3) == .timedOut)
        // ...and are at once when it is (level-triggered), though nothing new came.
        #expect(poller?.rearm(fd: pair[0], token: token, interest: UInt32(OTKLIK_POLL_IN)) == true)
        #expect(arrived.wait(timeout: .now() + 5) == .success)
        let seen = told.current
        try #require(seen.count == 2)
        #expect(seen.allSatisfy { $0.flags & UInt32(OTKLIK_POLL_IN) != 0 })
        let thread = seen[0].thread
        #expect(thread != otklik_thread_id() && seen[1].thread == thread)
        #expect(FileManager.default.fileExists(atPath: "/proc/self/task/\(thread)"))
        poller?.remove(fd: pair[0], token: token)
        poller = nil
        let deadline = Date().addingTimeInterval(5)
        while FileManager.default.fileExists(atPath: "/proc/self/task/\(thread)"), Date() < deadline {
            usleep(10_000)
        }
        #expect(!FileManager.default.fileExists(atPath: "/proc/self/task/\(thread)"))
    }
}
