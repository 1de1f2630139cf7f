"""artlint's built-in rules: one module per family, its data beside it in YAML.

Importing this package registers every built-in rule.
"""

from . import at, bp, gr, hl, qt, rd, ws  # noqa: F401  (GR: LanguageTool, opt-in)
