"""The one spreadsheet writer every export uses: user text as text, numbers as numbers, dates as dates."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from greenfactory.spreadsheet import Column, workbook_bytes

COLUMNS = [Column("文本", 20), Column("金额", 12, "0.00"), Column("日期", 12), Column("时间", 16), Column("是否", 6)]


def read(rows):
    content, count = workbook_bytes(sheet_title="测试", title="标题", columns=COLUMNS, rows=rows)
    return load_workbook(io.BytesIO(content)).active, count


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1+2", "@SUM(1)", '=HYPERLINK("http://x","y")', "\t=1", "普通文字"])
def test_text_is_a_string_cell_with_a_quote_prefix(text):
    ws, count = read([[text, None, None, None, None]])
    cell = ws["A3"]
    assert count == 1
    assert cell.data_type == "s" and cell.quotePrefix


def test_numbers_dates_and_times_keep_their_types():
    moment = datetime(2026, 3, 2, 2, 0, tzinfo=ZoneInfo("UTC"))
    ws, _count = read([["甲", Decimal("8600.50"), date(2026, 3, 2), moment, True]])
    amount, day, time, flag = ws["B3"], ws["C3"], ws["D3"], ws["E3"]
    assert amount.data_type == "n" and amount.value == pytest.approx(8600.5) and amount.number_format == "0.00"
    assert day.is_date and day.value.date() == date(2026, 3, 2)
    assert time.is_date and time.value.hour == 10  # written in Shanghai time
    assert flag.value == "是"
    assert ws.freeze_panes == "A3" and ws["A1"].value == "标题" and ws["A2"].value == "文本"


def test_characters_a_workbook_cannot_hold_are_dropped_not_fatal():
    ws, _count = read([["公司\x00名\x1b称", None, None, None, None]])
    assert ws["A3"].value == "公司名称"
