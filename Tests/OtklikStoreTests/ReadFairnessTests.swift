import Foundation
import OtklikBase
import OtklikCore
@testable import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 25, H2: one caller's read never holds the readers the others need, and no read runs on past
/// its budget or its caller.
@Suite struct ReadFairnessTests {
    private func store(readers: Int = 2) throws -> Store {
        try Store(directory: freshDirectory(), readers: readers)
    }

    /// `count` cases whose texts all hold "яма", in one transaction each.
    private func fill(_ store: Store, _ count: Int) throws {
        for n in 1...count {
            var event = WorkflowEvent(kind: .registered, at: Instant(seconds: 1_780_000_000 + Int64(n)))
            event.network = "vk"
            event.url = "https://vk.com/wall-1_\(n)"
            event.author = "Житель \(n)"
            event.text = "Яма на дороге у дома \(n), яма глубокая, яма опасная, ямы по всей улице"
            _ = try store.registerCase(
                year: 2026, event: event, actor: "cur", onBehalf: "", now: Instant(seconds: 1_780_000_000))
        }
    }

    @Test func aSlowReadHoldsOnlyItsOwnReaderAndEveryOtherReadGoesOn() throws {
        let store = try store(readers: 2)
        defer { store.close() }
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let slow = Thread {
            _ = try? store.read { _ throws(StoreError) in
                holding.signal()
                release.wait()
            }
        }
        slow.start()
        holding.wait()
        defer { release.signal() }
        // Six short reads one after another: each takes the reader that is free (round-robin queues
        // sent every second one behind the slow read).
        let done = DispatchSemaphore(value: 0)
        let reads = Thread {
            for _ in 0..<6 {
                _ = try? store.read { connection throws(StoreError) in try connection.scalar("SELECT 1") }
            }
            done.signal()
        }
        reads.start()
        #expect(done.wait(timeout: .now() + 5) == .success, "a short read waited behind the slow one")
    }

    @Test func aSearchPastItsDeadlineIsEndedAndSaysSo() throws {
        let store = try store()
        defer { store.close() }
        try fill(store, 300)
        #expect(throws: StoreError.interrupted(.deadline)) {
            // An executor's search of a word every case holds, none of them theirs: every match is looked at.
            try store.searchCases(
                SearchQuery("яма дороге"), author: nil, from: nil, to: nil, units: ["nobody"], limit: 20,
                budget: QueryBudget(seconds: 0))
        }
        // The same search with time to run answers, and the reader it used serves again.
        let hits = try store.searchCases(
            SearchQuery("яма дороге"), author: nil, from: nil, to: nil, limit: 20, budget: QueryBudget(seconds: 30))
        #expect(hits.count == 20)
    }

    @Test func aSearchWhoseCallerLeftIsEndedAtItsNextLook() throws {
        let store = try store()
        defer { store.close() }
        try fill(store, 300)
        let asked = Locked(0)
        let budget = QueryBudget(seconds: 30) {
            asked.withLock { $0 += 1 }
            return true
        }
        #expect(throws: StoreError.interrupted(.cancelled)) {
            try store.searchCases(
                SearchQuery("яма"), author: nil, from: nil, to: nil, units: ["nobody"], limit: 20, budget: budget)
        }
        #expect(asked.current >= 1)
    }

    @Test func readsRunningWhenTheStoreIsStoppedEndAndLaterOnesAreRefused() throws {
        let store = try store()
        defer { store.close() }
        try fill(store, 300)
        let started = DispatchSemaphore(value: 0)
        let outcome = Locked<StoreError?>(nil)
        let finished = DispatchSemaphore(value: 0)
        let reader = Thread {
            do throws(StoreError) {
                _ = try store.read { connection throws(StoreError) in
                    started.signal()
                    // A read that would run for ever: a recursive count that never ends.
                    try connection.query(
                        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n")
                }
            } catch {
                outcome.withLock { $0 = error }
            }
            finished.signal()
        }
        reader.start()
        started.wait()
        usleep(50_000)
        store.interruptReads()
        #expect(finished.wait(timeout: .now() + 5) == .success, "the read ran on after the stop")
        #expect(outcome.current == .closed)
        #expect(throws: StoreError.closed) {
            try store.read { connection throws(StoreError) in try connection.scalar("SELECT 1") }
        }
    }
}

/// Issue 25, Low: a file passed by its descriptor that ends before its measured size is the sender's
/// to mend, said as such (the upload is refused as cut short), not the store's failure (INTERNAL).
@Suite struct PassedFileTests {
    @Test func aPassedFileThatEndsEarlyIsTheSendersNotTheStores() throws {
        let directory = freshDirectory()
        let files = try AttachmentFiles(dataDirectory: directory)
        let source = directory + "/short.pdf"
        #expect(FileManager.default.createFile(atPath: source, contents: Data("%PDF-1.4 short".utf8)))
        let fd = open(source, O_RDONLY)
        defer { close(fd) }
        let upload = try files.begin()
        defer { upload.abort() }
        #expect(throws: StoreError.passedFileUnreadable(received: 14, reason: "it ended before its measured size")) {
            try upload.copy(from: fd, size: 1000)
        }
    }
}
