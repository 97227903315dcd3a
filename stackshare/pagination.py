"""Pages of the site's long lists, counted only as far as anyone pages."""

from __future__ import annotations

from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet

# Rows a list counts at most; past it, the count reads "10,000+".
COUNT_UP_TO = 10_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]  # generic in django-stubs only: subscripted, it fails at run time
    """Django's paginator, counting a list's rows up to ``COUNT_UP_TO``.

    For the lists of what members write (posts, stacks, companies), which
    grow without bound and are rendered for every request (none is kept in
    the page cache). Performance: counting every visible post (about 99,000
    at scale 1) took 65 to 95 ms of each list page, more than all the rest
    of it; a count that stops at ten thousand reads at most that many index
    entries. A longer list says "10,000+" and pages to its ten-thousandth
    row: nobody pages five hundred pages deep, and every post or stack is
    also linked from the pages of what it is about. The catalog's lists
    (tools, a category's) count exactly: the catalog is curated, its count
    cheap, and its pages kept in the cache.
    """

    @cached_property
    def counted(self) -> int:
        """The rows, counted up to one past ``COUNT_UP_TO``."""
        if isinstance(self.object_list, QuerySet):
            # In no order: sorted, the companies were all sorted first
            # (28 ms), where any ten thousand of them will do.
            return self.object_list.order_by()[: COUNT_UP_TO + 1].count()
        return len(self.object_list)

    @cached_property
    def count(self) -> int:
        return min(self.counted, COUNT_UP_TO)

    @property
    def is_capped(self) -> bool:
        """Whether the list goes on past the rows counted."""
        return self.counted > COUNT_UP_TO
