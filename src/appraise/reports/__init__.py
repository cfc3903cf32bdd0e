"""What people hand on: the single-study report, summaries and figures across studies, robvis tables, rendering."""
