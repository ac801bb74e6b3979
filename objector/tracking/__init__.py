"""What happens next: a request's events folded into a timeline and a state with its deadline, the checks
a new event must pass, next steps, reminders, complaints to the supervisory authority, calendars and
complaint bundles.

Imports objector.letters (reminders and complaints are letters too), objector.journal, objector.people,
objector.law and the bottom pieces; only objector.cli and objector.doctor import it.
"""
