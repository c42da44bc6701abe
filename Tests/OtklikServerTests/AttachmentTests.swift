import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikRPC
@testable import OtklikServer
import OtklikStore
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Test files: a real 16x16 JPEG (made with cjpeg) with an EXIF segment of our own, and
/// video-shaped bytes (an ISO media `ftyp` box, then filler).
enum AttachmentFixtures {
    /// cjpeg -quality 75 -optimize of a 16x16 gradient.
    static let tinyJPEG = [UInt8](
        Data(
            base64Encoded:
                "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjL/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABQAE/8QAFxABAAMAAAAAAAAAAAAAAAAABAAhMf/EABUBAQEAAAAAAAAAAAAAAAAAAAQF/8QAGBEAAgMAAAAAAAAAAAAAAAAAAAMEBTH/2gAMAwEAAhEDEQA/AMBjZUYMbKkY2VGDGypHe8DVyMP/2Q=="
        )!)

    /// `tinyJPEG` with an APP1 EXIF segment after its SOI: DateTimeOriginal and OffsetTimeOriginal in
    /// the EXIF IFD, latitude and longitude (degrees, minutes, seconds as rationals) in the GPS IFD.
    static func photo(
        taken: String, offset: String?, latitude: (UInt32, UInt32, UInt32, UInt32), north: Bool,
        longitude: (UInt32, UInt32, UInt32, UInt32), east: Bool
    ) -> [UInt8] {
        // Little-endian TIFF: header, IFD0 (2 pointers), EXIF IFD, GPS IFD, then the values.
        var tiff: [UInt8] = Array("II".utf8) + [42, 0] + le32(8)
        func entry(_ tag: UInt16, _ type: UInt16, _ count: UInt32, _ value: UInt32) -> [UInt8] {
            le16(tag) + le16(type) + le32(count) + le32(value)
        }
        let exifEntries = offset == nil ? 1 : 2
        let ifd0Size = 2 + 2 * 12 + 4
        let exifAt = 8 + ifd0Size
        let exifSize = 2 + exifEntries * 12 + 4
        let gpsAt = exifAt + exifSize
        let gpsSize = 2 + 4 * 12 + 4
        var dataAt = gpsAt + gpsSize
        var values: [UInt8] = []
        func place(_ bytes: [UInt8]) -> UInt32 {
            let at = UInt32(dataAt + values.count)
            values += bytes
            return at
        }
        let takenAt = place(Array(taken.utf8) + [0])
        let offsetAt = offset.map { place(Array($0.utf8) + [0]) }
        func rational(_ value: (UInt32, UInt32, UInt32, UInt32)) -> [UInt8] {
            // degrees/1, minutes/1, seconds as value.2/value.3
            le32(value.0) + le32(1) + le32(value.1) + le32(1) + le32(value.2) + le32(value.3)
        }
        let latitudeAt = place(rational(latitude))
        let longitudeAt = place(rational(longitude))
        _ = dataAt
        dataAt = 0
        tiff += le16(2) + entry(0x8769, 4, 1, UInt32(exifAt)) + entry(0x8825, 4, 1, UInt32(gpsAt)) + le32(0)
        tiff += le16(UInt16(exifEntries)) + entry(0x9003, 2, UInt32(taken.utf8.count + 1), takenAt)
        if let offset, let offsetAt { tiff += entry(0x9011, 2, UInt32(offset.utf8.count + 1), offsetAt) }
        tiff += le32(0)
        tiff += le16(4)
        tiff += entry(0x0001, 2, 2, UInt32(north ? 0x4E : 0x53))
        tiff += entry(0x0002, 5, 3, latitudeAt)
        tiff += entry(0x0003, 2, 2, UInt32(east ? 0x45 : 0x57))
        tiff += entry(0x0004, 5, 3, longitudeAt)
        tiff += le32(0)
        tiff += values
        let segment = Array("Exif".utf8) + [0, 0] + tiff
        let length = segment.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + segment + tinyJPEG.dropFirst(2)
    }

    /// `size` bytes that sniff as MP4: an `ftyp` box (isom), then a filler that is not all zeros.
    static func video(size: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: size)
        let box: [UInt8] = [0, 0, 0, 24] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isomiso2".utf8)
        for (index, byte) in box.enumerated() { bytes[index] = byte }
        var state: UInt32 = 2_463_534_242
        for index in stride(from: box.count, to: size, by: 4) {
            state ^= state << 13
            state ^= state >> 17
            state ^= state << 5
            for shift in 0..<min(4, size - index) {
                bytes[index + shift] = UInt8(truncatingIfNeeded: state >> (8 * shift))
            }
        }
        return bytes
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
}

/// Uploads `bytes` as `name` through `client`; `sha256` declared (the real one by default).
func upload(
    _ client: RPCClient, _ bytes: [UInt8], name: String = "file", sha256: String? = nil, size: Int64? = nil,
    chunk: Int = 1 << 20
) throws(RPCError) -> UploadResponse {
    let stream = client.clientStream(AttachmentsService.upload)
    let header = UploadHeader(
        name: name, size: size ?? Int64(bytes.count), sha256: sha256 ?? SHA256Digest.hex(of: bytes))
    do {
        try stream.send(UploadRequest(part: .header(header)))
        var offset = 0
        while offset < bytes.count {
            try stream.send(UploadRequest(part: .chunk(Array(bytes[offset..<min(bytes.count, offset + chunk)]))))
            offset += chunk
        }
    } catch {
        // The daemon ended the call early: its answer says why.
        _ = try stream.finish()
        throw error
    }
    return try stream.finish()
}

/// Every byte of the attachment `sha256`, and its info.
func download(_ client: RPCClient, _ sha256: String) throws(RPCError) -> (AttachmentInfo?, [UInt8]) {
    let stream = client.serverStream(AttachmentsService.download, DownloadRequest(sha256: sha256))
    var info: AttachmentInfo?
    var bytes: [UInt8] = []
    while let chunk = try stream.next() {
        if let attachment = chunk.attachment {
            info = attachment
            bytes.reserveCapacity(Int(clamping: attachment.size))
        }
        bytes += chunk.data
    }
    return (info, bytes)
}

private final class AttachmentOffice: Sendable {
    let daemon: Daemon
    let directory: String

    init(directory: String = privateDirectory(), limits: AttachmentLimits = AttachmentLimits()) throws {
        self.directory = directory
        daemon = try startOffice(
            clock: "2026-12-01T09:00:00+03:00", directory: directory,
            units: [("curator-centre", .curatorCentre), ("roads", .department), ("housing", .department)],
            staff: [
                StaffMember(login: "cur", fullName: "К", osUser: "os-cur", unit: "curator-centre", roles: [.curator]),
                StaffMember(login: "roads.ex", fullName: "Д", osUser: "os-roads", unit: "roads", roles: [.executor]),
                StaffMember(
                    login: "housing.ex", fullName: "Ж", osUser: "os-housing", unit: "housing", roles: [.executor]),
                StaffMember(login: "roads.ex2", fullName: "Д2", osUser: "os-roads2", unit: "roads", roles: [.executor]),
            ]
        ) { configuration in configuration.attachmentLimits = limits }
    }

    /// `buffer`: how much of a server stream may wait for the test to read it (a 100 MiB download
    /// read by a test among hundreds on two cores can fall more than the default 64 MiB behind).
    func client(as login: String, buffer: Int = RPCClient.Options().maxBufferedStreamBytes) throws -> RPCClient {
        var options = RPCClient.Options()
        options.maxBufferedStreamBytes = buffer
        options.defaultMetadata = [MetadataEntry("otklik-as", login)]
        return try RPCClient(socketPath: daemon.configuration.socketPath, options: options)
    }

    /// A case routed to roads on the topic "дороги", its assignment and version.
    func routedCase() throws -> (assignment: String, version: Int64) {
        let curator = try client(as: "cur")
        defer { curator.close() }
        var register = RegisterMessageRequest()
        register.network = "vk"
        register.url = "https://vk.com/wall-1_\(UUID().uuidString)"
        register.author = "Автор"
        register.text = "Яма"
        register.detectedAtUnix = daemon.clock.now.seconds
        register.topics = ["дороги"]
        let registered = try curator.call(CasesService.registerMessage, register)
        var route = RouteRequest()
        route.caseID = registered.id
        route.expectedVersion = registered.version
        route.executors = ["roads"]
        let routed = try curator.call(CasesService.route, route)
        return (routed.assignments[0].id, routed.version)
    }

    var leftovers: [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory + "/data/attachments/tmp")) ?? []
    }

    var storedFiles: [String] {
        let root = directory + "/data/attachments"
        let prefixes = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { $0 != "tmp" }
        return prefixes.flatMap { prefix in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + prefix)) ?? []).map { prefix + $0 }
        }
    }
}

@Suite(.serialized) struct AttachmentTests {
    @Test func aPhotoGoesUpWithItsEXIFTimeAndPlaceAndComesBackWhole() throws {
        let office = try AttachmentOffice()
        defer { _ = office.daemon.stop() }
        let curator = try office.client(as: "cur")
        defer { curator.close() }
        // 58°23'16.08" N, 33°54'53.64" E (Borovichi), taken at 14:05:09 +03:00.
        let photo = AttachmentFixtures.photo(
            taken: "2026:11:30 14:05:09", offset: "+03:00", latitude: (58, 23, 1608, 100), north: true,
            longitude: (33, 54, 5364, 100), east: true)
        let answer = try upload(curator, photo, name: "яма на Ленина.jpg")
        let info = try #require(answer.attachment)
        #expect(!answer.existing)
        #expect(info.sha256 == SHA256Digest.hex(of: photo))
        #expect(info.name == "яма на Ленина.jpg" && info.kind == "photo" && info.contentType == "image/jpeg")
        #expect(info.size == Int64(photo.count))
        #expect(info.capturedAtUnix == Instant(iso: "2026-11-30T14:05:09+03:00")!.seconds)
        #expect(info.hasPosition)
        #expect(GeoPosition(latitude: info.latitude, longitude: info.longitude)?.text == "58.387800, 33.914900")
        #expect(info.uploadedBy == "cur")
        let (back, bytes) = try download(curator, info.sha256)
        #expect(bytes == photo && back == info)
        // The same content again: stored once, answered as it was, no second event.
        let again = try upload(curator, photo, name: "другое имя.jpg")
        #expect(again.existing && again.attachment?.name == "яма на Ленина.jpg")
        #expect(try office.daemon.store.count(kind: .attachmentUploaded) == 1)
        #expect(office.storedFiles == [info.sha256])
        let mode =
            try FileManager.default.attributesOfItem(
                atPath: office.directory + "/data/attachments/" + info.sha256.prefix(2) + "/" + info.sha256.dropFirst(2)
            )[
                .posixPermissions] as? Int
        #expect(mode == 0o640)
        // Without an offset the schedule's zone is taken; a photo south and west reads negative.
        let other = AttachmentFixtures.photo(
            taken: "2026:11:30 14:05:09", offset: nil, latitude: (12, 30, 0, 1), north: false,
            longitude: (70, 6, 0, 1), east: false)
        let second = try #require(try upload(curator, other, name: "b.jpg").attachment)
        #expect(second.capturedAtUnix == Instant(iso: "2026-11-30T14:05:09+03:00")!.seconds)
        #expect(GeoPosition(latitude: second.latitude, longitude: second.longitude)?.text == "-12.500000, -70.100000")
        // A JPEG without EXIF has neither.
        let plain = try #require(try upload(curator, AttachmentFixtures.tinyJPEG).attachment)
        #expect(plain.capturedAtUnix == 0 && !plain.hasPosition)
    }

    @Test func aHundredMebibyteVideoRoundTripsInChunks() throws {
        let office = try AttachmentOffice()
        defer { _ = office.daemon.stop() }
        let executor = try office.client(as: "roads.ex", buffer: 128 << 20)
        defer { executor.close() }
        let video = AttachmentFixtures.video(size: 100 << 20)
        let info = try #require(try upload(executor, video, name: "ремонт.mp4").attachment)
        #expect(info.kind == "video" && info.contentType == "video/mp4" && info.size == 100 << 20)
        let (_, bytes) = try download(executor, info.sha256)
        #expect(bytes.count == video.count && SHA256Digest.hex(of: bytes) == info.sha256)
        #expect(office.leftovers.isEmpty)
    }

    @Test func aRefusedUploadLeavesNothingBehind() throws {
        var limits = AttachmentLimits()
        limits.photo = 200
        let office = try AttachmentOffice(limits: limits)
        defer { _ = office.daemon.stop() }
        let curator = try office.client(as: "cur")
        defer { curator.close() }
        func refusal(_ body: () throws(RPCError) -> UploadResponse) -> RPCError? {
            do {
                _ = try body()
                return nil
            } catch {
                return error
            }
        }
        let video = AttachmentFixtures.video(size: 3 << 20)
        // The bytes are not what the header declared.
        let mismatch = refusal { () throws(RPCError) in
            try upload(curator, video, sha256: String(repeating: "ab", count: 32))
        }
        #expect(mismatch?.code == .invalidArgument && mismatch?.message.contains("not the declared") == true)
        // A photo over its kind's limit, told as soon as the kind is known.
        let big = refusal { () throws(RPCError) in try upload(curator, AttachmentFixtures.tinyJPEG) }
        #expect(big?.code == .resourceExhausted && big?.message.contains("a photo may be at most 200 bytes") == true)
        // Over the largest limit of all: refused before any byte.
        let huge = refusal { () throws(RPCError) in try upload(curator, [1, 2, 3], size: 600 << 20) }
        #expect(huge?.code == .resourceExhausted && huge?.message.contains("500 MiB") == true)
        // The header's values at their bounds: sizes at Int64's ends, a name with NUL or control
        // characters or over 512 bytes, a chunk over 1 MiB. A NUL cannot leave the typed client (its
        // protobuf-c encoder ends strings there): that header goes as raw wire bytes, name "a\0b", size 5.
        let raw = curator.clientStream(service: AttachmentsService.service, method: "Upload")
        try? raw.send([0x0A, 0x07, 0x0A, 0x03, 0x61, 0x00, 0x62, 0x10, 0x05])
        do {
            _ = try raw.finish()
            Issue.record("a name with NUL was accepted")
        } catch {
            #expect(error.code == .invalidArgument && error.message.contains("name"), "\(error)")
        }
        let largest = refusal { () throws(RPCError) in try upload(curator, [1, 2, 3], size: Int64.max) }
        #expect(largest?.code == .resourceExhausted)
        let negative = refusal { () throws(RPCError) in try upload(curator, [1, 2, 3], size: Int64.min) }
        #expect(negative?.code == .invalidArgument)
        for name in ["a\u{1B}[31m.jpg", "a\u{7}b.jpg", String(repeating: "я", count: 257)] {
            let refused = refusal { () throws(RPCError) in try upload(curator, AttachmentFixtures.tinyJPEG, name: name)
            }
            #expect(
                refused?.code == .invalidArgument && refused?.message.contains("name") == true,
                "\(name.debugDescription): \(String(describing: refused))")
        }
        let wide = refusal { () throws(RPCError) in try upload(curator, video, chunk: 2 << 20) }
        #expect(wide?.code == .invalidArgument && wide?.message.contains("at most 1048576 bytes") == true)
        // Not a kind a reply carries, whatever its name says.
        let text = refusal { () throws(RPCError) in
            try upload(curator, Array(String(repeating: "не фото ", count: 50).utf8), name: "photo.jpg")
        }
        #expect(
            text?.code == .invalidArgument && text?.message.contains("JPEG, PNG, HEIC, WebP, MP4, MOV, PDF") == true)
        // Shorter than declared.
        let short = refusal { () throws(RPCError) in try upload(curator, video, size: Int64(video.count) + 1) }
        #expect(short?.code == .invalidArgument && short?.message.contains("ended after") == true)
        // No header first.
        let stream = curator.clientStream(AttachmentsService.upload)
        try? stream.send(UploadRequest(part: .chunk([1, 2, 3])))
        #expect(throws: RPCError.self) { try stream.finish() }
        #expect(office.storedFiles.isEmpty && office.leftovers.isEmpty)
        #expect(try office.daemon.store.count(kind: .attachmentUploaded) == 0)
    }

    @Test func twoUploadsOfTheSameContentAtOnceStoreItOnce() throws {
        let office = try AttachmentOffice()
        defer { _ = office.daemon.stop() }
        let video = AttachmentFixtures.video(size: 8 << 20)
        let answers = Locked<[UploadResponse]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            guard let client = try? office.client(as: index == 0 ? "cur" : "roads.ex") else { return }
            defer { client.close() }
            if let answer = try? upload(client, video, name: "v\(index).mp4", chunk: 256 << 10) {
                answers.withLock { $0.append(answer) }
            }
        }
        let both = answers.current
        #expect(both.count == 2)
        #expect(Set(both.compactMap { $0.attachment?.sha256 }) == [SHA256Digest.hex(of: video)])
        // The second is told "existing" only if it may read the first's upload (the curator may, an
        // executor is answered with their own upload); either way the content is stored once.
        #expect(both.filter(\.existing).count <= 1)
        #expect(office.storedFiles.count == 1 && office.leftovers.isEmpty)
        #expect(try office.daemon.store.count(kind: .attachmentUploaded) == 1)
    }

    @Test func onlyReadersOfEveryCaseAndTheUploaderMayFetchAnAttachment() throws {
        let office = try AttachmentOffice()
        defer { _ = office.daemon.stop() }
        let roads = try office.client(as: "roads.ex")
        defer { roads.close() }
        let housing = try office.client(as: "housing.ex")
        defer { housing.close() }
        let curator = try office.client(as: "cur")
        defer { curator.close() }
        let info = try #require(try upload(roads, AttachmentFixtures.tinyJPEG).attachment)
        #expect(try download(roads, info.sha256).1 == AttachmentFixtures.tinyJPEG)
        #expect(try download(curator, info.sha256).1 == AttachmentFixtures.tinyJPEG)
        #expect(throws: RPCError.self) { _ = try download(housing, info.sha256) }
        // Someone who uploads the same bytes has them too (stored once, the first name kept).
        let housingPhoto = AttachmentFixtures.photo(
            taken: "2026:11:30 14:05:09", offset: nil, latitude: (1, 0, 0, 1), north: true, longitude: (1, 0, 0, 1),
            east: true)
        let first = try #require(try upload(roads, housingPhoto, name: "первое.jpg").attachment)
        #expect(throws: RPCError.self) { _ = try download(housing, first.sha256) }
        // Answered as their own upload: another unit's file name, login and time are not theirs to see.
        let again = try upload(housing, housingPhoto, name: "второе.jpg")
        #expect(!again.existing && again.attachment?.name == "второе.jpg")
        #expect(again.attachment?.uploadedBy == "housing.ex")
        #expect(try download(housing, first.sha256).1 == housingPhoto)
        do {
            _ = try housing.call(AttachmentsService.getAttachment, GetAttachmentRequest(sha256: info.sha256))
            Issue.record("another unit's executor read the attachment")
        } catch {
            // Answered as a file that does not exist: its existence is not theirs to learn.
            #expect(error.code == .notFound)
            #expect(error == RPCError(.notFound, Refusals.Attachments.notFound(["sha256": info.sha256])))
        }
        do {
            _ = try curator.call(AttachmentsService.getAttachment, GetAttachmentRequest(sha256: "12345"))
            Issue.record("a malformed digest was accepted")
        } catch {
            #expect(error.code == .invalidArgument)
        }
        do {
            _ = try curator.call(
                AttachmentsService.getAttachment, GetAttachmentRequest(sha256: String(repeating: "0", count: 64)))
            Issue.record("an unknown digest was found")
        } catch {
            #expect(error.code == .notFound)
        }
    }

    @Test func storedAttachmentsOutliveARestart() throws {
        let directory = privateDirectory()
        var sha = ""
        do {
            let office = try AttachmentOffice(directory: directory)
            let curator = try office.client(as: "cur")
            sha = try #require(try upload(curator, AttachmentFixtures.tinyJPEG).attachment?.sha256)
            curator.close()
            _ = office.daemon.stop()
        }
        // A temporary file of an upload cut off by a crash is removed at the next start.
        let stray = directory + "/data/attachments/tmp/upload-1-2"
        #expect(FileManager.default.createFile(atPath: stray, contents: Data([1, 2, 3])))
        let office = try AttachmentOffice(directory: directory)
        defer { _ = office.daemon.stop() }
        let curator = try office.client(as: "cur")
        defer { curator.close() }
        #expect(try download(curator, sha).1 == AttachmentFixtures.tinyJPEG)
        #expect(office.leftovers.isEmpty)
    }
}

/// Drafts carry attachments (p.19): the gate, the references that keep a file, the clean-up of
/// uploads no draft took, and the report's count.
@Suite(.serialized) struct DraftAttachmentTests {
    @Test func aDraftCarriesItsFilesTheGateHoldsAndTheReportCounts() throws {
        let office = try AttachmentOffice()
        defer { _ = office.daemon.stop() }
        let roads = try office.client(as: "roads.ex")
        defer { roads.close() }
        let curator = try office.client(as: "cur")
        defer { curator.close() }
        let (assignment, version) = try office.routedCase()
        let document = try #require(try upload(roads, Array("%PDF-1.4 акт".utf8), name: "акт.pdf").attachment)
        var submit = SubmitDraftRequest()
        submit.assignmentID = assignment
        submit.expectedVersion = version
        submit.kind = .final
        submit.text = "Яма заделана"
        submit.measures = "Ямочный ремонт"
        submit.attachments = [document.sha256]
        var view = try roads.call(RepliesService.submitDraft, submit)
        let draft = view.assignments[0].drafts[0]
        #expect(draft.attachments.map(\.sha256) == [document.sha256] && draft.attachments[0].kind == "document")
        #expect(draft.evidenceRule == "дороги, ЖКХ, благоустройство" && draft.evidenceMissing)
        // The curator cannot approve it without a photo or video...
        var decide = DraftDecisionRequest()
        decide.assignmentID = assignment
        decide.expectedVersion = view.version
        do {
            _ = try curator.call(RepliesService.approveDraft, decide)
            Issue.record("a road repair without a photo was approved")
        } catch {
            #expect(error.code == .failedPrecondition && error.message.contains("evidence rule"))
        }
        // ...and returns it; the resubmission keeps the document and adds a photo.
        decide.reason = .noEvidence
        decide.comment = "Нужно фото"
        view = try curator.call(RepliesService.returnDraft, decide)
        let photo = try #require(try upload(roads, AttachmentFixtures.tinyJPEG, name: "яма.jpg").attachment)
        submit.expectedVersion = view.version
        submit.attachments = [photo.sha256]
        view = try roads.call(RepliesService.submitDraft, submit)
        #expect(view.assignments[0].drafts[1].attachments.map(\.sha256) == [document.sha256, photo.sha256])
        #expect(!view.assignments[0].drafts[1].evidenceMissing)
        decide.expectedVersion = view.version
        view = try curator.call(RepliesService.approveDraft, decide)
        var publish = PublishRequest()
        publish.assignmentID = assignment
        publish.expectedVersion = view.version
        publish.url = "https://vk.com/wall-1_5?reply=9"
        view = try curator.call(RepliesService.publish, publish)
        #expect(view.assignments[0].replies[0].attachments == [document.sha256, photo.sha256])
        // Another executor of the unit reads the case, so fetches its files; another unit's cannot.
        let colleague = try office.client(as: "roads.ex2")
        defer { colleague.close() }
        #expect(try download(colleague, photo.sha256).1 == AttachmentFixtures.tinyJPEG)
        let housing = try office.client(as: "housing.ex")
        defer { housing.close() }
        #expect(throws: RPCError.self) { _ = try download(housing, photo.sha256) }
        // The month's report counts the reply with a photo.
        let month = LocalDate(dayNumber: Int(office.daemon.clock.now.seconds / 86_400))
        let report = try curator.call(
            ReportsService.monthlySummary,
            MonthlySummaryRequest(month: String(format: "%04d-%02d", month.year, month.month)))
        #expect(report.json.contains("\"replies_with_attachments\":{\"count\":1,\"of\":1}"), "\(report.json)")
        #expect(report.json.contains("\"replies_with_attachments_by_unit\":{\"roads\":{\"count\":1,\"of\":1}}"))
    }

    @Test func aFileOfSomeoneElseOrOverTheDraftLimitIsRefusedAndAWaiverIsRecorded() throws {
        var limits = AttachmentLimits()
        limits.draft = 1 << 20
        let office = try AttachmentOffice(limits: limits)
        defer { _ = office.daemon.stop() }
        let roads = try office.client(as: "roads.ex")
        defer { roads.close() }
        let housing = try office.client(as: "housing.ex")
        defer { housing.close() }
        let curator = try office.client(as: "cur")
        defer { curator.close() }
        let (assignment, version) = try office.routedCase()
        let theirs = try #require(try upload(housing, AttachmentFixtures.tinyJPEG).attachment)
        // The same bytes uploaded by roads.ex too may go on its draft (checked after the refusals below).
        let shared = try #require(try upload(housing, AttachmentFixtures.video(size: 5000)).attachment)
        // Answered as roads' own upload (housing's is not theirs to see), stored once.
        #expect(try !upload(roads, AttachmentFixtures.video(size: 5000)).existing)
        let big = try #require(try upload(roads, AttachmentFixtures.video(size: (1 << 20) + 1)).attachment)
        var submit = SubmitDraftRequest()
        submit.assignmentID = assignment
        submit.expectedVersion = version
        submit.kind = .final
        submit.text = "Сделано"
        submit.measures = "Ремонт"
        for (files, code) in [
            ([theirs.sha256], StatusCode.notFound), ([big.sha256], .resourceExhausted),
            ([String(repeating: "e", count: 64)], .notFound), (["nothex"], .invalidArgument),
        ] {
            submit.attachments = files
            do {
                _ = try roads.call(RepliesService.submitDraft, submit)
                Issue.record("\(files) was accepted")
            } catch {
                #expect(error.code == code, "\(error)")
            }
        }
        // More names than a draft may carry files are refused at the boundary, before any is looked up.
        for many in [Array(repeating: shared.sha256, count: 21)] {
            submit.attachments = many
            do {
                _ = try roads.call(RepliesService.submitDraft, submit)
                Issue.record("21 attachments were accepted")
            } catch {
                #expect(error.code == .invalidArgument && error.message.contains("at most 20"), "\(error)")
            }
            submit.attachments = []
            submit.detach = many
            do {
                _ = try roads.call(RepliesService.submitDraft, submit)
                Issue.record("21 files to detach were accepted")
            } catch {
                #expect(error.code == .invalidArgument && error.message.contains("at most 20"), "\(error)")
            }
            submit.detach = []
        }
        submit.attachments = [shared.sha256]
        let view = try roads.call(RepliesService.submitDraft, submit)
        #expect(view.assignments[0].drafts[0].attachments.map(\.sha256) == [shared.sha256])
        // A video is evidence: nothing to waive; return it and resubmit without files to try the waiver.
        var back = DraftDecisionRequest()
        back.assignmentID = assignment
        back.expectedVersion = view.version
        back.reason = .formal
        back.comment = "без видео"
        let returned = try curator.call(RepliesService.returnDraft, back)
        submit.expectedVersion = returned.version
        submit.attachments = []
        submit.detach = [shared.sha256]
        let bare = try roads.call(RepliesService.submitDraft, submit)
        #expect(bare.assignments[0].drafts[1].attachments.isEmpty)
        var waive = WaiveEvidenceRequest()
        waive.assignmentID = assignment
        waive.expectedVersion = bare.version
        waive.reason = "Работы под снегом"
        do {
            _ = try roads.call(RepliesService.waiveEvidence, waive)
            Issue.record("an executor waived the rule")
        } catch {
            #expect(error.code == .permissionDenied)
        }
        let waived = try curator.call(RepliesService.waiveEvidence, waive)
        #expect(waived.assignments[0].drafts[1].evidenceWaiver == "Работы под снегом")
        #expect(!waived.assignments[0].drafts[1].evidenceMissing)
        #expect(try office.daemon.store.count(kind: .evidenceWaived) == 1)
        var decide = DraftDecisionRequest()
        decide.assignmentID = assignment
        decide.expectedVersion = waived.version
        #expect(try curator.call(RepliesService.approveDraft, decide).assignments[0].state == .approved)
    }

    @Test func anUploadNoDraftTookGoesAfterADayAReferencedOneNever() throws {
        let directory = privateDirectory()
        var kept = "", stray = ""
        do {
            let office = try AttachmentOffice(directory: directory)
            let roads = try office.client(as: "roads.ex")
            let (assignment, version) = try office.routedCase()
            kept = try #require(try upload(roads, AttachmentFixtures.tinyJPEG).attachment?.sha256)
            stray = try #require(try upload(roads, AttachmentFixtures.video(size: 4096)).attachment?.sha256)
            var submit = SubmitDraftRequest()
            submit.assignmentID = assignment
            submit.expectedVersion = version
            submit.kind = .intermediate
            submit.text = "Работы идут"
            submit.attachments = [kept]
            _ = try roads.call(RepliesService.submitDraft, submit)
            roads.close()
            // A restart in between loses nothing.
            _ = office.daemon.stop()
        }
        let office = try AttachmentOffice(directory: directory)
        defer { _ = office.daemon.stop() }
        #expect(Set(office.storedFiles) == [kept, stray])
        let admin = try RPCClient(socketPath: office.daemon.configuration.socketPath)
        defer { admin.close() }
        _ = try admin.call(AdminService.advanceClock, AdvanceClockRequest(seconds: 23 * 3600))
        #expect(Set(office.storedFiles) == [kept, stray])
        _ = try admin.call(AdminService.advanceClock, AdvanceClockRequest(seconds: 2 * 3600))
        #expect(office.storedFiles == [kept])
        #expect(try office.daemon.store.count(kind: .attachmentRemoved) == 1)
        let roads = try office.client(as: "roads.ex")
        defer { roads.close() }
        #expect(try download(roads, kept).1 == AttachmentFixtures.tinyJPEG)
        do {
            _ = try roads.call(AttachmentsService.getAttachment, GetAttachmentRequest(sha256: stray))
            Issue.record("the removed upload is still there")
        } catch {
            #expect(error.code == .notFound)
        }
    }
}

/// The local fast path: the CLI hands the daemon the open file (SCM_RIGHTS) and it copies it in the
/// kernel, hashing what it stored.
@Suite(.serialized) struct PassedFileUploadTests {
    /// Uploads the file at `path` by passing `descriptor` (default: the file opened for reading).
    func passing(
        _ client: RPCClient, _ path: String, size: Int64? = nil, sha256: String = "", descriptor: Int32? = nil,
        pass: Bool = true
    ) throws(RPCError) -> UploadResponse {
        let fd = descriptor ?? open(path, O_RDONLY)
        defer { if descriptor == nil { close(fd) } }
        var info = stat()
        fstat(fd, &info)
        let stream = client.clientStream(AttachmentsService.upload)
        let header = UploadHeader(name: "p", size: size ?? Int64(info.st_size), sha256: sha256, descriptor: true)
        if pass {
            try stream.send(UploadRequest(part: .header(header)), passing: fd)
        } else {
            try stream.send(UploadRequest(part: .header(header)))
        }
        return try stream.finish()
    }

    @Test func aPassedFileIsCopiedAndHashedAsStoredAndRefusedWhenItIsNotWhatItSays() throws {
        let office = try AttachmentOffice()
        defer { _ = office.daemon.stop() }
        let curator = try office.client(as: "cur")
        defer { curator.close() }
        let directory = privateDirectory()
        let path = directory + "/v.mp4"
        let video = AttachmentFixtures.video(size: (20 << 20) + 12345)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(video)))
        let info = try #require(try passing(curator, path).attachment)
        #expect(info.sha256 == SHA256Digest.hex(of: video) && info.size == Int64(video.count) && info.kind == "video")
        #expect(try download(curator, info.sha256).1 == video)
        // With the digest declared, it must match.
        #expect(try passing(curator, path, sha256: info.sha256).existing)
        func refused(_ body: () throws(RPCError) -> UploadResponse) -> RPCError? {
            do {
                _ = try body()
                return nil
            } catch {
                return error
            }
        }
        let wrongDigest = refused { () throws(RPCError) in
            try passing(curator, path, sha256: String(repeating: "1", count: 64))
        }
        #expect(wrongDigest?.code == .invalidArgument)
        let wrongSize = refused { () throws(RPCError) in try passing(curator, path, size: 100) }
        #expect(wrongSize?.code == .invalidArgument && wrongSize?.message.contains("not the declared 100") == true)
        let none = refused { () throws(RPCError) in try passing(curator, path, pass: false) }
        #expect(none?.code == .invalidArgument && none?.message.contains("none came with it") == true)
        var pipeEnds: [Int32] = [0, 0]
        #expect(pipe(&pipeEnds) == 0)
        defer { close(pipeEnds[0]); close(pipeEnds[1]) }
        let notAFile = refused { () throws(RPCError) in try passing(curator, path, size: 1, descriptor: pipeEnds[0]) }
        #expect(notAFile?.code == .invalidArgument && notAFile?.message.contains("not a regular file") == true)
        let writeOnly = open(path, O_WRONLY)
        defer { close(writeOnly) }
        let unreadable = refused { () throws(RPCError) in try passing(curator, path, descriptor: writeOnly) }
        #expect(unreadable?.message.contains("not open for reading") == true)
        let text = directory + "/note.jpg"
        #expect(FileManager.default.createFile(atPath: text, contents: Data("не фото".utf8)))
        #expect(refused { () throws(RPCError) in try passing(curator, text) }?.code == .invalidArgument)
        #expect(office.leftovers.isEmpty && office.storedFiles == [info.sha256])
    }

    /// The CLI takes the fast path by itself, and `--chunked` the other; both store the same file.
    @Test func theCLIUploadsEitherWayAndFetchesTheFileBack() throws {
        let daemon = try DaemonProcess(arguments: ["--demo"])
        defer { daemon.signal(SIGTERM); _ = daemon.wait() }
        let directory = privateDirectory()
        let photo = AttachmentFixtures.photo(
            taken: "2026:11:30 10:00:00", offset: "+03:00", latitude: (58, 23, 1608, 100), north: true,
            longitude: (33, 54, 5364, 100), east: true)
        #expect(FileManager.default.createFile(atPath: directory + "/яма.jpg", contents: Data(photo)))
        let common = ["--socket", daemon.socketPath, "--as", "curator.petrova", "-o", "json"]
        let fast = try run(binDirectory + "/otklik", ["attachment", "upload", directory + "/яма.jpg"] + common)
        #expect(fast.status == 0, "\(fast.stderr)")
        #expect(
            fast.stdout.contains("\"sha256\":\"\(SHA256Digest.hex(of: photo))\"")
                && fast.stdout.contains("\"existing\":false"))
        #expect(fast.stdout.contains("\"latitude\":58.3878"), "\(fast.stdout)")
        let chunked = try run(
            binDirectory + "/otklik", ["attachment", "upload", "--chunked", directory + "/яма.jpg"] + common)
        #expect(chunked.status == 0 && chunked.stdout.contains("\"existing\":true"), "\(chunked.stderr)")
        let get = try run(
            binDirectory + "/otklik",
            ["attachment", "get", SHA256Digest.hex(of: photo), "--out", directory + "/back.jpg"] + common)
        #expect(get.status == 0, "\(get.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: directory + "/back.jpg")) == Data(photo))
        let again = try run(
            binDirectory + "/otklik",
            ["attachment", "get", SHA256Digest.hex(of: photo), "--out", directory + "/back.jpg"] + common)
        #expect(again.status != 0 && again.stderr.contains("exists"))
    }
}

/// A client that goes away in the middle of an upload: the daemon (its own process here, so its
/// descriptors can be counted) keeps no temporary file and no descriptor.
@Suite struct AttachmentDisconnectTests {
    @Test func aClientLostMidUploadLeavesNoFileAndNoDescriptor() throws {
        let daemon = try DaemonProcess(arguments: ["--demo"])
        defer { daemon.signal(SIGTERM); _ = daemon.wait() }
        var options = RPCClient.Options()
        options.defaultMetadata = [MetadataEntry("otklik-as", "curator.petrova")]
        let warm = try daemon.client(options: options)
        _ = try upload(warm, AttachmentFixtures.tinyJPEG)
        warm.close()
        usleep(200_000)
        let before = daemon.openDescriptors()
        let temporary = daemon.dataDirectory + "/attachments/tmp"
        for _ in 0..<3 {
            let client = try daemon.client(options: options)
            let video = AttachmentFixtures.video(size: 4 << 20)
            let stream = client.clientStream(AttachmentsService.upload)
            try stream.send(
                UploadRequest(
                    part: .header(
                        UploadHeader(name: "cut.mp4", size: 64 << 20, sha256: SHA256Digest.hex(of: video)))))
            for start in stride(from: 0, to: video.count, by: 1 << 20) {
                try stream.send(UploadRequest(part: .chunk(Array(video[start..<start + (1 << 20)]))))
            }
            client.close()
        }
        let until = Date().addingTimeInterval(10)
        var left: [String] = ["?"]
        while Date() < until {
            left = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
            if left.isEmpty, daemon.openDescriptors() <= before { break }
            usleep(50_000)
        }
        #expect(left.isEmpty, "\(left)")
        #expect(daemon.openDescriptors() <= before)
        // Descriptors passed with a refused header, or with no upload at all, are closed with the connection.
        for _ in 0..<3 {
            let client = try daemon.client(options: options)
            let file = open(daemon.dataDirectory + "/otklik.lock", O_RDONLY)
            let stream = client.clientStream(AttachmentsService.upload)
            try? stream.send(
                UploadRequest(part: .header(UploadHeader(name: " ", size: 1, sha256: "", descriptor: true))),
                passing: file)
            _ = try? stream.finish()
            close(file)
            client.close()
        }
        let settled = Date().addingTimeInterval(10)
        while Date() < settled, daemon.openDescriptors() > before { usleep(50_000) }
        #expect(daemon.openDescriptors() <= before)
        // And the daemon serves on.
        let after = try daemon.client(options: options)
        defer { after.close() }
        #expect(try upload(after, AttachmentFixtures.tinyJPEG).existing)
    }
}
