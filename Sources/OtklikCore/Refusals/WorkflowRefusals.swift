// The workflow's refusals (Workflow.decide, the state machine of Transitions, the clocks): the
// curator's and the executor's daily path. English and Russian side by side.

extension Refusals {
    public enum Workflow {
        // The state machine (Transitions).
        public static let alreadyRegistered = Refusal(
            "already_registered", "the case is already registered", "дело уже зарегистрировано")
        public static let caseNotFound = Refusal("case_not_found", "no case {case}", "дела {case} нет")
        public static let noSuchCase = Refusal("no_such_case", "no such case", "такого дела нет")
        public static let assignmentNotFound = Refusal(
            "assignment_not_found", "case {case} has no assignment {assignment}",
            "в деле {case} нет поручения {assignment}")
        public static let assignmentFinished = Refusal(
            "assignment_finished", "assignment {assignment} is {assignment_state}; nothing more can be done with it",
            "поручение {assignment}: {assignment_state}; с ним больше ничего сделать нельзя")
        public static let caseNotOpen = Refusal(
            "case_not_open", "case {case} is {state}; nothing can be done with its assignments",
            "дело {case}: {state}; с его поручениями ничего сделать нельзя")
        public static let rejectedCannotBeRouted = Refusal(
            "rejected_cannot_be_routed", "case {case} is rejected and cannot be routed",
            "дело {case} отклонено, направить его нельзя")
        public static let cannotBeRouted = Refusal(
            "cannot_be_routed", "case {case} is {state}; it cannot be routed now",
            "дело {case}: {state}; направить его сейчас нельзя")
        public static let cannotJoinIncident = Refusal(
            "cannot_join_incident", "case {case} is {state}; only a new or routed case joins an incident",
            "дело {case}: {state}; в инцидент включается только новое или направленное дело")
        public static let cannotBeRejected = Refusal(
            "cannot_be_rejected", "case {case} is {state}; only a new or routed case can be rejected",
            "дело {case}: {state}; отклонить можно только новое или направленное дело")
        public static let cannotBeWithdrawn = Refusal(
            "cannot_be_withdrawn", "case {case} is {state}; only a new or routed case can be withdrawn",
            "дело {case}: {state}; снять можно только новое или направленное дело")
        public static let cannotLinkRepeat = Refusal(
            "cannot_link_repeat", "case {case} is {state}", "дело {case}: {state}; отметить его повторным нельзя")
        public static let importanceNoLongerMatters = Refusal(
            "importance_no_longer_matters", "case {case} is {state}; its importance no longer matters",
            "дело {case}: {state}; его важность уже не имеет значения")
        public static let withdrawnReopenFirst = Refusal(
            "withdrawn_reopen_first", "case {case} is withdrawn; reopen it first",
            "дело {case} снято; сначала возобновите его")
        public static let executorsOnlyWhenRouted = Refusal(
            "executors_only_when_routed",
            "case {case} is {state}; executors are added to a routed case (a done one is reopened)",
            "дело {case}: {state}; исполнителей добавляют к направленному делу (завершённое сначала возобновляют)")
        public static let cannotBeReopened = Refusal(
            "cannot_be_reopened", "case {case} is {state}; only a done, rejected or withdrawn case is reopened",
            "дело {case}: {state}; возобновить можно только завершённое, отклонённое или снятое дело")
        public static let assignmentState = Refusal(
            "assignment_state", "assignment {assignment} is {assignment_state}",
            "поручение {assignment}: {assignment_state}; этот шаг сейчас невозможен")
        public static let noDraftNow = Refusal(
            "no_draft_now", "assignment {assignment} is {assignment_state}; no draft can be submitted now",
            "поручение {assignment}: {assignment_state}; направить проект сейчас нельзя")
        public static let noDraftInReview = Refusal(
            "no_draft_in_review", "assignment {assignment} has no draft waiting for review (it is {assignment_state})",
            "по поручению {assignment} нет проекта, ожидающего проверки ({assignment_state})")
        public static let noApprovedDraft = Refusal(
            "no_approved_draft", "assignment {assignment} has no approved draft to publish (it is {assignment_state})",
            "по поручению {assignment} нет согласованного проекта для публикации ({assignment_state})")
        public static let notWaitingForAuthor = Refusal(
            "not_waiting_for_author",
            "assignment {assignment} is not waiting for the author (it is {assignment_state})",
            "поручение {assignment} не ждёт ответа автора ({assignment_state})")
        public static let reviewBeforeReroute = Refusal(
            "review_before_reroute", "a draft of {assignment} waits for review: return it first, then reroute",
            "проект по поручению {assignment} ждёт проверки: сначала верните его, потом перенаправляйте")
        public static let rerouteNotNow = Refusal(
            "reroute_not_now",
            "assignment {assignment} is {assignment_state}; it can be rerouted only while none of its drafts is approved",
            "поручение {assignment}: {assignment_state}; перенаправить его можно, только пока ни один проект не согласован"
        )
        public static let alreadyCancelled = Refusal(
            "already_cancelled", "assignment {assignment} is {assignment_state} already",
            "поручение {assignment} уже в состоянии «{assignment_state}»")

        public static let noPublicationRequested = Refusal(
            "no_publication_requested",
            "assignment {assignment} has no publication waiting for a connector (it is {assignment_state})",
            "по поручению {assignment} нет публикации, ожидающей коннектора ({assignment_state})")

        // Publication through a connector (issue 29).
        public static let publicationAlreadyRequested = Refusal(
            "publication_already_requested",
            "the reply of {assignment} is with the {network} connector already: it publishes it or says why it cannot",
            "ответ по поручению {assignment} уже передан коннектору {network}: он опубликует его или сообщит, почему не может"
        )
        public static let publicationNetwork = Refusal(
            "publication_network",
            "case {case} came from {case_network}; its reply goes out there, not through {network}",
            "сообщение дела {case} пришло из {case_network}; ответ публикуется там, а не через {network}")
        public static let noConnector = Refusal(
            "no_connector", "{network} has no connector; publish the reply by hand and record its URL (--url)",
            "у {network} нет коннектора; опубликуйте ответ вручную и укажите его ссылку (--url)")
        public static let notFromConnector = Refusal(
            "not_from_connector",
            "case {case} did not come through the {network} connector (its external id does not begin with {prefix}): "
                + "publish the reply by hand and record its URL (--url)",
            "сообщение дела {case} пришло не через коннектор {network} (внешний номер не начинается с {prefix}): "
                + "опубликуйте ответ вручную и укажите его ссылку (--url)")

        // The steps' own checks (Workflow.decide).
        public static let repeatOfItself = Refusal(
            "repeat_of_itself", "a case cannot repeat itself", "дело не может повторять само себя")
        public static let alreadyLinked = Refusal(
            "already_linked", "case {case} is already linked to {repeat_of}",
            "дело {case} уже отмечено как повтор {repeat_of}")
        public static let nothingToWaive = Refusal(
            "nothing_to_waive", "no evidence rule holds back the draft of {assignment}; there is nothing to waive",
            "проект по поручению {assignment} не задержан требованием фото или видео; снимать нечего")
        public static let repeatNeedsMeasuresToApprove = Refusal(
            "repeat_needs_measures",
            "case {case} repeats {repeat_of}: a reply must state the measures taken (p.18); return the draft for them",
            "дело {case} повторяет {repeat_of}: в ответе должны быть указаны принятые меры (п. 18); верните проект, чтобы их добавили"
        )
        public static let evidenceMissing = Refusal(
            "evidence_missing",
            "the profile's evidence rule for {topics}: a final reply stating the measures taken carries a photo or video (p.19), and this draft has none; return it for one, or waive the rule with a reason (draft waive-evidence)",
            "по правилу профиля для тем «{topics}» окончательный ответ о принятых мерах сопровождается фото или видео (п. 19), а в этом проекте их нет; верните проект или снимите требование с указанием причины (`otklik draft waive-evidence`)"
        )
        public static let formalReply = Refusal(
            "formal_reply",
            "the regulation profile refuses the draft: it reads like a formal answer ({quality_rules}); name a date, a term or the measures taken, and answer what the post asks",
            "профиль регламента не принимает проект: он похож на формальный ответ ({quality_rules}); укажите дату, срок или принятые меры и ответьте на то, о чём спрашивают в сообщении"
        )
        public static let notALogin = Refusal("not_a_login", "\"{login}\" is not a login", "«{login}» — не логин")
        public static let unitAlreadyAssigned = Refusal(
            "unit_already_assigned", "{unit} already has an assignment in case {case}",
            "у подразделения {unit} уже есть поручение по делу {case}")
        public static let unitTopicsRequired = Refusal(
            "unit_topics_required", "name the topic(s) {unit} answers for (p.7, p.17)",
            "укажите темы, за которые отвечает {unit} (п. 7, 17)")
        public static let publishedCannotBeCancelled = Refusal(
            "published_cannot_be_cancelled", "assignment {assignment} has a published reply; it cannot be cancelled",
            "по поручению {assignment} уже опубликован ответ; отменить его нельзя")
        public static let onlyAssignment = Refusal(
            "only_assignment",
            "assignment {assignment} is the case's only one: reroute it to the right unit, or withdraw the case",
            "поручение {assignment} — единственное в деле: перенаправьте его в нужное подразделение или снимите дело")
        public static let unknownNetwork = Refusal(
            "unknown_network", "network \"{network}\" is not one of {networks}",
            "сети «{network}» нет среди: {networks}")
        public static let postURLScheme = Refusal(
            "post_url_scheme", "the post's URL must start with http:// or https://",
            "ссылка на пост должна начинаться с http:// или https://")
        public static let postedAfterDetected = Refusal(
            "posted_after_detected", "the post cannot have been written after it was detected",
            "пост не мог быть написан позже, чем его выявили")
        public static let noExecutor = Refusal(
            "no_executor", "name at least one executor", "укажите хотя бы одного исполнителя")
        public static let executorTwice = Refusal(
            "executor_twice", "an executor is named twice", "исполнитель указан дважды")
        public static let topicsForOtherUnit = Refusal(
            "topics_for_other_unit", "topics are given for {unit}, which is not among the executors",
            "темы указаны для {unit}, а его нет среди исполнителей")
        public static let assignmentTopicsRequired = Refusal(
            "assignment_topics_required", "set the topic(s) of {unit}'s assignment (p.7): --topic {unit}=TOPIC",
            "укажите темы поручения для {unit} (п. 7): --topic {unit}=ТЕМА")
        public static let alreadyTheUnits = Refusal(
            "already_the_units", "assignment {assignment} is {unit}'s already", "поручение {assignment} и так у {unit}")
        public static let detectedAfterRouted = Refusal(
            "detected_after_routed", "the message cannot have been detected after it was routed",
            "сообщение не могло быть выявлено позже, чем его направили")
        public static let nothingToCorrect = Refusal(
            "nothing_to_correct", "nothing to correct: every value given is the case's already",
            "исправлять нечего: все указанные значения уже такие")
        public static let freshCycleExecutors = Refusal(
            "fresh_cycle_executors", "name the executor(s) of the fresh cycle", "укажите исполнителей нового цикла")
        public static let reopenReturnsWhereItWas = Refusal(
            "reopen_returns_where_it_was",
            "a {state} case returns to where it was; route or add executors after reopening it",
            "дело ({state}) возвращается туда, где было; направляйте или добавляйте исполнителей после возобновления")
        public static let draftKindNotNow = Refusal(
            "draft_kind_not_now", "a {draft_kind} draft is not allowed now",
            "проект вида «{draft_kind}» сейчас недопустим")
        public static let repeatNeedsMeasures = Refusal(
            "repeat_reply_needs_measures",
            "case {case} repeats {repeat_of}: its reply must state the measures taken or the progress (p.18); give --measures",
            "дело {case} повторяет {repeat_of}: в ответе нужно указать принятые меры или ход работы (п. 18); укажите --measures"
        )
        public static let notAReturnedFile = Refusal(
            "not_a_returned_file", "{sha256} is not among the files of the draft returned on {assignment}",
            "файла {sha256} нет среди файлов проекта, возвращённого по поручению {assignment}")
        public static let tooManyFiles = Refusal(
            "too_many_files", "a draft carries at most {max} files, not {count}",
            "к проекту можно приложить не больше {max} файлов, а не {count}")
        public static let replyURLScheme = Refusal(
            "reply_url_scheme", "the published reply's URL must start with http:// or https://",
            "ссылка на опубликованный ответ должна начинаться с http:// или https://")
        public static let replyURLRequired = Refusal(
            "reply_url_required",
            "give the published reply's URL (--url), or hand the reply to the {network} connector where it has one (--via)",
            "укажите ссылку на опубликованный ответ (--url) или передайте ответ коннектору {network}, если он есть (--via)"
        )
        public static let replyURLHost = Refusal(
            "reply_url_host", "the message is in {network}: the reply's URL must be on {hosts}, not {host}",
            "сообщение в сети {network}: ответ должен быть на {hosts}, а не на {host}")
        public static let accountRequired = Refusal(
            "account_required", "name the administration's {network} account the reply went out from (p.4): --account",
            "укажите аккаунт администрации в сети {network}, с которого ушёл ответ (п. 4): --account")
        public static let separationOfDuties = Refusal(
            "separation_of_duties",
            "{login} submitted this draft of {assignment} and may not {action} it: the curator checks what the executor wrote (p.5, p.13)",
            "{login} направил(а) этот проект по поручению {assignment} и не может {action} его: написанное исполнителем проверяет куратор (п. 5, 13)"
        )
        public static let notAUnitName = Refusal(
            "not_a_unit_name", "\"{unit}\" is not a unit name (letters, digits, '-', '_')",
            "«{unit}» — не имя подразделения (буквы, цифры, «-», «_»)")
        public static let postURLHost = Refusal(
            "post_url_host", "a {network} post's URL is on {hosts}, not {host}",
            "пост сети {network} должен быть на {hosts}, а не на {host}")
        public static let timeInFuture = Refusal(
            "time_in_future", "{field} lies in the future", "{field}: это время ещё не наступило")
        public static let yearNotCovered = Refusal(
            "year_not_covered",
            "{field} falls in {year}, a year the production calendar does not cover ({covered}); check the year, or import that year's calendar first",
            "{field} приходится на {year} год, которого нет в производственном календаре ({covered}); проверьте год или сначала импортируйте календарь на этот год"
        )
        public static let tooOld = Refusal(
            "too_old",
            "{field} is {days} days ago, more than {max_days}: check the date; if it is right, confirm with --allow-old",
            "{field} — {days} дн. назад, больше {max_days}: проверьте дату; если она верна, подтвердите флагом --allow-old"
        )
        public static let beforePrevious = Refusal(
            "before_previous", "{field} cannot come before {previous_field}",
            "{field} не может быть раньше, чем {previous_field}")
        public static let emptyText = Refusal("empty_text", "{field} is empty", "{field}: пусто")
        public static let topicTooLong = Refusal(
            "topic_too_long", "topic \"{topic}...\" is too long", "тема «{topic}…» слишком длинная")
        public static let clocksNotComputed = Refusal(
            "clocks_not_computed", "{detail}",
            "сроки не вычисляются (скорее всего, дата вне лет производственного календаря): `{detail}`")
        public static let profileScheduleMissing = Refusal(
            "profile_schedule_missing", "the profile counts in schedule \"{schedule}\", which does not exist",
            "профиль считает сроки по графику «{schedule}», которого нет")

        static let all: [Refusal] = [
            alreadyRegistered, caseNotFound, noSuchCase, assignmentNotFound, assignmentFinished, caseNotOpen,
            rejectedCannotBeRouted, cannotBeRouted, cannotJoinIncident, cannotBeRejected, cannotBeWithdrawn,
            cannotLinkRepeat,
            importanceNoLongerMatters, withdrawnReopenFirst, executorsOnlyWhenRouted, cannotBeReopened, assignmentState,
            noDraftNow, noDraftInReview, noApprovedDraft, notWaitingForAuthor, reviewBeforeReroute, rerouteNotNow,
            alreadyCancelled, repeatOfItself, alreadyLinked, nothingToWaive, repeatNeedsMeasuresToApprove,
            evidenceMissing, formalReply, notALogin, unitAlreadyAssigned, unitTopicsRequired,
            publishedCannotBeCancelled,
            onlyAssignment, unknownNetwork, postURLScheme, postedAfterDetected, noExecutor, executorTwice,
            topicsForOtherUnit, assignmentTopicsRequired, alreadyTheUnits, detectedAfterRouted, nothingToCorrect,
            freshCycleExecutors, reopenReturnsWhereItWas, draftKindNotNow, repeatNeedsMeasures, notAReturnedFile,
            tooManyFiles, replyURLScheme, replyURLHost, accountRequired, separationOfDuties, notAUnitName, postURLHost,
            timeInFuture, yearNotCovered, tooOld, beforePrevious, emptyText, topicTooLong, clocksNotComputed,
            profileScheduleMissing, noPublicationRequested, publicationAlreadyRequested, publicationNetwork,
            noConnector, notFromConnector, replyURLRequired,
        ]
    }
}
