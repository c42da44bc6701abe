import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where tests put their files: one directory per test process under /tmp, removed when the process
/// exits, so a run leaves nothing behind (a run once left 8 GB of daemon data directories, each with its
/// ballast file and uploads, and the next CI run found its disk full).
///
/// The paths stay short (`/tmp/otklik-tests-XXXXXX/daemon-XXXXXX/otklik.sock`): a Unix socket's path
/// must fit in 108 bytes. `OTKLIK_KEEP_TEST_FILES=1` keeps the directory to look at after the run.
public enum Scratch {
    /// The process's directory (mode 0711: a test's own private directories inside it stay 0700, and
    /// another user a test logs in as can pass through to the socket it is given).
    public static let root: String = {
        let path = makeDirectory("/tmp/otklik-tests")
        chmod(path, 0o711)
        if ProcessInfo.processInfo.environment["OTKLIK_KEEP_TEST_FILES"] != "1" {
            atexit { Scratch.removeRoot() }
        }
        return path
    }()

    /// A new private directory (mode 0700) inside the process's own, its name starting with `purpose`.
    public static func directory(_ purpose: String) -> String {
        makeDirectory(root + "/" + purpose)
    }

    private static func makeDirectory(_ prefix: String) -> String {
        var template = Array((prefix + "-XXXXXX").utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, let made = mkdtemp(base) else {
                fatalError("cannot make a directory \(prefix)-XXXXXX: \(String(cString: strerror(errno)))")
            }
            return String(cString: made)
        }
    }

    private static func removeRoot() {
        try? FileManager.default.removeItem(atPath: root)
    }
}
