import OtklikDesk

/// What `otklik reply` says, English and Russian side by side.
extension Say {
    enum Replies {
        static let publishAbstract = Phrase(
            "Record the approved reply's publication (p.15).", "Записать публикацию согласованного ответа (п. 15).")
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
