"""Storage of acts: SQLAlchemy tables, Alembic migrations, a repository and blob stores.

The composition root builds it in three calls::

    engine = make_engine(database_url or sqlite_url(data_dir))
    upgrade(engine)
    repository = SqlAlchemyActeRepository(engine, FileBlobStore(Path(data_dir) / "blobs"))

with ``DatabaseBlobStore(engine)`` instead of the folder when instances share no disk.
"""

from service.adapters.storage.blobs import BlobStore, DatabaseBlobStore, FileBlobStore
from service.adapters.storage.engine import begin_write, make_engine, sqlite_url, upgrade
from service.adapters.storage.repository import AuditEntry, SqlAlchemyActeRepository
from service.adapters.storage.seance_store import SqlSeanceStore  # its tables join the metadata

__all__ = [
    "AuditEntry",
    "BlobStore",
    "DatabaseBlobStore",
    "FileBlobStore",
    "SqlAlchemyActeRepository",
    "SqlSeanceStore",
    "begin_write",
    "make_engine",
    "sqlite_url",
    "upgrade",
]
