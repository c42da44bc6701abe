"""benchmarks/desk: the desk's queue (200 waiting assignments) and a case with ten drafts, server time and
the browser's first render. Prints median, min and max in ms; asserts nothing."""
import datetime
import os
import statistics
import sys
import time
import urllib.request

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.join(ROOT, "clients", "desk", "tests"))

import conftest  # noqa: E402  (the desk tests' daemon, desk and Chromium, used as they are)
from otklik_client import Client  # noqa: E402

CURATOR, EXECUTOR, UNIT = "curator.petrova", "roads.smirnov", "roads"


def seed(address):
    """200 cases routed to the roads unit (200 drafts wait for its executor), 200 more waiting for the
    curator to route them, and one with ten drafts (nine returned, the tenth in review). Returns the
    ten-draft case's id."""
    with Client(address, metadata={"otklik-as": CURATOR}) as curator, \
            Client(address, metadata={"otklik-as": EXECUTOR}) as executor:
        now = curator.health().now_unix
        def register(number, routed=True):
            view = curator.register_message(
                network="vk", url=f"https://vk.com/wall-218375_{90000 + number}", author=f"Житель {number}",
                text=f"Обращение {number}: яма у дома {number} по улице Мира", topics=["дороги"],
                detected_at=datetime.datetime.fromtimestamp(now - 60, datetime.timezone.utc))
            if not routed:
                return view
            return curator.route(case_id=view.id, expected_version=view.version, executors=[UNIT],
                                 topics=[{"unit": UNIT, "topic": "дороги"}])
        for number in range(200):
            register(number)
            register(2000 + number, routed=False)
        view = register(1000)
        assignment = view.assignments[0].id
        for draft in range(10):
            view = executor.submit_draft(assignment_id=assignment, expected_version=view.version, kind="final",
                                         text=f"Проект {draft + 1}: яма будет заделана. " * 20, measures="Ремонт.")
            if draft < 9:
                view = curator.return_draft(assignment_id=assignment, expected_version=view.version, reason="incomplete",
                                            comment=f"Доработать, замечание {draft + 1}")
        return view.id


def server_ms(url, cookie, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=60) as answer:
            body = answer.read()
        times.append((time.perf_counter() - started) * 1000)
    return times, len(body)


def browser_ms(driver, url, runs):
    paints, weight = [], 0
    for _ in range(runs):
        driver.get(url)
        figures = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "const p = performance.getEntriesByName('first-contentful-paint')[0];"
            "const r = performance.getEntriesByType('resource').filter(e => !e.name.endsWith('/events'));"
            "return {paint: p ? p.startTime : n.domContentLoadedEventEnd,"
            " bytes: n.encodedBodySize + r.reduce((s, e) => s + e.encodedBodySize, 0)};")
        paints.append(figures["paint"])
        weight = max(weight, figures["bytes"])
    return paints, weight


def line(name, times):
    return f"{name}: median {statistics.median(times):.1f} ms, min {min(times):.1f}, max {max(times):.1f} ({len(times)} runs)"


def main():
    arguments = sys.argv[1:]
    options = {}
    for option in ("--host", "--seed-socket"):
        if option in arguments:
            at = arguments.index(option)
            options[option] = arguments[at + 1]
            del arguments[at:at + 2]
    host = options.get("--host")
    runs = int(arguments[0]) if arguments else 20
    daemon = None
    if host is None:
        daemon = conftest.Daemon(os.environ["OTKLIKD"])
        daemon.start()
        address = seed_at = daemon.socket_path
    else:
        # Through SSH the desk is the SSH login's (the curator, benchmarks/remote); the cases are seeded
        # by the admin on the daemon's own socket.
        address, seed_at = host, options.get("--seed-socket", host)
    desks = []
    try:
        started = time.monotonic()
        case_id = seed(seed_at)
        print(f"seeded 200 waiting assignments and a case with ten drafts ({case_id}) in {time.monotonic() - started:.1f} s")
        place = "over SSH" if host else "locally"

        class Place:
            socket_path = address
        curator_desk = conftest.Desk(Place, None if host else CURATOR)
        # Locally the queue is the executor's (200 drafts wait); through SSH the curator's (200 to route).
        queue_desk = curator_desk if host else conftest.Desk(Place, EXECUTOR)
        desks += [curator_desk] if host else [curator_desk, queue_desk]
        cookies = {}
        for desk in desks:
            status, headers, _ = conftest.get(desk.launch)
            cookies[desk] = headers["Set-Cookie"].split(";")[0]
        queue_url, case_url = queue_desk.base + "/queue", curator_desk.base + f"/case/{case_id}"
        times, size = server_ms(queue_url, cookies[queue_desk], runs)
        print(line(f"queue page, 200+ rows, server {place} ({size // 1024} KiB of HTML)", times))
        times, size = server_ms(case_url, cookies[curator_desk], runs)
        print(line(f"case page, ten drafts, server {place} ({size // 1024} KiB of HTML)", times))
        driver = conftest.chromium()
        try:
            for desk, url, name in ((queue_desk, queue_url, "queue page"), (curator_desk, case_url, "case page")):
                # The launch token was spent for the server's timing: the browser gets the same session.
                driver.get(desk.base + "/favicon.ico")
                cookie_name, value = cookies[desk].split("=", 1)
                driver.add_cookie({"name": cookie_name, "value": value, "path": "/"})
                paints, weight = browser_ms(driver, url, max(5, runs // 4))
                print(line(f"{name}, first contentful paint in Chromium {place} (weight {weight // 1024} KiB)", paints))
        finally:
            conftest.close(driver)
    finally:
        for desk in desks:
            desk.stop()
        if daemon is not None:
            daemon.remove()


if __name__ == "__main__":
    main()
