public import Foundation

/// The one way the product writes JSON that it keeps or hands out (event payloads, the monthly report,
/// schedule and calendar documents): Encodable models, keys sorted so the same value always gives the
/// same bytes, text escaped by Foundation's encoder, never assembled by hand. `pretty` is for files
/// people read and edit. (The CLI's `-o json` keeps its documented key order with its own `JSON`
/// value in Sources/otklik/Output.swift; it only renders answers, it stores nothing.)
public enum JSONText {
    public static func encode<T: Encodable>(_ value: T, pretty: Bool = false) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
        // A model that cannot be encoded (a non-finite number) is a programming error; an empty object
        // keeps the log readable rather than trapping the daemon.
        return (try? encoder.encode(value)) ?? Data("{}".utf8)
    }

    public static func string<T: Encodable>(_ value: T) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }
}
