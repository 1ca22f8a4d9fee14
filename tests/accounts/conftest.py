from tests.accounts.fixtures import client, world

__all__ = ["client", "world"]
