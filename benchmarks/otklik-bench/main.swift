// Measures Admin.Health round trips through a running otklikd: sequential on one connection, then
// with N concurrent connections (one thread each). Prints p50/p99 latency and calls per second,
// and the ratio to a floor latency when given. A benchmark, never a test: it asserts nothing.
//
// Usage: otklik-bench --socket PATH [--calls N] [--connections C] [--floor-p50-ns NS]
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

    init() {
        var iterator = CommandLine.arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            let value = iterator.next() ?? ""
            switch flag {
            case "--socket": socket = value
            case "--calls": calls = Int(value) ?? calls
            case "--connections": connections = Int(value) ?? connections
            case "--floor-p50-ns": floorP50 = Double(value)
            case "--watchers": watchers = Int(value) ?? 0
            case "--hold-seconds": holdSeconds = Int(value) ?? holdSeconds
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

/// Runs `calls` Health calls on `client`, returning each call's latency in nanoseconds.
func measure(_ client: RPCClient, calls: Int) throws -> [UInt64] {
    let request = HealthRequest()
    var samples = [UInt64]()
    samples.reserveCapacity(calls)
    for _ in 0..<calls {
        let start = nanos()
        _ = try client.call(AdminService.health, request)
        samples.append(nanos() - start)
    }
    return samples
}

func report(_ label: String, _ samples: [UInt64], seconds: Double, floor: Double?) {
    let sorted = samples.sorted()
    let p50 = Double(sorted[sorted.count / 2])
    let p99 = Double(sorted[sorted.count * 99 / 100])
    let rate = Double(samples.count) / seconds
    var line = String(
        format: "%@ p50_us=%.1f p99_us=%.1f per_second=%.0f calls=%d", label, p50 / 1000, p99 / 1000, rate,
        samples.count)
    if let floor { line += String(format: " p50_vs_floor=%.2fx", p50 / floor) }
    print(line)
}

let arguments = Arguments()
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
        "health sequential 1 connection", sequential, seconds: Double(nanos() - start) / 1e9, floor: arguments.floorP50)
    warm.close()

    let clients = try (0..<arguments.connections).map { _ in try RPCClient(socketPath: arguments.socket) }
    for client in clients { _ = try measure(client, calls: 200) }
    let perConnection = arguments.calls / arguments.connections
    let results = Locked<[[UInt64]]>([])
    let group = DispatchGroup()
    let parallelStart = nanos()
    for client in clients {
        group.enter()
        Thread {
            let samples = (try? measure(client, calls: perConnection)) ?? []
            results.withLock { $0.append(samples) }
            group.leave()
        }.start()
    }
    group.wait()
    let elapsed = Double(nanos() - parallelStart) / 1e9
    let all = results.current.flatMap { $0 }
    guard all.count == perConnection * arguments.connections else {
        FileHandle.standardError.write(Data("some calls failed\n".utf8))
        exit(1)
    }
    report("health concurrent \(arguments.connections) connections", all, seconds: elapsed, floor: nil)
    for client in clients { client.close() }
} catch {
    FileHandle.standardError.write(Data("otklik-bench: \(error)\n".utf8))
    exit(1)
}
