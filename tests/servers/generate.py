"""Synthetic bibliographic works that both emulators can serve, for load tests and benchmarks.

One `SyntheticWork` describes a journal article. `crossref_work` renders it as a Crossref
REST `work` message; `pubmed_article` renders it as an E-utilities `<PubmedArticle>`. The same
(seed, index) always gives the same work, so a Crossref server loaded with
`generate(n, seed)` and a PubMed server loaded with a subset of the same works agree on
DOI, title, authors, journal, year and pages, as the real services do for one paper.

Generated DOIs use Crossref's test prefix 10.5555 and look like
`10.5555/jdhr.2019.000004217` (journal code, year, 3-digit seed, 6-digit index), so they
cannot be mistaken for real DOIs and `work_for_doi` can recover the work from the DOI.
PMIDs are 8 digits from 50,000,000 up and PMCIDs 8 digits from PMC20000000 up, above the
ids in the recorded fixtures. Indexes must stay below 1,000,000; seeds are taken mod 50.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from random import Random
from xml.sax.saxutils import escape, quoteattr

PREFIX = "10.5555"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass(frozen=True)
class Journal:
    code: str
    title: str
    abbrev: str
    issn_print: str | None
    issn_electronic: str
    publisher: str
    domain: str
    country: str
    nlm_id: str
    online_only: bool


@dataclass(frozen=True)
class Person:
    family: str
    given: str
    orcid: str | None
    affiliation: str

    @property
    def initials(self) -> str:
        return "".join(part[0] for part in re.split(r"[\s-]+", self.given) if part)


@dataclass(frozen=True)
class Mesh:
    ui: str
    term: str
    major: bool = False
    qualifiers: tuple[tuple[str, str], ...] = ()


@dataclass
class SyntheticWork:
    index: int
    seed: int
    doi: str
    title: str
    journal: Journal
    authors: list[Person]
    year: int
    month: int
    day: int
    online: tuple[int, int, int]
    volume: str
    issue: str
    first_page: int | None
    last_page: int | None
    article_number: str | None
    abstract: list[tuple[str, str]] | None
    abstract_in_crossref: bool
    keywords: list[str]
    mesh: list[Mesh]
    publication_types: list[tuple[str, str]]
    pmid: str
    pmcid: str | None
    references: list[str]
    license_url: str | None
    cited_by: int
    retraction: dict[str, str] | None = None
    correction_doi: str | None = None

    @property
    def page(self) -> str:
        if self.article_number:
            return self.article_number
        if self.last_page is not None:
            return f"{self.first_page}-{self.last_page}"
        return str(self.first_page)

    @property
    def first_author(self) -> Person:
        return self.authors[0]


# --------------------------------------------------------------------------- vocabulary

def _issn(body: int) -> str:
    digits = f"{body % 10_000_000:07d}"
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{digits[:4]}-{digits[4:]}{'X' if check == 10 else check}"


def _journal(
    code: str, title: str, abbrev: str, publisher: str, domain: str, country: str, n: int,
    online_only: bool,
) -> Journal:
    return Journal(
        code=code, title=title, abbrev=abbrev,
        issn_print=None if online_only else _issn(2_100_000 + n * 7919),
        issn_electronic=_issn(2_500_000 + n * 104_729),
        publisher=publisher, domain=domain, country=country,
        nlm_id=f"1{n:02d}9{n * 37 % 1000:03d}{n}", online_only=online_only,
    )


JOURNALS: tuple[Journal, ...] = tuple(
    _journal(*spec, n, online)
    for n, (spec, online) in enumerate(
        [
            (("jdhr", "Journal of Digital Health Research", "J Digit Health Res",
              "Meridian Academic Press", "meridian-press.example", "Canada"), True),
            (("cem", "Clinical Epidemiology and Methods", "Clin Epidemiol Methods",
              "Northgate Scientific", "northgate-sci.example", "England"), False),
            (("isr", "Implementation Science Reports", "Implement Sci Rep",
              "Linden House Publishing", "lindenhouse.example", "England"), True),
            (("apc", "Annals of Preventive Cardiology", "Ann Prev Cardiol",
              "Northgate Scientific", "northgate-sci.example", "United States"), False),
            (("npr", "Nursing Practice Review", "Nurs Pract Rev",
              "Harbour & Vale", "harbourvale.example", "Australia"), False),
            (("jro", "Journal of Rehabilitation Outcomes", "J Rehabil Outcomes",
              "Meridian Academic Press", "meridian-press.example", "United States"), False),
            (("phe", "Public Health Evidence", "Public Health Evid",
              "Linden House Publishing", "lindenhouse.example", "Switzerland"), True),
            (("bmhs", "Behavioural Medicine and Health Studies", "Behav Med Health Stud",
              "Harbour & Vale", "harbourvale.example", "Netherlands"), False),
            (("scr", "Sleep and Circadian Research", "Sleep Circadian Res",
              "Aster Journals", "asterjournals.example", "Germany"), False),
            (("gmo", "Global Medicine Open", "Glob Med Open",
              "Aster Journals", "asterjournals.example", "England"), True),
        ]
    )
)

INTERVENTIONS = [
    "a smartphone-based self-management programme", "nurse-led telephone follow-up",
    "mindfulness-based stress reduction", "digital cognitive behavioural therapy",
    "physiotherapist-supervised exercise", "text message reminders",
    "community health worker home visits", "a school-based physical activity programme",
    "video consultations", "peer support groups", "motivational interviewing",
    "a web-based decision aid", "pharmacist-led medication review",
    "high-intensity interval training", "a Mediterranean diet intervention",
    "remote blood pressure monitoring", "electronic health record alerts",
    "group-based patient education", "wearable activity trackers",
    "brief alcohol interventions", "yoga", "financial incentives",
    "home-based cardiac rehabilitation", "a gamified mobile application",
    "shared decision-making training", "structured discharge planning", "acupuncture",
    "vitamin D supplementation", "early mobilisation", "telemonitoring",
]
OUTCOMES = [
    "medication adherence", "quality of life", "glycaemic control", "depressive symptoms",
    "physical function", "hospital readmission", "sleep quality", "blood pressure",
    "patient satisfaction", "health literacy", "anxiety", "fatigue", "pain intensity",
    "weight loss", "smoking cessation", "self-efficacy", "functional independence",
    "emergency department visits", "cognitive performance", "return to work", "falls",
    "treatment engagement", "health care costs", "caregiver burden", "all-cause mortality",
]
CONDITIONS = [
    ("type 2 diabetes", "D003924", "Diabetes Mellitus, Type 2"),
    ("hypertension", "D006973", "Hypertension"),
    ("chronic heart failure", "D006333", "Heart Failure"),
    ("major depression", "D003865", "Depressive Disorder, Major"),
    ("chronic low back pain", "D017116", "Low Back Pain"),
    ("COPD", "D029424", "Pulmonary Disease, Chronic Obstructive"),
    ("asthma", "D001249", "Asthma"),
    ("obesity", "D009765", "Obesity"),
    ("multiple sclerosis", "D009103", "Multiple Sclerosis"),
    ("stroke", "D020521", "Stroke"),
    ("breast cancer", "D001943", "Breast Neoplasms"),
    ("dementia", "D003704", "Dementia"),
    ("rheumatoid arthritis", "D001172", "Arthritis, Rheumatoid"),
    ("chronic kidney disease", "D051436", "Renal Insufficiency, Chronic"),
    ("insomnia", "D007319", "Sleep Initiation and Maintenance Disorders"),
    ("generalised anxiety disorder", "D001008", "Anxiety Disorders"),
    ("HIV infection", "D015658", "HIV Infections"),
    ("knee osteoarthritis", "D020370", "Osteoarthritis, Knee"),
    ("Parkinson's disease", "D010300", "Parkinson Disease"),
    ("long COVID", "D000094024", "Post-Acute COVID-19 Syndrome"),
    ("atrial fibrillation", "D001281", "Atrial Fibrillation"),
    ("alcohol use disorder", "D000437", "Alcoholism"),
    ("gestational diabetes", "D016640", "Diabetes, Gestational"),
    ("schizophrenia", "D012559", "Schizophrenia"),
    ("coronary artery disease", "D003324", "Coronary Artery Disease"),
]
POPULATIONS = [
    ("older adults", [("D000368", "Aged")]),
    ("adolescents", [("D000293", "Adolescent")]),
    ("primary care patients", [("D000328", "Adult")]),
    ("university students", [("D055815", "Young Adult")]),
    ("nursing home residents", [("D000369", "Aged, 80 and over")]),
    ("rural residents", [("D000328", "Adult"), ("D035862", "Rural Population")]),
    ("working-age adults", [("D000328", "Adult"), ("D008875", "Middle Aged")]),
    ("children", [("D002648", "Child")]),
    ("veterans", [("D014728", "Veterans")]),
    ("pregnant women", [("D011247", "Pregnancy")]),
    ("informal caregivers", [("D017028", "Caregivers")]),
    ("hospitalised patients", [("D007297", "Inpatients")]),
    ("low-income households", [("D011203", "Poverty")]),
    ("refugees", [("D012036", "Refugees")]),
    ("health care workers", [("D006282", "Health Personnel")]),
]
SETTINGS = [
    "in Norway", "in rural Kenya", "in urban Brazil", "in Scottish general practice",
    "in Japanese hospitals", "across Europe", "in Australia", "in Canadian primary care",
    "in the Netherlands", "in South India", "in Germany", "in New Zealand", "in Spain",
    "in Ontario", "in Sweden", "in Chile", "in Ghana", "in Vietnam", "in Ireland", "in Denmark",
]
DESIGNS = [
    ("a randomised controlled trial", ("D016449", "Randomized Controlled Trial"),
     ("D016032", "Randomized Controlled Trials as Topic")),
    ("a systematic review and meta-analysis", ("D017418", "Meta-Analysis"), None),
    ("a prospective cohort study", None, ("D011446", "Prospective Studies")),
    ("a cross-sectional survey", None, ("D003430", "Cross-Sectional Studies")),
    ("a qualitative interview study", None, ("D036301", "Qualitative Research")),
    ("a pragmatic cluster randomised trial", ("D016449", "Randomized Controlled Trial"), None),
    ("a retrospective cohort study", None, ("D012189", "Retrospective Studies")),
    ("a mixed-methods evaluation", ("D064888", "Observational Study"), None),
    ("a pilot feasibility study", None, ("D010865", "Pilot Projects")),
]
FAMILIES = [
    "Nguyen", "Okafor", "Lindqvist", "García", "Müller", "Kowalski", "Haddad", "Tanaka",
    "O'Brien", "Fernández-Altuna", "Smith", "Johansson", "Rossi", "Novak", "Papadopoulos",
    "Chen", "Kim", "Singh", "Patel", "Dubois", "van der Berg", "Andersen", "Mensah",
    "Ivanova", "Silva", "Costa", "Murphy", "Walker", "Yamamoto", "Schmidt", "Hansen",
    "Ahmed", "Kaur", "Moreau", "Horvat", "Nielsen", "Bianchi", "Kovač", "Oduya", "Lee",
    "Brown", "Wilson", "Taylor", "Martin", "Thompson", "Robinson", "Clarke", "Wright",
    "Hughes", "Evans", "Sato", "Suzuki", "Wang", "Li", "Zhang", "Liu", "Huang", "Zhao",
    "Wu", "Zhou", "Santos", "Oliveira", "Pereira", "Almeida", "Rodrigues", "Lopez",
    "Martínez", "Sánchez", "Romero", "Álvarez", "Torres", "Ramírez", "Flores", "Nowak",
    "Wiśniewski", "Kozłowska", "Eriksson", "Larsen", "Virtanen", "Mäkinen", "Korhonen",
    "Jensen", "Pedersen", "Sørensen", "Bakker", "Visser", "Janssen", "de Vries", "Peeters",
    "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Schulz", "Ferrari", "Esposito",
    "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo", "Conti", "Mancini",
]
GIVENS = [
    "Anna", "Mei", "Kwame", "Ingrid", "Lucía", "Jonas", "Fatima", "Hiroshi", "Siobhán",
    "Pablo", "Emily", "Lars", "Giulia", "Tomasz", "Eleni", "Wei", "Ji-woo", "Arjun",
    "Priya", "Camille", "Pieter", "Mette", "Ama", "Olga", "João", "Beatriz", "Ciarán",
    "James", "Yuki", "Katrin", "Nils", "Aisha", "Harpreet", "Julien", "Marko", "Sofie",
    "Chiara", "Ivana", "Chinedu", "Min-jun", "Sarah", "David", "Laura", "Michael",
    "Rebecca", "Thomas", "Hannah", "Daniel", "Sophie", "Benjamin", "Maria José",
    "Jean-Pierre", "Ana Luísa", "Mohammed", "Noor", "Elif", "Mehmet", "Zanele", "Thabo",
    "Aroha", "Tane", "Linh", "Minh", "Carlos", "Valentina", "Mateus", "Paula", "Rui",
]
AFFILIATIONS = [
    "Department of Public Health, University of Bergen, Bergen, Norway",
    "School of Nursing, McMaster University, Hamilton, Ontario, Canada",
    "Institute of Health Informatics, University College London, London, UK",
    "Department of Family Medicine, Maastricht University, Maastricht, The Netherlands",
    "Faculty of Medicine, University of São Paulo, São Paulo, Brazil",
    "Centre for Behavioural Research, University of Melbourne, Melbourne, Australia",
    "Department of Epidemiology, Karolinska Institutet, Stockholm, Sweden",
    "Kenya Medical Research Institute, Nairobi, Kenya",
    "Graduate School of Medicine, Kyoto University, Kyoto, Japan",
    "Department of Rehabilitation Sciences, KU Leuven, Leuven, Belgium",
    "Instituto de Salud Carlos III, Madrid, Spain",
    "School of Public Health, University of Ghana, Accra, Ghana",
]
KEYWORDS_EXTRA = [
    "eHealth", "mHealth", "adherence", "implementation", "behaviour change", "telehealth",
    "self-management", "health services research", "primary care", "patient engagement",
]


# --------------------------------------------------------------------------- generation

def _orcid(rng: Random) -> str:
    base = f"0000000{rng.randrange(100_000_000, 999_999_999)}"[-15:]
    total = 0
    for ch in base:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    digits = base + ("X" if check == 10 else str(check))
    return "-".join(digits[i : i + 4] for i in range(0, 16, 4))


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _title(rng: Random, parts: dict[str, str]) -> str:
    templates = [
        "Effect of {intervention} on {outcome} in {population} with {condition}: {design}",
        "{Intervention} for {condition} {setting}: {design}",
        "Association between {outcome} and {outcome2} among {population} with {condition}"
        " {setting}",
        "{Outcome} after {intervention} in {population}: {design}",
        "Barriers and facilitators to {intervention} for {condition} {setting}:"
        " a qualitative study",
        "Trajectories of {outcome} in {population} with {condition} {setting}",
        "Cost-effectiveness of {intervention} for {population} with {condition}",
    ]
    template = rng.choice(templates)
    values = dict(parts)
    values["Intervention"] = _sentence_case(parts["intervention"])
    values["Outcome"] = _sentence_case(parts["outcome"])
    return template.format(**values)


def _abstract(rng: Random, parts: dict[str, str], n: int) -> list[tuple[str, str]]:
    effect = rng.choice(["improved", "did not improve", "modestly improved", "reduced"])
    ci_low = rng.randint(5, 40) / 100
    return [
        ("BACKGROUND",
         f"Evidence on {parts['intervention']} for {parts['population']} with"
         f" {parts['condition']} is limited. We examined its effect on {parts['outcome']}."),
        ("METHODS",
         f"We conducted {parts['design']} {parts['setting']}. Participants (n = {n}) were"
         f" followed for {rng.choice([3, 6, 12, 24])} months; {parts['outcome2']} was a"
         " secondary outcome."),
        ("RESULTS",
         f"The intervention {effect} {parts['outcome']} (standardised difference"
         f" {ci_low + 0.1:.2f}, 95% CI {ci_low:.2f} to {ci_low + 0.2:.2f};"
         f" P = 0.0{rng.randint(1, 9)})."),
        ("CONCLUSIONS",
         f"{_sentence_case(parts['intervention'])} may be a feasible option for"
         f" {parts['population']} with {parts['condition']}; larger trials are needed."),
    ]


def _doi(journal: Journal, year: int, seed: int, index: int) -> str:
    return f"{PREFIX}/{journal.code}.{year}.{seed % 1000:03d}{index:06d}"


_GENERATED_DOI = re.compile(r"^10\.5555/([a-z]+)\.(\d{4})\.(\d{3})(\d{6})$")


def make_work(index: int, seed: int = 0) -> SyntheticWork:
    """The work number `index` of the series `seed`; the same arguments give the same work."""
    if not 0 <= index < 1_000_000:
        raise ValueError("index must be in [0, 1_000_000)")
    rng = Random(f"zsync-synthetic:{seed}:{index}")
    return _build(rng, index=index, seed=seed, doi=None)


def work_for_doi(doi: str, seed: int = 0) -> SyntheticWork:
    """The work for `doi`: the generated one if `doi` came from this generator, else a new
    work built from a hash of the DOI (so the same DOI and seed always describe one paper)."""
    match = _GENERATED_DOI.match(doi.lower())
    if match and int(match.group(3)) == seed % 1000:
        work = make_work(int(match.group(4)), seed)
        if work.doi == doi.lower():
            return work
    digest = int(hashlib.sha1(f"{seed}:{doi.lower()}".encode()).hexdigest(), 16)
    rng = Random(digest)
    # Outside the generated ranges: just above today's real PMIDs, below generated ones.
    return _build(rng, index=digest % 1_000_000, seed=seed, doi=doi,
                  pmid=42_000_000 + digest % 3_000_000)


def generate(n: int, seed: int = 0) -> list[SyntheticWork]:
    """`n` works of series `seed` (indexes 0..n-1)."""
    return [make_work(i, seed) for i in range(n)]


def iter_generate(n: int, seed: int = 0) -> Iterator[SyntheticWork]:
    for i in range(n):
        yield make_work(i, seed)


def works_for_dois(dois: Sequence[str], seed: int = 0) -> list[SyntheticWork]:
    """One work per DOI, with PMIDs made unique within the call."""
    out: list[SyntheticWork] = []
    seen: set[str] = set()
    for doi in dois:
        work = work_for_doi(doi, seed)
        while work.pmid in seen:
            work.pmid = str(int(work.pmid) + 1)
        seen.add(work.pmid)
        out.append(work)
    return out


def _build(
    rng: Random, *, index: int, seed: int, doi: str | None, pmid: int | None = None
) -> SyntheticWork:
    journal = rng.choice(JOURNALS)
    printed = date(rng.randint(1998, 2025), rng.randint(1, 12), rng.randint(1, 28))
    # Online-first a few weeks earlier (sometimes in the previous year); online-only
    # journals have a single date.
    first = printed if journal.online_only else printed - timedelta(days=rng.randint(0, 60))
    year, month, day = printed.year, printed.month, printed.day
    cond, cond_ui, cond_term = rng.choice(CONDITIONS)
    pop, pop_mesh = rng.choice(POPULATIONS)
    design, design_pt, design_mesh = rng.choice(DESIGNS)
    outcome, outcome2 = rng.sample(OUTCOMES, 2)
    parts = {
        "intervention": rng.choice(INTERVENTIONS), "outcome": outcome, "outcome2": outcome2,
        "population": pop, "condition": cond, "setting": rng.choice(SETTINGS), "design": design,
    }
    title = _title(rng, parts)
    authors = []
    families = rng.sample(FAMILIES, rng.randint(1, 8))
    for family in families:
        authors.append(
            Person(
                family=family, given=rng.choice(GIVENS),
                orcid=_orcid(rng) if rng.random() < 0.35 else None,
                affiliation=rng.choice(AFFILIATIONS),
            )
        )
    online = (first.year, first.month, first.day)
    volume = str(max(1, year - 1990 + rng.randint(0, 3)))
    issue = str(rng.randint(1, 12))
    first_page: int | None = None
    last_page: int | None = None
    article_number: str | None = None
    if journal.online_only:
        article_number = f"e{rng.randint(10_000, 99_999)}"
    else:
        first_page = rng.randint(1, 2400)
        last_page = first_page + rng.randint(4, 18)
    sample_size = rng.randint(24, 4800)
    has_abstract = rng.random() < 0.85
    abstract = _abstract(rng, parts, sample_size) if has_abstract else None
    mesh = [Mesh("D006801", "Humans")]
    mesh += [Mesh(ui, term) for ui, term in pop_mesh]
    mesh.append(Mesh(cond_ui, cond_term, major=True,
                     qualifiers=(("Q000628", "therapy"),) if rng.random() < 0.6 else ()))
    if rng.random() < 0.5:
        mesh.append(Mesh("D005260", "Female"))
        mesh.append(Mesh("D008297", "Male"))
    if design_mesh:
        mesh.append(Mesh(*design_mesh))
    mesh.sort(key=lambda m: m.term)
    pub_types = [("D016428", "Journal Article")]
    if design_pt:
        pub_types.append(design_pt)
    keywords = sorted({cond, outcome, *rng.sample(KEYWORDS_EXTRA, 2)}, key=str.lower)
    doi_value = doi if doi is not None else _doi(journal, year, seed, index)
    pmid_value = str(pmid if pmid is not None else 50_000_000 + (seed % 50) * 1_000_000 + index)
    pmcid = f"PMC{int(pmid_value) - 30_000_000}" if rng.random() < 0.4 else None
    references = [
        _doi(rng.choice(JOURNALS), rng.randint(1995, year), seed, rng.randrange(0, 1000))
        for _ in range(rng.randint(0, 4))
    ]
    work = SyntheticWork(
        index=index, seed=seed, doi=doi_value.lower(), title=title, journal=journal,
        authors=authors, year=year, month=month, day=day, online=online, volume=volume,
        issue=issue, first_page=first_page, last_page=last_page,
        article_number=article_number, abstract=abstract,
        abstract_in_crossref=has_abstract and rng.random() < 0.6, keywords=keywords,
        mesh=mesh, publication_types=pub_types, pmid=pmid_value, pmcid=pmcid,
        references=references,
        license_url="http://creativecommons.org/licenses/by/4.0/" if rng.random() < 0.5
        else None,
        cited_by=int(rng.paretovariate(1.2)) - 1,
    )
    roll = rng.random()
    if roll < 0.03:
        ret_year = min(2026, year + rng.randint(1, 4))
        work.retraction = {
            "doi": f"{work.doi}.ret",
            "record_id": str(30_000 + zlib.crc32(work.doi.encode()) % 30_000),
            "date": f"{ret_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "pmid": str(int(pmid_value) - 5_000_000),
        }
        work.publication_types.append(("D016441", "Retracted Publication"))
    elif roll < 0.06:
        work.correction_doi = f"{work.doi}.cor"
    return work


# --------------------------------------------------------------------------- Crossref

def _date(parts: Sequence[int]) -> dict[str, object]:
    return {"date-parts": [list(parts)]}


def _stamp(year: int, month: int, day: int, hour: int = 0) -> dict[str, object]:
    moment = datetime(year, month, day, hour, tzinfo=UTC)
    return {
        "date-parts": [[year, month, day]],
        "date-time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "timestamp": int(moment.timestamp() * 1000),
    }


def _jats(sections: list[tuple[str, str]]) -> str:
    out = []
    for label, text in sections:
        out.append(
            f"<jats:sec><jats:title>{label.title()}</jats:title>"
            f"<jats:p>{escape(text)}</jats:p></jats:sec>"
        )
    return "".join(out)


def crossref_work(work: SyntheticWork) -> dict[str, object]:
    """The Crossref REST `message` for a work, in the key order the live API uses."""
    j = work.journal
    online = work.online
    issued = min((work.year, work.month, work.day), online)
    msg: dict[str, object] = {
        "indexed": _stamp(2026, 1 + work.index % 6, 1 + work.index % 28, 3),
        "reference-count": len(work.references),
        "publisher": j.publisher,
        "issue": work.issue,
    }
    if work.license_url:
        msg["license"] = [{
            "start": _stamp(*online), "content-version": "vor", "delay-in-days": 0,
            "URL": work.license_url,
        }]
    msg["content-domain"] = {"domain": [], "crossmark-restriction": False}
    msg["short-container-title"] = [j.abbrev]
    if not j.online_only:
        msg["published-print"] = _date([work.year, work.month])
    if work.abstract and work.abstract_in_crossref:
        msg["abstract"] = _jats(work.abstract)
    msg["DOI"] = work.doi
    msg["type"] = "journal-article"
    msg["created"] = _stamp(*online, 9)
    msg["page"] = work.page
    if work.retraction or work.correction_doi:
        msg["update-policy"] = f"https://doi.org/{PREFIX}/crossmark_policy"
    msg["source"] = "Crossref"
    msg["is-referenced-by-count"] = work.cited_by
    msg["title"] = [work.title]
    msg["prefix"] = work.doi.split("/", 1)[0]
    msg["volume"] = work.volume
    authors = []
    for pos, person in enumerate(work.authors):
        entry: dict[str, object] = {}
        if person.orcid:
            entry["ORCID"] = f"https://orcid.org/{person.orcid}"
            entry["authenticated-orcid"] = False
        entry.update({
            "given": person.given, "family": person.family,
            "sequence": "first" if pos == 0 else "additional",
            "affiliation": [{"name": person.affiliation}],
        })
        authors.append(entry)
    msg["author"] = authors
    msg["member"] = "7822"
    msg["published-online"] = _date(list(online))
    if work.references:
        msg["reference"] = [
            {"key": f"ref{k + 1}", "doi-asserted-by": "publisher", "DOI": ref}
            for k, ref in enumerate(work.references)
        ]
    updated_by = []
    if work.correction_doi:
        updated_by.append({
            "DOI": work.correction_doi, "type": "correction", "label": "Correction",
            "source": "publisher", "updated": _stamp(min(2026, work.year + 1), 2, 14),
        })
    if work.retraction:
        y, m, d = (int(x) for x in work.retraction["date"].split("-"))
        updated_by.append({
            "updated": _stamp(y, m, d), "DOI": work.retraction["doi"], "type": "retraction",
            "source": "retraction-watch", "record-id": work.retraction["record_id"],
            "label": "Retraction",
        })
    if updated_by:
        msg["updated-by"] = updated_by
    msg["container-title"] = [j.title]
    msg["original-title"] = []
    msg["language"] = "en"
    msg["link"] = [{
        "URL": f"https://{j.domain}/articles/{work.doi.split('/', 1)[1]}/fulltext.pdf",
        "content-type": "application/pdf", "content-version": "vor",
        "intended-application": "text-mining",
    }]
    msg["deposited"] = _stamp(min(2026, issued[0] + 1), issued[1], min(issued[2], 28), 12)
    msg["score"] = 1
    landing = f"https://{j.domain}/articles/{work.doi.split('/', 1)[1]}"
    msg["resource"] = {"primary": {"URL": landing}}
    msg["subtitle"] = []
    msg["short-title"] = []
    msg["issued"] = _date(list(issued))
    msg["references-count"] = len(work.references)
    msg["journal-issue"] = {"issue": work.issue}
    if not j.online_only:
        msg["journal-issue"] = {"issue": work.issue,
                                "published-print": _date([work.year, work.month])}
    msg["alternative-id"] = [work.doi.split("/", 1)[1]]
    msg["URL"] = f"https://doi.org/{work.doi}"
    msg["relation"] = {}
    issns = [x for x in (j.issn_print, j.issn_electronic) if x]
    msg["ISSN"] = issns
    types = []
    if j.issn_print:
        types.append({"type": "print", "value": j.issn_print})
    types.append({"type": "electronic", "value": j.issn_electronic})
    msg["issn-type"] = types
    msg["subject"] = []
    msg["published"] = _date(list(issued))
    if work.article_number:
        msg["article-number"] = work.article_number
    return msg


# --------------------------------------------------------------------------- PubMed

def _abbrev_pages(first: int, last: int) -> str:
    a, b = str(first), str(last)
    if len(a) == len(b):
        k = 0
        while k < len(a) - 1 and a[k] == b[k]:
            k += 1
        b = b[k:]
    return f"{a}-{b}"


def _el(tag: str, text: str, **attrs: str) -> str:
    attr = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{tag}{attr}>{escape(text)}</{tag}>"


def _ymd(tag: str, y: int, m: int, d: int, extra: str = "", **attrs: str) -> str:
    attr = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{tag}{attr}><Year>{y}</Year><Month>{m:02d}</Month><Day>{d:02d}</Day>{extra}</{tag}>"


def pubmed_article(work: SyntheticWork) -> str:
    """A `<PubmedArticle>` element (as text) shaped like current EFetch output."""
    j = work.journal
    y, m = work.year, work.month
    oy, om, od = work.online
    out = [
        '<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"'
        ' IndexingMethod="Automated">',
        _el("PMID", work.pmid, Version="1"),
        _ymd("DateCompleted", min(2026, y + 1), 2, 11),
        _ymd("DateRevised", 2025, 1 + work.index % 12, 1 + work.index % 28),
        f'<Article PubModel="{"Electronic" if j.online_only else "Print-Electronic"}">',
        "<Journal>",
    ]
    if j.issn_print:
        out.append(_el("ISSN", j.issn_print, IssnType="Print"))
    else:
        out.append(_el("ISSN", j.issn_electronic, IssnType="Electronic"))
    medium = "Internet" if j.online_only else "Print"
    out.append(
        f'<JournalIssue CitedMedium="{medium}">{_el("Volume", work.volume)}'
        f"{_el('Issue', work.issue)}<PubDate><Year>{y}</Year><Month>{MONTHS[m - 1]}</Month>"
        "</PubDate></JournalIssue>"
    )
    out.append(_el("Title", j.title) + _el("ISOAbbreviation", j.abbrev) + "</Journal>")
    out.append(_el("ArticleTitle", work.title.rstrip(".") + "."))
    if work.article_number:
        out.append(f"<Pagination>{_el('MedlinePgn', work.article_number)}</Pagination>")
    elif work.first_page is not None and work.last_page is not None:
        out.append(
            f"<Pagination>{_el('StartPage', str(work.first_page))}"
            f"{_el('EndPage', str(work.last_page))}"
            f"{_el('MedlinePgn', _abbrev_pages(work.first_page, work.last_page))}</Pagination>"
        )
    if work.article_number:
        out.append(_el("ELocationID", work.article_number, EIdType="pii", ValidYN="Y"))
    out.append(_el("ELocationID", work.doi, EIdType="doi", ValidYN="Y"))
    if work.abstract:
        out.append("<Abstract>")
        for label, text in work.abstract:
            out.append(_el("AbstractText", text, Label=label, NlmCategory=label))
        out.append(_el("CopyrightInformation", f"© {y}. The Author(s).") + "</Abstract>")
    out.append('<AuthorList CompleteYN="Y">')
    for person in work.authors:
        orcid = _el("Identifier", person.orcid, Source="ORCID") if person.orcid else ""
        out.append(
            '<Author ValidYN="Y">'
            f"{_el('LastName', person.family)}{_el('ForeName', person.given)}"
            f"{_el('Initials', person.initials)}{orcid}"
            f"<AffiliationInfo>{_el('Affiliation', person.affiliation + '.')}</AffiliationInfo>"
            "</Author>"
        )
    out.append("</AuthorList><Language>eng</Language><PublicationTypeList>")
    out.extend(_el("PublicationType", term, UI=ui) for ui, term in work.publication_types)
    out.append("</PublicationTypeList>")
    out.append(_ymd("ArticleDate", oy, om, od, DateType="Electronic") + "</Article>")
    out.append(
        f"<MedlineJournalInfo>{_el('Country', j.country)}{_el('MedlineTA', j.abbrev)}"
        f"{_el('NlmUniqueID', j.nlm_id)}"
        f"{_el('ISSNLinking', j.issn_print or j.issn_electronic)}</MedlineJournalInfo>"
        "<CitationSubset>IM</CitationSubset>"
    )
    if work.retraction:
        notice = work.retraction
        source = f"{j.abbrev}. {notice['date'][:4]};{work.volume}:1. doi: {notice['doi']}"
        out.append(
            '<CommentsCorrectionsList><CommentsCorrections RefType="RetractionIn">'
            + _el("RefSource", source)
            + _el("PMID", notice["pmid"], Version="1")
            + "</CommentsCorrections></CommentsCorrectionsList>"
        )
    out.append("<MeshHeadingList>")
    for mesh in work.mesh:
        quals = "".join(
            _el("QualifierName", term, UI=ui, MajorTopicYN="N") for ui, term in mesh.qualifiers
        )
        major = "Y" if mesh.major else "N"
        descriptor = _el("DescriptorName", mesh.term, UI=mesh.ui, MajorTopicYN=major)
        out.append(f"<MeshHeading>{descriptor}{quals}</MeshHeading>")
    out.append('</MeshHeadingList><KeywordList Owner="NOTNLM">')
    out.extend(_el("Keyword", kw, MajorTopicYN="N") for kw in work.keywords)
    out.append("</KeywordList></MedlineCitation><PubmedData><History>")
    out.append(
        f'<PubMedPubDate PubStatus="received"><Year>{oy - 1 if om < 4 else oy}</Year>'
        f"<Month>{(om - 4) % 12 + 1}</Month><Day>{od}</Day></PubMedPubDate>"
        f'<PubMedPubDate PubStatus="accepted"><Year>{oy}</Year><Month>{om}</Month>'
        f"<Day>{max(1, od - 1)}</Day></PubMedPubDate>"
        f'<PubMedPubDate PubStatus="entrez"><Year>{oy}</Year><Month>{om}</Month>'
        f"<Day>{od}</Day><Hour>20</Hour><Minute>25</Minute></PubMedPubDate>"
        f'<PubMedPubDate PubStatus="pubmed"><Year>{oy}</Year><Month>{om}</Month>'
        f"<Day>{od}</Day><Hour>6</Hour><Minute>0</Minute></PubMedPubDate>"
    )
    if work.pmcid:
        out.append(
            f'<PubMedPubDate PubStatus="pmc-release"><Year>{oy}</Year><Month>{om}</Month>'
            f"<Day>{od}</Day></PubMedPubDate>"
        )
    status = "epublish" if j.online_only else "ppublish"
    out.append(f"</History><PublicationStatus>{status}</PublicationStatus><ArticleIdList>")
    out.append(_el("ArticleId", work.pmid, IdType="pubmed"))
    if work.pmcid:
        out.append(_el("ArticleId", work.pmcid, IdType="pmc"))
    out.append(_el("ArticleId", work.doi, IdType="doi"))
    out.append("</ArticleIdList>")
    if work.references:
        out.append("<ReferenceList>")
        for k, ref in enumerate(work.references):
            # Cited papers carry their own ids: a parser must not mistake them for this one's.
            cited_pmid = str(51_000_000 + zlib.crc32(ref.encode()) % 1_000_000)
            out.append(
                f"<Reference>{_el('Citation', f'Reference {k + 1}. doi: {ref}.')}"
                f"<ArticleIdList>{_el('ArticleId', ref, IdType='doi')}"
                f"{_el('ArticleId', cited_pmid, IdType='pubmed')}"
                "</ArticleIdList></Reference>"
            )
        out.append("</ReferenceList>")
    out.append("</PubmedData></PubmedArticle>")
    return "".join(out)

