"""Choices the parser needs, kept apart so that ``biasaudit --help`` imports no data library."""

FAIL_ON = ("low", "medium", "high", "never")
LANGUAGES = ("en", "az")
DEFAULT_FORMATS = ("html", "md", "json", "csv")
#: Input file formats the readers know.
FORMATS = ("csv", "tsv", "parquet", "jsonl")
#: --task choices; the same as biasaudit._tasks.TASKS (a test checks), kept here so --help imports no numpy
TASKS = ("auto", "binary", "multiclass", "regression")
