"""Tables of sufficient statistics: the table type, its families, the kernel, the fingerprint.

Everything above this package (metrics, comparisons, evidence, results, reports) sees
tables, never rows.
"""

from ._binary import GroupCounts, binary_axes, count_binary, group_counts
from ._count import count_table
from ._fingerprint import Fingerprint
from ._table import Table

__all__ = ["Fingerprint", "GroupCounts", "Table", "binary_axes", "count_binary", "count_table", "group_counts"]
