"""The record-level cache: per-id rows, TTLs, offline reads, info/clear, no secrets on disk.

The end-to-end cache checks (a rerun asks nothing; one new DOI costs one request per
service; offline answers from the cache only) are in test_crossref_client.py and
test_pubmed_client.py, against the emulators.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zsync.logs import register_secret
from zsync.sources.cache import DAY, RECORDS_FILE, RecordCache
from zsync.sources.http_stacks import HTTP_CACHE_FILE


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(tmp_path: Path, clock: Clock) -> RecordCache:
    return RecordCache(tmp_path, ttl_days=30, not_found_ttl_days=7, clock=clock)


def test_rows_are_per_id_and_survive_a_reopen(
    tmp_path: Path, cache: RecordCache, clock: Clock
) -> None:
    cache.put_many("crossref", "doi", {"10.1/a": '{"DOI": "10.1/a"}', "10.1/b": None})
    cache.close()
    again = RecordCache(tmp_path, clock=clock)
    got = again.get_many("crossref", "doi", ["10.1/a", "10.1/b", "10.1/c"])
    assert set(got) == {"10.1/a", "10.1/b"}
    assert got["10.1/a"].payload == '{"DOI": "10.1/a"}' and not got["10.1/a"].not_found
    assert got["10.1/b"].not_found and got["10.1/b"].payload is None
    assert again.get_many("pubmed", "doi", ["10.1/a"]) == {}  # the source is part of the key
    assert (tmp_path / RECORDS_FILE).exists()


def test_found_rows_expire_after_ttl_and_not_found_rows_sooner(
    cache: RecordCache, clock: Clock
) -> None:
    cache.put_many("crossref", "doi", {"found": "{}", "missing": None})
    clock.now += 8 * DAY
    assert set(cache.get_many("crossref", "doi", ["found", "missing"])) == {"found"}
    clock.now += 23 * DAY
    assert cache.get_many("crossref", "doi", ["found", "missing"]) == {}
    stale = cache.get_many("crossref", "doi", ["found", "missing"], allow_stale=True)
    assert set(stale) == {"found", "missing"}  # what an offline run may still use


def test_many_ids_in_one_lookup(cache: RecordCache) -> None:
    cache.put_many("pubmed", "pmid", {str(n): f"<a>{n}</a>" for n in range(1500)})
    got = cache.get_many("pubmed", "pmid", [str(n) for n in range(0, 3000, 2)])
    assert len(got) == 750


def test_info_counts_per_source_and_clear(tmp_path: Path, cache: RecordCache) -> None:
    cache.put_many("crossref", "doi", {"a": "{}", "b": "{}", "c": None})
    cache.put_many("pubmed", "pmid", {"1": "<x/>"})
    (tmp_path / HTTP_CACHE_FILE).write_bytes(b"x" * 10)
    info = cache.info()
    assert info.counts == {"crossref": {"found": 2, "not_found": 1},
                           "pubmed": {"found": 1, "not_found": 0}}
    assert info.path == tmp_path / RECORDS_FILE and info.size_bytes > 0
    assert info.http_cache_bytes == 10
    assert cache.clear("pubmed") == 1
    assert set(cache.info().counts) == {"crossref"}
    assert cache.clear() == 3
    assert cache.info().counts == {}
    assert not (tmp_path / HTTP_CACHE_FILE).exists()


def test_a_registered_secret_never_reaches_the_file(tmp_path: Path, cache: RecordCache) -> None:
    secret = "cache-secret-9f8e7d6c5b4a"
    register_secret(secret)
    cache.put("pubmed", "pmid", "1", f"<x>echoed {secret}</x>")
    cache.close()
    assert secret.encode() not in (tmp_path / RECORDS_FILE).read_bytes()
    for extra in tmp_path.glob(RECORDS_FILE + "-*"):
        assert secret.encode() not in extra.read_bytes()


def test_state_moves_with_every_write_whoever_writes(tmp_path: Path, cache: RecordCache,
                                                     clock: Clock) -> None:
    first = cache.state()
    assert cache.state() == first  # reading moves nothing
    cache.put_many("crossref", "doi", {"a": "{}", "b": None})
    stored = cache.state()
    cache.put("crossref", "doi", "a", "{}")  # the same answer fetched again
    again = cache.state()
    other = sqlite3.connect(tmp_path / RECORDS_FILE)  # a writer that knows no counter
    with other:
        other.execute("UPDATE records SET payload = 'changed' WHERE id = 'a'")
    edited = cache.state()
    cache.clear("crossref")
    assert len({first, stored, again, edited, cache.state()}) == 5
    cache.close()
    (tmp_path / RECORDS_FILE).unlink()
    anew = RecordCache(tmp_path, clock=clock)
    assert anew.state() not in {first, stored, again, edited}  # a new file, a new count


def test_settled_answers_change_only_when_one_of_them_does(cache: RecordCache,
                                                           clock: Clock) -> None:
    cache.put_many("crossref", "doi", {"a": "{}", "b": None})
    since = clock.now
    settled = cache.settled(since)
    clock.now += 60
    cache.put("pubmed", "pmid", "1", "<x/>")  # a new answer, stored later
    assert cache.settled(since) == settled
    cache.put("crossref", "doi", "b", "{}")  # one of them replaced
    assert cache.settled(since) != settled


@settings(max_examples=150, deadline=None)
@given(ages=st.lists(st.tuples(st.floats(0, 40 * DAY), st.booleans()), max_size=12),
       since_ago=st.floats(0, 40 * DAY))
def test_expired_since_is_whether_an_answer_went_stale_in_between(
        tmp_path_factory: pytest.TempPathFactory, ages: list[tuple[float, bool]],
        since_ago: float) -> None:
    clock = Clock()
    cache = RecordCache(tmp_path_factory.mktemp("cache"), ttl_days=30, not_found_ttl_days=7,
                        clock=clock)
    now = clock.now
    for n, (age, not_found) in enumerate(ages):
        clock.now = now - age
        cache.put("crossref", "doi", str(n), None if not_found else "{}")
    clock.now = now
    since = now - since_ago

    def lasts_until(age: float, not_found: bool) -> float:
        return (now - age) + (cache.not_found_ttl if not_found else cache.ttl)

    expected = any(since < lasts_until(age, nf) <= now for age, nf in ages)
    assert cache.expired_since(since) == expected
    cache.close()


def test_a_cache_file_of_an_earlier_zsync_is_used_as_it_is(tmp_path: Path,
                                                           clock: Clock) -> None:
    old = sqlite3.connect(tmp_path / RECORDS_FILE)
    with old:
        old.execute("CREATE TABLE records (source TEXT NOT NULL, id_kind TEXT NOT NULL, "
                    "id TEXT NOT NULL, payload TEXT, fetched_at REAL NOT NULL, not_found "
                    "INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (source, id_kind, id))")
        old.execute("INSERT INTO records VALUES ('crossref', 'doi', 'a', '{}', ?, 0)",
                    (clock.now,))
    old.close()
    cache = RecordCache(tmp_path, clock=clock)
    assert cache.get("crossref", "doi", "a") is not None
    before, stored = cache.state(), clock.now
    clock.now += 10
    cache.put("crossref", "doi", "b", "{}")
    assert cache.state() != before
    assert cache.settled(stored) == repr((1, stored, 0.0))


def test_opening_a_cache_another_process_is_writing_to_waits_for_nothing(
        tmp_path: Path, cache: RecordCache, clock: Clock) -> None:
    cache.put("crossref", "doi", "a", "{}")
    writer = sqlite3.connect(tmp_path / RECORDS_FILE, isolation_level=None, timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a long write would
    try:
        again = RecordCache(tmp_path, clock=clock)
        assert again.get("crossref", "doi", "a") is not None
        assert again.state() == cache.state()
        again.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
