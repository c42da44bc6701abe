import ArgumentParser
import OtklikDesk
import OtklikRPC

/// The CLI's exit codes (documented in `otklik --help` and the README).
enum ExitCodes {
    static let help = Language.text(
        """
        Exit codes (sysexits):
          0   success
          64  usage error: a wrong command line
          65  the daemon did not accept the values given
          66  not found: a case, a person, or an input file that cannot be read
          67  it exists already
          68  not possible in the present state of the case
          69  the daemon is not reachable
          70  the daemon failed (its log says why)
          73  an output file cannot be created
          75  try again: changed meanwhile, no answer in time, over a limit
          77  not permitted (also: the socket's group is not yours)
        """,
        """
        Коды завершения (sysexits):
          0   успех
          64  ошибка в командной строке
          65  демон не принял указанные значения
          66  не найдено: дело, сотрудник или входной файл, который нельзя прочитать
          67  это уже есть
          68  невозможно в нынешнем состоянии дела
          69  демон недоступен
          70  сбой демона (причина — в его журнале)
          73  нельзя создать выходной файл
          75  повторите: данные изменились, нет ответа вовремя, превышен предел
          77  нет прав (в том числе вы не в группе сокета)
        """)

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
