import Foundation
import OtklikCore
import Testing

/// Issue 31: the reply-quality check of the shipped profile, on the labelled replies of
/// tests/fixtures/reply-quality.json and on each rule's edges.
@Suite struct ReplyQualityTests {
    struct Sample: Decodable {
        var id: String
        var formal: Bool
        var kind: DraftKind
        var post: String
        var text: String
        var measures: String?
        var copy_of: String?
    }

    struct Fixture: Decodable { var samples: [Sample] }

    static let samples: [Sample] = {
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("tests/fixtures/reply-quality.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: path)).samples
    }()

    let quality = profile.replyQuality!

    /// Each sample in order, as the daemon checks it: a reply not labelled formal is published, and
    /// a later draft with its text is a copy.
    func verdicts() -> [(sample: Sample, findings: [ReplyFinding])] {
        var published: [String: String] = [:]
        return Self.samples.map { sample in
            let key = ReplyQuality.copyKey(sample.text)
            let findings = quality.check(
                kind: sample.kind, text: sample.text, measures: sample.measures, post: sample.post,
                copyOf: key.flatMap { published[$0] })
            if !sample.formal, let key { published[key] = published[key] ?? sample.id }
            return (sample, findings)
        }
    }

    @Test func precisionAndRecallOnTheLabelledReplies() {
        let verdicts = verdicts()
        #expect(verdicts.count >= 60)
        let flagged = verdicts.filter { !$0.findings.isEmpty }
        let truePositives = flagged.filter(\.sample.formal).count
        let precision = Double(truePositives) / Double(max(flagged.count, 1))
        let recall = Double(truePositives) / Double(max(verdicts.filter(\.sample.formal).count, 1))
        let wrong = verdicts.filter { $0.sample.formal == $0.findings.isEmpty }.map {
            "\($0.sample.id): \($0.findings.map(\.rule.rawValue))"
        }
        #expect(precision >= 0.9, "precision \(precision); wrong: \(wrong)")
        #expect(recall >= 0.9, "recall \(recall); wrong: \(wrong)")
    }

    @Test func theCopiesAreFoundAsCopiesOfTheFirstReply() {
        let verdicts = verdicts()
        for (sample, findings) in verdicts where sample.copy_of != nil {
            #expect(findings.contains(ReplyFinding(rule: .copy, words: [sample.copy_of!])), "\(sample.id)")
        }
    }

    @Test func stockPhrasesAreNamedAndADateClearsThem() {
        let post = "Яма на улице Кирова у дома 30"
        let formal = quality.check(
            kind: .final, text: "Информация принята к сведению, яма на Кирова будет заделана в порядке очерёдности.",
            measures: nil, post: post)
        #expect(formal.map(\.rule) == [.stockPhrases, .noTerm])
        #expect(formal.first?.words == ["принята к сведению", "в порядке очередности"])
        let dated = quality.check(
            kind: .final, text: "Яма на Кирова будет заделана до 10.12, ремонт в порядке очерёдности.", measures: nil,
            post: post)
        #expect(dated.isEmpty)
    }

    @Test func aMeasureTakenAnswersAFinalReplyAndAPromiseDoesNot() {
        let post = "Не вывозят мусор с площадки на Гоголя"
        #expect(
            quality.check(kind: .final, text: "Мусор с площадки на Гоголя вывезен.", measures: nil, post: post).isEmpty)
        #expect(
            quality.check(kind: .final, text: "Мусор с площадки на Гоголя будет вывезен.", measures: nil, post: post)
                .map(\.rule) == [.noTerm])
        #expect(
            quality.check(kind: .final, text: "Мусор с площадки на Гоголя не вывезен.", measures: nil, post: post)
                .map(\.rule) == [.noTerm])
        // The measures field counts as the measure taken, unless it is itself a formal phrase.
        #expect(
            quality.check(
                kind: .final, text: "Площадка на Гоголя проверена.", measures: "Вопрос на контроле.", post: post
            ).map(\.rule) == [.noTerm])
        #expect(
            quality.check(
                kind: .final, text: "Площадка на Гоголя проверена.", measures: "Мусор вывезен подрядчиком.", post: post
            ).isEmpty)
    }

    @Test func aReferenceIsNotADateAndOnlyLawsIsNamed() {
        let post = "Тротуар на Ленина разбит"
        #expect(quality.terms(in: "согласно п. 3.2 Правил").isEmpty)
        #expect(quality.terms(in: "ст. 12.1 КоАП").isEmpty)
        #expect(quality.terms(in: "выполним до 3.12") == ["3.12"])
        #expect(quality.terms(in: "с 05.12.2026 в 18:00") == ["05.12.2026", "18:00"])
        #expect(!quality.terms(in: "в течение двух рабочих дней").isEmpty)
        #expect(!quality.terms(in: "через неделю").isEmpty)
        #expect(quality.terms(in: "в доме 5 на третьем этаже").isEmpty)
        #expect(quality.terms(in: "у д. 5/12 по Кирова").isEmpty)
        #expect(quality.terms(in: "благоприятной городской среды").isEmpty)
        let findings = quality.check(
            kind: .final, text: "Содержание тротуара на Ленина регулируется статьёй 16 Федерального закона № 131-ФЗ.",
            measures: nil, post: post)
        #expect(findings.map(\.rule) == [.onlyLaws, .noTerm])
    }

    @Test func anIntermediateReplySaysWhenTheFinalComes() {
        let post = "Когда починят мост в Кончанском?"
        #expect(
            quality.check(
                kind: .intermediate, text: "Вопрос о мосте в Кончанском изучается.", measures: nil, post: post
            )
            .map(\.rule) == [.stockPhrases, .noFinalTerm])
        #expect(
            quality.check(
                kind: .intermediate, text: "Обследуем мост в Кончанском, ответ дадим до 15 декабря.", measures: nil,
                post: post
            ).isEmpty)
    }

    @Test func aReplyMustShareAWordWithItsPost() {
        let findings = quality.check(
            kind: .final, text: "Кровля дома отремонтирована 4 декабря.", measures: nil,
            post: "У школы номер один стая собак")
        #expect(findings.map(\.rule) == [.offTopic])
        // A post too short to compare is not judged.
        #expect(
            quality.check(kind: .final, text: "Кровля отремонтирована 4 декабря.", measures: nil, post: "Когда?")
                .isEmpty)
    }

    @Test func aClarificationIsOnlyCheckedForSayingSomething() {
        #expect(
            quality.check(kind: .clarification, text: "Уточните адрес, пожалуйста.", measures: nil, post: "Яма").isEmpty
        )
        #expect(
            quality.check(kind: .clarification, text: "Спасибо!", measures: nil, post: "Яма").map(\.rule) == [.empty])
    }

    @Test func aCopyIsRecognisedWithoutItsSalutation() {
        let text = "Яма на Кирова у дома 12 заделана 4 декабря."
        #expect(ReplyQuality.copyKey(text) == ReplyQuality.copyKey("Уважаемый Иван Петрович! " + text))
        #expect(ReplyQuality.copyKey(text) == ReplyQuality.copyKey("Здравствуйте, " + text.lowercased()))
        #expect(ReplyQuality.copyKey(text) == ReplyQuality.copyKey("Здравствуйте, Анна Сергеевна!\n" + text))
        #expect(ReplyQuality.copyKey(text) == ReplyQuality.copyKey("Добрый день, Пётр! " + text))
        // A greeting followed by the whole answer keeps the answer.
        #expect(ReplyQuality.copyKey("Здравствуйте, яма заделана!") == ReplyQuality.copyKey("Яма заделана!"))
        #expect(ReplyQuality.copyKey(text) != ReplyQuality.copyKey("Яма на Кирова у дома 14 заделана 4 декабря."))
        #expect(ReplyQuality.copyKey("!!!") == nil)
    }

    @Test func theRulesRoundTripThroughTheProfileFile() throws {
        let again = try RegulationProfile.decode(Data(profile.fileJSON().utf8))
        #expect(again.replyQuality == profile.replyQuality)
        var file = try JSONSerialization.jsonObject(with: Data(profile.fileJSON().utf8)) as! [String: Any]
        var rules = file["reply_quality"] as! [String: Any]
        rules["refuse"] = ["no_such_rule"]
        file["reply_quality"] = rules
        #expect(throws: CalendarError.self) {
            try RegulationProfile.decode(JSONSerialization.data(withJSONObject: file))
        }
    }

    @Test func submissionRecordsTheFindingsAndAProfileMayRefuse() throws {
        var harness = CaseHarness(now: "2026-12-01T10:00:00+03:00")
        try harness.register(detected: "2026-12-01T09:50:00+03:00")
        try harness.run(.route(executors: ["roads"], topics: ["roads": ["дороги"]], importance: nil))
        let events = try harness.run(
            .submitDraft(
                assignment: 1, kind: .final, text: "Информация о яме принята к сведению.", measures: "",
                copyOf: "2026-000007"))
        #expect(events.first?.findings?.map(\.rule) == [.stockPhrases, .noTerm, .copy])
        #expect(events.first?.findings?.last?.words == ["2026-000007"])
        #expect(harness.state?.assignments.first?.drafts.last?.findings == events.first?.findings)

        var strict = profile
        strict.replyQuality?.refuse = [.noTerm]
        let strictContext = try WorkflowContext(profile: strict, calendars: context.calendars)
        var state = harness.state!
        state = try #require(
            try Workflow.apply(
                try Workflow.decide(
                    state, .returnDraft(assignment: 1, reason: .formal, comment: "Нет срока"), now: harness.now,
                    context: strictContext), to: state, id: state.id))
        #expect(throws: WorkflowError.self) {
            try Workflow.decide(
                state, .submitDraft(assignment: 1, kind: .final, text: "Яма на дороге будет заделана.", measures: ""),
                now: harness.now, context: strictContext)
        }
        let fine = try Workflow.decide(
            state, .submitDraft(assignment: 1, kind: .final, text: "Яма на дороге заделана 02.12.", measures: ""),
            now: harness.now, context: strictContext)
        #expect(fine.first?.findings == nil)
    }
}
