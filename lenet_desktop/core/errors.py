"""What a person reads: an error in one line, in the CLI's English or, translated, in the window's
language; a count with its noun."""

from __future__ import annotations

from dataclasses import dataclass, field


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name Qt's lupdate looks for
    """`text`, unchanged. Qt's lupdate finds this call in the source and puts `text` in the window's
    translation catalogues (resources/i18n), so the core names what the window translates without
    importing Qt."""
    return text


@dataclass(frozen=True)
class Told:
    """A line told to a person: an English template (marked with QT_TRANSLATE_NOOP in the "core"
    context) and its named fields. str() gives the English the CLI prints; the window translates the
    template first (gui.language.told_text). A field may hold an error or another Told, told in turn."""

    template: str
    fields: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return filled(self.template, {name: _told(value) for name, value in self.fields.items()})


class TranslatableError(Exception):
    """An error whose one line is a Told: `TranslatableError(template, **fields)`."""

    def __init__(self, template: str, /, **fields: object) -> None:
        self.told = Told(template, fields)
        super().__init__(str(self.told))

    @classmethod
    def retold(cls, error: TranslatableError) -> TranslatableError:
        """`error`'s line, as an error of this class: a module keeps the error it promises its callers
        for what a module below it found."""
        return cls(error.told.template, **error.told.fields)


def filled(template: str, fields: dict[str, object]) -> str:
    """`template` with its fields; a text without fields is taken as it is (a path may hold braces)."""
    return template.format(**fields) if fields else template


def _told(value: object) -> object:
    return first_line(value) if isinstance(value, BaseException) else str(value) if isinstance(value, Told) else value


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
