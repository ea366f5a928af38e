"""Typer's help and error screens without rich's Markdown and traceback renderers loaded.

Why: ``typer.rich_utils``, which Typer imports to draw ``--help`` and usage errors, imports
``rich.markdown`` (markdown-it-py, Pygments) and ``rich.traceback`` (``rich.pretty``,
attrs) at its top: 100 of the 363 modules ``newswatch --help`` loaded, ~30 % of its CPU
(``bench/startup.py``, ``python -X importtime``). newswatch draws neither: its help is in
rich markup (``rich_markup_mode="rich"``, never Markdown) and Typer's pretty tracebacks are
off (``pretty_exceptions_enable=False``).

So while ``typer.rich_utils`` itself is being imported (and only then), ``rich.markdown``
and ``rich.traceback`` are stand-in modules whose ``Markdown`` and ``Traceback`` load the
real module on first use (a call, an attribute, an ``isinstance``). Any other importer of
those modules, before or after, gets the real ones (the CLI imports nothing on another
thread meanwhile). ``tests/test_cli_startup.py`` checks
that the help reads the same with the real modules loaded, and which modules it loads.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec

# The finder and loader below are duck-typed, not importlib.abc subclasses: importlib.abc
# imports importlib.resources and tempfile, a cost --version would pay for nothing.

# The module whose import gets the stand-ins, and module -> the one name it takes from each.
TARGET = "typer.rich_utils"
DEFERRED = {"rich.markdown": "Markdown", "rich.traceback": "Traceback"}
_MARK = "__newswatch_stand_in__"


def real_module(name: str) -> types.ModuleType:
    """Module ``name`` itself, imported now if only its stand-in is in ``sys.modules``."""
    if getattr(sys.modules.get(name), _MARK, False):
        del sys.modules[name]
    return importlib.import_module(name)


def _deferred_class(module_name: str, class_name: str) -> type:
    """A class standing for ``module_name.class_name``: every use loads and uses the real one."""

    def real() -> Any:
        return getattr(real_module(module_name), class_name)

    class Deferred(type):
        def __getattr__(cls, attribute: str) -> Any:  # e.g. Traceback.from_exception
            return getattr(real(), attribute)

        def __instancecheck__(cls, instance: Any) -> bool:
            return isinstance(instance, real())

        def __subclasscheck__(cls, subclass: type) -> bool:
            return issubclass(subclass, real())

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        return real()(*args, **kwargs)

    stand_in = Deferred(class_name, (), {"__new__": new, "__module__": module_name})
    return stand_in


def _stand_in_module(module_name: str, class_name: str) -> types.ModuleType:
    module = types.ModuleType(module_name)
    setattr(module, _MARK, True)
    setattr(module, class_name, _deferred_class(module_name, class_name))

    def other_name(attribute: str) -> Any:
        # Any other name a newer Typer takes from the module: the real module's (loaded then).
        # Not the import system's own probes (__path__, __spec__...): they must not load it.
        if attribute.startswith("__") and attribute.endswith("__"):
            raise AttributeError(attribute)
        return getattr(real_module(module_name), attribute)

    module.__getattr__ = other_name  # type: ignore[method-assign]
    return module


class _Loader:
    """The target's own loader, with the stand-ins in ``sys.modules`` while its code runs."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: ModuleSpec) -> types.ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        installed = {
            name: _stand_in_module(name, class_name) for name, class_name in DEFERRED.items() if name not in sys.modules
        }
        sys.modules.update(installed)
        try:
            self._loader.exec_module(module)
        finally:
            for name, stand_in in installed.items():
                if sys.modules.get(name) is stand_in:
                    del sys.modules[name]

    def __getattr__(self, attribute: str) -> Any:  # get_source, get_code...: the real loader's
        return getattr(self._loader, attribute)


class _Finder:
    """Finds the target through the other finders and wraps its loader; ignores every other module."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname != TARGET:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _Loader(spec.loader)  # type: ignore[assignment]
                return spec
        return None


def install() -> None:
    """Defer the two renderers for the next import of ``typer.rich_utils`` (idempotent)."""
    if TARGET not in sys.modules and not any(isinstance(f, _Finder) for f in sys.meta_path):
        sys.meta_path.insert(0, _Finder())
