import OtklikDesk

/// What `otklik staff` says, English and Russian side by side.
extension Say {
    enum Staff {
        static let absenceAbstract = Phrase(
            "Absences and who stands in (p.6).", "Отсутствия и кто замещает (п. 6).")
        static let active = Phrase("Active", "Активен")
        static let addAbstract = Phrase("Add a person (admin).", "Добавить сотрудника (администратор).")
        static let added = Phrase("Added", "Добавлено")
        static let updateAbstract = Phrase(
            "Change a person's name, OS user, unit or roles (admin).",
            "Изменить ФИО, пользователя ОС, подразделение или роли сотрудника (администратор).")
        static let roleHelp = Phrase(
            "curator, executor, responsible, head or admin (repeatable); connector for a network connector's own login, alone.",
            "`curator` (куратор), `executor` (исполнитель), `responsible` (ответственное лицо), `head` (руководитель) или `admin` (администратор); можно несколько раз; `connector` — собственный логин коннектора соцсети, без других ролей."
        )
        static let deactivateAbstract = Phrase(
            "Deactivate a person: they can no longer connect (admin).",
            "Отключить сотрудника: он больше не сможет подключиться (администратор).")
        static let deputy = Phrase("Deputy", "Замещает")
        static let listAbstract = Phrase("Everyone in the directory.", "Все сотрудники справочника.")
        static let absenceListAbstract = Phrase("Every recorded absence.", "Все записанные отсутствия.")
        static let from = Phrase("From", "С")
        static let absenceFromHelp = Phrase(
            "From (now, 2026-12-01 09:00, ISO 8601, ...).", "С (now, 2026-12-01 09:00, ISO 8601, ...).")
        static let nameHelp = Phrase("Full name.", "ФИО.")
        static let loginHelp = Phrase(
            "The person's login in the staff directory (e.g. roads.smirnov).",
            "Логин сотрудника в справочнике (например, roads.smirnov).")
        static let importFileHelp = Phrase("The CSV file to read.", "CSV-файл для чтения.")
        static let updateNameHelp = Phrase("A new full name.", "Новое ФИО.")
        static let updateOsUserHelp = Phrase(
            "A new OS user the person logs in with.", "Новый пользователь ОС, под которым сотрудник входит в систему.")
        static let updateUnitHelp = Phrase("A new unit.", "Новое подразделение.")
        static let importDiscussion = Phrase(
            "Header: login;full_name;os_user;unit;roles;active (',' also separates; roles then with '|'). Idempotent.",
            "Заголовок: login;full_name;os_user;unit;roles;active (разделитель также ','; роли тогда через '|'). Повторный импорт ничего не меняет."
        )
        static let importAbstract = Phrase(
            "Import staff from CSV (admin); a dry run unless --apply.",
            "Импорт сотрудников из CSV (администратор); без --apply только проверка.")
        static let absenceReasonHelp = Phrase("Leave, illness, trip...", "Отпуск, болезнь, командировка...")
        static let name = Phrase("Name", "ФИО")
        static let no = Phrase("no", "нет")
        static let dryRun = Phrase(
            "no, a dry run (add --apply to write)", "нет, пробный прогон (добавьте --apply для записи)")
        static let showAbstract = Phrase("One person.", "Один сотрудник.")
        static let reason = Phrase("Reason", "Причина")
        static let absenceRemoveAbstract = Phrase(
            "Remove a recorded absence, saying why (admin); its deputy no longer stands in.",
            "Удалить записанное отсутствие с указанием причины (администратор); заместитель больше не замещает.")
        static let absenceIDHelp = Phrase(
            "The absence's number, as `staff absence list` shows it.",
            "Номер отсутствия, как его показывает `staff absence list`.")
        static let removeReasonHelp = Phrase(
            "Why it is removed (recorded).", "Почему оно удаляется (записывается).")
        static let absenceAddAbstract = Phrase(
            "Record an absence [from, to) and the deputy (admin).",
            "Записать отсутствие [с, по) и замещающего (администратор).")
        static let updateRoleHelp = Phrase(
            "Replaces the roles when given (repeatable).", "Заменяет роли, если указаны (можно несколько раз).")
        static let exportAbstract = Phrase(
            "The directory's staff as CSV (UTF-8 with BOM, ';'), for import elsewhere.",
            "Сотрудники справочника в CSV (UTF-8 с BOM, ';') для импорта в другом месте.")
        static let unitHelp = Phrase(
            "Their unit (curators and executors need one).",
            "Его подразделение (у кураторов и исполнителей обязательно).")
        static let osUserHelp = Phrase(
            "The OS user name the person logs in with.", "Пользователь ОС, под которым сотрудник входит в систему.")
        static let staffAbstract = Phrase(
            "The staff directory: people, their OS users, units and roles; absences.",
            "Справочник сотрудников: люди, их пользователи ОС, подразделения и роли; отсутствия.")
        static let to = Phrase("To", "По")
        static let unchanged = Phrase("Unchanged", "Без изменений")
        static let absenceToHelp = Phrase(
            "Until (the same forms; a date alone takes in that whole day).",
            "По (в тех же формах; одна дата — включая весь этот день).")
        static let updated = Phrase("Updated", "Изменено")
        static let deputyHelp = Phrase("Who stands in.", "Кто замещает.")
        static let applyHelp = Phrase(
            "Write the changes (without it, only say what would change).",
            "Записать изменения (без флага — только сказать, что изменится).")
        static let written = Phrase("Written", "Записано")
        static let yes = Phrase("yes", "да")
    }
}
