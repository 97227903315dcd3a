"""Detection rules: what files say by being there, evidence kinds, SBOMs, Package URLs."""

from __future__ import annotations

import json

import pytest

import scanner
from scanner.signals import from_purl


def write(root, files):
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return scanner.scan(root)


def tools(result, kind=None):
    return {
        p.name
        for p in result.packages
        if p.ecosystem == scanner.TOOL and (kind is None or p.kind == kind)
    }


def test_files_name_their_language_package_manager_and_hosting(tmp_path):
    result = write(
        tmp_path,
        {
            "package.json": '{"packageManager": "pnpm@9.1.0", "dependencies": {}}',
            "yarn.lock": "",
            "tsconfig.json": "{}",
            "uv.lock": "",
            "Procfile": "web: gunicorn app:app\n",
            "fly.toml": 'app = "x"\n',
            "netlify.toml": "[build]\n",
            "vercel.json": "{}",
            "render.yaml": "services: []\n",
            "Caddyfile": "example.com {\n}\n",
            "deploy/nginx.conf": "server {}\n",
            ".travis.yml": "language: python\nservices:\n  - postgresql\n",
            ".gitlab-ci.yml": "image: python:3.13\ntest:\n  script: [pytest]\n",
            ".circleci/config.yml": "jobs:\n  b:\n    docker:\n      - image: cimg/go:1.22\n",
            "Jenkinsfile": "pipeline {}\n",
            "ios/Podfile": "platform :ios, '15.0'\n",
            "azure-pipelines.yml": "pool: {vmImage: ubuntu-latest}\n",
            "mix.exs": 'defmodule X.MixProject do\n  defp deps do\n    [{:phoenix, "~> 1.7"},\n'
            '     {:credo, "~> 1.7", only: [:dev, :test]}]\n  end\nend\n',
        },
    )
    assert {
        "nodejs",
        "pnpm",
        "yarn",
        "typescript",
        "uv",
        "heroku",
        "fly-io",
        "netlify",
        "vercel",
        "render",
        "caddy",
        "nginx",
        "travis-ci",
        "gitlab-ci",
        "circleci",
        "jenkins",
        "azure-pipelines",
        "elixir",
        "cocoapods",
    } <= tools(result)
    # Services and images of CI count as CI only.
    kinds = {(p.ecosystem, p.name): p.kind for p in result.packages}
    assert kinds[("tool", "postgresql")] == "ci"
    assert kinds[("docker", "cimg/go")] == "ci"
    assert kinds[("docker", "python")] == "ci"
    assert kinds[("hex", "phoenix")] == "runtime"
    assert kinds[("hex", "credo")] == "dev"
    assert not result.warnings


def test_dockerfile_images_and_what_run_lines_install(tmp_path):
    result = write(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.13-slim AS base\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends \\\n"
            "    nginx libpq-dev \\\n    && rm -rf /var/lib/apt/lists/*\n"
            "RUN pip install --no-cache-dir gunicorn==23.0 'uvicorn[standard]'\n"
            "RUN npm install -g pnpm\nFROM base\n",
        },
    )
    found = {(p.ecosystem, p.name): p.line for p in result.packages}
    assert found[("tool", "docker")] == 1
    assert found[("docker", "python")] == 1
    assert found[("tool", "nginx")] == 2  # the RUN line, continuations joined
    assert found[("pypi", "gunicorn")] == 5
    assert ("pypi", "uvicorn") in found
    assert ("npm", "pnpm") in found
    assert not any(name == "libpq-dev" for _, name in found)


def test_kubernetes_helm_terraform_and_prisma(tmp_path):
    result = write(
        tmp_path,
        {
            "k8s/web.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n"
            "  template:\n    spec:\n      containers:\n        - name: web\n"
            "          image: ghcr.io/acme/web:1.2\n        - name: cache\n"
            "          image: redis:7\n",
            "charts/app/Chart.yaml": "apiVersion: v2\nname: app\n",
            "charts/app/templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n"
            "spec:\n  containers:\n    - image: {{ .Values.image }}\n",
            "config/settings.yaml": "apiVersion: nope\nkind: Config\n",
            "infra/main.tf": "terraform {\n  required_providers {\n    aws = {\n"
            '      source = "hashicorp/aws"\n    }\n  }\n}\nprovider "cloudflare" {}\n',
            "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n'
            '  url = env("DATABASE_URL")\n}\n',
        },
    )
    assert {
        "kubernetes",
        "helm",
        "terraform",
        "amazon-web-services",
        "cloudflare",
        "prisma",
        "postgresql",
    } <= tools(result)
    images = {p.name: p.line for p in result.packages if p.ecosystem == "docker"}
    assert images == {"ghcr.io/acme/web": 8, "redis": 10}
    assert "config/settings.yaml" not in result.files  # not a manifest folder


def test_vendored_example_and_fixture_code_is_reported_as_such(tmp_path):
    result = write(
        tmp_path,
        {
            "requirements.txt": "flask\n",
            "examples/demo/package.json": '{"dependencies": {"express": "^4"}}',
            "third_party/lib/requirements.txt": "numpy\n",
            "external-sdk/go.mod": "module x\nrequire github.com/gin-gonic/gin v1\n",
            "tests/fixtures/Gemfile": 'gem "rails"\n',
            "docs/requirements.txt": "sphinx\n",
        },
    )
    kinds = {p.name: p.kind for p in result.packages if p.ecosystem != scanner.TOOL}
    assert kinds == {
        "flask": "runtime",
        "express": "vendored",
        "numpy": "vendored",
        "github.com/gin-gonic/gin": "vendored",
        "rails": "vendored",
        "sphinx": "dev",
    }


def test_spring_boot_starters_webjars_and_version_catalogs(tmp_path):
    result = write(
        tmp_path,
        {
            "pom.xml": "<project><dependencies>"
            "<dependency><groupId>org.springframework.boot</groupId>"
            "<artifactId>spring-boot-starter-data-jpa</artifactId></dependency>"
            "<dependency><groupId>org.springframework.boot</groupId>"
            "<artifactId>spring-boot-starter-test</artifactId><scope>test</scope></dependency>"
            "<dependency><groupId>org.webjars.npm</groupId>"
            "<artifactId>bootstrap</artifactId></dependency>"
            "</dependencies></project>",
            "gradle/libs.versions.toml": '[libraries]\nretrofit = { module = "com.squareup'
            '.retrofit2:retrofit", version = "2.11" }\njunit = "junit:junit:4.13.2"\n'
            '[plugins]\nkotlin-jvm = { id = "org.jetbrains.kotlin.jvm", version = "2.1" }\n',
        },
    )
    found = {(p.ecosystem, p.name): p.kind for p in result.packages}
    assert found[("tool", "hibernate")] == "runtime"
    assert found[("tool", "junit")] == "dev"
    assert found[("tool", "spring-boot")] == "runtime"
    assert found[("npm", "bootstrap")] == "runtime"  # the WebJar's npm package
    assert found[("maven", "com.squareup.retrofit2:retrofit")] == "runtime"
    assert found[("maven", "junit:junit")] == "dev"
    assert ("tool", "kotlin") in found


def test_dotnet_projects_and_pubspec(tmp_path):
    result = write(
        tmp_path,
        {
            "src/Web/Web.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web"><ItemGroup>'
            '<PackageReference Include="Serilog.AspNetCore" Version="8.0.0" />'
            "</ItemGroup></Project>",
            "tests/Web.Tests/Web.Tests.csproj": '<Project Sdk="Microsoft.NET.Sdk">'
            '<ItemGroup><PackageReference Include="xunit" /></ItemGroup></Project>',
            "app/pubspec.yaml": "name: app\ndependencies:\n  flutter:\n    sdk: flutter\n"
            "  provider: ^6.0.0\ndev_dependencies:\n  flutter_lints: ^4.0.0\n",
        },
    )
    found = {(p.ecosystem, p.name): p.kind for p in result.packages}
    assert {"dotnet", "c-sharp", "aspnet-core", "dart", "flutter"} <= tools(result)
    assert found[("nuget", "Serilog.AspNetCore")] == "runtime"
    assert found[("nuget", "xunit")] == "dev"
    assert found[("pub", "provider")] == "runtime"
    assert found[("pub", "flutter_lints")] == "dev"


def test_python_extras_groups_and_configured_tools(tmp_path):
    result = write(
        tmp_path,
        {
            "pyproject.toml": '[project]\ndependencies = ["django>=5", '
            "\"sentry-sdk ; extra == 'monitoring'\"]\n"
            '[project.optional-dependencies]\nredis = ["redis>=5"]\n'
            '[dependency-groups]\ndev = ["pytest"]\n[tool.ruff]\nline-length = 88\n',
        },
    )
    found = {(p.ecosystem, p.name): (p.kind, p.line) for p in result.packages}
    assert found[("pypi", "django")] == ("runtime", 2)
    assert found[("pypi", "sentry-sdk")][0] == "optional"
    assert found[("pypi", "redis")] == ("optional", 4)
    assert found[("pypi", "pytest")][0] == "dev"
    assert found[("tool", "ruff")][0] == "dev"
    assert found[("tool", "python")][0] == "inferred"


def test_a_bad_requirement_names_its_file_and_line(tmp_path):
    result = write(tmp_path, {"requirements.txt": "flask\nthis is not a requirement\n"})
    assert [(w.file, w.message) for w in result.warnings] == [
        (
            "requirements.txt",
            "cannot read the requirement on line 2: “this is not a requirement”",
        )
    ]


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        ("pkg:pypi/flask@3.0.0", ("pypi", "flask", "3.0.0")),
        ("pkg:npm/%40angular/core@17.0.0", ("npm", "@angular/core", "17.0.0")),
        (
            "pkg:maven/org.postgresql/postgresql@42.7",
            ("maven", "org.postgresql:postgresql", "42.7"),
        ),
        (
            "pkg:golang/github.com/gin-gonic/gin@v1.10.0",
            ("gomod", "github.com/gin-gonic/gin", "v1.10.0"),
        ),
        ("pkg:gem/rails", ("rubygems", "rails", "")),
        ("pkg:github/actions/checkout@v4", ("actions", "actions/checkout", "v4")),
        ("pkg:deb/debian/curl@7.88", None),
        ("not a purl", None),
    ],
)
def test_package_urls(purl, expected):
    assert from_purl(purl) == expected


def test_cyclonedx_sbom_direct_dependencies_count_others_are_indirect(tmp_path):
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "metadata": {"component": {"bom-ref": "app", "name": "app"}},
        "components": [
            {"bom-ref": "a", "name": "flask", "purl": "pkg:pypi/flask@3.0.0"},
            {"bom-ref": "b", "name": "werkzeug", "purl": "pkg:pypi/werkzeug@3.0.1"},
            {"bom-ref": "c", "name": "libc", "purl": "pkg:deb/debian/libc6@2.36"},
        ],
        "dependencies": [
            {"ref": "app", "dependsOn": ["a"]},
            {"ref": "a", "dependsOn": ["b"]},
        ],
    }
    result = scanner.read_manifest("bom.json", json.dumps(bom).encode())
    assert [(p.ecosystem, p.name, p.version, p.kind) for p in result.packages] == [
        ("pypi", "flask", "3.0.0", "runtime"),
        ("pypi", "werkzeug", "3.0.1", "optional"),
    ]


def test_spdx_sbom_is_read_and_recognised_without_its_name():
    spdx = {
        "spdxVersion": "SPDX-2.3",
        "documentDescribes": ["SPDXRef-app"],
        "packages": [
            {
                "SPDXID": "SPDXRef-react",
                "externalRefs": [
                    {
                        "referenceType": "purl",
                        "referenceLocator": "pkg:npm/react@19.0.0",
                    }
                ],
            }
        ],
        "relationships": [],
    }
    text = json.dumps(spdx)
    assert scanner.guess_kind(text) == "SBOM"
    result = scanner.read_manifest("upload.json", text.encode())
    assert [(p.ecosystem, p.name, p.kind) for p in result.packages] == [
        ("npm", "react", "runtime")
    ]


def test_stack_files_keep_evidence_and_old_ones_still_load():
    old = {
        "format": "stackshare-stack",
        "version": 1,
        "packages": [{"ecosystem": "npm", "name": "jest", "dev": True}],
    }
    loaded = scanner.read_stack_file(json.dumps(old))
    assert loaded.packages[0].kind == "dev"
    package = scanner.Package(
        "pypi", "flask", file="requirements.txt", line=3, kind="optional"
    )
    again = scanner.read_stack_file(
        json.dumps({**old, "packages": [package.as_dict()]})
    )
    assert again.packages == [package]


def test_an_unreadable_ci_file_still_names_its_service(tmp_path):
    result = write(tmp_path, {".circleci/config.yml": "jobs: [unclosed\n"})
    assert tools(result) == {"circleci"}
    assert [w.file for w in result.warnings] == [".circleci/config.yml"]


def test_entity_framework_and_aspire_packages_name_their_database(tmp_path):
    result = write(
        tmp_path,
        {
            "Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>'
            '<PackageReference Include="Microsoft.EntityFrameworkCore.SqlServer" />'
            '<PackageReference Include="Aspire.StackExchange.Redis" />'
            "</ItemGroup></Project>",
        },
    )
    assert {"microsoft-sql-server", "redis"} <= tools(result)


def test_requirements_mean_pip_and_a_bare_package_json_means_npm(tmp_path):
    result = write(tmp_path, {"requirements.txt": "flask\n", "package.json": "{}"})
    assert {"pip", "npm", "python", "nodejs"} <= tools(result)
    with_lock = write(tmp_path, {"yarn.lock": ""})
    assert "npm" not in tools(with_lock)


@pytest.mark.parametrize(
    ("purl", "expected"),
    [
        ("pkg:cocoapods/Alamofire@5.8.1", ("cocoapods", "Alamofire", "5.8.1")),
        (
            "pkg:cocoapods/GoogleUtilities@7.5.2#NSData+zlib",
            ("cocoapods", "GoogleUtilities", "7.5.2"),
        ),
        (
            "pkg:swift/github.com/Alamofire/Alamofire@5.4.3",
            ("swiftpm", "github.com/Alamofire/Alamofire", "5.4.3"),
        ),
    ],
)
def test_apple_package_urls(purl, expected):
    assert from_purl(purl) == expected


def test_compiled_requirements_pins_only_other_packages_need_are_indirect(tmp_path):
    """pip-compile's "# via" comments: "-r main.in" is a choice, the rest transitive."""
    compiled = """\
#
# This file is autogenerated by pip-compile
#
celery==5.3.0 \\
    --hash=sha256:aaa \\
    --hash=sha256:bbb
    # via -r requirements/main.in
kombu==5.3.0 \\
    --hash=sha256:ccc
    # via celery
lxml==4.9.0
    # via
    #   -r requirements/main.in
    #   premailer
vine==5.0.0               # via celery, kombu
click==8.1.0              # via -r requirements/main.in
"""
    result = write(tmp_path, {"requirements/main.txt": compiled})
    kinds = {p.name: p.kind for p in result.packages if p.ecosystem == "pypi"}
    assert kinds == {
        "celery": "runtime",
        "kombu": "optional",
        "lxml": "runtime",
        "vine": "optional",
        "click": "runtime",
    }


def test_devcontainers_and_documentation_sites_are_offered_unticked(tmp_path):
    result = write(
        tmp_path,
        {
            ".devcontainer/Dockerfile": "FROM ruby:3.3\nRUN apt-get install -y nodejs\n",
            ".devcontainer/docker-compose.yml": "services:\n  mail:\n    image: axllent/mailpit\n",
            "docs/package.json": '{"dependencies": {"@docusaurus/core": "3"}}',
            "website/package.json": '{"dependencies": {"vitepress": "1"}}',
            "docs/requirements.txt": "sphinx\n",
            "package.json": '{"dependencies": {"react": "18"}}',
        },
    )
    kinds = {(p.name, p.file): p.kind for p in result.packages}
    assert kinds[("ruby", ".devcontainer/Dockerfile")] == "optional"
    assert kinds[("nodejs", ".devcontainer/Dockerfile")] == "optional"
    assert kinds[("axllent/mailpit", ".devcontainer/docker-compose.yml")] == "optional"
    assert kinds[("@docusaurus/core", "docs/package.json")] == "vendored"
    assert kinds[("vitepress", "website/package.json")] == "vendored"
    # The project's own docs build (Sphinx) is still its development tooling.
    assert kinds[("sphinx", "docs/requirements.txt")] == "dev"
    assert kinds[("react", "package.json")] == "runtime"


def test_a_micrometer_registry_names_its_backend_and_compose_means_docker(tmp_path):
    pom = """<project><dependencies><dependency>
<groupId>io.micrometer</groupId><artifactId>micrometer-registry-prometheus</artifactId>
</dependency></dependencies></project>"""
    result = write(
        tmp_path,
        {"pom.xml": pom, "compose.yaml": "services:\n  db:\n    image: postgres\n"},
    )
    assert {"prometheus", "docker", "docker-compose"} <= tools(result)
    assert ("maven", "io.micrometer:micrometer-registry-prometheus") in {
        (p.ecosystem, p.name) for p in result.packages
    }


def test_package_managers_build_tools_and_config_files_name_their_tools(tmp_path):
    result = write(
        tmp_path,
        {
            "mix.exs": 'defmodule X.MixProject do\n  defp deps do\n    [{:phoenix, "~> 1.7"}]\n  end\nend\n',
            "src/App/App.csproj": '<Project Sdk="Microsoft.NET.Sdk"><ItemGroup>'
            '<PackageReference Include="Serilog" Version="3.0.0" /></ItemGroup></Project>',
            "web/package.json": '{"volta": {"node": "20.11.0"}, '
            '"scripts": {"test": "react-scripts test"}}',
            "Vagrantfile": "Vagrant.configure('2') do |config|\nend\n",
            ".nvmrc": "20\n",
            "rustfmt.toml": "edition = '2021'\n",
            "clippy.toml": "msrv = '1.75'\n",
            "appveyor.yml": "build: off\n",
            ".cirrus.yml": "task:\n  script: make\n",
        },
    )
    assert {
        "mix",
        "hex",
        "nuget",
        "volta",
        "jest",
        "vagrant",
        "nvm",
        "rustfmt",
        "clippy",
        "appveyor",
        "cirrus-ci",
    } <= tools(result)


def test_files_that_only_share_a_name_say_nothing(tmp_path):
    """A translation file named global.json is not .NET's; a Heroku app.json is
    a deploy button for users; a Gradle module built by convention plugins
    names no language."""
    result = write(
        tmp_path,
        {
            "src/i18n/en/global.json": '{"menu": {"home": "Home"}}',
            "sdk/global.json": '{\n  // pinned\n  "sdk": {"version": "8.0.100"}\n}',
            "app.json": '{"name": "x", "addons": ["heroku-postgresql"]}',
            "app/build.gradle.kts": "plugins {\n    alias(libs.plugins.app)\n}\n",
            "lib/build.gradle": "plugins { id 'java-library' }\n",
        },
    )
    kinds = {(p.name, p.file): p.kind for p in result.packages if p.ecosystem == "tool"}
    assert ("dotnet", "src/i18n/en/global.json") not in kinds
    assert kinds[("dotnet", "sdk/global.json")] == "inferred"
    assert kinds[("heroku", "app.json")] == "optional"
    assert ("java", "app/build.gradle.kts") not in kinds
    assert kinds[("java", "lib/build.gradle")] == "inferred"


def test_actions_that_run_a_tool_are_the_projects_tooling(tmp_path):
    """CodeQL or Codecov in a workflow is tooling the project runs; checkout
    and setup-* only prepare a CI job; a nested .github/ never runs."""
    workflow = (
        "jobs:\n  a:\n    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/setup-python@v5\n"
        "      - uses: github/codeql-action/analyze@v3\n"
        "      - uses: codecov/codecov-action@v4\n"
    )
    result = write(
        tmp_path,
        {
            ".github/workflows/ci.yml": workflow,
            "docs/.github/workflows/site.yml": "jobs:\n  b:\n    steps:\n"
            "      - uses: peaceiris/actions-hugo@v3\n",
        },
    )
    kinds = {p.name: p.kind for p in result.packages if p.ecosystem == "actions"}
    assert kinds == {
        "actions/checkout": "ci",
        "actions/setup-python": "ci",
        "github/codeql-action/analyze": "dev",
        "codecov/codecov-action": "dev",
        "peaceiris/actions-hugo": "vendored",
    }


def test_compose_files_of_a_docker_folder_are_read_and_other_yaml_there_is_not(
    tmp_path,
):
    """JHipster keeps its compose files as src/main/docker/*.yml; a Prometheus
    configuration beside them is no compose file."""
    result = write(
        tmp_path,
        {
            "src/main/docker/postgresql.yml": "name: app\nservices:\n  postgresql:\n"
            "    image: postgres:18.4\n",
            "src/main/docker/services.yml": "services:\n  postgresql:\n    extends:\n"
            "      file: ./postgresql.yml\n      service: postgresql\n",
            "src/main/docker/prometheus.yml": "global:\n  scrape_interval: 15s\n",
            "src/main/docker/grafana/datasource.yml": "services:\n  x: 1\n",
            "config/application.yml": "services:\n  db:\n    image: redis:7\n",
        },
    )
    images = {
        (p.name, p.file, p.line) for p in result.packages if p.ecosystem == "docker"
    }
    assert images == {("postgres", "src/main/docker/postgresql.yml", 4)}
    assert {"docker", "docker-compose"} <= tools(result, kind="inferred")
    assert "src/main/docker/prometheus.yml" not in result.files
    assert not result.warnings


def test_workflows_that_install_or_run_rust_lints_name_them(tmp_path):
    """Clippy and rustfmt ship with the toolchain: no Cargo.toml names them."""
    result = write(
        tmp_path,
        {
            ".github/workflows/ci.yml": "jobs:\n  lint:\n    steps:\n"
            "      - uses: dtolnay/rust-toolchain@stable\n"
            "        with:\n          components: rustfmt\n"
            "      - run: cargo fmt --all --check\n"
            "      - run: |\n          rustup component add clippy\n"
            "          cargo +nightly clippy --all-targets\n"
            "      - run: cargo test\n",
        },
    )
    found = {p.name: (p.kind, p.line) for p in result.packages if p.ecosystem == "tool"}
    assert found["rustfmt"] == ("dev", 6)
    assert found["clippy"] == ("dev", 9)


def test_an_nvmrc_pins_node_and_only_suggests_nvm(tmp_path):
    result = write(tmp_path, {".nvmrc": "20\n", "package.json": "{}"})
    assert "nvm" in tools(result, kind="optional")
    assert "nvm" not in tools(result, kind="dev")


def test_windows_desktop_projects_and_rebar_name_their_tools(tmp_path):
    result = write(
        tmp_path,
        {
            "App/App.csproj": '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup>\n'
            "<UseWPF>true</UseWPF>\n<UseWindowsForms>false</UseWindowsForms>\n"
            "</PropertyGroup></Project>",
            "erl/rebar.config": "{deps, [cowboy]}.\n",
        },
    )
    assert {"wpf", "erlang", "rebar3"} <= tools(result)
    assert "windows-forms" not in tools(result)
    lines = {p.name: p.line for p in result.packages}
    assert lines["wpf"] == 2
