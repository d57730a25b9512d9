"""Who may do what: roles, password hashing (argon2) and signed session tokens.

Roles: ``viewer`` (look only), ``editor`` (proposals, moves, statuses, imports, actions),
``admin`` (also users and individual care signals). Viewing needs no login.

Pages never decide permissions from session state alone: an edit operation receives a token,
verifies its signature with the server's secret and reads the user's current role from storage.

Logging in resists guessing (:func:`login`): after :data:`~cohesie.settings.LOGIN_MAX_FAILURES`
failures within :data:`~cohesie.settings.LOGIN_WINDOW_SECONDS` for one account, or from one
client address, further attempts are refused (without checking the password) until the oldest
of those failures leaves the window. An unknown account is checked against a dummy argon2 hash,
so it costs the same time as a wrong password. Every attempt is written to the audit trail.
A session token carries an id and lasts :func:`~cohesie.settings.session_hours`; logging out
revokes that id in storage (:func:`logout`), so a copied token stops working too.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import math
import re
import secrets
import time
from dataclasses import dataclass
from typing import Callable

from cohesie import settings
from cohesie.errors import CohesieError

ROLES = ("viewer", "editor", "admin")
RANK = {role: i for i, role in enumerate(ROLES)}
MIN_PASSWORD = 12  # characters a new password needs (``user add``)
_dummy_hash: str | None = None


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


def check_password(password: str, username: str) -> str:
    """A password fit for a new account: at least :data:`MIN_PASSWORD` characters and not the
    username (in any case); a Dutch error otherwise."""
    if len(password) < MIN_PASSWORD:
        raise CohesieError(f"Het wachtwoord moet minstens {MIN_PASSWORD} tekens hebben (dit heeft er "
                           f"{len(password)}). Kies een langere zin of reeks woorden.")
    if password.strip().casefold() == (username or "").strip().casefold():
        raise CohesieError("Het wachtwoord mag niet gelijk zijn aan de gebruikersnaam. Kies een ander "
                           "wachtwoord.")
    return password


def dummy_hash() -> str:
    """An argon2 hash of a random password (made once per process), checked for unknown
    accounts so they cost as much time as a wrong password."""
    global _dummy_hash
    if _dummy_hash is None:
        from argon2 import PasswordHasher

        _dummy_hash = PasswordHasher().hash(secrets.token_urlsafe(24))
    return _dummy_hash


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


def issue_token(username: str, secret: bytes, *, now: float | None = None,
                hours: float | None = None) -> str:
    """A signed token naming ``username`` with its own id, valid ``hours`` (default
    :func:`~cohesie.settings.session_hours`)."""
    hours = settings.session_hours() if hours is None else hours
    moment = time.time() if now is None else now
    body = json.dumps({"u": username, "exp": int(moment + hours * 3600),
                       "j": secrets.token_urlsafe(12)}).encode()
    sig = hmac.new(secret, body, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(body).decode() + "." + base64.urlsafe_b64encode(sig).decode()


def token_payload(token: str | None, secret: bytes, *, now: float | None = None) -> dict | None:
    """The payload (``u`` user, ``exp``, ``j`` id) of a validly signed, unexpired token."""
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
    if not isinstance(payload, dict) or payload.get("exp", 0) < (time.time() if now is None else now):
        return None
    return payload


def username_from_token(token: str | None, secret: bytes, *, now: float | None = None) -> str | None:
    """The username of a valid, unexpired token; None for anything else."""
    payload = token_payload(token, secret, now=now)
    return None if payload is None else payload.get("u")


def resolve_user(store, token: str | None) -> User:
    """The user behind ``token`` with the role currently stored (ANONYMOUS if invalid)."""
    if not token:
        return ANONYMOUS
    payload = token_payload(token, store.secret())
    username = None if payload is None else payload.get("u")
    if not username:
        return ANONYMOUS
    if payload.get("j") and store.session_revoked(str(payload["j"])):
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


class TooManyAttempts(PermissionDenied):
    """Too many failed logins for this account or from this address: wait."""


def _keys(username: str, address: str | None) -> list[str]:
    keys = [f"account:{username.casefold()}"]
    if address:
        keys.append(f"adres:{address}")
    return keys


def login(store, username: str, password: str, *, address: str | None = None,
          clock: Callable[[], float] = time.time) -> str:
    """Check a local account and return a session token; a Dutch error otherwise.

    ``address`` is the client's address (None when unknown: then only the account is
    counted); ``clock`` gives the time in seconds (injectable for tests).
    """
    username = (username or "").strip()[:64]
    now = clock()
    window = settings.LOGIN_WINDOW_SECONDS
    keys = _keys(username, address)
    failures = store.login_failures(keys, since=now - window)
    blocked = [times for times in failures.values() if len(times) >= settings.LOGIN_MAX_FAILURES]
    if blocked:
        # refused until the oldest counted failure leaves the window
        wait = max(times[-settings.LOGIN_MAX_FAILURES] + window - now for times in blocked)
        store.log_login(user=username, action="aanmelding geweigerd", address=address, now=now,
                        forget_before=now - window)
        minutes = max(1, math.ceil(wait / 60))
        raise TooManyAttempts(
            f"Te veel mislukte aanmeldpogingen ({settings.LOGIN_MAX_FAILURES} binnen "
            f"{window // 60} minuten) voor deze gebruiker of vanaf dit adres. Probeer opnieuw over "
            f"{minutes} {'minuut' if minutes == 1 else 'minuten'}, of vraag een beheerder je "
            "wachtwoord opnieuw in te stellen.")
    row = store.get_user(username)
    stored = row.get("hash") if row else None
    # an unknown account (or one without password) is checked against a dummy hash: same time
    ok = verify_password(stored or dummy_hash(), password or "") and bool(stored)
    if not ok:
        store.log_login(user=username, action="aanmelding mislukt", address=address, now=now,
                        forget_before=now - window, failed=keys)
        raise PermissionDenied("Onbekende gebruiker of verkeerd wachtwoord.")
    store.log_login(user=row["username"], action="aanmelding gelukt", address=address, now=now,
                    forget_before=now - window, cleared=keys[:1])
    return issue_token(row["username"], store.secret(), now=now)


def logout(store, token: str | None, *, address: str | None = None,
           clock: Callable[[], float] = time.time) -> None:
    """End the session of ``token`` on the server: its id is revoked until it would expire."""
    now = clock()
    payload = token_payload(token, store.secret(), now=now)
    if payload is None or not payload.get("j"):
        return
    store.revoke_session(str(payload["j"]), expires=float(payload.get("exp", now)),
                         user=str(payload.get("u", "")), now=now, address=address)
