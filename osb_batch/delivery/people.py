"""The receivers of a folder's files and their email addresses, from rules.toml and the roster."""

from __future__ import annotations

from collections.abc import Sequence

from osb_batch.rules.management_records import Person
from osb_batch.rules.recipients import GROUPS, Receivers
from osb_batch.settings import Settings

#: The roster role whose active people are mailed for a group name the roster lacks.
GROUP_ROLE = {"ssg": "SSG", "slt": "SLT"}


def receivers_of(settings: Settings, people: Sequence[Person]) -> Receivers:
    """rules.toml ``[delivery]``'s groups, and the roster's active KAMs."""
    groups = {group: tuple(getattr(settings.delivery, group)) for group in GROUPS}
    kams = tuple(dict.fromkeys(p.name for p in people if p.role == "KAM" and p.active))
    return Receivers(groups, kams)


def addresses_of(name: str, settings: Settings, people: Sequence[Person]) -> list[str]:
    """Where ``name``'s messages go: the roster's address for that name, else ``[delivery]
    addresses``; a group name of ``ssg`` or ``slt`` neither knows goes to the roster's active
    people of that role. Empty: the person gets their folder only."""
    own = [p.email for p in people if p.name == name and p.email and p.active]
    if own:
        return own[:1]
    book = settings.delivery.address_book()
    if name in book:
        return [book[name]]
    for group, role in GROUP_ROLE.items():
        if name in getattr(settings.delivery, group):
            return list(dict.fromkeys(p.email for p in people if p.role == role and p.active and p.email))
    return []
