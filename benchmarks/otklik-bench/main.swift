// Measures Admin.Health round trips through a running otklikd: sequential on one connection, then
// with N concurrent connections (one thread each). Prints p50/p99 latency and calls per second,
// and the ratio to a floor latency when given. A benchmark, never a test: it asserts nothing.
//
// Usage: otklik-bench --socket PATH [--calls N] [--connections C] [--floor-p50-ns NS]
//        otklik-bench --socket PATH --register N [--connections C]   (RegisterMessage instead of Health)
//        otklik-bench --socket PATH --health-until FILE [--pause-us N]   (Health calls, N µs apart (default
//                                                          0: back to back), until FILE exists: the latency
//                                                          another client sees meanwhile)
import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC
import OtklikBase

struct Arguments {
    var socket = ""
    var calls = 100_000
    var connections = 8
    var floorP50: Double?
    /// Instead of round trips: hold this many idle Events.Watch streams open, then exit.
    var watchers = 0
    var holdSeconds = 3
    /// Instead of Health: this many RegisterMessage calls (as a curator the tool adds), spread over
    /// `connections` connections; each registration asks for p.18 hints, as every registration does.
    var register = 0
    /// Health calls `pauseMicroseconds` apart until this file exists.
    var healthUntil = ""
    var pauseMicroseconds = 0

    init() {
        var iterator = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            if flag == "--echo" { continue }  // read by `measure`
            let value = iterator.next() ?? ""
            switch flag {
            case "--socket": socket = value
            case "--calls": calls = Int(value) ?? calls
            case "--connections": connections = Int(value) ?? connections
            case "--floor-p50-ns": floorP50 = Double(value)
            case "--watchers": watchers = Int(value) ?? 0
            case "--hold-seconds": holdSeconds = Int(value) ?? holdSeconds
            case "--register": register = Int(value) ?? 0
            case "--health-until": healthUntil = value
            case "--pause-us": pauseMicroseconds = Int(value) ?? 0
            default:
                FileHandle.standardError.write(Data("unknown argument \(flag)\n".utf8))
                exit(64)
            }
        }
        if socket.isEmpty {
            FileHandle.standardError.write(
                Data("usage: otklik-bench --socket PATH [--calls N] [--connections C] [--floor-p50-ns NS]\n".utf8))
            exit(64)
        }
    }
}

func nanos() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

/// What the round trips call: Health (inline on the connection's queue) or, with `--echo`,
/// Diagnostics.Echo (a handler on the pool; the daemon needs `--diagnostics`).
let method = CommandLine.arguments.contains("--echo") ? "echo (pool)" : "health"

/// Runs `calls` Health calls on `client` (Diagnostics.Echo with `--echo`: a handler on the pool),
/// returning each call's latency in nanoseconds.
func measure(_ client: RPCClient, calls: Int) throws -> [UInt64] {
    let request = HealthRequest()
    let echo = EchoRequest(body: Array(repeating: 7, count: 32))
    let onPool = CommandLine.arguments.contains("--echo")
    var samples = [UInt64]()
    samples.reserveCapacity(calls)
    for _ in 0..<calls {
        let start = nanos()
        if onPool {
            _ = try client.call(DiagnosticsService.echo, echo)
        } else {
            _ = try client.call(AdminService.health, request)
        }
        samples.append(nanos() - start)
    }
    return samples
}

func report(_ label: String, _ samples: [UInt64], seconds: Double, floor: Double?) {
    let sorted = samples.sorted()
    let p50 = Double(sorted[sorted.count / 2])
    let p99 = Double(sorted[sorted.count * 99 / 100])
    let worst = Double(sorted.last ?? 0)
    let rate = Double(samples.count) / seconds
    var line = String(
        format: "%@ p50_us=%.1f p99_us=%.1f max_us=%.0f per_second=%.0f calls=%d", label, p50 / 1000, p99 / 1000,
        worst / 1000, rate, samples.count)
    if let floor { line += String(format: " p50_vs_floor=%.2fx", p50 / floor) }
    print(line)
}

/// Runs `body` on a thread per client at once; every client's samples, and the seconds it took.
/// Exits when some call failed (fewer samples than `expected`).
func concurrently(_ clients: [RPCClient], expected: Int, _ body: @escaping @Sendable (Int, RPCClient) -> [UInt64])
    -> (samples: [UInt64], seconds: Double)
{
    let results = Locked<[[UInt64]]>([])
    let group = DispatchGroup()
    let start = nanos()
    for (index, client) in clients.enumerated() {
        group.enter()
        Thread {
            let samples = body(index, client)
            results.withLock { $0.append(samples) }
            group.leave()
        }.start()
    }
    group.wait()
    let seconds = Double(nanos() - start) / 1e9
    let all = results.current.flatMap { $0 }
    guard all.count == expected else {
        FileHandle.standardError.write(Data("some calls failed (\(all.count) of \(expected) answered)\n".utf8))
        exit(1)
    }
    return (all, seconds)
}

let arguments = Arguments()
if !arguments.healthUntil.isEmpty {
    do {
        let client = try RPCClient(socketPath: arguments.socket)
        _ = try measure(client, calls: 200)
        var samples: [UInt64] = []
        let start = nanos()
        while !FileManager.default.fileExists(atPath: arguments.healthUntil) {
            let begin = nanos()
            _ = try client.call(AdminService.health, HealthRequest())
            samples.append(nanos() - begin)
            if arguments.pauseMicroseconds > 0 { usleep(UInt32(arguments.pauseMicroseconds)) }
        }
        report("health while it ran", samples, seconds: Double(nanos() - start) / 1e9, floor: nil)
        client.close()
    } catch {
        FileHandle.standardError.write(Data("otklik-bench: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
if arguments.register > 0 {
    do {
        // A curator to register as (the tool runs as the OS user root, an operator acting as her).
        let admin = try RPCClient(socketPath: arguments.socket)
        var unit = UnitView()
        unit.name = "bench-curators"
        unit.title = "Bench curators"
        unit.kind = .curatorCentre
        unit.schedule = "curator"
        _ = try admin.call(DirectoryService.putUnit, unit)
        var staff = StaffView()
        staff.login = "bench.curator"
        staff.fullName = "Bench Curator"
        staff.osUser = "bench-curator"
        staff.unit = unit.name
        staff.roles = [.curator]
        staff.active = true
        _ = try admin.call(DirectoryService.putStaff, staff)
        let now = try admin.call(AdminService.health, HealthRequest()).nowUnix
        admin.close()
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "bench.curator")]
        let clients = try (0..<arguments.connections).map { _ in
            try RPCClient(socketPath: arguments.socket, options: options)
        }
        let run = UInt64(nanos())
        let perConnection = max(1, arguments.register / arguments.connections)
        let (all, elapsed) = concurrently(clients, expected: perConnection * arguments.connections) {
            index, client in
            var samples: [UInt64] = []
            for number in 0..<perConnection {
                var request = RegisterMessageRequest()
                request.network = "vk"
                request.url = "https://vk.com/wall-9\(run % 1_000_000)_\(index * 1_000_000 + number)"
                request.author = "Житель \(number % 997)"
                request.text =
                    "Во дворе дома \(number % 89) по улице \(index) не вывезен мусор, просьба разобраться"
                request.detectedAtUnix = now - 120
                let begin = nanos()
                guard (try? client.call(CasesService.registerMessage, request)) != nil else { break }
                samples.append(nanos() - begin)
            }
            return samples
        }
        report("register \(arguments.connections) connections", all, seconds: elapsed, floor: nil)
        for client in clients { client.close() }
    } catch {
        FileHandle.standardError.write(Data("otklik-bench: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
if arguments.watchers > 0 {
    // Idle watchers spread over connections of at most 100 calls each; printed once all are open.
    do {
        let perConnection = 100
        var clients: [RPCClient] = []
        var streams: [ClientResponseStream] = []
        var request = WatchRequest()
        request.fromSequence = Int64.max
        for index in 0..<arguments.watchers {
            if index % perConnection == 0 {
                var options = RPCClient.Options()
                options.defaultTimeout = nil
                clients.append(try RPCClient(socketPath: arguments.socket, options: options))
            }
            streams.append(
                clients.last!.serverStream(
                    service: EventsService.service, method: EventsService.watch.name,
                    payload: request.serializedBytes(), timeout: nil))
        }
        _ = try clients[0].call(AdminService.health, HealthRequest())
        print("watchers open: \(streams.count) on \(clients.count) connections")
        fflush(nil)
        sleep(UInt32(arguments.holdSeconds))
        for stream in streams { stream.cancel() }
        for client in clients { client.close() }
    } catch {
        FileHandle.standardError.write(Data("otklik-bench: \(error)\n".utf8))
        exit(1)
    }
    exit(0)
}
do {
    // Warm up: connection, allocator, daemon caches.
    let warm = try RPCClient(socketPath: arguments.socket)
    _ = try measure(warm, calls: 2000)

    let start = nanos()
    let sequential = try measure(warm, calls: arguments.calls)
    report(
        "\(method) sequential 1 connection", sequential, seconds: Double(nanos() - start) / 1e9,
        floor: arguments.floorP50)
    warm.close()

    let clients = try (0..<arguments.connections).map { _ in try RPCClient(socketPath: arguments.socket) }
    for client in clients { _ = try measure(client, calls: 200) }
    let perConnection = arguments.calls / arguments.connections
    let (all, elapsed) = concurrently(clients, expected: perConnection * arguments.connections) { _, client in
        (try? measure(client, calls: perConnection)) ?? []
    }
    report("\(method) concurrent \(arguments.connections) connections", all, seconds: elapsed, floor: nil)
    for client in clients { client.close() }
} catch {
    FileHandle.standardError.write(Data("otklik-bench: \(error)\n".utf8))
    exit(1)
}
