"""`pmp-surveys users create-operator|invite|list`: accounts from the server's command line."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pmp_surveys.accounts.service import (
    UserRead,
    create_operator,
    invite,
    set_active,
    set_password,
    user_read,
)
from pmp_surveys.cli.runtime import link_base, run_in_session, settings_with_database
from pmp_surveys.errors import PmpError, ValidationFailed


def register(commands: Any) -> None:
    users = commands.add_parser("users", help="operators, evaluators and school coordinators")
    sub = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    operator = sub.add_parser("create-operator", help="create an operator account (all municipalities)")
    operator.add_argument("--email", required=True)
    operator.add_argument("--name", required=True)
    operator.add_argument(
        "--password-stdin", action="store_true", help="read the password from the first line of standard input"
    )
    operator.set_defaults(handler=run_create_operator)

    inv = sub.add_parser("invite", help="print a one-time link (valid 7 days) where the invitee sets a password")
    inv.add_argument("--email", required=True)
    inv.add_argument("--name", help="default: the part of the e-mail before @")
    inv.add_argument("--role", required=True, choices=["operator", "evaluator", "coordinator"])
    inv.add_argument("--municipality", help="required for evaluators and coordinators, e.g. riga")
    inv.add_argument("--school", help="the school's code (coordinators)")
    inv.add_argument(
        "--base-url",
        help="base of the printed link (default: PMP_PUBLIC_URL, else the running server's address, "
        "else http://PMP_HOST:PMP_PORT)",
    )
    inv.set_defaults(handler=run_invite)

    listing = sub.add_parser("list", help="list accounts")
    listing.set_defaults(handler=run_list)

    password = sub.add_parser("set-password", help="set a user's password (their sessions end)")
    password.add_argument("--email", required=True)
    password.add_argument("--password-stdin", action="store_true", help="read it from the first line of stdin")
    password.set_defaults(handler=run_set_password)

    for name, active in (("deactivate", False), ("activate", True)):
        toggle = sub.add_parser(name, help=f"{name} a user" + ("" if active else " (sign-in refused, sessions end)"))
        toggle.add_argument("--email", required=True)
        toggle.set_defaults(handler=run_set_active, active=active)


def _read_password(from_stdin: bool) -> str | None:
    """The password from stdin's first line, or typed twice at a terminal; None (after saying why
    on stderr) without a terminal, at end of input or when the two differ."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        print(
            "error: no terminal to type the password on; pipe it in with --password-stdin, e.g.\n"
            "  printf '%s\\n' \"$PASSWORD\" | pmp-surveys users create-operator --email … --name … --password-stdin",
            file=sys.stderr,
        )
        return None
    try:
        first = getpass.getpass("Password: ")
        again = getpass.getpass("Password again: ")
    except (EOFError, KeyboardInterrupt):
        print("\nno password given; nothing was changed.", file=sys.stderr)
        return None
    if again != first:
        print("The passwords differ.", file=sys.stderr)
        return None
    return first


def _report(exc: PmpError) -> int:
    print(f"error: {exc.message}", file=sys.stderr)
    if isinstance(exc, ValidationFailed):
        for e in exc.errors:
            print(f"  {e['field']}: {e['message']}", file=sys.stderr)
    return 1


def run_create_operator(args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    if password is None:
        return 1
    settings = settings_with_database()

    async def work(session: AsyncSession) -> UserRead:
        return user_read(await create_operator(session, email=args.email, name=args.name, password=password))

    try:
        user = run_in_session(settings, work)
    except PmpError as exc:
        return _report(exc)
    print(f"created operator {user.email} (id {user.id})")
    return 0


def run_invite(args: argparse.Namespace) -> int:
    from pmp_surveys.catalogue.loader import load_catalogue

    settings = settings_with_database()
    known = sorted(load_catalogue(settings.catalogue_dir).municipalities)
    name = args.name or args.email.split("@")[0]

    async def work(session: AsyncSession) -> str:
        issued = await invite(
            session,
            None,
            email=args.email,
            name=name,
            role=args.role,
            municipality=args.municipality,
            school_code=args.school,
            known_municipalities=known or None,
        )
        return issued.path()

    try:
        path = run_in_session(settings, work)
    except PmpError as exc:
        return _report(exc)
    print(f"invitation for {args.email} ({args.role}); valid for 7 days, usable once:")
    print(f"  {link_base(settings, args.base_url)}{path}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from pmp_surveys.accounts.repository import UserRepository

    settings = settings_with_database()

    async def work(session: AsyncSession) -> list[UserRead]:
        return [user_read(u) for u in await UserRepository(session).listed(None)]

    for u in run_in_session(settings, work):
        state = "" if u.active else "  (inactive)"
        scope = u.municipality or "*"
        print(f"{u.id:>4}  {u.role:<12} {scope:<10} {u.email:<40} {u.name}{state}")
    return 0


def run_set_password(args: argparse.Namespace) -> int:
    password = _read_password(args.password_stdin)
    if password is None:
        return 1
    settings = settings_with_database()

    async def work(session: AsyncSession) -> UserRead:
        return user_read(await set_password(session, args.email, password))

    try:
        user = run_in_session(settings, work)
    except PmpError as exc:
        return _report(exc)
    print(f"password set for {user.email}; their sessions have ended")
    return 0


def run_set_active(args: argparse.Namespace) -> int:
    settings = settings_with_database()

    async def work(session: AsyncSession) -> UserRead:
        return user_read(await set_active(session, args.email, args.active))

    try:
        user = run_in_session(settings, work)
    except PmpError as exc:
        return _report(exc)
    print(f"{user.email} is now {'active' if user.active else 'inactive'}")
    return 0
