"""Pure domain: the payload model, legal checks, ACTES identifier and messages.

Imports nothing that does I/O (enforced by the import-linter contracts in pyproject.toml).
"""
