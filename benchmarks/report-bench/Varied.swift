// `report-bench DATA CAL PROFILE varied CASES`: a region whose cases take every road the workflow has,
// for tests that compare two ways of counting clause 22's figures (tests/rollup: the roll-up's SQL
// views against the daemon's own report), and a tenth as many a year earlier (the report's year-before
// columns). Each case is registered between FROM and TO and then walks
// at random: route, drafts of every kind with and without photos, returns, waivers, approvals,
// publications, clarifications answered or not (pauses), reroutes, added and cancelled executors,
// rejections, withdrawals, reopenings, importance changes, repeats and incidents. A step the workflow
// refuses is skipped, as a person's would be; nothing happens after TO.
import Foundation
import OtklikCore
import OtklikStore

enum Varied {
    static let units = ["roads", "housing", "transport", "education", "health"]
    static let topics = ["дороги", "ЖКХ", "транспорт", "образование", "здравоохранение", "благоустройство"]
    static let networks = ["vk", "ok", "tg"]

    static func generate(
        store: Store, context: WorkflowContext, total: Int, from: Instant, to: Instant, seed: UInt64 = 32,
        year: Int = 2026
    ) throws {
        var random = SeededRandom(seed: seed)
        // A few photos, stored as uploads are (a draft may only carry a stored file).
        let files = try AttachmentFiles(dataDirectory: store.directory)
        var photos: [DraftAttachment] = []
        for number in 0..<4 {
            let upload = try files.begin()
            try upload.write([0xFF, 0xD8, 0xFF, 0xE0] + Array("фото \(number)".utf8))
            let sha256 = try upload.finish()
            _ = try upload.commit(as: sha256)
            let record = AttachmentRecord(
                sha256: sha256, name: "фото-\(number).jpg", contentType: .jpeg, size: 12, capturedAt: nil,
                position: nil,
                uploadedAt: from, uploadedBy: "roads.smirnov")
            _ = try store.recordAttachment(record, actor: "roads.smirnov", onBehalf: "", now: from)
            photos.append(DraftAttachment(sha256: sha256, name: record.name, kind: .photo, size: 12, capturedAt: nil))
        }
        let curator = context.calendar(.route)
        var batch: [(state: CaseState, events: [(WorkflowEvent, Instant)])] = []
        var ids: [String] = []
        // In order of detection, so that a repeat names a message detected before it.
        let detections = (0..<total).map { _ in Int64.random(in: from.seconds..<to.seconds, using: &random) }.sorted()
        for n in 1...total {
            let detected = Instant(seconds: detections[n - 1])
            let id = String(format: "%d-%06d", year, n)
            var t = detected
            var state: CaseState? = nil
            var logged: [(WorkflowEvent, Instant)] = []
            func run(_ command: CaseCommand) {
                guard t < to, let events = try? Workflow.decide(state, command, now: t, context: context),
                    let next = try? Workflow.apply(events, to: state, id: id)
                else { return }
                state = next
                logged += events.map { ($0, t) }
            }
            let network = networks.randomElement(using: &random)!
            let host = context.profile.hosts(of: network).first ?? "example.org"
            run(
                .register(
                    .init(
                        network: network, url: "https://\(host)/\(year)/\(n)", author: "Автор \(n % 300)",
                        text: "Сообщение \(n)", detectedAt: detected,
                        topics: Int.random(in: 0..<5, using: &random) == 0
                            ? [] : [topics.randomElement(using: &random)!],
                        importance: Int.random(in: 0..<8, using: &random) == 0 ? .high : .normal, allowOld: true)))
            for _ in 0..<Int.random(in: 0...24, using: &random) {
                // Mostly working minutes apart; now and then days, so that terms run out.
                t =
                    Int.random(in: 0..<6, using: &random) == 0
                    ? t + Int64.random(in: 3600...(5 * 86400), using: &random)
                    : (try? curator.add(t, seconds: Int64.random(in: 5...300, using: &random) * 60)) ?? t
                let assignments = state?.assignments.count ?? 0
                let index = assignments == 0 ? 1 : Int.random(in: 1...assignments, using: &random)
                let unit = units.randomElement(using: &random)!
                // Three steps in four follow the assignment's own road; the rest are anything at all.
                let choice: Int
                if Int.random(in: 0..<4, using: &random) > 0 {
                    switch state?.assignment(index)?.status {
                    case nil: choice = 0  // route
                    case .drafting, .awaitingFinal: choice = 12  // a draft
                    // Approve mostly; return or waive now and then.
                    case .inReview: choice = [35, 35, 35, 30, 48].randomElement(using: &random)!
                    case .approved: choice = 50  // publish
                    // The author answers, or not yet.
                    case .waitingAuthor: choice = Int.random(in: 0..<4, using: &random) == 0 ? 65 : 99
                    default: choice = 99
                    }
                } else {
                    choice = Int.random(in: 0..<100, using: &random)
                }
                switch choice {
                case 0..<12:
                    let second = units.randomElement(using: &random)!
                    run(
                        .route(
                            executors: Int.random(in: 0..<5, using: &random) == 0 && second != unit
                                ? [unit, second] : [unit],
                            topics: Int.random(in: 0..<2, using: &random) == 0
                                ? [:] : [unit: [topics.randomElement(using: &random)!]],
                            importance: nil))
                case 12..<30:
                    let kinds: [DraftKind] = [.final, .final, .final, .intermediate, .clarification]
                    let photo = Int.random(in: 0..<2, using: &random) == 0
                    let attach = photo ? [photos.randomElement(using: &random)!] : []
                    run(
                        .submitDraft(
                            assignment: index, kind: kinds.randomElement(using: &random)!,
                            text: Int.random(in: 0..<6, using: &random) == 0
                                ? "Ок" : "Ответ по сообщению \(n): работы выполнены",
                            measures: "", attachments: DraftAttachmentChange(attach: attach)))
                case 30..<35:
                    run(
                        .returnDraft(
                            assignment: index, reason: ReturnReason.allCases.randomElement(using: &random)!,
                            comment: "Доработать"))
                case 35..<48: run(.approveDraft(assignment: index))
                case 48..<50: run(.waiveEvidence(assignment: index, reason: "Фото не требуется"))
                case 50..<65:
                    run(
                        .publish(
                            assignment: index, url: "https://\(host)/r/\(n)/\(logged.count)", account: "adm", at: nil))
                case 65..<70: run(.authorAnswered(assignment: index, at: t, text: "Ответ автора"))
                case 70..<72: run(.closeWithoutAnswer(assignment: index))
                case 72..<74: run(.reroute(assignment: index, to: unit, topics: [], reason: "Не та служба"))
                case 74: run(.addExecutor(unit, topics: [], reason: "Нужна вторая служба"))
                case 75: run(.cancelAssignment(index, reason: "Лишнее поручение"))
                case 76: run(.reject(reason: RejectionReason.allCases.randomElement(using: &random)!, comment: ""))
                case 77: run(.withdraw(reason: "Зарегистрировано по ошибке"))
                case 78..<80:
                    run(.reopen(executors: Int.random(in: 0..<2, using: &random) == 0 ? [] : [unit], reason: "Снова"))
                case 80..<82: run(.changeImportance(Int.random(in: 0..<2, using: &random) == 0 ? .high : .normal))
                case 82..<84:
                    if let earlier = ids.randomElement(using: &random) { run(.linkRepeat(of: earlier)) }
                case 84..<86: run(.joinIncident(Int.random(in: 1...4, using: &random)))
                case 86: run(.leaveIncident(reason: ""))
                default: break
                }
            }
            if let state {
                batch.append((state, logged))
                ids.append(id)
            }
            if batch.count == 5000 {
                try store.insertGenerated(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        try store.insertGenerated(batch)
    }
}
