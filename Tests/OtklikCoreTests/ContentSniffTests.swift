import OtklikCore
import Testing

/// `ContentType.sniff` reads a file's first bytes as they came from anyone who may upload: every
/// prefix of every kind it knows, at every length it may be given, is answered, never read past.
@Suite struct ContentSniffTests {
    /// The first 64 bytes of a file of each kind the daemon accepts (and of ISO media with each brand
    /// family), as a real file starts.
    /// The first bytes of a file of each kind the daemon accepts (and of ISO media with each brand
    /// family), as a real file starts, and how many of them tell the kind (the magic; for ISO media the
    /// box's size, type and the brand that decides).
    static let heads: [(ContentType, [UInt8], magic: Int)] = [
        (.jpeg, [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8), 3),
        (.png, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array("IHDR".utf8), 8),
        (.webp, Array("RIFF".utf8) + [0x24, 0, 0, 0] + Array("WEBPVP8 ".utf8), 12),
        (.pdf, Array("%PDF-1.7\n".utf8), 5),
        (.mp4, [0, 0, 0, 0x18] + Array("ftypisom".utf8) + [0, 0, 2, 0] + Array("isomiso2".utf8), 12),
        (.mov, [0, 0, 0, 0x14] + Array("ftypqt  ".utf8) + [0, 0, 2, 0] + Array("qt  ".utf8), 12),
        (.heic, [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8), 12),
        // The major brand unknown, a known one among the compatible brands: told once that brand is there.
        (.mp4, [0, 0, 0, 0x1C] + Array("ftypXXXX".utf8) + [0, 0, 0, 0] + Array("abcdefghmp42".utf8), 28),
    ]

    static func padded(_ head: [UInt8]) -> [UInt8] {
        head + (0..<max(0, ContentType.sniffLength - head.count)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
    }

    @Test func everyPrefixOfEveryKnownKindAtEveryLengthUpTo64BytesIsAnsweredWithoutReadingPastIt() {
        for (type, head, magic) in Self.heads {
            let whole = Self.padded(head)
            for length in 0...ContentType.sniffLength {
                let answer = ContentType.sniff(Array(whole.prefix(length)))
                // Shorter than its magic (and brand): nothing; long enough: the kind it is.
                #expect(answer == (length >= magic ? type : nil), "\(type.label) at \(length) bytes")
            }
        }
    }

    @Test func anFtypBoxOfEightToElevenBytesHasNoBrandAndIsNoKind() {
        // Issue 25, C1: `printf '\0\0\0\x10ftyp'` and up to three bytes more brought the daemon down.
        for extra in 0...3 {
            let bytes: [UInt8] = [0, 0, 0, 0x10] + Array("ftyp".utf8) + Array("isom".utf8).prefix(extra)
            #expect(ContentType.sniff(bytes) == nil, "\(bytes.count) bytes")
        }
    }

    @Test func aBoxSizeLargerThanTheBytesGivenReadsOnlyTheBytesGiven() {
        let bytes: [UInt8] = [0x7F, 0xFF, 0xFF, 0xFF] + Array("ftypXXXX".utf8) + [0, 0, 0, 0] + Array("abc".utf8)
        for length in 0...bytes.count { #expect(ContentType.sniff(Array(bytes.prefix(length))) == nil) }
    }

    @Test func everyByteSequenceOfUpToSixteenBytesBuiltFromMagicFragmentsIsAnswered() {
        // Fragments of every magic, recombined: no combination of the bytes the sniffer looks for makes it
        // read out of range.
        let fragments: [[UInt8]] = [
            [0, 0, 0, 0x10], Array("ftyp".utf8), Array("RIFF".utf8), Array("WEBP".utf8), Array("%PDF-".utf8),
            [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47], Array("qt  ".utf8), [0xFF, 0xFF, 0xFF, 0xFF],
        ]
        for first in fragments {
            for second in fragments {
                for third in fragments {
                    let bytes = first + second + third
                    for length in 0...min(16, bytes.count) { _ = ContentType.sniff(Array(bytes.prefix(length))) }
                }
            }
        }
    }
}
