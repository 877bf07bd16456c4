"""Stand-ins for the device and module types of NetBox's community
device-type library (github.com/netbox-community/devicetype-library) that
dcplan's `--device-types library` export refers to, for a machine that
cannot fetch the library (CI has no network).

Each is built from the facts of the library's file (named in FILES): its
model, slug and part number, its ports by range and type, its console
ports, its module bays (supplies PS1 and PS2, fan trays) and, for a
supply, its one power port. With a checkout of the library,
DCPLAN_NETBOX_LIBRARY=/path/to/devicetype-library makes import_check.py
import the library's own files instead.
"""


def _ports(*ranges):
    """Interfaces `ethernet-1/N` for each (first, last, type), then mgmt0."""
    out = []
    for first, last, kind in ranges:
        out += [{"name": f"ethernet-1/{n}", "type": kind} for n in range(first, last + 1)]
    out.append({"name": "mgmt0", "type": "1000base-t", "mgmt_only": True})
    return out


def _device(model, slug, part_number, usb, *ranges):
    """A 1 RU 7220 IXR: its ports, an RJ-45 console and the USB ports
    `usb`, supply bays PS1 and PS2, six fan trays."""
    return {
        "manufacturer": "Nokia",
        "model": model,
        "slug": slug,
        "part_number": part_number,
        "u_height": 1,
        "is_full_depth": True,
        "console-ports": [{"name": "Console", "type": "rj-45"}] + [{"name": u, "type": "usb-a"} for u in usb],
        "interfaces": _ports(*ranges),
        "module-bays": [{"name": "PS1", "position": "1"}, {"name": "PS2", "position": "2"}]
        + [{"name": f"Fan Tray {n}", "position": str(n)} for n in range(1, 7)],
    }


def _supply(model, part_number, watts):
    return {
        "manufacturer": "Nokia",
        "model": model,
        "part_number": part_number,
        "power-ports": [{"name": "PSU{module}", "type": "iec-60320-c14", "maximum_draw": watts}],
    }


SFP28, QSFP28, QSFPDD, SFPP = "25gbase-x-sfp28", "100gbase-x-qsfp28", "400gbase-x-qsfpdd", "10gbase-x-sfpp"

# The library's file of each stand-in.
FILES = {
    "7220 IXR-D2L 25/100GE": "device-types/Nokia/7220-IXR-D2L-25-100GE.yaml",
    "7220 IXR-D4 28*100GE": "device-types/Nokia/7220-IXR-D4-28-100GE.yaml",
    "7220 IXR-D5 32*400GE": "device-types/Nokia/7220-IXR-D5-32-400GE.yaml",
    "PS-7220-IXR-D2L/D3L-AC-F2B": "module-types/Nokia/PS-7220-IXR-D2L-D3L-AC-F2B.yaml",
    "PS-7220-IXR-D4-AC-F2B": "module-types/Nokia/PS-7220-IXR-D4-AC-F2B.yaml",
    "PS-7220-IXR-D5-AC-F2B": "module-types/Nokia/PS-7220-IXR-D5-AC-F2B.yaml",
}

DEVICE_TYPES = {
    t["model"]: t
    for t in [
        _device(
            "7220 IXR-D2L 25/100GE", "nokia-7220-ixr-d2l-25-100ge", "3HE17645AA", ["USB1", "USB2"],
            (1, 48, SFP28), (49, 56, QSFP28), (57, 58, SFPP),
        ),
        _device("7220 IXR-D4 28*100GE", "nokia-7220-ixr-d4-28-100ge", "3HE19309AA", ["USB"], (1, 28, QSFP28), (29, 36, QSFPDD)),
        _device("7220 IXR-D5 32*400GE", "nokia-7220-ixr-d5-32-400ge", "3HE19313AA", ["USB"], (1, 32, QSFPDD), (33, 34, SFPP)),
    ]
}

MODULE_TYPES = {
    t["model"]: t
    for t in [
        _supply("PS-7220-IXR-D2L/D3L-AC-F2B", "3HE17647AA", 650),
        _supply("PS-7220-IXR-D4-AC-F2B", "3HE17736AA", 650),
        _supply("PS-7220-IXR-D5-AC-F2B", "3HE17740AA", 1500),
    ]
}
