"""Add every string the site needs to its Chinese catalog, untranslated; drop unused ones.

Usage: python scripts/update_site_catalog.py   (then translate the empty msgstr entries)
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from opendata.publish.messages import needed

CATALOG = (Path(__file__).resolve().parents[1]
           / "src/opendata/publish/locales/zh_Hans/LC_MESSAGES/site.po")


def main() -> None:
    if CATALOG.exists():
        with CATALOG.open("rb") as handle:
            catalog = read_po(handle, locale="zh_Hans")
    else:
        catalog = Catalog(locale="zh_Hans", project="opendata site", fuzzy=False)
    wanted = needed()
    for message in list(catalog):
        # A plural message is known by its singular.
        singular = message.id[0] if isinstance(message.id, tuple) else message.id
        if singular and singular not in wanted:
            catalog.delete(message.id)
    added = [m for m in wanted if catalog.get(m) is None]
    for message in added:
        catalog.add(message, "")
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    with CATALOG.open("wb") as handle:
        write_po(handle, catalog, width=0, sort_output=True)
    print(f"{CATALOG.name}: {len(added)} added, {len(wanted)} in use")


if __name__ == "__main__":
    main()
