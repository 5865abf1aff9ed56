"""Field names of the raw Solr record a VuFind staff view prints, and where a field starts.

The staff view (`staffviewarray`) prints each field as its name, the first value on the
same line and further values on the following lines. A line starts a new field when its
first token is a known field name (VuFind's biblio `schema.xml`, common local fields and
Primo Central / BVB fields), or an unknown token that can only be a Solr field name
(`snake_case`, `camelCase`, `name2`) and keeps the alphabetical order VuFind prints in.
"""

from __future__ import annotations

from zsync.model.patterns import lazy


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split(" ")) - {""}


SCHEMA_FIELDS = _names(
    "_version_ id fullrecord marc_error allfields allfields_unstemmed fulltext "
    "fulltext_unstemmed spelling spellingShingle institution collection building language "
    "format author author_variant author_role author_facet author_sort title title_sort "
    "title_sub title_short title_full title_full_unstemmed title_fullStr title_auth "
    "physical publisher publisherStr publishDate publishDateSort edition description "
    "contents url thumbnail lccn ctrlnum isbn issn oclc_num callnumber-first "
    "callnumber-subject callnumber-label callnumber-sort callnumber-raw callnumber-search "
    "dewey-hundreds dewey-tens dewey-ones dewey-full dewey-sort dewey-raw dewey-search "
    "author2 author2_variant author2_role author_corporate author_corporate_role "
    "author_fuller author2_fuller author_additional title_alt title_old title_new "
    "dateSpan series series2 topic topic_unstemmed topic_facet topic_browse author_browse "
    "genre genre_facet geographic geographic_facet era era_facet illustrated long_lat "
    "long_lat_display long_lat_label container_title container_volume container_issue "
    "container_start_page container_end_page container_reference hierarchytype "
    "hierarchy_top_id hierarchy_top_title hierarchy_parent_id hierarchy_parent_title "
    "hierarchy_sequence is_hierarchy_id is_hierarchy_title title_in_hierarchy "
    "hierarchy_browse recordtype first_indexed last_indexed record_format "
    "work_keys_str_mv doi_str_mv score"
)
# Primo Central / CDI fields as BVB-style VuFind instances print them, and other locals.
OTHER_FIELDS = _names(
    "creator contributor identifier ispartof recordid doi pmid pmcid eissn eisbn addtitle "
    "subject date creationdate startdate risdate volume issue spage epage pages atitle "
    "jtitle btitle stitle au aulast aufirst rsrctype ristype cop pub oa sourceid "
    "sourcerecordid sourcetype sourceformat sourcesystem abstract snippet keyword "
    "keywords lang3 type source relation rights notes summary mesh publication_type "
    "peer_reviewed"
)
KNOWN_FIELDS = SCHEMA_FIELDS | OTHER_FIELDS
# Fields whose values are running text: a wrapped line there may begin with any word.
FREE_TEXT = _names(
    "description contents spelling spellingShingle abstract fulltext allfields notes "
    "summary snippet fullrecord"
)
# Long single values a note editor may hard-wrap.
WRAPPABLE = FREE_TEXT | _names(
    "title title_full title_short title_sub title_alt title_full_unstemmed container_title "
    "container_reference ispartof"
)
# Fields that appear once per Solr document: a second one starts the next record.
KEY_FIELDS = frozenset({"_version_", "id", "recordid", "fullrecord"})

_TOKEN = lazy(r"([A-Za-z_][A-Za-z0-9_\-]*)(?:\s+(.*))?$")
_CAMEL = lazy(r"[a-z]{3,}[A-Z]")
_NUMBERED = lazy(r"[a-z]{3,}\d+$")
_PROSE_WORDS = 6
_SENTENCE_END = (".", "!", "?", ":", ";", ")", "]", '"', "”")


def split_field_line(line: str) -> tuple[str, str] | None:
    """(name, first value) when `line` has the shape `name value`, else None."""
    match = _TOKEN.match(line)
    if not match:
        return None
    return match.group(1), (match.group(2) or "").strip()


def looks_like_field_name(name: str) -> bool:
    """A token only a Solr schema would use: `snake_case`, `camelCase`, `series2`."""
    if not (name[0].islower() or name[0] == "_") or "-" in name:
        return False
    return "_" in name or bool(_CAMEL.match(name) or _NUMBERED.match(name))


def starts_field(
    name: str, value: str, current: str | None, previous_line: str, ordered: bool
) -> bool:
    """Whether a `name value` line inside a dump starts a field (else it continues one).

    Plain words that are also field names (`language`, `format`, `topic`) may begin a
    wrapped line of running text or of a long title. There, a line that reads as prose
    continues the value unless it keeps VuFind's alphabetical field order, is short and
    (in running text) follows the end of a sentence.
    """
    known = name in KNOWN_FIELDS
    if not known and not looks_like_field_name(name):
        return False
    if current is None:
        return True
    in_order = name > current or name in KEY_FIELDS
    if not known:
        return in_order or not ordered
    if _strong(name) or current not in WRAPPABLE or not _prose(value):
        return True
    if (ordered and not in_order) or len(value.split()) >= _PROSE_WORDS:
        return False
    return current not in FREE_TEXT or previous_line.rstrip().endswith(_SENTENCE_END)


def _prose(value: str) -> bool:
    """Words of a sentence ('barriers were seen'), not a value ('eng', 'pubmed-1')."""
    words = value.split()
    return len(words) >= 2 and words[0].isalpha() and words[0].islower()


def _strong(name: str) -> bool:
    return "_" in name or any(c.isupper() or c.isdigit() for c in name)


def is_record_restart(name: str, seen: set[str], current: str | None) -> bool:
    """A field already printed for this record, where the order starts again."""
    if name not in seen:
        return False
    return name in KEY_FIELDS or current is None or name < current


def is_dump_start(line: str) -> bool:
    """A line that can open a Solr dump: a known field name followed by a value."""
    parts = split_field_line(line)
    return bool(parts and parts[0] in KNOWN_FIELDS and parts[1])
