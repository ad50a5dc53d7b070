"""What a person reads: charts, the PDF report and workbook, the family's statement and
the tracking report, in English and Persian.

Nothing here computes a figure; every number comes from the studies or the books, and
every word from the language's catalog (:mod:`solarcoop.present.locales`).
"""
