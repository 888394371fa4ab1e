"""What every pim-dam-sync connector shares, written once (no singer-sdk types at import).

Modules: `urls` (which base URLs may get credentials), `redaction` (secrets out of text and
logs), `errors` (one-line error classes), `backoff` (retry waits and `Retry-After`),
`pacing` (request windows and server-reported budgets), `outcomes` (the per-record JSON Lines
log), `settings_check` (settings against the JSON schema, one line) and `cli` (the command
line: every failure one line on stderr).
"""
