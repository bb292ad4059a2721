"""The window's language: English, Vietnamese, or the system's; numbers formatted for it.

Our strings are compiled by `make i18n` into resources/i18n/lenet_desktop_<code>.qm (English, the
source language, holds only the plural forms: "1 tensor", "10 tensors"). Qt's own strings come
from Qt's qtbase_<code>.qm where PySide6 ships one. It ships none for Vietnamese: our catalogue
carries the standard buttons' words (OK, Cancel, ...), and the rest of Qt's own dialogs (the file
dialog Qt draws where the desktop has none) stays English. Installing or removing a
QTranslator makes Qt send QEvent.LanguageChange to every widget, and each widget sets its texts
again in its `changeEvent`: a switch takes effect at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QTabWidget, QWidget

from lenet_desktop.core.errors import Told, TranslatableError, filled, first_line
from lenet_desktop.core.paths import resource_path
from lenet_desktop.gui.services.plain_text import escaped, plain_message_box

LANGUAGE = "ui/language"  # QSettings key: one of CHOICES
SYSTEM, ENGLISH, VIETNAMESE = "system", "en", "vi"
CHOICES = (SYSTEM, ENGLISH, VIETNAMESE)
CATALOGUE = "lenet_desktop"
TRANSLATOR_NAME = "lenet-desktop-language"  # marks the translators this module installed
# A language's name is written in that language, so a user who cannot read the current one finds theirs.
NATIVE_NAMES = {ENGLISH: "English", VIETNAMESE: "Tiếng Việt"}
# The standard buttons' words as Qt asks for them (QPlatformTheme::defaultStandardButtonText);
# listed only so that `make i18n` puts them into our catalogue, for languages Qt has none for.
STANDARD_BUTTONS = (
    QT_TRANSLATE_NOOP("QPlatformTheme", "OK"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Cancel"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Close"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Save"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Open"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&Yes"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "&No"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Apply"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Reset"),
    QT_TRANSLATE_NOOP("QPlatformTheme", "Help"),
)


def locale_for(language: str) -> QLocale:
    if language == VIETNAMESE:
        return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def resolved_language(choice: str, system: QLocale | None = None) -> str:
    """The language a choice stands for: "system" is Vietnamese on a Vietnamese system, else English."""
    if choice in NATIVE_NAMES:
        return choice
    system = QLocale.system() if system is None else system
    return VIETNAMESE if system.language() == QLocale.Language.Vietnamese else ENGLISH


def remembered_choice(settings: QSettings) -> str:
    choice = str(settings.value(LANGUAGE, SYSTEM))
    return choice if choice in CHOICES else SYSTEM


def catalogue_path(language: str):
    return resource_path(f"i18n/{CATALOGUE}_{language}.qm")


def apply_language(language: str) -> None:
    """Make `language` ("en" or "vi") the window's: its translators installed, the others removed.

    The translators are children of the application, not of a window, so every window shares them
    and a second window cannot stack a second set. Raises FileNotFoundError when our catalogue for
    the language is missing or unreadable."""
    app = QCoreApplication.instance()
    for old in app.findChildren(QTranslator, TRANSLATOR_NAME):
        app.removeTranslator(old)
        old.setParent(None)
    locale = locale_for(language)
    QLocale.setDefault(locale)
    # A widget keeps the locale it was made with (spin boxes write numbers in it): pass the new one on.
    for window in QApplication.topLevelWidgets():
        window.setLocale(locale)
    ours = QTranslator(app)
    ours.setObjectName(TRANSLATOR_NAME)
    path = catalogue_path(language)
    if not ours.load(str(path)):
        ours.setParent(None)
        raise FileNotFoundError(f"the {NATIVE_NAMES[language]} translation is missing or unreadable: {path}")
    qt_own = QTranslator(app)
    qt_own.setObjectName(TRANSLATOR_NAME)
    if qt_own.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
    else:
        qt_own.setParent(None)
    app.installTranslator(ours)


def fill(template: str, *values: object) -> str:
    """A translated sentence with its placeholders %1, %2, ... replaced, as QString.arg does (tr()
    returns a Python str in PySide6). Numbers should come already formatted by number_text."""
    return re.sub(r"%([1-9])", lambda match: str(values[int(match.group(1)) - 1]), template)


def markup_fill(template: str, *values: object) -> str:
    """`fill` for a template that is markup (`Model <b>%1</b>`): the values, a name from a file, are
    escaped into it, so that they show as text."""
    return fill(template, *(escaped(value) for value in values))


def error_text(error: BaseException) -> str:
    """An error's one line in the window's language: the core's (TranslatableError) as told_text
    tells it; any other as the CLI does (first_line)."""
    return told_text(error.told) if isinstance(error, TranslatableError) else first_line(error)


def told_text(told: Told) -> str:
    """What the core tells a person, in the window's language: its template translated in the "core"
    context, its fields filled in, errors and Tolds among them told the same way. Safe from any
    thread, as QCoreApplication.translate is."""
    fields = {
        name: error_text(value)
        if isinstance(value, BaseException)
        else told_text(value)
        if isinstance(value, Told)
        else value
        for name, value in told.fields.items()
    }
    return filled(QCoreApplication.translate("core", told.template), fields)


def ui_locale() -> QLocale:
    """The locale numbers are written in: the window's language's, en_US unless it is Vietnamese."""
    return locale_for(VIETNAMESE if QLocale().language() == QLocale.Language.Vietnamese else ENGLISH)


def number_text(value: float, decimals: int = 0) -> str:
    """`value` with the window language's decimal and group separators: 61,706 / 61.706."""
    locale = ui_locale()
    return locale.toString(int(round(value))) if decimals == 0 else locale.toString(float(value), "f", decimals)


def significant_text(value: float, digits: int = 4) -> str:
    """`value` to `digits` significant digits (as Python's `g`) with the window language's separators."""
    return ui_locale().toString(float(value), "g", digits)


def percent_text(fraction: float, decimals: int = 1) -> str:
    """A fraction as a percentage in the window's language: 99.51% / 99,51 %."""
    return fill(QCoreApplication.translate("Numbers", "%1%"), number_text(fraction * 100, decimals))


def duration_text(seconds: float) -> str:
    """A time left, as "1 min 04 s" or "42 s"."""
    seconds = max(0, round(seconds))
    if seconds >= 60:
        return fill(QCoreApplication.translate("TrainingPanel", "%1 min %2 s"), seconds // 60, f"{seconds % 60:02d}")
    return fill(QCoreApplication.translate("TrainingPanel", "%1 s"), seconds)


class Retranslated:
    """Mixed into a widget ahead of its Qt class (`class Panel(Retranslated, QWidget)`): the widget's
    `_retranslate()` sets its texts again when the language changes."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


class LanguageMenu(Retranslated, QMenu):
    """System default / English / Tiếng Việt; the choice is remembered and applied at once."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        group = QActionGroup(self)
        self.choice_actions: dict[str, QAction] = {}
        for choice in CHOICES:
            action = QAction(NATIVE_NAMES.get(choice, ""), self, checkable=True)
            action.setData(choice)
            group.addAction(action)
            self.addAction(action)
            self.choice_actions[choice] = action
        self.choice_actions[remembered_choice(settings)].setChecked(True)
        group.triggered.connect(lambda action: self.choose(action.data()))
        self._retranslate()

    def choose(self, choice: str) -> bool:
        """Switch to `choice` and remember it; a missing translation leaves the language as it was."""
        try:
            apply_language(resolved_language(choice))
        except FileNotFoundError as error:
            box = plain_message_box(
                QMessageBox.Icon.Warning,
                self.tr("Cannot change the language"),
                str(error),
                QMessageBox.StandardButton.Ok,
                self.parentWidget(),
            )
            box.exec()
            self.choice_actions[remembered_choice(self.settings)].setChecked(True)
            return False
        self.settings.setValue(LANGUAGE, choice)
        self.choice_actions[choice].setChecked(True)
        return True

    def _retranslate(self) -> None:
        self.setTitle(self.tr("&Language"))
        self.choice_actions[SYSTEM].setText(self.tr("&System default"))


class TranslatedTabs(QTabWidget):
    """Tabs whose names are given as functions, called again when the language changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._titles: dict[QWidget, Callable[[], str]] = {}

    def add_tab(self, page: QWidget, title: Callable[[], str]) -> int:
        self._titles[page] = title
        return self.addTab(page, title())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            for page, title in self._titles.items():
                self.setTabText(self.indexOf(page), title())
        super().changeEvent(event)


class ViewMenu(Retranslated, QMenu):
    """The menu bar's View menu; for now it holds the language choice."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language_menu = LanguageMenu(settings, self)
        self.addMenu(self.language_menu)
        self._retranslate()

    def _retranslate(self) -> None:
        self.setTitle(self.tr("&View"))


def install_remembered_language(settings: QSettings) -> str | None:
    """At start: the remembered choice's language. When its translation cannot be read the window
    starts in English, and the returned line says why."""
    try:
        apply_language(resolved_language(remembered_choice(settings)))
    except FileNotFoundError as error:
        apply_language(ENGLISH)
        return str(error)
    return None
