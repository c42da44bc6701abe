"""Item 2 of issue 30, each rule provoked over plain HTTP: only the desk's user gets in."""
import hashlib
import io
import os
import pwd
import re
import subprocess
import urllib.parse
import uuid


from conftest import CURATOR, EXECUTOR, get


def session(desk):
    """The cookie the launch token becomes, and the page's CSRF token."""
    status, headers, _ = get(desk.launch)
    assert status == 302
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    jar = cookie.split(";")[0]
    status, _, body = get(desk.base + "/queue", {"Cookie": jar})
    assert status == 200
    csrf = re.search(rb'name="csrf" content="([^"]+)"', body).group(1).decode()
    return jar, csrf


def test_without_the_launch_token_nothing_is_served_and_the_token_opens_once(desks):
    desk = desks(CURATOR)
    status, _, body = get(desk.base + "/queue")
    assert status == 403 and "2026-0000" not in body.decode()
    status, _, _ = get(desk.base + "/launch?token=guess")
    assert status == 403
    jar, _ = session(desk)
    # The token was spent: the same URL opens nothing a second time (a URL in a shell's history is useless).
    status, headers, _ = get(desk.launch)
    assert status == 403 and "Set-Cookie" not in headers
    status, _, _ = get(desk.base + "/queue", {"Cookie": jar})
    assert status == 200


def test_a_foreign_host_is_refused_even_with_the_cookie(desks):
    desk = desks(CURATOR)
    jar, _ = session(desk)
    for host in ("evil.example:%d" % desk.port, "127.0.0.1.nip.io:%d" % desk.port, "localhost:1"):
        status, _, body = get(desk.base + "/queue", {"Cookie": jar, "Host": host})
        assert status == 421, host
        assert b"2026-0000" not in body
    for host in ("localhost:%d" % desk.port, "127.0.0.1:%d" % desk.port):
        assert get(desk.base + "/queue", {"Cookie": jar, "Host": host})[0] == 200


def test_a_cross_origin_or_tokenless_post_changes_nothing(desks, daemon):
    desk = desks(CURATOR)
    jar, csrf = session(desk)
    with daemon.client(CURATOR) as client:
        before = client.get_case(id="2026-000001")
    form = {"csrf": csrf, "version": str(before.version), "reason": "Ошибочно"}
    attempts = [
        {"Origin": "http://evil.example"},                       # another site's page
        {"Origin": "null"},
        {},                                                      # no Origin at all
        {"Origin": desk.base, "drop_csrf": True},                # the right origin without the token
    ]
    for headers in attempts:
        body = dict(form)
        if headers.pop("drop_csrf", False):
            body.pop("csrf")
        status, _, _ = get(desk.base + "/case/2026-000001/withdraw", {"Cookie": jar, **headers,
                           "Content-Type": "application/x-www-form-urlencoded"},
                           data=urllib.parse.urlencode(body).encode(), method="POST")
        assert status == 403, headers
    with daemon.client(CURATOR) as client:
        assert client.get_case(id="2026-000001").version == before.version
    # The same form from the page itself goes through.
    status, _, _ = get(desk.base + "/case/2026-000001/withdraw", {"Cookie": jar, "Origin": desk.base,
                       "Content-Type": "application/x-www-form-urlencoded"},
                       data=urllib.parse.urlencode(form).encode(), method="POST")
    assert status == 302
    with daemon.client(CURATOR) as client:
        assert client.get_case(id="2026-000001").version > before.version


def test_every_page_is_uncached_and_strictly_policed(desks):
    desk = desks(CURATOR)
    jar, _ = session(desk)
    for path in ("/queue", "/case/2026-000001", "/search?q=" + urllib.parse.quote("фонари"), "/register", "/absences", "/report", "/queue/rows"):
        status, headers, _ = get(desk.base + path, {"Cookie": jar})
        assert status == 200, path
        assert headers["Cache-Control"] == "no-store", path
        assert headers["X-Content-Type-Options"] == "nosniff"
        policy = headers["Content-Security-Policy"]
        assert "default-src 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
        assert "frame-ancestors 'none'" in policy
    # The report's document runs no script at all.
    status, headers, body = get(desk.base + "/report/document", {"Cookie": jar})
    assert status == 200 and "script-src" not in headers["Content-Security-Policy"]
    assert b"<script" not in body.lower()


def test_citizens_words_are_escaped_wherever_they_appear(desks, daemon):
    desk = desks(CURATOR)
    jar, _ = session(desk)
    author = '<img src=x onerror="alert(1)">Иван'
    text = '</blockquote><script>alert("x")</script> Яма на Ленина'
    with daemon.client(CURATOR) as client:
        now = client.health().now_unix
        import datetime
        view = client.register_message(network="vk", url="https://vk.com/wall-1_77", author=author, text=text,
                                       detected_at=datetime.datetime.fromtimestamp(now - 60, datetime.timezone.utc))
    for path in (f"/case/{view.id}", "/queue", "/search?q=" + urllib.parse.quote("Яма Ленина")):
        status, _, body = get(desk.base + path, {"Cookie": jar})
        page = body.decode()
        assert status == 200
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;" in page or "&lt;img src=x" in page, path


def _jpeg_with_html():
    """A real JPEG with an HTML page after its end: what a browser sniffing it inline could run."""
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue() + b"<html><script>alert(document.cookie)</script></html>"


def test_files_are_downloads_and_thumbnails_are_re_encoded(desks, daemon, tmp_path):
    photo = tmp_path / "фото.jpg"
    photo.write_bytes(_jpeg_with_html())
    with daemon.client(EXECUTOR) as executor:
        sha = executor.upload(str(photo)).attachment.sha256
    desk = desks(EXECUTOR)
    jar, _ = session(desk)
    status, headers, body = get(desk.base + f"/file/{sha}?name=" + urllib.parse.quote("фото.jpg"), {"Cookie": jar})
    assert status == 200 and body == photo.read_bytes()
    assert headers["Content-Disposition"].startswith("attachment;") and "filename*=UTF-8''" in headers["Content-Disposition"]
    assert headers["Content-Type"] == "application/octet-stream" and headers["X-Content-Type-Options"] == "nosniff"
    status, headers, thumb = get(desk.base + f"/file/{sha}/thumb", {"Cookie": jar})
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert thumb != photo.read_bytes() and b"<script" not in thumb and thumb.startswith(b"\xff\xd8")
    from PIL import Image
    assert max(Image.open(io.BytesIO(thumb)).size) <= 320
    assert hashlib.sha256(thumb).hexdigest() != sha


def test_another_os_user_who_finds_the_port_gets_nothing(desks):
    desk = desks(CURATOR)
    name = "otkdesk" + uuid.uuid4().hex[:8]
    subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    try:
        script = ("import sys, urllib.request\n"
                  "try:\n"
                  "    urllib.request.urlopen(sys.argv[1], timeout=10).read()\n"
                  "    print('served')\n"
                  "except Exception as error:\n"
                  "    print('refused', type(error).__name__)\n")
        # Even holding the launch URL (stolen from a screen), the other user's connection is closed unanswered.
        done = subprocess.run(["runuser", "-u", name, "--", "/usr/bin/python3", "-c", script, desk.launch],
                              capture_output=True, text=True, timeout=60, cwd="/")
        assert done.stdout.startswith("refused"), (done.stdout, done.stderr)
        assert pwd.getpwnam(name).pw_uid != os.getuid()
    finally:
        subprocess.run(["userdel", name], check=False)
    # The token was not spent by the refused attempt: the desk's own user still opens it.
    assert get(desk.launch)[0] == 302


def test_switching_whom_the_desk_acts_as_never_leaves_the_desk(desks):
    desk = desks(CURATOR)
    jar, csrf = session(desk)
    for back, expected in (("//evil.example/x", "/queue"), ("/\\evil.example", "/queue"), ("https://evil.example", "/queue"),
                           ("/case/2026-000001", "/case/2026-000001")):
        status, headers, _ = get(desk.base + "/as", {"Cookie": jar, "Origin": desk.base,
                                 "Content-Type": "application/x-www-form-urlencoded"},
                                 data=urllib.parse.urlencode({"csrf": csrf, "login": CURATOR, "back": back}).encode(),
                                 method="POST")
        assert status == 302 and urllib.parse.urlsplit(headers["Location"]).path == expected, (back, headers["Location"])
        assert urllib.parse.urlsplit(headers["Location"]).netloc in ("", f"127.0.0.1:{desk.port}")
    # "Myself" is the admin itself, even for a desk started with --as: the switch stays on the page.
    post = {"Cookie": jar, "Origin": desk.base, "Content-Type": "application/x-www-form-urlencoded"}
    get(desk.base + "/as", post, data=urllib.parse.urlencode({"csrf": csrf, "login": "", "back": "/queue"}).encode(),
        method="POST")
    status, _, body = get(desk.base + "/queue", {"Cookie": jar})
    assert status == 200 and b'action="/as"' in body and "Петрова Анна Викторовна</strong>".encode() not in body
    get(desk.base + "/as", post, data=urllib.parse.urlencode({"csrf": csrf, "login": EXECUTOR, "back": "/queue"}).encode(),
        method="POST")
    status, _, body = get(desk.base + "/queue", {"Cookie": jar})
    assert status == 200 and "Смирнов Олег Петрович</strong>".encode() in body and b'action="/as"' in body
