"""Local passwords: argon2id hashes, verification and the demo accounts' password."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from barnskydd.core.errors import InvalidInput
from barnskydd.core.settings import Mode, Settings
from barnskydd.staff.models import StaffMember

DEMO_USERNAMES = ("handlaggare", "arbetsledare", "analytiker", "admin", "lexsarah")
DEMO_PASSWORD = "demo"  # noqa: S105  (set only in demo mode, see set_demo_passwords)
MIN_LENGTH = 12

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 low-memory profile
# Verified against when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-password-of-anyone")


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify(member: StaffMember | None, password: str) -> bool:
    """Return whether the password is the member's; spend the same time when there is none."""
    stored = member.password_hash if member is not None and member.active else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False
    return stored is not None


def needs_rehash(member: StaffMember) -> bool:
    """Return whether the member's hash was made with weaker parameters than today's."""
    return member.password_hash is not None and _hasher.check_needs_rehash(member.password_hash)


def set_password(session: Session, *, member: StaffMember, password: str) -> None:
    """Set a member's password (at least MIN_LENGTH characters)."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput(f"Lösenordet måste ha minst {MIN_LENGTH} tecken.", field="password")
    member.password_hash = hash_password(password)
    session.flush()


class DemoPasswordsLeft(Exception):
    """Production mode on a database whose accounts still have the demo password."""

    def __init__(self, usernames: list[str]) -> None:
        self.usernames = usernames
        names = ", ".join(usernames)
        super().__init__(
            f"Barnskydd startar inte i produktionsläge: kontona {names} har fortfarande "
            f"demolösenordet '{DEMO_PASSWORD}'. Ge dem nya lösenord med "
            "'barnskydd staff password ANVÄNDARNAMN', eller ta bort deras lokala inloggning "
            "med 'barnskydd staff password ANVÄNDARNAMN --ingen', och starta sedan igen."
        )


def demo_password_accounts(session: Session) -> list[str]:
    """Return the active accounts whose password is still the demo password.

    Only the demo accounts are checked (one argon2 verification each): set_password refuses a
    password shorter than MIN_LENGTH, so 'demo' can only have come from set_demo_passwords,
    which gives it to those accounts alone.
    """
    members = session.scalars(
        select(StaffMember).where(
            StaffMember.username.in_(DEMO_USERNAMES),
            StaffMember.active,
            StaffMember.password_hash.is_not(None),
        )
    ).all()
    return sorted(m.username for m in members if verify(m, DEMO_PASSWORD))


def refuse_demo_passwords(session: Session, *, settings: Settings) -> None:
    """In production mode, raise DemoPasswordsLeft while an account has the demo password."""
    if settings.mode is Mode.PRODUCTION:
        left = demo_password_accounts(session)
        if left:
            raise DemoPasswordsLeft(left)


def remove_password(session: Session, *, member: StaffMember) -> None:
    """Take away a member's local login (an OpenID Connect login stays possible)."""
    member.password_hash = None
    session.flush()


def set_demo_passwords(session: Session, *, settings: Settings) -> list[str]:
    """Give the demo accounts the password 'demo' in demo mode; return the usernames set."""
    if settings.mode is not Mode.DEMO:
        return []
    members = session.scalars(
        select(StaffMember).where(StaffMember.username.in_(DEMO_USERNAMES), StaffMember.active)
    ).all()
    for member in members:
        if member.password_hash is None:
            member.password_hash = hash_password(DEMO_PASSWORD)
    session.flush()
    return sorted(m.username for m in members)
