"""The :class:`TokenStore` port in memory: tokens by name, sessions by id."""

from __future__ import annotations

import secrets

from service.domain.access import Principal


class InMemoryTokenStore:
    """Tokens and the clerk's sessions, as ``SqlTokenStore`` keeps them: a revoked token
    still counts as configured (the service stays closed) and ends its sessions."""

    def __init__(self) -> None:
        self._tokens: dict[str, tuple[str, frozenset[str], bool]] = {}
        """``{token: (name, sirens, revoked)}``."""
        self._sessions: dict[str, str] = {}
        """``{session id: token}`` of the sessions not ended."""

    def create(self, name: str, sirens: list[str]) -> str:
        token = secrets.token_urlsafe(16)
        self._tokens[token] = (name, frozenset(sirens), False)
        return token

    def revoke(self, name: str) -> None:
        for token, (held_by, sirens, _) in list(self._tokens.items()):
            if held_by == name:
                self._tokens[token] = (held_by, sirens, True)

    def find(self, token: str) -> Principal | None:
        name, sirens, revoked = self._tokens.get(token, ("", frozenset(), True))
        return None if revoked else Principal(name, sirens)

    def any_configured(self) -> bool:
        return bool(self._tokens)

    def open_session(self, token: str) -> str | None:
        if self.find(token) is None:
            return None
        session_id = secrets.token_urlsafe(16)
        self._sessions[session_id] = token
        return session_id

    def find_session(self, session_id: str) -> Principal | None:
        token = self._sessions.get(session_id)
        return None if token is None else self.find(token)

    def end_session(self, session_id: str) -> None:
        self._sessions.pop(session_id, None)
