"""The core value types behave as frozen dataclasses would: built from
their fields, equal and hashed by value, immutable, picklable (worker
processes send them back) and copied with changes."""

from __future__ import annotations

import pickle
import subprocess
import sys

import pytest

from artlint.document import Headline, Paragraph, Region
from artlint.types import Applicability, Diagnostic, Edit, Fix, Severity, Span, Violation

VALUES = [
    Span(3, 7),
    Edit.replace(1, 4, "x"),
    Fix.unsafe("Write it", Edit.delete(5, 6), Edit.insert(1, "a")),
    Violation(Span(0, 2), "message"),
    Violation(Span(0, 2), "message", Fix.safe("Remove", Edit.delete(0, 2))),
    Diagnostic("WS003", "multiple-spaces", Span(4, 6), "2 spaces", Severity.WARNING,
               Fix.safe("One space", Edit.replace(4, 6, " ")), {"rule": "x"}),
    Region("url", Span(0, 10)),
    Paragraph(Span(0, 10), "heading", 2),
    Headline("A headline", Span(0, 10), "first-line"),
]


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_equal_hashed_and_pickled_by_value(value):
    again = pickle.loads(pickle.dumps(value))
    assert again == value and hash(again) == hash(value) and again is not value
    assert repr(again) == repr(value)
    assert value != object() and not (value == (*value._values(),))  # not a tuple
    with pytest.raises(AttributeError):
        value.anything = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        setattr(value, value._fields[0], None)
    assert value.copy() == value


def test_fields_and_defaults():
    assert (Span(2, 5).start, Span(2, 5).end, len(Span(2, 5))) == (2, 5, 3)
    assert Violation(Span(0, 1), "m").fix is None
    assert Paragraph(Span(0, 1), "paragraph").level == 0
    d = Diagnostic("HL001", "n", Span(0, 1), "m", Severity.INFO)
    assert (d.fix, d.data) == (None, {})
    assert repr(Span(1, 2)) == "Span(start=1, end=2)"


def test_a_span_is_checked_and_ordered():
    with pytest.raises(ValueError, match=r"invalid span \(5, 4\)"):
        Span(5, 4)
    with pytest.raises(ValueError):
        Span(-1, 2)
    assert sorted([Span(4, 5), Span(1, 9), Span(1, 2)]) == [Span(1, 2), Span(1, 9), Span(4, 5)]
    assert Span(1, 2) < Span(1, 3) <= Span(1, 3) and Span(2, 2) > Span(1, 9) >= Span(1, 9)
    with pytest.raises(TypeError):
        Span(1, 2) < (1, 3)  # noqa: B015


def test_a_fix_sorts_its_edits_and_refuses_overlaps():
    fix = Fix.safe("t", Edit.delete(5, 6), Edit.insert(1, "a"))
    assert [e.span.start for e in fix.edits] == [1, 5] and fix.span == Span(1, 6)
    assert fix.applicability is Applicability.SAFE
    with pytest.raises(ValueError, match="overlap"):
        Fix.safe("t", Edit.delete(1, 4), Edit.delete(3, 6))
    with pytest.raises(ValueError, match="at least one edit"):
        Fix.safe("t")


def test_the_data_of_a_diagnostic_is_not_part_of_its_value():
    a = Diagnostic("GR001", "n", Span(0, 1), "m", Severity.INFO, None, {"rule": "A"})
    b = Diagnostic("GR001", "n", Span(0, 1), "m", Severity.INFO, None, {"rule": "B"})
    assert a == b and hash(a) == hash(b)
    moved = a.copy(span=Span(0, 0))
    assert moved.span == Span(0, 0) and moved.data == {"rule": "A"} and a.span == Span(0, 1)


def test_a_check_imports_neither_dataclasses_nor_inspect(tmp_path):
    """They cost a pre-commit run more than linting its article: the value
    types are written out, and rule docs are cleaned only when read. (A
    Markdown article brings them in with markdown-it.)"""
    article = tmp_path / "a.txt"
    article.write_text("Title\n\nA “quote,” she said.  Read more\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from artlint.cli import main\n"
        "status = main(['check', '--no-cache', '--exit-zero', '-q', 'a.txt'])\n"
        "heavy = sorted({'dataclasses', 'inspect', 'shutil', 'yaml', 'textstat', 'pygls'} & set(sys.modules))\n"
        "assert status == 0 and not heavy, heavy\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "WS003" in proc.stdout
