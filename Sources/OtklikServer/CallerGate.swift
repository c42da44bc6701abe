import OtklikBase

/// How many calls of one kind may run at once, in all and per login: a staff member who starts
/// many (searches, uploads) takes their own slots, never everyone's (issue 25, H2 and H3).
final class CallerGate: Sendable {
    /// Why a call was not let in.
    enum Refused: Error, Equatable {
        /// The login has `perLogin` running already.
        case yours(running: Int)
        /// `total` run already.
        case full(running: Int)
    }

    let total: Int
    let perLogin: Int
    private let running = Locked<[String: Int]>([:])

    init(total: Int, perLogin: Int) {
        self.total = max(1, total)
        self.perLogin = max(1, min(perLogin, total))
    }

    /// Takes a slot for `login`; `leave` gives it back (once).
    func enter(_ login: String) throws(Refused) -> Slot {
        let verdict = running.withLock { running -> Refused? in
            let mine = running[login, default: 0]
            if mine >= perLogin { return .yours(running: mine) }
            let all = running.values.reduce(0, +)
            if all >= total { return .full(running: all) }
            running[login] = mine + 1
            return nil
        }
        if let verdict { throw verdict }
        return Slot(gate: self, login: login)
    }

    /// Calls running now for `login`.
    func count(_ login: String) -> Int { running.withLock { $0[login, default: 0] } }

    fileprivate func leave(_ login: String) {
        running.withLock { running in
            let left = running[login, default: 0] - 1
            running[login] = left > 0 ? left : nil
        }
    }

    /// One running call's place; released once.
    final class Slot: Sendable {
        private let gate: CallerGate
        private let login: String
        private let released = Locked(false)

        fileprivate init(gate: CallerGate, login: String) {
            self.gate = gate
            self.login = login
        }

        func leave() {
            let first = released.withLock { was -> Bool in
                defer { was = true }
                return !was
            }
            if first { gate.leave(login) }
        }

        deinit { leave() }
    }
}
