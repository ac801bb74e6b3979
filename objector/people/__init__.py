"""Who is involved: the person's profile (name, address, accounts, language) and the registry of
controllers (the companies letters go to, each entity as its own privacy policy names it), with the open
controller dataset as its second tier (dataset.py converts and reads it, secondary.py makes its records
controllers, search.py finds companies in both tiers, postal.py reads a free-text address).

Imports objector.law and the shared bottom pieces; never the journal, the letters or the tracking.
"""
