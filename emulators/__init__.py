"""Stateful HTTP emulators of the Plytix PIM and PhotoShelter APIs, seeded from one catalogue."""
