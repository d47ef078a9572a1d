"""What an organiser may still change in a round, by the round's state (`states.ROUND`).

- draft (not opened): everything, the kind included;
- open: the title, weight, closing time, review deadline, judge budget, peer and judge weights
  and judges. Not the kind, opening time, blueprint, case or rubric, time limit, speed bonus or
  qualification: entries already rest on them (papers drawn, answers written, finalists fixed);
- reviewing (a case round whose entries are closed and being reviewed): as open, less the closing time,
  which has passed for good;
- closed: the title and weight only. A new weight re-weights the final result, so it needs a reason and
  is audited like a correction (`setup.edit_round`).

Whatever the state, once a judge or a peer has scored anyone in the round (`scored=True`), its kind, case
and rubric are fixed too (`SCORED_ON`): the sheets and reviews are scored criterion by criterion on that
rubric and would not fit another. Judges score only opened rounds (`states.judging_open`), but a draft may
hold sheets saved before that rule.

Settings are named as the round's columns, with `judges` for the judges' user ids (sorted). Changes the
boards depend on bump them; a change of weights, judge budget or judges rescores a running case or judged
round, since the round scores rest on them.
"""

from collections.abc import Iterable, Mapping

from drill.competitions.rules import states
from drill.messages import N_

SETTINGS = (
    "kind", "title", "weight", "opens_at", "closes_at", "time_limit_minutes",
    "blueprint", "speed_bonus", "speed_floor",
    "case_pack_id", "rubric_pack_id", "peer_weight", "judge_weight", "review_closes_at", "judge_budget",
    "judges", "qualify_from_id", "qualify_top_n", "qualify_per_branch",
)  # fmt: skip
RUNNING = frozenset({  # what may still change once the round has opened
    "title", "weight", "closes_at", "review_closes_at", "judge_budget", "peer_weight", "judge_weight",
    "judges",
})  # fmt: skip
EDITABLE = {
    states.DRAFT: frozenset(SETTINGS),
    states.OPEN: RUNNING,
    states.REVIEWING: RUNNING - {"closes_at"},
    states.CLOSED: frozenset({"title", "weight"}),
}
WHY_FIXED = {
    states.OPEN: N_("The round has opened: the settings greyed out below can no longer change, because "
                    "entries already rest on them."),
    states.REVIEWING: N_("The entries are closed and being reviewed: the settings greyed out below can no "
                         "longer change."),
    states.CLOSED: N_("The round is closed: only its title and weight may change. A new weight re-weights "
                      "the final result, so give the reason: it goes into the audit log."),
}  # fmt: skip
SCORED_ON = frozenset({"kind", "case_pack_id", "rubric_pack_id"})  # fixed once anyone has been scored
WHY_SCORED = N_("Judges or peers have already scored in this round: its kind, case and rubric can no longer "
                "change, because their sheets are scored on that rubric.")  # fmt: skip
QUALIFICATION = frozenset({"qualify_from_id", "qualify_top_n", "qualify_per_branch"})
# What the boards show or use: round titles and weights, who judges, the mix, who qualifies for a final.
BOARDS = frozenset({"title", "weight", "judges", "peer_weight", "judge_weight"}) | QUALIFICATION
RESCORE = frozenset({"peer_weight", "judge_weight", "judge_budget", "judges"})


def editable(state: str, *, scored: bool = False) -> frozenset[str]:
    """What may still change in `state`; `scored`: a judge or peer has scored in the round."""
    return EDITABLE.get(state, frozenset()) - (SCORED_ON if scored else frozenset())


def fixed(state: str, *, scored: bool = False) -> list[str]:
    """The settings that can no longer change, in form order."""
    return [name for name in SETTINGS if name not in editable(state, scored=scored)]


def why_fixed(state: str, *, scored: bool = False) -> str | None:
    """Why some settings are fixed (an English msgid), or None when everything may change."""
    return WHY_FIXED.get(state) or (WHY_SCORED if scored else None)


def changes(before: Mapping, after: Mapping) -> dict:
    """{setting: new value} for every setting that differs."""
    return {name: after[name] for name in SETTINGS if after[name] != before[name]}


def refused(state: str, changed: Iterable[str], *, scored: bool = False) -> list[str]:
    """The changed settings that may not change, in form order (empty: the edit is allowed)."""
    changed = set(changed)
    return [name for name in fixed(state, scored=scored) if name in changed]


def needs_reason(state: str, changed: Iterable[str]) -> bool:
    """A closed round's new weight changes the final result: it is audited with a reason."""
    return state == states.CLOSED and "weight" in set(changed)


def moves_boards(changed: Iterable[str]) -> bool:
    return bool(BOARDS & set(changed))


def rescores(kind: str, state: str, changed: Iterable[str]) -> bool:
    """Does the round's every score need recomputing? A running case or judged round whose weights,
    judge budget or judges changed (a draft has no scores yet)."""
    return state != states.DRAFT and kind in ("case", "judged") and bool(RESCORE & set(changed))
