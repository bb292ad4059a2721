"""The corrections store: the user's corrected drawings in one SQLite file."""

from lenet_desktop.core.store.store import *  # noqa: F403
from lenet_desktop.core.store.store import _MIGRATIONS, _inside, _recover  # noqa: F401
