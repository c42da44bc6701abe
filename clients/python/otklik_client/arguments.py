"""A command line in the reader's language for the Python helpers (the notifier, the connectors):
argparse's own words ("usage:", "error", "options", the help option's line) said as the otklik CLI says
them, English or Russian by `russian()` (the first of LC_ALL, LC_MESSAGES, LANG that is set).

    from otklik_client.arguments import Parser, said
    parser = Parser(description=said("What it does.", "Что делает."))
    options = parser.options()          # the group every option goes in, with -h/--help
    options.add_argument("--socket", help=said("the daemon's socket", "сокет демона"))
"""
import argparse
import sys

from .words import _russian


def russian() -> bool:
    """Whether the reader's locale is Russian, as the otklik CLI decides it."""
    return _russian(None)


def said(english: str, russian_text: str) -> str:
    """The one of the two in the reader's language."""
    return russian_text if russian() else english


class Help(argparse.HelpFormatter):
    """argparse's help with its own word ("usage:") in the reader's language."""

    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, said("usage: ", "использование: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """argparse's parser saying its own words ("error", "options") in the reader's language."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", Help)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)

    def options(self):
        """The group the options go in, headed "options" ("параметры"), holding -h/--help."""
        group = self.add_argument_group(said("options", "параметры"))
        group.add_argument("-h", "--help", action="help",
                           help=said("show this help message and exit", "показать эту справку и выйти"))
        return group

    def error(self, message):
        """As argparse's, its own word ("error") in the reader's language (what follows is argparse's)."""
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {said('error', 'ошибка')}: {message}\n")
