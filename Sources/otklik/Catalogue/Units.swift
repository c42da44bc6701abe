import OtklikDesk

/// What `otklik unit` says, English and Russian side by side.
extension Say {
    enum Units {
        static let addAbstract = Phrase(
            "Add or change a unit (admin).", "Добавить или изменить подразделение (администратор).")
        static let kindHelp = Phrase(
            "curator_centre, administration, department or institution.",
            "`curator_centre` (центр управления регионом), `administration` (администрация), `department` (отдел) или `institution` (учреждение)."
        )
        static let scheduleHelp = Phrase(
            "The schedule it works by (default: curator for the centre, executor otherwise).",
            "График, по которому оно работает (по умолчанию «curator» для центра, «executor» для остальных).")
        static let title = Phrase("Title", "Название")
        static let codeHelp = Phrase(
            "The unit's code (latin letters, e.g. roads): what options take.",
            "Код подразделения (латиницей, например `roads`): его принимают параметры.")
        static let titleHelp = Phrase(
            "The unit's title as people know it.", "Название подразделения, как его знают люди.")
        static let listAbstract = Phrase(
            "The units: their codes, titles, kinds and schedules.",
            "Подразделения: коды, названия, виды и графики работы.")
        static let unitAbstract = Phrase(
            "Units: the curator centre, the administration, departments, institutions.",
            "Подразделения: центр управления регионом, администрация, отделы, учреждения.")
    }
}
