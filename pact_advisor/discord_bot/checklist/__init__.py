"""Interactive checklists: ``/checklist`` and the tick, page and export buttons."""
