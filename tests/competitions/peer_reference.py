"""The peer model's fit written element by element, as it was before it ran on arrays (#14): the oracle the
array version is checked against (`test_peer_fit.py`). Not used by the app."""

from collections import defaultdict

from drill.competitions.rules.peer_model import SWEEPS, TOLERANCE, Prior, _Fit


def _clamp(x: float, top: float) -> float:
    return min(top, max(0.0, x))


def fit(top: float, expert: dict[str, float], calibration, reviews, prior: Prior) -> _Fit:
    """`calibration` [(reviewer, example, score)], `reviews` [(reviewer, entry, score)], both sorted."""
    by_entry: dict[str, list[tuple[str, float]]] = defaultdict(list)
    own: dict[str, list[tuple[str, float]]] = defaultdict(list)  # reviewer -> (entry, score)
    cal: dict[str, list[float]] = defaultdict(list)  # reviewer -> score − expert
    for r, e, z in reviews:
        by_entry[e].append((r, z))
        own[r].append((e, z))
    for r, x, z in calibration:
        cal[r].append(z - expert[x])
    reviewers = sorted(set(own) | set(cal))
    s0 = (prior.noise_sd * top) ** 2
    v0 = (prior.spread_sd * top) ** 2
    eta = 1 / (prior.bias_sd * top) ** 2
    bias = dict.fromkeys(reviewers, 0.0)
    tau = dict.fromkeys(reviewers, 1 / s0)
    every = sorted(z for _r, _e, z in reviews)
    mu = (every[(len(every) - 1) // 2] + every[len(every) // 2]) / 2 if every else top / 2
    spread = v0
    m: dict[str, float] = {}
    precision: dict[str, float] = {}
    for _ in range(SWEEPS):
        before = (mu, *bias.values(), *m.values())
        for e, marks in by_entry.items():
            p = 1 / spread + sum(tau[r] for r, _z in marks)
            m[e] = (mu / spread + sum(tau[r] * _clamp(z - bias[r], top) for r, z in marks)) / p
            precision[e] = p
        if m:
            n = len(m)
            mu = sum(m.values()) / n
            seen = sum((m[e] - mu) ** 2 + 1 / precision[e] for e in m) / n
            spread = max((n * seen + prior.spread_strength * v0) / (n + prior.spread_strength), 1e-4 * v0)
        for r in reviewers:
            residuals, extra = list(cal[r]), 0.0
            for e, z in own[r]:
                p_out = precision[e] - tau[r]  # the entry as the others (and the prior) see it
                m_out = (m[e] * precision[e] - tau[r] * _clamp(z - bias[r], top)) / p_out
                residuals.append(z - m_out)
                extra += 1 / p_out
            count = len(residuals)
            p_bias = eta + tau[r] * count
            bias[r] = tau[r] * sum(residuals) / p_bias
            sse = sum((x - bias[r]) ** 2 for x in residuals) + extra + count / p_bias
            tau[r] = (prior.noise_strength + count) / (prior.noise_strength * s0 + sse)
        after = (mu, *bias.values(), *m.values())
        if len(before) == len(after) and max(abs(a - b) for a, b in zip(before, after, strict=True)) < (
            TOLERANCE * top
        ):
            break
    variance = {}
    for e, marks in by_entry.items():
        v = 1 / precision[e]
        if len(marks) >= 2:
            chi = sum(tau[r] * (_clamp(z - bias[r], top) - m[e]) ** 2 for r, z in marks) / (len(marks) - 1)
            v *= max(1.0, chi)
        variance[e] = v
    return _Fit(mu, spread, bias, {r: 1 / t for r, t in tau.items()}, m, variance)
