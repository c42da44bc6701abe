import OtklikDesk

/// What `--host ssh://...` and `otklik dial-stdio` say (issue 27), English and Russian side by side.
extension Say {
    enum Remote {
        static let hostHelp = Phrase(
            "The daemon on another machine: ssh://[user@]host[:port][/path/to/otklik.sock] (also $OTKLIK_HOST), through your SSH keys.",
            "Демон на другой машине: ssh://[пользователь@]хост[:порт][/путь/к/otklik.sock] (или $OTKLIK_HOST), по вашим ключам SSH."
        )
        static let dialStdioAbstract = Phrase(
            "Connect this program's standard input and output to the daemon (for --host ssh://... on other machines).",
            "Соединить стандартный ввод и вывод с демоном (для --host ssh://... с других машин).")
        static let dialStdioDiscussion = Phrase(
            """
            Run by ssh on the daemon's machine, as the forced command of a key: \
            restrict,command="otklik dial-stdio" in authorized_keys. Writes nothing but the daemon's bytes to \
            the standard output.
            """,
            """
            Запускается через ssh на машине демона как принудительная команда ключа: \
            restrict,command="otklik dial-stdio" в authorized_keys. В стандартный вывод пишет только байты \
            демона.
            """)
        static func notAnAddress(_ text: String) -> Phrase {
            Phrase(
                "--host \(text) is not an address like ssh://user@host or ssh://user@host:2222/run/otklik/otklik.sock (no password, no query)",
                "--host \(text) — не адрес вида ssh://пользователь@хост или ssh://пользователь@хост:2222/run/otklik/otklik.sock (без пароля и параметров)"
            )
        }
        static let sshMissing = Phrase(
            "there is no ssh client on this machine: install it (apt-get install -y openssh-client)",
            "на этой машине нет клиента ssh: установите его (apt-get install -y openssh-client)")
        static func unknownHost(_ host: String) -> Phrase {
            Phrase(
                "the host name \(host) is not known: check the address (--host, $OTKLIK_HOST)",
                "имя хоста \(host) не найдено: проверьте адрес (--host, $OTKLIK_HOST)")
        }
        static func unreachable(_ host: String, _ said: String) -> Phrase {
            Phrase(
                "\(host) cannot be reached (\(said)): check the network and that SSH is served there",
                "\(host) недоступен (\(said)): проверьте сеть и что там работает SSH")
        }
        static func hostKey(_ host: String) -> Phrase {
            Phrase(
                "the host key of \(host) is not known here or has changed: ask the server's administrator for its fingerprint (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server), then connect once with `ssh \(host)` and accept it if it matches; a changed key is removed with `ssh-keygen -R \(host)` only once the administrator confirms the change",
                "ключ хоста \(host) здесь неизвестен или изменился: узнайте его отпечаток у администратора сервера (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub на сервере), затем один раз подключитесь `ssh \(host)` и примите ключ, если отпечаток совпадает; изменившийся ключ удаляйте (`ssh-keygen -R \(host)`), только когда администратор подтвердит смену"
            )
        }
        static func authentication(_ host: String) -> Phrase {
            Phrase(
                "\(host) refused your SSH login: the server's administrator adds your public key (~/.ssh/id_ed25519.pub) to your account there; a key with a passphrase needs ssh-agent (ssh-add)",
                "\(host) не принял ваш вход по SSH: администратор сервера добавляет ваш открытый ключ (~/.ssh/id_ed25519.pub) к вашей учётной записи там; ключу с паролем нужен ssh-agent (ssh-add)"
            )
        }
        static func noOtklik(_ host: String, _ program: String) -> Phrase {
            Phrase(
                "\(host) has no `\(program)` to run (tried: \(program)): install Otklik there, or name its path in $OTKLIK_REMOTE_OTKLIK, or correct the command=\"...\" of your key in authorized_keys there",
                "на \(host) нет программы `\(program)` (искали: \(program)): установите там «Отклик», или укажите путь к ней в $OTKLIK_REMOTE_OTKLIK, или исправьте command=\"...\" вашего ключа в authorized_keys там"
            )
        }
        static func setUpExpired(_ host: String, _ seconds: Int) -> Phrase {
            Phrase(
                "the SSH connection to \(host) was made, but the daemon's stream did not start within \(seconds) s: the login there, the command it runs (otklik dial-stdio, or your key's command=\"...\") or the daemon hangs; ask the server's administrator to check `systemctl status otklikd` there",
                "соединение SSH с \(host) установлено, но поток демона не начался за \(seconds) с: вход там, запускаемая команда (otklik dial-stdio или command=\"...\" вашего ключа) или сам демон зависли; попросите администратора сервера проверить там `systemctl status otklikd`"
            )
        }
        static func onTheServer(_ host: String, _ said: String) -> Phrase {
            Phrase("on \(host): \(said)", "на \(host): \(said)")
        }
        static func noise(_ host: String, _ text: String) -> Phrase {
            Phrase(
                "\(host) printed text before the daemon's stream (\(text)): a login script (~/.bashrc) writes to the output; use the forced command restrict,command=\"otklik dial-stdio\" in authorized_keys, or make the script silent when not interactive",
                "\(host) вывел текст перед потоком демона (\(text)): вход (~/.bashrc) что-то печатает; используйте принудительную команду restrict,command=\"otklik dial-stdio\" в authorized_keys или сделайте сценарий входа молчаливым без терминала"
            )
        }
        static func lost(_ host: String, _ said: String) -> Phrase {
            Phrase(
                "the SSH connection to \(host) was lost (\(said)); what the daemon acknowledged stays done: check with `otklik case show`, then try again",
                "соединение SSH с \(host) прервалось (\(said)); то, что демон подтвердил, сделано: проверьте `otklik case show` и повторите"
            )
        }
        static func sshFailed(_ host: String, _ said: String) -> Phrase {
            Phrase("ssh to \(host) failed: \(said)", "ssh к \(host) не удался: \(said)")
        }
    }
}
