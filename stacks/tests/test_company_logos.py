"""What stands for a company: its uploaded logo, else its monogram."""

from __future__ import annotations

import re

from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import image_upload
from stacks.tests.factories import make_company


def test_companies_show_their_logo_or_their_monogram(client, db):
    plain = make_company(name="Quiet & <Sons>")
    pictured = make_company(name="Pictured")
    pictured.logo = image_upload("p.png", size=(48, 48))
    pictured.save()

    listing = client.get(reverse("stacks:company_list")).content.decode()
    page = client.get(plain.get_absolute_url()).content.decode()

    monogram = (
        rf'<span class="monogram monogram--(\w+) monogram--c{plain.monogram_colour} '
        rf'company-monogram" aria-hidden="true">{re.escape(escape(plain.monogram))}</span>'
    )
    assert re.findall(monogram, listing) == ["md"]
    assert re.findall(monogram, page) == ["xl"]
    assert f'<img class="tool-logo tool-logo--md" src="{pictured.logo.url}"' in listing
