import ArgumentParser
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik incident`: many messages about one problem, answered once (issue 31).
struct IncidentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incident", abstract: Say.Incidents.abstract.text(),
        discussion: Say.Incidents.discussion.text(),
        subcommands: [Create.self, Add.self, Remove.self, Show.self, List.self, Route.self, Publish.self, Suggest.self])

    /// Cases added to or taken out of incident `id`; the incident as it then stands.
    static func changeCases(
        _ method: Method<IncidentCasesRequest, IncidentView>, _ id: UInt32, _ cases: [String],
        _ reason: String, _ global: GlobalOptions
    ) throws {
        var request = IncidentCasesRequest()
        request.incidentID = id
        request.caseIds = cases
        request.reason = reason
        let view = try global.withClient { client throws(RPCError) in try client.call(method, request) }
        global.show(IncidentSheet(view: view))
    }

    /// A call on incident `id` alone; the incident as it then stands.
    static func onIncident(
        _ method: Method<IncidentRef, IncidentView>, _ id: UInt32, _ global: GlobalOptions, pager: Bool
    ) throws {
        var request = IncidentRef()
        request.incidentID = id
        let view = try global.withClient { client throws(RPCError) in try client.call(method, request) }
        global.show(IncidentSheet(view: view), pager: pager)
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Incidents.createAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Say.Incidents.titleHelp.text())) var title: String
        @Option(help: ArgumentHelp(Say.Incidents.topicHelp.text())) var topic: [String] = []
        @Argument(help: ArgumentHelp(Say.Incidents.casesHelp.text())) var cases: [String]

        func run() throws {
            var request = CreateIncidentRequest()
            request.title = title
            request.topics = topic
            request.caseIds = cases
            let view = try global.withClient { client throws(RPCError) in
                try client.call(IncidentsService.createIncident, request)
            }
            // The number alone on stdout, for scripts (`id=$(otklik incident create ...)`); -o json: the incident.
            if global.output == .json {
                global.show(IncidentSheet(view: view))
            } else {
                print(view.id)
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Incidents.addAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Incidents.idHelp.text())) var id: UInt32
        @Argument(help: ArgumentHelp(Say.Incidents.casesHelp.text())) var cases: [String]
        @Option(help: ArgumentHelp(Say.Incidents.reasonHelp.text())) var reason: String = ""

        func run() throws { try IncidentCommand.changeCases(IncidentsService.addToIncident, id, cases, reason, global) }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Incidents.removeAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Incidents.idHelp.text())) var id: UInt32
        @Argument(help: ArgumentHelp(Say.Incidents.casesHelp.text())) var cases: [String]
        @Option(help: ArgumentHelp(Say.Incidents.removeReasonHelp.text())) var reason: String = ""

        func run() throws {
            try IncidentCommand.changeCases(IncidentsService.removeFromIncident, id, cases, reason, global)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Incidents.showAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Incidents.idHelp.text())) var id: UInt32

        func run() throws { try IncidentCommand.onIncident(IncidentsService.getIncident, id, global, pager: true) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Incidents.listAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Say.Incidents.limitHelp.text())) var limit: UInt32 = 100

        func run() throws {
            var request = ListIncidentsRequest()
            request.limit = limit
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(IncidentsService.listIncidents, request)
            }
            global.show(
                Rows(key: nil, fields: IncidentSheet.summaryFields, rows: answer.incidents, empty: Say.Incidents.none))
        }
    }

    struct Route: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Incidents.routeAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Incidents.idHelp.text())) var id: UInt32
        @Option(help: ArgumentHelp(Say.Cases.routeExecutorHelp.text())) var executor: [String] = []
        @Option(help: ArgumentHelp(Say.Cases.routeTopicHelp.text())) var topic: [String] = []
        @Option(help: ArgumentHelp(Say.Incidents.reasonHelp.text())) var reason: String = ""

        func run() throws {
            var request = RouteIncidentRequest()
            request.incidentID = id
            request.executors = try executor.map { try UnitTitles.code($0, global, option: "--executor") }
            request.topics = try topicAssignments(topic, global)
            request.reason = reason
            let view = try global.withClient { client throws(RPCError) in
                try client.call(IncidentsService.routeIncident, request)
            }
            global.show(IncidentSheet(view: view))
            // The breach forecast for the assignments the routing made (issue 31, item 3).
            global.warnOfRisk(view.members.flatMap(\.assignments).filter { $0.state == .drafting }.map(\.assignmentID))
        }
    }

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Incidents.publishAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Incidents.idHelp.text())) var id: UInt32

        func run() throws { try IncidentCommand.onIncident(IncidentsService.publishIncident, id, global, pager: false) }
    }

    struct Suggest: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: Say.Incidents.suggestAbstract.text())
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Say.Incidents.caseHelp.text())) var id: String

        func run() throws {
            var request = CaseRef()
            request.id = id
            let answer = try global.withClient { client throws(RPCError) in
                try client.call(IncidentsService.suggestIncident, request)
            }
            global.show(
                Rows(
                    key: nil, fields: IncidentSheet.suggestionFields, rows: answer.suggestions,
                    empty: Say.Incidents.noSuggestions))
        }
    }
}
