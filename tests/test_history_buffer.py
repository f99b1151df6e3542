"""The buffered destination history (learns written behind, lookups cached; dlp.store.history_buffer)
against SQLite and the real PostgreSQL: the same facts and decisions as the direct history on a
simulated agency, a learn seen by the next lookup before and after it is written, the queue
written at close and bounded, what other processes see, and the service's shutdown writing it."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from dlp import Conversation, Message
from dlp.evaluation.agency import build_agency, simulate
from dlp.evaluation.misdirection_eval import audit_record, findings_of, to_message
from dlp.store import IncidentStore
from dlp.store.history import DestinationHistory, open_history
from dlp.store.history_buffer import BufferedHistory
from dlp.store.history_import import import_records

SALT = "buffered-history-salt-0123456789"
DAY = date(2025, 5, 5)
ROSTER = "社會救助名冊：陳美玲 身分證字號 F235071300，林志明 D104553971"


@pytest.fixture(scope="module")
def policy(scanner):  # type: ignore[no-untyped-def]
    return scanner.policy


def _mail(text: str, *to: str, sender: str = "clerk@hl.gov.tw") -> Message:
    return Message(text=text, channel="mail", sender=sender, recipients=list(to))


def _learn(history: DestinationHistory, policy, message: Message, day: date = DAY, action: str = "allow",  # type: ignore[no-untyped-def]
           sensitive: bool = False):
    lookup = history.lookup(message, policy, today=day)
    content = {"secrecy_level": "confidential" if sensitive else "none", "identifiers": sensitive, "special_categories": False}
    assert lookup.learn(SimpleNamespace(action=action, misdirection={"content": content}))
    return lookup


def test_a_simulated_agency_gets_the_same_facts_and_decisions_as_with_the_direct_history(
        store_url: str, tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    """Every lookup of a buffered history (writer running, cache on) equals the direct one's,
    on 30 simulated days of mail and chat with injected misdirections."""
    agency = build_agency(n_senders=25, days=30, seed=5)
    messages = simulate(agency, seed=5, inject_from_day=20, injections=60)
    direct_store = IncidentStore.open(f"sqlite:///{tmp_path / 'direct.sqlite3'}")
    buffered_store = IncidentStore.open(store_url)
    direct = DestinationHistory(direct_store, SALT)
    buffered = BufferedHistory(buffered_store, SALT, cache_seconds=3600, linger_seconds=0.002)
    split = min(m.day for m in messages) + timedelta(days=12)
    warm = [m for m in messages if m.day < split and m.injected is None]
    records = [audit_record(m, SALT, i + 1) for i, m in enumerate(warm)]
    today = max(m.day for m in messages)
    for h in (direct, buffered):
        import_records(h, records, policy, "simulation", today=today)
    rng = random.Random(5)
    decided = warned = 0
    try:
        for i, m in enumerate(x for x in messages if x.day >= split):
            message = to_message(m)
            a, b = direct.lookup(message, policy, today=m.day), buffered.lookup(message, policy, today=m.day)
            assert a.facts == b.facts, f"message {i}: {m.note}"
            da = policy.decide(message, findings_of(m), history=a.facts)
            db = policy.decide(message, findings_of(m), history=b.facts)
            assert (da.action, da.reasons, da.misdirection) == (db.action, db.reasons, db.misdirection)
            decided += 1
            warned += da.action != "allow"
            if m.injected is None or da.action == "allow":
                for lookup in (a, b):
                    lookup.learn(SimpleNamespace(action="allow", misdirection=da.misdirection))
            if m.group is not None and rng.random() < 0.05:  # a membership event between messages
                for h in (direct, buffered):
                    h.note_membership(m.group.id, m.group.members + 1, m.group.external_members + 1, m.day)
        assert decided > 300 and warned > 10
        assert buffered.dropped == buffered.failed == 0
        assert buffered.hits > 100 and buffered.reads > 100 and buffered.counted_in > 0, vars(buffered)
        buffered.flush()
        assert direct.counts() == buffered.counts()
    finally:
        buffered.close()
        direct_store.close()
        buffered_store.close()


def test_scripted_edges_give_the_same_facts_as_the_direct_history(store, tmp_path: Path, policy) -> None:  # type: ignore[no-untyped-def]
    """What the simulation rarely does: a group's outsiders rising and falling within the cache,
    a first sensitive send to an outside domain, a colleague's address becoming a namesake, a
    second sender to the same partner, a day change."""
    direct_store = IncidentStore.open(f"sqlite:///{tmp_path / 'direct.sqlite3'}")
    direct = DestinationHistory(direct_store, SALT)
    buffered = BufferedHistory(store, SALT, cache_seconds=3600, linger_seconds=30)  # everything stays queued

    def chat(external: int) -> Message:
        return Message(text="開會", channel="chat", sender="clerk@hl.gov.tw",
                       conversation=Conversation(id="G7", name="專案", members=8, external_members=external, registered=True))

    script = [(chat(n), False, DAY) for n in (0, 0, 1, 1, 2, 1, 3)]
    script += [(_mail("報告", "partner@example.com"), False, DAY), (_mail(ROSTER, "partner@example.com"), True, DAY),
               (_mail(ROSTER, "partner@example.com", "other@example.com", sender="boss@hl.gov.tw"), True, DAY),
               (_mail("會議", "chen.wei@hl.gov.tw", "partner@example.com"), False, DAY),
               (_mail(ROSTER, "chen.wei@gmail.com", "partner@example.com"), True, DAY),
               (_mail("會議", "partner@example.com"), False, DAY + timedelta(days=1)), (chat(4), False, DAY + timedelta(days=1))]
    probes = [chat(0), _mail(ROSTER, "partner@example.com", "chen.wei@gmail.com"),
              _mail("x", "other@example.com", sender="boss@hl.gov.tw")]
    try:
        for step, (message, sensitive, day) in enumerate(script):
            for probe in [message, *probes]:
                a, b = direct.lookup(probe, policy, today=day), buffered.lookup(probe, policy, today=day)
                assert a.facts == b.facts, f"step {step}"
            for h in (direct, buffered):
                _learn(h, policy, message, day, sensitive=sensitive)
        assert buffered.hits > 0 and buffered.counted_in > 0
    finally:
        buffered.close()
        direct_store.close()


def test_a_learn_is_seen_by_the_next_lookup_before_and_after_it_is_written(store, policy) -> None:  # type: ignore[no-untyped-def]
    buffered = BufferedHistory(store, SALT, linger_seconds=30)  # the writer waits: the learn stays queued
    other_process = DestinationHistory(store, SALT)
    try:
        message = _mail("明天開會", "chen.wei@hl.gov.tw")
        _learn(buffered, policy, message)
        assert buffered.queued == 1
        assert buffered.lookup(message, policy, today=DAY).facts.sender_messages == 1
        assert other_process.lookup(message, policy, today=DAY).facts.sender_messages == 0  # not written yet
        assert buffered.flush(timeout=10) and buffered.queued == 0
        for h in (buffered, other_process):
            facts = h.lookup(message, policy, today=DAY).facts
            assert facts.sender_messages == 1
            assert facts.destinations["chen.wei@hl.gov.tw"].by_sender.messages == 1
    finally:
        buffered.close()


def test_a_cached_lookup_follows_the_own_process_learns_and_another_sender_s(store, policy) -> None:  # type: ignore[no-untyped-def]
    buffered = BufferedHistory(store, SALT, cache_seconds=3600, linger_seconds=30)
    direct = DestinationHistory(store, SALT)
    try:
        to_partner = _mail(ROSTER, "partner@example.com", "lin.mei@hl.gov.tw")
        for i in range(3):
            _learn(buffered, policy, to_partner, sensitive=i == 2)
        facts = buffered.lookup(to_partner, policy, today=DAY).facts
        partner = facts.destinations["partner@example.com"]
        assert (facts.sender_messages, partner.by_sender.messages, partner.by_anyone.senders) == (3, 3, 1)
        assert partner.by_anyone.sensitive_senders == 1 and partner.domain_by_anyone.messages == 3
        # another sender writes to the same partner: counted in (distinct senders) after a write
        _learn(buffered, policy, _mail("謝謝", "partner@example.com", sender="boss@hl.gov.tw"))
        facts = buffered.lookup(to_partner, policy, today=DAY).facts
        assert facts.destinations["partner@example.com"].by_anyone.senders == 2
        assert buffered.queued == 0  # the lookup had to write the other sender's learn first
        assert facts == direct.lookup(to_partner, policy, today=DAY).facts
    finally:
        buffered.close()


def test_concurrent_decisions_count_once_and_each_sees_its_own_earlier_ones(store, policy) -> None:  # type: ignore[no-untyped-def]
    """8 threads deciding at once (cache on, writer committing meanwhile): every learn is
    written once, every thread's lookup counts all of that thread's earlier learns, and
    afterwards the cache agrees with the store."""
    import threading

    buffered = BufferedHistory(store, SALT, cache_seconds=3600, linger_seconds=0.001)
    senders = [f"s{i}@hl.gov.tw" for i in range(3)]
    targets = ["a@hl.gov.tw", "b@hl.gov.tw", "partner@example.com", "x@example.org"]
    errors: list[str] = []

    def work(n: int) -> None:
        rng = random.Random(n)
        mine = {s: 0 for s in senders}
        for _ in range(40):
            sender = rng.choice(senders)
            message = _mail("報告", *rng.sample(targets, rng.randint(1, 2)), sender=sender)
            lookup = buffered.lookup(message, policy, today=DAY)
            if lookup.facts.sender_messages < mine[sender]:
                errors.append(f"thread {n}: {sender} saw {lookup.facts.sender_messages} < {mine[sender]} of its own")
            assert lookup.learn(SimpleNamespace(action="allow", misdirection={"content": {"identifiers": rng.random() < 0.3}}))
            mine[sender] += 1

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        assert errors == []
        assert buffered.flush(timeout=30) and buffered.dropped == buffered.failed == 0
        direct = DestinationHistory(store, SALT)
        assert sum(direct.lookup(_mail("x", "a@hl.gov.tw", sender=s), policy, today=DAY).facts.sender_messages
                   for s in senders) == 8 * 40
        for s in senders:
            for pair in ([targets[0]], targets[1:3], [targets[3], targets[0]]):
                message = _mail("x", *pair, sender=s)
                assert buffered.lookup(message, policy, today=DAY).facts == direct.lookup(message, policy, today=DAY).facts
    finally:
        buffered.close()


def test_close_writes_what_is_queued_and_later_learns_are_written_at_once(store, policy) -> None:  # type: ignore[no-untyped-def]
    buffered = BufferedHistory(store, SALT, linger_seconds=30)
    for i in range(50):
        _learn(buffered, policy, _mail("明天開會", f"user{i % 7}@hl.gov.tw"))
    assert buffered.queued == 50
    buffered.close(timeout=30)
    assert buffered.queued == 0
    fresh = DestinationHistory(store, SALT)
    assert fresh.lookup(_mail("x", "user0@hl.gov.tw"), policy, today=DAY).facts.sender_messages == 50
    assert fresh.counts()["history_destinations"] == 7
    _learn(buffered, policy, _mail("明天開會", "user0@hl.gov.tw"))  # after close: written at once
    assert fresh.lookup(_mail("x", "user0@hl.gov.tw"), policy, today=DAY).facts.sender_messages == 51


def test_a_full_queue_drops_learning_never_a_decision(store, policy) -> None:  # type: ignore[no-untyped-def]
    lost: list[tuple[str, int]] = []
    buffered = BufferedHistory(store, SALT, max_queued=5, linger_seconds=30, on_lost=lambda *a: lost.append(a))
    try:
        message = _mail("明天開會", "chen.wei@hl.gov.tw")
        for _ in range(5):
            _learn(buffered, policy, message)
        lookup = buffered.lookup(message, policy, today=DAY)
        assert lookup is not None and lookup.facts.sender_messages == 5
        assert lookup.learn(SimpleNamespace(action="allow", misdirection={"content": {}})) is False  # dropped
        assert buffered.dropped == 1 and buffered.queued == 5 and lost == [("queue_full", 1)]
    finally:
        buffered.close()
    assert DestinationHistory(store, SALT).lookup(message, policy, today=DAY).facts.sender_messages == 5


def test_a_batch_the_database_refuses_is_lost_learning_and_counted(store, policy) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    lost: list[tuple[str, int]] = []
    buffered = BufferedHistory(store, SALT, linger_seconds=30, on_lost=lambda *a: lost.append(a))
    try:
        for i in range(3):
            _learn(buffered, policy, _mail("明天開會", f"user{i}@hl.gov.tw"))
        with store.engine.begin() as conn:
            conn.execute(text("DROP TABLE history_local_parts"))  # the writer's upserts now fail
        assert buffered.flush(timeout=30)  # done: the batch was tried and given up
        assert (buffered.queued, buffered.failed, lost) == (0, 3, [("write_failed", 3)])
    finally:
        buffered.close()


def test_forget_membership_and_import_write_the_queue_first(store, policy) -> None:  # type: ignore[no-untyped-def]
    buffered = BufferedHistory(store, SALT, cache_seconds=3600, linger_seconds=30)
    try:
        group = Conversation(id="C42", name="專案群組", members=5, external_members=0, registered=True)
        chat = Message(text="開會", channel="chat", sender="clerk@hl.gov.tw", conversation=group)
        _learn(buffered, policy, chat)
        _learn(buffered, policy, _mail("明天開會", "chen.wei@hl.gov.tw"))
        buffered.note_membership("C42", 6, 1, DAY)
        assert buffered.queued == 0
        facts = buffered.lookup(chat, policy, today=DAY).facts
        assert facts.conversation.external_members_before == 1 and facts.conversation.external_increased_on == DAY
        assert buffered.forget("clerk@hl.gov.tw")["sender_months"] == 1
        assert buffered.lookup(chat, policy, today=DAY).facts.sender_messages == 0  # the cache was emptied
    finally:
        buffered.close()


def test_the_service_writes_its_queued_learns_at_shutdown_and_answers_from_them(tmp_path: Path, scanner) -> None:  # type: ignore[no-untyped-def]
    """The real app under a real client: every chat decision sees the ones before it (history in
    the answer), and leaving the app's lifespan writes the queue."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.settings import Settings

    key = "svc-" + "k" * 30
    db = tmp_path / "incidents.sqlite3"
    settings = Settings.from_env({"DLP_API_KEYS": f"t:scan:{key}", "DLP_KEYS_FILE": str(tmp_path / "keys.json"),
                                  "DLP_AUDIT_LOG": str(tmp_path / "audit.jsonl"), "DLP_DATABASE_URL": f"sqlite:///{db}",
                                  "DLP_AUDIT_SALT": SALT, "DLP_HISTORY_LINGER_SECONDS": "30"})
    app = create_app(settings, scanner=scanner)
    body = {"channel": "chat", "sender": "officer01@hl.gov.tw", "text": "明天開會",
            "conversation": {"id": "g1", "members": 12, "registered": True}}
    with TestClient(app) as client:
        seen = []
        for _ in range(4):
            r = client.post("/v1/scan", json=body, headers={"Authorization": f"Bearer {key}"})
            assert r.status_code == 200, r.text
            seen.append(r.json()["misdirection"]["sender_messages"])
        assert seen == [0, 1, 2, 3]
        history = app.state.incidents.history
        assert isinstance(history, BufferedHistory) and history.queued == 4  # the writer lingers: nothing written yet
    assert history.queued == 0
    store = IncidentStore.open(f"sqlite:///{db}")
    try:
        message = Message(text="x", channel="chat", sender="officer01@hl.gov.tw",
                          conversation=Conversation(id="g1", members=12, registered=True))
        lookup = open_history(store, SALT).lookup(message, scanner.policy)  # type: ignore[union-attr]
        assert lookup.facts.sender_messages == 4
    finally:
        store.close()
