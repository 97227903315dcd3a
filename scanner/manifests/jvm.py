"""Readers for the JVM: Maven's pom.xml, Gradle build scripts and version catalogs, with
the conventions a coordinate stands for (Spring Boot starters, WebJars, Micrometer)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import replace

from scanner.limits import parse_xml
from scanner.manifests.package import (
    DEV,
    OPTIONAL,
    RUNTIME,
    ManifestError,
    Package,
    inferred,
    line_at,
    line_of,
)
from scanner.manifests.parsing import _toml

# Packaging conventions whose artifact names a different tool than it seems:
# a Spring Boot starter stands for what it brings in.
SPRING_STARTERS = {
    "data-jpa": "hibernate",
    "test": "junit",
    "thymeleaf": "thymeleaf",
    "data-redis": "redis",
    "data-mongodb": "mongodb",
    "amqp": "rabbitmq",
    "data-elasticsearch": "elasticsearch",
    "security": "spring-security",
    "webflux": "spring-webflux",
    "batch": "spring-batch",
    "graphql": "graphql",
}
WEBJAR_GROUPS = {"org.webjars", "org.webjars.npm", "org.webjars.bower"}


# A Micrometer registry names the metrics backend it exports to: the package
# is Micrometer's (its alias), and the backend is in the stack too.
MICROMETER_REGISTRIES = {
    "prometheus": "prometheus",
    "prometheus-simpleclient": "prometheus",
    "datadog": "datadog",
    "influx": "influxdb",
    "new-relic": "new-relic",
    "elastic": "elasticsearch",
    "graphite": "graphite",
    "statsd": "statsd",
    "otlp": "opentelemetry",
    "cloudwatch2": "amazon-cloudwatch",
    "dynatrace": "dynatrace",
    "azure-monitor": "azure-monitor",
}


def jvm_conventions(package: Package) -> Iterator[Package]:
    """What a Maven coordinate means beyond itself (starters, WebJars, Kotlin,
    Micrometer registries)."""
    group, _, artifact = package.name.partition(":")
    line, kind = package.line, package.kind
    if group == "io.micrometer" and artifact.startswith("micrometer-registry-"):
        backend = artifact.removeprefix("micrometer-registry-")
        if slug := MICROMETER_REGISTRIES.get(backend):
            yield inferred(slug, package.file, line, kind)
    elif group in WEBJAR_GROUPS and artifact:
        # A WebJar repackages an npm (or Bower) package for the JVM.
        yield replace(package, ecosystem="npm", name=artifact.lower())
    elif group == "org.springframework.boot" and artifact.startswith(
        "spring-boot-starter"
    ):
        yield inferred("spring-boot", package.file, line, kind)
        starter = artifact.removeprefix("spring-boot-starter").removeprefix("-")
        if slug := SPRING_STARTERS.get(starter):
            yield inferred(slug, package.file, line, kind)
        elif starter.endswith("-test"):  # every test starter brings JUnit
            yield inferred("junit", package.file, line, DEV)
    elif group.startswith("org.jetbrains.kotlin") or artifact.startswith("kotlin-"):
        yield inferred("kotlin", package.file, line, kind)
    elif artifact == "com.android.application.gradle.plugin" or group.startswith(
        "com.android.tools.build"
    ):
        yield inferred("android", package.file, line)


def with_conventions(packages: Iterable[Package]) -> Iterator[Package]:
    for package in packages:
        yield package
        yield from jvm_conventions(package)


def read_pom_xml(text: str, path: str) -> list[Package]:
    if re.search(r"<!(DOCTYPE|ENTITY)", text):
        raise ManifestError("DOCTYPE and entity declarations are not accepted")
    try:
        root = parse_xml(text)  # no DOCTYPE, so no entity expansion
    except ET.ParseError as error:
        raise ManifestError(f"not valid XML ({error})") from error
    namespace = root.tag[: root.tag.index("}") + 1] if root.tag.startswith("{") else ""

    def text_of(node: ET.Element, tag: str) -> str:
        child = node.find(f"{namespace}{tag}")
        return (child.text or "").strip() if child is not None else ""

    packages = [inferred("java", path), inferred("maven", path, kind=DEV)]
    parent = root.find(f"{namespace}parent")
    if parent is not None:
        packages.append(
            Package(
                "maven",
                f"{text_of(parent, 'groupId')}:{text_of(parent, 'artifactId')}",
                text_of(parent, "version"),
                path,
                line=line_of(text, "<parent>"),
            )
        )
    for tag, dev in (("dependency", None), ("plugin", True)):
        for node in root.iter(f"{namespace}{tag}"):
            group = text_of(node, "groupId") or (
                "org.apache.maven.plugins" if tag == "plugin" else ""
            )
            artifact = text_of(node, "artifactId")
            if not group or not artifact:
                continue
            is_dev = dev if dev is not None else text_of(node, "scope") == "test"
            optional = text_of(node, "optional") == "true"
            packages.append(
                Package(
                    "maven",
                    f"{group}:{artifact}",
                    text_of(node, "version"),
                    path,
                    is_dev,
                    line=line_of(text, f"<artifactId>{artifact}<"),
                    kind=DEV if is_dev else OPTIONAL if optional else RUNTIME,
                )
            )
    return list(with_conventions(packages))


GRADLE_DEPENDENCY = re.compile(
    r"""\b(?P<conf>implementation|api|compileOnly|runtimeOnly|testImplementation|"""
    r"""testRuntimeOnly|androidTestImplementation|kapt|ksp|annotationProcessor|classpath)"""
    r"""\s*(?:\(\s*)?(?:platform\s*\(\s*)?["'](?P<coords>[^"':\s]+:[^"':\s]+)(?::(?P<version>[^"'\s]+))?["']"""
)
GRADLE_PLUGIN = re.compile(
    r"""\bid\s*(?:\(\s*)?["'](?P<id>[A-Za-z0-9_.-]+)["'](?:\s*\))?(?:\s*version\s*["'](?P<version>[^"']+)["'])?"""
)


GRADLE_JAVA = re.compile(
    r"""\bjava(-library)?\b|JavaVersion|JavaCompile|sourceCompatibility|toolchain"""
)


def read_gradle(text: str, path: str) -> Iterator[Package]:
    """build.gradle and build.gradle.kts: dependency coordinates and plugin ids."""
    yield inferred("gradle", path, kind=DEV)
    if "kotlin" in text:
        yield inferred("kotlin", path)
    elif GRADLE_JAVA.search(text):
        # Only when the script says Java: a module built by convention
        # plugins (Now in Android's) names no language at all.
        yield inferred("java", path)
    yield from with_conventions(_gradle_packages(text, path))


def _gradle_packages(text: str, path: str) -> Iterator[Package]:
    for match in GRADLE_DEPENDENCY.finditer(text):
        yield Package(
            "maven",
            match["coords"],
            match["version"] or "",
            path,
            match["conf"].startswith(("test", "androidTest")),
            line=line_at(text, match.start()),
        )
    for match in GRADLE_PLUGIN.finditer(text):
        plugin = match["id"]
        yield Package(
            "maven",
            f"{plugin}:{plugin}.gradle.plugin",
            match["version"] or "",
            path,
            line=line_at(text, match.start()),
        )


def read_version_catalog(text: str, path: str) -> Iterator[Package]:
    """Gradle's version catalog (gradle/libs.versions.toml): libraries and plugins."""
    data = _toml(text)
    yield inferred("gradle", path, kind=DEV)
    found = []
    for key, entry in (data.get("libraries") or {}).items():
        if isinstance(entry, str):
            module = entry.rsplit(":", 1)[0] if entry.count(":") >= 2 else entry
        elif isinstance(entry, dict):
            module = entry.get("module") or f"{entry.get('group')}:{entry.get('name')}"
        else:
            continue
        test = bool(re.search(r"test|junit|mock|espresso", key, re.IGNORECASE))
        found.append(
            Package("maven", str(module), "", path, test, line=line_of(text, key))
        )
    for key, entry in (data.get("plugins") or {}).items():
        plugin = (
            entry.get("id") if isinstance(entry, dict) else str(entry).split(":")[0]
        )
        if plugin:
            found.append(
                Package(
                    "maven",
                    f"{plugin}:{plugin}.gradle.plugin",
                    "",
                    path,
                    line=line_of(text, key),
                )
            )
    yield from with_conventions(found)
