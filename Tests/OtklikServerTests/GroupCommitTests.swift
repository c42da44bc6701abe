import Foundation
import OtklikAPI
import OtklikCore
import OtklikBase
import OtklikRPC
@testable import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Group commit: concurrent writers share commits, and a kill in the middle of them loses nothing
/// that was acknowledged and leaves nothing half-written.
@Suite struct GroupCommitTests {
    /// 16 clerks register at once; the daemon is killed (SIGKILL) while they do. After the restart every
    /// acknowledged registration is there as it was answered, and every case in the file is whole: its
    /// registration event and its projection agree (a rebuild from the log reproduces every row).
    @Test func aKillInTheMiddleOfGroupCommitsLosesNoAcknowledgedRegistration() throws {
        let clock = "2026-12-01T11:00:00+03:00"
        let daemon = try DaemonProcess(arguments: ["--demo", "--test-clock", clock, "--log-level", "warning"])
        let detected = Instant(iso: clock)!.seconds - 600
        let socket = daemon.socketPath
        let acknowledged = Locked<[String: String]>([:])  // URL -> case id, as answered
        let started = DispatchSemaphore(value: 0)
        let writers = 16
        let group = DispatchGroup()
        for writer in 0..<writers {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var options = RPCClient.Options()
                options.defaultMetadata = [MetadataEntry("otklik-as", "curator.petrova")]
                guard let client = try? RPCClient(socketPath: socket, options: options) else { return }
                defer { client.close() }
                started.signal()
                for number in 0..<10_000 {
                    var request = RegisterMessageRequest()
                    request.network = "vk"
                    request.url = "https://vk.com/wall-77_\(writer * 100_000 + number)"
                    request.author = "Житель \(writer)"
                    request.text = "Обращение \(number) от писателя \(writer)"
                    request.detectedAtUnix = detected
                    guard let answer = try? client.call(CasesService.registerMessage, request) else { return }
                    acknowledged.withLock { $0[request.url] = answer.id }
                }
            }
        }
        for _ in 0..<writers { started.wait() }
        // Let groups form, then kill in the middle of them.
        let until = Date().addingTimeInterval(20)
        while acknowledged.current.count < 300, Date() < until { usleep(5_000) }
        daemon.signal(SIGKILL)
        #expect(daemon.wait() != nil)
        group.wait()
        let answered = acknowledged.current
        #expect(answered.count >= 300)

        let restarted = try DaemonProcess(
            arguments: ["--test-clock", clock, "--log-level", "info"], directory: daemon.directory)
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "curator.petrova")]
        let client = try RPCClient(socketPath: restarted.socketPath, options: options)
        for (url, id) in answered {
            let found = try client.call(CasesService.getCase, CaseRef(id: id))
            #expect(found.url == url, "case \(id) acknowledged for \(url)")
        }
        client.close()
        restarted.signal(SIGTERM)
        #expect(restarted.wait() == 0)
        // The kill was an unclean stop: the start after it checked the file in full.
        #expect(restarted.log().contains("database check at start: full"))

        let store = try Store(directory: restarted.dataDirectory)
        defer { store.close() }
        let (cases, registrations, urls) = try store.read {
            connection throws(StoreError) -> (Int64, Int64, Int64) in
            (
                try connection.scalar("SELECT count(*) FROM cases"),
                try connection.scalar("SELECT count(*) FROM events WHERE kind = 'case.registered'"),
                try connection.scalar("SELECT count(*) FROM cases WHERE url LIKE 'https://vk.com/wall-77_%'")
            )
        }
        #expect(cases == registrations)
        #expect(urls >= Int64(answered.count))
        let digest = try store.projectionDigest()
        try store.rebuildProjections()
        #expect(try store.projectionDigest() == digest)
    }

    /// Watchers are driven by events, not threads: 300 idle watchers add no thread each, and they
    /// all still get a live event (then end when cancelled, leaving the daemon as it was).
    @Test func idleWatchersTakeNoThreadEachAndStillGetLiveEvents() throws {
        let daemon = try DaemonProcess(
            arguments: ["--demo", "--test-clock", "2026-12-01T11:00:00+03:00", "--log-level", "warning"])
        func threads() -> Int {
            let status = (try? String(contentsOfFile: "/proc/\(daemon.pid)/status", encoding: .utf8)) ?? ""
            let line = status.split(separator: "\n").first { $0.hasPrefix("Threads:") } ?? ""
            return Int(line.split(separator: "\t").last.map(String.init) ?? "") ?? -1
        }
        let before = threads()
        var clients: [RPCClient] = []
        var streams: [ResponseStream<WatchEvent>] = []
        var request = WatchRequest()
        request.fromSequence = try daemon.client().call(AdminService.health, HealthRequest()).lastSequence
        for index in 0..<300 {
            if index % 100 == 0 {
                var options = RPCClient.Options()
                options.defaultTimeout = nil
                clients.append(try daemon.client(options: options))
            }
            streams.append(clients.last!.serverStream(EventsService.watch, request, timeout: nil))
        }
        _ = try clients[0].call(AdminService.health, HealthRequest())
        usleep(300_000)
        #expect(threads() < before + 20, "\(before) threads before, \(threads()) with 300 watchers")
        // A live event reaches every one of them.
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "curator.petrova")]
        let curator = try daemon.client(options: options)
        var register = RegisterMessageRequest()
        register.network = "vk"
        register.url = "https://vk.com/wall-5_1"
        register.author = "Житель"
        register.text = "Не горит фонарь"
        register.detectedAtUnix = Instant(iso: "2026-12-01T10:50:00+03:00")!.seconds
        let registered = try curator.call(CasesService.registerMessage, register)
        for stream in streams {
            let event = try #require(try stream.next())
            #expect(event.caseID == registered.id)
            stream.cancel()
        }
        curator.close()
        for client in clients { client.close() }
        // Watchers whose clients vanish without a word: the daemon ends their streams and serves on.
        var vanishing: [RPCClient] = []
        for _ in 0..<3 {
            var options = RPCClient.Options()
            options.defaultTimeout = nil
            let client = try daemon.client(options: options)
            for _ in 0..<20 { _ = client.serverStream(EventsService.watch, request, timeout: nil) }
            _ = try client.call(AdminService.health, HealthRequest())
            vanishing.append(client)
        }
        for client in vanishing { client.close() }
        usleep(300_000)
        let after = try daemon.client()
        #expect(try after.call(AdminService.health, HealthRequest()).state == .serving)
        after.close()
        daemon.signal(SIGTERM)
        #expect(daemon.wait() == 0, "\(daemon.log())")
    }

    /// Writes that arrive while the writer is busy share the next transaction; one that fails in it is
    /// rolled back alone, answered with its error, and the others are committed in arrival order.
    @Test func writesWaitingForTheWriterShareOneCommitAndAFailingOneAffectsNoOther() throws {
        let store = try Store(directory: privateDirectory())
        defer { store.close() }
        let release = DispatchSemaphore(value: 0)
        let holding = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        // The writer is held inside a first write, so the next ones queue behind it.
        group.enter()
        Thread.detachNewThread {
            _ = try? store.write { _ throws(StoreError) in
                holding.signal()
                release.wait()
            }
            group.leave()
        }
        holding.wait()
        let outcomes = Locked<[Int: Bool]>([:])
        for writer in 0..<16 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                do {
                    try store.write { connection throws(StoreError) in
                        try store.insert(
                            [
                                Event(
                                    time: 1_796_000_000, actor: "w\(writer)", logged: .unknown("test.write"),
                                    subject: "s",
                                    payload: [])
                            ],
                            connection)
                        if writer == 7 { throw StoreError.sqlite(code: 19, message: "refused on purpose") }
                    }
                    outcomes.withLock { $0[writer] = true }
                } catch {
                    outcomes.withLock { $0[writer] = false }
                }
            }
        }
        while store.waitingWrites < 16 { usleep(1_000) }
        let groupsBefore = store.groupsCommitted.current
        release.signal()
        group.wait()
        // The first write's group, then one group for the sixteen that waited.
        #expect(store.groupsCommitted.current - groupsBefore == 2)
        #expect(outcomes.current.count == 16)
        #expect(outcomes.current.filter { !$0.value }.map(\.key) == [7])
        let written = try store.events().filter { $0.kind == .unknown("test.write") }
        #expect(written.count == 15)
        #expect(!written.contains { $0.actor == "w7" })
        #expect(store.eventCount == 15)
    }
}

/// Issue 25, M7: an import commits in short transactions, so someone else's registration is written
/// while the import goes on, not after it.
@Suite struct ImportTransactionTests {
    private static func curator(_ daemon: DaemonProcess) throws -> RPCClient {
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "curator.petrova")]
        return try daemon.client(options: options)
    }

    private static func message(_ number: Int, wall: Int) -> RegisterMessageRequest {
        var message = RegisterMessageRequest()
        message.network = "vk"
        message.url = "https://vk.com/wall-\(wall)_\(number)"
        message.author = "Житель \(number)"
        message.text = "Яма во дворе дома \(number), не проехать"
        message.detectedAtUnix = Instant(iso: "2026-12-01T10:50:00+03:00")!.seconds
        return message
    }

    @Test func aRegistrationDuringAnImportIsWrittenBetweenItsTransactionsNotAfterThem() throws {
        let daemon = try DaemonProcess(arguments: ["--demo", "--test-clock", "2026-12-01T11:00:00+03:00"])
        let importer = try Self.curator(daemon)
        let before = try importer.call(AdminService.health, HealthRequest()).lastSequence
        let batch = ImportMessagesRequest(messages: (1...1000).map { Self.message($0, wall: 7) }, apply: true)
        let imported = Locked<ImportMessagesResponse?>(nil)
        let thread = Thread {
            imported.withLock { $0 = try? importer.call(CasesService.importMessages, batch, timeout: .seconds(120)) }
        }
        thread.start()
        // Once the import has written its first cases, someone registers one post.
        let other = try Self.curator(daemon)
        while try other.call(AdminService.health, HealthRequest()).lastSequence == before { usleep(1000) }
        let registered = try other.call(CasesService.registerMessage, Self.message(1, wall: 8))
        while imported.current == nil { usleep(10_000) }
        let answer = try #require(imported.current)
        #expect(answer.outcomes.filter { $0.kind == .new }.count == 1000)
        // The registration's event lies among the import's: it did not wait for all of them.
        let history = try other.call(CasesService.getHistory, CaseRef(id: registered.id))
        let sequence = try #require(history.entries.first?.id)
        let last = try other.call(AdminService.health, HealthRequest()).lastSequence
        #expect(sequence < last, "registered at \(sequence), after the import's last event \(last)")
    }
}
