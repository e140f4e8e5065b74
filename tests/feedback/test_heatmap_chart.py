"""The team heatmap as SVG."""

from __future__ import annotations

from leadshift.reports.charts import HeatCell, HeatRow, capability_heatmap_chart


def test_the_heatmap_shows_each_estimate_its_interval_and_an_empty_cell():
    svg = capability_heatmap_chart(
        [
            HeatRow("Ada", [HeatCell(2.4, 2.0, 2.8, 3), HeatCell(None)], note="not yet"),
            HeatRow("Bo", [HeatCell(4.0, None, None, 3), HeatCell(3.1, 1.5, 4.7, 3)]),
        ],
        ["Adaptability and continuous learning", "Vision"],
    )
    assert svg.startswith("<svg") and "learning" in svg
    assert "Ada, Adaptability and continuous learning: 2.4 (80% interval 2.0–2.8)" in svg
    assert "Ada, Vision: no rating" in svg and "not yet" in svg
    # The wide interval is paler than the narrow one.
    assert "fill-opacity='0.72'" in svg and "fill-opacity='0.30'" in svg
