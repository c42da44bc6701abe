import ArgumentParser
import OtklikDesk
import OtklikRPC

/// The CLI's exit codes (documented in `otklik --help` and the README).
enum ExitCodes {
    static let help = Say.General.exitCodes.text()

    static func code(for status: StatusCode) -> Int32 {
        switch status {
        case .ok: 0
        case .invalidArgument, .outOfRange: 65
        case .notFound: 66
        case .alreadyExists: 67
        case .failedPrecondition: 68
        case .unavailable: 69
        case .internal, .unknown, .dataLoss, .unimplemented: 70
        case .deadlineExceeded, .aborted, .resourceExhausted, .cancelled: 75
        case .permissionDenied, .unauthenticated: 77
        }
    }
}
