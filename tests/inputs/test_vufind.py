"""VuFind record pages, Solr staff-view dumps and MARC staff views, in several languages."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from zsync.inputs.vufind import parser as vufind
from zsync.model.itemtypes import with_item_type
from zsync.model.records import EDITOR, Record

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT.parent / "shared" / "examples"
SEED = ROOT / "seeds" / "vufind-es-hinder-2021-knowledge-sharing.txt"


def one(text: str) -> Record:
    assert vufind.sniff(text)
    records = vufind.parse(text, "note.txt")
    assert len(records) == 1
    return records[0]


def families(record: Record) -> list[str | None]:
    return [c.family or c.name for c in record.creators]


# --- the seed and the shared examples -----------------------------------------------------


def test_seed_spanish_page_with_solr_fields() -> None:
    record = one(SEED.read_text(encoding="utf-8"))
    assert record.ids.doi == "10.1371/journal.pone.0255220"
    assert record.ids.pmid == "34339429"
    assert record.ids.pmcid == "PMC8328305"
    assert record.title == (
        "Promoting inter-organisational knowledge sharing: A qualitative evaluation of "
        "England’s Global Digital Exemplar and Fast Follower Programme"
    )
    assert len(record.creators) == 12
    assert record.creators[0].family == "Hinder" and record.creators[0].given == "Susan"
    assert record.creators[-1].family == "Williams" and record.creators[-1].given == "Robin"
    nguyen = record.creators[5]
    assert (nguyen.family, nguyen.given) == ("The Nguyen", "Hung")
    assert record.year == 2021
    assert record.container == "PLoS One"
    assert record.language == "English"
    assert record.item_type == "journalArticle"
    assert record.tags == () and record.status is None


def _expected() -> list[dict[str, Any]]:
    path = EXAMPLES / "EXPECTED.jsonl"
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return [r for r in rows if any(f.startswith("vufind-") for f in r["files"])]


def _norm_title(title: str | None) -> str:
    text = unicodedata.normalize("NFC", title or "").casefold()
    text = " ".join(text.replace("–", "-").replace("—", "-").split())
    return text[:-1] if text.endswith(".") else text


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not available")
@pytest.mark.parametrize("row", _expected(), ids=lambda r: r["id"])
def test_shared_examples_match_expected(row: dict[str, Any]) -> None:
    text = (EXAMPLES / row["files"][0]).read_text(encoding="utf-8")
    assert vufind.sniff(text)
    record = with_item_type(vufind.parse(text, row["files"][0])[row.get("position", 1) - 1])
    for kind in row["in_note"]:
        assert getattr(record.ids, kind) == row[kind], kind
    titles = [row["title"], *row.get("also_acceptable", {}).get("title", [])]
    assert _norm_title(record.title) in {_norm_title(t) for t in titles}
    years = [row["year"], *row.get("also_acceptable", {}).get("year", [])]
    assert record.year in years
    assert record.first_author is not None
    assert record.first_author.sort_name == row["first_author_family"]
    assert record.item_type == row["item_type"]
    assert record.status is None and list(record.tags) == row["tags"] == []


@pytest.mark.skipif(not EXAMPLES.exists(), reason="shared examples not available")
def test_sniff_claims_only_vufind_examples() -> None:
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix in (".md", ".org", ".txt"):
            text = path.read_text(encoding="utf-8")
            assert vufind.sniff(text) == path.name.startswith("vufind-"), path.name
    markdown_seed = ROOT / "seeds" / "markdown-bullets-fredriksen-2021-volunteers.txt"
    if markdown_seed.exists():
        assert not vufind.sniff(markdown_seed.read_text(encoding="utf-8"))


# --- display pages in several languages ---------------------------------------------------

ES_GLUED = """Cargando…

Why Most Published Research Findings Are False

The chance that a claimed research finding is true depends on ...

Descripción completa

Detalles Bibliográficos
Autores principales: Ioannidis, John P. A
Formato: Online Artículo Texto
Lenguaje:English
Publicado: Public Library of Science 2005
Materias: Essay
Acceso en línea:https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1182327/
https://www.ncbi.nlm.nih.gov/pubmed/16060722
http://dx.doi.org/10.1371/journal.pmed.0020124
"""


def test_spanish_glued_labels_and_continued_urls() -> None:
    record = one(ES_GLUED)
    assert record.title == "Why Most Published Research Findings Are False"
    assert (record.ids.doi, record.ids.pmid) == ("10.1371/journal.pmed.0020124", "16060722")
    assert record.ids.pmcid == "PMC1182327"
    assert families(record) == ["Ioannidis"]
    assert record.creators[0].given == "John P. A"
    assert (record.year, record.publisher, record.language) == (
        2005,
        "Public Library of Science",
        "English",
    )
    assert record.item_type == "journalArticle"
    assert record.keywords == ()  # "Essay" is PubMed Central's article type, not a subject
    assert record.abstract is None  # the page shows only a truncated snippet


EN_LABEL_NEXT_LINE = """Loading...

A randomized trial of something

Bibliographic Details
Main Authors
Smith, John
Doe, Jane
Format
Article
Published in
The Lancet 395(10223), 497-506
Online Access
https://doi.org/10.1016/S0140-6736(20)30183-5
https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7159299/
Tags: Add Tag
No Tags, Be the first to tag this record!
"""


def test_english_labels_with_values_on_following_lines() -> None:
    record = one(EN_LABEL_NEXT_LINE)
    assert families(record) == ["Smith", "Doe"]
    assert record.container == "The Lancet"
    assert (record.volume, record.issue, record.pages) == ("395", "10223", "497-506")
    assert record.ids.doi == "10.1016/s0140-6736(20)30183-5"
    assert record.ids.pmcid == "PMC7159299" and record.ids.pmid is None
    assert record.item_type == "journalArticle"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Chargement en cours...\n\nLes déterminants sociaux : une revue\n\n"
            "Description complète\n\nAuteur principal: Dupont, Jean-Pierre\n"
            "Autres auteurs: Martin, Claire (éditeur)\nLangue : anglais\n"
            "Publié: Elsevier Masson 2019\nPublié dans:La Presse Médicale 48(3), 245-250\n"
            "Sujets:\nSanté publique\nAccès en ligne:https://doi.org/10.1016/j.lpm.2019.01.001\n",
            (
                "Les déterminants sociaux: une revue",
                ["Dupont", "Martin"],
                2019,
                "La Presse Médicale",
                "10.1016/j.lpm.2019.01.001",
            ),
        ),
        (
            "Carregando…\n\nDesigualdades no acesso a serviços de saúde\n\n"
            "Detalhes bibliográficos\nPrincipais autores: Silva, João Carlos, Souza, Maria\n"
            "Formato: Online Artigo Texto\nIdioma:Português\n"
            "Publicado em: Fundação Oswaldo Cruz 2018\n"
            "Publicado no: Cadernos de Saúde Pública 34(2), e00012317\n"
            "Acesso em linha:\nhttps://doi.org/10.1590/0102-311X00012317\n",
            (
                "Desigualdades no acesso a serviços de saúde",
                ["Silva", "Souza"],
                2018,
                "Cadernos de Saúde Pública",
                "10.1590/0102-311x00012317",
            ),
        ),
        (
            "Wird geladen\n\nEin Titel über Telemedizin\n\nAusführliche Beschreibung\n\n"
            "Bibliographische Detailangaben\n"
            "Veröffentlicht in:Zeitschrift für Evidenz 2020-03, Vol.12 (3), p.101-109\n"
            "Hauptverfasser: Müller, Anna, van der Berg, Jan\nFormat: Aufsatz\n"
            "Sprache:ger\nOnline-Zugang:https://doi.org/10.1016/j.zefq.2020.01.002\n",
            (
                "Ein Titel über Telemedizin",
                ["Müller", "van der Berg"],
                2020,
                "Zeitschrift für Evidenz",
                "10.1016/j.zefq.2020.01.002",
            ),
        ),
        (
            "Caricamento...\n\nSalute digitale e cure primarie\n\n"
            "Autori principali: Rossi, Mario, Bianchi, Laura\nNatura: Articolo\n"
            "Lingua: Italiano\nPubblicato in: Recenti Progressi in Medicina 111(4), 200-205\n"
            "Accesso online: https://doi.org/10.1701/3347.33180\n",
            (
                "Salute digitale e cure primarie",
                ["Rossi", "Bianchi"],
                None,
                "Recenti Progressi in Medicina",
                "10.1701/3347.33180",
            ),
        ),
        (
            "Wordt geladen\n\nZorg op afstand\n\nHoofdauteurs: de Vries, Anne, Jansen, Piet\n"
            "Formaat: Artikel\nTaal: Nederlands\nGepubliceerd in: Bohn Stafleu 2019\n"
            "Gepubliceerd in: Huisarts en Wetenschap 62(5), 30-33\n"
            "Online toegang: https://doi.org/10.1007/s12445-019-0123-4\n",
            (
                "Zorg op afstand",
                ["de Vries", "Jansen"],
                2019,
                "Huisarts en Wetenschap",
                "10.1007/s12445-019-0123-4",
            ),
        ),
    ],
    ids=["fr", "pt-br", "de", "it", "nl"],
)
def test_display_pages_in_other_languages(text: str, expected: tuple[Any, ...]) -> None:
    title, names, year, container, doi = expected
    record = one(text)
    assert record.title == title
    assert families(record) == names
    assert record.year == year
    assert record.container == container
    assert record.ids.doi == doi
    assert record.tags == () and record.status is None


def test_french_role_in_parentheses_makes_an_editor() -> None:
    record = one(
        "Chargement en cours...\n\nTitre\n\nAuteur principal: Dupont, Jean\n"
        "Autres auteurs: Martin, Claire (éditeur)\nLangue: français\nPublié: Dunod 2001\n"
    )
    assert [c.role for c in record.creators] == ["author", EDITOR]


def test_corporate_author_is_an_organisation() -> None:
    record = one(
        "Cargando…\n\nInforme mundial sobre la salud 2008\n\nDetalles Bibliográficos\n"
        "Autor Corporativo: Organización Mundial de la Salud\nFormato: Libro\n"
        "Lenguaje:Spanish\nPublicado: OMS 2008\n"
    )
    author = record.creators[0]
    assert author.is_organisation and author.name == "Organización Mundial de la Salud"
    assert (record.item_type, record.year, record.publisher) == ("book", 2008, "OMS")


# --- raw Solr fields of the staff view ----------------------------------------------------

SOLR_DUMP = """Staff View
_version_ 1700000000000000000
author Sieverink, Floor
van Gemert-Pijnen, Julia EWC
author2 Kuhl, Julius
author2_role edt
author_corporate World Health Organization
description Participants described language
barriers that hindered use of the portal.
language barriers were reported most often by older users.
doi_str_mv 10.2196/JMIR.8578
format Book Chapter
id pubmed-1234567
language eng
publishDate 2016
spelling pubmed-1234567 Barriers to portal use Sieverink, Floor
title Barriers to portal use /
title_full Barriers to portal use / Floor Sieverink
topic Patient portals
Adherence
url https://example.org/record/1
"""


def test_article_types_of_pmc_records_are_not_subjects() -> None:
    pmc = ES_GLUED.replace("Materias: Essay", "Materias: Research Article")
    assert one(pmc).keywords == ()
    assert one(ES_GLUED.replace("Essay", "Hand hygiene")).keywords == ("Hand hygiene",)
    elsewhere = ES_GLUED.replace("Materias: Essay", "Materias: Review").replace(
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1182327/\n", "")
    assert one(elsewhere).keywords == ("Review",)  # a catalogue's own subject heading


def test_solr_dump_with_continuations_and_wrapped_text() -> None:
    record = one(SOLR_DUMP)
    assert record.title == "Barriers to portal use"
    assert families(record) == [
        "Sieverink",
        "van Gemert-Pijnen",
        "World Health Organization",
        "Kuhl",
    ]
    assert record.creators[2].is_organisation
    assert record.creators[3].role == EDITOR
    assert record.abstract == (
        "Participants described language barriers that hindered use of the portal. "
        "language barriers were reported most often by older users."
    )
    assert record.language == "English"
    assert record.keywords == ("Patient portals", "Adherence")
    assert record.ids.doi == "10.2196/jmir.8578"
    assert (record.year, record.item_type) == (2016, "bookSection")


def test_pubmed_record_id_is_not_a_pmid() -> None:
    record = one(SOLR_DUMP)
    assert record.ids.pmid is None and record.ids.pmcid is None
    dump = SOLR_DUMP.replace(
        "url https://example.org/record/1",
        "url https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1234567/",
    )
    record = one(dump)
    assert record.ids.pmcid == "PMC1234567" and record.ids.pmid is None


PRIMO = """Wird geladen

Some article title about eHealth

Bibliographische Detailangaben
Veröffentlicht in:BMJ open 2018-01, Vol.8 (1), p.e019073-e019073
Hauptverfasser: Müller, Anna, Schmidt, Bernd
Format: Artikel
Sprache:eng
Online-Zugang:Volltext
container_issue 1
container_start_page e019073
container_title BMJ open
container_volume 8
creator Müller, Anna
Schmidt, Bernd
format Article
identifier ISSN: 2044-6055 ; EISSN: 2044-6055 ; DOI: 10.1136/bmjopen-2017-019073 ; PMID: 29326195
ispartof BMJ open, 2018-01, Vol.8 (1), p.e019073-e019073
recordid cdi_pubmedcentral_primary_oai_pubmedcentral_nih_gov_5780700
title Some article title about eHealth
"""


def test_primo_style_record() -> None:
    record = one(PRIMO)
    assert record.ids.doi == "10.1136/bmjopen-2017-019073"
    assert record.ids.pmid == "29326195"
    assert record.ids.pmcid == "PMC5780700"
    assert record.issn == ("2044-6055",)
    assert (record.container, record.volume, record.issue, record.pages) == (
        "BMJ open",
        "8",
        "1",
        "e019073",
    )
    assert (record.year, record.language, record.item_type) == (2018, "English", "journalArticle")
    assert families(record) == ["Müller", "Schmidt"]


# --- MARC staff view ----------------------------------------------------------------------

MARC_ARTICLE = """Staff View
LEADER 00000nab a2200000 i 4500
001 x123
008 200101s2019    xx      o     000 0 spa d
022     |a 1234-5678
100 1   |a García Márquez, Ana María, |e autor.
245 1 0 |a Salud digital en atención primaria : |b una revisión sistemática / |c Ana María
García Márquez, Luis Pérez.
264   1 |a Madrid : |b Ediciones Médicas, |c 2019.
700 1   |a Pérez, Luis.
773 0   |t Atención Primaria. |g Vol. 51, no. 4 (2019), p. 201-210 |x 0212-6567
776 08  |i Print version: |z 9780306406157 |o 10.9999/print.version
787 08  |i Comment on: |o 10.9999/other.work
856 4 2 |u https://doi.org/10.9999/related.toc |3 Table of contents
856 4 0 |u https://doi.org/10.1016/j.aprim.2018.03.005
"""


def test_marc_article_reads_only_the_work_own_identifiers() -> None:
    record = one(MARC_ARTICLE)
    assert record.title == "Salud digital en atención primaria: una revisión sistemática"
    assert families(record) == ["García Márquez", "Pérez"]
    assert record.ids.doi == "10.1016/j.aprim.2018.03.005"
    assert record.ids.isbn == ()
    assert (record.container, record.volume, record.issue, record.pages) == (
        "Atención Primaria",
        "51",
        "4",
        "201-210",
    )
    assert (record.year, record.language, record.item_type) == (2019, "Spanish", "journalArticle")
    assert (record.place, record.publisher) == ("Madrid", "Ediciones Médicas")


def test_marc_chapter_with_editors_and_host_book() -> None:
    text = (
        "LEADER 00000naa a2200000 i 4500\n001 c1\n"
        "020     |a 9783642697463\n"
        "024 7   |a 10.1007/978-3-642-69746-3_2 |2 doi\n"
        "100 1   |a Ajzen, Icek, |d 1942- |e author.\n"
        "245 1 0 |a From intentions to actions : |b a theory of planned behavior / |c Icek Ajzen.\n"
        "700 1   |a Kuhl, Julius, |e editor.\n"
        "773 0   |t Action control : from cognition to behavior. |g pages 11-39\n"
    )
    record = one(text)
    assert record.title == "From intentions to actions: a theory of planned behavior"
    assert [c.role for c in record.creators] == ["author", EDITOR]
    assert record.container == "Action control: from cognition to behavior"
    assert (record.item_type, record.pages) == ("bookSection", "11-39")
    assert record.ids.doi == "10.1007/978-3-642-69746-3_2"
    assert record.ids.isbn == ("9783642697463",)


# --- several records in one file ----------------------------------------------------------


def test_two_pages_pasted_one_after_the_other() -> None:
    text = ES_GLUED + "\n" + EN_LABEL_NEXT_LINE
    records = vufind.parse(text, "two.txt")
    assert [r.origin.position for r in records] == [1, 2]
    assert records[0].ids.pmid == "16060722"
    assert records[1].title == "A randomized trial of something"
    assert records[1].origin.line == ES_GLUED.count("\n") + 2
    assert records[0].origin.format == "vufind"


def test_two_solr_dumps_without_page_headers() -> None:
    first = "_version_ 1\nauthor Ioannidis, John P. A\nformat Article\nid pubmed-1182327\n"
    first += "title Why Most Published Research Findings Are False\n"
    second = first.replace("_version_ 1", "_version_ 2").replace("Ioannidis, John P. A", "Roe, R")
    records = vufind.parse(first + second, "dumps.txt")
    assert [families(r) for r in records] == [["Ioannidis"], ["Roe"]]
    assert all(r.ids.pmid is None for r in records)


# --- telling VuFind apart -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "---\ntitle: Deep learning\ndoi: 10.1038/nature14539\n---\nFormat: Article\n",
        "- **Title**: Deep learning\n- **DOI**: 10.1038/nature14539\n- **In**: Nature\n",
        "# Deep learning\n\nPublished in: Nature\nLanguage: English\nFormat: Article\n",
        "Title: Deep learning\nAuthors: LeCun, Yann\nPublished in: Nature\nLanguage: English\n",
        "@article{lecun2015,\n  title = {Deep learning},\n  journal = {Nature}\n}\n",
        "TY  - JOUR\nTI  - Deep learning\nDO  - 10.1038/nature14539\nER  - \n",
        "PMID- 26017442\nTI  - Deep learning.\nAU  - LeCun Y\n",
        "#+title: Deep learning\n:PROPERTIES:\n:ID: x\n:END:\n",
        "title:: Deep learning\nauthors:: [[Yann LeCun]]\ndoi:: 10.1038/nature14539\n",
        "",
    ],
)
def test_sniff_leaves_other_formats_alone(text: str) -> None:
    assert not vufind.sniff(text)


def test_unsorted_dump_with_a_title_wrapped_onto_a_field_word() -> None:
    record = one(
        "id 12345\ntitle A study of deep\nlanguage models in clinical text\n"
        "author Smith, John\nformat Article\ndescription Background: we studied things.\n"
        "topic machine learning\nlanguage eng\nurl https://doi.org/10.1000/xyz123\n"
    )
    assert record.title == "A study of deep language models in clinical text"
    assert families(record) == ["Smith"]
    assert (record.language, record.keywords) == ("English", ("machine learning",))
    assert record.abstract == "Background: we studied things."


def test_two_marc_records_and_a_page_with_its_marc_view() -> None:
    marc = (
        "LEADER 00000nam a2200000 i 4500\n001 a1\n020     |a 9780262035613\n"
        "100 1   |a Goodfellow, Ian, |e author.\n"
        "245 1 0 |a Deep learning / |c Ian Goodfellow, Yoshua Bengio and Aaron Courville.\n"
        "264   1 |a Cambridge, Massachusetts : |b The MIT Press, |c [2016]\n"
    )
    other = (
        "LEADER 00000nam a2200000 i 4500\n001 a2\n"
        "100 1   |a Bishop, Christopher M., |e author.\n"
        "245 1 0 |a Pattern recognition and machine learning / |c Christopher M. Bishop.\n"
        "260     |a New York : |b Springer, |c c2006.\n"
    )
    records = vufind.parse("Staff View\n" + marc + other, "marc.txt")
    assert [(r.title, r.year, r.item_type) for r in records] == [
        ("Deep learning", 2016, "book"),
        ("Pattern recognition and machine learning", 2006, "book"),
    ]
    assert records[1].creators[0].given == "Christopher M."
    page = (
        "Loading...\n\nDeep learning / Ian Goodfellow, Yoshua Bengio and Aaron Courville.\n\n"
        "Bibliographic Details\nMain Author: Goodfellow, Ian\nFormat: Book\n"
        "Series: Adaptive computation and machine learning\nStaff View\n"
    )
    record = one(page + marc)
    assert (record.title, record.publisher, record.place) == (
        "Deep learning",
        "The MIT Press",
        "Cambridge, Massachusetts",
    )
    assert record.series == "Adaptive computation and machine learning"
    assert record.ids.isbn == ("9780262035613",)
    assert one(page).title == "Deep learning"


def test_author_lists_with_roles_and_et_al_and_ambiguous_published() -> None:
    record = one(
        "Loading...\n\nTitle\n\nMain Authors: LeCun, Yann (Author), Bengio, Yoshua (Author)\n"
        "Other Authors: Hinder, Susan, Cresswell, Kathrin, et al.\nFormat: Article\n"
        "Publicado em: Cadernos de Saúde Pública\nPublicado em: Fiocruz 2018\n"
    )
    assert families(record) == ["LeCun", "Bengio", "Hinder", "Cresswell"]
    assert (record.container, record.publisher, record.year) == (
        "Cadernos de Saúde Pública",
        "Fiocruz",
        2018,
    )
