import ArgumentParser
import Foundation
import OtklikDesk

/// A command that could not open its input or create its output: one sentence naming the file,
/// why, and what to do; the exit code sysexits gives it (66 EX_NOINPUT, 73 EX_CANTCREAT).
struct FileFailure: Error {
    let message: String
    let code: Int32

    /// An input file that cannot be read (`errno` as left by the failed open or read).
    static func input(_ path: String, errno number: Int32 = errno) -> FileFailure {
        FileFailure(
            message: Say.General.cannotRead(path, why(number, path)).text(),
            code: 66)
    }

    /// An output file that cannot be created or written.
    static func output(_ path: String, errno number: Int32 = errno) -> FileFailure {
        FileFailure(
            message: Say.General.cannotCreate(path, why(number, path)).text(),
            code: 73)
    }

    private static func why(_ number: Int32, _ path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return Say.General.isADirectory.text()
        }
        switch number {
        case ENOENT: return Say.General.noSuchFile.text()
        case EACCES, EPERM: return Say.General.permissionDenied.text()
        case EISDIR: return Say.General.isADirectory.text()
        case ENOSPC: return Say.General.noSpaceLeft.text()
        case EROFS: return Say.General.readOnlyFileSystem.text()
        case EEXIST: return Say.General.alreadyExists.text()
        // Any other errno: as the system says it.
        default: return String(cString: strerror(number))
        }
    }
}

/// A file the user named, open for reading (closed when the handle goes), or `FileFailure.input` (66):
/// it does not open, or it is a directory.
func openInputFile(_ path: String) throws -> FileHandle {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else { throw FileFailure.input(path) }
    let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR else {
        throw FileFailure.input(path, errno: EISDIR)
    }
    return handle
}

/// The whole of a file the user named, or `FileFailure.input` (66); a file over `atMost` bytes is
/// refused before more of it is read.
func readInputFile(_ path: String, atMost limit: Int? = nil) throws -> Data {
    let handle = try openInputFile(path)
    let data: Data
    do {
        data = try (limit.map { try handle.read(upToCount: $0 + 1) } ?? handle.readToEnd()) ?? Data()
    } catch {
        throw FileFailure.input(path, errno: EIO)
    }
    if let limit, data.count > limit {
        throw ValidationError(Say.General.fileTooLarge(path, limit >> 20).text())
    }
    return data
}
