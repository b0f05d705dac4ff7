"""The receivers of a folder's files and their email addresses, from rules.toml and the roster."""

from __future__ import annotations

from collections.abc import Sequence

from osb_batch.rules.management_records import ROLES, Person
from osb_batch.rules.recipients import GROUPS, Receivers
from osb_batch.settings import Settings

#: The roster role whose active people are mailed for a group name the roster lacks.
GROUP_ROLE = {"ssg": "SSG", "slt": "SLT"}


def receivers_of(settings: Settings, people: Sequence[Person]) -> Receivers:
    """rules.toml ``[delivery]``'s groups, and the roster's active KAMs. A group entry that is a
    roster role (``SLT``, ``SSG``, ``MM`` ...) stands for the roster's active people of that role."""
    groups = {group: _named(getattr(settings.delivery, group), people) for group in GROUPS}
    return Receivers(groups, _named(("KAM",), people))


def _named(entries: Sequence[str], people: Sequence[Person]) -> tuple[str, ...]:
    names: list[str] = []
    for entry in entries:
        names += [p.name for p in people if p.role == entry and p.active] if entry in ROLES else [entry]
    return tuple(dict.fromkeys(names))


def addresses_of(name: str, settings: Settings, people: Sequence[Person]) -> list[str]:
    """Where ``name``'s messages go: the roster's address for that name, else ``[delivery]
    addresses``; a group name of ``ssg`` or ``slt`` neither knows goes to the roster's active
    people of that role. Empty: the person gets their folder only."""
    listed = [p for p in people if p.name == name and p.active]
    if listed:                               # in the roster: their own address, or none (never the group's)
        return [listed[0].email] if listed[0].email else []
    book = settings.delivery.address_book()
    if name in book:
        return [book[name]]
    for group, role in GROUP_ROLE.items():
        if name in getattr(settings.delivery, group):
            return list(dict.fromkeys(p.email for p in people if p.role == role and p.active and p.email))
    return []
