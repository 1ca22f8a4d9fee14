"""Database plumbing: the declarative base, engines, the embedded server and migrations."""
