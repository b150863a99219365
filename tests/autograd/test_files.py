import os
import stat

import pytest

from autograd.files import write_atomically


def test_writes_the_bytes_readable_by_others(tmp_path):
    path = write_atomically(tmp_path / "sub" / "a.svg", b"<svg/>")
    assert path.read_bytes() == b"<svg/>"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")
    os.chmod(path, 0o600)
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"old")

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, b"new")
    assert path.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["a.txt"]


def test_writing_through_a_symlink_replaces_the_target_and_keeps_the_link(tmp_path, monkeypatch):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "model.json"
    target.write_bytes(b"old")
    os.chmod(target, 0o600)
    link = tmp_path / "link.json"
    link.symlink_to(os.path.join("real", "model.json"))  # relative, as `ln -s` makes them
    renames = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: renames.append((a, b)) or real_replace(a, b))
    write_atomically(link, b"new")
    assert link.is_symlink() and os.readlink(link) == os.path.join("real", "model.json")
    assert target.read_bytes() == b"new" and link.read_bytes() == b"new"
    ((temp, replaced),) = renames  # one rename, inside the target's own folder
    assert os.path.dirname(temp) == str(target.parent) and str(replaced) == str(target)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["link.json", "real"]
    assert os.listdir(target.parent) == ["model.json"]


def test_a_chain_of_links_and_a_dangling_link_write_the_final_target(tmp_path):
    target = tmp_path / "model.json"
    first, second = tmp_path / "first", tmp_path / "second"
    second.symlink_to(target)  # dangling until the write
    first.symlink_to(second)
    write_atomically(first, b"data")
    assert first.is_symlink() and second.is_symlink()
    assert target.read_bytes() == b"data" and not target.is_symlink()
