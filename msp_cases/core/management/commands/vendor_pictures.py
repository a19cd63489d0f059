"""Copy the OpenMoji pictures the easy-read documents use (msp_cases.core.pictures) from node_modules into
static/pictures/openmoji, with OpenMoji's licence, and remove any no longer used: `manage.py vendor_pictures`
after `npm ci`, when OpenMoji is updated or a picture is changed."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from msp_cases.core import pictures

SOURCE = Path("node_modules") / "openmoji"


class Command(BaseCommand):
    help = (
        "Copy the OpenMoji pictures the easy-read PDFs use from node_modules into static/pictures/openmoji."
    )

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        source, target = base / SOURCE, base / pictures.FOLDER
        if not (source / "LICENSE.txt").exists():
            raise CommandError(f"{SOURCE} is not installed: run `npm ci` first")
        target.mkdir(parents=True, exist_ok=True)
        wanted = {f"{code}.svg" for code in pictures.used_codes()}
        for name in sorted(wanted):
            shutil.copyfile(source / "color" / "svg" / name, target / name)
        for old in target.glob("*.svg"):
            if old.name not in wanted:
                old.unlink()
        shutil.copyfile(source / "LICENSE.txt", target / "LICENSE.txt")
        self.stdout.write(f"Copied {len(wanted)} pictures into {pictures.FOLDER}")
