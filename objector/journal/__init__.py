"""The record: a SQLite journal of every request and event, with migrations, evidence kept by SHA-256,
a hash chain that `verify` checks, export and import, and the standing cache that `status` reads.

Imports objector.law (to name the laws a request may be under) and the shared bottom pieces; it knows
nothing of letters or of what a timeline means: the checks an event must pass come from the caller
(objector.tracking), passed in, never imported.
"""
