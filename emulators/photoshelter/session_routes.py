"""Login, session, organisation binding and logout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from emulators.core import Request, Response
from emulators.photoshelter import auth
from emulators.photoshelter.errors import bad_request, ps_error
from emulators.photoshelter.params import body_fields
from emulators.photoshelter.serializers import resource

if TYPE_CHECKING:
    from emulators.photoshelter.app import PhotoShelterEmulator


def register(emu: PhotoShelterEmulator) -> None:
    def authenticate(request: Request) -> Response:
        fields = {**{k: v[-1] for k, v in request.query.items()}, **body_fields(request)}
        mode = fields.get("mode")
        if mode != "token":
            raise bad_request(
                f"mode must be 'token' (cookie sessions are not emulated), got {mode!r}"
            )
        email, password = fields.get("email"), fields.get("password")
        if not email or not password:
            raise bad_request("email and password are required")
        if str(email).strip().lower() != auth.EMAIL or password != auth.PASSWORD:
            raise ps_error(401, "email or password is not valid")
        session = emu.sessions.open(
            emu.store.user["id"], emu.clock.now(), int(emu.settings["max_sessions"])
        )
        org = emu.store.organization
        return Response(
            200,
            {
                "token": session.token,
                "org": [{"id": org["id"], "name": org["name"]}],
                "two_factor": False,
            },
        )

    def user_session(request: Request) -> Response:
        session = emu.current_session()
        org = emu.store.organization
        body = {
            "data": resource(
                "session",
                session.user_id,
                {
                    "email": emu.store.user["email"],
                    "first_name": emu.store.user["first_name"],
                    "last_name": emu.store.user["last_name"],
                    "organization_id": session.org_id,
                },
            )
            | {
                "relationships": {
                    "organizations": {"data": [{"id": org["id"], "type": "organization"}]}
                }
            },
            "meta": {},
        }
        includes = (request.arg("include") or "").split(",")
        if "organizations" in includes:
            body["included"] = [resource("organization", org["id"], {"name": org["name"]})]
        return Response(200, body)

    def organization_authenticate(request: Request) -> Response:
        fields = {**{k: v[-1] for k, v in request.query.items()}, **body_fields(request)}
        org_id = fields.get("org_id")
        if not org_id:
            raise bad_request("org_id is required")
        if org_id != emu.store.organization["id"]:
            raise ps_error(404, f"organization {org_id} not found for this user")
        emu.current_session().org_id = org_id
        return Response(200, {"meta": {"status": "OK"}})

    def organization_logout(request: Request) -> Response:
        """Unbinds the organisation; the session itself stays open."""
        emu.current_session().org_id = None
        return Response(200, {"meta": {"status": "OK"}})

    def logout(request: Request) -> Response:
        emu.sessions.close(emu.current_session().token)
        return Response(200, {"meta": {"status": "OK"}})

    emu.api("POST", "/authenticate", authenticate, access="key")
    emu.api("GET", "/user/session", user_session, access="session")
    emu.api("POST", "/organization/authenticate", organization_authenticate, access="session")
    emu.api("POST", "/organization/logout", organization_logout, access="session")
    emu.api("POST", "/authenticate/logout", logout, access="session")
    emu.api("GET", "/authenticate/logout", logout, access="session")
