"""``python -m scheduler.cli``: the same as the ``newswatch`` console script."""

from scheduler.cli import main

main()
