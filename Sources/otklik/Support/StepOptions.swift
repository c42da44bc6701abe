import ArgumentParser
import OtklikDesk

/// `--expected-version`: the case version a step was decided against (every mutating command).
struct ExpectedVersion: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            Say.General.expectedVersionHelp.text()))
    var expectedVersion: Int64?
}

/// `--reason`: why a correction is made, recorded in the history (reroute, add, cancel, withdraw,
/// correct, reopen).
struct StepReason: ParsableArguments {
    @Option(help: ArgumentHelp(Say.General.reasonHelp.text()))
    var reason: String
}
