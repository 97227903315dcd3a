"""A company's tech radar: rings set by its editors, drawn, listed, exported."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.opendata import write_open_data
from changes.models import RadarEntry
from changes.radar import company_radar
from changes.services import set_ring
from stacks.models import HistoryAction, Ring, Role, StackHistory
from stacks.tests.factories import make_company, make_item, make_membership, make_stack
from tools.tests.factories import make_category, make_tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def acme(member):
    """Acme (owned by ``member``) runs Kafka and Jenkins, in two layers."""
    data = make_category(name="Queues")
    devops = make_category(name="Continuous integration")
    company = make_company(name="Acme", owner=member)
    stack = make_stack(company=company, name="Platform")
    kafka = make_tool(name="Kafka", slug="kafka", function=data)
    jenkins = make_tool(name="Jenkins", slug="jenkins", function=devops)
    return {
        "company": company,
        "stack": stack,
        "kafka": make_item(stack=stack, tool=kafka),
        "jenkins": make_item(stack=stack, tool=jenkins),
    }


def test_setting_a_ring_records_the_change_once(acme, member):
    item = acme["jenkins"]
    set_ring(item=item, ring=Ring.HOLD, reason="Moving to Actions", actor=member)
    set_ring(item=item, ring=Ring.HOLD, reason="Moving to Actions", actor=member)
    set_ring(item=item, ring=Ring.HOLD, reason="Moving to GitHub Actions", actor=member)
    entry = RadarEntry.objects.get(item=item)
    assert (entry.ring, entry.reason) == (Ring.HOLD, "Moving to GitHub Actions")
    # One event in the stack's own history, beside additions and removals.
    change = StackHistory.objects.get(stack=acme["stack"], action=HistoryAction.RING)
    assert (change.ring_from, change.ring_to, change.actor, change.reason) == (
        Ring.ADOPT,
        Ring.HOLD,
        member,
        "Moving to Actions",
    )
    assert change.tool == item.tool


def test_stack_page_history_shows_ring_changes_with_who_and_why(client, acme, member):
    set_ring(
        item=acme["jenkins"], ring=Ring.HOLD, reason="Too much upkeep", actor=member
    )
    page = client.get(acme["stack"].get_absolute_url()).content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "from Adopt to Hold on the radar" in timeline
    assert "“Too much upkeep”" in timeline
    assert f"by {member.name}" in timeline


def test_ring_changes_move_no_adoption_and_no_moves(acme, member):
    """A ring change is history, but the stack still lists the tool: the
    adoption trend and the derived moves ignore it."""
    from changes.services import rebuild_moves
    from changes.trends import adoption_trend

    before = adoption_trend(acme["jenkins"].tool).last.stacks
    set_ring(item=acme["jenkins"], ring=Ring.HOLD, actor=member)
    assert adoption_trend(acme["jenkins"].tool).last.stacks == before
    assert rebuild_moves(dry_run=True).is_exact


def test_a_members_own_stack_has_no_ring(member):
    item = make_item(stack=make_stack(owner_user=member), tool=make_tool())
    with pytest.raises(ValueError, match="company"):
        set_ring(item=item, ring=Ring.TRIAL, actor=member)


def test_radar_places_tools_by_layer_and_ring_and_marks_recent_moves(acme, member):
    old = timezone.now() - timedelta(days=200)
    set_ring(item=acme["kafka"], ring=Ring.TRIAL, actor=member, when=old)
    set_ring(item=acme["jenkins"], ring=Ring.HOLD, actor=member)
    radar = company_radar(acme["company"])
    by_name = {blip.tool.name: blip for blip in radar.blips}
    assert by_name["Kafka"].ring == Ring.TRIAL
    assert by_name["Kafka"].moved == 0  # more than 90 days ago
    assert by_name["Jenkins"].ring == Ring.HOLD
    assert by_name["Jenkins"].moved == -1  # outwards
    assert [c.tool.name for c in radar.changes] == ["Jenkins"]


def test_crowded_radar_gives_every_blip_its_own_place_in_its_cell(acme, member):
    """Forty tools of one layer in adopt and a dozen in trial: no two blips
    touch, each stays inside its quadrant and its ring's band, and the
    drawing comes out the same each time."""
    queues = acme["kafka"].tool.function
    for _ in range(40):
        make_item(stack=acme["stack"], tool=make_tool(function=queues))
    for _ in range(12):
        item = make_item(stack=acme["stack"], tool=make_tool(function=queues))
        set_ring(item=item, ring=Ring.TRIAL, actor=member)
    radar = company_radar(acme["company"])
    centre, inner_edges = radar.centre, [0, *radar.radii]
    for blip in radar.blips:
        distance = math.hypot(blip.x - centre, blip.y - centre)
        ring = [Ring.ADOPT, Ring.TRIAL, Ring.ASSESS, Ring.HOLD].index(Ring(blip.ring))
        assert inner_edges[ring] + 9 < distance < radar.radii[ring] - 9
        assert (blip.x > centre) == (blip.quadrant in (0, 1))
        assert (blip.y > centre) == (blip.quadrant in (1, 2))
    for first, second in itertools.combinations(radar.blips, 2):
        assert math.hypot(first.x - second.x, first.y - second.y) >= 21.5
    again = company_radar(acme["company"])
    assert [(b.x, b.y) for b in again.blips] == [(b.x, b.y) for b in radar.blips]


def test_radar_page_draws_and_lists_entries(
    client, acme, member, django_assert_num_queries
):
    """Anonymous readers see the SVG and the list; the page's queries do
    not grow with the number of tools."""
    set_ring(
        item=acme["jenkins"], ring=Ring.HOLD, reason="Too much upkeep", actor=member
    )
    url = reverse("changes:radar", args=["acme"])
    # company, layers, entries (tool path, stack, ring), recent ring changes
    with django_assert_num_queries(4):
        response = client.get(url)
    content = response.content.decode()
    assert '<svg class="radar__chart"' in content
    assert "Too much upkeep" in content
    assert 'id="tool-jenkins"' in content
    assert "Save ring" not in content  # no forms for readers
    for _ in range(10):
        make_item(stack=acme["stack"], tool=make_tool())
    with django_assert_num_queries(4):
        client.get(url)


def test_editor_sets_a_ring_from_the_radar(client, acme, other_member):
    make_membership(company=acme["company"], user=other_member, role=Role.EDITOR)
    client.force_login(other_member)
    item = acme["kafka"]
    url = reverse("changes:radar_set_ring", args=["acme", item.pk])
    response = client.post(url, {"ring": "trial", "reason": "Two teams on it"})
    assert response.status_code == 302
    assert response["Location"].endswith("/companies/acme/radar/#tool-kafka")
    page = client.get(reverse("changes:radar", args=["acme"])).content.decode()
    assert "Two teams on it" in page
    assert "Save ring for Kafka in Platform" in page


def test_bad_ring_is_a_400_and_changes_nothing(client, acme, member):
    client.force_login(member)
    url = reverse("changes:radar_set_ring", args=["acme", acme["kafka"].pk])
    response = client.post(url, {"ring": "maybe"})
    assert response.status_code == 400
    assert "Kafka" in response.content.decode()
    assert not RadarEntry.objects.exists()


def test_only_editors_set_rings(client, acme, other_member):
    url = reverse("changes:radar_set_ring", args=["acme", acme["kafka"].pk])
    assert client.post(url, {"ring": "hold"}).status_code == 302  # log in
    make_membership(company=acme["company"], user=other_member, role=Role.MEMBER)
    client.force_login(other_member)
    assert client.post(url, {"ring": "hold"}).status_code == 404
    other = make_company(name="Other", owner=other_member)
    foreign = reverse("changes:radar_set_ring", args=[other.slug, acme["kafka"].pk])
    assert client.post(foreign, {"ring": "hold"}).status_code == 404
    assert not RadarEntry.objects.exists()


def test_radar_exports_json_and_csv(client, acme, member):
    set_ring(
        item=acme["jenkins"], ring=Ring.HOLD, reason="Too much upkeep", actor=member
    )
    data = client.get(reverse("changes:radar_json", args=["acme"])).json()
    jenkins = next(e for e in data["entries"] if e["label"] == "Jenkins")
    assert jenkins["ring"] == 3
    assert jenkins["moved"] == -1
    assert jenkins["link"].endswith("/tools/jenkins/")
    assert [r["name"] for r in data["rings"]] == ["ADOPT", "TRIAL", "ASSESS", "HOLD"]
    response = client.get(reverse("changes:radar_csv", args=["acme"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["name"]: row["ring"] for row in rows} == {
        "Kafka": "Adopt",
        "Jenkins": "Hold",
    }
    assert rows[0].keys() == {"name", "ring", "quadrant", "isNew", "description"}


def test_unknown_company_radar_is_a_404(client, db):
    assert client.get("/companies/nope/radar/").status_code == 404


def test_tool_page_counts_companies_holding_or_trialling_it(client, acme, member):
    set_ring(item=acme["jenkins"], ring=Ring.HOLD, actor=member)
    other = make_company(name="Globex", owner=member)
    for name in ["One", "Two"]:
        item = make_item(
            stack=make_stack(company=other, name=name), tool=acme["jenkins"].tool
        )
        set_ring(item=item, ring=Ring.HOLD, actor=member)
    content = client.get("/tools/jenkins/").content.decode()
    assert 'id="on-hold">2 companies' in content
    assert 'id="in-trial"' not in content  # a zero is not said
    assert 'id="on-hold"' not in client.get("/tools/kafka/").content.decode()


def test_a_merged_tools_rings_count_for_its_target(client, acme, member):
    """The entries of a merged tool's stack entries name the tool they now list."""
    from tools.services import merge_tools

    duplicate = make_tool(name="Jenkins CI", function=acme["jenkins"].tool.function)
    other = make_company(name="Globex", owner=member)
    item = make_item(stack=make_stack(company=other, name="Build"), tool=duplicate)
    set_ring(item=item, ring=Ring.TRIAL, actor=member)
    set_ring(item=acme["jenkins"], ring=Ring.TRIAL, actor=member)
    merge_tools(source=duplicate, target=acme["jenkins"].tool, actor=member)
    assert set(RadarEntry.objects.values_list("tool__slug", flat=True)) == {"jenkins"}
    content = client.get("/tools/jenkins/").content.decode()
    assert 'id="in-trial">2 companies' in content


def test_api_and_open_data_carry_ring_changes_with_both_rings(client, acme, member):
    set_ring(
        item=acme["jenkins"], ring=Ring.HOLD, reason="Too much upkeep", actor=member
    )
    history = client.get(f"/api/v1/stacks/{acme['stack'].slug}/history/").json()
    ring = next(e for e in history["results"] if e["action"] == "ring")
    assert (ring["tool"], ring["ring_from"], ring["ring_to"], ring["reason"]) == (
        "jenkins",
        "adopt",
        "hold",
        "Too much upkeep",
    )
    with zipfile.ZipFile(write_open_data()) as archive:
        rows = [
            json.loads(line)
            for line in archive.read("stack_history.jsonl").splitlines()
        ]
    assert {(r["action"], r["ring_to"]) for r in rows} >= {("ring", "hold")}
