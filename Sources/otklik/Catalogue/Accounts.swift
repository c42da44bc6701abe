import OtklikDesk

/// What `otklik account` says, English and Russian side by side.
extension Say {
    enum Accounts {
        /// A network: its wire name, in Russian its name with the wire name after it.
        static func network(_ network: String, _ spoken: String) -> Phrase {
            Phrase("\(network)", "\(spoken) (\(network))")
        }
        static let name = Phrase("Name", "Название")
        static let accountAbstract = Phrase(
            "The administration's accounts in social networks (p.4).",
            "Аккаунты администрации в социальных сетях (п. 4).")
        static let url = Phrase("URL", "URL")
        static let listAbstract = Phrase(
            "The administration's accounts, network by network.",
            "Аккаунты администрации по сетям.")
        static let addAbstract = Phrase(
            "Add an account of the administration in a network (admin).",
            "Добавить аккаунт администрации в сети (администратор).")
        static let nameHelp = Phrase(
            "The account's name as the network shows it.", "Название аккаунта, как его показывает сеть.")
        static let urlHelp = Phrase(
            "The account's address (https://...).", "Адрес аккаунта (https://...).")
    }
}
