"""What every benchmark report records besides its figures, and progress lines."""

from __future__ import annotations

import platform
import subprocess
import sys
import time

from harness import ROOT


def versions(names: tuple[str, ...]) -> dict[str, str]:
    """Python's version and those of the installed distributions ``names`` ("?" if absent)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "?"
    return out


def git_rev(unknown: str = "?", untracked: bool = False) -> str:
    """HEAD's short hash, "-dirty" with local changes (``untracked``: untracked files count)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", *(() if untracked else ("--untracked-files=no",))],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return unknown


def log(message: str) -> None:
    """A progress line on stderr, with the time."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
