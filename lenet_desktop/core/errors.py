"""What a person reads in the CLI's English: an exception in one line, a count with its noun."""

from __future__ import annotations


def first_line(error: BaseException) -> str:
    """The error's first line, or its type's name when it has no message; an OSError as its path and
    the system's reason, '/x/y: Permission denied', not Python's "[Errno 13] ...: '/x/y'"."""
    if isinstance(error, OSError) and error.strerror:
        return f"{error.filename}: {error.strerror}" if error.filename else error.strerror
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 correction', '2 corrections' (`plural` when adding an s is wrong: 'batches')."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
