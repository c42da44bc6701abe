import OtklikDesk

/// What `otklik message` says, English and Russian side by side.
extension Say {
    enum Messages {
        static let aFileHoldingThe = Phrase("A file holding the message text.", "Файл с текстом сообщения.")
        static let aTopicRepeatable = Phrase("A topic (repeatable).", "Тема (можно несколько раз).")
        static let messagesFoundInSocial = Phrase(
            "Messages found in social networks.", "Сообщения, найденные в социальных сетях.")
        static let registerAMessageIdempotent = Phrase(
            "Register a message (idempotent on network and external id or URL).",
            "Зарегистрировать сообщение (повторная регистрация того же поста вернёт прежнее дело).")
        static let takeADetectionOr = Phrase(
            "Take a detection or posting time more than 30 days ago (the profile's max_fact_age_days): it is not a typo.",
            "Принять время выявления или публикации старше 30 дней (max_fact_age_days профиля): это не опечатка.")
        static let theMessageText = Phrase("The message text.", "Текст сообщения.")
        static let theMonitoringSystemS = Phrase(
            "The monitoring system's card id.", "Номер карточки в системе мониторинга.")
        static let vkOkFbIg = Phrase(
            "Сеть: `vk`, `ok`, `fb`, `ig`, `tg`, ...", "Сеть: `vk`, `ok`, `fb`, `ig`, `tg`, ...")
    }
}
