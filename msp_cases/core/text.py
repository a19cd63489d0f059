"""Free text as people type or paste it: what counts as saying something, and what is never stored.

A reason made of a zero-width space or a run of spaces says nothing, so it is not a reason; control
characters (a NUL from a pasted document, an escape sequence) are never stored: PostgreSQL refuses a NUL in
text, and the others only garble pages and exports. Forms (msp_cases.core.forms) and services that take a
reason use these, so both say the same."""

import re
import unicodedata

# Control characters other than tab, line feed and carriage return (which a text area sends).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# Characters that take up no visible space: the zero-width space, joiners and word joiner, the byte order
# mark, and the Hangul and Braille blanks some keyboards and pastes produce.
_BLANK = frozenset("\u200b\u200c\u200d\u2060\ufeff\u115f\u1160\u3164\uffa0\u2800")


def without_control_characters(text: str) -> str:
    """`text` without control characters, keeping tabs and line breaks."""
    return _CONTROL.sub("", text)


def _visible(char: str) -> bool:
    if char.isspace() or char in _BLANK:
        return False
    # Cc control, Cf format (bidirectional marks, soft hyphen), Z* separators: none of them shows as text.
    return unicodedata.category(char) not in {"Cc", "Cf", "Zs", "Zl", "Zp"}


def has_visible_text(text: str | None) -> bool:
    """Whether `text` has at least one character a reader can see."""
    return bool(text) and any(_visible(char) for char in text)
