"""``osb-batch init``: a new working folder with the default rules.toml and the templates."""

from __future__ import annotations

from pathlib import Path

from osb_batch import catalogue as catalogue_mod
from osb_batch import settings as settings_mod
from osb_batch.workspace import Home


def init_folder(directory: Path) -> list[Path]:
    """Create what is missing; never overwrite an existing rules.toml or template."""
    home = Home(directory)
    created = []
    for folder in (home.inbox, home.outbox, home.archive, home.quarantine, home.state, home.templates):
        if not folder.exists():
            folder.mkdir(parents=True)
            created.append(folder)
    if not home.rules.exists():
        home.rules.write_text(settings_mod.DEFAULT_RULES_TEXT, encoding="utf-8")
        created.append(home.rules)
    if not any(home.templates.glob("*.xlsx")):
        from osb_batch.writers.templates import write_templates
        settings = settings_mod.load(home.rules)
        cat = catalogue_mod.load().with_choices({"markets": settings.market_choices()})
        created += write_templates(cat, cat.version, home.templates)
    return created
