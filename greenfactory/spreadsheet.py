"""Excel exports: one way to write a sheet, so that what a user typed stays text.

A value that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a carriage return) becomes a live formula when a
spreadsheet program opens the file and the cell holds it as a formula (OWASP "CSV injection"): a company named
``=HYPERLINK("http://…","点击")`` would put a link in an official's sheet. Every export writes through here: text as a
string cell with Excel's quote prefix (so it stays text even when someone edits the cell), numbers as numbers, dates
as real Excel dates. Characters XML cannot hold are dropped rather than failing the whole export.

openpyxl is imported inside the functions: it is heavy and only exports need it.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


@dataclass(frozen=True)
class Column:
    title: str  # or a lazy translation
    width: float = 14
    number_format: str | None = None  # for numbers: "0.00" for 万元 with two decimals


def _text_cell(sheet, value: str):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cell = WriteOnlyCell(sheet)
    # Assigning a string that starts with "=" makes openpyxl store a formula; the type is set back to string.
    cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def cell(sheet, value, number_format: str | None = None):
    """One cell: text as text, numbers as numbers, dates and times (in Shanghai time) as dates."""
    from openpyxl.cell import WriteOnlyCell

    if value is None:
        return None
    if isinstance(value, bool):
        return _text_cell(sheet, _("是") if value else _("否"))
    if isinstance(value, int | float | Decimal):
        result = WriteOnlyCell(sheet, value=value)
        if number_format:
            result.number_format = number_format
        return result
    if isinstance(value, datetime):
        # Excel has no time zones: the official's local time is written.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        result = WriteOnlyCell(sheet, value=local.replace(tzinfo=None))
        result.number_format = number_format or DATETIME_FORMAT
        return result
    if isinstance(value, date):
        result = WriteOnlyCell(sheet, value=value)
        result.number_format = number_format or DATE_FORMAT
        return result
    return _text_cell(sheet, str(value))


def workbook_bytes(*, sheet_title: str, title: str, columns: list[Column], rows) -> tuple[bytes, int]:
    """A workbook of one sheet: a title row, a bold header row frozen above the data, the columns' widths.
    ``rows`` is any iterable of sequences (streamed, never held whole). Returns the file and the number of rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A3"
    heading = _text_cell(sheet, title)
    heading.font = Font(bold=True, size=14)
    sheet.append([heading])
    header = []
    for column in columns:
        header_cell = _text_cell(sheet, str(column.title))
        header_cell.font = Font(bold=True)
        header.append(header_cell)
    sheet.append(header)
    count = 0
    for row in rows:
        count += 1
        sheet.append([cell(sheet, value, column.number_format) for value, column in zip(row, columns, strict=True)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    from greenfactory.uploads import content_disposition

    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
