import Foundation
import OtklikStore

/// `otklikd recover`: what the administrator is told after the salvage copy.
enum Recovery {
    static func run(directory: String) throws -> String {
        let report = try Salvage.run(directory: directory)
        let damaged = (directory as NSString).appendingPathComponent(Store.fileName)
        let tables = report.rows.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let gaps =
            report.gaps.isEmpty
            ? "every table read whole"
            : "rows were lost where pages did not read, in: "
                + report.gaps.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: "; ")
        return """
            otklikd: recovered into \(report.file): \(tables); the newest event is \(report.lastEvent); \(gaps).
            \(damaged) is unchanged. To use the copy: stop the daemon; set the damaged file aside with its WAL
              mv \(damaged) \(damaged).damaged; [ -e \(damaged)-wal ] && mv \(damaged)-wal \(damaged).damaged-wal; rm -f \(damaged)-shm
            then put the copy in its place and start the daemon:
              mv \(report.file) \(damaged)
            `otklikd rebuild-projections` rebuilds the cases from the recovered event log.
            """
    }
}
