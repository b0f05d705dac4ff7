"""``osb-batch templates``: one blank workbook per form, derived from the catalogue."""

from __future__ import annotations

from pathlib import Path

from osb_batch import catalogue as catalogue_mod
from osb_batch.settings import Settings
from osb_batch.workspace import Home


def _catalogue(settings: Settings) -> catalogue_mod.Catalogue:
    return catalogue_mod.load().with_choices({"markets": settings.market_choices()})


def stale_templates(home: Home, settings: Settings) -> tuple[list[str], str]:
    """What differs between templates/xlsx and the catalogue (nothing: current), and the catalogue's version."""
    from osb_batch.writers.templates import check_templates
    cat = _catalogue(settings)
    return check_templates(cat, cat.version, home.templates), cat.version


def write_all(home: Home, settings: Settings) -> list[Path]:
    """Write every form's template into templates/xlsx/, creating the folder."""
    from osb_batch.writers.templates import write_templates
    cat = _catalogue(settings)
    home.templates.mkdir(parents=True, exist_ok=True)
    return write_templates(cat, cat.version, home.templates)
