"""The desk's pages and steps (Flask, Jinja2 templates with autoescaping: every citizen's text and name is
escaped wherever it appears). Each step is a form that says what the regulation asks; its refusal comes
back in the page's language next to the field it concerns, with what was typed kept."""
import datetime
import json
import os
import re
import subprocess
import tempfile

from flask import Flask, Response, abort, make_response, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from otklik_client import RPCError, StatusCode, words

from . import guard as guarding
from . import views
from .views import QUEUE_MOST

UPLOAD_LARGEST = 600 << 20
# What a page may show of a figure it cut: the rows and history it reads at most say so under them.
SEARCH_MOST = 100
AWAY = (StatusCode.UNAVAILABLE, StatusCode.DEADLINE_EXCEEDED)
# The form field a refusal concerns, by its reason, where the refusal does not name it (`field`).
REASON_FIELD = {
    **dict.fromkeys(("post_url_host", "post_url_scheme", "reply_url_host", "reply_url_scheme", "url_of_another_case"), "url"),
    **dict.fromkeys(("account_required", "name_the_account", "unknown_account"), "account"),
    **dict.fromkeys(("no_executor", "executor_twice", "unit_already_assigned", "no_such_unit", "curator_centre_is_no_executor",
                     "unit_without_executor", "topics_for_other_unit", "unit_topics_required", "assignment_topics_required"),
                    "executors"),
    **dict.fromkeys(("too_many_files", "draft_files_too_large", "no_attachment", "attachment_gone", "not_a_returned_file"), "files"),
    **dict.fromkeys(("repeat_of_itself", "already_linked", "no_such_case"), "of"),
    **dict.fromkeys(("no_deputy", "stand_in_for_self"), "deputy"),
    "unknown_network": "network", "posted_after_detected": "posted_at", "detected_after_routed": "detected_at",
    "empty_text": "text", "answer_time_required": "at", "already_the_units": "to", "absence_order": "to",
}
# A step's field where the refusal names none of its own.
STEP_FIELD = {"route": "executors", "publish": "url", "reject": "reason", "return": "reason", "waive": "reason"}


def field_of(error, default=""):
    """The form field `error` (an RPCError) concerns: the one it names, else the one its reason is about."""
    return error.arguments.get("field") or REASON_FIELD.get(error.reason) or default


def create_app(desk):
    here = os.path.dirname(os.path.abspath(__file__))
    app = Flask("otklik_desk", template_folder=os.path.join(here, "templates"), static_folder=os.path.join(here, "static"))
    app.config["MAX_CONTENT_LENGTH"] = UPLOAD_LARGEST
    app.jinja_env.autoescape = True
    say = desk.say
    guard = desk.guard

    @app.context_processor
    def common():
        return {"t": say, "csrf": guard.csrf, "desk": desk, "lang": "ru" if say.russian else "en", "rows_most": QUEUE_MOST,
                "back": back_path()}

    def back_path():
        """Where switching whom the desk acts as returns to: this page, or after a form the page it was on."""
        if request.method in ("GET", "HEAD"):
            return request.path
        case = re.match(r"^/case/[0-9]{4}-[0-9]{1,9}", request.path)
        return case.group(0) if case else url_for("queue_page")

    # Every request: a loopback Host, the session's cookie, and for a change its own Origin and CSRF token.
    @app.before_request
    def admit():
        if not guard.host_ok(request.host):
            return Response("Host not allowed\n", status=421, mimetype="text/plain")
        if request.path == "/launch":
            return None
        if not guard.session_ok(request.cookies.get(guard.cookie)):
            return make_response(render_template("refused.html", message=say("error.forbidden")), 403)
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("Origin") or ""
            token = request.headers.get("X-CSRF-Token") or request.form.get("csrf", "")
            if not guard.origin_ok(origin) or not guard.csrf_ok(token):
                return make_response(render_template("refused.html", message=say("error.origin")), 403)
        return None

    @app.after_request
    def headers(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # same-origin, not no-referrer: with no-referrer a browser sends `Origin: null` on its own forms.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Content-Security-Policy", guarding.POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers["Cross-Origin-Opener-Policy"] = "same-origin"
        response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        return make_response(render_template("refused.html", message=say("error.too_large")), 413)

    @app.errorhandler(404)
    def not_found(_error):
        return make_response(render_template("refused.html", message=say("error.not_found")), 404)

    @app.route("/launch")
    def launch():
        if not guard.spend(request.args.get("token", "")):
            return make_response(render_template("refused.html", message=say("error.forbidden")), 403)
        if desk.neutral_locale:
            # The C or POSIX locale says nothing of the person: the browser's language does.
            desk.say.russian = request.accept_languages.best_match(["ru", "en"]) == "ru"
            desk.live.russian = desk.say.russian
        response = redirect(url_for("queue_page"))
        response.set_cookie(guard.cookie, guard.session, httponly=True, samesite="Strict", path="/")
        return response

    def away(error):
        """A refused read: the daemon (or the SSH link) not there is the banner's page, which comes back by
        itself; any other refusal is said in the desk's layout (its header lets an admin switch back)."""
        if error.code in AWAY:
            return make_response(render_template("away.html", reason=desk.refusal(error, {"units": {}, "staff": {}})), 503)
        status = {StatusCode.NOT_FOUND: 404, StatusCode.PERMISSION_DENIED: 403}.get(error.code, 400)
        try:
            me = desk.me()
        except RPCError:
            return make_response(render_template("refused.html", message=desk.refusal(error)), status)
        names = desk.names()
        return make_response(render_template("problem.html", message=desk.refusal(error, names), me=me, names=names,
                                             staff=people(names), away_reason=""), status)

    def people(names):
        """Whom an admin may act as here: active staff who take the regulation's steps or read its cases."""
        steps = {words.Role.ROLE_CURATOR, words.Role.ROLE_EXECUTOR, words.Role.ROLE_RESPONSIBLE, words.Role.ROLE_HEAD}
        return sorted((person for person in names["staff"].values() if person.active and steps & set(person.roles)),
                      key=lambda person: person.full_name)

    def page(template, **values):
        try:
            me = desk.me()
        except RPCError as error:
            return away(error)
        names = desk.names()
        return render_template(template, me=me, names=names, staff=people(names), away_reason="" if desk.live.up is not False
                               else desk.live.away_reason, **values)

    @app.route("/favicon.ico")
    def favicon():
        return Response(status=204)

    @app.route("/")
    def root():
        return redirect(url_for("queue_page"))

    # The queue: what waits for my step, earliest due first.

    def queue_figures():
        """The queue as the page and its refreshed rows both show it: the rows the filters keep, and the
        count under them (the rows shown when filtering, else the daemon's total)."""
        rows, total, capped = views.queue_rows(desk, desk.names())
        shown, wanted = views.filtered(rows, request.args)
        return rows, {"rows": shown, "total": len(shown) if any(wanted.values()) else total, "waiting": total,
                      "capped": capped, "cut": len(rows) < total, "as_of": as_of()}, wanted

    @app.route("/queue")
    def queue_page():
        try:
            rows, figures, wanted = queue_figures()
        except RPCError as error:
            return away(error)
        return page("queue.html", **figures, wanted=wanted,
                    topics=sorted({topic for row in rows for topic in row["topics"]}),
                    networks=sorted({(row["network_code"], row["network"]) for row in rows}),
                    steps=sorted({(row["step_word"], row["step"]) for row in rows}),
                    units=sorted({(row["unit_code"], row["unit"]) for row in rows if row["unit_code"]},
                                 key=lambda pair: pair[1]))

    @app.route("/queue/rows")
    def queue_fragment():
        try:
            _, figures, _ = queue_figures()
        except RPCError as error:
            return away(error)
        return render_template("queue_rows.html", **figures)

    def as_of():
        """The daemon's now for "figures as of", this machine's when the daemon just went."""
        try:
            return say.time(desk.now().isoformat())
        except RPCError:
            return say.time(datetime.datetime.now().astimezone().isoformat())

    # A case: the post, its terms, every draft in full, the history in words, the hints, and the steps.

    def case_page(case_id, status=200, form=None, errors=None, notice="", conflict=""):
        try:
            names = desk.names()
            context = views.case_context(desk, case_id, names)
        except RPCError as error:
            if error.code in AWAY and form:
                return unsent(error, form)
            return away(error)
        response = page("case.html", form=form or {}, errors=errors or {}, notice=notice, conflict=conflict, **context)
        if isinstance(response, str):
            response = make_response(response, status)
        return response

    @app.route("/case/<case_id>")
    def case_view(case_id):
        if not re.fullmatch(r"[0-9]{4}-[0-9]{1,9}", case_id):
            abort(404)
        return case_page(case_id)

    # The steps. Each: the form's values, the call, and on a refusal the page again with the values kept.

    def unsent(error, form):
        """The daemon away when a form was sent: the same form, as typed, to send again. Nothing was done when
        the connection could not be opened; a call cut off on its way may have been applied, and the page
        says to look at the case first."""
        listed = ("executors", "uploaded", "detach")
        fields = [(key, value) for key, value in form.items()
                  if key not in ("csrf", "uploaded_names", *listed) and isinstance(value, str)]
        lists = [(key, value) for key in listed
                 for value in (form[key] if isinstance(form.get(key), list) else request.form.getlist(key))]
        case = re.match(r"^/case/[0-9]{4}-[0-9]{1,9}", request.path)
        return make_response(render_template(
            "unsent.html", reason=desk.refusal(error, {"units": {}, "staff": {}}), sent=getattr(error, "sent", True),
            action=request.path, fields=fields, lists=lists, case=case.group(0) if case else "",
            files=bool(request.files.getlist("files") and any(file.filename for file in request.files.getlist("files")))),
            503)

    def step(case_id, name, call, form, done):
        mine = {"step": name, "assignment": form.get("assignment", "")}
        try:
            names = desk.names()
        except RPCError as error:
            return unsent(error, form)
        try:
            call()
        except ValueError as error:
            return case_page(case_id, 400, form=form, errors={**mine, **refused(error)})
        except RPCError as error:
            if error.code in AWAY:
                return unsent(error, form)
            if error.code == StatusCode.ABORTED and error.reason == "version_conflict":
                expected = int(form.get("version") or 0)
                said = views.conflict_words(desk, case_id, expected, names) or desk.refusal(error, names)
                # The form sent is filled again as typed (and only it), on the case as it now stands.
                return case_page(case_id, 409, form=form, conflict=said, errors={**mine, "field": "", "message": ""})
            return case_page(case_id, 400, form=form, errors={**mine, **refused(error, STEP_FIELD.get(name, ""), names)})
        return redirect(url_for("case_view", case_id=case_id, done=done) + "#top")

    def refused(error, field="", names=None):
        """A form's refusal as its page shows it: the field it concerns, the sentence, the daemon's reason.
        A ValueError is the desk's own (field, sentence); an RPCError the daemon's, its field found by
        `field_of` (else `field`)."""
        if isinstance(error, ValueError):
            concerned, message = error.args if len(error.args) == 2 else (field, str(error))
            return {"field": concerned, "message": message}
        return {"field": field_of(error, field), "message": desk.refusal(error, names), "reason": error.reason}

    def required(form, field):
        value = (form.get(field) or "").strip()
        if not value:
            raise ValueError(field, say("error.required"))
        return value

    def topics_of(text):
        return [topic.strip() for topic in (text or "").split(",") if topic.strip()]

    @app.post("/case/<case_id>/<name>")
    def case_step(case_id, name):
        form = {key: request.form.get(key, "") for key in request.form}
        form["executors"] = request.form.getlist("executors")
        version = int(form.get("version") or 0) if (form.get("version") or "0").isdigit() else 0
        assignment = form.get("assignment", "")
        try:
            now = desk.now()
        except RPCError as error:
            return unsent(error, form)
        zone = now.tzinfo
        enum = lambda kind, text: words.value(getattr(words, kind), text)  # noqa: E731

        def when(field):
            return desk.typed_time(form, field, zone)

        calls = {
            "route": lambda: desk.call("route", case_id=case_id, expected_version=version, executors=form["executors"] or
                                       _refuse("executors", say("error.unit")),
                                       topics=[{"unit": unit, "topic": form.get(f"topic-{unit}", "").strip()}
                                               for unit in form["executors"] if form.get(f"topic-{unit}", "").strip()],
                                       # Unticked is "normal", not "unchanged": the curator may take a high mark back.
                                       importance=enum("Importance", "high" if form.get("high") else "normal")),
            "reject": lambda: desk.call("reject", case_id=case_id, expected_version=version,
                                        reason=enum("RejectionReason", required(form, "reason")), comment=form.get("comment", "")),
            "repeat": lambda: desk.call("link_repeat", case_id=case_id, expected_version=version, of=required(form, "of")),
            "take": lambda: desk.call("take_assignment", assignment_id=assignment, expected_version=version, login=""),
            "approve": lambda: desk.call("approve_draft", assignment_id=assignment, expected_version=version,
                                         comment=form.get("comment", "")),
            "return": lambda: desk.call("return_draft", assignment_id=assignment, expected_version=version,
                                        reason=enum("ReturnReason", required(form, "reason")), comment=form.get("comment", "")),
            "waive": lambda: desk.call("waive_evidence", assignment_id=assignment, expected_version=version,
                                       reason=required(form, "reason")),
            "publish": lambda: desk.call("publish", assignment_id=assignment, expected_version=version, url=required(form, "url"),
                                         account=form.get("account", ""), at=when("at")),
            "connector": lambda: desk.call("request_publication", assignment_id=assignment, expected_version=version,
                                           network=form.get("network", "")),
            "answer": lambda: desk.call("record_author_answer", assignment_id=assignment, expected_version=version,
                                        at=when("at") or now, text=form.get("text", "")),
            "correct": lambda: desk.call("correct", case_id=case_id, expected_version=version, detected_at=when("detected_at"),
                                         posted_at=when("posted_at"), url=form.get("url", ""), author=form.get("author", ""),
                                         reason=required(form, "reason"), allow_old=bool(form.get("allow_old"))),
            "withdraw": lambda: desk.call("withdraw", case_id=case_id, expected_version=version, reason=required(form, "reason")),
            "reroute": lambda: desk.call("reroute", assignment_id=assignment, expected_version=version,
                                         to=required(form, "to"), reason=required(form, "reason")),
            "draft": lambda: submit_draft(assignment, version, form),
        }
        if name not in calls:
            abort(404)
        return step(case_id, name, calls[name], form, name)

    def submit_draft(assignment, version, form):
        """Uploads the files dropped on the form (each kept, named by its digest, for the next try when the
        draft is refused), then submits the draft with them."""
        uploaded = [sha for sha in request.form.getlist("uploaded") if re.fullmatch(r"[0-9a-f]{64}", sha)]
        form["uploaded"] = uploaded
        form["uploaded_names"] = request.form.getlist("uploaded_name")[:len(uploaded)]
        for file in request.files.getlist("files"):
            if not file or not file.filename:
                continue
            with tempfile.TemporaryDirectory(prefix="otklik-desk-") as scratch:
                path = os.path.join(scratch, "upload")
                file.save(path)
                try:
                    answer = desk.daemon.client(desk.acting).upload(path, name=os.path.basename(file.filename)[:200])
                except RPCError as error:
                    raise ValueError("files", f"{file.filename}: {desk.refusal(error)}") from None
            if answer.attachment.sha256 not in uploaded:
                uploaded.append(answer.attachment.sha256)
                form["uploaded_names"].append(os.path.basename(file.filename)[:200])
        detach = [sha for sha in request.form.getlist("detach") if re.fullmatch(r"[0-9a-f]{64}", sha)]
        return desk.call("submit_draft", assignment_id=assignment, expected_version=version,
                         kind=words.value(words.DraftKind, form.get("kind") or "final"), text=form.get("text", ""),
                         measures=form.get("measures", ""), attachments=uploaded, detach=detach)

    # Registering a post.

    @app.route("/register", methods=["GET", "POST"])
    def register():
        form, errors = {}, {}
        if request.method == "POST":
            form = {key: request.form.get(key, "") for key in request.form}
            try:
                now = desk.now()
                zone = now.tzinfo
                detected = desk.typed_time(form, "detected_at", zone) or now
                posted = desk.typed_time(form, "posted_at", zone)
                view = desk.call("register_message", network=form.get("network", ""), url=form.get("url", "").strip(),
                                 author=form.get("author", "").strip(), text=form.get("text", ""), detected_at=detected,
                                 posted_at=posted, topics=topics_of(form.get("topics")), allow_old=bool(form.get("allow_old")),
                                 importance=words.value(words.Importance, "high") if form.get("high") else 0)
                return redirect(url_for("case_view", case_id=view.id, done="register") + "#top")
            except (ValueError, RPCError) as error:
                if isinstance(error, RPCError) and error.code in AWAY:
                    return unsent(error, form)
                errors = refused(error)
        try:
            networks = json.loads(desk.call("get_profile").json).get("networks", [])
        except (RPCError, ValueError):
            networks = ["vk", "tg"]
        response = page("register.html", form=form, errors=errors,
                        networks=[(code, say.network(code)) for code in networks])
        return make_response(response, 400 if errors else 200) if isinstance(response, str) else response

    # Search.

    @app.route("/search")
    def search():
        text, author = request.args.get("q", "")[:500].strip(), request.args.get("author", "")[:200].strip()
        found, error_text, more = None, "", False
        if text or author:
            try:
                found = [{"id": hit.view.id, "detected": say.time(hit.view.detected_at),
                          "state": say.spoken("CaseState", hit.view.state), "network": say.network(hit.view.network),
                          "author": hit.view.author, "snippet": views.marked(hit.snippet or hit.view.text[:200], hit.marks)}
                         for hit in desk.call("search_cases", text=text, author=author, limit=SEARCH_MOST + 1).hits]
                # One more than shown is asked for: "more than 100" is said, never a count that is not one.
                more = len(found) > SEARCH_MOST
                found = found[:SEARCH_MOST]
            except RPCError as error:
                if error.code in AWAY:
                    return away(error)
                error_text = desk.refusal(error)
        return page("search.html", q=text, author=author, found=found, more=more, error_text=error_text)

    # The monthly report: the CLI's own document (one renderer for the terminal, the file and the page).

    def report_month():
        month = request.args.get("month", "")
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", month):
            try:
                month = desk.now().strftime("%Y-%m")
            except RPCError:
                month = datetime.datetime.now().strftime("%Y-%m")
        return month

    def run_report(month, output, out_path=None):
        command = [desk.otklik, "report", "monthly", month, "-o", output, *desk.address_arguments]
        if desk.acting:
            command += ["--as", desk.acting]
        if out_path:
            command += ["--out", out_path]
        environment = dict(os.environ, LANG="ru_RU.UTF-8" if say.russian else "C.UTF-8")
        environment.pop("LC_ALL", None)
        environment.pop("LC_MESSAGES", None)
        try:
            return subprocess.run(command, capture_output=True, env=environment, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as error:
            # No otklik to run, or no answer in two minutes: said like the CLI's own failure.
            return subprocess.CompletedProcess(command, 70, b"", f"{desk.otklik}: {error}".encode())

    @app.route("/board")
    def board():
        try:
            context = views.board_context(desk, desk.names())
        except RPCError as error:
            return away(error)
        return page("board.html", **context, as_of=as_of())

    @app.route("/report")
    def report():
        return page("report.html", month=report_month())

    @app.route("/report/document")
    def report_document():
        done = run_report(report_month(), "html")
        if done.returncode != 0:
            return make_response(render_template("refused.html", message=done.stderr.decode("utf-8", "replace")), 502)
        response = make_response(done.stdout)
        response.headers["Content-Type"] = "text/html; charset=utf-8"
        response.headers["Content-Security-Policy"] = guarding.DOCUMENT_POLICY
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        return response

    @app.route("/report.pdf")
    def report_pdf():
        month = report_month()
        with tempfile.TemporaryDirectory(prefix="otklik-desk-") as scratch:
            path = os.path.join(scratch, f"otklik-{month}.pdf")
            done = run_report(month, "pdf", path)
            if done.returncode != 0:
                return make_response(render_template("refused.html", message=done.stderr.decode("utf-8", "replace")), 502)
            with open(path, "rb") as file:
                data = file.read()
        response = make_response(data)
        response.headers["Content-Type"] = "application/pdf"
        response.headers["Content-Disposition"] = f'attachment; filename="otklik-{month}.pdf"'
        return response

    # Absences.

    @app.route("/absences", methods=["GET", "POST"])
    def absences():
        form, errors = {}, {}
        if request.method == "POST":
            form = {key: request.form.get(key, "") for key in request.form}
            try:
                zone = desk.now().tzinfo
                bounds = {}
                for field, end in (("from", False), ("to", True)):
                    bounds[field] = desk.typed_time(form, field, zone, end=end)
                    if bounds[field] is None:
                        raise ValueError(field, say("error.required"))
                start, end = bounds["from"], bounds["to"]
                desk.call("add_absence", login=form.get("login", ""), from_=start, to=end, reason=form.get("reason", ""),
                          deputy=form.get("deputy", ""))
                return redirect(url_for("absences", done="1"))
            except (ValueError, RPCError) as error:
                if isinstance(error, RPCError) and error.code in AWAY:
                    return unsent(error, form)
                errors = refused(error)
        try:
            names = desk.names()
            rows = [{"id": absence.id, "who": desk.person(absence.login, names), "from": say.time(getattr(absence, "from")),
                     "to": say.time(absence.to), "reason": absence.reason,
                     "deputy": desk.person(absence.deputy, names) if absence.deputy else ""}
                    for absence in desk.call("list_absences").absences]
        except RPCError as error:
            return away(error)
        response = page("absences.html", rows=rows, form=form, errors=errors)
        return make_response(response, 400) if errors and isinstance(response, str) else response

    @app.post("/absences/<int:absence>/remove")
    def absence_remove(absence):
        try:
            desk.call("remove_absence", id=absence, reason=request.form.get("reason", "").strip())
        except RPCError as error:
            return away(error)
        return redirect(url_for("absences"))

    # An admin acts as a staff member (the demo's root, the IT department).

    @app.post("/as")
    def act_as():
        # "" is the desk's user itself (the admin); the choice holds for every page and the live events.
        desk.acting = request.form.get("login", "").strip()[:100]
        desk.live.follow(desk.acting)
        back = request.form.get("back") or ""
        # Only a path of this desk: "//host" or "/\\host" would leave it (an open redirect).
        local = re.fullmatch(r"/(?![/\\])[A-Za-z0-9/_.-]*", back) is not None
        return redirect(back if local else url_for("queue_page"))

    # Files: downloads only, and thumbnails re-encoded.

    @app.route("/file/<sha256>")
    def download(sha256):
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            abort(404)
        try:
            data = desk.fetched(sha256)
        except RPCError as error:
            return make_response(render_template("refused.html", message=desk.refusal(error)), 404)
        name = request.args.get("name", "")[:200] or f"{sha256[:12]}"
        response = make_response(data)
        response.headers["Content-Type"] = "application/octet-stream"
        response.headers["Content-Disposition"] = _attachment(name)
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response

    @app.route("/file/<sha256>/thumb")
    def thumb(sha256):
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            abort(404)
        try:
            data = desk.thumbnail(sha256)
        except RPCError:
            data = None
        if data is None:
            abort(404)
        response = make_response(data)
        response.headers["Content-Type"] = "image/jpeg"
        return response

    # Live updates: the daemon's events as Server-Sent Events.

    @app.route("/events")
    def events():
        listener = desk.live.listen()

        def stream():
            try:
                yield "retry: 3000\n\n"
                while True:
                    try:
                        name, payload = listener.get(timeout=15)
                    except Exception:
                        yield ": still here\n\n"
                        continue
                    yield f"event: {name}\ndata: {payload}\n\n"
            finally:
                desk.live.forget(listener)

        response = Response(stream(), mimetype="text/event-stream")
        response.headers["X-Accel-Buffering"] = "no"
        return response

    return app


def _refuse(field, message):
    raise ValueError(field, message)


def _attachment(name):
    """Content-Disposition for a download: an ASCII fallback and the UTF-8 name (RFC 6266)."""
    from urllib.parse import quote
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "file"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
