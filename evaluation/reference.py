"""Reference data of evaluation shipped in fixtures/: the energy carriers with their tce coefficients and the
indicator systems (GB/T 36132-2018 and -2025; the green park requirements of 工信厅节函〔2016〕586号). Loaded by
a data migration, so every database has them; idempotent, and a reload never overwrites what an administrator entered
(a system already present is left as it is)."""

import csv
import json
from decimal import Decimal

from accounts.reference import FIXTURES_DIR


def load_energy_carriers(carrier_model) -> int:
    with open(FIXTURES_DIR / "energy_carriers.csv", encoding="utf-8", newline="") as handle:
        for position, row in enumerate(csv.DictReader(handle), start=1):
            carrier_model.objects.get_or_create(code=row["code"].strip(), defaults={
                "name": row["name"].strip(), "unit": row["unit"].strip(),
                "tce_per_unit": Decimal(row["tce_per_unit"]), "renewable": row["renewable"].strip() == "1",
                "position": position})
    return carrier_model.objects.count()


def _decimal(value):
    return None if value in (None, "") else Decimal(str(value))


def load_indicator_systems(system_model, area_model, indicator_model) -> int:
    with open(FIXTURES_DIR / "indicator_systems.json", encoding="utf-8") as handle:
        systems = json.load(handle)
    for data in systems:
        if system_model.objects.filter(code=data["code"], variant=data["variant"]).exists():
            continue
        subject = data.get("subject", "factory")
        has_subject = any(field.name == "subject" for field in system_model._meta.get_fields())
        if not has_subject and subject != "factory":
            continue  # migration 0002 predates the park systems; 0008 loads them
        system = system_model.objects.create(
            **({"subject": subject} if has_subject else {}),
            code=data["code"], title=data["title"], variant=data["variant"], scoring=data["scoring"],
            in_force_from=data["in_force_from"], source_note=data["source_note"], version=1)
        position = 0
        for veto in data["vetoes"]:
            position += 1
            indicator_model.objects.create(system=system, area=None, code=veto["code"], name=veto["name"],
                                           kind="veto", requirement=veto.get("requirement", ""), position=position)
        for area_position, area_data in enumerate(data["areas"], start=1):
            area = area_model.objects.create(system=system, code=area_data["code"], name=area_data["name"],
                                             weight=_decimal(area_data.get("weight")), position=area_position)
            for item in area_data["indicators"]:
                position += 1
                indicator_model.objects.create(
                    system=system, area=area, code=item["code"], group=item.get("group", ""), name=item["name"],
                    kind=item["kind"], required=item.get("required", True), points=_decimal(item.get("points")),
                    unit=item.get("unit", ""), direction=item.get("direction", "") if item["kind"] == "quantitative"
                    else "", figure=item.get("figure", ""), requirement=item.get("requirement", ""),
                    position=position)
    return system_model.objects.count()
