"""Who may call each route, and which object scope it checks: every endpoint of the app, in one place.

The views enforce these rules (`role_required`, `login_required` and their `*_or_404` helpers); this
registry declares them so they can be read and reviewed together, and `tests/security/test_route_policies.py`
calls every route of `app.url_map` as every kind of user against a seeded world and fails on a route missing
here or on any answer that breaks its entry. A new route needs an entry before CI passes.

`roles`: ANYONE (no sign-in), SIGNED_IN (any account), or the roles that may call it.
`scope`: which objects of the URL the caller may reach, one of SCOPES.
"""

from __future__ import annotations

from dataclasses import dataclass

ANYONE = "anyone"
SIGNED_IN = "signed in"
ADMIN = ("admin",)
SUPERVISORS = ("trainer", "admin")  # trainers and admins; one with a branch scope only within it

SCOPES = {
    "none": "no object of another person: the caller's own data, shared reference data, or a new object",
    "subtree": "lists and reports limited to the people and branches in the caller's scope",
    "own": "an object that belongs to the caller (their attempt, result or draft); anyone else's is a 404",
    "supervised": "a person (or their certificate, file, record) who is the caller, or in the branch scope "
    "of a trainer or admin",
    "organiser": "a competition, exam or assignment the caller set up (any for an unscoped trainer or admin)",
    "member": "a competition its participants, judges and organisers see (a draft: organisers only)",
    "participant": "a round of a competition the caller takes part in (their entry, their peer reviews)",
    "judge": "a round the caller judges, or organises",
    "code": "whoever holds the unguessable code (a certificate's verification code)",
}


@dataclass(frozen=True)
class Policy:
    roles: str | tuple[str, ...]
    scope: str = "none"
    note: str = ""

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"unknown scope {self.scope!r}")

    def admits(self, roles: set[str] | None) -> bool:
        """Whether a caller with `roles` (None: not signed in) passes the role check."""
        if self.roles == ANYONE:
            return True
        if roles is None:
            return False
        return self.roles == SIGNED_IN or bool(set(self.roles) & roles)


PUBLIC = Policy(ANYONE)
MINE = Policy(SIGNED_IN, "own")
ORGANISES = Policy(SUPERVISORS, "organiser")

POLICIES: dict[str, Policy] = {
    # static files, health, language
    "static": PUBLIC,
    "bootstrap.static": PUBLIC,
    "main.favicon": PUBLIC,
    "main.health": PUBLIC,
    "main.home": Policy(SIGNED_IN),
    "accounts.language": Policy(ANYONE, note="the caller's own language"),
    # signing in and out, accounts
    "auth.login": PUBLIC,
    "auth.logout": Policy(SIGNED_IN),
    "accounts.settings": Policy(SIGNED_IN, note="the caller's own account"),
    "accounts.users": Policy(SUPERVISORS, "subtree"),
    "accounts.users_export": Policy(SUPERVISORS, "subtree", "the filtered users list, no password hashes"),
    "accounts.user": Policy(SIGNED_IN, "supervised"),
    "accounts.new_user": Policy(ADMIN, "subtree", "into a branch of the admin's scope"),
    "accounts.edit_user": Policy(ADMIN, "supervised"),
    "accounts.set_active": Policy(ADMIN, "supervised"),
    "accounts.unlock": Policy(ADMIN, "supervised"),
    "accounts.end_sessions": Policy(ADMIN, "supervised"),
    "accounts.import_users": Policy(ADMIN, "subtree"),
    "accounts.users_template": Policy(ADMIN, note="a blank template with one example row"),
    "accounts.branches": Policy(ADMIN, "subtree"),
    # content and authoring
    "content.asset": Policy(SIGNED_IN, note="files of published packs, by checksum"),
    "authoring.index": Policy(SUPERVISORS, note="the library and the caller's drafts"),
    "authoring.format_doc": Policy(SUPERVISORS),
    "authoring.xlsx_template": Policy(SUPERVISORS),
    "authoring.new": Policy(SUPERVISORS),
    "authoring.upload": Policy(SUPERVISORS),
    "authoring.edit_pack": Policy(SUPERVISORS, note="any published pack, into a draft of the caller's"),
    "authoring.editor": Policy(SUPERVISORS, "own"),
    "authoring.autosave": Policy(SUPERVISORS, "own"),
    "authoring.live_check": Policy(SUPERVISORS, "own", note="checks the posted text; saves nothing"),
    "authoring.preview": Policy(SUPERVISORS, "own"),
    "authoring.publish_draft": Policy(SUPERVISORS, "own"),
    "authoring.discard": Policy(SUPERVISORS, "own"),
    "authoring.add_file": Policy(SUPERVISORS, "own"),
    "authoring.remove_file": Policy(SUPERVISORS, "own"),
    "authoring.draft_file": Policy(SUPERVISORS, "own"),
    # drills
    "drills.index": Policy(SIGNED_IN),
    "drills.my_history": Policy(SIGNED_IN),
    "drills.notebook": Policy(SIGNED_IN),
    "drills.review": Policy(SIGNED_IN),
    "drills.notebook_again": Policy(SIGNED_IN, "own", note="a question of the caller's own notebook"),
    "drills.notebook_due": Policy(SIGNED_IN),
    "drills.start_assignment": Policy(SIGNED_IN, note="an assignment given to the caller"),
    "drills.attempt": MINE,
    "drills.submit": MINE,
    "drills.self_assess": MINE,
    "attempts_api.state": MINE,
    "attempts_api.save": MINE,
    "drills.assignments": Policy(SUPERVISORS, "subtree"),
    "drills.new_assignment": Policy(SUPERVISORS, note="for people in the caller's scope"),
    "drills.assignment_report": ORGANISES,
    "drills.remind_assignment": Policy(SUPERVISORS, "organiser", "reminds people in the caller's scope"),
    "drills.export_assignment": Policy(SUPERVISORS, "organiser", "people in the caller's scope"),
    # exams
    "exams.index": Policy(SIGNED_IN),
    "exams.start": Policy(SIGNED_IN, note="an exam the caller is eligible for, within its window"),
    "exams.result": MINE,
    "exams.certificate": Policy(
        SIGNED_IN, "supervised", "the holder, or a trainer or admin whose branch scope contains the holder"
    ),
    "exams.manage": Policy(SUPERVISORS, "subtree", "a scoped trainer sees the exams they set up"),
    "exams.new": Policy(SUPERVISORS),
    "exams.edit": ORGANISES,
    "exams.overview": ORGANISES,
    "exams.preview": ORGANISES,
    "exams.add_adjustment": ORGANISES,
    "exams.release_results": ORGANISES,
    "exams.close_exam": ORGANISES,
    "exams.paper_time": ORGANISES,
    "exams.grading_queue": ORGANISES,
    "exams.grade": ORGANISES,
    "exams.analysis_page": ORGANISES,
    "exams.analysis_export": ORGANISES,
    "exams.results_export": ORGANISES,
    "exams.pack_analysis": Policy(SUPERVISORS, note="item statistics of a pack, no person named"),
    # competitions
    "competitions.index": Policy(SIGNED_IN),
    "competitions.new": Policy(SUPERVISORS),
    "competitions.show": Policy(SIGNED_IN, "member"),
    "competitions.my_round": Policy(SIGNED_IN, "member"),
    "competitions.board": Policy(SIGNED_IN, "member"),
    "competitions.big_board": Policy(SIGNED_IN, "member"),
    "competitions.board_data": Policy(SIGNED_IN, "member"),
    "competitions.start": Policy(SIGNED_IN, "participant"),
    "competitions.attempt": MINE,
    "competitions.calibrate": Policy(SIGNED_IN, "participant", "examples only once reviewing begins"),
    "competitions.review": Policy(SIGNED_IN, "participant", "only the entries allocated to the caller"),
    "competitions.judging": Policy(SIGNED_IN, "judge"),
    "competitions.judge": Policy(SIGNED_IN, "judge"),
    "competitions.manage": ORGANISES,
    "competitions.edit": ORGANISES,
    "competitions.audit": ORGANISES,
    "competitions.move": ORGANISES,
    "competitions.publish": ORGANISES,
    "competitions.add_participants": ORGANISES,
    "competitions.correct": ORGANISES,
    "competitions.record_correction": ORGANISES,
    "competitions.disqualify": ORGANISES,
    "competitions.new_round": ORGANISES,
    "competitions.edit_round": ORGANISES,
    "competitions.move_round": ORGANISES,
    "competitions.round_overview": ORGANISES,
    "competitions.round_export": ORGANISES,
    "competitions.entry_detail": ORGANISES,
    "competitions.qualify": ORGANISES,
    "competitions.reallocate": ORGANISES,
    "competitions.recompute": ORGANISES,
    # exam integrity: page-leave events from a paper, timelines and similarity flags for organisers
    "integrity.events": Policy(SIGNED_IN, "own", "the caller's own open paper"),
    "integrity.exam_papers": ORGANISES,
    "integrity.round_papers": ORGANISES,
    "integrity.compute_exam": ORGANISES,
    "integrity.compute_round": ORGANISES,
    "integrity.timeline": Policy(SUPERVISORS, "organiser", "a paper of an exam or round the caller manages"),
    "integrity.flag": Policy(SUPERVISORS, "organiser", "a flag of an exam or round the caller manages"),
    "verify.certificate": Policy(ANYONE, "code", "name, level, dates and valid or revoked; nothing else"),
    # appraisal
    "appraisal.index": Policy(SIGNED_IN, note="a manager is sent to their own file"),
    "appraisal.my_file": Policy(SIGNED_IN),
    "appraisal.person": Policy(SIGNED_IN, "supervised"),
    "appraisal.record": Policy(
        SIGNED_IN, "supervised", "the manager's own only once the period is published"
    ),
    "appraisal.assign": Policy(SUPERVISORS, "supervised", "never oneself"),
    "appraisal.add_reward": Policy(ADMIN, "supervised", "never oneself"),
    "appraisal.period": Policy(SUPERVISORS, "subtree"),
    "appraisal.ratings": Policy(SUPERVISORS, "subtree"),
    "appraisal.rate": Policy(SUPERVISORS, "supervised", "never oneself"),
    "appraisal.grid_page": Policy(SUPERVISORS, "subtree", "only the managers in scope, never oneself"),
    "appraisal.grid_xlsx": Policy(SUPERVISORS, "subtree", "only the managers in scope"),
    "appraisal.grid_upload": Policy(SUPERVISORS, "subtree", "rows of managers out of scope are refused"),
    "appraisal.import_template": Policy(ADMIN),
    "appraisal.report": Policy(SUPERVISORS, "subtree"),
    "appraisal.export_csv": Policy(SUPERVISORS, "subtree"),
    "appraisal.export_xlsx": Policy(SUPERVISORS, "subtree"),
    "appraisal.new_period": Policy(ADMIN),
    "appraisal.compute": Policy(ADMIN, note="periods are organisation-wide"),
    "appraisal.move": Policy(ADMIN, note="periods are organisation-wide"),
    "appraisal.import_sheet": Policy(ADMIN, "subtree"),
    "appraisal.occurrences": Policy(ADMIN, "subtree"),
    "appraisal.withdraw": Policy(ADMIN, "subtree"),
    "appraisal.levels": Policy(ADMIN, "subtree"),
    "appraisal.propose_levels": Policy(ADMIN, "subtree"),
    "appraisal.propose_by_hand": Policy(ADMIN, "supervised", "a manager in the caller's branches"),
    "appraisal.decide_level": Policy(ADMIN, "supervised"),
}


def policy_of(endpoint: str) -> Policy | None:
    return POLICIES.get(endpoint)


def unregistered(endpoints) -> list[str]:
    """The endpoints that have no policy, sorted."""
    return sorted(e for e in set(endpoints) if e not in POLICIES)
