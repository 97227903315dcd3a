from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import make_member
from stacks import services
from stacks.models import (
    Company,
    CompanyMembership,
    Provenance,
    Role,
    Stack,
    StackHistory,
    StackItem,
)
from stacks.tests.factories import make_company, make_membership, make_stack
from tools.models import Tool
from tools.tests.factories import make_alias, make_category, make_tool

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def tree():
    layer = make_category(name="Application & Data", level=1)
    group = make_category(name="Databases", parent=layer)
    return {
        "sql": make_category(name="Relational Databases", parent=group),
        "cache": make_category(name="In-Memory Databases", parent=group),
    }


@pytest.fixture
def acme(member):
    return make_company(
        name="Acme Rockets", owner=member, industry="software", size="11-50"
    )


@pytest.fixture
def stack(acme, tree):
    return make_stack(
        company=acme,
        name="Main product",
        tools=[make_tool(name="PostgreSQL", function=tree["sql"])],
    )


# --- Companies ---------------------------------------------------------------


def test_company_list_filters_and_stays_flat(client, tree, django_assert_num_queries):
    """The company list costs the same queries for 1 or 11 companies."""
    pg = make_tool(name="PostgreSQL", function=tree["sql"])
    make_stack(company=make_company(name="Uses PG", industry="fintech"), tools=[pg])
    make_company(name="No stacks", industry="health")
    url = reverse("stacks:company_list")
    # count, page of companies
    with django_assert_num_queries(2):
        response = client.get(url)
    assert "Uses PG" in response.content.decode()
    for _ in range(10):
        make_stack(tools=[pg])
    with django_assert_num_queries(2):
        client.get(url, {"sort": "largest"})
    # the tool, count, page
    with django_assert_num_queries(3):
        response = client.get(url, {"tool": "postgresql", "industry": "fintech"})
    assert [c.name for c in response.context["page"]] == ["Uses PG"]
    assert "Companies using PostgreSQL" in response.content.decode()
    nothing = client.get(url, {"tool": "no-such-tool"})
    assert nothing.context["page"].paginator.count == 0


def test_company_list_htmx_answers_with_the_results_only(client, db):
    make_company(name="Fragmentary")
    response = client.get(reverse("stacks:company_list"), headers=HTMX)
    content = response.content.decode()
    assert "Fragmentary" in content
    assert "<html" not in content


def test_creating_a_company_makes_you_its_owner(member_client, member):
    response = member_client.post(
        reverse("stacks:company_create"),
        {"name": "Northwind Labs", "industry": "software", "size": "1-10"},
    )
    company = Company.objects.get(name="Northwind Labs")
    assert response.url == company.get_absolute_url()
    assert CompanyMembership.objects.get(company=company).role == Role.OWNER
    assert member_client.get(response.url).status_code == 200


def test_creating_a_company_needs_a_login(client, db):
    response = client.get(reverse("stacks:company_create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_bad_company_form_is_a_400(member_client):
    response = member_client.post(reverse("stacks:company_create"), {"name": ""})
    assert response.status_code == 400
    assert not Company.objects.exists()


def test_company_page_budget_is_flat(
    client, acme, stack, tree, django_assert_num_queries
):
    """The company page shows stacks, their tools and members with job titles."""
    make_membership(
        company=acme,
        user=make_member(display_name="Rita Vance", job_title="VP of Engineering"),
    )
    from decisions.tests.factories import make_decision

    make_decision(author=acme.memberships.first().user)
    url = acme.get_absolute_url()
    # company, memberships with users, stacks, their items with tools, the
    # members' posts, the posts' tags
    with django_assert_num_queries(6):
        response = client.get(url)
    content = response.content.decode()
    assert "Rita Vance" in content
    assert "VP of Engineering" in content
    assert "PostgreSQL" in content
    for _ in range(10):
        make_membership(company=acme, user=make_member())
        make_stack(
            company=acme, tools=[make_tool(function=tree["cache"]) for _ in range(2)]
        )
        make_decision(author=acme.memberships.first().user)
    with django_assert_num_queries(6):
        client.get(url)


def test_unknown_company_and_stack_are_404(client, db):
    assert client.get("/companies/nobody/").status_code == 404
    assert client.get("/stacks/nothing/").status_code == 404


def test_owner_adds_and_removes_members(member_client, acme, other_member):
    url = reverse("stacks:company_members", args=[acme.slug])
    response = member_client.post(url, {"username": "grace", "role": "editor"})
    assert response.status_code == 302
    assert CompanyMembership.objects.get(user=other_member).role == Role.EDITOR
    again = member_client.post(url, {"username": "grace", "role": "member"})
    assert again.status_code == 400
    assert "already belongs" in again.content.decode()
    unknown = member_client.post(url, {"username": "nobody", "role": "member"})
    assert "No member is called" in unknown.content.decode()

    member_client.post(
        reverse("stacks:company_member_remove", args=[acme.slug, "grace"])
    )
    assert not CompanyMembership.objects.filter(user=other_member).exists()


def test_last_owner_cannot_be_removed(member_client, acme, member):
    response = member_client.post(
        reverse("stacks:company_member_remove", args=[acme.slug, member.username]),
        follow=True,
    )
    assert "needs at least one owner" in response.content.decode()
    assert CompanyMembership.objects.filter(user=member, role=Role.OWNER).exists()
    demote = member_client.post(
        reverse("stacks:company_member_role", args=[acme.slug, member.username]),
        {"role": "member"},
        follow=True,
    )
    assert "needs at least one owner" in demote.content.decode()
    assert CompanyMembership.objects.get(user=member).role == Role.OWNER


def test_only_owners_manage_members(client, acme, other_member):
    """Editors and strangers get a 403 and change nothing."""
    make_membership(company=acme, user=other_member, role=Role.EDITOR)
    client.force_login(other_member)
    url = reverse("stacks:company_members", args=[acme.slug])
    assert client.get(url).status_code == 403
    assert client.post(url, {"username": "grace", "role": "owner"}).status_code == 403
    role_url = reverse("stacks:company_member_role", args=[acme.slug, "grace"])
    assert client.post(role_url, {"role": "owner"}).status_code == 403
    assert CompanyMembership.objects.get(user=other_member).role == Role.EDITOR


# --- Stacks ------------------------------------------------------------------


def test_stack_list_budget_is_flat(client, stack, tree, django_assert_num_queries):
    url = reverse("stacks:list")
    # count, page of stacks (+company, owner), preview tools
    with django_assert_num_queries(3):
        response = client.get(url)
    assert "Main product" in response.content.decode()
    for _ in range(10):
        make_stack(tools=[make_tool(function=tree["cache"]) for _ in range(3)])
        make_stack(owner_user=make_member(), tools=[make_tool(function=tree["sql"])])
    with django_assert_num_queries(3):
        client.get(url, {"sort": "largest"})


def test_stack_list_filters_by_tool_and_industry(client, stack, tree):
    make_stack(
        company=make_company(industry="health"),
        name="Clinic app",
        tools=[make_tool(name="Redis", function=tree["cache"])],
    )
    by_tool = client.get(reverse("stacks:list"), {"tool": "postgresql"})
    assert [s.name for s in by_tool.context["page"]] == ["Main product"]
    by_industry = client.get(reverse("stacks:list"), {"industry": "health"})
    assert [s.name for s in by_industry.context["page"]] == ["Clinic app"]


def test_stack_page_groups_by_layer_and_shows_the_timeline(
    client, stack, tree, django_assert_num_queries
):
    url = stack.get_absolute_url()
    # stack with owner, items with tool path and adder, timeline
    with django_assert_num_queries(3):
        response = client.get(url)
    content = response.content.decode()
    assert "Application &amp; Data" in content
    assert "Relational Databases" in content
    assert "Added by hand" in content
    event = StackHistory.objects.get(stack=stack)
    assert f"{event.created_at:%B %Y}" in content
    for _ in range(10):
        tool = make_tool(function=tree["cache"])
        services.add_tool_to_stack(stack=stack, tool=tool, added_by=None)
        services.remove_tool_from_stack(stack=stack, tool=tool, removed_by=None)
        services.add_tool_to_stack(stack=stack, tool=make_tool(), added_by=None)
    with django_assert_num_queries(3):
        client.get(url)


def test_stack_page_for_an_editor_costs_a_few_more(
    member_client, stack, django_assert_num_queries
):
    # session, user, stack, membership check, items, timeline
    with django_assert_num_queries(6):
        response = member_client.get(stack.get_absolute_url())
    assert 'id="tool-picker"' in response.content.decode()


def test_editor_adds_a_tool_without_a_reload(member_client, stack, tree):
    redis = make_tool(name="Redis", function=tree["cache"])
    response = member_client.post(
        reverse("stacks:add_tool", args=[stack.slug]),
        {"tool": "redis", "q": "Redis", "note": "Sessions and rate limits"},
        headers=HTMX,
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Sessions and rate limits" in content
    assert 'hx-swap-oob="true"' in content  # the timeline, out of band
    assert Tool.objects.get(pk=redis.pk).stack_count == 1
    item = StackItem.objects.get(stack=stack, tool=redis)
    assert item.source == Provenance.MANUAL


def test_typed_name_works_without_javascript(member_client, stack, tree):
    make_tool(name="Redis", function=tree["cache"])
    response = member_client.post(
        reverse("stacks:add_tool", args=[stack.slug]), {"tool": "", "q": "redis"}
    )
    assert response.status_code == 302
    assert stack.items.filter(tool__slug="redis").exists()
    unknown = member_client.post(
        reverse("stacks:add_tool", args=[stack.slug]), {"q": "Nonexistent"}
    )
    assert unknown.status_code == 400
    assert "No tool in the catalog" in unknown.content.decode()


def test_editor_removes_a_tool_and_edits_notes(member_client, stack):
    pg = Tool.objects.get(slug="postgresql")
    note = member_client.post(
        reverse("stacks:edit_note", args=[stack.slug, "postgresql"]),
        {"note": "Our system of record"},
        headers=HTMX,
    )
    assert "Our system of record" in note.content.decode()
    removed = member_client.post(
        reverse("stacks:remove_tool", args=[stack.slug, "postgresql"]), headers=HTMX
    )
    assert "Removed PostgreSQL" in removed.content.decode()
    assert Tool.objects.get(pk=pg.pk).stack_count == 0
    assert list(
        StackHistory.objects.filter(stack=stack).values_list("action", flat=True)
    ) == ["removed", "added"]


@pytest.mark.parametrize("role", [None, Role.MEMBER])
def test_strangers_and_plain_members_cannot_edit(client, stack, other_member, role):
    """A 403 on every edit endpoint, and the stack is left exactly as it was."""
    if role:
        make_membership(company=stack.company, user=other_member, role=role)
    client.force_login(other_member)
    make_tool(name="Redis")
    before = list(StackItem.objects.values_list("tool", "note"))
    posts = [
        (reverse("stacks:add_tool", args=[stack.slug]), {"tool": "redis"}),
        (reverse("stacks:remove_tool", args=[stack.slug, "postgresql"]), {}),
        (reverse("stacks:edit_note", args=[stack.slug, "postgresql"]), {"note": "x"}),
        (reverse("stacks:import_confirm", args=[stack.slug]), {"tool": ["redis"]}),
    ]
    for url, data in posts:
        assert client.post(url, data, headers=HTMX).status_code == 403
    assert client.get(reverse("stacks:import", args=[stack.slug])).status_code == 403
    assert list(StackItem.objects.values_list("tool", "note")) == before
    assert StackHistory.objects.count() == 1
    assert (
        'id="tool-picker"' not in client.get(stack.get_absolute_url()).content.decode()
    )


def test_member_creates_a_personal_stack(member_client, member):
    response = member_client.post(reverse("stacks:create"), {"name": "Homelab"})
    stack = Stack.objects.get(owner_user=member)
    assert response.url == stack.get_absolute_url()


def test_company_stack_needs_an_editor(client, acme, other_member):
    client.force_login(other_member)
    url = f"{reverse('stacks:create')}?company={acme.slug}"
    assert client.post(url, {"name": "Sneaky"}).status_code == 403
    assert not Stack.objects.exists()


# --- Import ------------------------------------------------------------------


@pytest.fixture
def aliased(tree):
    django = make_tool(name="Django", function=tree["sql"])
    make_alias(tool=django, package="pypi:django")
    redis = make_tool(name="Redis", function=tree["cache"])
    make_alias(tool=redis, package="pypi:redis")
    pg = Tool.objects.get(slug="postgresql")
    make_alias(tool=pg, package="pypi:psycopg")
    return {"django": django, "redis": redis, "postgresql": pg}


@pytest.fixture(autouse=True)
def _no_pause_after_imports(monkeypatch):
    """A test's first import may compile templates for a while: not a long import."""
    from stacks.views import imports as views

    monkeypatch.setattr(views, "IMPORT_PAUSE_AFTER", 60)


def upload(name, content):
    return SimpleUploadedFile(name, content, content_type="text/plain")


def test_import_previews_then_adds_only_what_is_confirmed(
    member_client, stack, aliased
):
    url = reverse("stacks:import", args=[stack.slug])
    preview = member_client.post(
        url,
        {
            "files": [
                upload(
                    "requirements.txt", b"Django>=5\nredis\npsycopg[binary]\nleft-pad\n"
                )
            ]
        },
    )
    assert preview.status_code == 200
    detected = preview.context["detected"]
    assert [c.tool.slug for c in detected.matched] == ["django", "redis"]
    assert [c.tool.slug for c in detected.present] == ["postgresql"]
    assert [p.name for p in detected.unknown] == ["left-pad"]
    assert not StackItem.objects.filter(stack=stack, tool=aliased["django"]).exists()

    response = member_client.post(
        reverse("stacks:import_confirm", args=[stack.slug]),
        {
            "tool": ["django"],
            "file-django": "requirements.txt",
            "origin": "upload of requirements.txt",
        },
        follow=True,
    )
    assert "Added 1 tool to Main product" in response.content.decode()
    item = StackItem.objects.get(stack=stack, tool=aliased["django"])
    assert item.source == Provenance.DETECTED
    assert item.detected_file == "requirements.txt"
    assert not StackItem.objects.filter(stack=stack, tool=aliased["redis"]).exists()
    assert Tool.objects.get(pk=aliased["django"].pk).stack_count == 1


def test_pasted_text_is_recognised(member_client, stack, aliased):
    response = member_client.post(
        reverse("stacks:import", args=[stack.slug]), {"text": "django\nredis==5\n"}
    )
    assert [c.tool.slug for c in response.context["detected"].matched] == [
        "django",
        "redis",
    ]


def test_import_refuses_what_is_not_a_manifest(member_client, stack, aliased):
    url = reverse("stacks:import", args=[stack.slug])
    prose = member_client.post(url, {"files": [upload("notes.md", b"# Our notes\n")]})
    assert prose.status_code == 400
    assert "Nothing to import" in prose.content.decode()
    assert "not a manifest" in prose.content.decode()
    pasted = member_client.post(url, {"text": "Dear team, please review."})
    assert pasted.status_code == 400
    empty = member_client.post(url, {})
    assert "Upload a file or paste one" in empty.content.decode()


def import_url(stack):
    return reverse("stacks:import", args=[stack.slug])


def test_import_refuses_a_huge_upload_before_reading_it(member_client, stack, aliased):
    big = upload("requirements.txt", b"django\n" + b"#" * (20 * 1024 * 1024))
    response = member_client.post(import_url(stack), {"files": [big]})
    assert response.status_code == 413
    content = response.content.decode()
    assert "This upload has 20 MB; one import reads up to 512 KB in all" in content
    assert 'name="files"' in content  # the form is there to try again
    assert stack.items.count() == 1


def test_import_refuses_a_file_over_its_own_limit(member_client, stack, aliased):
    big = upload("requirements.txt", b"django\n" + b"#" * (530 * 1024))
    response = member_client.post(import_url(stack), {"files": [big]})
    assert response.status_code == 413
    assert (
        "requirements.txt has 530 KB; a manifest or stack file may have up to 512 KB"
        in response.content.decode()
    )
    assert stack.items.count() == 1


def test_import_refuses_files_too_big_together(member_client, stack, aliased):
    """Two files within their own limit, and a paste, over the total."""
    half = b"django\n" + b"#" * (260 * 1024)
    response = member_client.post(
        import_url(stack),
        {
            "files": [upload("requirements.txt", half), upload("base.txt", half)],
            "text": "redis\n" + "#" * 20_000,
        },
    )
    assert response.status_code == 413
    assert (
        "These files come to 539 KB; one import reads up to 512 KB in all"
        in response.content.decode()
    )
    assert stack.items.count() == 1


def test_import_refuses_too_many_files(member_client, stack, aliased):
    files = [upload(f"requirements-{i}.txt", b"redis\n") for i in range(21)]
    response = member_client.post(import_url(stack), {"files": files})
    assert response.status_code == 400
    assert "Upload at most 20 files at a time." in response.content.decode()
    assert stack.items.count() == 1


def test_import_refuses_more_files_than_django_parses(member_client, stack, aliased):
    """Past DATA_UPLOAD_MAX_NUMBER_FILES Django stops parsing: the same page still."""
    files = [upload(f"requirements-{i}.txt", b"redis\n") for i in range(101)]
    response = member_client.post(import_url(stack), {"files": files})
    assert response.status_code == 400
    assert "Upload at most 20 files at a time." in response.content.decode()
    assert stack.items.count() == 1


def test_import_still_checks_the_csrf_token(client, member, stack, aliased):
    from django.test import Client

    checked = Client(enforce_csrf_checks=True)
    checked.force_login(member)
    response = checked.post(
        import_url(stack), {"files": [upload("requirements.txt", b"redis\n")]}
    )
    assert response.status_code == 403
    assert stack.items.count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("package.json", b"[" * 5000 + b"]" * 5000),
        ("pyproject.toml", b"a = " + b"[" * 5000 + b"]" * 5000),
        ("docker-compose.yml", b"services: " + b"[" * 5000 + b"]" * 5000),
        ("pom.xml", b"<project>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</project>"),
        ("stack.json", b'{"format": "stackshare-stack", "x": ' + b"[" * 5000),
    ],
)
def test_import_refuses_deep_nesting(member_client, stack, aliased, name, content):
    response = member_client.post(import_url(stack), {"files": [upload(name, content)]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing to import" in page
    assert "nested more than 64 levels deep" in page
    assert stack.items.count() == 1


def test_import_refuses_a_yaml_alias_bomb(member_client, stack, aliased):
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in "bcdefghij":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [{', '.join([f'*{previous}'] * 10)}]")
    lines.append("services: {web: {image: *j}}")
    bomb = ("\n".join(lines) + "\n").encode()
    response = member_client.post(
        import_url(stack), {"files": [upload("docker-compose.yml", bomb)]}
    )
    assert response.status_code == 400
    assert "once its aliases are expanded" in response.content.decode()


def test_import_stops_at_the_package_limit_and_says_so(member_client, stack, aliased):
    many = b"redis\n" + b"".join(f"package-{i}\n".encode() for i in range(2500))
    response = member_client.post(
        import_url(stack), {"files": [upload("requirements.txt", many)]}
    )
    assert response.status_code == 200
    detected = response.context["detected"]
    assert [c.tool.slug for c in detected.matched] == ["redis"]
    # 2,000 packages in all: the tools the file implies (Python, pip), Redis, the rest
    assert len(detected.unknown) == 1997
    assert "stopped after 2,000 packages" in response.content.decode()


def test_import_explains_that_lockfiles_are_not_read(member_client, stack, aliased):
    response = member_client.post(
        import_url(stack),
        {
            "files": [
                upload("package-lock.json", b'{"lockfileVersion": 3, "packages": {}}'),
                upload("requirements.txt", b"redis\n"),
            ]
        },
    )
    assert response.status_code == 200
    assert "a lockfile lists every transitive package" in response.content.decode()


def test_imports_are_read_one_at_a_time_site_wide(member_client, stack, aliased):
    """While another import is read, the next waits: 429, and nothing changes."""
    from django.core.cache import cache

    from stacks.views.imports import take_import_slot

    taken = take_import_slot()
    assert taken

    def files():
        return {"files": [upload("requirements.txt", b"redis\n")]}

    response = member_client.post(import_url(stack), files())
    assert response.status_code == 429
    assert response["Retry-After"] == "2"
    assert "Other imports are being read right now" in response.content.decode()
    assert stack.items.count() == 1
    cache.delete(taken)
    assert member_client.post(import_url(stack), files()).status_code == 200


def test_a_long_import_keeps_its_slot_for_a_pause_as_long(monkeypatch):
    from stacks.views import imports as views
    from stacks.views.imports import release_import_slot, take_import_slot

    monkeypatch.setattr(views, "IMPORT_PAUSE_AFTER", 0.1)

    quick = take_import_slot()
    assert quick is not None
    release_import_slot(quick, seconds=0.02)
    long = take_import_slot()
    assert long == quick  # freed at once
    release_import_slot(long, seconds=0.4)
    assert take_import_slot() is None  # paused for a second


def test_import_explains_an_unknown_encoding(member_client, stack, aliased):
    latin1 = upload("requirements.txt", "django  # café crème\n".encode("cp1252"))
    response = member_client.post(
        reverse("stacks:import", args=[stack.slug]), {"files": [latin1]}
    )
    assert response.status_code == 400
    assert "not UTF-8 text" in response.content.decode()
    assert stack.items.count() == 1


def test_a_bad_file_does_not_spoil_the_good_ones(member_client, stack, aliased):
    response = member_client.post(
        reverse("stacks:import", args=[stack.slug]),
        {
            "files": [
                upload("package.json", b'{"dependencies": '),
                upload("requirements.txt", b"redis\n"),
            ]
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "package.json" in content
    assert "not valid JSON" in content
    assert [c.tool.slug for c in response.context["detected"].matched] == ["redis"]


def test_import_accepts_a_techstack_file(member_client, stack, aliased):
    techstack = b"tools:\n- name: Redis\n  website_url: https://redis.io/\n"
    response = member_client.post(
        reverse("stacks:import", args=[stack.slug]),
        {"files": [upload("techstack.yml", techstack)]},
    )
    assert [c.tool.slug for c in response.context["detected"].matched] == ["redis"]


# --- Other pages -------------------------------------------------------------


def test_tool_page_lists_companies_and_often_used_with(
    client, tree, django_assert_num_queries
):
    pg = make_tool(name="PostgreSQL", function=tree["sql"])
    redis = make_tool(name="Redis", function=tree["cache"])
    make_stack(company=make_company(name="Acme Rockets"), tools=[pg, redis])
    make_stack(owner_user=make_member(display_name="Solo Dev"), tools=[pg])
    services.refresh_tool_pairings()
    url = pg.get_absolute_url()
    # tool, pros and cons, alternatives (curated keys, then the tools),
    # aliases, decisions, companies, members, often used with, moves, monthly
    # stacks count, hold/trial counts and outcomes (changes app), stackups
    with django_assert_num_queries(14):
        response = client.get(url)
    content = response.content.decode()
    assert "Acme Rockets" in content
    assert "Solo Dev" in content
    assert "in 2 stacks" in content
    assert f"{reverse('stacks:list')}?tool=postgresql" in content
    assert f"{reverse('stacks:company_list')}?tool=postgresql" not in content
    # Sections are callables the template resolves (read only when rendered).
    assert response.context["often_used_with"]() == [redis]
    for i in range(10):
        make_stack(
            company=make_company(name=f"Team {i}"),
            tools=[pg, make_tool(function=tree["sql"])],
        )
        make_stack(owner_user=make_member(), tools=[pg])
    services.refresh_tool_pairings()
    with django_assert_num_queries(14):
        response = client.get(url)
    content = response.content.decode()
    assert "in 22 stacks" in content
    # Six companies shown, and a link to the others.
    assert f"{reverse('stacks:company_list')}?tool=postgresql" in content


@pytest.mark.parametrize("walk_above", [0, 1000])
def test_users_of_a_tool_are_the_same_read_either_way(tree, monkeypatch, walk_above):
    """A popular tool's users are found by walking companies and members in
    display order, a rare one's by reading its entries: the same answer."""
    from stacks.models import tool_usage as stack_models

    pg = make_tool(name="PostgreSQL", function=tree["sql"])
    for i, followers in enumerate([5, 50, 0, 20, 1, 7, 9]):
        company = make_company(name=f"Team {i}")
        Company.objects.filter(pk=company.pk).update(follower_count=followers)
        make_stack(company=company, tools=[pg])
    elsewhere = make_company(name="Elsewhere")
    Company.objects.filter(pk=elsewhere.pk).update(follower_count=99)
    make_stack(company=elsewhere)
    for name in ["Zoe", "Adam", "Mia"]:
        make_stack(owner_user=make_member(display_name=name), tools=[pg])
    make_stack(owner_user=make_member(display_name="Gone", is_active=False), tools=[pg])
    pg.refresh_from_db()
    monkeypatch.setattr(stack_models, "WALK_USERS_ABOVE", walk_above)
    users = stack_models.ToolUsers.of(pg)
    assert [c.name for c in users.companies] == [
        "Team 1",
        "Team 3",
        "Team 6",
        "Team 5",
        "Team 0",
        "Team 4",
    ]
    assert users.has_more_companies is True
    assert [m.display_name for m in users.members] == ["Adam", "Mia", "Zoe"]


def test_profile_names_the_real_company(client, db):
    rita = make_member(
        username="rita", job_title="VP of Engineering", company_name="Acme Rockets"
    )
    acme = make_company(name="Acme Rockets", owner=rita)
    make_stack(owner_user=rita, name="Homelab")
    response = client.get(rita.get_absolute_url())
    content = response.content.decode()
    assert (
        f'VP of Engineering at <a href="{acme.get_absolute_url()}">Acme Rockets</a>'
        in content
    )
    assert "Homelab" in content


def test_header_points_to_stacks(client, db):
    content = client.get("/").content.decode()
    assert f'href="{reverse("stacks:list")}"' in content


def test_company_page_lists_its_members_posts_and_posts_name_the_company(client, db):
    from decisions.tests.factories import make_decision
    from stacks.tests.factories import make_company

    author = make_member(username="lin", job_title="Head of Platform")
    company = make_company(name="Acme Rockets", owner=author)
    post = make_decision(author=author, title="Why we run Nomad")
    make_decision(title="Someone else's post")
    content = client.get(company.get_absolute_url()).content.decode()
    assert "Why we run Nomad" in content
    assert "Someone else" not in content
    assert post.author_line == "Head of Platform at Acme Rockets"
    listed = client.get("/decisions/", {"company": company.slug}).context["page"]
    assert [d.title for d in listed] == ["Why we run Nomad"]


def test_member_follows_a_company_in_place_and_counts_stay_exact(member_client, member):
    company = make_company(name="Acme Rockets")
    url = reverse("stacks:company_follow", args=[company.slug])
    response = member_client.post(url, {"state": "on"}, headers={"HX-Request": "true"})
    assert "Following" in response.content.decode()
    member_client.post(url, {"state": "on"})  # a double submit
    company.refresh_from_db()
    assert company.follower_count == 1
    page = member_client.get(company.get_absolute_url())
    assert page.context["is_following"] is True
    member_client.post(url, {"state": "off"})
    company.refresh_from_db()
    assert company.follower_count == 0


def test_anonymous_reader_is_sent_to_log_in_to_follow_a_company(client, db):
    company = make_company(name="Acme Rockets")
    response = client.post(reverse("stacks:company_follow", args=[company.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_editor_renames_and_deletes_a_stack_and_counts_follow(member_client, member):
    company = make_company(name="Acme Rockets", owner=member)
    kafka = make_tool(name="Kafka")
    stack = make_stack(company=company, name="Data", tools=[kafka])
    response = member_client.post(
        reverse("stacks:update", args=[stack.slug]),
        {"name": "Data platform", "description": "Events and reports"},
    )
    stack.refresh_from_db()
    assert response["Location"] == stack.get_absolute_url()
    assert stack.name == "Data platform"
    kafka.refresh_from_db()
    assert kafka.stack_count == 1
    member_client.post(reverse("stacks:delete", args=[stack.slug]))
    assert not Stack.objects.filter(pk=stack.pk).exists()
    kafka.refresh_from_db()
    assert kafka.stack_count == 0


def test_others_cannot_rename_or_delete_a_stack(client, other_member):
    stack = make_stack(name="Data", tools=[make_tool(name="Kafka")])
    client.force_login(other_member)
    assert (
        client.post(
            reverse("stacks:update", args=[stack.slug]), {"name": "Mine"}
        ).status_code
        == 403
    )
    assert client.post(reverse("stacks:delete", args=[stack.slug])).status_code == 403
    stack.refresh_from_db()
    assert stack.name == "Data"


def test_empty_stack_name_is_refused_and_nothing_changes(member_client, member):
    stack = make_stack(company=make_company(owner=member), name="Data")
    response = member_client.post(
        reverse("stacks:update", args=[stack.slug]), {"name": ""}
    )
    assert response.status_code == 400
    stack.refresh_from_db()
    assert stack.name == "Data"


def test_import_groups_tools_by_evidence_and_ticks_only_the_projects_own(
    member_client, stack, aliased, tree
):
    jest = make_tool(name="Jest", function=tree["sql"])
    make_alias(tool=jest, package="npm:jest")
    checkout = make_tool(name="Checkout", function=tree["sql"])
    make_alias(tool=checkout, package="actions:actions/checkout")
    stack_file = {
        "format": "stackshare-stack",
        "version": 1,
        "packages": [
            {
                "ecosystem": "pypi",
                "name": "django",
                "file": "pyproject.toml",
                "line": 7,
            },
            {
                "ecosystem": "pypi",
                "name": "redis",
                "file": "pyproject.toml",
                "kind": "optional",
            },
            {"ecosystem": "npm", "name": "jest", "file": "package.json", "kind": "dev"},
            {
                "ecosystem": "actions",
                "name": "actions/checkout",
                "file": ".github/workflows/ci.yml",
                "kind": "ci",
            },
            {
                "ecosystem": "pypi",
                "name": "left-pad",
                "file": "examples/requirements.txt",
                "kind": "vendored",
            },
        ],
    }
    import json

    response = member_client.post(
        import_url(stack),
        {"files": [upload("stack.json", json.dumps(stack_file).encode())]},
    )
    assert response.status_code == 200
    groups = {
        key: [c.tool.slug for c in found]
        for key, _, found in response.context["detected"].groups
    }
    assert groups == {
        "stack": ["django", "jest"],
        "optional": ["redis"],
        "ci": ["checkout"],
    }
    page = response.content.decode()
    assert 'value="django" checked' in page
    assert 'value="jest" checked' in page
    assert 'value="redis">' in page  # shown, not ticked
    assert 'value="checkout">' in page
    assert "pyproject.toml:7" in page
    assert "Only in continuous integration" in page


def test_a_pasted_sbom_is_read(member_client, stack, aliased):
    bom = (
        '{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": ['
        '{"name": "django", "purl": "pkg:pypi/django@5.1"}]}'
    )
    response = member_client.post(import_url(stack), {"text": bom, "kind": "SBOM"})
    assert response.status_code == 200
    assert [c.tool.slug for c in response.context["detected"].matched] == ["django"]
