"""The exceptions newswatch raises on purpose; every one carries a message a user can act on."""

from __future__ import annotations


class NewswatchError(Exception):
    """Root of every error newswatch raises deliberately. The CLI turns it into exit code 1."""


class ConfigError(NewswatchError):
    """Raised by the config loader when config.yaml (or an override) is invalid.

    The message names the file, the line where known, the key path and what is wrong.
    The CLI turns it into exit code 2.
    """


class UsageError(NewswatchError):
    """Raised for a bad command-line argument the parser could not catch (exit code 2)."""
