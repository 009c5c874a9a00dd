"""The internal rate of return of monthly cash flows: root counting, bracketing and a safeguarded Newton solver.

Pure functions over plain values (docs/model.md, "How the metrics are computed"). The engine's fast
path calls :func:`nearest_root` with grid values it caches per cash-flow shape; :func:`irr` is the
entry point for a plain list of flows.
"""

import itertools
import math
from collections.abc import Callable, Iterable, Sequence

# How it works
#
# With u = ln(1 + rho) the NPV is P(x) = sum f(t) x**t at x = exp(-u), a polynomial in
# x > 0. We search u over the real line and evaluate P scaled by a positive factor that
# keeps every term finite: P(x) / x**t0 for x <= 1 and P(x) / x**t1 for x > 1, where t0
# and t1 are the first and last months with a non-zero flow. The scaled function is
# continuous, has the same roots, and tends to the sign of f(t0) as u -> +inf and to the
# sign of f(t1) as u -> -inf.
#
# The flows are stored as runs of equal values (start, length, value): a year of equal
# benefits is one run, whose sum is a geometric series in closed form, so a 60-month series
# costs about a dozen terms. A grid dense near 0 brackets every root that crosses zero; on
# each side of 0 only the bracket nearest 0 is solved, because the annual rate's distance
# from 0 grows with |u| on each side, and the nearest of the two (at most) is reported.

_U_LIMIT = 700.0
ROOT_TOLERANCE = 1e-13

Run = tuple[int, int, float]
"""(first month, number of months, the flow in each of them)."""


def runs_of(flows: Sequence[float]) -> list[Run]:
    """The non-zero runs of equal consecutive flows."""
    out: list[Run] = []
    start = 0
    for t in range(1, len(flows) + 1):
        if t == len(flows) or flows[t] != flows[start]:
            if flows[start] != 0.0:
                out.append((start, t - start, float(flows[start])))
            start = t
    return out


def scaled_pv(runs: Sequence[Run], u: float, first: int, last: int) -> tuple[float, float]:
    """The scaled NPV of ``runs`` at ``u = ln(1 + rho)`` and its derivative in ``u``, in one pass.

    The scale is ``x ** -first`` for ``u >= 0`` and ``x ** -last`` for ``u < 0`` (``x = exp(-u)``), so
    no term overflows when ``first`` and ``last`` are the first and last months with a flow.
    A run of ``n`` months of value ``v`` whose first scaled month is ``off`` contributes
    ``v q**off S0`` with ``q = exp(-|u|)``, ``S0 = sum_{k<n} q**k`` and, for the slope,
    ``-+ v q**off (off S0 + S1)`` with ``S1 = sum_{k<n} k q**k`` (closed forms; for
    ``|u| n`` below 1e-3, where the closed form of S1 cancels, a first-order one). The slope
    only steers Newton steps, so its last digits do not matter. Plain sums, not ``fsum``: a
    handful of terms, each already rounded, so an exact sum would not make the root better.
    Every IRR evaluation goes through here: the grid's values (the reference path's directly,
    the fast path's through :meth:`Shape.grid_point`) and every Newton step.
    """
    exp, expm1 = math.exp, math.expm1
    forward = u >= 0.0
    w = u if forward else -u
    ref = first if forward else last
    q = exp(-w)
    em = expm1(-w)
    total = 0.0
    slope = 0.0
    for start, n, v in runs:
        off = start - ref if forward else ref - start - n + 1
        scale = v * exp(-w * off) if off else v
        if n == 1:
            total += scale
            slope += scale * off
            continue
        if w == 0.0:
            s0, s1 = float(n), n * (n - 1) / 2.0
        else:
            s0 = expm1(-w * n) / em
            if w * n > 1e-3:
                qn = exp(-w * n)
                s1 = (q - n * qn + (n - 1) * qn * q) / (em * em)
            else:
                s1 = n * (n - 1) / 2.0 * exp(-w * (2 * n - 1) / 3.0)
        total += scale * s0
        slope += scale * (off * s0 + s1)
    return total, -slope if forward else slope


def _solve(fd: Callable[[float], tuple[float, float]], a: float, b: float, fa: float, fb: float) -> float:
    """The root in u between ``a`` and ``b`` of the function ``fd`` gives with its slope, where it changes sign.

    Newton steps kept inside the bracket, which shrinks around each new estimate; a step that
    would leave it (or a zero slope) is replaced by bisection. Starts from the false-position
    point of the bracket and stops when a step moves the estimate by less than
    ``ROOT_TOLERANCE`` relative to u (annual rates to about 12 significant digits), or when the
    bracket is as narrow as floats allow.
    """
    c = (a * fb - b * fa) / (fb - fa)
    if not (a < c < b):
        c = 0.5 * (a + b)
    for _ in range(200):
        fc, slope = fd(c)
        if fc == 0.0:
            return c
        if (fc > 0.0) == (fa > 0.0):
            a, fa = c, fc
        else:
            b, fb = c, fc
        step = fc / slope if slope != 0.0 else math.nan
        if abs(step) <= ROOT_TOLERANCE * abs(c):
            return c - step
        nxt = c - step
        if not (a < nxt < b):  # also when the step is NaN
            nxt = 0.5 * (a + b)
            if not (a < nxt < b):
                break  # a and b are adjacent floats
        c = nxt
    return a if abs(fa) <= abs(fb) else b


def _grid() -> tuple[float, ...]:
    steps = [s for s in (1e-7 * 1.25**k for k in range(120)) if s < _U_LIMIT]
    steps.append(_U_LIMIT)
    return (*(-s for s in reversed(steps)), 0.0, *steps)


U_GRID = _grid()
_ZERO = U_GRID.index(0.0)


def _norstrom(runs: Sequence[Run]) -> tuple[float, int, int]:
    """The flows' total, and the sign changes of their cumulative sums and of their remaining sums.

    The cumulative sums C_0 ... C_N and the remaining sums f(t) + ... + f(N) move in a straight
    line through a run of equal flows and stay put between runs, so their signs change only as
    their values at the runs' ends do: two values a run instead of one a month. The remaining
    sums are summed from the last month back, not taken as C_N - C_{t-1}: a tail of small flows
    after a large one would otherwise round away (and with it the sign change that says a
    negative rate is a root).
    """
    cumulative: list[float] = []
    c = 0.0
    for _, n, v in runs:
        if n > 1:
            cumulative.append(c + v)
        c += n * v
        cumulative.append(c)
    remaining: list[float] = []  # from the last month back: the order does not change the count
    r = 0.0
    for _, n, v in reversed(runs):
        if n > 1:
            remaining.append(r + v)
        r += n * v
        remaining.append(r)
    return c, sign_changes(cumulative), sign_changes(remaining)


def nearest_root(
    value_at: Callable[[int], float],
    runs: Sequence[Run],
    fd: Callable[[float], tuple[float, float]],
    counts: tuple[float, int, int] | None = None,
) -> float | None:
    """The root of the scaled NPV of ``runs`` whose annual rate is nearest 0, from grid values.

    ``value_at(k)`` is the scaled NPV at grid point k. Each side of 0 is searched for its change
    of sign nearest 0, which is then solved; farther roots on a side have larger annual rates.
    Norström's criterion counts the roots of a side (:func:`_norstrom`): where the cumulative
    sums (for u > 0) or the sums of the remaining flows (for u < 0) change sign once, the side
    has exactly one root and a binary search over the grid finds its bracket; where they never
    change sign it has none; with more changes the grid is walked outwards from 0. ``counts`` is
    :func:`_norstrom`'s result when the caller has it already.
    """
    total, changes_up, changes_down = counts if counts is not None else _norstrom(runs)
    if total == 0.0:
        return 0.0  # the undiscounted sum is zero: a root at rate 0
    candidates: list[float] = []
    for direction, changes in ((1, changes_up), (-1, changes_down)):
        if changes == 0:
            continue
        end = len(U_GRID) - 1 if direction == 1 else 0
        found = _bracket_search(value_at, end) if changes == 1 else _bracket_walk(value_at, direction)
        if found is None:
            continue
        i, j, fi, fj = found
        candidates.append(
            U_GRID[i] if fi == 0.0 else U_GRID[j] if fj == 0.0 else _solve(fd, U_GRID[i], U_GRID[j], fi, fj)
        )
    if not candidates:
        return None
    return min(candidates, key=lambda u: abs(_annual(u)))


def solve(
    value_at: Callable[[int], float], runs: Sequence[Run], fd: Callable[[float], tuple[float, float]]
) -> tuple[float | None, int]:
    """``(u, roots)``: how many roots the scaled NPV of ``runs`` has (0, 1, or 2 for "two or more"), and the root
    when there is exactly one (``None`` otherwise: with several, no one of them is *the* rate of return).

    Each side of 0 is counted with Norström's criterion (:func:`_norstrom`): no sign change of the
    cumulative sums (u > 0) or of the remaining sums (u < 0) means no root on that side, one change
    exactly one. With more changes, the side's grid values are walked and their changes of sign
    counted; a pair of roots closer together than one grid step (25 % in u) is not seen, which
    docs/model.md discusses. A zero undiscounted sum is a root at rate 0.
    """
    counts = _norstrom(runs)
    total, changes_up, changes_down = counts
    roots = 1 if total == 0.0 else 0
    for changes, end in ((changes_up, len(U_GRID) - 1), (changes_down, 0)):
        if changes == 1:
            roots += 1
        elif changes > 1:
            roots += _crossings(value_at, fd, end)
        if roots > 1:
            return None, 2
    if roots == 0:
        return None, 0
    return nearest_root(value_at, runs, fd, counts), 1


def _crossings(value_at: Callable[[int], float], fd: Callable[[float], tuple[float, float]], end: int) -> int:
    """Roots on the side of 0 towards grid index ``end``: the changes of sign of the grid values, and pairs.

    A pair of roots closer together than one grid step leaves no change of sign on the grid; it
    shows as a dip of the values towards 0 between two grid points. So at each interior grid point
    where the values' magnitude is smallest among its neighbours (with no change of sign), the
    extremum between the neighbours is found by bisection on the slope, and a value of the other
    sign there is a pair of roots. An exact zero on the grid counts as several (a root where the
    sums change sign more than once).
    """
    step = 1 if end > _ZERO else -1
    ks = list(range(_ZERO + step, end + step, step))
    values = [value_at(k) for k in ks]
    if any(v == 0.0 for v in values):
        return 2
    count = sum(1 for p, q in itertools.pairwise(values) if (p > 0.0) != (q > 0.0))
    for i in range(1, len(values) - 1):
        before, here, after = values[i - 1], values[i], values[i + 1]
        same = (before > 0.0) == (here > 0.0) == (after > 0.0)
        if (
            same
            and abs(here) <= abs(before)
            and abs(here) <= abs(after)
            and _dips_across(fd, ks[i - 1], ks[i + 1], here)
        ):
            count += 2
    return count


def _dips_across(fd: Callable[[float], tuple[float, float]], k0: int, k1: int, sample: float) -> bool:
    """Whether the scaled NPV between grid points ``k0`` and ``k1`` reaches the sign opposite to ``sample``."""
    a, b = sorted((U_GRID[k0], U_GRID[k1]))
    positive = sample > 0.0
    # at the extremum the slope changes sign: from falling to rising for a minimum of a positive function
    slope_a, slope_b = fd(a)[1], fd(b)[1]
    if (slope_a < 0.0) != positive or (slope_b > 0.0) != positive:
        return False
    for _ in range(100):
        mid = 0.5 * (a + b)
        value, slope = fd(mid)
        if (value > 0.0) != positive and value != 0.0:
            return True
        if (slope < 0.0) == positive:
            a = mid
        else:
            b = mid
    value = fd(0.5 * (a + b))[0]
    return (value > 0.0) != positive


Bracket = tuple[int, int, float, float]
"""(lower grid index, upper grid index, value at lower, value at upper)."""


def _bracket_search(value_at: Callable[[int], float], end: int) -> Bracket | None:
    """The grid interval between 0 and ``end`` where the sign changes, when it changes exactly once."""
    lo, hi = (_ZERO, end) if end > _ZERO else (end, _ZERO)
    f_lo, f_hi = value_at(lo), value_at(hi)
    if f_lo == 0.0 or f_hi == 0.0 or (f_lo > 0.0) == (f_hi > 0.0):
        return (lo, hi, f_lo, f_hi) if (f_lo == 0.0) != (f_hi == 0.0) and (lo != _ZERO or f_lo != 0.0) else None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        f_mid = value_at(mid)
        if f_mid == 0.0:
            return (mid, mid, 0.0, 0.0)
        if (f_mid > 0.0) == (f_lo > 0.0):
            lo, f_lo = mid, f_mid
        else:
            hi, f_hi = mid, f_mid
    return (lo, hi, f_lo, f_hi)


def _bracket_walk(value_at: Callable[[int], float], direction: int) -> Bracket | None:
    """Walk the grid from 0 in ``direction`` to the first change of sign (or exact zero)."""
    i, fi = _ZERO, value_at(_ZERO)
    while 0 <= i + direction < len(U_GRID):
        j = i + direction
        fj = value_at(j)
        if fj == 0.0 or (fi > 0.0) != (fj > 0.0):
            return (i, j, fi, fj) if i < j else (j, i, fj, fi)
        i, fi = j, fj
    return None


def sign_changes(values: Iterable[float]) -> int:
    signs = [v > 0.0 for v in values if v != 0.0]
    return sum(1 for p, q in itertools.pairwise(signs) if p != q)


def irr(flows: Sequence[float]) -> float | None:
    """Annual internal rate of return of monthly ``flows``.

    ``irr = (1 + rho) ** 12 - 1`` where ``sum_t f(t) / (1 + rho) ** t = 0``.

    Returns ``None`` where no root exists (the flows never change sign, or all are 0),
    where several exist (docs/model.md, version 2: one of several rates can contradict the
    NPV's sign) and where the rate is beyond what a float can hold. The search runs in
    ``u = ln(1 + rho)`` with overflow-free scaling, so long series (120 months and
    more) and extreme rates are handled; the result is never NaN.
    """
    runs = runs_of(flows)
    return irr_of_runs(runs)


def irr_of_runs(runs: Sequence[Run]) -> float | None:
    """The annual IRR of ``runs`` (``None`` with no root or several: :func:`irr_and_roots`)."""
    return irr_and_roots(runs)[0]


def irr_and_roots(runs: Sequence[Run]) -> tuple[float | None, int]:
    """``(irr, roots)`` of ``runs``: the annual IRR where the flows have exactly one, and how many they have."""
    if not runs or sign_changes(v for _, _, v in runs) == 0:
        return None, 0
    first, last = runs[0][0], runs[-1][0] + runs[-1][1] - 1

    def value_at(k: int) -> float:
        return scaled_pv(runs, U_GRID[k], first, last)[0]

    def fd(u: float) -> tuple[float, float]:
        return scaled_pv(runs, u, first, last)

    u, roots = solve(value_at, runs, fd)
    return rate_of(u), roots


def rate_of(u: float | None) -> float | None:
    if u is None:
        return None
    rate = _annual(u)
    return rate if math.isfinite(rate) else None


def _annual(u: float) -> float:
    """``exp(12 u) - 1``, infinite when it overflows."""
    try:
        return math.expm1(12.0 * u)
    except OverflowError:
        return math.inf
