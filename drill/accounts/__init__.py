"""Users, roles, branches and the scope a trainer or admin works in."""
