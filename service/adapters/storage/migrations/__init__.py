"""Alembic migrations of the storage schema, shipped with the package (see ``engine.upgrade``)."""
