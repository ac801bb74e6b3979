"""Hatch build hook: compile the gettext catalogs (locales/*/LC_MESSAGES/*.po → .mo) into the wheel.

The .mo files are generated, never committed. An editable install needs none: objector compiles a
missing or stale catalog in memory when it loads it (objector/i18n.py).
"""

from __future__ import annotations

import tempfile
from io import BytesIO
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        out_dir = Path(tempfile.mkdtemp(prefix="objector-mo-"))
        for po in sorted(Path(self.root, "locales").glob("*/LC_MESSAGES/*.po")):
            lang = po.parent.parent.name
            catalog = read_po(BytesIO(po.read_bytes()), locale=lang, domain=po.stem)
            mo = out_dir / lang / f"{po.stem}.mo"
            mo.parent.mkdir(parents=True, exist_ok=True)
            with mo.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            build_data["force_include"][str(mo)] = f"objector/locales/{lang}/LC_MESSAGES/{po.stem}.mo"
