"""The tables of rules.toml kept once per market code: ``[markets.CODE]`` and ``[roles.CODE]``.

Each is a frozen dataclass whose ``code`` comes from the table's name and whose other fields
are its keys, declared with :func:`~osb_batch.settings.checks.setting`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from osb_batch.text_keys import region_key

from .checks import no_blanks, nonblank, norm, one_of, setting

SIGNERS = ("gm", "director", "deputy")
#: How each SLT signer is named on the workbooks they receive.
SIGNER_TITLE = {"gm": "总经理", "director": "销售总监", "deputy": "销售副总监"}


@dataclass(frozen=True, slots=True)
class Market:
    """One ``[markets.CODE]`` table; an empty ``regions`` accepts any region."""

    code: str
    zh: str = setting(check=nonblank)
    en: str = setting(check=nonblank)
    signer: str = setting(check=one_of(*SIGNERS))
    regions: tuple[str, ...] = setting((), no_blanks)
    _region_keys: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        keys = {norm(r): r for r in self.regions}
        keys.update((region_key(r), r) for r in self.regions if region_key(r) not in keys)
        object.__setattr__(self, "_region_keys", keys)

    def has_region(self, region: str) -> bool:
        """Whether ``region`` (simplified or traditional, with or without 省/市/自治区) belongs here."""
        return self.region_named(region) is not None

    def region_named(self, region: str) -> str | None:
        """The configured spelling of ``region`` (``河南省`` -> ``河南``); ``region`` itself when
        this market accepts any region; None when it is not one of this market's."""
        if not self.regions:
            return region
        return self._region_keys.get(norm(region)) or self._region_keys.get(region_key(region))


@dataclass(frozen=True, slots=True)
class Roles:
    """One ``[roles.CODE]`` table: who handles the orders of market CODE."""

    code: str
    csr: str = setting(check=nonblank)
    scr: str = setting(check=nonblank)
    bcr: str = setting(check=nonblank)
