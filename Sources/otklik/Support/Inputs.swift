import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

/// Text from `--text` or `--text-file` (exactly one).
func messageText(_ text: String?, _ file: String?) throws -> String {
    switch (text, file) {
    case (let text?, nil): return text
    case (nil, let file?):
        let data = try readInputFile(file)
        // Files written on Windows end lines with CR LF; the daemon takes line breaks as LF only.
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    default:
        throw ValidationError(
            Say.General.giveExactlyOneOf.text())
    }
}

/// The value of a closed-set option (`--importance high`): nil text is `unspecified` (not given); a
/// word the contract does not know is refused here, naming the words it takes.
func wordOption<Word: WireEnum>(_ text: String?, _ option: String) throws -> Word {
    guard let text else { return Word(rawValue: 0) }
    guard let value = Word(name: text), value.rawValue != 0 else {
        let words = Word.known.filter { $0.rawValue != 0 }.map(\.name).joined(separator: ", ")
        throw ValidationError(
            Say.General.isNotOneOf(option, text, words).text())
    }
    return value
}

func caseID(ofAssignment id: String) throws -> String {
    guard let parsed = AssignmentID(id) else {
        throw ValidationError(
            Say.General.isNotAnAssignment(id).text())
    }
    return parsed.caseID
}

// MARK: message

// MARK: case

// MARK: draft

// MARK: reply

// MARK: admin
