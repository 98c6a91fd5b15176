"""Administration: ``/advisor reload | report | purge``, and the hourly retention purge."""
