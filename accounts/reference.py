"""Reference data shipped in fixtures/: the 41 competent departments' districts and the GB/T 4754 industries.

Loaded by a data migration (so every database has them) and again by ``seed_demo``; idempotent. Administrators may
later edit an industry's key sector; a reload keeps their choice.
"""

import csv
from pathlib import Path

from django.conf import settings

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
CITY_AUTHORITY_NAME = "重庆市经济和信息化委员会"

SECTOR_BY_NAME = {
    "电子信息": "electronics",
    "汽车": "automotive",
    "装备": "equipment",
    "化工": "chemicals",
    "材料": "materials",
    "能源": "energy",
    "消费品": "consumer_goods",
}


def _rows(name):
    with open(FIXTURES_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(district_model, industry_model, organisation_model) -> dict[str, int]:
    """Takes the model classes so a migration can pass its historical models."""
    for position, row in enumerate(_rows("chongqing_districts.csv"), start=1):
        district, _created = district_model.objects.update_or_create(
            name=row["name"].strip(),
            defaults={"code": row["code"].strip() or None, "kind": row["kind"].strip(), "position": position},
        )
        organisation_model.objects.get_or_create(
            kind="district", district=district, defaults={"name": f"{district.name}经信部门", "status": "active"}
        )
    for row in _rows("industries_gbt4754.csv"):
        industry_model.objects.get_or_create(
            code=row["code"].strip(),
            defaults={"name": row["name"].strip(), "sector": SECTOR_BY_NAME[row["sector"].strip()]},
        )
    organisation_model.objects.get_or_create(kind="city", defaults={"name": CITY_AUTHORITY_NAME, "status": "active"})
    return {"districts": district_model.objects.count(), "industries": industry_model.objects.count()}
