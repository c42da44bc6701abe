// Who may call what (the daemon's authorizer, p.5 and the rights table of docs/RIGHTS.md).

extension Refusals {
    public enum Callers {
        public static let notInDirectory = Refusal(
            "not_in_directory",
            "OS user {os_user} is not in the staff directory (or is deactivated); ask the administrator to add you: otklik staff add LOGIN --os-user {os_user} ...",
            "пользователь ОС {os_user} не найден в справочнике сотрудников (или отключён); попросите администратора добавить вас: `otklik staff add ЛОГИН --os-user {os_user} ...`"
        )
        public static let onlyAdminActsAs = Refusal(
            "only_admin_acts_as", "only an admin may act as another login",
            "действовать от имени другого сотрудника может только администратор")
        public static let noStaffToActAs = Refusal(
            "no_staff_to_act_as", "there is no active staff member \"{login}\" to act as",
            "нет действующего сотрудника «{login}», от имени которого можно действовать")
        public static let noRightsEntry = Refusal(
            "no_rights_entry", "{method} has no entry in the rights table",
            "для вызова {method} нет записи в таблице прав")
        public static let notPermitted = Refusal(
            "not_permitted", "{login} (roles: {roles}) may not call {method}; it is for: {allowed_roles}",
            "у {login} (роли: {roles}) нет права на {method}; это делает: {allowed_roles}")
        public static let notYourUnit = Refusal(
            "not_your_unit", "assignment {assignment} belongs to {unit}, not to {units}",
            "поручение {assignment} — подразделения {unit}, а не {units}")
        public static let noAssignmentOfYours = Refusal(
            "no_assignment_of_yours", "case {case} has no assignment of {units}", "в деле {case} нет поручений {units}")

        public static let rightsEnded = Refusal(
            "rights_ended",
            "the staff directory no longer lets {login} watch these events (deactivated, or no longer in a role that may); the stream ended",
            "справочник сотрудников больше не позволяет {login} получать эти события (сотрудник отключён или его роль изменилась); поток событий закрыт"
        )

        static let all: [Refusal] = [
            notInDirectory, onlyAdminActsAs, noStaffToActAs, noRightsEntry, notPermitted, notYourUnit,
            noAssignmentOfYours, rightsEnded,
        ]
    }
}
