"""The tables where acts, their versions, files, audit trail, tokens and blobs are kept.

SQLAlchemy Core tables: the repository writes plain SQL with explicit locking, which an ORM
session would only hide. The Alembic revisions in ``migrations/`` create the same schema; a test
compares the two so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator

# Named constraints so that later migrations can drop or alter them by name on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no offset, so a naive value read from it is UTC by construction.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: give a timezone-aware value")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


actes = Table(
    "actes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("identifiant", String(64), nullable=False, unique=True),
    Column("siren", String(9), nullable=False, index=True),
    Column("statut", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("date_envoi", Date),
    Column("date_reception", Date),
    Column("date_publication", Date),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

versions = Table(
    "versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("acte_id", Integer, ForeignKey("actes.id", ondelete="CASCADE"), nullable=False),
    Column("numero", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("auteur", String(200), nullable=False),
    Column("origine", String(16), nullable=False),
    Column("payload_json", Text),
    Column("payload_sha256", String(64)),
    # A version made over a clerk's amendment on purpose: the amended version, and why.
    Column("remplace", Integer),
    Column("motif", Text),
    # The last line of defence against two writers numbering the same version.
    UniqueConstraint("acte_id", "numero"),
)

files = Table(
    "files",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version_id", Integer, ForeignKey("versions.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("blob_ref", String(200), nullable=False),
    UniqueConstraint("version_id", "kind"),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("acte_id", Integer, ForeignKey("actes.id", ondelete="CASCADE"), nullable=False),
    Column("action", String(32), nullable=False),
    Column("auteur", String(200), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("detail", Text),
    Index("ix_audit_acte_id_at", "acte_id", "at"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("sha256", String(64), nullable=False, unique=True),
    # JSON list of the SIREN the token may act for; its meaning belongs to the token logic.
    Column("sirens", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

sessions = Table(
    "sessions",
    metadata,
    # The SHA-256 of the random id in the clerk's cookie: a stolen database opens no session.
    Column("sha256", String(64), primary_key=True),
    Column("token_sha256", String(64), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    # Set on sign-out: the cookie no longer opens anything, even if copied before.
    Column("ended_at", UtcDateTime),
)

blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("size", BigInteger, nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

# The operator numbers an authority's sendings of a day 1, 2… and matches the prefecture's
# answers by envelope name (``EACT--SIREN--YYYYMMDD-serial``): one counter row per authority
# and day, incremented in the database so every instance, worker and CLI shares it.
envoi_serials = Table(
    "envoi_serials",
    metadata,
    Column("siren", String(9), primary_key=True),
    Column("jour", Date, primary_key=True),
    Column("dernier", Integer, nullable=False),
)

# Each transmission of an act keeps the day and serial it was given, so that downloading the
# same archive again (same content, same platform) gives the same name and the same bytes;
# other content (a new version, a signed PDF, other settings) is a new transmission.
transmissions = Table(
    "transmissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("acte_id", Integer, ForeignKey("actes.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("plateforme", String(4), nullable=False),
    Column("siren", String(9), nullable=False),
    Column("jour", Date, nullable=False),
    Column("serial", Integer, nullable=False),
    Column("contenu_sha256", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("acte_id", "plateforme", "contenu_sha256"),
    # Two transmissions never share an envelope name.
    UniqueConstraint("siren", "jour", "serial"),
)
