"""Imports a dcplan NetBox export into a real NetBox through NetBox's own
bulk-import views (the forms a user pastes the files into), then reads
NetBox back and prints what it holds as JSON on stdout.

Run with the Python of a configured NetBox (NETBOX_ROOT set), from the
Rust test tests/it/netbox.rs:

    python import_check.py EXPORT_DIR FILE...

FILE... are the export's files in import order. Everything NetBox holds
in the models dcplan exports is deleted first, so each run starts empty.
A file NetBox does not accept whole stops the run: exit 1, with NetBox's
own messages on stderr. The views run in this process (Django's test
client), so no web server timeout applies; the time of each file is
printed on stderr.
"""

import json
import os
import sys
import time
import warnings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netbox.settings")

import django  # noqa: E402

# No API token is used: NetBox's warning about token peppers is noise here.
warnings.filterwarnings("ignore", message="API_TOKEN_PEPPERS")

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

# Lets the test client keep each response's template context: a rejected
# import's form, with NetBox's messages on it.
setup_test_environment()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from dcim import models as dcim  # noqa: E402
from extras.models import Tag  # noqa: E402
from utilities.views import get_action_url  # noqa: E402

# Each file of the export, the model its import view creates, and the
# format NetBox's import form is told.
MODELS = {
    "tags.csv": Tag,
    "manufacturers.csv": dcim.Manufacturer,
    "device_roles.csv": dcim.DeviceRole,
    "rack_roles.csv": dcim.RackRole,
    "platforms.csv": dcim.Platform,
    "device_types.json": dcim.DeviceType,
    "module_types.csv": dcim.ModuleType,
    "sites.csv": dcim.Site,
    "locations.csv": dcim.Location,
    "racks.csv": dcim.Rack,
    "power_panels.csv": dcim.PowerPanel,
    "power_feeds.csv": dcim.PowerFeed,
    "devices.csv": dcim.Device,
    "module_bays.csv": dcim.ModuleBay,
    "modules.csv": dcim.Module,
    "power_ports.csv": dcim.PowerPort,
    "interfaces.csv": dcim.Interface,
    "cables.csv": dcim.Cable,
}

# Deleted first, most dependent first.
CLEAR = [
    dcim.Cable,
    dcim.Module,
    dcim.Device,
    dcim.PowerFeed,
    dcim.PowerPanel,
    dcim.Rack,
    dcim.Location,
    dcim.Site,
    dcim.ModuleType,
    dcim.DeviceType,
    dcim.Platform,
    dcim.Manufacturer,
    dcim.DeviceRole,
    dcim.RackRole,
    Tag,
]


def clear():
    for model in CLEAR:
        model.objects.all().delete()


def client():
    users = get_user_model()
    user, _ = users.objects.get_or_create(username="dcplan-ci")
    user.is_superuser = True
    user.save()
    c = Client()
    c.force_login(user)
    return c


def form_errors(response):
    """NetBox's messages for a rejected import, as text."""
    lines = []
    context = response.context
    form = context.get("form") if context is not None else None
    if form is not None:
        for field, errors in form.errors.items():
            for e in errors:
                lines.append(f"{field}: {e}")
    if not lines:
        text = response.content.decode("utf-8", "replace")
        lines.extend(line.strip() for line in text.splitlines() if "alert" in line or "Record" in line)
        lines = lines[:40] or [text[:2000]]
    return "\n".join(lines)


def import_file(c, directory, name):
    model = MODELS[name]
    with open(os.path.join(directory, name), encoding="utf-8") as f:
        data = f.read()
    rows = data.count("\n") - 1 if name.endswith(".csv") else len(json.loads(data))
    started = time.monotonic()
    response = c.post(
        get_action_url(model, action="bulk_import"),
        {
            "import_method": "direct",
            "data": data,
            "format": "json" if name.endswith(".json") else "csv",
            "csv_delimiter": ",",
        },
    )
    seconds = time.monotonic() - started
    if response.status_code != 302:
        print(f"{name}: NetBox refused the import (HTTP {response.status_code})", file=sys.stderr)
        print(form_errors(response), file=sys.stderr)
        sys.exit(1)
    print(f"{name}: imported {rows} rows in {seconds:.1f} s", file=sys.stderr)
    return {"file": name, "rows": rows, "seconds": round(seconds, 2)}


def channel_peers():
    """Each cabled lane (a channel subinterface of a broken-out cage) and
    the interface NetBox traces its path to."""
    out = []
    lanes = dcim.Interface.objects.filter(channel_id__isnull=False).select_related("device")
    for lane in lanes:
        for peer in lane.connected_endpoints or []:
            out.append([lane.device.name, lane.name, peer.device.name, peer.name])
    return sorted(out)


def read_back():
    """What NetBox holds, for the test to compare with the plan."""
    devices = dcim.Device.objects.select_related("rack", "role", "device_type", "location")
    cables = dcim.Cable.objects.all()
    by_type = {}
    length_m = 0.0
    for cable in cables:
        by_type[cable.type or ""] = by_type.get(cable.type or "", 0) + 1
        length_m += float(cable.length or 0)
    return {
        "sites": dcim.Site.objects.count(),
        "locations": dcim.Location.objects.count(),
        "racks": dcim.Rack.objects.count(),
        "devices": dcim.Device.objects.count(),
        "devices_by_role": {
            r.slug: dcim.Device.objects.filter(role=r).count() for r in dcim.DeviceRole.objects.all()
        },
        "module_bays": dcim.ModuleBay.objects.count(),
        "modules": dcim.Module.objects.count(),
        "interfaces": dcim.Interface.objects.count(),
        "interfaces_cabled": dcim.Interface.objects.filter(cable__isnull=False, channel_id__isnull=True).count(),
        "channels": dcim.Interface.objects.filter(channel_id__isnull=False).count(),
        "channel_peers": channel_peers(),
        "power_ports": dcim.PowerPort.objects.count(),
        "power_feeds": dcim.PowerFeed.objects.count(),
        "cables": cables.count(),
        "cables_by_type": by_type,
        "cable_length_m": round(length_m, 1),
        "positions": sorted(
            [d.name, d.rack.name if d.rack else None, float(d.position) if d.position else None]
            for d in devices
        ),
        "tagged_devices": dcim.Device.objects.filter(tags__slug="dcplan").count(),
    }


def main():
    directory, names = sys.argv[1], sys.argv[2:]
    clear()
    c = client()
    files = [import_file(c, directory, name) for name in names]
    print(json.dumps({"files": files, "netbox": read_back()}, indent=1))


if __name__ == "__main__":
    main()
