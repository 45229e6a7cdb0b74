"""A matplotlib backend module that records what smem draws instead of opening a window.

util/record-smem-goldens.sh runs smem with MPLBACKEND=module://smem_chart_capture and this
directory on PYTHONPATH; `show()` writes the figure's texts and bars to $SMEM_CHART_OUT:
  title TEXT            the axes title
  text TEXT             each text of the axes in drawing order (pie: label, percentage)
  xtick TEXT            each x tick label (bar)
  legend TEXT           each legend entry (bar)
  bar SERIES HEIGHT     each bar, series by series (bar)
"""
import os

from matplotlib.backend_bases import FigureManagerBase as FigureManager  # noqa: F401
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas  # noqa: F401


def show(*args, **kwargs):
    import matplotlib._pylab_helpers as helpers
    from matplotlib.patches import Rectangle

    out = os.environ.get("SMEM_CHART_OUT", "smem.chart")
    lines = []
    for manager in helpers.Gcf.get_all_fig_managers():
        for ax in manager.canvas.figure.axes:
            lines.append("title %s" % ax.get_title())
            for t in ax.texts:
                lines.append("text %s" % t.get_text())
            ticks = [t.get_text() for t in ax.get_xticklabels()]
            if any(isinstance(p, Rectangle) for p in ax.patches):
                lines.extend("xtick %s" % t for t in ticks)
                legend = ax.get_legend()
                if legend:
                    lines.extend("legend %s" % t.get_text() for t in legend.get_texts())
                for i, container in enumerate(ax.containers):
                    for bar in container:
                        lines.append("bar %d %g" % (i, bar.get_height()))
    with open(out, "w") as f:
        f.write("".join(l + "\n" for l in lines))
