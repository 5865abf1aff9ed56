"""The Crossref REST API emulator: an `App` for `tests.servers.base.LocalServer`.

Routes (an optional `/v1` prefix is accepted, as on api.crossref.org):

  GET|HEAD /works/{doi}                    one work, or 404 text/plain "Resource not found."
  GET      /works?filter=doi:A,doi:B&rows=N  work-list (also query, query.*, sample, cursor...)
  GET      /works/{doi}/agency             registration agency (crossref, datacite, ...)
  GET      /works/{doi}/transform/application/vnd.citationstyles.csl+json   CSL-JSON
  GET      /doi/{doi}                      doi.org: content negotiation / landing redirect
  GET      /datacite/dois/{doi}            DataCite CSL-JSON for registered DataCite DOIs

See tests/servers/README.md for what is and is not emulated.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote, unquote

from tests.servers.base import Request, Response
from tests.servers.crossref.csl import crossref_to_csl
from tests.servers.crossref.pools import DEFAULT_LIMITS, PoolGate, PoolLimit, pool_name
from tests.servers.crossref.store import Work, WorkStore, normalize_doi

JSON = "application/json"
JSON_ERROR = "application/json;charset=utf-8"  # as recorded on 400 validation failures
CSL_JSON = "application/vnd.citationstyles.csl+json; charset=utf-8"
CSL_ACCEPTS = ("application/vnd.citationstyles.csl+json", "application/citeproc+json")
NOT_FOUND = "Resource not found."
TOO_MANY_REQUESTS = (
    "<html><body><h1>429 Too Many Requests</h1>\n"
    "You have sent too many requests in a given amount of time.\n</body></html>\n"
)
URI_TOO_LONG = (
    "<html><head><title>414 Request-URI Too Long</title></head>"
    "<body><h1>414 Request-URI Too Long</h1></body></html>\n"
)
DOI_NOT_FOUND = (
    "<html><head><title>Error: DOI Not Found</title></head>"
    "<body><h1>DOI Not Found</h1></body></html>\n"
)

ROWS_MAX = 1000
ROWS_DEFAULT = 20
OFFSET_MAX = 10000
SAMPLE_MAX = 100

SELECTABLE = frozenset({
    "DOI", "ISBN", "ISSN", "URL", "abstract", "accepted", "alternative-id", "approved", "archive",
    "article-number", "assertion", "author", "chair", "clinical-trial-number", "container-title",
    "content-created", "content-domain", "contributor", "created", "degree", "deposited",
    "editor", "event", "funder", "group-title", "indexed", "is-referenced-by-count", "issn-type",
    "issue", "issued", "license", "link", "member", "original-title", "page", "posted", "prefix",
    "published", "published-online", "published-print", "publisher", "publisher-location",
    "reference", "references-count", "relation", "resource", "score", "short-container-title",
    "short-title", "standards-body", "subject", "subtitle", "title", "translator", "type",
    "update-policy", "update-to", "updated-by", "volume",
})

FIELD_QUERIES = {
    "query.bibliographic": "bibliographic",
    "query.title": "title",
    "query.author": "author",
    "query.contributor": "contributor",
    "query.container-title": "container-title",
    "query.publisher-name": "publisher-name",
}
# Real field queries the emulator does not implement (answered with a 400 saying so).
OTHER_FIELD_QUERIES = frozenset({
    "query.affiliation", "query.chair", "query.degree", "query.description", "query.editor",
    "query.event-acronym", "query.event-location", "query.event-name", "query.event-sponsor",
    "query.event-theme", "query.funder-name", "query.publisher-location",
    "query.standards-body-acronym", "query.standards-body-name", "query.translator",
})

BOOLEAN_FILTERS = frozenset(
    {"has-abstract", "has-orcid", "has-references", "is-update", "has-update-policy"}
)
DATE_FILTERS = {
    "from-pub-date": ("published", "from"),
    "until-pub-date": ("published", "until"),
    "from-issued-date": ("issued", "from"),
    "until-issued-date": ("issued", "until"),
    "from-print-pub-date": ("published-print", "from"),
    "until-print-pub-date": ("published-print", "until"),
    "from-online-pub-date": ("published-online", "from"),
    "until-online-pub-date": ("published-online", "until"),
}
SUPPORTED_FILTERS = frozenset(
    {"doi", "prefix", "member", "type", "issn", "isbn", "updates", "container-title",
     "orcid", *BOOLEAN_FILTERS, *DATE_FILTERS}
)
OTHER_FILTERS = frozenset({
    "has-funder", "funder", "location", "from-index-date", "until-index-date",
    "from-deposit-date", "until-deposit-date", "from-update-date", "until-update-date",
    "from-created-date", "until-created-date", "from-posted-date", "until-posted-date",
    "from-accepted-date", "until-accepted-date", "from-approved-date", "until-approved-date",
    "has-license", "license.url", "license.version", "license.delay", "has-full-text",
    "full-text.version", "full-text.type", "full-text.application", "reference-visibility",
    "has-archive", "archive", "has-authenticated-orcid", "directory", "category-name",
    "type-name", "award.number", "award.funder", "has-assertion-type", "has-assertion",
    "alternative-id", "article-number", "has-clinical-trial-number", "content-domain",
    "has-content-domain", "has-domain-restriction", "has-relation", "relation.type",
    "relation.object", "relation.object-type", "has-affiliation", "has-award", "has-event",
    "has-ror-id", "ror-id", "group-title", "subtype",
})

SORTS = {
    "score": None, "relevance": None,
    "updated": "deposited", "deposited": "deposited", "indexed": "indexed",
    "created": "created", "published": "published", "published-print": "published-print",
    "published-online": "published-online", "issued": "issued",
    "is-referenced-by-count": "is-referenced-by-count", "references-count": "references-count",
}
LIST_PARAMS = frozenset(
    {"query", "filter", "rows", "offset", "sample", "sort", "order", "facet", "select",
     "cursor", "mailto"}
)


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _date_key(work: Work, field: str) -> tuple[int, int, int] | None:
    parts = (work.get(field) or {}).get("date-parts") or [[None]]
    first = parts[0] if parts else [None]
    if not first or not isinstance(first[0], int):
        return None
    padded = [*first, 1, 1][:3]
    return (int(padded[0]), int(padded[1] or 1), int(padded[2] or 1))


def _error(kind: str, value: str, message: str) -> dict[str, str]:
    return {"type": kind, "value": value, "message": message}


def _int_error(value: str, maximum: int) -> dict[str, str]:
    return _error(
        "integer-not-valid", value,
        f"Integer specified as {value} but must be a positive integer less than or equal to"
        f" {maximum}. ",
    )


class _Invalid(Exception):
    def __init__(self, errors: list[dict[str, str]], status: int = 400,
                 message_type: str = "validation-failure") -> None:
        super().__init__(errors)
        self.errors = errors
        self.status = status
        self.message_type = message_type


class CrossrefApp:
    """Crossref REST API behaviour over a `WorkStore`."""

    def __init__(
        self,
        store: WorkStore | None = None,
        *,
        enforce_limits: bool = True,
        limits: dict[str, PoolLimit] | None = None,
        retry_after: float | None = None,
        max_request_line: int = 4096,
        cn_redirect: bool = True,
        sample_seed: int = 0,
    ) -> None:
        self.store = store if store is not None else WorkStore()
        self.enforce_limits = enforce_limits
        self.limits = {**DEFAULT_LIMITS, **(limits or {})}
        self.gate = PoolGate(self.limits)
        self.retry_after = retry_after
        self.max_request_line = max_request_line
        self.cn_redirect = cn_redirect
        self._rng = random.Random(sample_seed)
        self._rng_lock = threading.Lock()
        self._held: dict[int, tuple[str, str]] = {}
        self._held_lock = threading.Lock()

    # ------------------------------------------------------------------ data API
    def add_work(self, work: Work) -> str:
        """Add (or replace) a work message; returns its lower-cased DOI."""
        return self.store.add(work)

    def add_works(self, works: Iterable[Work]) -> int:
        return self.store.add_many(works)

    def register_agency(self, doi: str, agency_id: str, label: str | None = None) -> None:
        """Make `/works/{doi}/agency` report `agency_id` (e.g. "datacite", "medra")."""
        labels = {"crossref": "Crossref", "datacite": "DataCite", "medra": "mEDRA"}
        self.store.agencies[normalize_doi(doi)] = (agency_id, label or labels.get(agency_id,
                                                                                 agency_id))

    def add_datacite(self, csl: dict[str, Any]) -> str:
        """Register a DataCite DOI with its CSL-JSON item (see csl.arxiv_csl).

        It 404s on /works/{doi}, reports agency datacite, and is served by content
        negotiation on /doi/{doi}.
        """
        doi = normalize_doi(str(csl["DOI"]))
        self.store.csl[doi] = csl
        self.register_agency(doi, "datacite")
        return doi

    # ------------------------------------------------------------------ routing
    def _route(self, request: Request) -> tuple[str, str | None, str]:
        """(endpoint name, limit kind "single"/"array"/None, DOI or rest of path)."""
        path = request.path
        if path.startswith("/v1/"):
            path = path[3:]
        if path in ("/works", "/works/"):
            has_query = any(k == "query" or k.startswith("query.") for k, _ in request.query)
            if has_query:
                return "works-query", "array", ""
            if request.arg("filter") is not None:
                return "works-filter", "array", ""
            return "works-other", "array", ""
        if path.startswith("/works/"):
            rest = path[len("/works/"):]
            if rest.endswith("/agency"):
                return "agency", "single", unquote(rest[: -len("/agency")])
            if "/transform/" in rest:
                return "transform", "single", unquote(rest)
            if request.method == "HEAD":
                return "work-head", "single", unquote(rest)
            return "work", "single", unquote(rest)
        if path.startswith("/doi/"):
            return "doi", None, unquote(path[len("/doi/"):])
        if path.startswith("/datacite/dois/"):
            return "datacite", None, unquote(path[len("/datacite/dois/"):])
        return "unknown", "single", path

    def endpoint(self, request: Request) -> str:
        return self._route(request)[0]

    # ------------------------------------------------------------------ limits
    def admit(self, request: Request) -> Response | None:
        line = len(f"{request.method} {request.raw_target} HTTP/1.1".encode())
        if line > self.max_request_line:
            return Response(414, URI_TOO_LONG.encode(), {"Content-Type": "text/html"})
        _, kind, _ = self._route(request)
        if kind is None or not self.enforce_limits:
            return None
        pool = pool_name(request, kind)
        if self.gate.enter(pool, request.client) is not None:
            headers = {"Content-Type": "text/html", "Cache-Control": "no-cache",
                       "Connection": "close"}
            if self.retry_after is not None:
                headers["Retry-After"] = f"{self.retry_after:g}"
            return Response(429, TOO_MANY_REQUESTS.encode(), headers)
        with self._held_lock:
            self._held[id(request)] = (pool, request.client)
        return None

    def release(self, request: Request) -> None:
        with self._held_lock:
            held = self._held.pop(id(request), None)
        if held is not None:
            self.gate.leave(*held)

    def pool_headers(self, request: Request, kind: str) -> dict[str, str]:
        pool = pool_name(request, kind)
        limit = self.limits[pool]
        return {
            "Access-Control-Allow-Origin": "*",
            "x-api-pool": pool,
            "x-rate-limit-limit": str(limit.rate),
            "x-rate-limit-interval": f"{limit.interval:g}s",
            "x-concurrency-limit": str(limit.concurrency),
        }

    # ------------------------------------------------------------------ handling
    def handle(self, request: Request) -> Response:
        name, kind, rest = self._route(request)
        headers = self.pool_headers(request, kind) if kind else {}
        if request.method not in ("GET", "HEAD"):
            return self._text("Method not allowed.", 405, headers)
        try:
            if name in ("work", "work-head"):
                return self._work(request, rest, headers)
            if name.startswith("works-"):
                return self._list(request, headers)
            if name == "agency":
                return self._agency(rest, headers)
            if name == "transform":
                return self._transform(rest, headers)
            if name == "doi":
                return self._doi_org(request, rest)
            if name == "datacite":
                return self._datacite(rest)
        except _Invalid as invalid:
            body = {"status": "failed", "message-type": invalid.message_type,
                    "message": invalid.errors}
            content_type = JSON_ERROR if invalid.status == 400 else JSON
            return Response(invalid.status, _dumps(body), {**headers,
                                                           "Content-Type": content_type})
        return self._text(NOT_FOUND, 404, headers)

    @staticmethod
    def _text(text: str, status: int, headers: dict[str, str]) -> Response:
        return Response(status, text.encode(), {**headers, "Content-Type": "text/plain"})

    @staticmethod
    def _ok(message_type: str, message: Any, headers: dict[str, str]) -> Response:
        body = {"status": "ok", "message-type": message_type, "message-version": "1.0.0",
                "message": message}
        return Response(200, _dumps(body), {**headers, "Content-Type": JSON})

    def _work(self, request: Request, doi: str, headers: dict[str, str]) -> Response:
        if any(k == "query" or k.startswith("query.") for k, _ in request.query):
            raise _Invalid([_error("parameter-not-allowed", "query.*",
                                   "This route does not support field query parameters")])
        work = self.store.get(doi)
        if work is None:
            return self._text(NOT_FOUND, 404, headers)
        return self._ok("work", work, headers)

    def _agency(self, doi: str, headers: dict[str, str]) -> Response:
        key = normalize_doi(doi)
        if key in self.store.agencies:
            agency_id, label = self.store.agencies[key]
        elif key in self.store:
            agency_id, label = "crossref", "Crossref"
        else:
            return self._text(NOT_FOUND, 404, headers)
        return self._ok("work-agency", {"DOI": key, "agency": {"id": agency_id,
                                                              "label": label}}, headers)

    def _transform(self, rest: str, headers: dict[str, str]) -> Response:
        doi, _, mime = rest.partition("/transform/")
        work = self.store.get(doi)
        if work is None:
            return self._text(NOT_FOUND, 404, headers)
        if mime not in CSL_ACCEPTS:
            return self._text("Not acceptable.", 406, headers)
        return Response(200, _dumps(crossref_to_csl(work)), {**headers,
                                                           "Content-Type": CSL_JSON})

    def _doi_org(self, request: Request, doi: str) -> Response:
        key = normalize_doi(doi)
        csl = self.store.csl.get(key)
        work = self.store.get(key)
        if csl is None and work is None:
            return Response(404, DOI_NOT_FOUND.encode(), {"Content-Type": "text/html"})
        accept = (request.header("accept") or "").lower()
        host = request.header("host") or "127.0.0.1"
        if any(kind in accept for kind in CSL_ACCEPTS):
            if csl is not None:
                target, item = f"/datacite/dois/{quote(key, safe='/')}", csl
            else:
                assert work is not None
                target = (f"/works/{quote(key, safe='/')}/transform/"
                          "application/vnd.citationstyles.csl+json")
                item = crossref_to_csl(work)
            if self.cn_redirect:
                return Response(302, b"", {"Location": f"http://{host}{target}"})
            return Response(200, _dumps(item), {"Content-Type": CSL_JSON})
        landing = (csl or {}).get("URL") or ((work or {}).get("resource", {})
                                             .get("primary", {}).get("URL"))
        return Response(302, b"", {"Location": landing or f"https://doi.org/{key}"})

    def _datacite(self, doi: str) -> Response:
        csl = self.store.csl.get(normalize_doi(doi))
        if csl is None:
            return Response(404, _dumps({"errors": [{"status": "404",
                                                      "title": "The resource you are looking"
                                                               " for doesn't exist."}]}),
                            {"Content-Type": "application/vnd.api+json; charset=utf-8"})
        return Response(200, _dumps(csl), {"Content-Type": CSL_JSON})

    # ------------------------------------------------------------------ lists
    def _list(self, request: Request, headers: dict[str, str]) -> Response:
        errors: list[dict[str, str]] = []
        values: dict[str, list[str]] = {}
        for key, value in request.query:
            values.setdefault(key, []).append(value)
        for key in values:
            if key not in LIST_PARAMS and key not in FIELD_QUERIES:
                if key in OTHER_FIELD_QUERIES:
                    errors.append(_error("emulator-not-implemented", key,
                                         f"Field query {key} is not implemented by the"
                                         " zsync Crossref emulator"))
                else:
                    errors.append(_error("parameter-not-allowed", key,
                                         f"This route does not support {key}"))

        def one(name: str) -> str | None:
            got = values.get(name)
            return got[-1] if got else None

        rows = self._int_param(one("rows"), ROWS_MAX, ROWS_DEFAULT, errors)
        offset = self._int_param(one("offset"), OFFSET_MAX, 0, errors)
        sample_raw = one("sample")
        sample = self._int_param(sample_raw, SAMPLE_MAX, 0, errors) if sample_raw else None
        select = self._select(one("select"), errors)
        sort, descending = self._sort(one("sort"), one("order"), errors)
        filters = self._filters(values.get("filter", []), errors)
        cursor = one("cursor")
        if cursor is not None and (one("offset") is not None or sample_raw is not None):
            errors.append(_error("parameter-not-allowed", "cursor",
                                 "Cursor cannot be combined with offset or sample"))
        search_terms = " ".join(values["query"]) if "query" in values else None
        queries: dict[str, str] = {}
        if search_terms is not None:
            queries["bibliographic"] = search_terms
        for key, field in FIELD_QUERIES.items():
            if key in values:
                text = " ".join(values[key])
                queries[field] = f"{queries[field]} {text}" if field in queries else text
        if errors:
            raise _Invalid(errors)

        if cursor is not None:
            offset = self._cursor_offset(cursor, request)
        candidates = self._filtered(filters)
        scores: dict[str, float] = {}
        if queries:
            scores = self.store.search(queries)
            candidates = [d for d in candidates if d in scores] if filters else list(scores)
        if sample is not None:
            with self._rng_lock:
                chosen = self._rng.sample(candidates, min(sample, len(candidates)))
            total, page = len(chosen), chosen
        else:
            ordered = self._ordered(candidates, scores, sort, descending)
            total, page = len(ordered), ordered[offset: offset + rows]
        items = []
        for doi in page:
            work = self.store.get(doi)
            if work is None:  # removed meanwhile
                continue
            item = dict(work)
            item["score"] = round(scores[doi], 6) if doi in scores else 0.0
            if select is not None:
                item = {key: item[key] for key in select if key in item}
            items.append(item)
        message: dict[str, Any] = {"facets": {}}
        if cursor is not None:
            message["next-cursor"] = self._make_cursor(offset + len(page), request)
        message.update({
            "total-results": total,
            "items": items,
            "items-per-page": rows,
            "query": {"start-index": offset, "search-terms": search_terms},
        })
        return self._ok("work-list", message, headers)

    @staticmethod
    def _int_param(raw: str | None, maximum: int, default: int,
                   errors: list[dict[str, str]]) -> int:
        if raw is None:
            return default
        if not raw.isdigit() or int(raw) > maximum:
            errors.append(_int_error(raw, maximum))
            return default
        return int(raw)

    @staticmethod
    def _select(raw: str | None, errors: list[dict[str, str]]) -> list[str] | None:
        if raw is None:
            return None
        names = [name.strip() for name in raw.split(",") if name.strip()]
        for name in names:
            if name not in SELECTABLE:
                errors.append(_error("select-not-valid", name,
                                     f"Field {name} specified in select is not a valid field"))
        return names

    @staticmethod
    def _sort(sort: str | None, order: str | None,
              errors: list[dict[str, str]]) -> tuple[str | None, bool]:
        if sort is not None and sort not in SORTS:
            errors.append(_error("sort-not-available", sort,
                                 f"Sort field {sort} is not available"))
            sort = None
        if order is not None and order not in ("asc", "desc"):
            errors.append(_error("order-not-valid", order, "Order must be asc or desc"))
        return sort, order != "asc"

    @staticmethod
    def _filters(raw: list[str], errors: list[dict[str, str]]) -> dict[str, list[str]]:
        filters: dict[str, list[str]] = {}
        for part in ",".join(raw).split(","):
            if not part.strip():
                continue
            name, sep, value = part.partition(":")
            name = name.strip()
            if name in OTHER_FILTERS:
                errors.append(_error("emulator-not-implemented", name,
                                     f"Filter {name} is not implemented by the zsync Crossref"
                                     " emulator"))
                continue
            if not sep or name not in SUPPORTED_FILTERS:
                errors.append(_error("filter-not-available", name,
                                     f"Filter {name} specified but there is no such filter"
                                     " for this route."))
                continue
            if name in BOOLEAN_FILTERS and value.lower() not in ("true", "false", "t", "f",
                                                                "1", "0"):
                errors.append(_error("boolean-not-valid", value,
                                     f"Boolean specified as {value} but must be true or"
                                     " false"))
                continue
            if name in DATE_FILTERS and _parse_date(value) is None:
                errors.append(_error("date-not-valid", value,
                                     f"Date specified as {value} but must be of the form"
                                     " yyyy, yyyy-mm or yyyy-mm-dd"))
                continue
            filters.setdefault(name, []).append(value)
        return filters

    def _filtered(self, filters: dict[str, list[str]]) -> list[str]:
        if "doi" in filters:
            seen: dict[str, None] = {}
            for value in filters["doi"]:
                key = normalize_doi(value)
                if key in self.store:
                    seen[key] = None
            candidates = list(seen)
        else:
            candidates = self.store.dois()
        others = {k: v for k, v in filters.items() if k != "doi"}
        if not others:
            return candidates
        out = []
        for doi in candidates:
            work = self.store.get(doi)
            if work is not None and all(
                any(_matches(name, value, work) for value in vals)
                for name, vals in others.items()
            ):
                out.append(doi)
        return out

    def _ordered(self, dois: list[str], scores: dict[str, float], sort: str | None,
                 descending: bool) -> list[str]:
        field = SORTS.get(sort) if sort else None
        if field is None and scores:
            sign = -1.0 if descending else 1.0
            return sorted(dois, key=lambda d: (sign * scores[d], self.store.order_key(d)))
        if field is None:
            return sorted(dois, key=self.store.order_key)

        def key(doi: str) -> tuple[Any, ...]:
            work = self.store.get(doi) or {}
            value = work.get(field)
            if isinstance(value, int):
                return (value,)
            return _date_key(work, field) or (0, 0, 0)

        return sorted(sorted(dois, key=self.store.order_key), key=key, reverse=descending)

    # ------------------------------------------------------------------ cursors
    @staticmethod
    def _fingerprint(request: Request) -> str:
        kept = sorted((k, v) for k, v in request.query if k not in ("cursor", "rows", "mailto"))
        return hashlib.sha1(repr(kept).encode()).hexdigest()[:12]

    def _make_cursor(self, offset: int, request: Request) -> str:
        raw = json.dumps({"o": offset, "k": self._fingerprint(request)}).encode()
        return base64.urlsafe_b64encode(raw).decode()

    def _cursor_offset(self, cursor: str, request: Request) -> int:
        if cursor == "*":
            return 0
        try:
            data = json.loads(base64.urlsafe_b64decode(cursor.encode()))
            if data["k"] == self._fingerprint(request) and isinstance(data["o"], int):
                return int(data["o"])
        except (ValueError, KeyError, TypeError):
            pass
        raise _Invalid([_error("cursor-invalid", cursor, "Cursor specified but it is invalid")],
                       status=404, message_type="resource-failure")


def _parse_date(value: str) -> tuple[int, int, int] | None:
    parts = value.split("-")
    if not 1 <= len(parts) <= 3 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    numbers = [int(p) for p in parts]
    return (numbers[0], numbers[1] if len(numbers) > 1 else 0,
            numbers[2] if len(numbers) > 2 else 0)


def _truthy(value: str) -> bool:
    return value.lower() in ("true", "t", "1")


def _matches(name: str, value: str, work: Work) -> bool:
    if name in BOOLEAN_FILTERS:
        present = {
            "has-abstract": bool(work.get("abstract")),
            "has-orcid": any("ORCID" in a for a in work.get("author") or []),
            "has-references": bool(work.get("reference")),
            "is-update": bool(work.get("update-to")),
            "has-update-policy": bool(work.get("update-policy")),
        }[name]
        return present == _truthy(value)
    if name in DATE_FILTERS:
        field, side = DATE_FILTERS[name]
        have = _date_key(work, field)
        want = _parse_date(value)
        if have is None or want is None:
            return False
        if side == "from":
            return have >= (want[0], want[1] or 1, want[2] or 1)
        return have <= (want[0], want[1] or 12, want[2] or 31)
    lowered = value.strip().lower()
    if name == "prefix":
        return str(work.get("prefix", "")).lower() == lowered.rsplit("/", 1)[-1] or \
            str(work.get("DOI", "")).lower().startswith(lowered + "/")
    if name == "member":
        return str(work.get("member", "")) == lowered.rsplit("/", 1)[-1]
    if name == "type":
        return str(work.get("type", "")) == lowered
    if name == "issn":
        wanted = lowered.replace("-", "")
        return any(i.replace("-", "").lower() == wanted for i in work.get("ISSN") or [])
    if name == "isbn":
        wanted = lowered.replace("-", "")
        return any(i.replace("-", "").lower() == wanted for i in work.get("ISBN") or [])
    if name == "updates":
        return any(str(u.get("DOI", "")).lower() == lowered for u in work.get("update-to") or [])
    if name == "container-title":
        return any(t.lower() == lowered for t in work.get("container-title") or [])
    if name == "orcid":
        wanted = lowered.rsplit("/", 1)[-1]
        return any(str(a.get("ORCID", "")).lower().endswith(wanted)
                   for a in work.get("author") or [])
    return False
