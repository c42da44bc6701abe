import Foundation
import OtklikRPC
import Testing

/// A client whose connection is a command's stdio (issue 27: `ssh ... otklik dial-stdio`).
@Suite struct CommandConnectionTests {
    /// Only this side's word for a connection that ended is a link's loss: the daemon's own UNAVAILABLE
    /// answer ("shutting down") is not explained by how ssh ended.
    @Test func aLinkLossIsTheConnectionEndingNotTheDaemonsAnswer() {
        #expect(RPCClient.isLinkLoss(RPCError(.unavailable, "connection to the daemon lost")))
        #expect(RPCClient.isLinkLoss(RPCError(.unavailable, "text came instead of the protocol: \"hello\"")))
        #expect(!RPCClient.isLinkLoss(RPCError(.unavailable, "the daemon is shutting down")))
        #expect(!RPCClient.isLinkLoss(RPCError(.deadlineExceeded, "connection to the daemon lost")))
    }

    /// A command that prints text instead of the protocol: the call fails at once, naming the text, and
    /// the command's exit status and standard error are kept for the explanation.
    @Test func textInsteadOfTheProtocolIsNamedAndTheCommandsEndKept() throws {
        let client = try RPCClient(
            command: ["/bin/sh", "-c", "echo Добро пожаловать; echo 'bye' >&2; exec sleep 5"], label: "test")
        defer { client.close() }
        #expect(throws: RPCError.self) {
            _ = try client.call(service: "otklik.v1.Admin", method: "Health", payload: [], timeout: .seconds(5))
        }
        do {
            _ = try client.call(service: "otklik.v1.Admin", method: "Health", payload: [], timeout: .seconds(5))
        } catch {
            #expect(error.message.contains("Добро пожаловать"), "\(error.message)")
        }
        #expect(client.command?.errorText == "bye")
    }
}
