#!/usr/bin/env python3
"""Reads, edits and writes .xlsx files with openpyxl, so tests can check PMO's workbooks against a real reader.

Usage:
  python3 scripts/xlsx_tool.py dump IN.xlsx
      Prints JSON: {"sheets": [{"name", "freeze_panes", "widths": {"A": 20.0}, "auto_filter",
      "rows": [[{"t": "s|n|d|b|null", "v": ..., "fmt": number format, "bold": bool, "wrap": bool}]]}]}
      Dates (cells openpyxl reads as datetime) are ISO text; t is "d" only for those.
  python3 scripts/xlsx_tool.py set IN.xlsx OUT.xlsx SHEET CELL VALUE [--date|--number|--bool]
      Sets one cell (text unless a flag says otherwise; --date takes YYYY-MM-DD) and saves as OUT.
  python3 scripts/xlsx_tool.py set-many IN.xlsx OUT.xlsx JSON
      Sets several cells at once: JSON is a list of [SHEET, CELL, VALUE, FLAG] (FLAG as for set, or null); a VALUE
      of null empties the cell.
  python3 scripts/xlsx_tool.py make OUT.xlsx [--iso-dates]
      Writes a workbook the way openpyxl does (shared strings, dates with its default formats, Japanese text,
      rich text, a formula without a cached value, a sparse cell, two sheets). --iso-dates stores dates as
      ISO text cells (t="d").
Needs: pip install openpyxl. Exits 3 with a message when openpyxl is missing.
"""
import datetime
import json
import sys

try:
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.styles import Font
except ImportError:
    print("openpyxl is not installed: run `pip install openpyxl`", file=sys.stderr)
    sys.exit(3)


def cell_json(cell):
    value = cell.value
    if value is None:
        t, v = "null", None
    elif isinstance(value, bool):
        t, v = "b", value
    elif isinstance(value, (datetime.datetime, datetime.date)):
        t = "d"
        v = value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat()
    elif isinstance(value, (int, float)):
        t, v = "n", value
    else:
        t, v = "s", str(value)
    return {
        "t": t,
        "v": v,
        "fmt": cell.number_format,
        "bold": bool(cell.font and cell.font.b),
        "wrap": bool(cell.alignment and cell.alignment.wrap_text),
    }


def dump(path):
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        widths = {
            letter: dim.width
            for letter, dim in ws.column_dimensions.items()
            if dim.customWidth or dim.width not in (None, 13.0)
        }
        sheets.append(
            {
                "name": ws.title,
                "freeze_panes": ws.freeze_panes,
                "widths": widths,
                "auto_filter": ws.auto_filter.ref,
                "rows": [[cell_json(c) for c in row] for row in ws.iter_rows()],
            }
        )
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


def set_cell(src, dst, sheet, ref, value, flag=None):
    wb = openpyxl.load_workbook(src)
    put(wb[sheet], ref, value, flag)
    wb.save(dst)


def set_many(src, dst, edits):
    wb = openpyxl.load_workbook(src)
    for sheet, ref, value, flag in json.loads(edits):
        put(wb[sheet], ref, value, flag)
    wb.save(dst)


def put(ws, ref, value, flag):
    if value is None:
        ws[ref] = None
        return
    if flag == "--date":
        ws[ref] = datetime.date.fromisoformat(value)
        ws[ref].number_format = "yyyy-mm-dd"
    elif flag == "--number":
        ws[ref] = float(value) if "." in value else int(value)
    elif flag == "--bool":
        ws[ref] = value.lower() == "true"
    else:
        ws[ref] = value


def make(dst, iso_dates=False):
    wb = openpyxl.Workbook()
    wb.iso_dates = iso_dates
    ws = wb.active
    ws.title = "課題一覧"
    ws.append(["ID", "件名", "期限", "見積", "完了", "更新"])
    for c in ws[1]:
        c.font = Font(bold=True)
    ws.append(["PMO-1", "結合テスト遅延", datetime.date(2026, 11, 21), 3.5, False, datetime.datetime(2026, 11, 21, 13, 45)])
    ws.append(["PMO-2", 'XML <&>"\' 特殊', datetime.date(2027, 1, 5), 12, True, None])
    ws["C3"].number_format = "yyyy/m/d"  # a custom date format
    ws["A4"] = "PMO-3"
    ws["B4"] = CellRichText([TextBlock(InlineFont(b=True), "太字"), "と標準"])
    ws["D4"] = "=D2*2"  # a formula: openpyxl stores no cached value
    ws["F6"] = "離れたセル"  # sparse: rows 5 and cells B6..E6 are absent
    ws2 = wb.create_sheet("Second")
    ws2["A1"] = "only"
    ws2["B2"] = 42
    wb.save(dst)


def main(argv):
    if len(argv) >= 2 and argv[0] == "dump":
        dump(argv[1])
    elif len(argv) >= 6 and argv[0] == "set":
        set_cell(argv[1], argv[2], argv[3], argv[4], argv[5], argv[6] if len(argv) > 6 else None)
    elif len(argv) == 4 and argv[0] == "set-many":
        set_many(argv[1], argv[2], argv[3])
    elif len(argv) >= 2 and argv[0] == "make":
        make(argv[1], iso_dates="--iso-dates" in argv[2:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
