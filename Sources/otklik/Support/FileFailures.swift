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
            message: Language.text(
                "cannot read \(path): \(why(number, path)); check the path and that you may read it",
                "не удаётся прочитать \(path): \(why(number, path)); проверьте путь и права на чтение"),
            code: 66)
    }

    /// An output file that cannot be created or written.
    static func output(_ path: String, errno number: Int32 = errno) -> FileFailure {
        FileFailure(
            message: Language.text(
                "cannot create \(path): \(why(number, path)); choose another path or check the directory's rights",
                "не удаётся создать \(path): \(why(number, path)); укажите другой путь или проверьте права на каталог"),
            code: 73)
    }

    private static func why(_ number: Int32, _ path: String) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return Language.text("it is a directory", "это каталог")
        }
        switch number {
        case ENOENT: return Language.text("no such file or directory", "нет такого файла или каталога")
        case EACCES, EPERM: return Language.text("permission denied", "нет прав")
        case EISDIR: return Language.text("it is a directory", "это каталог")
        case ENOSPC: return Language.text("no space left on the disk", "на диске нет места")
        case EROFS: return Language.text("the file system is read-only", "файловая система только для чтения")
        case EEXIST: return Language.text("it already exists", "он уже существует")
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

/// The whole of a file the user named, or `FileFailure.input` (66).
func readInputFile(_ path: String) throws -> Data {
    let handle = try openInputFile(path)
    do {
        return try handle.readToEnd() ?? Data()
    } catch {
        throw FileFailure.input(path, errno: EIO)
    }
}
