#!/usr/bin/python3
"""Otklik network connectors (issue 29, docs/CONNECTORS.md): comments under the administration's own
VK community posts and Telegram channel posts come in by themselves, and approved replies go out from
the administration's account with their URLs recorded.

    otklik-connect vk --group ID --token-file FILE [--service-token-file FILE] [--api-url URL]
                      [--state-dir DIR] [--account NAME] [--socket PATH | --host ssh://...] [--as LOGIN]
    otklik-connect telegram --token-file FILE --channel USERNAME --discussion-chat ID [--api-url URL]
                      [--state-dir DIR] [--account NAME] [--socket PATH | --host ssh://...] [--as LOGIN]

Each runs two loops on connections of their own: the intake (the network's long poll: every citizen's
comment registered, edits, deletions and restorations recorded on their cases, the position kept and
advanced only after the daemon acknowledged; VK's gaps swept with a service token) and the publisher
(the replies the curator handed to it, claimed, posted as a reply to the citizen's comment, recorded with
their URL, a journal kept so that nothing is posted twice). It logs in with the role `connector` and
tells the daemon how it stands (`otklik connector list`). The tokens are read from files only the
connector's OS user may read, and never appear in a message or reach the daemon. Exit 64: a token or
state file that cannot be used; 77: a token or login refused; 70: an error no part of it expects (its
service restarts it). Under a Russian locale it speaks Russian.
"""
import os
import re
import sys
import threading
import urllib.parse

HERE = os.path.dirname(os.path.realpath(__file__))  # (run through the otklik-connect link on PATH)
CLIENT = os.environ.get("OTKLIK_PYTHON_CLIENT") or next(
    (path for path in (os.path.join(HERE, "..", "python"), os.path.join(HERE, "..", "python-client"))
     if os.path.isdir(os.path.join(path, "otklik_client"))), os.path.join(HERE, "..", "python"))
sys.path.insert(0, CLIENT)
sys.path.insert(0, HERE)

try:
    from otklik_client import Client
    from otklik_client.arguments import Parser, said
    from otklik_connectors.common import EXIT_CONFIG, read_token
    from otklik_connectors.telegram import DEFAULT_TELEGRAM_API, Telegram
    from otklik_connectors.telegram import Intake as TelegramIntake
    from otklik_connectors.telegram_publication import Publisher as TelegramPublisher
    from otklik_connectors.vk import DEFAULT_VK_API, VK
    from otklik_connectors.vk import Publisher as VKPublisher
    from otklik_connectors.vk import Intake as VKIntake
except ImportError as missing:
    if __name__ != "__main__":
        raise
    print(f"otklik-connect: {sys.executable} cannot load the Otklik client beside it ({missing}): it needs protobuf 3.20 "
          "or newer (apt-get install -y python3-protobuf)", file=sys.stderr)
    sys.exit(69)

# A channel's username: Latin letters, digits and _, starting with a letter (Telegram's own are 5 to 32
# long; some sold at auction are 4).
CHANNEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")


def daemon_options(options):
    """The options every network's connector shares: where it keeps its position, and the daemon."""
    options.add_argument("--state-dir", default=os.path.join(
        os.environ.get("XDG_STATE_HOME", os.path.expanduser("~/.local/state")), "otklik-connect"),
        help=said("where the stream's position is kept (default: %(default)s)",
                  "где хранится место в потоке (по умолчанию %(default)s)"))
    options.add_argument("--socket", help=said("the daemon's socket (default: the CLI's)",
                                               "сокет демона (по умолчанию тот же, что у otklik)"))
    options.add_argument("--host", help=said("the daemon on another machine: ssh://[user@]host[:port][/path/to/otklik.sock] "
                                             "(also $OTKLIK_HOST)",
                                             "демон на другой машине: ssh://[user@]host[:port][/path/to/otklik.sock] "
                                             "(или $OTKLIK_HOST)"))
    options.add_argument("--account", default="", help=said(
        "the administration's account in the network its replies go out from, as the directory names it "
        "(otklik account list; default: the only one)",
        "аккаунт администрации в соцсети, от имени которого выходят ответы, как он назван в справочнике "
        "(otklik account list; по умолчанию — единственный)"))
    options.add_argument("--as", dest="login", help=said("act as this connector's login (admins only)",
                                                         "действовать от имени логина коннектора (только администратор)"))


def main(argv=None):
    parser = Parser(prog="otklik-connect", description=said(
        "Otklik network connector: comments under the administration's own community posts become cases.",
        "Коннектор соцсетей «Отклика»: комментарии под постами сообщества администрации становятся делами."))
    parser.options()
    networks = parser.add_subparsers(dest="network", required=True, title=said("networks", "соцсети"))
    vk = networks.add_parser("vk", help=said("the VK community's comments (Bots Long Poll API)",
                                             "комментарии сообщества ВКонтакте (Bots Long Poll API)")).options()
    vk.add_argument("--group", required=True, type=int, help=said("the community's id (positive)",
                                                                  "номер сообщества (положительный)"))
    vk.add_argument("--token-file", required=True, help=said("a file holding the community token, mode 600",
                                                              "файл с токеном сообщества, права 600"))
    vk.add_argument("--service-token-file", help=said(
        "a file holding the app's service token, mode 600: with it a gap in the stream is swept from the recent "
        "posts' comments (wall.getComments)",
        "файл с сервисным ключом приложения, права 600: с ним пропуск в потоке восполняется обходом комментариев "
        "последних постов (wall.getComments)"))
    vk.add_argument("--api-url", default=DEFAULT_VK_API, help=said("the API's base (default: %(default)s)",
                                                                   "адрес API (по умолчанию %(default)s)"))
    daemon_options(vk)
    telegram = networks.add_parser("telegram", help=said(
        "the Telegram channel's comments, read by a bot administering its discussion group (Bot API)",
        "комментарии канала Telegram, которые читает бот-администратор его группы обсуждения (Bot API)")).options()
    telegram.add_argument("--token-file", required=True, help=said("a file holding the bot's token, mode 600",
                                                                    "файл с токеном бота, права 600"))
    telegram.add_argument("--channel", required=True, help=said("the channel's username (as in https://t.me/USERNAME)",
                                                                "имя канала (как в https://t.me/ИМЯ)"))
    telegram.add_argument("--discussion-chat", required=True, type=int, help=said(
        "the discussion group's chat id (-100...)", "номер чата группы обсуждения (-100...)"))
    telegram.add_argument("--api-url", default=DEFAULT_TELEGRAM_API, help=said(
        "the Bot API's base (default: %(default)s)", "адрес Bot API (по умолчанию %(default)s)"))
    daemon_options(telegram)
    args = parser.parse_args(argv)
    address = urllib.parse.urlsplit(args.api_url)
    if address.scheme not in ("http", "https") or not address.hostname:
        # Checked before any call: a token is part of the Bot API's path, and an address urllib cannot use
        # would be said with it.
        parser.error(said(f"--api-url is an http:// or https:// address, not {args.api_url!r}",
                          f"--api-url — адрес http:// или https://, а не {args.api_url!r}"))
    if args.network == "vk" and args.group <= 0:
        parser.error(said("--group is the community's positive id", "--group — положительный номер сообщества"))
    if args.network == "telegram":
        args.channel = args.channel.removeprefix("https://").removeprefix("t.me/").lstrip("@")
        if not CHANNEL_NAME.fullmatch(args.channel):
            parser.error(said(f"--channel is the channel's username (Latin letters, digits, _), not {args.channel!r}",
                              f"--channel — имя канала (латинские буквы, цифры, _), а не {args.channel!r}"))
        if args.discussion_chat > -1_000_000_000_000:
            parser.error(said("--discussion-chat is the group's chat id as the Bot API gives it: -100...",
                              "--discussion-chat — номер чата группы, как его даёт Bot API: -100..."))
    token = read_token(args.token_file)
    if token is None:
        return EXIT_CONFIG
    target = args.host or args.socket  # neither: $OTKLIK_HOST, else the CLI's socket (the client decides)
    metadata = {"otklik-as": args.login} if args.login else None

    def client():
        return Client(target, metadata=metadata)

    if args.network == "vk":
        service = None
        if args.service_token_file:
            service_token = read_token(args.service_token_file)
            if service_token is None:
                return EXIT_CONFIG
            service = VK(args.api_url, service_token)
        intake = VKIntake(VK(args.api_url, token), client, args.group, args.state_dir, service=service)
        publisher = VKPublisher(VK(args.api_url, token), client, args.group, args.state_dir, account=args.account)
    else:
        intake = TelegramIntake(Telegram(args.api_url, token), client, args.channel, args.discussion_chat,
                                args.state_dir)
        publisher = TelegramPublisher(Telegram(args.api_url, token), client, args.discussion_chat, args.state_dir,
                                      account=args.account)
    # Publication beside the intake, on a connection of its own: a reply goes out within seconds of the
    # curator's word while the intake waits on the network's long poll.
    stop = threading.Event()
    outcome = {}

    def publish():
        outcome["status"] = publisher.run(stop=stop)
        stop.set()  # a refusal that stops publication stops the connector: the journal says why

    threading.Thread(target=publish, daemon=True, name="publisher").start()
    try:
        status = intake.run(stop=stop)
    except KeyboardInterrupt:
        status = 0
    stop.set()
    return outcome.get("status") or status


if __name__ == "__main__":
    sys.exit(main())
