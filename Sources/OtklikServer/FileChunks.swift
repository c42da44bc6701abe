import Foundation
import OtklikRPC

/// A file sent as a server stream: read in chunks of at most `size` bytes, each handed to `send`
/// (`first` for the first; an empty file is one empty chunk, so the stream always carries its
/// header). Returns the bytes sent. Used by Download and Backup.
enum FileChunks {
    static let size = 1 << 20

    static func send(_ file: FileHandle, _ send: (_ bytes: [UInt8], _ first: Bool) throws(RPCError) -> Void)
        throws(RPCError) -> Int64
    {
        var first = true
        var sent: Int64 = 0
        while true {
            let data = (try? file.read(upToCount: size)) ?? Data()
            guard !data.isEmpty || first else { return sent }
            try send([UInt8](data), first)
            first = false
            sent += Int64(data.count)
            if data.isEmpty { return sent }
        }
    }
}
