"""Who may do what: roles, password hashing (argon2) and signed session tokens.

Roles: ``viewer`` (look only), ``editor`` (proposals, moves, statuses, imports, actions),
``admin`` (also users and individual care signals). Viewing needs no login.

Pages never decide permissions from session state alone: an edit operation receives a token,
verifies its signature with the server's secret and reads the user's current role from storage.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

from cohesie.errors import CohesieError

ROLES = ("viewer", "editor", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}
TOKEN_SECONDS = 12 * 3600


class PermissionDenied(CohesieError):
    """The user is not logged in or lacks the role for this action."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    naam: str = ""

    def can(self, role: str) -> bool:
        return RANK.get(self.role, -1) >= RANK[role]


ANONYMOUS = User("", "viewer", "niet aangemeld")


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    if len(password) < 8:
        raise CohesieError("Het wachtwoord moet minstens 8 tekens hebben.")
    return PasswordHasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return PasswordHasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def check_username(username: str) -> str:
    username = (username or "").strip()
    if not re.fullmatch(r"[A-Za-z0-9._@-]{2,64}", username):
        raise CohesieError(
            f"Gebruikersnaam '{username}' is ongeldig: 2 tot 64 tekens, letters, cijfers en . _ @ -.")
    return username


def check_role(role: str) -> str:
    if role not in ROLES:
        raise CohesieError(f"Onbekende rol '{role}'. Kies uit: {', '.join(ROLES)}.")
    return role


def issue_token(username: str, secret: bytes, *, now: float | None = None) -> str:
    """A signed, expiring token naming ``username``."""
    body = json.dumps({"u": username, "exp": int((time.time() if now is None else now) + TOKEN_SECONDS)}).encode()
    sig = hmac.new(secret, body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(body).decode() + "." + base64.urlsafe_b64encode(sig).decode()


def username_from_token(token: str | None, secret: bytes, *, now: float | None = None) -> str | None:
    """The username of a valid, unexpired token; None for anything else."""
    if not token or "." not in token:
        return None
    try:
        body_b64, sig_b64 = token.split(".", 1)
        body = base64.urlsafe_b64decode(body_b64.encode())
        sig = base64.urlsafe_b64decode(sig_b64.encode())
    except (ValueError, TypeError):
        return None
    if not hmac.compare_digest(sig, hmac.new(secret, body, hashlib.sha256).digest()):
        return None
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if payload.get("exp", 0) < (time.time() if now is None else now):
        return None
    return payload.get("u")


def resolve_user(store, token: str | None) -> User:
    """The user behind ``token`` with the role currently stored (ANONYMOUS if invalid)."""
    if not token:
        return ANONYMOUS
    username = username_from_token(token, store.secret())
    if not username:
        return ANONYMOUS
    row = store.get_user(username)
    if row is None:
        return ANONYMOUS
    return User(row["username"], row["rol"], row.get("naam") or "")


def require(store, token: str | None, role: str = "editor") -> User:
    """The verified user behind ``token`` if they have at least ``role``; else PermissionDenied."""
    user = resolve_user(store, token)
    if not user.username:
        raise PermissionDenied("Aanmelden is nodig om gegevens te wijzigen.")
    if not user.can(role):
        raise PermissionDenied(
            f"Gebruiker {user.username} heeft rol '{user.role}'; hiervoor is rol '{role}' nodig. "
            "Vraag een beheerder om je rol aan te passen.")
    return user


def login(store, username: str, password: str) -> str:
    """Check a local account and return a session token; a Dutch error otherwise."""
    row = store.get_user((username or "").strip())
    if row is None or not row.get("hash") or not verify_password(row["hash"], password or ""):
        raise PermissionDenied("Onbekende gebruiker of verkeerd wachtwoord.")
    return issue_token(row["username"], store.secret())
