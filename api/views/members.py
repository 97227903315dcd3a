"""Members' public profiles."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from api import serializers as s
from api.views.conditional import DetailView


class MemberDetail(DetailView):
    """A public profile: user name, display name, when they joined."""

    serializer_class = s.MemberSerializer
    lookup_field = "username"
    lookup_url_kwarg = "username"
    queryset = User.objects.filter(is_active=True)

    def last_modified(self) -> Any:
        return None
