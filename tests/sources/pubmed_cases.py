"""What Zotero's "PubMed XML" translator makes of each recorded PubMed article.

Derived from zotero/translators `PubMed XML.js` (lastUpdated 2021-07-21, commit d143c007) and
its test cases: ArticleTitle (else VernacularTitle) minus one final period; authors through
`cleanAuthor` (periods after initials: "Peter O" -> "Peter O."), CollectiveName single-field;
date "YYYY-MM-DD"/"YYYY-MM"/"YYYY", Season ignored, MedlineDate as written; MedlinePgn with
abbreviated ranges expanded, else the pii ELocationID; journal Title in Title Case unless it
holds an acronym; ISOAbbreviation else MedlineTA; raw 3-letter language codes joined ", ";
"LABEL: text" abstract lines; DOI/PMCID from PubmedData/ArticleIdList; MeSH descriptors then
keywords as tags (automatic: Zotero saves catalogue tags as type 1). Books: bookaccession as
callNumber and a Bookshelf URL, the PMID in Extra. PMID/PMCID go to the journalArticle fields
of schema 41 (reference §4.1); the preprint case follows reference §4.4 (the translator
version with preprint support is not in the stored sources).
"""

from __future__ import annotations

from tests.sources.expectations import Case

LANG = "zsync writes ISO 639-1 language codes"
DOI_CASE = "zsync stores DOIs lower-cased (they are case-insensitive)"
TAGS = "zsync keeps keywords as manual tags (type 0) and MeSH as automatic tags (type 1)"

MESH_20729678 = ("Bibliographies as Topic", "Database Management Systems", "Humans")
KW_29963580 = ("asthma", "chronic obstructive lung disease", "image processing, biomarkers",
               "magnetic resonance imaging", "thoracic computed tomography")
MESH_35123456 = ("Adolescent", "Adult", "Arthrogryposis", "Child", "Gait", "Humans",
                 "Middle Aged", "Outcome Assessment, Health Care", "Reproducibility of Results",
                 "Walking", "Young Adult")
KW_35123456 = ("Arthrogryposis", "Clubfoot", "Gait", "Postural balance", "Walking speed")
MESH_35649368 = ("Acetyl Coenzyme A", "Apoptosis", "Fatty Acids", "Humans", "Membrane Lipids",
                 "Mitochondrial Membranes", "Oxidation-Reduction", "Phospholipids",
                 "Triple Negative Breast Neoplasms")
KW_35649368 = ("ACSL", "CP: Cancer", "CP: Metabolism", "STAT3 acetylation", "anti-apoptosis",
               "chemoresistance", "fatty acid oxidation", "mitochondrial membrane potential",
               "phospholipids")
MESH_36987902 = ("Male", "Humans", "Female", "Burn Units", "Retrospective Studies", "Frailty",
                 "Burns", "Hospitals, University")
MESH_38534005 = ("Humans", "Urinalysis", "Europe", "Urinary Tract Infections", "Quality Control")
KW_38534005 = ("bacteriological techniques", "kidney diseases", "practice guideline",
               "reference measurement procedures", "urinalysis", "urinary tract infections")
KW_39345789 = ("16S rRNA sequencing", "bioinformatics", "data integration", "microbiome",
               "visualization")
MESH_11748933 = ("Animals", "Cell Membrane", "Cryopreservation", "Male", "Microscopy, Electron",
                 "Microscopy, Electron, Scanning", "Nuclear Envelope", "Sea Bream",
                 "Semen Preservation", "Sperm Motility", "Spermatozoa")
MESH_12091962 = ("AIDS Serodiagnosis", "Acquired Immunodeficiency Syndrome", "Civil Rights",
                 "HIV Seropositivity", "Humans", "Jurisprudence", "Law Enforcement",
                 "Mass Screening", "Minority Groups", "Organizational Policy", "Patient Care",
                 "Prejudice", "Prisoners", "Public Policy", "Quarantine",
                 "Social Control, Formal", "Statistics as Topic", "Stereotyping",
                 "United States")
KW_12091962 = ("Health Care and Public Health", "Legal Approach")
MESH_9997 = ("Binding Sites", "Chromatium", "Cytochrome c Group",
             "Electron Spin Resonance Spectroscopy", "Flavins", "Heme",
             "Hydrogen-Ion Concentration", "Iron", "Magnetics", "Oxidation-Reduction",
             "Protein Binding", "Protein Conformation", "Temperature")


def _minus(names: tuple[str, ...], taken: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(n for n in names if n not in taken)


CASES = [
    Case(
        "pmid_20729678_medlinedate.xml",
        zotero=dict(
            itemType="journalArticle",
            title="Zotero: harnessing the power of a personal bibliographic manager",
            creators=["author|Coar|Jaekea T.", "author|Sewell|Jeanne P."], creator_count=2,
            date="2010 Sep-Oct", publicationTitle="Nurse Educator",
            journalAbbreviation="Nurse Educ", volume="35", issue="5", pages="205-207",
            ISSN="1538-9855", DOI="10.1097/NNE.0b013e3181ed81e4", language="eng",
            PMID="20729678", PMCID=None, libraryCatalog="PubMed",
            abstract_start="Zotero is a powerful free personal bibliographic manager (PBM)",
            tags_auto=MESH_20729678,
        ),
        zsync=dict(DOI="10.1097/nne.0b013e3181ed81e4", language="en"),
        why=f"{DOI_CASE}; {LANG}",
    ),
    Case(
        "pmid_20821847_book_article.xml",
        zotero=dict(
            itemType="book", title="Endocrinology: An Integrated Approach",
            creators=["author|Nussey|Stephen", "author|Whitehead|Saffron"], creator_count=2,
            date="2001", publisher="BIOS Scientific Publishers", place="Oxford",
            ISBN="1859962521", callNumber="NBK22", language="eng",
            url="http://www.ncbi.nlm.nih.gov/books/NBK22/",
            rights="Copyright © 2001, BIOS Scientific Publishers Limited",
            extra_lines=["PMID: 20821847"],
            abstract_start="Endocrinology has been written to meet the requirements",
        ),
        zsync=dict(ISBN="9781859962527", language="en",
                   url="https://www.ncbi.nlm.nih.gov/books/NBK22/"),
        why=f"ISBNs are stored as ISBN-13; https Bookshelf URL; {LANG}",
    ),
    Case(
        "pmid_29963580_collective_author.xml",
        zotero=dict(
            itemType="journalArticle",
            title="Development of a pulmonary imaging biomarker pipeline for phenotyping of "
            "chronic lung disease",
            creators=["author|Guo|Fumin", "author|Capaldi|Dante"], creator_count=9,
            last_creator="author|Canadian Respiratory Research Network", date="2018-04",
            publicationTitle="Journal of Medical Imaging (Bellingham, Wash.)",
            journalAbbreviation="J Med Imaging (Bellingham)", volume="5", issue="2",
            pages="026002", ISSN="2329-4302", DOI="10.1117/1.JMI.5.2.026002",
            PMID="29963580", PMCID="PMC6022861", language="eng",
            abstract_start="We designed and generated pulmonary imaging biomarker pipelines",
            tags_auto=KW_29963580,
        ),
        zsync=dict(DOI="10.1117/1.jmi.5.2.026002", language="en", tags_auto=(),
                   tags_manual=KW_29963580,
                   abstract_contains=["inhaled He 3 / Xe 129 \u2009 MRI ventilation"]),
        why=f"{DOI_CASE}; {LANG}; {TAGS}; MathML text kept, whitespace collapsed",
    ),
    Case(
        "pmid_35123456_structured_abstract.xml",
        zotero=dict(
            itemType="journalArticle",
            title="Test-retest reliability for performance-based outcome measures among "
            "individuals with arthrogryposis multiplex congenita",
            creators=["author|Sions|Jaclyn Megan", "author|Donohoe|Maureen"],
            creator_count=6, date="2022-02-05",
            publicationTitle="BMC musculoskeletal disorders",
            journalAbbreviation="BMC Musculoskelet Disord", volume="23", issue="1",
            pages="121", ISSN="1471-2474", DOI="10.1186/s12891-022-05070-w",
            PMID="35123456", PMCID="PMC8818254", language="eng",
            abstract_start="BACKGROUND: Most individuals with arthrogryposis",
            abstract_contains=["\nMETHODS: This reliability study", "\nCONCLUSIONS: Among"],
            tags_auto=MESH_35123456 + KW_35123456,
        ),
        zsync=dict(language="en", tags_manual=KW_35123456,
                   tags_auto=_minus(MESH_35123456, KW_35123456)),
        why=f"{LANG}; {TAGS} (a name already a keyword is not added twice)",
    ),
    Case(
        "pmid_35649368_erratum_in.xml",
        zotero=dict(
            itemType="journalArticle",
            title="Fatty acid oxidation protects cancer cells from apoptosis by increasing "
            "mitochondrial membrane lipids",
            creators=["author|Li|Yi-Jia", "author|Fahrmann|Johannes Francois"],
            creator_count=10, date="2022-05-31", publicationTitle="Cell Reports",
            journalAbbreviation="Cell Rep", volume="39", issue="9", pages="110870",
            ISSN="2211-1247", DOI="10.1016/j.celrep.2022.110870", PMID="35649368",
            language="eng", abstract_start="Overcoming resistance to chemotherapies",
            tags_auto=MESH_35649368 + KW_35649368,
        ),
        zsync=dict(language="en", tags_auto=MESH_35649368, tags_manual=KW_35649368),
        why=f"{LANG}; {TAGS}",
    ),
    Case(
        "pmid_36987902_vernacular_title_norwegian.xml",
        zotero=dict(
            itemType="journalArticle",
            title="Patients over 75 years admitted to the National Burn Centre, Haukeland "
            "University Hospital, 2000-19",
            creators=["author|Bruserud|Øyvind", "author|Arnes|Kaja",
                      "author|Kjørsvik|Camilla Rygg"],
            creator_count=7, date="2023-03-28",
            publicationTitle="Tidsskrift for Den Norske Laegeforening: Tidsskrift for "
            "Praktisk Medicin, Ny Raekke",
            journalAbbreviation="Tidsskr Nor Laegeforen", volume="143", issue="5",
            pages=None, ISSN="0807-7096", DOI="10.4045/tidsskr.22.0358", PMID="36987902",
            language="eng, nor",
            abstract_start="BACKGROUND: The number of burn patients over the age of 75",
            abstract_contains=["\nMATERIAL AND METHOD: All patients \u2265\u00a075 years"],
            tags_auto=MESH_36987902,
        ),
        zsync=dict(language="en, no"),
        why=LANG,
    ),
    Case(
        "pmid_37398060_preprint_update_in.xml",
        zotero=dict(
            itemType="preprint",
            title="Neuronal Connectivity as a Determinant of Cell Types and Subtypes",
            creators=["author|Liu|Lijuan", "author|Yun|Zhixi"], creator_count=10,
            date="2023-06-14", repository="Research Square", archiveID="rs.3.rs-2960606",
            pages=None, DOI="10.21203/rs.3.rs-2960606/v1", language="eng",
            abstract_start="Classifications of single neurons at brain-wide scale",
        ),
        zsync=dict(
            language="en",
            extra_lines=["journalAbbreviation: Res Sq", "ISSN: 2693-5015",
                         "PMID: 37398060", "PMCID: PMC10312949"],
        ),
        why=f"{LANG}; fields a preprint lacks are kept in Extra",
    ),
    Case(
        "pmid_38534005_collective_author_structured_abstract.xml",
        zotero=dict(
            itemType="journalArticle", title="The EFLM European Urinalysis Guideline 2023",
            creators=["author|Kouri|Timo T.", "author|Hofmann|Walter"], creator_count=9,
            last_creator="author|Task and Finish Group for Urinalysis (TFG-U), European "
            "Federation of Clinical Chemistry and Laboratory Medicine (EFLM)",
            date="2024-08-27", publicationTitle="Clinical Chemistry and Laboratory Medicine",
            journalAbbreviation="Clin Chem Lab Med", volume="62", issue="9",
            pages="1653-1786", ISSN="1437-4331", DOI="10.1515/cclm-2024-0070",
            PMID="38534005", language="eng",
            abstract_start="BACKGROUND: The EFLM Task and Finish Group Urinalysis",
            abstract_contains=["\nRECOMMENDATIONS: Graded recommendations",
                               "\nMEDICAL NEEDS AND TEST REQUISITION: "],
            tags_auto=MESH_38534005 + KW_38534005,
        ),
        zsync=dict(language="en", tags_auto=MESH_38534005, tags_manual=KW_38534005),
        why=f"{LANG}; {TAGS}",
    ),
    Case(
        "pmid_38833988_published_erratum.xml",
        zotero=dict(
            itemType="journalArticle",
            title='Corrigendum to "MageC2 protein is upregulated by oncogenic activation of '
            "MAPK pathway and causes impairment of the p53 transactivation function\" "
            "[Biochim. Biophys. Acta, Mol. Cell Res. vol. 1868 (Issue 3) (March 2021) 118918]",
            creators=["author|Pascucci|Franco Andrés"], creator_count=6, date="2024-08",
            publicationTitle="Biochimica Et Biophysica Acta. Molecular Cell Research",
            journalAbbreviation="Biochim Biophys Acta Mol Cell Res", volume="1871",
            issue="6", pages="119767", ISSN="1879-2596", DOI="10.1016/j.bbamcr.2024.119767",
            PMID="38833988", abstractNote=None, language="eng",
        ),
        zsync=dict(language="en"),
        why=LANG,
    ),
    Case(
        "pmid_39345789_update_of.xml",
        zotero=dict(
            itemType="journalArticle", title="VMAP: Vaginal Microbiome Atlas during Pregnancy",
            creators=["author|Parraga-Leo|Antonio", "author|Oskotsky|Tomiko T."],
            creator_count=24, date="2024-10", publicationTitle="JAMIA open",
            journalAbbreviation="JAMIA Open", volume="7", issue="3", pages="ooae099",
            ISSN="2574-2531", DOI="10.1093/jamiaopen/ooae099", PMID="39345789",
            PMCID="PMC11430916", language="eng",
            abstract_start="OBJECTIVES: To enable interactive visualization",
            tags_auto=KW_39345789,
        ),
        zsync=dict(language="en", tags_auto=(), tags_manual=KW_39345789),
        why=f"{LANG}; {TAGS}",
    ),
    Case(
        "pmids_11748933_11700088_two_articles.xml",
        zotero=dict(
            itemType="journalArticle",
            title="Is cryopreservation a homogeneous process? Ultrastructure and motility of "
            "untreated, prefreezing, and postthawed spermatozoa of Diplodus puntazzo (Cetti)",
            creators=["author|Taddei|A. R.", "author|Barbato|F."], creator_count=8,
            date="2001-06", publicationTitle="Cryobiology", journalAbbreviation="Cryobiology",
            volume="42", issue="4", pages="244-255", ISSN="0011-2240",
            DOI="10.1006/cryo.2001.2328", PMID="11748933", language="eng",
            tags_auto=MESH_11748933,
        ),
        zsync=dict(language="en"),
        why=LANG,
    ),
    Case(
        "pmids_11748933_11700088_two_articles.xml",
        index=1,
        zotero=dict(
            itemType="journalArticle",
            title="Proton MRI of (13)C distribution by J and chemical shift editing",
            creators=["author|Casieri|C.", "author|Testa|C."], creator_count=6,
            last_creator="author|De Luca|F.", date="2001-11",
            publicationTitle="Journal of Magnetic Resonance (San Diego, Calif.: 1997)",
            journalAbbreviation="J Magn Reson", volume="153", issue="1", pages="117-123",
            ISSN="1090-7807", DOI="10.1006/jmre.2001.2429", PMID="11700088", language="eng",
        ),
        zsync=dict(language="en"),
        why=LANG,
    ),
    Case(
        "pmids_12091962_9997_season_no_doi.xml",
        zotero=dict(
            itemType="journalArticle",
            title="The treatment of AIDS behind the walls of correctional facilities",
            creators=["author|Olivero|J. Michael"], creator_count=1, date="1990",
            publicationTitle="Social Justice (San Francisco, Calif.)",
            journalAbbreviation="Soc Justice", volume="17", issue="1", pages="113-125",
            ISSN="1043-1578", DOI=None, PMID="12091962", abstractNote=None, language="eng",
            tags_auto=MESH_12091962 + KW_12091962,
        ),
        zsync=dict(date="1990 Spring", language="en", tags_auto=MESH_12091962,
                   tags_manual=KW_12091962),
        why=f"the season is kept as written; {LANG}; {TAGS}",
    ),
    Case(
        "pmids_12091962_9997_season_no_doi.xml",
        index=1,
        zotero=dict(
            itemType="journalArticle",
            title="Magnetic studies of Chromatium flavocytochrome C552. A mechanism for "
            "heme-flavin interaction",
            creators=["author|Strekas|T. C."], creator_count=1, date="1976-09-28",
            publicationTitle="Biochimica Et Biophysica Acta",
            journalAbbreviation="Biochim Biophys Acta", volume="446", issue="1",
            pages="179-191", ISSN="0006-3002", DOI="10.1016/0005-2795(76)90109-4",
            PMID="9997", language="eng", tags_auto=MESH_9997,
        ),
        zsync=dict(language="en"),
        why=LANG,
    ),
]
