"""Members: ``SIZES["members"]`` fictional people, plus the bench reader.

Passwords are unusable (nobody logs in with a password; the benchmark signs
the reader in with a session it creates), which keeps 100,000 rows free of
slow password hashing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from accounts.models import User
from bench.generators import READER_USERNAME, BenchContext, Generator

FIRST = [
    "Ada",
    "Alan",
    "Amara",
    "Anya",
    "Ari",
    "Bea",
    "Ben",
    "Caro",
    "Chen",
    "Dara",
    "Dev",
    "Eli",
    "Emre",
    "Esme",
    "Femi",
    "Finn",
    "Gita",
    "Hana",
    "Hugo",
    "Ines",
    "Ira",
    "Jae",
    "Jonas",
    "Kai",
    "Kemal",
    "Lena",
    "Leo",
    "Lin",
    "Luca",
    "Maya",
    "Mei",
    "Milo",
    "Nadia",
    "Nia",
    "Noor",
    "Omar",
    "Otto",
    "Pia",
    "Priya",
    "Quinn",
    "Rafa",
    "Rosa",
    "Sami",
    "Sana",
    "Soren",
    "Tara",
    "Theo",
    "Uma",
    "Vera",
    "Wen",
    "Yara",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Adeyemi",
    "Alvarez",
    "Andersen",
    "Banerjee",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kaur",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lopez",
    "Mbeki",
    "Moreau",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Park",
    "Petrov",
    "Quinn",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Tanaka",
    "Torres",
    "Varga",
    "Wagner",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
]
TITLES = [
    "Software Engineer",
    "Senior Software Engineer",
    "Staff Engineer",
    "Backend Developer",
    "Frontend Developer",
    "Full-stack Developer",
    "Site Reliability Engineer",
    "Data Engineer",
    "Engineering Manager",
    "CTO",
    "VP of Engineering",
    "Head of Platform",
    "",
]
COMPANY_WORDS = [
    "Acorn",
    "Beacon",
    "Cobalt",
    "Driftwood",
    "Ember",
    "Fernway",
    "Granite",
    "Harbor",
    "Ionic",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Northwind",
    "Orchard",
    "Pylon",
    "Quarry",
    "Riverton",
    "Saltmarsh",
    "Tidewater",
    "Umber",
    "Vantage",
    "Willow",
    "Yarrow",
    "Zenith",
]
COMPANY_SUFFIXES = ["Labs", "Systems", "Health", "Pay", "Logistics", "Studio", "AI", ""]
CITIES = [
    "Berlin",
    "Lagos",
    "Lisbon",
    "Osaka",
    "Austin",
    "Toronto",
    "Nairobi",
    "São Paulo",
    "Bangalore",
    "Melbourne",
    "",
]

FIELDS = (
    "id",
    "password",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "date_joined",
    "display_name",
    "job_title",
    "company_name",
    "location",
)


def generate_members(context: BenchContext) -> None:
    """Write the bench reader (id 1) and the members, all with unusable passwords."""
    rng = context.rng("members")
    total = context.size("members", minimum=10)
    context.reader_id = 1
    context.member_ids = list(range(2, total + 2))

    def rows() -> Iterator[tuple[Any, ...]]:
        yield (
            1,
            "!bench",
            READER_USERNAME,
            "Bench",
            "Reader",
            f"{READER_USERNAME}@bench.example",
            True,
            context.now,
            "Bench Reader",
            "Staff Engineer",
            "Benchmark Inc.",
            "",
        )
        for member_id in context.member_ids:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            username = f"{first.lower()}-{last.lower()}-{member_id}"
            company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_SUFFIXES)}"
            yield (
                member_id,
                "!bench",
                username,
                first,
                last,
                f"{username}@bench.example",
                True,
                context.past(rng, days=6 * 365, recent_bias=0.7),
                f"{first} {last}",
                rng.choice(TITLES),
                company.strip() if rng.random() < 0.8 else "",
                rng.choice(CITIES),
            )

    context.writer.write(User, FIELDS, rows(), total=total + 1, label="members")


GENERATOR = Generator(
    app_label="accounts",
    name="members",
    models=("accounts.User",),
    run=generate_members,
)
