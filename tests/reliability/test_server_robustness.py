"""The language server survives hostile clients: malformed transport and
messages, documents changed faster than it lints, and files it cannot decode.

Each test starts the real server (``python -m artlint.server``) and speaks to
it in bytes over stdio: Content-Length headers written by hand, so that the
malformed ones can be sent too.  After every hostile step the server must
still be alive and still answer correctly: a fresh copy of a known article
opened then gets exactly its known diagnostics, a hover on it gets the rule's
documentation, nothing is written to stderr but log lines (no traceback), and
at the end ``shutdown`` and ``exit`` end the process with status 0."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra")

from test_server import ARTICLE, ARTICLE_FINDINGS as _SERVER_FINDINGS  # noqa: E402

WAIT = 15  # seconds for one expected message: a hang fails, it does not stall the suite

# JSON-RPC and LSP error codes.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
SERVER_NOT_INITIALIZED = -32002

# The article of the server's own tests, and what it gets, with the
# severity as the number on the wire (1 = error, 2 = warning).
ARTICLE_FINDINGS = [(code, where, int(severity)) for code, where, severity in _SERVER_FINDINGS]


# ----------------------------------------------------------------- framing
def frame(body: bytes | str, length: int | str | None = None, headers: bytes = b"") -> bytes:
    """One message as the base protocol frames it; ``length`` overrides the
    Content-Length written (None: the body's true length)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    n = len(body) if length is None else length
    return f"Content-Length: {n}\r\n".encode() + headers + b"\r\n" + body


def encode(message: dict) -> bytes:
    return frame(json.dumps(message))


def rng(r: dict) -> tuple:
    return (r["start"]["line"], r["start"]["character"]), (r["end"]["line"], r["end"]["character"])


def findings(diagnostics: list[dict]) -> list[tuple]:
    return [(d.get("code"), rng(d["range"]), d["severity"]) for d in diagnostics]


def pos(line: Any, character: Any) -> dict:
    return {"line": line, "character": character}


def span(start: tuple, end: tuple) -> dict:
    return {"start": pos(*start), "end": pos(*end)}


class Server:
    """``python -m artlint.server`` as a subprocess, and the client's side in
    bytes: every message the server writes is parsed strictly (a framing
    error of the server's own fails the test) and kept in order."""

    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "artlint.server"], cwd=cwd, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.messages: list[dict] = []
        self.bad_output: list[str] = []
        self._stderr: list[bytes] = []
        self._eof = False
        self._cond = threading.Condition()
        self._next_id = 0
        self._checks = 0
        self._threads = [threading.Thread(target=self._read_stdout, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        for t in self._threads:
            t.start()

    # ------------------------------------------------------------ reading
    def _read_stdout(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                line = out.readline()
                if not line:
                    break
                length = None
                while line != b"\r\n":
                    m = re.fullmatch(rb"([A-Za-z-]+): ([^\r\n]*)\r\n", line)
                    if m is None:
                        raise ValueError(f"not a header line: {line[:200]!r}")
                    if m[1].lower() == b"content-length":
                        length = int(m[2])
                    line = out.readline()
                if length is None:
                    raise ValueError("a message without Content-Length")
                body = out.read(length)
                if len(body) != length:
                    raise ValueError(f"the output ended inside a message: {body[:200]!r}")
                message = json.loads(body.decode("utf-8"))
                with self._cond:
                    self.messages.append(message)
                    self._cond.notify_all()
        except Exception as exc:  # noqa: BLE001 - the server's own output is malformed: the test fails on it
            with self._cond:
                self.bad_output.append(f"{type(exc).__name__}: {exc}")
        finally:
            with self._cond:
                self._eof = True
                self._cond.notify_all()

    def _read_stderr(self) -> None:
        for line in self.proc.stderr:
            with self._cond:
                self._stderr.append(line)

    @property
    def stderr(self) -> str:
        with self._cond:
            return b"".join(self._stderr).decode("utf-8", "replace")

    def wait(self, predicate: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
        """Block until ``predicate()`` (called with the lock held) is truthy."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = predicate()
                if found:
                    return found
                left = deadline - time.monotonic()
                if self._eof or left <= 0:
                    break
                self._cond.wait(left)
        state = "the server's output ended" if self._eof else "timed out"
        raise AssertionError(f"{state} waiting for {what}; exit status {self.proc.poll()}; "
                             f"bad output {self.bad_output}; stderr:\n{self.stderr[-3000:]}")

    # ------------------------------------------------------------ writing
    def send_bytes(self, data: bytes) -> None:
        try:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as exc:
            raise AssertionError(f"the server stopped reading ({exc}); exit status {self.proc.poll()}; "
                                 f"stderr:\n{self.stderr[-3000:]}") from None

    def send(self, message: dict) -> None:
        self.send_bytes(encode(message))

    def notify(self, method: str, params: Any = None) -> None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def request(self, method: str, params: Any = None, msg_id: Any = None) -> Any:
        """Send a request; its id (a new number unless given)."""
        msg_id = self.new_id() if msg_id is None else msg_id
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return msg_id

    def response(self, msg_id: Any, timeout: float = WAIT) -> dict:
        def found():
            return next((m for m in self.messages if m.get("id") == msg_id and "method" not in m), None)
        return self.wait(found, f"the response to request {msg_id!r}", timeout)

    def call(self, method: str, params: Any = None) -> Any:
        """A request whose answer must be a result, not an error."""
        answer = self.response(self.request(method, params))
        assert "error" not in answer, answer
        return answer["result"]

    def error(self, msg_id: Any) -> int:
        """The error code the response to ``msg_id`` carries (it must be an error)."""
        answer = self.response(msg_id)
        assert "error" in answer and "result" not in answer, answer
        assert isinstance(answer["error"]["message"], str)
        return answer["error"]["code"]

    # ---------------------------------------------------- what came back
    def count(self) -> int:
        with self._cond:
            return len(self.messages)

    def since(self, mark: int) -> list[dict]:
        with self._cond:
            return list(self.messages[mark:])

    def published(self, uri: str, after: int = 0) -> list[dict]:
        """The publishDiagnostics params for ``uri`` among messages[after:]."""
        with self._cond:
            return [m["params"] for m in self.messages[after:]
                    if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]

    def diagnostics(self, uri: str, after: int = 0, version: int | None = None,
                    timeout: float = WAIT) -> list[dict]:
        """The first diagnostics published for ``uri`` among messages[after:]
        (for ``version`` when given)."""
        def found():
            for m in self.messages[after:]:
                if (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                        and (version is None or m["params"].get("version") == version)):
                    return m["params"]
            return None
        return self.wait(found, f"diagnostics of {uri} (version {version})", timeout)["diagnostics"]

    def logs(self, after: int = 0) -> list[str]:
        with self._cond:
            return [m["params"]["message"] for m in self.messages[after:] if m.get("method") == "window/logMessage"]

    def errors_without_id(self, after: int = 0) -> list[int]:
        """Codes of the error responses with id null (to messages that had none)."""
        with self._cond:
            return [m["error"]["code"] for m in self.messages[after:]
                    if "error" in m and m.get("id") is None and "method" not in m]

    # ------------------------------------------------------------ session
    def initialize(self, root: Path | None = None, capabilities: dict | None = None) -> dict:
        root = root or self.cwd
        result = self.call("initialize", {
            "processId": None,
            "rootUri": root.as_uri(),
            "capabilities": capabilities or {},
            "workspaceFolders": [{"uri": root.as_uri(), "name": "ws"}],
        })
        self.notify("initialized", {})
        return result

    def open(self, uri: str, text: str, version: int = 1, language_id: str = "markdown") -> int:
        """Send didOpen; the message count before it (for diagnostics(uri, after))."""
        mark = self.count()
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language_id, "version": version, "text": text}})
        return mark

    def change(self, uri: str, version: int, *changes: dict) -> None:
        self.notify("textDocument/didChange", {
            "textDocument": {"uri": uri, "version": version}, "contentChanges": list(changes)})

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def save(self, uri: str) -> None:
        self.notify("textDocument/didSave", {"textDocument": {"uri": uri}})

    def hover(self, uri: str, line: Any, character: Any) -> int:
        return self.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos(line, character)})

    def actions(self, uri: str, start: tuple, end: tuple) -> int:
        return self.request("textDocument/codeAction", {
            "textDocument": {"uri": uri}, "range": span(start, end), "context": {"diagnostics": []}})

    def assert_serves(self, step: str = "") -> None:
        """Still alive and still right: a fresh copy of ARTICLE gets exactly
        its findings, a hover on its boilerplate line the rule's documentation,
        and nothing has gone wrong on stderr."""
        self._checks += 1
        uri = (self.cwd / f"check-{self._checks}.md").as_uri()
        mark = self.open(uri, ARTICLE)
        got = findings(self.diagnostics(uri, mark, 1))
        assert got == ARTICLE_FINDINGS, (step, got)
        hover = self.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos(7, 3)})
        assert hover["contents"]["value"].startswith("### BP001 boilerplate-line\n"), (step, hover)
        self.close(uri)
        self.assert_quiet(step)

    def assert_quiet(self, step: str = "") -> None:
        assert self.proc.poll() is None, (step, self.proc.returncode, self.stderr[-3000:])
        assert not self.bad_output, (step, self.bad_output)
        assert "Traceback" not in self.stderr, (step, self.stderr[-3000:])

    def finish(self) -> None:
        """``shutdown`` then ``exit``: status 0, with standard input still open
        (the exit notification alone must end the process)."""
        assert self.call("shutdown") is None
        self.notify("exit")
        try:
            status = self.proc.wait(WAIT)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the server did not exit; stderr:\n{self.stderr[-3000:]}") from None
        for t in self._threads:
            t.join(WAIT)
        assert status == 0, (status, self.stderr[-3000:])
        assert not self.bad_output, self.bad_output
        assert "Traceback" not in self.stderr, self.stderr[-3000:]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except OSError:
                pass


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    yield s
    s.kill()


def hover_json(msg_id: Any, uri: str = "file:///nowhere/story.md") -> str:
    return json.dumps({"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/hover",
                       "params": {"textDocument": {"uri": uri}, "position": pos(0, 0)}})


# ------------------------------------------------ 1. malformed transport
def test_malformed_framing_costs_only_the_message_it_spoils(server):
    """Every framing error loses at most the message it spoils: the next
    well-framed message is read and answered.  A body that is not JSON gets
    a ParseError response (id null); bytes that are part of no message are
    skipped with a warning logged to the client."""
    s = server
    s.initialize()
    s.assert_serves("at the start")
    body = hover_json(1001)
    cases = [
        # (what, bytes sent, error codes of the id-null responses, a log expected)
        ("a body that is not JSON", frame(b"this is not json"), [PARSE_ERROR], False),
        ("truncated JSON", frame(body[:40]), [PARSE_ERROR], False),
        ("an empty body", frame(b""), [PARSE_ERROR], False),
        ("Content-Length too small", frame(body, length=len(body) - 15), [PARSE_ERROR], True),
        ("Content-Length too large", frame(body, length=len(body) + 500), [PARSE_ERROR], False),
        ("Content-Length huge", frame(body, length=10**15), [], True),
        ("Content-Length negative", frame(body, length=-5), [], True),
        ("Content-Length not a number", frame(body, length="twelve"), [], True),
        ("a body without headers", body.encode(), [], True),
        ("headers without their blank line", b"Content-Length: 120\r\n" + body.encode(), [], True),
        ("a header line that never ends", b"X-Noise: " + b"x" * 300_000, [], True),
        ("2 MB of noise without a line break", b"\x00\xff" * 1_000_000, [], True),
        ("bytes that are not UTF-8 outside a string", frame(b'{"jsonrpc": "2.0", \xff\xfe}'), [PARSE_ERROR], False),
        ("a UTF-16 body", frame(body.encode("utf-16")), [PARSE_ERROR], False),
        ("JSON nested 100,000 deep", frame("[" * 100_000 + "]" * 100_000), [PARSE_ERROR], False),
        ("a number of 5,000 digits", frame('{"jsonrpc": "2.0", "id": 1' + "0" * 5000 + ', "method": "x"}'),
         [PARSE_ERROR], False),
    ]
    for what, data, errors, logged in cases:
        mark = s.count()
        s.send_bytes(data)
        s.assert_serves(what)
        assert s.errors_without_id(mark) == errors, what
        assert any(m.startswith("artlint: skipped") for m in s.logs(mark)) == logged, (what, s.logs(mark))
        assert not [m for m in s.since(mark) if m.get("id") == 1001], what  # a spoilt request is not answered

    # Framing that is unusual but right is read: header names in any case,
    # a Content-Type, lines ending at LF alone, a message in single bytes,
    # two messages in one write.
    mark = s.count()
    s.send_bytes(b"content-LENGTH:  %d \nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n%s"
                 % (len(hover_json(2001)), hover_json(2001).encode()))
    assert s.response(2001)["result"] is None
    for byte in encode(json.loads(hover_json(2002))):
        s.send_bytes(bytes([byte]))
    assert s.response(2002)["result"] is None
    s.send_bytes(encode(json.loads(hover_json(2003))) + encode(json.loads(hover_json(2004))))
    assert s.response(2003)["result"] is None and s.response(2004)["result"] is None
    assert s.errors_without_id(mark) == [] and s.logs(mark) == []
    s.finish()


def test_malformed_messages_get_the_json_rpc_error_or_are_dropped(server, tmp_path):
    s = server
    s.initialize()
    opened = (tmp_path / "open.md").as_uri()
    mark = s.open(opened, ARTICLE)
    assert findings(s.diagnostics(opened, mark, 1)) == ARTICLE_FINDINGS

    # JSON that is no message: InvalidRequest, id null; a batch is not run.
    shutdown_batch = [{"jsonrpc": "2.0", "id": 3001, "method": "shutdown"}]
    for what in ([], shutdown_batch, 42, "hello", None, {}, {"jsonrpc": "2.0"}):
        mark = s.count()
        s.send_bytes(frame(json.dumps(what)))
        s.assert_serves(f"the message {what!r}")
        assert s.errors_without_id(mark) == [INVALID_REQUEST], what
    assert not [m for m in s.messages if m.get("id") == 3001]

    # Requests that are not well formed: InvalidRequest, with their id when it is one.
    bad_requests = [
        ({"id": 3002, "method": "textDocument/hover"}, 3002),  # no jsonrpc
        ({"jsonrpc": "1.0", "id": 3003, "method": "textDocument/hover"}, 3003),
        ({"jsonrpc": "2.0", "id": 3004, "method": 5}, 3004),
        ({"jsonrpc": "2.0", "id": 3005, "method": "textDocument/hover", "params": "text"}, 3005),
        ({"jsonrpc": "2.0", "id": {"n": 1}, "method": "textDocument/hover"}, None),
        ({"jsonrpc": "2.0", "id": 1.5, "method": "textDocument/hover"}, None),
        ({"jsonrpc": "2.0", "id": True, "method": "textDocument/hover"}, None),
    ]
    for message, answered_id in bad_requests:
        mark = s.count()
        s.send(message)
        s.assert_serves(f"the request {message!r}")
        (answer,) = [m for m in s.since(mark) if "error" in m]
        assert answer["id"] == answered_id and answer["error"]["code"] == INVALID_REQUEST, (message, answer)

    # Unknown methods: MethodNotFound for a request (numeric or string id),
    # nothing at all for a notification; a response nobody asked for is ignored.
    assert s.error(s.request("artlint/noSuchMethod", {})) == METHOD_NOT_FOUND
    assert s.error(s.request("artlint/noSuchMethod", None, msg_id="string-id")) == METHOD_NOT_FOUND
    mark = s.count()
    s.notify("artlint/noSuchNotification", {"x": 1})
    s.notify("$/noSuchNotification", {"x": 1})
    s.send({"jsonrpc": "2.0", "id": "nobody-asked", "result": {"x": 1}})
    s.send({"jsonrpc": "2.0", "id": "nobody-asked-either", "error": {"code": 1, "message": "no"}})
    last = s.hover(opened, 0, 0)
    assert s.response(last)["result"] is None
    assert [m.get("id") for m in s.since(mark)] == [last]  # nothing else came back

    # Params of the wrong shape: InvalidParams for a request...
    for position in (pos(-1, 0), pos(0, -3), pos("2", 0), pos("abc", 0), pos(2**40, 0), pos(None, 0),
                     pos(2.5, 0), {"line": 2}):
        msg_id = s.request("textDocument/hover", {"textDocument": {"uri": opened}, "position": position})
        assert s.error(msg_id) == INVALID_PARAMS, position
    assert s.error(s.request("textDocument/hover")) == INVALID_PARAMS
    assert s.error(s.request("textDocument/codeAction", {"textDocument": {"uri": opened}})) == INVALID_PARAMS
    # ... and a notification is dropped: these open nothing.
    dropped = (tmp_path / "dropped.md").as_uri()
    mark = s.count()
    for params in ({}, {"textDocument": {"uri": dropped}},
                   {"textDocument": {"uri": dropped, "languageId": "markdown", "version": 1, "text": 5}},
                   {"textDocument": {"uri": dropped, "languageId": "markdown", "version": "1", "text": ARTICLE}},
                   {"textDocument": {"uri": 7, "languageId": "markdown", "version": 1, "text": ARTICLE}}):
        s.notify("textDocument/didOpen", params)
    s.notify("textDocument/didChange", {"textDocument": {"uri": opened}})
    s.notify("textDocument/didChange", {"textDocument": {"uri": opened, "version": 9},
                                        "contentChanges": [{"range": span((-1, 0), (0, 0)), "text": "x"}]})
    s.assert_serves("notifications with invalid params")
    assert s.response(s.hover(dropped, 0, 0))["result"] is None
    assert s.published(dropped, mark) == [] and s.published(opened, mark) == []

    # Positions past the end of the document are answered, not refused; a
    # range given end first is the same range.
    assert s.response(s.hover(opened, 999, 999))["result"] is None
    titles = [a["title"] for a in s.call("textDocument/codeAction", {
        "textDocument": {"uri": opened}, "range": span((500, 0), (900, 5)), "context": {"diagnostics": []}})]
    assert titles == ["Fix all safe artlint findings"]
    forward = s.call("textDocument/codeAction", {
        "textDocument": {"uri": opened}, "range": span((2, 0), (7, 99)), "context": {"diagnostics": []}})
    backward = s.call("textDocument/codeAction", {
        "textDocument": {"uri": opened}, "range": span((7, 99), (2, 0)), "context": {"diagnostics": []}})
    assert backward == forward
    assert [a["title"] for a in forward] == [
        "Fix: Remove the second 'the' (WS007)",
        "Fix: Delete 1 extra blank line (WS001)",
        "Fix (unsafe): Remove the second 'final' (WS007)",
        "Fix: Delete the line (BP001)",
        "Disable WS007 for this line",
        "Disable WS001 for this line",
        "Disable WS007 for this line",
        "Disable BP001 for this line",
        "Fix all safe artlint findings",
    ]

    # A document never opened: changes, saves and closes of it are ignored,
    # requests on it answered with null; opening it afterwards starts afresh.
    ghost = (tmp_path / "ghost.md").as_uri()
    mark = s.count()
    s.change(ghost, 5, {"text": "Never opened  text.\n"})
    s.change(ghost, 6, {"range": span((0, 0), (0, 5)), "text": "Still"})
    s.save(ghost)
    s.close(ghost)
    assert s.response(s.hover(ghost, 0, 0))["result"] is None
    assert s.response(s.actions(ghost, (0, 0), (0, 5)))["result"] is None
    assert s.published(ghost, mark) == []
    assert findings(s.diagnostics(ghost, s.open(ghost, ARTICLE), 1)) == ARTICLE_FINDINGS
    s.assert_serves("a document never opened")
    # Opened again without a close: the new text, even at a lower version.
    mark = s.count()
    s.change(ghost, 7, {"text": "Some  text.\n"})
    assert [d["code"] for d in s.diagnostics(ghost, mark, 7)] == ["WS003"]
    mark = s.open(ghost, ARTICLE.replace("Leave A Reply\n", ""), version=2)
    assert [d["code"] for d in s.diagnostics(ghost, mark, 2)] == ["WS007", "WS001", "WS007"]
    s.finish()


def test_incremental_changes_out_of_range_or_inverted_are_clamped(server, tmp_path):
    """The server asks for full sync, but a client sending ranged changes is
    served: positions out of the text clamped as LSP says, a range given end
    first taken the right way round, columns in UTF-16 code units; the
    diagnostics are those of the text the client has."""
    s = server
    s.initialize()
    uri = (tmp_path / "ranges.md").as_uri()
    start = ARTICLE.replace("close the the library", "close a library").replace("Leave A Reply\n", "")
    mark = s.open(uri, start)
    assert [d["code"] for d in s.diagnostics(uri, mark, 1)] == ["WS001", "WS007"]
    assert len("# Council votes to close the library") == 36
    mark = s.count()
    s.change(uri, 2,
             {"range": span((2, 38), (2, 37)), "text": "the the"},  # end first: the 'a'
             {"range": span((40, 3), (99, 0)), "text": "Leave A Reply\n"},  # past the end: appended
             {"range": span((0, 500), (0, 900)), "text": " today"},  # past the end of the line: at its end
             {"range": span((0, 36), (0, 999)), "text": ""})  # ... and taken away again
    assert findings(s.diagnostics(uri, mark, 2)) == ARTICLE_FINDINGS
    # An emoji is two UTF-16 code units; a column inside it is its start.
    mark = s.count()
    s.change(uri, 3, {"range": span((2, 0), (2, 0)), "text": "😀"},
             {"range": span((2, 1), (2, 2)), "text": ""})
    assert findings(s.diagnostics(uri, mark, 3)) == ARTICLE_FINDINGS
    mark = s.count()
    s.change(uri, 4, {"range": span((2, 0), (2, 0)), "text": "😀"})
    assert rng(s.diagnostics(uri, mark, 4)[0]["range"]) == ((2, 39), (2, 46))
    s.assert_serves("ranged changes")
    s.finish()


def test_unusual_uris_are_documents_like_any_other(server, tmp_path):
    """Non-file schemes, percent-escapes, non-ASCII, a %00 and what is no URI
    at all: each document gets exactly its findings, published under the URI
    exactly as the client sent it."""
    s = server
    s.initialize()
    folder = tmp_path / "café € 2024"
    uris = [
        "untitled:Untitled-7",
        "https://example.com/news/story.md",
        folder.as_uri() + "/r%C3%A9sum%C3%A9%20%231.md",  # escaped
        "file://" + quote(str(tmp_path)) + "/Zürich notes.md",  # non-ASCII and a space left as they are
        "file://" + quote(str(tmp_path)) + "/%E2%82%AC%ZZ%ff.md",  # a bad escape, an escape that is not UTF-8
        "file://" + quote(str(tmp_path)) + "/nul%00name.md",
        "file://[not-a-host/story.md",
        "not a uri at all",
        "",
    ]
    for uri in uris:
        mark = s.open(uri, ARTICLE)
        assert findings(s.diagnostics(uri, mark, 1)) == ARTICLE_FINDINGS, uri
        assert s.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": pos(2, 40)}) is not None
        mark = s.count()
        s.change(uri, 2, {"text": ARTICLE.replace("the the", "the")})
        assert [d["code"] for d in s.diagnostics(uri, mark, 2)] == ["WS001", "WS007", "BP001"], uri
        mark = s.count()
        s.close(uri)
        assert s.diagnostics(uri, mark) == [], uri
        s.assert_quiet(uri)
    s.notify("workspace/didChangeWorkspaceFolders", {"event": {
        "added": [{"uri": "file://[bad", "name": "bad"}, {"uri": "https://example.com/", "name": "web"},
                  {"uri": "file:///nul%00dir", "name": "nul"}],
        "removed": [{"uri": "file:///never/added", "name": "never"}]}})
    s.assert_serves("unusual URIs")
    s.finish()


def _plain_offset(text: str, line: int, character: int, encoding: str) -> int:
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]
    if line >= len(starts):
        return len(text)
    begin = starts[line]
    end = starts[line + 1] if line + 1 < len(starts) else len(text)
    content = re.sub(r"(\r\n|\n|\r)\Z", "", text[begin:end])
    units = 0
    for i, c in enumerate(content):
        width = {"utf-16": 2 if ord(c) > 0xFFFF else 1, "utf-32": 1,
                 "utf-8": len(c.encode("utf-8", "surrogatepass"))}[encoding]
        if units + width > character:
            return begin + i
        units += width
    return begin + len(content)


def _plain_apply(text: str, changes: list, encoding: str) -> str:
    """Ranged changes applied the plain way, every line found again for each
    position: what the server's apply_changes must agree with."""
    for change_range, new in changes:
        if change_range is None:
            text = new
            continue
        a, b = sorted(_plain_offset(text, *p, encoding) for p in change_range)
        text = text[:a] + new + text[b:]
    return text


def test_ranged_changes_agree_with_a_plain_reading():
    """The server finds line starts only as far as a change needs them and
    keeps them between changes; random ranged changes (CR, LF, CRLF, emoji,
    positions past the end, ranges end first) in each encoding give the text
    a plain reading gives."""
    import random

    from artlint.server import apply_changes

    rnd = random.Random(20240611)
    pieces = ["a", "bc", " ", "\n", "\r", "\r\n", "😀", "é", ""]

    def some(n: int) -> str:
        return "".join(rnd.choice(pieces) for _ in range(n))

    for _ in range(1500):
        text = some(rnd.randrange(30))
        changes = [(None, some(5)) if rnd.random() < 0.1 else
                   (((rnd.randrange(8), rnd.randrange(8)), (rnd.randrange(8), rnd.randrange(8))), some(rnd.randrange(4)))
                   for _ in range(rnd.randrange(1, 6))]
        for encoding in ("utf-16", "utf-8", "utf-32"):
            assert apply_changes(text, changes, encoding) == _plain_apply(text, changes, encoding), (text, changes)


# ---------------------------------------------------------------- lifecycle
def test_lifecycle_out_of_order(server, tmp_path):
    """Before initialize a request gets ServerNotInitialized and a
    notification is dropped; initialize with bad params may be tried again,
    a second initialize is refused; after shutdown a request gets
    InvalidRequest; exit then ends the process with status 0."""
    s = server
    early = (tmp_path / "early.md").as_uri()
    assert s.error(s.hover(early, 0, 0)) == SERVER_NOT_INITIALIZED
    assert s.error(s.request("shutdown")) == SERVER_NOT_INITIALIZED
    assert s.error(s.request("artlint/noSuchMethod", {})) == SERVER_NOT_INITIALIZED
    mark = s.open(early, ARTICLE)
    s.notify("initialized", {})
    assert s.error(s.request("initialize", {"processId": None, "capabilities": 5})) == INVALID_PARAMS
    assert s.error(s.request("initialize", {"processId": "me", "rootUri": None, "capabilities": {}})) == INVALID_PARAMS
    result = s.call("initialize", {  # roots that are no URIs are left out
        "processId": None, "rootUri": "file://[bad",
        "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}},
        "workspaceFolders": [{"uri": "file://[bad/x", "name": "bad"}, {"uri": tmp_path.as_uri(), "name": "ws"}]})
    s.notify("initialized", {})
    # The server asks to watch config files; the client answers with nonsense, twice.
    ask = s.wait(lambda: next((m for m in s.messages if m.get("method") == "client/registerCapability"), None),
                 "the registration request")
    s.send({"jsonrpc": "2.0", "id": ask["id"], "result": {"unexpected": [1, 2]}})
    s.send({"jsonrpc": "2.0", "id": ask["id"], "error": {"code": "not a number", "message": 5}})
    assert result["capabilities"]["textDocumentSync"]["change"] == 1  # full
    assert s.error(s.request("initialize", {"processId": None, "rootUri": None, "capabilities": {}})) == INVALID_REQUEST
    assert s.published(early, mark) == []  # the didOpen before initialize opened nothing
    assert s.response(s.hover(early, 0, 0))["result"] is None
    s.assert_serves("after initialize")

    assert s.call("shutdown") is None
    assert s.error(s.hover(early, 0, 0)) == INVALID_REQUEST
    mark = s.open((tmp_path / "late.md").as_uri(), ARTICLE)
    assert s.error(s.request("textDocument/hover", {})) == INVALID_REQUEST
    assert s.published((tmp_path / "late.md").as_uri(), mark) == []
    s.notify("exit")
    assert s.proc.wait(WAIT) == 0
    assert "Traceback" not in s.stderr and not s.bad_output


@pytest.mark.parametrize("how", ["exit without shutdown", "exit before initialize", "end of input"])
def test_ending_without_shutdown_is_status_1(tmp_path, how):
    """LSP: exit without a shutdown before it is status 1; so is a client
    going away (its end of the pipe closed) without shutdown."""
    s = Server(tmp_path)
    try:
        if how != "exit before initialize":
            s.initialize()
            s.assert_serves(how)
        if how == "end of input":
            s.proc.stdin.close()
        else:
            s.notify("exit")
        assert s.proc.wait(WAIT) == 1
        assert "Traceback" not in s.stderr and not s.bad_output
    finally:
        s.kill()


def test_a_client_that_stops_reading_ends_the_server(tmp_path):
    """The client closes its end of the server's output: the server's next
    write fails, and it exits (status 1, no shutdown came) without a
    traceback, instead of hanging or raising in whatever was writing."""
    proc = subprocess.Popen([sys.executable, "-m", "artlint.server"], cwd=tmp_path,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.stdout.close()
        proc.stdin.write(encode({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                 "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
        proc.stdin.flush()
        assert proc.wait(WAIT) == 1
        err = proc.stderr.read().decode("utf-8", "replace")
        assert "Traceback" not in err and "stopped reading" in err, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdin.close()
        proc.stderr.close()


# ------------------------------------ 2. documents changed faster than it lints
def _versions(published: list[dict]) -> list[int]:
    return [p["version"] for p in published]


def test_a_burst_of_changes_ends_in_the_diagnostics_of_the_last_text(server, tmp_path):
    """Hundreds of changes in a burst, full and ranged, saves among them,
    and stale ones (a version older than the document's): those are ignored,
    the diagnostics published carry ascending versions, and the last are
    those of the last text with its version."""
    s = server
    s.initialize()
    uri = (tmp_path / "burst.md").as_uri()
    mark = s.open(uri, "Clean text.\n")
    assert s.diagnostics(uri, mark, 1) == []
    mark = s.count()
    text, version = "Clean text.\n", 1
    stale = 0
    for i in range(300):
        version += 1
        if i % 3 == 0:
            text = f"Draft {i} of the  story.\n\n\n\nLeave A Reply\n"
            s.change(uri, version, {"text": text})
        else:  # a word at the end of the first line, as a ranged change
            first = text.index("\n")
            text = text[:first] + f" w{i}" + text[first:]
            s.change(uri, version, {"range": span((0, first), (0, first)), "text": f" w{i}"})
        if i % 25 == 0:
            s.save(uri)
        if i % 40 == 39:  # a change from the past: must be ignored
            stale += 1
            s.change(uri, version - 7, {"text": "Stale  stale  text.\n"})
            s.change(uri, version - 1, {"range": span((0, 0), (0, 0)), "text": "STALE "})
    # The last text is ARTICLE, reached by ranged changes.
    version += 1
    s.change(uri, version, {"text": ARTICLE.replace("close the the library", "close the library")
                            .replace("Leave A Reply\n", "")})
    version += 1
    s.change(uri, version, {"range": span((2, 37), (2, 37)), "text": "the "},
             {"range": span((7, 0), (7, 0)), "text": "Leave A Reply\n"})
    s.change(uri, version - 2, {"text": "Stale  again.\n"})
    assert stale == 7
    final = version
    assert findings(s.diagnostics(uri, mark, final)) == ARTICLE_FINDINGS
    # A save lints again at once: whatever was under way is published before it.
    before = len(s.published(uri))
    s.save(uri)
    s.wait(lambda: len(s.published(uri)) > before, "the diagnostics after the save")
    published = s.published(uri, mark)
    versions = _versions(published)
    assert versions == sorted(versions) and versions[-1] == final, versions
    assert all(findings(p["diagnostics"]) == ARTICLE_FINDINGS for p in published if p["version"] == final)
    s.assert_serves("a burst of changes")
    s.finish()


def _long_article(size: int) -> tuple[str, int]:
    """A clean article of about ``size`` characters with a boilerplate line
    at the end (one BP001); the 0-based line of that line."""
    para = ("The council met on Monday to discuss the budget for the coming year, and members agreed "
            "that the library in Eastgate would stay open for another twelve months while a review "
            "is carried out.\n\n")
    n = size // len(para)
    return "# Budget talks\n\n" + para * n + "Leave A Reply\n", 2 + 2 * n


def test_changes_and_saves_faster_than_a_lint_do_not_pile_up(server, tmp_path):
    """A document that takes a while to lint, changed and saved thirty times
    while it is linted: the lints asked for meanwhile are merged into one
    (no queue of thirty lints, each published), and the diagnostics that
    come are those of the last text."""
    s = server
    s.initialize()
    uri = (tmp_path / "long.md").as_uri()
    text, last_line = _long_article(1_500_000)
    mark = s.open(uri, text)
    for version in range(2, 32):
        s.change(uri, version, {"range": span((2, 0), (2, 0)), "text": f"Update {version}: "})
        s.save(uri)
    final = 32
    s.change(uri, final, {"range": span((0, 0), (0, 1)), "text": "#"})
    got = findings(s.diagnostics(uri, mark, final, timeout=60))
    published = s.published(uri, mark)
    assert len(published) <= 4, _versions(published)  # thirty saves, each linted: thirty
    assert _versions(published) == sorted(_versions(published))
    assert got == [("BP001", ((last_line, 0), (last_line, 13)), 1)]
    s.assert_serves("after the long document")
    s.change(uri, final + 1, {"text": text})  # and exit while it is being linted
    s.finish()


# ------------------------------------------- 3. files it cannot decode or read
def test_very_large_documents_are_checked_or_reported(server, tmp_path):
    """A 5 MB document is checked (its one finding at its last line), one
    over the configured max-file-size gets XX005; one changed while it is
    being linted gets no diagnostics of its older text after the newer."""
    s = server
    (tmp_path / "small").mkdir()
    (tmp_path / "small" / ".artlint.toml").write_text("max-file-size = 1000000\n")
    s.initialize()
    text, last_line = _long_article(5_000_000)
    big = (tmp_path / "big.md").as_uri()
    mark = s.open(big, text)
    assert findings(s.diagnostics(big, mark, 1, timeout=60)) == [("BP001", ((last_line, 0), (last_line, 13)), 1)]
    s.assert_serves("a 5 MB document")

    text, last_line = _long_article(1_500_000)
    over = (tmp_path / "small" / "big.md").as_uri()
    mark = s.open(over, text)
    (diag,) = s.diagnostics(over, mark, 1, timeout=60)
    assert (diag["code"], rng(diag["range"])) == ("XX005", ((0, 0), (0, 0)))

    # Changed (its boilerplate line taken out) while the first lint runs.
    moved = (tmp_path / "moved.md").as_uri()
    mark = s.open(moved, text)
    s.change(moved, 2, {"range": span((last_line, 0), (last_line + 1, 0)), "text": ""})
    assert s.diagnostics(moved, mark, 2, timeout=60) == []
    s.assert_serves("a 5 MB document changed")
    versions = _versions(s.published(moved, mark))
    assert versions == sorted(versions) and versions[-1] == 2, versions
    s.finish()


def _did_open_bytes(uri: str, text: str, raw: dict[str, bytes]) -> bytes:
    """A didOpen message whose text holds raw bytes (not UTF-8, say) where
    ``text`` has each key of ``raw``."""
    body = json.dumps({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "markdown", "version": 1, "text": text}}}).encode("ascii")
    for marker, data in raw.items():
        body = body.replace(marker.encode("ascii"), data)
    return frame(body)


def test_undecodable_documents_are_xx001_not_crashes(server, tmp_path):
    """What a client sends for a file that is not UTF-8: its raw bytes in
    the JSON, lone surrogates (JSON-escaped), NUL bytes (a UTF-16 file read
    as Latin-1, a binary file).  Each is XX001 where ``artlint check`` would
    report it, nothing else checked, and the server goes on."""
    s = server
    s.initialize()
    bad = ARTICLE.replace("council voted", "council BAD voted")  # line 2, column 12

    uri = (tmp_path / "latin1.md").as_uri()
    s.send_bytes(_did_open_bytes(uri, bad, {"BAD": b"\xe9t\xe9"}))
    (diag,) = s.diagnostics(uri, 0, 1)
    assert (diag["code"], rng(diag["range"])) == ("XX001", ((2, 12), (2, 12)))
    assert diag["message"].startswith("not valid UTF-8 (byte 0xe9)"), diag
    s.assert_serves("raw bytes that are not UTF-8")

    uri = (tmp_path / "escaped.md").as_uri()
    mark = s.open(uri, bad.replace("BAD", "caf\udce9"))  # as surrogateescape decodes it
    (diag,) = s.diagnostics(uri, mark, 1)
    assert (diag["code"], rng(diag["range"])) == ("XX001", ((2, 15), (2, 15)))
    assert diag["message"].startswith("not valid UTF-8 (byte 0xe9)"), diag
    mark = s.count()
    s.change(uri, 2, {"text": bad.replace("BAD", "\ud83d")})  # half of an emoji
    (diag,) = s.diagnostics(uri, mark, 2)
    assert (diag["code"], rng(diag["range"])) == ("XX001", ((2, 12), (2, 12)))
    mark = s.count()
    s.change(uri, 3, {"text": ARTICLE})  # fixed: checked again
    assert findings(s.diagnostics(uri, mark, 3)) == ARTICLE_FINDINGS

    # A UTF-16 file with its BOM, on disk: read right, it is the article;
    # read as Latin-1 it is full of NULs: XX001, binary.  Saving changes nothing.
    path = tmp_path / "utf16.md"
    path.write_bytes(b"\xff\xfe" + ARTICLE.encode("utf-16-le"))
    uri = path.as_uri()
    mark = s.open(uri, path.read_bytes().decode("utf-16"))
    assert findings(s.diagnostics(uri, mark, 1)) == ARTICLE_FINDINGS
    mark = s.count()
    s.change(uri, 2, {"text": path.read_bytes().decode("latin-1")})
    (diag,) = s.diagnostics(uri, mark, 2)
    assert diag["code"] == "XX001" and "binary" in diag["message"]
    mark = s.count()
    s.save(uri)
    assert [d["code"] for d in s.diagnostics(uri, mark, 2)] == ["XX001"]

    binary = tmp_path / "image.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    mark = s.open(binary.as_uri(), binary.read_bytes().decode("latin-1"))
    (diag,) = s.diagnostics(binary.as_uri(), mark, 1)
    assert (diag["code"], rng(diag["range"])) == ("XX001", ((0, 0), (0, 0)))

    # A save of a file never opened, not UTF-8 on disk: nothing to do.
    never = tmp_path / "never.md"
    never.write_bytes(b"caf\xe9\n")
    mark = s.count()
    s.save(never.as_uri())
    s.assert_serves("undecodable documents")
    assert s.published(never.as_uri(), mark) == []
    s.finish()


def test_unreadable_config_and_deleted_files_are_reported_and_survived(server, tmp_path):
    """A config that is invalid TOML, or not UTF-8: one diagnostic naming the
    problem and a log message, then the right findings once it is mended; a
    pyproject.toml that is not UTF-8 is not taken for artlint's; a document
    whose file and folder are deleted is still checked."""
    s = server
    desk = tmp_path / "desk"
    desk.mkdir()
    config = desk / ".artlint.toml"
    config.write_text('ignore = ["WS001"\n')  # invalid TOML
    s.initialize()
    uri = (desk / "story.md").as_uri()

    def changed(version: int, text: str = ARTICLE) -> list[dict]:
        """Tell the server the config changed, change the text; the diagnostics."""
        s.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
        mark = s.count()
        s.change(uri, version, {"text": text})
        return s.diagnostics(uri, mark, version)

    mark = s.open(uri, ARTICLE)
    (diag,) = s.diagnostics(uri, mark, 1)
    assert "invalid TOML" in diag["message"] and rng(diag["range"]) == ((0, 0), (0, 0)) and diag["severity"] == 1
    s.wait(lambda: any("invalid TOML" in m for m in s.logs(mark)), "a log message of the invalid TOML")

    config.write_bytes('ignore = ["WS001"]  # café\n'.encode("latin-1"))
    mark = s.count()
    (diag,) = changed(2)
    assert "not valid UTF-8" in diag["message"] and str(config) in diag["message"], diag
    s.wait(lambda: any("not valid UTF-8" in m for m in s.logs(mark)), "a log message of the config")

    config.write_text('ignore = ["WS001"]\n')
    assert [d["code"] for d in changed(3)] == ["WS007", "WS007", "BP001"]

    # A pyproject.toml that is not UTF-8 cannot hold artlint's table: passed over.
    inner = desk / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_bytes(b'[project]\nname = "caf\xe9"\n')
    inner_uri = (inner / "story.md").as_uri()
    mark = s.open(inner_uri, ARTICLE)
    assert [d["code"] for d in s.diagnostics(inner_uri, mark, 1)] == ["WS007", "WS007", "BP001"]

    # The document's file, its folder and the config deleted: checked all the same.
    (desk / "story.md").write_text(ARTICLE)
    (inner / "pyproject.toml").unlink()
    inner.rmdir()
    (desk / "story.md").unlink()
    config.unlink()
    desk.rmdir()
    s.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 3}]})
    mark = s.count()
    s.save(uri)
    assert findings(s.diagnostics(uri, mark, 3)) == ARTICLE_FINDINGS
    mark = s.count()
    s.change(uri, 4, {"text": ARTICLE.replace("Leave A Reply\n", "")})
    assert [d["code"] for d in s.diagnostics(uri, mark, 4)] == ["WS007", "WS001", "WS007"]
    s.assert_serves("unreadable config, deleted files")
    s.finish()
