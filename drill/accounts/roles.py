"""The fixed vocabularies of accounts: roles, manager categories, levels, branch kinds.

Each is an ordered mapping from the stored key to its label (translated lazily). Sheets and the CLI
accept the key, the Chinese label or the English label.
"""

from flask_babel import lazy_gettext as _l

ROLES = {
    "manager": _l("Customer manager"),
    "trainer": _l("Trainer"),
    "judge": _l("Judge"),
    "admin": _l("Administrator"),
}

CATEGORIES = {
    "personal": _l("Personal"),
    "corporate": _l("Corporate"),
    "comprehensive": _l("Comprehensive"),
    "tobacco": _l("Tobacco marketing"),
}

LEVELS = {
    "junior": _l("Junior"),
    "intermediate": _l("Intermediate"),
    "senior": _l("Senior"),
}

BRANCH_KINDS = {
    "head_office": _l("Head office"),
    "branch": _l("Branch"),
    "outlet": _l("Outlet"),
}

# Chinese and English spellings accepted in sheets and on the command line, besides the keys.
ALIASES = {
    "manager": ("客户经理", "customer manager"),
    "trainer": ("培训师", "trainer"),
    "judge": ("评委", "judge"),
    "admin": ("管理员", "管理小组", "administrator"),
    "personal": ("个人类", "个人"),
    "corporate": ("企业类", "企业", "公司类"),
    "comprehensive": ("综合类", "综合"),
    "tobacco": ("烟草营销", "烟草", "tobacco marketing"),
    "junior": ("初级",),
    "intermediate": ("中级",),
    "senior": ("高级",),
    "head_office": ("总行", "总部", "总公司", "head office"),
    "branch": ("支行", "分支机构", "分公司", "营销部"),
    "outlet": ("网点", "营业所", "营销线路"),
}


def resolve(vocabulary: dict, text: str) -> str | None:
    """The key in `vocabulary` that `text` names (a key or one of its aliases), or None."""
    word = text.strip().lower()
    for key in vocabulary:
        if word == key or word in (alias.lower() for alias in ALIASES.get(key, ())):
            return key
    return None
