"""Demo companies, members and stacks for development (``seed_demo``).

Every company and person here is invented; any likeness is accidental. The
stacks use real catalog slugs in combinations teams really run, and their
history is spread over the past two years with explicit timestamps, so
stack counts, company pages and timelines look lived in. Idempotent: a
company that already exists is left alone.
"""

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
from stacks.models import Company, CompanyFollow, Role
from tools.models import Tool

# Tool sets by kind of team; a stack draws most of one and a few extras.
ARCHETYPES: dict[str, list[str]] = {
    "django": [
        "python",
        "django",
        "postgresql",
        "redis",
        "celery",
        "nginx",
        "docker",
        "github-actions",
        "sentry",
        "amazon-s3",
        "pytest",
        "ruff",
    ],
    "next": [
        "typescript",
        "nodejs",
        "react",
        "nextjs",
        "tailwind-css",
        "prisma",
        "postgresql",
        "vercel",
        "stripe",
        "eslint",
        "prettier",
        "playwright",
    ],
    "go": [
        "golang",
        "gin",
        "rust",
        "postgresql",
        "redis",
        "kafka",
        "docker",
        "kubernetes",
        "prometheus",
        "grafana",
        "terraform",
        "opentelemetry",
    ],
    "rails": [
        "ruby",
        "rails",
        "postgresql",
        "redis",
        "sidekiq",
        "heroku",
        "rspec",
        "rubocop",
        "sentry",
        "github-actions",
    ],
    "data": [
        "python",
        "apache-airflow",
        "dbt",
        "snowflake",
        "apache-spark",
        "kafka",
        "pandas",
        "jupyter",
        "bigquery",
        "duckdb",
        "flask",
    ],
    "ml": [
        "python",
        "pytorch",
        "mlflow",
        "numpy",
        "pandas",
        "scikit-learn",
        "fastapi",
        "flask",
        "docker",
        "kubernetes",
        "ray",
    ],
    "mobile": [
        "react-native",
        "expo",
        "typescript",
        "firebase",
        "swift",
        "kotlin",
        "sentry",
        "github-actions",
    ],
    "jvm": [
        "java",
        "spring-boot",
        "hibernate",
        "postgresql",
        "kafka",
        "gradle",
        "kubernetes",
        "elasticsearch",
        "datadog",
        "jenkins",
    ],
    "php": ["php", "laravel", "mysql", "redis", "vuejs", "nginx", "docker", "stripe"],
    "platform": [
        "kubernetes",
        "terraform",
        "helm",
        "argo-cd",
        "prometheus",
        "grafana",
        "github-actions",
        "datadog",
        "cloudflare",
        "amazon-ec2",
    ],
    "vue": [
        "typescript",
        "vuejs",
        "vite",
        "fastapi",
        "python",
        "postgresql",
        "docker",
        "netlify",
    ],
    "business": ["slack", "jira", "github", "linear", "notion", "figma"],
}

NOTES = {
    "postgresql": "Our system of record; boring in the best way.",
    "redis": "Caching, sessions and rate limits.",
    "kafka": "Every event goes through it; consumers replay when they need to.",
    "kubernetes": "All services run here, one namespace per team.",
    "django": "The admin alone saved us months.",
    "react": "Most of our UI, with server components where they help.",
    "sentry": "First place we look when something breaks.",
    "terraform": "Every cloud resource is code, reviewed like code.",
    "stripe": "Subscriptions and invoices without building billing.",
    "dbt": "Models are tested and documented next to the SQL.",
    "rails": "Still the fastest way we know to ship a product.",
    "golang": "Small binaries and a quick start for our API services.",
    "github-actions": "CI for every pull request, deploys on merge.",
    "datadog": "Dashboards and alerts for on-call.",
    "snowflake": "The warehouse the whole company queries.",
}

# name, industry, size, location, tagline, archetypes of its stacks, owner
COMPANIES: list[tuple[str, str, str, str, str, list[str], str | None]] = [
    (
        "Quillbyte",
        "fintech",
        "51-200",
        "Lagos",
        "Payment rails for African marketplaces",
        ["go", "data"],
        "nadia",
    ),
    (
        "Parcelwise",
        "logistics",
        "201-1000",
        "Valencia",
        "Route planning for last-mile delivery fleets",
        ["jvm", "mobile", "platform"],
        "tomas",
    ),
    (
        "Lumenfold",
        "software",
        "201-1000",
        "Osaka",
        "Design review software for hardware teams",
        ["platform", "next"],
        "mei",
    ),
    (
        "Fjordlight Studios",
        "gaming",
        "11-50",
        "Bergen",
        "Cosy strategy games for small screens",
        ["django"],
        "jonas",
    ),
    (
        "Tallyhive",
        "software",
        "11-50",
        "Bengaluru",
        "Bookkeeping for co-operatives",
        ["rails", "business"],
        "priya",
    ),
    (
        "Brightkettle",
        "ecommerce",
        "51-200",
        "Leeds",
        "Specialty tea, shipped fresh",
        ["next"],
        "sam",
    ),
    (
        "Orbitmint",
        "energy",
        "51-200",
        "Dakar",
        "Forecasts for solar micro-grids",
        ["data", "ml"],
        "amara",
    ),
    (
        "Marrowgate Health",
        "health",
        "201-1000",
        "Rotterdam",
        "Appointment booking for community clinics",
        ["django", "mobile"],
        None,
    ),
    (
        "Cobaltbird",
        "media",
        "11-50",
        "Lisbon",
        "Newsletters that pay their writers",
        ["rails"],
        None,
    ),
    (
        "Driftwell Travel",
        "travel",
        "51-200",
        "Cape Town",
        "Trip planning for small groups",
        ["next", "data"],
        None,
    ),
    (
        "Pebblewire",
        "software",
        "1-10",
        "Tallinn",
        "Feature flags for tiny teams",
        ["go"],
        None,
    ),
    (
        "Hollowtree Learning",
        "education",
        "51-200",
        "Montréal",
        "Maths practice that adapts to each pupil",
        ["django", "ml"],
        None,
    ),
    (
        "Saffronloop",
        "ecommerce",
        "201-1000",
        "Hyderabad",
        "Groceries in twenty minutes",
        ["jvm", "mobile", "data"],
        None,
    ),
    (
        "Northgrain Analytics",
        "agency",
        "11-50",
        "Minneapolis",
        "Data platforms for agricultural co-ops",
        ["data"],
        None,
    ),
    (
        "Velvetroute",
        "logistics",
        "1001-5000",
        "Hamburg",
        "Freight booking across Europe",
        ["jvm", "platform"],
        None,
    ),
    (
        "Inkwell Civic",
        "public",
        "11-50",
        "Wellington",
        "Open tools for public consultations",
        ["django", "vue"],
        None,
    ),
    (
        "Glassmoth",
        "software",
        "1-10",
        "Reykjavík",
        "Status pages and uptime checks",
        ["go", "next"],
        None,
    ),
    (
        "Tidecraft Energy",
        "energy",
        "201-1000",
        "Aberdeen",
        "Software for offshore wind maintenance",
        ["ml", "platform"],
        None,
    ),
    (
        "Ferngrove Bank",
        "fintech",
        "1001-5000",
        "Edinburgh",
        "A bank for people who build things",
        ["jvm", "data", "platform"],
        None,
    ),
    (
        "Copperlark",
        "media",
        "51-200",
        "Austin",
        "Podcast hosting and analytics",
        ["rails", "data"],
        None,
    ),
    (
        "Maplestone Games",
        "gaming",
        "201-1000",
        "Kraków",
        "Multiplayer worlds for the browser",
        ["go", "next"],
        None,
    ),
    (
        "Umberfield",
        "agency",
        "11-50",
        "Buenos Aires",
        "Product studio for early-stage teams",
        ["next", "django"],
        None,
    ),
    (
        "Kestrel Mobility",
        "logistics",
        "51-200",
        "Nairobi",
        "Ride-hailing for motorbike taxis",
        ["mobile", "go"],
        None,
    ),
    (
        "Lanternworks",
        "education",
        "11-50",
        "Dublin",
        "Coding courses for career changers",
        ["vue"],
        None,
    ),
    (
        "Briarpatch Health",
        "health",
        "51-200",
        "Toronto",
        "Remote monitoring for chronic care",
        ["mobile", "django"],
        None,
    ),
    (
        "Solvent Sky",
        "software",
        "51-200",
        "Berlin",
        "Observability for data pipelines",
        ["go", "platform", "business"],
        None,
    ),
    (
        "Quartzline",
        "fintech",
        "11-50",
        "Singapore",
        "Treasury tools for start-ups",
        ["php", "data"],
        None,
    ),
    (
        "Thistledown",
        "ecommerce",
        "11-50",
        "Glasgow",
        "Marketplace for independent makers",
        ["php"],
        None,
    ),
    (
        "Amberhaus Hotels",
        "travel",
        "201-1000",
        "Vienna",
        "Boutique hotels with a booking engine of their own",
        ["php", "mobile"],
        None,
    ),
    (
        "Wrenfield Labs",
        "health",
        "11-50",
        "Boston",
        "Machine learning for pathology slides",
        ["ml", "data"],
        None,
    ),
    (
        "Oakenshaw Media",
        "media",
        "201-1000",
        "Melbourne",
        "Local news for regional towns",
        ["next", "platform"],
        None,
    ),
    (
        "Nimbletide",
        "software",
        "1-10",
        "Porto",
        "Scheduling for dance studios",
        ["rails", "vue"],
        None,
    ),
]

# Invented colleagues who join the companies above.
NEW_MEMBERS = [
    ("rita", "Rita Vance", "VP of Engineering"),
    ("olu", "Olúwaseun Adé", "Platform Engineer"),
    ("hana", "Hana Kovač", "Engineering Manager"),
    ("diego", "Diego Marín", "Full-stack Developer"),
    ("ines", "Inès Laurent", "Data Scientist"),
    ("kwame", "Kwame Mensah", "Mobile Lead"),
    ("sofia", "Sofia Lindqvist", "Staff Engineer"),
    ("arjun", "Arjun Iyer", "Head of Data"),
    ("yuki", "Yuki Sato", "Frontend Developer"),
    ("mateo", "Mateo Rossi", "DevOps Engineer"),
    ("leila", "Leila Haddad", "CTO"),
    ("finn", "Finn O'Connor", "Backend Developer"),
]

STACK_NAMES = {
    "django": "Web app",
    "next": "Storefront",
    "go": "Core services",
    "rails": "Main product",
    "data": "Data platform",
    "ml": "Machine learning",
    "mobile": "Mobile apps",
    "jvm": "Backend platform",
    "php": "Website",
    "platform": "Infrastructure",
    "vue": "Learning portal",
    "business": "Team tools",
}

PERSONAL_STACKS = [
    (
        "jonas",
        "Homelab",
        ["python", "docker", "postgresql", "grafana", "prometheus", "nginx"],
    ),
    ("sam", "Side projects", ["typescript", "svelte", "vite", "netlify", "supabase"]),
    ("rita", "Weekend hacking", ["rust", "axum", "sqlite", "fly-io"]),
]


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
