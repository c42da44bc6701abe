// The case service's own refusals (Cases and Replies around the workflow: versions, accounts,
// routing targets, files on drafts, lists and search).

extension Refusals {
    public enum Cases {
        public static let notAnActiveExecutor = Refusal(
            "not_an_active_executor", "\"{login}\" is not an active executor", "«{login}» — не действующий исполнитель")
        public static let giveWithinUnit = Refusal(
            "give_within_unit", "{login} is not in {unit}; an executor gives assignments within the unit",
            "{login} не из подразделения {unit}; исполнитель передаёт поручения только внутри подразделения")
        public static let urlOfAnotherCase = Refusal(
            "url_of_another_case", "{url} is the post of case {case} already",
            "пост {url} уже зарегистрирован в деле {case}")
        public static let draftFilesTooLarge = Refusal(
            "draft_files_too_large", "a draft's files may come to at most {limit}; these come to {total}",
            "файлы проекта могут занимать не больше {limit}, а эти занимают {total}")
        public static let noAccountToPublishFrom = Refusal(
            "no_account_to_publish_from",
            "the administration has no {network} account to publish from (p.4); an admin adds it: otklik account add --network {network} --name NAME --url URL",
            "у администрации нет аккаунта в сети {network}, с которого публикуется ответ (п. 4); администратор добавляет его: `otklik account add --network {network} --name ИМЯ --url ССЫЛКА`"
        )
        public static let nameTheAccount = Refusal(
            "name_the_account", "name the {network} account the reply went out from (p.4): --account {accounts}",
            "укажите аккаунт в сети {network}, с которого ушёл ответ (п. 4): --account {accounts}")
        public static let unknownAccount = Refusal(
            "unknown_account", "\"{account}\" is not one of the administration's {network} accounts ({accounts})",
            "«{account}» нет среди аккаунтов администрации в сети {network} ({accounts})")
        public static let answerTimeRequired = Refusal(
            "answer_time_required", "give the time the author answered", "укажите, когда ответил автор (--at)")
        public static let notASHA256 = Refusal(
            "not_a_sha256", "{text} is not an attachment's SHA-256 (64 hexadecimal digits)",
            "{text} — не SHA-256 вложения (64 шестнадцатеричные цифры)")
        public static let noAttachment = Refusal(
            "no_attachment", "no attachment {sha256}; upload the file first (draft submit --attach FILE does)",
            "вложения {sha256} нет; сначала загрузите файл (это делает `otklik draft submit --attach ФАЙЛ`)")
        public static let expectedVersionRequired = Refusal(
            "expected_version_required", "give expected_version: the case version this step was decided against",
            "не указана версия дела, для которой принято решение (expected_version)")
        public static let versionConflict = Refusal(
            "version_conflict",
            "case {case} is at version {current}, not {expected}: someone changed it; read it again",
            "дело {case} уже в версии {current}, а не {expected}: его кто-то изменил; откройте его заново (`otklik case show {case}`) и повторите"
        )
        public static let attachmentGone = Refusal(
            "attachment_gone", "attachment {sha256} is no longer stored; upload the file again",
            "вложение {sha256} больше не хранится; загрузите файл заново")
        public static let badCursor = Refusal(
            "bad_cursor", "after is the next_after of a previous answer, such as {example}",
            "курсор --after берётся из предыдущего ответа, например {example}")
        public static let noSuchUnit = Refusal(
            "no_such_unit", "there is no unit \"{unit}\"; route to one of: {units}",
            "подразделения «{unit}» нет; направляйте одному из: {units}")
        public static let curatorCentreIsNoExecutor = Refusal(
            "curator_centre_is_no_executor", "{unit} is the curator centre, not an executor; route to one of: {units}",
            "{unit} — центр управления регионом, а не исполнитель; направляйте одному из: {units}")
        public static let unitWithoutExecutor = Refusal(
            "unit_without_executor", "{unit} has no active executor to answer; route to one of: {units}",
            "в подразделении {unit} нет действующего исполнителя; направляйте одному из: {units}")
        public static let searchWordRequired = Refusal(
            "search_word_required", "give a word of three letters or more to search for",
            "укажите слово для поиска: не короче трёх букв")
        public static let tooManySearchWords = Refusal(
            "too_many_search_words", "a search takes at most {limit} different words; {count} were given",
            "поиск принимает не больше {limit} разных слов, а указано {count}")
        public static let searchTooBroad = Refusal(
            "search_too_broad",
            "the search did not finish in {seconds} s; add a word, an author or a period",
            "поиск не уложился в {seconds} с; добавьте слово, автора или период")
        public static let searchRunning = Refusal(
            "search_running", "a search of yours is still running; wait for its answer",
            "ваш предыдущий поиск ещё выполняется; дождитесь ответа")
        public static let searchesBusy = Refusal(
            "searches_busy", "{running} searches are running, the most at once; try again in a moment",
            "одновременно выполняется наибольшее число поисков ({running}); повторите через несколько секунд")
        public static let notAnAssignment = Refusal(
            "not_an_assignment", "\"{text}\" is not an assignment like 2026-000123/1",
            "«{text}» — не поручение вида 2026-000123/1")
        public static let noUnitNamed = Refusal(
            "no_unit_named", "there is no unit \"{unit}\"; there are: {units}",
            "подразделения «{unit}» нет; есть: {units}")
        public static let noTopicNamed = Refusal(
            "no_topic_named", "no case of the last year has the topic \"{topic}\"; their topics: {topics}",
            "темы «{topic}» нет ни в одном деле за год; темы дел: {topics}")
        public static let noLoginNamed = Refusal(
            "no_login_named", "there is no staff member \"{login}\"; there are: {logins}",
            "сотрудника «{login}» нет; есть: {logins}")

        // A connector's calls (issue 29).
        public static let messageNotRegistered = Refusal(
            "message_not_registered", "no case has the {network} message {external_id}",
            "нет дела с сообщением {external_id} из {network}")
        public static let notAConnectorNetwork = Refusal(
            "not_a_connector_network", "{network} has no connector; the networks with one: {networks}",
            "у {network} нет коннектора; коннекторы есть у: {networks}")
        public static let notAConnectorsState = Refusal(
            "not_a_connectors_state",
            "a connector reports how it reads its network; {state} is the daemon's own finding (no report for a while), never a connector's report",
            "коннектор сообщает, как он читает соцсеть; состояние {state} — вывод самого демона (долго нет отчёта), а не отчёт коннектора"
        )
        public static let externalPrefixRequired = Refusal(
            "external_prefix_required", "external_prefix must begin with {prefix} (one community's messages)",
            "external_prefix должен начинаться с {prefix} (сообщения одного сообщества)")
        public static let publicationNotWaiting = Refusal(
            "publication_not_waiting",
            "no reply of {assignment} waits for the {network} connector: it was published, sent back, failed, or its case closed",
            "ответ по поручению {assignment} не ждёт коннектора {network}: он опубликован, возвращён, не удался или дело закрыто"
        )
        public static let publicationClaimed = Refusal(
            "publication_claimed", "another program is posting the reply of {assignment} now",
            "ответ по поручению {assignment} сейчас публикует другая программа")
        public static let publicationInFlight = Refusal(
            "publication_in_flight",
            "the {network} connector is posting the reply of {assignment} right now: look again in a few minutes (case show)",
            "коннектор {network} прямо сейчас публикует ответ по поручению {assignment}: проверьте через несколько минут (case show)"
        )
        public static let noConnectorRunning = Refusal(
            "no_connector_running",
            "no {network} connector reading this community has reported in the last 50 seconds (otklik connector list): start it, or publish by hand (--url)",
            "ни один коннектор {network}, читающий это сообщество, не сообщал о себе последние 50 секунд (`otklik connector list`): запустите его или опубликуйте вручную (--url)"
        )

        static let all: [Refusal] = [
            notAnActiveExecutor, giveWithinUnit, urlOfAnotherCase, draftFilesTooLarge, noAccountToPublishFrom,
            nameTheAccount, unknownAccount, answerTimeRequired, notASHA256, noAttachment,
            expectedVersionRequired, versionConflict, attachmentGone, badCursor, noSuchUnit, curatorCentreIsNoExecutor,
            unitWithoutExecutor, searchWordRequired, tooManySearchWords, searchTooBroad, searchRunning, searchesBusy,
            notAnAssignment, noUnitNamed, noTopicNamed, noLoginNamed, messageNotRegistered, notAConnectorNetwork,
            notAConnectorsState, externalPrefixRequired, publicationNotWaiting, publicationClaimed, publicationInFlight,
            noConnectorRunning,
        ]
    }
}
