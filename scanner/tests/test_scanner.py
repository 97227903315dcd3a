"""The scanner on its own: no database, no Django."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import scanner
from scanner.manifests import guess_kind, image_name, parse_requirement

SAMPLES = Path(__file__).resolve().parents[2] / "stacks" / "tests" / "samples"


def listed(result):
    """What the files list, without the tools they imply by being there."""
    return [p for p in result.packages if p.ecosystem != scanner.TOOL]


def names(result, ecosystem=None):
    return sorted(
        p.name for p in listed(result) if ecosystem is None or p.ecosystem == ecosystem
    )


def test_scanner_imports_no_django():
    """The scanner must run in repositories that have no Django installed."""
    code = "import sys, scanner, scanner.cli; print('django' in sys.modules)"
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Django>=5.1,<5.2", ("Django", ">=5.1,<5.2")),
        ("celery[redis]==5.4.0 ; python_version >= '3.10'", ("celery", "==5.4.0")),
        ("requests", ("requests", "")),
        ("pkg @ https://example.com/pkg.whl", ("pkg", "")),
    ],
)
def test_requirement_lines(line, expected):
    assert parse_requirement(line) == expected


def test_requirements_follow_includes_and_skip_options(tmp_path):
    (tmp_path / "requirements").mkdir()
    (tmp_path / "requirements.txt").write_text(
        "-r requirements/base.txt\n-c constraints.txt\n--index-url https://x\n"
        "gunicorn==23  # web server\n-e git+https://github.com/x/y#egg=yext\n"
    )
    (tmp_path / "requirements" / "base.txt").write_text(
        "Django\\\n  >=5\nboto3 --hash=sha256:abc\n-r ../requirements.txt\n"
    )
    result = scanner.scan(tmp_path)
    assert names(result) == ["Django", "boto3", "gunicorn", "yext"]
    django = next(p for p in result.packages if p.name == "Django")
    assert django.version == ">=5"
    assert django.file == "requirements/base.txt"
    assert not result.warnings


def test_pyproject_pep621_groups_and_poetry(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        """
[project]
dependencies = ["fastapi>=0.115", "sqlalchemy[asyncio]"]
[project.optional-dependencies]
cache = ["redis"]
[dependency-groups]
dev = ["pytest", {include-group = "lint"}]
[tool.poetry.dependencies]
python = "^3.12"
celery = {version = "^5.4", extras = ["redis"]}
[tool.poetry.group.test.dependencies]
factory-boy = "*"
"""
    )
    result = scanner.scan(tmp_path)
    assert names(result) == [
        "celery",
        "factory-boy",
        "fastapi",
        "pytest",
        "redis",
        "sqlalchemy",
    ]
    assert {p.name for p in listed(result) if p.dev} == {"pytest", "factory-boy"}


def test_every_other_format(tmp_path):
    files = {
        "Pipfile": '[packages]\nflask = "*"\n[dev-packages]\nblack = "==24.1"\n',
        "Cargo.toml": '[dependencies]\naxum = "0.7"\ntokio = { version = "1", features = ["full"] }\n'
        "[target.'cfg(unix)'.dependencies]\nnix = \"0.29\"\n",
        "composer.json": '{"require": {"php": ">=8.2", "ext-json": "*", "laravel/framework": "^11.0"}}',
        "pom.xml": """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.4.1</version></parent>
  <dependencies><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>
  <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency></dependencies>
</project>""",
        "app/build.gradle.kts": 'plugins { id("org.jetbrains.kotlin.jvm") version "2.1.0" }\n'
        'dependencies {\n  implementation("io.ktor:ktor-server-core:3.0.3")\n'
        "  testImplementation(platform('org.junit:junit-bom:5.11.4'))\n}\n",
        "Gemfile": 'source "https://rubygems.org"\ngem "rails", "~> 8.0"\ngroup :test do\n  gem "rspec-rails"\nend\n',
        "go.mod": "module x\n\nrequire github.com/gin-gonic/gin v1.10.0\nrequire (\n\tgolang.org/x/text v0.21.0 // indirect\n)\n",
        "package.json": '{"dependencies": {"react": "^19"}, "devDependencies": {"vite": "^6"}}',
        "Dockerfile.prod": "FROM --platform=linux/amd64 python:3.13-slim AS base\nFROM base\n",
        "docker-compose.override.yml": "services:\n  db:\n    image: docker.io/library/postgres:17@sha256:abc\n",
        ".github/workflows/ci.yml": "jobs:\n  t:\n    steps:\n      - uses: actions/checkout@v4\n"
        "      - uses: ./local-action\n      - uses: docker://alpine:3.21\n",
    }
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    result = scanner.scan(tmp_path)
    found = {(p.ecosystem, p.name) for p in listed(result)}
    assert found == {
        ("gomod", "golang.org/x/text"),
        ("pypi", "flask"),
        ("pypi", "black"),
        ("cargo", "axum"),
        ("cargo", "tokio"),
        ("cargo", "nix"),
        ("packagist", "laravel/framework"),
        ("maven", "org.springframework.boot:spring-boot-starter-parent"),
        ("maven", "org.postgresql:postgresql"),
        ("maven", "org.junit.jupiter:junit-jupiter"),
        ("maven", "io.ktor:ktor-server-core"),
        ("maven", "org.junit:junit-bom"),
        ("maven", "org.jetbrains.kotlin.jvm:org.jetbrains.kotlin.jvm.gradle.plugin"),
        ("rubygems", "rails"),
        ("rubygems", "rspec-rails"),
        ("gomod", "github.com/gin-gonic/gin"),
        ("npm", "react"),
        ("npm", "vite"),
        ("docker", "python"),
        ("docker", "postgres"),
        ("docker", "alpine"),
        ("actions", "actions/checkout"),
    }
    assert not result.warnings
    kinds = {p.name: p.kind for p in listed(result)}
    assert kinds["golang.org/x/text"] == "optional"  # // indirect
    assert kinds["actions/checkout"] == kinds["alpine"] == "ci"
    assert kinds["rspec-rails"] == "dev"
    # Each file also says which language, package manager and service it means.
    assert {p.name for p in result.packages if p.ecosystem == scanner.TOOL} == {
        "python",
        "pipenv",
        "rust",
        "cargo",
        "php",
        "composer",
        "java",
        "maven",
        "spring-boot",
        "kotlin",
        "gradle",
        "ruby",
        "bundler",
        "golang",
        "nodejs",
        "npm",  # no lockfile names another package manager
        "docker",
        "docker-compose",
        "github-actions",
    }


def test_skips_dependency_folders_and_virtualenvs(tmp_path):
    for folder in ["node_modules/x", ".git", "vendor/lib", "myenv"]:
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "package.json").write_text(
            '{"dependencies": {"nope": "1"}}'
        )
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "package.json").write_text('{"dependencies": {"yes": "1"}}')
    assert names(scanner.scan(tmp_path)) == ["yes"]


def test_malformed_big_and_undecodable_files_are_warnings(tmp_path):
    """Each bad file is reported with its path; the good ones still count."""
    (tmp_path / "package.json").write_text('{"dependencies": {"react": ')
    (tmp_path / "pyproject.toml").write_bytes(b'[project]\nname = "caf\xe9"\n')
    (tmp_path / "composer.json").write_bytes(b"{" + b" " * (512 * 1024 + 1) + b"}")
    (tmp_path / "requirements.txt").write_text("flask\n")
    result = scanner.scan(tmp_path)
    assert names(result) == ["flask"]
    problems = {w.file: w.message for w in result.warnings}
    assert problems["package.json"].startswith("not valid JSON")
    assert problems["pyproject.toml"].startswith("not UTF-8")
    assert problems["composer.json"] == "skipped: larger than 512 KB"


def test_stack_file_round_trip():
    result = scanner.scan(SAMPLES / "django-saas")
    again = scanner.read_stack_file(result.to_json())
    assert listed(again) == listed(result)
    data = json.loads(result.to_json())
    assert data["format"] == "stackshare-stack"
    assert {"ecosystem", "name", "version", "file", "dev"} <= set(data["packages"][0])


def test_techstack_yml(tmp_path):
    (tmp_path / "techstack.yml").write_text(
        "repo_name: acme/shop\ntools:\n- name: React\n  website_url: https://react.dev/\n"
        "- name: Mystery\n"
    )
    result = scanner.scan(tmp_path)
    assert [(p.ecosystem, p.name, p.website) for p in listed(result)] == [
        ("techstack", "React", "https://react.dev/"),
        ("techstack", "Mystery", ""),
    ]


def test_guessing_pasted_text():
    assert guess_kind("Django>=5\n# comment\nrequests\n") == "requirements.txt"
    assert guess_kind('{"dependencies": {}}') == "package.json"
    assert guess_kind("FROM node:22\n") == "Dockerfile"
    assert guess_kind("Dear team, this is not a manifest.") is None
    assert image_name("ghcr.io/acme/api:1.2") == ("ghcr.io/acme/api", "1.2")
    assert image_name("localhost:5000/app") == ("localhost:5000/app", "")


def test_console_script_prints_json(capsys):
    from scanner.cli import main

    assert main([str(SAMPLES / "go-payments")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert ("gomod", "github.com/gin-gonic/gin") in {
        (p["ecosystem"], p["name"]) for p in out["packages"]
    }


def test_an_upload_without_its_folder_is_recognised_by_content():
    """Browsers send "base.txt", not "requirements/base.txt"."""
    result = scanner.read_manifest("base.txt", b"Django>=5\nredis\n")
    assert names(result) == ["Django", "redis"]
    assert scanner.read_manifest("notes.md", b"# Notes\n").warnings
