"""Detection rules: what files say by being there, and what packaging conventions stand for."""

from __future__ import annotations

import scanner
from scanner.tests.scanning import write


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
