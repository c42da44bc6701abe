import Foundation
import OtklikAPI
import OtklikCore
import Testing

@testable import OtklikDesk

/// Reading the files `otklik message import` takes: the samples of tests/fixtures/import/ and broken
/// variants of them.
@Suite struct MessageImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("tests/fixtures/import")
    /// The daemon's clock: 2026-12-01 10:00 in Moscow.
    static let now = Instant(iso: "2026-12-01T10:00:00+03:00")!
    static let options = MessageImport.Options(
        detectedAt: now, now: now, offset: 3 * 3600, ownAccounts: ["vk": ["borovichi_adm"], "tg": ["borovichi_adm"]])

    static func file(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: fixtures.appendingPathComponent(name)))
    }

    static func parse(_ text: String, _ format: MessageImport.Format) throws(MessageImport.FileRefusal)
        -> MessageImport.Parsed
    {
        try MessageImport.parse(Array(text.utf8), as: format, options: options)
    }

    @Test func aSpreadsheetsCSVIsReadWithItsQuotesLineBreaksAndLocalTimes() throws {
        let parsed = try MessageImport.parse(try Self.file("posts.csv"), as: .csv, options: Self.options)
        #expect(parsed.items.map(\.position) == [2, 3, 4, 7])
        let first = parsed.items[0].request
        #expect(first.network == "vk" && first.author == "Ирина Петрова" && first.externalID == "im-1001")
        #expect(first.text.contains("; контейнеры"), "a quoted cell keeps the separator")
        #expect(first.detectedAtUnix == Instant(iso: "2026-12-01T08:40:00+03:00")!.seconds)
        #expect(first.postedAtUnix == Instant(iso: "2026-11-30T21:15:00+03:00")!.seconds)
        #expect(first.topics == ["ЖКХ", "благоустройство"] && first.importance == .normal)
        let second = parsed.items[1].request
        #expect(second.text == "Яма на Парковой у остановки.\nВчера пробил колесо, \"аварийка\" не приезжала.")
        #expect(second.importance == .high && second.postedAtUnix == 0)
        #expect(parsed.items[2].request.detectedAtUnix == Instant(iso: "2026-12-01T08:50:00+03:00")!.seconds)
        // Row 5 has no author, row 6 a day that does not exist; row 7's network is the daemon's to refuse.
        #expect(parsed.refused.map(\.position) == [5, 6])
        #expect(parsed.refused[0].phrase == ImportWords.emptyField("author"))
        #expect(parsed.refused[1].phrase.english.contains("31.11.2026 09:00"))
    }

    @Test func aCommaSeparatedFileWithoutDetectionTimesTakesTheImportsTime() throws {
        let parsed = try Self.parse(
            "url,network,text,author,topics\nhttps://vk.com/wall-1_1,VK,\"Текст, с запятой\",Анна,\"ЖКХ, дороги\"\n",
            .csv)
        let request = try #require(parsed.items.first?.request)
        #expect(request.network == "vk" && request.text == "Текст, с запятой" && request.topics == ["ЖКХ", "дороги"])
        #expect(request.detectedAtUnix == Self.now.seconds)
    }

    @Test func aFileWithUnknownOrMissingColumnsIsRefusedNamingThem() throws {
        func refusal(_ text: String) -> Phrase? {
            do throws(MessageImport.FileRefusal) {
                _ = try Self.parse(text, .csv)
                return nil
            } catch {
                return error.phrase
            }
        }
        let unknown = refusal("network;url;author;text;город\n")
        #expect(unknown?.english.hasPrefix("unknown columns: город; the columns are Network;Link;Author;Text") == true)
        #expect(
            unknown?.russian.hasPrefix("неизвестные столбцы: город; столбцы такие: Соцсеть;Ссылка;Автор;Текст") == true)
        #expect(refusal("network;url;text\n") == ImportWords.missingColumns(["author"]))
        // The headings of `export cases`' CSV for people, in either language, name the same columns.
        #expect(refusal("Соцсеть;Ссылка;Автор;Текст;Выявлено;Темы;Важность\n") == nil)
        #expect(refusal("Network;Link;Author;Text;Detected\n") == nil)
        #expect(refusal("network;url;author;text;url\n") == ImportWords.repeatedColumns("url"))
        #expect(refusal("network;url;author;text\n\"vk;x\n") == ImportWords.unclosedQuote)
        #expect(refusal("") == ImportWords.emptyFile)
        do throws(MessageImport.FileRefusal) {
            _ = try MessageImport.parse([0xFF, 0xFE, 0x00], as: .csv, options: Self.options)
            Issue.record("bytes that are not UTF-8 were read")
        } catch {
            #expect(error.phrase == ImportWords.notUTF8)
        }
        let short = try Self.parse("network;url;author;text\nvk;https://vk.com/wall-1_1;А\n", .csv)
        #expect(short.refused.first?.phrase == ImportWords.cellCount(3, 4))
    }

    @Test func jsonLinesAreReadAsRegisterMessageRequests() throws {
        let parsed = try MessageImport.parse(try Self.file("posts.jsonl"), as: .jsonl, options: Self.options)
        #expect(parsed.items.map(\.position) == [1, 2])
        #expect(parsed.items[0].request.topics == ["благоустройство"])
        #expect(parsed.items[0].request.detectedAtUnix == Instant(iso: "2026-12-01T09:05:00+03:00")!.seconds)
        #expect(parsed.items[1].request.detectedAtUnix == 1_796_104_800 && parsed.items[1].request.importance == .high)
        #expect(parsed.refused.map(\.position) == [4, 5, 6])
        #expect(parsed.refused[0].phrase == ImportWords.emptyField("text"))
        #expect(parsed.refused[1].phrase.english.hasPrefix("unknown keys: autor"))
        #expect(parsed.refused[2].phrase == ImportWords.notAJSONObject)
        let outside = try Self.parse(
            #"{"network":"vk","url":"u","author":"a","text":"t","posted_at_unix":1e300}"#, .jsonl)
        #expect(outside.refused.count == 1)
    }

    @Test func vkCommentsLinkToTheirPostAndTheAdministrationsOwnAreLeftOut() throws {
        let parsed = try MessageImport.parse(try Self.file("vk-comments.json"), as: .vk, options: Self.options)
        #expect(parsed.items.map(\.position) == [1, 4])
        let first = parsed.items[0].request
        #expect(first.url == "https://vk.com/wall-100_42?reply=7001" && first.externalID == "-100_42_7001")
        #expect(first.author == "Павел Смирнов" && first.network == "vk")
        #expect(first.postedAtUnix == 1_796_050_800 && first.detectedAtUnix == Self.now.seconds)
        #expect(parsed.own == 1, "the administration's own reply is not a citizen's post")
        #expect(parsed.refused == [MessageImport.Refusal(position: 3, phrase: ImportWords.noText)])
        let wall = try MessageImport.parse(try Self.file("vk-wall.json"), as: .vk, options: Self.options)
        #expect(wall.items.map(\.request.url) == ["https://vk.com/wall-200_801", "https://vk.com/wall-200_802"])
        #expect(wall.items.map(\.request.author) == ["Типичные Боровичи", "id555010"])
        #expect(MessageImport.detect(path: "export.json", data: try Self.file("vk-wall.json")) == .vk)
        do throws(MessageImport.FileRefusal) {
            _ = try Self.parse(#"{"error": {"error_code": 5, "error_msg": "User authorization failed"}}"#, .vk)
            Issue.record("VK's error was read as posts")
        } catch {
            #expect(error.phrase == ImportWords.vkError("User authorization failed"))
        }
    }

    @Test func vkIdsAbove2To53AreReadWholeSoTwoPostsStayTwo() throws {
        // Issue 25, Low: ids were read through a Double, and 2^53+1 became 2^53.
        let parsed = try Self.parse(
            #"{"response": {"items": [{"id": 9007199254740993, "owner_id": -100, "from_id": 5, "text": "Яма"},"#
                + #"{"id": 9007199254740992, "owner_id": -100, "from_id": 5, "text": "Яма"}]}}"#, .vk)
        #expect(
            parsed.items.map(\.request.externalID) == ["-100_9007199254740993", "-100_9007199254740992"])
    }

    @Test func vkIdsOfInt64MinAreRefusedNotACrash() throws {
        // Issue 25, Low: a group's id is negated; Int64.min has no negation and brought the CLI down.
        let parsed = try Self.parse(
            #"{"response": {"items": [{"id": 1, "owner_id": -9223372036854775808, "text": "Яма"},"#
                + #"{"id": 2, "owner_id": -100, "from_id": -9223372036854775808, "text": "Яма"}],"#
                + #""groups": [{"id": -9223372036854775808, "name": "x"}]}}"#, .vk)
        #expect(parsed.refused.map(\.position) == [1])
        #expect(parsed.items.map(\.request.author) == ["club100"])
    }

    @Test func aTelegramExportSkipsServiceMessagesAndJoinsTextEntities() throws {
        let data = try Self.file("telegram-result.json")
        #expect(MessageImport.detect(path: "result.json", data: data) == .telegram)
        let parsed = try MessageImport.parse(data, as: .telegram, options: Self.options)
        #expect(parsed.skipped == 1 && parsed.items.map(\.position) == [2, 3])
        #expect(parsed.items[0].request.url == "https://t.me/c/1987654321/311")
        #expect(parsed.items[0].request.externalID == "1987654321/311" && parsed.items[0].request.network == "tg")
        #expect(parsed.items[1].request.text == "Подробности тут: https://example.org/news — когда починят?")
        #expect(parsed.items[0].request.postedAtUnix == 1_796_052_000)
        #expect(parsed.refused == [MessageImport.Refusal(position: 4, phrase: ImportWords.noText)])
        var options = Self.options
        options.channel = "https://t.me/borovichi_now/"
        let named = try MessageImport.parse(data, as: .telegram, options: options)
        #expect(named.items.map(\.request.url) == ["https://t.me/borovichi_now/311", "https://t.me/borovichi_now/312"])
        options.channel = "https://example.org/x"
        #expect(throws: MessageImport.FileRefusal.self) {
            try MessageImport.parse(data, as: .telegram, options: options)
        }
    }
}
