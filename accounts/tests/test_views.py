from __future__ import annotations

import io
import os
import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.models import User
from accounts.tests.factories import PASSWORD, image_upload, make_member
from decisions.tests.factories import make_decision

SIGNUP = {
    "email": "new@example.com",
    "username": "newbie",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def confirmation_link() -> str:
    (message,) = mail.outbox
    found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", str(message.body))
    assert found, message.body
    return found.group(0)


# Sign-up, confirmation and login ---------------------------------------------


@pytest.mark.django_db
def test_sign_up_confirm_and_log_in(client):
    """A new member signs up, confirms the address from the e-mail, then logs in."""
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(username="newbie").exists()

    link = confirmation_link()
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200
    client.post("/" + path)
    assert EmailAddress.objects.get(email="new@example.com").verified

    response = client.post(
        reverse("account_login"), {"login": "new@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"].username == "newbie"


@pytest.mark.django_db
def test_unconfirmed_email_cannot_log_in(client):
    """Logging in before confirming sends the member to "confirm your address"."""
    make_member(username="pending", verified=False)
    response = client.post(
        reverse("account_login"),
        {"login": "pending", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert b"Verify Your Email Address" in response.content


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_message(client, member):
    """A wrong password gives the form back with an error, and no session."""
    response = client.post(
        reverse("account_login"), {"login": "ada", "password": "nope"}
    )
    assert response.status_code == 200
    assert b"not correct" in response.content
    assert "_auth_user_id" not in client.session


def visible_text(response) -> str:
    """The page's words, without the per-request CSRF tokens."""
    content = response.content.decode()
    return re.sub(
        r'(name="csrfmiddlewaretoken" value=|"x-csrftoken": )"[^"]*"', "", content
    )


@pytest.mark.django_db
def test_sign_up_with_a_taken_address_looks_like_any_sign_up(client, member):
    """A taken address gets the same answer as a new one; only its owner learns more.

    The page says "check your e-mail" either way, nobody is created, and the
    address's owner is sent an "account already exists" e-mail instead of a
    confirmation link.
    """
    fresh = client.post(reverse("account_signup"), SIGNUP, follow=True)
    mail.outbox.clear()
    taken = Client().post(
        reverse("account_signup"),
        {**SIGNUP, "username": "another", "email": member.email},
        follow=True,
    )
    assert taken.redirect_chain == fresh.redirect_chain
    assert taken.status_code == fresh.status_code == 200
    assert b"already" not in taken.content
    assert not User.objects.filter(username="another").exists()
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Account Already Exists" in message.subject
    assert "/accounts/password/reset/" in message.body


@pytest.mark.django_db
def test_password_reset_answers_the_same_for_unknown_addresses(client, member):
    """Whether an address has an account cannot be read off the reset page."""
    known = client.post(
        reverse("account_reset_password"), {"email": member.email}, follow=True
    )
    unknown = Client().post(
        reverse("account_reset_password"), {"email": "nobody@example.com"}, follow=True
    )
    assert unknown.redirect_chain == known.redirect_chain
    assert unknown.status_code == known.status_code == 200
    assert visible_text(unknown) == visible_text(known)
    to_member, to_nobody = mail.outbox
    assert to_member.to == [member.email]
    assert "/accounts/password/reset/key/" in to_member.body
    assert to_nobody.to == ["nobody@example.com"]
    assert "/accounts/password/reset/key/" not in to_nobody.body


@pytest.mark.django_db
def test_login_attempts_are_rate_limited(client, member):
    """After repeated failures even the right password is refused for a while."""
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ada", "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": "ada", "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert b"Too many failed login attempts" in response.content


@pytest.mark.django_db
def test_password_reset_sends_a_link_that_sets_a_new_password(client, member):
    """A forgotten password is reset from the link in the e-mail."""
    client.post(reverse("account_reset_password"), {"email": member.email})
    (message,) = mail.outbox
    found = re.search(
        r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", str(message.body)
    )
    assert found, message.body
    link = found.group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    new_password = "a brand new passphrase 42"
    client.post(form_url, {"password1": new_password, "password2": new_password})
    member.refresh_from_db()
    assert member.check_password(new_password)


@pytest.mark.django_db
def test_auth_pages_wear_the_site_layout(client):
    """allauth's pages are rendered inside the site's own header and footer."""
    for name in ["account_login", "account_signup", "account_reset_password"]:
        content = client.get(reverse(name)).content.decode()
        assert 'class="site-header' in content
        assert "site-footer" in content


@pytest.mark.django_db
def test_github_button_only_when_configured(client):
    """Without GitHub keys the login page offers no GitHub button."""
    assert b"GitHub" not in client.get(reverse("account_login")).content


# Profiles ---------------------------------------------------------------------


@pytest.mark.django_db
def test_public_profile_shows_the_member(client, django_assert_num_queries):
    """Anyone can read a profile, in a few queries."""
    make_member(
        username="lin",
        display_name="Lin Chen",
        job_title="SRE",
        company_name="Acme",
        bio="Likes queues.",
    )
    # the member (with how many things they follow), their posts, their
    # companies, their stacks
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:profile", args=["lin"]))
    assert response.status_code == 200
    for text in ["Lin Chen", "SRE at Acme", "Likes queues."]:
        assert text in response.content.decode()


@pytest.mark.django_db
def test_profile_query_count_when_signed_in(
    member_client, other_member, django_assert_num_queries
):
    """A signed-in reader costs the session and their own user on top.

    The member's posts cost one query, their tagged tools one more, however
    many there are.
    """
    url = reverse("accounts:profile", args=[other_member.username])
    make_decision(author=other_member)
    # session, signed-in user, the member shown (with how many things they
    # follow), their posts, the posts' tags, whether the reader follows or
    # mutes them, their companies, their stacks
    with django_assert_num_queries(8):
        response = member_client.get(url)
    assert response.status_code == 200
    for _ in range(10):
        make_decision(author=other_member)
    with django_assert_num_queries(8):
        member_client.get(url)


@pytest.mark.django_db
def test_unknown_profile_is_a_404(client):
    assert client.get(reverse("accounts:profile", args=["nobody"])).status_code == 404


@pytest.mark.django_db
def test_edit_profile_saves_fields_and_resizes_avatar(
    member_client, member, django_assert_num_queries
):
    """A member edits their profile; the avatar is cropped to a 256 px square."""
    url = reverse("accounts:profile_edit", args=[member.username])
    with django_assert_num_queries(2):  # session, user
        assert member_client.get(url).status_code == 200
    response = member_client.post(
        url,
        {
            "display_name": "Ada L.",
            "job_title": "Head of Platform",
            "company_name": "Analytical Engines",
            "location": "London",
            "bio": "Writes the first programs.",
            "website": "https://ada.example.com",
            "github_username": "@ada-l",
            "avatar": image_upload(),
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.headline == "Head of Platform at Analytical Engines"
    assert member.github_username == "ada-l"
    with Image.open(member.avatar.path) as avatar:
        assert avatar.size == (256, 256)
        assert avatar.format == "WEBP"
    page = member_client.get(member.get_absolute_url()).content.decode()
    assert member.avatar.url in page


def profile_data(member, **overrides):
    data = {
        "display_name": member.display_name,
        "job_title": member.job_title,
        "company_name": member.company_name,
        "location": "",
        "bio": "",
        "website": "",
        "github_username": "",
    }
    return {**data, **overrides}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile(
                "notes.png", b"this is not an image", content_type="image/png"
            ),
            "Upload a valid image",
        ),
        (
            image_upload("huge.bmp", fmt="BMP", size=(20, 20)),
            "Upload a PNG, JPEG, WebP or GIF image.",
        ),
    ],
)
def test_bad_avatar_is_refused_and_nothing_changes(
    member_client, member, upload, message
):
    """A non-image or an unsupported format gives a message and saves nothing."""
    response = member_client.post(
        reverse("accounts:profile_edit", args=[member.username]),
        profile_data(member, display_name="Changed", avatar=upload),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Ada Lovelace"
    assert not member.avatar


@pytest.mark.django_db
def test_oversized_avatar_is_refused(member_client, member):
    """An avatar over 2 MB is refused with the limit in the message."""
    noise = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(
        noise, format="PNG"
    )
    big = SimpleUploadedFile("big.png", noise.getvalue(), content_type="image/png")
    assert big.size is not None
    assert big.size > 2 * 1024 * 1024
    response = member_client.post(
        reverse("accounts:profile_edit", args=[member.username]),
        profile_data(member, avatar=big),
    )
    assert response.status_code == 200
    assert "the limit is 2.0" in response.content.decode()
    member.refresh_from_db()
    assert not member.avatar


@pytest.mark.django_db
def test_over_long_bio_is_refused(member_client, member):
    """A bio over 500 characters is refused and the old bio kept."""
    member.bio = "Short and sweet."
    member.save()
    response = member_client.post(
        reverse("accounts:profile_edit", args=[member.username]),
        profile_data(member, bio="x" * 501),
    )
    assert response.status_code == 200
    assert "at most 500 characters" in response.content.decode()
    member.refresh_from_db()
    assert member.bio == "Short and sweet."


@pytest.mark.django_db
def test_member_cannot_edit_another_profile(member_client, other_member):
    """Posting to someone else's edit page is forbidden and changes nothing."""
    url = reverse("accounts:profile_edit", args=[other_member.username])
    assert member_client.get(url).status_code == 403
    response = member_client.post(
        url, profile_data(other_member, display_name="Hacked")
    )
    assert response.status_code == 403
    other_member.refresh_from_db()
    assert other_member.display_name == "Grace Hopper"


@pytest.mark.django_db
def test_anonymous_edit_goes_to_login(client, member):
    url = reverse("accounts:profile_edit", args=[member.username])
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


@pytest.mark.django_db
def test_tampered_form_without_csrf_token_is_refused(member):
    """A form posted without its CSRF token is refused with 403; nothing changes."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile_edit", args=[member.username]),
        profile_data(member, display_name="Forged"),
    )
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.display_name == "Ada Lovelace"


@pytest.mark.django_db
def test_member_follows_another_in_place_and_counts_stay_exact(
    member_client, member, other_member
):
    url = reverse("accounts:follow", args=[other_member.username])
    response = member_client.post(url, {"state": "on"}, headers={"HX-Request": "true"})
    assert "Following" in response.content.decode()
    member_client.post(url, {"state": "on"})  # a double submit
    other_member.refresh_from_db()
    assert other_member.follower_count == 1
    page = member_client.get(other_member.get_absolute_url())
    assert page.context["is_following"] is True
    assert "1</strong> follower" in page.content.decode()
    member_client.post(url, {"state": "off"})
    other_member.refresh_from_db()
    assert other_member.follower_count == 0


@pytest.mark.django_db
def test_following_oneself_is_refused(member_client, member):
    response = member_client.post(reverse("accounts:follow", args=[member.username]))
    assert response.status_code == 400
    assert b"cannot follow yourself" in response.content
    member.refresh_from_db()
    assert member.follower_count == 0


@pytest.mark.django_db
def test_profile_counts_what_the_member_follows(client, member, other_member):
    from accounts.services import follow_member
    from tools.services import follow_tool
    from tools.tests.factories import make_tool

    follow_member(follower=member, followed=other_member)
    follow_tool(user=member, tool=make_tool())
    response = client.get(member.get_absolute_url())
    assert "<strong>2</strong> following" in response.content.decode()
