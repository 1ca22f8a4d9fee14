"""SYNTHETIC demo data: invented schools, survey waves, responses and administrative figures.

`seed(session, catalogue)` fills the database (see `seed.py`); the response model is documented
in `generate.py`; the numbers live in `scenario.toml` and `riga_schools.toml`.
"""

from pmp_surveys.demo.seed import DEMO_INSTRUMENTS, DemoLink, SeedReport, demo_slug, seed

__all__ = ["DEMO_INSTRUMENTS", "DemoLink", "SeedReport", "demo_slug", "seed"]
