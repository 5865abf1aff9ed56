"""BibTeX/BibLaTeX parser: realistic exports, names, identifiers, broken entries."""

from __future__ import annotations

import pytest

from zsync.inputs.base import ParseFailure
from zsync.inputs.exports import bibtex
from zsync.model.records import Creator

# Better BibTeX (BibLaTeX) export, with TeX accents, a braced corporate author and a preprint.
BETTER_BIBTEX = r"""
@article{lecunDeepLearning2015,
  title = {Deep Learning},
  author = {LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey},
  date = {2015-05},
  journaltitle = {Nature},
  shortjournal = {Nature},
  volume = {521},
  number = {7553},
  pages = {436--444},
  publisher = {Nature Publishing Group},
  issn = {1476-4687},
  doi = {10.1038/nature14539},
  url = {https://www.nature.com/articles/nature14539},
  urldate = {2023-01-05},
  langid = {english},
  keywords = {Computer science,Mathematics and computing},
  file = {/home/user/Zotero/storage/ABCD1234/LeCun et al. - 2015 - Deep learning.pdf}
}

@article{fernandez-altunaEncontrarSinPerderse2016,
  title = {{¿Encontrar sin perderse?} {B}úsqueda de informaci{\'o}n en {PubMed}},
  author = {Fern{\'a}ndez-Altuna, Mar{\'i}a de los {\'A}ngeles and Mart{\'\i}nez del Prado, Alberto and {Grupo de Trabajo de Metodolog{\'\i}a}},
  date = {2016},
  journaltitle = {Revista Espa{\~n}ola de Salud P{\'u}blica},
  volume = {90},
  pages = {e1--e8},
  doi = {10.4321/S1135-57272016000100001}
}

@report{who2021,
  title = {{WHO} Guideline on Health Policy and System Support},
  author = {{World Health Organization}},
  date = {2021},
  institution = {{World Health Organization}},
  location = {Geneva},
  number = {WHO/HIS/2021.1},
  isbn = {978-92-4-003002-2}
}

@online{devlinBERTPretrainingDeep2019,
  title = {{{BERT}}: {{Pre-training}} of {{Deep Bidirectional Transformers}} for {{Language Understanding}}},
  author = {Devlin, Jacob and Chang, Ming-Wei and Lee, Kenton and Toutanova, Kristina},
  date = {2019-05-24},
  eprint = {1810.04805},
  eprinttype = {arxiv},
  eprintclass = {cs},
  pubstate = {prepublished},
  url = {http://arxiv.org/abs/1810.04805}
}
"""

# Zotero's own BibTeX export: Extra in `note`, rich text as \textless...\textgreater.
ZOTERO_BIBTEX = r"""
@incollection{ajzen_intentions_1985,
	address = {Berlin, Heidelberg},
	series = {{SSSP} {Springer} {Series} in {Social} {Psychology}},
	title = {From {Intentions} to {Actions}: {A} {Theory} of {Planned} {Behavior}},
	isbn = {978-3-642-69748-7},
	shorttitle = {From {Intentions} to {Actions}},
	url = {https://doi.org/10.1007/978-3-642-69746-3_2},
	booktitle = {Action {Control}: {From} {Cognition} to {Behavior}},
	publisher = {Springer},
	author = {Ajzen, Icek},
	editor = {Kuhl, Julius and Beckmann, J{\"u}rgen},
	year = {1985},
	pages = {11--39},
}

@article{mehra_cardiovascular_2020,
	title = {Cardiovascular {Disease}, {Drug} {Therapy}, and {Mortality} in {Covid}-19},
	volume = {382},
	issn = {0028-4793, 1533-4406},
	url = {https://www.nejm.org/doi/10.1056/NEJMoa2007621},
	doi = {10.1056/NEJMoa2007621},
	number = {25},
	journal = {New England Journal of Medicine},
	author = {Mehra, Mandeep R. and Desai, Sapan S. and Kuy, SreyRam and Henry, Timothy D. and Patel, Amit N.},
	month = jun,
	year = {2020},
	note = {PMID: 32356626
PMCID: PMC7206931},
	keywords = {retracted; covid-19},
	pages = {e102},
}

@article{adams_fly_2000,
	title = {The genome sequence of {\textless}i{\textgreater}{Drosophila} melanogaster{\textless}/i{\textgreater}},
	journal = {Science},
	author = {Adams, M. D. and {others}},
	year = {2000},
	doi = {https://doi.org/10.1126/science.287.5461.2185},
}
"""

def test_better_bibtex_export() -> None:
    records = bibtex.parse(BETTER_BIBTEX, "library.bib")
    assert [r.origin.position for r in records] == [1, 2, 3, 4]
    assert [r.origin.line for r in records] == [2, 21, 31, 41]
    assert all(r.origin.format == "bibtex" and r.origin.path == "library.bib" for r in records)
    lecun, spanish, who, bert = records
    assert lecun.origin.end_line == 19
    assert lecun.item_type == "journalArticle"
    assert lecun.title == "Deep Learning"
    assert lecun.ids.doi == "10.1038/nature14539"
    assert [c.family for c in lecun.creators] == ["LeCun", "Bengio", "Hinton"]
    assert (lecun.container, lecun.journal_abbreviation) == ("Nature", "Nature")
    assert (lecun.volume, lecun.issue, lecun.pages) == ("521", "7553", "436-444")
    assert lecun.date is not None and lecun.date.iso() == "2015-05"
    assert lecun.issn == ("1476-4687",)
    assert lecun.keywords == ("Computer science", "Mathematics and computing")
    assert lecun.language == "english"
    assert lecun.urls == ("https://www.nature.com/articles/nature14539",)
    assert lecun.fields["accessDate"] == "2023-01-05"

    assert spanish.title == "¿Encontrar sin perderse? Búsqueda de información en PubMed"
    assert spanish.container == "Revista Española de Salud Pública"
    assert spanish.creators[0] == Creator(family="Fernández-Altuna", given="María de los Ángeles")
    assert spanish.creators[1] == Creator(family="Martínez del Prado", given="Alberto")
    assert spanish.creators[2] == Creator(name="Grupo de Trabajo de Metodología")
    assert spanish.pages == "e1-e8"
    assert spanish.ids.doi == "10.4321/s1135-57272016000100001"

    assert who.item_type == "report"
    assert who.creators == (Creator(name="World Health Organization"),)
    assert who.publisher == "World Health Organization"
    assert who.place == "Geneva"
    assert who.fields["reportNumber"] == "WHO/HIS/2021.1"
    assert who.issue is None
    assert who.ids.isbn == ("9789240030022",)

    assert bert.item_type == "preprint"
    assert bert.ids.arxiv == "1810.04805"
    assert bert.title == (
        "BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"
    )
    assert bert.date is not None and bert.date.iso() == "2019-05-24"


def test_zotero_bibtex_export() -> None:
    chapter, mehra, adams = bibtex.parse(ZOTERO_BIBTEX, "zotero.bib")
    assert chapter.item_type == "bookSection"
    assert chapter.title == "From Intentions to Actions: A Theory of Planned Behavior"
    assert chapter.container == "Action Control: From Cognition to Behavior"
    assert chapter.series == "SSSP Springer Series in Social Psychology"
    assert [(c.display(), c.role) for c in chapter.creators] == [
        ("Ajzen, Icek", "author"), ("Kuhl, Julius", "editor"), ("Beckmann, Jürgen", "editor"),
    ]
    assert chapter.ids.isbn == ("9783642697487",)
    assert chapter.ids.doi == "10.1007/978-3-642-69746-3_2"  # from the doi.org link
    assert (chapter.publisher, chapter.place) == ("Springer", "Berlin, Heidelberg")
    assert chapter.fields["shortTitle"] == "From Intentions to Actions"

    assert mehra.ids.pmid == "32356626" and mehra.ids.pmcid == "PMC7206931"
    assert mehra.ids.doi == "10.1056/nejmoa2007621"
    assert mehra.date is not None and mehra.date.iso() == "2020-06"
    assert mehra.issn == ("0028-4793", "1533-4406")
    assert mehra.keywords == ("retracted", "covid-19")
    assert mehra.creators[2] == Creator(family="Kuy", given="SreyRam")

    assert adams.title == "The genome sequence of Drosophila melanogaster"
    assert adams.ids.doi == "10.1126/science.287.5461.2185"
    assert [c.display() for c in adams.creators] == ["Adams, M. D."]


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("van Beethoven, Jr., Ludwig", Creator(family="van Beethoven", given="Ludwig, Jr.")),
        ("Jean de la Fontaine", Creator(family="de la Fontaine", given="Jean")),
        (r"{\"O}zt{\"u}rk, Ay{\c{s}}e", Creator(family="Öztürk", given="Ayşe")),
        ("{Barnes and Noble}", Creator(name="Barnes and Noble")),
        ("{National Institute for Health and Care Excellence}",
         Creator(name="National Institute for Health and Care Excellence")),
        ("Cochrane Collaboration", Creator(name="Cochrane Collaboration")),
        (r"{\L}ukasz Kaiser", Creator(family="Kaiser", given="Łukasz")),
        ("Plato", Creator(name="Plato")),  # one word: one field, as Zotero
    ],
)
def test_author_forms(author: str, expected: Creator) -> None:
    (record,) = bibtex.parse(f"@book{{k, title={{T}}, author = {{{author}}}}}", "a.bib")
    assert record.creators == (expected,)


@pytest.mark.parametrize(
    ("entry", "item_type"),
    [
        ("@article{k, title={T}, journal={J}}", "journalArticle"),
        ("@inproceedings{k, title={T}, booktitle={Proc. of X}}", "conferencePaper"),
        ("@incollection{k, title={T}, booktitle={B}}", "bookSection"),
        ("@inbook{k, title={T}, booktitle={B}}", "bookSection"),
        ("@book{k, title={T}}", "book"),
        ("@phdthesis{k, title={T}, school={MIT}}", "thesis"),
        ("@mastersthesis{k, title={T}, school={MIT}}", "thesis"),
        ("@techreport{k, title={T}, institution={RAND}}", "report"),
        ("@misc{k, title={T}}", "document"),
        ("@online{k, title={T}, url={https://example.org}}", "webpage"),
        ("@misc{k, title={T}, eprint={2101.00001}, archivePrefix={arXiv}}", "preprint"),
        ("@article{k, title={T}, journal={arXiv preprint arXiv:1706.03762}}", "preprint"),
        ("@article{k, title={T}, journal={bioRxiv}, doi={10.1101/2020.01.01.123456}}", "preprint"),
        ("@unpublished{k, title={T}, note={Manuscript in preparation}}", "manuscript"),
        ("@dataset{k, title={T}}", "dataset"),
    ],
)
def test_entry_types(entry: str, item_type: str) -> None:
    (record,) = bibtex.parse(entry, "t.bib")
    assert record.item_type == item_type


def test_thesis_and_conference_fields() -> None:
    text = r"""@phdthesis{smith2019,
  author = {Smith, Anna},
  title = {Essays on Health Behaviour},
  school = {University of Amsterdam},
  year = {2019},
  month = {11},
}
@inproceedings{vaswani2017,
  author = {Vaswani, Ashish and Shazeer, Noam},
  title = {Attention is All you Need},
  booktitle = {Advances in Neural Information Processing Systems},
  editor = {Guyon, I. and Luxburg, U. Von},
  volume = {30},
  publisher = {Curran Associates, Inc.},
  year = {2017},
  url = {https://proceedings.neurips.cc/paper/2017/hash/3f5ee243547dee91fbd053c1c4a845aa-Abstract.html},
}"""
    thesis, paper = bibtex.parse(text, "t.bib")
    assert thesis.fields["thesisType"] == "PhD Thesis"
    assert thesis.fields["university"] == thesis.publisher == "University of Amsterdam"
    assert thesis.date is not None and thesis.date.iso() == "2019-11"
    assert paper.container == "Advances in Neural Information Processing Systems"
    assert [c.role for c in paper.creators] == ["author", "author", "editor", "editor"]
    assert paper.creators[3] == Creator(family="Luxburg", given="U. Von", role="editor")


def test_identifier_fields() -> None:
    text = r"""@article{k,
  title = {Why Most Published Research Findings Are False},
  doi = {https://doi.org/10.1371/journal.pmed.0020124},
  pmid = {16060722},
  pmcid = {PMC1182327},
  journal = {PLoS Medicine},
  year = {2005},
}
@article{k2, title = {Second}, eprint = {16060722}, eprinttype = {pubmed}}
@article{k3, title = {Third}, doi = {10.1002/(SICI)1097-4636(199706)35:4\%3C443::AID-JBM5\%3E3.0.CO;2-P}}
"""
    first, second, third = bibtex.parse(text, "ids.bib")
    assert first.ids.doi == "10.1371/journal.pmed.0020124"
    assert (first.ids.pmid, first.ids.pmcid) == ("16060722", "PMC1182327")
    assert second.ids.pmid == "16060722"
    assert third.ids.doi == "10.1002/(sici)1097-4636(199706)35:4<443::aid-jbm5>3.0.co;2-p"


def test_string_macros_and_comments() -> None:
    text = """% This file was created with JabRef 5.9.
% Encoding: UTF-8

@String{nejm = {New England Journal of Medicine}}

@Article{Mehra2020,
  Author    = {Mehra, Mandeep R.},
  Title     = {Cardiovascular Disease},
  Journal   = nejm,
  Year      = {2020},
  Month     = jun,
}

@Article{Other,
  Title   = {Uses an unknown macro},
  Journal = pami,
}

@Comment{jabref-meta: databaseType:bibtex;}
"""
    first, second = bibtex.parse(text, "jabref.bib")
    assert first.container == "New England Journal of Medicine"
    assert first.origin.line == 6
    assert first.date is not None and first.date.month == 6
    assert second.container == "pami"
    assert any("pami" in w for w in second.warnings)


def test_broken_entry_among_good_ones_gives_warning_not_failure() -> None:
    text = """@article{good1,
  title = {First good entry},
  doi = {10.1000/first.1},
}

@article{broken,
  author = {Foo, Bar
  title = {Broken entry},
  year = {2001},
}

@book{good2,
  title = {Second good entry},
  year = {1999},
}
"""
    records = bibtex.parse(text, "mixed.bib")
    assert [r.origin.line for r in records] == [1, 6, 12]
    assert [r.origin.position for r in records] == [1, 2, 3]
    good1, broken, good2 = records
    assert good1.title == "First good entry" and not good1.warnings
    assert good2.title == "Second good entry" and not good2.warnings
    assert broken.warnings and "broken" in broken.warnings[0]
    assert broken.title == "Broken entry"  # recovered from the broken entry
    assert broken.date is not None and broken.date.year == 2001


def test_syntax_error_in_entry_is_per_entry() -> None:
    text = "@article{a, title = {Missing comma} year = {2020}}\n@article{b, title = {Fine}}\n"
    first, second = bibtex.parse(text, "x.bib")
    assert first.warnings and "could not be read" in first.warnings[0]
    assert first.title == "Missing comma"
    assert second.title == "Fine" and not second.warnings


def test_truncated_file_keeps_what_was_written() -> None:
    text = "@article{a, title = {Complete}, year = {2020}}\n\n@article{b,\n  title = {Cut off},\n  doi = {10.1000/xyz"
    first, second = bibtex.parse(text, "cut.bib")
    assert first.title == "Complete" and not first.warnings
    assert second.origin.line == 3 and second.origin.end_line == 5
    assert second.title == "Cut off"
    assert second.ids.doi == "10.1000/xyz"
    assert "not closed" in second.warnings[0]


def test_nothing_readable_raises_parse_failure_with_line() -> None:
    text = "% my references\n\n@article{only,\n  author = {Foo\n"
    with pytest.raises(ParseFailure) as failure:
        bibtex.parse(text, "bad.bib")
    assert failure.value.line == 3
    assert "only" in failure.value.message


def test_one_line_entries_from_doi_content_negotiation() -> None:
    text = (
        " @article{LeCun_2015, title={Deep learning}, volume={521}, ISSN={1476-4687},"
        " url={http://dx.doi.org/10.1038/nature14539}, DOI={10.1038/nature14539},"
        " number={7553}, journal={Nature}, publisher={Springer Science and Business Media LLC},"
        " author={LeCun, Yann and Bengio, Yoshua and Hinton, Geoffrey}, year={2015}, month=may,"
        " pages={436\u2013444} } @article{Ioannidis_2005, title={Why Most Published Research"
        " Findings Are False}, DOI={10.1371/journal.pmed.0020124}, year={2005}}\n"
        "% @article{old_entry, title = {Commented out}}\n"
    )
    lecun, ioannidis = bibtex.parse(text, "doi.bib")
    assert lecun.ids.doi == "10.1038/nature14539" and lecun.pages == "436-444"
    assert lecun.date is not None and lecun.date.iso() == "2015-05"
    assert ioannidis.origin.line == 1 and ioannidis.origin.position == 2
    assert ioannidis.title == "Why Most Published Research Findings Are False"


def test_crossref_entries_inherit_from_their_proceedings() -> None:
    text = """@inproceedings{DBLP:conf/nips/VaswaniSPUJGKP17,
  author    = {Ashish Vaswani and Noam Shazeer},
  title     = {Attention is All you Need},
  pages     = {5998--6008},
  crossref  = {DBLP:conf/nips/2017},
}
@proceedings{DBLP:conf/nips/2017,
  editor    = {Isabelle Guyon and Ulrike von Luxburg},
  title     = {Advances in Neural Information Processing Systems 30},
  year      = {2017},
}"""
    paper, proceedings = bibtex.parse(text, "dblp.bib")
    assert paper.container == "Advances in Neural Information Processing Systems 30"
    assert paper.date is not None and paper.date.year == 2017
    assert [c.display() for c in paper.creators] == [
        "Vaswani, Ashish", "Shazeer, Noam", "Guyon, Isabelle", "von Luxburg, Ulrike"]
    assert proceedings.item_type == "book"


def test_only_strings_and_comments_give_no_records() -> None:
    assert bibtex.parse("@string{a = {b}}\n@comment{nothing here}\n", "s.bib") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@article{key,\n title = {T}}", True),
        ("\ufeff@Article{Key2020,\n Title = {T}}", True),
        ("% Encoding: UTF-8\n\n@book{k, title={T}}", True),
        ("@string{jnl = {J}}\n@article{k, journal = jnl}", True),
        ("  @inproceedings{ k ,\n title={T}}", True),
        ("# Reading notes\n\n@article{k, title={T}}", False),
        ("@someone said this{ is fine}", False),
        ("Email me @ home {soon}", False),
        ("@article is a BibTeX type", False),
        ("- [ ] read @lecun2015{p. 3}", False),
        ("TY  - JOUR\nER  - ", False),
        ("", False),
    ],
)
def test_sniff(text: str, expected: bool) -> None:
    assert bibtex.sniff(text) is expected
