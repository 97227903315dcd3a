"""Demo companies, members and stacks for development (``seed_demo``).

Every company and person here is invented; any likeness is accidental. The
stacks use real catalog slugs in combinations teams really run, and their
history is spread over the past two years with explicit timestamps, so
stack counts, company pages and timelines look lived in. Idempotent: a
company that already exists is left alone.
"""

from __future__ import annotations

from stacks.demo.archetypes import ARCHETYPES, NOTES, PERSONAL_STACKS, STACK_NAMES
from stacks.demo.companies import COMPANIES, NEW_MEMBERS
from stacks.demo.seeding import seed_company_follows_demo, seed_stacks_demo

__all__ = [
    "ARCHETYPES",
    "COMPANIES",
    "NEW_MEMBERS",
    "NOTES",
    "PERSONAL_STACKS",
    "STACK_NAMES",
    "seed_company_follows_demo",
    "seed_stacks_demo",
]
