#!/usr/bin/python3
"""Otklik network connector: comments under the administration's own VK community posts come in by
themselves (issue 29, intake).

    otklik-connect vk --group ID --token-file FILE [--api-url URL] [--state-dir DIR]
                      [--socket PATH | --host ssh://...] [--as LOGIN]

It logs in as a staff member with the role `connector` (a program's own login: it registers messages
and does nothing else) and takes the community's Bots Long Poll stream (`groups.getLongPollServer`,
then `a_check` with `wait=25`). Every citizen's new comment (`wall_reply_new`) becomes a registration
as `otklik message register` would make it: network `vk`, the comment's URL
(`https://vk.com/wall-G_P?reply=C`, `&thread=T` inside a thread), the author's name (`users.get`, once
per user), the text, the posting time, the detection time (when the connector received it) and the
external id `vk:-G_P_C`. The community's own comments (`from_id == -G`, its published replies) are
passed over. The stream's position (`ts`) is kept in the state directory and advanced only after the
daemon acknowledged the batch, so a crash or a restart loses nothing and registers nothing twice (the
daemon finds a comment registered before by its external id).

`failed` 1 and 3 (VK's history was cut) and `failed` 2 (the key expired) are handled as VK documents:
a new key, and for 1 and 3 the new position; the gap is reported on stderr, not hidden (sweeping the
posts' comments for what the gap held needs a service token: not built yet). Edited, deleted and
restored comments and publication are not handled yet (issue 29 goes on); they are said once on
stderr when they come.

The token is read from a file only the connector's OS user may read (refused otherwise); it is sent
only to VK, never logged, never sent to the daemon, never in a message. Transient errors (VK's 6, 9,
10, a lost connection, the daemon away) are waited out with a growing pause; a refused token (5, 27)
ends the connector with exit 77. Under a Russian locale it speaks Russian.
"""
import os
import sys
import threading

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
    from otklik_connectors.vk import DEFAULT_VK_API, VK, Intake, Publisher
except ImportError as missing:
    if __name__ != "__main__":
        raise
    print(f"otklik-connect: {sys.executable} cannot load the Otklik client beside it ({missing}): it needs protobuf 3.20 "
          "or newer (apt-get install -y python3-protobuf)", file=sys.stderr)
    sys.exit(69)


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
    vk.add_argument("--api-url", default=DEFAULT_VK_API, help=said("the API's base (default: %(default)s)",
                                                                   "адрес API (по умолчанию %(default)s)"))
    vk.add_argument("--state-dir", default=os.path.join(
        os.environ.get("XDG_STATE_HOME", os.path.expanduser("~/.local/state")), "otklik-connect"),
        help=said("where the stream's position is kept (default: %(default)s)",
                  "где хранится место в потоке (по умолчанию %(default)s)"))
    vk.add_argument("--socket", help=said("the daemon's socket (default: the CLI's)",
                                          "сокет демона (по умолчанию тот же, что у otklik)"))
    vk.add_argument("--host", help=said("the daemon on another machine: ssh://[user@]host[:port][/path/to/otklik.sock] "
                                        "(also $OTKLIK_HOST)",
                                        "демон на другой машине: ssh://[user@]host[:port][/path/to/otklik.sock] "
                                        "(или $OTKLIK_HOST)"))
    vk.add_argument("--account", default="", help=said(
        "the administration's VK account its replies go out from, as the directory names it (otklik account list; "
        "default: the only one)",
        "аккаунт администрации во ВКонтакте, от имени которого выходят ответы, как он назван в справочнике "
        "(otklik account list; по умолчанию — единственный)"))
    vk.add_argument("--as", dest="login", help=said("act as this connector's login (admins only)",
                                                    "действовать от имени логина коннектора (только администратор)"))
    args = parser.parse_args(argv)
    if args.group <= 0:
        parser.error(said("--group is the community's positive id", "--group — положительный номер сообщества"))
    token = read_token(args.token_file)
    if token is None:
        return EXIT_CONFIG
    target = args.host or args.socket  # neither: $OTKLIK_HOST, else the CLI's socket (the client decides)
    metadata = {"otklik-as": args.login} if args.login else None

    def client():
        return Client(target, metadata=metadata)

    intake = Intake(VK(args.api_url, token), client, args.group, args.state_dir)
    # Publication beside the intake, on a connection of its own: a reply goes out within seconds of the
    # curator's word while the intake waits on VK's long poll.
    publisher = Publisher(VK(args.api_url, token), client, args.group, args.state_dir, account=args.account)
    stop = threading.Event()
    outcome = {}

    def publish():
        outcome["status"] = publisher.run(stop=stop)
        stop.set()  # a refusal that stops publication stops the connector: the journal says why

    thread = threading.Thread(target=publish, daemon=True, name="publisher")
    thread.start()
    try:
        status = intake.run(stop=stop)
    except KeyboardInterrupt:
        status = 0
    stop.set()
    thread.join(timeout=5)
    return outcome.get("status") or status


if __name__ == "__main__":
    sys.exit(main())
