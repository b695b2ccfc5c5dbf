from companion.extensions import db
from companion.models import ArticleVersion, Role
from companion.services.content_library import load_library
from tests import factories


def _load():
    return load_library()


def read(client, who, path, **headers):
    return client.get(path, headers={**factories.bearer(who), **headers})


def test_patient_lists_articles_in_their_language_with_the_notice(client):
    _load()
    p = factories.patient(factories.clinic(), preferred_language="es")
    listed = read(client, p, "/v1/articles")
    assert listed.status_code == 200
    items = listed.get_json()
    assert len(items) == 11 and {a["language"] for a in items} == {"es"}
    detail = read(client, p, "/v1/articles/getting-help-in-a-crisis").get_json()
    assert "emergencia" in detail["notice"].lower()


def test_query_parameter_and_accept_language_choose_the_language(client):
    _load()
    p = factories.patient(factories.clinic())
    assert read(client, p, "/v1/articles/conditions-treated?lang=es").get_json()["language"] == "es"
    via_header = read(client, p, "/v1/articles/conditions-treated", **{"Accept-Language": "es-MX,es;q=0.9"})
    assert via_header.get_json()["language"] == "es"
    assert read(client, p, "/v1/articles/conditions-treated").get_json()["language"] == "en"


def test_missing_translation_falls_back_to_english(client):
    _load()
    c = factories.clinic()
    admin = factories.staff(c, Role.ADMIN)
    client.post(
        "/v1/clinic/articles/parking-at-our-clinic/versions",
        json={
            "language": "en",
            "category": "preparing",
            "title": "Parking",
            "publish": True,
            "summary": "Where to leave your car.",
            "body": "Park behind the building; a companion drives home.",
        },
        headers=factories.bearer(admin),
    )
    p = factories.patient(c, preferred_language="es")
    article = read(client, p, "/v1/articles/parking-at-our-clinic?lang=es").get_json()
    assert article["language"] == "en" and article["title"] == "Parking"


def test_clinic_override_is_seen_by_its_patients_only(client):
    _load()
    a, b = factories.clinic("A"), factories.clinic("B")
    admin = factories.staff(a, Role.ADMIN)
    response = client.post(
        "/v1/clinic/articles/preparing-for-your-infusion/versions",
        json={
            "language": "en",
            "category": "preparing",
            "title": "Preparing at Clinic A",
            "publish": True,
            "summary": "Clinic A's own rules.",
            "body": "No food for 8 hours. Call us on 555-0100.",
        },
        headers=factories.bearer(admin),
    )
    assert response.status_code == 201 and response.get_json()["version"] == 1
    mine = read(client, factories.patient(a), "/v1/articles/preparing-for-your-infusion").get_json()
    theirs = read(client, factories.patient(b), "/v1/articles/preparing-for-your-infusion").get_json()
    assert (mine["title"], mine["source"]) == ("Preparing at Clinic A", "clinic")
    assert (theirs["title"], theirs["source"]) == ("Preparing for your infusion", "default")


def test_drafts_are_not_visible_and_every_edit_is_a_new_version(client):
    _load()
    c = factories.clinic()
    admin = factories.bearer(factories.staff(c, Role.ADMIN))
    url = "/v1/clinic/articles/after-your-infusion/versions"
    draft = {
        "language": "en",
        "category": "during-and-after",
        "title": "Our aftercare",
        "summary": "What we ask after an infusion.",
        "body": "Rest at home with someone nearby tonight.",
    }
    assert client.post(url, json=draft, headers=admin).get_json()["published"] is False
    p = factories.patient(c)
    assert read(client, p, "/v1/articles/after-your-infusion").get_json()["source"] == "default"

    client.post(url, json={**draft, "title": "Our aftercare, revised"}, headers=admin)
    published = client.post(f"{url}/2/publish?language=en", headers=admin)
    assert published.status_code == 200
    assert read(client, p, "/v1/articles/after-your-infusion").get_json()["title"] == "Our aftercare, revised"
    history = client.get(f"{url}?language=en", headers=admin).get_json()
    assert [(v["source"], v["version"], v["published"]) for v in history] == [
        ("clinic", 2, True),
        ("clinic", 1, False),
        ("default", 1, True),
    ]

    assert (
        client.delete("/v1/clinic/articles/after-your-infusion/published?language=en", headers=admin).status_code == 204
    )
    assert read(client, p, "/v1/articles/after-your-infusion").get_json()["source"] == "default"


def test_search_finds_words_in_the_body_and_ignores_accents(client):
    _load()
    p = factories.patient(factories.clinic())
    found = read(client, p, "/v1/articles?q=benzodiazepines").get_json()
    assert "preparing-for-your-infusion" in {a["slug"] for a in found}
    spanish = read(client, p, "/v1/articles?lang=es&q=nauseas").get_json()
    assert spanish and all(a["language"] == "es" for a in spanish)
    assert read(client, p, "/v1/articles?q=zzzunfindable").get_json() == []


def test_category_filter(client):
    _load()
    p = factories.patient(factories.clinic())
    items = read(client, p, "/v1/articles?category=preparing").get_json()
    assert items and {a["category"] for a in items} == {"preparing"}
    assert read(client, p, "/v1/articles?category=gossip").status_code == 422


def test_etag_revalidation_answers_304(client):
    _load()
    p = factories.patient(factories.clinic())
    first = read(client, p, "/v1/articles/how-a-session-goes")
    assert first.headers["Cache-Control"].startswith("private")
    etag = first.headers["ETag"]
    again = read(client, p, "/v1/articles/how-a-session-goes", **{"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    listed = read(client, p, "/v1/articles")
    assert read(client, p, "/v1/articles", **{"If-None-Match": listed.headers["ETag"]}).status_code == 304


def test_clinic_settings_fill_the_placeholders(client):
    _load()
    c = factories.clinic(fasting_solid_hours=8, fasting_clear_liquid_hours=3)
    p = factories.patient(c)
    body = read(client, p, "/v1/articles/preparing-for-your-infusion").get_json()["body"]
    assert "8 hours" in body and "3 hours" in body and "{{" not in body
    crisis = read(client, p, "/v1/articles/getting-help-in-a-crisis").get_json()["body"]
    assert "988" in crisis and "{{crisis_resources}}" not in crisis


def test_html_is_sanitized(client):
    c = factories.clinic()
    admin = factories.bearer(factories.staff(c, Role.ADMIN))
    nasty = (
        "Hello <script>alert('x')</script>\n\n[click](javascript:alert(1)) "
        '<img src=x onerror="alert(2)"> <a href="https://ok.example" onclick="steal()">fine</a>\n\n**bold**'
    )
    client.post(
        "/v1/clinic/articles/nasty/versions",
        json={
            "language": "en",
            "category": "preparing",
            "title": "Nasty",
            "summary": "A hostile body.",
            "body": nasty,
            "publish": True,
        },
        headers=admin,
    )
    html = read(client, factories.patient(c), "/v1/articles/nasty?format=html").get_json()["body_html"]
    tags, attributes = _elements(html)
    assert "script" not in tags and "img" not in tags
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert not [value for name, value in attributes if name == "href" and "javascript" in (value or "").lower()]
    assert "<strong>bold</strong>" in html


def test_sanitizer_strips_dangerous_html_even_if_markdown_let_it_through():
    from companion.content.render import sanitize

    dirty = '<p onclick="x()">hi<script>alert(1)</script><a href="javascript:alert(2)">x</a><img src=x onerror=y>'
    tags, attributes = _elements(sanitize(dirty + "</p>"))
    assert tags == ["p", "a"] and attributes == [("rel", "noopener noreferrer nofollow")]


def _elements(html: str) -> tuple[list[str], list[tuple[str, str | None]]]:
    from html.parser import HTMLParser

    seen: tuple[list[str], list[tuple[str, str | None]]] = ([], [])

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            seen[0].append(tag)
            seen[1].extend(attrs)

    Collector().feed(html)
    return seen


def test_loading_twice_changes_nothing(app):
    first = _load()
    count = db.session.scalar(db.select(db.func.count()).select_from(ArticleVersion))
    second = _load()
    assert len(first.created) == 22 and second.created == second.updated == []
    assert len(second.unchanged) == 22
    assert db.session.scalar(db.select(db.func.count()).select_from(ArticleVersion)) == count


def test_admin_write_is_validated(client):
    admin = factories.bearer(factories.staff(factories.clinic(), Role.ADMIN))
    valid = {
        "language": "en",
        "category": "preparing",
        "title": "Fine",
        "summary": "A fine summary.",
        "body": "A body that is long enough.",
    }
    bad_slug = client.post("/v1/clinic/articles/Bad_Slug!/versions", json=valid, headers=admin)
    assert bad_slug.status_code == 422 and "slug" in bad_slug.get_json()["errors"]
    missing = client.post("/v1/clinic/articles/ok-slug/versions", json={"language": "en"}, headers=admin)
    assert {"title", "summary", "body", "category"} <= missing.get_json()["errors"].keys()
    huge = client.post(
        "/v1/clinic/articles/ok-slug/versions",
        json={
            "language": "en",
            "category": "preparing",
            "title": "Big",
            "summary": "Too big a body.",
            "body": "x" * 40_001,
        },
        headers=admin,
    )
    assert huge.status_code == 422 and "body" in huge.get_json()["errors"]


def test_only_admins_write_and_patients_cannot(client):
    c = factories.clinic()
    body = {
        "language": "en",
        "category": "preparing",
        "title": "Mine",
        "summary": "Mine mine mine.",
        "body": "Twenty characters or more here.",
    }
    for who in (factories.patient(c), factories.staff(c)):
        assert (
            client.post("/v1/clinic/articles/x-y/versions", json=body, headers=factories.bearer(who)).status_code == 403
        )


def test_reading_needs_sign_in(client):
    assert client.get("/v1/articles").status_code == 401
