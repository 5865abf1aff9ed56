"""Zotero's RIS import tables: TY type words and the creator role of each author tag."""

from __future__ import annotations

# TY -> Zotero item type, as Zotero's RIS translator imports them (its export types plus the
# degenerate EndNote/RefMan/ProCite types; unknown types default to journalArticle there).
TYPES = {
    "ABST": "journalArticle",
    "ADVS": "film",
    "AGGR": "document",
    "ANCIENT": "document",
    "ART": "artwork",
    "BILL": "bill",
    "BLOG": "blogPost",
    "BOOK": "book",
    "CASE": "case",
    "CHAP": "bookSection",
    "CHART": "artwork",
    "CLSWK": "book",
    "COMP": "computerProgram",
    "CONF": "conferencePaper",
    "CPAPER": "conferencePaper",
    "CTLG": "magazineArticle",
    "DATA": "dataset",
    "DBASE": "dataset",
    "DICT": "dictionaryEntry",
    "EBOOK": "book",
    "ECHAP": "bookSection",
    "EDBOOK": "book",
    "EJOUR": "journalArticle",
    "ELEC": "webpage",
    "ENCYC": "encyclopediaArticle",
    "EQUA": "document",
    "FIGURE": "artwork",
    "GEN": "journalArticle",
    "GOVDOC": "report",
    "GRNT": "document",
    "HEAR": "hearing",
    "ICOMM": "email",
    "INPR": "manuscript",
    "JFULL": "journalArticle",
    "JOUR": "journalArticle",
    "LEGAL": "case",
    "MANSCPT": "manuscript",
    "MAP": "map",
    "MGZN": "magazineArticle",
    "MPCT": "film",
    "MULTI": "videoRecording",
    "MUSIC": "audioRecording",
    "NEWS": "newspaperArticle",
    "PAMP": "manuscript",
    "PAT": "patent",
    "PCOMM": "letter",
    "RPRT": "report",
    "SER": "book",
    "SLIDE": "presentation",
    "SOUND": "audioRecording",
    "STAND": "report",
    "STAT": "statute",
    "THES": "thesis",
    "UNBILL": "manuscript",
    "UNPD": "manuscript",
    "VIDEO": "videoRecording",
    "WEB": "webpage",
    "PREPRINT": "preprint",  # not in the RIS spec; written by a few exporters
}

# Types whose T2 is the container (journal, book, website, ...) and those whose T2 is a series.
CONTAINER_T2 = frozenset(
    {
        "journalArticle",
        "magazineArticle",
        "newspaperArticle",
        "bookSection",
        "blogPost",
        "dictionaryEntry",
        "encyclopediaArticle",
        "forumPost",
        "webpage",
        "preprint",
    }
)
SERIES_T2 = frozenset({"book", "report", "map", "computerProgram"})

_ROLES: dict[str, tuple[str | None, dict[str, str]]] = {
    # tag: (role for types not listed, {item type: role})
    "AU": (
        "author",
        {
            "artwork": "artist",
            "map": "cartographer",
            "audioRecording": "composer",
            "film": "director",
            "radioBroadcast": "director",
            "tvBroadcast": "director",
            "videoRecording": "director",
            "interview": "interviewee",
            "patent": "inventor",
            "podcast": "podcaster",
            "computerProgram": "programmer",
        },
    ),
    "A2": (
        "contributor",
        {
            "journalArticle": "editor",
            "bookSection": "editor",
            "conferencePaper": "editor",
            "dictionaryEntry": "editor",
            "document": "editor",
            "encyclopediaArticle": "editor",
            "book": "seriesEditor",
            "report": "seriesEditor",
            "bill": "sponsor",
            "audioRecording": "performer",
            "presentation": "presenter",
            "interview": "interviewer",
            "email": "recipient",
            "letter": "recipient",
        },
    ),
    "A3": (
        "contributor",
        {
            "book": "editor",
            "bookSection": "seriesEditor",
            "conferencePaper": "seriesEditor",
            "dictionaryEntry": "seriesEditor",
            "encyclopediaArticle": "seriesEditor",
            "map": "seriesEditor",
            "bill": "cosponsor",
            "film": "producer",
            "videoRecording": "producer",
            "tvBroadcast": "producer",
            "radioBroadcast": "producer",
        },
    ),
    "A4": (
        "translator",
        {"conferencePaper": "contributor", "film": "contributor", "dataset": "contributor"},
    ),
    "ED": ("editor", {}),
    "C2": (None, {"bookSection": "bookAuthor"}),
}


def creator_role(tag: str, item_type: str, edited_book: bool = False) -> str | None:
    """The Zotero creator type of names under `tag` (A1 is AU); None to skip the tag."""
    if tag == "A1":
        tag = "AU"
    if edited_book and tag == "AU":
        return "editor"  # EndNote's EDBOOK lists the editors as authors
    default, by_type = _ROLES.get(tag, (None, {}))
    return by_type.get(item_type, default)
