"""Figures for notebooks in scikit-learn's Display convention.

``SomethingDisplay.from_result(result, ...)`` reads one of the result's views and draws it;
``plot(ax=...)`` redraws on given axes; the display keeps ``ax_``, ``figure_`` and its artists.
Importing this module does not import matplotlib; drawing does. The displays are also
exported from ``biasaudit`` itself.
"""

from ._curves import GroupCalibrationDisplay, GroupRocDisplay
from ._heatmap import IntersectionHeatmapDisplay
from ._rates import DisparityDisplay, GroupRatesDisplay

__all__ = ["DisparityDisplay", "GroupCalibrationDisplay", "GroupRatesDisplay", "GroupRocDisplay",
           "IntersectionHeatmapDisplay"]
