"""sync-report: the static HTML page a `meltano run sync` leaves behind."""
