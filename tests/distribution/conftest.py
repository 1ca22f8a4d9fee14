from tests.pages.conftest import loaded, make_campaign, make_school

__all__ = ["loaded", "make_campaign", "make_school"]
