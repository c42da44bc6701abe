import ArgumentParser
import Foundation
import OtklikAPI
import OtklikCore
import OtklikDesk
import OtklikRPC

/// `otklik export`: data out for the regional centre and for BI, streamed page by page.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: Say.Export.exportAbstract.text(), subcommands: [Cases.self, Events.self])
}

/// Where an export writes: a new file (written beside it and renamed when whole), or stdout.
final class ExportSink {
    private let handle: FileHandle
    private let path: String?
    private let partial: String?
    private var buffer = Data()

    init(_ path: String?) throws {
        self.path = path
        guard let path else {
            handle = FileHandle.standardOutput
            partial = nil
            return
        }
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ValidationError(Say.Export.fileExists(path).text())
        }
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o640]),
            let handle = FileHandle(forWritingAtPath: partial)
        else { throw FileFailure.output(path) }
        self.partial = partial
        self.handle = handle
    }

    func line(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw FileFailure.output(path ?? "-")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// The file complete: synced and renamed into place.
    func finish() throws {
        try flush()
        guard let path, let partial else { return }
        try handle.synchronize()
        try handle.close()
        guard rename(partial, path) == 0 else { throw FileFailure.output(path) }
    }

    /// Nothing of a failed export is left behind.
    func abandon() {
        guard let partial else { return }
        try? handle.close()
        unlink(partial)
    }
}
