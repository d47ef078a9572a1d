"""Signing in and out, and the security every response carries.

- `rules/throttle.py` — sign-in throttling, pure; `throttle_store.py` — its counts, shared in the database;
- `views/` — the sign-in and sign-out pages; `forms.py`;
- `security.py` — security settings and the HTTP security headers every response carries.
"""
