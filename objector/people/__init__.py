"""Who is involved: the person's profile (name, address, accounts, language) and the registry of
controllers (the companies letters go to, each entity as its own privacy policy names it).

Imports objector.law and the shared bottom pieces; never the journal, the letters or the tracking.
"""
