"""Shared basics at the bottom of the layers: typed config, errors, units, time parsing, logging setup.

Imports nothing of the project; every other package may import it.
"""
