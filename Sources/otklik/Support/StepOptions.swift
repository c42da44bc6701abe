import ArgumentParser
import OtklikDesk

/// `--expected-version`: the case version a step was decided against (every mutating command).
struct ExpectedVersion: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            Language.text(
                "The case version this is decided against (default: the current one).",
                "Версия дела, для которой принято решение (по умолчанию текущая).")))
    var expectedVersion: Int64?
}

/// `--reason`: why a correction is made, recorded in the history (reroute, add, cancel, withdraw,
/// correct, reopen).
struct StepReason: ParsableArguments {
    @Option(help: ArgumentHelp(Language.text("Why (recorded in the history).", "Почему (записывается в историю).")))
    var reason: String
}
