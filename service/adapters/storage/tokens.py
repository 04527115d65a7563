"""Access tokens kept hashed in the ``tokens`` table."""

from __future__ import annotations

import datetime as dt
import json
import secrets

from sqlalchemy import Engine, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from service.adapters.storage import tables as t
from service.domain.access import Principal, token_digest
from service.domain.errors import Conflict, NotFound


class SqlTokenStore:
    """Create, revoke and look up bearer tokens; only their SHA-256 is stored."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, name: str, sirens: list[str]) -> str:
        """Return a new random token for *name*, bound to *sirens* (shown once, never stored).

        :raises Conflict: when a token of that name exists.
        """
        token = secrets.token_urlsafe(32)
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(t.tokens).values(
                    name=name, sha256=token_digest(token), sirens=json.dumps(sorted(set(sirens))),
                    created_at=dt.datetime.now(dt.UTC),
                ))
        except IntegrityError as exc:
            raise Conflict(f"Un jeton nommé « {name} » existe déjà.") from exc
        return token

    def revoke(self, name: str) -> None:
        """Revoke the token *name*.

        :raises NotFound: when there is no active token of that name.
        """
        with self.engine.begin() as conn:
            done = conn.execute(
                update(t.tokens).where(t.tokens.c.name == name, t.tokens.c.revoked_at.is_(None))
                .values(revoked_at=dt.datetime.now(dt.UTC))
            ).rowcount
        if not done:
            raise NotFound(f"Aucun jeton actif nommé « {name} ».")

    def find(self, token: str) -> Principal | None:
        """Return the principal of an active *token*, or ``None``."""
        return self.find_digest(token_digest(token))

    def find_digest(self, digest: str) -> Principal | None:
        """Return the principal of the active token whose SHA-256 is *digest*, or ``None``.

        A browser session keeps the digest, never the token itself.
        """
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.tokens.c.name, t.tokens.c.sirens)
                .where(t.tokens.c.sha256 == digest, t.tokens.c.revoked_at.is_(None))
            ).first()
        return Principal(row.name, frozenset(json.loads(row.sirens))) if row else None

    def open_session(self, token: str) -> str | None:
        """Return the id of a new browser session of the active *token*, ``None`` when the
        token is not active. The cookie carries the id; only its SHA-256 is stored."""
        if self.find(token) is None:
            return None
        session_id = secrets.token_urlsafe(32)
        with self.engine.begin() as conn:
            conn.execute(insert(t.sessions).values(
                sha256=token_digest(session_id), token_sha256=token_digest(token),
                created_at=dt.datetime.now(dt.UTC)))
        return session_id

    def find_session(self, session_id: str) -> Principal | None:
        """Return the principal of a session not ended, whose token is still active."""
        with self.engine.connect() as conn:
            row = conn.execute(
                select(t.tokens.c.name, t.tokens.c.sirens)
                .join(t.sessions, t.sessions.c.token_sha256 == t.tokens.c.sha256)
                .where(t.sessions.c.sha256 == token_digest(session_id),
                       t.sessions.c.ended_at.is_(None), t.tokens.c.revoked_at.is_(None))
            ).first()
        return Principal(row.name, frozenset(json.loads(row.sirens))) if row else None

    def end_session(self, session_id: str) -> None:
        """End the session *session_id* (signing out): its cookie opens nothing from now on."""
        with self.engine.begin() as conn:
            conn.execute(update(t.sessions)
                         .where(t.sessions.c.sha256 == token_digest(session_id),
                                t.sessions.c.ended_at.is_(None))
                         .values(ended_at=dt.datetime.now(dt.UTC)))

    def any_configured(self) -> bool:
        """`True` once any token was ever created: from then on every route needs one."""
        with self.engine.connect() as conn:
            return bool(conn.execute(select(func.count()).select_from(t.tokens)).scalar())
