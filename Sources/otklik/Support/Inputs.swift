import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

/// Text from `--text` or `--text-file` (exactly one; `--text-file -` reads the standard input, as
/// `echo ... | otklik draft submit ... --text-file -`).
func messageText(_ text: String?, _ file: String?) throws -> String {
    switch (text, file) {
    case (let text?, nil): return text
    case (nil, let file?):
        let data = try readInputFile(file == "-" ? "/dev/stdin" : file)
        // Files written on Windows end lines with CR LF; the daemon takes line breaks as LF only.
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    case (nil, nil), (_?, _?):
        throw ValidationError(
            Say.General.textOrTextFile.text())
    }
}

/// The value of a closed-set option (`--importance high`, `--importance высокая`, `--reason угроза`):
/// nil text is `unspecified` (not given); the wire word or the words the tables show, in either
/// language and any form (`SpokenInput`). A word that is none is refused here, naming the words taken
/// in the reader's language; one that could mean several names those.
func wordOption<Word: WireEnum & Spoken>(_ text: String?, _ option: String) throws -> Word {
    guard let text else { return Word(rawValue: 0) }
    let values = Word.known.filter { $0.rawValue != 0 }
    switch SpokenInput.match(text, among: values) {
    case .one(let value): return value
    case .none:
        throw ValidationError(
            Say.General.isNotOneOf(option, text, values.map(SpokenInput.offer).joined(separator: ", ")).text())
    case .several(let found):
        throw ValidationError(
            Say.General.couldMeanSeveral(option, text, found.map(SpokenInput.offer).joined(separator: ", ")).text())
    }
}

/// A network as people name it (`--network ВК`, `вконтакте`, `vk`): its profile code when the
/// catalogue knows the name, else the text as typed (the daemon checks it against the profile).
func networkOption(_ text: String?) -> String? {
    text.map { NetworkNames.code(of: $0) ?? $0 }
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
