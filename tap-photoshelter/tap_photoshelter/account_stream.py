"""The PhotoShelter `source_account` record (see pim_dam_core.source_account for why it
exists): the organisation the session is bound to, which the login answers, so no request
of its own."""

from __future__ import annotations

from pim_dam_core.source_account import SourceAccountStream, source_account_schema


class PhotoShelterSourceAccountStream(SourceAccountStream):
    """The environment and PhotoShelter organisation of this run (one record)."""

    schema = source_account_schema("The organisation id the session is bound to.")

    def identity(self) -> tuple[str, str, str]:
        api = self._tap.api  # type: ignore[attr-defined]
        return api.settings.api_url, api.org_id, "organisation the session is bound to"
