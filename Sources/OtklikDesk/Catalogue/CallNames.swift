/// The commands that make each call of the contract: a refusal naming a call (`not_permitted`)
/// tells the reader the command they typed, not the method.
public enum CallNames {
    public static let commands: [String: String] = [
        "otklik.v1.Cases/RegisterMessage": "otklik message register",
        "otklik.v1.Cases/ImportMessages": "otklik message import",
        "otklik.v1.Events/Export": "otklik export events",
        "otklik.v1.Cases/ExportCases": "otklik export cases",
        "otklik.v1.Cases/GetCase": "otklik case show", "otklik.v1.Cases/ListCases": "otklik case list",
        "otklik.v1.Cases/Queue": "otklik queue", "otklik.v1.Cases/Board": "otklik board",
        "otklik.v1.Cases/SearchCases": "otklik case search",
        "otklik.v1.Cases/GetHistory": "otklik case history", "otklik.v1.Cases/Route": "otklik case route",
        "otklik.v1.Cases/Reject": "otklik case reject", "otklik.v1.Cases/LinkRepeat": "otklik case link-repeat",
        "otklik.v1.Cases/Reroute": "otklik case reroute", "otklik.v1.Cases/AddExecutor": "otklik case add-executor",
        "otklik.v1.Cases/CancelAssignment": "otklik assignment cancel",
        "otklik.v1.Cases/Withdraw": "otklik case withdraw", "otklik.v1.Cases/Correct": "otklik case correct",
        "otklik.v1.Cases/Reopen": "otklik case reopen", "otklik.v1.Cases/TakeAssignment": "otklik assignment take",
        "otklik.v1.Cases/GiveAssignment": "otklik assignment give",
        "otklik.v1.Replies/SubmitDraft": "otklik draft submit",
        "otklik.v1.Replies/ApproveDraft": "otklik draft approve",
        "otklik.v1.Replies/ReturnDraft": "otklik draft return", "otklik.v1.Replies/Publish": "otklik reply publish",
        "otklik.v1.Replies/RecordAuthorAnswer": "otklik reply author-answered",
        "otklik.v1.Replies/WaiveEvidence": "otklik draft waive-evidence",
        "otklik.v1.Admin/SetClock": "otklik admin clock set",
        "otklik.v1.Admin/AdvanceClock": "otklik admin clock advance",
        "otklik.v1.Maintenance/Backup": "otklik admin backup",
        "otklik.v1.Calendar/PutSchedule": "otklik calendar set-schedule",
        "otklik.v1.Calendar/ImportProductionCalendar": "otklik calendar import",
        "otklik.v1.Directory/PutUnit": "otklik unit add", "otklik.v1.Directory/PutStaff": "otklik staff add",
        "otklik.v1.Directory/DeactivateStaff": "otklik staff deactivate",
        "otklik.v1.Directory/AddAbsence": "otklik staff absence add",
        "otklik.v1.Directory/PutAccount": "otklik account add",
        "otklik.v1.Directory/ImportStaff": "otklik staff import", "otklik.v1.Events/Watch": "otklik watch",
        "otklik.v1.Reports/MonthlySummary": "otklik report", "otklik.v1.Attachments/Upload": "otklik attachment upload",
        "otklik.v1.Attachments/Download": "otklik attachment get",
        "otklik.v1.Attachments/GetAttachment": "otklik attachment show",
        "otklik.v1.Incidents/CreateIncident": "otklik incident create",
        "otklik.v1.Incidents/AddToIncident": "otklik incident add",
        "otklik.v1.Incidents/RemoveFromIncident": "otklik incident remove",
        "otklik.v1.Incidents/GetIncident": "otklik incident show",
        "otklik.v1.Incidents/ListIncidents": "otklik incident list",
        "otklik.v1.Incidents/RouteIncident": "otklik incident route",
        "otklik.v1.Incidents/PublishIncident": "otklik incident publish",
        "otklik.v1.Incidents/SuggestIncident": "otklik incident suggest",
    ]

    /// The command of a call (`otklik.v1.Cases/Route`), nil for one no command makes.
    public static func command(of method: String) -> String? { commands[method] }
}
