import OtklikBase
import OtklikCore
@testable import OtklikServer
import Testing

/// Who a peer's uid is: the OS user database asked at most once a minute per uid, and its answer
/// believed no longer than that.
@Suite struct AuthorizerNamesTests {
    /// The OS user database as a test sets it, counting the questions.
    final class Accounts: Sendable {
        let names = Locked<[UInt32: String]>([:])
        /// Set: the database cannot answer (as when its directory server is out of reach).
        let failing = Locked(false)
        let asked = Locked(0)
        let now = Locked(ContinuousClock.now)

        func lookUp(_ uid: UInt32) -> IdentityResolver.Answer {
            asked.withLock { $0 += 1 }
            if failing.current { return .failed }
            return names.withLock { $0[uid] }.map { .name($0) } ?? .noSuchUser
        }

        func authorizer() -> Authorizer {
            var directory = Directory()
            directory.staff["ivanov"] = StaffMember(
                login: "ivanov", fullName: "Иванов", osUser: "ivanov-os", unit: "roads", roles: [.executor])
            return Authorizer(
                directory: DirectoryState(directory), clock: DaemonClock(), superUIDs: [0], logger: .silent,
                lookUp: { [self] in lookUp($0) }, monotonic: { [self] in now.current })
        }

        func wait(_ duration: Duration) { now.withLock { $0 += duration } }
    }

    @Test func aUidTheDatabaseDoesNotKnowIsAskedOnceAMinute() {
        let accounts = Accounts()
        let authorizer = accounts.authorizer()
        for _ in 0..<100 { #expect(!authorizer.knows(uid: 5000)) }
        #expect(accounts.asked.current == 1)
        accounts.wait(.seconds(59))
        #expect(!authorizer.knows(uid: 5000))
        #expect(accounts.asked.current == 1)
        accounts.wait(.seconds(2))
        #expect(!authorizer.knows(uid: 5000))
        #expect(accounts.asked.current == 2)
    }

    /// An account removed and its uid given to someone else: the staff member's rights do not pass to
    /// them beyond the minute the last answer is kept.
    @Test func aUidGivenToSomeoneElseLosesTheStaffMembersRightsWithinAMinute() {
        let accounts = Accounts()
        accounts.names.withLock { $0[7001] = "ivanov-os" }
        let authorizer = accounts.authorizer()
        #expect(authorizer.knows(uid: 7001))
        accounts.names.withLock { $0[7001] = "petrov-os" }
        #expect(authorizer.knows(uid: 7001))  // the answer of a moment ago
        accounts.wait(.seconds(61))
        #expect(!authorizer.knows(uid: 7001))
        #expect(accounts.asked.current == 2)
    }

    /// A failed lookup is not an answer: the last one stands (staff keep working while the directory
    /// server is out of reach), a uid never answered is refused, and each next call asks again.
    @Test func aFailedLookupKeepsTheLastAnswerAndIsAskedAgain() {
        let accounts = Accounts()
        accounts.names.withLock { $0[7001] = "ivanov-os" }
        let authorizer = accounts.authorizer()
        #expect(authorizer.knows(uid: 7001))
        accounts.failing.withLock { $0 = true }
        accounts.wait(.seconds(61))
        #expect(authorizer.knows(uid: 7001))
        #expect(authorizer.knows(uid: 7001))
        #expect(!authorizer.knows(uid: 7002))  // never answered: refused
        #expect(accounts.asked.current == 4)
        accounts.failing.withLock { $0 = false }
        accounts.names.withLock { $0[7002] = "ivanov-os" }
        #expect(authorizer.knows(uid: 7002))
        #expect(accounts.asked.current == 5)
    }
}
