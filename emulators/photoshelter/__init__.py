"""Emulated PhotoShelter API v4.0 (Brands): JSON:API envelopes, token sessions, media search."""
