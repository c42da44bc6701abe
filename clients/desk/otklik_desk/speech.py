"""Every word the desk's pages say, in Russian and English (one table), and how times and durations read:
`пн 07.12 09:30`, `2 ч 15 мин`. The contract's closed sets (states, clocks, steps, networks) and the
daemon's refusals are spoken by the Python client from the CLI's own catalogue (`words.spoken`,
`RPCError.sentence`), so the desk and the CLI say the same thing."""
import datetime

from otklik_client import words

PHRASES = {
    "title": ("Otklik desk", "Отклик — рабочее место"),
    "nav.queue": ("My queue", "Мои задачи"),
    "nav.register": ("Register a post", "Зарегистрировать сообщение"),
    "nav.search": ("Search", "Поиск"),
    "nav.report": ("Monthly report", "Отчёт за месяц"),
    "nav.absences": ("Absences", "Отсутствия"),
    "nav.board": ("Board", "Сроки по отделам"),
    "board.title": ("Units and the breach forecast", "Подразделения и прогноз нарушения сроков"),
    "board.unit": ("Unit", "Подразделение"),
    "board.open": ("Waiting for the unit", "Ждут исполнителя"),
    "board.next_day": ("Due by the next working day", "Срок до конца следующего рабочего дня"),
    "board.at_risk": ("At risk", "Под угрозой"),
    "board.overdue": ("Overdue", "Просрочено"),
    "board.present": ("At work", "На месте"),
    "board.pace": ("Usual time to a draft", "Обычно до проекта"),
    "board.as_of": ("As of {time}; reload the page for the newest.", "По состоянию на {time}; обновите страницу, чтобы увидеть новое."),
    "board.none": ("Nothing is at risk.", "Угрозы нарушения сроков нет."),
    "board.capped": ("More than 10,000 open cases: the first 10,000 by due are counted.",
                     "Открытых дел больше 10 000: учтены первые 10 000 по сроку."),
    "risk.heading": ("The term will likely be missed:", "Срок, скорее всего, будет нарушен:"),
    "risk.nobody": ("nobody in «{unit}» is at work until {until}; due {due}",
                    "в подразделении «{unit}» до {until} никого нет; срок — {due}"),
    "risk.nobody.long": ("nobody in «{unit}» is at work within 60 days after the due; due {due}",
                         "в подразделении «{unit}» и в течение 60 дней после срока никого нет; срок — {due}"),
    "risk.behind": ("«{unit}» has {waiting} assignments due no later, usually {pace} of work each to a draft, people who can act: {present}, "
                    "{left} of working time left; due {due}",
                    "в подразделении «{unit}» поручений со сроком не позже этого: {waiting}, обычно {pace} на проект, "
                    "людей: {present}, рабочего времени осталось {left}; срок — {due}"),
    "risk.could": ("Could meet it: {units}.", "Успели бы: {units}."),
    "you": ("You", "Вы"),
    "acting": ("Act as", "Работать как"),
    "acting.self": ("myself", "от своего имени"),
    "acting.apply": ("Switch", "Сменить"),
    "away": ("The daemon is not reachable: {reason}. What you type stays in the form; the page comes back by itself.",
             "Служба «Отклик» недоступна: {reason}. Введённое в формах сохранится; страница восстановится сама."),
    "away.retry": ("Try again", "Повторить"),
    "away.helper": ("The desk's helper does not answer; start `otklik desk` again.",
                    "Помощник рабочего места не отвечает; запустите `otklik desk` снова."),
    "notify.enable": ("Show desktop notifications", "Показывать уведомления на рабочем столе"),
    "queue.title": ("What waits for my step", "Что ждёт моего шага"),
    "queue.empty": ("Nothing waits for your step.", "Ничего не ждёт вашего шага."),
    "queue.count": ("{shown} of {total} shown", "Показано {shown} из {total}"),
    "queue.capped": ("more than 10,000 wait", "ждут более 10 000"),
    "queue.cut": ("The page reads the {most} earliest of the {waiting} waiting; filters choose among them.",
                  "Страница читает {most} самых ранних из {waiting} ожидающих; отбор — среди них."),
    "queue.filter": ("Filter", "Отобрать"),
    "queue.reset": ("Show all", "Показать все"),
    "queue.updated": ("Figures as of {time}; they are refreshed every minute and after every change.",
                      "Данные на {time}; обновляются каждую минуту и после каждого изменения."),
    "col.due": ("Due", "Срок"),
    "col.left": ("Working time left", "Осталось рабочего времени"),
    "col.step": ("Step", "Шаг"),
    "col.case": ("Case", "Дело"),
    "col.network": ("Network", "Сеть"),
    "col.author": ("Author", "Автор"),
    "col.text": ("Post", "Сообщение"),
    "col.unit": ("Unit", "Подразделение"),
    "col.topics": ("Topics", "Темы"),
    "col.state": ("State", "Состояние"),
    "col.detected": ("Detected", "Выявлено"),
    "any": ("any", "любое"),
    "any.f": ("any", "любая"),
    "filter.unit": ("Unit", "Подразделение"),
    "filter.network": ("Network", "Сеть"),
    "filter.topic": ("Topic", "Тема"),
    "filter.step": ("Step", "Шаг"),
    "left": ("{time} left", "осталось {time}"),
    "late": ("overdue by {time}", "просрочено на {time}"),
    "due.now": ("due now", "срок наступил"),
    "minutes": ("{m} min", "{m} мин"),
    "hours": ("{h} h {m} min", "{h} ч {m} мин"),
    "hours.even": ("{h} h", "{h} ч"),
    "case.title": ("Case {id}", "Дело {id}"),
    "case.post": ("The post", "Сообщение"),
    "case.open": ("Open in the network", "Открыть в сети"),
    "case.posted": ("posted {time}", "опубликовано {time}"),
    "case.detected": ("detected {time}", "выявлено {time}"),
    "case.edited": ("The author edited it in the network at {time}.", "Автор изменил сообщение в сети {time}."),
    "case.deleted": ("The post is deleted in the network ({time}); the case goes on.",
                     "Сообщение удалено в сети ({time}); дело продолжается."),
    "case.state": ("State", "Состояние"),
    "case.importance": ("Importance", "Важность"),
    "case.topics": ("Topics", "Темы"),
    "case.clocks": ("Terms", "Сроки"),
    "case.route_clock": ("Routing", "Распределение"),
    "case.next": ("What the regulation waits for now", "Чего сейчас ждёт регламент"),
    "case.next.none": ("Nothing: no step waits.", "Ничего: шагов не ожидается."),
    "case.whose": ("{step}: {who}", "{step}: {who}"),
    "case.hints": ("Hints", "Подсказки"),
    "case.repeats": ("Likely repeats of earlier cases:", "Возможно, повтор ранее поступивших:"),
    "case.markers": ("The text has markers of p.20:", "В тексте есть признаки п.20:"),
    "case.repeat_of": ("A repeat of {id}", "Повтор дела {id}"),
    "case.incident": ("In incident {id} «{title}»: a draft submitted here goes to every case of the incident "
                      "waiting for the same unit's draft, and approving or returning it, or waiving the photo "
                      "rule, decides that same draft on every case; the author's full name, or {author}, "
                      "becomes each case's author.",
                      "В инциденте {id} «{title}»: проект, внесённый здесь, вносится во все дела инцидента, ждущие "
                      "проекта того же подразделения, а согласование, возврат или снятие требования фото решают "
                      "этот же проект во всех делах; полное имя автора или {author} заменяется автором каждого дела."),
    "case.rejected": ("Not processed (p.20): {reason}", "Не рассматривается (п.20): {reason}"),
    "case.withdrawn": ("Withdrawn: {reason}", "Снято: {reason}"),
    "case.clocks_error": ("The terms cannot be computed: {why}", "Сроки не вычисляются: {why}"),
    "case.history": ("History", "История"),
    "case.history.cut": ("The first {count} events are shown; `otklik case history` lists every one.",
                         "Показаны первые {count} событий; все — в `otklik case history`."),
    "unsent": ("The daemon is not reachable ({reason}): nothing was done. What you typed is below; send it again when the banner is gone.",
               "Служба «Отклик» недоступна ({reason}): ничего не сделано. Введённое вами — ниже; отправьте снова, когда связь вернётся."),
    "unsent.maybe": ("The daemon stopped answering while the step was on its way ({reason}): it may have been done. Look at the case first; what you typed is below to send again if it was not.",
                     "Служба «Отклик» перестала отвечать, пока шаг был в пути ({reason}): он мог быть выполнен. Сначала посмотрите дело; введённое вами — ниже, чтобы отправить снова, если шаг не выполнен."),
    "unsent.files": ("Files chosen on the form were not uploaded: choose them again.", "Выбранные файлы не загружены: выберите их снова."),
    "unsent.again": ("Send again", "Отправить снова"),
    "search.more": ("More than {most} match; add words to narrow the search.", "Найдено больше {most}; уточните запрос."),
    "case.changed": ("This case was changed: {what}.", "Дело изменилось: {what}."),
    "case.reload": ("Show it afresh", "Показать заново"),
    "assignment": ("Assignment {id}", "Поручение {id}"),
    "assignment.unit": ("Unit", "Подразделение"),
    "assignment.responsible": ("Responsible", "Ответственный"),
    "assignment.state": ("State", "Состояние"),
    "assignment.previous": ("Held before by", "Ранее поручалось"),
    "draft": ("Draft: {kind}", "Проект: {kind}"),
    "draft.submitted": ("submitted {time}", "представлен {time}"),
    "draft.decided": ("decided {time}", "решение {time}"),
    "draft.returned": ("Returned: {reason}. {comment}", "Возвращён: {reason}. {comment}"),
    "draft.measures": ("Measures taken", "Принятые меры"),
    "draft.files": ("Files", "Файлы"),
    "draft.captured": ("taken {time}", "снято {time}"),
    "draft.captured.unknown": ("time of taking unknown", "время съёмки неизвестно"),
    "draft.before": ("taken before the post was detected", "снято до выявления сообщения"),
    "draft.place": ("place: {lat}, {lon}", "место: {lat}, {lon}"),
    "draft.evidence": ("The evidence rule holds it ({rule}): a photo or video is required.",
                       "Действует правило о подтверждении ({rule}): нужно фото или видео."),
    "draft.waived": ("The evidence rule was waived at {time}: {reason}", "Требование фото снято {time}: {reason}"),
    "draft.findings": ("The quality check finds it reads like a formal answer:",
                       "Проверка качества: проект похож на формальный ответ —"),
    "draft.finding.copy": ("the reply of case", "ответ по делу"),
    "draft.trimmed": ("(shortened; the history has it whole)", "(сокращено; полностью — в истории)"),
    "download": ("download", "скачать"),
    "reply": ("Published reply", "Опубликованный ответ"),
    "reply.at": ("{time}, account {account}", "{time}, аккаунт {account}"),
    "reply.files_left_out": ("Not all of the draft's files went out with it: the connector could not attach them.",
                             "Не все файлы проекта опубликованы с ответом: коннектор не смог их приложить."),
    "publication.requested": ("Handed to the {network} connector at {time}.", "Передан коннектору {network} {time}."),
    "publication.failed": ("The connector could not publish: {why}", "Коннектор не смог опубликовать: {why}"),
    "form.version": ("", ""),
    "form.required": ("required", "обязательно"),
    "form.kept": ("What you typed is kept below.", "Введённое вами сохранено ниже."),
    "conflict": ("While you were filling in the form, {who} acted first: {what} ({time}). The case is shown afresh; decide again.",
                 "Пока вы заполняли форму, {who} успел(а) раньше: {what} ({time}). Дело показано заново; решите снова."),
    "done": ("Done: {what}.", "Готово: {what}."),
    # The steps, each with what the regulation asks.
    "step.register": ("Register a post", "Зарегистрировать сообщение"),
    "step.register.help": ("p.8: every post found in the networks is registered as detected; its terms count from the detection.",
                           "п.8: каждое выявленное сообщение регистрируется; сроки считаются от времени выявления."),
    "step.route": ("Route", "Распределить"),
    "step.route.help": ("p.9: the curator routes the post to the units that answer it within 30 working minutes.",
                        "п.9: куратор в течение 30 рабочих минут направляет сообщение подразделениям, которые ответят."),
    "step.reject": ("Do not process", "Не рассматривать"),
    "step.reject.help": ("p.20: a post with threats, obscenity, insults or calls to harm is not processed; name the reason.",
                         "п.20: сообщения с угрозами, нецензурной бранью, оскорблениями, призывами к вреду не рассматриваются; укажите причину."),
    "step.repeat": ("A repeat", "Повтор"),
    "step.repeat.help": ("p.18: a repeat of an earlier post; its reply must state the measures taken.",
                         "п.18: повторное сообщение; в ответе нужно указать принятые меры."),
    "step.take": ("Take it", "Взять себе"),
    "step.take.help": ("p.21: the person who answers for the assignment.", "п.21: ответственный за поручение."),
    "step.draft": ("Submit a draft", "Представить проект"),
    "step.draft.help": ("p.12-14: the reply's draft goes to the curator for approval; photos or videos of the work done where the rule asks (p.19).",
                        "п.12–14: проект ответа направляется куратору на согласование; фото или видео выполненных работ — где требует правило (п.19)."),
    "step.approve": ("Approve", "Согласовать"),
    "step.approve.help": ("p.15: the curator approves the draft; then it is published.", "п.15: куратор согласует проект; затем он публикуется."),
    "step.return": ("Return for rework", "Вернуть на доработку"),
    "step.return.help": ("p.16: a draft that is formal, without evidence, contradictory or incomplete goes back with the reason.",
                         "п.16: формальный, без подтверждения, противоречивый или неполный проект возвращается с указанием причины."),
    "step.waive": ("Waive the photo rule", "Снять требование фото"),
    "step.waive.help": ("p.19: the curator may accept a reply without a photo or video; the reason is recorded.",
                        "п.19: куратор может принять ответ без фото или видео; причина записывается."),
    "step.publish": ("Record the publication", "Отметить публикацию"),
    "step.publish.help": ("p.15: the reply is published from the administration's official account; record its URL.",
                          "п.15: ответ публикуется от имени официального аккаунта; укажите ссылку на него."),
    "step.connector": ("Publish through the connector", "Опубликовать через коннектор"),
    "step.connector.help": ("The network's connector posts the approved reply from the official account and records its URL.",
                            "Коннектор сети опубликует согласованный ответ от официального аккаунта и сам запишет ссылку."),
    "step.answer": ("Record the author's answer", "Записать ответ автора"),
    "step.answer.help": ("p.11: the author's answer to the clarification request.", "п.11: ответ автора на запрос уточнения."),
    "step.correct": ("Correct the case", "Исправить дело"),
    "step.correct.help": ("A mistake in what was registered is corrected with a reason; the terms are computed anew.",
                          "Ошибка в зарегистрированных данных исправляется с указанием причины; сроки пересчитываются."),
    "step.withdraw": ("Withdraw (registered by mistake)", "Снять (зарегистрировано ошибочно)"),
    "step.withdraw.help": ("The case leaves the workflow; the reason is recorded.", "Дело выводится из работы; причина записывается."),
    "step.reroute": ("Reroute", "Перенаправить"),
    "step.reroute.help": ("The assignment moves to another unit; its terms go on.", "Поручение передаётся другому подразделению; сроки продолжаются."),
    "corrections": ("Corrections", "Исправления"),
    "field.network": ("Network", "Сеть"),
    "field.url": ("Link to the post", "Ссылка на сообщение"),
    "field.author": ("Author", "Автор"),
    "field.text": ("Text of the post", "Текст сообщения"),
    "field.detected_at": ("Detected at (empty: now)", "Время выявления (пусто — сейчас)"),
    "field.posted_at": ("Posted at (if known)", "Время публикации (если известно)"),
    "field.topics": ("Topics, separated by commas", "Темы через запятую"),
    "field.importance": ("Importance", "Важность"),
    "field.high": ("Socially significant (p.7, p.9): shorter terms", "Социально значимое (п.7, п.9): сокращённые сроки"),
    "field.allow_old": ("The date is right: take a post older than 30 days", "Дата верна: принять сообщение старше 30 дней"),
    "field.units": ("Units that answer", "Подразделения-исполнители"),
    "field.unit": ("Unit", "Подразделение"),
    "field.reason": ("Reason", "Причина"),
    "field.comment": ("Comment", "Комментарий"),
    "field.of": ("The earlier case", "Предыдущее дело"),
    "field.kind": ("Kind of draft", "Вид проекта"),
    "field.reply_text": ("Text of the reply", "Текст ответа"),
    "field.measures": ("Measures taken", "Принятые меры"),
    "field.files": ("Photos, videos, documents (drag them here or choose)", "Фото, видео, документы (перетащите сюда или выберите)"),
    "field.uploaded": ("Already uploaded", "Уже загружены"),
    "field.detach": ("Leave out", "Не прикладывать"),
    "field.reply_url": ("Link to the published reply", "Ссылка на опубликованный ответ"),
    "field.account": ("Account it went out from", "Аккаунт, от имени которого опубликован"),
    "field.published_at": ("Published at (empty: now)", "Время публикации (пусто — сейчас)"),
    "field.answer_text": ("The author's answer", "Ответ автора"),
    "field.answered_at": ("Answered at (empty: now)", "Время ответа (пусто — сейчас)"),
    "field.correction_reason": ("Why it is corrected", "Причина исправления"),
    "field.login": ("Who", "Кто"),
    "field.from": ("From", "С"),
    "field.to": ("Until", "По"),
    "field.deputy": ("Deputy", "Заместитель"),
    "field.removal_reason": ("Why it is removed", "Причина удаления"),
    "field.query": ("Words of the post", "Слова сообщения"),
    "field.month": ("Month", "Месяц"),
    "normal": ("normal", "обычная"),
    "high": ("high", "высокая"),
    "search.title": ("Search the cases", "Поиск дел"),
    "search.found": ("{count} found", "Найдено: {count}"),
    "search.none": ("Nothing found.", "Ничего не найдено."),
    "report.title": ("Monthly report (p.22)", "Отчёт за месяц (п.22)"),
    "report.pdf": ("Download as PDF", "Скачать PDF"),
    "report.show": ("Show", "Показать"),
    "absences.title": ("Absences and deputies", "Отсутствия и замещение"),
    "absences.none": ("No absence is recorded.", "Отсутствий не записано."),
    "absences.add": ("Record an absence", "Записать отсутствие"),
    "absences.help": ("While someone is away their deputy takes their assignments; the terms do not wait.",
                      "Пока сотрудник отсутствует, его поручения исполняет заместитель; сроки не останавливаются."),
    "absences.remove": ("Remove", "Удалить"),
    "absences.admin": ("Absences are recorded by the administrator (the IT department).",
                       "Отсутствия записывает администратор (ИТ-отдел)."),
    "submit.register": ("Register", "Зарегистрировать"),
    "submit.search": ("Find", "Найти"),
    "submit.add": ("Record", "Записать"),
    "no": ("no", "нет"),
    "none": ("—", "—"),
    "error.forbidden": ("This page is only for the user who started the desk. Open it with the link `otklik desk` printed.",
                        "Эта страница только для пользователя, запустившего рабочее место. Откройте её по ссылке, которую напечатал `otklik desk`."),
    "error.origin": ("The request did not come from the desk's own page; nothing was changed.",
                     "Запрос пришёл не со страницы рабочего места; ничего не изменено."),
    "error.not_found": ("No such page.", "Такой страницы нет."),
    "error.too_large": ("The files are larger than the desk takes at once.", "Файлы больше, чем рабочее место принимает за раз."),
    "error.time": ("Give the time as 07.12.2026 09:30 (or 2026-12-07 09:30).", "Укажите время как 07.12.2026 09:30 (или 2026-12-07 09:30)."),
    "error.unit": ("Choose at least one unit.", "Выберите хотя бы одно подразделение."),
    "error.required": ("Fill this in.", "Заполните это поле."),
}

WEEKDAYS = {False: ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), True: ("пн", "вт", "ср", "чт", "пт", "сб", "вс")}


class Speech:
    def __init__(self, russian):
        self.russian = russian

    def __call__(self, key, **values):
        english, russian = PHRASES[key]
        text = russian if self.russian else english
        return text.format(**values) if values else text

    def label(self, field):
        """A form field's label by its name ("text"), the name itself when the desk has none."""
        return self(f"field.{field}") if f"field.{field}" in PHRASES else field

    def time(self, text):
        """`пн 07.12 09:30` for an instant the daemon wrote (ISO 8601 with its offset); "" for none."""
        if not text:
            return ""
        try:
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
        return f"{WEEKDAYS[self.russian][moment.weekday()]} {moment:%d.%m %H:%M}"

    def unix_time(self, seconds, zone):
        if not seconds:
            return ""
        return self.time(datetime.datetime.fromtimestamp(seconds, zone).isoformat())

    def duration(self, minutes):
        minutes = max(0, int(minutes))
        hours, rest = divmod(minutes, 60)
        if hours == 0:
            return self("minutes", m=rest)
        return self("hours.even", h=hours) if rest == 0 else self("hours", h=hours, m=rest)

    def spoken(self, enum, value):
        return words.spoken(getattr(words, enum), value, russian=self.russian)

    def network(self, code):
        return words.network_name(code, russian=self.russian)
