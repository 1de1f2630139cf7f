"""artlint: a linter for articles."""

__version__ = "0.1.0"
