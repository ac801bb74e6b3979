"""Hostile input and faults (issue 12): each input or fault, the exit code and the one line it gives.

Folders objector did not create keep their permissions; a lost journal is reported, never recreated;
bad characters, wrong types, deep nesting, huge fields and duplicate batch rows are input errors (exit 3);
exports are safe to open in a spreadsheet and printed journal text cannot drive the terminal.
"""

from __future__ import annotations

import stat
from datetime import date

import pytest

from helpers import one_line_error, write_profile
from journal_helpers import REF, add
from objector.journal import Journal
from objector.tracking.events import log_note


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --------------------------------------------------------------------------- folders


def test_an_existing_data_folder_keeps_its_permissions(invoke, objector_home):
    objector_home.mkdir(mode=0o755)
    objector_home.chmod(0o755)
    add()
    assert invoke("log", "note", REF, "x", "--evidence", write_proof(objector_home.parent)).exit_code == 0
    assert mode(objector_home) == 0o755
    assert mode(objector_home / "evidence") == 0o700  # created by objector: private
    assert mode(objector_home / "journal.sqlite3") == 0o600


def test_created_folders_and_their_missing_parents_are_private(invoke, objector_home, monkeypatch, tmp_path):
    home = tmp_path / "a" / "b" / "home"
    monkeypatch.setenv("OBJECTOR_HOME", str(home))
    add()
    assert [mode(p) for p in (tmp_path / "a", tmp_path / "a" / "b", home)] == [0o700] * 3


def test_tmp_as_data_folder_is_not_tightened(invoke, monkeypatch, tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    monkeypatch.setenv("OBJECTOR_HOME", str(shared))
    add()
    assert mode(shared) == 0o1777


def test_batch_into_the_current_folder_leaves_it_as_it_is(invoke, tmp_path):
    tmp_path.chmod(0o755)
    (tmp_path / "rows.csv").write_text("kind,controller,name,email,street,city,country\n", "utf-8")
    result = invoke("batch", "rows.csv", "-d", ".")
    assert result.exit_code == 0, result.output
    assert mode(tmp_path) == 0o755


def write_proof(folder, name: str = "proof.txt", content: str = "proof"):
    path = folder / name
    path.write_text(content, "utf-8")
    return path


# --------------------------------------------------------------------------- a lost journal


@pytest.fixture
def journal_with_evidence(invoke, objector_home, tmp_path):
    add()
    result = invoke("log", "note", REF, "called them", "--on", "2025-01-05", "--evidence", write_proof(tmp_path))
    assert result.exit_code == 0, result.output
    return objector_home / "journal.sqlite3"


COMMANDS_THAT_OPEN_THE_JOURNAL = [
    ("status",), ("status", "--json"), ("show", REF), ("export",), ("calendar", "-o", "x.ics"),
    ("log", "note", REF, "again"),
]


@pytest.mark.parametrize("args", COMMANDS_THAT_OPEN_THE_JOURNAL)
def test_a_journal_truncated_to_nothing_is_loss_for_every_command(invoke, journal_with_evidence, args):
    journal_with_evidence.write_bytes(b"")
    for leftover in ("-wal", "-shm"):
        journal_with_evidence.with_name(journal_with_evidence.name + leftover).unlink(missing_ok=True)
    one_line_error(invoke(*args), 7, "is empty (0 bytes): its records were lost")
    assert journal_with_evidence.read_bytes() == b""  # never rewritten


def test_verify_reports_an_emptied_journal_as_tampering(invoke, journal_with_evidence):
    journal_with_evidence.write_bytes(b"")
    one_line_error(invoke("verify"), 8, "is empty (0 bytes): its records were lost")
    one_line_error(invoke("verify", "--json"), 8, "records were lost")
    assert journal_with_evidence.stat().st_size == 0


@pytest.mark.parametrize("args", [("verify",), *COMMANDS_THAT_OPEN_THE_JOURNAL])
def test_a_deleted_journal_beside_its_evidence_is_loss(invoke, journal_with_evidence, args):
    for leftover in ("", "-wal", "-shm"):
        journal_with_evidence.with_name(journal_with_evidence.name + leftover).unlink(missing_ok=True)
    code = 8 if args[0] == "verify" else 7
    one_line_error(invoke(*args), code, "is missing but its evidence folder", "records were lost")
    assert not journal_with_evidence.exists()  # not silently recreated


def test_a_deleted_journal_is_not_recreated_by_a_new_letter(invoke, journal_with_evidence, tmp_path):
    journal_with_evidence.unlink()
    profile = write_profile(tmp_path)
    result = invoke("letter", "objection", "meta", "--profile", profile, "-f", "txt")
    one_line_error(result, 7, "records were lost")
    assert not journal_with_evidence.exists()


def test_a_new_journal_is_never_an_empty_file(tmp_path):
    path = tmp_path / "data" / "journal.sqlite3"
    with Journal.open(path) as journal:
        assert path.stat().st_size > 0 and journal.count() == (0, 0)
    assert sorted(p.name for p in path.parent.iterdir() if not p.name.startswith("journal.sqlite3")) == []


# --------------------------------------------------------------------------- characters and types in a profile


def profile_text(folder, text: str):
    path = folder / "profile.toml"
    path.write_text(text, "utf-8")
    return path


GOOD_TOML = '''name = "Jana Nováková"
email = "jana@example.org"
language = "en"
[address]
lines = ["Dlouhá 12"]
postcode = "110 00"
city = "Praha"
country = "CZ"
'''


@pytest.mark.parametrize(("name", "fragment"), [
    ("Jana\x00Nováková", "name: contains a control character (U+0000) at character 5"),
    ("Jana\x1b[31mNováková", "name: contains a control character (U+001B) at character 5"),
    ("Jana\x07", "name: contains a control character (U+0007) at character 5"),
    ("Jana\x7f", "name: contains a control character (U+007F) at character 5"),
    ("Jana\u202eávokávoN", "name: contains a bidirectional override (U+202E RIGHT-TO-LEFT OVERRIDE) at character 5"),
    ("\u2067Jana", "name: contains a bidirectional override (U+2067 RIGHT-TO-LEFT ISOLATE) at character 1"),
    ("\u200b\u200d\u2060", "name: contains only invisible characters"),
    ("\u3164", "name: contains only invisible characters"),
    ("\u00ad\u2060", "name: contains only invisible characters"),
    ("Jana \u200fNováková", "name: contains a direction mark (U+200F RIGHT-TO-LEFT MARK) at character 6"),
    ("Jana\u200e", "name: contains a direction mark (U+200E LEFT-TO-RIGHT MARK) at character 5"),
    ("\u061cJana", "name: contains a direction mark (U+061C ARABIC LETTER MARK) at character 1"),
    ("Me\ufeffta", "name: contains an invisible character (U+FEFF ZERO WIDTH NO-BREAK SPACE) at character 3"),
])
def test_harmful_characters_in_a_name_are_refused_naming_the_field(invoke, tmp_path, name, fragment):
    path = write_profile(tmp_path, name=name)
    one_line_error(invoke("profile", "show", "--profile", path), 3, fragment)


@pytest.mark.parametrize(("field", "value", "label"), [
    ("city", "Pra\x00ha", "address.city: contains a control character (U+0000)"),
    ("lines", ["Dlouhá\u202d 12"], "address.lines: contains a bidirectional override (U+202D"),
    ("postcode", "\x0c110", "address.postcode: contains a control character (U+000C)"),
])
def test_harmful_characters_in_the_address_are_refused(invoke, tmp_path, field, value, label):
    path = write_profile(tmp_path, address={field: value})
    one_line_error(invoke("profile", "show", "--profile", path), 3, label)


def test_ordinary_names_from_every_script_pass(invoke, tmp_path):
    for name in ("Zoë O'Brien-Łukasiewicz", "Ἀλέξανδρος", "محمد", "渡辺 美咲", "Nguyễn Thị Minh Khai", "Ana María\u200dX"):
        path = write_profile(tmp_path, name=name)
        result = invoke("profile", "show", "--profile", path, "--json")
        assert result.exit_code == 0, (name, result.output)


@pytest.mark.parametrize(("line", "fragment"), [
    ("name = 5", "name: expected text in quotes, not the number 5"),
    ('name = ["Jana", "Nováková"]', "name: expected text in quotes, not a list"),
    ("name = true", "name: expected text in quotes, not true/false"),
    ('name = {first = "Jana"}', "name: expected text in quotes, not a table"),
    ("name = 1979-05-27", "name: expected text in quotes, not a date"),
    ('email = ["jana@example.org"]', "email: expected text in quotes, not a list"),
    ("language = 1", "language: expected text in quotes, not the number 1"),
])
def test_wrong_toml_types_are_refused_not_stringified(invoke, tmp_path, line, fragment):
    key = line.split(" = ")[0]
    text = "\n".join(line if row.startswith(f"{key} = ") else row for row in GOOD_TOML.splitlines())
    one_line_error(invoke("profile", "show", "--profile", profile_text(tmp_path, text)), 3, fragment)


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("postcode", "11000", "address.postcode: expected text in quotes, not the number 11000"),
    ("city", '["Praha"]', "address.city: expected text in quotes, not a list"),
    ("country", "42", "country: expected text in quotes, not the number 42"),
])
def test_wrong_types_in_the_address_are_refused(invoke, tmp_path, key, value, fragment):
    text = "\n".join(f"{key} = {value}" if row.startswith(f"{key} = ") else row for row in GOOD_TOML.splitlines())
    one_line_error(invoke("profile", "show", "--profile", profile_text(tmp_path, text)), 3, fragment)


def test_deeply_nested_toml_is_an_input_error(invoke, tmp_path):
    path = profile_text(tmp_path, GOOD_TOML.replace('name = "Jana Nováková"', "name = " + "[" * 5000 + "]" * 5000))
    one_line_error(invoke("profile", "show", "--profile", path), 3, "is not a valid TOML profile")


def test_a_huge_profile_is_refused_before_it_is_parsed(invoke, tmp_path):
    lines = ", ".join(['"x"'] * 40_000)
    path = profile_text(tmp_path, GOOD_TOML.replace('lines = ["Dlouhá 12"]', f"lines = [{lines}]"))
    one_line_error(invoke("profile", "show", "--profile", path), 3, "is not a profile: larger than 64 KiB")


# --------------------------------------------------------------------------- e-mail headers


@pytest.mark.parametrize("name", ['Eve", "attacker@evil.example', "Doe, John <john@evil.example>", 'Ann "the" Lee'])
def test_eml_from_and_to_carry_exactly_one_address_whatever_the_name(name):
    import email
    from email import policy

    from objector.letters.eml import build_eml

    raw = build_eml(sender_name=name, sender_email="jana@example.org", recipient_name=name,
                    recipient_email="privacy@example.com", subject="Objection", body="Text", pdf=b"%PDF-1.7",
                    pdf_name="x.pdf", on=date(2026, 1, 2), reference=REF)
    message = email.message_from_bytes(raw, policy=policy.default)
    for header, address in (("From", "jana@example.org"), ("To", "privacy@example.com")):
        addresses = message[header].addresses
        assert [a.addr_spec for a in addresses] == [address]
        assert addresses[0].display_name == name


# --------------------------------------------------------------------------- batch files

BATCH_HEADER = "kind,controller,name,email,street,city,country,date,format"
BATCH_ROW = "objection,meta,Jana Nováková,jana@example.org,Dlouhá 12,Praha,CZ,2026-11-27,txt"


def batch_file(tmp_path, *lines: str, header: str = BATCH_HEADER):
    path = tmp_path / "rows.csv"
    path.write_text("\n".join([header, *lines]) + "\n", "utf-8")
    return path


def test_a_header_naming_a_column_twice_is_refused(invoke, tmp_path):
    batch_file(tmp_path, BATCH_ROW + ",Other", header=BATCH_HEADER + ",name")
    one_line_error(invoke("batch", "rows.csv"), 3, "the header names the column(s) name more than once")
    assert not (tmp_path / "letters").exists()


def test_extra_cells_and_identical_rows_are_reported_and_skipped(invoke, tmp_path, objector_home):
    other = BATCH_ROW.replace("Jana Nováková", "Petr Novák")
    batch_file(tmp_path, BATCH_ROW, BATCH_ROW + ",surplus", BATCH_ROW, other)
    result = invoke("batch", "rows.csv", "-j", "1")
    assert result.exit_code == 3, result.output
    assert result.stderr.splitlines() == [
        "objector: warning: skipped row 2 (line 3): 10 cells but the header has 9 columns (a comma too many, "
        "or a cell not in quotes?)",
        "objector: warning: skipped row 3 (line 4): identical to row 1 (line 2): the same letter would be written twice",
    ]
    assert "2 letters written" in result.stdout and "2 rows failed" in result.stdout
    assert len(list((tmp_path / "letters").glob("*.txt"))) == 2


@pytest.mark.parametrize(("content", "fragment"), [
    (BATCH_HEADER + "\n" + BATCH_ROW.replace("Praha", "Pra\rha") + "\n",
     "rows.csv: line 2: a line break (a bare carriage return) inside a cell that is not in quotes"),
    (BATCH_HEADER + "\n" + BATCH_ROW.replace("Praha", '"' + "P" * 131_073 + '"') + "\n",
     "rows.csv: line 2: a cell is longer than 131,072 characters"),
    (BATCH_HEADER + "\n" + BATCH_ROW.replace("Praha", "P" * 131_073) + "\n",
     "rows.csv: line 2: a cell is longer than 131,072 characters"),
])
def test_malformed_csv_is_one_input_error(invoke, tmp_path, content, fragment):
    (tmp_path / "rows.csv").write_text(content, "utf-8", newline="")
    one_line_error(invoke("batch", "rows.csv"), 3, fragment)


def test_a_quoted_carriage_return_is_folded_like_any_line_break(invoke, tmp_path):
    batch_file(tmp_path, BATCH_ROW.replace("Dlouhá 12", '"Dlouhá\r12"'))
    result = invoke("batch", "rows.csv", "-j", "1")
    assert result.exit_code == 0, result.output
    assert "Dlouhá 12" in next((tmp_path / "letters").glob("*.txt")).read_text("utf-8")


def test_batch_size_caps(invoke, tmp_path, monkeypatch):
    from objector.letters import batch

    monkeypatch.setattr(batch, "BATCH_MAX_ROWS", 3)
    batch_file(tmp_path, *[BATCH_ROW.replace("Jana", f"Jana{i}") for i in range(4)])
    one_line_error(invoke("batch", "rows.csv"), 3, "rows.csv: more than 3 rows; split it into several files")
    monkeypatch.setattr(batch, "BATCH_MAX_BYTES", 2**20)
    (tmp_path / "big.csv").write_text(BATCH_HEADER + "\n" + (BATCH_ROW + "\n") * 20_000, "utf-8")
    one_line_error(invoke("batch", "big.csv"), 3, "batch file: big.csv is larger than 1 MiB")


def test_the_batch_caps_are_the_documented_constants():
    from objector import csv_input
    from objector.letters import batch
    from objector.people import profile

    assert (batch.BATCH_MAX_ROWS, batch.BATCH_MAX_BYTES) == (10_000, 16 * 2**20)
    assert csv_input.CSV_FIELD_MAX == 131_072 and profile.PROFILE_MAX_BYTES == 65_536


def test_harmful_characters_in_a_batch_row_name_the_row_and_field(invoke, tmp_path):
    batch_file(tmp_path, BATCH_ROW.replace("Jana Nováková", "Jana\u202eX"))
    result = invoke("batch", "rows.csv", "-j", "1")
    assert result.exit_code == 3
    assert "skipped row 1 (line 2): name: contains a bidirectional override (U+202E" in result.stderr


# --------------------------------------------------------------------------- journal text on a terminal and in a spreadsheet

ESCAPE = "\x1b[2J\x1b]0;pwned\x07"


def journal_with_hostile_text(objector_home, tmp_path):
    add(controller="meta-ireland")
    with Journal.open() as journal, journal.transaction():  # as an import from elsewhere could bring it
        journal._append(REF, "note", date(2025, 1, 3), {"note": f"call {ESCAPE}back \u202eevil"})
    proof = tmp_path / f"proof{ESCAPE}.txt"
    proof.write_text("proof", "utf-8")
    with Journal.open() as journal:
        log_note(journal, REF, "see file", on=date(2025, 1, 4), evidence=[proof], today=date(2025, 6, 30))


@pytest.mark.parametrize("args", [("show", REF), ("status", "--all"), ("log", "note", REF, "ok", "--on", "2025-01-05")])
def test_notes_and_evidence_names_print_without_terminal_escapes(invoke, objector_home, tmp_path, args):
    journal_with_hostile_text(objector_home, tmp_path)
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout and "\u202e" not in result.stdout
    if args[0] == "show":
        shown = "".join(result.stdout.split())  # the table wraps long cells
        assert "call\\x1b[2J\\x1b]0;pwned\\x07back\\u202eevil" in shown
        assert "proof\\x1b[2J\\x1b]0;pwned\\x07.txt" in shown


def test_a_note_with_control_characters_is_refused_at_the_door(invoke, objector_home):
    add()
    one_line_error(invoke("log", "note", REF, "x\x1b[31m"), 3, "note: contains a control character (U+001B)")
    one_line_error(invoke("log", "reply", REF, "--outcome", "refused", "--note", "\u202e"), 3,
                   "note: contains a bidirectional override")


@pytest.mark.parametrize("formula", ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)",
                                     "\tTAB", "\rCR", "'quoted"])
def test_csv_export_neutralises_formulas_and_imports_back_exactly(invoke, objector_home, tmp_path, formula):
    add(document=f"{formula}.pdf")
    with Journal.open() as journal, journal.transaction():
        journal._append(REF, "note", date(2025, 1, 3), {"note": formula})
    result = invoke("export", "--format", "csv", "-o", "out.csv")
    assert result.exit_code == 0, result.output
    import csv

    with open(tmp_path / "out.csv", newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert f"'{formula}" in cells and f"'{formula}.pdf" in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    before = export_without_time(objector_home)
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"):
        (objector_home / name).unlink(missing_ok=True)
    imported = invoke("import", "out.csv")
    assert imported.exit_code == 0, imported.output
    assert export_without_time(objector_home) == before


def export_without_time(home):
    with Journal.open(home / "journal.sqlite3") as journal:
        data = journal.export_data()
    del data["exported_at"]
    return data


# --------------------------------------------------------------------------- import of a hostile export


@pytest.fixture
def export(invoke, objector_home, tmp_path):
    import json

    add()
    assert invoke("log", "sent", REF, "--on", "2025-01-03", "--via", "email").exit_code == 0
    assert invoke("export", "-o", "export.json").exit_code == 0
    data = json.loads((tmp_path / "export.json").read_text("utf-8"))
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm"):
        (objector_home / name).unlink(missing_ok=True)

    def write(change) -> str:
        changed = json.loads(json.dumps(data))
        change(changed)
        (tmp_path / "hostile.json").write_text(json.dumps(changed), "utf-8")
        return "hostile.json"

    return write


def test_import_refuses_an_unknown_event_type(invoke, export):
    path = export(lambda d: d["events"][1].update(type="deleted"))
    one_line_error(invoke("import", path), 3, "hostile.json: event #2 has the unknown type 'deleted' (objector records "
                   "drafted, sent, confirmed, reply, supplied, note, reminder, discarded); nothing was imported")


def test_import_names_an_event_whose_request_is_missing(invoke, export):
    path = export(lambda d: d["events"][1].update(reference="OBJ-2026-000000"))
    one_line_error(invoke("import", path), 3, "hostile.json: event #2 (sent) belongs to the request "
                   "'OBJ-2026-000000', which the export does not hold; nothing was imported")


@pytest.mark.parametrize(("seqs", "fragment"), [
    ((0, 1), "event number 0 is not a positive number"),
    ((1, 1), "event number 1 comes after event #1"),
    ((2, 1), "event number 1 comes after event #2"),
    ((-5, 1), "event number -5 is not a positive number"),
])
def test_import_refuses_events_numbered_out_of_order(invoke, export, seqs, fragment):
    def renumber(d):
        for event, seq in zip(d["events"], seqs, strict=True):
            event["seq"] = seq

    one_line_error(invoke("import", export(renumber)), 3, fragment, "nothing was imported")


def test_import_of_deeply_nested_json_is_an_input_error(invoke, tmp_path):
    (tmp_path / "deep.json").write_text("{\"a\":" + "[" * 100_000 + "]" * 100_000 + "}", "utf-8")
    one_line_error(invoke("import", "deep.json"), 3, "deep.json is not a journal export: nested too deeply")


def test_import_of_a_csv_with_a_huge_cell_is_an_input_error(invoke, tmp_path):
    from objector.journal.transfer import CSV_COLUMNS

    (tmp_path / "big.csv").write_text(",".join(CSV_COLUMNS) + "\n1," + "x" * 140_000 + "\n", "utf-8")
    one_line_error(invoke("import", "big.csv"), 3, "big.csv: line 2: a cell is longer than 131,072 characters")


def test_verify_names_an_event_numbered_zero_plainly(objector_home):
    import sqlite3

    add()
    with sqlite3.connect(objector_home / "journal.sqlite3") as conn:
        conn.execute("INSERT INTO events SELECT 0, reference, 'note', on_date, recorded_at, data, prev_hash, hash "
                     "FROM events WHERE seq = 1")
    conn.close()
    with Journal.open() as journal:
        problems = journal.verify().problems
    assert problems == (f"event #0 ({REF}, note 2025-01-02) added: numbered out of order, after event #0",)


# --------------------------------------------------------------------------- evidence is streamed


def test_evidence_is_hashed_copied_and_exported_without_being_read_whole(objector_home, tmp_path):
    import hashlib
    import json
    import tracemalloc

    add()
    big = tmp_path / "recording.bin"
    with open(big, "wb") as handle:
        for i in range(32):
            handle.write(bytes([i]) * (1 << 20))
    tracemalloc.start()
    try:
        with Journal.open() as journal:
            event = log_note(journal, REF, "the call", on=date(2025, 1, 3), evidence=[big], today=date(2025, 6, 30))
            with open(tmp_path / "export.json", "wb") as out:
                journal.write_json_export(out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 12 * 2**20, f"{peak / 2**20:.1f} MiB for a 32 MiB file"
    digest = hashlib.sha256(big.read_bytes()).hexdigest()
    assert event.evidence[0].sha256 == digest and event.evidence[0].size == 32 << 20
    assert (objector_home / "evidence" / digest).read_bytes() == big.read_bytes()
    assert not [p for p in (objector_home / "evidence").iterdir() if p.name != digest]  # no temporary copy left
    exported = json.loads((tmp_path / "export.json").read_text("utf-8"))
    with Journal.open() as journal:
        assert exported == json.loads(journal.export_json()) | {"exported_at": exported["exported_at"]}
        assert set(exported["evidence"]) == {digest}
