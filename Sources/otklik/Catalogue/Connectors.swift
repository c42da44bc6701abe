import OtklikDesk

/// What `otklik connector` says, English and Russian side by side.
extension Say {
    enum Connectors {
        static let connectorAbstract = Phrase(
            "The networks' connectors: how each reads its network and publishes replies (issue 29).",
            "Коннекторы соцсетей: как каждый читает свою сеть и публикует ответы.")
        static let listAbstract = Phrase(
            "Each connector as the daemon last heard from it.",
            "Каждый коннектор, каким его последний раз слышал демон.")
        static let listDiscussion = Phrase(
            """
            A connector reports after its polls, at least every 20 seconds while it runs; one silent for more \
            than 50 seconds is shown as such, and announced once. Replies waiting are those handed to it and not yet published; \
            failed ones wait for the curator (case show says why). See docs/CONNECTORS.md.
            """,
            """
            Коннектор сообщает о себе после опросов сети, не реже раза в 20 секунд, пока работает; молчащий \
            дольше 50 секунд показан как молчащий, и об этом сообщается один раз. Ожидающие ответы переданы ему и ещё не опубликованы; \
            неудавшиеся ждут куратора (почему — в case show). Подробнее: docs/CONNECTORS.md.
            """)
        static let noneReported = Phrase(
            "No connector has reported since the daemon started (docs/CONNECTORS.md says how to run one).",
            "С запуска демона ни один коннектор не сообщал о себе (как запустить — в docs/CONNECTORS.md).")
        static let community = Phrase("Community", "Сообщество")
        static let state = Phrase("State", "Состояние")
        static let lastPoll = Phrase("Last poll", "Последний опрос")
        static let takenToday = Phrase("Taken today", "Принято сегодня")
        static let waiting = Phrase("Replies waiting", "Ответов ждут")
        static let failed = Phrase("Failed", "Не удалось")
        static let lastError = Phrase("Last error", "Последняя ошибка")
        static let missed = Phrase("May be missing", "Могли не поступить")
        /// Comments a connector knows it could not take.
        static func missedSince(_ at: String) -> Phrase {
            Phrase(
                "comments written since \(at) may not have come in: look at the community's posts for them",
                "комментарии, написанные после \(at), могли не поступить: просмотрите посты сообщества")
        }
        static let login = Phrase("Login", "Логин")
        static func silentSince(_ at: String, _ state: String) -> Phrase {
            Phrase("silent since \(at) (last said: \(state))", "молчит с \(at) (последнее: \(state))")
        }
        static func polledAgo(_ at: String, seconds: Int64) -> Phrase {
            seconds < 120
                ? Phrase("\(at) (\(seconds) s ago)", "\(at) (\(seconds) с назад)")
                : Phrase("\(at) (\(seconds / 60) min ago)", "\(at) (\(seconds / 60) мин назад)")
        }
        static func statusLine(_ network: String, _ community: String, _ standing: String) -> Phrase {
            Phrase("\(network) \(community): \(standing)", "\(network) \(community): \(standing)")
        }
        static let statusLabel = Phrase("Connectors", "Коннекторы")
        /// A connector's last error, in the network's or the system's own words, and when it came.
        static func errorAt(_ at: String, _ error: String) -> Phrase {
            Phrase("\(at): \(error)", "\(at): \(error)")
        }
    }
}
