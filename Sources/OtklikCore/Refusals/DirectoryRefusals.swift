// The staff directory: people, units, accounts, absences, the staff import.

extension Refusals {
    public enum Directory {
        public static let noStaffMember = Refusal(
            "no_staff_member", "no staff member {login}", "сотрудника {login} нет")
        public static let noActiveStaffMember = Refusal(
            "no_active_staff_member", "no active staff member {login}", "действующего сотрудника {login} нет")
        public static let noDeputy = Refusal(
            "no_deputy", "no active staff member {login} to stand in",
            "действующего сотрудника {login} для замещения нет")
        public static let accountNameAndURL = Refusal(
            "account_name_and_url", "an account needs a name and an http(s) URL",
            "у аккаунта должны быть имя и ссылка http(s)")
        public static let unitName = Refusal(
            "unit_name", "a unit name is letters, digits, '-' or '_'", "имя подразделения — буквы, цифры, «-» или «_»")
        public static let unitTitle = Refusal("unit_title", "give the unit a title", "укажите название подразделения")
        public static let unitKind = Refusal(
            "unit_kind", "kind is one of {kinds}", "вид подразделения — одно из: {kinds}")
        public static let standInForSelf = Refusal(
            "stand_in_for_self", "a person cannot stand in for themselves", "сотрудник не может замещать сам себя")
        public static let absenceEndsAfterStart = Refusal(
            "absence_order", "an absence ends after it starts", "отсутствие должно заканчиваться позже, чем начинается")
        public static let deputyOtherSide = Refusal(
            "deputy_other_side",
            "{deputy} is of the {deputy_party} and {login} of the {party}: a deputy comes from the same side, or the curator's control would be bypassed (p.5, p.6)",
            "{deputy} — со стороны «{deputy_party}», а {login} — «{party}»: замещает сотрудник той же стороны, иначе контроль куратора был бы обойдён (п. 5, 6)"
        )
        public static let quoteNotClosed = Refusal(
            "csv_quote_not_closed", "a quoted cell is never closed (a \" is missing)",
            "ячейка в кавычках не закрыта (не хватает \")")
        public static let fileEmpty = Refusal("file_empty", "the file is empty", "файл пуст")
        public static let staffHeader = Refusal(
            "staff_header", "the header must be {header}", "первая строка должна быть такой: {header}")
        public static let staffColumns = Refusal(
            "staff_columns", "expected 6 columns, found {count}", "нужно 6 столбцов, а их {count}")
        public static let unknownRole = Refusal(
            "unknown_role", "role \"{role}\" is not one of {roles}", "роли «{role}» нет среди: {roles}")
        public static let notALogin = Refusal(
            "login_format", "\"{login}\" is not a login (letters, digits, '.', '-', '_')",
            "«{login}» — не логин (буквы, цифры, «.», «-», «_»)")
        public static let fullNameRequired = Refusal("full_name_required", "give the full name", "укажите ФИО")
        public static let osUserRequired = Refusal(
            "os_user_required", "give the OS user name the person logs in with",
            "укажите пользователя ОС, под которым сотрудник входит в систему")
        public static let superUserMapped = Refusal(
            "super_user_mapped",
            "OS user {os_user} is root or the daemon's own user, who is always an admin; map {login} to the person's own OS user",
            "пользователь ОС {os_user} — root или пользователь демона, он всегда администратор; свяжите {login} с собственным пользователем ОС сотрудника"
        )
        public static let roleRequired = Refusal("role_required", "give at least one role", "укажите хотя бы одну роль")
        public static let curatorAndAdministration = Refusal(
            "curator_and_administration",
            "one login cannot be both curator and {other_roles}: the curator checks what the administration writes (p.5, p.6); give them two logins",
            "один логин не может быть и куратором, и {other_roles}: куратор проверяет то, что пишет администрация (п. 5, 6); заведите два логина"
        )
        public static let connectorAlone = Refusal(
            "connector_alone",
            "a connector's login is a program's, not a person's: it holds no other role than connector (not {other_roles}); give the person a login of their own",
            "логин коннектора принадлежит программе, а не человеку: у него нет других ролей, кроме коннектора (не {other_roles}); заведите человеку собственный логин"
        )
        public static let curatorOutsideCentre = Refusal(
            "curator_outside_centre", "a curator belongs to the curator centre, not to {unit}",
            "куратор состоит в центре управления регионом, а не в {unit}")
        public static let administrationInCentre = Refusal(
            "administration_in_centre",
            "{unit} is the curator centre: executors, the responsible official and the head belong to the administration",
            "{unit} — центр управления регионом: исполнители, ответственное лицо и руководитель состоят в администрации"
        )
        public static let unitMissing = Refusal(
            "unit_missing", "unit \"{unit}\" does not exist; curators and executors belong to a unit",
            "подразделения «{unit}» нет; кураторы и исполнители состоят в подразделении")
        public static let osUserTaken = Refusal(
            "os_user_taken", "OS user {os_user} already maps to {login}",
            "пользователь ОС {os_user} уже связан с {login}")

        public static let absenceOverlaps = Refusal(
            "absence_overlaps",
            "{login} is already away from {from} to {to} with {deputy} standing in (absence {id}): one deputy at a time; to change the deputy or the dates, remove that absence (staff absence remove {id}) and record the new one",
            "{login} уже отсутствует с {from} по {to}, замещает {deputy} (отсутствие {id}): заместитель у сотрудника один; чтобы сменить заместителя или даты, удалите это отсутствие (staff absence remove {id}) и запишите новое"
        )
        public static let noAbsence = Refusal("no_absence", "no absence {id}", "отсутствия {id} нет")
        public static let removalReason = Refusal(
            "removal_reason", "say why the absence is removed (--reason)",
            "укажите, почему отсутствие удаляется (--reason)")

        static let all: [Refusal] = [
            noStaffMember, noActiveStaffMember, noDeputy, accountNameAndURL, unitName, unitTitle, unitKind,
            standInForSelf, absenceEndsAfterStart, deputyOtherSide, quoteNotClosed, fileEmpty, staffHeader,
            staffColumns, unknownRole, notALogin, fullNameRequired, osUserRequired, superUserMapped, roleRequired,
            curatorAndAdministration, connectorAlone, curatorOutsideCentre, administrationInCentre, unitMissing,
            osUserTaken,
            absenceOverlaps, noAbsence, removalReason,
        ]
    }
}
