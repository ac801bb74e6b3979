"""The law: which statutes exist and what rights each gives, how their time limits are counted (public
holidays included), and the supervisory authorities a complaint goes to.

Imports only the shared bottom pieces (objector.errors, .resources, .text, .clock); nothing above it.
"""
