"""Seeding the demo companies, members, stacks with their history, and company follows."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import cache
from io import TextIOBase

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify

from accounts.demo import DEMO_PASSWORD, demo_email
from accounts.models import User
from stacks import services
from stacks.demo.archetypes import ARCHETYPES, NOTES, PERSONAL_STACKS, STACK_NAMES
from stacks.demo.companies import COMPANIES, NEW_MEMBERS
from stacks.models import Company, CompanyFollow, Role
from tools.models import Tool


@cache
def _demo_password_hash() -> str:
    """Hash the shared demo password once, not once per member."""
    return make_password(DEMO_PASSWORD)


def _member(username: str, name: str, title: str, company: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user
    email = demo_email(username)
    user = User.objects.create(
        username=username,
        email=email,
        password=_demo_password_hash(),
        display_name=name,
        job_title=title,
        company_name=company,
    )
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return user


def seed_stacks_demo(*, stdout: TextIOBase, dry_run: bool) -> None:
    """Create the demo companies with members, stacks and two years of history."""
    rng = random.Random(20250301)
    now = timezone.now()
    tools = {tool.slug: tool for tool in Tool.objects.approved()}
    if not tools:
        stdout.write(
            "No catalog loaded: run load_catalog first; skipped demo stacks.\n"
        )
        return
    newcomers = list(NEW_MEMBERS)
    created = 0
    for index, (
        name,
        industry,
        size,
        location,
        tagline,
        kinds,
        owner_name,
    ) in enumerate(COMPANIES):
        if Company.objects.filter(slug=slugify(name)).exists():
            continue
        created += 1
        owner = User.objects.filter(username=owner_name).first() if owner_name else None
        if owner is None:
            username, person, title = newcomers[index % len(newcomers)]
            owner = _member(f"{username}{index}", person, title, name)
        founded = now - timedelta(days=rng.randint(500, 730))
        company = services.create_company(
            name=name,
            created_by=owner,
            industry=industry,
            size=size,
            location=location,
            tagline=tagline,
            website=f"https://{slugify(name)}.example",
            description=f"{name}: {tagline[:1].lower()}{tagline[1:]}. This company is fictional demo data.",
        )
        Company.objects.filter(pk=company.pk).update(created_at=founded)
        for username, person, title in rng.sample(NEW_MEMBERS, k=rng.randint(1, 3)):
            colleague = _member(username, person, title, name)
            role = rng.choice([Role.EDITOR, Role.MEMBER, Role.MEMBER])
            if not company.memberships.filter(user=colleague).exists():
                services.add_company_member(company=company, user=colleague, role=role)
        for kind in kinds:
            _seed_stack(
                rng,
                tools,
                company=company,
                name=STACK_NAMES[kind],
                slugs=ARCHETYPES[kind],
                editors=[owner],
                start=founded,
                now=now,
            )
    for username, stack_name, slugs in PERSONAL_STACKS:
        member = User.objects.filter(username=username).first()
        if member is None or member.stacks.filter(name=stack_name).exists():
            continue
        _seed_stack(
            rng,
            tools,
            owner_user=member,
            name=stack_name,
            slugs=slugs,
            editors=[member],
            start=now - timedelta(days=400),
            now=now,
        )
    pairs = services.refresh_tool_pairings()
    verb = "Would create" if dry_run else "Created"
    stdout.write(
        f"{verb} {created} demo companies ({len(COMPANIES)} in all) with their stacks; "
        f"{pairs} tool pairings.\n"
    )


def seed_company_follows_demo(
    *, members: list[User], stdout: TextIOBase, dry_run: bool
) -> None:
    """``members`` follow demo companies, the bigger ones more often
    (idempotent); companies members created for real are left alone."""
    added = 0
    demo_companies = Company.objects.filter(
        slug__in=[slugify(row[0]) for row in COMPANIES]
    ).order_by("-tool_count", "name")
    for company in demo_companies:
        appeal = min(0.6, 0.1 + company.tool_count / 60)
        for member in members:
            rng = random.Random(f"{company.slug}/{member.username}")
            if (
                rng.random() < appeal
                and not CompanyFollow.objects.filter(
                    user=member, company=company
                ).exists()
            ):
                services.follow_company(user=member, company=company)
                added += 1
    verb = "Would add" if dry_run else "Added"
    stdout.write(f"{verb} {added} company follows.\n")


def _seed_stack(
    rng: random.Random,
    tools: dict[str, Tool],
    *,
    name: str,
    slugs: list[str],
    editors: list[User],
    start: datetime,
    now: datetime,
    company: Company | None = None,
    owner_user: User | None = None,
) -> None:
    """A stack whose tools arrive over time; a few are swapped out later."""
    when = start + timedelta(days=rng.randint(0, 40))
    stack = services.create_stack(
        name=name, company=company, owner_user=owner_user, when=when
    )
    available = [tools[slug] for slug in slugs if slug in tools]
    picked = [t for t in available if rng.random() < 0.85] or available[:3]
    extras = rng.sample(list(tools.values()), k=rng.randint(0, 2))
    span = max((now - when).days - 5, 10)
    schedule = sorted(
        (
            (
                when + timedelta(days=rng.randint(0, span), hours=rng.randint(8, 18)),
                tool,
            )
            for tool in [*picked, *extras]
        ),
        key=lambda entry: entry[0],
    )
    added_at = {}
    for at, tool in schedule:
        services.add_tool_to_stack(
            stack=stack,
            tool=tool,
            added_by=rng.choice(editors),
            note=NOTES.get(tool.slug, "") if rng.random() < 0.7 else "",
            when=at,
        )
        added_at[tool.pk] = at
    # Now and then a tool is dropped again, so the timeline tells a story.
    for tool in extras[:1]:
        later = added_at[tool.pk] + timedelta(days=rng.randint(20, 200))
        if rng.random() < 0.6 and later < now:
            services.remove_tool_from_stack(
                stack=stack, tool=tool, removed_by=rng.choice(editors), when=later
            )
