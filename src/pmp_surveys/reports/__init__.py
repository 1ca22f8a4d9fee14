"""The mid-term evaluation report: HTML (self-contained), XLSX, JSON and PDF from one frozen model.

- :func:`~pmp_surveys.reports.build.build_report` — evaluation + per-survey details (async, DB);
- :func:`~pmp_surveys.reports.html.render_html`, :func:`~pmp_surveys.reports.xlsx.render_xlsx`,
  :func:`~pmp_surveys.reports.pdf.render_pdf` — the writers;
- :func:`~pmp_surveys.reports.files.write_report` — every file into a directory (the CLI).
"""
