"""Importing another tool's export: reading, column planning and validating every row (no database).

    .venv/bin/python benchmarks/imports.py [--rows 20000] [--repeat 3]

Builds an ODK Central-style CSV of the parents' survey (metadata columns, group-prefixed names, one
instanceID per row) and times `read_table` + `plan_columns` + `prepare_rows` (each row validated
by the instrument's own validator, as a submission is). Prints seconds and rows per second per run.
The database insert (one `executemany` in a transaction) is not timed here.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pmp_surveys.instruments.loader import load_instrument_dir
from pmp_surveys.instruments.validation import AnswerValidator
from pmp_surveys.responses.import_columns import plan_columns
from pmp_surveys.responses.import_rows import prepare_rows
from pmp_surveys.responses.import_sources import ImportMapping, read_table

HEADER = (
    "SubmissionDate,start,end,deviceid,programme,overall_satisfaction,aspects-aspect_topics,aspects-aspect_leader,"
    "aspects-aspect_atmosphere,aspects-aspect_skills,would_recommend,confidence_change,child_age,comment,meta-instanceID"
)


def row(i: int) -> str:
    when = "2024-05-14T18:03:11.512Z"
    return f"{when},{when},{when},collect:abc,cap,{1 + i % 5},4,5,3,4,yes,4,age_13_17,,uuid:{i:08d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent.parent
    [instrument] = [i.instrument for i in load_instrument_dir(root / "surveys") if i.key == "parent-satisfaction"]
    validator = AnswerValidator(instrument)
    data = ("\n".join([HEADER, *(row(i) for i in range(args.rows))]) + "\n").encode()
    for run in range(1, args.repeat + 1):
        start = time.perf_counter()
        table = read_table(data, "odk.csv")
        plan, _ = plan_columns(table.columns, table.rows, instrument, ImportMapping())
        prepared = prepare_rows(table, plan, instrument, validator, ImportMapping())
        seconds = time.perf_counter() - start
        assert len(prepared.rows) == args.rows and not prepared.problems
        print(f"run {run}: {args.rows} rows in {seconds:.2f} s ({args.rows / seconds:,.0f} rows/s)")


if __name__ == "__main__":
    main()
