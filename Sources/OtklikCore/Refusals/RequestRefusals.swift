// A request's values out of bounds (checked once at the boundary), and the daemon's own trouble.

extension Refusals {
    public enum Requests {
        public static let malformed = Refusal(
            "malformed_request", "{detail}", "запрос повреждён; обновите клиент или сообщите разработчикам")
        public static let tooLong = Refusal(
            "too_long", "{path} is {size} bytes; at most {max} are accepted",
            "{path}: {size} байт, а допускается не больше {max}")
        public static let notUTF8 = Refusal(
            "not_utf8", "{path} is not valid UTF-8 text", "{path}: текст не в кодировке UTF-8")
        public static let controlCharacter = Refusal(
            "control_character",
            "{path} contains the control character {character}; only text, tabs and line breaks are accepted",
            "{path} содержит управляющий символ {character}; допускаются только текст, табуляция и переводы строк")
        public static let tooMany = Refusal(
            "too_many", "{path} has more than {max} elements; at most {max} are accepted",
            "{path}: больше {max} элементов, а допускается не больше {max}")
        public static let instantOutOfRange = Refusal(
            "instant_out_of_range",
            "{path}: {value} is not an instant this tool accepts; instants lie within {from} and {to}",
            "{path}: {value} — недопустимый момент времени; допускаются моменты с {from} по {to}")
        public static let outOfRange = Refusal(
            "out_of_range", "{path}: {value} is outside {min}...{max}", "{path}: {value} вне пределов {min}…{max}")
        public static let wordMissing = Refusal(
            "word_missing", "{path}: missing; one of {words}", "{path}: не указано; допустимо одно из: {words}")
        public static let wordUnknown = Refusal(
            "word_unknown", "{path}: unknown value {value}; one of {words}",
            "{path}: неизвестное значение {value}; допустимо одно из: {words}")
        public static let diskFull = Refusal(
            "disk_full", "no space left on the data disk ({free_mb} MB free); nothing was changed",
            "на диске с данными нет места (свободно {free_mb} МБ); ничего не изменено")
        public static let stopping = Refusal(
            "daemon_stopping", "the daemon is stopping; try again shortly",
            "демон останавливается; повторите чуть позже")
        public static let failed = Refusal(
            "daemon_failed", "{detail}",
            "демон не смог выполнить запрос; ничего не изменено, подробности в журнале демона")

        static let all: [Refusal] = [
            malformed, tooLong, notUTF8, controlCharacter, tooMany, instantOutOfRange, outOfRange, wordMissing,
            wordUnknown, diskFull, stopping, failed,
        ]
    }
}
