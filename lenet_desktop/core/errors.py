"""What a person reads of an exception: one line."""

from __future__ import annotations


def first_line(error: BaseException) -> str:
    """The error's first line, or its type's name when it has no message."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
