"""What Zotero's "Crossref REST" translator makes of each recorded Crossref work.

Derived from zotero/translators `Crossref REST.js` (lastUpdated 2024-09-12, commit afa81e97):
item type table; creators author/editor/translator, chair -> contributor, chapter authors ->
bookAuthor; title[0] + ": " + subtitle[0]; date = published-print else issued, "MM/YYYY" for a
year and month; pages = `page` only; ISSN/ISBN joined; journalAbbreviation only when it
differs from container-title[0]; container-title[0] -> publicationTitle / proceedingsTitle /
bookTitle / series (book) / seriesTitle (others); thesis date from `approved`, thesisType
from degree[0], university from institution[0].name; libraryCatalog "Crossref". Its test
cases show ISBNs saved space-separated and JATS tags stripped with no separators. Zotero
drops `libraryCatalog` on blogPost (the type has no such field).
"""

from __future__ import annotations

from tests.sources.expectations import Case

DATE_ISO = "zsync writes year-month dates as ISO YYYY-MM (Zotero parses both the same)"
ARTICLE_NUMBER = "zsync uses article-number as pages when there is no page (Unixref translator)"
PLAIN_ABSTRACT = "zsync drops JATS headings 'Abstract' and keeps section titles as 'Label: '"

CASES = [
    Case(
        "book-chapter_10.1007_978-3-662-46370-3_13.json",
        zotero=dict(
            itemType="bookSection", title="Clinical Symptoms and Physical Examinations",
            creators=["bookAuthor|Diercks|Ronald L.", "bookAuthor|Ludvigsen|Tom Clement"],
            creator_count=2, date="2015", bookTitle="Shoulder Stiffness", pages="155-158",
            ISBN="9783662463697 9783662463703", DOI="10.1007/978-3-662-46370-3_13",
            publisher="Springer Berlin Heidelberg", place="Berlin, Heidelberg", language="en",
            libraryCatalog="Crossref",
        ),
        zsync=dict(creators=["author|Diercks|Ronald L.", "author|Ludvigsen|Tom Clement"]),
        why="a chapter record's `author`s wrote the chapter: author, not bookAuthor",
    ),
    Case(
        "book-chapter_10.4018_978-1-4666-9588-7.les2.json",
        zotero=dict(
            itemType="bookSection", title='"Racial Epithet"',
            creators=["bookAuthor|Hartlep|Nicholas D."], creator_count=1, date=None,
            bookTitle="Impact of the Model Minority Stereotype on Modern Society",
            pages="525-916", DOI="10.4018/978-1-4666-9588-7.les2", publisher="IGI Global",
        ),
        zsync=dict(creators=["author|Hartlep|Nicholas D."]),
        why="chapter author stays author; issued [[null]] gives no date",
    ),
    Case(
        "component_10.1371_journal.pmed.0030277.g001.json",
        zotero=dict(
            itemType="document", title="[No title found]", creator_count=0, date=None,
            DOI="10.1371/journal.pmed.0030277.g001",
            publisher="Public Library of Science (PLoS)", libraryCatalog="Crossref",
        ),
        zsync=dict(title=""),
        why="zsync does not invent a title",
    ),
    Case(
        "dataset_10.1186_isrctn11093872.json",
        zotero=dict(
            itemType="dataset",
            title="CapaCiTY Study 2 - Chronic Constipation Treatment Pathway",
            creators=["author|Taheri|Shiva"], creator_count=1, date="2015-11-11",
            DOI="10.1186/isrctn11093872", repositoryLocation="London, UK",
            url="http://www.isrctn.com/ISRCTN11093872",
        ),
        # Zotero's own Extra handling of the invalid seriesTitle is not asserted.
        zsync=dict(extra_lines=["seriesTitle: http://isrctn.com/"]),
        why="container-title is seriesTitle (translator); datasets lack it, so it goes to Extra",
    ),
    Case(
        "dataset_10.2210_pdb4hhb_pdb.json",
        zotero=dict(
            itemType="dataset",
            title="THE CRYSTAL STRUCTURE OF HUMAN DEOXYHAEMOGLOBIN AT 1.74 ANGSTROMS "
            "RESOLUTION: 4hhb",
            creators=["author|Fermi|G.", "author|Perutz|M.F."], creator_count=2,
            date="1984-07-17", DOI="10.2210/pdb4hhb/pdb",
        ),
        zsync=dict(repository="Worldwide Protein Data Bank", extra_lines=[]),
        why="seriesTitle equals the repository, so no Extra line repeats it",
    ),
    Case(
        "dissertation_10.14264_uql.2020.791.json",
        zotero=dict(
            itemType="thesis",
            title="School truancy and financial independence during emerging adulthood: a "
            "longitudinal analysis of receipt of and reliance on cash transfers",
            creators=["author|Collingwood|Patricia Maree"], creator_count=1,
            date="2020-05-25", thesisType="PhD Thesis",
            university="The University of Queensland", DOI="10.14264/uql.2020.791",
        ),
    ),
    Case(
        "journal-article_10.1007_s00120-007-1345-2.json",
        zotero=dict(
            itemType="journalArticle",
            title="Penisverletzung durch eine Moulinette: Folge einer autoerotischen "
            "Selbstverstümmelung",
            creators=["author|Lehsnau|M."], creator_count=1, date="07/2007",
            publicationTitle="Der Urologe", journalAbbreviation="Urologe", volume="46",
            issue="7", pages="776-779", ISSN="0340-2592, 1433-0563", language="de",
            DOI="10.1007/s00120-007-1345-2",
        ),
        zsync=dict(date="2007-07"),
        why=DATE_ISO,
    ),
    Case(
        "journal-article_10.1038_srep16696.json",
        zotero=dict(
            itemType="journalArticle",
            title="Single-molecule FRET studies on alpha-synuclein oligomerization of "
            "Parkinson’s disease genetically related mutants",
            creators=["author|Tosatto|Laura", "author|Horrocks|Mathew H.",
                      "author|Dear|Alexander J."],
            creator_count=8, date="2015-11-19", publicationTitle="Scientific Reports",
            journalAbbreviation="Sci Rep", volume="5", issue="1", pages=None,
            ISSN="2045-2322", language="en", DOI="10.1038/srep16696",
            abstract_start="AbstractOligomers of alpha-synuclein",
        ),
        zsync=dict(pages="16696", abstract_start="Oligomers of alpha-synuclein are toxic"),
        why=f"{ARTICLE_NUMBER}; {PLAIN_ABSTRACT}",
    ),
    Case(
        "journal-article_10.1136_esmoopen-2020-000776.json",
        zotero=dict(
            itemType="journalArticle",
            title="Phase II study of lenvatinib for metastatic colorectal cancer refractory to "
            "standard chemotherapy: the LEMON study (NCCH1503)",
            creators=["author|Iwasa|Satoru", "author|Okita|Natsuko"], creator_count=13,
            date="2020", publicationTitle="ESMO Open", journalAbbreviation=None,
            volume="5", issue="4", pages="e000776", ISSN="2059-7029",
            DOI="10.1136/esmoopen-2020-000776",
        ),
    ),
    Case(
        "journal-article_10.1371_journal.pone.0033693.json",
        zotero=dict(
            itemType="journalArticle",
            title="Methylphenidate Exposure Induces Dopamine Neuron Loss and Activation of "
            "Microglia in the Basal Ganglia of Mice",
            creators=["author|Sadasivan|Shankar", "author|Pond|Brooks B."], creator_count=7,
            date="2012-03-21", publicationTitle="PLoS ONE", journalAbbreviation=None,
            volume="7", issue="3", pages="e33693", ISSN="1932-6203", language="en",
            DOI="10.1371/journal.pone.0033693",
        ),
    ),
    Case(
        "journal-article_10.1371_journal.ppat.1008184.json",
        zotero=dict(
            itemType="journalArticle",
            title="An RNA thermometer dictates production of a secreted bacterial toxin",
            creators=["author|Twittenhoff|Christian"], creator_count=6,
            date="2020-01-17", publicationTitle="PLOS Pathogens",
            journalAbbreviation="PLoS Pathog", volume="16", issue="1", pages="e1008184",
            ISSN="1553-7374", DOI="10.1371/journal.ppat.1008184",
        ),
    ),
    Case(
        "journal-article_10.2196_22081.json",
        zotero=dict(
            itemType="journalArticle",
            title="Investigating Patients’ Intention to Continue Using Teleconsultation to "
            "Anticipate Postcrisis Momentum: Survey Study",
            creators=["author|Grenier Ouimet|Antoine", "author|Wagner|Gerit",
                      "author|Raymond|Louis", "author|Pare|Guy"],
            creator_count=4, date="2020-11-26",
            publicationTitle="Journal of Medical Internet Research",
            journalAbbreviation="J Med Internet Res", volume="22", issue="11",
            pages="e22081", ISSN="1438-8871", DOI="10.2196/22081",
            abstract_start="Background",
        ),
        zsync=dict(abstract_start="Background: The COVID-19 crisis has drastically changed"),
        why=PLAIN_ABSTRACT,
    ),
    Case(
        "journal-article_10.5694_j.1326-5377.1943.tb44329.x.json",
        zotero=dict(
            itemType="journalArticle",
            title="THE INVESTIGATION OF RENAL FUNCTION WITH A NEW NOMOGRAPHIC METHOD FOR THE "
            "DETERMINATION OF UREA CLEARANCE",
            creators=["author|Davis|Morris C."], creator_count=1, date="03/1943",
            publicationTitle="Medical Journal of Australia", journalAbbreviation=None,
            volume="1", issue="13", pages="267-279", ISSN="0025-729X, 1326-5377",
            DOI="10.5694/j.1326-5377.1943.tb44329.x",
        ),
        zsync=dict(date="1943-03"),
        why=DATE_ISO,
    ),
    Case(
        "journal-article_10.7554_elife.01567.json",
        zotero=dict(
            itemType="journalArticle",
            title="Automated quantitative histology reveals vascular morphodynamics during "
            "Arabidopsis hypocotyl secondary growth",
            creators=["author|Sankar|Martial"], creator_count=5, date="2014-02-11",
            publicationTitle="eLife", journalAbbreviation=None, volume="3", issue=None,
            pages=None, ISSN="2050-084X", DOI="10.7554/elife.01567",
            abstract_start="Among various advantages, their small size",
        ),
        zsync=dict(pages="e01567"),
        why=ARTICLE_NUMBER,
    ),
    Case(
        "monograph_10.1017_9781108348843.json",
        zotero=dict(
            itemType="book", title="The Politics of the Past in Early China",
            creators=["author|Leung|Vincent S."], creator_count=1, date="2019-07-18",
            ISBN="9781108348843 9781108425728 9781108443241", edition="1",
            publisher="Cambridge University Press", series=None,
            DOI="10.1017/9781108348843",
        ),
    ),
    Case(
        "peer-review_10.7554_elife.55167.sa2.json",
        zotero=dict(
            itemType="manuscript",
            title="Author response: SpikeForest, reproducible web-facing ground-truth "
            "validation of automated neural spike sorters",
            creators=["author|Magland|Jeremy"], creator_count=8, date="2020-04-29",
            manuscriptType="peer review", DOI="10.7554/elife.55167.sa2",
        ),
    ),
    Case(
        "posted-content-blog_10.53731_ybhah-9jy85.json",
        zotero=dict(
            itemType="blogPost", title="The rise of the (science) newsletter",
            creators=["author|Fenner|Martin"], creator_count=1, date="2023-10-04",
            blogTitle="Front Matter", DOI="10.53731/ybhah-9jy85", libraryCatalog=None,
            abstract_start="Newsletters have been around forever",
        ),
    ),
    Case(
        "posted-content-preprint_10.1101_2020.12.01.406702.json",
        zotero=dict(
            itemType="preprint",
            title="Identification of a novel cationic glycolipid in <i>Streptococcus "
            "agalactiae</i> that contributes to brain entry and meningitis",
            creators=["author|Joyce|Luke R.", "author|Manzer|Haider S.",
                      "author|Mendonça|Jéssica da C."],
            creator_count=8, date="2020-12-01", repository="openRxiv",
            DOI="10.1101/2020.12.01.406702", libraryCatalog="Microbiology",
            abstract_start="Abstract",
        ),
        zsync=dict(
            title="Identification of a novel cationic glycolipid in Streptococcus agalactiae "
            "that contributes to brain entry and meningitis",
            repository="bioRxiv", libraryCatalog="Crossref",
            abstract_start="Bacterial membrane lipids are critical",
        ),
        why="plain-text title; repository from institution[0] (group-title is a bioRxiv "
        "subject; Zotero's test cases show group-title landing in libraryCatalog and the "
        f"publisher in repository); {PLAIN_ABSTRACT}",
    ),
    Case(
        "proceedings-article_10.1109_icdcsw.2003.1203662.json",
        zotero=dict(
            itemType="conferencePaper",
            title="Accurate and explicit differentiation of wireless and congestion losses",
            creators=["author|Arya|V.", "author|Turletti|T."], creator_count=2, date=None,
            proceedingsTitle="23rd International Conference on Distributed Computing "
            "Systems Workshops, 2003. Proceedings.",
            conferenceName="23rd International Conference on Distributed Computing Systems "
            "Workshops, 2003.",
            place="Providence, Rhode Island, USA", pages="877-882", publisher="IEEE",
            DOI="10.1109/icdcsw.2003.1203662",
        ),
    ),
    Case(
        "proceedings-article_10.1145_3448016.3452841.json",
        zotero=dict(
            itemType="conferencePaper",
            title="Vector Quotient Filters: Overcoming the Time/Space Trade-Off in Filter "
            "Design",
            creators=["author|Pandey|Prashant", "author|Conway|Alex"], creator_count=6,
            date="2021-06-09",
            proceedingsTitle="Proceedings of the 2021 International Conference on "
            "Management of Data",
            conferenceName="SIGMOD/PODS '21: International Conference on Management of Data",
            place="Virtual Event China", pages="1386-1399", publisher="ACM",
            DOI="10.1145/3448016.3452841",
        ),
    ),
]
