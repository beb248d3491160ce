"""Safe YAML parsing with libyaml when PyYAML has it: the same safe subset, ~15× faster.

``ronde.yaml`` is read by every step of a round (and once per assessment for the letter
settings); the pure-Python parser spent ~4 ms on its 1 KB, the C one 0.1 ms.
"""

from __future__ import annotations

from typing import Any

import yaml

#: the C safe loader when PyYAML was built with libyaml, else the pure-Python one
SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def safe_load(text: str) -> Any:
    """Parse ``text`` like :func:`yaml.safe_load` (raises :class:`yaml.YAMLError`)."""
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader


def compose(text: str) -> yaml.Node | None:
    """The node tree of ``text`` (with line marks), like :func:`yaml.compose` safely."""
    return yaml.compose(text, Loader=SAFE_LOADER)
