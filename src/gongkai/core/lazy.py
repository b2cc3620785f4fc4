"""Modules imported on first use, so that a console command or a web worker that never needs them
does not pay for them at start-up (numpy alone is ~0.1 s).

``np = lazy_module("numpy")`` behaves like ``import numpy as np`` once an attribute is read.
Pure Python: no Django import.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class _LazyModule:
    __slots__ = ("_name", "_module")

    def __init__(self, name: str):
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str):
        module = self._module
        if module is None:
            module = self._module = importlib.import_module(self._name)
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}{'' if self._module is None else ' (loaded)'}>"


def lazy_module(name: str):
    """A stand-in for module ``name`` that imports it on first attribute access."""
    return _LazyModule(name)
