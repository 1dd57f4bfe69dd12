#!/usr/bin/python3
"""Adds the AD tests' large group to a freshly provisioned Samba domain, offline, in one
transaction: an OU holding COUNT contacts named 聯絡人0.. and a group GROUP_CN with all of them as
members. Over LDAP each add is a transaction of its own and Samba manages ~30-200 a second; here
the whole fixture costs a few seconds, once per cached template (tests/support/samba_template.cc).

Usage: samba_seed.py SMB_CONF OU_DN GROUP_CN COUNT   (Samba must not be running on SMB_CONF)
"""
import sys

from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB


def main(smb_conf, ou_dn, group_cn, count):
    lp = LoadParm()
    lp.load(smb_conf)
    samdb = SamDB(url=lp.private_path("sam.ldb"), session_info=system_session(), lp=lp)
    members = ["CN=聯絡人%d,%s" % (i, ou_dn) for i in range(count)]
    samdb.transaction_start()
    try:
        samdb.add({"dn": ou_dn, "objectClass": "organizationalUnit"})
        for dn in members:
            samdb.add({"dn": dn, "objectClass": "contact"})
        samdb.add({"dn": "CN=%s,%s" % (group_cn, ou_dn), "objectClass": "group",
                   "sAMAccountName": "all-staff", "member": members})
    except Exception:
        samdb.transaction_cancel()
        raise
    samdb.transaction_commit()


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
