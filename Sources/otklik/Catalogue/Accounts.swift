import OtklikDesk

/// What `otklik account` says, English and Russian side by side.
extension Say {
    enum Accounts {
        /// A network: its wire name, in Russian its name with the wire name after it.
        static func network(_ network: Any, _ spoken: Any) -> Phrase {
            Phrase("\(network)", "\(spoken) (\(network))")
        }
        static let name = Phrase("Name", "Название")
        static let theAdministrationSAccounts = Phrase(
            "The administration's accounts in social networks (p.4).",
            "Аккаунты администрации в социальных сетях (п. 4).")
        static let url = Phrase("URL", "URL")
    }
}
