"""A simulated agency for the misdirection guard: senders with recipient habits, over days.

Seeded and deterministic. An agency (``hl.gov.tw``) of departments; each sender mails a few
colleagues (Zipf-weighted), a few outside contacts (partners in other agencies, contractors, a
hospital, a bank), and posts in chat groups: the department's, task forces, social groups, a
partner group with outsiders, and the 200-member agency-wide group. About half the senders
handle sensitive content, and send it to *their* usual destinations: case reports marked 密 to
one colleague or a task force, rosters with national IDs to the welfare clerk and a contractor,
medical notes to the hospital. Normal life is in it too: new contacts appear (the first message
to them may be sensitive), people are hired mid-period, groups gain outside members, now and
then a sender sends something sensitive to a usual destination that never had it before.

Into the evaluation days it injects misdirections with sensitive content:

* ``wrong_group`` — the report meant for one group goes to another the sender is in, of about
  the same size (the bulletin's case);
* ``lookalike`` — the mail meant for a usual contact goes to a look-alike of their domain
  (``hl-gov.tw``, a homoglyph, a typo, ``<domain>.mail-relay.com``);
* ``autocomplete`` — the address book's neighbour: a different address that shares the
  intended one's first letters (another colleague, an outside contact, a webmail namesake),
  alone or as the one outsider among colleagues.

Messages carry their sensitivity as labels (level, identifiers, special categories), not text:
detection is measured elsewhere (docs/evaluation.md); this measures where things go.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

AGENCY = "hl.gov.tw"
OTHER_AGENCIES = ("moi.gov.tw", "mohw.gov.tw", "npa.gov.tw", "tc.gov.tw", "ey.gov.tw")
PARTNERS = ("acme-consulting.com.tw", "tpbank.com.tw", "hualien-hospital.org.tw", "lawfirm.com.tw",
            "printshop.com.tw", "ngo-care.org.tw", "cloudsoft.com.tw")
WEBMAIL = ("gmail.com", "yahoo.com.tw", "outlook.com")
SURNAMES = ("chen", "lin", "huang", "chang", "li", "wang", "wu", "liu", "tsai", "yang", "hsu", "cheng",
            "hsieh", "kuo", "hung", "chiu", "tseng", "liao", "lai", "chou")
GIVEN = ("wei", "ming", "mei", "hui", "chun", "ya", "yi", "chia", "hsin", "ting", "jung", "kai", "an",
         "pei", "yu", "han", "shu", "fang", "ling", "hao")
DEPARTMENTS = 10
#: Normal novelty (what a guard learned from habits cannot tell from a slip): the share of a
#: sender's messages that go to a new contact, the share of those first messages that carry the
#: sender's sensitive content, and the share of messages that carry sensitive content to a usual
#: destination that never had it. The benchmark also runs with these doubled.
NEW_CONTACT_RATE = 0.01
NEW_CONTACT_SENSITIVE = 0.1
LEGIT_JUMP_RATE = 0.001
START = date(2025, 1, 6)  # a Monday


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    members: int
    external_members: int = 0
    registered: bool = True


@dataclass
class Sender:
    address: str
    department: int
    rate: float                       # messages per working day
    mail: dict[str, float]            # address -> weight
    groups: dict[str, float]          # group id -> weight
    sensitive: dict[str, tuple[str, bool, bool, float]] = field(default_factory=dict)  # dest -> (level, ids, special, p)
    starts: int = 0                   # first working day (new hires start later)


@dataclass(frozen=True)
class SimMessage:
    day: date
    sender: str
    channel: str                      # mail | chat
    recipients: tuple[str, ...] = ()
    group: Group | None = None
    level: str = "none"
    identifiers: bool = False
    special: bool = False
    injected: str | None = None       # wrong_group | lookalike | autocomplete
    note: str = ""                    # what kind of normal or injected message this is

    @property
    def sensitive(self) -> bool:
        return self.level != "none" or self.identifiers or self.special


@dataclass
class Agency:
    senders: list[Sender]
    groups: dict[str, Group]
    directory: list[str]              # every address anyone could autocomplete to
    days: int
    membership_changes: list[tuple[date, str, int]] = field(default_factory=list)  # (day, group, new external)
    #: mail destinations that receive sensitive content from someone (the roles flows converge on)
    sensitive_destinations: list[str] = field(default_factory=list)

    def group_on(self, group_id: str, day: date) -> Group:
        """The group as it is on ``day`` (outside members who joined by then included)."""
        g = self.groups[group_id]
        external = g.external_members
        for when, gid, count in self.membership_changes:
            if gid == group_id and when <= day:
                external = count
        return g if external == g.external_members else Group(g.id, g.name, g.members + external - g.external_members,
                                                               external, g.registered)


def _name(rng: random.Random, taken: set[str]) -> str:
    while True:
        local = f"{rng.choice(SURNAMES)}.{rng.choice(GIVEN)}{rng.choice(['', '', rng.choice(GIVEN)])}"
        if local not in taken:
            taken.add(local)
            return local


def _zipf(rng: random.Random, items: list[str], s: float = 1.1) -> dict[str, float]:
    rng.shuffle(items)
    return {item: 1.0 / (i + 1) ** s for i, item in enumerate(items)}


def build_agency(n_senders: int = 200, days: int = 90, seed: int = 18) -> Agency:
    rng = random.Random(seed)
    taken: set[str] = set()
    staff = [f"{_name(rng, taken)}@{AGENCY}" for _ in range(n_senders + n_senders // 2)]  # senders + colleagues who only receive
    outside = [f"{_name(rng, taken)}@{rng.choice(OTHER_AGENCIES + PARTNERS)}" for _ in range(n_senders)]
    webmail = [f"{local}@{rng.choice(WEBMAIL)}" for local in (a.split("@")[0] for a in rng.sample(staff, len(staff) // 5))]
    groups: dict[str, Group] = {"all": Group("all", "全府同仁", n_senders)}
    for d in range(DEPARTMENTS):
        size = max(8, n_senders // DEPARTMENTS)
        groups[f"d{d}"] = Group(f"d{d}", f"第{d + 1}科全體", size)
        for t in range(2):
            groups[f"d{d}t{t}"] = Group(f"d{d}t{t}", f"第{d + 1}科專案小組{t + 1}", rng.randint(6, 14))
        groups[f"d{d}s"] = Group(f"d{d}s", f"第{d + 1}科午餐團", rng.randint(6, 14), registered=False)
        groups[f"d{d}p"] = Group(f"d{d}p", f"第{d + 1}科與廠商聯繫", rng.randint(6, 14), external_members=rng.randint(1, 4),
                                 registered=False)
    sinks = {f"chief{d}": staff[n_senders + d % (len(staff) - n_senders)] for d in range(DEPARTMENTS)}
    sinks.update({f"welfare{d}": staff[n_senders + (DEPARTMENTS + d) % (len(staff) - n_senders)] for d in range(DEPARTMENTS)})
    sinks["hospital"] = f"{_name(rng, taken)}@hualien-hospital.org.tw"
    senders = []
    for i in range(n_senders):
        dept = i % DEPARTMENTS
        same = [a for j, a in enumerate(staff) if j % DEPARTMENTS == dept and a != staff[i]]
        colleagues = rng.sample(same, min(len(same), rng.randint(4, 10))) + rng.sample(staff, rng.randint(1, 3))
        contacts = rng.sample(outside, rng.randint(0, 4))
        mail = {**_zipf(rng, colleagues), **{a: w * 0.5 for a, w in _zipf(rng, contacts).items()}}
        mine = {f"d{dept}": 1.0, "all": 0.15, f"d{dept}t{rng.randint(0, 1)}": 0.8}
        if rng.random() < 0.5:
            mine[f"d{dept}t{1 - int(list(mine)[2][-1])}"] = 0.4
        if rng.random() < 0.6:
            mine[f"d{dept}s"] = 0.5
        if rng.random() < 0.3:
            mine[f"d{dept}p"] = 0.4
        rate = min(14.0, max(0.3, rng.lognormvariate(math.log(4.0), 0.6)))
        s = Sender(staff[i], dept, rate, mail, mine, starts=(rng.randint(20, 50) if rng.random() < 0.04 else 0))
        _sensitive_habits(rng, s, sinks)
        senders.append(s)
    changes = []
    for g in groups.values():
        if g.external_members and rng.random() < 0.5:
            changes.append((START + timedelta(days=rng.randint(days // 3, days - 1)), g.id, g.external_members + rng.randint(1, 3)))
    established = sorted({d for s in senders for d in s.sensitive if not d.startswith("chat:")})
    return Agency(senders, groups, staff + outside + webmail + [sinks["hospital"]], days, sorted(changes), established)


def _sensitive_habits(rng: random.Random, s: Sender, sinks: dict[str, str]) -> None:
    """About half the senders send sensitive content, each to one to three destinations; those
    flows converge on a few roles (the section chief, the welfare clerk, the task force, the
    hospital's contact), as they do in an agency."""
    role = rng.random()
    dept = s.department
    groups = [g for g in s.groups if g[-2:-1] == "t"]

    def to(dest: str, habit: tuple[str, bool, bool, float]) -> None:
        s.sensitive[dest] = habit
        if not dest.startswith("chat:"):
            s.mail.setdefault(dest, 0.8)

    if role < 0.18 and groups:      # case officers: 密 reports to their task force and the section chief
        to(f"chat:{groups[0]}", ("official_secret", False, False, 0.5))
        to(sinks[f"chief{dept}"], ("official_secret", rng.random() < 0.3, False, 0.6))
    elif role < 0.36:               # welfare: rosters with IDs to the welfare clerk and maybe a contractor
        to(sinks[f"welfare{dept}"], ("none", True, False, 0.5))
        outside = [a for a in s.mail if not a.endswith(AGENCY)]
        if outside:
            to(outside[0], ("none", True, False, 0.4))
    elif role < 0.44:               # health: medical notes to the hospital's contact
        to(sinks["hospital"], ("none", True, True, 0.4))
    elif role < 0.52:               # restricted documents to one or two colleagues
        for a in sorted(s.mail, key=s.mail.get, reverse=True)[:2]:
            to(a, ("restricted", False, False, 0.3))


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    items = list(weights)
    return rng.choices(items, weights=[weights[i] for i in items])[0]


def _normal(rng: random.Random, agency: Agency, s: Sender, day: date) -> SimMessage:
    """One message of ordinary life (including its rare surprises)."""
    chat = rng.random() < 0.35
    if rng.random() < NEW_CONTACT_RATE:  # a new contact enters the sender's life
        if chat:
            pool = [g for g in agency.groups if g not in s.groups and g != "all"]
            new = rng.choice(pool)
            s.groups[new] = 0.3
        else:
            pool = agency.sensitive_destinations if s.sensitive and rng.random() < 0.5 else agency.directory
            new = rng.choice([a for a in pool if a not in s.mail and a != s.address] or agency.directory)
            s.mail[new] = 0.4
        dest = f"chat:{new}" if chat else new
        note = "new_contact"
    else:
        dest = f"chat:{_pick(rng, s.groups)}" if chat and s.groups else _pick(rng, s.mail)
        note = "usual"
    level, ids, special = "none", False, False
    habit = s.sensitive.get(dest)
    if habit is not None and rng.random() < habit[3]:
        level, ids, special = habit[:3]
    elif note == "new_contact" and s.sensitive and _fit_for_sensitive(dest) and rng.random() < NEW_CONTACT_SENSITIVE:
        level, ids, special = next(iter(s.sensitive.values()))[:3]
        s.sensitive.setdefault(dest, (level, ids, special, 0.4))
    elif s.sensitive and _fit_for_sensitive(dest) and rng.random() < LEGIT_JUMP_RATE:  # sensitive where it never went, legitimately
        level, ids, special = next(iter(s.sensitive.values()))[:3]
        note = "legit_jump"
    if dest.startswith("chat:"):
        g = agency.group_on(dest[5:], day)
        return SimMessage(day, s.address, "chat", group=g, level=level, identifiers=ids, special=special, note=note)
    extra = ()
    if rng.random() < 0.15:         # a copy to more colleagues (sensitive content: to those who get it too)
        pool = [a for a in s.mail if a != dest and a.endswith(AGENCY)]
        if level != "none" or ids or special:
            pool = [a for a in pool if a in s.sensitive]
        extra = tuple(rng.sample(pool, min(len(pool), 2)))
    return SimMessage(day, s.address, "mail", (dest, *extra), level=level, identifiers=ids, special=special, note=note)


def _fit_for_sensitive(dest: str) -> bool:
    """Where ordinary work sends sensitive content to someone new: a task force, or a work address
    (never a social group or personal webmail, which the main policy forbids anyway)."""
    if dest.startswith("chat:"):
        return dest[-2:-1] == "t"
    return dest.rpartition("@")[2] not in WEBMAIL


def lookalike_of(rng: random.Random, domain: str) -> str:
    labels = domain.split(".")
    kind = rng.choice(["hyphen", "typo", "homoglyph", "embedded"])
    if kind == "hyphen" and len(labels) > 2:
        return "-".join(labels[:2]) + "." + ".".join(labels[2:])
    if kind == "homoglyph":
        for a, b in (("o", "0"), ("l", "1"), ("m", "rn"), ("i", "1")):
            if a in labels[0]:
                return ".".join([labels[0].replace(a, b, 1), *labels[1:]])
    if kind == "embedded":
        return f"{domain}.mail-relay.com"
    first = labels[0]
    i = rng.randrange(len(first))
    return ".".join([first[:i] + first[i + 1:] if len(first) > 3 else first + "x", *labels[1:]])


def _inject(rng: random.Random, agency: Agency, s: Sender, day: date, kind: str) -> SimMessage | None:
    """A misdirection with the sensitive content the sender sends to its usual destination."""
    if not s.sensitive:
        return None
    dest, (level, ids, special, _) = rng.choice(list(s.sensitive.items()))
    if kind == "wrong_group":
        if not dest.startswith("chat:"):
            chats = [d for d in s.sensitive if d.startswith("chat:")]
            if not chats:
                return None
            dest = chats[0]
        meant = agency.groups[dest[5:]]
        others = [agency.groups[g] for g in s.groups if f"chat:{g}" not in s.sensitive and g != meant.id]
        if not others:
            return None
        wrong = min(others, key=lambda g: abs(g.members - meant.members))
        return SimMessage(day, s.address, "chat", group=agency.group_on(wrong.id, day), level=level, identifiers=ids, special=special,
                          injected=kind, note=f"meant {meant.id}")
    mails = [d for d in s.sensitive if not d.startswith("chat:")]
    if not mails:
        return None
    meant = rng.choice(mails)
    local, _, domain = meant.partition("@")
    if kind == "lookalike":
        wrong = f"{local}@{lookalike_of(rng, domain)}"
        return SimMessage(day, s.address, "mail", (wrong,), level=level, identifiers=ids, special=special, injected=kind,
                          note=f"meant {meant}")
    prefix = local[:3]
    neighbours = [a for a in agency.directory if a.startswith(prefix) and a != meant and s.sensitive.get(a) is None]
    if not neighbours:
        return None
    wrong = rng.choice(neighbours)
    colleagues = [a for a in s.mail if a.endswith(AGENCY) and a not in (meant, wrong)]
    if not wrong.endswith(AGENCY) and len(colleagues) >= 2 and rng.random() < 0.5:
        recipients = (*rng.sample(colleagues, 2), wrong)   # the one outsider among colleagues
    else:
        recipients = (wrong,)
    return SimMessage(day, s.address, "mail", recipients, level=level, identifiers=ids, special=special, injected=kind,
                      note=f"meant {meant}")


def simulate(agency: Agency, seed: int = 18, inject_from_day: int = 30, injections: int = 300) -> list[SimMessage]:
    """Every message of every working day, in order, with ``injections`` misdirections spread over
    the days from ``inject_from_day`` on."""
    rng = random.Random(seed * 7919 + 1)
    out: list[SimMessage] = []
    workdays = [START + timedelta(days=d) for d in range(agency.days) if (START + timedelta(days=d)).weekday() < 5]
    late = [i for i, day in enumerate(workdays) if (day - START).days >= inject_from_day]
    planned: dict[int, list[tuple[Sender, str]]] = {}
    candidates = [s for s in agency.senders if s.sensitive]
    for n in range(injections if late and candidates else 0):
        planned.setdefault(rng.choice(late), []).append((rng.choice(candidates), ("wrong_group", "lookalike", "autocomplete")[n % 3]))
    for index, day in enumerate(workdays):
        for s in agency.senders:
            if index < s.starts:
                continue
            for _ in range(_poisson(rng, s.rate)):
                out.append(_normal(rng, agency, s, day))
        for s, kind in planned.get(index, []):
            if index >= s.starts and (m := _inject(rng, agency, s, day, kind)) is not None:
                out.append(m)
    return out


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
