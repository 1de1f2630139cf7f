"""The Markdown parser, built once per process and imported only for Markdown."""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

_PARSER = MarkdownIt("commonmark", {"html": True}).use(front_matter_plugin).enable("table")
# Blocks nested deeper are skipped by the parser (Document reports it: XX010).
MAX_NESTING: int = _PARSER.options["maxNesting"]


def parse(text: str) -> list:
    return _PARSER.parse(text)
