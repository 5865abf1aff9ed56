"""The NCBI E-utilities (ESearch, EFetch for db=pubmed) and PMC ID Converter emulator.

Routes (any prefix before the .fcgi name is accepted, e.g. /entrez/eutils/efetch.fcgi):

  GET       /esearch.fcgi?db=pubmed&term=...          ids for a query (XML or retmode=json)
  GET|POST  /efetch.fcgi?db=pubmed&id=1,2&retmode=xml  PubmedArticleSet (POST: form body)
  GET       /idconv/v1.0/?ids=...&format=json          PMC ID Converter (also
            /pmc/utils/idconv/v1.0/ and /tools/idconv/api/v1/articles/)

See tests/servers/README.md for what is and is not emulated.
"""

from __future__ import annotations

import json
import re
import threading
from datetime import datetime
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from tests.servers.base import Request, Response
from tests.servers.pubmed.limits import SlidingWindow
from tests.servers.pubmed.query import Evaluator, QueryError
from tests.servers.pubmed.store import ArticleStore, normalize_pmcid

XML = "text/xml; charset=UTF-8"
JSON = "application/json; charset=UTF-8"
IDCONV_JSON = "application/json; charset=ISO-8859-1"  # as recorded; the bytes are UTF-8
IDCONV_XML = "text/xml; charset=ISO-8859-1"
ESEARCH_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC "-//NLM//DTD'
    ' esearch 20060628//EN" "https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n'
)
EFETCH_HEAD = (
    '<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle,'
    ' 1st January 2025//EN" "https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n'
)
URI_TOO_LONG = (
    '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
    "<title>414 Request-URI Too Long</title>\n</head><body>\n<h1>Request-URI Too Long</h1>\n"
    "<p>The requested URL's length exceeds the capacity\nlimit for this server.<br />\n</p>\n"
    "</body></html>\n"
)
EUTILS = ("esearch", "efetch")
MAX_GET_IDS = 200
IDCONV_MAX_IDS = 200
RETMAX_CAP = 10000
_PMCID = re.compile(r"^PMC\d+(\.\d+)?$", re.I)
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def _efetch_error(message: str) -> Response:
    body = f"<eFetchResult>\n\t<ERROR>{escape(message)}</ERROR>\n</eFetchResult>\n"
    return Response(400, body.encode(), {"Content-Type": XML})


def _id_type(value: str) -> str:
    if _PMCID.match(value):
        return "pmcid"
    if value.isdigit():
        return "pmid"
    if _DOI.match(value):
        return "doi"
    return "mid"


class PubMedApp:
    """E-utilities and ID-converter behaviour over an `ArticleStore`."""

    def __init__(
        self,
        store: ArticleStore | None = None,
        *,
        enforce_limits: bool = True,
        limit_without_key: int = 3,
        limit_with_key: int = 10,
        max_request_line: int = 8190,
        max_get_ids: int = MAX_GET_IDS,
        all_unknown: str = "empty",
    ) -> None:
        """all_unknown: what EFetch answers when every id is well-formed but none exists,
        "empty" (an empty PubmedArticleSet, HTTP 200) or "error" (HTTP 400 "ID list is
        empty!", which real EFetch gives when no id is even well-formed)."""
        if all_unknown not in ("empty", "error"):
            raise ValueError("all_unknown must be 'empty' or 'error'")
        self.store = store if store is not None else ArticleStore()
        self.enforce_limits = enforce_limits
        self.limit_without_key = limit_without_key
        self.limit_with_key = limit_with_key
        self.max_request_line = max_request_line
        self.max_get_ids = max_get_ids
        self.all_unknown = all_unknown
        self.window = SlidingWindow()
        self._seen: dict[int, tuple[int, int]] = {}
        self._seen_lock = threading.Lock()

    # ------------------------------------------------------------------ data API
    def add_article(self, xml: str | bytes) -> list[str]:
        """Add one <PubmedArticle>/<PubmedBookArticle> (or a whole set); returns PMIDs."""
        return self.store.add_xml(xml)

    def add_articles(self, xmls: list[str]) -> int:
        return self.store.add_many(xmls)

    # ------------------------------------------------------------------ routing
    def endpoint(self, request: Request) -> str:
        last = request.path.rstrip("/").rsplit("/", 1)[-1]
        if last.endswith(".fcgi"):
            return last[: -len(".fcgi")]
        if "/idconv/" in request.path + "/":
            return "idconv"
        return "unknown"

    @staticmethod
    def params(request: Request) -> dict[str, str]:
        """Query string and (for POST) form body, the body winning."""
        merged = dict(request.query)
        if request.method == "POST" and request.body:
            merged.update(request.form())
        return merged

    # ------------------------------------------------------------------ limits
    def admit(self, request: Request) -> Response | None:
        line = len(f"{request.method} {request.raw_target} HTTP/1.1".encode())
        name = self.endpoint(request)
        too_many_ids = (name == "efetch" and request.method == "GET"
                        and len(_split_ids(request.arg("id") or "")) > self.max_get_ids)
        if line > self.max_request_line or too_many_ids:
            return Response(414, URI_TOO_LONG.encode(), {"Content-Type":
                                                         "text/html; charset=iso-8859-1"})
        if name not in EUTILS:
            return None
        params = self.params(request)
        key = (params.get("api_key") or "").strip()
        limit = self.limit_with_key if key else self.limit_without_key
        who = key or request.client or "127.0.0.1"
        count = self.window.hit(who)
        if self.enforce_limits and count > limit:
            body = {"error": "API rate limit exceeded", "api-key": who,
                    "count": str(count), "limit": str(limit)}
            return Response(429, json.dumps(body, separators=(",", ":")).encode(), {
                "Content-Type": "application/json",
                "X-RateLimit-Limit": str(limit), "X-RateLimit-Remaining": "0",
            })
        with self._seen_lock:
            self._seen[id(request)] = (limit, count)
        return None

    def release(self, request: Request) -> None:
        with self._seen_lock:
            self._seen.pop(id(request), None)

    def _rate_headers(self, request: Request) -> dict[str, str]:
        with self._seen_lock:
            seen = self._seen.get(id(request))
        if seen is None:
            return {}
        limit, count = seen
        return {"X-RateLimit-Limit": str(limit),
                "X-RateLimit-Remaining": str(max(0, limit - count))}

    # ------------------------------------------------------------------ handling
    def handle(self, request: Request) -> Response:
        name = self.endpoint(request)
        if name == "esearch":
            response = self._esearch(self.params(request))
        elif name == "efetch":
            response = self._efetch(self.params(request))
        elif name == "idconv":
            return self._idconv(request)
        else:
            return Response(404, b"<html><body><h1>Not Found</h1></body></html>\n",
                            {"Content-Type": "text/html"})
        response.headers.update(self._rate_headers(request))
        return response

    # ------------------------------------------------------------------ ESearch
    def _esearch(self, params: dict[str, str]) -> Response:
        as_json = params.get("retmode", "xml").lower() == "json"
        db = params.get("db", "pubmed").lower()
        term = params.get("term", "").strip()
        if db != "pubmed":
            return self._esearch_error(f"Invalid db name specified: {db}", as_json)
        if not term:
            return self._esearch_error("Empty term and query_key - nothing todo", as_json)
        retstart = _int(params.get("retstart"), 0)
        retmax = min(_int(params.get("retmax"), 20), RETMAX_CAP)
        evaluator = Evaluator(self.store, default_tag=params.get("field") or None)
        try:
            result = evaluator.run(term)
        except QueryError as exc:
            return self._esearch_error(f"Invalid query: {exc}", as_json)
        ordered = sorted(result.pmids, key=int, reverse=True)  # newest first, like PubMed
        page = ordered[retstart: retstart + retmax]
        count = len(ordered)
        if as_json:
            out: dict[str, Any] = {
                "count": str(count), "retmax": str(len(page)), "retstart": str(retstart),
                "idlist": page, "translationset": [], "querytranslation": result.translation,
            }
            if result.not_found or result.fields_not_found:
                out["errorlist"] = {"phrasesnotfound": result.not_found,
                                    "fieldsnotfound": result.fields_not_found}
            if not count:
                out["warninglist"] = {"phrasesignored": [], "quotedphrasesnotfound": [],
                                      "outputmessages": ["No items found."]}
            body = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": out}
            return Response(200, json.dumps(body).encode(), {"Content-Type": JSON})
        ids = "".join(f"<Id>{pmid}</Id>\n" for pmid in page)
        id_list = f"<IdList>\n{ids}</IdList>" if page else "<IdList/>"
        xml = (f"<eSearchResult><Count>{count}</Count><RetMax>{len(page)}</RetMax>"
               f"<RetStart>{retstart}</RetStart>{id_list}<TranslationSet/>"
               f"<QueryTranslation>{escape(result.translation)}</QueryTranslation>")
        if result.not_found or result.fields_not_found:
            xml += "<ErrorList>" + "".join(
                f"<PhraseNotFound>{escape(p)}</PhraseNotFound>" for p in result.not_found
            ) + "".join(
                f"<FieldNotFound>{escape(f)}</FieldNotFound>" for f in result.fields_not_found
            ) + "</ErrorList>"
        if not count:
            xml += "<WarningList><OutputMessage>No items found.</OutputMessage></WarningList>"
        xml += "</eSearchResult>\n"
        return Response(200, (ESEARCH_HEAD + xml).encode(), {"Content-Type": XML})

    @staticmethod
    def _esearch_error(message: str, as_json: bool) -> Response:
        if as_json:
            body = {"header": {"type": "esearch", "version": "0.3"},
                    "esearchresult": {"ERROR": message}}
            return Response(200, json.dumps(body).encode(), {"Content-Type": JSON})
        xml = f"{ESEARCH_HEAD}<eSearchResult><ERROR>{escape(message)}</ERROR></eSearchResult>\n"
        return Response(200, xml.encode(), {"Content-Type": XML})

    # ------------------------------------------------------------------ EFetch
    def _efetch(self, params: dict[str, str]) -> Response:
        db = params.get("db", "").lower()
        if db != "pubmed":
            return _efetch_error(f"Invalid db name specified: {db}" if db else
                                 "Database name is empty")
        rettype = params.get("rettype", "").lower()
        retmode = params.get("retmode", "xml").lower() or "xml"
        if rettype == "full":
            return Response(200, b"", {"Content-Type": XML})  # what NCBI does since 2022
        if retmode != "xml" or rettype not in ("", "xml", "abstract", "null"):
            return _efetch_error(f"rettype={rettype!s} retmode={retmode} is not implemented"
                                 " by the zsync PubMed emulator")
        raw_ids = _split_ids(params.get("id", ""))
        if not raw_ids:
            return _efetch_error("Supplied id parameter is empty.")
        well_formed = [i for i in raw_ids if i.isdigit()]
        if not well_formed:
            return _efetch_error("ID list is empty! Possibly it has no correct IDs.")
        found = [self.store.get(pmid.lstrip("0") or "0") for pmid in well_formed]
        articles = [a for a in found if a is not None]
        if not articles and self.all_unknown == "error":
            return _efetch_error("ID list is empty! Possibly it has no correct IDs.")
        body = EFETCH_HEAD + "<PubmedArticleSet>\n" + "".join(
            a.xml + "\n" for a in articles
        ) + "</PubmedArticleSet>\n"
        return Response(200, body.encode(), {"Content-Type": XML})

    # ------------------------------------------------------------------ ID converter
    def _idconv(self, request: Request) -> Response:
        params = dict(request.query)
        as_json = params.get("format", "xml").lower() == "json"
        versions = params.get("versions", "yes").lower() != "no"
        new_api = "/tools/idconv/" in request.path
        echo = ";".join(f"{k}={quote(v, safe='')}" for k, v in request.query)
        ids = [i.strip() for i in params.get("ids", "").split(",") if i.strip()]
        declared = (params.get("idtype") or "").lower() or None
        if not ids:
            return self._idconv_error("No ids given", echo, as_json, 400)
        if len(ids) > IDCONV_MAX_IDS:
            return self._idconv_error(f"Too many ids: the maximum is {IDCONV_MAX_IDS}", echo,
                                      as_json, 400)
        if declared is not None and declared not in ("pmcid", "pmid", "mid", "doi"):
            return self._idconv_error(f"Invalid idtype '{declared}'", echo, as_json, 400)
        idtype = declared or _id_type(ids[0])
        for value in ids:
            if _id_type(value) != idtype:
                return self._idconv_error(f"ID type '{idtype}' mismatch for '{value}'", echo,
                                          as_json, 404)
        records = [self._idconv_record(value, idtype, versions, new_api) for value in ids]
        date = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        if as_json:
            body = {"status": "ok", "responseDate": date, "request": echo, "records": records}
            return Response(200, json.dumps(body, indent=1, ensure_ascii=False).encode(),
                            {"Content-Type": IDCONV_JSON})
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<pmcids status="ok">',
                 f'<request idtype="{idtype}" dois="" versions="{"yes" if versions else "no"}"'
                 ' showaiid="no">', f"<echo>{escape(echo)}</echo>", "</request>"]
        for value, record in zip(ids, records, strict=True):
            attrs = {"requested-id": value}
            attrs.update({k: v for k, v in record.items()
                          if isinstance(v, str) and k != "requested-id"})
            attr = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
            if "versions" in record:
                inner = "".join(
                    "<version" + "".join(f" {k}={quoteattr(v)}" for k, v in version.items())
                    + "/>" for version in record["versions"]
                )
                lines.append(f"<record{attr}><versions>{inner}</versions></record>")
            else:
                lines.append(f"<record{attr}/>")
        lines.append("</pmcids>")
        return Response(200, ("\n".join(lines) + "\n").encode(), {"Content-Type": IDCONV_XML})

    def _idconv_record(self, value: str, idtype: str, versions: bool,
                       new_api: bool) -> dict[str, Any]:
        if idtype == "pmid":
            pmids = self.store.lookup("pmid", value.lstrip("0"))
        elif idtype == "pmcid":
            pmids = self.store.lookup("pmcid", normalize_pmcid(value))
        elif idtype == "doi":
            pmids = self.store.lookup("doi", value.lower())
        else:
            pmids = set()
        articles = [a for a in (self.store.get(p) for p in sorted(pmids)) if a is not None]
        article = next((a for a in articles if a.pmcid), None)
        if article is None or article.pmcid is None:
            return {"requested-id": value, "status": "error",
                    "errmsg": "Identifier not found in PMC"}
        record: dict[str, Any] = {"requested-id": value} if new_api else {}
        record["pmcid"] = article.pmcid
        record["pmid"] = article.pmid
        if article.doi:
            record["doi"] = article.doi
        if versions:
            record["versions"] = [{"pmcid": f"{article.pmcid}.1", "current": "true"}]
        return record

    @staticmethod
    def _idconv_error(message: str, echo: str, as_json: bool, status: int) -> Response:
        date = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        if as_json:
            body = {"status": "error", "message": quote(message, safe=""),
                    "responseDate": date, "request": echo}
            return Response(status, json.dumps(body, indent=1).encode(),
                            {"Content-Type": IDCONV_JSON})
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<pmcids status="error">'
               f"<responseDate>{date}</responseDate><request>{escape(echo)}</request>"
               f"<message>{escape(message)}</message></pmcids>\n")
        return Response(status, xml.encode(), {"Content-Type": IDCONV_XML})


def _split_ids(raw: str) -> list[str]:
    out: dict[str, None] = {}
    for part in re.split(r"[,\s]+", raw):
        if part:
            out[part] = None
    return list(out)


def _int(raw: str | None, default: int) -> int:
    return int(raw) if raw is not None and raw.strip().isdigit() else default
