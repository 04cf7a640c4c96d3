"""The workbench app through its HTTP interface (FastAPI TestClient), on SQLite and PostgreSQL:
pages, the JSON API, corrections with review and audit, verdicts and exports, and the security
rules (CSRF, roles, escaping, rate and size limits, headers, bound parameters)."""
from __future__ import annotations

import csv
import io
import json
import re
import uuid

import pytest

from conftest import PG_SKIP, PG_URL, pg_url_with_schema

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
HOSTILE = {"id": "hostile-1", "published": "2019-05-01", "source": "outlet-h",
           "title": "عنوان " + XSS,
           "text": "قال المرصد السوري لحقوق الإنسان إن " + XSS + " قصفا استهدف مدينة إدلب صباح اليوم."}


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def web_db(request, tmp_path_factory):
    """A store with the demo articles (clustered), a hostile article, an editor and an admin."""
    if request.param == "sqlite":
        url = str(tmp_path_factory.mktemp("web") / "web.db")
        schema = None
    else:
        if not PG_URL:
            pytest.skip(PG_SKIP)
        import psycopg
        schema = "w_" + uuid.uuid4().hex[:12]
        with psycopg.connect(PG_URL, autocommit=True) as c:
            c.execute(f"CREATE SCHEMA {schema}")
        url = pg_url_with_schema(PG_URL, schema)
    from raqib.ingest import ingest
    from raqib.store import open_store
    from raqib.web import demo
    demo.build(url, password="editor-pass-1")
    src = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    src.write_text(json.dumps(HOSTILE, ensure_ascii=False) + "\n", encoding="utf-8")
    with open_store(url) as s:
        ingest([str(src)], s)
    yield url
    if schema:
        import psycopg
        with psycopg.connect(PG_URL, autocommit=True) as c:
            c.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def client(web_db):
    from fastapi.testclient import TestClient
    from raqib.web.app import create_app
    with TestClient(create_app(web_db, correction_rate=(1000, 60))) as c:
        yield c


def csrf(c) -> str:
    if "raqib_csrf" not in c.cookies:
        c.get("/login")
    return c.cookies["raqib_csrf"]


def login(c, name="editor", password="editor-pass-1"):
    r = c.post("/login", data={"name": name, "password": password, "next": "/corrections", "csrf": csrf(c)},
               follow_redirects=False)
    assert r.status_code == 303, r.text
    meta = re.search(r'name="csrf-token" content="([^"]+)"', c.get("/corrections").text)
    return meta.group(1)


def douma_article(c) -> str:
    hits = c.get("/api/search", params={"q": "دوما"}).json()["articles"]
    return next(h["id"] for h in hits if h["id"] == "ru-mod-1")


# -- pages ------------------------------------------------------------------------------------------

def test_pages_are_arabic_rtl_and_link_together(client):
    r = client.get("/search", params={"q": "ادلب"})      # إدلب without hamza finds it
    assert r.status_code == 200
    assert '<html lang="ar" dir="rtl">' in r.text
    n = int(re.search(r'id="n-articles"><span class="count">(\d+)</span>', r.text).group(1))
    assert n >= 3
    art = client.get("/articles/ru-mod-1").text
    assert 'class="hl c-content' in art and 'class="hl c-cue' in art and 'class="hl c-speaker' in art
    assert "وزارة الدفاع الروسية" in art
    cluster = re.search(r'href="/clusters/(\d+)"', art).group(1)
    page = client.get(f"/clusters/{cluster}").text
    assert "وزارة الدفاع الروسية" in page and 'id="contradicting"' in page
    api = client.get(f"/api/clusters/{cluster}").json()
    assert api["size"] >= 3 and api["first"]["article"] == "ru-mod-1"
    assert {"outlet-ru", "outlet-b", "outlet-c"} <= set(api["outlets"])
    assert any(r["type"] == "contradicts" for r in api["contradicts"])
    claim = api["claims"][0]["id"]
    assert client.get(f"/claims/{claim}").status_code == 200
    assert client.get(f"/api/claims/{claim}").json()["claim"]["cluster"] == int(cluster)
    ent = client.get("/entities/org:ru-mod").text
    assert "وزارة الدفاع الروسية" in ent and "<svg" in ent
    ev = client.get("/events").text
    assert 'id="map"' in ev and "chemical_attack" in ev
    events = client.get("/api/events", params={"type": "chemical_attack"}).json()
    douma = [e for e in events if e["place"]["name"] == "دوما"]
    assert len(douma) == 1 and len(douma[0]["mentions"]) >= 3
    en = client.get("/articles/ru-mod-1", params={"lang": "en"}).text
    assert '<html lang="en" dir="ltr">' in en


def test_claim_filters_and_counts(client):
    r = client.get("/api/search", params={"speaker": "وزارة الدفاع الروسية", "stance": "deny"}).json()
    assert r["n_claims"] >= 2 and all(c["stance"] == "deny" for c in r["claims"])
    page = client.get("/search", params={"speaker": "وزارة الدفاع الروسية"}).text
    assert 'id="n-claims"' in page
    assert client.get("/api/search", params={"stance": "lies"}).status_code == 422
    assert client.get("/api/articles/no-such-article").status_code == 404
    assert client.get("/articles/no-such-article", headers={"accept": "text/html"}).status_code == 404


def test_analyze_a_pasted_text_without_storing(client):
    before = client.get("/api/stats").json()["articles"]
    r = client.post("/analyze", data={"text": "اتهمت وزارة الخارجية التركية قوات النظام بقصف مدينة إدلب.",
                                      "published": "2019-11-26", "csrf": csrf(client)})
    assert r.status_code == 200 and 'class="hl c-cue' in r.text
    assert client.get("/api/stats").json()["articles"] == before
    r = client.post("/analyze", data={"text": "", "csrf": csrf(client)})
    assert r.status_code == 422 and "empty" in r.text
    rec = client.post("/api/analyze", json={"text": "قال المرصد إن 5 مدنيين قتلوا في إدلب."},
                      headers={"X-CSRF-Token": csrf(client)}).json()
    assert rec["claims"][0]["cue"]["text"] == "قال"


# -- corrections: submit, review, audit, gold ---------------------------------------------------------

def test_correction_is_reviewed_applied_and_audited(client):
    rec = client.get("/api/articles/ru-mod-1").json()["record"]
    c1 = rec["claims"][0]
    assert c1["stance"] != "accuse"
    r = client.post("/corrections", data={"csrf": csrf(client), "article": "ru-mod-1", "kind": "correction",
                                          "target": f"claim:{c1['id']}", "field": "stance", "value": "accuse",
                                          "message": "the ministry accuses the White Helmets",
                                          "contact": "a@example.org"}, follow_redirects=False)
    assert r.status_code == 303 and "sent=" in r.headers["location"]
    cid = int(re.search(r"sent=(\d+)", r.headers["location"]).group(1))
    # a wrong value is refused at once, with the reason
    bad = client.post("/api/corrections", json={"article": "ru-mod-1", "target": f"claim:{c1['id']}",
                                               "field": "stance", "value": "lies"},
                      headers={"X-CSRF-Token": csrf(client)})
    assert bad.status_code == 422 and "stance must be one of" in bad.json()["detail"]
    # anonymous users cannot see or review the queue
    assert client.get("/api/corrections").status_code == 401
    assert client.post(f"/api/corrections/{cid}/review", json={"accept": True},
                       headers={"X-CSRF-Token": csrf(client)}).status_code == 401
    token = login(client)
    queue = client.get("/api/corrections").json()
    assert any(q["id"] == cid and q["value"] == "accuse" for q in queue)
    # review without the CSRF token is refused
    assert client.post(f"/api/corrections/{cid}/review", json={"accept": True}).status_code == 403
    r = client.post(f"/corrections/{cid}/accept", data={"csrf": token, "reason": "checked"}, follow_redirects=False)
    assert r.status_code == 303
    rec2 = client.get("/api/articles/ru-mod-1").json()["record"]
    assert rec2["claims"][0]["stance"] == "accuse" and rec2["claims"][0]["corrected"] is True
    hits = client.get("/api/search", params={"speaker": "وزارة الدفاع الروسية", "stance": "accuse"}).json()
    assert any(h["article_id"] == "ru-mod-1" for h in hits["claims"])      # the rows changed too
    audit = client.get("/api/audit").json()
    entry = next(a for a in audit if a["correction_id"] == cid)
    assert entry["user_name"] == "editor" and entry["action"] == "accept correction"
    assert json.loads(entry["before"])["stance"] == c1["stance"] and json.loads(entry["after"])["stance"] == "accuse"
    assert client.post(f"/corrections/{cid}/accept", data={"csrf": token}).status_code == 422  # already accepted
    gold = [json.loads(l) for l in client.get("/export/gold").text.splitlines()]
    g = next(g for g in gold if g["id"] == "ru-mod-1")
    assert g["claims"][0]["stance"] == "accuse" and g["text"] == rec2["text"]


def test_rejection_needs_a_reason_and_changes_nothing(client):
    r = client.post("/api/corrections", json={"article": "ru-mod-1", "kind": "complaint", "target": "article",
                                             "message": "biased headline"}, headers={"X-CSRF-Token": csrf(client)})
    assert r.status_code == 201
    cid = r.json()["id"]
    token = login(client)
    assert client.post(f"/api/corrections/{cid}/review", json={"accept": False},
                       headers={"X-CSRF-Token": token}).status_code == 422
    before = client.get("/api/articles/ru-mod-1").json()["record"]
    r = client.post(f"/api/corrections/{cid}/review", json={"accept": False, "reason": "the headline is the outlet's"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["action"] == "reject complaint"
    assert client.get("/api/articles/ru-mod-1").json()["record"] == before


def test_missing_claim_and_place_corrections(client):
    rec = client.get("/api/articles/opcw-5").json()["record"]
    text = rec["text"]
    token = login(client)
    value = "منظمة حظر الأسلحة الكيميائية | أكدت | غاز الكلور استخدم في الهجوم الكيماوي | confirm"
    r = client.post("/api/corrections", json={"article": "opcw-5", "target": "article", "field": "missing_claim",
                                             "value": value}, headers={"X-CSRF-Token": token})
    assert r.status_code == 201, r.text
    client.post(f"/api/corrections/{r.json()['id']}/review", json={"accept": True}, headers={"X-CSRF-Token": token})
    rec2 = client.get("/api/articles/opcw-5").json()["record"]
    new = rec2["claims"][-1]
    assert new["stance"] == "confirm" and len(rec2["claims"]) == len(rec["claims"]) + 1
    assert text[new["content"]["start"]:new["content"]["end"]] == "غاز الكلور استخدم في الهجوم الكيماوي"
    # a value that is not in the text is refused: evidence stays evidence
    r = client.post("/api/corrections", json={"article": "opcw-5", "target": "article", "field": "missing_claim",
                                             "value": "فلان | قال | كلام غير موجود | assert"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 422 and "does not occur" in r.json()["detail"]
    place = rec["places"][0]
    r = client.post("/api/corrections", json={"article": "opcw-5", "target": f"place:{place['entity']}",
                                             "field": "coordinates", "value": "33.57, 36.40"},
                    headers={"X-CSRF-Token": token})
    client.post(f"/api/corrections/{r.json()['id']}/review", json={"accept": True}, headers={"X-CSRF-Token": token})
    p2 = client.get("/api/articles/opcw-5").json()["record"]["places"][0]
    assert (p2["lat"], p2["lon"], p2["precision"]) == (33.57, 36.40, "corrected")


# -- verdicts and exports ------------------------------------------------------------------------------

def test_verdict_and_exports(client):
    art = client.get("/articles/ru-mod-1").text
    cluster = int(re.search(r'href="/clusters/(\d+)"', art).group(1))
    assert client.post(f"/api/clusters/{cluster}/verdicts", json={"rating": "false"},
                       headers={"X-CSRF-Token": csrf(client)}).status_code == 401
    token = login(client)
    r = client.post(f"/api/clusters/{cluster}/verdicts", json={"rating": "false", "summary": "OPCW found chlorine",
                                                              "url": "https://example.org/check/1"},
                    headers={"X-CSRF-Token": token})
    assert r.status_code == 201
    assert client.post(f"/api/clusters/{cluster}/verdicts", json={"rating": "meh"},
                       headers={"X-CSRF-Token": token}).status_code == 422
    docs = client.get("/api/export/claimreview").json()
    d = next(d for d in docs if d["url"] == "https://example.org/check/1")
    assert d["@context"] == "https://schema.org" and d["@type"] == "ClaimReview"
    assert d["itemReviewed"]["@type"] == "Claim" and d["itemReviewed"]["author"]["name"]
    assert len(d["itemReviewed"]["appearance"]) >= 3 and d["reviewRating"]["alternateName"] == "false"
    assert d["claimReviewed"] and re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["datePublished"])
    body = client.get("/export/csv").content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body[1:])))
    assert rows and {"speaker", "stance", "content", "content_start"} <= set(rows[0])
    geo = client.get("/export/geojson").json()
    assert geo["type"] == "FeatureCollection" and geo["features"]
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    assert 25 < lon < 50 and 27 < lat < 42
    lines = client.get("/export/json").text.splitlines()
    assert json.loads(lines[0])["content_end"] > json.loads(lines[0])["content_start"]
    assert client.get("/export/pdf").status_code == 404


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/articles/{ref}", "/api/claims/{cid}", "/api/clusters/{cid}",
                 "/api/entities/{ref}", "/api/events", "/api/corrections", "/api/corrections/{cid}/review",
                 "/api/clusters/{cid}/verdicts", "/api/export/{fmt}", "/api/analyze"):
        assert path in spec["paths"], path
    assert not any(p.startswith("/articles") for p in spec["paths"])      # pages are not API


# -- security ---------------------------------------------------------------------------------------------

def test_hostile_text_is_escaped_everywhere(client):
    page = client.get("/articles/hostile-1").text
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page
    search = client.get("/search", params={"q": "المرصد"}).text
    assert "<script>alert" not in search
    r = client.post("/api/corrections", json={"article": "hostile-1", "kind": "complaint", "target": "article",
                                             "message": XSS, "contact": XSS}, headers={"X-CSRF-Token": csrf(client)})
    assert r.status_code == 201
    login(client)
    queue = client.get("/corrections").text
    assert "<script>alert" not in queue and "&lt;script&gt;" in queue
    reflected = client.get("/search", params={"q": XSS, "speaker": XSS}).text
    assert "<script>alert" not in reflected


def state_changing_routes(app) -> list[str]:
    """Every route of the app that takes POST/PUT/PATCH/DELETE, path parameters filled in."""
    out = []
    for r in app.routes:
        methods = getattr(r, "methods", None) or set()
        if methods & {"POST", "PUT", "PATCH", "DELETE"}:
            out.append(re.sub(r"\{[^}]+\}", "1", r.path).replace("/1/1", "/1/accept"))
    return out


def test_csrf_is_required_on_every_state_change(client):
    csrf(client)
    routes = state_changing_routes(client.app)
    assert len(routes) >= 11 and "/corrections" in routes and "/api/corrections" in routes
    for path in routes:
        if path.startswith("/api/"):
            r = client.post(path, json={"article": "ru-mod-1", "kind": "complaint", "message": "x", "text": "قال"})
            assert r.status_code == 403, path
            r = client.post(path, json={}, headers={"X-CSRF-Token": "forged"})
            assert r.status_code == 403, path
        else:
            data = {"article": "ru-mod-1", "kind": "complaint", "message": "x", "name": "editor",
                    "password": "editor-pass-1", "text": "قال المرصد إن", "rating": "false"}
            assert client.post(path, data=data, follow_redirects=False).status_code == 403, path
            assert client.post(path, data={**data, "csrf": "forged"}, follow_redirects=False).status_code == 403, path


def test_editor_and_admin_routes_refuse_others(client):
    tok = csrf(client)
    editor_get = ["/api/corrections", "/api/audit", "/export/gold", "/api/export/gold"]
    editor_post = ["/api/corrections/1/review", "/api/clusters/1/verdicts"]
    for path in editor_get:
        assert client.get(path).status_code == 401, path
    for path in editor_post:
        assert client.post(path, json={"accept": True, "rating": "false"}, headers={"X-CSRF-Token": tok}).status_code == 401, path
    for path in ("/corrections/1/accept", "/clusters/1/verdicts"):
        assert client.post(path, data={"csrf": tok, "rating": "false"}, follow_redirects=False).status_code in (401, 303), path
    assert client.get("/admin/users").status_code == 401
    assert client.post("/admin/users", data={"csrf": tok, "name": "eve", "password": "password-1",
                                             "role": "admin"}).status_code == 401
    token = login(client)                                       # a plain editor is not an admin
    assert client.get("/admin/users").status_code == 403
    assert client.post("/admin/users", data={"csrf": token, "name": "eve", "password": "password-1",
                                             "role": "admin"}).status_code == 403


def test_roles_and_sessions(client):
    assert client.get("/corrections", headers={"accept": "text/html"}, follow_redirects=False).status_code == 303
    r = client.post("/login", data={"name": "editor", "password": "wrong-password", "csrf": csrf(client)})
    assert r.status_code == 401 and "raqib_session" not in client.cookies
    r = client.post("/login", data={"name": "editor", "password": "editor-pass-1", "csrf": csrf(client)},
                    follow_redirects=False)
    cookie = r.headers["set-cookie"]
    assert "raqib_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie                   # plain http on loopback; Secure when TLS
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/").text).group(1)
    assert client.get("/admin/users").status_code == 403                  # an editor is not an admin
    assert client.post("/admin/users", data={"name": "mallory", "password": "password-1", "role": "admin",
                                             "csrf": token}).status_code == 403
    client.post("/logout", data={"csrf": token})
    assert client.get("/api/corrections").status_code == 401              # the session is gone
    login(client, "admin", "editor-pass-1")
    assert client.get("/admin/users").status_code == 200


def test_login_redirect_stays_on_this_site(client):
    r = client.post("/login", data={"name": "editor", "password": "editor-pass-1", "csrf": csrf(client),
                                    "next": "//evil.example.org/x"}, follow_redirects=False)
    assert r.headers["location"] == "/"


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text and " onclick=" not in r.text          # no inline script anywhere


def test_sql_injection_payloads_are_plain_values(client):
    n = client.get("/api/stats").json()
    for p in ("' OR 1=1 --", "x'); DROP TABLE claims; --", "%' OR '%'='", "\\", "1; SELECT pg_sleep(5)"):
        for k in ("q", "speaker", "about", "place", "source"):
            r = client.get("/api/search", params={k: p})
            assert r.status_code == 200 and r.json()["n_claims"] == 0, (k, p)
        assert client.get("/api/events", params={"place": p}).status_code == 200
        assert client.get(f"/api/entities/{p}").status_code in (200, 404)
    assert client.get("/api/stats").json() == n


def test_correction_form_is_rate_and_size_limited(web_db):
    from fastapi.testclient import TestClient
    from raqib.web.app import create_app
    with TestClient(create_app(web_db, correction_rate=(3, 60))) as c:
        tok = csrf(c)
        codes = [c.post("/api/corrections", json={"article": "ru-mod-1", "kind": "complaint", "target": "article",
                                                  "message": f"m{i}"}, headers={"X-CSRF-Token": tok}).status_code
                 for i in range(5)]
        assert codes == [201, 201, 201, 429, 429]
        big = c.post("/corrections", data={"csrf": tok, "article": "ru-mod-1", "kind": "complaint",
                                           "message": "x" * 40_000})
        assert big.status_code == 413
        long_msg = c.post("/api/corrections", json={"article": "ru-mod-1", "kind": "complaint", "message": "x" * 5000},
                          headers={"X-CSRF-Token": tok})
        assert long_msg.status_code in (413, 422, 429)


def test_highlight_reconstructs_the_text_exactly():
    import html
    from raqib.web.views import highlight
    text = "قال أحمد إن <b>القصف</b> طال إدلب & حلب"
    rec = {"text": text, "entities": [{"id": "E1", "type": "PER", "mentions": [{"start": 4, "end": 8}]},
                                      {"id": "E2", "type": "LOC", "mentions": [{"start": 29, "end": 33}]}],
           "places": [{"entity": "E2"}], "times": [], "quantities": [],
           "claims": [{"id": "C1", "cue": {"start": 0, "end": 3}, "speaker": {"start": 4, "end": 8},
                       "content": {"start": 12, "end": 39}}]}
    out = str(highlight(rec))
    assert "<b>" not in out
    assert html.unescape(re.sub(r"<[^>]+>", "", out)) == text
    assert 'class="hl c-content place" data-c="C1" data-e="E2">إدلب</span>' in out


def test_passwords_are_stored_as_argon2id_hashes(web_db):
    from raqib.store import open_store
    from raqib.web.auth import authenticate
    with open_store(web_db) as s:
        rows = s._all("SELECT name, pw_hash FROM web_users")
        assert rows and all(r["pw_hash"].startswith("$argon2id$") for r in rows)
        assert all("editor-pass-1" not in r["pw_hash"] for r in rows)
        assert authenticate(s, "editor", "editor-pass-1")["role"] == "editor"
        assert authenticate(s, "editor", "editor-pass-2") is None
        assert authenticate(s, "nobody", "editor-pass-1") is None
        tokens = s._all("SELECT token_hash FROM web_sessions")
        assert all(re.fullmatch(r"[0-9a-f]{64}", t["token_hash"]) for t in tokens)


def test_a_body_without_length_is_cut_at_the_limit(client):
    tok = csrf(client)

    def chunks():                       # chunked transfer: no Content-Length to refuse it by
        yield f"csrf={tok}&article=ru-mod-1&kind=complaint&message=".encode()
        for _ in range(100):
            yield b"x" * 1024

    r = client.post("/corrections", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413
    ok = client.post("/corrections", data={"csrf": tok, "article": "ru-mod-1", "kind": "complaint", "message": "short"},
                     follow_redirects=False)
    assert ok.status_code == 303


def test_password_guessing_is_rate_limited(web_db):
    from fastapi.testclient import TestClient
    from raqib.web.app import create_app
    with TestClient(create_app(web_db, login_rate=(3, 60))) as c:
        tok = csrf(c)
        codes = [c.post("/login", data={"name": "editor", "password": f"guess-{i}", "csrf": tok}).status_code
                 for i in range(5)]
        assert codes == [401, 401, 401, 429, 429]
