/// The command-line parser's own sentences (swift-argument-parser writes them in English: help
/// headings, usage lines, errors about options and arguments) as a Russian reader gets them. Each
/// rule names one sentence of the parser; what it quotes (option names, values) is kept as given.
public enum ParserMessages {
    /// English pattern (a regular expression over one line) and its Russian, `$1`... the captures.
    static let rules: [(pattern: String, russian: String)] = [
        (#"^Error: (.*)$"#, "Ошибка: $1"),
        (#"Missing expected argument '(.+?)'"#, "не хватает аргумента $1"),
        (#"Missing one of: (.+)"#, "нужно одно из: $1"),
        (#"Unknown option '(.+?)'\. Did you mean '(.+?)'\?"#, "неизвестный параметр $1; может быть, $2?"),
        (#"Unknown option '(.+?)'"#, "неизвестный параметр $1"),
        (#"Invalid option: (.+)"#, "неверный параметр: $1"),
        (#"Missing value for '(.+?)'"#, "не указано значение $1"),
        (#"Unexpected argument '(.+?)'"#, "лишний аргумент $1"),
        (#"(\d+) unexpected arguments: (.+)"#, "лишние аргументы ($1): $2"),
        (
            #"The option '(.+?)' does not take any value, but '(.+?)' was specified\."#,
            "параметр $1 не принимает значения, а указано $2."
        ),
        (#"The value '(.*?)' is invalid for '(.+?)'"#, "значение «$1» не подходит для $2"),
        (#"The value '(.*?)' is invalid\."#, "значение «$1» не подходит."),
        (#"Value to be set with (.+) had already been set with (.+)"#, "значение $1 уже задано через $2"),
        (#"^Usage: "#, "Использование: "),
        (#"^USAGE: "#, "ИСПОЛЬЗОВАНИЕ: "),
        (#"^OVERVIEW: "#, "ОПИСАНИЕ: "),
        (#"^ARGUMENTS:$"#, "АРГУМЕНТЫ:"),
        (#"^OPTIONS:$"#, "ПАРАМЕТРЫ:"),
        (#"^SUBCOMMANDS:$"#, "КОМАНДЫ:"),
        (#"See '(.+?) <subcommand>' for detailed help\."#, "Справка по команде: `$1 <команда>`."),
        (#"See '(.+?)' for more information\."#, "Подробнее: `$1`."),
        (#"Show help information\."#, "Показать справку."),
        (#"Show the version\."#, "Показать версию."),
        // The parser wraps help text: these may run over a line break and its indentation.
        (#"\(values:(\s+)([^;)]+?);(\s+)default:(\s+)([^)]+?)\)"#, "(значения:$1`$2`;$3по$4умолчанию: `$5`)"),
        (#"\(values:(\s+)([^)]+?)\)"#, "(значения:$1`$2`)"),
        (#"\(default(\s+)as(\s+)flag:(\s+)([^)]+?)\)"#, "(по$1умолчанию$2как флаг:$3`$4`)"),
        (#"\(default:(\s+)([^)]+?)\)"#, "(по умолчанию:$1`$2`)"),
        (#"^Help:  "#, "Справка: "),
        (#"<subcommand>"#, "<команда>"),
        (#"<options>"#, "<параметры>"),
    ]

    /// `text` (one or many lines of the parser's) in Russian.
    public static func russian(_ text: String) -> String {
        // Compiled per call: the parser speaks once per run, on an error or a help screen.
        let compiled = rules.compactMap { rule in (try? Regex(rule.pattern)).map { ($0, rule.russian) } }
        var text = text
        for (regex, russian) in compiled {
            text = text.replacing(regex.anchorsMatchLineEndings()) { match in
                var out = russian
                // Captures from the last down, so that $1 does not eat $10.
                for index in stride(from: match.output.count - 1, through: 1, by: -1) {
                    let value = match.output[index].substring.map(String.init) ?? ""
                    out = out.replacingAll("$\(index)", with: value)
                }
                return out
            }
        }
        return text
    }

    /// As the reader's language asks.
    public static func localized(_ text: String, in language: Language = .current) -> String {
        language == .russian ? russian(text) : text
    }
}

extension String {
    fileprivate func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        return self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
