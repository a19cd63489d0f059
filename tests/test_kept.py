"""Figures kept between requests (msp_cases/core/kept.py): counted once while they last, counted again when
asked, never kept when a page keeps nothing, and counted as usual when the cache cannot be reached."""

import itertools

import pytest
from django.core.cache import cache

from msp_cases.core.kept import ids_digest, kept, kept_rendering, source_version


@pytest.fixture
def counter():
    counts = itertools.count(1)
    return lambda: next(counts)


def test_figures_are_counted_once_while_they_last(counter):
    first = kept("test:figures", counter, seconds=60)
    again = kept("test:figures", counter, seconds=60)
    assert (first.figures, again.figures) == (1, 1)
    assert again.as_at == first.as_at and again.count == first.count


def test_recounting_counts_now_and_keeps_the_new_figures(counter):
    first = kept("test:figures", counter, seconds=60)
    recounted = kept("test:figures", counter, seconds=60, recount=True)
    assert (first.figures, recounted.figures) == (1, 2)
    assert recounted.count != first.count
    assert kept("test:figures", counter, seconds=60).figures == 2


def test_nothing_is_kept_for_zero_seconds(counter):
    assert [kept("test:figures", counter, seconds=0).figures for _ in range(3)] == [1, 2, 3]
    assert cache.get("test:figures") is None


def test_each_key_has_its_own_figures(counter):
    assert kept("test:a", counter, seconds=60).figures == 1
    assert kept("test:b", counter, seconds=60).figures == 2


def test_a_rendering_belongs_to_one_count(counter):
    renders = itertools.count(1)
    first = kept("test:figures", counter, seconds=60)
    html = [kept_rendering(first, "table", lambda: f"<p>{next(renders)}</p>", seconds=60) for _ in range(2)]
    assert html == ["<p>1</p>", "<p>1</p>"]
    recounted = kept("test:figures", counter, seconds=60, recount=True)
    assert kept_rendering(recounted, "table", lambda: f"<p>{next(renders)}</p>", seconds=60) == "<p>2</p>"


def test_a_cache_that_cannot_be_reached_is_a_cache_with_nothing(counter, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    assert [kept("test:figures", counter, seconds=60).figures for _ in range(2)] == [1, 2]
    first = kept("test:figures", counter, seconds=60)
    assert kept_rendering(first, "table", lambda: "<p>3</p>", seconds=60) == "<p>3</p>"


def test_the_version_follows_the_source(tmp_path):
    source = tmp_path / "counting.py"
    source.write_text("N = 1\n")
    before = source_version(source)
    source.write_text("N = 2\n")
    source_version.cache_clear()
    assert source_version(source) != before


def test_team_ids_make_the_same_digest_in_any_order():
    assert ids_digest([3, 1, 2]) == ids_digest([1, 2, 3]) != ids_digest([1, 2])
