"""The goal seek's search (:func:`solarcoop.studies.sweeps.bracketed_root`): the same
answer as bisection within the stated tolerance, in fewer trials, with the bracket
always holding the crossing."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop.studies.sweeps import bracketed_root


def bisection(function, goal, low, high, tolerance, whole=False):
    """The goal seek's search before regula falsi (the same steps): value, trials."""
    at_low, at_high = function(low), function(high)
    rising, trials = at_high >= at_low, 0
    for _ in range(200):
        if whole and high - low <= 1:
            break
        if not whole and high - low <= tolerance * max(abs(high), abs(low), 1e-12):
            break
        middle = (low + high) / 2
        middle = round(middle) if whole else middle
        trials += 1
        if (function(middle) >= goal) == rising:
            high = middle
        else:
            low = middle
    return ((high if rising else low) if whole else (low + high) / 2), trials + (0 if whole else 1)


def counted(function):
    calls = []

    def wrapped(x):
        calls.append(x)
        return function(x)

    return wrapped, calls


# monotone figures of the kinds a goal seek meets: near-straight, curved, with kinks
# (a quantile across paths), falling
SHAPES = {
    "straight": lambda x: 3.0 * x - 7e5,
    "curved": lambda x: 1e-8 * x**3 + 2.0 * x,
    "kinked": lambda x: np.interp(x, [0.0, 1e5, 1.2e5, 4e5], [-5e6, 1e6, 1.1e6, 9e6]),
    "falling": lambda x: 4e13 / (x + 1.0) - 3e7,
    "flat_then_steep": lambda x: max(x - 2e5, 0.0) ** 2 - 1e9,
}


@pytest.mark.parametrize("shape", list(SHAPES))
@settings(max_examples=25, deadline=None)
@given(goal_share=st.floats(0.05, 0.95), tolerance=st.sampled_from([1e-3, 1e-6, 1e-9]))
def test_the_answer_is_bisections_within_the_tolerance(shape, goal_share, tolerance):
    function = SHAPES[shape]
    low, high = 0.0, 4e5
    at_low, at_high = function(low), function(high)
    goal = at_low + goal_share * (at_high - at_low)
    wrapped, calls = counted(function)
    root = bracketed_root(wrapped, goal, (low, at_low), (high, at_high), tolerance)
    before, before_trials = bisection(function, goal, low, high, tolerance)
    assert abs(root.value - before) <= tolerance * high
    a, b = root.bracket
    assert a <= root.value <= b and b - a <= tolerance * max(abs(a), abs(b)) / 2
    rising = at_high >= at_low
    # the bracket holds the crossing: its low end short of the goal's side, its high end on it
    assert (function(a) >= goal) != rising or function(a) == goal
    assert (function(b) >= goal) == rising
    assert root.achieved == function(root.value)  # the figure of a point tried, no extra trial
    assert root.trials == len(calls) <= 2 * before_trials  # a bisection step follows two slow steps


@settings(max_examples=50, deadline=None)
@given(
    per_unit=st.floats(1e3, 1e6), goal=st.floats(1e5, 1e8), falling=st.booleans(), low=st.integers(1, 50)
)
def test_whole_numbers_give_bisections_answer_exactly(per_unit, goal, falling, low):
    function = (lambda n: per_unit * 1e3 / n) if falling else (lambda n: per_unit * n)
    high = 2_000
    at_low, at_high = function(low), function(high)
    if (at_low - goal) * (at_high - goal) > 0:
        return
    wrapped, calls = counted(function)
    root = bracketed_root(wrapped, goal, (low, at_low), (high, at_high), 0.0, whole=True)
    reaching = [n for n in range(low, high + 1) if function(n) >= goal]
    assert root.value == (max(reaching) if falling else min(reaching))  # the last whole number to reach it
    if goal not in (at_low, at_high):  # (bisection never tries an end again: it gave the next number)
        assert root.value == bisection(function, goal, low, high, 0.0, whole=True)[0]
    assert all(float(x).is_integer() for x in calls)


def test_a_step_that_lands_next_to_the_crossing_closes_the_bracket_from_the_other_side():
    """On a straight line the first point is the crossing; one more closes the bracket."""
    wrapped, calls = counted(lambda x: 2.0 * x)
    root = bracketed_root(wrapped, 500.0, (0.0, 0.0), (1000.0, 2000.0), 1e-6)
    assert root.value == pytest.approx(250.0, rel=1e-12)
    assert len(calls) <= 2


def test_an_end_on_the_goal_is_the_answer_without_a_trial():
    root = bracketed_root(math.sqrt, 3.0, (9.0, 3.0), (16.0, 4.0), 1e-6)
    assert (root.value, root.achieved, root.trials) == (9.0, 3.0, 0)


def test_the_goal_seek_reports_its_trials_and_bracket():
    found = sc.goal_seek(
        sc.qom_baseline(), "tariff.base_price_rial_per_kwh", ("distribution_per_family_rial_mean_year2", 60e6),
        energy=np.full(12, 4.5e5),
    )  # fmt: skip
    low, high = found.bracket
    assert found.reached and low <= found.value <= high
    assert high - low <= 1e-6 * high / 2
    assert 3 <= found.trials <= 12  # bisection took 24
    unreachable = sc.goal_seek(
        sc.qom_baseline(), "tariff.base_price_rial_per_kwh", ("distribution_per_family_rial_mean_year2", 60e6),
        bounds=(0, 20_000), energy=np.full(12, 4.5e5),
    )  # fmt: skip
    assert not unreachable.reached and unreachable.trials == 2 and unreachable.bracket == (0, 20_000)


def test_a_zero_tolerance_ends_when_the_bracket_cannot_shrink():
    """With no tolerance the search stops at neighbouring floats, as bisection did."""
    root = bracketed_root(lambda x: x - 0.1, 0.0, (0.0, -0.1), (1.0, 0.9), 0.0)
    low, high = root.bracket
    assert low <= 0.1 <= high and np.nextafter(low, 1.0) == high
    assert root.trials < 200


@pytest.mark.parametrize("shape", ["straight", "curved", "falling", "flat_then_steep", "kinked"])
def test_smooth_figures_take_far_fewer_trials_than_bisection(shape):
    function, trials, bisections = SHAPES[shape], 0, 0
    for goal_share in np.linspace(0.02, 0.98, 49):
        at_low, at_high = function(0.0), function(4e5)
        goal = at_low + goal_share * (at_high - at_low)
        trials += bracketed_root(function, goal, (0.0, at_low), (4e5, at_high), 1e-6).trials
        bisections += bisection(function, goal, 0.0, 4e5, 1e-6)[1]
    assert trials <= bisections / 2
