"""The client's exceptions: one class per status code, each carrying the daemon's machine reason.

    try:
        client.route("2026-000123", expected_version=3, executors=["roads"])
    except VersionConflict as error:          # ABORTED
        print(error.reason, error.arguments)  # "version_conflict" {"case": ..., "current": "4", ...}
    except RPCError as error:                 # any other refusal
        print(error.code.name, error.message)

`reason` and `arguments` come from the refusal's ErrorInfo (docs/PROTOCOL.md lists every reason and
its arguments); they are "" and {} for a status without one (the transport's own).
"""

import enum
import re


class StatusCode(enum.IntEnum):
    """gRPC status codes, as carried in the ttrpc envelope."""

    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16

    @classmethod
    def from_wire(cls, value: int) -> "StatusCode":
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN


ERROR_INFO_TYPE = "type.googleapis.com/otklik.v1.ErrorInfo"


class RPCError(Exception):
    """A call ended with a status other than OK: `code` (a StatusCode), `message` (the daemon's English
    sentence), `reason` and `arguments` (the machine reason and its values), `details` (the raw Any list),
    `hint` (what to do instead, "" when nothing: an admin refused a party's step is told to act as someone
    who may take it). str() is the code, the message and the hint.
    Raised as the subclass of its code (NotFound, VersionConflict, ...); catch RPCError for any."""

    code = StatusCode.UNKNOWN

    def __new__(cls, code=None, message: str = "", details=()):
        if cls is RPCError and code is not None:
            cls = _BY_CODE.get(StatusCode.from_wire(int(code)), RPCError)
        return super().__new__(cls)

    def __init__(self, code=None, message: str = "", details=()):
        self.code = StatusCode.from_wire(int(code)) if code is not None else type(self).code
        self.message = message
        self.details = list(details)
        self.reason, self.arguments = _reason(self.details)
        self.hint = _hint(self.code, self.reason, self.arguments)
        said = f"{self.code.name}: {message}" if message else self.code.name
        super().__init__(f"{said}. {self.hint}" if self.hint else said)

    def __reduce__(self):
        return (RPCError, (int(self.code), self.message, self.details))

    def sentence(self, russian=None, unit_titles=None) -> str:
        """The refusal as a person reads it, as the otklik CLI says it: the catalogue's sentence for `reason`
        (generated into `_refusals.py` from the daemon's own) in Russian or English (`russian`: True, False, or
        None for the locale's choice), its arguments spoken (states, roles, fields, networks as words; units by
        their titles from `unit_titles`, a dict code -> title, when given); without a reason this client knows,
        a sentence by the status code with the daemon's own after it."""
        from . import _refusals, words
        russian = words._russian(russian)
        known = _refusals.REFUSALS.get(self.reason)
        if known is not None:
            if not russian:
                return self.message or known[0]
            text = _fill(known[1], self.arguments, lambda name, value: _spoken_russian(name, value, unit_titles or {}))
            if "file" in self.arguments:
                return f"{self.arguments['file']}: {text}"
            return f"строка {self.arguments['line']}: {text}" if "line" in self.arguments else text
        general = _refusals.BY_CODE.get(int(self.code), _refusals.BY_CODE[int(StatusCode.UNKNOWN)])[1 if russian else 0]
        if not self.message:
            return general
        return f"{general} ({self.message})" if russian else f"{general}: {self.message}"


def _fill(template, arguments, spoken):
    """`template` with each {name} replaced by spoken(name, arguments[name]); an unknown name left as it is
    (Refusal.fill)."""
    return re.sub(r"\{([^{}]+)\}", lambda match: spoken(match.group(1), arguments[match.group(1)])
                  if match.group(1) in arguments else match.group(0), template)


def _spoken_russian(name, value, unit_titles):
    """An argument of a Russian sentence as a Russian reader reads it (RefusalText.spokenRussian)."""
    from . import _refusals, words

    def unit(code):
        title = unit_titles.get(code)
        return f"«{title}» ({code})" if title else code

    def role(word, table=None):
        word = word.strip()
        if word == "none":
            return "нет"
        if table and word in table:
            return table[word]
        return words.spoken(words.Role, word, russian=True)

    enums = {"state": words.CaseState, "assignment_state": words.AssignmentState, "draft_kind": words.DraftKind}
    if name in enums:
        return words.spoken(enums[name], value, russian=True)
    if name == "quality_rules":
        return "; ".join(words.spoken(words.QualityRule, word.strip(), russian=True) for word in value.split(","))
    if name in ("roles", "allowed_roles"):
        return ", ".join(role(word) for word in value.split(","))
    if name == "other_roles":
        return ", и ".join(role(word, _refusals.INSTRUMENTAL) for word in value.split(","))
    if name == "unit":
        return unit(value)
    if name == "units":
        return ", ".join(unit(code.strip()) for code in value.split(","))
    if name in ("field", "previous_field", "path"):
        return _refusals.FIELDS.get(value, f"`{value}`")
    if name == "action":
        return _refusals.ACTIONS.get(value, value)
    if name == "kind":
        return _refusals.FILE_KINDS.get(value, value)
    if name in ("party", "deputy_party"):
        return _refusals.PARTIES.get(value, value)
    if name == "network":
        return words.network_name(value, russian=True)
    if name == "method":
        return f"`{_refusals.COMMANDS[value]}`" if value in _refusals.COMMANDS else f"`{value}`"
    if name == "networks":
        return ", ".join(f"{words.network_name(code.strip(), russian=True)} ({code.strip()})" for code in value.split(","))
    return value


def _reason(details):
    for detail in details:
        if getattr(detail, "type_url", "") == ERROR_INFO_TYPE:
            from ._gen.otklik.v1 import errors_pb2
            try:
                info = errors_pb2.ErrorInfo.FromString(detail.value)
            except Exception:  # a damaged detail: the code and message still stand
                continue
            return info.reason, {argument.name: argument.value for argument in info.arguments}
    return "", {}


def _hint(code, reason, arguments):
    """An admin (root, or the daemon's own user) refused a party's step: the way to take it as someone who
    may, as the otklik CLI tells its admin to add `--as LOGIN`. "" for any other refusal."""
    if code != StatusCode.PERMISSION_DENIED or reason != "not_permitted":
        return ""
    roles = {role.strip() for role in arguments.get("roles", "").split(",")}
    allowed = ", ".join(role.strip() for role in arguments.get("allowed_roles", "").split(",") if role.strip())
    if "admin" not in roles or not allowed:
        return ""
    return (f"An administrator takes this step as a staff member who may ({allowed}): pass "
            'metadata={"otklik-as": "LOGIN"} to Client() (every call) or to call() (one call), '
            "as `otklik --as LOGIN` does; `otklik staff list` shows who may")


def _status_class(name, code, doc):
    return type(name, (RPCError,), {"code": code, "__doc__": doc})


Cancelled = _status_class("Cancelled", StatusCode.CANCELLED, "The call was cancelled.")
Unknown = _status_class("Unknown", StatusCode.UNKNOWN, "A status this client does not know.")
InvalidArgument = _status_class("InvalidArgument", StatusCode.INVALID_ARGUMENT,
                                "The daemon did not accept the values given (`reason` says which rule).")
DeadlineExceeded = _status_class("DeadlineExceeded", StatusCode.DEADLINE_EXCEEDED, "No answer in time.")
NotFound = _status_class("NotFound", StatusCode.NOT_FOUND, "No such case, person, unit or attachment.")
AlreadyExists = _status_class("AlreadyExists", StatusCode.ALREADY_EXISTS, "It exists already.")
PermissionDenied = _status_class("PermissionDenied", StatusCode.PERMISSION_DENIED,
                                 "Not this caller's step (`arguments['allowed_roles']` names whose it is).")
ResourceExhausted = _status_class("ResourceExhausted", StatusCode.RESOURCE_EXHAUSTED, "Over a limit.")
FailedPrecondition = _status_class("FailedPrecondition", StatusCode.FAILED_PRECONDITION,
                                   "Not possible in the case's present state.")
VersionConflict = _status_class("VersionConflict", StatusCode.ABORTED,
                                "The case changed since the version named: read it again and decide anew.")
OutOfRange = _status_class("OutOfRange", StatusCode.OUT_OF_RANGE, "A value out of range.")
Unimplemented = _status_class("Unimplemented", StatusCode.UNIMPLEMENTED, "The daemon does not know this call.")
Internal = _status_class("Internal", StatusCode.INTERNAL, "The daemon failed; its log says why.")
Unavailable = _status_class("Unavailable", StatusCode.UNAVAILABLE, "The daemon is not reachable or is stopping.")
DataLoss = _status_class("DataLoss", StatusCode.DATA_LOSS, "Data arrived damaged.")
Unauthenticated = _status_class("Unauthenticated", StatusCode.UNAUTHENTICATED, "The daemon does not know who you are.")


class UntrustedSocket(PermissionDenied):
    """The socket found in the current directory (`.otklik/otklik.sock`, the demo's) is not used: it or its
    directory belongs to someone other than you or root, or the directory is writable by every user, so
    another user could have put a fake daemon there to collect what is sent. Raised by `Client()` before
    it connects, only for a socket it found itself (a path passed to it or set in $OTKLIK_SOCKET is used
    as given), as the otklik CLI refuses it (exit 77). `path` is the socket, `reason` "foreign_owner"
    (`arguments`: file, uid, directory "true"/"false") or "world_writable" (`arguments`: directory)."""

    def __init__(self, path: str, reason: str, arguments: dict):
        if reason == "foreign_owner":
            whose = ("its directory " if arguments["directory"] == "true" else "") + arguments["file"]
            why = f"{whose} belongs to uid {arguments['uid']}, not to you or root, so it may not be the daemon"
        else:
            why = f"{arguments['directory']} is writable by every user, so anyone could have put the socket there"
        super().__init__(StatusCode.PERMISSION_DENIED,
                         f"not using {path}: {why}. Pass its path to Client() or set OTKLIK_SOCKET to use it anyway.")
        self.path = path
        self.reason, self.arguments = reason, dict(arguments)

    def __reduce__(self):
        return (UntrustedSocket, (self.path, self.reason, self.arguments))


def _russian():
    """The reader's language as the package decides it (words.spoken): Russian when the first of LC_ALL,
    LC_MESSAGES, LANG that is set starts with "ru"."""
    from .words import _russian as russian
    return russian(None)


# Why an address is refused (BadAddress.reason): (English, Russian).
_ADDRESS_REFUSALS = {
    "not_ssh": ("it does not start with ssh://", "он не начинается с ssh://"),
    "password": ("a password is never written in it: SSH logs in with your key (a key with a passphrase needs "
                 "ssh-agent: ssh-add)",
                 "пароль в нём не пишут: SSH входит по вашему ключу (ключу с паролем нужен ssh-agent: ssh-add)"),
    "query": ("a query (?...) is not taken", "параметры (?...) не принимаются"),
    "fragment": ("a fragment (#...) is not taken", "фрагмент (#...) не принимается"),
    "no_host": ("it names no host", "в нём не указан хост"),
    "bad_host": ("a host holds only letters, digits and . - _ : (an IPv6 address in brackets) and does not start "
                 "with -",
                 "в имени хоста допустимы только буквы, цифры и . - _ : (адрес IPv6 — в квадратных скобках), и оно "
                 "не начинается с -"),
    "bad_port": ("the port is a number from 1 to 65535", "порт — число от 1 до 65535"),
    "bad_user": ("a user holds only letters, digits and . _ - and does not start with -",
                 "в имени пользователя допустимы только буквы, цифры и . _ -, и оно не начинается с -"),
    "bad_path": ("the socket's path holds a control character", "в пути к сокету есть управляющий символ"),
}


def _without_password(text):
    """The address as a message shows it: a password written in it hidden (never repeated in a message or
    a log), control characters escaped."""
    if not isinstance(text, str):
        return repr(text)
    scheme, separator, rest = text.partition("://")
    if separator:
        authority, slash, path = rest.partition("/")
        at = authority.rfind("@")
        if at >= 0 and ":" in authority[:at]:
            authority = authority[:at].split(":", 1)[0] + ":***" + authority[at:]
        text = scheme + separator + authority + slash + path
    return re.sub(r"[\x00-\x1f\x7f]", lambda c: f"\\x{ord(c[0]):02x}", text)


class BadAddress(InvalidArgument, ValueError):
    """`Client("ssh://...")` or $OTKLIK_HOST names no address the client can reach, refused before anything
    runs, as the otklik CLI refuses such a --host: `reason` says why ("not_ssh", "password", "query",
    "fragment", "no_host", "bad_host", "bad_port", "bad_user", "bad_path"), `arguments` holds the
    `address` (a password in it hidden). The message is in the reader's language (Russian under a Russian
    locale, as `words.spoken` decides)."""

    def __new__(cls, *arguments, **keywords):
        return Exception.__new__(cls)

    def __init__(self, address, reason: str, russian: bool = None):
        shown = _without_password(address)
        english, russian_why = _ADDRESS_REFUSALS[reason]
        russian = _russian() if russian is None else russian
        message = (f"{shown} — не адрес вида ssh://пользователь@хост или ssh://пользователь@хост:2222/run/otklik/otklik.sock: "
                   f"{russian_why}" if russian else
                   f"{shown} is not an address like ssh://user@host or ssh://user@host:2222/run/otklik/otklik.sock: {english}")
        super().__init__(StatusCode.INVALID_ARGUMENT, message)
        self.address = shown
        self.reason, self.arguments = reason, {"address": shown}
        self._russian = russian

    def __reduce__(self):
        return (BadAddress, (self.address, self.reason, self._russian))


# The link through ssh failed (RemoteUnavailable.reason): (English, Russian), the otklik CLI's sentences
# (Sources/otklik/Catalogue/Remote.swift) with {host}, {program}, {said}, {text} filled in.
_LINK_FAILURES = {
    "ssh_missing": ("there is no ssh client on this machine (`{program}`: {said}): install it (apt-get install -y "
                    "openssh-client), or name it in $OTKLIK_SSH",
                    "на этой машине нет клиента ssh (`{program}`: {said}): установите его (apt-get install -y "
                    "openssh-client) или укажите его в $OTKLIK_SSH"),
    "unknown_host": ("the host name {host} is not known: check the address (Client(\"ssh://...\"), $OTKLIK_HOST)",
                     "имя хоста {host} не найдено: проверьте адрес (Client(\"ssh://...\"), $OTKLIK_HOST)"),
    "unreachable": ("{host} cannot be reached ({said}): check the network and that SSH is served there",
                    "{host} недоступен ({said}): проверьте сеть и что там работает SSH"),
    "host_key": ("the host key of {host} is not known here or has changed: ask the server's administrator for its "
                 "fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server), then connect once with "
                 "`ssh {host}` and accept it if it matches; a changed key is removed with `ssh-keygen -R {host}` only "
                 "once the administrator confirms the change",
                 "ключ хоста {host} здесь неизвестен или изменился: узнайте его отпечаток у администратора сервера "
                 "(ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub на сервере), затем один раз подключитесь "
                 "`ssh {host}` и примите ключ, если отпечаток совпадает; изменившийся ключ удаляйте "
                 "(`ssh-keygen -R {host}`), только когда администратор подтвердит смену"),
    "authentication": ("{host} refused your SSH login: the server's administrator adds your public key "
                       "(~/.ssh/id_ed25519.pub) to your account there; a key with a passphrase needs ssh-agent (ssh-add)",
                       "{host} не принял ваш вход по SSH: администратор сервера добавляет ваш открытый ключ "
                       "(~/.ssh/id_ed25519.pub) к вашей учётной записи там; ключу с паролем нужен ssh-agent (ssh-add)"),
    "no_otklik": ("{host} has no `{program}` to run (tried: {program}): install Otklik there, or name its path in "
                  "$OTKLIK_REMOTE_OTKLIK, or correct the command=\"...\" of your key in authorized_keys there",
                  "на {host} нет программы `{program}` (искали: {program}): установите там «Отклик», или укажите путь к "
                  "ней в $OTKLIK_REMOTE_OTKLIK, или исправьте command=\"...\" вашего ключа в authorized_keys там"),
    "set_up_expired": ("the SSH connection to {host} was made, but the daemon's stream did not start within {seconds} s: "
                       "the login there, the command it runs (otklik dial-stdio, or your key's command=\"...\") or the "
                       "daemon hangs; ask the server's administrator to check `systemctl status otklikd` there",
                       "соединение SSH с {host} установлено, но поток демона не начался за {seconds} с: вход там, "
                       "запускаемая команда (otklik dial-stdio или command=\"...\" вашего ключа) или сам демон зависли; "
                       "попросите администратора сервера проверить там `systemctl status otklikd`"),
    "on_the_server": ("on {host}: {said}", "на {host}: {said}"),
    "noise": ("{host} printed text before the daemon's stream ({text}): a login script (~/.bashrc) writes to the "
              "output; use the forced command restrict,command=\"otklik dial-stdio\" in authorized_keys, or make the "
              "script silent when not interactive",
              "{host} вывел текст перед потоком демона ({text}): вход (~/.bashrc) что-то печатает; используйте "
              "принудительную команду restrict,command=\"otklik dial-stdio\" в authorized_keys или сделайте сценарий "
              "входа молчаливым без терминала"),
    "lost": ("the SSH connection to {host} was lost ({said}); what the daemon acknowledged stays done: check it, "
             "then try again",
             "соединение SSH с {host} прервалось ({said}); то, что демон подтвердил, сделано: проверьте и повторите"),
    "ssh_failed": ("ssh to {host} failed: {said}", "ssh к {host} не удался: {said}"),
}


class RemoteUnavailable(Unavailable):
    """The daemon on another machine (`Client("ssh://...")`) could not be reached, or the SSH connection to
    it was lost: an Unavailable (UNAVAILABLE, safe to retry; what the daemon acknowledged stays done) whose
    message says why, from how ssh ended and what it wrote, in the reader's language (Russian under a
    Russian locale), as the otklik CLI says it. `reason`: "ssh_missing" (no ssh client here),
    "unknown_host", "unreachable", "host_key" (not known or changed), "authentication" (the login refused),
    "no_otklik" (no otklik program on the host), "set_up_expired" (logged in, but no answer through the
    link within the set-up deadline: `arguments["seconds"]`), "on_the_server" (`otklik dial-stdio` there refused: the
    daemon down, the socket closed to this login; its own line in `arguments["said"]`), "noise" (the host's
    shell printed text before the daemon's stream), "lost" (the connection ended mid-way), "ssh_failed"
    (anything else ssh said). `arguments`: `host` and what the sentence names (`program`, `said`, `text`).
    `status` is ssh's exit status (None when it was still running or never started), `stderr` the last
    of what it wrote."""

    def __new__(cls, *arguments, **keywords):
        return Exception.__new__(cls)

    def __init__(self, host: str, reason: str, arguments: dict = None, russian: bool = None):
        arguments = {"host": host, **{key: str(value) for key, value in (arguments or {}).items()}}
        russian = _russian() if russian is None else russian
        phrase = _LINK_FAILURES[reason][1 if russian else 0]
        values = {"program": "otklik", "said": "", "text": "", **arguments}
        super().__init__(StatusCode.UNAVAILABLE, phrase.format(**values))
        self.host = host
        self.reason, self.arguments = reason, arguments
        self.status, self.stderr = None, ""
        self._russian = russian

    def __reduce__(self):
        arguments = {key: value for key, value in self.arguments.items() if key != "host"}
        return (RemoteUnavailable, (self.host, self.reason, arguments, self._russian))


_BY_CODE = {cls.code: cls for cls in (Cancelled, Unknown, InvalidArgument, DeadlineExceeded, NotFound, AlreadyExists,
                                      PermissionDenied, ResourceExhausted, FailedPrecondition, VersionConflict,
                                      OutOfRange, Unimplemented, Internal, Unavailable, DataLoss, Unauthenticated)}
