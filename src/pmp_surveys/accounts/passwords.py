"""Password hashing: argon2id (argon2-cffi's defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

T = TypeVar("T")

MIN_LENGTH = 10
MAX_LENGTH = 256

_hasher = PasswordHasher()  # argon2id by default

#: Verified against when the e-mail is unknown, so a wrong e-mail costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if `password` matches; a missing hash still spends the time of a verification."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    return None


# --- off the event loop ------------------------------------------------------------------------

#: Hashes computed at once per process (argon2id takes ~0.2 s of a core and releases the GIL):
#: all cores but one, so the event loop always keeps a core for submissions.
HASH_CONCURRENCY = max(1, (os.cpu_count() or 2) - 1)
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _gate() -> asyncio.Semaphore:
    """This event loop's semaphore (one per loop: tests and workers each run their own)."""
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(HASH_CONCURRENCY)
    return gate


#: Niceness of the hashing threads: a sign-in may wait, a submission should not. On Linux a
#: thread's priority is set through its own id (setpriority(2), "NOTES": threads are tasks).
HASH_NICENESS = 19


def _lower_priority() -> None:
    # not Linux, or not allowed: hashing still leaves the event loop, at normal priority
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_NICENESS)


_hash_threads = ThreadPoolExecutor(
    max_workers=HASH_CONCURRENCY, thread_name_prefix="argon2", initializer=_lower_priority
)


async def _in_thread(fn: Callable[..., T], *args: Any) -> T:
    """Run `fn` on a low-priority hashing thread, at most HASH_CONCURRENCY at a time per loop."""
    async with _gate():
        return await asyncio.get_running_loop().run_in_executor(_hash_threads, fn, *args)


async def hash_password_async(password: str) -> str:
    """`hash_password` in a worker thread, at most HASH_CONCURRENCY at a time."""
    return await _in_thread(hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    """`verify_password` in a worker thread, at most HASH_CONCURRENCY at a time: the event loop
    keeps serving submissions while sign-ins are checked."""
    return await _in_thread(verify_password, password_hash, password)
