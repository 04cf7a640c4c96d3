"""Accounts, sessions and CSRF tokens for the workbench.

- Passwords are hashed with Argon2id (argon2-cffi's defaults: a slow, salted, memory-hard hash).
- A session is a random 256-bit token in an HttpOnly, SameSite=Lax cookie (Secure when the
  request came over TLS); the store keeps only its SHA-256, so a leaked database holds no usable
  session. Sessions expire after `SESSION_HOURS`.
- CSRF: every browser gets a random token in its own cookie; every state-changing request must
  echo it in the form field `csrf` or the `X-CSRF-Token` header (double submit), and a logged-in
  session's token is bound to the session row. A login rotates both.
- Roles: `editor` reviews corrections and writes verdicts; `admin` also manages accounts.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from . import db

ROLES = ("editor", "admin")
SESSION_COOKIE = "raqib_session"
CSRF_COOKIE = "raqib_csrf"
SESSION_HOURS = 12
_hasher = PasswordHasher()
# verifying against a dummy hash when the user does not exist keeps response times alike
_DUMMY = _hasher.hash("raqib-no-such-user")


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def tokens_equal(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def add_user(store, name: str, password: str, role: str = "editor") -> int:
    """Create an account; ValueError for a bad role, a short password or a taken name."""
    db.ensure_tables(store)
    name = (name or "").strip()
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if not name or len(name) > 64:
        raise ValueError("a user name has 1 to 64 characters")
    if len(password or "") < 8:
        raise ValueError("a password has at least 8 characters")
    if store._all("SELECT id FROM web_users WHERE name = ?", (name,)):
        raise ValueError(f"user {name!r} exists")
    return db.insert(store, "web_users", {"name": name, "role": role, "pw_hash": _hasher.hash(password),
                                          "created": db.now(), "disabled": 0})


def set_password(store, name: str, password: str) -> None:
    if len(password or "") < 8:
        raise ValueError("a password has at least 8 characters")
    with store._write() as cur:
        store._ex(cur, "UPDATE web_users SET pw_hash = ? WHERE name = ?", (_hasher.hash(password), name))


def users(store) -> list[dict]:
    db.ensure_tables(store)
    return store._all("SELECT id, name, role, created, disabled FROM web_users ORDER BY id")


def authenticate(store, name: str, password: str) -> dict | None:
    """The account for these credentials, or None (same work either way)."""
    db.ensure_tables(store)
    rows = store._all("SELECT id, name, role, pw_hash, disabled FROM web_users WHERE name = ?", ((name or "")[:64],))
    row = rows[0] if rows else None
    try:
        _hasher.verify(row["pw_hash"] if row else _DUMMY, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or row["disabled"]:
        return None
    return {"id": row["id"], "name": row["name"], "role": row["role"]}


def start_session(store, user: dict) -> tuple[str, str]:
    """A new session for `user`: (cookie token, CSRF token)."""
    token, csrf = new_token(), new_token()
    now = dt.datetime.now(dt.timezone.utc)
    with store._write() as cur:
        store._ex(cur, "DELETE FROM web_sessions WHERE expires < ?", (now.isoformat(),))
        store._ex(cur, "INSERT INTO web_sessions (token_hash, user_id, csrf, created, expires) VALUES (?, ?, ?, ?, ?)",
                  (_hash_token(token), user["id"], csrf, now.isoformat(),
                   (now + dt.timedelta(hours=SESSION_HOURS)).isoformat()))
    return token, csrf


def session_user(store, token: str | None) -> dict | None:
    """The logged-in user of a session cookie (with the session's CSRF token), or None."""
    if not token or len(token) > 100:
        return None
    db.ensure_tables(store)
    rows = store._all("SELECT u.id, u.name, u.role, u.disabled, s.csrf, s.expires FROM web_sessions s "
                      "JOIN web_users u ON u.id = s.user_id WHERE s.token_hash = ?", (_hash_token(token),))
    if not rows:
        return None
    r = rows[0]
    if r["disabled"] or r["expires"] < dt.datetime.now(dt.timezone.utc).isoformat():
        return None
    return {"id": r["id"], "name": r["name"], "role": r["role"], "csrf": r["csrf"]}


def end_session(store, token: str | None) -> None:
    if token:
        with store._write() as cur:
            store._ex(cur, "DELETE FROM web_sessions WHERE token_hash = ?", (_hash_token(token),))
