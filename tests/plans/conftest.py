from tests.indicators.conftest import catalogue, seeded

__all__ = ["catalogue", "seeded"]
