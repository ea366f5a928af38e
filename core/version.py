"""newswatch's version, in a module of its own so that ``newswatch --version`` imports nothing else."""

from __future__ import annotations

VERSION = "0.1.0"
