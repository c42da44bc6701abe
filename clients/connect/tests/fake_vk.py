"""A fake VK API on loopback answering the documented shapes (docs/CONNECTORS.md; VK API schema 5.199):
`groups.getLongPollServer`, `users.get`, the Bots Long Poll `a_check` with `failed` 1, 2 and 3,
`wall.createComment` (its `guid` making a repeated call answer the comment made before), and the error
object. Comments are added with `comment(...)` (an edit or a restoration by its `kind`), deletions with
`delete(...)`; `fail(...)` makes the next poll answer `failed`; `refuse_comment(code, ...)` makes the
next `wall.createComment` calls answer VK's error, `lose_answer()` posts the next comment and drops the
connection before answering."""
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FakeVK:
    def __init__(self, group, token, service_token=None):
        self.group = group
        self.token = token
        self.service_token = service_token
        self.wall = []              # every comment on the wall, streamed or not (what wall.getComments reads)
        self.events = []            # (ts after it, update)
        self.failures = []          # answers to give instead of the next poll's
        self.key_number = 0
        self.calls = []             # (method, params) of every API call, in order
        self.refuse_token = False
        self.created = []           # comments made by wall.createComment: dicts of its parameters and comment_id
        self.comment_errors = []    # error codes to answer the next wall.createComment calls with
        self.lose_answers = 0       # wall.createComment calls to carry out and answer with a dropped connection
        self.threads = {}           # comment id -> the thread root it is in (its own id for a top-level one)
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def answer(self, body):
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                method = self.path.rsplit("/", 1)[-1]
                with fake.lock:
                    fake.calls.append((method, params))
                if method in ("wall.get", "wall.getComments"):
                    # Read with the app's service token (a community token may not: 27).
                    if self.headers.get("Authorization") != f"Bearer {fake.service_token}":
                        return self.answer({"error": {"error_code": 27, "error_msg": "Group authorization failed: method is unavailable with group auth."}})
                    return self.answer({"response": fake.read_wall(method, params)})
                if fake.refuse_token or self.headers.get("Authorization") != f"Bearer {fake.token}":
                    return self.answer({"error": {"error_code": 5, "error_msg": "User authorization failed: invalid access_token (4).",
                                                  "request_params": [{"key": "v", "value": params.get("v", "")},
                                                                     {"key": "method", "value": method}]}})
                if params.get("v") != "5.199":
                    return self.answer({"error": {"error_code": 8, "error_msg": "Invalid request: v is required"}})
                if method == "groups.getLongPollServer":
                    with fake.lock:
                        fake.key_number += 1
                        # The stream's present: the first server is as old as the test's first comment
                        # (the connector was running before the citizens wrote); a later one is now.
                        key = f"key{fake.key_number}"
                        ts = "0" if fake.key_number == 1 else str(len(fake.events))
                    return self.answer({"response": {"key": key, "server": f"{fake.url}/lp", "ts": ts}})
                if method == "users.get":
                    people = [{"id": int(n), "first_name": "Анна" if int(n) % 2 else "Олег", "last_name": f"Житель{n}",
                               "can_access_closed": True, "is_closed": False} for n in params["user_ids"].split(",")]
                    return self.answer({"response": people})
                if method == "wall.createComment":
                    return self.create_comment(params)
                return self.answer({"error": {"error_code": 3, "error_msg": "Unknown method passed"}})

            def create_comment(self, params):
                errors = {212: "Access to post comments denied", 213: "Access to status replies denied: replies disabled",
                          223: "Too many replies", 6: "Too many requests per second", 9: "Flood control",
                          10: "Internal server error", 27: "Group authorization failed: method is unavailable with group auth."}
                with fake.lock:
                    if fake.comment_errors:
                        code = fake.comment_errors.pop(0)
                        return self.answer({"error": {"error_code": code, "error_msg": errors.get(code, "error"),
                                                      "request_params": [{"key": "method", "value": "wall.createComment"}]}})
                    if (params.get("owner_id") != str(-fake.group) or params.get("from_group") != str(fake.group)
                            or not params.get("post_id", "").isdigit() or not params.get("message")):
                        return self.answer({"error": {"error_code": 100, "error_msg": "One of the parameters specified was missing or invalid"}})
                    earlier = next((c for c in fake.created if params.get("guid") and c["guid"] == params.get("guid")), None)
                    if earlier is None:
                        answered = int(params["reply_to_comment"]) if params.get("reply_to_comment") else None
                        root = fake.threads.get(answered, answered) if answered else None
                        earlier = {**params, "comment_id": 9000 + len(fake.created), "parents_stack": [root] if root else []}
                        fake.created.append(earlier)
                    lose = fake.lose_answers > 0
                    fake.lose_answers -= 1 if lose else 0
                if lose:
                    self.close_connection = True
                    self.connection.close()
                    return None
                return self.answer({"response": {"comment_id": earlier["comment_id"], "parents_stack": earlier["parents_stack"]}})

            def do_GET(self):
                query = dict(urllib.parse.parse_qsl(urllib.parse.urlparse(self.path).query))
                with fake.lock:
                    fake.calls.append(("a_check", query))
                    if fake.failures:
                        return self.answer(fake.failures.pop(0))
                    if query.get("key") != f"key{fake.key_number}":
                        return self.answer({"failed": 2})
                    since = int(query["ts"])
                    updates = [update for ts, update in fake.events if ts > since]
                    now = len(fake.events)
                if not updates:
                    time.sleep(0.05)  # (VK waits up to `wait` seconds; the tests need no more)
                return self.answer({"ts": str(now), "updates": updates})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def comment(self, comment_id, from_id, post_id=100, text="Яма у школы", thread=None, kind="wall_reply_new",
                streamed=True, date=None):
        """A comment event as VK sends it (a reply inside a thread carries the thread's root); with
        `streamed` False, a comment on the wall that the stream lost (only wall.getComments shows it)."""
        obj = {"id": comment_id, "from_id": from_id, "post_id": post_id, "owner_id": -self.group,
               "parents_stack": [thread] if thread else [], "date": date or int(time.time()) - 30, "text": text,
               "thread": {"count": 0}, "post_owner_id": -self.group}
        with self.lock:
            self.threads[comment_id] = thread or comment_id
            if kind == "wall_reply_new":
                self.wall.append(obj)
            if not streamed:
                return
            self.events.append((len(self.events) + 1, {"type": kind, "object": obj, "group_id": self.group,
                                                        "event_id": f"e{len(self.events) + 1}", "v": "5.199"}))

    def read_wall(self, method, params):
        """wall.get (the posts that have comments, newest first) and wall.getComments (extended: items,
        profiles; a top-level comment's thread with `thread_items_count` of its replies; `comment_id`: one
        thread's replies), both in the documented shapes."""
        with self.lock:
            wall = list(self.wall)
        if method == "wall.get":
            posts = sorted({c["post_id"] for c in wall}, reverse=True)[:int(params.get("count", 20))]
            return {"count": len(posts), "items": [
                {"id": p, "owner_id": -self.group, "from_id": -self.group, "date": int(time.time()) - 3600,
                 "text": "Пост", "comments": {"count": sum(1 for c in wall if c["post_id"] == p)}} for p in posts]}
        post = int(params["post_id"])
        root = int(params["comment_id"]) if params.get("comment_id") else None
        level = [c for c in wall if c["post_id"] == post and (c["parents_stack"][:1] == [root] if root else not c["parents_stack"])]
        level.sort(key=lambda c: (c["date"], c["id"]), reverse=params.get("sort") == "desc")
        offset, count = int(params.get("offset", 0)), int(params.get("count", 10))
        page = level[offset:offset + count]
        shown = int(params.get("thread_items_count", 0))
        items = []
        for c in page:
            item = {k: c[k] for k in ("id", "from_id", "date", "text")} | {"post_id": post, "owner_id": -self.group}
            if not root:
                replies = sorted((r for r in wall if r["parents_stack"][:1] == [c["id"]]), key=lambda r: r["date"])
                item["thread"] = {"count": len(replies), "items": [
                    {k: r[k] for k in ("id", "from_id", "date", "text")} | {"post_id": post, "owner_id": -self.group}
                    for r in replies[:shown]], "can_post": True}
            items.append(item)
        people = sorted({c["from_id"] for c in page if c["from_id"] > 0})
        return {"count": len(level), "current_level_count": len(level), "can_post": True, "items": items,
                "profiles": [{"id": n, "first_name": "Пропущенный", "last_name": f"Житель{n}"} for n in people],
                "groups": []}

    def delete(self, comment_id, post_id=100, deleter_id=None):
        """`wall_reply_delete` as VK sends it: `deleter_id`, not the schema's `user_id`."""
        obj = {"owner_id": -self.group, "id": comment_id, "deleter_id": deleter_id or 151850844, "post_id": post_id}
        with self.lock:
            self.events.append((len(self.events) + 1, {"type": "wall_reply_delete", "object": obj, "group_id": self.group,
                                                        "event_id": f"e{len(self.events) + 1}", "v": "5.199"}))

    def refuse_comment(self, *codes):
        with self.lock:
            self.comment_errors.extend(codes)

    def lose_answer(self, times=1):
        with self.lock:
            self.lose_answers += times

    def fail(self, answer):
        with self.lock:
            self.failures.append(answer)

    def count(self, method):
        with self.lock:
            return sum(1 for name, _ in self.calls if name == method)

    def close(self):
        self.server.shutdown()
