"""Import tests reuse the export tests' arrangement (campaigns, hand-made responses, asyncpg)."""

from tests.exports.conftest import arrange, pg

__all__ = ["arrange", "pg"]
