"""`$LENET_SHOWN_LOG`: append each answer the window shows to a file, one JSON line each.

Lets a test that drives the real window with real X input (tests/display) read what a user would see,
without reaching into the process. Unset, nothing is written.
"""

from __future__ import annotations

import json
import os

SHOWN_LOG_VARIABLE = "LENET_SHOWN_LOG"


def attach_shown_log(state) -> None:
    """Write every prediction `state` announces to the file $LENET_SHOWN_LOG names, if it names one."""
    path = os.environ.get(SHOWN_LOG_VARIABLE)
    if not path:
        return

    def write(prediction) -> None:
        shown = (
            {"digit": None} if prediction is None else {"digit": prediction.digit, "confidence": prediction.confidence}
        )
        with open(path, "a", encoding="utf-8") as log:
            log.write(json.dumps(shown) + "\n")

    state.predictionChanged.connect(write)
