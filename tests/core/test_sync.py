"""Sync between devices through copies of a folder: every device converges to the same log,
states, marks and settings, whatever the sync tool does to the files, and no answer is lost."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from engine_testing import Clock, make_deck
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sync_testing import DECK, Device, assert_converged, carry, files_of, settle

from metaflash.core.collection.backups import restore_backup
from metaflash.core.collection.reconcile import reconcile
from metaflash.core.collection.replay import replay
from metaflash.core.collection.replay_log import SettingsLookup, prompt_logs
from metaflash.core.collection.sync_events import EventId, decode
from metaflash.core.collection.sync_state import waiting_events
from metaflash.core.decks.model import BasicContent, PromptKey, ReverseContent
from metaflash.core.scheduling.scheduler import Rating
from metaflash.core.sync.exchange import ClonedDeviceError, sync_now
from metaflash.core.sync.folder import APP_FOLDER, SyncFolderError
from metaflash.core.sync.framing import frame, read_framed


@pytest.fixture
def pair(tmp_path: Path):
    clock = Clock()
    devices = [Device(tmp_path, "laptop", clock), Device(tmp_path, "desktop", clock)]
    yield clock, devices
    for device in devices:
        device.close()


def own_file(device: Device) -> Path:
    (path,) = (device.view / APP_FOLDER / device.collection.device_id).glob("journal-*.jsonl")
    return path


def test_answers_made_on_two_devices_reach_both(pair) -> None:
    clock, (laptop, desktop) = pair
    for rating in (Rating.GOOD, Rating.EASY, Rating.AGAIN):
        laptop.answer(rating)
        clock.advance(seconds=30)
    desktop.answer(Rating.HARD)
    settle([laptop, desktop])
    assert_converged([laptop, desktop])
    assert laptop.collection.review_count() == desktop.collection.review_count() == 4


def test_the_same_card_studied_offline_on_both_counts_both_answers(pair) -> None:
    clock, (laptop, desktop) = pair
    laptop.answer(Rating.GOOD)  # both see bio-1 first, neither knows of the other's answer
    clock.advance(minutes=5)
    desktop.answer(Rating.AGAIN)
    settle([laptop, desktop])
    assert_converged([laptop, desktop])
    key = DECK.cards[0].prompts(DECK.id)[0].key
    record = laptop.collection.record(key)
    assert record is not None and record.state.reps == 2  # both answers count
    assert record.state.lapses == 0 and record.state.last_review == desktop.now()


def test_an_undo_on_one_device_cancels_the_answer_on_the_other(pair) -> None:
    clock, (laptop, desktop) = pair
    laptop.answer(Rating.GOOD)
    settle([laptop, desktop])
    clock.advance(minutes=1)
    assert desktop.undo_newest()  # the laptop's answer, undone on the desktop
    settle([laptop, desktop])
    assert_converged([laptop, desktop])
    key = DECK.cards[0].prompts(DECK.id)[0].key
    assert laptop.collection.record(key).state.reps == 0  # type: ignore[union-attr]


def test_the_latest_mark_and_setting_win_on_every_device(pair) -> None:
    clock, (laptop, desktop) = pair
    laptop.flag(0, 1)
    clock.advance(minutes=1)
    desktop.flag(0, 4)
    desktop.suspend(2, True)
    laptop.collection.set_scheduler_settings(
        replace(laptop.collection.scheduler_settings(), desired_retention=0.85)
    )
    clock.advance(minutes=1)
    desktop.collection.set_scheduler_settings(
        replace(desktop.collection.scheduler_settings(), desired_retention=0.8)
    )
    settle([laptop, desktop])
    assert_converged([laptop, desktop])
    assert laptop.record(0).flag == 4 and laptop.record(2).suspended
    assert laptop.collection.scheduler_settings().desired_retention == 0.8


def test_a_device_whose_clock_is_behind_loses_nothing(tmp_path: Path) -> None:
    clock = Clock()
    devices = [
        Device(tmp_path, "ahead", clock, skew=timedelta(hours=3)),
        Device(tmp_path, "behind", clock, skew=-timedelta(days=2)),
    ]
    for device in devices:
        for rating in (Rating.GOOD, Rating.AGAIN, Rating.GOOD):
            device.answer(rating)
            clock.advance(seconds=20)
    settle(devices)
    assert_converged(devices)
    for device in devices:
        device.close()


def test_a_torn_tail_waits_and_a_damaged_line_is_reported_once(pair) -> None:
    _clock, (laptop, desktop) = pair
    for rating in (Rating.GOOD, Rating.EASY, Rating.HARD):
        laptop.answer(rating)
    laptop.sync()
    me = laptop.collection.device_id
    data = own_file(laptop).read_bytes()
    lines = data.splitlines(keepends=True)
    carry(laptop.view, desktop.view, me, "device.json")
    carry(laptop.view, desktop.view, me, own_file(laptop).name, cut=len(data) - 5)
    report = desktop.sync()
    assert report.merge.answers == 2 and report.problems == []  # the last line is on its way
    # the sync tool delivers the rest, but the last line arrives changed
    damaged = lines[3].replace(b'"ms":5000', b'"ms":5001')
    (desktop.view / APP_FOLDER / me / own_file(laptop).name).write_bytes(
        b"".join(lines[:3]) + damaged
    )
    report = desktop.sync()
    assert report.merge.answers == 0
    (problem,) = report.problems
    assert problem.path.name == own_file(laptop).name and problem.line == 4
    assert "checksum does not match" in problem.reason
    assert f"{own_file(laptop).name}:4: this line of another device's journal is skipped" in str(
        problem
    )
    assert desktop.sync().problems == []  # reported once
    carry(laptop.view, desktop.view, me, own_file(laptop).name)  # a whole copy at last
    assert desktop.sync().merge.answers == 1
    assert_converged([laptop, desktop])


def test_conflict_copies_and_old_copies_add_nothing_twice(pair) -> None:
    _clock, (laptop, desktop) = pair
    for rating in (Rating.GOOD, Rating.EASY):
        laptop.answer(rating)
    laptop.sync()
    me = laptop.collection.device_id
    name = own_file(laptop).name
    carry(laptop.view, desktop.view, me, name)
    carry(laptop.view, desktop.view, me, name, conflict=True)
    assert desktop.sync().merge.answers == 2
    carry(laptop.view, desktop.view, me, name, cut=10)  # an old copy replaces the file
    assert desktop.sync().merge.received == 0
    assert_converged([laptop, desktop])


def test_a_record_from_a_newer_metaflash_is_kept_and_reported(pair) -> None:
    _clock, (laptop, desktop) = pair
    laptop.answer(Rating.GOOD)
    laptop.sync()
    me = laptop.collection.device_id
    path = own_file(laptop)
    newer = {"f": 2, "d": me, "s": 99, "t": 1, "k": "hologram"}
    with path.open("ab") as stream:
        stream.write(frame(newer))
    carry(laptop.view, desktop.view, me, path.name)
    report = desktop.sync()
    assert report.newer == 1 and report.merge.answers == 1
    assert desktop.sync().newer == 0
    kept = desktop.collection.db.execute("SELECT device, seq, line FROM newer_events").fetchall()
    assert [(d, s) for d, s, _ in kept] == [(me, 99)]
    assert json.loads(kept[0][2].rpartition("\t")[0]) == newer


def test_a_half_written_line_of_its_own_is_written_again(pair) -> None:
    _clock, (laptop, desktop) = pair
    laptop.answer(Rating.GOOD)
    laptop.answer(Rating.EASY)
    laptop.sync()
    path = own_file(laptop)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 20])  # killed while writing the last line
    assert laptop.sync().written == 1
    framed = read_framed(path.read_bytes())
    assert framed.damaged == () and framed.end == len(path.read_bytes())
    assert [r.value["s"] for r in framed.records] == [1, 2, 3]
    settle([laptop, desktop])
    assert_converged([laptop, desktop])


def test_its_own_files_are_written_again_when_they_went_missing(pair) -> None:
    _clock, (laptop, desktop) = pair
    laptop.answer(Rating.GOOD)
    laptop.sync()
    shutil.rmtree(laptop.view / APP_FOLDER)
    assert laptop.sync().written == 2  # the settings behind the answer, and the answer
    settle([laptop, desktop])
    assert_converged([laptop, desktop])


def test_a_copied_data_folder_is_refused_before_anything_is_merged(pair, tmp_path: Path) -> None:
    clock, (laptop, _desktop) = pair
    laptop.answer(Rating.GOOD)
    laptop.sync()
    laptop.close()
    twin_data = tmp_path / "twin"
    shutil.copytree(laptop.data, twin_data)
    laptop.reopen()
    laptop.answer(Rating.EASY)
    laptop.sync()  # the original writes a third event
    twin = Device(tmp_path, "twin-view", clock)
    twin.close()
    twin.data = twin_data
    twin.reopen()
    shutil.copytree(laptop.view / APP_FOLDER, twin.view / APP_FOLDER, dirs_exist_ok=True)
    twin.answer(Rating.HARD)  # the copy's own third event is another answer
    before = twin.collection.db.execute("SELECT count(*) FROM review_log").fetchone()[0]
    with pytest.raises(ClonedDeviceError, match="another computer uses a copy of this data folder"):
        twin.sync()
    after = twin.collection.db.execute("SELECT count(*) FROM review_log").fetchone()[0]
    assert after == before
    twin.close()


def test_events_for_a_deck_this_device_lacks_wait_for_it(tmp_path: Path) -> None:
    clock = Clock()
    chem = make_deck("chem", 2)
    laptop = Device(tmp_path, "laptop", clock, deck=chem)
    desktop = Device(tmp_path, "desktop", clock)  # only bio
    laptop.answer(Rating.GOOD)
    laptop.flag(0, 2)
    settle([laptop, desktop])
    key = chem.cards[0].prompts(chem.id)[0].key
    assert waiting_events(desktop.collection) == 1
    assert desktop.collection.record(key) is None
    reconcile(desktop.collection, chem, clock.now)  # the deck arrives
    report = desktop.sync()
    assert report.merge.waiting == 0 and waiting_events(desktop.collection) == 0
    theirs, mine = laptop.collection.record(key), desktop.collection.record(key)
    assert theirs is not None and mine is not None
    assert (mine.state, mine.flag) == (theirs.state, theirs.flag)
    assert mine.state.reps == 1 and mine.flag == 2
    assert all(r.flag == 0 for r in desktop.collection.records([DECK.id]))
    laptop.close()
    desktop.close()


def downgrade_to_schema_1(data_dir: Path) -> None:
    """Make a collection look as metaflash 1 left it: schema 2's tables and columns gone."""
    db = sqlite3.connect(data_dir / "collection.sqlite3", isolation_level=None)
    for table in (
        "journal",
        "received",
        "newer_events",
        "mark_clock",
        "setting_clock",
        "sync_files",
        "sync_problems",
        "prompt_aliases",
    ):
        db.execute(f"DROP TABLE {table}")
    db.execute("DROP INDEX review_log_origin")
    db.execute("ALTER TABLE review_log DROP COLUMN origin")
    db.execute("ALTER TABLE review_log DROP COLUMN origin_seq")
    db.execute("DELETE FROM config WHERE key = 'device-id'")
    db.execute("PRAGMA user_version = 1")
    db.close()


def test_a_collection_from_before_sync_shares_its_whole_history(tmp_path: Path) -> None:
    clock = Clock()
    device = Device(tmp_path, "old-device", clock)
    device.answer(Rating.GOOD)
    device.answer(Rating.AGAIN)
    device.undo_newest()
    device.flag(1, 3)
    device.close()
    downgrade_to_schema_1(device.data)
    device.reopen()  # opened by this metaflash: upgraded, its history journalled
    assert device.collection.db.execute("PRAGMA user_version").fetchone()[0] == 2
    other = Device(tmp_path, "new-device", clock)
    settle([device, other])
    assert_converged([device, other])
    assert other.record(1).flag == 3
    device.close()
    other.close()


def test_a_missing_sync_folder_is_a_clear_error(pair, tmp_path: Path) -> None:
    clock, (laptop, _) = pair
    with pytest.raises(SyncFolderError, match="does not exist"):
        sync_now(laptop.collection, tmp_path / "nowhere", clock.now)


ANSWER = st.tuples(st.just("answer"), st.sampled_from(list(Rating)))
ACTIONS = st.one_of(
    ANSWER,
    ANSWER,
    ANSWER,
    st.tuples(st.just("undo")),
    st.tuples(st.just("flag"), st.integers(0, 4), st.integers(0, 7)),
    st.tuples(st.just("suspend"), st.integers(0, 4), st.booleans()),
    st.tuples(st.just("retention"), st.sampled_from([0.8, 0.85, 0.9, 0.95])),
    st.tuples(st.just("sync")),
    st.tuples(
        st.just("carry"),
        st.integers(0, 2),
        st.integers(0, 10_000),
        st.sampled_from(["whole", "cut", "conflict"]),
    ),
    st.tuples(st.just("wait"), st.sampled_from([20, 600, 7200, 86400])),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    count=st.integers(2, 3),
    skews=st.lists(st.integers(-7200, 7200), min_size=3, max_size=3),
    steps=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, 2), ACTIONS), min_size=8, max_size=60
    ),
)
def test_devices_converge_whatever_the_sync_tool_does(
    tmp_path_factory: pytest.TempPathFactory,
    count: int,
    skews: list[int],
    steps: list[tuple[int, int, tuple[object, ...]]],
) -> None:
    root = tmp_path_factory.mktemp("devices")
    clock = Clock()
    devices = [Device(root, f"d{i}", clock, skew=timedelta(seconds=skews[i])) for i in range(count)]
    try:
        for who, whom, action in steps:
            device, other = devices[who % count], devices[whom % count]
            match action:
                case ("answer", rating):
                    device.answer(rating)  # type: ignore[arg-type]
                case ("undo",):
                    device.undo_newest()
                case ("flag", index, flag):
                    device.flag(index, flag)  # type: ignore[arg-type]
                case ("suspend", index, on):
                    device.suspend(index, on)  # type: ignore[arg-type]
                case ("retention", value):
                    current = device.collection.scheduler_settings()
                    device.collection.set_scheduler_settings(
                        replace(current, desired_retention=value)  # type: ignore[arg-type]
                    )
                case ("sync",):
                    device.sync()
                case ("carry", pick, cut, mode):
                    files = files_of(device.view)
                    if files:
                        folder, name = files[pick % len(files)]  # type: ignore[operator]
                        carry(
                            device.view,
                            other.view,
                            folder,
                            name,
                            cut=None if mode == "whole" else cut,  # type: ignore[arg-type]
                            conflict=mode == "conflict",
                        )
                case ("wait", seconds):
                    clock.advance(seconds=seconds)  # type: ignore[arg-type]
            clock.advance(seconds=3)
        settle(devices)
        assert_converged(devices)
        made = sum(device.answers for device in devices)
        event(f"answers: {'none' if not made else 'few' if made < 5 else 'many'}")
        merged = (
            devices[0]
            .collection.db.execute("SELECT count(*) FROM review_log WHERE kind = 2")
            .fetchone()[0]
        )
        event(f"undos: {'none' if not merged else 'some'}")
        first = devices[0].collection
        rescheduled = sum(
            replay(key, log, SettingsLookup(first.db)).rescheduled
            for key, _, log in prompt_logs(first.db, first.device_id)
        )
        event(f"answers scheduled again: {'none' if not rescheduled else 'some'}")
        for device in devices:  # every record in every file is an event the devices agree on
            for folder, name in files_of(device.view):
                if name.endswith(".jsonl"):
                    framed = read_framed((device.view / APP_FOLDER / folder / name).read_bytes())
                    for found in framed.records:
                        event_id, _ = decode(found.value)
                        assert isinstance(event_id, EventId)
    finally:
        for device in devices:
            device.close()


def test_a_file_chosen_as_sync_folder_is_a_clear_error(pair, tmp_path: Path) -> None:
    clock, (laptop, _) = pair
    chosen = tmp_path / "notes.txt"
    chosen.write_text("not a folder")
    with pytest.raises(SyncFolderError, match="is not a folder"):
        sync_now(laptop.collection, chosen, clock.now)


def test_an_answer_after_seeing_anothers_comes_after_it_whatever_the_clocks_say(
    tmp_path: Path,
) -> None:
    clock = Clock()
    one_card = make_deck("bio", 1)  # the card shown again is the one answered
    ahead = Device(tmp_path, "ahead", clock, skew=timedelta(minutes=3), deck=one_card)
    behind = Device(tmp_path, "behind", clock, deck=one_card)
    assert ahead.answer(Rating.AGAIN)  # bio-1, in learning: due again a minute later
    settle([ahead, behind])
    answered = ahead.collection.db.execute("SELECT max(reviewed_at) FROM review_log").fetchone()[0]
    clock.advance(minutes=2)  # the learning card is shown again (learning ahead)...
    key = DECK.cards[0].prompts(DECK.id)[0].key
    before = behind.collection.record(key)
    assert before is not None and before.state.reps == 1
    assert behind.answer(Rating.GOOD)
    # ...at a time that the behind clock puts before the answer it follows
    last = behind.collection.db.execute(
        "SELECT max(reviewed_at) FROM review_log WHERE origin IS NULL"
    ).fetchone()[0]
    assert last < answered
    settle([ahead, behind])
    assert_converged([ahead, behind])
    record = ahead.collection.record(key)
    assert record is not None and record.state.reps == 2  # taken as answered, not redone
    assert record.state == behind.collection.record(key).state  # type: ignore[union-attr]
    for device in (ahead, behind):
        device.close()


def test_a_sync_cut_short_reads_the_same_lines_again(pair, monkeypatch: pytest.MonkeyPatch) -> None:
    _clock, (laptop, desktop) = pair
    laptop.answer(Rating.GOOD)
    laptop.sync()
    me = laptop.collection.device_id
    carry(laptop.view, desktop.view, me, own_file(laptop).name)

    def killed(*_: object) -> None:
        raise KeyboardInterrupt("the window closed in the middle of the merge")

    monkeypatch.setattr("metaflash.core.sync.exchange.merge_events", killed)
    with pytest.raises(KeyboardInterrupt):
        desktop.sync()
    monkeypatch.undo()
    assert desktop.sync().merge.answers == 1  # the lines were not counted as read
    assert_converged([laptop, desktop])


def test_answers_wait_for_the_settings_they_were_scheduled_with(tmp_path: Path) -> None:
    clock = Clock()
    a, b, c = (Device(tmp_path, name, clock) for name in ("a", "b", "c"))
    a.collection.set_scheduler_settings(
        replace(a.collection.scheduler_settings(), desired_retention=0.7)
    )
    a.answer(Rating.EASY)
    a.sync()
    for path in (a.view / APP_FOLDER / a.collection.device_id).iterdir():
        carry(a.view, b.view, a.collection.device_id, path.name)
    b.sync()  # b learns a's settings and answers with them
    clock.advance(minutes=1)
    b.answer(Rating.EASY)
    b.sync()
    for path in (b.view / APP_FOLDER / b.collection.device_id).iterdir():
        carry(b.view, c.view, b.collection.device_id, path.name)
    c.sync()  # c hears from b before a: b's journal defines the settings it answered with
    unscheduled = c.collection.db.execute(
        "SELECT count(*) FROM review_log WHERE kind = 0 AND settings IS NULL"
    ).fetchone()[0]
    assert unscheduled == 0
    settle([a, b, c])
    assert_converged([a, b, c])
    for device in (a, b, c):
        device.close()


def test_after_restoring_an_old_backup_a_fresh_data_folder_brings_everything_back(
    tmp_path: Path,
) -> None:
    clock = Clock()
    laptop = Device(tmp_path, "laptop", clock)
    laptop.answer(Rating.GOOD)
    laptop.sync()
    backup = laptop.collection.backup(clock.now, "manual")
    laptop.answer(Rating.EASY)
    laptop.answer(Rating.HARD)
    laptop.sync()
    laptop.close()
    restore_backup(laptop.data, backup.name, clock.now)
    laptop.reopen()
    with pytest.raises(ClonedDeviceError, match="restored from a backup"):
        laptop.sync()
    laptop.close()
    fresh = Device(tmp_path, "fresh", clock)  # an empty data folder, as the message says
    shutil.copytree(laptop.view / APP_FOLDER, fresh.view / APP_FOLDER)
    fresh.sync()
    assert fresh.collection.review_count() == 3  # the answers after the backup too
    fresh.close()


def test_answers_follow_a_card_whose_type_changed_on_one_device_first(tmp_path: Path) -> None:
    clock = Clock()
    deck = make_deck("bio", 2)
    card = deck.cards[0]
    assert isinstance(card.content, BasicContent)
    reverse = ReverseContent(card.content.front, card.content.back)
    both_ways = replace(deck, cards=(replace(card, content=reverse), *deck.cards[1:]))
    a, b = Device(tmp_path, "a", clock, deck=deck), Device(tmp_path, "b", clock, deck=deck)
    a.answer(Rating.GOOD)  # both answer the basic card offline
    clock.advance(minutes=1)
    b.answer(Rating.EASY)
    clock.advance(minutes=1)
    reconcile(a.collection, both_ways, clock.now)  # the author's edit reaches a first...
    settle([a, b])
    reconcile(b.collection, both_ways, clock.now)  # ...then b
    a.deck = b.deck = both_ways
    settle([a, b])
    for device in (a, b):
        assert waiting_events(device.collection) == 0, device.name
        forward = device.collection.record(PromptKey(deck.id, card.id, "forward"))
        assert forward is not None and forward.state.reps == 2, device.name  # both answers
    assert prompts_of(a) == prompts_of(b)
    for device in (a, b):
        device.close()


def prompts_of(device: Device) -> dict[PromptKey, object]:
    return {
        r.key: (r.state, r.flag, r.suspended) for r in device.collection.records([device.deck.id])
    }


def test_an_upgraded_collection_shares_a_leech_the_student_unsuspended(tmp_path: Path) -> None:
    clock = Clock()
    one_card = make_deck("bio", 1)
    device = Device(tmp_path, "old-device", clock, deck=one_card)
    device.collection.set_study_settings(
        replace(device.collection.study_settings(), leech_threshold=1)
    )
    assert device.answer(Rating.EASY)  # straight to review
    clock.advance(days=30)
    assert device.answer(Rating.AGAIN)  # a lapse: a leech at once, suspended
    record = device.record(0)
    assert record.leech and record.suspended
    device.suspend(0, False)  # the student decides to study it after all
    device.close()
    downgrade_to_schema_1(device.data)
    device.reopen()
    other = Device(tmp_path, "new-device", clock, deck=one_card)
    settle([device, other])
    assert not other.record(0).suspended and other.record(0).leech
    assert not device.record(0).suspended
    device.close()
    other.close()
