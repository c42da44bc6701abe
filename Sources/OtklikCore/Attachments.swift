import Foundation

/// p.19: what a reply may carry, and how the daemon tells a file's kind: from its bytes, never
/// from its name.
public enum AttachmentKind: String, Sendable, CaseIterable, Codable {
    case photo, video, document
}

/// A content type the daemon accepts, recognised by the bytes a file starts with.
public struct ContentType: Sendable, Equatable, Hashable {
    /// The MIME type, as answered and stored.
    public let mime: String
    public let kind: AttachmentKind
    /// What a person calls it (the list of accepted kinds names these).
    public let label: String

    public static let jpeg = ContentType(mime: "image/jpeg", kind: .photo, label: "JPEG")
    public static let png = ContentType(mime: "image/png", kind: .photo, label: "PNG")
    public static let heic = ContentType(mime: "image/heic", kind: .photo, label: "HEIC")
    public static let webp = ContentType(mime: "image/webp", kind: .photo, label: "WebP")
    public static let mp4 = ContentType(mime: "video/mp4", kind: .video, label: "MP4")
    public static let mov = ContentType(mime: "video/quicktime", kind: .video, label: "MOV")
    public static let pdf = ContentType(mime: "application/pdf", kind: .document, label: "PDF")

    public static let accepted: [ContentType] = [.jpeg, .png, .heic, .webp, .mp4, .mov, .pdf]

    public static func of(mime: String) -> ContentType? { accepted.first { $0.mime == mime } }

    /// "JPEG, PNG, HEIC, WebP, MP4, MOV, PDF": the sentence a refusal names.
    public static var acceptedList: String { accepted.map(\.label).joined(separator: ", ") }

    /// Bytes `sniff` needs at most to decide.
    public static let sniffLength = 64

    /// The type of a file starting with `prefix` (its first `sniffLength` bytes or all of a shorter
    /// file); nil for anything else. ISO media files (HEIC, MP4, MOV) are told by their `ftyp`
    /// box's brands: the major brand first, then the compatible ones.
    public static func sniff(_ prefix: [UInt8]) -> ContentType? {
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            prefix.count >= offset + magic.count && Array(prefix[offset..<offset + magic.count]) == magic
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("%PDF-".utf8)) { return .pdf }
        // The box's size, type and major brand must all be there before any of them is read: a file
        // of 8-11 bytes ending in "ftyp" has no brand (issue 25, C1: reading one brought the daemon down).
        guard starts(Array("ftyp".utf8), at: 4), prefix.count >= 12 else { return nil }
        let boxSize = prefix[0..<4].reduce(0) { $0 << 8 | Int($1) }
        guard boxSize >= 16 else { return nil }
        // Major brand at 8, minor version at 12, compatible brands from 16 to the box's end.
        var brands = [String(decoding: prefix[8..<12], as: UTF8.self)]
        var offset = 16
        while offset + 4 <= min(boxSize, prefix.count) {
            brands.append(String(decoding: prefix[offset..<offset + 4], as: UTF8.self))
            offset += 4
        }
        for brand in brands {
            switch brand {
            case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1": return .heic
            case "qt  ": return .mov
            case "isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash": return .mp4
            default: continue  // another brand: look at the next
            }
        }
        return nil
    }
}

/// How large an attachment may be: daemon flags with these defaults (issue 14).
public struct AttachmentLimits: Sendable, Equatable {
    public var photo: Int64 = 50 << 20
    public var video: Int64 = 500 << 20
    public var document: Int64 = 50 << 20
    /// All the files of one draft together.
    public var draft: Int64 = 1 << 30
    /// What one login's uploads that no draft took yet may come to (those still arriving included):
    /// junk stays until the daily removal, and one person must not fill the disk with it (issue 25, H4).
    public var unreferencedPerUser: Int64 = 2 << 30
    /// Free space on the data disk kept for registrations and the event log: an upload that would
    /// leave less is refused, so files never cost a registration.
    public var diskReserve: Int64 = 512 << 20
    /// Uploads one login may run at once, and all logins together: each holds a thread and a file
    /// until it ends (issue 25, H3).
    public var uploadsPerUser = 4
    public var uploadsAtOnce = 32

    public init() {}

    public func limit(for kind: AttachmentKind) -> Int64 {
        switch kind {
        case .photo: photo
        case .video: video
        case .document: document
        }
    }

    /// The largest file any kind may be: a declared size above it is refused before any byte.
    public var largest: Int64 { max(photo, video, document) }
}

/// A stored attachment, as the daemon knows it.
public struct AttachmentRecord: Sendable, Equatable {
    /// 64 lower-case hex digits.
    public var sha256: String
    /// The name its first uploader gave: shown, never used as a path.
    public var name: String
    public var contentType: ContentType
    public var size: Int64
    /// Photos: when the camera says it was taken.
    public var capturedAt: Instant?
    /// Photos: where, in decimal degrees.
    public var position: GeoPosition?
    public var uploadedAt: Instant
    public var uploadedBy: String

    public init(
        sha256: String, name: String, contentType: ContentType, size: Int64, capturedAt: Instant?,
        position: GeoPosition?, uploadedAt: Instant, uploadedBy: String
    ) {
        self.sha256 = sha256
        self.name = name
        self.contentType = contentType
        self.size = size
        self.capturedAt = capturedAt
        self.position = position
        self.uploadedAt = uploadedAt
        self.uploadedBy = uploadedBy
    }
}

/// A point on the Earth in decimal degrees (north and east positive).
public struct GeoPosition: Sendable, Equatable {
    public var latitude: Double
    public var longitude: Double

    /// nil unless both are finite and within ±90 and ±180.
    public init?(latitude: Double, longitude: Double) {
        guard latitude.isFinite, longitude.isFinite, abs(latitude) <= 90, abs(longitude) <= 180 else { return nil }
        self.latitude = latitude
        self.longitude = longitude
    }

    /// "58.387800, 33.914900": six decimals, about 0.1 m.
    public var text: String { "\(Self.decimal(latitude)), \(Self.decimal(longitude))" }

    private static func decimal(_ value: Double) -> String {
        let micro = Int64((abs(value) * 1_000_000).rounded())
        let sign = value < 0 && micro != 0 ? "-" : ""
        let fraction = String(micro % 1_000_000)
        return "\(sign)\(micro / 1_000_000).\(String(repeating: "0", count: 6 - fraction.count))\(fraction)"
    }
}

/// SHA-256 digests as the wire and the store spell them.
public enum SHA256Text {
    /// `text` as 64 lower-case hex digits (upper case accepted), nil when it is not a digest.
    public static func normalized(_ text: String) -> String? {
        let lower = text.lowercased()
        guard lower.utf8.count == 64,
            lower.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return lower
    }

    /// The fewest hex digits a short id has (the CLI prints 12).
    public static let shortestPrefix = 6

    /// `text` as the beginning of a digest (6 to 64 hex digits, lower-cased), nil otherwise.
    public static func prefix(_ text: String) -> String? {
        let lower = text.lowercased()
        guard (shortestPrefix...64).contains(lower.utf8.count),
            lower.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { return nil }
        return lower
    }
}

/// Sizes as people write them in flags: "52428800", "50MiB", "50M", "1GiB", "512KiB".
public enum ByteSize {
    /// Bytes, positive and at most 64 GiB; nil for anything else.
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).lowercased()
        guard !digits.isEmpty, digits.count <= 12, let number = Int64(digits) else { return nil }
        let shift: Int64
        switch unit {
        case "", "b": shift = 0
        case "k", "kb", "kib": shift = 10
        case "m", "mb", "mib": shift = 20
        case "g", "gb", "gib": shift = 30
        default: return nil  // any other unit: not a size
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: 1 << shift)
        guard !overflow, bytes > 0, bytes <= 64 << 30 else { return nil }
        return bytes
    }
}
