"""Imports a dcplan NetBox export into a real NetBox through NetBox's own
bulk-import views (the forms a user pastes the files into), then reads
NetBox back and prints what it holds as JSON on stdout.

Run with the Python of a configured NetBox (NETBOX_ROOT set), from the
Rust test tests/it/netbox.rs:

    python import_check.py EXPORT_DIR [--library] FILE...

FILE... are the export's files in import order; a file with no rows is
skipped, as a user would. With --library (an export made with
`--device-types library`), the community library's device and module
types the files name are imported right after the manufacturers, as a
user imports them from the library: the library's own files when
DCPLAN_NETBOX_LIBRARY names a checkout of it, else the stand-ins of
library_standin.py. Everything NetBox holds
in the models dcplan exports is deleted first, so each run starts empty.
A file NetBox does not accept whole stops the run: exit 1, with NetBox's
own messages on stderr. The views run in this process (Django's test
client), so no web server timeout applies; the time of each file is
printed on stderr.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings

import library_standin

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
from django.urls import reverse  # noqa: E402
from core.models import Job  # noqa: E402
from dcim import models as dcim  # noqa: E402
from extras.models import ScriptModule, Tag  # noqa: E402
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


# The custom script that reads interface_speeds.csv, as a user uploads it.
SPEEDS_SCRIPT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "contrib", "netbox", "dcplan_interface_speeds.py"
)


def clear():
    for model in CLEAR:
        model.objects.all().delete()
    for module in ScriptModule.objects.filter(file_path=os.path.basename(SPEEDS_SCRIPT)):
        module.delete()


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
    with open(os.path.join(directory, name), encoding="utf-8") as f:
        data = f.read()
    rows = data.count("\n") - 1 if name.endswith(".csv") else len(json.loads(data))
    if rows == 0:
        print(f"{name}: no rows, skipped", file=sys.stderr)
        return {"file": name, "rows": 0, "seconds": 0}
    fmt = "json" if name.endswith(".json") else "csv"
    return post_import(c, MODELS[name], name, data, fmt, rows)


def post_import(c, model, name, data, fmt, rows):
    """Posts `data` to `model`'s bulk-import view; exits on a refusal."""
    started = time.monotonic()
    response = c.post(
        get_action_url(model, action="bulk_import"),
        {
            "import_method": "direct",
            "data": data,
            "format": fmt,
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


def run_speeds_script(c, directory, name):
    """interface_speeds.csv through contrib/netbox/dcplan_interface_speeds.py
    as a user runs it: the script uploaded on NetBox's "Add script" page,
    run from its page with the file, by NetBox's background worker."""
    path = os.path.join(directory, name)
    with open(path, encoding="utf-8") as f:
        rows = sum(1 for _ in f) - 1
    if rows < 1:
        print(f"{name}: no rows, skipped", file=sys.stderr)
        return {"file": name, "rows": 0, "seconds": 0}
    with open(SPEEDS_SCRIPT, "rb") as f:
        response = c.post(reverse("extras:scriptmodule_add"), {"upload_file": f})
    if response.status_code != 302:
        print(f"NetBox refused the script (HTTP {response.status_code})\n{form_errors(response)}", file=sys.stderr)
        sys.exit(1)
    module = ScriptModule.objects.get(file_path=os.path.basename(SPEEDS_SCRIPT))
    script = module.scripts.get(name="SetInterfaceSpeeds")
    netbox = os.path.join(os.path.dirname(sys.executable), "netbox")
    # The worker's log goes to a file: a pipe nobody reads would fill and stall it.
    log = tempfile.TemporaryFile()
    worker = subprocess.Popen([netbox, "rqworker", "default"], stdout=log, stderr=subprocess.STDOUT)

    def log_tail():
        log.seek(0)
        return log.read().decode("utf-8", "replace")[-2000:]

    try:
        from utilities.rqworker import any_workers_for_queue

        deadline = time.monotonic() + 60
        while not any_workers_for_queue("default"):
            if worker.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"NetBox's worker did not start: {log_tail()}")
            time.sleep(0.5)
        started = time.monotonic()
        with open(path, "rb") as f:
            response = c.post(reverse("extras:script", kwargs={"pk": script.pk}), {"speeds": f, "_commit": "on"})
        if response.status_code != 302:
            print(f"NetBox did not run the script (HTTP {response.status_code})", file=sys.stderr)
            print(form_errors(response), file=sys.stderr)
            sys.exit(1)
        job = Job.objects.filter(object_id=script.pk).order_by("-pk").first()
        while job.status not in ("completed", "errored", "failed"):
            if worker.poll() is not None:
                sys.exit(f"NetBox's worker died: {log_tail()}")
            time.sleep(1)
            job.refresh_from_db()
        seconds = time.monotonic() - started
    finally:
        worker.terminate()
        worker.wait(30)
        log.close()
    if job.status != "completed":
        print(f"{name}: the script ended {job.status}: {json.dumps(job.data)[:4000]}", file=sys.stderr)
        sys.exit(1)
    print(f"{name}: {rows} speeds set by the script in {seconds:.1f} s", file=sys.stderr)
    return {"file": name, "rows": rows, "seconds": round(seconds, 2)}


def speeds():
    """Every interface with a speed: [device, name, speed in Kbps]."""
    held = dcim.Interface.objects.filter(speed__isnull=False).values_list("device__name", "name", "speed")
    return sorted([d, n, s] for d, n, s in held)


def csv_column(directory, name, column):
    with open(os.path.join(directory, name), encoding="utf-8", newline="") as f:
        return {row[column] for row in csv.DictReader(f)}


def import_library(c, directory):
    """The library's types the export names and does not export itself:
    device types in devices.csv not in device_types.json, module types in
    modules.csv not in module_types.csv. Each is imported through NetBox's
    device-type and module-type import views, as one YAML or JSON document."""
    with open(os.path.join(directory, "device_types.json"), encoding="utf-8") as f:
        own = {t["model"] for t in json.load(f)}
    devices = sorted(csv_column(directory, "devices.csv", "device_type") - own)
    modules = sorted(
        csv_column(directory, "modules.csv", "module_type") - csv_column(directory, "module_types.csv", "model")
    )
    checkout = os.environ.get("DCPLAN_NETBOX_LIBRARY")
    done = []
    for model, kind, standins in [(m, dcim.DeviceType, library_standin.DEVICE_TYPES) for m in devices] + [
        (m, dcim.ModuleType, library_standin.MODULE_TYPES) for m in modules
    ]:
        path = library_standin.FILES.get(model)
        if checkout:
            if path is None:
                sys.exit(f"no library file known for `{model}` (library_standin.FILES)")
            with open(os.path.join(checkout, path), encoding="utf-8") as f:
                data, fmt = f.read(), "yaml"
            name = path
        else:
            if model not in standins:
                sys.exit(f"no stand-in for the library's `{model}` in library_standin.py")
            data, fmt, name = json.dumps(standins[model]), "json", f"stand-in for {path}"
        done.append(post_import(c, kind, name, data, fmt, 1))
    return done


def cable_ends():
    """Every cable's label with its A and B ends, (device, interface) each."""
    out = []
    for cable in dcim.Cable.objects.prefetch_related("terminations__termination"):
        ends = {"A": [], "B": []}
        for t in cable.terminations.all():
            ends[t.cable_end].append([t.termination.device.name, t.termination.name])
        out.append([cable.label, sorted(ends["A"]), sorted(ends["B"]), cable.profile or ""])
    return sorted(out)


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
        "racks_by_form_factor": {
            f: dcim.Rack.objects.filter(form_factor=f).count()
            for f in dcim.Rack.objects.values_list("form_factor", flat=True).distinct()
        },
        "devices": dcim.Device.objects.count(),
        "devices_by_role": {
            r.slug: dcim.Device.objects.filter(role=r).count() for r in dcim.DeviceRole.objects.all()
        },
        "module_bays": dcim.ModuleBay.objects.filter(tags__slug="dcplan").count(),
        "module_bays_all": dcim.ModuleBay.objects.count(),
        "module_bays_from_templates": sum(
            dcim.ModuleBayTemplate.objects.filter(device_type=d.device_type).count() for d in devices
        ),
        "interfaces_from_templates": sum(
            dcim.InterfaceTemplate.objects.filter(device_type=d.device_type).count() for d in devices
        ),
        "cable_ends": cable_ends(),
        "speeds": speeds(),
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
    library = "--library" in names
    names = [n for n in names if n != "--library"]
    clear()
    c = client()
    files = []
    for name in names:
        if name == "interface_speeds.csv":
            files.append(run_speeds_script(c, directory, name))
            continue
        files.append(import_file(c, directory, name))
        if library and name == "manufacturers.csv":
            files += import_library(c, directory)
    print(json.dumps({"files": files, "netbox": read_back()}, indent=1))


if __name__ == "__main__":
    main()
