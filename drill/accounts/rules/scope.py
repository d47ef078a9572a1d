"""Who may see whom: pure rules over branch paths ("/1/4/9/"), no Flask and no database.

An admin or trainer with no scope sees the whole organisation; with a scope, only users whose branch is
in that subtree. Everyone sees themselves.
"""


def in_subtree(branch_path: str, scope_path: str | None) -> bool:
    return scope_path is None or branch_path.startswith(scope_path)


def can_view_user(
    viewer_roles: set[str], viewer_id: int, scope_path: str | None, target_id: int, target_branch_path: str
) -> bool:
    if viewer_id == target_id:
        return True
    if not viewer_roles & {"admin", "trainer"}:
        return False
    return in_subtree(target_branch_path, scope_path)


def can_edit_user(viewer_roles: set[str], scope_path: str | None, target_branch_path: str) -> bool:
    return "admin" in viewer_roles and in_subtree(target_branch_path, scope_path)
