"""Pure, synchronous statistics for indicator evaluation.

Nothing in this package imports the web framework or the database: polars frames and plain
numbers go in, frozen result objects come out. Public names are re-exported here.
"""
