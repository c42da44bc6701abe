import ArgumentParser
import OtklikRPC

/// The CLI's exit codes (documented in `otklik --help` and the README).
enum ExitCodes {
    static let help = """
        Exit codes:
          0   success
          64  usage error (bad command line)
          65  invalid input (INVALID_ARGUMENT, OUT_OF_RANGE)
          66  not found (NOT_FOUND)
          67  already exists (ALREADY_EXISTS)
          68  not allowed in the current state (FAILED_PRECONDITION)
          69  daemon not reachable (UNAVAILABLE)
          70  internal error (INTERNAL, UNKNOWN, DATA_LOSS, UNIMPLEMENTED)
          75  temporary failure, try again (DEADLINE_EXCEEDED, ABORTED, RESOURCE_EXHAUSTED, CANCELLED)
          77  not permitted (PERMISSION_DENIED, UNAUTHENTICATED)
        """

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
