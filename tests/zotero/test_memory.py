"""What zsync remembers in an item's `extra`: it reads back what it wrote, survives what
the Zotero server does to values and notes, and never breaks on a line a user edited."""

from __future__ import annotations

import string
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from tests.servers.zotero.notes import clean_note
from zsync.zotero.memory import (
    Contribution,
    Memory,
    clean,
    contributor_hash,
    decode,
    encode,
    join_extra,
    note_hash,
    split_extra,
    tag_hash,
    value_hash,
)
from zsync.zotero.notehtml import note_source, render_note

hashes = st.text("0123456789abcdef", min_size=6, max_size=6).filter(lambda h: h != "000000")
keys = st.text("23456789ABCDEFGHIJKLMNPQRSTUVWXYZ", min_size=8, max_size=8)
fields = st.sampled_from(["title", "creators", "date", "abstractNote", "DOI", "volume",
                          "someFutureField", "extra"])
memories = st.builds(
    Memory,
    fields=st.dictionaries(fields, hashes, max_size=8),
    tags=st.frozensets(hashes, max_size=12),
    collection=st.none() | keys,
    contributors=st.dictionaries(hashes, st.builds(
        Contribution, note_key=st.none() | keys, note_hash=st.none() | hashes,
        tags=st.frozensets(hashes, max_size=5),
        status=st.none() | st.sampled_from(["New", "Reading", "Read", "Gelesen ✓"])),
        max_size=4),
    work=st.none() | hashes,
    noticed=st.frozensets(st.sampled_from(["retracted", "corrected"])),
    apart=st.frozensets(keys, max_size=3),
)


@given(memories, st.text(max_size=80))
def test_what_zsync_writes_in_extra_reads_back_with_the_users_lines_kept(
        memory: Memory, user_text: str) -> None:
    user_lines = "\n".join(line for line in user_text.splitlines()
                           if not line.startswith("zsync:")).strip()
    extra = join_extra(user_lines, memory)
    rest, back = split_extra(extra)
    assert back == memory
    assert rest == user_lines
    assert len(extra) - len(user_lines) < 400  # one short line, not a dump


@given(st.text(string.printable + "éø€", max_size=300))
def test_a_mangled_memory_line_means_nothing_remembered_never_an_error(junk: str) -> None:
    decoded = decode(f"zsync: {junk}")  # must not raise, whatever the user typed there
    if decoded is not None:  # the rare junk that is a well-formed record reads back the same
        assert decode(join_extra("", decoded)) == decoded
    assert decode(junk.replace("zsync:", "")) is None


def test_a_truncated_memory_line_is_not_misread() -> None:
    line = join_extra("", Memory(fields={"title": value_hash("T")}, collection="ABCD2345"))
    for cut in range(len("zsync: ") + 1, len(line)):
        assert decode(line[:cut]) in (None, decode(line))


@given(st.text(max_size=60))
def test_a_value_is_the_same_to_zsync_after_the_server_cleaned_it(value: str) -> None:
    server_stored = clean(value)  # control characters removed, trimmed
    assert value_hash(server_stored) == value_hash(value)
    assert tag_hash(server_stored) == tag_hash(value)


NOTES = st.text(string.ascii_letters + string.digits + " \n*_#-[]()<>&'\"é", max_size=400)


@given(NOTES)
def test_the_servers_note_cleaning_is_never_taken_for_a_users_edit(markdown: str) -> None:
    html = render_note(markdown, "lecun-2015.md")
    stored = clean_note(html)
    assert note_hash(stored) == note_hash(html)
    assert note_source(stored) == "lecun-2015.md"


def test_a_users_edit_of_a_note_changes_its_hash() -> None:
    html = render_note("I liked the method.", "x.md")
    edited = html.replace("liked", "disliked")
    assert note_hash(clean_note(edited)) != note_hash(html)


def test_contributors_are_named_by_a_short_hash_of_the_file_name() -> None:
    assert contributor_hash("lecun-2015.md") == contributor_hash("lecun-2015.md")
    assert contributor_hash("lecun-2015.md") != contributor_hash("lecun-2016.md")
    assert len(contributor_hash("a" * 300)) == 6


def test_a_line_without_kept_apart_items_keeps_its_first_layout() -> None:
    """Items written before the kept-apart keys existed are not rewritten for them."""
    plain = Memory(fields={"title": value_hash("T")}, collection="ABCD2345")
    with_pair = replace(plain, apart=frozenset({"EFGH6789"}))
    assert encode(plain) != encode(with_pair)
    assert decode(encode(plain)) == plain and decode(encode(with_pair)) == with_pair
    assert decode(encode(replace(with_pair, apart=frozenset()))) == plain
    assert encode(replace(with_pair, apart=frozenset())) == encode(plain)
