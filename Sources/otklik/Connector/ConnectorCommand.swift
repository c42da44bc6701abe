import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik connector`: the networks' connectors as the daemon last heard from them (issue 29).
struct ConnectorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connector",
        abstract: Say.Connectors.connectorAbstract.text(),
        subcommands: [List.self])
}

extension ConnectorCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: Say.Connectors.listAbstract.text(), discussion: Say.Connectors.listDiscussion.text())
        @OptionGroup var global: GlobalOptions

        func run() throws {
            let connectors = try global.withClient { client throws(RPCError) in
                try client.call(ConnectorsService.listConnectors, ListConnectorsRequest())
            }.connectors
            global.show(
                Rows(
                    key: "connectors", fields: ConnectorView.fields, rows: connectors,
                    empty: Say.Connectors.noneReported, marked: { $0.isInTrouble }))
        }
    }
}

extension ConnectorView {
    /// Its last report (every listed connector has one).
    var last: ConnectorReport { report ?? ConnectorReport() }

    /// Not reading its network now: silent, or its last report says trouble.
    var isInTrouble: Bool { silent || last.state != .ok }

    /// How it stands in words: its state, or silent since its last report.
    var standing: String {
        silent
            ? Say.Connectors.silentSince(PeopleTime.text(reportedAt), last.state.spoken).text()
            : last.state.spoken
    }

    /// A connector as `connector list` prints it.
    static var fields: [Field<ConnectorView>] {
        [
            Field(
                "network", Say.Common.network, json: { .string($0.last.network) },
                text: { NetworkNames.spoken($0.last.network) }),
            .string("community", Say.Connectors.community, \.last.community),
            Field(
                "state", Say.Connectors.state, json: { .string($0.last.state.name) },
                text: { $0.standing }),
            .script("silent") { .bool($0.silent) },
            Field(
                "last_poll", Say.Connectors.lastPoll, json: { $0.lastPoll.isEmpty ? .null : .string($0.lastPoll) },
                text: {
                    $0.lastPoll.isEmpty
                        ? "-"
                        : Say.Connectors.polledAgo(PeopleTime.text($0.lastPoll), seconds: $0.lagSeconds).text()
                }),
            .script("lag_seconds") { .integer($0.lagSeconds) },
            Field(
                "taken_today", Say.Connectors.takenToday, json: { .integer(Int64($0.last.takenToday)) },
                text: { String($0.last.takenToday) }),
            Field(
                "publications_waiting", Say.Connectors.waiting, json: { .integer(Int64($0.publicationsWaiting)) },
                text: { String($0.publicationsWaiting) }),
            Field(
                "publications_failed", Say.Connectors.failed, json: { .integer(Int64($0.publicationsFailed)) },
                text: { String($0.publicationsFailed) }),
            Field(
                "last_error", Say.Connectors.lastError,
                json: { $0.last.lastError.isEmpty ? .null : .string($0.last.lastError) },
                text: {
                    $0.last.lastError.isEmpty
                        ? "-" : Say.Connectors.errorAt(PeopleTime.text($0.errorAt), $0.last.lastError).text()
                }),
            .script("error_at") { $0.errorAt.isEmpty ? .null : .string($0.errorAt) },
            Field(
                "missed_since", Say.Connectors.missed,
                json: { $0.missedSince.isEmpty ? .null : .string($0.missedSince) },
                text: {
                    $0.missedSince.isEmpty
                        ? "-" : Terminal.red(Say.Connectors.missedSince(PeopleTime.text($0.missedSince)).text())
                }),
            .string("login", Say.Connectors.login, \.login),
        ]
    }
}
