"""The store: SQLAlchemy models, schema migrations and the frame blob store."""
