"""What a command needs before it reads anything: the catalogue bound to rules.toml's markets,
the reader's limits, and the master data references are checked against."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osb_batch import catalogue as catalogue_mod
from osb_batch.settings import Settings

from .cell_values import normalize_label
from .row_checks import Known
from .workbook import Limits

if TYPE_CHECKING:                      # the ledger is handed in open; reading never imports it
    from osb_batch.ledger.database import Ledger


def load_catalogue(settings: Settings) -> catalogue_mod.Catalogue:
    return catalogue_mod.load().with_choices({"markets": settings.market_choices()})


def limits_of(settings: Settings) -> Limits:
    i = settings.intake
    return Limits(i.header_search_rows, i.max_rows, i.max_uncompressed_mb, i.max_compression_ratio,
                  tuple(normalize_label(w) for w in i.footer_words))


def known_from(ledger: Ledger | None, settings: Settings) -> Known:
    known = Known(region_known=lambda market, region: _region_known(settings, market, region))
    if ledger is not None:
        known.customers = ledger.column("customers", "customer_code")
        known.products = ledger.column("products", "product_code")
        known.product_groups = ledger.column("products", "product_group")
    return known


def _region_known(settings: Settings, market: str | None, region: str) -> bool:
    if market:
        return settings.region_known(market, region)
    return any(settings.region_known(m.code, region) for m in settings.markets)
