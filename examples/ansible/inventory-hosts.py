#!/usr/bin/env python3
"""Turn an Ansible inventory into the host list of `charger-diag collect --hosts`.

    ansible-inventory -i inventory.ini --list | python3 inventory-hosts.py chargers > chargers.txt
    charger-diag collect --hosts chargers.txt --since -30m --out bundles/

Prints one [USER@]HOST[:PORT] a line for every host of the group (and of its
child groups), from ansible_host, ansible_user and ansible_port where the
inventory sets them. Keys, jump hosts and other ssh settings are not carried
over: pass them with --ssh-option or keep them in ~/.ssh/config.
"""
import json
import sys


def members(inventory, group, seen_groups):
    if group in seen_groups:
        return
    seen_groups.add(group)
    entry = inventory.get(group, {})
    yield from entry.get("hosts", [])
    for child in entry.get("children", []):
        yield from members(inventory, child, seen_groups)


def main():
    group = sys.argv[1] if len(sys.argv) > 1 else "all"
    inventory = json.load(sys.stdin)
    if group != "all" and group not in inventory:
        sys.exit(f"inventory-hosts.py: no group {group!r} in the inventory")
    hostvars = inventory.get("_meta", {}).get("hostvars", {})
    for name in dict.fromkeys(members(inventory, group, set())):
        v = hostvars.get(name, {})
        host = str(v.get("ansible_host", name))
        if ":" in host:
            host = f"[{host}]"
        user = v.get("ansible_user")
        port = v.get("ansible_port")
        print(f"{user + '@' if user else ''}{host}{':' + str(port) if port else ''}")


main()
