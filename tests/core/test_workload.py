"""What a desired retention costs, from FSRS-6's forgetting curve."""

from __future__ import annotations

import dataclasses

import pytest

from metaflash.core.scheduling.scheduler import SchedulerSettings
from metaflash.core.scheduling.workload import describe_retention, interval_ratio, relative_workload

SETTINGS = SchedulerSettings()


def test_the_reference_retention_costs_one() -> None:
    assert relative_workload(0.90, SETTINGS) == pytest.approx(1.0)
    assert interval_ratio(0.90, SETTINGS.parameters[20]) == pytest.approx(1.0)


def test_higher_retention_means_shorter_intervals_and_more_reviews() -> None:
    retentions = [0.70, 0.80, 0.85, 0.90, 0.95, 0.97, 0.99]
    workloads = [relative_workload(r, SETTINGS) for r in retentions]
    intervals = [interval_ratio(r, SETTINGS.parameters[20]) for r in retentions]
    assert workloads == sorted(workloads)
    assert intervals == sorted(intervals, reverse=True)
    assert relative_workload(0.99, SETTINGS) > 10  # the steep end of the curve


def test_the_interval_ratio_follows_the_curve_for_any_decay() -> None:
    # R(t) = (1 + F t / S) ** -d with F = 0.9 ** (-1/d) - 1: at t(r), recall is exactly r
    for decay in (0.1, 0.2, 0.5):
        factor = 0.9 ** (-1 / decay) - 1
        for retention in (0.8, 0.95):
            t = interval_ratio(retention, decay)  # in units of S
            assert (1 + factor * t) ** -decay == pytest.approx(retention)


def test_more_relearning_steps_make_lapses_dearer() -> None:
    from datetime import timedelta

    more = dataclasses.replace(SETTINGS, relearning_steps=(timedelta(minutes=10),) * 3)
    assert relative_workload(0.8, more) > relative_workload(0.8, SETTINGS)


def test_the_description_names_the_trade_off() -> None:
    assert "usual choice" in describe_retention(0.90, SETTINGS)
    text = describe_retention(0.95, SETTINGS)
    assert "1 in 20 forgotten" in text and "shorter" in text and "× the reviews" in text
    assert "% of the reviews" in describe_retention(0.80, SETTINGS)
    with pytest.raises(ValueError):
        interval_ratio(1.0, 0.2)
