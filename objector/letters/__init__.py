"""What is written: a letter request built from the profile, the controller and the law; its context for
the Jinja2 templates; the HTML, plain text, web-form text, e-mail and PDF made from it; batches of letters
from a CSV; and the guide, which tells a person their routes in their language.

Imports objector.journal (a written letter is recorded), objector.people, objector.law and the bottom pieces;
never objector.tracking or objector.cli.
"""
