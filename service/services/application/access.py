"""Who may call the service: access tokens for the API, sessions for the clerk's pages."""

from __future__ import annotations

from service.domain.access import Principal
from service.domain.errors import Unauthorized
from service.services.ports import TokenStore


class AccessService:
    """Authenticate callers against the token store; without one (or with no token active),
    every route and every page is open."""

    def __init__(self, tokens: TokenStore | None) -> None:
        self.tokens = tokens

    def is_open(self) -> bool:
        """`True` when no access token is configured: every route, every page is open."""
        return self.tokens is None or not self.tokens.any_configured()

    def authenticate(self, token: str | None) -> Principal | None:
        """Return who holds *token*; ``None`` when no token is configured (open service).

        :raises Unauthorized: when tokens are configured and *token* is missing or not active.
        """
        if self.tokens is None or self.is_open():
            return None
        principal = self.tokens.find(token) if token else None
        if principal is None:
            raise Unauthorized(
                "Jeton d'accès absent, inconnu ou révoqué (en-tête Authorization: Bearer)."
            )
        return principal

    def authenticate_session(self, session_id: str | None) -> Principal | None:
        """Return who signed in to the clerk's pages in the session *session_id*; ``None``
        when no token is configured (open service).

        :raises Unauthorized: when tokens are configured and *session_id* names no session
            open on the server (never signed in, signed out, or the token was revoked since).
        """
        if self.tokens is None or self.is_open():
            return None
        principal = self.tokens.find_session(session_id) if session_id else None
        if principal is None:
            raise Unauthorized("Connectez-vous avec votre jeton d'accès.",
                               code="connexion-requise")
        return principal

    def open_session(self, token: str) -> tuple[Principal, str]:
        """Sign in to the clerk's pages with *token*: its principal and a new session id.

        :raises Unauthorized: when the token is missing, unknown or revoked.
        """
        principal = self.authenticate(token)
        session_id = (self.tokens.open_session(token)
                      if principal is not None and self.tokens is not None else None)
        if principal is None or session_id is None:
            raise Unauthorized("Jeton d'accès absent, inconnu ou révoqué.")
        return principal, session_id

    def end_session(self, session_id: str | None) -> None:
        """Sign out: the session ends on the server, whatever becomes of its cookie."""
        if session_id and self.tokens is not None:
            self.tokens.end_session(session_id)
