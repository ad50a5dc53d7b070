"""The app's doors, tried against the real server over HTTP: same-origin proof for every
request that changes anything, sessions a stranger cannot push out, a job queue with
limits that say why, the Host check on every address, and bodies that once crashed it."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request

import pytest

from solarcoop.app import server, sessions, text

PATHS = 50
"""Monte Carlo paths per run here: the runs only have to finish."""


@pytest.fixture
def app():
    """A fresh server on a free loopback port; yields ``(base url, server)``."""
    httpd = server.make_server("127.0.0.1", 0, lang="en", n_paths=PATHS)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", httpd
    httpd.shutdown()
    httpd.server_close()


def request(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers or {}, method=method), timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def page_token(url: str) -> str:
    """The token the page carries, read from the page as its script reads it."""
    status, page = request(url + "/")
    assert status == 200
    return re.search(rb'<meta name="solarcoop-page" content="([^"]+)">', page).group(1).decode()


def new_session(url: str, lang: str = "en") -> tuple[int, dict]:
    status, body = request(f"{url}/api/session?lang={lang}", "POST", b"", {"X-Solarcoop-Page": page_token(url), "Origin": url})
    return status, json.loads(body)


def call(url: str, session: str, name: str, body: dict, lang: str = "en", headers: dict | None = None):
    status, answer = request(f"{url}/api/{name}?lang={lang}", "POST", json.dumps(body).encode(),
                             {"X-Solarcoop-Session": session, "Content-Type": "application/json", **(headers or {})})  # fmt: skip
    return status, json.loads(answer)


def open_session(url: str) -> str:
    status, answer = new_session(url)
    assert status == 200, answer
    session = answer["session"]
    assert call(url, session, "open", {"slot": 0, "source": "baseline"})[0] == 200
    return session


CROSS_ORIGIN_SESSION_REQUESTS = [
    ({"Content-Type": "application/x-www-form-urlencoded", "Origin": "http://attacker.example"}, b"a=1"),  # a no-cors form post
    ({"Content-Type": "text/plain"}, b""),  # no page token at all
    ({"X-Solarcoop-Page": "guessed"}, b""),  # a wrong token
    ({"Origin": "null"}, b""),  # a sandboxed frame
]


def test_a_cross_origin_page_cannot_open_sessions_or_push_the_tabs_work_out(app):
    url, _ = app
    session = open_session(url)
    assert call(url, session, "change", {"slot": 0, "path": "cooperative.families", "value": "300"})[0] == 200
    refused = 0
    for _ in range(10):  # forty cross-origin requests, more than the sessions kept
        for headers, body in CROSS_ORIGIN_SESSION_REQUESTS:
            status, answer = request(url + "/api/session", "POST", body, headers)
            assert status == 403
            assert json.loads(answer)["refused"] == "cross_origin"
            refused += 1
    assert refused == 40
    # the right token from another page's origin is refused too
    token = page_token(url)
    for headers in ({"Origin": "http://attacker.example"}, {"Sec-Fetch-Site": "cross-site"}):
        status, _ = request(url + "/api/session", "POST", b"", {"X-Solarcoop-Page": token, **headers})
        assert status == 403
    status, state = call(url, session, "state", {})
    assert status == 200
    families = next(f for f in state["slots"][0]["fields"] if f["path"] == "cooperative.families")
    assert families["value"] == 300


def test_every_state_changing_call_needs_the_tabs_header_and_its_own_origin(app):
    url, _ = app
    session = open_session(url)
    change = json.dumps({"slot": 0, "path": "cooperative.families", "value": "7"}).encode()
    # a form post cannot carry the session header; one with a foreign Origin is refused
    assert request(url + "/api/change", "POST", change, {"Content-Type": "text/plain"})[0] == 403
    assert call(url, session, "change", json.loads(change), headers={"Origin": "http://attacker.example"})[0] == 403
    assert call(url, session, "change", json.loads(change), headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    status, _ = request(f"{url}/api/upload?slot=0", "POST", b'name = "x"\n', {"Origin": "http://attacker.example",
                                                                               "X-Solarcoop-Session": session})
    assert status == 403
    # the same call from the page's own origin goes through
    assert call(url, session, "change", json.loads(change), headers={"Origin": url})[0] == 200


def test_a_cross_origin_refusal_is_in_the_pages_language(app):
    url, _ = app
    status, answer = request(url + "/api/session?lang=fa", "POST", b"", {"Origin": "http://attacker.example"})
    assert status == 403
    assert json.loads(answer)["error"] == text.catalog("fa")["refusal"]["cross_origin"]


def test_new_sessions_take_only_the_places_of_unused_or_idle_ones(app):
    url, httpd = app
    httpd.app.sessions.limit = 4
    mine = open_session(url)
    for _ in range(40):  # made by the app's own page but never used: they replace each other
        assert new_session(url)[0] == 200
    assert len(httpd.app.sessions) == 4
    assert call(url, mine, "state", {})[0] == 200
    others = [open_session(url) for _ in range(3)]  # every place now in use
    status, answer = new_session(url, "fa")
    assert status == 503
    assert answer["refused"] == "sessions_full"
    assert answer["error"] == text.catalog("fa")["refusal"]["sessions_full"].format(minutes="۶۰")
    for session in (mine, *others):
        assert call(url, session, "state", {})[0] == 200
    httpd.app.sessions.idle_seconds = 0.0  # now every session counts as idle: the least recently used goes
    assert new_session(url)[0] == 200
    assert call(url, mine, "state", {})[0] == 403  # used longest ago
    assert call(url, others[-1], "state", {})[0] == 200


def test_jobs_wait_in_one_queue_with_limits_per_tab_and_overall_that_say_why(app):
    url, httpd = app
    jobs = httpd.app.jobs
    release = threading.Event()
    for _ in range(sessions.RUNNING_AT_ONCE):  # both workers busy until released
        jobs.submit(object(), sessions.Job(), lambda: release.wait(60))
    first, second, third = (open_session(url) for _ in range(3))
    started = []
    for _ in range(sessions.JOBS_PER_SESSION):
        status, answer = call(url, first, "run", {"slots": [0]})
        assert status == 200, answer
        started.append(answer["job"])
    status, answer = call(url, first, "run", {"slots": [0]}, lang="fa")
    assert status == 429
    assert answer["refused"] == "jobs_session"
    assert answer["error"] == text.catalog("fa")["refusal"]["jobs_session"].format(jobs="۳")
    status, answer = call(url, first, "make", {"slot": 0, "what": "scenario_file"})
    assert (status, answer["refused"]) == (429, "jobs_session")  # files count as jobs too
    for _ in range(sessions.JOBS_OVERALL - sessions.RUNNING_AT_ONCE - sessions.JOBS_PER_SESSION):
        assert call(url, second, "run", {"slots": [0]})[0] == 200
    status, answer = call(url, third, "run", {"slots": [0]})
    assert status == 429
    assert answer["refused"] == "jobs_overall"
    assert answer["error"] == text.catalog("en")["refusal"]["jobs_overall"].format(jobs="8")
    # nothing ran while the workers were busy; once released, the queue drains
    assert all(not call(url, first, "job", {"job": job})[1]["done"] for job in started)
    release.set()
    for job in started:
        for _ in range(600):
            status, answer = call(url, first, "job", {"job": job})
            if answer["done"]:
                break
            threading.Event().wait(0.1)
        assert answer["done"] and answer["error"] is None and "0" in answer["headlines"]
    assert jobs.unfinished() <= sessions.JOBS_OVERALL - sessions.JOBS_PER_SESSION
    assert call(url, third, "run", {"slots": [0]})[0] == 200


@pytest.mark.parametrize(
    "body",
    [b"[" * 5000 + b"]" * 5000, b'{"a": ' + b"1" * 5000 + b"}", b'{"slot": 0' + b', "x": {' * 1500 + b"}" * 1500 + b"}",
     b"\xff\xfe not json", b'"a string"'],
    ids=["nested-5000", "integer-5000-digits", "object-nested-1500", "not-utf8", "not-an-object"],
)
def test_bodies_that_once_crashed_the_server_get_a_clear_answer_and_it_stays_up(app, body):
    url, _ = app
    session = open_session(url)
    status, answer = request(url + "/api/state", "POST", body, {"X-Solarcoop-Session": session})
    assert status == 400
    assert "JSON object" in json.loads(answer)["error"]
    assert call(url, session, "state", {})[0] == 200


@pytest.mark.parametrize("slots", ["abc", [0.5], [[0]], None, {"0": 1}])
def test_a_run_with_slots_that_are_not_slot_numbers_is_refused_by_name(app, slots):
    url, _ = app
    session = open_session(url)
    status, answer = call(url, session, "run", {"slots": slots})
    assert status == 400
    assert answer["error"].startswith("slots = ")


def test_the_host_check_holds_on_another_loopback_address():
    httpd = server.make_server("127.0.0.2", 0, lang="en", n_paths=PATHS)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        port = httpd.server_address[1]
        url = f"http://127.0.0.2:{port}"
        assert request(url + "/", headers={"Host": "attacker.example"})[0] == 421
        assert request(url + "/", headers={"Host": f"rebound.attacker.example:{port}"})[0] == 421
        assert request(url + "/")[0] == 200
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_listening_beyond_this_machine_must_be_asked_for_and_keeps_the_host_check():
    import solarcoop as sc

    with pytest.raises(sc.InputError, match="--beyond-this-machine"):
        server.make_server("0.0.0.0", 0, n_paths=PATHS)
    httpd = server.make_server("0.0.0.0", 0, lang="en", n_paths=PATHS, beyond_this_machine=True)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        port = httpd.server_address[1]
        url = f"http://127.0.0.1:{port}"
        assert request(url + "/", headers={"Host": f"attacker.example:{port}"})[0] == 421
        assert request(url + "/")[0] == 200
        assert f"localhost:{port}" in httpd.app.allowed_hosts
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_allowed_hosts_name_the_bound_address_with_its_port():
    assert server.allowed_hosts("127.0.0.2", 80) == {"127.0.0.2:80"}
    assert server.allowed_hosts("::1", 80) >= {"[::1]:80", "localhost:80", "127.0.0.1:80"}
    assert server.allowed_hosts("192.0.2.7", 8765) == {"192.0.2.7:8765"}
    assert [server.is_loopback(h) for h in ("127.0.0.2", "localhost", "::1", "0.0.0.0", "192.0.2.7", "example.org")] == [
        True, True, True, False, False, False]  # fmt: skip


@pytest.mark.parametrize(
    "arguments, expected",
    [
        (["--paths", "0"], "app --paths = 0 is out of range: allowed 1 <= value <= 100,000"),
        (["--paths", "-5"], "app --paths = -5 is out of range"),
        (["--paths", "1000000000000"], "app --paths = 1000000000000 is out of range"),
        (["--port", "70000"], "app --port = 70000 is out of range: allowed 0 <= value <= 65,535"),
        (["--port", "-1"], "app --port = -1 is out of range"),
        (["--host", "0.0.0.0"], "add --beyond-this-machine to allow it"),
        (["--host", "192.0.2.7"], "app --host = '192.0.2.7' listens beyond this machine"),
    ],
)
def test_the_app_command_refuses_bad_options_in_one_line(arguments, expected, capsys):
    from solarcoop import cli

    assert cli.main(["app", "--no-browser", "--lang", "en", *arguments]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_the_app_command_refuses_in_its_own_language(capsys):
    from solarcoop import cli

    # the app's language is Persian by default: so is its refusal
    assert cli.main(["app", "--no-browser", "--paths", "0"]) == 2
    err = capsys.readouterr().err
    assert "app --paths = ۰" in err and "۱۰۰٬۰۰۰" in err and len(err.strip().splitlines()) == 1


def test_listening_beyond_this_machine_prints_a_warning():
    process = subprocess.Popen(
        [sys.executable, "-m", "solarcoop.cli", "app", "--no-browser", "--port", "0", "--host", "0.0.0.0",
         "--beyond-this-machine"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        warning = process.stderr.readline()
        first_line = process.stdout.readline()
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    finally:
        process.kill()
    assert warning.startswith("solarcoop app: warning: listening on 0.0.0.0, beyond this machine")
    assert first_line.startswith("solarcoop app: http://127.0.0.1:")
    assert process.returncode == 0


def test_an_upload_with_an_integer_too_long_to_read_is_refused_and_the_server_stays_up(app):
    url, _ = app
    session = open_session(url)
    status, answer = request(f"{url}/api/upload?slot=0", "POST", b"lifetime_years = " + b"9" * 5000,
                             {"X-Solarcoop-Session": session})  # fmt: skip
    assert status == 422
    assert json.loads(answer)["error"].startswith("scenario file 'scenario.toml' holds a number too long to read")
    assert call(url, session, "state", {})[0] == 200


@pytest.mark.parametrize("name, body", [("state", {"slot": True}), ("copy", {"slot": 0, "to": True})])
def test_true_is_not_a_slot_number(app, name, body):
    url, _ = app
    session = open_session(url)
    assert call(url, session, name, body)[0] == 400
