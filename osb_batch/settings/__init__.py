"""``rules.toml``: everything a user can set, declared once and loaded into frozen dataclasses.

Each key is a dataclass field made with :func:`~.checks.setting`: its annotation is its type,
its default is its default, its ``check`` is its allowed values (:mod:`.checks`). The one-table
sections are in :mod:`.sections`, the per-market tables in :mod:`.markets`, and the whole file
is :class:`Settings` (:mod:`.schema`). :mod:`.loader` derives everything from those
declarations and reports every problem at once, each naming the dotted key and its line.
"""

from .loader import DEFAULT_RULES_TEXT, SettingsError, load, parse
from .markets import SIGNER_TITLE, SIGNERS, Market, Roles
from .schema import SECTIONS, TOP_LEVEL, Settings
from .sections import (
    Budget,
    Calendar,
    Credit,
    CreditGrade,
    CreditLimits,
    Deadlines,
    Duty,
    General,
    Intake,
    Ma,
    People,
    Qc,
    Quota,
    Receivables,
    Reconciliation,
    Reporting,
    Slt,
)

__all__ = [
    "DEFAULT_RULES_TEXT", "SECTIONS", "SIGNER_TITLE", "SIGNERS", "TOP_LEVEL", "Calendar", "Credit", "Deadlines", "Duty", "General",
    "Intake", "Ma", "Market", "People", "Qc", "Quota", "Receivables", "Reconciliation", "Reporting", "Roles", "Settings",
    "SettingsError", "Slt", "load", "parse",
    "Budget", "CreditGrade", "CreditLimits",
]
