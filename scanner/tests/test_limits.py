"""Hostile manifests: every one ends in a warning, never an exception or a hang."""

from __future__ import annotations

import json

import pytest

import scanner
from scanner import cli
from scanner.limits import MAX_DEPTH, MAX_FILE_SIZE, MAX_PACKAGES, Budget

DEEP = 5000


def listed(result):
    """What the files list, without the tools they imply by being there."""
    return [p for p in result.packages if p.ecosystem != scanner.TOOL]


def read(path, data, **kwargs):
    return scanner.read_manifest(path, data, **kwargs)


def messages(result):
    return [warning.message for warning in result.warnings]


def nested_json(levels):
    return '{"a": ' * levels + "1" + "}" * levels


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("package.json", b"[" * DEEP + b"]" * DEEP),
        ("package.json", nested_json(DEEP).encode()),
        ("composer.json", b'{"require": ' + b"[" * DEEP + b"]" * DEEP + b"}"),
        ("stack.json", b'{"format": "stackshare-stack", "packages": ' + b"[" * DEEP),
        ("pyproject.toml", b"a = " + b"[" * DEEP + b"]" * DEEP),
        ("Cargo.toml", b"a = " + b"{b = " * DEEP + b"1" + b"}" * DEEP),
        ("Pipfile", b"[packages]\nx = " + b"[" * 100 + b"]" * 100),
        ("docker-compose.yml", b"services: " + b"[" * DEEP + b"]" * DEEP),
        ("docker-compose.yml", b"services: " + b"[" * 100 + b"]" * 100),
        (
            "techstack.yml",
            b"tools:\n" + b"".join(b" " * i + b"- \n" for i in range(100)),
        ),
        (".github/workflows/ci.yml", b"jobs:\n  " + b"- " * 100 + b"x\n"),
        ("pom.xml", b"<project>" + b"<a>" * DEEP + b"</a>" * DEEP + b"</project>"),
    ],
)
def test_deep_nesting_is_refused_in_every_format(path, content):
    result = read(path, content)
    assert listed(result) == []
    assert messages(result) == [f"nested more than {MAX_DEPTH} levels deep"]


def test_nesting_within_the_limit_is_read():
    shallow = {"dependencies": {"react": "18"}, "x": json.loads(nested_json(60))}
    result = read("package.json", json.dumps(shallow).encode())
    assert [p.name for p in listed(result)] == ["react"]
    assert result.warnings == []


def test_brackets_inside_strings_and_comments_do_not_count():
    strings = json.dumps({"dependencies": {"react": "[" * 500}})
    assert [p.name for p in listed(read("package.json", strings.encode()))] == ["react"]
    toml = (
        "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n"
        "[project]\n"
        f'description = """{"{" * 100}"""\n'
        f"dependencies = ['flask ; os_name == \"{'[' * 100}\"']\n"
    )
    result = read("pyproject.toml", toml.encode())
    assert result.warnings == []
    assert [p.name for p in listed(result)] == ["flask"]


def test_long_dotted_toml_keys_are_refused():
    """Each part of a dotted key nests a table, and tomllib slows down with them."""
    header = "[" + ".".join(["a"] * 20_000) + "]\n"
    assert messages(read("pyproject.toml", header.encode())) == [
        "a dotted key of more than 8 parts"
    ]
    usual = b'[tool.poetry.group.dev.dependencies]\npytest = "^8"\n'
    assert [p.name for p in listed(read("pyproject.toml", usual))] == ["pytest"]


def bomb(levels=9, width=10):
    lines = [f"a: &a [{', '.join(['x'] * width)}]"]
    for level in range(1, levels + 1):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * width)}]")
    return lines


@pytest.mark.parametrize(
    ("path", "tail"),
    [
        ("docker-compose.yml", "services: {web: {image: *j}}"),
        (".github/workflows/ci.yml", "jobs: {build: {steps: *j}}"),
        ("techstack.yml", "tools: *j"),
    ],
)
def test_yaml_alias_bombs_are_refused(path, tail):
    text = "\n".join([*bomb(), tail]) + "\n"
    result = read(path, text.encode())
    assert listed(result) == []
    assert messages(result) == ["more than 50,000 values once its aliases are expanded"]


def test_yaml_merge_keys_bomb_is_refused():
    lines = ["a: &a {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x}"]
    for level in range(1, 12):
        name, previous = f"m{level}", "a" if level == 1 else f"m{level - 1}"
        lines.append(
            f"{name}: &{name} "
            + "["
            + ", ".join(f"{{<<: *{previous}, n{i}: y}}" for i in range(8))
            + "]"
        )
    lines.append("services: {web: {image: postgres}}")
    result = read("docker-compose.yml", ("\n".join(lines) + "\n").encode())
    assert "once its aliases are expanded" in messages(result)[0]


def test_anchors_and_merge_keys_of_real_compose_files_are_read():
    compose = b"""
x-defaults: &defaults
  restart: unless-stopped
  environment: &env {TZ: UTC}
services:
  web:
    <<: *defaults
    image: python:3.13-slim
  db:
    <<: *defaults
    image: postgres:17
    environment: *env
"""
    result = read("docker-compose.yml", compose)
    assert sorted(p.name for p in listed(result)) == ["postgres", "python"]
    assert result.warnings == []


def test_huge_but_shallow_files_within_the_limit_are_read():
    deps = {f"package-{i}": "^1.0.0" for i in range(15_000)}
    text = json.dumps({"dependencies": deps}).encode()
    assert len(text) < MAX_FILE_SIZE
    result = read("package.json", text)
    assert len(listed(result)) == 15_000
    assert result.warnings == []


def test_a_file_over_the_limit_is_skipped_unread():
    result = read("package.json", b"{" + b" " * MAX_FILE_SIZE + b"}")
    assert messages(result) == ["skipped: larger than 512 KB"]


def test_yaml_and_toml_have_smaller_limits():
    compose = b"services:\n" + b"#" * (130 * 1024) + b"\n"
    assert messages(read("docker-compose.yml", compose)) == [
        "skipped: docker-compose.yml files are read up to 128 KB"
    ]
    toml = b"[project]\n" + b"#" * (130 * 1024) + b"\n"
    assert messages(read("pyproject.toml", toml)) == [
        "skipped: pyproject.toml files are read up to 128 KB"
    ]


def test_a_budget_stops_at_the_package_limit_and_says_so():
    budget = Budget()
    many = b"".join(f"package-{i}\n".encode() for i in range(MAX_PACKAGES + 500))
    first = read("requirements.txt", many, budget=budget)
    assert len(first.packages) == MAX_PACKAGES
    assert messages(first) == [
        "stopped after 2,000 packages: one import shows at most that many"
    ]
    later = read("go.mod", b"module x\nrequire a v1\n", budget=budget)
    assert listed(later) == []
    assert messages(later) == ["not read: this import already found 2,000 packages"]


def test_a_budget_bounds_the_size_of_many_files():
    budget = Budget()
    shallow = b"".join(f"package-{i}>=1\n".encode() for i in range(20)) + b"#" * (
        200 * 1024
    )
    results = [read(f"requirements-{i}.txt", shallow, budget=budget) for i in range(4)]
    assert [len(listed(r)) for r in results] == [20, 20, 0, 0]
    assert messages(results[2]) == ["not read: one import reads 512 KB in all"]


def test_a_budget_bounds_yaml_and_toml_together():
    budget = Budget()
    compose = b"services:\n  web:\n    image: redis\n" + b"#" * (60 * 1024) + b"\n"
    pyproject = b'[project]\ndependencies = ["flask"]\n' + b"#" * (60 * 1024) + b"\n"
    results = [
        read("compose.yml", compose, budget=budget),
        read("pyproject.toml", pyproject, budget=budget),
        read("docker-compose.yml", compose, budget=budget),
    ]
    assert [len(listed(r)) for r in results] == [1, 1, 0]
    assert messages(results[2]) == [
        "not read: one import reads 128 KB of YAML and TOML in all"
    ]


def test_lockfiles_are_named_and_not_read():
    result = read("package-lock.json", b'{"lockfileVersion": 3, "packages": {}}')
    assert listed(result) == []
    assert messages(result)[0].startswith("not read: a lockfile lists every")


def test_pasted_text_too_deep_to_guess_says_why():
    text = nested_json(DEEP)
    assert scanner.guess_kind(text) == "package.json"
    result = read("pasted text", text.encode())
    assert messages(result) == [f"nested more than {MAX_DEPTH} levels deep"]


def test_the_command_line_survives_a_hostile_repository(tmp_path, capsys):
    (tmp_path / "package.json").write_bytes(b"[" * DEEP + b"]" * DEEP)
    (tmp_path / "pyproject.toml").write_bytes(b"a = " + b"[" * DEEP + b"]" * DEEP)
    (tmp_path / "docker-compose.yml").write_text(
        "\n".join([*bomb(), "services: {web: {image: *j}}"]) + "\n"
    )
    (tmp_path / "pom.xml").write_bytes(b"<project>" + b"<a>" * DEEP + b"</project>")
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "Dockerfile").write_bytes(b"\n" * 100_000 + b"FROM python:3.13\n")
    assert cli.main([str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    packages = json.loads(out)["packages"]
    assert sorted(p["name"] for p in packages if p["ecosystem"] != "tool") == [
        "flask",
        "python",
    ]
    assert "warning: package.json: nested more than 64 levels deep" in err
    assert "warning: pyproject.toml: nested more than 64 levels deep" in err
    assert "warning: docker-compose.yml: more than 50,000 values" in err
    assert "warning: pom.xml: nested more than 64 levels deep" in err


def test_without_libyaml_the_same_limits_hold(monkeypatch):
    """The scanner runs where PyYAML has no C extension too."""
    import yaml

    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    deep = b"services: " + b"[" * 60_000 + b"]" * 60_000
    assert messages(read("docker-compose.yml", deep)) == [
        f"nested more than {MAX_DEPTH} levels deep"
    ]
    text = "\n".join([*bomb(), "services: {web: {image: *j}}"]) + "\n"
    assert (
        "once its aliases are expanded"
        in messages(read("docker-compose.yml", text.encode()))[0]
    )
