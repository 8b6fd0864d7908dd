"""Uploads as a browser sends them: CSV text and XLSX workbooks built on the fly."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

VILLAGE_HEADER = ["name", "kind", "households", "residents", "smartphone_users"]
COUNT_HEADER = ["village", "group", "date", "members"]


def csv_upload(rows, *, name="data.csv", bom=False, delimiter=",") -> SimpleUploadedFile:
    text = "\r\n".join(delimiter.join(str(cell) for cell in row) for row in rows) + "\r\n"
    data = ("\ufeff" if bom else "") + text
    return SimpleUploadedFile(name, data.encode("utf-8"), content_type="text/csv")


def xlsx_upload(rows, *, name="data.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(
        name,
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def raw_upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
