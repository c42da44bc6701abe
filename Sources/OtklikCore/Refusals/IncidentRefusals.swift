// The incidents' refusals (issue 31): grouping cases, routing the group, its one draft.

extension Refusals {
    public enum Incidents {
        public static let noSuchIncident = Refusal(
            "no_such_incident", "there is no incident {incident}", "инцидента {incident} нет")
        public static let incidentTitleRequired = Refusal(
            "incident_title_required", "an incident needs a title (--title): what the problem is",
            "у инцидента должно быть название (--title): в чём проблема")
        public static let incidentTitleTooLong = Refusal(
            "incident_title_too_long", "the incident's title is longer than {max} characters",
            "название инцидента длиннее {max} символов")
        public static let incidentCasesRequired = Refusal(
            "incident_cases_required", "name the cases of the incident", "укажите дела инцидента")
        public static let incidentTooLarge = Refusal(
            "incident_too_large", "incident {incident} would hold {count} cases; at most {max}",
            "в инциденте {incident} было бы {count} дел; не больше {max}")
        public static let incidentMoved = Refusal(
            "incident_moved", "incident {incident} took another step meanwhile; look at it again and repeat",
            "инцидент {incident} тем временем изменился; посмотрите его снова и повторите")
        public static let incidentGreetingNamesAuthor = Refusal(
            "incident_greeting_names_author",
            "the draft greets \"{words}\", the author of case {case}, not by the full name \"{author}\": each case of incident {incident} would be greeted so; write {author_placeholder} where each case's author goes",
            "проект обращается к «{words}» — автору дела {case} — не полным именем «{author}»: так обратились бы к автору каждого дела инцидента {incident}; напишите {author_placeholder} там, где должно стоять имя автора каждого дела"
        )
        public static let caseInAnotherIncident = Refusal(
            "case_in_another_incident",
            "case {case} is in incident {other}; take it out of that one first (otklik incident remove {other} {case})",
            "дело {case} уже в инциденте {other}; сначала исключите его оттуда (otklik incident remove {other} {case})")
        public static let caseNotInIncident = Refusal(
            "case_not_in_incident", "case {case} is not in incident {incident}",
            "дело {case} не входит в инцидент {incident}")
        public static let incidentReplyPublished = Refusal(
            "incident_reply_published",
            "the incident's reply to case {case} is published ({url}); the case stays in the incident",
            "ответ инцидента на дело {case} уже опубликован ({url}); дело остаётся в инциденте")
        public static let incidentStepOnCase = Refusal(
            "incident_step_on_case", "case {case} of incident {incident}: {detail}",
            "дело {case} инцидента {incident}: {detail}")

        static let all: [Refusal] = [
            noSuchIncident, incidentTitleRequired, incidentTitleTooLong, incidentCasesRequired,
            incidentTooLarge, incidentMoved, incidentGreetingNamesAuthor,
            caseInAnotherIncident, caseNotInIncident, incidentReplyPublished, incidentStepOnCase,
        ]
    }
}
