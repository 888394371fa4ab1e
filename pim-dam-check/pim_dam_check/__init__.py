"""`check` and `setup`: what the settings name, held against the accounts the sync talks to."""
