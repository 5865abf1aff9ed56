"""The display texts of VuFind record pages, in the languages zsync reads.

Label texts follow VuFind's `languages/*.ini` (en, es, de, fr, pt, pt-br, it, nl) and the
variants real deployments show. Every text is looked up after `normalise_label`.
"""

from __future__ import annotations

import unicodedata


def _terms(text: str) -> tuple[str, ...]:
    return tuple(term for term in text.split("|") if term)


# Label of a field shown as "Label: value" (or with the value on the following lines),
# by the kind of value it holds.
_FIELD_LABELS: dict[str, str] = {
    "authors": (
        "main authors|main author|author|authors|autores principales|autor principal|"
        "autor|autores|hauptverfasser|1. verfasser|verfasser|verfasserin|verfasser/in|"
        "auteur principal|auteurs principaux|auteur|auteurs|principais autores|"
        "autores principais|autore principale|autori principali|autore|autori|"
        "hoofdauteur|hoofdauteurs|auteur(s)"
    ),
    "other_authors": (
        "other authors|contributors|otros autores|colaboradores|weitere verfasser|"
        "beteiligte|weitere beteiligte|autres auteurs|outros autores|altri autori|"
        "andere auteurs|overige auteurs"
    ),
    "corporate": (
        "corporate author|corporate authors|autor corporativo|autores corporativos|"
        "körperschaft|körperschaften|körperschaftlicher verfasser|auteur collectif|"
        "auteurs collectifs|collectivité|autor coletivo|autor institucional|"
        "autores coletivos|ente|enti|autore ente|corporatieve auteur|corporatie"
    ),
    "format": (
        "format|formato|formaat|natura|document type|tipo de documento|dokumenttyp|"
        "medientyp|type de document|tipo|publication type|tipo de publicación|"
        "publikationsart"
    ),
    "language": "language|lenguaje|idioma|sprache|langue|lingua|taal",
    "published": (
        "published|publicado|veröffentlicht|publié|pubblicazione|pubblicato|publication|"
        "publicación|publicação|publicatie|publisher|verlag|éditeur|editore|uitgever|"
        "editora|published by|erschienen|ort/verlag|impressum"
    ),
    "date": (
        "publication date|year of publication|publication year|fecha de publicación|"
        "año de publicación|erscheinungsjahr|publikationsdatum|publikationsjahr|"
        "année de publication|data de publicação|ano de publicação|"
        "anno di pubblicazione|data di pubblicazione|publicatiejaar|publicatiedatum"
    ),
    "published_in": (
        "published in|publicado en|veröffentlicht in|publié dans|publicado no|"
        "publicado na|pubblicato in|contained in|enthalten in|contenido en|contido em|"
        "fait partie de|fa parte di|deel van|journal title|título de revista|"
        "zeitschriftentitel|titre de périodique|título do periódico|"
        "titolo del periodico|titel tijdschrift|in|source|fuente|quelle|is part of|"
        "ist teil von"
    ),
    # VuFind's pt/pt-br say "Publicado em" for Published; nl uses "Gepubliceerd in" for both.
    "published_ambiguous": "publicado em|gepubliceerd in|gepubliceerd",
    "subjects": (
        "subjects|subject|subject(s)|topics|materias|materia|tópicos|schlagworte|"
        "schlagwörter|schlagwort|sujets|sujet|assuntos|assunto|soggetti|soggetto|"
        "onderwerpen|onderwerp|mesh terms|términos mesh"
    ),
    "online": (
        "online access|acceso en línea|acceso en linea|online-zugang|online zugang|"
        "accès en ligne|acesso em linha|acesso online|accesso online|online toegang|"
        "online|url|links|link|volltext|full text|texto completo"
    ),
    "series": "series|serie|schriftenreihe|reihe|collection|coleção|reeks",
    "edition": ("edition|edición|ausgabe|auflage|édition|edição|edizione|editie"),
    "physical": (
        "physical description|descripción física|umfang|description physique|"
        "descrição física|descrizione fisica|fysieke beschrijving|beschreibung"
    ),
    "isbn": "isbn",
    "issn": "issn|e-issn|eissn",
    "doi": "doi",
    "pmid": "pmid|pubmed id",
    "pmcid": "pmcid",
    "summary": (
        "summary|abstract|resumen|sumario|zusammenfassung|sommaire|résumé|resumo|"
        "riassunto|samenvatting"
    ),
    "ignore": (
        "tags|etiquetas|tag|étiquettes|notes|note|notas|anmerkungen|anmerkung|"
        "observações|aantekeningen|saved in|guardado en|gespeichert in|enregistré dans|"
        "na minha lista|salvo em|salvato in|bewaard in|related items|"
        "ejemplares relacionados|ähnliche datensätze|awards|production credits|audience|"
        "bibliography|access|acceso|zugang|item description|call number|signatur|"
        "location|standort|holdings|exemplare|status"
    ),
}

# Lines that stand alone: section headings, tabs and buttons of a record page.
_HEADINGS = _terms(
    "bibliographic details|detalles bibliográficos|bibliographische detailangaben|"
    "détails bibliographiques|detalhes bibliográficos|dettagli bibliografici|"
    "bibliografische gegevens|bibliografische details|full description|"
    "descripción completa|ausführliche beschreibung|description complète|"
    "ver descrição completa|descrição completa|descrizione completa|"
    "volledige beschrijving|staff view|vista equipo|vista staff|vista del personal|"
    "internformat|affichage marc|vue professionnelle|registro fonte|vista do staff|"
    "marc21|marc|personeel|record in the search index|description|descripción|"
    "beschreibung|descrição|descrizione|beschrijving|details|holdings|comments|reviews|"
    "similar items|table of contents|export record|cite this|text this|email this|print|"
    "save to list|permanent link|add to book bag|tags: add tag|"
    "etiquetas: agregar etiqueta|tags: tag hinzufügen|details anzeigen|exemplare|"
    "ähnliche einträge|ejemplares similares|existencias|comentarios|citar|imprimir"
)
_LOADING = _terms(
    "loading|cargando|wird geladen|chargement en cours|chargement|carregando|a carregar|"
    "caricamento|wordt geladen|laden|bezig met laden"
)
_NO_TAGS = _terms(
    "no tags|sin etiquetas|keine tags|pas de tags|aucun tag|sem tags|nessun tag|"
    "geen labels|geen tags|add tag|agregar etiqueta|tag hinzufügen"
)
# Label texts no Markdown note would use: they tell a VuFind page apart.
VUFIND_SPECIFIC = frozenset(
    _terms(
        "1. verfasser|acceso en línea|accesso online|accès en ligne|acesso em linha|"
        "altri autori|andere auteurs|auteur principal|auteurs principaux|"
        "autor corporativo|autor principal|autore principale|autores principales|"
        "autori principali|autres auteurs|corporate author|gepubliceerd in|"
        "hauptverfasser|hoofdauteur|hoofdauteurs|körperschaft|lenguaje|main author|"
        "main authors|materias|online access|online toegang|online zugang|online-zugang|"
        "other authors|otros autores|outros autores|principais autores|pubblicato in|"
        "publicado em|publicado en|publicado no|published in|publié dans|schlagworte|"
        "veröffentlicht in|weitere verfasser"
    )
)


def normalise_label(text: str) -> str:
    """Lower case, NFC, single spaces, without the colon and ellipsis around it."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text).replace("…", "...")
    text = " ".join(text.split()).rstrip(":").rstrip().rstrip(".").rstrip()
    return text.casefold()


FIELD_LABELS: dict[str, str] = {
    label: kind for kind, labels in _FIELD_LABELS.items() for label in _terms(labels)
}
HEADINGS = frozenset(_HEADINGS)
LOADING = frozenset(_LOADING)


_LOADING_INITIALS = frozenset(term[0] for term in LOADING)


def is_loading(line: str) -> bool:
    """A record page's first line, e.g. `Loading...` or `Cargando…`."""
    start = line.lstrip()[:1].lower()
    return start in _LOADING_INITIALS and len(line) < 40 and normalise_label(line) in LOADING


def is_boilerplate(line: str) -> bool:
    """Headings, tabs and tag prompts: lines that carry no bibliographic value."""
    return is_boilerplate_label(normalise_label(line))


def is_boilerplate_label(norm: str) -> bool:
    """`is_boilerplate` for a text already passed through `normalise_label`."""
    return norm in HEADINGS or norm.startswith(_NO_TAGS)


def field_kind(label: str) -> str | None:
    return FIELD_LABELS.get(normalise_label(label))
