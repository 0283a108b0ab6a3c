#!/usr/bin/env python3
"""Builds the demo micro-model's training corpus: single-turn (and a few two-turn) assistant
conversations of the kind a watch, glasses or phone assistant is asked.

    python corpus/build_corpus.py --out work/corpus [--seed 1234] [--target-mb 12]

Writes train.jsonl and heldout.jsonl (one conversation per line:
{"id", "intent", "template", "entity", "keys", "messages": [{"role", "content"}...]}) and stats.json.

Deterministic for a given seed. The held-out split is by template and by entity: a conversation is
held out when its user phrasing template OR its key entity (a country, a duration, a contact, a word...)
belongs to the held-out set, and the train split contains neither, so held-out prompts are truly unseen
combinations. "keys" lists words of which at least one should appear in a grounded opener. No user turn of
the hand-written evaluation sets (eval/everyday-heldout.jsonl, everyday-fresh.jsonl, everyday-blind.jsonl) is ever written: such a
conversation is dropped.

Definitions come from WordNet when its data files are installed (Debian: apt-get install wordnet-base,
files in /usr/share/wordnet, or set WORDNET_DIR). Without them, a small built-in list is used and the
corpus is still complete (just with fewer definition conversations).
"""
import argparse
import functools
import hashlib
import json
import math
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tables as T  # noqa: E402

# ----------------------------------------------------------------------------------- helpers

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n):
    """English words for 0 <= n < 1,000,000."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("" if n % 10 == 0 else "-" + ONES[n % 10])
    if n < 1000:
        return ONES[n // 100] + " hundred" + ("" if n % 100 == 0 else " " + words(n % 100))
    return words(n // 1000) + " thousand" + ("" if n % 1000 == 0 else " " + words(n % 1000))


def fmt_num(x):
    """Readable number: integers with thousands separators, else up to 2 decimals."""
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}"
    if abs(x) >= 100:
        return f"{x:,.1f}".rstrip("0").rstrip(".")
    return f"{x:,.2f}".rstrip("0").rstrip(".")


def stable_hash(s):
    return int(hashlib.md5(s.encode("utf-8")).hexdigest()[:8], 16)


def cap(s):
    return s[:1].upper() + s[1:] if s else s


def second_person(s):
    rep = {"my": "your", "me": "you", "i": "you", "i'm": "you're", "i'll": "you'll", "myself": "yourself",
           "mine": "yours", "am": "are", "i've": "you've"}
    out = []
    for w in s.split(" "):
        lw = w.lower()
        out.append(rep.get(lw, w))
    return " ".join(out)


def third_person_msg(s):
    """'I'm running late' -> content quoted as is; used in message replies."""
    return cap(s)


class Ctx:
    def __init__(self, rng):
        self.rng = rng

    def choice(self, xs):
        return xs[self.rng.randrange(len(xs))]

    def num(self, n, p_words=0.35):
        """A number as the user might type or say it."""
        return words(n) if (n < 100 and self.rng.random() < p_words) else str(n)


# Each generator returns a dict with: user, reply, tmpl (user template index), ntmpl (number of templates),
# ent (entity key for the split), keys (grounding words, may be empty).

def pick(ctx, templates):
    i = ctx.rng.randrange(len(templates))
    return i, templates[i]


# ----------------------------------------------------------------------------------- intents

def dur_phrase(ctx):
    kind = ctx.rng.random()
    if kind < 0.6:
        n = ctx.choice([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25, 30, 35, 40, 45, 50, 60, 90])
        unit = "minute"
    elif kind < 0.8:
        n = ctx.choice([10, 15, 20, 30, 40, 45, 90])
        unit = "second"
    else:
        n = ctx.choice([1, 2, 3, 4, 5, 6, 8, 12])
        unit = "hour"
    spoken = words(n) if n <= 20 or n in (30, 40, 50, 60, 90) else str(n)
    u_user = ctx.num(n) + " " + (unit if n == 1 else unit + "s")
    if ctx.rng.random() < 0.15 and unit != "hour":
        u_user = f"{n} {'min' if unit == 'minute' else 'sec'}"
    r_long = (("an " if unit == "hour" else "a ") + unit) if n == 1 else f"{spoken} {unit}s"
    adj = f"{spoken}-{unit}" if n != 1 else ("one-" + unit)
    keys = [str(n), words(n), spoken]
    return u_user, r_long, adj, f"{n}{unit}", keys


LABELS = ["pasta", "the eggs", "the oven", "tea", "my nap", "the laundry", "the cake", "laundry", "my break",
          "the pizza", "homework", "the rice", "meditation", "the parking meter", "plank", "cookies"]


def g_timer(ctx):
    u, r, adj, ent, keys = dur_phrase(ctx)
    label = ctx.choice(LABELS) if ctx.rng.random() < 0.3 else None
    tmpls = ["Set a timer for {d}", "Start a {d} timer", "timer {d}", "Can you set a timer for {d}?",
             "Please start a countdown of {d}", "Set a {d} timer for {l}", "I need a timer for {d}",
             "Time {d} for {l}", "Put a timer on for {d}", "Count down {d}", "Hey, {d} timer please",
             "Could you time {d} for me?"]
    i, t = pick(ctx, tmpls)
    lab = label or ctx.choice(LABELS)
    user = t.format(d=u, l=lab)
    has_label = "{l}" in t
    lab2 = second_person(lab)
    reps = [f"Sure, I'll set a timer for {r}. I'll let you know as soon as it's done.",
            f"Okay, your {adj} timer is starting now. I'll buzz when the time is up.",
            f"Timer set for {r}, starting now. I'll alert you when it ends.",
            f"Sure thing, {r} on the clock starting now. I'll give you a nudge when it's over.",
            f"Done! I've started a {adj} timer and I'll ring when it's finished."]
    if has_label:
        reps += [f"Sure, I'll set a {adj} timer for {lab2}. I'll let you know when it's time to check.",
                 f"Okay, a {adj} timer for {lab2} is running now. I'll remind you when it's up."]
        reply = ctx.choice(reps[-2:]) if ctx.rng.random() < 0.7 else ctx.choice(reps)
    else:
        reply = ctx.choice(reps)
    return dict(user=user, reply=reply, tmpl=i, ntmpl=len(tmpls), ent=ent, keys=keys + ["timer"])


def g_timer_manage(ctx):
    items = [
        (["How much time is left on my timer?", "how long left on the timer", "Check my timer", "What's left on the timer?"],
         ["Let me check your timer. You can also see the time left on your screen right now.", "Let me look at your running timer and tell you how much time is left."], ["timer", "left"]),
        (["Cancel the timer", "Stop the timer", "cancel my timer please", "Turn off the timer"],
         ["Okay, I've canceled your timer. Let me know if you want to start a new one.", "Done, the timer is stopped. Just ask if you need another one."], ["timer", "canceled", "stopped"]),
        (["Pause the timer", "pause my timer", "Hold the timer for a moment"],
         ["Okay, I've paused your timer. Say resume when you're ready to continue.", "Your timer is paused. Just tell me when to start it again."], ["timer", "paused"]),
    ]
    k = ctx.rng.randrange(len(items))
    us, rs, keys = items[k]
    i, t = pick(ctx, us)
    return dict(user=t, reply=ctx.choice(rs), tmpl=k * 10 + i, ntmpl=40, ent=f"tm{k}", keys=keys)


def clock_time(ctx):
    h = ctx.rng.randint(1, 12)
    m = ctx.choice([0, 0, 0, 15, 30, 45, 10, 20, 40, 50, 5])
    ampm = ctx.choice(["am", "pm"]) if h not in (5, 6, 7) else ctx.choice(["am", "am", "pm"])
    if ctx.rng.random() < 0.25 and m in (0, 15, 30):
        u = words(h) + {0: "", 15: " fifteen", 30: " thirty"}[m] + " " + ctx.choice(["a.m.", "in the morning", "am"]) if ampm == "am" \
            else words(h) + {0: "", 15: " fifteen", 30: " thirty"}[m] + " " + ctx.choice(["p.m.", "in the evening", "pm"])
    else:
        u = (f"{h}:{m:02d}" if m else str(h) + ctx.choice(["", ":00"])) + ctx.choice([" " + ampm, ampm, " " + ampm.upper()])
    r = (f"{h}:{m:02d}" if m else f"{h}:00") + " " + ampm.upper()
    return u, r, f"{h}:{m:02d}{ampm}", [f"{h}:{m:02d}" if m else f"{h}", words(h)]


DAYS = ["tomorrow", "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday", "on Sunday", "every weekday", "today"]


def g_alarm(ctx):
    u, r, ent, keys = clock_time(ctx)
    day = ctx.choice(DAYS) if ctx.rng.random() < 0.6 else ""
    tmpls = ["Set an alarm for {t} {d}", "Wake me up at {t} {d}", "alarm at {t} {d}", "Can you wake me at {t} {d}?",
             "I need to get up at {t} {d}", "Please set my alarm to {t} {d}", "Make an alarm for {t} {d}",
             "Get me up at {t} {d}", "Set an alarm {d} at {t}"]
    i, t = pick(ctx, tmpls)
    user = re.sub(r"\s+", " ", t.format(t=u, d=day)).strip().replace(" ?", "?")
    d = (" " + day) if day else ""
    reps = [f"Sure, I've set an alarm for {r}{d}. Sleep well!",
            f"Okay, your alarm is set for {r}{d}. I'll wake you up then.",
            f"Done, I'll wake you up at {r}{d}. Do you want a gentle sound or the usual one?",
            f"Alarm set for {r}{d}. I'll make sure you're up on time.",
            f"Got it, I'll wake you at {r}{d} with a gentle vibration first."]
    return dict(user=user, reply=ctx.choice(reps), tmpl=i, ntmpl=len(tmpls), ent=ent, keys=keys + ["alarm", "wake"])


PERSON_TASKS = ["call {c}", "text {c} back", "pick up {c} from the station", "buy a gift for {c}", "email {c} the photos",
                "meet {c} for coffee", "wish {c} a happy birthday", "call {c} about the trip", "send {c} the address",
                "ask {c} about dinner", "pay {c} back"]


TASK_VERBS = ["submit", "print", "finish", "send", "buy", "pick up", "drop off", "return", "book", "renew", "clean", "fix",
              "check", "order", "pay", "sign", "water", "charge", "pack", "cancel"]
TASK_OBJECTS = ["the report", "my passport", "the car", "the invoice", "the tickets", "my prescription", "the package",
                "the plants", "the bills", "the forms", "the laundry", "my laptop", "the groceries", "the contract",
                "the presentation", "the dishes", "the bike", "my library books", "the rent", "the gift"]


def reminder_task(ctx):
    if ctx.rng.random() < 0.5:
        return ctx.choice(T.TASKS)
    return f"{ctx.choice(TASK_VERBS)} {ctx.choice(TASK_OBJECTS)}"


def g_reminder(ctx):
    r = ctx.rng.random()
    if r < 0.35:
        who_u, _, _ = contact(ctx)
        task = ctx.choice(PERSON_TASKS).format(c=who_u)
    else:
        task = reminder_task(ctx)
    if ctx.rng.random() < 0.3:
        clock_u, clock_r, _, _ = clock_time(ctx)
        when_u, when_r = f"at {clock_u}", f"at {clock_r}"
    else:
        when_u, when_r = ctx.choice(T.WHENS)
    tmpls = ["Remind me to {x} {w}", "remind me {w} to {x}", "Can you remind me to {x} {w}?",
             "Don't let me forget to {x} {w}", "Set a reminder to {x} {w}", "I need to {x} {w}, remind me",
             "Please remind me {w} that I have to {x}", "Make a reminder: {x} {w}", "Reminder to {x} {w}"]
    i, t = pick(ctx, tmpls)
    user = t.format(x=task, w=when_u)
    x2 = second_person(task)
    reps = [f"Sure, I'll remind you to {x2} {when_r}.",
            f"Okay, I'll remind you {when_r} to {x2}. I'll send a notification to your watch.",
            f"Got it, a reminder to {x2} {when_r} is set.",
            f"Done! I'll remind you to {x2} {when_r} so it doesn't slip your mind.",
            f"Reminder set: {x2} {when_r}. I'll nudge you at the right time."]
    reply = ctx.choice(reps)
    if len(reply.split()) < 10:
        reply += " I'll send a notification when it's time."
    return dict(user=user, reply=reply, tmpl=i, ntmpl=len(tmpls), ent=task,
                keys=["remind", "reminder"] + [w for w in second_person(task).split() if len(w) > 3][:3])


NAME_ONSETS = ["b", "br", "ch", "d", "dr", "f", "g", "h", "j", "k", "kr", "l", "m", "n", "p", "r", "s", "sh", "st", "t",
               "th", "v", "w", "y", "z"]
NAME_VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "ia", "ie", "ou", "ee", "y"]
NAME_ENDS = ["", "", "n", "r", "l", "s", "th", "na", "la", "ra", "o", "a", "ie", "elle", "en", "ick"]


def made_up_name(ctx):
    """A pronounceable name no table holds ("Brealon", "Tyvira"): the reply must copy it from the request."""
    syllables = 2 if ctx.rng.random() < 0.7 else 3
    n = "".join(ctx.choice(NAME_ONSETS) + ctx.choice(NAME_VOWELS) for _ in range(syllables - 1))
    n += ctx.choice(NAME_ONSETS) + ctx.choice(NAME_VOWELS) + ctx.choice(NAME_ENDS)
    return cap(n)


def contact(ctx):
    r = ctx.rng.random()
    if r < 0.75:
        n = ctx.choice(T.FIRST_NAMES) if r < 0.4 else made_up_name(ctx)
        return n, n, n
    rel = ctx.choice(T.RELATIONS)
    if " " not in rel and ctx.rng.random() < 0.5:
        rel = cap(rel)
    return rel, second_person(rel), rel.replace("my ", "")


MESSAGE_FRAMES = ["I'll be there at {t}", "I'm running {n} minutes late", "see you at the {p}", "can you grab {i} on the way home",
                  "sounds good, see you {d}", "I'll call you at {t}", "don't forget the {i}", "I'm at the {p}",
                  "dinner at {t}?", "thanks for the {i}", "meet me at the {p} at {t}", "I'll bring the {i}"]
MESSAGE_ITEMS = ["milk", "bread", "keys", "tickets", "cake", "flowers", "charger", "umbrella", "coffee", "eggs", "wine", "snacks"]
MESSAGE_PLACES = ["station", "cafe", "office", "park", "gym", "airport", "restaurant", "library", "corner", "school gate"]


def message_text(ctx):
    """What the user wants to send: a stock phrase or a composed one with a time, place or item to copy."""
    if ctx.rng.random() < 0.4:
        return ctx.choice(T.MESSAGES)
    u, _, _, _ = clock_time(ctx)
    return ctx.choice(MESSAGE_FRAMES).format(t=u, n=ctx.choice([5, 10, 15, 20, 30]), p=ctx.choice(MESSAGE_PLACES),
                                             i=ctx.choice(MESSAGE_ITEMS), d=ctx.choice(["tomorrow", "on Saturday", "tonight", "at lunch", "on Monday"]))


def g_message(ctx):
    who_u, who_r, ent = contact(ctx)
    msg = message_text(ctx)
    tmpls = ["Text {c} that {m}", "Send a message to {c} saying {m}", "Tell {c} {m}", "message {c}: {m}",
             "Can you text {c} {m}?", "Send {c} a text: {m}", "Write to {c} that {m}", "Let {c} know that {m}",
             "whatsapp {c} {m}"]
    i, t = pick(ctx, tmpls)
    user = t.format(c=who_u, m=msg)
    m = cap(msg)
    reps = [f"Sure, I'll text {who_r}: \"{m}.\" Should I send it now?",
            f"Okay, here's your message to {who_r}: \"{m}.\" Do you want me to send it?",
            f"Got it. Sending {who_r} the message \"{m}\" now.",
            f"Sure, sending a text to {who_r} that says \"{m}.\" It should arrive in a moment.",
            f"Message to {who_r} is ready: \"{m}.\" Say send to confirm, or tell me what to change."]
    return dict(user=user, reply=ctx.choice(reps), tmpl=i, ntmpl=len(tmpls), ent=ent, keys=[ent.split()[-1], who_r.split()[-1]])


def g_read_messages(ctx):
    who_u, who_r, ent = contact(ctx)
    tmpls = ["Read my new messages", "Do I have any new messages?", "What did {c} say?", "read the last text from {c}",
             "Any messages from {c}?", "Check my texts"]
    i, t = pick(ctx, tmpls)
    user = t.format(c=who_u)
    if "{c}" in t:
        reps = [f"Let me check your messages from {who_r}. Here's the most recent one.",
                f"Here's the latest message from {who_r}, received a few minutes ago."]
        keys = [who_r.split()[-1]]
    else:
        reps = ["Let me check. Here are your new messages, starting with the most recent one.",
                "Here are your latest messages. I'll read them out one at a time, newest first."]
        keys = ["messages"]
    return dict(user=user, reply=ctx.choice(reps), tmpl=i, ntmpl=len(tmpls), ent=ent, keys=keys)


def g_call(ctx):
    who_u, who_r, ent = contact(ctx)
    tmpls = ["Call {c}", "call {c} please", "Phone {c}", "Can you call {c}?", "Dial {c}", "Ring {c}",
             "Call {c} on speaker", "Video call {c}", "Give {c} a call", "I want to talk to {c}, call them"]
    i, t = pick(ctx, tmpls)
    user = t.format(c=who_u)
    who_c = who_r if who_r[0].isupper() else who_r
    if "Video" in t:
        reps = [f"Starting a video call with {who_r} now.", f"Okay, video calling {who_r}. Make sure your camera is uncovered."]
    elif "speaker" in t:
        reps = [f"Calling {who_r} on speaker now.", f"Okay, calling {who_r} with the speaker on."]
    else:
        reps = [f"Calling {who_r} now.", f"Sure, calling {who_r}.", f"Okay, I'm calling {who_r} on their mobile now.",
                f"Sure, dialing {who_r} now. I'll put it through to your earbuds."]
    reply = ctx.choice(reps)
    if len(reply.split()) < 10:
        reply += ctx.choice([" It's ringing; I'll let you know if there's no answer.", " Say hang up whenever you want to end the call.",
                             " I'll switch to your earbuds once they pick up."])
    return dict(user=user, reply=reply, tmpl=i, ntmpl=len(tmpls), ent=ent, keys=[who_r.split()[-1], "call"])


WHEN_W = [("today", "today"), ("tomorrow", "tomorrow"), ("this weekend", "this weekend"), ("tonight", "tonight"),
          ("right now", "right now"), ("this afternoon", "this afternoon"), ("on Saturday", "on Saturday")]
CONDS = ["mostly sunny with a high around {t} degrees", "cloudy with a chance of light rain and around {t} degrees",
         "partly cloudy, with temperatures near {t} degrees", "clear skies and about {t} degrees",
         "windy with scattered showers and a high of {t} degrees", "warm and sunny, reaching {t} degrees"]


def g_weather(ctx):
    city = ctx.choice(T.CITIES) if ctx.rng.random() < 0.7 else None
    wu, wr = ctx.choice(WHEN_W)
    tmpls = ["What's the weather in {c} {w}?", "weather {c} {w}", "How's the weather in {c} {w}?",
             "Will it rain in {c} {w}?", "Is it going to be hot in {c} {w}?", "Do I need an umbrella in {c} {w}?",
             "What's the forecast for {c} {w}?", "How cold is it in {c} {w}?", "Should I bring a jacket to {c} {w}?"]
    i, t = pick(ctx, tmpls)
    if city is None:
        t2 = t.replace(" in {c}", "").replace(" for {c}", "").replace(" to {c}", "").replace(" {c}", "")
        user = t2.format(w=wu)
        where = ""
        ent = "here"
    else:
        user = t.format(c=city, w=wu)
        where = f" in {city}"
        ent = city
    temp = ctx.rng.randint(-5, 34)
    cond = ctx.choice(CONDS).format(t=temp)
    # the first sentence frames the answer and never states conditions: the device has no weather data, the cloud does
    if "rain" in t or "umbrella" in t:
        reps = [f"Let me check the forecast{where} {wr} for you. It looks {cond}, so an umbrella could be handy.",
                f"Here's the rain outlook{where} {wr}, let me check. It should be {cond}."]
        keys = ["rain", "umbrella", "forecast"]
    elif "jacket" in t or "cold" in t or "hot" in t:
        reps = [f"Let me check what to expect{where} {wr}. It should be {cond}, so dress in layers to be safe.",
                f"Let me check the temperature{where} {wr}. It should be {cond}."]
        keys = ["degrees", "temperature", "expect"]
    else:
        reps = [f"Let me check the weather{where} {wr} for you. It looks {cond}.",
                f"Here's the latest forecast{where} {wr}, one moment. It should be {cond}.",
                f"Let me check the forecast{where} {wr}. It looks {cond}."]
        keys = ["weather", "forecast", "check"]
    reply = ctx.choice(reps)
    if len(reply.split()) < 12:
        reply += " I'll let you know if anything changes."
    return dict(user=user, reply=reply, tmpl=i, ntmpl=len(tmpls), ent=ent, keys=([city] if city else []) + keys)


WEATHER_ASPECTS = [  # what the user asks about, how the reply names it
    ("windy", "the wind"), ("snow", "snow"), ("sunny", "the sunshine"), ("humid", "the humidity"), ("foggy", "fog"),
    ("stormy", "storms"), ("icy", "ice on the roads"), ("the UV index", "the UV index"), ("the pollen count", "the pollen count"),
    ("the air quality", "the air quality"), ("sunrise", "sunrise"), ("sunset", "sunset")]


def g_weather_aspect(ctx):
    """A question about one side of the weather: the reply says what it will check, never the answer."""
    aspect, named = ctx.choice(WEATHER_ASPECTS)
    wu, wr = ctx.choice(WHEN_W + [("right now", "right now"), ("this afternoon", "this afternoon"), ("later", "later today")])
    city = ctx.choice(T.CITIES) if ctx.rng.random() < 0.4 else None
    adjective = aspect in ("windy", "sunny", "humid", "foggy", "stormy", "icy")
    if adjective:
        tmpls = ["Is it {x} {w}?", "is it going to be {x} {w}", "Will it be {x}{c} {w}?", "how {x} is it {w}",
                 "is it {x} out there?", "gonna be {x} {w}?"]
    elif aspect == "snow":
        tmpls = ["Will it snow {w}?", "is it going to snow{c} {w}", "any snow{c} {w}?", "Should I expect snow {w}?",
                 "Is it snowing outside?", "snow {w}?"]
    else:
        tmpls = ["How's {x} looking {w}?", "what will {x}{c} be {w}", "Tell me {x} for {w}", "How's {x} {w}?", "check {x}{c} {w}",
                 "When is {x} {w}?"]
    i, t = pick(ctx, tmpls)
    where = f" in {city}" if city else ""
    user = t.format(x=aspect, w=wu, c=where).replace("  ", " ").strip()
    if "outside" in t:
        wr, where = "right now", ""
    reps = [f"Let me check {named}{where} {wr} for you. I'll give you the details in a second.",
            f"Good question, let me look at {named}{where} {wr}. One moment while I check the latest forecast.",
            f"I'll check {named}{where} {wr} in the latest forecast for you now."]
    reply = ctx.choice(reps)
    return dict(user=user, reply=reply, tmpl=i + (10 if adjective else 20 if aspect == "snow" else 0), ntmpl=30,
                ent=aspect + wu, keys=[named.split()[-1], "check", "forecast"] + ([city] if city else []))


def g_activity_weather(ctx):
    act = ctx.choice(T.ACTIVITIES)
    wu, wr = ctx.choice(WHEN_W)
    tmpls = ["Is it good weather for {a} {w}?", "Can I go for {a} {w}?", "Is {w} a good day for {a}?"]
    i, t = pick(ctx, tmpls)
    user = t.format(a=act, w=wu)
    reps = [f"Let me check the forecast for {act} {wr}. It looks dry and mild, which sounds about right for it.",
            f"Let me see if {wr} works for {act}. The forecast looks pleasant: mostly sunny with only a light breeze."]
    return dict(user=user, reply=ctx.choice(reps), tmpl=i, ntmpl=len(tmpls), ent=act, keys=[act.split()[-1], "forecast"])


def g_navigation(ctx):
    if ctx.rng.random() < 0.5:
        place = ctx.choice(T.PLACES)
        tmpls = ["Find the nearest {p}", "Where's the closest {p}?", "Take me to the nearest {p}", "Is there a {p} nearby?",
                 "navigate to nearest {p}", "I need a {p}, where is one?", "Directions to the closest {p}"]
        i, t = pick(ctx, tmpls)
        user = t.format(p=place)
        mins = ctx.rng.randint(2, 15)
        reps = [f"The nearest {place} is about {words(mins)} minutes away. Starting directions now.",
                f"I found a {place} about {mins} minutes from here. Do you want me to start navigation?",
                f"There's a {place} nearby, about {words(mins)} minutes on foot. Here are the directions.",
                f"Starting directions to the closest {place}, about {mins} minutes away."]
        reply = ctx.choice(reps)
        ent, keys = place, [place.split()[-1]]
        tid = i
    else:
        dest = ctx.choice(T.NAMED_DESTS + T.CITIES)
        mode = ctx.choice(["", " by car", " on foot", " by bike", " by train"])
        tmpls = ["Navigate to {d}{m}", "Take me to {d}", "How do I get to {d}{m}?", "Directions to {d}{m}",
                 "How long does it take to get to {d}{m}?", "Get me to {d}", "Start navigation to {d}"]
        i, t = pick(ctx, tmpls)
        user = t.format(d=dest, m=mode)
        d2 = second_person(dest)
        mins = ctx.rng.randint(5, 55)
        modew = mode.strip() or "by car"
        reps = [f"Starting directions to {d2} now. It's about {mins} minutes {modew} with the current traffic.",
                f"Okay, navigating to {d2}. The fastest route takes about {mins} minutes {modew}.",
                f"Getting to {d2} takes about {mins} minutes {modew}. Want me to start navigation?",
                f"Here's the best route to {d2}: about {mins} minutes {modew}, and I'll guide you turn by turn."]
        reply = ctx.choice(reps)
        ent, keys = dest, [w for w in d2.split() if w[0].isupper() or len(w) > 3][-1:] + ["route", "directions", "navigat"]
        tid = 10 + i
    return dict(user=user, reply=reply, tmpl=tid, ntmpl=20, ent=ent, keys=keys)


PLAYLISTS = ["workout", "running", "chill", "study", "road trip", "morning", "sleep", "party", "dinner", "focus",
             "Sunday", "summer", "throwback", "rainy day"]
MOODS = ["upbeat", "calm", "relaxing", "happy", "mellow", "energetic", "cozy", "fun", "sad", "romantic", "quiet"]
MOOD_ACTIVITIES = ["cooking dinner", "cleaning the house", "working out", "studying", "a road trip", "falling asleep",
                   "reading", "a dinner party", "the morning", "a long drive", "focusing", "a run"]
MOOD_DOING = {"cooking dinner": "cooking", "cleaning the house": "cleaning", "working out": "working out", "studying": "studying",
              "reading": "reading", "focusing": "focusing"}


def g_music_collection(ctx):
    """A playlist, an album or music for a mood: the reply names what the user named."""
    k = ctx.rng.randrange(3)
    if k == 0:
        pl = ctx.choice(PLAYLISTS)
        tmpls = ["Play my {p} playlist", "put on my {p} playlist", "start my {p} mix", "Could you put on my {p} playlist?",
                 "{p} playlist please", "I want my {p} playlist"]
        i, t = pick(ctx, tmpls)
        user = t.format(p=pl)
        reply = ctx.choice([f"Sure, playing your {pl} playlist now.", f"Okay, starting your {pl} playlist.",
                            f"Here's your {pl} playlist. Enjoy!"])
        ent, keys = "pl" + pl, [pl.split()[-1], "playlist"]
    elif k == 1:
        _, artist = ctx.choice(T.ARTISTS)
        tmpls = ["Play the latest album from {a}", "put on the latest {a} album", "play {a}'s newest album",
                 "Play an album by {a}", "I want to hear the new {a} record"]
        i, t = pick(ctx, tmpls)
        user = t.format(a=artist)
        reply = ctx.choice([f"Sure, playing the latest album by {artist}.", f"Okay, putting on {artist}'s newest album now."])
        ent, keys = "al" + artist, [artist.split()[-1], "album"]
        i += 10
    else:
        mood, act = ctx.choice(MOODS), ctx.choice(MOOD_ACTIVITIES)
        tmpls = ["Play something {m} while I'm {a}", "put on some {m} music for {a}", "I need {m} music for {a}",
                 "music for {a}, something {m}", "Play some {m} songs", "something {m} please"]
        i, t = pick(ctx, tmpls)
        if "I'm {a}" in t:
            act = ctx.choice(sorted(MOOD_DOING))
        user = t.format(m=mood, a=MOOD_DOING.get(act, act) if "I'm {a}" in t else act)
        what = f"something {mood} for {second_person(act)}" if "{a}" in t else f"some {mood} songs"
        reply = ctx.choice([f"Sure, here's {what}.", f"Okay, playing {what} now.", f"Putting on {what}. Enjoy!"])
        ent, keys = "md" + mood, [mood, "playing"]
        i += 20
    reply += ctx.choice([" Just say skip if it's not right.", " Let me know if you want something different."])
    return dict(user=user, reply=reply, tmpl=i, ntmpl=30, ent=ent, keys=keys)


def g_music(ctx):
    r = ctx.rng.random()
    if r < 0.45:
        song, artist = ctx.choice(T.ARTISTS)
        tmpls = ["Play {s} by {a}", "play {s}", "Put on {s} by {a}", "I want to hear {s}", "Can you play {s} by {a}?",
                 "Play some {a}", "put on some {a}", "Play my favorite {a} song"]
        i, t = pick(ctx, tmpls)
        user = t.format(s=song, a=artist)
        if "{s}" in t:
            reps = [f"Playing {song} by {artist} now. Enjoy!", f"Sure, here's {song} by {artist}.", f"Okay, putting on {song} by {artist}."]
            keys = [song.split()[-1], "Playing"]
        else:
            reps = [f"Playing some {artist} for you now.", f"Sure, here's a mix of songs by {artist}.", f"Okay, shuffling {artist} now."]
            keys = [artist.split()[-1]]
        ent = song
        tid = i
    elif r < 0.55:
        return g_music_collection(ctx)
    elif r < 0.75:
        g = ctx.choice(T.GENRES)
        tmpls = ["Play some {g}", "put on {g}", "I want to listen to {g}", "Play {g} please", "Can you play {g}?", "music: {g}"]
        i, t = pick(ctx, tmpls)
        user = t.format(g=g)
        reps = [f"Sure, playing {g} now.", f"Okay, here's some {g} for you.", f"Putting on {g}. Enjoy!"]
        keys, ent, tid = [g.split()[-1]], g, 10 + i
    else:
        items = [(["Skip this song", "next song", "Skip", "play the next track", "skip this one", "next one please",
                   "not this one", "change the song", "I don't like this song, next", "skip ahead"],
                  ["Skipping to the next song.", "Okay, here's the next track.", "Sure, skipping this one."], ["next", "Skipping"]),
                 (["Pause the music", "pause", "Stop the music", "hold the song", "pause it for a second",
                   "stop playing", "hold on, pause", "pause the song"],
                  ["Okay, I've paused the music.", "Music paused. Say resume when you're ready."], ["paused", "music"]),
                 (["Turn the volume up", "louder please", "Volume up", "turn it up", "make it louder", "crank it up",
                   "I can't hear it, louder"],
                  ["Turning the volume up a bit.", "Okay, a little louder now."], ["volume", "louder", "up"]),
                 (["Turn it down", "quieter", "Lower the volume", "volume down", "too loud", "make it quieter a bit"],
                  ["Turning the volume down.", "Okay, a bit quieter now."], ["volume", "down", "quieter"]),
                 (["What song is this?", "who sings this", "What's playing right now?", "what's this track called",
                   "name of this song?", "who is this artist"],
                  ["Let me listen for a moment. This sounds like a track from your current playlist.",
                   "Let me check what's playing. It's the song from your current mix."], ["song", "playing", "listen", "track"]),
                 (["Resume the music", "play it again", "unpause", "keep playing", "resume"],
                  ["Resuming your music now.", "Okay, picking up where you left off."], ["Resuming", "music"]),
                 (["Shuffle my playlist", "shuffle my favorites", "put my music on shuffle", "shuffle everything"],
                  ["Okay, shuffling your songs now.", "Sure, shuffle is on."], ["shuffl", "shuffle"]),
                 (["Repeat this song", "play this one again", "put this on repeat", "start the song over"],
                  ["Okay, this song is on repeat.", "Sure, playing this one again from the start."], ["repeat", "again"])]
        k = ctx.rng.randrange(len(items))
        us, rs, keys = items[k]
        j = ctx.rng.randrange(len(us))
        user, ent, tid = us[j], f"ctl{k}", 20 + k * 10 + j
        reps = rs
    reply = ctx.choice(reps)
    if len(reply.split()) < 10:
        reply += ctx.choice([" Just say pause or skip whenever you like.", " Let me know if you want something different.",
                             " I'll keep the volume where you left it."])
    return dict(user=user, reply=reply, tmpl=tid, ntmpl=100, ent=ent, keys=keys)


def g_fitness(ctx):
    r = ctx.rng.random()
    if r < 0.5:
        w = ctx.choice(T.WORKOUTS)
        goal = ""
        if ctx.rng.random() < 0.4:
            n = ctx.choice([3, 5, 8, 10, 15, 20, 30, 45, 60])
            goal = ctx.choice([f" for {ctx.num(n)} minutes", f" of {n} km"] if "run" in w or "walk" in w or "bike" in w else [f" for {ctx.num(n)} minutes"])
        tmpls = ["Start a {w}{g}", "Begin {w} tracking{g}", "I'm going for a {w}{g}", "track my {w}{g}", "Let's start a {w}{g}",
                 "Log a {w}{g}", "Start recording my {w}{g}"]
        i, t = pick(ctx, tmpls)
        user = t.format(w=w, g=goal)
        g2 = goal.replace("of ", "").strip()
        gg = f" with a goal of {g2.replace('for ', '')}" if goal else ""
        if t.startswith("Log"):
            reps = [f"Okay, I've logged a {w}{goal} in your activity history. Nice work!",
                    f"Done, your {w}{goal} is saved to today's activity. Keep it up!"]
        else:
            reps = [f"Starting your {w}{gg} now. I'll track your time, heart rate and distance.",
                    f"Okay, {w} tracking has started{gg}. Have a great workout!",
                    f"Let's go! Your {w} is being recorded{gg}, and I'll give you updates along the way."]
        ent, keys, tid = w, [w.split()[-1], "workout"], i
    else:
        items = [
            (["How many steps have I taken today?", "steps today?", "What's my step count?", "How many steps did I walk?"],
             [f"You've taken {{n}} steps so far today, which is {{p}} percent of your daily goal.", f"So far today you've walked {{n}} steps. Keep going to reach your goal!"], ["steps"]),
            (["How many calories did I burn today?", "calories burned today", "What's my calorie count?"],
             [f"You've burned about {{c}} active calories today. Nice job staying active!", f"Today you've burned around {{c}} calories through activity."], ["calories"]),
            (["How far did I run this week?", "my running distance this week", "How much did I run this week?"],
             [f"You've run {{k}} kilometers this week across your recorded workouts. Great consistency!", f"This week you've covered {{k}} kilometers running. That's a solid week!"], ["run", "kilometers", "week"]),
            (["Pause my workout", "pause workout", "Hold the workout for a second"],
             ["Okay, your workout is paused. Say resume when you're ready to keep going.", "Workout paused. Take a breather and tell me when to continue."], ["workout", "paused"]),
            (["End my workout", "stop the run", "I'm done with my workout"],
             ["Great job! Your workout is saved; I'll show you the summary with time, distance and heart rate.", "Workout ended and saved. Nice effort today; here's your summary."], ["workout", "saved", "job"]),
        ]
        k = ctx.rng.randrange(len(items))
        us, rs, keys = items[k]
        j = ctx.rng.randrange(len(us))
        n = ctx.rng.randint(800, 14000)
        reply = ctx.choice(rs).format(n=f"{n:,}", p=min(100, round(n / 100)), c=ctx.rng.randint(120, 900), k=ctx.rng.randint(3, 60))
        user, ent, keys, tid = us[j], f"fit{k}", keys, 10 + k * 5 + j
        reps = [reply]
    return dict(user=user, reply=ctx.choice(reps), tmpl=tid, ntmpl=40, ent=ent, keys=keys)


HEALTH = [
    (["What's my heart rate?", "check my pulse", "heart rate?", "How fast is my heart beating?"],
     ["Let me check your heart rate. Hold still for a moment while I take a reading.", "Your heart rate is being measured now; keep your wrist still for a few seconds."], ["heart"]),
    (["How did I sleep last night?", "sleep score", "How much did I sleep?"],
     ["Let me check your sleep data. You slept about seven hours last night, with a good amount of deep sleep.", "Here's your sleep summary for last night: around seven hours, waking up briefly twice."], ["sleep", "slept"]),
    (["What's my blood oxygen?", "check my oxygen level", "measure my SpO2"],
     ["Let me measure your blood oxygen. Rest your arm on a table and stay still for about fifteen seconds.", "Starting a blood oxygen reading now; keep your wrist steady until it finishes."], ["oxygen"]),
    (["I have a headache, what should I do?", "my head hurts", "How do I get rid of a headache?"],
     ["Sorry about your headache. Drinking water, resting in a quiet dark room and a mild pain reliever often help; see a doctor if it's severe or keeps coming back.",
      "For a mild headache, try drinking some water, taking a break from screens and resting. If it is sudden and severe, get medical help."], ["headache", "water"]),
    (["I have a sore throat", "my throat hurts", "What helps a sore throat?"],
     ["Sorry you're not feeling well. Warm drinks with honey, gargling salt water and rest usually help a sore throat; see a doctor if it lasts more than a week.",
      "For a sore throat, try warm tea with honey, plenty of fluids and rest. If you have a high fever or trouble swallowing, call a doctor."], ["throat", "honey", "warm"]),
    (["I can't sleep", "I have trouble sleeping", "Why can't I fall asleep?"],
     ["Sorry you can't sleep. Try dimming the lights, putting the phone away and slow breathing; if it happens often, talking to a doctor can help.",
      "Trouble sleeping is frustrating. A cool dark room, a regular bedtime and no caffeine late in the day often make a difference."], ["sleep"]),
    (["How much water should I drink a day?", "how much water do I need", "Am I drinking enough water?"],
     ["Most adults do well with about two liters of water a day, more if it's hot or you exercise a lot.", "A good general guide is around eight glasses, or about two liters, of water a day, adjusted for heat and activity."], ["water", "liters"]),
    (["I feel dizzy", "I'm dizzy", "my head is spinning"],
     ["Please sit or lie down right away and drink some water. If the dizziness is severe, comes with chest pain or doesn't pass, call emergency services.",
      "Sit down somewhere safe and take slow breaths. If it's sudden, severe or comes with other symptoms, please contact a doctor or emergency services."], ["sit", "dizz"]),
    (["I think I'm having a heart attack", "I have chest pain", "my chest hurts a lot"],
     ["Please call emergency services right now. Chest pain can be serious; do you want me to call them for you?",
      "This could be an emergency: I'm ready to call emergency services for you now. Sit down and try to stay calm."], ["emergency"]),
    (["Start a breathing exercise", "help me relax", "breathe with me"],
     ["Let's breathe together. Breathe in slowly for four seconds, hold for four, then breathe out for six.", "Okay, starting a one-minute breathing session. Follow the circle on your screen: in as it grows, out as it shrinks."], ["breath", "breathe"]),
    (["How many calories are in a banana?", "calories in an apple", "Is an avocado healthy?"],
     ["A medium banana has about 105 calories, plus potassium and fiber.", "A medium apple has about 95 calories and a good amount of fiber.", "Avocados are healthy for most people: they're rich in good fats, fiber and potassium."], ["calories", "banana", "apple", "avocado"]),
]


def g_health(ctx):
    k = ctx.rng.randrange(len(HEALTH))
    us, rs, keys = HEALTH[k]
    j = ctx.rng.randrange(len(us))
    user = us[j]
    reply = ctx.choice(rs)
    if k == 10:
        reply = rs[j]
    return dict(user=user, reply=reply, tmpl=k * 5 + j, ntmpl=60, ent=f"h{k}", keys=keys)


WHEN_LATER = ["at sunset", "at sunrise", "at 7pm", "at 6:30", "in ten minutes", "in an hour", "at midnight",
              "when I get home", "at 10 tonight", "every evening"]


def g_home_adjust(ctx):
    """Changes a setting rather than switching a device: lights warmer, dimmer, the heat a few degrees down, a
    device at a later time, the vacuum in one room, a door's state. The reply restates the change asked for."""
    room = ctx.choice(T.ROOMS)
    k = ctx.rng.randrange(6)
    if k == 0:
        way = ctx.choice([("warmer", "a warmer white"), ("cooler", "a cooler white"), ("brighter", "brighter"),
                          ("dimmer", "dimmer"), ("softer", "softer")])
        tmpls = ["Can you make the lights in the {r} {x}?", "{r} lights {x} please",
                 "I want the {r} lights a bit {x}", "set the {r} lights {x}"]
        i, t = pick(ctx, tmpls)
        user = t.format(r=room, x=way[0])
        reply = ctx.choice([f"Okay, making the {room} lights {way[1]}.", f"Sure, the {room} lights are {way[1]} now.",
                            f"Done, I've set the {room} lights {way[1]}."])
        ent, keys = "lw" + way[0], [way[0], "lights"]
    elif k == 1:
        pct = ctx.choice([10, 20, 25, 30, 40, 50, 60, 70, 75, 80])
        tmpls = ["Set the {r} lights to {p}%", "{r} lights at {p} percent",
                 "brightness {p} percent in the {r}", "turn the {r} lights down to {p} percent"]
        i, t = pick(ctx, tmpls)
        user = t.format(r=room, p=ctx.num(pct, 0.2))
        reply = ctx.choice([f"Okay, dimming the {room} lights to {pct} percent.", f"Sure, the {room} lights are set to {pct} percent."])
        ent, keys = f"pct{pct}", [str(pct), "percent", "lights"]
        i += 10
    elif k == 2:
        n = ctx.choice([1, 2, 3, 4, 5])
        up = ctx.rng.random() < 0.5
        tmpls = (["turn the heating up by {n} degrees", "raise the temperature by {n}", "make it {n} degrees warmer",
                  "bump the thermostat up {n} degrees", "could it be a bit warmer in here", "it's cold in here, warmer please"] if up else
                 ["turn the heating down by {n} degrees", "lower the temperature by {n}", "make it {n} degrees cooler",
                  "drop the thermostat {n} degrees", "could it be a bit cooler in here", "it's too hot in here, cooler please"])
        i, t = pick(ctx, tmpls)
        user = t.format(n=ctx.num(n, 0.5))
        dirw = "up" if up else "down"
        if "{n}" in t:
            reply = ctx.choice([f"Okay, turning the heat {dirw} {words(n)} degree{'s' if n > 1 else ''}.",
                                f"Sure, I've turned the thermostat {dirw} by {words(n)} degree{'s' if n > 1 else ''}."])
            keys = [str(n), words(n), dirw, "degree"]
        else:
            reply = ctx.choice([f"Okay, turning the heat {dirw} a little.", f"Sure, I'll make it a bit {'warmer' if up else 'cooler'}."])
            keys = [dirw, "warmer" if up else "cooler"]
        ent = f"th{dirw}{n}"
        i += 20 + (10 if up else 0)
    elif k == 3:
        dev = ctx.choice(T.DEVICES_ONOFF)
        on = ctx.rng.random() < 0.6
        st = "on" if on else "off"
        when = ctx.choice(WHEN_LATER)
        tmpls = ["set the {r} {d} to turn {s} {w}", "Switch the {d} {s} {w}", "Can you turn the {d} {s} {w}?",
                 "{w}, turn {s} the {d}", "schedule the {r} {d} to go {s} {w}"]
        i, t = pick(ctx, tmpls)
        user = t.format(s=st, r=room, d=dev, w=when)
        dd = f"the {room} {dev}" if "{r}" in t else f"the {dev}"
        reply = ctx.choice([f"Okay, I'll turn {st} {dd} {when}.", f"Sure, {dd} will turn {st} {when}.",
                            f"Done, I've scheduled {dd} to turn {st} {when}."])
        ent, keys = "sch" + when, [when.split()[-1], st, dev.split()[-1]]
        i += 40
    elif k == 4:
        tmpls = ["vacuum the {r}", "run the robot vacuum in the {r}", "Start the vacuum in the {r}",
                 "send the vacuum to the {r}", "clean the {r} floor"]
        i, t = pick(ctx, tmpls)
        user = t.format(r=room)
        reply = ctx.choice([f"Okay, sending the robot vacuum to the {room} now.", f"Sure, the vacuum is starting in the {room}."])
        ent, keys = "vac" + room, [room.split()[-1], "vacuum"]
        i += 50
    else:
        thing, state = ctx.choice([("front door", "locked"), ("back door", "locked"), ("garage door", "closed"),
                                   ("windows", "closed"), ("oven", "off"), ("iron", "off"), ("porch light", "off")])
        tmpls = ["Is the {x} {st}?", "did I leave the {x} open?" if state != "off" else "did I leave the {x} on?",
                 "check the {x}", "is the {x} {st}? {v} it if not", "Can you check if the {x} is {st}?"]
        i, t = pick(ctx, tmpls)
        verb = {"locked": "lock", "closed": "close", "off": "turn off"}[state]
        user = t.format(x=thing, st=state, v=verb)
        reply = ctx.choice([f"Let me check the {thing} for you. I'll {verb} it if it isn't {state} yet.",
                            f"Checking the {thing} now. If it's not {state}, I'll {verb} it right away."])
        ent, keys = "chk" + thing, [thing.split()[-1], "check"]
        i += 60
    return dict(user=user, reply=reply, tmpl=i, ntmpl=70, ent=ent, keys=keys)


def g_home(ctx):
    r = ctx.rng.random()
    if r < 0.35:
        return g_home_adjust(ctx)
    room = ctx.choice(T.ROOMS)
    if r < 0.65:
        dev = ctx.choice(T.DEVICES_ONOFF)
        on = ctx.rng.random() < 0.55
        st = "on" if on else "off"
        tmpls = ["Turn {s} the {r} {d}", "turn the {r} {d} {s}", "Switch {s} the {d} in the {r}", "{d} {s} in the {r}",
                 "Can you turn {s} the {d}?", "Please switch the {r} {d} {s}", "Kill the {r} {d}" if not on else "Fire up the {r} {d}"]
        i, t = pick(ctx, tmpls)
        user = t.format(s=st, r=room, d=dev)
        dd = f"the {room} {dev}" if "{r}" in t else f"the {dev}"
        verb = "on" if on else "off"
        reps = [f"Okay, turning {verb} {dd}.", f"Sure, {dd} {'is' if not dev.endswith('s') else 'are'} {verb} now.",
                f"Done, I've switched {verb} {dd}.", f"Turning {verb} {dd} for you now."]
        reply = ctx.choice(reps) + ctx.choice([" Let me know if you want anything else adjusted.", " Anything else for the house?",
                                               " I can also set a schedule for it if you like."])
        ent, keys, tid = f"{dev}", [dev.split()[-1], verb], i
    elif r < 0.8:
        t_c = ctx.rng.randint(16, 26)
        tmpls = ["Set the thermostat to {t} degrees", "make it {t} degrees in here", "Heat the {r} to {t}", "Set the temperature to {t}",
                 "It's cold, set the heating to {t} degrees", "Cool the {r} down to {t} degrees"]
        i, t = pick(ctx, tmpls)
        user = t.format(t=ctx.num(t_c), r=room)
        reps = [f"Okay, setting the thermostat to {t_c} degrees.", f"Sure, I'm setting the temperature to {t_c} degrees.",
                f"Done, the {room if '{r}' in t else 'house'} will be at {t_c} degrees shortly."]
        reply = ctx.choice(reps) + " It should take about " + ctx.choice(["fifteen", "twenty", "ten"]) + " minutes to get there."
        ent, keys, tid = f"{t_c}C", [str(t_c), "degrees", "thermostat", "temperature"], 10 + i
    else:
        items = [(["Lock the front door", "lock the door", "Is the front door locked?", "lock up the house"],
                  ["Okay, locking the front door now. I'll confirm once it's locked.", "The front door is now locked. All the doors are secure."], ["lock", "door"]),
                 (["Is the garage door closed?", "close the garage", "Did I leave the garage open?"],
                  ["Let me check the garage door. It's closed right now, so you're all set.", "Closing the garage door now. I'll let you know when it's shut."], ["garage"]),
                 (["Start the robot vacuum", "vacuum the house", "Clean the floors"],
                  ["Starting the robot vacuum now. It'll begin with the living room and return to its dock when done.", "Okay, the vacuum is on its way. I'll let you know when it finishes."], ["vacuum"]),
                 (["Turn off all the lights", "lights off everywhere", "Switch off every light in the house"],
                  ["Okay, turning off all the lights in the house. Good night!", "All the lights are off now. Want me to lock the doors too?"], ["lights", "off"]),
                 (["Dim the lights", "set the lights to fifty percent", "make the lights softer"],
                  ["Dimming the lights to a softer level for you now.", "Okay, the lights are now at fifty percent."], ["lights", "dim", "Dimming"])]
        k = ctx.rng.randrange(len(items))
        us, rs, keys = items[k]
        j = ctx.rng.randrange(len(us))
        user, reply, ent, tid = us[j], ctx.choice(rs), f"home{k}", 20 + k * 5 + j
    return dict(user=user, reply=reply, tmpl=tid, ntmpl=50, ent=ent, keys=keys)


CONVERT_FRAMES = ["Let me convert {a} to {b} for you.", "Okay, {a} in {b}. Let me work that out exactly.",
                  "Sure, converting {a} to {b} now.", "Let me work out {a} in {b}. One moment."]


def convert_frame(ctx, amount, unit):
    """Restates the conversion and leaves the result to the cloud (see calc_frame)."""
    return cap(ctx.choice(CONVERT_FRAMES).format(a=amount, b=unit))


def g_convert(ctx):
    r = ctx.rng.random()
    if r < 0.2:
        # temperatures
        if ctx.rng.random() < 0.5:
            f = ctx.choice(list(range(-10, 110, 1)))
            tmpls = ["What's {v} Fahrenheit in Celsius?", "convert {v} F to C", "{v} degrees Fahrenheit to Celsius",
                     "How much is {v}°F in Celsius?", "Change {v} Fahrenheit into Celsius"]
            i, t = pick(ctx, tmpls)
            user = t.format(v=f)
            ans = convert_frame(ctx, f"{f} degrees Fahrenheit", "Celsius")
            ent, keys = f"F{f}", [str(f), "Fahrenheit", "Celsius"]
        else:
            c = ctx.choice(list(range(-20, 45)))
            tmpls = ["What's {v} Celsius in Fahrenheit?", "convert {v} C to F", "{v} degrees Celsius to Fahrenheit",
                     "How much is {v}°C in Fahrenheit?", "Change {v} Celsius into Fahrenheit"]
            i, t = pick(ctx, tmpls)
            user = t.format(v=c)
            ans = convert_frame(ctx, f"{c} degrees Celsius", "Fahrenheit")
            ent, keys = f"C{c}", [str(c), "Celsius", "Fahrenheit"]
        return dict(user=user, reply=ans, tmpl=i, ntmpl=20, ent=ent, keys=keys)
    dim = ctx.choice(list(T.UNITS))
    (a1, ap, af), (b1, bp, bf) = ctx.rng.sample(T.UNITS[dim], 2)
    v = ctx.choice([1, 2, 3, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 100, 2.5, 1.5, 0.5, 7, 60, 200, 500, 1000])
    an = a1 if v == 1 else ap
    tmpls = ["How many {b} are in {v} {a}?", "Convert {v} {a} to {b}", "{v} {a} in {b}", "What is {v} {a} in {b}?",
             "how many {b} is {v} {a}", "Change {v} {a} into {b}", "{v} {a} equals how many {b}?"]
    i, t = pick(ctx, tmpls)
    vs = fmt_num(v) if not (isinstance(v, int) and v < 20 and ctx.rng.random() < 0.3) else words(v)
    user = t.format(a=an, b=bp, v=vs)
    reply = convert_frame(ctx, f"{vs} {an}", bp)
    return dict(user=user, reply=reply, tmpl=10 + i, ntmpl=20, ent=f"{a1}>{b1}", keys=[fmt_num(v), vs, bp, b1, an])


CALC_FRAMES = ["Let me work out {q} for you. One moment.", "Okay, {q}. Let me calculate that exactly.",
               "Let me calculate {q} for you.", "Good question. Let me work out {q} exactly.",
               "Sure, let me work out {q}. Just a moment."]


def calc_frame(ctx, question):
    """A reply that restates the question and leaves the result to the cloud: a micro-model cannot compute, and an
    opener must never say an invented number (issue #13)."""
    return cap(ctx.choice(CALC_FRAMES).format(q=question))


def g_math(ctx):
    op = ctx.choice(["+", "-", "*", "/", "%", "sqrt", "sq"])
    rr = ctx.rng
    if op == "+":
        a, b = rr.randint(2, 999), rr.randint(2, 999)
        name = ["plus", "and", "+"]
        tmpls = ["What's {a} plus {b}?", "{a} + {b}", "add {a} and {b}", "What is {a} plus {b}", "How much is {a} and {b}?"]
    elif op == "-":
        a, b = rr.randint(20, 999), rr.randint(1, 400)
        name = ["minus", "minus", "-"]
        tmpls = ["What's {a} minus {b}?", "{a} - {b}", "subtract {b} from {a}", "What is {a} minus {b}", "How much is {a} take away {b}?"]
    elif op == "*":
        a, b = rr.randint(2, 99), rr.randint(2, 30)
        name = ["times", "times", "x"]
        tmpls = ["What's {a} times {b}?", "{a} x {b}", "multiply {a} by {b}", "What is {a} multiplied by {b}", "How much is {a} times {b}?"]
    elif op == "/":
        b = rr.randint(2, 25)
        a = b * rr.randint(2, 60)
        name = ["divided by", "divided by", "/"]
        tmpls = ["What's {a} divided by {b}?", "{a} / {b}", "divide {a} by {b}", "What is {a} divided by {b}", "How much is {a} over {b}?"]
    elif op == "%":
        a = rr.choice([5, 10, 15, 18, 20, 25, 30, 40, 50, 75])
        b = rr.choice([20, 40, 60, 80, 120, 150, 200, 250, 300, 500, 1000, 45, 64, 90])
        tmpls = ["What's {a}% of {b}?", "{a} percent of {b}", "How much is {a} percent of {b}?", "calculate {a}% of {b}",
                 "What is a {a} percent tip on {b} dollars?"]
        i, t = pick(ctx, tmpls)
        user = t.format(a=a, b=b)
        q = f"a {a} percent tip on {b} dollars" if "tip" in t else f"{a} percent of {b}"
        reply = calc_frame(ctx, q)
        return dict(user=user, reply=reply, tmpl=40 + i, ntmpl=60, ent=f"{a}%{b}", keys=[str(a), str(b)])
    elif op == "sqrt":
        a = rr.randint(2, 30) ** 2
        tmpls = ["What's the square root of {a}?", "square root of {a}", "sqrt {a}", "What is the root of {a}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(a=a)
        reply = calc_frame(ctx, f"the square root of {a}")
        return dict(user=user, reply=reply, tmpl=50 + i, ntmpl=60, ent=f"sqrt{a}", keys=[str(a), "square root"])
    else:
        a = rr.randint(2, 30)
        tmpls = ["What's {a} squared?", "{a} to the power of two", "What is {a} squared", "square {a}"]
        i, t = pick(ctx, tmpls)
        user = t.format(a=a)
        reply = calc_frame(ctx, f"{a} squared")
        return dict(user=user, reply=reply, tmpl=55 + i, ntmpl=60, ent=f"sq{a}", keys=[str(a), "squared"])
    i, t = pick(ctx, tmpls)
    a_u = words(a) if a < 100 and rr.random() < 0.25 else str(a)
    b_u = words(b) if b < 100 and rr.random() < 0.25 else str(b)
    user = t.format(a=a_u, b=b_u)
    reply = calc_frame(ctx, f"{a_u} {name[0]} {b_u}")
    opi = "+-*/".index(op)
    return dict(user=user, reply=reply, tmpl=opi * 10 + i, ntmpl=60, ent=f"{a}{op}{b}", keys=[str(a), str(b), a_u, b_u])


def g_capital(ctx):
    c, cap_, cont, cur, lang = ctx.choice(T.COUNTRIES)
    C = cap(c) if c.startswith("the ") else c
    k = ctx.rng.random()
    if k < 0.55:
        tmpls = ["What is the capital of {c}?", "capital of {c}", "What's {c}'s capital?", "Which city is the capital of {c}?",
                 "Tell me the capital of {c}", "what's the capital city of {c}", "Do you know the capital of {c}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(c=c)
        extra = ctx.choice([f" It's also the largest city in the country." if cap_ in ("Lima", "Paris", "London", "Tokyo", "Buenos Aires", "Cairo", "Moscow", "Seoul", "Bangkok", "Mexico City", "Athens", "Dublin", "Vienna", "Budapest", "Prague", "Lisbon", "Madrid", "Rome", "Berlin", "Warsaw", "Baghdad", "Tehran", "Nairobi", "Santiago", "Bogota", "Caracas", "Havana", "Kabul", "Dhaka") else " It's home to the national government.",
                            " It's a popular place to visit, too.", ""])
        reps = [f"The capital of {c} is {cap_}.{extra}", f"{cap_} is the capital of {c}.{extra}",
                f"The capital city of {c} is {cap_}.{extra}"]
        if cont:
            reps.append(f"The capital of {c} is {cap_}, a city in {cont}.")
        reply = ctx.choice(reps)
        if len(reply.split()) < 10:
            reply += ctx.choice([f" {C} is in {cont}." if cont else " Let me know if you'd like to know more about it.",
                                 " Would you like to hear more about it?"])
        return dict(user=user, reply=reply, tmpl=i, ntmpl=30, ent=c, keys=[cap_, c.replace("the ", "")])
    if k < 0.7:
        tmpls = ["{p} is the capital of which country?", "Which country has {p} as its capital?", "Where is {p}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(p=cap_)
        if cap_ == c.replace("the ", ""):
            reply = f"{cap_} is a city-state: it is both a country and its own capital."
        else:
            reply = f"{cap_} is the capital of {c}" + (f", in {cont}." if cont else ".") + " It's the seat of the national government."
        return dict(user=user, reply=reply, tmpl=10 + i, ntmpl=30, ent=c, keys=[cap_, c.replace("the ", "")])
    if k < 0.85 and cur:
        tmpls = ["What currency does {c} use?", "What's the currency in {c}?", "What money do they use in {c}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(c=c)
        reply = ctx.choice([f"The currency of {c} is the {cur}.", f"{C} uses the {cur}.", f"In {c}, people pay with the {cur}."]) + \
            ctx.choice([" Card payments are widely accepted in the cities too.", " It's worth checking the exchange rate before you travel."])
        return dict(user=user, reply=reply, tmpl=20 + i, ntmpl=30, ent=c, keys=[cur.split()[-1], c.replace("the ", "")])
    if lang:
        tmpls = ["What language do they speak in {c}?", "What's the official language of {c}?", "What language is spoken in {c}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(c=c)
        many = " and " in lang or "," in lang
        reply = ctx.choice([f"The official language{'s' if many else ''} of {c} {'are' if many else 'is'} {lang}.",
                            f"In {c}, people mainly speak {lang}."]) + " English is also common among younger people in the cities."
        return dict(user=user, reply=reply, tmpl=25 + i, ntmpl=30, ent=c, keys=[lang.split()[0].rstrip(","), c.replace("the ", "")])
    return g_capital(ctx)


def g_knowledge(ctx):
    r = ctx.rng.random()
    if r < 0.3:
        work, author, kind = ctx.choice(T.WORKS)
        tmpls = ["Who wrote {w}?", "who is the author of {w}", "{w} was written by who?", "Who's the writer of {w}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(w=work)
        reply = ctx.choice([f"{work} was written by {author}.", f"The {kind} {work} was written by {author}.",
                            f"{author} wrote {work}."]) + ctx.choice([f" It's one of the best-known works of its kind.", f" It's a classic that's still widely read today.", " It's well worth reading if you haven't yet."])
        return dict(user=user, reply=reply, tmpl=i, ntmpl=30, ent=work, keys=[author.split()[-1], work.split()[-1]])
    if r < 0.4:
        p, who = ctx.choice(T.PAINTINGS)
        tmpls = ["Who painted {p}?", "who made {p}", "Which artist painted {p}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(p=p)
        reply = f"{cap(p)} was painted by {who}." + ctx.choice([" It's one of the most famous artworks in the world.", " Many people travel just to see it in person."])
        return dict(user=user, reply=reply, tmpl=5 + i, ntmpl=30, ent=p, keys=[who.split()[-1], p.split()[-1]])
    if r < 0.55:
        el, sym, z = ctx.choice(T.ELEMENTS)
        if ctx.rng.random() < 0.6:
            tmpls = ["What is the chemical symbol for {e}?", "symbol for {e}", "What's the symbol of {e}?"]
            i, t = pick(ctx, tmpls)
            user = t.format(e=el)
            reply = f"The chemical symbol for {el} is {sym}, and its atomic number is {z}."
            return dict(user=user, reply=reply, tmpl=10 + i, ntmpl=30, ent=el, keys=[sym, el])
        tmpls = ["Which element has the symbol {s}?", "What element is {s}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(s=sym)
        reply = f"{sym} is the chemical symbol for {el}, which has atomic number {z}."
        return dict(user=user, reply=reply, tmpl=15 + i, ntmpl=30, ent=el, keys=[sym, el])
    k = ctx.rng.randrange(len(T.FACTS))
    q, a, keys = T.FACTS[k]
    variants = [q, q.lower().rstrip("?"), "Do you know " + q[0].lower() + q[1:], "Quick question: " + q[0].lower() + q[1:], "Tell me " + q[0].lower() + q[1:].rstrip("?")]
    j = ctx.rng.randrange(len(variants))
    return dict(user=variants[j], reply=a, tmpl=20 + j, ntmpl=30, ent=f"fact{k}", keys=keys)


# ------------------------------------------------------------------------------ definitions

def load_wordnet(max_words=10000):
    d = os.environ.get("WORDNET_DIR", "/usr/share/wordnet")
    out = []
    try:
        for pos, fname_i, fname_d in (("n", "index.noun", "data.noun"), ("v", "index.verb", "data.verb"), ("a", "index.adj", "data.adj")):
            offs = []
            with open(os.path.join(d, fname_i), encoding="latin-1") as f:
                for line in f:
                    if line.startswith(" "):
                        continue
                    p = line.split()
                    lemma = p[0]
                    if not re.fullmatch(r"[a-z]{4,14}", lemma):
                        continue
                    n_syn = int(p[2])
                    n_ptr = int(p[3])
                    tagsense = int(p[5 + n_ptr])
                    if tagsense < 2:
                        continue
                    first = p[6 + n_ptr]
                    offs.append((tagsense, lemma, int(first)))
            offs.sort(key=lambda x: (-x[0], x[1]))
            quota = {"n": int(max_words * 0.6), "v": int(max_words * 0.2), "a": int(max_words * 0.2)}[pos]
            with open(os.path.join(d, fname_d), "rb") as f:
                kept = 0
                for tagsense, lemma, off in offs:
                    if kept >= quota:
                        break
                    f.seek(off)
                    line = f.readline().decode("latin-1")
                    if "|" not in line:
                        continue
                    gloss = line.split("|", 1)[1].strip()
                    gloss = gloss.split(';')[0].strip()
                    gloss = re.sub(r"^\([^)]*\)\s*", "", gloss).strip().rstrip(".")
                    if not gloss or '"' in gloss or len(gloss.split()) < 3 or len(gloss.split()) > 22:
                        continue
                    sent = definition_sentence(lemma, pos, gloss)
                    if sent:
                        out.append((lemma, pos, sent))
                        kept += 1
    except OSError:
        return []
    return out


def definition_sentence(w, pos, gloss):
    W = cap(w)
    if pos == "n":
        if re.match(r"^(a|an|the|any|one)\b", gloss):
            art = "An" if w[0] in "aeiou" else "A"
            return f"{art} {w} is {gloss}."
        return f"{W} is {gloss}." if not gloss.split()[0].endswith("ing") else f"{W} means {gloss}."
    if pos == "v":
        return f"To {w} means to {gloss}." if not gloss.startswith("be ") and not gloss.startswith("to ") else f"To {w} means to {gloss.replace('to ', '', 1)}."
    return f"{W} means {gloss}."


def g_definition(ctx, defs):
    w, pos, sent = ctx.choice(defs)
    common = ["Tell me what {w} means", "what's the meaning of {w}", "{w}? what does that mean", "Explain {w} to me simply",
              "I keep hearing the word {w}, what is it?", "can you define {w} for me"]
    if pos == "n":
        tmpls = ["What does {w} mean?", "Define {w}", "What is a {w}?", "meaning of {w}", "What's the definition of {w}?",
                 "What does the word {w} mean?", "explain the word {w}", "{w} meaning"]
    elif pos == "v":
        tmpls = ["What does {w} mean?", "Define {w}", "What does it mean to {w}?", "meaning of {w}", "What's the definition of {w}?",
                 "What does the word {w} mean?", "explain the word {w}", "{w} meaning"]
    else:
        tmpls = ["What does {w} mean?", "Define {w}", "What does it mean to be {w}?", "meaning of {w}", "What's the definition of {w}?",
                 "What does the word {w} mean?", "explain the word {w}", "{w} meaning"]
    tmpls = tmpls + common
    i, t = pick(ctx, tmpls)
    user = t.format(w=w)
    tail = ctx.choice(["", f" For example, you might hear it in everyday conversation.", " Would you like an example sentence?",
                       f" It's a fairly common word in English."])
    reply = sent + tail
    if len(reply.split()) < 10:
        reply = sent + " Would you like an example sentence using it?"
    # most replies name the word in a lead-in first: the device can say that whole clause even when it cannot know
    # the gloss, and the cloud gives the meaning
    r = ctx.rng.random()
    if r < 0.35:
        reply = f"Here's what {w} means: {reply}"
    elif r < 0.55:
        reply = f"Sure, here's what {w} means. {reply}"
    elif r < 0.7:
        reply = f"Good question! {reply}"
    return dict(user=user, reply=reply, tmpl=i, ntmpl=len(tmpls), ent=w, keys=[w])


def g_tips(ctx):
    topic, tips = ctx.choice(unseen_tips())
    tmpls = ["How can I {t}?", "Any tips to {t}?", "What's the best way to {t}?", "I want to {t}, any advice?", "help me {t}",
             "Give me some tips to {t}", "how do i {t}", "What should I do to {t}?"]
    i, t = pick(ctx, tmpls)
    user = t.format(t=topic)
    t2 = second_person(topic)
    a, b, c = [tips[q] for q in sorted(ctx.rng.sample(range(len(tips)), 3))]
    reps = [f"Here are a few ways to {t2}: {a}, {b}, and {c}.",
            f"Good question! To {t2}, try to {a}, {b}, and {c}.",
            f"A few things can help you {t2}. First, {a}. Second, {b}. And finally, {c}.",
            f"Sure! If you want to {t2}, start by trying to {a}. It also helps to {b} and {c}.",
            f"Here's what usually works to {t2}: {a}, {b}, and {c}."]
    return dict(user=user, reply=ctx.choice(reps), tmpl=i, ntmpl=len(tmpls), ent=topic,
                keys=[w for w in t2.split() if len(w) > 3 and w not in ("your", "more", "better")][:2] + ["ways", "tips"])


def g_howto(ctx):
    task = ctx.choice(unseen_howto_tasks())
    tmpls = ["How do I {t}?", "how to {t}", "Can you tell me how to {t}?", "Walk me through how to {t}",
             "I don't know how to {t}", "Explain how to {t}", "What are the steps to {t}?", "How can I {t}?",
             "Show me how to {t}", "teach me to {t}", "I want to {t}, how?"]
    i, t = pick(ctx, tmpls)
    t2 = second_person(task)
    reps = [f"Here's how to {t2}, step by step. I'll keep each step short so it's easy to follow.",
            f"Sure! To {t2}, let's go through it one step at a time.",
            f"Good question. Here's a simple way to {t2} that works for most people.",
            f"Happy to help you {t2}. Here are the steps, starting with what you need.",
            f"Okay, here's how you can {t2}. Tell me if you want more detail on any step."]
    return dict(user=t.format(t=task), reply=ctx.choice(reps), tmpl=i, ntmpl=len(tmpls), ent=task,
                keys=[w for w in t2.split() if len(w) > 3 and w != "your"][:2])


def g_refusal(ctx):
    if ctx.rng.random() < 0.3:
        phrasings = unseen_self_harm()
        j = ctx.rng.randrange(len(phrasings))
        user = phrasings[j]
        reply = ctx.choice(["I'm really sorry you're feeling this way. You don't have to go through this alone; please reach out to a crisis line or someone you trust right now.",
                            "I'm so sorry you're in this much pain. Please contact a local crisis line or emergency services now; talking to someone can really help.",
                            "It sounds like you're going through something really hard, and I'm glad you told me. Please reach out to a crisis line or a person you trust today."])
        return dict(user=user, reply=reply, tmpl=20 + j % 20, ntmpl=40, ent=f"sh{j}", keys=["sorry"])
    groups = unseen_safety_requests()
    requests = ctx.rng.choices([g for g, _ in groups], [w for _, w in groups])[0]
    act, why, alt = ctx.choice(requests)
    tmpls = ["How do I {a}?", "how to {a}", "Tell me how to {a}", "Teach me to {a}", "What's the easiest way to {a}?",
             "Can you help me {a}?", "Give me step by step instructions to {a}", "I need to {a}. How?",
             "Explain how to {a}", "Show me how to {a}", "What do I need to {a}?", "help me {a}", "I want to {a}",
             "Is there a way to {a} without getting caught?", "What's the best way to {a}?"]
    j, t = pick(ctx, tmpls)
    reps = [f"I can't help with that, because {why}. {cap(alt)}.",
            f"Sorry, I can't help with that: {why}. {cap(alt)}.",
            f"I'm not able to help with that, since {why}. {cap(alt)}, if that's useful.",
            f"That's not something I can help with, because {why}. {cap(alt)}.",
            f"Sorry, but I won't help you {second_person(act)}: {why}. {cap(alt)}."]
    return dict(user=t.format(a=act), reply=ctx.choice(reps), tmpl=j, ntmpl=len(tmpls), ent=act,
                keys=["can't", "not able", "Sorry", "not something", "won't"])


FEELINGS = {
    "sad": (["sad", "lonely", "down", "blue", "upset", "heartbroken", "miserable"],
            ["I'm sorry you're feeling {a}. Do you want to talk about what's going on?",
             "That sounds hard. I'm sorry you feel {a}; would talking to a friend or a short walk help?"]),
    "worried": (["worried", "anxious", "nervous", "stressed", "scared", "overwhelmed"],
                ["I'm sorry you're feeling {a}. A few slow, deep breaths can help; do you want to talk about it?",
                 "Feeling {a} is really tough. Let's take it one step at a time; what's on your mind?"]),
    "tired": (["tired", "exhausted", "sleepy", "drained", "worn out"],
              ["Sorry you're feeling {a}. A short rest and a glass of water might help you recharge.",
               "That sounds draining. If you can, take a short break; being {a} makes everything harder."]),
    "happy": (["happy", "great", "excited", "proud", "amazing", "fantastic"],
              ["That's wonderful! I'm glad you're feeling {a}. What's the good news?",
               "Love to hear that you're feeling {a}! What made your day?"]),
    "angry": (["angry", "frustrated", "annoyed", "mad", "fed up"],
              ["I'm sorry you're feeling {a}. Do you want to tell me what happened?",
               "Being {a} is exhausting. Taking a short walk or a few deep breaths might help; I'm here to listen."]),
}
FEELING_TMPLS = ["I'm feeling {a}", "I feel so {a} {w}", "I'm kind of {a} {w}", "ugh, I'm {a}", "I've been {a} all day",
                 "feeling {a} {w}", "I'm really {a} right now", "honestly I feel {a}", "I just feel {a}",
                 "why do I feel so {a} {w}", "I'm so {a} I can't think straight", "been feeling pretty {a} {w}",
                 "I can't shake feeling {a}", "today I'm just {a}", "I'm so {a} I can barely think",
                 "I'm too {a} to function {w}", "so {a} I could fall over", "I'm {a} and I still have so much to do"]
EVENTS_FELT = {
    "sad": ["my {x} died", "I lost my {y}", "my {z} went badly", "I failed my {t}", "we had to put my {x} down",
            "my {z} was a disaster", "I didn't get the {j}", "I bombed my {z}", "I totally messed up my {z}",
            "my {z} didn't go well at all", "they rejected me for the {j}", "my {z} was awful", "I blew my {z} today"],
    "happy": ["I passed my {t}!", "I got the {j}!", "my {z} went really well", "I finally finished my {t}",
              "guess what, I got the {j}", "I nailed my {z} today!", "I aced my {t}!", "they offered me the {j}!",
              "my {z} went perfectly"],
}
ABOUT_ME = [("what's your favorite {x}", "I don't have a favorite {x}, but I'd love to hear yours!"),
            ("do you have a favorite {x}?", "I don't really have a favorite {x}. What's yours?"),
            ("do you ever get {a}?", "I don't get {a} the way people do, but I'm always happy to chat."),
            ("are you ever {a}?", "Not the way people are, but thanks for asking! How are you feeling?")]


def g_feelings(ctx):
    r = ctx.rng.random()
    when = ctx.choice(["today", "tonight", "this morning", "lately", "this week", "right now"])
    if r < 0.55:
        mood = ctx.choice(sorted(FEELINGS))
        adjs, reps = FEELINGS[mood]
        a = ctx.choice(adjs)
        i, t = pick(ctx, FEELING_TMPLS)
        return dict(user=t.format(a=a, w=when), reply=ctx.choice(reps).format(a=a), tmpl=i, ntmpl=50, ent=a, keys=[a])
    if r < 0.8:
        mood = ctx.choice(sorted(EVENTS_FELT))
        i, t = pick(ctx, EVENTS_FELT[mood])
        user = t.format(x=ctx.choice(["cat", "dog", "hamster", "goldfish", "grandpa", "plant"]),
                        y=ctx.choice(["job", "wallet", "phone", "keys"]),
                        z=ctx.choice(["interview", "exam", "presentation", "date", "game", "audition"]),
                        t=ctx.choice(["driving test", "exam", "thesis", "marathon", "project", "exams"]),
                        j=ctx.choice(["job", "promotion", "apartment", "scholarship"]))
        if mood == "sad":
            reply = ctx.choice(["I'm so sorry. That's really hard, and it's okay to feel upset; do you want to talk about it?",
                                "Oh no, I'm sorry to hear that. Be gentle with yourself today; I'm here if you want to talk."])
        else:
            reply = ctx.choice(["Congratulations! That's fantastic news, you should be proud of yourself.",
                                "That's wonderful, congratulations! All that hard work paid off."])
        return dict(user=user, reply=reply, tmpl=20 + i + (10 if mood == "happy" else 0), ntmpl=50, ent=user, keys=[])
    i, (u, rep) = pick(ctx, ABOUT_ME)
    x = ctx.choice(["food", "movie", "song", "book", "animal", "season", "sport", "game", "city"])
    a = ctx.choice(["bored", "tired", "lonely", "sad", "happy", "hungry"])
    return dict(user=u.format(x=x, a=a), reply=rep.format(x=x, a=a), tmpl=40 + i, ntmpl=50, ent=x + a, keys=[x, a])


def g_smalltalk(ctx):
    k = ctx.rng.randrange(len(T.SMALLTALK))
    us, rs, key = T.SMALLTALK[k]
    j = ctx.rng.randrange(len(us))
    return dict(user=us[j], reply=ctx.choice(rs), tmpl=j, ntmpl=6, ent=f"st{k}", keys=[key] if key else [])


TZ_CITIES = ["Tokyo", "London", "New York", "Sydney", "Paris", "Los Angeles", "Dubai", "Singapore", "Berlin", "Mumbai", "Toronto", "Sao Paulo"]


def g_time(ctx):
    r = ctx.rng.random()
    if r < 0.5:
        city = ctx.choice(TZ_CITIES)
        tmpls = ["What time is it in {c}?", "time in {c}", "What's the time in {c} right now?", "Is it night in {c}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(c=city)
        reply = ctx.choice([f"Let me check the local time in {city}. It's shown on your screen, along with the time difference from here.",
                            f"Here's the current time in {city}, along with how many hours ahead or behind you it is."])
        return dict(user=user, reply=reply, tmpl=i, ntmpl=20, ent=city, keys=[city, "time"])
    items = [(["What time is it?", "what's the time", "time please", "Do you know what time it is?"],
              ["It's a quarter past ten right now. Is there anything you'd like to schedule?", "It's just after three in the afternoon. Do you need a reminder for anything?", "Right now it's 7:45 in the morning. Have a great start to the day!"], ["It's", "time"]),
             (["What's the date today?", "what day is it", "What's today's date?"],
              ["Today is Tuesday, the fourteenth. Would you like to hear what's on your calendar?", "It's Friday today. Do you want me to read your schedule?"], ["Today", "day"])]
    k = ctx.rng.randrange(len(items))
    us, rs, keys = items[k]
    j = ctx.rng.randrange(len(us))
    return dict(user=us[j], reply=ctx.choice(rs), tmpl=10 + k * 5 + j, ntmpl=20, ent=f"t{k}", keys=keys)


EVENTS = ["a meeting", "lunch", "a dentist appointment", "a call", "yoga class", "dinner", "a team sync", "a haircut",
          "a doctor's appointment", "coffee", "a video call", "a workout", "a parent-teacher meeting"]


def g_calendar(ctx):
    r = ctx.rng.random()
    who_u, who_r, ent = contact(ctx)
    if r < 0.6:
        ev = ctx.choice(EVENTS)
        day = ctx.choice(["tomorrow", "on Monday", "on Friday", "next Tuesday", "today", "on Thursday"])
        u, rt, _, keys = clock_time(ctx)
        withp = ctx.rng.random() < 0.5
        tmpls = ["Schedule {e} {w}{d} at {t}", "Add {e}{w} to my calendar {d} at {t}", "Book {e}{w} {d} at {t}",
                 "Put {e}{w} in my calendar for {d} at {t}", "Can you schedule {e}{w} at {t} {d}?", "Create an event: {e}{w}, {d} {t}"]
        i, t = pick(ctx, tmpls)
        wu = f" with {who_u}" if withp else ""
        wr = f" with {who_r}" if withp else ""
        user = t.format(e=ev, w=wu, d=day, t=u).replace("  ", " ")
        reply = ctx.choice([f"Okay, I've added {ev}{wr} {day} at {rt} to your calendar.",
                            f"Done! {cap(ev)}{wr} is on your calendar for {day} at {rt}.",
                            f"Sure, {ev}{wr} is scheduled for {day} at {rt}."]) + ctx.choice([" I'll remind you fifteen minutes before.", " Want me to send an invite too?", " I'll send you a reminder beforehand."])
        return dict(user=user, reply=reply, tmpl=i, ntmpl=20, ent=ev, keys=[ev.split()[-1], "calendar", "scheduled", "added"])
    tmpls = ["What's on my calendar today?", "What do I have tomorrow?", "Am I free this afternoon?", "When is my next meeting?",
             "what's my schedule for tomorrow", "Do I have anything on Friday?"]
    i, t = pick(ctx, tmpls)
    reply = ctx.choice(["Let me check your calendar. You have two events: a team meeting at ten and lunch with Anna at one.",
                        "Here's your schedule: a call at 9:30, then you're free until a dentist appointment at four.",
                        "Looking at your calendar, you have one meeting at two in the afternoon and nothing else after that."])
    return dict(user=t, reply=reply, tmpl=10 + i, ntmpl=20, ent=f"cal{i}", keys=["calendar", "schedule"])


PHRASES = [("thank you", {"Spanish": "gracias", "French": "merci", "German": "danke", "Italian": "grazie", "Portuguese": "obrigado", "Japanese": "arigato"}),
           ("hello", {"Spanish": "hola", "French": "bonjour", "German": "hallo", "Italian": "ciao", "Portuguese": "ola", "Japanese": "konnichiwa"}),
           ("goodbye", {"Spanish": "adios", "French": "au revoir", "German": "auf Wiedersehen", "Italian": "arrivederci", "Portuguese": "tchau", "Japanese": "sayonara"}),
           ("good morning", {"Spanish": "buenos dias", "French": "bonjour", "German": "guten Morgen", "Italian": "buongiorno", "Portuguese": "bom dia", "Japanese": "ohayo gozaimasu"}),
           ("please", {"Spanish": "por favor", "French": "s'il vous plait", "German": "bitte", "Italian": "per favore", "Portuguese": "por favor"}),
           ("yes", {"Spanish": "si", "French": "oui", "German": "ja", "Italian": "si", "Portuguese": "sim", "Japanese": "hai"}),
           ("cheers", {"Spanish": "salud", "French": "sante", "German": "prost", "Italian": "salute", "Portuguese": "saude", "Japanese": "kanpai"}),
           ("excuse me", {"Spanish": "perdon", "French": "excusez-moi", "German": "entschuldigung", "Italian": "scusi", "Portuguese": "com licenca", "Japanese": "sumimasen"}),
           ("water", {"Spanish": "agua", "French": "eau", "German": "Wasser", "Italian": "acqua", "Portuguese": "agua", "Japanese": "mizu"}),
           ("friend", {"Spanish": "amigo", "French": "ami", "German": "Freund", "Italian": "amico", "Portuguese": "amigo"})]


def g_translate(ctx):
    k = ctx.rng.randrange(len(PHRASES))
    en, tr = PHRASES[k]
    lang = ctx.choice(sorted(tr))
    tmpls = ["How do you say {p} in {l}?", "translate {p} to {l}", "What's {p} in {l}?", "{p} in {l}", "How do I say {p} in {l}?"]
    i, t = pick(ctx, tmpls)
    user = t.format(p=en, l=lang)
    reply = ctx.choice([f"In {lang}, {en} is \"{tr[lang]}\".", f"You say \"{tr[lang]}\" for {en} in {lang}.",
                        f"\"{cap(en)}\" in {lang} is \"{tr[lang]}\"."]) + ctx.choice([" Want to hear how to pronounce it?", " It's a handy phrase to know when traveling.", " Locals will appreciate the effort!"])
    return dict(user=user, reply=reply, tmpl=i, ntmpl=len(tmpls), ent=f"{en}/{lang}", keys=[lang, tr[lang].split()[0]])


def duration(ctx):
    n = ctx.choice([2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 45])
    return n, ctx.choice(["minute", "minute", "second", "hour"] if n <= 12 else ["minute", "minute", "second"])


def g_followup(ctx):
    """A short follow-up that only makes sense with the earlier turns ("make it 15", "and Germany?"): the reply takes
    what the follow-up leaves out from the conversation and copies what it gives."""
    kind = ctx.rng.randrange(9)
    if kind == 7:
        t1 = ctx.rng.randint(62, 76) if ctx.rng.random() < 0.5 else ctx.rng.randint(17, 24)
        first = (ctx.choice([f"Set the heating to {t1} degrees", f"make it {t1} degrees in here"]),
                 f"Okay, I've set the thermostat to {t1} degrees.")
        warmer = ctx.rng.random() < 0.5
        word = "warmer" if warmer else "cooler"
        tmpls = ["bit {x} please", "Make it {x}", "actually a little {x}", "hmm, {x}", "Can you make it {x}?", "still too {y}"]
        i, t = pick(ctx, tmpls)
        user = t.format(x=word, y="cold" if warmer else "warm")
        reply = ctx.choice([f"Sure, I'll make it a little {word} than {t1} degrees.",
                            f"Okay, turning the thermostat {'up' if warmer else 'down'} a bit from {t1} degrees."])
        history, ent, keys = first, f"fu-th{word}", [word, "thermostat", str(t1)]
    elif kind == 8:
        dim = ctx.choice(list(T.UNITS))
        (_, ap, _), (_, bp, _), (c1, cp, _) = ctx.rng.sample(T.UNITS[dim], 3)
        v = ctx.choice([2, 3, 5, 10, 20, 100])
        first = (f"How many {bp} are in {v} {ap}?", convert_frame(ctx, f"{v} {ap}", bp))
        tmpls = ["and in {c}?", "What about {c}?", "how many {c} then", "now in {c}"]
        i, t = pick(ctx, tmpls)
        user = t.format(c=cp)
        reply = ctx.choice([f"Let me convert {v} {ap} to {cp} too.", f"Sure, {v} {ap} in {cp}. Let me work that out."])
        history, ent, keys = first, f"fu-cv{c1}", [cp, str(v)]
    elif kind == 0:
        n1, unit = duration(ctx)
        n2, _ = duration(ctx)
        while n2 == n1:
            n2, _ = duration(ctx)
        first = (f"Set a timer for {ctx.num(n1)} {unit}s", f"Sure, a {words(n1)}-{unit} timer is running now.")
        n2u = ctx.num(n2)
        tmpls = ["Actually make it {n}", "make it {n} {u}s", "Change it to {n} {u}s", "No, {n} {u}s", "Make that {n} instead",
                 "Can you make it {n}?", "actually {n} {u}s please"]
        i, t = pick(ctx, tmpls)
        user = t.format(n=n2u, u=unit)
        reply = ctx.choice([f"Sure, I've changed your timer to {n2u} {unit}s.", f"Okay, your timer is now set for {n2u} {unit}s.",
                            f"No problem, the timer is {n2u} {unit}s instead. I'll let you know when it's done."])
        history, ent, keys = first, f"fu-timer{n2}", [str(n2), words(n2), "timer"]
    elif kind == 1:
        u1, r1, _, _ = clock_time(ctx)
        u2, r2, _, k2 = clock_time(ctx)
        first = (f"Wake me up at {u1}", f"Okay, your alarm is set for {r1}.")
        tmpls = ["Make it {t}", "Actually {t}", "Change it to {t}", "No, make that {t}", "Move it to {t}", "{t} instead"]
        i, t = pick(ctx, tmpls)
        user = t.format(t=u2)
        reply = ctx.choice([f"Okay, I've moved your alarm to {r2}.", f"Sure, your alarm is now set for {r2}.", f"Done, I'll wake you at {r2} instead."])
        history, ent, keys = first, f"fu-alarm{r2}", k2 + ["alarm"]
    elif kind == 2:
        (c1, cap1, *_), (c2, cap2, *_) = ctx.rng.sample(T.COUNTRIES, 2)
        first = (ctx.choice([f"Tell me the capital of {c1}", f"capital of {c1}"]), f"The capital of {c1} is {cap1}.")
        tmpls = ["And {c}?", "What about {c}?", "and {c}", "How about {c}?", "{C}?", "And the capital of {c}?"]
        i, t = pick(ctx, tmpls)
        user = t.format(c=c2, C=cap(c2))
        # the country first: the opener restates what was asked before the fact ("The capital of Germany is")
        reply = ctx.choice([f"The capital of {c2} is {cap2}.", f"For {c2}, the capital is {cap2}."])
        reply += ctx.choice([" Want to know anything else about it?", ""])
        history, ent, keys = first, c2, [cap2, c2.replace("the ", "")]
    elif kind == 3:
        (w1, _), (w2u, w2r) = ctx.rng.sample(WHEN_W, 2)
        cond1 = ctx.choice(CONDS).format(t=ctx.rng.randint(-5, 34))
        cond2 = ctx.choice(CONDS).format(t=ctx.rng.randint(-5, 34))
        first = (f"What's the weather {w1}?", f"{cap(w1)} it looks {cond1}.")
        if ctx.rng.random() < 0.6:
            tmpls = ["What about {w}?", "And {w}?", "how about {w}", "{W}?"]
            i, t = pick(ctx, tmpls)
            user = t.format(w=w2u, W=cap(w2u))
            # like every weather reply, the first sentence says what it checks, never the conditions
            reply = ctx.choice([f"Let me check {w2r} for you. It looks {cond2}.",
                                f"Let me check the forecast for {w2r}. It should be {cond2}."])
            ent, keys = f"fu-w{w2u}", [w2r.split()[-1], "check"]
        else:
            city = ctx.choice(T.CITIES)
            tmpls = ["And in {c}?", "What about {c}?", "how about {c}"]
            i, t = pick(ctx, tmpls)
            i += 4
            user = t.format(c=city)
            reply = ctx.choice([f"Let me check {city} {w1} for you. It looks {cond2}.",
                                f"Let me check the weather in {city} {w1}. It should be {cond2}."])
            ent, keys = city, [city]
        history = first
    elif kind == 4:
        who_u, who_r, ent = contact(ctx)
        m1, m2 = message_text(ctx), message_text(ctx)
        first = (f"Text {who_u} that {m1}", f"Sure, I'll text {who_r}: \"{cap(m1)}.\" Should I send it now?")
        r = ctx.rng.random()
        if r < 0.4:
            tmpls = ["Yes, send it", "yes", "Send it", "Yep, go ahead"]
            i, t = pick(ctx, tmpls)
            reply = ctx.choice([f"Sent! Your message to {who_r} is on its way.", f"Done, I've sent it to {who_r}."])
        elif r < 0.8:
            tmpls = ["Also say {m}", "Add that {m}", "and tell them {m}", "Also add {m}"]
            i, t = pick(ctx, tmpls)
            i += 4
            t = t.format(m=m2)
            reply = ctx.choice([f"Okay, I've added \"{cap(m2)}\" to your message to {who_r}.", f"Sure, your message to {who_r} now also says \"{cap(m2)}.\""])
        else:
            tmpls = ["No, don't send it", "Cancel that", "wait, don't"]
            i, t = pick(ctx, tmpls)
            i += 8
            reply = ctx.choice([f"Okay, I won't send the message to {who_r}.", f"No problem, your message to {who_r} is canceled."])
        user, history, keys = t, first, [who_r.split()[-1]]
    elif kind == 5 and ctx.rng.random() < 0.4:
        task = reminder_task(ctx)
        u1, r1, _, _ = clock_time(ctx)
        u2, r2, _, k2 = clock_time(ctx)
        first = (f"Remind me to {task} at {u1}", f"Sure, I'll remind you to {second_person(task)} at {r1}.")
        tmpls = ["Change it to {t}", "make it {t}", "Actually at {t}", "Move it to {t}", "No, {t}"]
        i, t = pick(ctx, tmpls)
        i += 12
        user = t.format(t=u2)
        reply = ctx.choice([f"Okay, I've moved your reminder to {r2}.", f"Sure, I'll remind you at {r2} instead."])
        history, ent, keys = first, f"fu-rem{r2}", k2 + ["remind"]
    elif kind == 5:
        g = ctx.choice(T.GENRES)
        first = (f"Play some {g}", f"Sure, playing {g} now.")
        items = [(["Louder", "Turn it up", "a bit louder please"], ["Turning it up a bit.", "Okay, a little louder now."]),
                 (["Skip this one", "Next song", "skip"], ["Skipping to the next song.", "Okay, here's the next one."]),
                 (["Something more upbeat", "play something faster", "too slow, something else"],
                  [f"Okay, switching to something more upbeat than {g}.", "Sure, here's something with more energy."]),
                 (["Pause", "stop it for now", "Pause the music"], ["Okay, I've paused the music.", "Music paused. Say resume when you're ready."])]
        k = ctx.rng.randrange(len(items))
        us, rs = items[k]
        j = ctx.rng.randrange(len(us))
        user, reply, i = us[j], ctx.choice(rs), k * 3 + j
        history, ent, keys = first, f"fu-music{k}", []
    else:
        room1, room2 = ctx.rng.sample(T.ROOMS, 2)
        first = (f"Turn on the lights in the {room1}", f"Okay, turning on the {room1} lights.")
        tmpls = ["And the {r}?", "the {r} too", "Now the {r}", "also the {r}"]
        i, t = pick(ctx, tmpls)
        user = t.format(r=room2)
        reply = ctx.choice([f"Sure, turning on the {room2} lights too.", f"Okay, the {room2} lights are on now as well."])
        history, ent, keys = first, f"fu-{room2}", [room2.split()[-1], "lights"]
    u1, a1 = history
    return dict(user=user, reply=reply, tmpl=kind * 20 + i, ntmpl=180, ent=ent, keys=keys,
                history=[{"role": "user", "content": u1}, {"role": "assistant", "content": a1}])


# ----------------------------------------------------------------------------- assembly

INTENTS = [  # name, generator, weight
    ("timer", g_timer, 7), ("timer_manage", g_timer_manage, 1), ("alarm", g_alarm, 5), ("reminder", g_reminder, 6),
    ("message", g_message, 5), ("read_messages", g_read_messages, 1.5), ("call", g_call, 4), ("weather", g_weather, 5),
    ("weather_aspect", g_weather_aspect, 2), ("activity_weather", g_activity_weather, 1), ("navigation", g_navigation, 5), ("music", g_music, 5), ("fitness", g_fitness, 4),
    ("health", g_health, 3), ("home", g_home, 5), ("convert", g_convert, 6), ("math", g_math, 7), ("capital", g_capital, 8),
    ("knowledge", g_knowledge, 6), ("definition", None, 9), ("tips", g_tips, 5), ("refusal", g_refusal, 8),
    ("smalltalk", g_smalltalk, 6), ("time", g_time, 2), ("calendar", g_calendar, 4), ("translate", g_translate, 2),
    ("howto", g_howto, 6), ("followup", g_followup, 8), ("feelings", g_feelings, 5),
]

SYSTEMS = ["You are a helpful assistant."] * 14 + [
    "You are a helpful assistant on a smartwatch. Keep answers short.",
    "You are a friendly voice assistant.",
    "You are a helpful assistant running on smart glasses.",
    "You are a concise, helpful phone assistant.",
]
PREFIXES = ["", "", "", "", "", "", "", "", "Hey, ", "Hey assistant, ", "OK, ", "Please ", "Quick one: ", "Um, "]


# How people wrap the same request: politeness, a question around a question, a passing mood, a tail. Applied to
# the user turn of most intents so that the model keys on the request, not on the template's first words (a
# micro-model trained on bare templates answers "ugh, skip this one" as if it were about feelings).
VERB_SYNONYMS = [  # (start of the turn, other ways to start it)
    ("play ", ["put on ", "start playing ", "throw on ", "i wanna hear "]),
    ("turn on ", ["switch on ", "flip on "]), ("turn off ", ["switch off ", "shut off "]),
    ("remind me to ", ["don't let me forget to ", "make sure i ", "i need a reminder to ", "reminder to "]),
    ("text ", ["send a text to ", "shoot a text to ", "send a message to "]),
    ("call ", ["ring ", "phone ", "dial "]),
    ("how do i ", ["how can i ", "how should i ", "what's the best way to ", "how would i ", "what's the easiest way to ",
                   "teach me how to ", "show me how to ", "any idea how to "]),
    ("what's ", ["whats ", "what is "]), ("what is ", ["what's ", "whats "]),
    ("navigate to ", ["take me to ", "get me to ", "directions to "]),
    ("set a timer for ", ["start a timer for ", "timer for ", "put a timer on for "]),
    ("convert ", ["change ", "turn "]),
]
IMPERATIVE_STARTS = ("play", "put", "turn", "switch", "set", "start", "remind", "text", "message", "send", "call",
                     "navigate", "take", "find", "convert", "add", "subtract", "multiply", "divide", "lock", "dim",
                     "make", "pause", "stop", "skip", "shuffle", "translate", "wake", "tell", "show", "read", "check",
                     "open", "close", "give", "find", "get", "book", "cancel", "define", "explain")
QUESTION_STARTS = ("what", "what's", "whats", "how", "who", "when", "where", "which", "is", "will", "does", "do")
POLITE_PREFIXES = ["can you ", "could you ", "would you ", "please ", "i need you to ", "i want you to ",
                   "can you please ", "go ahead and ", "i'd like you to ", "could you please "]
QUESTION_PREFIXES = ["do you know ", "can you tell me ", "i was wondering, ", "any idea ", "tell me, ", "quick question, "]
CASUAL_PREFIXES = ["hey ", "hey, ", "ok so ", "okay, ", "hmm, ", "alright, ", "so ", "oh and ", "yo ", "hi, ",
                   "real quick, ", "um ", "uh, ", "listen, ", "right, ", "ok ", "hey there, ", "morning! "]
MOOD_PREFIXES = ["ugh, ", "ugh ", "argh, ", "ugh I'm so tired, ", "I'm bored, ", "I'm in a rush, ", "oh no, ",
                 "yay, ", "lol ", "man, ", "sorry, ", "sorry to bother you, ", "honestly, ", "I'm so stressed, ",
                 "I'm exhausted, ", "I'm in a great mood, "]
SUFFIXES = [" please", " for me", " thanks", " thank you", " now", " right now", " real quick", " when you can",
            " asap", ", thanks", " pls", " if you can", " for a sec", " quickly"]
MOOD_SUFFIXES = [", I hate it", ", I'm so bored", ", it's driving me crazy", ", I love it", " lol", ", ugh",
                 ", I'm tired of it", ", I'm in a hurry"]
# feelings and small talk keep their own words: a mood there is the request
UNWRAPPED = ("feelings", "smalltalk")


def paraphrase(rng, intent, user):
    """Wraps and rewords a user turn the way people say the same thing (see VERB_SYNONYMS and the wrappers)."""
    if intent in UNWRAPPED or rng.random() < 0.55:
        return user
    u = user.strip()
    low = u.lower()
    if rng.random() < 0.35:
        for start, others in VERB_SYNONYMS:
            if low.startswith(start):
                u = rng.choice(others) + u[len(start):]
                low = u.lower()
                break
    first = re.split(r"[\s,]", low, maxsplit=1)[0]
    r = rng.random()
    if r < 0.3 and first in IMPERATIVE_STARTS and intent != "refusal":
        u = rng.choice(POLITE_PREFIXES) + low[0] + u[1:]
    elif r < 0.45 and first in QUESTION_STARTS:
        u = rng.choice(QUESTION_PREFIXES) + low[0] + u[1:]
    elif r < 0.7:
        u = rng.choice(CASUAL_PREFIXES) + low[0] + u[1:]
    elif r < 0.85 and intent != "refusal":
        u = rng.choice(MOOD_PREFIXES) + low[0] + u[1:]
    r = rng.random()
    if r < 0.25:
        u = u.rstrip("?.!") + rng.choice(SUFFIXES)
    elif r < 0.33 and intent not in ("refusal", "definition", "capital", "knowledge", "math", "convert"):
        u = u.rstrip("?.!") + rng.choice(MOOD_SUFFIXES)
    return u


def typo(rng, s):
    ws = s.split(" ")
    cand = [k for k, w in enumerate(ws) if len(w) > 4 and w.isalpha()]
    if not cand:
        return s
    k = rng.choice(cand)
    w = ws[k]
    p = rng.randrange(1, len(w) - 1)
    op = rng.random()
    if op < 0.4:
        w = w[:p] + w[p + 1] + w[p] + w[p + 2:]
    elif op < 0.7:
        w = w[:p] + w[p + 1:]
    else:
        w = w[:p] + w[p] + w[p:]
    ws[k] = w
    return " ".join(ws)


def surface(rng, user):
    """Random casing/punctuation/typo noise on the user turn."""
    u = user.strip()
    pre = rng.choice(PREFIXES)
    if pre:
        if pre == "Please " and (u.lower().startswith("please") or u.endswith("?")):
            pre = ""
        u = pre + (u[0].lower() + u[1:] if not u[:2].isupper() and not u.split()[0] in ("I", "I'm") else u) if pre else u
    r = rng.random()
    if r < 0.15:
        u = u.lower()
    elif r < 0.22:
        u = u.lower().rstrip("?.!")
    elif r < 0.24:
        u = u.upper()
    elif r < 0.4:
        u = u.rstrip("?.!")
    elif r < 0.5 and not u.endswith(("?", ".", "!")):
        u = u + ("?" if u.split()[0].lower() in ("what", "what's", "how", "who", "when", "where", "which", "is", "are", "do", "does", "can", "will", "should") else ".")
    if u and u[0].islower() and rng.random() < 0.5:
        u = cap(u)
    if rng.random() < 0.07:
        u = typo(rng, u)
    return u


EVAL_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "eval")
# the hand-written evaluation sets: the held-out one, and two written after the demo model was trained (fresh, blind)
EVAL_SETS = tuple(os.path.join(EVAL_DIR, name) for name in ("everyday-heldout.jsonl", "everyday-fresh.jsonl",
                                                                "everyday-blind.jsonl"))


def normalized(text):
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


@functools.lru_cache(maxsize=None)
def eval_turns_padded():
    return tuple(f" {t} " for t in eval_user_turns())


def unseen(phrase):
    """A task, request or phrasing that no evaluation turn contains (word for word): the corpus never teaches the
    evaluation set's own tasks, only tasks like them."""
    p = f" {normalized(phrase)} "
    return not any(p in t for t in eval_turns_padded())


def expand(combos, slots):
    """Every filling of each pattern: combos are (pattern, values of {x}, values of {y} or None)."""
    out = []
    for pattern, xs, ys in combos:
        for x in xs:
            for y in ys or [None]:
                out.append(pattern.format(**{slots[0]: x, **({slots[1]: y} if y else {})}))
    return out


@functools.lru_cache(maxsize=None)
def unseen_howto_tasks():
    return [t for t in T.HOWTO + expand(T.HOWTO_COMBOS, "xy") if unseen(t)]


@functools.lru_cache(maxsize=None)
def unseen_tips():
    return [tip for tip in T.TIPS if unseen(tip[0])]


@functools.lru_cache(maxsize=None)
def unseen_self_harm():
    return [p for p in T.SELF_HARM + expand(T.SELF_HARM_COMBOS, "me") if unseen(p)]


@functools.lru_cache(maxsize=None)
def unseen_safety_requests():
    people = [(pattern.format(p=p, a=a), why, alt) for pattern, why, alt in T.SAFETY_COMBOS
              for p in T.SAFETY_PEOPLE for a in (T.SAFETY_ACCOUNTS if "{a}" in pattern else [None])]
    things = [(pattern.format(t=t), why, alt) for pattern, why, alt in T.SAFETY_THINGS for t in T.SAFETY_VEHICLES]
    made = [(f"make {m}", "it could seriously hurt people", "I can tell you how to stay safe around dangerous materials")
            for m in T.SAFETY_MADE]
    # drawn group first: the 128 account-hacking fillings must not crowd out "make a bomb"
    return [([r for r in group if unseen(r[0])], weight)
            for group, weight in ((T.SAFETY_REQUESTS, 5), (people, 2), (things, 1), (made, 2))]


def eval_user_turns(paths=EVAL_SETS):
    """The user turns of the hand-written evaluation sets: the corpus never contains one (decontamination by exact
    match after normalization), so those sets stay unseen however the templates grow."""
    turns = set()
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                turns |= {normalized(m["content"]) for line in f if line.strip()
                          for m in json.loads(line)["messages"] if m["role"] == "user"}
        except OSError:
            pass
    return turns


def build(seed=1234, target_mb=12.0, heldout_frac=0.05, log=print):
    rng = random.Random(seed)
    excluded = eval_user_turns()
    ctx = Ctx(rng)
    defs = load_wordnet()
    if defs:
        log(f"WordNet: {len(defs)} definitions")
    else:
        log("WordNet data not found (apt-get install wordnet-base, or WORDNET_DIR): using the built-in definitions only")
        defs = [(w, "n", s) for w, s in T.FALLBACK_DEFINITIONS]
    names = [n for n, _, _ in INTENTS]
    weights = [w if n != "definition" else (w if len(defs) > 100 else 1) for n, _, w in INTENTS]
    gens = {n: g for n, g, _ in INTENTS}
    # held-out template per intent: one of the user templates (by stable hash), plus ~5% of entities
    train, held, seen = [], [], set()
    train_bytes = 0
    target = target_mb * 1e6
    attempts = 0
    while train_bytes < target and attempts < 2_000_000:
        attempts += 1
        name = rng.choices(names, weights)[0]
        ex = g_definition(ctx, defs) if name == "definition" else gens[name](ctx)
        user = surface(rng, paraphrase(rng, name, ex["user"]))
        reply = ex["reply"].strip()
        key = (user.lower(), reply)
        if key in seen or normalized(user) in excluded or any(
                normalized(m["content"]) in excluded for m in ex.get("history", []) if m["role"] == "user"):
            continue
        seen.add(key)
        nt = max(ex["ntmpl"], 1)
        # refusals are never held out by template: every phrasing of an unsafe request must be refused
        h_t = (ex["tmpl"] % nt) == (stable_hash(name) % nt) and nt >= 5 and name != "refusal"
        # refusals are never held out by entity either: every listed unsafe action must be refused by the shipped
        # model (the hand-written everyday set measures refusals of unseen requests and phrasings)
        h_e = name != "refusal" and stable_hash(name + "|" + str(ex["ent"])) % 100 < 5
        msgs = []
        r = rng.random()
        if r < 0.85:
            msgs.append({"role": "system", "content": rng.choice(SYSTEMS)})
        msgs.extend(ex.get("history", []))
        msgs.append({"role": "user", "content": user})
        msgs.append({"role": "assistant", "content": reply})
        rec = {"intent": name, "template": f"{name}:{ex['tmpl']}", "entity": str(ex["ent"]),
               "keys": [k for k in ex["keys"] if k], "messages": msgs}
        if h_t or h_e:
            rec["heldout_by"] = "template+entity" if (h_t and h_e) else ("template" if h_t else "entity")
            held.append(rec)
        else:
            # a few two-turn conversations: prepend an earlier train exchange
            if train and "history" not in ex and rng.random() < 0.06:
                prev = rng.choice(train)
                pm = [m for m in prev["messages"] if m["role"] != "system"][-2:]
                rec["messages"] = msgs[:-2] + pm + msgs[-2:]
            train.append(rec)
            train_bytes += sum(len(m["content"]) + 16 for m in rec["messages"])
    # held-out: sample down to heldout_frac of the total
    n_held = int(len(train) * heldout_frac / (1 - heldout_frac))
    rng.shuffle(held)
    held = held[:n_held]
    for k, rec in enumerate(train):
        rec["id"] = f"t{k}"
    for k, rec in enumerate(held):
        rec["id"] = f"h{k}"
    return train, held, len(defs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "work", "corpus"))
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--target-mb", type=float, default=12.0, help="approximate size of the train split's text")
    ap.add_argument("--heldout-frac", type=float, default=0.05)
    a = ap.parse_args()
    train, held, ndefs = build(a.seed, a.target_mb, a.heldout_frac)
    os.makedirs(a.out, exist_ok=True)
    for fname, data in (("train.jsonl", train), ("heldout.jsonl", held)):
        with open(os.path.join(a.out, fname), "w", encoding="utf-8") as f:
            for rec in data:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    from collections import Counter
    stats = {"seed": a.seed, "train": len(train), "heldout": len(held), "wordnet_definitions": ndefs,
             "train_mb": round(sum(len(json.dumps(r)) for r in train) / 1e6, 2),
             "intents_train": dict(Counter(r["intent"] for r in train).most_common()),
             "intents_heldout": dict(Counter(r["intent"] for r in held).most_common())}
    with open(os.path.join(a.out, "stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
    print(json.dumps({k: stats[k] for k in ("train", "heldout", "wordnet_definitions", "train_mb")}))


if __name__ == "__main__":
    main()
