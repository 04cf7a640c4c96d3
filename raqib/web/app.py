"""The workbench app (FastAPI + Jinja2, no front-end build): HTML pages for people and the same
data as JSON under /api/ (OpenAPI at /openapi.json).

Security, in one place: every response carries a strict CSP (no inline script or style), nosniff
and frame-ancestors 'none'; every state-changing request checks the CSRF token (auth.py); editor
and admin routes check the session's role; the public correction form is size-limited and
rate-limited per client; templates escape everything (Jinja2 autoescape) and the article text is
escaped segment by segment (views.highlight).
"""
from __future__ import annotations

import hashlib
import json
import threading
import time
from contextlib import asynccontextmanager
from collections import defaultdict, deque
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import Body, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from .. import __version__ as VERSION
from ..store import open_store
from ..store.base import STANCES
from . import auth, corrections, db, views

HERE = Path(__file__).parent
UI = json.loads((HERE / "ui.json").read_text(encoding="utf-8"))
MAX_FORM_BYTES = 32 * 1024          # the public correction form
MAX_ANALYZE_BYTES = 2 * 1024 * 1024  # pasted or uploaded articles
MAX_ANALYZE_CHARS = 200_000
EVENT_TYPES = ("chemical_attack", "air_strike", "shelling", "clash", "explosion", "arrest_abduction",
               "displacement", "agreement", "protest", "aircraft_downed", "other_violence")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class RateLimit:
    """At most `n` events per `window` seconds per key (in memory, per process)."""

    def __init__(self, n: int, window: float):
        self.n, self.window = n, window
        self.hits: dict = defaultdict(deque)
        self.lock = threading.Lock()

    def allow(self, key: str) -> bool:
        now = time.monotonic()
        with self.lock:
            q = self.hits[key]
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.n:
                return False
            q.append(now)
            if len(self.hits) > 100_000:      # forget idle clients
                for k in [k for k, v in self.hits.items() if not v][:50_000]:
                    del self.hits[k]
            return True


def create_app(db_url: str | None = None, *, correction_rate: tuple[int, float] = (5, 60.0),
               login_rate: tuple[int, float] = (10, 60.0), org: str = "raqib") -> FastAPI:
    local = threading.local()
    opened: list = []
    opened_lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(app):
        yield
        with opened_lock:           # close every thread's store connection on shutdown
            for s in opened:
                try:
                    s.close()
                except Exception:
                    pass
            opened.clear()

    app = FastAPI(title="raqib workbench API", version=VERSION, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Claims, speakers, places and events extracted from Arabic news; corrections and "
                              "fact-check verdicts. Every extracted item carries character offsets into its "
                              "article's text.")
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    limits = {"correction": RateLimit(*correction_rate), "login": RateLimit(*login_rate)}
    app.state.limits = limits

    def store():
        s = getattr(local, "store", None)
        if s is None:
            s = local.store = open_store(db_url)
            db.ensure_tables(s)
            with opened_lock:
                opened.append(s)
        return s

    app.state.store = store

    # -- middleware: security headers, CSRF cookie, body size ------------------------------------

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if request.method in ("POST", "PUT", "PATCH", "DELETE"):
            limit = MAX_ANALYZE_BYTES if request.url.path in ("/analyze", "/api/analyze") else MAX_FORM_BYTES
            try:
                n = int(request.headers.get("content-length") or 0)
            except ValueError:
                n = limit + 1
            if n > limit:
                return _headers(PlainTextResponse(f"request body larger than {limit} bytes", status_code=413))
            # read at most limit + 1 bytes, even when no (or a false) Content-Length was sent
            chunks, size = [], 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    return _headers(PlainTextResponse(f"request body larger than {limit} bytes", status_code=413))
                chunks.append(chunk)
            request._body = b"".join(chunks)      # what the route reads (Starlette's cached body)
        csrf = request.cookies.get(auth.CSRF_COOKIE)
        if not csrf or len(csrf) > 100:
            csrf = auth.new_token()
            request.state.new_csrf = csrf
        request.state.csrf = csrf
        response = await call_next(request)
        if getattr(request.state, "new_csrf", None):
            response.set_cookie(auth.CSRF_COOKIE, request.state.new_csrf, httponly=True, samesite="strict",
                                secure=_tls(request), path="/")
        return _headers(response)

    def _headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    # -- helpers ---------------------------------------------------------------------------------

    def user_of(request: Request) -> dict | None:
        if not hasattr(request.state, "user"):
            request.state.user = auth.session_user(store(), request.cookies.get(auth.SESSION_COOKIE))
        return request.state.user

    def csrf_token(request: Request) -> str:
        u = user_of(request)
        return u["csrf"] if u else request.state.csrf

    def check_csrf(request: Request, token: str | None):
        if not auth.tokens_equal(token or request.headers.get("x-csrf-token"), csrf_token(request)):
            raise HTTPException(403, "missing or wrong CSRF token: reload the page and try again")

    def require(request: Request, role: str = "editor") -> dict:
        u = user_of(request)
        if u is None:
            raise HTTPException(401, "log in as an editor first")
        if role == "admin" and u["role"] != "admin":
            raise HTTPException(403, "this needs an admin account")
        return u

    def client_key(request: Request) -> str:
        host = request.client.host if request.client else "unknown"
        return hashlib.sha256(host.encode()).hexdigest()[:16]

    def lang_of(request: Request) -> str:
        lang = request.query_params.get("lang") or request.cookies.get("raqib_lang") or "ar"
        return lang if lang in UI else "ar"

    def page(request: Request, name: str, status: int = 200, **ctx):
        lang = lang_of(request)
        t = UI[lang]
        here = request.url.path + (("?" + request.url.query) if request.url.query else "")
        resp = templates.TemplateResponse(request, name, {
            "t": t, "lang": lang, "dir": "rtl" if lang == "ar" else "ltr", "user": user_of(request),
            "csrf": csrf_token(request), "stances": STANCES, "event_types": EVENT_TYPES, "here": here,
            "other_lang": "en" if lang == "ar" else "ar", "quote": quote, "version": VERSION, **ctx},
            status_code=status)
        if request.query_params.get("lang") in UI:
            resp.set_cookie("raqib_lang", lang, samesite="lax", secure=_tls(request), path="/")
        return resp

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
            return _headers(JSONResponse({"detail": exc.detail}, status_code=exc.status_code))
        if exc.status_code == 401:
            return _headers(RedirectResponse(f"/login?next={quote(request.url.path)}", status_code=303))
        return _headers(page(request, "error.html", status=exc.status_code, code=exc.status_code, message=exc.detail))

    # -- pages -----------------------------------------------------------------------------------

    def _search(q, speaker, about, stance, place, since, until, source, limit=50):
        s = store()
        out = {"q": q, "articles": [], "claims": [], "error": None}
        try:
            if q:
                out["articles"] = s.search(q, limit=limit, filters={"source": source, "since": since, "until": until})
            if speaker or about or stance or place or (not q and (since or until)):
                if stance and stance not in STANCES:
                    raise ValueError(f"stance must be one of {', '.join(STANCES)}")
                out["claims"] = s.claims(speaker=speaker or None, about=about or None, stance=stance or None,
                                         place=place or None, since=since or None, until=until or None, limit=limit)
        except ValueError as e:
            out["error"] = str(e)
        return out

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, q: str = "", speaker: str = "", about: str = "", stance: str = "",
                    place: str = "", since: str = "", until: str = "", source: str = "",
                    limit: int = Query(20, ge=1, le=500)):
        res = _search(q.strip()[:500], speaker[:200], about[:200], stance, place[:200], since[:10], until[:10],
                      source[:100], limit)
        filters = {"q": q, "speaker": speaker, "about": about, "stance": stance, "place": place, "since": since,
                   "until": until, "source": source}
        stats = store().stats() if not any(filters.values()) else None
        return page(request, "search.html", res=res, f=filters, stats=stats)

    @app.get("/articles/{ref}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(request: Request, ref: str, sent: int = 0):
        v = views.article_view(store(), ref)
        if v is None:
            raise HTTPException(404, f"no article {ref!r}")
        return page(request, "article.html", a=v, rec=v["record"], body=views.highlight(v["record"]),
                    fields=corrections.FIELDS, sent=sent,
                    history=corrections.audit(store(), v["store_id"], limit=20) if user_of(request) else [])

    @app.get("/claims/{cid}", response_class=HTMLResponse, include_in_schema=False)
    def claim_page(request: Request, cid: int):
        v = views.claim_view(store(), cid)
        if v is None:
            raise HTTPException(404, f"no claim {cid}")
        return page(request, "cluster.html", claim=v["claim"], cl=v["cluster"])

    @app.get("/clusters/{cid}", response_class=HTMLResponse, include_in_schema=False)
    def cluster_page(request: Request, cid: int):
        v = views.cluster_view(store(), cid)
        if v is None:
            raise HTTPException(404, f"no cluster {cid}")
        return page(request, "cluster.html", claim=None, cl=v)

    @app.post("/clusters/{cid}/verdicts", include_in_schema=False)
    def verdict_form(request: Request, cid: int, rating: str = Form(...), summary: str = Form(""),
                     url: str = Form(""), csrf: str = Form("")):
        check_csrf(request, csrf)
        u = require(request)
        add_verdict(cid, rating, summary, url, u)
        return RedirectResponse(f"/clusters/{cid}", status_code=303)

    def add_verdict(cid, rating, summary, url, u):
        from ..export import RATINGS
        if views.cluster_view(store(), cid) is None:
            raise HTTPException(404, f"no cluster {cid}")
        if rating not in RATINGS:
            raise HTTPException(422, f"rating must be one of {', '.join(RATINGS)}")
        if url and not url.startswith(("https://", "http://")):
            raise HTTPException(422, "the link must start with https:// or http://")
        return db.insert(store(), "web_verdicts", {"cluster_id": cid, "rating": rating,
                                                   "summary": summary.strip()[:4000] or None,
                                                   "url": url.strip()[:500] or None, "editor": u["name"],
                                                   "created": db.now()})

    @app.get("/entities/{ref:path}", response_class=HTMLResponse, include_in_schema=False)
    def entity_page(request: Request, ref: str):
        v = views.entity_view(store(), ref[:200])
        if not v["found"] and not v.get("kb"):
            raise HTTPException(404, f"no entity {ref!r}")
        return page(request, "entity.html", e=v, chart=views.timeline_svg(v["timeline"]))

    @app.get("/events", response_class=HTMLResponse, include_in_schema=False)
    def events_page(request: Request, type: str = "", since: str = "", until: str = "", place: str = ""):
        from ..store.events import list_events
        err = None
        try:
            evs = list_events(store(), type=type or None, since=since or None, until=until or None,
                              place=place or None, limit=2000)
        except ValueError as e:
            evs, err = [], str(e)
        api = "/api/events?" + urlencode({k: v for k, v in (("type", type), ("since", since), ("until", until),
                                                              ("place", place)) if v})
        return page(request, "events.html", events=evs, err=err, api=api,
                    f={"type": type, "since": since, "until": until, "place": place})

    @app.get("/analyze", response_class=HTMLResponse, include_in_schema=False)
    def analyze_form(request: Request):
        return page(request, "analyze.html", rec=None, body=None, error=None)

    @app.post("/analyze", response_class=HTMLResponse, include_in_schema=False)
    async def analyze_page(request: Request):
        form = await request.form()
        check_csrf(request, form.get("csrf"))
        upload = form.get("file")
        text = form.get("text") or ""
        published = (form.get("published") or "").strip()[:25] or None
        try:
            if upload is not None and getattr(upload, "filename", ""):
                data = await upload.read()
                rec = _analyze_bytes(data, upload.filename, published)
            else:
                rec = _analyze_bytes(str(text).encode("utf-8"), "pasted.txt", published)
        except ValueError as e:
            return page(request, "analyze.html", status=422, rec=None, body=None, error=str(e))
        if form.get("store") and user_of(request):
            s = store()
            s.add_article(rec)
            from ..store.base import content_hash
            row = s._all("SELECT id, ext_id FROM articles WHERE hash = ?", (content_hash(rec["text"]),))
            return RedirectResponse(f"/articles/{quote(row[0]['ext_id'] or str(row[0]['id']))}", status_code=303)
        return page(request, "analyze.html", rec=rec, body=views.highlight(rec), error=None)

    def _analyze_bytes(data: bytes, name: str, published: str | None) -> dict:
        from ..pipeline import analyze
        from ..read import read_bytes
        from ..read.errors import ReadError
        if not data.strip():
            raise ValueError("nothing to analyse: the text is empty")
        for item in read_bytes(data, name, published=published, max_chars=MAX_ANALYZE_CHARS):
            if isinstance(item, ReadError):
                raise ValueError(str(item))
            return analyze(item).to_dict()
        raise ValueError("nothing to analyse")

    @app.post("/corrections", include_in_schema=False)
    async def correction_form(request: Request):
        form = await request.form()
        check_csrf(request, form.get("csrf"))
        ref = str(form.get("article") or "")
        try:
            cid, art = submit_correction(request, ref, {k: form.get(k) for k in
                                                        ("kind", "target", "field", "value", "message", "contact")})
        except corrections.CorrectionError as e:
            raise HTTPException(422, str(e)) from None
        return RedirectResponse(f"/articles/{quote(ref)}?sent={cid}#correct", status_code=303)

    def submit_correction(request: Request, ref: str, f: dict) -> tuple[int, dict]:
        if not limits["correction"].allow(client_key(request)):
            raise HTTPException(429, "too many submissions from your address: wait a minute and try again")
        v = views.article_view(store(), ref)
        if v is None:
            raise HTTPException(404, f"no article {ref!r}")
        clean = {k: (str(f.get(k)) if f.get(k) is not None else None) for k in
                 ("kind", "target", "field", "value", "message", "contact")}
        cid = corrections.submit(store(), v["store_id"], v["record"], clean["kind"] or "correction",
                                 clean["target"] or "article", clean["field"], clean["value"], clean["message"],
                                 clean["contact"], client_key(request))
        return cid, v

    @app.get("/corrections", response_class=HTMLResponse, include_in_schema=False)
    def corrections_page(request: Request, status: str = "pending"):
        require(request)
        st = status if status in ("pending", "accepted", "rejected") else "pending"
        return page(request, "corrections.html", items=corrections.listing(store(), st), state=st,
                    audit=corrections.audit(store(), limit=50))

    @app.post("/corrections/{cid}/{decision}", include_in_schema=False)
    def review_form(request: Request, cid: int, decision: str, reason: str = Form(""), csrf: str = Form("")):
        check_csrf(request, csrf)
        u = require(request)
        if decision not in ("accept", "reject"):
            raise HTTPException(404, "unknown decision")
        try:
            corrections.review(store(), cid, decision == "accept", u["name"], reason)
        except corrections.CorrectionError as e:
            raise HTTPException(422, str(e)) from None
        return RedirectResponse("/corrections", status_code=303)

    @app.get("/login", response_class=HTMLResponse, include_in_schema=False)
    def login_form(request: Request, next: str = "/"):
        return page(request, "login.html", next=_safe_next(next), error=None)

    @app.post("/login", include_in_schema=False)
    def login(request: Request, name: str = Form(""), password: str = Form(""), next: str = Form("/"),
              csrf: str = Form("")):
        check_csrf(request, csrf)
        if not limits["login"].allow(client_key(request)):
            raise HTTPException(429, "too many login attempts: wait a minute")
        u = auth.authenticate(store(), name[:64], password[:1000])
        if u is None:
            return page(request, "login.html", status=401, next=_safe_next(next), error=UI[lang_of(request)]["bad_login"])
        token, _ = auth.start_session(store(), u)
        resp = RedirectResponse(_safe_next(next), status_code=303)
        resp.set_cookie(auth.SESSION_COOKIE, token, httponly=True, samesite="lax", secure=_tls(request),
                        max_age=auth.SESSION_HOURS * 3600, path="/")
        resp.set_cookie(auth.CSRF_COOKIE, auth.new_token(), httponly=True, samesite="strict", secure=_tls(request),
                        path="/")
        return resp

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: str = Form("")):
        check_csrf(request, csrf)
        auth.end_session(store(), request.cookies.get(auth.SESSION_COOKIE))
        resp = RedirectResponse("/", status_code=303)
        resp.delete_cookie(auth.SESSION_COOKIE, path="/")
        return resp

    @app.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
    def users_page(request: Request):
        require(request, "admin")
        return page(request, "users.html", users=auth.users(store()), error=None)

    @app.post("/admin/users", include_in_schema=False)
    def users_add(request: Request, name: str = Form(""), password: str = Form(""), role: str = Form("editor"),
                  csrf: str = Form("")):
        check_csrf(request, csrf)
        require(request, "admin")
        try:
            auth.add_user(store(), name, password, role)
        except ValueError as e:
            return page(request, "users.html", status=422, users=auth.users(store()), error=str(e))
        return RedirectResponse("/admin/users", status_code=303)

    @app.get("/export/{fmt}", include_in_schema=False)
    def export_download(request: Request, fmt: str):
        return _export(request, fmt)

    def _export(request: Request, fmt: str):
        from ..export import FORMATS, MEDIA_TYPES, render
        if fmt not in FORMATS:
            raise HTTPException(404, f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
        if fmt == "gold":
            require(request)
        base = str(request.base_url).rstrip("/")
        media, filename = MEDIA_TYPES[fmt]
        return Response(render(store(), fmt, org=org, base_url=base), media_type=media,
                        headers={"Content-Disposition": f'attachment; filename="raqib-{filename}"'})

    @app.get("/lang/{code}", include_in_schema=False)
    def set_lang(request: Request, code: str, next: str = "/"):
        resp = RedirectResponse(_safe_next(next), status_code=303)
        if code in UI:
            resp.set_cookie("raqib_lang", code, samesite="lax", secure=_tls(request), path="/")
        return resp

    # -- the JSON API ----------------------------------------------------------------------------

    @app.get("/api/search", tags=["read"], summary="Full-text search over articles and claim filters")
    def api_search(q: str = "", speaker: str = "", about: str = "", stance: str = "", place: str = "",
                   since: str = "", until: str = "", source: str = "", limit: int = Query(50, ge=1, le=1000)):
        res = _search(q.strip()[:500], speaker[:200], about[:200], stance, place[:200], since[:10], until[:10],
                      source[:100], limit)
        if res["error"]:
            raise HTTPException(422, res["error"])
        return {"q": q, "n_articles": len(res["articles"]), "articles": res["articles"],
                "n_claims": len(res["claims"]), "claims": res["claims"]}

    @app.get("/api/articles/{ref}", tags=["read"], summary="An article's analysed record (contract v1)")
    def api_article(ref: str):
        v = views.article_view(store(), ref)
        if v is None:
            raise HTTPException(404, f"no article {ref!r}")
        rec = dict(v["record"])
        rec["claims"] = [{k: c[k] for k in c if k not in ("speaker_name", "speaker_en", "speaker_kb", "target_names",
                                                          "via_names")} for c in v["claims"]]
        return {"store_id": v["store_id"], "record": rec, "copies": v["copies"]}

    @app.get("/api/claims/{cid}", tags=["read"], summary="A claim with its cluster, relays and contradictions")
    def api_claim(cid: int):
        v = views.claim_view(store(), cid)
        if v is None:
            raise HTTPException(404, f"no claim {cid}")
        return v

    @app.get("/api/clusters/{cid}", tags=["read"], summary="A claim cluster: first appearance, sources, relations")
    def api_cluster(cid: int):
        v = views.cluster_view(store(), cid)
        if v is None:
            raise HTTPException(404, f"no cluster {cid}")
        return v

    @app.get("/api/entities/{ref:path}", tags=["read"], summary="An entity: names, claims made and received, timeline")
    def api_entity(ref: str):
        v = views.entity_view(store(), ref[:200])
        if not v["found"] and not v.get("kb"):
            raise HTTPException(404, f"no entity {ref!r}")
        return v

    @app.get("/api/events", tags=["read"], summary="Merged events (the shape of `raqib events --json`)")
    def api_events(type: str = "", since: str = "", until: str = "", place: str = "",
                   limit: int = Query(2000, ge=1, le=100000)):
        from ..store.events import list_events
        if type and type not in EVENT_TYPES:
            raise HTTPException(422, f"type must be one of {', '.join(EVENT_TYPES)}")
        try:
            return list_events(store(), type=type or None, since=since or None, until=until or None,
                               place=place or None, limit=limit)
        except ValueError as e:
            raise HTTPException(422, str(e)) from None

    @app.get("/api/stats", tags=["read"], summary="Counts of what is stored")
    def api_stats():
        return store().stats()

    @app.post("/api/analyze", tags=["write"], summary="Analyse a text without storing it (needs the CSRF header)")
    def api_analyze(request: Request, payload: dict = Body(..., examples=[{"text": "قال المرصد إن …",
                                                                           "published": "2019-11-26"}])):
        check_csrf(request, None)
        text = payload.get("text")
        if not isinstance(text, str):
            raise HTTPException(422, "give the article as {\"text\": \"…\"}")
        try:
            return _analyze_bytes(text.encode("utf-8"), "api.txt", str(payload.get("published") or "")[:25] or None)
        except ValueError as e:
            raise HTTPException(422, str(e)) from None

    @app.post("/api/corrections", tags=["write"], status_code=201,
              summary="Submit a correction or complaint (public, rate-limited; needs the CSRF header)")
    def api_correction(request: Request, payload: dict = Body(..., examples=[{
            "article": "enab-1", "kind": "correction", "target": "claim:C1", "field": "stance", "value": "deny",
            "message": "the minister denied it", "contact": ""}])):
        check_csrf(request, None)
        try:
            cid, _ = submit_correction(request, str(payload.get("article") or ""), payload)
        except corrections.CorrectionError as e:
            raise HTTPException(422, str(e)) from None
        return {"id": cid, "status": "pending"}

    @app.get("/api/corrections", tags=["editor"], summary="The review queue (editors)")
    def api_corrections(request: Request, status: str = "pending"):
        require(request)
        return corrections.listing(store(), status if status in ("pending", "accepted", "rejected") else None)

    @app.post("/api/corrections/{cid}/review", tags=["editor"], summary="Accept or reject a correction (editors)")
    def api_review(request: Request, cid: int, payload: dict = Body(..., examples=[{"accept": True, "reason": ""}])):
        check_csrf(request, None)
        u = require(request)
        try:
            return corrections.review(store(), cid, bool(payload.get("accept")), u["name"], payload.get("reason"))
        except corrections.CorrectionError as e:
            raise HTTPException(422, str(e)) from None

    @app.get("/api/audit", tags=["editor"], summary="The audit log of accepted and rejected corrections (editors)")
    def api_audit(request: Request, article: int | None = None):
        require(request)
        return corrections.audit(store(), article)

    @app.post("/api/clusters/{cid}/verdicts", tags=["editor"], status_code=201,
              summary="Attach a fact-check verdict to a claim cluster (editors)")
    def api_verdict(request: Request, cid: int, payload: dict = Body(..., examples=[{
            "rating": "false", "summary": "…", "url": "https://example.org/check"}])):
        check_csrf(request, None)
        u = require(request)
        vid = add_verdict(cid, str(payload.get("rating") or ""), str(payload.get("summary") or ""),
                          str(payload.get("url") or ""), u)
        return {"id": vid}

    @app.get("/api/export/{fmt}", tags=["read"], summary="Exports: claimreview, json, csv, geojson, gold (editors)")
    def api_export(request: Request, fmt: str):
        return _export(request, fmt)

    return app


def _safe_next(next: str) -> str:
    """Only local paths: a login form must not become an open redirect."""
    if not next or not next.startswith("/") or next.startswith("//") or "\\" in next:
        return "/"
    return next[:500]


def _tls(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
