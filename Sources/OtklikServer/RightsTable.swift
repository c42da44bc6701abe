import Foundation
import OtklikAPI
import OtklikCore
import OtklikRPC

/// Who may call which method: the one table of call x role, keyed by the contract's typed methods (a
/// method renamed in a proto fails to compile here instead of silently losing its rule). The rules
/// themselves are Core's (`Rights.Rule`); the guard checks this table before any handler runs, and
/// docs/RIGHTS.md prints it (`markdown()`).
enum RightsTable {
    struct Key: Hashable, Sendable {
        let service: String
        let method: String
    }

    private static func row<Request, Response, Shape>(
        _ method: RPCMethod<Request, Response, Shape>, _ rule: Rights.Rule
    ) -> (Key, Rights.Rule) {
        (Key(service: method.service, method: method.name), rule)
    }

    static let rows: [(key: Key, rule: Rights.Rule)] = [
        row(AdminService.health, .anyone), row(AdminService.whoAmI, .anyone), row(AdminService.getProfile, .anyone),
        row(AdminService.setClock, .only(.admin)), row(AdminService.advanceClock, .only(.admin)),
        row(MaintenanceService.backup, .only(.admin)),
        row(CalendarService.getSchedule, .anyone), row(CalendarService.listSchedules, .anyone),
        row(CalendarService.computeDue, .anyone), row(CalendarService.workingTimeBetween, .anyone),
        row(CalendarService.monthSummary, .anyone), row(CalendarService.listWorkingIntervals, .anyone),
        row(CalendarService.putSchedule, .only(.admin)), row(CalendarService.importProductionCalendar, .only(.admin)),
        // A connector registers the comments it takes from the administration's communities (issue 29).
        row(CasesService.registerMessage, .only(.curator, .connector)),
        row(CasesService.importMessages, .only(.curator, .connector)),
        row(CasesService.getCase, Rights.Rule(roles: Rights.readers)),
        row(CasesService.getHistory, Rights.Rule(roles: Rights.readers)),
        row(CasesService.listCases, Rights.Rule(roles: Rights.readers)),
        row(CasesService.exportCases, Rights.Rule(roles: Rights.readers)),
        row(CasesService.searchCases, Rights.Rule(roles: Rights.readers)),
        row(CasesService.queue, Rights.Rule(roles: Rights.readers)),
        row(CasesService.board, Rights.Rule(roles: Rights.readers)),
        row(CasesService.route, .only(.curator)), row(CasesService.reject, .only(.curator)),
        row(CasesService.linkRepeat, .only(.curator)),
        row(CasesService.reroute, .only(.curator)), row(CasesService.addExecutor, .only(.curator)),
        row(CasesService.cancelAssignment, .only(.curator)), row(CasesService.withdraw, .only(.curator)),
        row(CasesService.correct, .only(.curator)), row(CasesService.reopen, .only(.curator)),
        row(CasesService.takeAssignment, Rights.Rule(roles: [.executor: .ownAssignment])),
        row(
            CasesService.giveAssignment,
            Rights.Rule(roles: [.executor: .ownAssignment, .curator: .all, .responsible: .all])),
        row(RepliesService.submitDraft, Rights.Rule(roles: [.executor: .ownAssignment])),
        row(RepliesService.approveDraft, .only(.curator)), row(RepliesService.returnDraft, .only(.curator)),
        row(RepliesService.publish, .only(.curator)), row(RepliesService.recordAuthorAnswer, .only(.curator)),
        row(RepliesService.waiveEvidence, .only(.curator)),
        row(RepliesService.requestPublication, .only(.curator)),
        // A connector reports what it sees in its network and publishes what the curator handed to it.
        row(ConnectorsService.recordNetworkChange, .only(.connector)),
        row(ConnectorsService.pendingPublications, .only(.connector)),
        row(ConnectorsService.claimPublication, .only(.connector)),
        row(ConnectorsService.recordPublication, .only(.connector)),
        row(ConnectorsService.recordPublicationFailure, .only(.connector)),
        row(ConnectorsService.reportHealth, .only(.connector)),
        row(ConnectorsService.listConnectors, Rights.staff),
        row(DirectoryService.listUnits, Rights.staff), row(DirectoryService.listStaff, Rights.staff),
        row(DirectoryService.getStaff, Rights.staff), row(DirectoryService.listAbsences, Rights.staff),
        row(DirectoryService.listAccounts, Rights.staff),
        row(DirectoryService.putUnit, .only(.admin)), row(DirectoryService.putStaff, .only(.admin)),
        row(DirectoryService.deactivateStaff, .only(.admin)), row(DirectoryService.addAbsence, .only(.admin)),
        row(DirectoryService.removeAbsence, .only(.admin)),
        row(DirectoryService.putAccount, .only(.admin)), row(DirectoryService.importStaff, .only(.admin)),
        row(EventsService.watch, Rights.Rule(roles: Rights.readers)),
        row(EventsService.export, .only(.curator, .responsible, .head, .admin)),
        row(ReportsService.monthlySummary, .only(.curator, .responsible, .head, .admin)),
        row(AttachmentsService.upload, Rights.Rule(roles: [.curator: .all, .executor: .ownAssignment])),
        // A connector fetches the files of a reply it was handed, to attach them where its network can.
        row(
            AttachmentsService.download,
            Rights.Rule(roles: Rights.readers.merging([.connector: .handedOver]) { a, _ in a })),
        row(AttachmentsService.getAttachment, Rights.Rule(roles: Rights.readers)),
        // Issue 31: an incident's steps are the curator's; reading one is reading its cases.
        row(IncidentsService.createIncident, .only(.curator)), row(IncidentsService.addToIncident, .only(.curator)),
        row(IncidentsService.removeFromIncident, .only(.curator)),
        row(IncidentsService.routeIncident, .only(.curator)), row(IncidentsService.publishIncident, .only(.curator)),
        row(IncidentsService.getIncident, Rights.Rule(roles: Rights.readers)),
        row(IncidentsService.listIncidents, Rights.Rule(roles: Rights.readers)),
        row(IncidentsService.suggestIncident, .only(.curator)),
        row(DiagnosticsService.echo, .anyone), row(DiagnosticsService.count, .anyone),
        row(DiagnosticsService.sum, .anyone),
    ]

    static let rules: [Key: Rights.Rule] = Dictionary(uniqueKeysWithValues: rows.map { ($0.key, $0.rule) })

    static func rule(service: String, method: String) -> Rights.Rule? {
        rules[Key(service: service, method: method)]
    }

    /// The table as docs/RIGHTS.md prints it: by service, then method.
    static func markdown() -> String {
        Rights.markdown(
            rows.sorted { ($0.key.service, $0.key.method) < ($1.key.service, $1.key.method) }.map { row in
                let service = row.key.service.replacingOccurrences(of: "otklik.v1.", with: "")
                return (call: "\(service)/\(row.key.method)", rule: row.rule)
            })
    }
}
