import ArgumentParser
import Foundation
import OtklikAPI
import OtklikBase
import OtklikCore
import OtklikDesk
import OtklikRPC

struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: Say.Admin.adminAbstract.text(),
        subcommands: [Clock.self, Backup.self])

    /// The attachment files of a backup: `ab/cdef…` under `folder`, each checked against its SHA-256.
    struct BackupFiles {
        let folder: String
        private var handle: FileHandle?
        private var digest = SHA256Digest()
        private var current = ""
        private var size: Int64 = 0
        private var received: Int64 = 0
        private(set) var count = 0

        init(folder: String) { self.folder = folder }

        var isOpen: Bool { handle != nil }

        mutating func begin(_ sha256: String, size: Int64) throws {
            try finish()
            guard SHA256Text.normalized(sha256) == sha256 else {
                throw ValidationError(Say.Admin.badFileName(sha256).text())
            }
            let directory = (folder as NSString).appendingPathComponent(String(sha256.prefix(2)))
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let path = (directory as NSString).appendingPathComponent(String(sha256.dropFirst(2)))
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                let opened = FileHandle(forWritingAtPath: path)
            else {
                throw FileFailure.output(path)
            }
            handle = opened
            digest = SHA256Digest()
            current = sha256
            self.size = size
            received = 0
        }

        mutating func write(_ bytes: [UInt8]) throws {
            try handle?.write(contentsOf: bytes)
            digest.update(bytes)
            received += Int64(bytes.count)
        }

        /// Closes the file being written after checking it is whole.
        mutating func finish() throws {
            guard let handle else { return }
            try handle.synchronize()
            try handle.close()
            self.handle = nil
            guard received == size, digest.hex() == current else {
                throw ValidationError(
                    Say.Admin.attachmentDamaged(current, received, size).text())
            }
            count += 1
        }
    }
}
