"""Report stage: the weekly report, self-contained HTML with its charts.

`week` gathers a week from the published warehouse's `rpt_` tables and renders the week's page and
the index; `pages` renders a page per campaign and per group; `html_text` keeps untrusted text
inert (escaped, bidirectional runs isolated); `files` writes every file atomically.
"""

from chorus.report.week import Week, report

__all__ = ["Week", "report"]
