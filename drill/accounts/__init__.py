"""Users, roles, branches and the scope a trainer or admin works in: the bottom layer, every area's people.

- `rules/` — who may see whom (`scope`), look-alike names, reading a users sheet;
- `views/` — the users and branches pages, one's own settings, the import template;
- `models.py` — users, roles, branches, login sessions, the throttle and the security log;
- `services.py` — writing accounts and branches; `security_log.py` — writing and reading the log;
- `access.py` — role checks and the branch pickers the views use; `session.py` — server-side login sessions;
- `profile.py` — the sections other areas add to a person's page (registered by the app factory);
- `roles.py` — the fixed vocabularies; `forms.py`; `cli.py` (`drill user add`); `demo.py` — the demo people.
"""
