"""k-anonymity of microdata by local suppression of quasi-identifier values (as sdcMicro does).

A record's *key* is its tuple of quasi-identifier (QI) values; the data are k-anonymous when
every key is shared by at least k records. Unlike sdcMicro's ``localSuppression`` (which lets a
missing value match any value), a suppressed value here is its own category ("blank"): a reader
who knows which groups are small (from counts published elsewhere) would otherwise tie the blank
records to them. So the blank records must also form groups of at least k.

Method (greedy, after Templ, Kowarik & Meindl 2015, "Statistical disclosure control for
micro-data using the R package sdcMicro", J. Stat. Software 67(4), §3.3): while some key is
shared by fewer than k records, blank in each such record the first of its QIs still shown, in
the given order of importance (least important first); when a record has no QI left to blank
and its all-blank group is still under k, the smallest other group is blanked entirely and
merged with it. Terminates: every round blanks at least one value. Pure: lists in, lists out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

__all__ = ["Suppression", "is_k_anonymous", "k_anonymize", "smallest_group"]

Key = tuple[Hashable | None, ...]


@dataclass(frozen=True)
class Suppression:
    """The records after suppression and how many values of each QI were blanked."""

    records: list[Key]
    blanked: dict[str, int]


def smallest_group(records: Sequence[Key]) -> int:
    """Size of the smallest group of identical keys (0 for no records)."""
    return min(Counter(records).values(), default=0)


def is_k_anonymous(records: Sequence[Key], k: int) -> bool:
    """Every key (None is a value of its own) is shared by at least k records (or there are none)."""
    return not records or smallest_group(records) >= k


def k_anonymize(records: Sequence[Key], names: Sequence[str], k: int) -> Suppression:
    """Blank QI values (None) until :func:`is_k_anonymous`; `names` label the QIs, least important first.

    Raises ValueError when there are fewer than k records (no suppression can help: refuse the
    export instead) or the keys' width differs from `names`."""
    if any(len(r) != len(names) for r in records):
        raise ValueError("every record needs one value per quasi-identifier")
    if 0 < len(records) < k:
        raise ValueError(f"{len(records)} records cannot be {k}-anonymous")
    rows = [list(r) for r in records]
    blanked = dict.fromkeys(names, 0)
    while True:
        counts = Counter(tuple(r) for r in rows)
        small = [i for i, r in enumerate(rows) if counts[tuple(r)] < k]
        if not small:
            return Suppression([tuple(r) for r in rows], blanked)
        progressed = False
        for i in small:
            for j, value in enumerate(rows[i]):
                if value is not None:
                    rows[i][j] = None
                    blanked[names[j]] += 1
                    progressed = True
                    break
        if progressed:
            continue
        # only all-blank records are in small groups: merge the smallest other group into them
        blank = tuple([None] * len(names))
        others = [(c, key) for key, c in counts.items() if key != blank]
        _, victim = min(others, key=lambda item: (item[0], repr(item[1])))
        for r in rows:
            if tuple(r) == victim:
                for j, value in enumerate(r):
                    if value is not None:
                        r[j] = None
                        blanked[names[j]] += 1
