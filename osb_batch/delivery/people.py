"""The receivers of a folder's files, from rules.toml and the roster."""

from __future__ import annotations

from collections.abc import Sequence

from osb_batch.rules.management_records import Person
from osb_batch.rules.recipients import GROUPS, Receivers
from osb_batch.settings import Settings


def receivers_of(settings: Settings, people: Sequence[Person]) -> Receivers:
    """rules.toml ``[delivery]``'s groups, and the roster's active KAMs."""
    groups = {group: tuple(getattr(settings.delivery, group)) for group in GROUPS}
    kams = tuple(dict.fromkeys(p.name for p in people if p.role == "KAM" and p.active))
    return Receivers(groups, kams)
