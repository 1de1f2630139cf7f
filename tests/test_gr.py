"""GR (grammar through LanguageTool) and XX007, against a
LanguageTool-compatible endpoint on loopback that each test run starts:
``POST /v2/check`` with LanguageTool's form fields (``data`` annotated text
or ``text``, ``language``, ``disabledRules``, ``disabledCategories``) and
its JSON answer, offsets in UTF-16 code units as LanguageTool's are. Its
"rules" are canned: ``teh``, ``could of``, ``in order to`` and so on.

GR001, GR002, GR003, GR004, GR005, GR006 and GR009 need a server, so they
have no text fixture (tests/test_fixtures.py points here); XX007 neither.
With ``ARTLINT_LANGUAGETOOL_URL`` set, one more test runs against that
real LanguageTool.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from artlint import languagetool
from artlint.config import ConfigError
from artlint.document import Document
from artlint.engine import RUN_NOTICES
from artlint.rules import gr

from conftest import diagnostics, fix, run_cli, settings


# ------------------------------------------------------ the fake server
def _u16(s: str) -> int:
    return sum(2 if ord(c) > 0xFFFF else 1 for c in s)


# (pattern, rule id, category id, issue type, message, replacements)
FAKE_RULES = [
    (r"\b[Tt]eh\b", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", "Possible spelling mistake found.",
     lambda s: ["The" if s[0] == "T" else "the"]),
    (r"\brecieve\b", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", "Possible spelling mistake found.",
     lambda s: ["receive"]),
    (r"\bcould of\b", "COULD_OF", "GRAMMAR", "grammar", "Did you mean “could have”?",
     lambda s: ["could have", "could’ve"]),
    (r"\bin order to\b", "IN_ORDER_TO", "STYLE", "style", "Consider a shorter phrase.", lambda s: ["to"]),
    (r"\b(?:monday|tuesday)\b", "DAY_CASE", "CASING", "typographical", "Days of the week are capitalised.",
     lambda s: [s.capitalize()]),
    (r"\bthere plan\b", "THERE_THEIR", "CONFUSED_WORDS", "grammar", "Did you mean “their plan”?",
     lambda s: ["their plan"]),
    (r"\bany more\b", "ANY_MORE", "US_SPECIFIC_TYPOS", "misspelling", "Did you mean “anymore”?",
     lambda s: ["anymore"]),
    (r"\bXyzzy\b", "XYZZY", "MISC", "uncategorized", "A word of magic.", lambda s: []),
    (r"(?<=\S)  +(?=\S)", "WHITESPACE_RULE", "TYPOGRAPHY", "whitespace", "Possible typo: you repeated a whitespace",
     lambda s: [" "]),
]


def fake_check(form: dict[str, str]) -> dict:
    """What LanguageTool would answer, for the canned rules: matches found in
    the plain text (text parts, markup read as its interpretAs) and mapped
    back to offsets in the original (text and markup), in UTF-16 units."""
    parts = json.loads(form["data"])["annotation"] if "data" in form else [{"text": form["text"]}]
    plain: list[str] = []
    origin: list[int | None] = []
    u = 0
    for part in parts:
        if "text" in part:
            for ch in part["text"]:
                plain.append(ch)
                origin.append(u)
                u += _u16(ch)
        else:
            for ch in part.get("interpretAs", ""):
                plain.append(ch)
                origin.append(None)
            u += _u16(part["markup"])
    text = "".join(plain)
    off_rules = set(filter(None, form.get("disabledRules", "").split(",")))
    off_categories = set(filter(None, form.get("disabledCategories", "").split(",")))
    found = []

    def add(start: int, end: int, rule_id, category, issue, message, replacements):
        a, b = origin[start], origin[end - 1]
        if a is None or b is None or rule_id in off_rules or category in off_categories:
            return
        found.append({
            "message": message, "shortMessage": "", "offset": a, "length": b + _u16(text[end - 1]) - a,
            "replacements": [{"value": r} for r in replacements],
            "context": {"text": text[max(0, start - 20):end + 20], "offset": 0, "length": 0},
            "sentence": "",
            "rule": {"id": rule_id, "description": rule_id.title(), "issueType": issue,
                     "category": {"id": category, "name": category.title()}},
        })

    for pattern, rule_id, category, issue, message, replacements in FAKE_RULES:
        for m in re.finditer(pattern, text):
            add(m.start(), m.end(), rule_id, category, issue, message, replacements(m.group()))
    # An odd number of straight double quotes in a paragraph: the last one is
    # unpaired (LanguageTool's quote rule and its bracket rule both say so).
    pos = 0
    for para in text.split("\n\n"):
        quotes = [m.start() for m in re.finditer('"', para)]
        if len(quotes) % 2:
            at = pos + quotes[-1]
            add(at, at + 1, "EN_UNPAIRED_QUOTES", "PUNCTUATION", "uncategorized", "Unpaired quotation mark.", [])
            add(at, at + 1, "EN_UNPAIRED_BRACKETS", "PUNCTUATION", "uncategorized", "Unpaired symbol: '\"'.", [])
        pos += len(para) + 2
    found.sort(key=lambda m: m["offset"])
    return {"software": {"name": "FakeLanguageTool", "version": "6.8", "apiVersion": 1},
            "language": {"name": "English (US)", "code": form.get("language", "")}, "matches": found}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):  # a client that gave up: not an error here
        pass


class FakeLanguageTool:
    def __init__(self) -> None:
        self.mode = "ok"  # ok | sleep | 500 | malformed | not-languagetool
        self.delay = 0.0
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                form = {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
                with fake.lock:
                    fake.requests.append((self.path, form))
                if fake.mode == "sleep":
                    time.sleep(fake.delay)
                if self.path != "/v2/check":
                    return self._send(404, b"not found", "text/plain")
                if fake.mode == "500":
                    return self._send(500, b"Error: java.lang.RuntimeException: boom\n", "text/plain")
                if fake.mode == "malformed":
                    return self._send(200, b'{"software": {"name": "LanguageTool"}, "matches": [', "application/json")
                if fake.mode == "not-languagetool":
                    return self._send(200, b'{"status": "ok"}', "application/json")
                return self._send(200, json.dumps(fake_check(form)).encode(), "application/json")

            def _send(self, status, data, kind):
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def checks(self) -> list[dict[str, str]]:
        return [form for path, form in self.requests if path == "/v2/check"]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def server():
    fake = FakeLanguageTool()
    yield fake
    fake.close()


@pytest.fixture(autouse=True)
def fresh(server, monkeypatch, tmp_path):
    server.mode, server.delay = "ok", 0.0
    server.requests.clear()
    gr.reset()
    languagetool._LOCAL.clear()
    # No LanguageTool "on disk" unless a test puts one there.
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "no-languagetool"))
    yield
    gr.reset()
    languagetool._LOCAL.clear()


def config(server, **options) -> dict:
    return {"gr": {"grammar": True, "languagetool-url": server.url, **options}}


def found(text, path, cfg, select=None):
    """[(line, col, code, message, fix title or None)] of the GR findings,
    and the run notices of the document."""
    doc, diags = diagnostics(text, path=path, config=cfg, select=select)
    out = [(*doc.position(d.span.start), d.code, d.message, d.fix.title if d.fix else None)
           for d in diags if d.code.startswith("GR")]
    return out, doc.cache.get(RUN_NOTICES, {})


# ------------------------------------------------------------ the article
ARTICLE = """---
title: Teh vote
---

# Council vote

The council met on monday and said teh plan, see [teh report](https://teh.example/a) or `teh code`.

```
teh = code()
```

Le café 🎉 crème, we could of tried; we recieve teh guests.
"""

FIXED = """---
title: Teh vote
---

# Council vote

The council met on Monday and said the plan, see [the report](https://teh.example/a) or `teh code`.

```
teh = code()
```

Le café 🎉 crème, we could of tried; we receive the guests.
"""

SPELLING = "Possible spelling mistake found. (LanguageTool: MORFOLOGIK_RULE_EN_US)"


def test_findings_and_exact_offsets_past_front_matter_code_and_emoji(server):
    got, notices = found(ARTICLE, "article.md", config(server))
    assert notices == {}
    assert got == [
        (7, 20, "GR005", "Days of the week are capitalised. (LanguageTool: DAY_CASE)", "Replace with 'Monday'"),
        (7, 36, "GR002", SPELLING, "Replace with 'the'"),
        (7, 51, "GR002", SPELLING, "Replace with 'the'"),
        (13, 21, "GR001", "Did you mean “could have”? (LanguageTool: COULD_OF)",
         "Replace with one of 'could have', 'could’ve'"),
        (13, 40, "GR002", SPELLING, "Replace with 'receive'"),
        (13, 48, "GR002", SPELLING, "Replace with 'the'"),
    ]
    # Front matter, the fenced block and inline code hold "teh" too: not prose, not sent.
    (form,) = server.checks()
    parts = json.loads(form["data"])["annotation"]
    sent = "".join(p.get("text", "") for p in parts)
    assert "title" not in sent and "teh = code()" not in sent and "`teh code`" not in sent
    assert "".join(p.get("text", p.get("markup")) for p in parts) == ARTICLE[ARTICLE.index("Council vote"):-1]
    assert form["language"] == "en-US"


def test_fixes_one_replacement_unsafe_several_display_only(server):
    cfg = config(server)
    assert fix(ARTICLE, path="article.md", config=cfg) == ARTICLE  # no safe fix
    assert fix(ARTICLE, path="article.md", config=cfg, unsafe=True) == FIXED


def test_the_categories_map_to_stable_codes(server):
    text = ("The mayor spoke in order to explain there plan on Xyzzy day.\n\n"
            "Nobody does that any more, he said.\n")
    got, _ = found(text, "article.txt", config(server))
    assert got == [
        (1, 17, "GR004", "Consider a shorter phrase. (LanguageTool: IN_ORDER_TO)", "Replace with 'to'"),
        (1, 37, "GR006", "Did you mean “their plan”? (LanguageTool: THERE_THEIR)", "Replace with 'their plan'"),
        (1, 51, "GR009", "A word of magic. (LanguageTool: XYZZY)", None),
        # A category of one language goes by its rule's issue type (misspelling).
        (3, 18, "GR002", "Did you mean “anymore”? (LanguageTool: ANY_MORE)", "Replace with 'anymore'"),
    ]
    assert [gr.code_for(languagetool.Match(0, 1, "", "X", c, t, ())) for c, t in [
        ("GRAMMAR", ""), ("TYPOS", ""), ("PUNCTUATION", ""), ("TYPOGRAPHY", ""), ("STYLE", ""), ("CASING", ""),
        ("CONFUSED_WORDS", ""), ("MISC", ""), ("NEW_CATEGORY", "grammar"), ("NEW_CATEGORY", "whatever"),
    ]] == ["GR001", "GR002", "GR003", "GR003", "GR004", "GR005", "GR006", "GR009", "GR001", "GR009"]


def test_plain_text_code_lines_and_urls_are_not_sent(server):
    text = "Officials said teh budget was late.\nx = teh(1);\nSee https://teh.example/page for teh rest.\n"
    got, _ = found(text, "article.txt", config(server))
    assert [(line, col, code) for line, col, code, _, _ in got] == [(1, 16, "GR002"), (3, 34, "GR002")]


def test_a_selected_code_reports_only_its_category(server):
    got, _ = found(ARTICLE, "article.md", config(server), select=["GR001"])
    assert [(line, col, code) for line, col, code, _, _ in got] == [(13, 21, "GR001")]


def test_long_articles_are_sent_in_batches_of_whole_paragraphs(server):
    paragraph = "The council met again today and the members talked about the budget for a long time. " * 12
    paragraphs = [paragraph.strip()] * 30 + ["In the end they said teh vote was over."]
    text = "\n\n".join(paragraphs) + "\n"
    got, _ = found(text, "article.txt", config(server))
    assert [(line, col, code) for line, col, code, _, _ in got] == [(61, 22, "GR002")]
    checks = server.checks()
    assert len(checks) == 2  # some 31,000 characters: two requests of whole paragraphs
    for form in checks:
        sent = "".join(p.get("text", p.get("markup")) for p in json.loads(form["data"])["annotation"])
        assert len(sent) <= languagetool.CHUNK_SIZE
        assert sent.startswith(("The council", "In the end")) and sent.endswith((".",))
    # The same text again is answered from memory, not asked again.
    found(text, "article.txt", config(server))
    assert len(server.checks()) == 2


# ------------------------------------------------------ request contents
def test_disabled_rules_and_categories_and_language_are_sent(server):
    cfg = config(server, **{"disabled-rules": ["MORFOLOGIK_RULE_EN_US"], "disabled-categories": ["STYLE", "CASING"],
                            "language": "en-GB"})
    got, _ = found("On monday teh mayor spoke in order to explain, said he.\n", "article.txt", cfg)
    assert got == []
    (form,) = server.checks()
    assert "MORFOLOGIK_RULE_EN_US" in form["disabledRules"].split(",")
    assert form["disabledCategories"] == "CASING,STYLE"
    assert form["language"] == "en-GB"


def test_quote_rules_are_off_while_qt_runs(server):
    text = 'He said "we will win, and left the room.\n'
    got, _ = found(text, "article.txt", config(server))
    assert got == []  # QT reports quotation marks, not LanguageTool
    off = server.checks()[0]["disabledRules"].split(",")
    assert {"EN_QUOTES", "EN_UNPAIRED_QUOTES"} <= set(off)

    server.requests.clear()
    got, _ = found(text, "article.txt", {**config(server), "ignore": ["QT"]})
    assert [(line, col, code, msg) for line, col, code, msg, _ in got] == [
        (1, 9, "GR003", "Unpaired quotation mark. (LanguageTool: EN_UNPAIRED_QUOTES)"),
        (1, 9, "GR003", "Unpaired symbol: '\"'. (LanguageTool: EN_UNPAIRED_BRACKETS)"),
    ]
    assert "EN_UNPAIRED_QUOTES" not in server.checks()[0].get("disabledRules", "")


def test_rules_artlint_covers_itself_are_off_while_they_run(server):
    text = "The mayor  spoke today about the plan for the city.\n"
    got, _ = found(text, "article.txt", config(server))
    assert got == []
    assert "WHITESPACE_RULE" in server.checks()[0]["disabledRules"].split(",")
    got, _ = found(text, "article.txt", {**config(server), "ignore": ["WS003", "WS007"]})
    assert [(line, col, code) for line, col, code, _, _ in got] == [(1, 10, "GR003")]
    assert "WHITESPACE_RULE" not in server.checks()[-1].get("disabledRules", "")


# ------------------------------------------------------ opt-in and config
def test_grammar_is_opt_in(server):
    assert not any(code.startswith("GR") for code in settings({}).enabled)
    assert {c for c in settings({"gr": {"grammar": True}}).enabled if c.startswith("GR")} == {
        "GR001", "GR002", "GR003", "GR004", "GR005", "GR006", "GR009"}
    # A file's own select keeps grammar on; the command line's --select decides.
    assert "GR002" in settings({"select": ["WS"], "gr": {"grammar": True}}).enabled
    assert "GR002" not in settings({"gr": {"grammar": True}}, select=["WS"]).enabled
    # Selected without grammar = true: nothing is sent anywhere.
    got, notices = found(ARTICLE, "article.md", {"gr": {"languagetool-url": server.url}}, select=["GR"])
    assert got == [] and notices == {} and server.requests == []


@pytest.mark.parametrize(("options", "error"), [
    ({"grammar": "yes"}, "gr.grammar: expected true or false"),
    ({"languagetool-url": "localhost:8081"}, "languagetool-url 'localhost:8081' is not an http:// or https:// URL"),
    ({"languagetool-timeout": 0}, "languagetool-timeout must be a number of seconds above 0"),
    ({"disabled-rules": "EN_QUOTES,X"}, "gr.disabled-rules: expected a list of strings"),
    ({"languagetool-server": "http://x"}, "unknown key 'languagetool-server' in [gr]"),
    ({"covered-rules": ["X"]}, "unknown key 'covered-rules' in [gr]"),
])
def test_config_errors(options, error):
    with pytest.raises(ConfigError, match=re.escape(error)):
        settings({"gr": options})


def test_the_readme_gr_options_are_a_valid_config():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^## Configuration\n.*?^```toml\n(.*?)^```", readme, re.M | re.S).group(1)
    options = tomllib.loads(block)["tool"]["artlint"]["gr"]
    assert set(options) == {"grammar", "languagetool-url", "languagetool-timeout", "language", "disabled-rules",
                            "disabled-categories"}
    opts = settings({"gr": options}).options["GR001"]
    assert opts.grammar and opts.languagetool_url == "http://localhost:8081"


def test_articles_in_other_languages_are_not_sent(server):
    text = "Der Rat hat am Montag über den Haushalt beraten und teh nichts beschlossen, sagte er.\n"
    got, _ = found(text, "article.txt", config(server))
    assert got == [] and server.requests == []
    got, _ = found(text, "article.txt", config(server, language="auto"))
    assert [code for _, _, code, _, _ in got] == ["GR002"]


# ------------------------------------------------------------ failures
@pytest.mark.parametrize(("mode", "reason"), [
    ("500", "the LanguageTool server at {url} answered HTTP 500 (Error: java.lang.RuntimeException: boom)"),
    ("malformed", "the LanguageTool server at {url} sent a malformed answer (not JSON)"),
    ("not-languagetool", "the LanguageTool server at {url} sent a malformed answer (no list of matches)"),
    ("sleep", "the LanguageTool server at {url} did not answer within 0.3 s (languagetool-timeout)"),
])
def test_a_failing_server_gives_one_notice_and_no_findings(server, mode, reason):
    server.mode, server.delay = mode, 2.0
    start = time.monotonic()
    got, notices = found(ARTICLE, "article.md", config(server, **{"languagetool-timeout": 0.3}))
    assert time.monotonic() - start < 1.5
    assert got == []
    assert notices == {"XX007": "Grammar checks skipped: " + reason.format(url=server.url)}


def test_a_server_that_timed_out_is_not_asked_again_for_every_file(server):
    server.mode, server.delay = "sleep", 2.0
    cfg = config(server, **{"languagetool-timeout": 0.3})
    for _ in range(3):
        _, notices = found(ARTICLE, "article.md", cfg)
        assert "did not answer within 0.3 s" in notices["XX007"]
    assert len(server.checks()) == 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_server_at_the_url(server):
    url = f"http://127.0.0.1:{_free_port()}"
    got, notices = found(ARTICLE, "article.md", {"gr": {"grammar": True, "languagetool-url": url}})
    assert got == []
    assert notices == {"XX007": f"Grammar checks skipped: no LanguageTool server at {url} (connection refused)"}


def test_no_server_configured_and_none_on_disk(tmp_path):
    got, notices = found(ARTICLE, "article.md", {"gr": {"grammar": True}})
    assert got == []
    assert notices == {"XX007": "Grammar checks skipped: no languagetool-url is configured and no LanguageTool "
                                f"is on disk in {tmp_path / 'no-languagetool'}"}


def test_languagetool_on_disk_without_java_is_not_started(tmp_path, monkeypatch):
    folder = tmp_path / "lt"
    (folder / "LanguageTool-6.8").mkdir(parents=True)
    (folder / "LanguageTool-6.8" / "languagetool-server.jar").write_bytes(b"")
    monkeypatch.setenv("LTP_PATH", str(folder))
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    _, notices = found(ARTICLE, "article.md", {"gr": {"grammar": True}})
    assert notices == {"XX007": "Grammar checks skipped: no languagetool-url is configured, and the LanguageTool "
                                f"in {folder} needs Java, not found"}
    assert sorted(p.name for p in folder.iterdir()) == ["LanguageTool-6.8"]  # nothing downloaded


def test_a_local_languagetool_is_started_once_before_worker_processes_fork(monkeypatch):
    from artlint.runner import _prepare_run

    calls = []
    from artlint import languagetool

    monkeypatch.setattr(languagetool, "local_server", lambda language: calls.append(language) or (None, "none"))
    local = settings({"gr": {"grammar": True}})
    _prepare_run([(Path("a.md"), "a.md", local), (Path("b.md"), "b.md", local)])
    assert calls == ["en-US"]
    remote = settings({"gr": {"grammar": True, "languagetool-url": "http://lt.example:8081"}})
    _prepare_run([(Path("a.md"), "a.md", remote), (Path("b.md"), "b.md", settings({}))])
    assert calls == ["en-US"]  # a configured server, or no grammar: nothing to start


# --------------------------------------------------- the command line
def _project(tmp_path: Path, options: str, files: dict[str, str]) -> Path:
    (tmp_path / "artlint.toml").write_text(f"[gr]\ngrammar = true\n{options}", encoding="utf-8")
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _cli(cwd: Path, *args: str, **env: str):
    proc = run_cli("check", "--output-format", "concise", *args, cwd=cwd,
                   env={"LTP_PATH": str(cwd / "no-languagetool"), "ARTLINT_CACHE_DIR": str(cwd / ".cache"), **env})
    assert b"Traceback" not in proc.stderr and b"internal error" not in proc.stderr, proc.stderr
    return proc, proc.stdout.decode().splitlines()


def test_cli_reports_findings_and_fixes(server, tmp_path):
    cwd = _project(tmp_path, f'languagetool-url = "{server.url}"\n', {"a.md": ARTICLE})
    proc, out = _cli(cwd, "a.md")
    assert proc.returncode == 1
    assert out[:6] == [
        "a.md:7:20: GR005 [-] Days of the week are capitalised. (LanguageTool: DAY_CASE)",
        f"a.md:7:36: GR002 [-] {SPELLING}",
        f"a.md:7:51: GR002 [-] {SPELLING}",
        "a.md:13:21: GR001 Did you mean “could have”? (LanguageTool: COULD_OF)",
        f"a.md:13:40: GR002 [-] {SPELLING}",
        f"a.md:13:48: GR002 [-] {SPELLING}",
    ]
    _cli(cwd, "--fix", "--unsafe-fixes", "a.md")
    assert (cwd / "a.md").read_text(encoding="utf-8") == FIXED


@pytest.mark.parametrize("mode", ["500", "malformed", "sleep"])
def test_cli_one_notice_per_run_and_exit_status_unless_strict(server, tmp_path, mode):
    server.mode, server.delay = mode, 2.0
    cwd = _project(tmp_path, f'languagetool-url = "{server.url}"\nlanguagetool-timeout = 0.3\n',
                   {"a.md": ARTICLE, "b.md": ARTICLE, "c.txt": "The vote was close.\n"})
    proc, out = _cli(cwd, ".")
    notices = [line for line in out if "XX007" in line]
    assert len(notices) == 1, out
    assert notices[0].startswith("a.md:1:1: XX007 Grammar checks skipped: the LanguageTool server at ")
    assert notices[0].endswith("; 3 files not checked")
    assert not any(" GR0" in line for line in out)
    assert proc.returncode == 0  # info: the exit status does not change
    proc, out = _cli(cwd, "--strict", ".")
    assert proc.returncode == 1
    proc, out = _cli(cwd, "--strict", "--output-format", "json", ".")
    (notice,) = [d for d in json.loads(out and "\n".join(out)) if d["code"] == "XX007"]
    assert notice["filename"].endswith("a.md")


def test_cli_no_server_configured_gives_the_one_clear_message(tmp_path):
    cwd = _project(tmp_path, "", {"a.md": ARTICLE, "b.txt": "The vote was close.\n"})
    proc, out = _cli(cwd, ".")
    assert proc.returncode == 0
    assert out == [
        ("a.md:1:1: XX007 Grammar checks skipped: no languagetool-url is configured and no LanguageTool is on "
         f"disk in {cwd / 'no-languagetool'}; 2 files not checked"),
        "Found 1 finding.",
    ]


def test_cli_standard_input(tmp_path):
    cwd = _project(tmp_path, f'languagetool-url = "http://127.0.0.1:{_free_port()}"\n', {})
    proc = run_cli("check", "--output-format", "concise", "--stdin-filename", "story.md", "-", cwd=cwd,
                   input=ARTICLE.encode(), env={"LTP_PATH": str(cwd / "none")})
    assert proc.returncode == 0
    line, _summary = proc.stdout.decode().splitlines()
    assert line.startswith("story.md:1:1: XX007 Grammar checks skipped: no LanguageTool server at ")
    assert line.endswith("(connection refused); 1 file not checked")


def test_cli_many_files_in_worker_processes_and_the_cache(server, tmp_path):
    files = {f"story{i:02}.md": ARTICLE for i in range(18)}
    cwd = _project(tmp_path, f'languagetool-url = "{server.url}"\n', files)
    server.mode = "500"
    proc, out = _cli(cwd, ".")
    assert proc.returncode == 0
    notices = [line for line in out if "XX007" in line]
    assert notices == [(f"story00.md:1:1: XX007 Grammar checks skipped: the LanguageTool server at {server.url} "
                        "answered HTTP 500 (Error: java.lang.RuntimeException: boom); 18 files not checked")]
    # Files whose grammar was skipped are not cached: the next run checks them.
    server.mode = "ok"
    proc, out = _cli(cwd, ".")
    assert proc.returncode == 1
    assert not any("XX007" in line for line in out)
    assert sum(" GR002 " in line for line in out) == 18 * 4
    asked = len(server.checks())
    _, again = _cli(cwd, ".")
    assert again == out and len(server.checks()) == asked  # from the cache


def test_importing_the_cli_loads_no_http_client_or_language_tool_python():
    probe = ("import sys, artlint.cli\n"
             "from artlint.registry import load_builtin_rules\n"
             "load_builtin_rules()\n"
             "print(sorted(m for m in sys.modules if m.startswith(('language_tool_python', 'requests', "
             "'urllib.request', 'http.client'))))\n")
    out = subprocess.run([sys.executable, "-c", probe], check=False, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


# ---------------------------------------------------------- helpers
def test_the_annotated_text_of_markdown():
    text = ("# Title\n\n`npm` is *a* tool, see [the docs](https://x.org \"t\") or <https://x.org>, <b>bold</b>.\n\n"
            "1. first\n2. second\n\n> quoted\n> more\n\n| a | b |\n|---|---|\n")
    doc = Document("a.md", text)
    ((start, end),) = languagetool.chunks(doc)
    parts = languagetool.annotation(doc, start, end)
    assert "".join(p.get("text", p.get("markup")) for p in parts) == text[start:end]
    seen = [(p["text"],) if "text" in p else (p["markup"], p.get("interpretAs", "")) for p in parts]
    assert seen == [
        ("Title\n\n",), ("`npm`", "Dummy0"), (" is ",), ("*", ""), ("a",), ("*", ""), (" tool, see ",),
        ("[", ""), ("the docs",), ("]", ""), ('(https://x.org "t")', ""), (" or ",), ("<https://x.org>", "Dummy1"),
        (", ",), ("<b>", ""), ("bold",), ("</b>", ""), (".\n\n",),
        ("1. ", "\n\n"), ("first\n",), ("2. ", "\n\n"), ("second\n\n",),
        ("> ", ""), ("quoted\n",), ("> ", ""), ("more\n\n",),
        ("| ", "\n\n"), ("a ",), ("| ", "\n\n"), ("b",),
    ]


def test_utf16_offsets_and_urls():
    index = languagetool.Utf16Index("a🎉b😀c")
    assert [index(u) for u in (0, 1, 3, 4, 6)] == [0, 1, 2, 3, 4]
    assert languagetool.Utf16Index("café").starts is None  # no astral characters: offsets are the same
    assert languagetool.check_url("http://lt:8081") == "http://lt:8081/v2/check"
    assert languagetool.check_url("http://lt:8081/v2/") == "http://lt:8081/v2/check"
    assert languagetool.check_url("https://api.example/v2/check") == "https://api.example/v2/check"


# ------------------------------------------------------ a real server
REAL = os.environ.get("ARTLINT_LANGUAGETOOL_URL")


@pytest.mark.skipif(not REAL, reason="set ARTLINT_LANGUAGETOOL_URL to a LanguageTool server to run this test")
def test_against_a_real_languagetool():
    text = ("---\ntitle: Teh vote\n---\n\nThe ministers said teh talks would resume on Monday.\n\n"
            "```\nteh = code()\n```\n\nLe café 🎉 crème: the ministers has left early today.\n")
    doc, diags = diagnostics(text, path="article.md", config={"gr": {"grammar": True, "languagetool-url": REAL}})
    assert doc.cache.get(RUN_NOTICES, {}) == {}
    grammar = [d for d in diags if d.code.startswith("GR")]
    assert any(doc.position(d.span.start) == (5, 20) and d.code == "GR002" and d.fix is not None
               for d in grammar), grammar
    for d in grammar:
        line, _ = doc.position(d.span.start)
        assert line in (5, 11), d  # never front matter or code
        assert "(LanguageTool: " in d.message
        assert doc.is_prose(d.span.start, d.span.end)
        # Offsets after the emoji land on words, not one character off.
        assert re.fullmatch(r"\w[\w' ]*\w|\w", doc.text[d.span.start:d.span.end]), d
