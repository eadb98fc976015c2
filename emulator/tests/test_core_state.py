"""State in a SQLite file survives a restart; the store is safe under concurrent use."""
import threading

from cloudops_emulator.core import Emulator
from cloudops_emulator.server import serve_in_thread
from cloudops_emulator.store import Conflict, Store

from admin_client import admin_call
from ksyun_support import LINE, client, push, running_instance


class _Running:
    def __init__(self, emu):
        self.emu = emu
        self.server = serve_in_thread(emu)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def admin(self, method, path, json=None):
        return admin_call(self.url, method, path, json)

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.emu.store.close()


def test_state_file_survives_a_restart(tmp_path):
    path = str(tmp_path / "state.db")
    first = _Running(Emulator(state_path=path))
    kcrs = client(first, "kcrs")
    instance_id = running_instance(first, kcrs, "persistent")
    kcrs.create_namespace(InstanceId=instance_id, Namespace="keep", Public=True)
    digest = push(first, instance_id, "keep", "app", "v1")["ImageId"]
    share_id = client(first, "bws").create_band_width_share(
        LineId=LINE, BandWidth=3, ChargeType="Peak")["BandWidthShareId"]
    first.stop()

    second = _Running(Emulator(state_path=path))
    try:
        kcrs = client(second, "kcrs")
        instance = kcrs.describe_instance()["InstanceSet"]
        assert [(i["InstanceId"], i["InstanceStatus"]) for i in instance] == [
            (instance_id, "Running")]
        images = kcrs.describe_images(InstanceId=instance_id, Namespace="keep", RepoName="app")
        assert images["ImageSet"][0]["ImageId"] == digest
        shares = client(second, "bws").describe_band_width_shares()["BandWidthShareSet"]
        assert [s["BandWidthShareId"] for s in shares] == [share_id]
        # fixtures were not seeded a second time
        assert second.emu.store.count("bws.line") == 1
    finally:
        second.stop()


def test_store_basics_and_conflict(tmp_path):
    store = Store(str(tmp_path / "s.db"))
    store.insert("k", "1", {"a": 1}, parent="p", name="one")
    store.insert("k", "2", {"a": 2}, parent="p", name="two")
    store.insert("k", "3", {"a": 3}, parent="q")
    try:
        store.insert("k", "1", {})
    except Conflict:
        pass
    else:
        raise AssertionError("duplicate insert was accepted")
    assert [d["a"] for d in store.list("k")] == [1, 2, 3]
    assert [d["a"] for d in store.list("k", parent="p")] == [1, 2]
    assert [d["a"] for d in store.list("k", name="two")] == [2]
    assert [d["a"] for d in store.list("k", offset=1, limit=1)] == [2]
    assert store.count("k", parent="p") == 2
    assert store.update("k", "2", {"a": 20}) and not store.update("k", "9", {})
    assert store.get("k", "2") == {"a": 20}
    assert store.delete("k", "3") and not store.delete("k", "3")
    try:
        with store.transaction():
            store.insert("k", "4", {"a": 4})
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert store.get("k", "4") is None  # rolled back
    store.clear()
    assert store.count("k") == 0


def test_store_is_thread_safe():
    store = Store()

    def work(n):
        for i in range(200):
            with store.transaction():
                doc = store.get("counter", "c") or {"n": 0}
                doc["n"] += 1
                if not store.update("counter", "c", doc):
                    store.insert("counter", "c", doc)
            store.insert("item", "%d-%d" % (n, i), {"i": i})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.get("counter", "c") == {"n": 800}
    assert store.count("item") == 800
