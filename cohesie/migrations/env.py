"""Alembic environment: the caller (cohesie.storage.schema) hands over an open connection
already inside its transaction and holding the backend's lock, so two processes never
migrate the same database at once."""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None)
with context.begin_transaction():
    context.run_migrations()
