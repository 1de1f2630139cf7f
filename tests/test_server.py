"""The language server (``artlint.server``), driven over stdio by pygls's own
client the way an editor drives it, plus the pieces that need no process:
position mapping, the whole-line edits of "fix all", the suppression
comments the "disable" action writes."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the lsp extra")

from lsprotocol import types as lsp  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402
from pygls.uris import from_fs_path  # noqa: E402

from artlint.config import Layer, build_settings  # noqa: E402
from artlint.document import Document  # noqa: E402
from artlint.edits import apply_edits  # noqa: E402
from artlint.engine import lint_document  # noqa: E402
from artlint.server import (  # noqa: E402
    DEBOUNCE_SECONDS,
    FIX_ALL_KIND,
    PositionMap,
    Linter,
    disable_candidates,
    line_edits,
)
from artlint.types import Edit, Span  # noqa: E402
from conftest import FIXTURES, ROOT, fix  # noqa: E402
from fixture_format import parse_cases  # noqa: E402

TIMEOUT = 20  # seconds for one whole session: a hang fails, it does not stall the suite
WAIT = 8  # seconds for one expected message

ARTICLE = (
    "# Council votes to close the library\n"
    "\n"
    "The council voted on Monday to close the the library in Eastgate.\n"
    "\n"
    "\n"
    "The striker scored twice in the final final against Leeds.\n"
    "\n"
    "Leave A Reply\n"
)
# What ARTICLE gets: (code, LSP range with 0-based lines and UTF-16 columns, severity).
ARTICLE_FINDINGS = [
    ("WS007", ((2, 37), (2, 44)), lsp.DiagnosticSeverity.Warning),
    ("WS001", ((4, 0), (5, 0)), lsp.DiagnosticSeverity.Warning),
    ("WS007", ((5, 32), (5, 43)), lsp.DiagnosticSeverity.Warning),
    ("BP001", ((7, 0), (7, 13)), lsp.DiagnosticSeverity.Error),
]
ARTICLE_FIXED = (  # safe fixes only: the doubled 'final' is an unsafe fix
    "# Council votes to close the library\n"
    "\n"
    "The council voted on Monday to close the library in Eastgate.\n"
    "\n"
    "The striker scored twice in the final final against Leeds.\n"
)


# ------------------------------------------------------------------ client
def _lsp_line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]


def _offset(text: str, pos: lsp.Position, encoding: str = "utf-16") -> int:
    """An LSP position as an index into ``text`` (written apart from the
    server's PositionMap, so the tests check it rather than repeat it)."""
    start = _lsp_line_starts(text)[pos.line]
    units = 0
    i = start
    while units < pos.character:
        c = text[i]
        units += {"utf-16": 2 if ord(c) > 0xFFFF else 1, "utf-32": 1, "utf-8": len(c.encode())}[encoding]
        i += 1
    assert units == pos.character, "a position inside a character"
    return i


def apply_workspace_edit(text: str, edit: lsp.WorkspaceEdit, uri: str, encoding: str = "utf-16") -> str:
    if edit.document_changes is not None:
        (change,) = edit.document_changes
        assert change.text_document.uri == uri
        edits = change.edits
    else:
        edits = edit.changes[uri]
    spans = sorted(((_offset(text, e.range.start, encoding), _offset(text, e.range.end, encoding), e.new_text)
                    for e in edits), reverse=True)
    for a, b, _ in spans:
        assert a <= b
    for (a, _, _), (_, b2, _) in zip(spans, spans[1:]):
        assert b2 <= a, "overlapping edits"
    for a, b, new in spans:
        text = text[:a] + new + text[b:]
    return text


def rng(r: lsp.Range) -> tuple:
    return (r.start.line, r.start.character), (r.end.line, r.end.character)


class Session:
    """One server process and the editor's side of the conversation."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.published: dict[str, list[lsp.PublishDiagnosticsParams]] = {}
        self.registrations: list[lsp.Registration] = []
        self.logs: list[str] = []
        self.texts: dict[str, str] = {}
        self.versions: dict[str, int] = {}
        self._arrived = asyncio.Event()
        self.init: lsp.InitializeResult | None = None

    def arrived(self) -> None:
        """Something came from the server: waiters check their condition."""
        self._arrived.set()

    def on_publish(self, params: lsp.PublishDiagnosticsParams) -> None:
        self.published.setdefault(params.uri, []).append(params)
        self.arrived()

    async def until(self, predicate, what: str, timeout: float = WAIT):
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = predicate()
            if found:
                return found
            self._arrived.clear()
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"timed out waiting for {what}")
            try:
                await asyncio.wait_for(self._arrived.wait(), left)
            except asyncio.TimeoutError:
                pass

    def count(self, uri: str) -> int:
        return len(self.published.get(uri, []))

    async def diagnostics(self, uri: str, after: int = 0, version: int | None = None) -> list[lsp.Diagnostic]:
        """The first diagnostics published for ``uri`` after the ``after``-th
        publication (for ``version`` when given)."""
        def found():
            for p in self.published.get(uri, [])[after:]:
                if version is None or p.version == version:
                    return p
            return None
        params = await self.until(found, f"diagnostics of {uri} (version {version})")
        return list(params.diagnostics)

    async def open(self, uri: str, text: str, language_id: str = "markdown") -> list[lsp.Diagnostic]:
        after = self.count(uri)
        self.texts[uri] = text
        self.versions[uri] = 1
        self.client.text_document_did_open(lsp.DidOpenTextDocumentParams(
            lsp.TextDocumentItem(uri=uri, language_id=language_id, version=1, text=text)))
        return await self.diagnostics(uri, after, 1)

    def change(self, uri: str, text: str) -> int:
        self.versions[uri] += 1
        self.texts[uri] = text
        self.client.text_document_did_change(lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=self.versions[uri]),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)]))
        return self.versions[uri]

    async def edit(self, uri: str, text: str) -> list[lsp.Diagnostic]:
        """Change the document and wait for its (debounced) diagnostics."""
        after = self.count(uri)
        version = self.change(uri, text)
        return await self.diagnostics(uri, after, version)

    async def actions(self, uri: str, start: tuple[int, int], end: tuple[int, int] | None = None,
                      only: list[str] | None = None) -> list[lsp.CodeAction]:
        end = end or start
        result = await asyncio.wait_for(self.client.text_document_code_action_async(lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(lsp.Position(*start), lsp.Position(*end)),
            context=lsp.CodeActionContext(diagnostics=[], only=only),
        )), WAIT)
        return list(result or [])

    def apply(self, uri: str, action: lsp.CodeAction, encoding: str = "utf-16") -> str:
        assert action.edit is not None
        return apply_workspace_edit(self.texts[uri], action.edit, uri, encoding)


CLIENT_CAPABILITIES = lsp.ClientCapabilities(
    workspace=lsp.WorkspaceClientCapabilities(
        did_change_watched_files=lsp.DidChangeWatchedFilesClientCapabilities(dynamic_registration=True),
        workspace_edit=lsp.WorkspaceEditClientCapabilities(document_changes=True),
    ),
)


def run(scenario, root: Path | None = None, capabilities: lsp.ClientCapabilities = CLIENT_CAPABILITIES):
    """Start ``python -m artlint.server``, initialise it, run ``await
    scenario(session)``, shut the server down; all within TIMEOUT."""

    async def main():
        client = LanguageClient("artlint-tests", "1")
        session = Session(client)
        @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: lsp.PublishDiagnosticsParams) -> None:
            session.on_publish(params)

        @client.feature(lsp.CLIENT_REGISTER_CAPABILITY)
        def register(params: lsp.RegistrationParams) -> None:
            session.registrations.extend(params.registrations)
            session.arrived()

        @client.feature(lsp.WINDOW_LOG_MESSAGE)
        def log(params: lsp.LogMessageParams) -> None:
            session.logs.append(params.message)
            session.arrived()

        await client.start_io(sys.executable, "-m", "artlint.server", cwd=str(root or ROOT))
        try:
            session.init = await asyncio.wait_for(client.initialize_async(lsp.InitializeParams(
                capabilities=capabilities,
                root_uri=from_fs_path(str(root)) if root else None,
                workspace_folders=[lsp.WorkspaceFolder(uri=from_fs_path(str(root)), name="ws")] if root else None,
            )), WAIT)
            client.initialized(lsp.InitializedParams())
            await scenario(session)
            await asyncio.wait_for(client.shutdown_async(None), WAIT)
            client.exit(None)
            await asyncio.wait_for(client.stop(), WAIT)
        finally:
            server = client._server
            if server is not None and server.returncode is None:
                server.kill()
                await server.wait()

    asyncio.run(asyncio.wait_for(main(), TIMEOUT))


def uri_for(path: Path) -> str:
    return from_fs_path(str(path))


# ------------------------------------------------------- over the protocol
def test_initialize_advertises_full_sync_actions_hover_and_watches_config(tmp_path):
    async def scenario(s: Session):
        caps = s.init.capabilities
        assert caps.position_encoding == lsp.PositionEncodingKind.Utf16
        assert caps.text_document_sync.change == lsp.TextDocumentSyncKind.Full
        assert caps.text_document_sync.open_close and caps.text_document_sync.save
        assert set(caps.code_action_provider.code_action_kinds) == {"quickfix", FIX_ALL_KIND}
        assert caps.hover_provider
        assert s.init.server_info.name == "artlint"
        await s.until(lambda: s.registrations, "the config file watchers")
        (reg,) = s.registrations
        assert reg.method == lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES
        globs = sorted(w["globPattern"] for w in reg.register_options["watchers"])
        assert globs == ["**/.artlint.toml", "**/artlint.toml", "**/pyproject.toml"]

    run(scenario, tmp_path)


def test_diagnostics_code_actions_fixes_and_suppressions(tmp_path):
    uri = uri_for(tmp_path / "story.md")

    async def scenario(s: Session):
        diags = await s.open(uri, ARTICLE)
        assert [(d.code, rng(d.range), d.severity) for d in diags] == ARTICLE_FINDINGS
        assert {d.source for d in diags} == {"artlint"}
        assert diags[0].message == "Repeated word 'the'"
        assert diags[0].data == {"name": "repeated-word", "fix": "safe", "documentation": "artlint rule WS007"}
        assert diags[2].data["fix"] == "unsafe"
        assert diags[0].code_description is None  # no published docs site to link to

        # At the doubled 'the': its fix, its suppression, and fix-all.
        actions = await s.actions(uri, (2, 40))
        assert [(a.title, a.kind) for a in actions] == [
            ("Fix: Remove the second 'the' (WS007)", "quickfix"),
            ("Disable WS007 for this line", "quickfix"),
            ("Fix all safe artlint findings", FIX_ALL_KIND),
        ]
        fix_the, disable_the, fix_all = actions
        assert fix_the.is_preferred and [d.code for d in fix_the.diagnostics] == ["WS007"]
        assert fix_the.edit.document_changes[0].text_document.version == 1
        assert s.apply(uri, fix_the) == ARTICLE.replace("the the", "the")
        assert s.apply(uri, disable_the) == ARTICLE.replace(
            "The council voted", "<!-- artlint-disable-next-line WS007 -->\nThe council voted")

        # An unsafe fix says so, and is not the preferred one.
        actions = await s.actions(uri, (5, 40))
        assert [a.title for a in actions] == [
            "Fix (unsafe): Remove the second 'final' (WS007)",
            "Disable WS007 for this line",
            "Fix all safe artlint findings",
        ]
        assert not actions[0].is_preferred
        assert s.apply(uri, actions[0]) == ARTICLE.replace("final final", "final")

        # A range over several findings; `only` filters by kind.
        actions = await s.actions(uri, (3, 0), (7, 5), only=["quickfix"])
        assert [a.title for a in actions] == [
            "Fix: Delete 1 extra blank line (WS001)",
            "Fix (unsafe): Remove the second 'final' (WS007)",
            "Fix: Delete the line (BP001)",
            "Disable WS001 for this line",
            "Disable WS007 for this line",
            "Disable BP001 for this line",
        ]
        only_fix_all = await s.actions(uri, (0, 0), only=["source.fixAll"])
        assert [a.title for a in only_fix_all] == ["Fix all safe artlint findings"]
        # No finding on the headline: only the document-wide action.
        assert [a.title for a in await s.actions(uri, (0, 3))] == ["Fix all safe artlint findings"]
        # Fix all safe: what `artlint check --fix` writes; only the unsafe finding is left.
        fixed = s.apply(uri, fix_all)
        assert fixed == ARTICLE_FIXED == fix(ARTICLE, path="story.md")
        remaining = await s.edit(uri, fixed)
        assert [(d.code, rng(d.range)) for d in remaining] == [("WS007", ((4, 32), (4, 43)))]

        # Disable for this line, for each finding of the original text: the
        # finding goes away and no unused-suppression warning comes.
        await s.edit(uri, ARTICLE)
        for line, code in ((2, "WS007"), (4, "WS001"), (7, "BP001")):
            (disable,) = [a for a in await s.actions(uri, (line, 0), (line, 99)) if a.title.startswith("Disable")]
            assert disable.title == f"Disable {code} for this line"
            text = s.apply(uri, disable)
            after = await s.edit(uri, text)
            assert Counter(d.code for d in after) == Counter(c for c, _, _ in ARTICLE_FINDINGS) - Counter([code])
            assert f"artlint-disable-next-line {code}" in text or f"artlint-disable {code}" in text
            await s.edit(uri, ARTICLE)
        assert s.apply(uri, disable) == ARTICLE.replace(
            "Leave A Reply", "<!-- artlint-disable-next-line BP001 -->\nLeave A Reply")

    run(scenario, tmp_path)


def test_plain_text_gets_fixes_but_no_suppression_comment(tmp_path):
    uri = uri_for(tmp_path / "story.txt")
    text = "The council  met on Monday.\n"

    async def scenario(s: Session):
        diags = await s.open(uri, text, language_id="plaintext")
        assert [(d.code, rng(d.range)) for d in diags] == [("WS003", ((0, 11), (0, 13)))]
        actions = await s.actions(uri, (0, 12))
        assert [a.title for a in actions] == ["Fix: Replace with one space (WS003)", "Fix all safe artlint findings"]
        assert s.apply(uri, actions[0]) == s.apply(uri, actions[1]) == "The council met on Monday.\n"

        # An unsaved document has no path: its language decides the kind.
        untitled = "untitled:Untitled-1"
        assert [d.code for d in await s.open(untitled, text, language_id="markdown")] == ["WS003"]
        assert "Disable WS003 for this line" in [a.title for a in await s.actions(untitled, (0, 12))]

    run(scenario, tmp_path)


def test_changes_are_debounced_save_and_close(tmp_path):
    uri = uri_for(tmp_path / "story.md")

    async def scenario(s: Session):
        assert await s.open(uri, "Clean text.\n") == []
        before = s.count(uri)
        sent = time.monotonic()
        s.change(uri, "Clean  text.\n")
        s.change(uri, "Clean text  again.\n")
        last = s.change(uri, "Clean text again.\n\n\n\nEnd.\n")
        diags = await s.diagnostics(uri, before, last)
        assert time.monotonic() - sent >= DEBOUNCE_SECONDS - 0.01
        assert [(d.code, rng(d.range)) for d in diags] == [("WS001", ((2, 0), (4, 0)))]
        assert [p.version for p in s.published[uri][before:]] == [last]  # one lint for three changes

        # Saving lints at once (no debounce); closing clears the diagnostics.
        before = s.count(uri)
        s.client.text_document_did_save(lsp.DidSaveTextDocumentParams(lsp.TextDocumentIdentifier(uri)))
        assert [d.code for d in await s.diagnostics(uri, before)] == ["WS001"]
        before = s.count(uri)
        s.client.text_document_did_close(lsp.DidCloseTextDocumentParams(lsp.TextDocumentIdentifier(uri)))
        assert await s.diagnostics(uri, before) == []

    run(scenario, tmp_path)


def test_workspace_config_is_honoured_and_reloaded(tmp_path):
    (tmp_path / "desk").mkdir()
    config = tmp_path / ".artlint.toml"
    config.write_text('ignore = ["WS001"]\n')
    uri = uri_for(tmp_path / "desk" / "story.md")  # the file need not exist: the editor's text is linted

    async def scenario(s: Session):
        assert [d.code for d in await s.open(uri, ARTICLE)] == ["WS007", "WS007", "BP001"]

        # The client reports the changed file: open documents are checked again.
        config.write_text('ignore = ["BP", "WS007"]\n')
        before = s.count(uri)
        s.client.workspace_did_change_watched_files(lsp.DidChangeWatchedFilesParams(
            changes=[lsp.FileEvent(uri=uri_for(config), type=lsp.FileChangeType.Changed)]))
        assert [d.code for d in await s.diagnostics(uri, before)] == ["WS001"]

        # Without a notification, the next lint sees the new file too.
        config.write_text('select = ["BP001"]\n[bp]\nextra-lines = ["the striker.*"]\n')
        assert [(d.code, rng(d.range)) for d in await s.edit(uri, ARTICLE)] == [
            ("BP001", ((5, 0), (5, 58))), ("BP001", ((7, 0), (7, 13)))]

        # A nearer config wins; removing it brings the outer one back.
        nearer = tmp_path / "desk" / "pyproject.toml"
        nearer.write_text('[tool.artlint]\nselect = ["WS001"]\n')
        assert [d.code for d in await s.edit(uri, ARTICLE)] == ["WS001"]
        nearer.unlink()
        assert [d.code for d in await s.edit(uri, ARTICLE)] == ["BP001", "BP001"]

        # Excluded files get nothing (as `artlint check --force-exclude`).
        config.write_text('extend-exclude = ["drafts"]\n')
        excluded = uri_for(tmp_path / "drafts" / "story.md")
        assert await s.open(excluded, ARTICLE) == []

    run(scenario, tmp_path)


def test_bad_config_broken_rule_and_unreadable_text_are_findings_not_crashes(tmp_path):
    config = tmp_path / ".artlint.toml"
    config.write_text('ignore = ["WS001"\n')  # invalid TOML
    uri = uri_for(tmp_path / "story.md")

    async def scenario(s: Session):
        (diag,) = await s.open(uri, ARTICLE)
        assert diag.source == "artlint" and diag.severity == lsp.DiagnosticSeverity.Error
        assert diag.code is None
        assert rng(diag.range) == ((0, 0), (0, 0))
        assert diag.message.startswith(f"artlint configuration error, nothing was checked: {config}: invalid TOML")
        assert diag.related_information[0].location.uri == uri_for(config)
        assert any("invalid TOML" in m for m in s.logs)
        assert await s.actions(uri, (0, 0)) == []

        config.write_text('colour = "red"\n')
        (diag,) = await s.edit(uri, ARTICLE)
        assert "unknown key 'colour'" in diag.message

        # A user rule that raises while checking: XX006, the other rules still run.
        (tmp_path / "house.yaml").write_text(
            "- code: HOUSE001\n  name: broken-message\n  type: existence\n"
            "  message: '{replacement[0]}'\n  tokens: [council]\n")
        config.write_text('rule-paths = ["house.yaml"]\n')
        diags = await s.edit(uri, ARTICLE)
        assert [d.code for d in diags] == ["XX006", "WS007", "WS001", "WS007", "BP001"]
        assert diags[0].message.startswith("HOUSE001 failed: IndexError")
        assert diags[0].severity == lsp.DiagnosticSeverity.Error

        # Binary and oversized text: reported as the command line reports a file.
        config.write_text("max-file-size = 200\n")
        (diag,) = await s.edit(uri, "Some text\x00\x01 and more.\n")
        assert (diag.code, rng(diag.range)) == ("XX001", ((0, 0), (0, 0)))
        assert "binary" in diag.message
        (diag,) = await s.edit(uri, "A sentence of words.\n" * 20)
        assert diag.code == "XX005"
        assert [d.code for d in await s.edit(uri, ARTICLE)] == ["WS007", "WS001", "WS007", "BP001"]

    run(scenario, tmp_path)


def test_hover_shows_the_rule_documentation(tmp_path):
    uri = uri_for(tmp_path / "story.md")

    async def scenario(s: Session):
        await s.open(uri, ARTICLE)
        hover = await asyncio.wait_for(s.client.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier(uri), lsp.Position(7, 3))), WAIT)
        assert hover.contents.kind == lsp.MarkupKind.Markdown
        assert hover.contents.value.startswith("### BP001 boilerplate-line\n")
        assert "## Fix safety" in hover.contents.value
        assert await s.client.text_document_hover_async(lsp.HoverParams(
            lsp.TextDocumentIdentifier(uri), lsp.Position(0, 3))) is None

    run(scenario, tmp_path)


def test_characters_outside_the_bmp_and_crlf_map_to_editor_positions(tmp_path):
    md = uri_for(tmp_path / "emoji.md")
    crlf = uri_for(tmp_path / "crlf.md")
    emoji_text = "😀😀 The mayor  said it was a sad day. 🎉 Then  he left.\n"
    crlf_text = ARTICLE.replace("\n", "\r\n")

    async def scenario(s: Session):
        # UTF-16: each emoji is two code units.
        diags = await s.open(md, emoji_text)
        assert [(d.code, rng(d.range)) for d in diags] == [
            ("WS003", ((0, 14), (0, 16))), ("WS003", ((0, 46), (0, 48)))]
        (fix_second, _disable, fix_all) = await s.actions(md, (0, 47))
        assert s.apply(md, fix_second) == emoji_text.replace("Then  he", "Then he")
        assert s.apply(md, fix_all) == emoji_text.replace("  ", " ")

        # CRLF: the same lines and columns as LF; edits keep CRLF.
        diags = await s.open(crlf, crlf_text)
        assert [(d.code, rng(d.range), d.severity) for d in diags] == ARTICLE_FINDINGS
        actions = await s.actions(crlf, (4, 0))
        assert [a.title for a in actions][:1] == ["Fix: Delete 1 extra blank line (WS001)"]
        assert s.apply(crlf, actions[0]) == crlf_text.replace("\r\n\r\n\r\n", "\r\n\r\n")
        disable = next(a for a in actions if a.title.startswith("Disable"))
        disabled = s.apply(crlf, disable)
        assert "\r\n<!-- artlint-disable WS001 -->\r\n\r\n\r\n<!-- artlint-enable WS001 -->\r\nThe striker" in disabled
        assert [d.code for d in await s.edit(crlf, disabled)] == ["WS007", "WS007", "BP001"]
        await s.edit(crlf, crlf_text)
        fixed = s.apply(crlf, (await s.actions(crlf, (0, 0), only=[FIX_ALL_KIND]))[0])
        assert fixed == ARTICLE_FIXED.replace("\n", "\r\n") == fix(crlf_text, path="crlf.md")

    run(scenario, tmp_path)


def test_utf8_and_utf32_positions_when_the_client_prefers_them(tmp_path):
    uri = uri_for(tmp_path / "emoji.md")
    text = "é😀 The mayor  said it.\n"

    def caps(encoding):
        return lsp.ClientCapabilities(general=lsp.GeneralClientCapabilities(position_encodings=[encoding]))

    for encoding, columns in (("utf-8", (16, 18)), ("utf-32", (12, 14))):
        async def scenario(s: Session, encoding=encoding, columns=columns):
            assert s.init.capabilities.position_encoding == encoding
            (diag,) = await s.open(uri, text)
            assert rng(diag.range) == ((0, columns[0]), (0, columns[1]))
            (fix_it, _, _) = await s.actions(uri, (0, columns[0]))
            s.texts[uri] = text
            assert apply_workspace_edit(text, fix_it.edit, uri, encoding) == text.replace("  ", " ")

        run(scenario, tmp_path, caps(encoding))


def test_tcp_transport(tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    uri = uri_for(tmp_path / "story.md")

    async def main():
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "artlint.server", "--tcp", "127.0.0.1", str(port),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            client = LanguageClient("artlint-tests", "1")
            session = Session(client)

            @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
            def publish(params: lsp.PublishDiagnosticsParams) -> None:
                session.on_publish(params)

            for _ in range(100):  # until the server listens
                try:
                    await client.start_tcp("127.0.0.1", port)
                    break
                except OSError:
                    await asyncio.sleep(0.1)
            await asyncio.wait_for(client.initialize_async(lsp.InitializeParams(
                capabilities=lsp.ClientCapabilities())), WAIT)
            client.initialized(lsp.InitializedParams())
            assert [d.code for d in await session.open(uri, ARTICLE)] == ["WS007", "WS001", "WS007", "BP001"]
            await asyncio.wait_for(client.shutdown_async(None), WAIT)
            client.exit(None)
            assert await asyncio.wait_for(proc.wait(), WAIT) == 0
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()

    asyncio.run(asyncio.wait_for(main(), TIMEOUT))


# ---------------------------------------------------------- without a process
def test_position_map_lines_follow_lsp_and_columns_the_encoding():
    raw = "a\r\nb😀  c\rd  e\n"  # CRLF, an emoji, a lone CR (a line break for LSP, not for artlint)
    pm = PositionMap(raw)
    text = pm.text
    assert text == "a\nb😀  c\rd  e\n"
    first, second = text.index("  "), text.rindex("  ")
    assert pm.range(Span(first, first + 2)) == ((1, 3), (1, 5))
    assert pm.range(Span(second, second + 2)) == ((2, 1), (2, 3))
    assert pm.position(len(text)) == (3, 0)
    assert PositionMap(raw, "utf-8").position(first) == (1, 5)
    assert PositionMap(raw, "utf-32").position(first) == (1, 2)
    assert pm.text_edit(Edit.insert(2, "x\n")) == (((1, 0), (1, 0)), "x\r\n")
    mixed = PositionMap("a\nb\r\nc\r\n")  # mostly CRLF: inserted lines get CRLF, as the fixer writes them
    assert mixed.newline == "\r\n"


@pytest.mark.parametrize(("old", "new"), [
    ("a\nb\nc\n", "a\nc\n"),
    ("a\r\nb\r\n\r\n\r\nc", "a\r\nb\r\n\r\nc"),
    ("", "x"),
    ("x", ""),
    ("a\nb", "a\nb\n"),
    ("one  two\nthree\n\n\nfour\n", "one two\nthree\n\nfour\n"),
])
def test_fix_all_edits_are_whole_lines(old, new):
    edits = line_edits(old, new)
    assert apply_edits(old, [Edit(Span(s, e), t) for s, e, t in edits]) == new
    for s, e, _ in edits:
        assert s == 0 or old[s - 1] == "\n"
        assert e == len(old) or old[e - 1] == "\n"


def _markdown_texts():
    for path in sorted(FIXTURES.glob("*.md")):
        if ".fixed." in path.name or ".unsafe." in path.name:
            continue
        for case in parse_cases(path):
            yield f"{path.name}:{case.header_line}", case.text
    for path in sorted(FIXTURES.glob("*/*")):
        if path.suffix in (".md", ".txt") and ".fixed." not in path.name and ".unsafe." not in path.name:
            yield path.name, path.read_text(encoding="utf-8")


def test_disable_comment_suppresses_each_fixture_finding_and_nothing_else(tmp_path):
    """Every finding in the Markdown fixtures and fixture articles (linted as
    Markdown, every rule on), through the server's own Linter: the "disable
    for this line" comment makes it go away, adds no XX002/XX004 and changes
    no other rule's findings."""
    (tmp_path / ".artlint.toml").write_text('select = ["ALL"]\n')
    path = str(tmp_path / "story.md")
    settings = build_settings({"select": ["ALL"]}, tmp_path, None, Layer())
    linter = Linter()
    checked = offered = 0
    for name, text in _markdown_texts():
        analysis = linter.analyze("file:///story.md", text, 1, path)
        assert analysis.doc is not None and analysis.settings.enabled.keys() == settings.enabled.keys()
        before = Counter(d.code for d in analysis.diagnostics)
        for i, d in enumerate(analysis.diagnostics):
            checked += 1
            edits = analysis.disable(i)
            if edits is None:
                assert d.code.startswith("XX") or not disable_candidates(analysis.doc, d), (name, d)
                continue
            offered += 1
            after = Counter(x.code for x in lint_document(Document(path, apply_edits(text, edits)), settings))
            assert after[d.code] < before[d.code], (name, d)
            assert {c: n for c, n in after.items() if c != d.code} == {
                c: n for c, n in before.items() if c != d.code}, (name, d)
    assert offered > 100 and offered >= checked - 10


def test_importing_the_cli_or_the_server_module_does_not_import_pygls():
    code = ("import sys, artlint.cli, artlint.server\n"
            "print([m for m in sys.modules if m.split('.')[0] in ('pygls', 'lsprotocol')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stderr


def test_without_pygls_the_server_says_how_to_install_it():
    code = ("import sys\nsys.modules['pygls'] = None\nsys.modules['lsprotocol'] = None\n"
            "from artlint.server import main\nsys.exit(main([]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert "pip install 'artlint[lsp]'" in out.stderr
