"""What a command needs before it reads anything: the catalogue bound to rules.toml's markets,
the reader's limits, and the master data references are checked against."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osb_batch import catalogue as catalogue_mod
from osb_batch.settings import Settings
from osb_batch.text_keys import CLOSE_REGION, Matcher, region_key

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
    known = Known(region_named=settings.region_named, region_hint=lambda m, r: region_hint(settings, m, r))
    if ledger is not None:
        known.customers = ledger.column("customers", "customer_code")
        known.products = ledger.column("products", "product_code")
        known.product_groups = ledger.column("products", "product_group")
    return known


def region_hint(settings: Settings, market: str | None, region: str) -> dict[str, str]:
    """What an ``unknown-region`` finding says: the market by its name, and the market the region
    belongs to, or else the regions it is close to (zh and en)."""
    found = settings.market(market)
    params = {"market": found.code if found else "", "market_zh": f"市场{found.zh}（{found.code}）" if found
              else "任何市场", "market_en": f"market {found.en} ({found.code})" if found else "any market"}
    home = next((m for m in settings.markets if m is not found and m.regions and m.has_region(region)), None)
    if home is not None:
        named = home.region_named(region)
        return {**params, "hint_zh": f"，它属于市场{home.zh}（{home.code}）的区域“{named}”",
                "hint_en": f"; it is the region '{named}' of market {home.en} ({home.code})"}
    regions = [r for m in ((found,) if found else settings.markets) for r in m.regions]
    close = Matcher(regions, key=region_key, cutoff=CLOSE_REGION).suggest(region)
    if close:
        return {**params, "hint_zh": "，是否应为" + "、".join(f"“{c}”" for c in close) + "？",
                "hint_en": "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"}
    return params
