import OtklikDesk

/// Every sentence, label and help text of the CLI, English and Russian side by side, one file per
/// group of commands (Cases.swift, Staff.swift, ...); what more than one group says is in
/// Common.swift. A command never writes human text inline: it names a phrase here and says it in
/// the reader's language (`.text()`). The words of the contract (states, kinds, roles, reasons) are
/// OtklikDesk's catalogue; the daemon's refusals are OtklikCore's (`Refusals`). Arguments of a
/// phrase are shown as string interpolation shows them.
enum Say {}
