import OtklikDesk
import Testing

/// The parser's English, as a Russian reader gets it.
@Suite struct ParserMessagesTests {
    @Test func errorsAndHelpHeadingsAreRussian() {
        #expect(
            ParserMessages.russian("Error: Missing expected argument '<id>'")
                == "Ошибка: не хватает аргумента <id>")
        #expect(
            ParserMessages.russian("Error: Unknown option '--stat'. Did you mean '--state'?")
                == "Ошибка: неизвестный параметр --stat; может быть, --state?")
        #expect(
            ParserMessages.russian("Error: The value 'x' is invalid for '--limit <limit>'")
                == "Ошибка: значение «x» не подходит для --limit <limit>")
        #expect(
            ParserMessages.russian("Error: 2 unexpected arguments: 'a', 'b'")
                == "Ошибка: лишние аргументы (2): 'a', 'b'")
        #expect(
            ParserMessages.russian("  See 'otklik case show --help' for more information.")
                == "  Подробнее: `otklik case show --help`.")
        #expect(ParserMessages.russian("OPTIONS:") == "ПАРАМЕТРЫ:")
        #expect(
            ParserMessages.russian("  --limit <limit>   At most this many. (default: 50)")
                == "  --limit <limit>   At most this many. (по умолчанию: `50`)")
        #expect(ParserMessages.russian("  -h, --help   Show help information.") == "  -h, --help   Показать справку.")
        // What the parser quotes stays as given, even with a dollar sign in it.
        #expect(ParserMessages.russian("Error: Unexpected argument '$1x'") == "Ошибка: лишний аргумент $1x")
        #expect(
            ParserMessages.localized("Error: Unexpected argument 'a'", in: .english) == "Error: Unexpected argument 'a'"
        )
    }

    @Test func noRussianLineOfTheParserKeepsAWireWord() {
        let help = """
            USAGE: otklik <subcommand>
            OPTIONS:
              --version   Show the version.
            See 'otklik help <subcommand>' for detailed help.
            """
        let russian = ParserMessages.russian(help)
        #expect(!russian.contains("USAGE") && !russian.contains("OPTIONS") && russian.contains("<команда>"))
    }
}
