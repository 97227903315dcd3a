from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from feeds.models import Reading
from stacks.tests.factories import make_stack
from stackshare.hostile import MAX_FIELD_LENGTH, MAX_QUERY_STRING_LENGTH, safe_next_url
from tools.models import ProCon
from tools.tests.factories import make_procon, make_tool

BAD_REQUEST_TEXT = b"That request didn\xe2\x80\x99t make sense to us"


@pytest.fixture
def tool(db):
    return make_tool(name="Flask")


def assert_bad_request(response) -> None:
    assert response.status_code == 400
    assert BAD_REQUEST_TEXT in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/search/?q=%00",
        "/search/?q=caf%00e",
        "/search/autocomplete/?q=%00",
        "/search/autocomplete/?tool=%00",
        "/users/%00/",
        "/feeds/users/%00/",
        "/feeds/me/%00/",
        "/tools/?sort=%00",
        "/decisions/new/?kind=decided&chosen=%00",
        "/stacks/new/?company=%00",
        "/stackups/new/?tool=a%00&tool=b",
        "/admin/tools/tool/?q=%00",
        "/accounts/login/?next=%00",
    ],
)
def test_nul_bytes_anywhere_in_the_address_get_a_400(member_client, address):
    """PostgreSQL refuses NUL characters; the site answers a clear 400
    instead of a 500, signed in or not."""
    assert_bad_request(member_client.get(address))
    assert_bad_request(Client().get(address))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "/search/?q=%ED%A0%80",  # a lone surrogate, UTF-8 encoded
        "/search/?q=%FF",  # a byte that is not UTF-8
        "/search/?q%C0%AE=1",  # an overlong encoding, in a name
        "/users/%ED%A0%80/",
        "/tools/%FF/",
    ],
)
def test_invalid_unicode_in_the_address_gets_a_400(client, address):
    assert_bad_request(client.get(address))


@pytest.mark.django_db
def test_ordinary_unicode_and_odd_but_valid_input_pass(client, tool):
    """Accents, emoji, a literal percent sign and unknown names are not
    hostile: they get the page or its own 404."""
    assert client.get("/search/?q=caf%C3%A9+%F0%9F%90%8D").status_code == 200
    assert client.get("/search/?q=100%25").status_code == 200
    assert client.get("/search/?q=%zz").status_code == 200
    assert client.get("/users/%C3%9Fchen/").status_code == 404


@pytest.mark.django_db
def test_a_nul_in_a_form_field_gets_a_400_and_stores_nothing(member_client, tool):
    url = reverse("tools:procon_add", args=[tool.slug])
    assert_bad_request(member_client.post(url, {"kind": "pro", "text": "Fast\x00"}))
    assert_bad_request(member_client.post(url, {"kind\x00": "pro", "text": "Fast"}))
    assert not ProCon.objects.exists()


@pytest.mark.django_db
def test_invalid_unicode_in_a_raw_form_body_gets_a_400(member_client, tool):
    url = reverse("tools:procon_add", args=[tool.slug])
    for body in [b"kind=pro&text=%ED%A0%80", b"kind=pro&text=%FF%FE"]:
        response = member_client.post(
            url, body, content_type="application/x-www-form-urlencoded"
        )
        assert_bad_request(response)
    assert not ProCon.objects.exists()


@pytest.mark.django_db
def test_an_uploaded_file_named_with_a_nul_is_read_without_it(member_client, member):
    """Django drops non-printable characters from uploaded files' names, so
    a NUL there never reaches the import or the database."""
    from tools.tests.factories import make_alias

    make_alias(tool=make_tool(name="React"), package="npm:react")
    stack = make_stack(owner_user=member)
    upload = SimpleUploadedFile(
        "package\x00.json", b'{"dependencies": {"react": "^18.0.0"}}'
    )
    response = member_client.post(
        reverse("stacks:import", args=[stack.slug]), {"files": [upload]}
    )
    assert response.status_code == 200
    assert b"React" in response.content
    assert b"package.json" in response.content


@pytest.mark.django_db
def test_a_session_cookie_with_a_nul_gets_a_400(client):
    """The session key is looked up in the database, so it is checked too."""
    client.cookies["sessionid"] = "abc\x00defghijk"
    assert_bad_request(client.get("/"))


@pytest.mark.django_db
def test_far_too_long_input_gets_a_400_before_any_work(member_client, tool):
    long_query = "q=" + "a" * MAX_QUERY_STRING_LENGTH
    assert_bad_request(member_client.get(f"/search/?{long_query}"))
    url = reverse("tools:procon_add", args=[tool.slug])
    huge = "a" * (MAX_FIELD_LENGTH + 1)
    assert_bad_request(member_client.post(url, {"kind": "pro", "text": huge}))
    # A long but plausible search is the search page's own business.
    assert member_client.get("/search/?q=" + "a" * 500).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "status"),
    [
        ("/tools/?page=abc", 200),
        ("/tools/?page=-1&page=2", 200),
        ("/tools/?page=" + "9" * 4000, 200),
        ("/tools/?sort=nope&open_source=maybe", 200),
        ("/decisions/?page=1.5", 200),
        ("/stacks/?tool=&sort[]=x", 200),
        ("/stacks/new/?company=", 200),
        ("/stacks/new/?company=no-such-company", 404),
        ("/decisions/new/?kind=decided&chosen=&tool=,,,", 200),
        ("/decisions/999999/", 404),
        ("/decisions/99999999999999999999999999/", 404),
        ("/decisions/new/?kind=nope", 200),
        ("/feed/?after=not-a-cursor", 400),
    ],
)
def test_wrong_types_get_a_4xx_or_a_sensible_default(member_client, address, status):
    assert member_client.get(address).status_code == status


@pytest.mark.django_db
def test_private_feed_with_a_wrong_key_is_a_404(client, member):
    Reading.objects.get_or_create(user=member)
    assert client.get("/feeds/me/not-a-key/").status_code == 404


# --- next ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/stackups/flask-vs-rust/comparison/", "/stackups/flask-vs-rust/comparison/"),
        ("/tools/flask/#pros-cons", "/tools/flask/#pros-cons"),
        ("abc", "/fallback/"),
        ("", "/fallback/"),
        ("//evil.example/", "/fallback/"),
        ("/\\evil.example/", "/fallback/"),
        ("https://evil.example/", "/fallback/"),
        ("javascript:alert(1)", "/fallback/"),
        ("/tools/\r\nSet-Cookie: x=1", "/fallback/"),
        ("/" + "a" * 5000, "/fallback/"),
    ],
)
def test_safe_next_url_follows_only_paths_on_this_site(target, expected):
    request = RequestFactory().post("/", {"next": target})
    assert safe_next_url(request, "/fallback/") == expected


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["abc", "//evil.example/", "https://evil.example/"])
def test_a_procon_vote_with_a_malformed_next_goes_back_to_the_tool(
    member_client, tool, target
):
    """``next=abc`` used to be taken for a view name (a 500); any target
    that is not a path here now falls back to the tool's pros and cons."""
    procon = make_procon(tool=tool)
    response = member_client.post(
        reverse("tools:procon_vote", args=[procon.pk]), {"next": target}
    )
    assert response.status_code == 302
    assert response.url == f"{tool.get_absolute_url()}#pros-cons"


@pytest.mark.django_db
def test_a_procon_vote_returns_to_the_page_it_came_from(member_client, tool):
    procon = make_procon(tool=tool)
    back = "/stackups/flask-vs-rust/comparison/"
    response = member_client.post(
        reverse("tools:procon_vote", args=[procon.pk]), {"next": back}
    )
    assert response.url == back
    htmx = member_client.post(
        reverse("tools:procon_vote", args=[procon.pk]),
        {"next": "abc", "state": "off"},
        headers={"HX-Request": "true"},
    )
    assert b'value="abc"' not in htmx.content
    assert f'value="{tool.get_absolute_url()}#pros-cons"'.encode() in htmx.content


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/", "/tools/", "/healthz", "/feeds/tools/"])
def test_head_answers_like_get(client, address):
    """Uptime monitors use HEAD; it answers as GET does, without a body."""
    get, head = client.get(address), client.head(address)
    assert head.status_code == get.status_code == 200
    assert head.content == b""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "manifest",
    [
        b'{"dependencies": {"re\\u0000act": "1", "react": "^18.0.0"}}',
        b'{"dependencies": {"re\\ud800act": "1", "react": "^18.0.0"}}',
    ],
)
def test_package_names_with_a_nul_in_an_uploaded_file_are_skipped(
    member_client, member, manifest
):
    """JSON escapes can put a NUL or a lone surrogate into a package name;
    such a name matches no tool and the rest of the file still imports."""
    from tools.tests.factories import make_alias

    make_alias(tool=make_tool(name="React"), package="npm:react")
    stack = make_stack(owner_user=member)
    response = member_client.post(
        reverse("stacks:import", args=[stack.slug]),
        {"files": [SimpleUploadedFile("package.json", manifest)]},
    )
    assert response.status_code == 200
    assert b"React" in response.content


def test_a_body_bigger_than_any_form_is_refused_before_it_is_read(
    member_client, member
):
    """A 20 MB post (here to the profile form, which takes a 2 MB avatar)
    gets a 413 with the reason, and no worker receives or parses it: the
    test's body is one byte, so reading it whole would fail."""
    response = member_client.post(
        reverse("accounts:profile_edit", kwargs={"username": member.username}),
        data=b"x",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(20 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "10 MB" in response.content.decode()
