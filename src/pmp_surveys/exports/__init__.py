"""Data exports for statisticians: de-identified microdata (CSV, Parquet, SPSS) and codebooks.

Layers: `repository` (SQL, asyncpg cursor), `service` (access, columns, small-cell rule),
`codebook` (variables and labels, codebook renderers), `writers` (formats), `controllers` (HTTP).
"""
