"""A small GTK 3 window, for the tests of where actions land in a GTK application.

Runs with the system Python and its GObject bindings (Debian's python3-gi and
gir1.2-gtk-3.0), not the project's virtualenv::

    /usr/bin/python3 scripted/apps/gtk_form.py --title T --geometry X,Y,W,H

It has a ``Send`` button, an ``Email`` field, a ``Secret`` password field, an
``Agree`` check button and a ``Size`` combo box. Once shown it prints one JSON
line with the global rectangles of its widgets, then ``{"ready": true}``; when
the combo box's list opens ``{"popup": {item: [x, y, w, h]}}``, and when an
item is chosen ``{"chosen": item}``.
"""

from __future__ import annotations

import argparse
import json
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Atk", "1.0")
from gi.repository import Atk, GLib, Gtk  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--title", default="gtk app")
    parser.add_argument("--geometry", default="0,0,420,300")
    args = parser.parse_args()
    x, y, w, h = (int(p) for p in args.geometry.split(","))

    window = Gtk.Window(title=args.title)
    window.set_default_size(w, h)
    window.move(x, y)
    window.connect("destroy", Gtk.main_quit)
    box = Gtk.Box(orientation=Gtk.Orientation.VERTICAL, spacing=12)
    box.set_border_width(16)
    window.add(box)

    send = Gtk.Button(label="Send")
    email = Gtk.Entry()
    email.get_accessible().set_name("Email")
    secret = Gtk.Entry()
    secret.set_visibility(False)
    secret.get_accessible().set_name("Secret")
    agree = Gtk.CheckButton(label="Agree")
    size = Gtk.ComboBoxText()
    for item in ("Small", "Medium", "Large"):
        size.append_text(item)
    size.set_active(0)
    size.get_accessible().set_name("Size")
    widgets = {"send": send, "email": email, "secret": secret, "agree": agree, "size": size}
    for widget in widgets.values():
        box.pack_start(widget, False, False, 0)
    send.connect("clicked", lambda _b: say({"clicked": "send"}))

    def say(data: dict[str, object]) -> None:
        sys.stdout.write(json.dumps(data) + "\n")
        sys.stdout.flush()

    def popup_shown() -> bool:
        menu = size.get_popup_accessible()
        items = {}
        for i in range(menu.get_n_accessible_children()):
            child = menu.ref_accessible_child(i)
            x, y, w, h = child.get_extents(Atk.CoordType.SCREEN)
            items[child.get_name()] = [x, y, w, h]
        say({"popup": items})
        return False

    def popup_toggled(combo: Gtk.ComboBox, _spec: object) -> None:
        if combo.get_property("popup-shown"):
            GLib.timeout_add(200, popup_shown)

    size.connect("notify::popup-shown", popup_toggled)
    size.connect("changed", lambda combo: say({"chosen": combo.get_active_text()}))

    def announce() -> bool:
        _, ox, oy = window.get_window().get_origin()
        layout = {}
        for name, widget in widgets.items():
            wx, wy = widget.translate_coordinates(window, 0, 0)
            allocation = widget.get_allocation()
            layout[name] = [ox + wx, oy + wy, allocation.width, allocation.height]
        say({"widgets": layout})
        say({"ready": True})
        return False

    window.show_all()
    GLib.timeout_add(600, announce)
    Gtk.main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
