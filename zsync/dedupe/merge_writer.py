"""Writing one cluster's merge to Zotero: master first, then the moves, the trash last.

Every write is a versioned update through `WriteExecutor` (recorded before it is sent,
re-sent safely after a dropped connection). A 412 means someone changed an object since
the mirror was read:

- on the master (the first write): nothing of the cluster was written; it is skipped;
- on a note, attachment or related item: the master keeps what it gained, the other item
  that object belongs to stays out of the trash (an extra copy, nothing lost), and the
  cluster is reported as partly merged;
- on an other item being trashed: if only its version moved (its content is what was
  planned) it is sent again at the new version, else it stays out of the trash.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from zsync.dedupe.mergewrites import MASTER, MOVE, RELATION, TRASH, Write
from zsync.zotero.api import ObjectOutcome, PlannedWrite, WriteExecutor

OK = frozenset({"updated", "unchanged", "existed"})
CHANGED = "was changed in Zotero since it was read (HTTP 412)"
_NOT_CONTENT = frozenset({"version", "dateModified", "deleted", "relations"})


@dataclass
class Sent:
    """A write and what became of it ("planned" in a dry run, "not sent" when held)."""

    write: Write
    status: str = "planned"
    message: str = ""


@dataclass
class ClusterOutcome:
    """merged, partial (some copies stay), skipped (nothing written), failed, refused,
    or planned (dry run)."""

    status: str
    message: str = ""
    sent: list[Sent] = field(default_factory=list)
    trashed: list[str] = field(default_factory=list)


def planned(writes: list[Write], refused: str | None = None) -> ClusterOutcome:
    if refused:
        return ClusterOutcome("refused", f"not merged: {refused}")
    return ClusterOutcome("planned", "", [Sent(w) for w in writes])


def merge_cluster(executor: WriteExecutor, writes: list[Write],
                  remember: Mapping[str, Any] | None,
                  before: Mapping[str, Mapping[str, Any]]) -> ClusterOutcome:
    """Send `writes` (from `merge_writes`); `remember` is what `written` keeps for the
    master (its values stay the user's), `before` the planned data of the other items."""
    sent = {id(w): Sent(w, "not sent") for w in writes}
    master = writes[0]
    if master.step != MASTER:
        raise ValueError("a merge starts with the master")
    [first] = _send(executor, [master], {master.key: dict(remember or {})})
    _note(sent[id(master)], first)
    out = ClusterOutcome("merged", "", list(sent.values()))
    if first.status == "needs_replan":
        out.status, out.message = "skipped", f"{master.key} {CHANGED}; nothing was written"
        return out
    if first.status not in OK:
        out.status = "failed"
        out.message = f"the master {master.key} was not updated ({_why(first)}); " \
                      "nothing was written"
        return out
    moves = [w for w in writes if w.step in (MOVE, RELATION)]
    held: dict[str, str] = {}
    for w, outcome in zip(moves, _resent(executor, moves, before), strict=True):
        _note(sent[id(w)], outcome)
        if outcome.status not in OK:
            for other in w.holds:
                held.setdefault(other, f"{w.key} {_why(outcome)}")
    trash = [w for w in writes if w.step == TRASH and w.key not in held]
    for w, outcome in zip(trash, _trash(executor, trash, before), strict=True):
        _note(sent[id(w)], outcome)
        if outcome.status in OK:
            out.trashed.append(w.key)
        else:
            held[w.key] = f"{w.key} {_why(outcome)}"
    for w in writes:
        if w.step == TRASH and w.key in held and sent[id(w)].status == "not sent":
            sent[id(w)].message = f"kept out of the trash: {held[w.key]}"
    if held:
        out.status = "partial"
        out.message = ("master updated, but not moved to the trash: " + "; ".join(
            f"{k} ({why})" for k, why in held.items()) + "; run again to finish")
    return out


def _send(executor: WriteExecutor, writes: list[Write],
          remember: Mapping[str, dict[str, Any]] | None = None) -> list[ObjectOutcome]:
    if not writes:
        return []
    remember = remember or {}
    result = executor.apply([PlannedWrite(dict(w.payload), ref=f"merge:{w.key}",
                                          remember=remember.get(w.key)) for w in writes],
                            "update")
    by_key = {o.key: o for o in result.outcomes}
    return [by_key.get(w.key) or ObjectOutcome(w.key, "failed", message="no answer")
            for w in writes]


def _trash(executor: WriteExecutor, writes: list[Write],
           before: Mapping[str, Mapping[str, Any]]) -> list[ObjectOutcome]:
    return _resent(executor, writes, before)


def _resent(executor: WriteExecutor, writes: list[Write],
            before: Mapping[str, Mapping[str, Any]]) -> list[ObjectOutcome]:
    """Send `writes`; one refused (412) only because its version moved, with its content
    as planned, is sent again at the new version. The master's new `dc:relation` moves
    the related items' versions on the server (relations are two-way there): such an item
    differs only by the reverse relation, which the resend keeps."""
    outcomes = _send(executor, writes)
    again = [(n, w) for n, (w, o) in enumerate(zip(writes, outcomes, strict=True))
             if o.status == "needs_replan" and o.current is not None
             and _content(o.current) == _content(before.get(w.key, {}))]
    if again:
        retried = [Write(w.step, w.key, _at_new_version(w.payload, outcomes[n],
                                                        before.get(w.key, {})),
                         w.summary, w.holds) for n, w in again]
        for (n, _), outcome in zip(again, _send(executor, retried), strict=True):
            outcomes[n] = outcome
    return outcomes


def _at_new_version(payload: Mapping[str, Any], outcome: ObjectOutcome,
                    before: Mapping[str, Any]) -> dict[str, Any]:
    """The write again at the object's new version; where it sets relations, the ones the
    server added meanwhile are kept beside the planned ones."""
    out = {**payload, "version": outcome.version}
    if "relations" in payload and outcome.current is not None:
        added = _minus(_pairs(outcome.current.get("relations")), _pairs(before.get("relations")))
        out["relations"] = _grouped([*_pairs(payload["relations"]), *added])
    return out


def _pairs(relations: Any) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for predicate, objects in dict(relations or {}).items():
        for obj in [objects] if isinstance(objects, str) else list(objects):
            out.append((predicate, obj))
    return out


def _minus(a: list[tuple[str, str]], b: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [pair for pair in a if pair not in set(b)]


def _grouped(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for predicate, obj in dict.fromkeys(pairs):
        out.setdefault(predicate, []).append(obj)
    return out


def _content(data: Mapping[str, Any]) -> dict[str, Any]:
    """What a user would call the object's content: not its version, dates, trash flag,
    nor the relations the server adds on its own."""
    return {k: v for k, v in data.items() if k not in _NOT_CONTENT}


def _note(entry: Sent, outcome: ObjectOutcome) -> None:
    entry.status = outcome.status
    entry.message = "" if outcome.status in OK else _why(outcome)


def _why(outcome: ObjectOutcome) -> str:
    if outcome.status == "needs_replan":
        return CHANGED if outcome.code != 404 else "was deleted in Zotero (HTTP 404)"
    code = f"HTTP {outcome.code}: " if outcome.code else ""
    return f"failed ({code}{outcome.message or 'no reason given'})"
