import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC

/// `otklik.v1.Diagnostics`: probes for the transport's unary, server-streaming and client-streaming
/// paths, for tests, interop checks and benchmarks. Registered only with `--diagnostics`.
struct DiagnosticsServiceHandlers {
    /// Longest delay or stream a caller may ask for, so a probe cannot hold a thread for long.

    func register(in registry: inout ServiceRegistry) {
        registry.unary(DiagnosticsService.echo, placement: .pool) { context, request in
            try echo(context, request)
        }
        registry.serverStreaming(DiagnosticsService.count) { context, request, writer in
            try count(context, request, writer)
        }
        registry.clientStreaming(DiagnosticsService.sum) { context, reader in try sum(context, reader) }
    }

    func echo(_ context: ServerContext, _ request: EchoRequest) throws(RPCError) -> EchoResponse {
        // delay_ms, count, body_size and interval_ms are bounded by WireBounds before this runs.
        try pause(milliseconds: request.delayMs, context)
        return EchoResponse(body: request.body)
    }

    func count(_ context: ServerContext, _ request: CountRequest, _ writer: TypedResponseWriter<CountResponse>)
        throws(RPCError)
    {
        let body = [UInt8](repeating: 0x2a, count: Int(request.bodySize))
        for index in 0..<request.count {
            if index > 0 { try pause(milliseconds: request.intervalMs, context) }
            try writer.send(CountResponse(index: index, body: body))
        }
    }

    func sum(_ context: ServerContext, _ reader: TypedRequestReader<SumRequest>) throws(RPCError) -> SumResponse {
        var total: Int64 = 0
        var messages: UInt32 = 0
        while let request = try reader.next() {
            let (result, overflow) = total.addingReportingOverflow(request.value)
            guard !overflow else { throw RPCError(.outOfRange, Refusals.Admin.sumOverflow()) }
            total = result
            messages += 1
        }
        return SumResponse(total: total, messages: messages)
    }

    /// Sleeps in short steps so a cancelled or expired call lets go of its thread promptly.
    private func pause(milliseconds: UInt32, _ context: ServerContext) throws(RPCError) {
        var left = Int(milliseconds)
        while left > 0 {
            if context.isCancelled { throw RPCError(.cancelled, Refusals.Admin.callEnded()) }
            let step = min(left, 10)
            usleep(UInt32(step) * 1000)
            left -= step
        }
    }
}
