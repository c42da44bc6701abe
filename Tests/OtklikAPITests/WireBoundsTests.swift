import OtklikAPI
import OtklikRPC
import Testing

/// The boundary every request passes before it is decoded.
@Suite struct WireBoundsTests {
    private func request(_ build: (inout RegisterMessageRequest) -> Void) -> [UInt8] {
        var message = RegisterMessageRequest()
        message.network = "vk"
        message.url = "https://vk.com/wall-1_1"
        message.author = "Иван"
        message.text = "Яма"
        message.detectedAtUnix = 1_796_112_000
        build(&message)
        return message.serializedBytes()
    }

    /// Why the boundary refuses `message` (always INVALID_ARGUMENT), nil when it passes.
    private func refused<M: ProtoMessage>(_ message: M) -> String? {
        do {
            try WireBounds.check(message.serializedBytes(), as: M.self)
            return nil
        } catch {
            #expect(error.code == .invalidArgument)
            return error.message
        }
    }

    private func refusal(_ bytes: [UInt8]) -> String? {
        do {
            try WireBounds.check(bytes, as: RegisterMessageRequest.self)
            return nil
        } catch {
            #expect(error.code == .invalidArgument)
            return error.message
        }
    }

    @Test func anOrdinaryRequestPassesAndUnknownFieldsToo() {
        #expect(refusal(request { _ in }) == nil)
        #expect(refusal(request { _ in } + [0xF8, 0x07, 0x01]) == nil)  // field 127, varint: a newer client's addition
        #expect(refusal(request { $0.text = "строка\tс табуляцией\nи переводом" }) == nil)
    }

    @Test func eachLimitNamesTheFieldAndTheLimit() {
        #expect(
            refusal(request { $0.externalID = String(repeating: "x", count: 257) })
                == "external_id is 257 bytes; at most 256 are accepted")
        #expect(
            refusal(request { $0.topics = (0..<21).map { "t\($0)" } })
                == "topics has more than 20 elements; at most 20 are accepted")
        #expect(
            refusal(request { $0.postedAtUnix = Int64.min })?.hasPrefix(
                "posted_at_unix: -9223372036854775808 is not an instant") == true)
        #expect(refusal(request { $0.detectedAtUnix = -1 })?.contains("2100-12-31T23:59:59Z") == true)
    }

    /// An import's messages and an export's page are bounded like every other request, the messages
    /// each as a registration.
    @Test func importsAndExportsAreBounded() {
        let one = try? RegisterMessageRequest(serializedBytes: request { _ in })
        var batch = ImportMessagesRequest()
        batch.apply = true
        batch.messages = Array(repeating: one ?? RegisterMessageRequest(), count: 1000)
        #expect(refused(batch) == nil)
        batch.messages.append(one ?? RegisterMessageRequest())
        #expect(refused(batch) == "messages has more than 1000 elements; at most 1000 are accepted")
        for (change, expected) in [
            // (a NUL cannot leave the typed encoder, which ends a string there: the raw-bytes test above has it)
            (
                { (m: inout RegisterMessageRequest) in m.text = "a\u{7F}b" },
                "messages.text contains the control character U+007F"
            ),
            (
                { (m: inout RegisterMessageRequest) in m.author = "\u{1B}[2J" },
                "messages.author contains the control character U+001B"
            ),
            (
                { (m: inout RegisterMessageRequest) in m.postedAtUnix = Int64.max },
                "messages.posted_at_unix: 9223372036854775807"
            ),
            (
                { (m: inout RegisterMessageRequest) in m.text = String(repeating: "я", count: 32 * 1024 + 1) },
                "messages.text is 65538 bytes"
            ),
        ] {
            var message = one ?? RegisterMessageRequest()
            change(&message)
            var single = ImportMessagesRequest()
            single.messages = [message]
            #expect(refused(single)?.hasPrefix(expected) == true, "\(refused(single) ?? "accepted")")
        }
        var page = ExportEventsRequest()
        page.fromSequence = Int64.max
        page.limit = 1000
        #expect(refused(page) == nil)
        page.fromSequence = Int64.min
        #expect(refused(page)?.hasPrefix("from_sequence: -9223372036854775808 is outside") == true)
        page.fromSequence = 0
        page.limit = 1001
        #expect(refused(page) == "limit: 1001 is outside 0...1000")
    }

    /// The work queue's and the case list's new fields are bounded like every other by their names.
    @Test func theQueueAndTheListsFiltersAreBounded() {
        #expect(refused(QueueRequest(limit: 1000, after: "1796112000/1796100000/2026-000012")) == nil)
        #expect(refused(QueueRequest(limit: 1001)) == "limit: 1001 is outside 0...1000")
        #expect(
            refused(QueueRequest(after: String(repeating: "9", count: 513)))
                == "after is 513 bytes; at most 512 are accepted")
        // A NUL byte cannot pass through protobuf-c's encoder: sent raw (field 2, `after`).
        let nul: [UInt8] = [0x12, 4] + Array("179".utf8) + [0]
        do {
            try WireBounds.check(nul, as: QueueRequest.self)
            Issue.record("a NUL byte in after was accepted")
        } catch {
            #expect(
                error.message
                    == "after contains the control character NUL; only text, tabs and line breaks are accepted")
        }
        var list = ListCasesRequest()
        list.byDue = true
        list.network = "vk"
        list.topic = "дороги"
        list.importance = .high
        list.fromUnix = 1_796_000_000
        list.toUnix = 1_797_000_000
        list.author = "Анна Соколова"
        #expect(refused(list) == nil)
        for (change, field) in [
            ({ (m: inout ListCasesRequest) in m.fromUnix = Int64.max }, "from_unix"),
            ({ (m: inout ListCasesRequest) in m.toUnix = Int64.min }, "to_unix"),
            ({ (m: inout ListCasesRequest) in m.topic = String(repeating: "т", count: 51) }, "topic"),
            ({ (m: inout ListCasesRequest) in m.author = String(repeating: "я", count: 257) }, "author"),
            ({ (m: inout ListCasesRequest) in m.network = "vk\u{1B}[2J" }, "network"),
        ] {
            var message = list
            change(&message)
            let sentence = refused(message)
            #expect(sentence?.hasPrefix(field) == true, "\(field): \(sentence ?? "accepted")")
        }
    }

    /// Issue 31: the incidents' requests are bounded by their fields' names, `case_ids` by what an
    /// incident holds.
    @Test func theIncidentsRequestsAreBounded() {
        let ids = (1...500).map { "2026-" + String(1_000_000 + $0).dropFirst() }
        var create = CreateIncidentRequest()
        create.title = String(repeating: "я", count: 256)
        create.topics = Array(repeating: "ЖКХ", count: 20)
        create.caseIds = ids
        #expect(refused(create) == nil)
        for (change, field) in [
            ({ (m: inout CreateIncidentRequest) in m.caseIds.append("2026-000501") }, "case_ids"),
            ({ (m: inout CreateIncidentRequest) in m.title += "я" }, "title"),
            ({ (m: inout CreateIncidentRequest) in m.title = "Нет\u{1B}[2J отопления" }, "title"),
            ({ (m: inout CreateIncidentRequest) in m.topics.append("дороги") }, "topics"),
            ({ (m: inout CreateIncidentRequest) in m.caseIds[0] = String(repeating: "9", count: 513) }, "case_ids"),
        ] {
            var message = create
            change(&message)
            let sentence = refused(message)
            #expect(sentence?.hasPrefix(field) == true, "\(field): \(sentence ?? "accepted")")
        }
        // A NUL byte cannot pass through protobuf-c's encoder: sent raw (field 1, `title`).
        do {
            try WireBounds.check([0x0A, 3] + Array("ab".utf8) + [0], as: CreateIncidentRequest.self)
            Issue.record("a NUL byte in title was accepted")
        } catch {
            #expect(error.message.hasPrefix("title contains the control character NUL"))
        }
        var cases = IncidentCasesRequest()
        cases.incidentID = UInt32.max
        cases.caseIds = ids
        cases.reason = String(repeating: "x", count: 4 << 10)
        #expect(refused(cases) == nil)
        cases.reason += "x"
        #expect(refused(cases)?.hasPrefix("reason") == true)
        var route = RouteIncidentRequest()
        route.incidentID = UInt32.max
        route.executors = (1...20).map { "unit\($0)" }
        #expect(refused(route) == nil)
        route.executors.append("unit21")
        #expect(refused(route)?.hasPrefix("executors") == true)
        #expect(refused(ListIncidentsRequest(limit: 1000)) == nil)
        #expect(refused(ListIncidentsRequest(limit: 1001)) == "limit: 1001 is outside 0...1000")
    }

    @Test func whatDecodingWouldHideIsRefused() {
        // protobuf-c ends a C string at its first NUL (it cannot even encode one); the check sees the
        // whole value on the wire.
        var nul = request { $0.author = "AAAA" }
        if let at = nul.firstIndex(of: 0x41) { nul[at + 1] = 0 }
        #expect(
            refusal(nul) == "author contains the control character NUL; only text, tabs and line breaks are accepted")
        #expect(
            refusal(request { $0.author = "\u{1B}[2J" })
                == "author contains the control character U+001B; only text, tabs and line breaks are accepted")
        var badUTF8 = request { $0.author = "AAAA" }
        if let at = badUTF8.firstIndex(of: 0x41) { badUTF8.replaceSubrange(at..<at + 2, with: [0xC3, 0x28]) }
        #expect(refusal(badUTF8) == "author is not valid UTF-8 text")
    }

    @Test func brokenEncodingsAreRefusedNotTrusted() {
        #expect(refusal([0x0A, 0xFF, 0xFF, 0x01]) != nil)  // a length past the end
        #expect(refusal([0x08] + Array(repeating: 0xFF, count: 11)) != nil)  // a varint of eleven bytes
        #expect(refusal([0x0B]) != nil)  // a group (wire type 3)
        #expect(refusal([0x00, 0x01]) != nil)  // field number 0
    }

    /// Issue 29: a connector's report is bounded by its fields' names: its instants (`missed_since_unix`
    /// too) within the years the tool works in, its words by length and control characters.
    @Test func theConnectorsReportIsBounded() {
        var report = ConnectorReport()
        report.network = "vk"
        report.community = String(repeating: "к", count: 128)
        report.externalPrefix = "vk:-218375_"
        report.state = .ok
        report.lastPollUnix = 1_796_000_000
        report.errorAtUnix = 1_796_000_000
        report.missedSinceUnix = 1_796_000_000
        report.lastError = String(repeating: "e", count: 1 << 10)
        #expect(refused(report) == nil)
        for (change, field) in [
            ({ (m: inout ConnectorReport) in m.missedSinceUnix = Int64.max }, "missed_since_unix"),
            ({ (m: inout ConnectorReport) in m.missedSinceUnix = Int64.min }, "missed_since_unix"),
            ({ (m: inout ConnectorReport) in m.missedSinceUnix = -1 }, "missed_since_unix"),
            ({ (m: inout ConnectorReport) in m.errorAtUnix = Int64.max }, "error_at_unix"),
            ({ (m: inout ConnectorReport) in m.lastError += "e" }, "last_error"),
            ({ (m: inout ConnectorReport) in m.community += "к" }, "community"),
            ({ (m: inout ConnectorReport) in m.lastError = "VK 5\u{1B}[2J" }, "last_error"),
        ] {
            var message = report
            change(&message)
            let sentence = refused(message)
            #expect(sentence?.hasPrefix(field) == true, "\(field): \(sentence ?? "accepted")")
        }
        // A NUL byte cannot pass through protobuf-c's encoder: sent raw (field 2, `community`).
        do {
            try WireBounds.check([0x12, 3] + Array("ab".utf8) + [0], as: ConnectorReport.self)
            Issue.record("a NUL byte in community was accepted")
        } catch {
            #expect(error.message.hasPrefix("community contains the control character NUL"))
        }
    }
}
