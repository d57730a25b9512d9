"""Alembic migrations of the Cohesiekaart database (both backends); run through
:mod:`cohesie.storage.schema`, never by hand-written DDL elsewhere."""
