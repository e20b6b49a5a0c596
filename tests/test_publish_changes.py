"""A deck edited after it was scheduled: publish names each changed post, never says 'done',
never posts twice; unschedule + publish sends the new version exactly once."""

from __future__ import annotations

import sqlite3

import yaml
from click.testing import CliRunner
from fake_servers import FakePostiz, make_deck
from PIL import Image

from postdeck.cli import cli
from postdeck.publish.ledger import Ledger
from test_publish_cli import env_for, tomorrow


def test_publish_names_posts_changed_since_they_were_scheduled(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    args = ["publish", str(deck), "--start", tomorrow(), "--tz", "Asia/Kolkata", "--channel", "Clinic IG"]
    with FakePostiz() as postiz:
        env = env_for(postiz)
        assert CliRunner().invoke(cli, args, env=env).exit_code == 0
        again = CliRunner().invoke(cli, args, env=env)
        assert again.exit_code == 0 and "done     back-pain" in again.output  # unchanged: done, no API call
        data = yaml.safe_load((deck / "deck.yaml").read_text(encoding="utf-8"))
        data["posts"][1]["captions"]["instagram"] = "Tip 2, reworded by our editor. #backpain"
        (deck / "deck.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        Image.new("RGB", (108, 135), (200, 30, 30)).save(deck / "cards" / "03-portrait.jpg", quality=90)
        creates = postiz.creates

        edited = CliRunner().invoke(cli, args, env=env)
        assert edited.exit_code == 1
        changed = [line for line in edited.output.splitlines() if line.startswith("changed")]
        assert [line.split(":")[0] for line in changed] == [
            "changed  back-pain post 2 -> instagram 'Clinic IG'", "changed  back-pain post 3 -> instagram 'Clinic IG'"]
        assert changed[0].endswith("the old version is still scheduled. Re-run publish with --replace to swap it for "
                                   f"the new one in its slot, or run 'postdeck unschedule {deck}' and publish again")
        assert "done" not in edited.output
        assert postiz.creates == creates and len(postiz.live_posts()) == 3  # nothing sent twice, nothing lost

        assert CliRunner().invoke(cli, ["unschedule", str(deck)], env=env).exit_code == 0
        resent = CliRunner().invoke(cli, args, env=env)
        assert resent.exit_code == 0, resent.output
        live = postiz.live_posts()
        assert len(live) == 3 and "Tip 2, reworded by our editor. #backpain" in {p["content"] for p in live}
        final = CliRunner().invoke(cli, args, env=env)
        assert final.exit_code == 0 and "done     back-pain" in final.output and "changed" not in final.output


def edit_post_2(deck) -> None:
    data = yaml.safe_load((deck / "deck.yaml").read_text(encoding="utf-8"))
    data["posts"][1]["captions"]["instagram"] = "Tip 2, reworded by our editor. #backpain"
    (deck / "deck.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


def test_replace_swaps_changed_posts_in_their_slots_exactly_once(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    args = ["publish", str(deck), "--start", tomorrow(), "--tz", "Asia/Kolkata", "--channel", "Clinic IG"]
    with FakePostiz() as postiz:
        env = env_for(postiz)
        assert CliRunner().invoke(cli, args, env=env).exit_code == 0
        before = {p["content"]: p for p in postiz.live_posts()}
        edit_post_2(deck)
        replaced = CliRunner().invoke(cli, [*args, "--replace"], env=env)
        assert replaced.exit_code == 0, replaced.output
        assert [line.split(":")[0] for line in replaced.output.splitlines() if line.startswith("replaced")] == [
            "replaced back-pain post 2 -> instagram 'Clinic IG'"]
        live = postiz.live_posts()
        assert len(live) == 3 and postiz.creates == 4
        new = next(p for p in live if p["content"] == "Tip 2, reworded by our editor. #backpain")
        old = before["Tip 2 for instagram: move a little every hour. #backpain #backpain2"]
        assert postiz.posts[old["id"]]["deletedAt"] and new["publishDate"] == old["publishDate"]  # same slot
        final = CliRunner().invoke(cli, [*args, "--replace"], env=env)
        assert final.exit_code == 0 and "done     back-pain" in final.output and postiz.creates == 4


def test_a_run_killed_while_replacing_finishes_on_the_next_run(tmp_path, monkeypatch):
    # --replace records 'deleting' before any request; a run killed then is finished by the next
    # plain publish: the old version is deleted, the new one created, once.
    monkeypatch.chdir(tmp_path)
    deck = make_deck(tmp_path / "output")
    args = ["publish", str(deck), "--start", tomorrow(), "--tz", "Asia/Kolkata", "--channel", "Clinic IG"]
    with FakePostiz() as postiz:
        env = env_for(postiz)
        assert CliRunner().invoke(cli, args, env=env).exit_code == 0
        edit_post_2(deck)
        ledger = Ledger(tmp_path / "output" / "ledger.sqlite")
        try:
            row = next(r for r in ledger.rows() if r.item == "2")
            ledger._db.execute("UPDATE posts SET state='deleting' WHERE item='2'")  # as --replace leaves it
        finally:
            ledger.close()
        finished = CliRunner().invoke(cli, args, env=env)
        assert finished.exit_code == 0, finished.output
        assert postiz.posts[row.remote_id]["deletedAt"] and len(postiz.live_posts()) == 3 and postiz.creates == 4
        assert "Tip 2, reworded by our editor. #backpain" in {p["content"] for p in postiz.live_posts()}


def test_a_ledger_from_before_content_digests_still_opens(tmp_path):
    path = tmp_path / "ledger.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE posts (provider TEXT NOT NULL, deck TEXT NOT NULL, item TEXT NOT NULL,"
               " channel_id TEXT NOT NULL, channel TEXT NOT NULL, platform TEXT NOT NULL, slot_utc TEXT NOT NULL,"
               " tz TEXT NOT NULL, state TEXT NOT NULL, remote_id TEXT, media TEXT, error TEXT,"
               " attempts INTEGER NOT NULL DEFAULT 0, fingerprint TEXT, content TEXT NOT NULL DEFAULT '',"
               " updated_at TEXT NOT NULL, PRIMARY KEY (provider, deck, item, channel_id))")
    db.execute("INSERT INTO posts VALUES ('postiz','d','1','ig1','IG','instagram','2026-12-07T03:30:00Z',"
               "'Asia/Kolkata','created','r1',NULL,NULL,1,'f','text','2026-12-01T00:00:00Z')")
    db.commit()
    db.close()
    ledger = Ledger(path)
    try:
        [row] = ledger.rows()
    finally:
        ledger.close()
    assert row.remote_id == "r1" and row.content_sha is None  # not compared: nothing recorded then
