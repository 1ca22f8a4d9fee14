"""Sign-in limits that a stranger cannot turn into a lock-out, shared by every worker.

Every attempt is reserved in PostgreSQL *before* its password is checked (see
`throttle.repository`), so concurrent guesses cannot overrun a limit: of 40 simultaneous wrong
passwords for one account, at most `ACCOUNT.limit` are checked, whatever worker takes them.

Which counters an attempt uses (OWASP "device cookies"):

- From a browser that has signed in to this account before (it holds a signed *device cookie*
  naming the account): only that device's counter. Strangers' guesses elsewhere never slow it.
- Otherwise: the account's counter and the client address's counter. After `limit` failures,
  each further attempt waits 30 s × 2^(failures - limit) since the previous one (30, 60,
  120 s, … capped at the window): guessing stays slow, yet nobody is locked out for a fixed 15 minutes.

A successful sign-in clears the account's and the device's counters and gives back its unit of
the address's counter. Subjects are stored only as keyed hashes (client-hash sub-key).
"""

from __future__ import annotations

from dataclasses import dataclass

from pmp_surveys.db.pg import Executor
from pmp_surveys.throttle import repository as throttle
from pmp_surveys.throttle.repository import Rule

WINDOW_SECONDS = 15 * 60
#: After the limit: 30 s, 60 s, 120 s, … (capped at the window) between further attempts.
FIRST_DELAY = 30.0
ACCOUNT = Rule(limit=5, window=WINDOW_SECONDS, growing=True, delay=FIRST_DELAY)
ADDRESS = Rule(limit=10, window=WINDOW_SECONDS, growing=True, delay=FIRST_DELAY)
DEVICE = Rule(limit=5, window=WINDOW_SECONDS, growing=True, delay=FIRST_DELAY)


@dataclass(frozen=True)
class Counter:
    key: bytes
    rule: Rule
    #: cleared on success (account, device), or only given back its unit (address)
    cleared_on_success: bool


def counters(secret: bytes, email: str, address: str, device: str | None) -> list[Counter]:
    """The counters of one attempt; `device` is the verified device-cookie id for this e-mail."""
    if device is not None:
        return [Counter(throttle.subject_key(secret, "login-device", device), DEVICE, True)]
    account = email.strip().lower()
    return [
        Counter(throttle.subject_key(secret, "login-account", account), ACCOUNT, True),
        Counter(throttle.subject_key(secret, "login-address", address), ADDRESS, False),
    ]


async def reserve(db: Executor, attempt: list[Counter]) -> int:
    """Reserve one attempt on every counter; 0 if allowed, else the seconds to wait (nothing
    stays counted then)."""
    taken: list[Counter] = []
    for counter in attempt:
        if not await throttle.reserve(db, counter.key, counter.rule):
            wait = await throttle.retry_after(db, counter.key, counter.rule)
            for done in taken:
                await throttle.refund(db, done.key)
            return wait
        taken.append(counter)
    return 0


async def succeeded(db: Executor, attempt: list[Counter]) -> None:
    await throttle.clear(db, [c.key for c in attempt if c.cleared_on_success])
    for counter in attempt:
        if not counter.cleared_on_success:
            await throttle.refund(db, counter.key)
