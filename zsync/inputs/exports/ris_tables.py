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

_ROLES: dict[str, tuple[str | None, dict[str, str | None]]] = {
    # tag: (role for types not listed, {item type: role}); None: the tag names no creator
    # for that type (a field, or nothing Zotero keeps: EndNote's "Performers" of a film)
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
        None,
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
        None,
        {
            "thesis": "contributor",
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
        {"conferencePaper": "contributor", "film": "contributor", "dataset": "contributor",
         "case": "counsel", "patent": None},
    ),
    "ED": ("editor", {}),
    "C1": (None, {"radioBroadcast": "castMember", "tvBroadcast": "castMember",
                  "videoRecording": "castMember"}),
    "C2": (None, {"bookSection": "bookAuthor", "blogPost": "commenter"}),
    "C4": (None, {"audioRecording": "wordsBy", "patent": "attorneyAgent"}),
}


def creator_role(tag: str, item_type: str, edited_book: bool = False) -> str | None:
    """The Zotero creator type of names under `tag` (A1 is AU); None to skip the tag."""
    if tag == "A1":
        tag = "AU"
    if edited_book and tag == "AU":
        return "editor"  # EndNote's EDBOOK lists the editors as authors
    default, by_type = _ROLES.get(tag, (None, {}))
    return by_type.get(item_type, default)

# Tags whose field depends on the item type: tag -> {item type: Zotero field}, with "*" for
# every type not listed. Listed in the order they are applied (the first value a field gets
# is kept): the tags of the RIS specification first, then the ones only some exporters write
# (EndNote's M1, RefMan's AV, ProCite's labelled notes) as fall-backs.
_NUMBER_FIELDS = {"bill": "billNumber", "hearing": "documentNumber", "statute": "publicLawNumber",
                  "podcast": "episodeNumber", "radioBroadcast": "episodeNumber",
                  "tvBroadcast": "episodeNumber"}
TYPED_FIELDS: tuple[tuple[str, dict[str, str]], ...] = (
    ("T2", {"bill": "code", "statute": "code", "hearing": "committee",
            "radioBroadcast": "programTitle", "tvBroadcast": "programTitle",
            "presentation": "meetingName", "forumPost": "forumTitle"}),
    ("T3", {"hearing": "legislativeBody", "bill": "legislativeBody"}),
    ("A2", {"case": "reporter", "patent": "issuingAuthority"}),
    ("C1", {"patent": "filingDate", "map": "scale"}),
    ("C3", {"artwork": "artworkSize", "patent": "country"}),
    ("C4", {"film": "genre"}),
    ("C5", {"patent": "references", "audioRecording": "audioRecordingFormat",
            "radioBroadcast": "audioRecordingFormat", "film": "videoRecordingFormat",
            "tvBroadcast": "videoRecordingFormat", "videoRecording": "videoRecordingFormat"}),
    ("C6", {"patent": "legalStatus"}),
    ("PB", {"case": "court"}),
    ("ET", {"bill": "session", "hearing": "session", "statute": "session",
            "computerProgram": "versionNumber", "dataset": "versionNumber"}),
    ("LA", {"computerProgram": "programmingLanguage"}),
    ("M1", {"book": "seriesNumber", "computerProgram": "system",
            "patent": "applicationNumber", **_NUMBER_FIELDS}),
    ("M3", {"manuscript": "manuscriptType", "map": "mapType", "report": "reportType",
            "thesis": "thesisType", "blogPost": "websiteType", "webpage": "websiteType",
            "forumPost": "postType", "letter": "letterType", "interview": "interviewMedium",
            "presentation": "presentationType", "artwork": "artworkMedium",
            "podcast": "audioFileType"}),
    ("NV", {"*": "numberOfVolumes", "dataset": "identifier", "bookSection": ""}),
    ("OP", {"hearing": "history", "statute": "history", "bill": "history", "case": "history",
            "patent": "priorityNumbers"}),
    ("SE", {"*": "section", "case": ""}),
    ("SV", {"bookSection": "seriesNumber", "case": "docketNumber"}),
    ("IS", {"bookSection": "numberOfVolumes", "dataset": "versionNumber"}),
    ("VL", {"statute": "codeNumber", "bill": "codeVolume", "case": "reporterVolume"}),
    ("SP", {"bill": "codePages", "case": "firstPage", "film": "runningTime"}),
    ("CR", {"*": "rights"}),
    ("AV", {"*": "archiveLocation"}),
    ("M1", {"bookSection": "numberOfVolumes"}),
)

