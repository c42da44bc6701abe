import OtklikDesk

/// What `otklik reply` says, English and Russian side by side.
extension Say {
    enum Replies {
        static let publishAbstract = Phrase(
            "Record the approved reply's publication (p.15), or hand it to the network's connector to publish.",
            "Записать публикацию согласованного ответа (п. 15) или передать его коннектору соцсети для публикации.")
        static let publishDiscussion = Phrase(
            """
            By hand: publish the reply from the administration's account, then record its URL (--url).             Through a connector (VK, Telegram): --via NETWORK hands the approved reply to the connector, which             answers the very comment it registered and records the URL itself; without --url and --via the             profile decides (published_by_connector). The publish clock runs until the publication is recorded.
            """,
            """
            Вручную: опубликуйте ответ с аккаунта администрации и укажите его ссылку (--url).             Через коннектор (ВКонтакте, Telegram): --via СЕТЬ передаёт согласованный ответ коннектору, который             отвечает на тот самый комментарий и сам записывает ссылку; без --url и --via решает профиль             (published_by_connector). Срок публикации идёт, пока публикация не записана.
            """)
        static let viaOrURL = Phrase(
            "--via hands the reply to a connector, which records the URL, the account and the time itself: give it alone",
            "--via передаёт ответ коннектору, который сам записывает ссылку, аккаунт и время: указывайте его без них")
        static let viaHelp = Phrase(
            "Hand the reply to this network's connector (vk or telegram) instead of recording a URL.",
            "Передать ответ коннектору этой соцсети (vk или telegram, можно «ВК», «телеграм») вместо указания ссылки.")
        static let authorAnsweredAbstract = Phrase(
            "Record the author's answer to a clarification; the clocks run again (p.10).",
            "Записать ответ автора на запрос уточнения; сроки снова идут (п. 10).")
        static let replyAbstract = Phrase(
            "Replies: publish, record the author's answer.", "Ответы: опубликовать, записать ответ автора.")
        static let accountHelp = Phrase(
            "The administration's account in the message's network that posted it (default: the only one there is, p.4).",
            "Аккаунт администрации в сети сообщения, с которого вышел ответ (по умолчанию — единственный, п. 4).")
        static let urlHelp = Phrase("The published reply's URL.", "Ссылка на опубликованный ответ.")
        static let textHelp = Phrase("What the author said.", "Что сказал автор.")
        static let publishedAtHelp = Phrase(
            "When it went out (default: now; 15:40, yesterday 15:40, ... are taken).",
            "Когда он вышел (по умолчанию сейчас; можно 15:40, вчера 15:40, ...).")
        static let answeredAtHelp = Phrase(
            "When the author answered (now, 15:40, yesterday 15:40, ...).",
            "Когда ответил автор (now, 15:40, вчера 15:40, ...).")
    }
}
