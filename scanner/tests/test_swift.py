"""Apple platforms: Podfile and its lock, Package.swift and Package.resolved,
Carthage, Xcode projects."""

from __future__ import annotations

import json

import pytest

import scanner
from scanner.swift import package_identity

PODFILE = """\
source 'https://cdn.cocoapods.org/'
platform :ios, '15.0'
use_frameworks!

def shared
  pod 'Alamofire', '~> 5.8'
end

abstract_target 'App' do
  shared
  target 'Shop' do
    pod "Kingfisher"
    pod 'Firebase/Analytics'  # a subspec
    pod 'FLEX', :configurations => ['Debug']
    pod 'ShopKit', :path => '../ShopKit'
    target 'ShopTests' do
      inherit! :search_paths
      pod 'Quick'
    end
  end
  target 'ShopWidget' do
    pod 'SnapKit'
  end
end

post_install do |installer|
  installer.pods_project.targets.each do |target|
    puts target.name
  end
end
"""


def scan(tmp_path, files):
    for path, text in files.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    result = scanner.scan(tmp_path)
    assert not result.warnings
    return result


def kinds(result, ecosystem):
    found: dict[str, set[str]] = {}
    for p in result.packages:
        if p.ecosystem == ecosystem:
            found.setdefault(p.name, set()).add(p.kind)
    return found


def test_podfile_pods_by_target(tmp_path):
    result = scan(tmp_path, {"ios/Podfile": PODFILE})
    assert kinds(result, "cocoapods") == {
        "Alamofire": {"runtime"},
        "Kingfisher": {"runtime"},
        "Firebase/Analytics": {"runtime"},
        "FLEX": {"dev"},  # Debug builds only
        "ShopKit": {"vendored"},  # a local pod
        "Quick": {"dev"},  # in the test target
        "SnapKit": {"runtime"},  # after the test target's "end"
    }
    assert kinds(result, scanner.TOOL)["cocoapods"] == {"dev"}


def test_podfile_lock_direct_pods_count_and_the_rest_are_indirect(tmp_path):
    lock = """\
PODS:
  - Alamofire (5.8.1)
  - "Firebase/Analytics (10.0.0)":
    - FirebaseAnalytics (~> 10.0.0)
  - FirebaseAnalytics (10.0.0):
    - GoogleUtilities/AppDelegateSwizzler (~> 7.8)
  - GoogleUtilities/AppDelegateSwizzler (7.11.0)

DEPENDENCIES:
  - Alamofire (~> 5.8)
  - Firebase/Analytics

SPEC REPOS:
  trunk:
    - Alamofire

COCOAPODS: 1.15.2
"""
    result = scan(tmp_path, {"Podfile.lock": lock})
    assert kinds(result, "cocoapods") == {
        "Alamofire": {"runtime"},
        "Firebase/Analytics": {"runtime"},
        "FirebaseAnalytics": {"optional"},
        "GoogleUtilities/AppDelegateSwizzler": {"optional"},
    }


def test_package_swift_dependencies_and_binary_plugins(tmp_path):
    manifest = """\
// swift-tools-version:5.9
import PackageDescription

let package = Package(
    name: "App",
    dependencies: [
        .package(url: "https://github.com/Alamofire/Alamofire.git", from: "5.8.0"),
        .package(name: "Realm", url: "git@github.com:realm/realm-swift.git", .upToNextMajor(from: "10.0.0")),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", "1.10.0"..<"2.0.0"),
        .package(id: "mona.LinkedList", exact: "1.1.0"),
        .package(path: "../Shared"),
    ],
    targets: [
        .binaryTarget(
            name: "SwiftLintBinary",
            url: "https://github.com/realm/SwiftLint/releases/download/0.54.0/SwiftLintBinary.zip",
            checksum: "00"
        ),
    ]
)
"""
    result = scan(tmp_path, {"Package.swift": manifest})
    found = {p.name: p.version for p in result.packages if p.ecosystem == "swiftpm"}
    assert found == {
        "github.com/alamofire/alamofire": "5.8.0",
        "github.com/realm/realm-swift": "10.0.0",
        "github.com/pointfreeco/swift-snapshot-testing": "1.10.0",
        "mona.linkedlist": "1.1.0",
        "github.com/realm/swiftlint": "",
    }
    assert {"swift", "swift-package-manager"} <= kinds(result, scanner.TOOL).keys()


@pytest.mark.parametrize("version", [1, 2, 3])
def test_package_resolved_formats_are_read_as_indirect_pins(tmp_path, version):
    url = "https://github.com/onevcat/Kingfisher.git"
    if version == 1:
        data = {
            "object": {
                "pins": [
                    {
                        "package": "Kingfisher",
                        "repositoryURL": url,
                        "state": {"version": "7.0.0"},
                    }
                ]
            },
            "version": 1,
        }
    else:
        data = {
            "pins": [
                {
                    "identity": "kingfisher",
                    "kind": "remoteSourceControl",
                    "location": url,
                    "state": {"revision": "abc", "version": "7.0.0"},
                },
                {
                    "identity": "local",
                    "kind": "localSourceControl",
                    "location": "../Local",
                },
            ],
            "version": version,
        }
    result = scan(tmp_path, {"Package.resolved": json.dumps(data)})
    pins = [p for p in result.packages if p.ecosystem == "swiftpm"]
    assert [(p.name, p.version, p.kind) for p in pins] == [
        ("github.com/onevcat/kingfisher", "7.0.0", "optional")
    ]


def test_carthage_and_xcode_projects(tmp_path):
    result = scan(
        tmp_path,
        {
            "Cartfile": 'github "ReactiveX/RxSwift" ~> 6.0\nbinary "https://x/y.json"\n',
            "Cartfile.private": 'github "Quick/Nimble" "v12.0.0"\n',
            "App.xcodeproj/project.pbxproj": (
                "// !$*UTF8*$!\n{\n objects = {\n"
                "  A /* a.swift */ = {isa = PBXFileReference; lastKnownFileType = sourcecode.swift; };\n"
                '  B /* XCRemoteSwiftPackageReference "SnapKit" */ = {\n'
                "   isa = XCRemoteSwiftPackageReference;\n"
                '   repositoryURL = "https://github.com/SnapKit/SnapKit";\n'
                "  };\n };\n}\n"
            ),
        },
    )
    assert kinds(result, "swiftpm") == {
        "github.com/reactivex/rxswift": {"runtime"},
        "github.com/quick/nimble": {"dev"},
        "github.com/snapkit/snapkit": {"runtime"},
    }
    assert {"carthage", "xcode", "swift"} <= kinds(result, scanner.TOOL).keys()


@pytest.mark.parametrize(
    ("location", "identity"),
    [
        (
            "https://github.com/Alamofire/Alamofire.git",
            "github.com/alamofire/alamofire",
        ),
        ("git@github.com:realm/realm-swift.git", "github.com/realm/realm-swift"),
        ("https://www.github.com/SnapKit/SnapKit/", "github.com/snapkit/snapkit"),
        ("ssh://git@gitlab.com:22/a/b.git", "gitlab.com:22/a/b"),
        ("mona.LinkedList", "mona.linkedlist"),
    ],
)
def test_swift_package_identity(location, identity):
    assert package_identity(location) == identity


def test_flutters_generated_registrant_is_no_objective_c_of_the_project(tmp_path):
    runner = (
        "// !$*UTF8*$!\n"
        "\t\t1 /* GeneratedPluginRegistrant.m */ = {isa = PBXFileReference; "
        "lastKnownFileType = sourcecode.c.objc; path = GeneratedPluginRegistrant.m; };\n"
        "\t\t2 /* AppDelegate.swift */ = {isa = PBXFileReference; "
        "lastKnownFileType = sourcecode.swift; path = AppDelegate.swift; };\n"
    )
    native = runner + (
        "\t\t3 /* Swizzle.m */ = {isa = PBXFileReference; "
        "lastKnownFileType = sourcecode.c.objc; path = Swizzle.m; };\n"
    )
    for name, text in {"flutter": runner, "native": native}.items():
        (tmp_path / name / "Runner.xcodeproj").mkdir(parents=True)
        (tmp_path / name / "Runner.xcodeproj" / "project.pbxproj").write_text(text)
    found = {
        (p.file.split("/")[0], p.name, p.line)
        for p in scanner.scan(tmp_path).packages
        if p.ecosystem == scanner.TOOL and p.name in {"swift", "objective-c"}
    }
    assert found == {
        ("flutter", "swift", 3),
        ("native", "swift", 3),
        ("native", "objective-c", 4),
    }
