"""A small LanguageTool client: ``POST /v2/check`` over HTTP, standard
library only.

The article goes to the server as LanguageTool's *annotated text* (the
``data`` parameter): prose as ``text`` parts, everything else (front matter,
code, HTML, URLs, Markdown markers) as ``markup`` parts that LanguageTool
does not check, each with an ``interpretAs`` that keeps the sentence
readable: a paragraph break for a block, nothing for a tag or a marker, a
placeholder word for inline code and URLs. The parts put together are the
source text itself, so the offsets LanguageTool answers with are offsets
into the source. They count UTF-16 code units (LanguageTool is Java): an
emoji is two of them and one Python character, which ``Utf16Index`` maps.

A local LanguageTool (one that language-tool-python has already downloaded)
is started through language-tool-python, never downloaded: see
``local_server``.
"""

from __future__ import annotations

import json
import os
import re
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .document import Document

CHUNK_SIZE = 20_000  # source characters per request, whole paragraphs


class LanguageToolError(Exception):
    """The server could not be asked or its answer not read. ``down``: the
    server is not there (refused, unreachable, timed out) and is not asked
    again for a while."""

    def __init__(self, message: str, down: bool = False) -> None:
        super().__init__(message)
        self.down = down


@dataclass(frozen=True)
class Match:
    """One LanguageTool match, its offsets in the source text."""

    start: int
    end: int
    message: str
    rule_id: str
    category: str
    issue_type: str
    replacements: tuple[str, ...]


# ------------------------------------------------------------------ the URL
def check_url(url: str) -> str:
    """The ``/v2/check`` endpoint of a configured server URL: a server
    root (``http://localhost:8081``), its ``/v2`` or the endpoint itself."""
    base = url.strip().rstrip("/")
    if base.endswith("/v2/check"):
        return base
    if base.endswith("/v2"):
        return base + "/check"
    return base + "/v2/check"


def valid_url(url: str) -> bool:
    return re.match(r"^https?://[^/\s]+", url.strip()) is not None


# ----------------------------------------------------------- annotated text
_EMPHASIS_RE = re.compile(r"(?<![\\\w*])(?:\*{1,3}|_{1,3})(?=[^\s*_])|(?<=[^\s*_\\])(?:\*{1,3}|_{1,3})(?![\w*])")
_LINK_TEXT_RE = re.compile(r"!?\[[^\[\]\n]*\]")
_AUTOLINK_RE = re.compile(r"<[^<>\s]+>")
# "1. ", "> - ", "## ". Each run of marks is taken whole, never given back
# (a look-ahead and a back-reference make an atomic group): a long run
# ending in another character fails at once, not after trying every split.
_MARKER_RE = re.compile(r"(?=(?P<a>[\s>#*+-]*))(?P=a)(?:\d{1,9}[.)](?=(?P<b>[\s>#*+-]*))(?P=b))?")


def chunks(doc: Document, size: int = CHUNK_SIZE) -> list[tuple[int, int]]:
    """Source spans to send, each whole paragraphs, about ``size``
    characters at most (a longer paragraph goes alone)."""
    spans = sorted((p.span.start, p.span.end) for p in doc.paragraphs)
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if end <= start:
            continue
        if out and end - out[-1][0] <= size:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        elif out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))  # overlapping spans stay together
        else:
            out.append((start, end))
    return out


def annotation(doc: Document, start: int, end: int) -> list[dict[str, str]]:
    """The annotated-text parts of ``doc.text[start:end]``; their texts and
    markups put together are exactly that slice."""
    text, mask = doc.text, doc.mask
    markup: list[tuple[int, int, str]] = []
    dummies = 0
    i = start
    while i < end:
        j = mask.find(0, i, end)
        if j == -1:
            break
        k = mask.find(1, j, end)
        k = end if k == -1 else k
        interpret = _interpret(text, j, k, len(text))
        if interpret == "dummy":
            interpret = f"Dummy{dummies}"
            dummies += 1
        markup.append((j, k, interpret))
        i = k
    if doc.kind == "markdown":
        markup.extend(_markdown_marks(doc, start, end))
        markup.sort()
    parts: list[dict[str, str]] = []
    pos = start
    for a, b, interpret in markup:
        if a < pos:  # never overlaps a masked run; be safe
            continue
        if a > pos:
            parts.append({"text": text[pos:a]})
        part = {"markup": text[a:b]}
        if interpret:
            part["interpretAs"] = interpret
        parts.append(part)
        pos = b
    if pos < end:
        parts.append({"text": text[pos:end]})
    return parts


def _interpret(text: str, a: int, b: int, n: int) -> str:
    """What LanguageTool should read in place of the masked ``text[a:b]``:
    a paragraph break, nothing, or ``"dummy"`` (a placeholder word)."""
    s = text[a:b]
    at_line_start = a == 0 or text[a - 1] == "\n"
    at_line_end = b == n or text[b] == "\n"
    if "\n" in s or (at_line_start and at_line_end):
        return "\n\n"  # a block: front matter, code, HTML, a code line
    stripped = s.strip()
    if "|" in stripped and not any(c.isalnum() for c in stripped):
        return "\n\n"  # between table cells: each cell on its own
    if a > 0 and text[a - 1] == "]" and stripped[:1] in ("(", "["):
        return ""  # a link's target or reference label: the link text is read
    if stripped.startswith("<"):
        if _AUTOLINK_RE.fullmatch(stripped) and (":" in stripped or "@" in stripped):
            return "dummy"  # <https://…> in a sentence
        return ""  # an HTML tag or comment
    if at_line_start and _MARKER_RE.fullmatch(s):
        # A list item is a paragraph of its own; heading and quote markers are nothing.
        return "\n\n" if re.search(r"[-*+]|\d[.)]", s) else ""
    if not any(c.isalnum() for c in stripped):
        return ""
    return "dummy"  # inline code, a URL in a sentence


def _markdown_marks(doc: Document, start: int, end: int) -> list[tuple[int, int, str]]:
    """Markdown syntax the prose mask keeps (emphasis markers, the brackets
    of link text), sent as markup too."""
    prose, mask = doc.prose, doc.mask
    out: list[tuple[int, int, str]] = []
    for m in _EMPHASIS_RE.finditer(prose, start, end):
        out.append((m.start(), m.end(), ""))
    for m in _LINK_TEXT_RE.finditer(prose, start, end):
        close = m.end() - 1
        if m.end() < len(mask) and mask[m.end()] == 0:  # a target or label follows: a link
            open_ = m.start() + (2 if prose[m.start()] == "!" else 1)
            out.append((m.start(), open_, ""))
            out.append((close, m.end(), ""))
    # Markers found twice (an emphasis run next to a bracket) count once.
    out.sort()
    kept: list[tuple[int, int, str]] = []
    for a, b, s in out:
        if kept and a < kept[-1][1]:
            continue
        kept.append((a, b, s))
    return kept


class Utf16Index:
    """Maps UTF-16 offsets (LanguageTool's) into a string to its indexes."""

    def __init__(self, s: str) -> None:
        self.starts: list[int] | None = None
        if any(ord(c) > 0xFFFF for c in s):
            starts, u = [], 0
            for c in s:
                starts.append(u)
                u += 2 if ord(c) > 0xFFFF else 1
            starts.append(u)
            self.starts = starts

    def __call__(self, offset: int) -> int:
        if self.starts is None:
            return offset
        return bisect_left(self.starts, offset)


# ------------------------------------------------------------------ request
def check(url: str, parts: list[dict[str, str]], params: dict[str, str], timeout: float) -> list[dict[str, Any]]:
    """POST one annotated text to ``url`` (a ``/v2/check`` endpoint); the
    raw ``matches`` of the answer. Raises LanguageToolError."""
    import http.client
    import urllib.error
    import urllib.parse
    import urllib.request

    from . import __version__

    form = dict(params)
    form["data"] = json.dumps({"annotation": parts})
    body = urllib.parse.urlencode(form).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": f"artlint/{__version__}",
    })
    where = url.removesuffix("/v2/check") if url.endswith("/v2/check") else url
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        detail = _first_line(exc)
        raise LanguageToolError(
            f"the LanguageTool server at {where} answered HTTP {exc.code}" + (f" ({detail})" if detail else "")
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise LanguageToolError(_timed_out(where, timeout), down=True) from None
        text = getattr(reason, "strerror", None) or str(reason)
        raise LanguageToolError(f"no LanguageTool server at {where} ({text.lower()})", down=True) from None
    except TimeoutError:
        raise LanguageToolError(_timed_out(where, timeout), down=True) from None
    except (http.client.HTTPException, OSError) as exc:
        raise LanguageToolError(
            f"no answer from the LanguageTool server at {where} ({type(exc).__name__}: {exc})", down=True
        ) from None
    try:
        answer = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise LanguageToolError(f"the LanguageTool server at {where} sent a malformed answer (not JSON)") from None
    matches = answer.get("matches") if isinstance(answer, dict) else None
    if not isinstance(matches, list):
        raise LanguageToolError(
            f"the LanguageTool server at {where} sent a malformed answer (no list of matches)"
        )
    return matches


def _timed_out(where: str, timeout: float) -> str:
    return f"the LanguageTool server at {where} did not answer within {timeout:g} s (languagetool-timeout)"


def _first_line(exc: Any) -> str:
    try:
        body = exc.read(300).decode("utf-8", "replace").strip()
    except Exception:  # noqa: BLE001 - only for the message
        return ""
    line = body.splitlines()[0] if body else ""
    return line[:120]


def parse_match(raw: Any, index: Utf16Index, base: int, limit: int) -> Match:
    """One raw match (offsets in UTF-16 units from the chunk start) as a
    Match in source offsets. Raises ValueError when it is not one."""
    if not isinstance(raw, dict):
        raise ValueError("a match is not an object")
    offset, length = raw.get("offset"), raw.get("length")
    if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length < 0:
        raise ValueError("a match has no offset and length")
    start, end = index(offset), index(offset + length)
    if end > limit:
        raise ValueError("a match lies outside the text sent")
    rule = raw.get("rule") if isinstance(raw.get("rule"), dict) else {}
    category = rule.get("category") if isinstance(rule.get("category"), dict) else {}
    replacements = []
    for r in raw.get("replacements") or ():
        if isinstance(r, dict) and isinstance(r.get("value"), str):
            replacements.append(r["value"])
    message = raw.get("message") if isinstance(raw.get("message"), str) else ""
    message = " ".join(message.split()) or str(raw.get("shortMessage") or "LanguageTool finding")
    return Match(
        start=base + start,
        end=base + end,
        message=message,
        rule_id=str(rule.get("id") or "UNKNOWN"),
        category=str(category.get("id") or ""),
        issue_type=str(rule.get("issueType") or ""),
        replacements=tuple(replacements),
    )


# ------------------------------------------------------- a local LanguageTool
def download_folder() -> Path:
    """Where language-tool-python keeps LanguageTool (its LTP_PATH)."""
    return Path(os.environ.get("LTP_PATH") or Path.home() / ".cache" / "language_tool_python")


_LOCAL: dict[str, Any] = {}


def local_server(language: str) -> tuple[str | None, str]:
    """The base URL of a LanguageTool server started, once per process,
    from the LanguageTool that language-tool-python has on disk; or None
    and why not. Nothing is downloaded: without LanguageTool on disk, or
    without Java, no server is started."""
    if "url" in _LOCAL or "reason" in _LOCAL:
        return _LOCAL.get("url"), _LOCAL.get("reason", "")
    url, reason = _start_local(language)
    _LOCAL.update(url=url, reason=reason)
    return url, reason


def _start_local(language: str) -> tuple[str | None, str]:
    import shutil

    folder = download_folder()
    jars = sorted(folder.glob("LanguageTool-*/languagetool-server.jar")) if folder.is_dir() else []
    if not jars:
        return None, f"no languagetool-url is configured and no LanguageTool is on disk in {folder}"
    if shutil.which("java") is None:
        return None, f"no languagetool-url is configured, and the LanguageTool in {folder} needs Java, not found"
    try:
        import language_tool_python
        from language_tool_python.download_lt import LocalLanguageTool
    except ImportError:
        return None, ("no languagetool-url is configured, and starting the LanguageTool on disk needs "
                      "language-tool-python (pip install 'artlint[grammar]')")
    installed = LocalLanguageTool.get_latest_installed_version()
    if installed is None:
        return None, f"no languagetool-url is configured and no usable LanguageTool is on disk in {folder}"
    try:
        # The version on disk: language-tool-python downloads only a version
        # it does not have.
        tool = language_tool_python.LanguageTool(
            language if language != "auto" else "en-US",
            language_tool_download_version=installed.version_name,
        )
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
        return None, f"the LanguageTool on disk in {folder} did not start ({type(exc).__name__}: {exc})"
    _LOCAL["tool"] = tool  # kept alive: it stops the server when collected (and at exit)
    return str(tool.url), ""
