"""A NetBox custom script (NetBox 4.7) that sets interface speeds from the
`interface_speeds.csv` of `dcplan export --to netbox`.

NetBox's device-type templates carry no speed, and its bulk import changes
an existing interface only by its id, which an export made before the
import cannot know. This script finds each interface by site, device and
name instead. Upload it once (Customization > Scripts > Add), then run it
with the file; NetBox's worker runs it as a background job, so a large
site meets no web timeout. Every change is change-logged as the user's.

A row naming a site, device or interface NetBox does not hold, or a speed
that is not a whole number of Kbps, fails the run and changes nothing.
"""

import csv
import io

from dcim.models import Interface
from extras.scripts import FileVar, Script
from utilities.exceptions import AbortScript


# NetBox's speed field: a positive 64-bit integer of Kbps.
MAX_SPEED_KBPS = 2**63 - 1


class SetInterfaceSpeeds(Script):
    class Meta:
        name = "dcplan: interface speeds"
        description = "Sets each interface's speed (Kbps) from dcplan's interface_speeds.csv"
        commit_default = True

    speeds = FileVar(description="interface_speeds.csv (columns site, device, name, speed)")

    def run(self, data, commit):
        text = data["speeds"].read().decode("utf-8-sig")
        wanted = {}
        for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            try:
                key = (row["site"], row["device"])
                speed = int(row["speed"])
            except (KeyError, TypeError, ValueError):
                raise AbortScript(f"line {line}: expected columns site, device, name, speed (Kbps): {row}")
            if not 0 < speed <= MAX_SPEED_KBPS:
                raise AbortScript(f"line {line}: speed {speed} Kbps is not between 1 and {MAX_SPEED_KBPS}")
            wanted.setdefault(key, {})[row["name"]] = speed
        changed = 0
        for (site, device), speeds in sorted(wanted.items()):
            held = {
                i.name: i
                for i in Interface.objects.filter(device__site__name=site, device__name=device, name__in=speeds)
            }
            missing = sorted(set(speeds) - set(held))
            if missing:
                raise AbortScript(f"{site} / {device}: no interface {', '.join(missing[:5])}")
            for name, speed in speeds.items():
                interface = held[name]
                if interface.speed == speed:
                    continue
                # Only the speed changes, checked above as NetBox's field
                # checks it: the save needs no other validation.
                interface.snapshot()
                interface.speed = speed
                interface.save(update_fields=["speed"])
                changed += 1
        self.log_success(f"{changed} interface speeds set on {len(wanted)} devices")
        return f"{changed} interface speeds set"
