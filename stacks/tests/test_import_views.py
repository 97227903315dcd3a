"""Importing a stack from manifests: preview, confirmation and every limit."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stacks.models import Provenance, StackItem
from tools.models import Tool
from tools.tests.factories import make_alias, make_tool

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("_no_pause_after_imports"),
]


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
