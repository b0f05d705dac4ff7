"""Owner files: whose they are and who they name, one row per case."""

from __future__ import annotations

import pytest

from osb_batch.owner_files import holder, is_owner_file, owner_user


def _padded(head: bytes, size: int, pad: bytes) -> bytes:
    return head + pad * ((size - len(head)) // len(pad)) + b" " * ((size - len(head)) % len(pad))


def excel(user: str) -> bytes:
    acp = user.encode("gbk")
    return _padded(bytes([len(acp)]) + acp + b" " * (54 - len(acp)) + len(user).to_bytes(2, "little")
                   + user.encode("utf-16-le"), 165, b" \x00")


def word(user: str) -> bytes:
    acp = user.encode("gbk")
    return _padded(bytes([len(acp)]) + acp + b"\x00" * (53 - len(acp)) + len(user).to_bytes(2, "little")
                   + user.encode("utf-16-le"), 162, b"\x00")


@pytest.mark.parametrize("name, data, user", [
    ("~$订单.xlsx", excel("王磊"), "王磊"),
    ("~$订单.xlsx", excel("Wang Lei"), "Wang Lei"),
    ("~$订单.xlsx", word("李强"), "李强"),
    ("~$订单.xlsx", bytes([4]) + "刘婷".encode("gbk"), "刘婷"),            # short: the code-page copy only
    ("~$订单.xlsx", b"", ""),
    ("~$订单.xlsx", bytes([200]) + b"x" * 164, ""),                         # not the format
    (".~lock.订单.xlsx#", "王磊,wanglei,PC-7,26.11.2026 14:05,file:///home/wanglei/.config;".encode(), "王磊"),
    (".~lock.订单.xlsx#", b",wanglei,PC-7,26.11.2026 14:05,file:///home/wanglei/.config;", "wanglei"),
    (".~lock.订单.xlsx#", b"Wang\\, Lei,wl,PC,26.11.2026 14:05,x;", "Wang, Lei"),
])
def test_the_user_an_owner_file_names(tmp_path, name, data, user):
    path = tmp_path / name
    path.write_bytes(data)
    assert is_owner_file(name)
    assert owner_user(path) == user


@pytest.mark.parametrize("workbook, others, owner, held", [
    ("订单.xlsx", [], "~$订单.xlsx", True),
    ("订单.xlsx", [], ".~lock.订单.xlsx#", True),
    ("订单-华东-1126.xlsx", [], "~$-华东-1126.xlsx", True),            # a long name loses two characters
    ("订单-华东12.xlsx", [], "~$单-华东12.xlsx", True),                # seven characters lose one
    ("订单.xlsx", [], "~$单.xlsx", False),                            # a short name keeps them all
    ("xx订单-华东1.xlsx", ["订单-华东1.xlsx"], "~$订单-华东1.xlsx", False),  # the owner file is the other workbook's
    ("订单.xlsx", [], "~$报价.xlsx", False),
])
def test_which_workbook_an_owner_file_belongs_to(tmp_path, workbook, others, owner, held):
    for name in (workbook, *others):
        (tmp_path / name).write_bytes(b"PK")
    lock = ",王磊,PC-7,26.11.2026 14:05,x;".encode() if owner.startswith(".~lock") else excel("王磊")
    (tmp_path / owner).write_bytes(lock)
    found = holder(tmp_path / workbook, {tmp_path / owner})
    assert (found is not None) == held
    if held:
        assert (found.owner_file.name, found.user) == (owner, "王磊")
