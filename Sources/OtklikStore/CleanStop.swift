import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The record of a clean stop (`otklik.sqlite3.clean`): written when the store closes after its last
/// checkpoint, removed (durably) when it opens. It holds the file's size and modification time, so
/// the `auto` check at start can tell "closed cleanly and untouched since" (no check: the cost of
/// an integrity check grows with the file) from anything else (a crash, a kill, a power cut, a file
/// changed while the daemon was down), which gets the full check.
enum CleanStop {
    static func path(of database: String) -> String { database + ".clean" }

    /// The database file's identity as a clean stop records it: size and modification time in ns.
    static func fingerprint(of database: String) -> String? {
        var info = stat()
        guard stat(database, &info) == 0 else { return nil }
        return "\(info.st_size) \(info.st_mtim.tv_sec) \(info.st_mtim.tv_nsec)"
    }

    /// Whether the last close was clean and the file has not changed since.
    static func wasClean(_ database: String) -> Bool {
        guard let recorded = try? String(contentsOfFile: path(of: database), encoding: .utf8),
            let now = fingerprint(of: database)
        else { return false }
        return recorded.trimmingCharacters(in: .whitespacesAndNewlines) == now
    }

    /// Records a clean stop of the closed database (a temporary file renamed into place, synced).
    static func record(_ database: String) {
        guard let fingerprint = fingerprint(of: database) else { return }
        let target = path(of: database)
        let temporary = target + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        let line = fingerprint + "\n"
        let written = line.withCString { write(fd, $0, strlen($0)) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == line.utf8.count, synced, rename(temporary, target) == 0 else {
            unlink(temporary)
            return
        }
        syncDirectory(of: database)
    }

    /// Forgets the clean stop before the first write: a crash from here on leaves no record.
    static func forget(_ database: String) throws(StoreError) {
        guard unlink(path(of: database)) == 0 || errno == ENOENT else {
            throw .cannotOpen(path: path(of: database), reason: "cannot remove the record of the last clean stop")
        }
        syncDirectory(of: database)
    }

    private static func syncDirectory(of database: String) {
        let fd = open((database as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
